/**
 * @ocr2word/image: decoding (sharp, plus a BMP decoder), encoding helpers and
 * the page preprocessor (orientation and deskew).
 *
 * @since 0.1.0
 */
export * as BmpDecoder from "./BmpDecoder.ts"
export * as ImageCodec from "./ImageCodec.ts"
export * as ImageOptionsError from "./ImageOptionsError.ts"
export * as ImagePreprocessor from "./ImagePreprocessor.ts"
export * as SharpImageSource from "./SharpImageSource.ts"
