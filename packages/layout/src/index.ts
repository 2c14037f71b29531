/**
 * @ocr2word/layout: layout analysis on recognised lines (reading order
 * across columns, paragraphs, headings).
 *
 * @since 0.1.0
 */
export * as LayoutOptionsError from "./LayoutOptionsError.ts"
export * as XyCutLayoutAnalyzer from "./XyCutLayoutAnalyzer.ts"
