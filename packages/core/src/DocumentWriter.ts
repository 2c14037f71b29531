/**
 * The last stage: serialise a `Document` to bytes (.docx, plain text, JSON).
 * `@ocr2word/docx` provides the layers.
 *
 * @since 0.1.0
 */
import { Context, type Effect } from "effect"
import type { Document } from "./Document.ts"
import type { WriteError } from "./StageError.ts"

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
