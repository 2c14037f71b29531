/**
 * What the HTTP nodes and the `ocr2word worker` processes exchange through
 * the BullMQ queue in Redis: one BullMQ job per image, named by its batch
 * and position (`<batch>-<index>`), so a retried image is the same job and
 * its Word file the same object (`DocumentStore.idFor(jobId)`): a worker
 * killed mid-conversion leaves a stalled job that another worker takes
 * over, and nothing is stored twice under two URLs.
 */
import { randomBytes } from "node:crypto"
import type { Document } from "@ocr2word/core"

/** The BullMQ queue of conversions. */
export const queueName = "ocr2word-convert"
/** Redis key of a batch's record (a hash). */
export const batchKey = (id: string) => `ocr2word:batch:${id}`
/** Redis key set once when a batch's webhook has been sent. */
export const webhookSentKey = (id: string) => `ocr2word:batch:${id}:webhook`
/** How long finished batches and their results are kept. */
export const retentionSeconds = 7 * 24 * 3600

/** A fresh batch id: 128 random bits, unguessable, so the id is the capability to read the job. */
export const newBatchId = () => randomBytes(16).toString("hex")
export const batchIdPattern = /^[0-9a-f]{32}$/
/** The BullMQ job id of one image of a batch. */
export const imageJobId = (batch: string, index: number) => `${batch}-${index}`

/** One image to convert. */
export interface ImageJobData {
  /** `batch`: part of POST /jobs; `sync`: a synchronous request waiting for the result. */
  readonly kind: "batch" | "sync"
  readonly batch: string
  readonly index: number
  /** The image bytes, base64. */
  readonly image: string
  readonly source?: string
  /** Milliseconds since epoch when the node queued it (job latency). */
  readonly queuedAt: number
}

/** What a worker returns for one image. */
export interface ImageJobResult {
  /** `<id>.docx`, the last segment of the file URL. */
  readonly file: string
  readonly size: number
  readonly timings: Readonly<Record<string, number>>
  /** Only for `sync` jobs (the preview draws its lines). */
  readonly document?: Document.Document
  readonly worker: string
}

/**
 * Failures a worker reports in `failedReason` as `<reason>: <message>`; the
 * node maps the reason to the envelope's code as for a synchronous call.
 */
export const formatFailure = (reason: string, message: string) => `${reason}: ${message}`
export const parseFailure = (failedReason: string | undefined) => {
  const match = /^([A-Za-z]+): ([\s\S]*)$/.exec(failedReason ?? "")
  return match === null
    ? { reason: "Failed", message: failedReason ?? "the conversion failed" }
    : { reason: match[1]!, message: match[2]! }
}

/**
 * Retries and the stalled-job check: a worker holds a lock it renews every
 * few seconds; when it dies, the lock lapses and the image goes back to the
 * queue for another worker.
 */
export const jobOptions = { attempts: 3, backoff: { type: "fixed", delay: 500 } } as const
export const lockDurationMs = 6_000
export const stalledIntervalMs = 3_000
