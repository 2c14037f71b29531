/**
 * @ocr2word/formats: more `DocumentWriter`s beside @ocr2word/docx's Word,
 * text and JSON: hOCR and ALTO XML for tools that read OCR geometry,
 * Markdown, and a searchable PDF (page image plus invisible text).
 *
 * @since 0.1.0
 */
export * as AltoDocumentWriter from "./AltoDocumentWriter.ts"
export * as FormatsOptionsError from "./FormatsOptionsError.ts"
export * as HocrDocumentWriter from "./HocrDocumentWriter.ts"
export * as MarkdownDocumentWriter from "./MarkdownDocumentWriter.ts"
export * as PdfDocumentWriter from "./PdfDocumentWriter.ts"
