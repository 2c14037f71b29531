/**
 * Tables without rules between columns, found from how the text lines line
 * up: runs of consecutive visual rows whose pieces (separately detected
 * lines) fall into the same three or more columns of white space. Body text
 * set in several page columns also lines up, so runs whose pieces are long
 * prose lines filling their column are not tables.
 *
 * Use `find` on the lines left after ruled tables, headers and footers are
 * taken out.
 *
 * @since 0.1.0
 */
import type { Document } from "@ocr2word/core"
import { median } from "./internal/binary-image.ts"
import { textUnits } from "./internal/line-metrics.ts"
import type { FoundTable } from "./internal/table-cells.ts"
import { COLUMN_GAP, projectColumns, type Row, tableOfRows, visualRows } from "./internal/table-rows.ts"

/** Options of the unruled table finder. */
export interface Options {
  /** Fewest rows of a table. */
  readonly minRows: number
  /** Fewest columns of a table. */
  readonly minColumns: number
}

/** The smallest grid taken for a table without rules: three rows and three columns. */
export const defaultOptions: Options = { minRows: 3, minColumns: 3 }

/**
 * Cells whose text is this long (median, in Latin character widths, a Han
 * character counting two) are lines of prose: no text column holds lines of
 * fewer (16 Latin or 8 Han characters, the narrowest newspaper columns),
 * while a table's cells (names, numbers, dates, labels) are mostly shorter.
 * Measured with the PaddleOCR lines of every page fixed (layout alone):
 * two synth-docs newspapers of six narrow columns had been taken for tables
 * of 88 and 91 rows (cells of 24 and 47 characters, median): 77.0 % ->
 * 23.4 % and 75.7 % -> 37.3 % CER; no page of synth-docs, real-dev or
 * real-dev-2 lost a table.
 */
const PROSE_CELL_UNITS = 16

/** Whether a piece's middle falls in the column `[s, e]`. */
const inColumn = (piece: Row[number], [s, e]: readonly [number, number]): boolean => {
  const middle = piece.box.x + piece.box.width / 2
  return middle >= s && middle <= e
}

/** Text lengths of the non-empty cells: the pieces of each row whose middle falls in each column, joined. */
const cellUnits = (rows: ReadonlyArray<Row>, columns: ReadonlyArray<readonly [number, number]>): Array<number> =>
  rows.flatMap((row) =>
    columns.flatMap((column) => {
      const inside = row.filter((l) => inColumn(l, column))
      return inside.length === 0 ? [] : [inside.reduce((n, l) => n + textUnits(l.text), 0)]
    })
  )

/** Whether rows lined up in `columns` read as a table rather than page columns of prose. */
const tableLike = (rows: ReadonlyArray<Row>, columns: ReadonlyArray<readonly [number, number]>, minColumns: number) => {
  if (columns.length < minColumns) return false
  const pieces = rows.flat()
  const fills = pieces.map((l) => {
    const col = columns.find((column) => inColumn(l, column))
    return col === undefined ? 1 : l.box.width / Math.max(1, col[1] - col[0])
  })
  const lengths = pieces.map((l) => [...l.text].length)
  // Table cells are short; page columns hold lines of a dozen characters or more, filling their column.
  // Counted per cell too (the pieces of one row in one column joined): a detector splits justified
  // lines of narrow newspaper columns at their word gaps into pieces of a few words each.
  const prose =
    median(lengths) >= 12 ||
    (median(fills) >= 0.85 && median(lengths) >= 8) ||
    median(cellUnits(rows, columns)) >= PROSE_CELL_UNITS
  // Most rows must have a piece in most columns.
  const filledRows = rows.filter((r) => r.length >= Math.max(2, Math.ceil(columns.length * 0.6))).length
  return !prose && filledRows >= rows.length * 0.7
}

/**
 * Whether the text right above and below rows `first..last` carries on
 * inside their columns: then the columns are page columns of text, not a
 * table (text around a table spans it, or there is none).
 */
const columnsGoOn = (rows: ReadonlyArray<Row>, first: number, last: number, lineHeight: number): boolean => {
  const run = rows.slice(first, last + 1)
  const columns = projectColumns(run, lineHeight * COLUMN_GAP)
  const top = Math.min(...run[0]!.map((l) => l.box.y))
  const bottom = Math.max(...run[run.length - 1]!.map((l) => l.box.y + l.box.height))
  const inOneColumn = (row: Row | undefined, near: (l: Document.Line) => boolean) =>
    (row ?? []).some(
      (l) =>
        near(l) &&
        [...l.text].length >= 6 &&
        columns.some(([s, e]) => l.box.x >= s - lineHeight && l.box.x + l.box.width <= e + lineHeight)
    )
  // Both sides: a table may sit under a heading or a short line of its own column.
  return (
    inOneColumn(rows[first - 1], (l) => l.box.y + l.box.height >= top - lineHeight * 1.5) &&
    inOneColumn(rows[last + 1], (l) => l.box.y <= bottom + lineHeight * 1.5)
  )
}

/** Unruled tables among `lines`, cells filled, top to bottom. */
export const find = (lines: ReadonlyArray<Document.Line>, options: Partial<Options> = {}): Array<FoundTable> => {
  const opts = { ...defaultOptions, ...options }
  const lineHeight = median(lines.map((l) => l.box.height)) || 20
  const rows = visualRows(lines)
  const found: Array<FoundTable> = []
  let i = 0
  while (i < rows.length) {
    if (rows[i]!.length < 2) {
      i++
      continue
    }
    // Grow a run of multi-piece rows that stay close and keep >= minColumns columns.
    let j = i + 1
    let best = -1
    while (j < rows.length) {
      const prev = rows[j - 1]!
      const next = rows[j]!
      const gap = Math.min(...next.map((l) => l.box.y)) - Math.max(...prev.map((l) => l.box.y + l.box.height))
      if (gap > lineHeight * 2.5) break
      // Single-piece rows may be a cell that wraps or a spanning cell, but not two in a row.
      if (next.length < 2 && (j + 1 >= rows.length || rows[j + 1]!.length < 2)) break
      const run = rows.slice(i, j + 1)
      const columns = projectColumns(run, lineHeight * COLUMN_GAP)
      if (columns.length < opts.minColumns) break
      if (run.length >= opts.minRows && tableLike(run, columns, opts.minColumns)) best = j
      j++
    }
    if (best < 0 || columnsGoOn(rows, i, best, lineHeight)) {
      i++
      continue
    }
    found.push(tableOfRows(rows.slice(i, best + 1), lineHeight))
    i = best + 1
  }
  return found
}
