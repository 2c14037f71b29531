/**
 * The `TextRecognizer` stage on PaddleOCR's CTC recogniser (PP-OCRv4 rec).
 * Crops are scaled to 48 px high keeping their ratio (libvips: a line a few
 * pixels high is enlarged bicubically, not point-sampled); they are sorted by
 * ratio and run in batches padded to the widest crop of the batch (at least
 * 320 px, the training width), so little time goes to padding. The output is
 * decoded greedily against the dictionary by `CtcDecode`.
 *
 * @since 0.1.0
 */
import { type Raster, StageError, TextRecognizer } from "@ocr2word/core"
import { Effect, Layer, Schema } from "effect"
import * as CtcDecode from "./CtcDecode.ts"
import { withMargin } from "./internal/crop-margin.ts"
import { lineBatch, scaleCrops, scaledWidth } from "./internal/model-input.ts"
import { decodeOptions } from "./internal/options.ts"
import { PaddleModels } from "./PaddleModels.ts"
import type { PaddleOptionsError } from "./PaddleOptionsError.ts"

const HEIGHT = 48
const MIN_WIDTH = 320

/** Options of the recogniser. */
export const Options = Schema.Struct({
  /** Crops run together in one inference (`rec_batch_num`). */
  batchSize: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 64 }))),
  /** Background margin put around each crop, as a fraction of its height (0 for none). */
  margin: Schema.optionalKey(Schema.Number.check(Schema.isBetween({ minimum: 0, maximum: 1 })))
})
export type Options = typeof Options.Type

const expected = { batchSize: "an integer between 1 and 64", margin: "a number between 0 and 1" } as const

export const defaultOptions: Required<Options> = { batchSize: 6, margin: 0.15 }

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
    const out: Array<TextRecognizer.RecognizedText> = new Array(crops.length)
    const padded = crops.map((crop) => withMargin(crop, Math.round(crop.height * opts.margin)))
    const order = padded
      .map((crop, index) => ({ index, ratio: crop.width / Math.max(1, crop.height) }))
      .sort((a, b) => a.ratio - b.ratio)
    for (let start = 0; start < order.length; start += opts.batchSize) {
      const group = order.slice(start, start + opts.batchSize)
      const batch = group.map((g) => padded[g.index]!)
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
        const decoded = CtcDecode.decode(models.labels, output.data, steps, classes, i * steps * classes, fractions[i])
        out[g.index] = {
          text: decoded.text,
          confidence: decoded.confidence,
          chars: withoutMargin(decoded.chars, crops[g.index]!, padded[g.index]!)
        }
      })
    }
    return out
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
  Layer.effect(TextRecognizer.TextRecognizer, Effect.flatMap(decodeOptions(Options, expected, options), make))
