/**
 * The handlers of `@ocr2word/http-api`'s `Api`: the contract endpoint, the
 * demo, the preview page (in `Preview.ts`), file downloads, probes and metrics. The conversion
 * endpoints read their bodies themselves (`handleRaw`), so that every body
 * problem is answered in the contract's envelope rather than a bare 400.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs/promises"
import { Api, ApiError, Envelope } from "@ocr2word/http-api"
import { Effect, Layer } from "effect"
import { HttpServerResponse } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { DocumentStore, downloadHeaders, type StoreError } from "./DocumentStore.ts"
import { convert, fail, now } from "./internal/convert.ts"
import { jobEnvelope } from "./internal/job-status.ts"
import * as JobFlow from "./internal/jobs.ts"
import { JobQueue } from "./JobQueue.ts"
import { KeyStore } from "./KeyStore.ts"
import { Metrics } from "./Metrics.ts"
import { OcrQueue } from "./OcrQueue.ts"
import { PreviewHandlers } from "./Preview.ts"
import { RateLimiter } from "./RateLimiter.ts"

const asset = (name: string) => new URL(`../assets/${name}`, import.meta.url)

/** The bundled demo image, read once. */
const sample = Effect.cached(Effect.promise(async () => new Uint8Array(await fs.readFile(asset("demo-sample.png")))))

const envelope = (converted: { readonly fileUrl: string; readonly sourceUrl?: string }) =>
  Effect.map(now, (time) =>
    Envelope.success(
      {
        ...(converted.sourceUrl !== undefined ? { SourceImageUrl: converted.sourceUrl } : {}),
        ResultWordFileUrl: converted.fileUrl
      },
      time
    )
  )

/** The handlers of the contract's endpoint: `POST /imagerecognition/ocr2word` and its demo. */
export const Ocr2WordHandlers = () =>
  HttpApiBuilder.group(Api.Api, "ocr2word", (handlers) =>
    Effect.gen(function* () {
      const demoSample = yield* sample
      return handlers
        .handleRaw("convert", ({ request, query }) =>
          Effect.flatMap(convert(request, "api", { queryKey: query.appkey }), envelope)
        )
        .handleRaw("demo", ({ request }) => Effect.flatMap(convert(request, "demo", { sample: demoSample }), envelope))
        .handle("demoSample", ({ request }) =>
          Effect.flatMap(convert(request, "demo", { sample: demoSample }), envelope)
        )
    })
  )

/** The handler of `/files/:name`: the stored Word (or other) files. */
export const FilesHandlers = () =>
  HttpApiBuilder.group(Api.Api, "files", (handlers) =>
    Effect.gen(function* () {
      const store = yield* DocumentStore
      return handlers.handle("download", ({ params, request }) =>
        Effect.gen(function* () {
          const notFound = () =>
            fail(
              ApiError.NotFound,
              `no Word file named ${JSON.stringify(params.file)}; use the exact ResultWordFileUrl of a conversion.`
            )
          const storeFailed = (e: StoreError) =>
            e.reason === "Unavailable" ? fail(ApiError.Unavailable, e.message) : notFound()
          const info = yield* store.stat(params.file).pipe(Effect.catchTag("StoreError", storeFailed))
          const headers = downloadHeaders(info)
          const inm = request.headers["if-none-match"]
          if (inm?.split(",").some((t) => t.trim() === headers.etag || t.trim() === "*")) {
            return HttpServerResponse.empty({ status: 304, headers })
          }
          const presigned = yield* store.presign(info).pipe(Effect.catchTag("StoreError", storeFailed))
          if (presigned !== undefined) {
            return HttpServerResponse.redirect(presigned, { status: 302, headers: { "cache-control": "no-store" } })
          }
          const bytes = yield* store.read(params.file).pipe(Effect.catchTag("StoreError", storeFailed))
          return HttpServerResponse.uint8Array(bytes, { contentType: info.mediaType, headers })
        })
      )
    })
  )

/** The handlers of the batch jobs API (`/jobs`). */
export const JobsHandlers = () =>
  HttpApiBuilder.group(Api.Api, "jobs", (handlers) =>
    Effect.succeed(
      handlers
        .handleRaw("submit", ({ request, query }) =>
          Effect.gen(function* () {
            const data = yield* JobFlow.submit(request, query.appkey)
            return HttpServerResponse.jsonUnsafe(jobEnvelope(data, yield* now), { status: 202 })
          })
        )
        .handle("status", ({ request, params }) =>
          Effect.gen(function* () {
            const data = yield* JobFlow.status(request, params.id)
            return jobEnvelope(data, yield* now)
          })
        )
    )
  )

/** The probes: `/healthz` (the process answers) and `/readyz` (models loaded, dependencies up). */
export const OpsHandlers = () =>
  HttpApiBuilder.group(Api.Api, "ops", (handlers) =>
    Effect.gen(function* () {
      const queue = yield* OcrQueue
      const metrics = yield* Metrics
      const jobs = yield* JobQueue
      const checks = [
        (yield* KeyStore).check,
        (yield* RateLimiter).check,
        (yield* DocumentStore).check,
        queue.check,
        jobs.check
      ]
      return handlers
        .handle("healthz", () => Effect.succeed({ status: "ok" as const }))
        .handle("readyz", () =>
          Effect.gen(function* () {
            const dependencies = yield* Effect.all(checks, { concurrency: "unbounded" })
            const down = dependencies.filter((d) => !d.ok)
            if (down.length > 0) {
              return yield* fail(
                ApiError.Unavailable,
                `not ready: ${down.map((d) => `${d.name} (${d.backend}): ${d.message ?? "down"}`).join("; ")}`
              )
            }
            const stats = yield* queue.stats
            if (stats.readyWorkers === 0) {
              return yield* fail(
                ApiError.Unavailable,
                `the OCR models are still loading (0 of ${stats.workers} workers ready); retry in a few seconds.`
              )
            }
            return { status: "ready" as const, dependencies }
          })
        )
        .handle("metrics", () =>
          Effect.gen(function* () {
            const stats = yield* queue.stats
            return metrics.render(stats, yield* jobs.counts)
          })
        )
    })
  )

/**
 * All handler groups. A function, so that every server gets its own layers:
 * layers are memoised by identity, and two servers in one process (tests)
 * must not share handlers built over the other's services.
 */
export const layer = () =>
  Layer.mergeAll(Ocr2WordHandlers(), PreviewHandlers(), FilesHandlers(), JobsHandlers(), OpsHandlers())
