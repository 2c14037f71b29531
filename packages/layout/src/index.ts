/**
 * @ocr2word/layout: layout analysis on recognised lines (reading order,
 * paragraphs, headings).
 *
 * @since 0.1.0
 */
export * as XyCutLayoutAnalyzer from "./XyCutLayoutAnalyzer.ts"
