/**
 * A client of the async batch endpoints of our server (`POST /jobs`,
 * `GET /jobs/:id`): submit several images at once, wait for the job, and
 * download each Word file. The commercial service has no such endpoints.
 *
 * Failures are the same tagged `ClientError`s as `Ocr2WordClient`'s, by the
 * envelope's code. A submission is retried only when it was refused before
 * anything was queued (429/102, honouring `Retry-After`, or a refused
 * connection), so a retry never queues a job twice; status polls and
 * downloads are retried on any transient failure.
 *
 * @since 0.1.0
 */
import { Jobs } from "@ocr2word/http-api"
import { Context, Effect, Layer, Redacted, Schedule } from "effect"
import * as ClientError from "./ClientError.ts"

/** Where the server is and its key. */
export interface JobsClientOptions {
  readonly baseUrl: string
  readonly appkey?: Redacted.Redacted<string> | string
  /** Time of one request. Default 120 000 ms (a big upload). */
  readonly timeout?: number
}

/** An image file to submit. */
export interface JobFile {
  readonly bytes: Uint8Array
  readonly name: string
}

/**
 * The batch jobs API of an ocr2word server (`POST /jobs`): submit images, poll or wait for each job, download
 * the results.
 */
export class JobsClient extends Context.Service<
  JobsClient,
  {
    readonly submit: (
      files: ReadonlyArray<JobFile>,
      options?: { readonly webhook?: string }
    ) => Effect.Effect<Jobs.JobData, ClientError.ServiceError>
    readonly status: (statusUrl: string) => Effect.Effect<Jobs.JobData, ClientError.ServiceError>
    /** Poll until the job is finished (done, partial or failed). */
    readonly wait: (
      job: Jobs.JobData,
      options?: { readonly pollMillis?: number; readonly onProgress?: (job: Jobs.JobData) => Effect.Effect<void> }
    ) => Effect.Effect<Jobs.JobData, ClientError.ServiceError>
    readonly download: (wordUrl: string) => Effect.Effect<Uint8Array, ClientError.ServiceError>
  }
>()("@ocr2word/client/JobsClient") {}

interface Answer {
  readonly status: number
  readonly retryAfter: number | undefined
  readonly body: unknown
}

const byCode = (answer: Answer, attempts: number): ClientError.ServiceError => {
  const envelope = answer.body as { DataStatus?: { StatusCode?: number; StatusDescription?: string } } | undefined
  const code = envelope?.DataStatus?.StatusCode
  const description = envelope?.DataStatus?.StatusDescription
  const fields = {
    message: description ?? `HTTP ${answer.status}`,
    httpStatus: answer.status,
    attempts,
    ...(code !== undefined ? { statusCode: code } : {}),
    ...(description !== undefined ? { description } : {})
  }
  switch (code) {
    case 101:
      return new ClientError.BadParameter(fields)
    case 102:
      return new ClientError.RateLimited({
        ...fields,
        ...(answer.retryAfter !== undefined ? { retryAfterMillis: answer.retryAfter * 1000 } : {})
      })
    case 103:
      return new ClientError.AccountInArrears(fields)
    case 104:
      return new ClientError.BadAppKey(fields)
    case 110:
      return new ClientError.Upstream(fields)
    default:
      return new ClientError.MalformedResponse({
        reason: "NotEnvelope",
        message: `the server answered HTTP ${answer.status} without the envelope`,
        httpStatus: answer.status,
        attempts
      })
  }
}

/** A `JobsClient` for the server at `options.baseUrl`. */
export const make = (options: JobsClientOptions) => {
  const base = options.baseUrl.replace(/\/+$/, "")
  const key =
    options.appkey === undefined
      ? undefined
      : Redacted.isRedacted(options.appkey)
        ? Redacted.value(options.appkey)
        : options.appkey
  const timeout = options.timeout ?? 120_000

  const request = (url: string, init: RequestInit, attempts: number) =>
    Effect.tryPromise({
      try: async (): Promise<Answer> => {
        const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeout) })
        const text = await response.text()
        let body: unknown
        try {
          body = JSON.parse(text)
        } catch {
          body = undefined
        }
        const retryAfter = Number(response.headers.get("retry-after") ?? "NaN")
        return { status: response.status, retryAfter: Number.isFinite(retryAfter) ? retryAfter : undefined, body }
      },
      catch: (cause) =>
        new ClientError.Transport({
          reason:
            (cause as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED"
              ? "ConnectionRefused"
              : (cause as Error).name === "TimeoutError"
                ? "Timeout"
                : "Network",
          message: `${url.replace(/appkey=[^&]+/, "appkey=***")}: ${(cause as Error).message}`,
          attempts
        })
    })

  /** Retries `attempt` while `retryable` says so, waiting at least what Retry-After asks. */
  const withRetries = <A>(
    attempt: (n: number) => Effect.Effect<A, ClientError.ServiceError>,
    retryable: (e: ClientError.ServiceError) => boolean
  ) => {
    let n = 0
    return Effect.suspend(() => attempt(++n)).pipe(
      Effect.retry({
        while: retryable,
        times: 5,
        schedule: Schedule.exponential("500 millis")
      })
    )
  }

  const envelope = (url: string, init: RequestInit, ok: number, attempts: number) =>
    Effect.flatMap(request(url, init, attempts), (answer) =>
      answer.status === ok && (answer.body as { Data?: unknown })?.Data != null
        ? Effect.succeed((answer.body as { Data: Jobs.JobData }).Data)
        : Effect.fail(byCode(answer, attempts))
    )

  const submit = (files: ReadonlyArray<JobFile>, submitOptions: { readonly webhook?: string } = {}) =>
    withRetries(
      (n) => {
        const body = new FormData()
        for (const file of files) body.append("file", new Blob([new Uint8Array(file.bytes)]), file.name)
        if (submitOptions.webhook !== undefined) body.append("webhook", submitOptions.webhook)
        const query = key === undefined ? "" : `?appkey=${encodeURIComponent(key)}`
        return envelope(`${base}${Jobs.JobsPath}${query}`, { method: "POST", body }, 202, n)
      },
      // Refused before anything was queued: safe to send again.
      (e) => e._tag === "RateLimited" || (e._tag === "Transport" && e.reason === "ConnectionRefused")
    )

  const transient = (e: ClientError.ServiceError) =>
    e._tag === "RateLimited" || e._tag === "Transport" || e._tag === "Upstream"

  const status = (statusUrl: string) => withRetries((n) => envelope(statusUrl, { method: "GET" }, 200, n), transient)

  const wait = (
    job: Jobs.JobData,
    waitOptions: { readonly pollMillis?: number; readonly onProgress?: (job: Jobs.JobData) => Effect.Effect<void> } = {}
  ) =>
    Effect.gen(function* () {
      let current = job
      while (!Jobs.isFinished(current.Status)) {
        yield* Effect.sleep(waitOptions.pollMillis ?? 500)
        current = yield* status(job.StatusUrl)
        if (waitOptions.onProgress !== undefined) yield* waitOptions.onProgress(current)
      }
      return current
    })

  const download = (wordUrl: string) =>
    withRetries(
      (n) =>
        Effect.tryPromise({
          try: async () => {
            const response = await fetch(wordUrl, { signal: AbortSignal.timeout(timeout) })
            if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status })
            return new Uint8Array(await response.arrayBuffer())
          },
          catch: (cause) =>
            new ClientError.Transport({
              reason: "Network",
              message: `downloading ${wordUrl}: ${(cause as Error).message}`,
              attempts: n
            })
        }),
      transient
    )

  return JobsClient.of({ submit, status, wait, download })
}

/** `JobsClient` for the server at `options.baseUrl`. */
export const layer = (options: JobsClientOptions): Layer.Layer<JobsClient> => Layer.succeed(JobsClient, make(options))
