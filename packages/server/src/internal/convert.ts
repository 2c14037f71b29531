/**
 * The conversion flow shared by the keyed endpoint, the demo and the preview:
 * rate limit -> body -> key -> exactly one image -> bytes (fetch or decode) ->
 * sniff -> queue -> store. Every failure becomes an `ApiError` with the
 * contract's status and custom code and a description a client can act on.
 * The preview alone also takes PDFs (one Word file, a section per page) and
 * can be told when its input is queued and as each page starts.
 */
import { DocumentWriter, ImageFormat } from "@ocr2word/core"
import { ApiError, Envelope } from "@ocr2word/http-api"
import { Effect, Option } from "effect"
import type { HttpServerRequest } from "effect/http"
import { DocumentStore, type StoredFile } from "../DocumentStore.ts"
import { ImageFetcher } from "../ImageFetcher.ts"
import { type KeyInfo, KeyStore } from "../KeyStore.ts"
import { Metrics } from "../Metrics.ts"
import { OcrQueue, type OcrResult } from "../OcrQueue.ts"
import { clientIp, RateLimiter } from "../RateLimiter.ts"
import { Settings } from "../ServerConfig.ts"
import { decodeBase64, type Fields, readFields } from "./image-input.ts"

export type Mode = "api" | "demo" | "preview"

export interface Converted {
  readonly result: OcrResult
  readonly stored: StoredFile
  readonly fileUrl: string
  readonly sourceUrl?: string
  readonly key?: KeyInfo
}

const docxType = DocumentWriter.DocxMediaType

const unaccepted: ReadonlySet<ImageFormat.SniffedFormat> = new Set(["pdf", "ico", "psd", "jxl"])
/** The preview reads PDFs too (the CLI's PDF input: its page and pixel limits, its errors). */
const unacceptedInPreview: ReadonlySet<ImageFormat.SniffedFormat> = new Set(["ico", "psd", "jxl"])

/** `ResponseDateTime` for now. */
export const now: Effect.Effect<string, never, Settings> = Effect.gen(function* () {
  const settings = yield* Settings
  return Envelope.formatDateTime(new Date(), settings.timeZone)
})

/** Fail with an API error of the given class. */
export const fail = <E extends ApiError.ApiError>(
  kind: new (props: { readonly DataStatus: Envelope.DataStatus; readonly Data: null }) => E,
  description: string
): Effect.Effect<never, E, Settings> =>
  Effect.flatMap(now, (time) => Effect.fail(ApiError.make(kind, description, time)))

/** Fail with 429/102, the client told to retry after `seconds` (the error carries them to the Retry-After header). */
export const failRateLimited = (
  description: string,
  seconds: number
): Effect.Effect<never, ApiError.RateLimited, Settings> =>
  Effect.flatMap(now, (time) => Effect.fail(ApiError.rateLimited(description, time, seconds)))

const header = (request: HttpServerRequest.HttpServerRequest, name: string) => {
  const v = request.headers[name]
  return typeof v === "string" ? v : undefined
}

/** The client's address, believing X-Forwarded-For only from trusted proxies. */
export const clientOf = (request: HttpServerRequest.HttpServerRequest, trustedProxies: ReadonlyArray<string>) =>
  clientIp(Option.getOrUndefined(request.remoteAddress), header(request, "x-forwarded-for"), trustedProxies)

/** Scheme and host the client used, for absolute file URLs. */
export const baseUrl = (request: HttpServerRequest.HttpServerRequest, settings: Settings["Service"]) => {
  if (settings.publicUrl !== undefined) return settings.publicUrl.replace(/\/+$/, "")
  const peer = Option.getOrUndefined(request.remoteAddress)
  const viaProxy =
    peer !== undefined &&
    settings.trustedProxies.map((p) => clientIp(p, undefined, [])).includes(clientIp(peer, undefined, []))
  const proto =
    (viaProxy ? header(request, "x-forwarded-proto")?.split(",")[0]?.trim() : undefined) ??
    (settings.tlsCert !== undefined ? "https" : "http")
  const host =
    (viaProxy ? header(request, "x-forwarded-host")?.split(",")[0]?.trim() : undefined) ??
    header(request, "host") ??
    `localhost:${settings.port}`
  return `${proto}://${host}`
}

/** Refuse the request when its client is over the rate of `bucket`. */
export const limit = (request: HttpServerRequest.HttpServerRequest, bucket: "api" | "demo") =>
  Effect.gen(function* () {
    const settings = yield* Settings
    const limiter = yield* RateLimiter
    const metrics = yield* Metrics
    const ip = clientOf(request, settings.trustedProxies)
    const decision = yield* limiter
      .take(bucket, ip)
      .pipe(Effect.catchTag("RateLimiterError", (e) => fail(ApiError.Unavailable, e.message)))
    if (!decision.allowed) {
      metrics.rejected("rate_limit")
      const rate = bucket === "api" ? settings.rateLimit : settings.demoRateLimit
      return yield* failRateLimited(
        `more than ${rate} requests per second from ${ip}; slow down and retry after ${decision.retryAfterSeconds} s (see Retry-After).`,
        decision.retryAfterSeconds
      )
    }
  })

/**
 * Failed key attempts per client IP: a burst of `badKeyBurst`, then one more
 * every `1 / badKeyRate` seconds. Past that, the IP's requests are refused
 * with 429/102 before their key is even looked at, so guessing keys gains
 * nothing (a right guess would get the same 429) until the bucket refills.
 */
export const badKeyBurst = 20
export const badKeyRate = 1 / 3

/** IPs over the failed-key limit on this node, with when their next attempt is allowed. */
const badKeyBlocked = new Map<string, number>()

const badKeyRefusal = (ip: string, seconds: number) =>
  failRateLimited(
    `too many requests with an invalid appkey from ${ip} (more than ${badKeyBurst}, then one every ${Math.round(1 / badKeyRate)} s); check your appkey and retry after ${seconds} s (see Retry-After).`,
    seconds
  )

/** Check a key and count one call, with the contract's answers for a refused key and the failed-attempt limit. */
export const authorize = (given: string | undefined, request?: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function* () {
    const keys = yield* KeyStore
    const metrics = yield* Metrics
    const settings = yield* Settings
    const ip = request === undefined ? undefined : clientOf(request, settings.trustedProxies)
    if (ip !== undefined && request !== undefined) {
      const until = badKeyBlocked.get(ip)
      if (until !== undefined && until > Date.now()) {
        const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000))
        metrics.rejected("bad_key_limit")
        return yield* badKeyRefusal(ip, seconds)
      }
      if (until !== undefined) badKeyBlocked.delete(ip)
    }
    const key = yield* keys.authorize(given).pipe(
      Effect.catchTags({
        KeyRejected: (e) =>
          Effect.gen(function* () {
            if ((e.reason === "Missing" || e.reason === "Unknown") && ip !== undefined && request !== undefined) {
              const limiter = yield* RateLimiter
              const decision = yield* limiter
                .take("badkey", ip)
                .pipe(Effect.catchTag("RateLimiterError", (err) => fail(ApiError.Unavailable, err.message)))
              if (!decision.allowed) {
                if (badKeyBlocked.size > 100_000) badKeyBlocked.clear()
                badKeyBlocked.set(ip, Date.now() + decision.retryAfterSeconds * 1000)
                metrics.rejected("bad_key_limit")
                return yield* badKeyRefusal(ip, decision.retryAfterSeconds)
              }
            }
            return yield* e.reason === "Missing" || e.reason === "Unknown"
              ? fail(ApiError.InvalidAppKey, e.message)
              : fail(ApiError.AccessDenied, e.message)
          }),
        KeyStoreError: (e) =>
          e.reason === "Unavailable"
            ? fail(ApiError.Unavailable, e.message)
            : Effect.logError("key database failed", e.message).pipe(
                Effect.andThen(
                  fail(
                    ApiError.InternalError,
                    e.reason === "DiskFull"
                      ? "the key database could not be updated: the server's disk is full; retry later."
                      : "the key database is unavailable; retry later."
                  )
                )
              )
      })
    )
    metrics.keyCall(key.id)
    return key
  })

/** Give back a key's counted call: the conversion it paid for did not succeed. */
export const refund = (key: KeyInfo) =>
  Effect.flatMap(KeyStore, (keys) =>
    keys
      .refund(key.id)
      .pipe(
        Effect.catchTag("KeyStoreError", (e) =>
          Effect.logWarning("could not give back a failed call", key.id, e.message)
        )
      )
  )

/** Refuse bytes that are empty, over the limit or not an image (or, with `pdf`, a PDF) in a supported format. */
export const checkImage = (bytes: Uint8Array, maxImage: number, what = "the image", pdf = false) =>
  Effect.gen(function* () {
    if (bytes.byteLength === 0)
      return yield* fail(ApiError.InvalidParameter, `${what} is empty (0 bytes); send the image's content.`)
    if (bytes.byteLength > maxImage) {
      return yield* fail(
        ApiError.InvalidParameter,
        `${what} is ${bytes.byteLength} bytes; the limit is ${maxImage} bytes. Send a smaller image.`
      )
    }
    const format = ImageFormat.sniff(bytes)
    // PDFs and the formats the decoder names but cannot read are refused here, before queueing.
    if (format === undefined || (pdf ? unacceptedInPreview : unaccepted).has(format)) {
      return yield* fail(
        ApiError.InvalidParameter,
        `${what === "the image" ? "the data" : what} is not ${pdf ? "a PDF or " : ""}an image in a supported format (JPEG, PNG, WebP, GIF, TIFF, BMP, AVIF/HEIF); check that you sent the image's bytes, not a web page or text.`
      )
    }
  })

/** Fetch an imageurl, with the contract's answers for each failure. */
export const fetchImage = (url: string, maxImage: number) =>
  Effect.flatMap(ImageFetcher, (fetcher) =>
    fetcher
      .fetch(url, maxImage)
      .pipe(
        Effect.catchTag("FetchError", (e) =>
          e.reason === "Timeout" || e.reason === "Upstream"
            ? fail(ApiError.UpstreamError, e.message)
            : fail(ApiError.InvalidParameter, e.message)
        )
      )
  )

/**
 * Requests per client IP a node works on at once (reading the body,
 * fetching, converting); more are refused with 429/102. The rate limit caps
 * how fast requests arrive; this caps how many slow ones (slow uploads,
 * slow imageurl hosts, queued conversions) one client can hold open.
 */
export const maxConcurrentPerIp = 8

const inFlight = new Map<string, number>()

/** Run `effect` as one of the IP's concurrent requests, or refuse it when it already has `maxConcurrentPerIp`. */
const oneOfConcurrent = <A, E, R>(request: HttpServerRequest.HttpServerRequest, effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    const ip = clientOf(request, settings.trustedProxies)
    const current = inFlight.get(ip) ?? 0
    if (current >= maxConcurrentPerIp) {
      ;(yield* Metrics).rejected("concurrency")
      return yield* failRateLimited(
        `${ip} already has ${current} requests in progress (the limit is ${maxConcurrentPerIp}); wait for one to finish and retry after 1 s (see Retry-After).`,
        1
      )
    }
    inFlight.set(ip, current + 1)
    return yield* effect.pipe(
      Effect.ensuring(
        Effect.sync(() => {
          const left = (inFlight.get(ip) ?? 1) - 1
          if (left <= 0) inFlight.delete(ip)
          else inFlight.set(ip, left)
        })
      )
    )
  })

/** Where a conversion is: checked and queued, or at page `page` (from 1) of `pages`. */
export type Progress =
  | { readonly stage: "queued" }
  | { readonly stage: "page"; readonly page: number; readonly pages: number }

/** The key given in the query string, the image used when none is sent (demo), and who hears of the progress. */
export interface ConvertOptions {
  readonly queryKey?: string | undefined
  readonly sample?: Effect.Effect<Uint8Array>
  readonly onProgress?: (progress: Progress) => void
}

/** Run a conversion of the request's image. `sample` is used when no image is given (demo). */
export const convert = (request: HttpServerRequest.HttpServerRequest, mode: Mode, options: ConvertOptions) =>
  Effect.andThen(
    limit(request, mode === "api" ? "api" : "demo"),
    oneOfConcurrent(request, convertRequest(request, mode, options))
  )

const convertRequest = (request: HttpServerRequest.HttpServerRequest, mode: Mode, options: ConvertOptions) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    const maxImage = mode === "api" ? settings.maxImageBytes : settings.demoMaxImageBytes
    const fields = yield* readFields(request, Math.ceil((maxImage * 4) / 3) + 64 * 1024).pipe(
      Effect.catchTag("InputError", (e) =>
        e.reason === "UnsupportedMediaType"
          ? fail(ApiError.UnsupportedMediaType, e.message)
          : fail(ApiError.InvalidParameter, e.message)
      )
    )

    if (mode !== "api") return yield* convertImage(request, fields, maxImage, { ...options, pdf: mode === "preview" })
    const key = yield* authorize(
      options.queryKey !== undefined && options.queryKey !== "" ? options.queryKey : fields.appkey,
      request
    )
    // The call was counted atomically against the quota (so no two requests pass it);
    // a conversion that then fails, for whatever reason, gets its call back.
    const converted = yield* convertImage(request, fields, maxImage, options).pipe(Effect.onError(() => refund(key)))
    return { ...converted, key } satisfies Converted
  })

const convertImage = (
  request: HttpServerRequest.HttpServerRequest,
  fields: Fields,
  maxImage: number,
  options: Omit<ConvertOptions, "queryKey"> & { readonly pdf?: boolean }
) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    const queue = yield* OcrQueue
    const store = yield* DocumentStore
    const metrics = yield* Metrics
    const url = fields.imageurl?.trim() ?? ""
    const b64 = fields.imagebase64?.trim() ?? ""
    const count = (url !== "" ? 1 : 0) + (b64 !== "" ? 1 : 0) + (fields.file !== undefined ? 1 : 0)
    if (count > 1) {
      return yield* fail(
        ApiError.InvalidParameter,
        "more than one image was given (imageurl, imagebase64, file); send exactly one of them."
      )
    }
    let bytes: Uint8Array
    let sourceUrl: string | undefined
    let source: string | undefined
    if (url !== "") {
      sourceUrl = fields.imageurl!
      source = url
      bytes = (yield* fetchImage(url, maxImage)).bytes
    } else if (b64 !== "") {
      bytes = yield* decodeBase64(b64).pipe(
        Effect.catchTag("InputError", (e) => fail(ApiError.InvalidParameter, e.message))
      )
    } else if (fields.file !== undefined) {
      bytes = fields.file.bytes
      source = fields.file.name
    } else if (options.sample !== undefined) {
      bytes = yield* options.sample
      source = "demo-sample.png"
    } else {
      return yield* fail(
        ApiError.InvalidParameter,
        "no image was given: send imageurl (an http(s) URL) or imagebase64 (the image bytes in base64) as a form field, or upload a file part named file."
      )
    }
    yield* checkImage(bytes, maxImage, "the image", options.pdf === true)

    const onProgress = options.onProgress
    onProgress?.({ stage: "queued" })
    const result = yield* queue
      .submit(bytes, {
        ...(source !== undefined ? { source } : {}),
        timeoutMs: settings.timeoutMs,
        ...(onProgress !== undefined ? { onPage: (page, pages) => onProgress({ stage: "page", page, pages }) } : {})
      })
      .pipe(
        Effect.catchTag("OcrError", (e) => {
          switch (e.reason) {
            case "QueueFull":
              metrics.rejected("queue_full")
              return failRateLimited(e.message, e.retryAfterSeconds ?? 1)
            case "BadImage":
              return fail(ApiError.InvalidParameter, e.message)
            case "NotReady":
              return fail(ApiError.Unavailable, `${e.message}; retry later.`)
            case "Timeout":
              metrics.rejected("timeout")
              return fail(ApiError.InternalError, e.message)
            case "OutOfMemory":
              metrics.rejected("out_of_memory")
              return fail(ApiError.InternalError, e.message)
            case "Upstream":
              return fail(ApiError.UpstreamError, e.message)
            default:
              // The details stay in the log; the client gets no internals.
              return Effect.logError("conversion failed", e.message).pipe(
                Effect.andThen(
                  fail(
                    ApiError.InternalError,
                    "the conversion failed inside the server; retry later or report the image."
                  )
                )
              )
          }
        })
      )
    metrics.stages({ ...result.timings, "queue.wait": result.waitedMs })
    // The shared queue's workers store the file themselves (idempotently); local workers hand back the bytes.
    const stored = yield* (
      result.stored !== undefined
        ? store.stat(result.stored.file)
        : store.put(result.bytes, { extension: "docx", mediaType: docxType })
    ).pipe(
      Effect.catchTag("StoreError", (e) =>
        e.reason === "Unavailable"
          ? fail(ApiError.Unavailable, e.message)
          : Effect.logError("storing the Word file failed", e.message).pipe(
              Effect.andThen(
                fail(
                  ApiError.InternalError,
                  e.reason === "DiskFull"
                    ? "the Word file could not be stored: the server's disk is full (nothing was kept); retry later."
                    : "the Word file could not be stored; retry later."
                )
              )
            )
      )
    )
    const fileUrl = `${baseUrl(request, settings)}/files/${stored.name}`
    return {
      result,
      stored,
      fileUrl,
      ...(sourceUrl !== undefined ? { sourceUrl } : {})
    } satisfies Converted
  })
