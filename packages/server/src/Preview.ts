/**
 * The preview page (`GET /preview/ocr2word`): people drop several images,
 * watch each one's progress, and see the Word result rendered beside the
 * image with the recognised lines drawn over it, with a download per file.
 * Its recognition call answers the lines' geometry with the stored .docx;
 * the page renders that .docx with `docx-preview` (and JSZip), which the
 * server serves from its own node_modules, so the page makes no request
 * outside the server.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs/promises"
import { createRequire } from "node:module"
import * as path from "node:path"
import { Document } from "@ocr2word/core"
import { Api } from "@ocr2word/http-api"
import { Effect } from "effect"
import { HttpServerResponse } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { convert } from "./internal/convert.ts"

const require = createRequire(import.meta.url)

/** The page's scripts: the browser builds of docx-preview (its UMD entry's folder) and JSZip. */
const assetFiles: Record<(typeof Api.PreviewAssets)[number], string> = {
  "docx-preview.min.js": path.join(path.dirname(require.resolve("docx-preview")), "docx-preview.min.js"),
  "jszip.min.js": require.resolve("jszip/dist/jszip.min.js")
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

/** The handlers of the preview page, its conversion endpoint and its scripts. */
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
        .handleRaw("recognize", ({ request }) =>
          Effect.map(convert(request, "preview", {}), (c) => ({
            ResultWordFileUrl: c.fileUrl,
            text: Document.toPlainText(c.result.document),
            pages: previewLines(c.result.document)
          }))
        )
    })
  )
