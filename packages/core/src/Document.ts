/**
 * The document model every pipeline produces and every writer consumes:
 * `Document > Page > Block > Line > Word`. Each node carries its geometry in
 * page pixels and a confidence in [0, 1]; a `Line` also knows its text
 * direction and its script mix. A `Block` is a union told apart by its
 * `kind`: text blocks (paragraph, heading, list item, caption, running heads,
 * page number) hold lines, a `Table` holds cells that hold lines (read with
 * `tableRows`, `tableGrid`, `tableLines`), a `Figure` holds a picture.
 * `blockLines` and `pageLines` give any block's or page's lines in reading
 * order. The schemas double as the JSON format of the JSON writer and the
 * benchmark: a block is an object with its `kind` and that kind's fields.
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

/** Horizontal alignment of a block's lines (or picture) in its column. */
export const Alignment = Schema.Literals(["left", "center", "right", "justified"])
export type Alignment = typeof Alignment.Type

/** What every block has: where it is and how sure its reading is. */
const placed = { box: Box, confidence: Schema.Number }

/** Index of the column the block sits in, counted from the left. */
const column = { column: Schema.optionalKey(Schema.Number) }

/** What every block of text lines has. */
const text = {
  ...placed,
  /** The block's lines in reading order. */
  lines: Schema.Array(Line),
  /** Estimated font size in page pixels (the body height of the text). */
  fontSize: Schema.optionalKey(Schema.Number),
  alignment: Schema.optionalKey(Alignment),
  ...column
}

/** Body text. */
export const Paragraph = Schema.Struct({ kind: Schema.tag("paragraph"), ...text })
export type Paragraph = typeof Paragraph.Type

/** A title or section heading. */
export const Heading = Schema.Struct({
  kind: Schema.tag("heading"),
  ...text,
  /** 1 for the largest headings of the page, up to 6. */
  level: Schema.Number
})
export type Heading = typeof Heading.Type

/** One item of a list; its first line starts with the marker. */
export const ListItem = Schema.Struct({
  kind: Schema.tag("list-item"),
  ...text,
  /** Marker, number and nesting level; absent where the source does not tell them (a Word file's numbering). */
  list: Schema.optionalKey(ListInfo)
})
export type ListItem = typeof ListItem.Type

/** The caption of a figure or table ("Figure 2 ...", "表 1 ..."). */
export const Caption = Schema.Struct({ kind: Schema.tag("caption"), ...text })
export type Caption = typeof Caption.Type

/** A running head in the top margin. */
export const Header = Schema.Struct({ kind: Schema.tag("header"), ...text })
export type Header = typeof Header.Type

/** A running foot in the bottom margin. */
export const Footer = Schema.Struct({ kind: Schema.tag("footer"), ...text })
export type Footer = typeof Footer.Type

/** A page number in a margin. */
export const PageNumber = Schema.Struct({ kind: Schema.tag("page-number"), ...text })
export type PageNumber = typeof PageNumber.Type

/**
 * A table: its cells hold its lines, so it has no lines of its own; read
 * them with `tableLines` (row by row), `tableRows` or `tableGrid`.
 */
export const Table = Schema.Struct({
  kind: Schema.tag("table"),
  ...placed,
  ...column,
  /** The cells, each at its grid row and column; cells spanning several take their first row and column. */
  cells: Schema.Array(TableCell)
})
export type Table = typeof Table.Type

/** A picture cut from the page; labels printed on it stay page text. */
export const Figure = Schema.Struct({
  kind: Schema.tag("figure"),
  ...placed,
  alignment: Schema.optionalKey(Alignment),
  ...column,
  /** PNG bytes cropped from the page (absent when the source gives no picture). */
  image: Schema.optionalKey(Schema.Uint8Array)
})
export type Figure = typeof Figure.Type

/**
 * A part of a page in reading order, told apart by its `kind`: the type says
 * which fields each kind has (`level` only on headings, `list` only on list
 * items, `cells` only on tables, `image` only on figures). `Block.match`
 * switches on the kind; `Block.isAnyOf(["heading", "paragraph"])` narrows.
 * In JSON a block is an object with its `kind` and that kind's fields.
 */
export const Block = Schema.Union([
  Heading,
  Paragraph,
  ListItem,
  Caption,
  Header,
  Footer,
  PageNumber,
  Table,
  Figure
]).pipe(Schema.toTaggedUnion("kind"))
export type Block = typeof Block.Type

/** The role a block plays on the page. */
export const BlockKind = Schema.Literals(Block.discriminants)
export type BlockKind = Block["kind"]

/** Blocks made of text lines (all but tables and figures). */
export type TextBlock = Exclude<Block, Table | Figure>

/** Whether a block is made of text lines (every kind but tables and figures). */
export const isTextBlock = (block: Block): block is TextBlock => block.kind !== "table" && block.kind !== "figure"

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
   * PNG bytes of the upright page image, when the pipeline was asked to keep
   * it (e.g. for a Word page with the original image behind the text).
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

/** Anything placed in a grid (table cells, scored cells) row by row, left to right in each row. */
export const byGridPosition = <C extends { readonly row: number; readonly column: number }>(
  cells: ReadonlyArray<C>
): Array<C> => [...cells].sort((a, b) => a.row - b.row || a.column - b.column)

/** Rows and columns of a table's grid (spans included). */
export const tableSize = (table: Table): { readonly rows: number; readonly columns: number } => ({
  rows: Math.max(0, ...table.cells.map((c) => c.row + c.rowSpan)),
  columns: Math.max(0, ...table.cells.map((c) => c.column + c.columnSpan))
})

/**
 * The cells of a table by grid row, left to right: row `r` holds the cells
 * that start in it (a cell spanning rows is in its first row only), so a row
 * covered only by cells from above is empty.
 */
export const tableRows = (table: Table): ReadonlyArray<ReadonlyArray<TableCell>> => {
  const rows = Array.from({ length: tableSize(table).rows }, (): Array<TableCell> => [])
  for (const cell of byGridPosition(table.cells)) rows[cell.row]!.push(cell)
  return rows
}

/**
 * The table as a full grid, `grid[row][column]`: every slot holds the cell
 * covering it (a spanning cell fills each slot it spans), or `undefined`
 * where no cell does.
 */
export const tableGrid = (table: Table): ReadonlyArray<ReadonlyArray<TableCell | undefined>> => {
  const { rows, columns } = tableSize(table)
  const grid = Array.from({ length: rows }, (): Array<TableCell | undefined> => Array(columns).fill(undefined))
  for (const cell of table.cells) {
    for (let r = cell.row; r < cell.row + cell.rowSpan; r++) {
      for (let c = cell.column; c < cell.column + cell.columnSpan; c++) grid[r]![c] = cell
    }
  }
  return grid
}

/** Lines of a table in reading order: cells row by row, left to right. */
export const tableLines = (table: Table): ReadonlyArray<Line> => byGridPosition(table.cells).flatMap((c) => c.lines)

/** Lines of a block in reading order: a table's cells row by row, none for a figure. */
export const blockLines = (block: Block): ReadonlyArray<Line> =>
  block.kind === "table" ? tableLines(block) : block.kind === "figure" ? [] : block.lines

/** Lines of a page in reading order (block by block; table cells row by row). */
export const pageLines = (page: Page): ReadonlyArray<Line> => page.blocks.flatMap(blockLines)

/** Plain text of a document: lines joined by newlines, blocks by blank lines, pages by form feeds. */
export const toPlainText = (document: Document): string =>
  document.pages
    .map((page) =>
      page.blocks
        .map((block) =>
          blockLines(block)
            .map((line) => line.text)
            .join("\n")
        )
        .filter((text) => text.length > 0)
        .join("\n\n")
    )
    .join("\n\f\n")
