/**
 * Async batch jobs, beyond the contract's synchronous call: `POST /jobs`
 * takes several images (multipart `file` parts, or `imageurl`s) and answers
 * 202 with a job id at once; `GET /jobs/:id` gives the status and the result
 * of each image; an optional `webhook` URL receives the same body by POST
 * when the job is finished. Answers use the contract's envelope
 * (`DataStatus` + `Data`), failures the same classes and codes.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { DataStatus } from "./Envelope.ts"

/** Path of the job endpoints. */
export const JobsPath = "/jobs"

/** Images one job may hold. */
export const MaxImages = 50

/** One image of a job. */
export const JobImage = Schema.Struct({
  /** Position in the request, from 0: file parts first, then imageurls. */
  Index: Schema.Int,
  Status: Schema.Literals(["waiting", "active", "done", "failed"]),
  SourceImageUrl: Schema.optionalKey(Schema.String),
  /** When done: the stored .docx, downloadable permanently. */
  ResultWordFileUrl: Schema.optionalKey(Schema.String),
  /** When failed: the code and description a synchronous call would have answered. */
  Error: Schema.optionalKey(Schema.Struct({ StatusCode: Schema.Int, StatusDescription: Schema.String })),
  /** Conversion attempts so far (a worker that dies mid-image counts one; the image is retried elsewhere). */
  Attempts: Schema.Int
}).annotate({ identifier: "JobImage" })
export type JobImage = typeof JobImage.Type

/** A job as `GET /jobs/:id`, the 202 of `POST /jobs` and the webhook give it. */
export const JobData = Schema.Struct({
  JobId: Schema.String,
  /** `queued` (no image started), `running`, then `done` (all converted), `partial` or `failed` (none converted). */
  Status: Schema.Literals(["queued", "running", "done", "partial", "failed"]),
  ImageCount: Schema.Int,
  /** `yyyy-MM-dd HH:mm:ss` like ResponseDateTime. */
  CreatedAt: Schema.String,
  /** Absolute URL of `GET /jobs/:id`. */
  StatusUrl: Schema.String,
  Images: Schema.Array(JobImage)
}).annotate({ identifier: "JobData" })
export type JobData = typeof JobData.Type

/** The envelope of one job's status (`GET /jobs/:id` and the answer to `POST /jobs`). */
export const JobResponse = Schema.Struct({ DataStatus, Data: JobData }).annotate({ identifier: "JobResponse" })
export type JobResponse = typeof JobResponse.Type

/** Whether a job will change no more. */
export const isFinished = (status: JobData["Status"]) =>
  status === "done" || status === "partial" || status === "failed"

const imageFields = {
  appkey: Schema.optionalKey(Schema.String).annotate({ description: "APPKEY; normally in the query string." }),
  imageurl: Schema.optionalKey(Schema.Union([Schema.String, Schema.Array(Schema.String)])).annotate({
    description: "http(s) URLs of the images: the field repeated, or a JSON array."
  }),
  webhook: Schema.optionalKey(Schema.String).annotate({
    description: "http(s) URL that receives the finished job (the GET /jobs/:id body) by POST."
  })
}

/** `application/json` body of POST /jobs. */
export const JobJson = Schema.Struct(imageFields).annotate({ identifier: "JobJson" })
