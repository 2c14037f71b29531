/** A `DocumentWriter` that renders a document to UTF-8 text, its `write` a span named after the writer. */
import { type Document, DocumentWriter } from "@ocr2word/core"
import { Effect } from "effect"

const encoder = new TextEncoder()

export const textWriter = (
  span: string,
  fields: { readonly format: string; readonly extension: string; readonly mediaType: string },
  render: (document: Document.Document) => string
): DocumentWriter.DocumentWriter["Service"] =>
  DocumentWriter.DocumentWriter.of({
    ...fields,
    // biome-ignore lint/correctness/useYield: Effect.fn gives the span; rendering has nothing to wait for
    write: Effect.fn(span)(function* (document: Document.Document) {
      return encoder.encode(render(document))
    })
  })
