/**
 * The `TextRecognizer` stage on PaddleOCR's CTC recogniser (PP-OCRv4 rec).
 * Crops are scaled to 48 px high keeping their ratio (libvips: a line a few
 * pixels high is enlarged bicubically, not point-sampled); they are sorted by
 * ratio and run in batches padded to the widest crop of the batch (at least
 * 320 px, the training width), so little time goes to padding; a crop
 * more than 16 heights wide is read in pieces cut at gaps (`line-pieces`),
 * since the model drops letters on very long inputs. The output is
 * decoded greedily against the dictionary by `CtcDecode`.
 *
 * A line read with less than `retryBelow` confidence (0.9) is read a second
 * time from a lightly smoothed copy of its crop (Gaussian, sigma 0.7 px at
 * the crop's own resolution) and the reading with the higher confidence is
 * kept. Noise on scanned or photographed pages is pixel-sized; on small text
 * the upscale to 48 px turns it into blots the model reads as strokes (`#`
 * and wrong Han characters), and a sub-pixel blur removes it while strokes
 * a pixel or more wide survive. Measured with a probe on the synth-docs
 * degraded pages with 13-17 px lines (down-scaled, noisy, blurred): readings
 * that are substrings of the truth went from 493 to 658 characters (wrong
 * ones 303 -> 356), where retrying only lines under 0.5 gained 76 and
 * sigma 1.0 gained 117; a median filter, contrast stretching, a 2x
 * enlargement first, a wider crop margin or grey input each gained under 20.
 * The lines the 0.5 confidence filter drops on those pages are mostly not
 * the truth (20-33 % of their characters are), so keeping them would not
 * help: the fix is reading them better. On clean pages few lines fall under
 * 0.9, so the second pass costs little.
 *
 * @since 0.1.0
 */
import { OptionDecoding, Raster, StageError, TextRecognizer } from "@ocr2word/core"
import { ImageCodec } from "@ocr2word/image"
import { Effect, Layer, Schema } from "effect"
import * as CtcDecode from "./CtcDecode.ts"
import { withMargin } from "./internal/crop-margin.ts"
import * as LinePieces from "./internal/line-pieces.ts"
import { lineBatch, scaleCrops, scaledWidth } from "./internal/model-input.ts"
import { PaddleModels } from "./PaddleModels.ts"
import { PaddleOptionsError } from "./PaddleOptionsError.ts"

const HEIGHT = 48
const MIN_WIDTH = 320
/**
 * Crops wider than this many heights are read in pieces. Measured with the
 * probe (order-free error / recall on 3 FUNSD forms, 2 clean synth pages, a
 * paper, the real-dev magazine scan and a screenshot): no pieces 13.6% /
 * 87.7% on the forms; 25: 10.7% / 90.5%; 16: 9.3% / 90.5% with its worst
 * form 67% -> 79% recall; 10: 6.2% / 94.0% but synth pages and the scan 0.1
 * point worse. Other kinds did not move. 16 keeps every kind at or better.
 */
const MAX_RATIO = 16
/** A cut gap this many crop heights wide is a word space. */
const SPACE_GAP = 0.2
/** Lines read with less confidence than this are read again from a smoothed crop (see the header). */
const RETRY_BELOW = 0.9
/** Gaussian sigma, in crop pixels, of the smoothing before the second reading. */
const RETRY_SIGMA = 0.7

/** Options of the recogniser. */
export const Options = Schema.Struct({
  /** Crops run together in one inference (`rec_batch_num`). */
  batchSize: OptionDecoding.integerBetween(1, 64),
  /** Background margin put around each crop, as a fraction of its height (0 for none). */
  margin: OptionDecoding.numberBetween(0, 1),
  /** Crops wider than this many heights are read in pieces (0: never); see `internal/line-pieces.ts`. */
  maxRatio: OptionDecoding.numberBetween(0, 1000),
  /** Lines read with less confidence are read again from a smoothed crop, the surer reading kept (0: never). */
  retryBelow: OptionDecoding.numberBetween(0, 1)
})
export type Options = typeof Options.Type

/** The options `layer` uses: batch size, crop margin, widest crop ratio and the second reading's bar. */
export const defaultOptions: Required<Options> = {
  batchSize: 6,
  margin: 0.15,
  maxRatio: MAX_RATIO,
  retryBelow: RETRY_BELOW
}

/** The crop smoothed for a second reading: a Gaussian of `RETRY_SIGMA` px (libvips). */
export const smoothed = (crop: Raster.Raster): Effect.Effect<Raster.Raster> =>
  crop.width < 3 || crop.height < 3
    ? Effect.succeed(crop)
    : ImageCodec.fromSharp(ImageCodec.toSharp(crop).blur(RETRY_SIGMA), crop.channels)

/** Character positions in the padded crop, as positions in the crop itself. */
const withoutMargin = (
  chars: ReadonlyArray<TextRecognizer.RecognizedChar>,
  crop: Raster.Raster,
  padded: Raster.Raster
): ReadonlyArray<TextRecognizer.RecognizedChar> => {
  if (padded.width === crop.width) return chars
  const side = (padded.width - crop.width) / 2
  const at = (f: number) => Math.min(1, Math.max(0, (f * padded.width - side) / Math.max(1, crop.width)))
  return chars.map((c) => ({ ...c, start: at(c.start), end: at(c.end) }))
}

/** Build the recogniser on the models in context. */
export const make = Effect.fn("PaddleTextRecognizer.make")(function* (options: Options = {}) {
  const opts = { ...defaultOptions, ...options }
  const models = yield* PaddleModels

  const read = Effect.fn("PaddleTextRecognizer.read")(function* (crops: ReadonlyArray<Raster.Raster>) {
    const padded = crops.map((crop) => withMargin(crop, Math.round(crop.height * opts.margin)))
    // What the model reads: each crop, or the pieces of a very long one.
    const units = padded.flatMap((crop, index) => {
      const maxWidth = Math.floor(opts.maxRatio * crop.height)
      if (opts.maxRatio === 0 || crop.width <= maxWidth || maxWidth < 2) {
        return [{ index, piece: { start: 0, end: crop.width, gapBefore: 0 }, image: crop }]
      }
      return LinePieces.pieces(LinePieces.columnInk(crop), maxWidth).map((piece) => ({
        index,
        piece,
        image: Raster.crop(crop, { x: piece.start, y: 0, width: piece.end - piece.start, height: crop.height })
      }))
    })
    const texts: Array<TextRecognizer.RecognizedText> = new Array(units.length)
    const order = units
      .map((unit, index) => ({ index, ratio: unit.image.width / Math.max(1, unit.image.height) }))
      .sort((a, b) => a.ratio - b.ratio)
    for (let start = 0; start < order.length; start += opts.batchSize) {
      const group = order.slice(start, start + opts.batchSize)
      const batch = group.map((g) => units[g.index]!.image)
      const width = Math.max(MIN_WIDTH, ...batch.map((c) => scaledWidth(c, HEIGHT, Number.MAX_SAFE_INTEGER)))
      const { tensor, fractions } = lineBatch(yield* scaleCrops(batch, HEIGHT, width), HEIGHT, width)
      const output = yield* models.run(models.recognition, tensor.data, tensor.dims).pipe(
        Effect.mapError(
          (cause) =>
            new StageError.RecognitionError({
              reason: "InferenceFailed",
              message: `Text recognition failed on ${batch.length} crops: ${(cause as Error)?.message ?? cause}`,
              cause
            })
        )
      )
      const [, steps, classes] = output.dims as [number, number, number]
      group.forEach((g, i) => {
        texts[g.index] = CtcDecode.decode(models.labels, output.data, steps, classes, i * steps * classes, fractions[i])
      })
    }
    const parts = crops.map(() => [] as Array<{ piece: LinePieces.Piece; text: TextRecognizer.RecognizedText }>)
    units.forEach((unit, u) => {
      parts[unit.index]!.push({ piece: unit.piece, text: texts[u]! })
    })
    return parts.map((list, index): TextRecognizer.RecognizedText => {
      const crop = padded[index]!
      const whole = list.length === 1 ? list[0]!.text : LinePieces.join(list, crop.width, SPACE_GAP * crop.height)
      return {
        text: whole.text,
        confidence: whole.confidence,
        chars: withoutMargin(whole.chars ?? [], crops[index]!, crop)
      }
    })
  })

  const recognize = Effect.fn("PaddleTextRecognizer.recognize")(function* (crops: ReadonlyArray<Raster.Raster>) {
    const first = [...(yield* read(crops))]
    const doubtful = first.flatMap((text, i) => (text.confidence < opts.retryBelow ? [i] : []))
    if (doubtful.length === 0) return first
    const again = yield* read(yield* Effect.forEach(doubtful, (i) => smoothed(crops[i]!)))
    doubtful.forEach((i, k) => {
      if (again[k]!.confidence > first[i]!.confidence) first[i] = again[k]!
    })
    return first
  })

  return TextRecognizer.TextRecognizer.of({ name: "paddle", recognize })
})

/** The recogniser with PaddleOCR's defaults. */
export const layer: Layer.Layer<TextRecognizer.TextRecognizer, never, PaddleModels> = Layer.effect(
  TextRecognizer.TextRecognizer,
  make()
)

/** The recogniser with the given options. */
export const layerWith = (
  options: Options
): Layer.Layer<TextRecognizer.TextRecognizer, PaddleOptionsError, PaddleModels> =>
  Layer.effect(
    TextRecognizer.TextRecognizer,
    Effect.flatMap(
      OptionDecoding.decode(Options, options, (invalid) => new PaddleOptionsError(invalid)),
      make
    )
  )
