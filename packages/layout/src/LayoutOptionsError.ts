/**
 * The error of an invalid options object given to
 * `XyCutLayoutAnalyzer.layerWith`. Its message follows sharp's format,
 * `Expected <what> for <name> but received <value>`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** Options of the layout analyser that do not decode: which option and the house-format message. */
export class LayoutOptionsError extends Schema.TaggedError<LayoutOptionsError>()("LayoutOptionsError", {
  /** The option (or `options` for the whole object) that was wrong. */
  option: Schema.String,
  message: Schema.String
}) {}
