/**
 * The Word file a remote service produced, kept untouched. The remote
 * pipeline reads each returned .docx into a core `Document` (for scoring and
 * for the txt/json writers), but when the user asks for Word output the
 * service's own file is the better answer: it is what the service's users get,
 * layout and fonts included, and re-writing it from a document without
 * geometry would lose both. So:
 *
 * - the remote pipeline attaches the service's file to each document it
 *   returns (`Document.original`, plain data, so it crosses worker threads
 *   with the document);
 * - `passThrough(docxWriter)` wraps a `docx` `DocumentWriter`: a document
 *   with a Word original is written as that file, byte for byte; any other
 *   document goes to the wrapped writer. Programs that pick their writer by
 *   format (the CLI, the server, the benchmark) need no other change.
 * - `original(document)` gives that file for a document, if there is one.
 * - the `RemoteDocx` service (provided by `RemotePipeline.layer`) converts and
 *   returns the document, the file and its URL together, for programs that
 *   want all three explicitly.
 *
 * @since 0.1.0
 */
import type { Document, Pipeline, StageError } from "@ocr2word/core"
import { DocumentWriter } from "@ocr2word/core"
import { Context, Effect, Layer, Option } from "effect"

/** One remote conversion: the Word file as the service returned it, and what it says. */
export interface RemoteConversion {
  readonly document: Document.Document
  readonly docx: Uint8Array
  /** `ResultWordFileUrl`: where the service keeps the file. */
  readonly wordUrl: string
}

/**
 * The Word files a remote server returned, kept by conversion so that a writer can pass the server's own file on
 * unchanged.
 */
export class RemoteDocx extends Context.Service<
  RemoteDocx,
  {
    readonly convert: (
      bytes: Uint8Array,
      options?: Pipeline.RunOptions
    ) => Effect.Effect<RemoteConversion, StageError.PipelineError>
  }
>()("@ocr2word/remote/RemoteDocx") {}

/** The media type of Word files. */
export const DOCX_MEDIA_TYPE = DocumentWriter.DocxMediaType

/**
 * The .docx the remote service wrote for `document`; none when the document
 * did not come from the remote backend, or was rebuilt without its original.
 */
export const original = (document: Document.Document): Option.Option<Uint8Array> =>
  document.original?.mediaType === DOCX_MEDIA_TYPE ? Option.some(document.original.bytes) : Option.none()

/**
 * A writer that passes remote Word files through untouched and hands every
 * other document to `writer`. Wrap only a `docx` writer: other formats are
 * returned unchanged, since a .docx is no answer to a request for text.
 */
export const passThrough = <E, R>(
  writer: Layer.Layer<DocumentWriter.DocumentWriter, E, R>
): Layer.Layer<DocumentWriter.DocumentWriter, E, R> =>
  Layer.effect(
    DocumentWriter.DocumentWriter,
    Effect.gen(function* () {
      const inner = yield* DocumentWriter.DocumentWriter
      if (inner.format !== "docx") return inner
      return DocumentWriter.DocumentWriter.of({
        ...inner,
        write: (document) =>
          Option.match(original(document), { onSome: Effect.succeed, onNone: () => inner.write(document) })
      })
    })
  ).pipe(Layer.provide(writer))
