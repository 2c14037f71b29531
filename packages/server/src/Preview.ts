/**
 * The preview page (`GET /preview/ocr2word`): people drop several images or
 * PDFs, watch each one's progress (queued, then page k of n), and see the
 * Word result rendered beside each page with the recognised lines drawn over
 * it, with a download per file (one .docx per PDF, a section per page).
 *
 * The page calls `recognize/events`, which answers as the conversion runs:
 * one `PreviewEvent` a line (NDJSON), the worker's page starts relayed as
 * they happen, then the result (the lines' geometry, the stored .docx) or
 * the error. A stream rather than a job to poll: a preview conversion
 * belongs to the open request (no key, nothing to keep once the person
 * leaves), so it needs no job store, and a closed tab stops listening at
 * once. `recognize` is the same call answered once, as JSON.
 *
 * The page renders the .docx with `docx-preview` (and JSZip) and draws PDF
 * pages with pdf.js (`pdfjs-dist`, the renderer the server reads PDFs
 * with), all served from the server's own node_modules, so the page makes
 * no request outside the server.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs/promises"
import { createRequire } from "node:module"
import * as path from "node:path"
import { Document } from "@ocr2word/core"
import { Api, ApiError } from "@ocr2word/http-api"
import { Effect, Queue, Schema, Stream } from "effect"
import { HttpServerResponse } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { convert, type Progress } from "./internal/convert.ts"

const require = createRequire(import.meta.url)

const pdfjsRoot = path.dirname(require.resolve("pdfjs-dist/package.json"))

/**
 * The page's scripts: the browser builds of docx-preview (its UMD entry's
 * folder) and JSZip, and pdf.js' legacy build (modules; the legacy one for
 * browsers a few versions old) with its worker.
 */
const assetFiles: Record<(typeof Api.PreviewAssets)[number], string> = {
  "docx-preview.min.js": path.join(path.dirname(require.resolve("docx-preview")), "docx-preview.min.js"),
  "jszip.min.js": require.resolve("jszip/dist/jszip.min.js"),
  "pdf.min.mjs": path.join(pdfjsRoot, "legacy/build/pdf.min.mjs"),
  "pdf.worker.min.mjs": path.join(pdfjsRoot, "legacy/build/pdf.worker.min.mjs")
}

/**
 * The page may load scripts, styles and fonts from this server only, and talk
 * to nothing else; images may also come from an imageurl the person typed
 * (and blob: URLs of the files they dropped).
 */
const pageHeaders = {
  "content-security-policy": [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data: http: https:",
    "font-src 'self' blob: data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join("; "),
  "cache-control": "no-cache"
}

const previewLines = (document: Document.Document) =>
  document.pages.map((page) => ({
    width: page.width,
    height: page.height,
    rotation: page.rotation,
    lines: Document.pageLines(page).map((line) => ({
      text: line.text,
      confidence: line.confidence,
      polygon: line.polygon.map((p) => [p.x, p.y] as const)
    }))
  }))

const previewResult = (c: { readonly fileUrl: string; readonly result: { readonly document: Document.Document } }) => ({
  ResultWordFileUrl: c.fileUrl,
  text: Document.toPlainText(c.result.document),
  pages: previewLines(c.result.document)
})

const encodeEvent = Schema.encodeSync(Schema.fromJsonString(Api.PreviewEvent))
const encoder = new TextEncoder()

/** The `error` event of a failure: the status and envelope the plain endpoint would have answered. */
const errorEvent = (error: ApiError.ApiError): Api.PreviewEvent => ({
  event: "error",
  status: ApiError.httpStatus(error),
  DataStatus: error.DataStatus,
  ...(error instanceof ApiError.RateLimited && error.retryAfterSeconds !== undefined
    ? { retryAfterSeconds: error.retryAfterSeconds }
    : {})
})

/** The handlers of the preview page, its conversion endpoints and its scripts. */
export const PreviewHandlers = () =>
  HttpApiBuilder.group(Api.Api, "preview", (handlers) =>
    Effect.gen(function* () {
      const page = yield* Effect.promise(() => fs.readFile(new URL("../assets/preview.html", import.meta.url), "utf8"))
      // Read once at start-up: a missing package fails the server's start, not a visitor's page.
      const scripts = yield* Effect.promise(async () => {
        const entries = await Promise.all(
          Object.entries(assetFiles).map(async ([name, file]) => [name, await fs.readFile(file, "utf8")] as const)
        )
        return new Map(entries)
      })
      return handlers
        .handle("page", () =>
          Effect.succeed(
            HttpServerResponse.text(page, { contentType: "text/html; charset=utf-8", headers: pageHeaders })
          )
        )
        .handle("asset", ({ params }) =>
          Effect.succeed(
            HttpServerResponse.text(scripts.get(params.name) ?? "", {
              contentType: "text/javascript; charset=utf-8",
              headers: { "cache-control": "public, max-age=86400" }
            })
          )
        )
        .handleRaw("recognize", ({ request }) => Effect.map(convert(request, "preview", {}), previewResult))
        .handleRaw("recognizeEvents", ({ request }) =>
          Effect.gen(function* () {
            const run = (onProgress: (p: Progress) => void) => convert(request, "preview", { onProgress })
            const services = yield* Effect.context<Effect.Services<ReturnType<typeof run>>>()
            // The conversion runs with the answer's stream: a client that goes away interrupts it.
            const events = Stream.callback<Api.PreviewEvent>((queue) =>
              run((p) => {
                Queue.offerUnsafe(
                  queue,
                  p.stage === "queued" ? { event: "queued" } : { event: "page", page: p.page, pages: p.pages }
                )
              }).pipe(
                Effect.map((c): Api.PreviewEvent => ({ event: "done", result: previewResult(c) })),
                Effect.catch((error) => Effect.succeed(errorEvent(error))),
                Effect.flatMap((last) => Queue.offer(queue, last)),
                Effect.andThen(Queue.end(queue)),
                Effect.provideContext(services)
              )
            )
            return HttpServerResponse.stream(
              events.pipe(Stream.map((event) => encoder.encode(`${encodeEvent(event)}\n`))),
              {
                contentType: Api.PreviewEventsMediaType,
                // Proxies that buffer answers would hold every event back to the end.
                headers: { "cache-control": "no-cache", "x-accel-buffering": "no" }
              }
            )
          })
        )
    })
  )
