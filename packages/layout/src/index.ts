/**
 * @ocr2word/layout: layout analysis on recognised lines (reading order
 * across columns, paragraphs, headings, tables, figures, lists, captions,
 * running heads).
 *
 * @since 0.1.0
 */
export * as BlockRoles from "./BlockRoles.ts"
export * as Figures from "./Figures.ts"
export * as LayoutOptionsError from "./LayoutOptionsError.ts"
export * as RuledTables from "./RuledTables.ts"
export * as UnruledTables from "./UnruledTables.ts"
export * as XyCutLayoutAnalyzer from "./XyCutLayoutAnalyzer.ts"
