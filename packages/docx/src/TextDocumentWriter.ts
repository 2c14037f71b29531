/**
 * A `DocumentWriter` for plain UTF-8 text: lines joined by newlines, blocks
 * separated by blank lines, pages by form feeds (`Document.toPlainText`).
 * Use it when only the words matter, e.g. for search indexing or scoring.
 *
 * @since 0.1.0
 */
import { Document, DocumentWriter } from "@ocr2word/core"
import { Effect, Layer } from "effect"

const encoder = new TextEncoder()

/** Build the service. */
export const make = (): DocumentWriter.DocumentWriter["Service"] =>
  DocumentWriter.DocumentWriter.of({
    format: "txt",
    extension: "txt",
    mediaType: "text/plain; charset=utf-8",
    // biome-ignore lint/correctness/useYield: Effect.fn gives the span; encoding has nothing to wait for
    write: Effect.fn("TextDocumentWriter.write")(function* (document: Document.Document) {
      const text = Document.toPlainText(document)
      return encoder.encode(text.length > 0 ? `${text}\n` : text)
    })
  })

/** The plain text writer. */
export const layer: Layer.Layer<DocumentWriter.DocumentWriter> = Layer.succeed(DocumentWriter.DocumentWriter, make())
