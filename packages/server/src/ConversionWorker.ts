/**
 * `ocr2word worker`: a conversion process for the shared BullMQ queue, run
 * on as many machines as there is CPU (one process per machine with
 * `--concurrency` threads, or several processes). Each image job is
 * converted in the process's OCR worker threads, stored in the shared
 * `DocumentStore` under an id derived from the job id, and returned by name:
 * a worker killed mid-image loses its lock, another worker takes the image
 * over, and the retry finds or writes the same file (never two URLs; a file
 * already stored is not converted again). Once stored, the image's bytes are
 * dropped from the job. The worker that finishes a batch calls its webhook,
 * once.
 *
 * Metrics (`--metrics-port`): jobs by outcome and envelope code, job latency
 * (queued to stored) and the shared queue's depth, in the Prometheus format.
 *
 * @since 0.1.0
 */
import * as http from "node:http"
import * as os from "node:os"
import { Envelope, Jobs } from "@ocr2word/http-api"
import { type Job, UnrecoverableError, Worker } from "bullmq"
import { Console, Context, Effect, Layer } from "effect"
import { Redis } from "ioredis"
import * as DocumentStore from "./DocumentStore.ts"
import {
  formatFailure,
  type ImageJobData,
  type ImageJobResult,
  jobOptions,
  lockDurationMs,
  queueName,
  stalledIntervalMs,
  webhookSentKey
} from "./internal/job-protocol.ts"
import { batchStatus, jobEnvelope, readBatch } from "./internal/job-status.ts"
import * as redisConnection from "./internal/redis.ts"
import * as Webhook from "./internal/webhook.ts"
import * as Metrics from "./Metrics.ts"
import * as OcrQueue from "./OcrQueue.ts"
import { documentStoreLayer } from "./Server.ts"
import { docxOptions, type ServerConfig } from "./ServerConfig.ts"

/** Options of one worker process. */
export interface WorkerOptions {
  /** Images converted at once (OCR threads); one per core. */
  readonly concurrency: number
  /** Port of /metrics on 127.0.0.1... or `host`; undefined: none. */
  readonly metricsPort?: number
  /** Name in results and logs; default host:pid. */
  readonly name?: string
}

const docxType = DocumentStore.mediaTypes.docx!

/** Run a worker until interrupted. */
export const main = (config: ServerConfig, options: WorkerOptions) =>
  Effect.gen(function* () {
    if (config.redisUrl === undefined) {
      return yield* Effect.die(
        new Error("ocr2word worker needs OCR2WORD_REDIS_URL (--redis-url): the queue lives in Redis")
      )
    }
    const url = config.redisUrl
    const name = options.name ?? `${os.hostname()}:${process.pid}`
    const context = yield* Layer.build(
      Layer.mergeAll(
        documentStoreLayer(config),
        OcrQueue.layerWorkers({
          workers: options.concurrency,
          queueSize: options.concurrency,
          engine: config.engine,
          ...docxOptions(config),
          docxBackground: config.docxBackground,
          memoryMb: config.workerMemoryMb,
          ...(config.remoteUrl !== undefined ? { remoteUrl: config.remoteUrl } : {}),
          ...(config.remoteAppkey !== undefined ? { remoteAppkey: config.remoteAppkey } : {})
        }),
        Metrics.layer
      )
    )
    const store = Context.get(context, DocumentStore.DocumentStore)
    const ocr = Context.get(context, OcrQueue.OcrQueue)
    const metrics = Context.get(context, Metrics.Metrics)
    // Take no job before the models are loaded: a lock would run out while they load.
    while ((yield* ocr.stats).readyWorkers < options.concurrency) yield* Effect.sleep("200 millis")

    const redis = yield* redisConnection.connect(url)
    const queue = yield* redisConnection.queue(url, queueName)

    const convert = (job: Job<ImageJobData, ImageJobResult>) =>
      Effect.gen(function* () {
        const data = job.data
        const id = DocumentStore.idFor(job.id!)
        // Stored: the image need not stay in Redis for the days the job's record is kept.
        const dropImage = Effect.promise(() => job.updateData({ ...data, image: "" }).catch(() => undefined))
        // A retry of an image a dead worker already stored: the file is the result, nothing is converted again.
        const existing = yield* store.stat(`${id}.docx`).pipe(
          Effect.catchIf(
            (e) => e.reason === "NotFound",
            () => Effect.succeed(undefined)
          )
        )
        if (existing !== undefined) {
          yield* dropImage
          return { file: existing.name, size: existing.size, timings: {}, worker: name } satisfies ImageJobResult
        }
        if (data.image === "") {
          return yield* Effect.fail(
            new OcrQueue.OcrError({ reason: "Failed", message: "the image's data is gone and no Word file was stored" })
          )
        }
        const bytes = new Uint8Array(Buffer.from(data.image, "base64"))
        const result = yield* ocr.submit(bytes, {
          ...(data.source !== undefined ? { source: data.source } : {}),
          timeoutMs: config.timeoutMs
        })
        // Named after the job: a retry after a crash finds the file the dead worker stored, or writes it once.
        const stored = yield* store.put(result.bytes, { extension: "docx", mediaType: docxType, id })
        yield* dropImage
        metrics.stages({ ...result.timings, "job.latency": Date.now() - data.queuedAt })
        return {
          file: stored.name,
          size: stored.size,
          timings: result.timings,
          // The preview's lines only: a remote service's .docx (`original`) is already stored.
          ...(data.kind === "sync"
            ? { document: { pages: result.document.pages, metadata: result.document.metadata } }
            : {}),
          worker: name
        } satisfies ImageJobResult
      })

    const processJob = async (job: Job<ImageJobData, ImageJobResult>) => {
      const exit = await Effect.runPromiseExit(convert(job))
      if (exit._tag === "Success") return exit.value
      const error = exit.cause.reasons.find((r) => r._tag === "Fail")?.error as
        | OcrQueue.OcrError
        | DocumentStore.StoreError
        | undefined
      const reason = error === undefined ? "Failed" : error.reason
      const message = error?.message ?? "the conversion failed"
      metrics.failure(
        "worker",
        reason === "BadImage" ? Envelope.StatusCode.InvalidParameter : Envelope.StatusCode.ServiceError
      )
      // A bad image, or one that needs more than the threads' memory limit, fails the same way every time: no retry.
      if (reason === "BadImage" || reason === "OutOfMemory")
        throw new UnrecoverableError(formatFailure(reason, message))
      throw new Error(formatFailure(reason, message))
    }

    const notify = async (data: ImageJobData) => {
      if (data.kind !== "batch") return
      const record = await readBatch(redis, data.batch)
      if (record?.webhook === undefined) return
      const status = await batchStatus(queue, data.batch, record, record.baseUrl, config.timeZone)
      if (!Jobs.isFinished(status.Status)) return
      // One webhook per batch, whichever worker finishes its last image.
      if ((await redis.set(webhookSentKey(data.batch), name, "EX", 7 * 24 * 3600, "NX")) !== "OK") return
      const body = jobEnvelope(status, Envelope.formatDateTime(new Date(), config.timeZone))
      await Webhook.send(record.webhook, body, config.fetchAllow)
    }

    const worker = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const w = new Worker<ImageJobData, ImageJobResult>(queueName, processJob, {
          connection: new Redis(
            url,
            redisConnection.options({
              enableOfflineQueue: true,
              maxRetriesPerRequest: null,
              commandTimeout: undefined
            }) as never
          ),
          concurrency: options.concurrency,
          lockDuration: lockDurationMs,
          stalledInterval: stalledIntervalMs,
          maxStalledCount: 2
        })
        w.on("error", () => {})
        w.on("completed", (job) => {
          metrics.rejected("completed")
          notify(job.data).catch(() => undefined)
        })
        w.on("failed", (job) => {
          if (job === undefined) return
          const final =
            job.attemptsMade >= (job.opts.attempts ?? jobOptions.attempts) ||
            /^(BadImage|OutOfMemory): /.test(job.failedReason)
          if (final) notify(job.data).catch(() => undefined)
        })
        return w
      }),
      (w) => Effect.promise(() => w.close().catch(() => undefined))
    )
    void worker

    if (options.metricsPort !== undefined) {
      yield* Effect.acquireRelease(
        Effect.promise(
          () =>
            new Promise<http.Server>((resolve) => {
              const server = http.createServer((req, res) => {
                Effect.runPromise(
                  Effect.gen(function* () {
                    const stats = yield* ocr.stats
                    const counts = yield* Effect.promise(() =>
                      queue.getJobCounts("waiting", "active", "completed", "failed").catch(() => undefined)
                    )
                    return metrics.render(
                      stats,
                      counts === undefined
                        ? undefined
                        : {
                            waiting: counts.waiting ?? 0,
                            active: counts.active ?? 0,
                            completed: counts.completed ?? 0,
                            failed: counts.failed ?? 0
                          }
                    )
                  })
                ).then((text) => {
                  res.writeHead(req.url === "/metrics" ? 200 : 404, {
                    "content-type": "text/plain; version=0.0.4; charset=utf-8"
                  })
                  res.end(req.url === "/metrics" ? text : "see /metrics\n")
                })
              })
              server.listen(options.metricsPort, config.host, () => resolve(server))
            })
        ),
        (server) => Effect.promise(() => new Promise<void>((resolve) => server.close(() => resolve())))
      )
    }
    yield* Console.log(
      `ocr2word worker ${name}: ${options.concurrency} OCR thread(s) on ${redisConnection.describe(url)}`
    )
    return yield* Effect.never
  }).pipe(Effect.scoped)
