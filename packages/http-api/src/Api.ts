/**
 * The ocr2word HTTP API as an `effect/http-api` definition: endpoints, request
 * and response schemas and the failures with their HTTP statuses. It holds no
 * handler: `@ocr2word/server` implements it, `OpenApi.fromApi(Api)` gives the
 * OpenAPI 3.1 document and `HttpApiClient.make(Api)` a typed client, all from
 * these same schemas.
 *
 * @since 0.1.0
 */
import { DocumentWriter } from "@ocr2word/core"
import { Schema } from "effect"
import { Multipart } from "effect/http"
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import {
  AccessDenied,
  InternalError,
  InvalidAppKey,
  InvalidParameter,
  NotFound,
  RateLimitedResponse,
  Unavailable,
  UnsupportedMediaType,
  UpstreamError
} from "./ApiError.ts"
import { DataStatus, Ocr2WordResponse } from "./Envelope.ts"
import { JobJson, JobResponse, JobsPath } from "./Jobs.ts"

/** MIME type of the Word files. */
export const DocxMediaType = DocumentWriter.DocxMediaType

/** Path of the contract endpoint. */
export const ConvertPath = "/imagerecognition/ocr2word"
/** Path of the keyless demo endpoint. */
export const DemoPath = "/imagerecognition/ocr2word/demo"
/** Path of the preview page. */
export const PreviewPath = "/preview/ocr2word"

const imageFields = {
  /** The key; also accepted in the query string (where the original puts it). */
  appkey: Schema.optionalKey(Schema.String).annotate({ description: "APPKEY; normally in the query string." }),
  imageurl: Schema.optionalKey(Schema.String).annotate({
    description: "http(s) URL of the image; give exactly one of imageurl and imagebase64."
  }),
  imagebase64: Schema.optionalKey(Schema.String).annotate({
    description:
      "Base64 of the image bytes (a data: URI prefix, URL-safe alphabet, line breaks and missing padding are accepted)."
  })
}

/** `application/x-www-form-urlencoded` body, as in the original's examples. */
export const FormPayload = Schema.Struct(imageFields)
  .annotate({ identifier: "Ocr2WordForm" })
  .pipe(HttpApiSchema.asFormUrlEncoded())

/** `multipart/form-data` body: an image file part (`file`, or `image`) or the same text fields. */
export const MultipartPayload = Schema.Struct({
  ...imageFields,
  file: Schema.optionalKey(Multipart.FilesSchema).annotate({ description: "The image file." }),
  image: Schema.optionalKey(Multipart.FilesSchema).annotate({ description: "Alternative name of the image file part." })
})
  .annotate({ identifier: "Ocr2WordMultipart" })
  .pipe(HttpApiSchema.asMultipart())

/** `application/json` body (a convenience, not in the original). */
export const JsonPayload = Schema.Struct(imageFields).annotate({ identifier: "Ocr2WordJson" })

const payload = [FormPayload, MultipartPayload, JsonPayload] as const

/** What an endpoint that takes a key and images may answer besides success. */
const keyedErrors = [
  InvalidParameter,
  InvalidAppKey,
  AccessDenied,
  UnsupportedMediaType,
  RateLimitedResponse,
  InternalError,
  UpstreamError,
  Unavailable
] as const

const query = { appkey: Schema.optional(Schema.String).annotate({ description: "APPKEY from the key administrator." }) }

/** The conversion endpoints: the contract's and the keyless demo. */
export class Ocr2WordGroup extends HttpApiGroup.make("ocr2word", { topLevel: true }).add(
  HttpApiEndpoint.post("convert", ConvertPath, {
    query,
    payload,
    success: Ocr2WordResponse,
    error: keyedErrors
  }).annotateMerge(
    OpenApi.annotations({
      summary: "Convert an image of Chinese/English text into a Word document",
      description:
        "Give exactly one of imageurl and imagebase64 (or upload a file part). The .docx stays downloadable at Data.ResultWordFileUrl."
    })
  ),
  HttpApiEndpoint.post("demo", DemoPath, {
    payload,
    success: Ocr2WordResponse,
    error: [InvalidParameter, UnsupportedMediaType, RateLimitedResponse, InternalError, UpstreamError, Unavailable]
  }).annotateMerge(
    OpenApi.annotations({
      summary: "Try the API without a key (small images, tighter limits)",
      description: "Same body as the main endpoint; with no image at all the bundled sample is converted."
    })
  ),
  HttpApiEndpoint.get("demoSample", DemoPath, {
    success: Ocr2WordResponse,
    error: [RateLimitedResponse, InternalError, Unavailable]
  }).annotateMerge(OpenApi.annotations({ summary: "Convert the bundled sample image without a key" }))
) {}

/** A recognised line as the preview page draws it. */
export const PreviewLine = Schema.Struct({
  text: Schema.String,
  confidence: Schema.Number,
  /** Four corners clockwise from top-left, in page pixels of the upright page. */
  polygon: Schema.Array(Schema.Tuple([Schema.Number, Schema.Number]))
})

/** One page of a preview. */
export const PreviewPage = Schema.Struct({
  width: Schema.Number,
  height: Schema.Number,
  rotation: Schema.Number,
  lines: Schema.Array(PreviewLine)
})

/** What the preview page gets back: the lines with their geometry, the text and the Word file. */
export const PreviewResult = Schema.Struct({
  ResultWordFileUrl: Schema.String,
  text: Schema.String,
  pages: Schema.Array(PreviewPage)
}).annotate({ identifier: "PreviewResult" })
export type PreviewResult = typeof PreviewResult.Type

/**
 * One line of the preview's streamed answer (`application/x-ndjson`, one
 * JSON object a line, in this order): `queued` once the input was read and
 * checked, `page` as each page starts converting (`page` from 1, of
 * `pages`: an image is one page, a PDF one per page), then exactly one of
 * `done` (the result: one Word file for the whole input) or `error` (the
 * HTTP status the plain endpoint would have answered, the envelope's
 * `DataStatus`, and for 429/503 when to retry).
 */
export const PreviewEvent = Schema.Union([
  Schema.Struct({ event: Schema.Literal("queued") }),
  Schema.Struct({ event: Schema.Literal("page"), page: Schema.Int, pages: Schema.Int }),
  Schema.Struct({ event: Schema.Literal("done"), result: PreviewResult }),
  Schema.Struct({
    event: Schema.Literal("error"),
    status: Schema.Int,
    DataStatus,
    retryAfterSeconds: Schema.optionalKey(Schema.Int)
  })
]).annotate({ identifier: "PreviewEvent" })
export type PreviewEvent = typeof PreviewEvent.Type

/** Media type of the preview's streamed answer. */
export const PreviewEventsMediaType = "application/x-ndjson"

/**
 * The scripts the preview page loads from the server itself (no CDN):
 * docx-preview and JSZip, and pdf.js (with its worker) to show PDF pages.
 */
export const PreviewAssets = ["docx-preview.min.js", "jszip.min.js", "pdf.min.mjs", "pdf.worker.min.mjs"] as const

/** The preview page, its recognition call and its scripts. */
export class PreviewGroup extends HttpApiGroup.make("preview").add(
  HttpApiEndpoint.get("page", PreviewPath, {
    success: Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/html" }))
  }),
  HttpApiEndpoint.post("recognize", `${PreviewPath}/recognize`, {
    payload,
    success: PreviewResult,
    error: [InvalidParameter, UnsupportedMediaType, RateLimitedResponse, InternalError, UpstreamError, Unavailable]
  }).annotateMerge(
    OpenApi.annotations({
      summary: "Recognise an image or a PDF for the preview page: the lines' geometry, the text and the Word file"
    })
  ),
  HttpApiEndpoint.post("recognizeEvents", `${PreviewPath}/recognize/events`, {
    payload,
    success: Schema.String.pipe(HttpApiSchema.asText({ contentType: PreviewEventsMediaType }))
  }).annotateMerge(
    OpenApi.annotations({
      summary: "The same recognition, answered as it runs: one PreviewEvent a line (NDJSON)",
      description:
        "Always 200: queued, then page (page of pages) as each page starts, then done (the PreviewResult) or error (the status and DataStatus the recognize endpoint would have answered, and retryAfterSeconds for 429/503)."
    })
  ),
  HttpApiEndpoint.get("asset", `${PreviewPath}/assets/:name`, {
    params: { name: Schema.Literals(PreviewAssets) },
    success: Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/javascript" }))
  }).annotateMerge(
    OpenApi.annotations({
      summary: "The page's scripts (docx-preview, JSZip and pdf.js), served from the server's own packages"
    })
  )
) {}

/** Stored Word files. */
export class FilesGroup extends HttpApiGroup.make("files").add(
  HttpApiEndpoint.get("download", "/files/:file", {
    params: { file: Schema.String.annotate({ description: "`<id>.docx` as in ResultWordFileUrl." }) },
    success: Schema.Uint8Array.pipe(HttpApiSchema.asUint8Array({ contentType: DocxMediaType })),
    error: [NotFound, Unavailable]
  }).annotateMerge(
    OpenApi.annotations({
      summary: "Download a stored Word file (also HEAD; ETag and If-None-Match supported)",
      description:
        "With presigned downloads configured (S3 storage), answers 302 to a time-limited URL of the object store carrying the same Content-Disposition and Cache-Control."
    })
  )
) {}

/** Async batch jobs (Redis and `ocr2word worker` processes behind them). */
export class JobsGroup extends HttpApiGroup.make("jobs").add(
  HttpApiEndpoint.post("submit", JobsPath, {
    query,
    payload: [
      Schema.Struct({
        appkey: Schema.optionalKey(Schema.String),
        imageurl: Schema.optionalKey(Schema.Union([Schema.String, Schema.Array(Schema.String)])),
        webhook: Schema.optionalKey(Schema.String),
        file: Schema.optionalKey(Multipart.FilesSchema).annotate({ description: "Image files: repeat the part." })
      })
        .annotate({ identifier: "JobMultipart" })
        .pipe(HttpApiSchema.asMultipart()),
      Schema.Struct({
        appkey: Schema.optionalKey(Schema.String),
        imageurl: Schema.optionalKey(Schema.Union([Schema.String, Schema.Array(Schema.String)])),
        webhook: Schema.optionalKey(Schema.String)
      })
        .annotate({ identifier: "JobForm" })
        .pipe(HttpApiSchema.asFormUrlEncoded()),
      JobJson
    ],
    success: JobResponse.pipe(HttpApiSchema.status(202)),
    error: keyedErrors
  }).annotateMerge(
    OpenApi.annotations({
      summary: "Queue several images for conversion; 202 with the job id at once",
      description:
        "Each image counts one call against the key's quota. Images are converted by the worker processes; poll GET /jobs/{id} or give a webhook."
    })
  ),
  HttpApiEndpoint.get("status", `${JobsPath}/:id`, {
    params: { id: Schema.String.annotate({ description: "JobId from POST /jobs." }) },
    success: JobResponse,
    error: [NotFound, InternalError, Unavailable]
  }).annotateMerge(OpenApi.annotations({ summary: "A job's status and each image's result" }))
) {}

/** One piece of shared state as /readyz reports it. */
export const DependencyStatus = Schema.Struct({
  name: Schema.String.annotate({ description: "Role: keys, rateLimit, files, jobs." }),
  backend: Schema.String.annotate({ description: "sqlite, memory, folder, postgres, redis or s3." }),
  ok: Schema.Boolean,
  message: Schema.optionalKey(Schema.String)
}).annotate({ identifier: "DependencyStatus" })

/** Probes and metrics. */
export class OpsGroup extends HttpApiGroup.make("ops", { topLevel: true }).add(
  HttpApiEndpoint.get("healthz", "/healthz", {
    success: Schema.Struct({ status: Schema.Literal("ok") })
  }),
  HttpApiEndpoint.get("readyz", "/readyz", {
    success: Schema.Struct({ status: Schema.Literal("ready"), dependencies: Schema.Array(DependencyStatus) }),
    error: Unavailable
  }).annotateMerge(
    OpenApi.annotations({
      summary: "Ready when the models are loaded and every dependency (keys, rate limits, files, jobs) answers",
      description: "503/110 names the dependencies that do not answer."
    })
  ),
  HttpApiEndpoint.get("metrics", "/metrics", {
    success: Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/plain; version=0.0.4; charset=utf-8" }))
  })
) {}

/** The whole API. */
export class Api extends HttpApi.make("ocr2word")
  .add(Ocr2WordGroup)
  .add(PreviewGroup)
  .add(FilesGroup)
  .add(JobsGroup)
  .add(OpsGroup)
  .annotateMerge(
    OpenApi.annotations({
      title: "ocr2word",
      version: "0.1.0",
      description:
        "Images of Chinese, English and mixed text into editable Word documents. Every response of the conversion endpoints is the envelope {DataStatus{StatusCode,StatusDescription,ResponseDateTime,DataTotalCount},Data}."
    })
  ) {}
