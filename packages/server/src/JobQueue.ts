/**
 * The shared conversion queue on BullMQ (Redis), between the HTTP nodes and
 * the `ocr2word worker` processes (`ConversionWorker`), which scale on their
 * own. Two uses:
 *
 * - `JobQueue`: async batches (`POST /jobs`, `GET /jobs/:id`): one BullMQ
 *   job per image, retried on another worker when one dies mid-image.
 * - `layerOcrQueue`: the synchronous endpoints' `OcrQueue` over the same
 *   queue (`convertViaQueue`), so the workers' capacity is shared by both;
 *   a waiting caller's image goes ahead of batch images (BullMQ priority),
 *   and `queueSize` bounds every waiting image of the queue.
 *
 * Every Redis call is bounded: an unreachable Redis answers `JobError`
 * `Unavailable` (503/110) within seconds, and the connection recovers by
 * itself. Without Redis, `layerDisabled` answers 503/110 saying so.
 *
 * @since 0.1.0
 */

import type { Jobs } from "@ocr2word/http-api"
import { QueueEvents } from "bullmq"
import { Context, Effect, Layer, Schema } from "effect"
import { Redis } from "ioredis"
import * as Dependency from "./Dependency.ts"
import {
  batchIdPattern,
  batchKey,
  type ImageJobData,
  type ImageJobResult,
  imageJobId,
  jobOptions,
  newBatchId,
  parseFailure,
  queueName,
  retentionSeconds
} from "./internal/job-protocol.ts"
import { type BatchRecord, batchStatus, readBatch } from "./internal/job-status.ts"
import * as redisConnection from "./internal/redis.ts"
import { busyMs, OcrError, OcrQueue, type OcrResult } from "./OcrQueue.ts"

/** `NotConfigured` and `Unavailable` are 503/110, `NotFound` 404, `QueueFull` 429/102. */
export class JobError extends Schema.TaggedError<JobError>()("JobError", {
  reason: Schema.Literals(["NotConfigured", "Unavailable", "NotFound", "QueueFull"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/** One image of a new job. */
export interface JobImageInput {
  readonly bytes: Uint8Array
  readonly source?: string
  /** The imageurl it was fetched from, echoed in the status. */
  readonly sourceUrl?: string
}

/** Queue counts, for /metrics. */
export interface JobCounts {
  readonly waiting: number
  readonly active: number
  readonly completed: number
  readonly failed: number
}

/** The queue of batch jobs and queued conversions shared by the nodes and workers (through Redis). */
export class JobQueue extends Context.Service<
  JobQueue,
  {
    readonly submit: (
      images: ReadonlyArray<JobImageInput>,
      options: { readonly webhook?: string; readonly baseUrl: string }
    ) => Effect.Effect<Jobs.JobData, JobError>
    readonly get: (id: string, baseUrl: string) => Effect.Effect<Jobs.JobData, JobError>
    readonly counts: Effect.Effect<JobCounts | undefined>
    readonly check: Effect.Effect<Dependency.Status>
  }
>()("@ocr2word/server/JobQueue") {}

/** Options of the Redis-backed queue. */
export interface RedisOptions {
  readonly url: string
  readonly timeZone: string
  /** Images that may wait before a new job is refused with 429/102. */
  readonly maxWaiting: number
}

/** A BullMQ queue and a plain connection for the batch records, closed with the scope. */
const open = (url: string) =>
  Effect.all({ redis: redisConnection.connect(url), queue: redisConnection.queue(url, queueName) })

const bounded = <A>(where: string, what: string, f: () => Promise<A>, ms = 5_000) =>
  Effect.tryPromise({
    try: () => f(),
    catch: (cause) =>
      new JobError({
        reason: "Unavailable",
        message: `the job queue's ${where} is unavailable during ${what} (${cause instanceof Error ? cause.message : String(cause)}); retry in a few seconds.`,
        cause
      })
  }).pipe(
    Effect.timeoutOrElse({
      duration: ms,
      orElse: () =>
        Effect.fail(
          new JobError({
            reason: "Unavailable",
            message: `the job queue's ${where} did not answer within ${ms / 1000} s during ${what}; retry in a few seconds.`
          })
        )
    })
  )

/** A `JobQueue` on the Redis at `options.url`, closed with the scope. */
export const makeRedis = (options: RedisOptions) =>
  Effect.gen(function* () {
    const { redis, queue } = yield* open(options.url)
    const where = redisConnection.describe(options.url)

    const submit = Effect.fn("JobQueue.submit")(function* (
      images: ReadonlyArray<JobImageInput>,
      submitOptions: { readonly webhook?: string; readonly baseUrl: string }
    ) {
      const waiting = yield* bounded(where, "a count", () => queue.getJobCountByTypes("waiting", "prioritized"))
      if (waiting + images.length > options.maxWaiting) {
        return yield* Effect.fail(
          new JobError({
            reason: "QueueFull",
            message: `the job queue holds ${waiting} waiting images (limit ${options.maxWaiting}); retry later or send fewer images.`
          })
        )
      }
      const id = newBatchId()
      const now = Date.now()
      const sources: Record<string, string> = {}
      images.forEach((image, i) => {
        if (image.sourceUrl !== undefined) sources[String(i)] = image.sourceUrl
      })
      const record: BatchRecord = {
        count: images.length,
        createdAt: now,
        baseUrl: submitOptions.baseUrl,
        ...(submitOptions.webhook !== undefined ? { webhook: submitOptions.webhook } : {}),
        sources
      }
      yield* bounded(where, "recording the job", async () => {
        await redis
          .multi()
          .hset(batchKey(id), {
            count: record.count,
            createdAt: record.createdAt,
            baseUrl: record.baseUrl,
            webhook: record.webhook ?? "",
            sources: JSON.stringify(sources)
          })
          .expire(batchKey(id), retentionSeconds)
          .exec()
      })
      yield* bounded(where, "queueing the images", () =>
        queue.addBulk(
          images.map((image, index) => ({
            name: "convert",
            data: {
              kind: "batch",
              batch: id,
              index,
              image: Buffer.from(image.bytes).toString("base64"),
              ...(image.source !== undefined ? { source: image.source } : {}),
              queuedAt: now
            } satisfies ImageJobData,
            opts: {
              ...jobOptions,
              jobId: imageJobId(id, index),
              priority: 2,
              removeOnComplete: { age: retentionSeconds },
              removeOnFail: { age: retentionSeconds }
            }
          }))
        )
      )
      return yield* bounded(where, "reading the job", () =>
        batchStatus(queue, id, record, submitOptions.baseUrl, options.timeZone)
      )
    })

    const get = Effect.fn("JobQueue.get")(function* (id: string, baseUrl: string) {
      const notFound = new JobError({
        reason: "NotFound",
        message: `no job ${JSON.stringify(id)}; use the JobId that POST /jobs answered (jobs are kept ${retentionSeconds / 86400} days).`
      })
      if (!batchIdPattern.test(id)) return yield* Effect.fail(notFound)
      const record = yield* bounded(where, "reading the job", () => readBatch(redis, id))
      if (record === undefined) return yield* Effect.fail(notFound)
      return yield* bounded(where, "reading the job", () => batchStatus(queue, id, record, baseUrl, options.timeZone))
    })

    const counts = bounded(where, "a count", () => queue.getJobCounts("waiting", "active", "completed", "failed")).pipe(
      Effect.map((c) => ({
        waiting: c.waiting ?? 0,
        active: c.active ?? 0,
        completed: c.completed ?? 0,
        failed: c.failed ?? 0
      })),
      Effect.orElseSucceed(() => undefined)
    )

    const check = Dependency.probe(
      "jobs",
      "redis",
      bounded(where, "a check", () => redis.ping())
    )
    return JobQueue.of({ submit, get, counts, check })
  })

/** Batch jobs on the Redis at `options.url`. */
export const layerRedis = (options: RedisOptions): Layer.Layer<JobQueue> => Layer.effect(JobQueue, makeRedis(options))

/** No Redis configured: the job endpoints answer 503/110 saying what to configure. */
export const layerDisabled: Layer.Layer<JobQueue> = Layer.succeed(
  JobQueue,
  JobQueue.of({
    submit: () => Effect.fail(notConfigured),
    get: () => Effect.fail(notConfigured),
    counts: Effect.succeed(undefined),
    check: Dependency.embedded("jobs", "none")
  })
)

const notConfigured = new JobError({
  reason: "NotConfigured",
  message:
    "batch jobs need Redis and worker processes: start the server with OCR2WORD_REDIS_URL (--redis-url) and run `ocr2word worker`."
})

/**
 * The synchronous endpoints' `OcrQueue` over the shared queue: the request
 * waits for a worker process to convert and store the image. At most
 * `queueSize` images wait (then 429/102), and a request waits at most its
 * time limit.
 */
export const layerOcrQueue = (options: { readonly url: string; readonly queueSize: number }): Layer.Layer<OcrQueue> =>
  Layer.effect(
    OcrQueue,
    Effect.gen(function* () {
      const { queue } = yield* open(options.url)
      const where = redisConnection.describe(options.url)
      const events = yield* Effect.acquireRelease(
        Effect.sync(() => {
          const e = new QueueEvents(queueName, {
            connection: new Redis(
              options.url,
              redisConnection.options({
                enableOfflineQueue: true,
                maxRetriesPerRequest: null,
                commandTimeout: undefined
              }) as never
            )
          })
          e.on("error", () => {})
          return e
        }),
        (e) => Effect.promise(() => e.close().catch(() => undefined))
      )
      const toOcr = (e: JobError) =>
        new OcrError({ reason: e.reason === "QueueFull" ? "QueueFull" : "NotReady", message: e.message })
      const submit = Effect.fn("SharedOcrQueue.submit")(function* (
        bytes: Uint8Array,
        submitOptions: { readonly source?: string; readonly timeoutMs: number }
      ) {
        const waiting = yield* bounded(where, "a count", () => queue.getJobCountByTypes("waiting", "prioritized")).pipe(
          Effect.mapError(toOcr)
        )
        if (waiting >= options.queueSize) {
          return yield* Effect.fail(
            new OcrError({
              reason: "QueueFull",
              message: `the conversion queue is full (${waiting} waiting); retry after 2 s.`,
              retryAfterSeconds: 2
            })
          )
        }
        const queuedAt = Date.now()
        const id = newBatchId()
        const job = yield* bounded(where, "queueing the image", () =>
          queue.add(
            "convert",
            {
              kind: "sync",
              batch: id,
              index: 0,
              image: Buffer.from(bytes).toString("base64"),
              ...(submitOptions.source !== undefined ? { source: submitOptions.source } : {}),
              queuedAt
            } satisfies ImageJobData,
            {
              ...jobOptions,
              jobId: imageJobId(id, 0),
              // A caller is waiting: ahead of batch images.
              priority: 1,
              removeOnComplete: { age: 3600 },
              removeOnFail: { age: 3600 }
            }
          )
        ).pipe(Effect.mapError(toOcr))
        const result = yield* Effect.tryPromise({
          try: () => job.waitUntilFinished(events, submitOptions.timeoutMs) as Promise<ImageJobResult>,
          catch: (cause) => {
            const message = cause instanceof Error ? cause.message : String(cause)
            if (/timed out|ttl/i.test(message)) {
              return new OcrError({
                reason: "Timeout",
                message: `the conversion took longer than the limit of ${Math.round(submitOptions.timeoutMs / 1000)} s; retry later.`
              })
            }
            const f = parseFailure(message)
            return new OcrError({
              reason:
                f.reason === "BadImage" || f.reason === "Upstream" || f.reason === "OutOfMemory" ? f.reason : "Failed",
              message: f.message
            })
          }
        }).pipe(Effect.interruptible)
        return {
          document: result.document ?? { pages: [] },
          bytes: new Uint8Array(0),
          timings: result.timings,
          waitedMs: Math.max(0, Date.now() - queuedAt - busyMs(result.timings)),
          stored: { file: result.file, size: result.size }
        } as OcrResult
      })
      return OcrQueue.of({
        submit,
        stats: Effect.map(
          bounded(where, "a count", () => queue.getJobCounts("waiting", "active")).pipe(
            Effect.orElseSucceed(() => ({ waiting: 0, active: 0 }) as Record<string, number>)
          ),
          (c) => ({
            // Workers are other processes: the node itself is ready once Redis answers (readyz checks it).
            workers: 1,
            readyWorkers: 1,
            busy: c.active ?? 0,
            waiting: c.waiting ?? 0,
            queueSize: options.queueSize
          })
        ),
        check: Dependency.probe(
          "conversions",
          "redis",
          // Ready only when some `ocr2word worker` takes images: otherwise every call would time out.
          Effect.flatMap(
            bounded(where, "a check", () => queue.getWorkersCount()),
            (workers) =>
              workers > 0
                ? Effect.void
                : Effect.fail(
                    new JobError({
                      reason: "Unavailable",
                      message: `no ocr2word worker is connected to the queue at ${where}; start \`ocr2word worker\``
                    })
                  )
          )
        )
      })
    })
  )
