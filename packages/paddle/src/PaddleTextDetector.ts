/**
 * The `TextDetector` stage on PaddleOCR's DB detector (PP-OCRv4 det). The page
 * gets a white margin first, so that text touching its edges (tight line
 * crops, screenshots) is found whole; then it is scaled like PaddleOCR's
 * `DetResizeForTest` (sides multiples of 32, the longest at most
 * `maxSide`, the shortest at least `minSide` so a single small line is
 * enlarged), and the probability map goes through `DbPostprocess`. Boxes come
 * back in page pixels.
 *
 * @since 0.1.0
 */
import { Raster, StageError, TextDetector } from "@ocr2word/core"
import { Effect, Layer, Schema } from "effect"
import * as DbPostprocess from "./DbPostprocess.ts"
import { detectionInput } from "./internal/model-input.ts"
import { decodeOptions } from "./internal/options.ts"
import { PaddleModels } from "./PaddleModels.ts"
import type { PaddleOptionsError } from "./PaddleOptionsError.ts"

/** Options of the detector. */
export const Options = Schema.Struct({
  /** The longest side of the detector input, in pixels (PaddleOCR's `det_limit_side_len`). */
  maxSide: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 32, maximum: 8192 }))),
  /** The shortest side of the detector input: smaller pages are enlarged to it. */
  minSide: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 8192 }))),
  /** White margin added around the page, as a fraction of its shorter side (clamped to 8..64 px). */
  margin: Schema.optionalKey(Schema.Number.check(Schema.isBetween({ minimum: 0, maximum: 2 }))),
  /** Pixels with a text probability above this are text (`det_db_thresh`). */
  threshold: Schema.optionalKey(Schema.Number.check(Schema.isBetween({ minimum: 0, maximum: 1 }))),
  /** Boxes with a lower mean probability are dropped (`det_db_box_thresh`). */
  boxThreshold: Schema.optionalKey(Schema.Number.check(Schema.isBetween({ minimum: 0, maximum: 1 }))),
  /** How far boxes are grown back from the text kernel (`det_db_unclip_ratio`). */
  unclipRatio: Schema.optionalKey(Schema.Number.check(Schema.isBetween({ minimum: 0.5, maximum: 5 })))
})
export type Options = typeof Options.Type

const expected = {
  maxSide: "an integer between 32 and 8192",
  minSide: "an integer between 0 and 8192",
  margin: "a number between 0 and 2",
  threshold: "a number between 0 and 1",
  boxThreshold: "a number between 0 and 1",
  unclipRatio: "a number between 0.5 and 5"
} as const

export const defaultOptions: Required<Options> = {
  maxSide: 960,
  minSide: 96,
  margin: 0.5,
  threshold: DbPostprocess.defaultOptions.threshold,
  boxThreshold: DbPostprocess.defaultOptions.boxThreshold,
  unclipRatio: 1.5
}

/** The white margin put around a page before detection. */
export const marginFor = (width: number, height: number, margin: number): number =>
  margin === 0 ? 0 : Math.round(Math.min(64, Math.max(8, Math.min(width, height) * margin)))

/** Build the detector on the models in context. */
export const make = Effect.fn("PaddleTextDetector.make")(function* (options: Options = {}) {
  const opts = { ...defaultOptions, ...options }
  const models = yield* PaddleModels
  const post: DbPostprocess.Options = { ...DbPostprocess.defaultOptions, ...opts }

  const detect = Effect.fn("PaddleTextDetector.detect")(function* (image: Raster.Raster) {
    if (image.width < 1 || image.height < 1) {
      return yield* new StageError.DetectionError({
        reason: "InvalidInput",
        message: `Cannot detect text on an empty ${image.width}x${image.height} image: give a page with pixels`
      })
    }
    const pad = marginFor(image.width, image.height, opts.margin)
    const page = pad > 0 ? Raster.pad(image, pad, 255) : image
    const input = detectionInput(page, opts.minSide, opts.maxSide)
    const output = yield* models.run(models.detection, input.tensor.data, input.tensor.dims).pipe(
      Effect.mapError(
        (cause) =>
          new StageError.DetectionError({
            reason: "InferenceFailed",
            message: `Text detection failed on a ${image.width}x${image.height} page: ${(cause as Error)?.message ?? cause}`,
            cause
          })
      )
    )
    const [, , h, w] = output.dims as [number, number, number, number]
    const found = DbPostprocess.boxes({ width: w, height: h, data: output.data }, post)
    const toPage = (p: { x: number; y: number }) => ({
      x: Math.min(image.width, Math.max(0, p.x / input.scaleX - pad)),
      y: Math.min(image.height, Math.max(0, p.y / input.scaleY - pad))
    })
    return found
      .map((b) => ({
        polygon: b.polygon.map(toPage) as unknown as TextDetector.DetectedText["polygon"],
        score: b.score
      }))
      .filter((b) => {
        const [tl, tr, , bl] = b.polygon
        // As PaddleOCR's filter_tag_det_res: boxes thinner than 4 px hold no readable text.
        return Math.hypot(tr.x - tl.x, tr.y - tl.y) > 3 && Math.hypot(bl.x - tl.x, bl.y - tl.y) > 3
      })
  })

  return TextDetector.TextDetector.of({ name: "paddle", detect })
})

/** The detector with PaddleOCR's defaults (plus the page margin). */
export const layer: Layer.Layer<TextDetector.TextDetector, never, PaddleModels> = Layer.effect(
  TextDetector.TextDetector,
  make()
)

/** The detector with the given options. */
export const layerWith = (options: Options): Layer.Layer<TextDetector.TextDetector, PaddleOptionsError, PaddleModels> =>
  Layer.effect(TextDetector.TextDetector, Effect.flatMap(decodeOptions(Options, expected, options), make))
