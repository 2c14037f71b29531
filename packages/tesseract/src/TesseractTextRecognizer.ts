/**
 * The `TextRecognizer` stage on Tesseract: every upright line crop is read on
 * its own with page segmentation mode 7 (a single text line), so it pairs
 * with any detector. Crops are turned grey, enlarged when shorter than
 * `minHeight` (Tesseract reads best at 20-30 px x-height), given a margin of
 * their own background colour, and sent as PNG to a free worker of
 * `TesseractWorkers`; the pool reads as many crops at once as it has workers.
 *
 * Character positions come from Tesseract's symbol boxes, as fractions of the
 * crop width. The text is Tesseract's own (spaces between Chinese characters
 * included); the pipeline's `TextNormalization` tidies it.
 *
 * @since 0.1.0
 */
import { OptionDecoding, Raster, StageError, TextRecognizer } from "@ocr2word/core"
import { ImageCodec } from "@ocr2word/image"
import { Effect, Layer, Schema } from "effect"
import type Tesseract from "tesseract.js"
import { TesseractOptionsError } from "./TesseractOptionsError.ts"
import { TesseractWorkers } from "./TesseractWorkers.ts"

/** Options of the recogniser. */
export const Options = Schema.Struct({
  /** Crops shorter than this many pixels are enlarged to it. */
  minHeight: OptionDecoding.integerBetween(8, 256),
  /** Margin put around each crop, as a fraction of its height. */
  margin: OptionDecoding.numberBetween(0, 2),
  /** Tesseract page segmentation mode: 7 (a single line) or 13 (a raw line, no Tesseract heuristics). */
  pageSegMode: OptionDecoding.optional(Schema.Literals([7, 13]), "7 or 13")
})
export type Options = typeof Options.Type

/** The options `layer` uses: crops scaled to 40 px high with a margin, read as single lines. */
export const defaultOptions: Required<Options> = { minHeight: 40, margin: 0.3, pageSegMode: 7 }

const EMPTY: TextRecognizer.RecognizedText = { text: "", confidence: 0, chars: [] }

const clamp01 = (x: number) => Math.min(1, Math.max(0, x))

/**
 * The recognised line of a Tesseract result, with character positions as
 * fractions of the original crop (`offset` and `scale` undo the margin and
 * enlargement). Words are joined by one space.
 */
export const lineOfPage = (
  page: Tesseract.Page,
  offset: number,
  scale: number,
  cropWidth: number
): TextRecognizer.RecognizedText => {
  const at = (x: number) => clamp01((x - offset) / scale / Math.max(1, cropWidth))
  const words = (page.blocks ?? [])
    .flatMap((block) => block.paragraphs)
    .flatMap((paragraph) => paragraph.lines)
    .flatMap((line) => line.words)
    .filter((word) => word.text.trim().length > 0)
  if (words.length === 0) return EMPTY
  const chars: Array<TextRecognizer.RecognizedChar> = []
  words.forEach((word, i) => {
    const confidence = clamp01(word.confidence / 100)
    if (i > 0) {
      const previous = chars[chars.length - 1]!
      chars.push({ text: " ", start: previous.end, end: Math.max(previous.end, at(word.bbox.x0)), confidence })
    }
    const symbols = word.symbols.filter((s) => s.text.length > 0)
    if (symbols.length === 0) {
      chars.push({ text: word.text, start: at(word.bbox.x0), end: at(word.bbox.x1), confidence })
    } else {
      for (const s of symbols) {
        chars.push({ text: s.text, start: at(s.bbox.x0), end: at(s.bbox.x1), confidence: clamp01(s.confidence / 100) })
      }
    }
  })
  // The mean of the characters' confidences: Tesseract's word confidences
  // fall to near 0 around a single doubtful character, dropping whole lines
  // that are mostly right.
  const letters = chars.filter((c) => c.text !== " ")
  const confidence = letters.reduce((sum, c) => sum + c.confidence, 0) / Math.max(1, letters.length)
  return { text: chars.map((c) => c.text).join(""), confidence, chars }
}

/** Build the recogniser on the workers in context. */
export const make = Effect.fn("TesseractTextRecognizer.make")(function* (options: Options = {}) {
  const opts = { ...defaultOptions, ...options }
  const workers = yield* TesseractWorkers
  const parameters = { tessedit_pageseg_mode: String(opts.pageSegMode) }

  const recognizeOne = Effect.fn("TesseractTextRecognizer.recognizeOne")(function* (crop: Raster.Raster) {
    if (crop.width < 2 || crop.height < 2) return EMPTY
    const grey = Raster.toGray(crop)
    const scale = grey.height < opts.minHeight ? opts.minHeight / grey.height : 1
    const sized = scale === 1 ? grey : yield* ImageCodec.resize(grey, grey.width * scale, grey.height * scale)
    const margin = Math.round(sized.height * opts.margin)
    const background = ImageCodec.borderColour(sized).r
    const input = margin > 0 ? Raster.pad(sized, margin, background) : sized
    const png = yield* ImageCodec.encodePng(input)
    const page = yield* workers.recognize(png, parameters, { text: true }).pipe(
      Effect.mapError(
        (cause) =>
          new StageError.RecognitionError({
            reason: "InferenceFailed",
            message: `Tesseract failed to read a ${crop.width}x${crop.height} line crop: ${cause.message}`,
            cause
          })
      )
    )
    return lineOfPage(page, margin, scale, crop.width)
  })

  const recognize = Effect.fn("TesseractTextRecognizer.recognize")(function* (crops: ReadonlyArray<Raster.Raster>) {
    // One more than the pool so a worker never waits for the next PNG.
    return yield* Effect.forEach(crops, recognizeOne, { concurrency: workers.size + 1 })
  })

  return TextRecognizer.TextRecognizer.of({ name: "tesseract", recognize })
})

/** The recogniser with its defaults. */
export const layer: Layer.Layer<TextRecognizer.TextRecognizer, never, TesseractWorkers> = Layer.effect(
  TextRecognizer.TextRecognizer,
  make()
)

/** The recogniser with the given options. */
export const layerWith = (
  options: Options
): Layer.Layer<TextRecognizer.TextRecognizer, TesseractOptionsError, TesseractWorkers> =>
  Layer.effect(
    TextRecognizer.TextRecognizer,
    Effect.flatMap(
      OptionDecoding.decode(Options, options, (invalid) => new TesseractOptionsError(invalid)),
      make
    )
  )
