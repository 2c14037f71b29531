/**
 * The client generated from the `@ocr2word/http-api` definition
 * (`HttpApiClient.make`): every endpoint of our own server, typed from the
 * same schemas the server validates with: probes, Word file downloads, the
 * demo, the preview's recognition call, and the conversion endpoint with its
 * failures decoded by HTTP status into the definition's error classes.
 *
 * Use it against ocr2word servers. For the commercial service, and whenever
 * you want timeouts, retries with Retry-After, the 5 QPS limiter and errors
 * per custom code, use `Ocr2WordClient`: the commercial service may answer
 * HTTP 200 with a failure code, or a CDN's HTML page, which a decoder by
 * status cannot read.
 *
 * @since 0.1.0
 */
import { Api } from "@ocr2word/http-api"
import type { Effect } from "effect"
import type { HttpClient } from "effect/http"
import { HttpApiClient } from "effect/http-api"

/** The typed client of the whole ocr2word API. */
export type Client = HttpApiClient.ForApi<typeof Api.Api>

/** The generated client of the whole API at `baseUrl`; needs an `HttpClient`. */
export const make = (baseUrl: string): Effect.Effect<Client, never, HttpClient.HttpClient> =>
  HttpApiClient.make(Api.Api, { baseUrl })
