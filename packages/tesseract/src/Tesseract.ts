/**
 * The whole Tesseract backend in one layer: detector and recogniser sharing
 * one worker pool. Tesseract has no line-orientation classifier; pair it with
 * `TextClassifier.none` or another backend's classifier. Provide it with an
 * image source, a preprocessor, a classifier and a layout analyser to get a
 * `Pipeline`.
 *
 * @since 0.1.0
 */
import type { StageError, TextDetector, TextRecognizer } from "@ocr2word/core"
import { Layer } from "effect"
import * as TesseractTextDetector from "./TesseractTextDetector.ts"
import * as TesseractTextRecognizer from "./TesseractTextRecognizer.ts"
import * as TesseractWorkers from "./TesseractWorkers.ts"

/** Detector and recogniser over any workers layer. */
export const layerWithWorkers = <E>(
  workers: Layer.Layer<TesseractWorkers.TesseractWorkers, E>
): Layer.Layer<TextDetector.TextDetector | TextRecognizer.TextRecognizer, E> =>
  Layer.mergeAll(TesseractTextDetector.layer, TesseractTextRecognizer.layer).pipe(Layer.provide(workers))

/** Detector and recogniser on one worker with chi_sim + eng. */
export const layer: Layer.Layer<TextDetector.TextDetector | TextRecognizer.TextRecognizer, StageError.ModelLoadError> =
  layerWithWorkers(TesseractWorkers.layer)
