/**
 * The `TextClassifier` stage on PaddleOCR's text-line orientation model: is a
 * line crop upright (0) or upside down (180)? The model takes 48 x 192 inputs.
 * PaddleOCR squeezes a whole line into that, which on long lines (a full
 * width line of a page is 40 times wider than high) squashes the glyphs out
 * of recognition and gives confident wrong answers. Here a long crop is read
 * through up to three windows of the model's own shape (left, middle, right)
 * and their probabilities are averaged.
 *
 * @since 0.1.0
 */
import { Raster, StageError, TextClassifier } from "@ocr2word/core"
import { Effect, Layer } from "effect"
import { lineBatch } from "./internal/model-input.ts"
import { PaddleModels } from "./PaddleModels.ts"

const HEIGHT = 48
const WIDTH = 192
const BATCH = 6
const MAX_WINDOWS = 3

/**
 * The parts of a crop the model looks at: the crop itself when it is at most
 * a little wider than the model's 4:1 input, otherwise windows of that shape
 * spread evenly over it.
 */
export const windows = (crop: Raster.Raster): ReadonlyArray<Raster.Raster> => {
  const windowWidth = Math.round((crop.height * WIDTH) / HEIGHT)
  if (crop.width <= windowWidth * 1.5) return [crop]
  const count = Math.min(MAX_WINDOWS, Math.ceil(crop.width / windowWidth))
  const step = (crop.width - windowWidth) / (count - 1)
  return Array.from({ length: count }, (_, i) =>
    Raster.crop(crop, { x: Math.round(i * step), y: 0, width: windowWidth, height: crop.height })
  )
}

/** Build the classifier on the models in context. */
export const make = Effect.gen(function* () {
  const models = yield* PaddleModels

  const classify = Effect.fn("PaddleTextClassifier.classify")(function* (crops: ReadonlyArray<Raster.Raster>) {
    const parts = crops.flatMap((crop, owner) => windows(crop).map((image) => ({ owner, image })))
    const upright = new Float64Array(crops.length)
    const counts = new Float64Array(crops.length)
    for (let start = 0; start < parts.length; start += BATCH) {
      const batch = parts.slice(start, start + BATCH)
      const { tensor } = lineBatch(
        batch.map((p) => p.image),
        HEIGHT,
        WIDTH
      )
      const output = yield* models.run(models.classification, tensor.data, tensor.dims).pipe(
        Effect.mapError(
          (cause) =>
            new StageError.ClassificationError({
              reason: "InferenceFailed",
              message: `Line orientation failed on ${batch.length} crops: ${(cause as Error)?.message ?? cause}`,
              cause
            })
        )
      )
      batch.forEach((p, i) => {
        const up = output.data[i * 2]!
        const down = output.data[i * 2 + 1]!
        upright[p.owner]! += up / (up + down || 1)
        counts[p.owner]! += 1
      })
    }
    return crops.map((_, i): TextClassifier.LineOrientation => {
      const up = counts[i]! === 0 ? 1 : upright[i]! / counts[i]!
      return up >= 0.5 ? { angle: 0, confidence: up } : { angle: 180, confidence: 1 - up }
    })
  })

  return TextClassifier.TextClassifier.of({ name: "paddle", classify })
})

/** The 0/180 line classifier. */
export const layer: Layer.Layer<TextClassifier.TextClassifier, never, PaddleModels> = Layer.effect(
  TextClassifier.TextClassifier,
  make
)
