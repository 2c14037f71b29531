/**
 * The whole PaddleOCR backend in one layer: detector, line classifier and
 * recogniser sharing one set of loaded models. Provide it with an image
 * source, a preprocessor and a layout analyser to get a `Pipeline`.
 *
 * @since 0.1.0
 */
import type { StageError, TextClassifier, TextDetector, TextRecognizer } from "@ocr2word/core"
import { Layer } from "effect"
import * as PaddleModels from "./PaddleModels.ts"
import * as PaddleTextClassifier from "./PaddleTextClassifier.ts"
import * as PaddleTextDetector from "./PaddleTextDetector.ts"
import * as PaddleTextRecognizer from "./PaddleTextRecognizer.ts"

/** The three Paddle stages on the stages' layer over any models layer. */
export const layerWithModels = <E>(
  models: Layer.Layer<PaddleModels.PaddleModels, E>
): Layer.Layer<TextDetector.TextDetector | TextClassifier.TextClassifier | TextRecognizer.TextRecognizer, E> =>
  Layer.mergeAll(PaddleTextDetector.layer, PaddleTextClassifier.layer, PaddleTextRecognizer.layer).pipe(
    Layer.provide(models)
  )

/** Detector, classifier and recogniser on the default PP-OCRv4 models. */
export const layer: Layer.Layer<
  TextDetector.TextDetector | TextClassifier.TextClassifier | TextRecognizer.TextRecognizer,
  StageError.ModelLoadError
> = layerWithModels(PaddleModels.layer)
