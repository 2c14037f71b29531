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
 * @since 0.1.0
 */
import { OptionDecoding, Raster, StageError, TextRecognizer } from "@ocr2word/core"
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

/** Options of the recogniser. */
export const Options = Schema.Struct({
  /** Crops run together in one inference (`rec_batch_num`). */
  batchSize: OptionDecoding.integerBetween(1, 64),
  /** Background margin put around each crop, as a fraction of its height (0 for none). */
  margin: OptionDecoding.numberBetween(0, 1),
  /** Crops wider than this many heights are read in pieces (0: never); see `internal/line-pieces.ts`. */
  maxRatio: OptionDecoding.numberBetween(0, 1000)
})
export type Options = typeof Options.Type

/** The options `layer` uses: batch size, crop margin and widest crop ratio. */
export const defaultOptions: Required<Options> = { batchSize: 6, margin: 0.15, maxRatio: MAX_RATIO }

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

  const recognize = Effect.fn("PaddleTextRecognizer.recognize")(function* (crops: ReadonlyArray<Raster.Raster>) {
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
    const read: Array<TextRecognizer.RecognizedText> = new Array(units.length)
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
        read[g.index] = CtcDecode.decode(models.labels, output.data, steps, classes, i * steps * classes, fractions[i])
      })
    }
    const parts = crops.map(() => [] as Array<{ piece: LinePieces.Piece; text: TextRecognizer.RecognizedText }>)
    units.forEach((unit, u) => {
      parts[unit.index]!.push({ piece: unit.piece, text: read[u]! })
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
