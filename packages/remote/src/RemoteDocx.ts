/**
 * The Word file a remote service produced, kept untouched. The remote
 * pipeline reads each returned .docx into a core `Document` (for scoring and
 * for the txt/json writers), but when the user asks for Word output the
 * service's own file is the better answer: it is what the service's users get,
 * layout and fonts included, and re-writing it from a geometry-less document
 * would lose both. So:
 *
 * - `RemoteDocx.convert` gives the document, the .docx bytes and the URL at once,
 *   for programs that want both explicitly;
 * - `RemoteDocx.original(document)` finds the .docx behind a document this
 *   backend returned (held weakly: it goes when the document does);
 * - `writerLayer` is a `DocumentWriter` for format `docx` that writes that
 *   original byte for byte; provide it instead of the docx writer when the
 *   engine is `remote`, and every other part of a program stays unchanged.
 *
 * `RemotePipeline.layer` provides this service next to `Pipeline`.
 *
 * @since 0.1.0
 */
import { type Document, DocumentWriter, type Pipeline, StageError } from "@ocr2word/core"
import { Context, Effect, Layer, Option } from "effect"

/** One remote conversion: the Word file as the service returned it, and what it says. */
export interface RemoteConversion {
  readonly document: Document.Document
  readonly docx: Uint8Array
  /** `ResultWordFileUrl`: where the service keeps the file. */
  readonly wordUrl: string
}

export class RemoteDocx extends Context.Service<
  RemoteDocx,
  {
    readonly convert: (
      bytes: Uint8Array,
      options?: Pipeline.RunOptions
    ) => Effect.Effect<RemoteConversion, StageError.PipelineError>
    /** The .docx a document returned by this backend was read from. */
    readonly original: (document: Document.Document) => Option.Option<Uint8Array>
  }
>()("@ocr2word/remote/RemoteDocx") {}

export const DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

/**
 * A `docx` writer that passes the remote service's Word file through
 * untouched. A document that did not come from the remote backend (or was
 * rebuilt since) has no such file: writing it fails with a `WriteError`
 * saying to use the regular docx writer.
 */
export const writerLayer: Layer.Layer<DocumentWriter.DocumentWriter, never, RemoteDocx> = Layer.effect(
  DocumentWriter.DocumentWriter,
  Effect.gen(function* () {
    const remote = yield* RemoteDocx
    return DocumentWriter.DocumentWriter.of({
      format: "docx",
      extension: "docx",
      mediaType: DOCX_MEDIA_TYPE,
      write: (document) =>
        Option.match(remote.original(document), {
          onSome: Effect.succeed,
          onNone: () =>
            Effect.fail(
              new StageError.WriteError({
                reason: "Failed",
                message:
                  "This document did not come from the remote backend (or was changed since), so there is no remote Word file to pass through; write it with the docx writer instead"
              })
            )
        })
    })
  })
)
