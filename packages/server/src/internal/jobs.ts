/**
 * The job endpoints' flow: rate limit -> body -> key (one call per image)
 * -> images (files and fetched URLs, each checked as a synchronous call
 * checks its one image) -> webhook check -> the shared queue. Failures are
 * the same `ApiError`s, codes and envelope as the contract endpoint's.
 */
import { ApiError, Jobs } from "@ocr2word/http-api"
import { Effect } from "effect"
import type { HttpServerRequest } from "effect/http"
import { type JobError, type JobImageInput, JobQueue } from "../JobQueue.ts"
import { Metrics } from "../Metrics.ts"
import { Settings } from "../ServerConfig.ts"
import { authorize, baseUrl, checkImage, fail, failRateLimited, fetchImage, limit, refund } from "./convert.ts"
import { type JobFields, readJobFields } from "./image-input.ts"
import * as Webhook from "./webhook.ts"

const jobFailed = (e: JobError) => {
  switch (e.reason) {
    case "NotFound":
      return fail(ApiError.NotFound, e.message)
    case "QueueFull":
      return failRateLimited(e.message, 5)
    default:
      return fail(ApiError.Unavailable, e.message)
  }
}

/** POST /jobs. */
export const submit = (request: HttpServerRequest.HttpServerRequest, queryKey: string | undefined) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    yield* JobQueue
    yield* Metrics
    yield* limit(request, "api")
    const fields = yield* readJobFields(request, Jobs.MaxImages * Math.ceil(settings.maxImageBytes * 1.05)).pipe(
      Effect.catchTag("InputError", (e) =>
        e.reason === "UnsupportedMediaType"
          ? fail(ApiError.UnsupportedMediaType, e.message)
          : fail(ApiError.InvalidParameter, e.message)
      )
    )
    const count = fields.files.length + fields.imageurls.length
    if (count === 0) {
      return yield* fail(
        ApiError.InvalidParameter,
        "no image was given: upload file parts named file (repeat the part for several images) or give imageurl fields."
      )
    }
    if (count > Jobs.MaxImages) {
      return yield* fail(
        ApiError.InvalidParameter,
        `the job has ${count} images; the limit is ${Jobs.MaxImages}. Split it into several jobs.`
      )
    }
    if (fields.webhook !== undefined) {
      const refusal = yield* Effect.promise(() => Webhook.refusal(fields.webhook!, settings.fetchAllow))
      if (refusal !== undefined) return yield* fail(ApiError.InvalidParameter, refusal)
    }
    const given = queryKey !== undefined && queryKey !== "" ? queryKey : fields.appkey
    // A refused key is answered before any image is fetched; each image is one call against the quota.
    const key = yield* authorize(given, request)
    return yield* accept(request, fields, count, given).pipe(Effect.onError(() => refund(key)))
  })

/** The job's images checked and queued; `authorize` has counted the first image's call. */
const accept = (
  request: HttpServerRequest.HttpServerRequest,
  fields: JobFields,
  count: number,
  given: string | undefined
) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    const jobs = yield* JobQueue
    const metrics = yield* Metrics
    const images: Array<JobImageInput> = []
    for (const [i, file] of fields.files.entries()) {
      yield* checkImage(file.bytes, settings.maxImageBytes, `image ${i} (${file.name})`)
      images.push({ bytes: file.bytes, source: file.name })
    }
    const fetched = yield* Effect.forEach(
      fields.imageurls,
      (url) => Effect.map(fetchImage(url, settings.maxImageBytes), (f) => ({ url, bytes: f.bytes })),
      { concurrency: 4 }
    )
    for (const [i, f] of fetched.entries()) {
      yield* checkImage(f.bytes, settings.maxImageBytes, `image ${fields.files.length + i} (${f.url})`)
      images.push({ bytes: f.bytes, source: f.url, sourceUrl: f.url })
    }
    // The other images' calls, counted once every image is known good; a refusal stops the job before anything is queued.
    for (let i = 1; i < count; i++) yield* authorize(given)
    const data = yield* jobs
      .submit(images, {
        baseUrl: baseUrl(request, settings),
        ...(fields.webhook !== undefined ? { webhook: fields.webhook } : {})
      })
      .pipe(Effect.catchTag("JobError", jobFailed))
    metrics.jobSubmitted(images.length)
    return data
  })

/** GET /jobs/:id. */
export const status = (request: HttpServerRequest.HttpServerRequest, id: string) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    const jobs = yield* JobQueue
    return yield* jobs.get(id, baseUrl(request, settings)).pipe(Effect.catchTag("JobError", jobFailed))
  })
