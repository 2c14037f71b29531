/**
 * The bounded OCR work queue between the HTTP handlers and the pipeline.
 * `layerWorkers` runs the pipeline and the .docx writer in worker threads
 * (one conversion per thread at a time; by default two threads, one per
 * core), so probes, downloads and other requests answer while pages are
 * being converted. At most `queueSize` conversions wait; beyond that
 * `submit` fails at once with `QueueFull` and a Retry-After estimate, and a
 * conversion that exceeds its time limit fails with `Timeout`.
 *
 * `layerInline` runs the `Pipeline` and `DocumentWriter` from context on the
 * main thread with the same bounds (for embedding and tests with custom stages).
 *
 * @since 0.1.0
 */
import { Worker } from "node:worker_threads"
import { type Document, DocumentWriter, Pipeline } from "@ocr2word/core"
import { Context, Effect, Layer, Schema } from "effect"
import * as Dependency from "./Dependency.ts"
import { type Executor, PoolFull, WorkPool } from "./internal/work-pool.ts"

/** A finished conversion. */
export interface OcrResult {
  readonly document: Document.Document
  readonly bytes: Uint8Array
  /** Milliseconds per span (pipeline stage) name. */
  readonly timings: Readonly<Record<string, number>>
  /** Milliseconds of the request not spent converting: waiting in line, for a worker to start, transfers. */
  readonly waitedMs: number
  /** Set when the worker stored the Word file itself (the shared queue): `bytes` is then empty. */
  readonly stored?: { readonly file: string; readonly size: number }
}

export class OcrError extends Schema.TaggedError<OcrError>()("OcrError", {
  /** `QueueFull` is 429/102, `BadImage` 400/101, `NotReady` 503, `Upstream` 502/110, the others 500/110. */
  reason: Schema.Literals(["QueueFull", "Timeout", "BadImage", "Failed", "NotReady", "Upstream"]),
  message: Schema.String,
  retryAfterSeconds: Schema.optionalKey(Schema.Number)
}) {}

/** Queue and worker counts, for /metrics and /readyz. */
export interface QueueStats {
  readonly workers: number
  readonly readyWorkers: number
  readonly busy: number
  readonly waiting: number
  readonly queueSize: number
}

export class OcrQueue extends Context.Service<
  OcrQueue,
  {
    readonly submit: (
      bytes: Uint8Array,
      options: { readonly source?: string; readonly timeoutMs: number }
    ) => Effect.Effect<OcrResult, OcrError>
    readonly stats: Effect.Effect<QueueStats>
    /** Whether the queue's backend answers, for /readyz. */
    readonly check: Effect.Effect<Dependency.Status>
  }
>()("@ocr2word/server/OcrQueue") {}

interface Input {
  readonly bytes: Uint8Array
  readonly source?: string
}
interface Output {
  readonly document: Document.Document
  readonly bytes: Uint8Array
  readonly timings: Record<string, number>
}
interface WorkerFailure {
  readonly tag: string
  readonly reason: string
  readonly message: string
}

class JobFailed extends Error {
  readonly failure: WorkerFailure
  constructor(failure: WorkerFailure) {
    super(failure.message)
    this.failure = failure
  }
}

const toOcrError = (error: unknown, pool: WorkPool<Input, Output>): OcrError => {
  if (error instanceof OcrError) return error
  if (error instanceof PoolFull) {
    return new OcrError({
      reason: "QueueFull",
      message: `the conversion queue is full (${pool.busy} converting, ${error.waiting} waiting); retry after ${pool.retryAfterSeconds()} s.`,
      retryAfterSeconds: pool.retryAfterSeconds()
    })
  }
  if (error instanceof JobFailed) {
    const f = error.failure
    if (f.tag === "ImageSourceError") {
      return new OcrError({ reason: "BadImage", message: `the image could not be read (${f.reason}): ${f.message}` })
    }
    if (f.tag === "NotReady") return new OcrError({ reason: "NotReady", message: f.message })
    if (f.tag === "RemoteError")
      return new OcrError({ reason: "Upstream", message: `the remote OCR backend failed: ${f.message}` })
    return new OcrError({ reason: "Failed", message: `conversion failed in ${f.tag} (${f.reason}): ${f.message}` })
  }
  return new OcrError({ reason: "Failed", message: "conversion failed" })
}

const makeQueue = (pool: WorkPool<Input, Output>, readyWorkers: () => number, queueSize: number) =>
  OcrQueue.of({
    submit: Effect.fn("OcrQueue.submit")(function* (
      bytes: Uint8Array,
      options: { readonly source?: string; readonly timeoutMs: number }
    ) {
      const queued = performance.now()
      let started = queued
      // Aborted only at the time limit: a worker thread is then terminated and replaced,
      // so a runaway conversion does not keep its worker busy (a client that goes away only drops the result).
      const stop = new AbortController()
      const output = yield* Effect.tryPromise({
        try: (signal) => {
          const input: Input = options.source !== undefined ? { bytes, source: options.source } : { bytes }
          return pool.run(input, signal, stop.signal).then((o) => o)
        },
        catch: (error) => toOcrError(error, pool)
      }).pipe(
        Effect.tap(() => Effect.sync(() => (started = performance.now()))),
        Effect.timeoutOrElse({
          duration: options.timeoutMs,
          orElse: () =>
            Effect.sync(() => stop.abort()).pipe(
              Effect.andThen(
                Effect.fail(
                  new OcrError({
                    reason: "Timeout",
                    message: `the conversion took longer than the limit of ${options.timeoutMs >= 1000 ? `${Math.round(options.timeoutMs / 1000)} s` : `${options.timeoutMs} ms`} and was stopped; send a smaller or simpler image, or retry later.`
                  })
                )
              )
            )
        }),
        // Request handlers may run uninterruptibly; the wait must stay interruptible for the time limit.
        Effect.interruptible
      )
      return { ...output, waitedMs: Math.max(0, started - queued - busyMs(output.timings)) } satisfies OcrResult
    }),
    stats: Effect.sync(() => ({
      workers: pool.capacity,
      readyWorkers: readyWorkers(),
      busy: pool.busy,
      waiting: pool.waiting,
      queueSize
    })),
    check: Dependency.embedded("conversions", "threads")
  })

/** Time spent converting: the pipeline run and the writer (the top-level spans of a job). */
const busyMs = (timings: Record<string, number>) =>
  Object.entries(timings)
    .filter(([name]) => name === "Pipeline.run" || /DocumentWriter\.write$/.test(name))
    .reduce((total, [, ms]) => total + ms, 0)

/** Whether this module runs from its TypeScript source (the workspace) or from dist/ (installed). */
const fromSource = import.meta.url.endsWith(".ts")

/** A worker thread running the pipeline; respawned if it dies. */
const workerExecutor = (
  options: WorkerOptions,
  onReady: (ready: boolean) => void
): Executor<Input, Output> & { terminate: () => Promise<number> } => {
  let nextId = 1
  const pending = new Map<number, { resolve: (o: Output) => void; reject: (e: unknown) => void }>()
  let worker: Worker
  let failure: WorkerFailure | undefined
  let stopping = false
  const spawn = () => {
    onReady(false)
    worker = new Worker(new URL(`./internal/ocr-worker.${fromSource ? "ts" : "js"}`, import.meta.url), {
      // Run from the sources (the workspace), the worker resolves @ocr2word/* to the sources too.
      ...(fromSource ? { execArgv: [...process.execArgv, "--conditions=source"] } : {}),
      workerData: {
        engine: options.engine,
        docxMode: options.docxMode ?? "flow",
        docxBackground: options.docxBackground ?? false
      } satisfies WorkerData
    })
    worker.on(
      "message",
      (message: { type?: string; id?: number; ok?: boolean; error?: WorkerFailure } & Partial<Output>) => {
        if (message.type === "ready") return onReady(true)
        if (message.type === "failed") {
          failure = message.error
          return
        }
        const job = pending.get(message.id!)
        if (job === undefined) return
        pending.delete(message.id!)
        if (message.ok)
          job.resolve({ document: message.document!, bytes: message.bytes!, timings: message.timings ?? {} })
        else job.reject(new JobFailed(message.error!))
      }
    )
    worker.on("error", (error) => {
      failure = { tag: "WorkerError", reason: "Crashed", message: String(error) }
    })
    worker.on("exit", () => {
      onReady(false)
      for (const job of pending.values())
        job.reject(
          new JobFailed(failure ?? { tag: "WorkerExit", reason: "Crashed", message: "the OCR worker stopped" })
        )
      pending.clear()
      if (!stopping && failure === undefined) spawn()
    })
  }
  spawn()
  return {
    run: (input, stop) =>
      new Promise<Output>((resolve, reject) => {
        if (failure !== undefined) {
          return reject(
            new JobFailed({
              tag: "NotReady",
              reason: failure.reason,
              message: `the OCR engine failed to start: ${failure.message}`
            })
          )
        }
        const id = nextId++
        pending.set(id, { resolve, reject })
        const copy = input.bytes.slice()
        worker.postMessage({ id, bytes: copy, source: input.source }, [copy.buffer])
        // Past its time limit the job is stopped by terminating the thread: the exit handler
        // rejects it and spawns a fresh worker (models reloaded) in its place.
        stop?.addEventListener(
          "abort",
          () => {
            if (pending.has(id)) void worker.terminate()
          },
          { once: true }
        )
      }),
    terminate: () => {
      stopping = true
      return worker.terminate()
    }
  }
}

/** Options of the worker-thread queue. */
export interface WorkerOptions {
  readonly workers: number
  readonly queueSize: number
  /** Engine name for `@ocr2word/engines` (e.g. "paddle"). */
  readonly engine: string
  /** Word layout of the .docx writer; default `flow`. */
  readonly docxMode?: "flow" | "exact"
  /** With `docxMode: "exact"`, the page image behind the text; default false. */
  readonly docxBackground?: boolean
}

/** What each worker thread is started with (see internal/ocr-worker.ts). */
interface WorkerData {
  readonly engine: string
  readonly docxMode: "flow" | "exact"
  readonly docxBackground: boolean
}

/** Conversions in `workers` worker threads, at most `queueSize` waiting. */
export const layerWorkers = (options: WorkerOptions): Layer.Layer<OcrQueue> =>
  Layer.effect(
    OcrQueue,
    Effect.gen(function* () {
      const ready = new Array<boolean>(options.workers).fill(false)
      const executors = yield* Effect.acquireRelease(
        Effect.sync(() => ready.map((_, i) => workerExecutor(options, (r) => (ready[i] = r)))),
        (executors) => Effect.promise(() => Promise.all(executors.map((e) => e.terminate())))
      )
      const pool = new WorkPool<Input, Output>(executors, options.queueSize)
      return makeQueue(pool, () => ready.filter(Boolean).length, options.queueSize)
    })
  )

/** Conversions on the main thread with the `Pipeline` and `DocumentWriter` in context. */
export const layerInline = (options: { readonly concurrency: number; readonly queueSize: number }) =>
  Layer.effect(
    OcrQueue,
    Effect.gen(function* () {
      const pipeline = yield* Pipeline.Pipeline
      const writer = yield* DocumentWriter.DocumentWriter
      const executor: Executor<Input, Output> = {
        run: (input) =>
          Effect.runPromise(
            Effect.gen(function* () {
              const t0 = performance.now()
              const document = yield* pipeline.run(
                input.bytes,
                input.source !== undefined ? { source: input.source } : undefined
              )
              const t1 = performance.now()
              const bytes = yield* writer.write(document)
              return {
                document,
                bytes,
                timings: { "Pipeline.run": t1 - t0, "DocumentWriter.write": performance.now() - t1 }
              }
            }).pipe(Effect.mapError((e) => new JobFailed({ tag: e._tag, reason: e.reason, message: e.message })))
          )
      }
      const pool = new WorkPool<Input, Output>(
        Array.from({ length: options.concurrency }, () => executor),
        options.queueSize
      )
      return makeQueue(pool, () => options.concurrency, options.queueSize)
    })
  )
