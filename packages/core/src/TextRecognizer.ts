/**
 * The stage that reads the text of upright line crops. Backends: PaddleOCR's
 * CTC recogniser (`@ocr2word/paddle`), Tesseract (`@ocr2word/tesseract`).
 *
 * @since 0.1.0
 */
import { Context, type Effect } from "effect"
import type { Raster } from "./Raster.ts"
import type { RecognitionError } from "./StageError.ts"

/** A character of a recognised line, positioned as fractions of the crop width. */
export interface RecognizedChar {
  readonly text: string
  readonly start: number
  readonly end: number
  readonly confidence: number
}

/** The text of one line crop. */
export interface RecognizedText {
  readonly text: string
  readonly confidence: number
  /** Per-character positions, where the backend knows them. */
  readonly chars?: ReadonlyArray<RecognizedChar>
}

/** The stage that reads the text of line crops: one result (text, confidence, characters where known) per crop. */
export class TextRecognizer extends Context.Service<
  TextRecognizer,
  {
    readonly name: string
    /** One result per crop, in the order given. */
    readonly recognize: (crops: ReadonlyArray<Raster>) => Effect.Effect<ReadonlyArray<RecognizedText>, RecognitionError>
  }
>()("@ocr2word/core/TextRecognizer") {}
