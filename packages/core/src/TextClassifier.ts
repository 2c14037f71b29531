/**
 * The stage that tells whether a text-line crop is upside down. The pipeline
 * turns the whole page by 180 degrees when the lines it is sure are upside
 * down hold most of the page's text, and reads a line that disagrees with its
 * page both ways, keeping the surer reading. `TextClassifier.none` says every
 * line is upright.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { Raster } from "./Raster.ts"
import type { ClassificationError } from "./StageError.ts"

/** Orientation of one line crop. */
export interface LineOrientation {
  readonly angle: 0 | 180
  readonly confidence: number
}

/**
 * The stage that tells upright text-line crops from upside-down ones (0 or 180 degrees); `none` keeps every crop
 * as it is.
 */
export class TextClassifier extends Context.Service<
  TextClassifier,
  {
    readonly name: string
    readonly classify: (
      crops: ReadonlyArray<Raster>
    ) => Effect.Effect<ReadonlyArray<LineOrientation>, ClassificationError>
  }
>()("@ocr2word/core/TextClassifier") {
  /** A classifier that finds every line upright. */
  static readonly none: Layer.Layer<TextClassifier> = Layer.succeed(
    TextClassifier,
    TextClassifier.of({
      name: "none",
      classify: (crops) => Effect.succeed(crops.map(() => ({ angle: 0 as const, confidence: 1 })))
    })
  )
}
