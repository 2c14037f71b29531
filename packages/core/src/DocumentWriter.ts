/**
 * The last stage: serialise a `Document` to bytes (.docx, plain text, JSON).
 * `@ocr2word/docx` provides the layers. The Word media type and the Word
 * layout modes live here, once, for every package that writes, stores,
 * serves or asks for Word files.
 *
 * @since 0.1.0
 */
import { Context, type Effect, Schema } from "effect"
import type { Document } from "./Document.ts"
import type { WriteError } from "./StageError.ts"

/** The media type of Word (.docx) files. */
export const DocxMediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

/** How a Word file is laid out: editable text in reading order (`flow`) or every line at its page position (`exact`). */
export const DocxMode = Schema.Literals(["flow", "exact"])
export type DocxMode = typeof DocxMode.Type

/**
 * The last stage: a `Document` into the bytes of a file (.docx, text, JSON, ...), with its media type and
 * extension.
 */
export class DocumentWriter extends Context.Service<
  DocumentWriter,
  {
    /** Format name, e.g. "docx". */
    readonly format: string
    /** File name extension without the dot. */
    readonly extension: string
    readonly mediaType: string
    readonly write: (document: Document) => Effect.Effect<Uint8Array, WriteError>
  }
>()("@ocr2word/core/DocumentWriter") {}
