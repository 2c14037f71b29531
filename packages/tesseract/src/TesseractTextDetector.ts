/**
 * The `TextDetector` stage on Tesseract's own page segmentation: the page is
 * analysed for layout only (blocks, paragraphs, lines; no recognition, which
 * is several times faster), and every text line comes back as the quad of its
 * box. Tesseract follows columns, so its lines never run across a gutter.
 * Pair it with any recogniser; the page gets a margin of its own background
 * colour first so that text touching the border (tight crops) is found.
 *
 * Tesseract gives no detection confidence, so every line scores 1; the
 * recogniser's confidence is what filters noise lines.
 *
 * @since 0.1.0
 */
import { Geometry, OptionDecoding, Raster, StageError, TextDetector } from "@ocr2word/core"
import { ImageCodec } from "@ocr2word/image"
import { Effect, Layer, Schema } from "effect"
import type Tesseract from "tesseract.js"
import { TesseractOptionsError } from "./TesseractOptionsError.ts"
import { TesseractWorkers } from "./TesseractWorkers.ts"

/** Options of the detector. */
export const Options = Schema.Struct({
  /**
   * Tesseract page segmentation mode: 3 (automatic, columns found), 4 (one
   * column of text of varying sizes), 6 (one uniform block) or 11 (sparse
   * text, any order).
   */
  pageSegMode: OptionDecoding.optional(Schema.Literals([3, 4, 6, 11]), "3, 4, 6 or 11"),
  /** Margin put around the page, as a fraction of its shorter side (clamped to 8..32 px). */
  margin: OptionDecoding.numberBetween(0, 2),
  /** Lines lower than this many pixels are dropped as specks. */
  minLineHeight: OptionDecoding.integerBetween(1, 1000)
})
export type Options = typeof Options.Type

/** The options `layer` uses: automatic page segmentation, the page margin and the smallest line. */
export const defaultOptions: Required<Options> = { pageSegMode: 3, margin: 0.2, minLineHeight: 4 }

/** The margin put around a page before analysis. */
export const marginFor = (width: number, height: number, margin: number): number =>
  margin === 0 ? 0 : Math.round(Math.min(32, Math.max(8, Math.min(width, height) * margin)))

/** Line boxes of a Tesseract layout result, shifted back by `offset` and clamped to the page. */
export const linesOfLayout = (
  blocks: ReadonlyArray<Tesseract.Block>,
  offset: number,
  width: number,
  height: number,
  minLineHeight: number
): ReadonlyArray<TextDetector.DetectedText> =>
  blocks
    .flatMap((block) => block.paragraphs ?? [])
    .flatMap((paragraph) => paragraph.lines ?? [])
    .map((line) => {
      const x0 = Math.max(0, line.bbox.x0 - offset)
      const y0 = Math.max(0, line.bbox.y0 - offset)
      const x1 = Math.min(width, line.bbox.x1 - offset)
      const y1 = Math.min(height, line.bbox.y1 - offset)
      return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
    })
    .filter((box) => box.height >= minLineHeight && box.width >= 2)
    .map((box) => ({ polygon: Geometry.quadOfBox(box), score: 1 }))

/** Build the detector on the workers in context. */
export const make = Effect.fn("TesseractTextDetector.make")(function* (options: Options = {}) {
  const opts = { ...defaultOptions, ...options }
  const workers = yield* TesseractWorkers
  const parameters = { tessedit_pageseg_mode: String(opts.pageSegMode) }

  const detect = Effect.fn("TesseractTextDetector.detect")(function* (image: Raster.Raster) {
    if (image.width < 1 || image.height < 1) {
      return yield* new StageError.DetectionError({
        reason: "InvalidInput",
        message: `Cannot detect text on an empty ${image.width}x${image.height} image: give a page with pixels`
      })
    }
    const grey = Raster.toGray(image)
    const pad = marginFor(image.width, image.height, opts.margin)
    const page = pad > 0 ? Raster.pad(grey, pad, ImageCodec.borderColour(grey).r) : grey
    const png = yield* ImageCodec.encodePng(page)
    const result = yield* workers.recognize(png, parameters, { text: false }).pipe(
      Effect.mapError(
        (cause) =>
          new StageError.DetectionError({
            reason: "InferenceFailed",
            message: `Tesseract failed to analyse the layout of a ${image.width}x${image.height} page: ${cause.message}`,
            cause
          })
      )
    )
    const blocks = (result as Tesseract.Page & { layoutBlocks?: ReadonlyArray<Tesseract.Block> | null }).layoutBlocks
    return linesOfLayout(blocks ?? [], pad, image.width, image.height, opts.minLineHeight)
  })

  return TextDetector.TextDetector.of({ name: "tesseract", detect })
})

/** The detector with its defaults (automatic page segmentation). */
export const layer: Layer.Layer<TextDetector.TextDetector, never, TesseractWorkers> = Layer.effect(
  TextDetector.TextDetector,
  make()
)

/** The detector with the given options. */
export const layerWith = (
  options: Options
): Layer.Layer<TextDetector.TextDetector, TesseractOptionsError, TesseractWorkers> =>
  Layer.effect(
    TextDetector.TextDetector,
    Effect.flatMap(
      OptionDecoding.decode(Options, options, (invalid) => new TesseractOptionsError(invalid)),
      make
    )
  )
