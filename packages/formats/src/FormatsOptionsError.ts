/**
 * The error of an invalid options object given to a writer of this package
 * (`PdfDocumentWriter.layerWith`). Its message follows sharp's format,
 * `Expected <what> for <name> but received <value>`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** Options of the hOCR, ALTO, Markdown and PDF writers that do not decode: which option and the house-format message. */
export class FormatsOptionsError extends Schema.TaggedError<FormatsOptionsError>()("FormatsOptionsError", {
  /** The option (or `options` for the whole object) that was wrong. */
  option: Schema.String,
  message: Schema.String
}) {}
