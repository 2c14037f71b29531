/**
 * @ocr2word/tesseract: Tesseract (tesseract.js 7, chi_sim + eng LSTM models
 * bundled, nothing downloaded) as a text detector (its page segmentation) and
 * a line recogniser, interchangeable with any other backend's stages.
 *
 * @since 0.1.0
 */
export * as Tesseract from "./Tesseract.ts"
export * as TesseractOptionsError from "./TesseractOptionsError.ts"
export * as TesseractTextDetector from "./TesseractTextDetector.ts"
export * as TesseractTextRecognizer from "./TesseractTextRecognizer.ts"
export * as TesseractWorkers from "./TesseractWorkers.ts"
