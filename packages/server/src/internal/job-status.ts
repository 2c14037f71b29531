/**
 * A batch's status read from Redis (its record) and BullMQ (one job per
 * image), as the HTTP node answers it and the worker sends it to the
 * webhook: both build it here, so they always agree.
 */
import { Envelope, type Jobs } from "@ocr2word/http-api"
import type { Queue } from "bullmq"
import type { Redis } from "ioredis"
import { batchKey, type ImageJobResult, imageJobId, parseFailure } from "./job-protocol.ts"

/** The batch record (a Redis hash). */
export interface BatchRecord {
  readonly count: number
  readonly createdAt: number
  readonly baseUrl: string
  readonly webhook?: string
  /** imageurl of each index that came from a URL. */
  readonly sources: Readonly<Record<string, string>>
}

export const readBatch = async (redis: Redis, id: string): Promise<BatchRecord | undefined> => {
  const h = await redis.hgetall(batchKey(id))
  if (h.count === undefined) return undefined
  return {
    count: Number(h.count),
    createdAt: Number(h.createdAt),
    baseUrl: h.baseUrl ?? "",
    ...(h.webhook !== undefined && h.webhook !== "" ? { webhook: h.webhook } : {}),
    sources: JSON.parse(h.sources ?? "{}") as Record<string, string>
  }
}

const codeOf = (reason: string) =>
  reason === "BadImage" ? Envelope.StatusCode.InvalidParameter : Envelope.StatusCode.ServiceError

/** The job's data; file URLs under `baseUrl` (the asking node's, or the one recorded at submission). */
export const batchStatus = async (
  queue: Queue,
  id: string,
  batch: BatchRecord,
  baseUrl: string,
  timeZone: string
): Promise<Jobs.JobData> => {
  const images = await Promise.all(
    Array.from({ length: batch.count }, async (_, index): Promise<Jobs.JobImage> => {
      let job = await queue.getJob(imageJobId(id, index))
      const source = batch.sources[String(index)]
      const base = { Index: index, ...(source !== undefined ? { SourceImageUrl: source } : {}) }
      if (job === undefined) return { ...base, Status: "failed", Attempts: 0, Error: lost }
      const state = await job.getState()
      // Finished between the two reads: read it again for its result.
      if ((state === "completed" && job.returnvalue == null) || (state === "failed" && job.failedReason == null))
        job = (await queue.getJob(imageJobId(id, index))) ?? job
      const attempts = job.attemptsMade
      if (state === "completed") {
        const result = job.returnvalue as ImageJobResult
        return { ...base, Status: "done", ResultWordFileUrl: `${baseUrl}/files/${result.file}`, Attempts: attempts }
      }
      if (state === "failed") {
        const f = parseFailure(job.failedReason)
        const code = codeOf(f.reason)
        return {
          ...base,
          Status: "failed",
          Attempts: attempts,
          Error: { StatusCode: code, StatusDescription: `${Envelope.StatusText[code]}: ${f.message}` }
        }
      }
      return { ...base, Status: state === "active" ? "active" : "waiting", Attempts: attempts }
    })
  )
  const done = images.filter((i) => i.Status === "done").length
  const failed = images.filter((i) => i.Status === "failed").length
  const status: Jobs.JobData["Status"] =
    done + failed === images.length
      ? failed === 0
        ? "done"
        : done === 0
          ? "failed"
          : "partial"
      : images.some((i) => i.Status !== "waiting")
        ? "running"
        : "queued"
  return {
    JobId: id,
    Status: status,
    ImageCount: batch.count,
    CreatedAt: Envelope.formatDateTime(new Date(batch.createdAt), timeZone),
    StatusUrl: `${baseUrl}/jobs/${id}`,
    Images: images
  }
}

const lost = {
  StatusCode: Envelope.StatusCode.ServiceError,
  StatusDescription: `${Envelope.StatusText[110]}: the image's record has expired or was lost; submit it again.`
}

/** The envelope of a job. */
export const jobEnvelope = (data: Jobs.JobData, dateTime: string): Jobs.JobResponse => ({
  DataStatus: {
    StatusCode: Envelope.StatusCode.Ok,
    StatusDescription: Envelope.StatusText[Envelope.StatusCode.Ok],
    ResponseDateTime: dateTime,
    DataTotalCount: 1
  },
  Data: data
})
