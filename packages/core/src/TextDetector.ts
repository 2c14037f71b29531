/**
 * The stage that finds text lines on an upright page. Backends: PaddleOCR's DB
 * detector (`@ocr2word/paddle`), Tesseract's page segmentation
 * (`@ocr2word/tesseract`).
 *
 * @since 0.1.0
 */
import { Context, type Effect } from "effect"
import type { Quad } from "./Geometry.ts"
import type { Raster } from "./Raster.ts"
import type { DetectionError } from "./StageError.ts"

/** A detected text line: its quad on the page and the detector's score. */
export interface DetectedText {
  readonly polygon: Quad
  readonly score: number
}

/** The stage that finds the text lines of a page: one quad and score each. */
export class TextDetector extends Context.Service<
  TextDetector,
  {
    /** Short name of the backend, e.g. "paddle". */
    readonly name: string
    /** Text lines of the page, in no particular order. */
    readonly detect: (image: Raster) => Effect.Effect<ReadonlyArray<DetectedText>, DetectionError>
  }
>()("@ocr2word/core/TextDetector") {}
