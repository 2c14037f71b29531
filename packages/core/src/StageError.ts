/**
 * Tagged errors, one per stage. Each has a `reason` a program can match on and
 * a `message` a person can act on: it says what was wrong and what to do.
 * They are Schema classes, and `StageError` is their union: a worker thread
 * encodes the error it failed with, and the thread that posted the job decodes
 * it back into the same class, so matching on it stays typed across threads.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** Fetching or decoding the input image failed. */
export class ImageSourceError extends Schema.TaggedError<ImageSourceError>()("ImageSourceError", {
  reason: Schema.Literals([
    "NotFound",
    "Unreadable",
    "TooLarge",
    "TooManyPixels",
    "TooManyPages",
    "Encrypted",
    "UnsupportedFormat",
    "Corrupt",
    "Empty"
  ]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/** Orientation, deskew or another preprocessing step failed. */
export class PreprocessError extends Schema.TaggedError<PreprocessError>()("PreprocessError", {
  reason: Schema.Literals(["Failed"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/** A model or its data could not be loaded. */
export class ModelLoadError extends Schema.TaggedError<ModelLoadError>()("ModelLoadError", {
  reason: Schema.Literals(["NotFound", "Invalid", "RuntimeUnavailable"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/** Text detection failed. */
export class DetectionError extends Schema.TaggedError<DetectionError>()("DetectionError", {
  reason: Schema.Literals(["InferenceFailed", "InvalidInput"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/** Text-line orientation classification failed. */
export class ClassificationError extends Schema.TaggedError<ClassificationError>()("ClassificationError", {
  reason: Schema.Literals(["InferenceFailed", "InvalidInput"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/** Text recognition failed. */
export class RecognitionError extends Schema.TaggedError<RecognitionError>()("RecognitionError", {
  reason: Schema.Literals(["InferenceFailed", "InvalidInput"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/** Layout analysis failed. */
export class LayoutError extends Schema.TaggedError<LayoutError>()("LayoutError", {
  reason: Schema.Literals(["Failed"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/** Writing the output document failed. */
export class WriteError extends Schema.TaggedError<WriteError>()("WriteError", {
  reason: Schema.Literals(["Failed", "Exists", "Io"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/**
 * A remote OCR service (`@ocr2word/remote`) failed, timed out, throttled us,
 * refused our key or answered outside its contract. A server forwarding to
 * such a backend answers 502/110 for it: the upstream failed, not the client.
 */
export class RemoteError extends Schema.TaggedError<RemoteError>()("RemoteError", {
  reason: Schema.Literals(["Unavailable", "Timeout", "RateLimited", "Rejected", "BadResponse"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/** Any error a pipeline run can fail with. */
export type PipelineError =
  | ImageSourceError
  | PreprocessError
  | DetectionError
  | ClassificationError
  | RecognitionError
  | LayoutError
  | RemoteError

/** Every stage error (a pipeline's, the writer's, a model load's), as one schema. */
export const StageError = Schema.Union([
  ImageSourceError,
  PreprocessError,
  ModelLoadError,
  DetectionError,
  ClassificationError,
  RecognitionError,
  LayoutError,
  WriteError,
  RemoteError
])
export type StageError = typeof StageError.Type
