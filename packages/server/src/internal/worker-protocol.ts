/**
 * What the server's OCR worker threads and the thread that posts them jobs
 * (`OcrQueue.layerWorkers`) say to each other. A failure crosses as the
 * encoded form of its Schema class and is decoded back into that class on
 * the other side: a stage error stays an `ImageSourceError`, a
 * `RemoteError`..., so the HTTP mapping matches on real types. What is not
 * a stage error (a defect, a worker that could not start or that died) is a
 * `WorkerError`.
 */
import { type Document, type DocumentWriter, StageError } from "@ocr2word/core"
import { Cause, Schema } from "effect"

/** The worker thread itself failed, rather than a stage of the conversion. */
export class WorkerError extends Schema.TaggedError<WorkerError>()("WorkerError", {
  /**
   * `NotReady`: the engine did not start (503); `Crashed`/`Exited`: the thread died;
   * `OutOfMemory`: it reached its memory limit; `Defect`: a bug.
   */
  reason: Schema.Literals(["NotReady", "Crashed", "Exited", "OutOfMemory", "Defect"]),
  message: Schema.String
}) {}

/** Why a job failed, on either side of the thread boundary. */
export const JobFailure = Schema.Union([StageError.StageError, WorkerError])
export type JobFailure = typeof JobFailure.Type

const isFailure = Schema.is(JobFailure)
const encode = Schema.encodeSync(JobFailure)
const decode = Schema.decodeUnknownExit(JobFailure)

/** The typed error a conversion failed with, or a `WorkerError` for a defect. */
export const failureOf = (cause: Cause.Cause<unknown>): JobFailure => {
  const error = Cause.squash(cause)
  if (isFailure(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  return new WorkerError({
    reason: "Defect",
    message: Cause.hasFails(cause) ? message : `unexpected error: ${Cause.pretty(cause)}`
  })
}

/** What a thread posts for the failure of `cause`: its typed error, encoded. */
export const encodeCause = (cause: Cause.Cause<unknown>): unknown => encode(failureOf(cause))

/** The failure a thread posted, decoded back into its class. */
export const decodeFailure = (encoded: unknown): JobFailure => {
  const decoded = decode(encoded)
  return decoded._tag === "Success"
    ? decoded.value
    : new WorkerError({
        reason: "Defect",
        message: `the OCR worker sent an unreadable failure: ${String(decoded.cause)}`
      })
}

/** A job posted to a worker thread (the bytes are transferred). */
export interface Job {
  readonly id: number
  readonly bytes: Uint8Array
  readonly source?: string
}

/** What the main thread posts to a worker thread: a job, or the request to exit between two tasks. */
export type ToWorker = Job | { readonly type: "stop" }

/** A worker thread's message: ready, could not start, a job's progress (page `page` of `pages`, from 1, started), or its outcome. */
export type Message =
  | { readonly type: "ready" }
  | { readonly type: "failed"; readonly error: unknown }
  | { readonly type: "progress"; readonly id: number; readonly page: number; readonly pages: number }
  | {
      readonly type: "done"
      readonly id: number
      readonly document: Document.Document
      readonly bytes: Uint8Array
      readonly timings: Record<string, number>
    }
  | { readonly type: "error"; readonly id: number; readonly error: unknown }

/** What each worker thread is started with. */
export interface WorkerData {
  readonly engine: string
  readonly docxMode: DocumentWriter.DocxMode
  readonly docxBackground: boolean
  /** For engine `remote`: the service's address and key (a plain string: a Redacted does not cross threads). */
  readonly remoteUrl?: string
  readonly remoteAppkey?: string
}
