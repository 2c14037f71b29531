/**
 * A `DocumentWriter` for Word (.docx): one section per page, sized to the
 * image's proportions at an A4 width; one paragraph per block in reading
 * order; headings as Heading styles; font sizes approximated from the
 * block's text height; Latin text in a Latin font and Chinese in a CJK font
 * (`w:rFonts w:eastAsia`), with en-US / zh-CN language settings.
 *
 * @since 0.1.0
 */
import { type Document, DocumentWriter, StageError } from "@ocr2word/core"
import { Packer } from "docx"
import { Effect, Layer } from "effect"
import { type BuildOptions, buildDocx } from "./internal/docx-build.ts"

export const defaultOptions: BuildOptions = {
  latinFont: "Times New Roman",
  cjkFont: "SimSun",
  pageWidthMm: 210,
  marginMm: 20,
  minFontSize: 7,
  maxFontSize: 48,
  language: "en-US",
  eastAsiaLanguage: "zh-CN"
}

const makeWith = (options: BuildOptions): DocumentWriter.DocumentWriter["Service"] =>
  DocumentWriter.DocumentWriter.of({
    format: "docx",
    extension: "docx",
    mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    write: Effect.fn("DocxDocumentWriter.write")(function* (document: Document.Document) {
      const file = yield* Effect.try({
        try: () => buildDocx(document, options),
        catch: (cause) =>
          new StageError.WriteError({ reason: "Failed", message: `Building the .docx failed: ${String(cause)}`, cause })
      })
      const buffer = yield* Effect.tryPromise({
        try: () => Packer.toBuffer(file),
        catch: (cause) =>
          new StageError.WriteError({ reason: "Failed", message: `Packing the .docx failed: ${String(cause)}`, cause })
      })
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    })
  })

/** The .docx writer with default fonts (Times New Roman, SimSun) and A4 width. */
export const layer: Layer.Layer<DocumentWriter.DocumentWriter> = Layer.succeed(
  DocumentWriter.DocumentWriter,
  makeWith(defaultOptions)
)
