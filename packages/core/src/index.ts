/**
 * @ocr2word/core: the document model, the stage services and the pipeline
 * that composes them.
 *
 * @since 0.1.0
 */
export * as Conversion from "./Conversion.ts"
export * as Document from "./Document.ts"
export * as DocumentWriter from "./DocumentWriter.ts"
export * as Geometry from "./Geometry.ts"
export * as ImageFormat from "./ImageFormat.ts"
export * as ImageSource from "./ImageSource.ts"
export * as LayoutAnalyzer from "./LayoutAnalyzer.ts"
export * as OptionDecoding from "./OptionDecoding.ts"
export * as PageBuilder from "./PageBuilder.ts"
export * as Pipeline from "./Pipeline.ts"
export * as Preprocessor from "./Preprocessor.ts"
export * as Raster from "./Raster.ts"
export * as StageError from "./StageError.ts"
export * as TextClassifier from "./TextClassifier.ts"
export * as TextCrop from "./TextCrop.ts"
export * as TextDetector from "./TextDetector.ts"
export * as TextNormalization from "./TextNormalization.ts"
export * as TextRecognizer from "./TextRecognizer.ts"
export * as TextScript from "./TextScript.ts"
