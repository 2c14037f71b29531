/**
 * @ocr2word/engines: pick OCR backends, layout analysers and writers by name
 * and get ready-made layers.
 *
 * @since 0.1.0
 */
export * as Engines from "./Engines.ts"
