/**
 * The `Preprocessor` stage without a model: finds whether the page is
 * sideways (text lines running up or down) and removes small skew (up to
 * `maxSkew`, 15 degrees by default), using projection profiles of a
 * binarised copy scaled to at most 1024 pixels. On by default.
 *
 * It only decides 0 versus 90 degrees: a sideways page is turned 90 degrees
 * clockwise and reported as rotation 90; whether the result is upside down is
 * decided later by the pipeline's text-line classifier, which then turns the
 * page by 180 (making it 270). It is conservative: one line, a few words, a
 * photo with little text, vertical Chinese or a table is left as it is unless
 * the evidence is clear, since a wrong turn costs far more than a missed one.
 *
 * @since 0.1.0
 */
import { OptionDecoding, Preprocessor, type Raster, StageError } from "@ocr2word/core"
import { Effect, Layer, Schema } from "effect"
import * as ImageCodec from "./ImageCodec.ts"
import { ImageOptionsError } from "./ImageOptionsError.ts"
import { analyzePage } from "./internal/page-geometry.ts"

/** Options of the preprocessor. */
export const Options = Schema.Struct({
  /** Detect sideways pages and turn them upright. */
  orientation: OptionDecoding.optional(Schema.Boolean, "a boolean"),
  /** Detect and remove small skew. */
  deskew: OptionDecoding.optional(Schema.Boolean, "a boolean"),
  /** Largest skew searched for, in degrees. */
  maxSkew: OptionDecoding.numberBetween(1, 45)
})
export type Options = typeof Options.Type

/** The options `layer` uses: orientation and deskew on, up to 15 degrees of skew. */
export const defaultOptions: Required<Options> = { orientation: true, deskew: true, maxSkew: 15 }

/** Longest side of the copy the analysis runs on. */
const ANALYSIS_SIZE = 1024

const makeWith = (options: Required<Options>): Preprocessor.Preprocessor["Service"] => {
  const process = Effect.fn("ImagePreprocessor.process")(function* (image: Raster.Raster) {
    if (!options.orientation && !options.deskew) return { image, rotation: 0 as const, skew: 0 }
    if (image.width < 8 || image.height < 8 || image.data.length !== image.width * image.height * image.channels) {
      return yield* new StageError.PreprocessError({
        reason: "Failed",
        message: `Expected a raster of at least 8x8 pixels with width x height x channels bytes but received ${image.width}x${image.height}x${image.channels} with ${image.data.length} bytes`
      })
    }
    const small = yield* Effect.withSpan(
      ImageCodec.fromSharp(
        ImageCodec.toSharp(image).resize(ANALYSIS_SIZE, ANALYSIS_SIZE, { fit: "inside", withoutEnlargement: true }),
        1
      ),
      "ImagePreprocessor.downscale"
    )
    const analysis = yield* Effect.withSpan(
      Effect.sync(() => analyzePage(small, options)),
      "ImagePreprocessor.analyze"
    )
    const rotation = analysis.sideways ? (90 as const) : (0 as const)
    yield* Effect.annotateCurrentSpan({ rotation, skew: analysis.skew })
    const turn = rotation - analysis.skew
    if (turn === 0) return { image, rotation, skew: 0 }
    // One resampling for both the quarter turn and the deskew; the new corners get the page's own background.
    const upright = yield* Effect.withSpan(
      ImageCodec.rotate(image, turn, ImageCodec.borderColour(image)),
      "ImagePreprocessor.rotate"
    )
    return { image: upright, rotation, skew: analysis.skew }
  })
  return Preprocessor.Preprocessor.of({ process })
}

/** Decode `options` (sharp-style errors) and build the service. */
export const make = (options?: Options): Effect.Effect<Preprocessor.Preprocessor["Service"], ImageOptionsError> =>
  Effect.map(
    OptionDecoding.decode(Options, options, (invalid) => new ImageOptionsError(invalid)),
    (decoded) => makeWith({ ...defaultOptions, ...decoded })
  )

/** The preprocessor with orientation and deskew on, skew up to 15 degrees. */
export const layer: Layer.Layer<Preprocessor.Preprocessor> = Layer.succeed(
  Preprocessor.Preprocessor,
  makeWith(defaultOptions)
)

/** The preprocessor with the given options. */
export const layerWith = (options: Options): Layer.Layer<Preprocessor.Preprocessor, ImageOptionsError> =>
  Layer.effect(Preprocessor.Preprocessor, make(options))
