/**
 * @ocr2word/paddle: PaddleOCR (PP-OCRv4) text detection, line orientation and
 * recognition on ONNX Runtime, with the model-free parts (DB post-processing,
 * CTC decoding) as pure modules.
 *
 * @since 0.1.0
 */
export * as CtcDecode from "./CtcDecode.ts"
export * as DbPostprocess from "./DbPostprocess.ts"
export * as Paddle from "./Paddle.ts"
export * as PaddleModels from "./PaddleModels.ts"
export * as PaddleOptionsError from "./PaddleOptionsError.ts"
export * as PaddleTextClassifier from "./PaddleTextClassifier.ts"
export * as PaddleTextDetector from "./PaddleTextDetector.ts"
export * as PaddleTextRecognizer from "./PaddleTextRecognizer.ts"
