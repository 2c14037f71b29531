/**
 * @ocr2word/docx: document writers for Word (.docx), plain text and JSON.
 *
 * @since 0.1.0
 */
export * as DocxDocumentWriter from "./DocxDocumentWriter.ts"
export * as DocxOptionsError from "./DocxOptionsError.ts"
export * as JsonDocumentWriter from "./JsonDocumentWriter.ts"
export * as TextDocumentWriter from "./TextDocumentWriter.ts"
