/**
 * A `DocumentWriter` for Word (.docx): one section per page, sized to the
 * image's proportions at an A4 width; Latin text in a Latin font and Chinese
 * in a CJK font (`w:rFonts w:eastAsia`), with en-US / zh-CN language settings.
 *
 * Two modes (`layerWith({ mode })`):
 * - `flow` (default): editable text in reading order: one paragraph per
 *   block, headings as Heading styles by level, Word lists for list items,
 *   Word tables (with `w:gridSpan` / `w:vMerge` spans) for tables, pictures
 *   for figures at their place, font sizes from the block's text height.
 * - `exact`: every page a Word page of the image's proportions with each line
 *   in a frame at its position, figures floating at theirs, and with
 *   `backgroundImage: true` the page image behind the text (the pipeline
 *   must keep it: `Engines.conversionLayer` chooses that from these options;
 *   by hand, `Pipeline.layer(options, { encodePng: ImageCodec.encodePng })`).
 *
 * @since 0.1.0
 */
import { type Document, DocumentWriter, OptionDecoding, StageError } from "@ocr2word/core"
import { Packer } from "docx"
import { Effect, Layer, Schema } from "effect"
import { DocxOptionsError } from "./DocxOptionsError.ts"
import { type BuildOptions, buildDocx } from "./internal/docx-build.ts"

/** The options `layer` uses: Times New Roman and SimSun, A4-wide pages with 20 mm margins, the flow mode. */
export const defaultOptions: BuildOptions = {
  latinFont: "Times New Roman",
  cjkFont: "SimSun",
  pageWidthMm: 210,
  marginMm: 20,
  minFontSize: 7,
  maxFontSize: 48,
  language: "en-US",
  eastAsiaLanguage: "zh-CN",
  mode: "flow",
  backgroundImage: false
}

/** How the document is laid out in Word. */
export const Mode = DocumentWriter.DocxMode
export type Mode = DocumentWriter.DocxMode

const FontName = Schema.NonEmptyString
const Positive = Schema.Number.check(Schema.isGreaterThan(0))

/** Options of `layerWith`; every field optional. */
export const Options = Schema.Struct({
  mode: OptionDecoding.optional(Mode, OptionDecoding.oneOf(Mode.literals)),
  backgroundImage: OptionDecoding.optional(Schema.Boolean, "a boolean"),
  latinFont: OptionDecoding.optional(FontName, "a non-empty font name"),
  cjkFont: OptionDecoding.optional(FontName, "a non-empty font name"),
  pageWidthMm: OptionDecoding.optional(Positive, "a positive number"),
  marginMm: OptionDecoding.optional(Schema.Number.check(Schema.isGreaterThanOrEqualTo(0)), "a number >= 0"),
  minFontSize: OptionDecoding.optional(Positive, "a positive number"),
  maxFontSize: OptionDecoding.optional(Positive, "a positive number")
}).check(
  Schema.makeFilter((options) => {
    const max = options.maxFontSize ?? defaultOptions.maxFontSize
    return (options.minFontSize ?? defaultOptions.minFontSize) <= max
      ? undefined
      : { path: ["minFontSize"], issue: `a number <= maxFontSize (${max})` }
  })
)
export type Options = typeof Options.Type

/** Decode options over the defaults, failing on the first wrong field in the house format (core's `OptionDecoding`). */
export const decodeOptions = (input: unknown): Effect.Effect<BuildOptions, DocxOptionsError> =>
  Effect.map(
    OptionDecoding.decode(Options, input, (invalid) => new DocxOptionsError(invalid)),
    (options) => ({ ...defaultOptions, ...options })
  )

const makeWith = (options: BuildOptions): DocumentWriter.DocumentWriter["Service"] =>
  DocumentWriter.DocumentWriter.of({
    format: "docx",
    extension: "docx",
    mediaType: DocumentWriter.DocxMediaType,
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

/** The .docx writer with the given options (see `Options`); fails with `DocxOptionsError` on a wrong one. */
export const layerWith = (options: unknown): Layer.Layer<DocumentWriter.DocumentWriter, DocxOptionsError> =>
  Layer.effect(DocumentWriter.DocumentWriter, Effect.map(decodeOptions(options), makeWith))

/** The .docx writer with default fonts (Times New Roman, SimSun) and A4 width, flow mode. */
export const layer: Layer.Layer<DocumentWriter.DocumentWriter> = Layer.succeed(
  DocumentWriter.DocumentWriter,
  makeWith(defaultOptions)
)
