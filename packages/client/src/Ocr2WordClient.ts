/**
 * A typed client of the ocr2word contract (`POST /imagerecognition/ocr2word`):
 * submit an image by URL, base64 or file upload, get the Word file's URL back,
 * download the .docx. It works against the commercial service
 * (`https://api.gugudata.com` and a paid `appkey`) and against our own server
 * alike; only the base URL and key differ.
 *
 * What it does for you, all configurable through `ClientOptions`:
 * - a connect timeout and a per-attempt total timeout;
 * - retries with exponential backoff and jitter on HTTP 429, 5xx, custom codes
 *   102/110 and connection failures, waiting at least what `Retry-After` asks,
 *   and never retrying 400/401/403 or codes 101/103/104;
 * - a client-side limiter keeping to the documented 5 requests per second;
 * - every failure as a tagged `ClientError`;
 * - the appkey kept `Redacted`: it is sent in the query string as the contract
 *   says, but never appears in a message, a log line or a span attribute.
 *
 * Use `Ocr2WordClient.layer(options)` for Node (undici with the connect
 * timeout), or `layerHttpClient(options)` to bring your own `HttpClient`.
 *
 * @since 0.1.0
 */
import { NodeHttpClient } from "@effect/platform-node"
import { OptionDecoding } from "@ocr2word/core"
import { Api } from "@ocr2word/http-api"
import { Context, Effect, Layer, Random, Redacted, Schema } from "effect"
import { HttpClient, HttpClientRequest, type HttpClientResponse } from "effect/http"
import * as ClientError from "./ClientError.ts"
import { backoffDelay, parseRetryAfter } from "./internal/backoff.ts"
import { makeRateGate } from "./internal/rate-gate.ts"
import { type Converted, classify, type Outcome } from "./internal/response-classification.ts"
import { describeTransportFailure } from "./internal/transport-failure.ts"

/** The commercial service the contract comes from. */
export const COMMERCIAL_BASE_URL = "https://api.gugudata.com"

/** The conversion endpoint's path, from the API definition. */
export const ENDPOINT_PATH = Api.ConvertPath

const Millis = Schema.Number.check(Schema.isGreaterThan(0))
const HttpUrl = Schema.String.check(
  Schema.makeFilter((s: string) => {
    try {
      const url = new URL(s)
      return url.protocol === "http:" || url.protocol === "https:"
    } catch {
      return false
    }
  })
)

/** Options of a client. Durations are in milliseconds. */
export const ClientOptions = Schema.Struct({
  /** Where the service runs, e.g. `https://api.gugudata.com` or `http://127.0.0.1:8080`. */
  baseUrl: HttpUrl.annotateKey({ expected: "an http or https URL" }),
  /** The key, sent as the `appkey` query parameter. Optional for servers that need none (the demo). */
  appkey: OptionDecoding.optional(
    Schema.Union([Schema.String.check(Schema.isNonEmpty()), Schema.Redacted(Schema.String)]),
    "a non-empty string"
  ),
  /** Path of the conversion endpoint. Default `/imagerecognition/ocr2word`. */
  path: OptionDecoding.optional(Schema.String.check(Schema.isPattern(/^\//)), "a path starting with '/'"),
  /** Time to open a connection. Default 10 000. */
  connectTimeout: OptionDecoding.optional(Millis, "a positive number of milliseconds"),
  /** Time for one attempt, from sending to the last byte of the answer. Default 120 000 (OCR is slow). */
  timeout: OptionDecoding.optional(Millis, "a positive number of milliseconds"),
  /** Retries after the first attempt. Default 4. */
  retries: OptionDecoding.integerBetween(0, 20),
  /** First backoff step; each retry doubles it. Default 500. */
  baseDelay: OptionDecoding.optional(Millis, "a positive number of milliseconds"),
  /** Largest backoff step. Default 20 000. */
  maxDelay: OptionDecoding.optional(Millis, "a positive number of milliseconds"),
  /** A `Retry-After` longer than this is not waited for: the call fails at once. Default 60 000. */
  maxRetryAfter: OptionDecoding.optional(
    Schema.Number.check(Schema.isGreaterThanOrEqualTo(0)),
    "a number of milliseconds >= 0"
  ),
  /** Request starts per second allowed by the client-side limiter; 0 turns it off. Default 5, as documented. */
  qps: OptionDecoding.optional(Schema.Number.check(Schema.isGreaterThanOrEqualTo(0)), "a number >= 0")
})
export type ClientOptions = typeof ClientOptions.Encoded

/** Options with every default filled in. */
export interface ResolvedOptions {
  readonly baseUrl: string
  readonly appkey: Redacted.Redacted<string> | undefined
  readonly path: string
  readonly connectTimeout: number
  readonly timeout: number
  readonly retries: number
  readonly baseDelay: number
  readonly maxDelay: number
  readonly maxRetryAfter: number
  readonly qps: number
}

/** Decode client options and fill in the defaults. */
export const resolveOptions = (input: unknown): Effect.Effect<ResolvedOptions, ClientError.InvalidOptions> =>
  OptionDecoding.decode(ClientOptions, input, ({ message }) => new ClientError.InvalidOptions({ message })).pipe(
    Effect.map((o) => ({
      baseUrl: o.baseUrl.replace(/\/+$/, ""),
      appkey:
        o.appkey === undefined
          ? undefined
          : Redacted.isRedacted(o.appkey)
            ? o.appkey
            : Redacted.make(o.appkey, { label: "appkey" }),
      path: o.path ?? ENDPOINT_PATH,
      connectTimeout: o.connectTimeout ?? 10_000,
      timeout: o.timeout ?? 120_000,
      retries: o.retries ?? 4,
      baseDelay: o.baseDelay ?? 500,
      maxDelay: o.maxDelay ?? 20_000,
      maxRetryAfter: o.maxRetryAfter ?? 60_000,
      qps: o.qps ?? 5
    }))
  )

/** An image to convert: by URL, as base64 (a data-URI prefix is fine) or as file bytes (sent as multipart). */
export type ImageInput =
  | { readonly imageUrl: string }
  | { readonly imageBase64: string }
  | { readonly file: Uint8Array; readonly fileName?: string; readonly mediaType?: string }

/** A finished conversion. */
export interface Conversion {
  /** `Data.ResultWordFileUrl`: where the .docx can be downloaded. */
  readonly wordUrl: string
  /** `Data.SourceImageUrl`, returned for URL submissions. */
  readonly sourceImageUrl?: string
  /** Requests it took, retries included. */
  readonly attempts: number
}

/**
 * The typed client of the image-to-Word endpoint: `convert` returns the Word file's URL, `download` fetches it,
 * `convertToDocx` does both; failures are `ClientError` values.
 */
export class Ocr2WordClient extends Context.Service<
  Ocr2WordClient,
  {
    /** The service's base URL (no trailing slash). */
    readonly baseUrl: string
    /** Submit an image; succeed with the Word file's URL. */
    readonly convert: (input: ImageInput) => Effect.Effect<Conversion, ClientError.ClientError>
    /** Download a Word file by its URL (relative URLs resolve against the base URL). */
    readonly download: (wordUrl: string) => Effect.Effect<Uint8Array, ClientError.ServiceError>
    /** `convert`, then `download`. */
    readonly convertToDocx: (
      input: ImageInput
    ) => Effect.Effect<{ readonly conversion: Conversion; readonly docx: Uint8Array }, ClientError.ClientError>
  }
>()("@ocr2word/client/Ocr2WordClient") {}

type Step<A> = { readonly _tag: "Ok"; readonly value: A } | Extract<Outcome, { _tag: "Fail" }>

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]

const requestFor = (
  options: ResolvedOptions,
  input: ImageInput
): Effect.Effect<HttpClientRequest.HttpClientRequest, ClientError.InvalidOptions> => {
  let request = HttpClientRequest.post(`${options.baseUrl}${options.path}`).pipe(HttpClientRequest.acceptJson)
  if (options.appkey !== undefined) request = HttpClientRequest.setUrlParam(request, "appkey", options.appkey)
  const invalid = (message: string) => Effect.fail(new ClientError.InvalidOptions({ message }))
  if ("imageUrl" in input) {
    if (typeof input.imageUrl !== "string" || input.imageUrl.trim().length === 0) {
      return invalid(
        `Expected a non-empty http or https URL for imageUrl but received ${OptionDecoding.show(input.imageUrl)}`
      )
    }
    return Effect.succeed(HttpClientRequest.bodyUrlParams(request, { imageurl: input.imageUrl }))
  }
  if ("imageBase64" in input) {
    if (typeof input.imageBase64 !== "string" || input.imageBase64.trim().length === 0) {
      return invalid("Expected a non-empty base64 string for imageBase64 but received an empty value")
    }
    return Effect.succeed(HttpClientRequest.bodyUrlParams(request, { imagebase64: input.imageBase64 }))
  }
  if ("file" in input && input.file instanceof Uint8Array) {
    if (input.file.length === 0) return invalid("Expected image bytes for file but received an empty Uint8Array")
    const form = new FormData()
    const blob = new Blob([input.file as Uint8Array<ArrayBuffer>], {
      type: input.mediaType ?? "application/octet-stream"
    })
    form.append("file", blob, input.fileName ?? "image")
    return Effect.succeed(HttpClientRequest.bodyFormData(request, form))
  }
  return invalid("Expected an object with imageUrl, imageBase64 or file for the image but received none of them")
}

/** A client over the `HttpClient` in context. */
export const make = Effect.fn("Ocr2WordClient.make")(function* (options: ClientOptions) {
  const opts = yield* resolveOptions(options)
  const http = yield* HttpClient.HttpClient
  const gate = yield* makeRateGate(opts.qps, 1000)
  const endpoint = `POST ${opts.baseUrl}${opts.path}`

  /**
   * One request with the limiter, the timeout and the retries. `read` turns a
   * response into a value or a classified failure.
   */
  const exchange = <A>(
    what: string,
    request: HttpClientRequest.HttpClientRequest,
    read: (response: HttpClientResponse.HttpClientResponse) => Effect.Effect<Step<A>, unknown>
  ) =>
    Effect.gen(function* () {
      for (let attempt = 1; ; attempt++) {
        const once = http.execute(request).pipe(
          Effect.flatMap(read),
          Effect.catch((error): Effect.Effect<Step<A>> => {
            const { reason, detail } = describeTransportFailure(what, error)
            return Effect.succeed({
              _tag: "Fail",
              retry: true,
              error: (attempts) =>
                new ClientError.Transport({
                  reason,
                  message: `${capitalise(detail)} (${attempts} ${plural(attempts)})`,
                  attempts
                })
            })
          }),
          Effect.timeoutOrElse({
            duration: opts.timeout,
            orElse: (): Effect.Effect<Step<A>> =>
              Effect.succeed({
                _tag: "Fail",
                retry: true,
                error: (attempts) =>
                  new ClientError.Transport({
                    reason: "Timeout",
                    message: `${what} did not answer within ${opts.timeout} ms (${attempts} ${plural(attempts)}); raise the timeout option or retry later`,
                    attempts
                  })
              })
          })
        )
        // The limiter's wait is not part of the attempt's time budget.
        yield* gate.take
        const step = yield* once
        if (step._tag === "Ok") return { value: step.value, attempts: attempt }
        const retryAfter = step.retryAfterMillis
        if (!step.retry || attempt > opts.retries || (retryAfter !== undefined && retryAfter > opts.maxRetryAfter)) {
          return yield* Effect.fail(step.error(attempt))
        }
        const jitter = yield* Random.next
        const delay = Math.max(retryAfter ?? 0, backoffDelay(opts, attempt - 1, jitter))
        yield* Effect.logDebug(
          `${what}: ${step.error(attempt)._tag}, retry ${attempt} of ${opts.retries} in ${Math.round(delay)} ms`
        )
        yield* Effect.sleep(delay)
      }
    })

  const readConversion = (response: HttpClientResponse.HttpClientResponse) =>
    Effect.map(
      response.text,
      (body): Step<Converted> =>
        classify(endpoint, response.status, body, parseRetryAfter(response.headers["retry-after"], Date.now()))
    )

  const convert = Effect.fn("Ocr2WordClient.convert")(function* (input: ImageInput) {
    const request = yield* requestFor(opts, input)
    const { value, attempts } = yield* exchange(endpoint, request, readConversion)
    return {
      wordUrl: value.wordUrl,
      ...(value.sourceImageUrl !== undefined ? { sourceImageUrl: value.sourceImageUrl } : {}),
      attempts
    } satisfies Conversion
  })

  const download = Effect.fn("Ocr2WordClient.download")(function* (wordUrl: string) {
    const url = new URL(wordUrl, `${opts.baseUrl}/`).toString()
    const what = `GET ${url}`
    const request = HttpClientRequest.get(url)
    const read = (response: HttpClientResponse.HttpClientResponse) =>
      Effect.map(response.arrayBuffer, (buffer): Step<Uint8Array> => {
        const bytes = new Uint8Array(buffer)
        const status = response.status
        if (status === 200 && ZIP_MAGIC.every((b, i) => bytes[i] === b)) return { _tag: "Ok", value: bytes }
        if (status === 200) {
          return {
            _tag: "Fail",
            retry: false,
            error: (attempts) =>
              new ClientError.MalformedResponse({
                reason: "NotDocx",
                message: `${what} answered ${bytes.length} bytes that are not a .docx (no zip signature)`,
                httpStatus: status,
                attempts
              })
          }
        }
        const retryAfterMillis = parseRetryAfter(response.headers["retry-after"], Date.now())
        const transient = status === 429 || status >= 500
        return {
          _tag: "Fail",
          retry: transient,
          ...(retryAfterMillis !== undefined ? { retryAfterMillis } : {}),
          error: (attempts) =>
            status === 429
              ? new ClientError.RateLimited({
                  message: `${what} answered HTTP 429; retry later`,
                  httpStatus: status,
                  attempts
                })
              : status >= 500
                ? new ClientError.Upstream({
                    message: `${what} answered HTTP ${status}; the file server failed, retry later`,
                    httpStatus: status,
                    attempts
                  })
                : new ClientError.MalformedResponse({
                    reason: "UnexpectedStatus",
                    message: `${what} answered HTTP ${status}; the Word file is not there (${status === 404 ? "unknown or expired URL" : "refused"})`,
                    httpStatus: status,
                    attempts
                  })
        }
      })
    const { value } = yield* exchange(what, request, read)
    return value
  })

  const convertToDocx = Effect.fn("Ocr2WordClient.convertToDocx")(function* (input: ImageInput) {
    const conversion = yield* convert(input)
    const docx = yield* download(conversion.wordUrl)
    return { conversion, docx }
  })

  return Ocr2WordClient.of({ baseUrl: opts.baseUrl, convert, download, convertToDocx })
})

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
const plural = (n: number) => (n === 1 ? "attempt" : "attempts")

/** A client over the `HttpClient` in context (bring your own transport). */
export const layerHttpClient = (
  options: ClientOptions
): Layer.Layer<Ocr2WordClient, ClientError.InvalidOptions, HttpClient.HttpClient> =>
  Layer.effect(Ocr2WordClient, make(options))

/** A client on Node's undici, with the connect timeout applied to every connection. */
export const layer = (options: ClientOptions): Layer.Layer<Ocr2WordClient, ClientError.InvalidOptions> =>
  Layer.unwrap(
    Effect.map(resolveOptions(options), (resolved) =>
      layerHttpClient(options).pipe(
        Layer.provide(NodeHttpClient.layerUndiciOptions({ connect: { timeout: resolved.connectTimeout } }))
      )
    )
  )
