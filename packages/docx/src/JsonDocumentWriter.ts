/**
 * A `DocumentWriter` for JSON: the whole `Document` tree (pages, blocks,
 * lines, words, geometry in page pixels, confidences) encoded with its
 * Schema and pretty-printed. Use it to feed other tools or the benchmark.
 *
 * @since 0.1.0
 */
import { Document, DocumentWriter, StageError } from "@ocr2word/core"
import { Effect, Layer, Schema } from "effect"

const encoder = new TextEncoder()
const encodeDocument = Schema.encodeUnknownEffect(Schema.toCodecJson(Document.Document))

/** Build the service. */
export const make = (): DocumentWriter.DocumentWriter["Service"] =>
  DocumentWriter.DocumentWriter.of({
    format: "json",
    extension: "json",
    mediaType: "application/json",
    write: Effect.fn("JsonDocumentWriter.write")(function* (document: Document.Document) {
      // The recognised tree only: a remote service's own .docx (`original`) is no part of the JSON answer.
      const { original: _, ...tree } = document
      const encoded = yield* encodeDocument(tree).pipe(
        Effect.mapError(
          (cause) =>
            new StageError.WriteError({
              reason: "Failed",
              message: `Expected a valid Document for JSON output but encoding failed: ${cause.message}`,
              cause
            })
        )
      )
      return encoder.encode(`${JSON.stringify(encoded, null, 2)}\n`)
    })
  })

/** The JSON writer. */
export const layer: Layer.Layer<DocumentWriter.DocumentWriter> = Layer.succeed(DocumentWriter.DocumentWriter, make())
