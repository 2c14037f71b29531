/**
 * The stage between decoding and detection: finds the page orientation
 * (0/90/180/270), removes small skew and returns the upright page.
 * `Preprocessor.identity` leaves the page as it is.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { Raster } from "./Raster.ts"
import type { PreprocessError } from "./StageError.ts"

/** An upright page and what was done to get it. */
export interface PreprocessedPage {
  readonly image: Raster
  /** Clockwise rotation applied to the input, in degrees. */
  readonly rotation: 0 | 90 | 180 | 270
  /** Skew removed after the rotation, in degrees (positive: the text sloped down to the right). */
  readonly skew: number
}

/**
 * The stage that straightens a decoded page (orientation, deskew) before detection, reporting the rotation it
 * applied.
 */
export class Preprocessor extends Context.Service<
  Preprocessor,
  {
    readonly process: (image: Raster) => Effect.Effect<PreprocessedPage, PreprocessError>
  }
>()("@ocr2word/core/Preprocessor") {
  /** A preprocessor that changes nothing. */
  static readonly identity: Layer.Layer<Preprocessor> = Layer.succeed(
    Preprocessor,
    Preprocessor.of({ process: (image) => Effect.succeed({ image, rotation: 0, skew: 0 }) })
  )
}
