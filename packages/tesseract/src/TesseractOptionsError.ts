/**
 * The error of an invalid options object given to a layer of this package
 * (`TesseractWorkers.layerWith`, `TesseractTextDetector.layerWith`,
 * `TesseractTextRecognizer.layerWith`). The message follows sharp's format,
 * `Expected <what> for <name> but received <value>`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** Options of the Tesseract stages that do not decode: which option and the house-format message. */
export class TesseractOptionsError extends Schema.TaggedError<TesseractOptionsError>()("TesseractOptionsError", {
  /** The option (or `options` for the whole object) that was wrong. */
  option: Schema.String,
  message: Schema.String
}) {}
