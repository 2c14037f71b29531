/**
 * The bounded OCR work queue between the HTTP handlers and the pipeline.
 * `layerWorkers` runs the engines' `Conversion` (pipeline and .docx writer)
 * in worker threads (one conversion per thread at a time; by default two
 * threads, one per core), so probes, downloads and other requests answer while pages are
 * being converted. At most `queueSize` conversions wait; beyond that
 * `submit` fails at once with `QueueFull` and a Retry-After estimate, and a
 * conversion that exceeds its time limit fails with `Timeout`.
 *
 * `layerInline` runs the `Conversion` from context on the main thread with
 * the same bounds (for embedding and tests with custom stages). Either way a
 * failed conversion arrives as its stage's error class (decoded from the
 * worker's message), and `fromFailure` maps it to `OcrError` by type.
 *
 * @since 0.1.0
 */
import { Worker } from "node:worker_threads"
import { Conversion, type Document, type DocumentWriter } from "@ocr2word/core"
import { Context, Effect, Exit, Layer, Redacted, Schema } from "effect"
import * as Dependency from "./Dependency.ts"
import { type Executor, PoolFull, WorkPool } from "./internal/work-pool.ts"
import {
  decodeFailure,
  failureOf,
  JobFailure,
  type Message,
  type ToWorker,
  type WorkerData,
  WorkerError
} from "./internal/worker-protocol.ts"

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

/** Why a conversion did not produce a document, with the status it maps to. */
export class OcrError extends Schema.TaggedError<OcrError>()("OcrError", {
  /** `QueueFull` is 429/102, `BadImage` 400/101, `NotReady` 503, `Upstream` 502/110, the others 500/110. */
  reason: Schema.Literals(["QueueFull", "Timeout", "BadImage", "Failed", "NotReady", "Upstream", "OutOfMemory"]),
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

/** What a conversion is submitted with. */
export interface SubmitOptions {
  /** File name or URL of the input, recorded in the document. */
  readonly source?: string
  readonly timeoutMs: number
  /** Called as each page starts converting: `page` from 1, of `pages` (queues that cannot tell may never call it). */
  readonly onPage?: (page: number, pages: number) => void
}

/** The bounded queue the handlers submit conversions to, with its readiness and load. */
export class OcrQueue extends Context.Service<
  OcrQueue,
  {
    readonly submit: (bytes: Uint8Array, options: SubmitOptions) => Effect.Effect<OcrResult, OcrError>
    readonly stats: Effect.Effect<QueueStats>
    /** Whether the queue's backend answers, for /readyz. */
    readonly check: Effect.Effect<Dependency.Status>
  }
>()("@ocr2word/server/OcrQueue") {}

interface Input {
  readonly bytes: Uint8Array
  readonly source?: string
  /** Stays on this side of the thread boundary: the worker's progress messages are handed to it. */
  readonly onPage?: (page: number, pages: number) => void
}
interface Output {
  readonly document: Document.Document
  readonly bytes: Uint8Array
  readonly timings: Record<string, number>
}
/** The HTTP-facing error of a failed conversion: a typed match on the class of the stage's (or worker's) error. */
export const fromFailure = (failure: JobFailure): OcrError => {
  switch (failure._tag) {
    case "ImageSourceError":
      return new OcrError({
        reason: "BadImage",
        message: `the image could not be read (${failure.reason}): ${failure.message}`
      })
    case "RemoteError":
      return new OcrError({ reason: "Upstream", message: `the remote OCR backend failed: ${failure.message}` })
    case "WorkerError":
      if (failure.reason === "NotReady") return new OcrError({ reason: "NotReady", message: failure.message })
      if (failure.reason === "OutOfMemory") return new OcrError({ reason: "OutOfMemory", message: failure.message })
  }
  return new OcrError({
    reason: "Failed",
    message: `conversion failed in ${failure._tag} (${failure.reason}): ${failure.message}`
  })
}

const isJobFailure = Schema.is(JobFailure)

const toOcrError = (error: unknown, pool: WorkPool<Input, Output>): OcrError => {
  if (error instanceof OcrError) return error
  if (error instanceof PoolFull) {
    return new OcrError({
      reason: "QueueFull",
      message: `the conversion queue is full (${pool.busy} converting, ${error.waiting} waiting); retry after ${pool.retryAfterSeconds()} s.`,
      retryAfterSeconds: pool.retryAfterSeconds()
    })
  }
  if (isJobFailure(error)) return fromFailure(error)
  return new OcrError({ reason: "Failed", message: "conversion failed" })
}

const makeQueue = (pool: WorkPool<Input, Output>, readyWorkers: () => number, queueSize: number) =>
  OcrQueue.of({
    submit: Effect.fn("OcrQueue.submit")(function* (bytes: Uint8Array, options: SubmitOptions) {
      const queued = performance.now()
      let started = queued
      // Aborted only at the time limit: a worker thread is then terminated and replaced,
      // so a runaway conversion does not keep its worker busy (a client that goes away only drops the result).
      const stop = new AbortController()
      const output = yield* Effect.tryPromise({
        try: (signal) => {
          const input: Input = {
            bytes,
            ...(options.source !== undefined ? { source: options.source } : {}),
            ...(options.onPage !== undefined ? { onPage: options.onPage } : {})
          }
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

/** Time spent converting: the pipeline run and the writer (the top-level spans of a conversion). */
export const busyMs = (timings: Readonly<Record<string, number>>) =>
  Object.entries(timings)
    .filter(([name]) => name === "Pipeline.run" || /DocumentWriter\.write$/.test(name))
    .reduce((total, [, ms]) => total + ms, 0)

/** Whether this module runs from its TypeScript source (the workspace) or from dist/ (installed). */
const fromSource = import.meta.url.endsWith(".ts")

/**
 * A thread that is still in JavaScript after this long, once asked to stop,
 * is terminated from outside. Generous: a single ONNX Runtime call on the
 * largest detector input takes a few seconds on a loaded machine.
 */
const STOP_GRACE_MS = 30_000

/**
 * Stop a worker thread and resolve with its exit code. It is asked first and
 * exits itself between two of its tasks (internal/ocr-worker.ts):
 * `worker.terminate()` while the thread is inside a synchronous native call
 * (ONNX Runtime's `run`) aborts the whole process ("terminate called after
 * throwing an instance of 'Napi::Error'", seen when a conversion's time
 * limit or a shutdown fell inside a detection). Only a thread that does not
 * answer within `STOP_GRACE_MS` (stuck in JavaScript) is terminated.
 */
const stopThread = (worker: Worker): Promise<number> =>
  new Promise((resolve) => {
    if (worker.threadId === -1) return resolve(0)
    const timer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS)
    worker.once("exit", (code) => {
      clearTimeout(timer)
      resolve(code)
    })
    worker.postMessage({ type: "stop" } satisfies ToWorker)
  })

/** A worker thread running the pipeline; respawned if it dies. */
const workerExecutor = (
  options: WorkerOptions,
  onReady: (ready: boolean) => void
): Executor<Input, Output> & { terminate: () => Promise<number> } => {
  let nextId = 1
  const pending = new Map<
    number,
    { resolve: (o: Output) => void; reject: (e: unknown) => void; onPage?: Input["onPage"] }
  >()
  let worker: Worker
  let failure: JobFailure | undefined
  /** Why the running thread died while converting: fails its jobs, then it is replaced. */
  let died: JobFailure | undefined
  let stopping = false
  const memoryMb = options.memoryMb ?? defaultWorkerMemoryMb
  const spawn = () => {
    onReady(false)
    let started = false
    died = undefined
    worker = new Worker(new URL(`./internal/ocr-worker.${fromSource ? "ts" : "js"}`, import.meta.url), {
      // Run from the sources (the workspace), the worker resolves @ocr2word/* to the sources too.
      ...(fromSource ? { execArgv: [...process.execArgv, "--conditions=source"] } : {}),
      // The JS heap of the thread; past it V8 stops the thread (ERR_WORKER_OUT_OF_MEMORY) instead of growing the process.
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
      // The threads' ONNX sessions share the cores (paddle PaddleModels.workersVariable): workers x intra-op threads = cores; OCR2WORD_PADDLE_THREADS overrides.
      env: { ...process.env, OCR2WORD_PADDLE_WORKERS: String(options.workers) },
      workerData: {
        engine: options.engine,
        docxMode: options.docxMode ?? "flow",
        docxBackground: options.docxBackground ?? false,
        ...(options.remoteUrl !== undefined ? { remoteUrl: options.remoteUrl } : {}),
        ...(options.remoteAppkey !== undefined ? { remoteAppkey: Redacted.value(options.remoteAppkey) } : {})
      } satisfies WorkerData
    })
    worker.on("message", (message: Message) => {
      if (message.type === "ready") {
        started = true
        return onReady(true)
      }
      if (message.type === "failed") {
        failure = decodeFailure(message.error)
        return
      }
      const job = pending.get(message.id)
      if (job === undefined) return
      if (message.type === "progress") return job.onPage?.(message.page, message.pages)
      pending.delete(message.id)
      if (message.type === "done")
        job.resolve({ document: message.document, bytes: message.bytes, timings: message.timings })
      else job.reject(decodeFailure(message.error))
    })
    worker.on("error", (error) => {
      const outOfMemory = (error as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY"
      // A thread that had started dies with its conversion and is replaced; one that cannot start stays failed.
      if (started)
        died = outOfMemory
          ? new WorkerError({
              reason: "OutOfMemory",
              message: `the conversion needed more than the OCR worker's memory limit of ${memoryMb} MB and was stopped (the worker was replaced); send a smaller or simpler image (the server's operator can raise --worker-memory-mb).`
            })
          : new WorkerError({ reason: "Crashed", message: `the OCR worker crashed and was replaced: ${String(error)}` })
      else
        failure = outOfMemory
          ? new WorkerError({
              reason: "OutOfMemory",
              message: `the OCR worker ran out of its memory limit of ${memoryMb} MB while loading the models; raise --worker-memory-mb (OCR2WORD_WORKER_MEMORY_MB).`
            })
          : new WorkerError({ reason: "Crashed", message: String(error) })
    })
    worker.on("exit", () => {
      onReady(false)
      for (const job of pending.values())
        job.reject(failure ?? died ?? new WorkerError({ reason: "Exited", message: "the OCR worker stopped" }))
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
            new WorkerError({ reason: "NotReady", message: `the OCR engine failed to start: ${failure.message}` })
          )
        }
        const id = nextId++
        pending.set(id, { resolve, reject, ...(input.onPage !== undefined ? { onPage: input.onPage } : {}) })
        const copy = input.bytes.slice()
        worker.postMessage({ id, bytes: copy, source: input.source }, [copy.buffer])
        // Past its time limit the job is stopped by stopping the thread: the exit handler
        // rejects it and spawns a fresh worker (models reloaded) in its place.
        stop?.addEventListener(
          "abort",
          () => {
            if (pending.has(id)) void stopThread(worker)
          },
          { once: true }
        )
      }),
    terminate: () => {
      stopping = true
      return stopThread(worker)
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
  readonly docxMode?: DocumentWriter.DocxMode
  /** With `docxMode: "exact"`, the page image behind the text; default false. */
  readonly docxBackground?: boolean
  /** For engine `remote`: the service's base URL and key. */
  readonly remoteUrl?: string
  readonly remoteAppkey?: Redacted.Redacted<string>
  /** JS heap limit of each worker thread in MB; default `defaultWorkerMemoryMb`. */
  readonly memoryMb?: number
}

/**
 * Default JS heap limit of a worker thread, in MB. A thread needs about 45 MB
 * once the models are loaded and peaks at 50-80 MB converting (measured on
 * real-dev, synth-docs and a 3000x16000 page of 1000 lines), so this leaves
 * room for any real page while a runaway conversion is stopped long before
 * it takes the machine. The models' native memory (ONNX Runtime, sharp) is
 * outside this limit.
 */
export const defaultWorkerMemoryMb = 512

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

/** Conversions on the main thread through the `Conversion` in context (for the remote engine, embedding and tests with custom stages). */
export const layerInline = (options: { readonly concurrency: number; readonly queueSize: number }) =>
  Layer.effect(
    OcrQueue,
    Effect.gen(function* () {
      const conversion = yield* Conversion.Conversion
      const executor: Executor<Input, Output> = {
        run: (input) =>
          Effect.runPromiseExit(
            conversion.convert(input.bytes, {
              ...(input.source !== undefined ? { source: input.source } : {}),
              ...(input.onPage !== undefined
                ? { onPage: ({ index, count }) => Effect.sync(() => input.onPage?.(index + 1, count)) }
                : {})
            })
          ).then((exit) =>
            Exit.isSuccess(exit)
              ? {
                  document: exit.value.document,
                  bytes: exit.value.bytes,
                  timings: Conversion.msByName(exit.value.spans)
                }
              : Promise.reject(failureOf(exit.cause))
          )
      }
      const pool = new WorkPool<Input, Output>(
        Array.from({ length: options.concurrency }, () => executor),
        options.queueSize
      )
      return makeQueue(pool, () => options.concurrency, options.queueSize)
    })
  )
