/**
 * The error of an invalid options object given to a layer of this package
 * (`SharpImageSource.layerWith`, `ImagePreprocessor.layerWith`). Its message
 * follows sharp's format, `Expected <what> for <name> but received <value>`,
 * so a caller sees which option was wrong and what it should be.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** Options of the image stages that do not decode: which option and the house-format message. */
export class ImageOptionsError extends Schema.TaggedError<ImageOptionsError>()("ImageOptionsError", {
  /** The option (or `options` for the whole object) that was wrong. */
  option: Schema.String,
  message: Schema.String
}) {}
