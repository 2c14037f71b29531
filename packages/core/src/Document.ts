/**
 * The document model every pipeline produces and every writer consumes:
 * `Document > Page > Block > Line > Word`. Each node carries its geometry in
 * page pixels and a confidence in [0, 1]; a `Line` also knows its text
 * direction and its script mix. The schemas double as the JSON format of the
 * JSON writer and the benchmark.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Box, Quad } from "./Geometry.ts"

/** Which scripts a piece of text is written in. */
export const ScriptMix = Schema.Literals(["han", "latin", "mixed", "other", "none"])
export type ScriptMix = typeof ScriptMix.Type

/** How a line runs on the page. */
export const TextDirection = Schema.Literals(["horizontal", "vertical"])
export type TextDirection = typeof TextDirection.Type

/** A word (a run of Latin letters/digits, or a single Han character) in a line. */
export const Word = Schema.Struct({
  text: Schema.String,
  box: Box,
  confidence: Schema.Number
})
export type Word = typeof Word.Type

/** A line of text as detected and recognised. */
export const Line = Schema.Struct({
  text: Schema.String,
  box: Box,
  polygon: Quad,
  confidence: Schema.Number,
  direction: TextDirection,
  script: ScriptMix,
  words: Schema.Array(Word)
})
export type Line = typeof Line.Type

/** The role a block plays on the page. */
export const BlockKind = Schema.Literals([
  "heading",
  "paragraph",
  "list-item",
  "caption",
  "header",
  "footer",
  "page-number",
  "table",
  "figure"
])
export type BlockKind = typeof BlockKind.Type

/** A table cell: its place in the grid, its spans and its lines. */
export const TableCell = Schema.Struct({
  row: Schema.Number,
  column: Schema.Number,
  rowSpan: Schema.Number,
  columnSpan: Schema.Number,
  box: Box,
  lines: Schema.Array(Line)
})
export type TableCell = typeof TableCell.Type

/** How a `list-item` block is marked: its marker as written, its number and nesting level. */
export const ListInfo = Schema.Struct({
  /** bullet, decimal (1. 1) 1、), decimal-paren ((1)), chinese (一、), circled (①), lower-letter, upper-letter. */
  format: Schema.Literals(["bullet", "decimal", "decimal-paren", "chinese", "circled", "lower-letter", "upper-letter"]),
  /** The marker as it appears at the start of the first line, e.g. "1." or "•". */
  marker: Schema.String,
  /** The item's number (1 for bullets). */
  number: Schema.Number,
  /** Nesting level from the indent, 0 for the outermost list. */
  level: Schema.Number
})
export type ListInfo = typeof ListInfo.Type

/** A group of lines in reading order: a paragraph, a heading, a table, a figure... */
export const Block = Schema.Struct({
  kind: BlockKind,
  box: Box,
  confidence: Schema.Number,
  lines: Schema.Array(Line),
  /** Heading level (1 is the largest) for `heading` blocks. */
  level: Schema.optionalKey(Schema.Number),
  /** Estimated font size in page pixels (the body height of the text). */
  fontSize: Schema.optionalKey(Schema.Number),
  /** Horizontal alignment of the lines in the block. */
  alignment: Schema.optionalKey(Schema.Literals(["left", "center", "right", "justified"])),
  /** Index of the column the block sits in, counted from the left. */
  column: Schema.optionalKey(Schema.Number),
  /** Cells of a `table` block. */
  cells: Schema.optionalKey(Schema.Array(TableCell)),
  /** PNG bytes of a `figure` block, cropped from the page. */
  image: Schema.optionalKey(Schema.Uint8Array),
  /** Marker, number and level of a `list-item` block. */
  list: Schema.optionalKey(ListInfo)
})
export type Block = typeof Block.Type

/**
 * How many lines each stage of a page passed on: a line lost between two
 * stages shows as a drop between their counts.
 */
export const LineCounts = Schema.Struct({
  /** Text boxes the detector found. */
  detected: Schema.Number,
  /** Boxes the recogniser read as some text (not empty or blank). */
  recognised: Schema.Number,
  /** Lines left after the confidence filter (`minConfidence`). */
  kept: Schema.Number,
  /**
   * Lines in the page's blocks (table cells included). Layout joins the
   * pieces of one visual line, so fewer lines written than kept is not by
   * itself lost text: compare the character counts for that.
   */
  written: Schema.Number,
  /** Characters (white space left out) of the kept lines. */
  keptCharacters: Schema.optionalKey(Schema.Number),
  /** Characters (white space left out) in the page's blocks: below `keptCharacters` when layout lost text. */
  writtenCharacters: Schema.optionalKey(Schema.Number)
})
export type LineCounts = typeof LineCounts.Type

/** One page of the input, blocks in reading order. */
export const Page = Schema.Struct({
  index: Schema.Number,
  width: Schema.Number,
  height: Schema.Number,
  /** Clockwise rotation (degrees) applied to the source to make the text upright. */
  rotation: Schema.Literals([0, 90, 180, 270]),
  /** Skew (degrees) removed from the page after the rotation. */
  skew: Schema.Number,
  confidence: Schema.Number,
  blocks: Schema.Array(Block),
  /**
   * PNG bytes of the upright page image, when the layout stage was asked to
   * keep it (e.g. for a Word page with the original image behind the text).
   */
  image: Schema.optionalKey(Schema.Uint8Array),
  /** Lines passed on by each stage, filled in by the pipeline. */
  lineCounts: Schema.optionalKey(LineCounts)
})
export type Page = typeof Page.Type

/** A file carried with a document: its media type and bytes. */
export const Attachment = Schema.Struct({
  mediaType: Schema.String,
  bytes: Schema.Uint8Array
})
export type Attachment = typeof Attachment.Type

/** A whole recognised document. */
export const Document = Schema.Struct({
  pages: Schema.Array(Page),
  metadata: Schema.Struct({
    /** Name of the input (file name or URL), where known. */
    source: Schema.optionalKey(Schema.String),
    /** Names of the backends that produced the document, e.g. "paddle". */
    engine: Schema.String,
    createdAt: Schema.String
  }),
  /**
   * The file the document was read from, byte for byte, when that file is
   * itself an answer (the .docx a remote OCR service wrote): a writer of the
   * same media type hands it out unchanged. Plain data, so it travels with
   * the document across worker threads.
   */
  original: Schema.optionalKey(Attachment)
})
export type Document = typeof Document.Type

/** Lines of a page in reading order (block by block; table cells row by row). */
export const pageLines = (page: Page): ReadonlyArray<Line> =>
  page.blocks.flatMap((block) =>
    block.cells !== undefined && block.cells.length > 0
      ? [...block.cells].sort((a, b) => a.row - b.row || a.column - b.column).flatMap((cell) => cell.lines)
      : block.lines
  )

/** Plain text of a document: lines joined by newlines, blocks by blank lines, pages by form feeds. */
export const toPlainText = (document: Document): string =>
  document.pages
    .map((page) =>
      page.blocks
        .map((block) =>
          (block.cells !== undefined && block.cells.length > 0
            ? [...block.cells].sort((a, b) => a.row - b.row || a.column - b.column).flatMap((c) => c.lines)
            : block.lines
          )
            .map((line) => line.text)
            .join("\n")
        )
        .filter((text) => text.length > 0)
        .join("\n\n")
    )
    .join("\n\f\n")
