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
import { type Document, Geometry } from "@ocr2word/core"
import { median } from "./internal/binary-image.ts"
import { fillCells, type GridCell, tableBlock } from "./internal/table-cells.ts"
import type { FoundTable } from "./RuledTables.ts"

/** Options of the unruled table finder. */
export interface Options {
  /** Fewest rows of a table. */
  readonly minRows: number
  /** Fewest columns of a table. */
  readonly minColumns: number
}

export const defaultOptions: Options = { minRows: 3, minColumns: 3 }

/** White space narrower than this many line heights does not separate columns (detector boxes are padded). */
const COLUMN_GAP = 0.4

/** Lines on one visual row, left to right. */
type Row = ReadonlyArray<Document.Line>

const mid = (l: Document.Line): number => l.box.y + l.box.height / 2

/** Horizontal lines grouped into visual rows, top to bottom. */
export const visualRows = (lines: ReadonlyArray<Document.Line>): Array<Row> => {
  const sorted = [...lines].filter((l) => l.direction === "horizontal").sort((a, b) => mid(a) - mid(b))
  const rows: Array<Array<Document.Line>> = []
  for (const line of sorted) {
    const row = rows[rows.length - 1]
    const rowMid = row === undefined ? 0 : median(row.map(mid))
    const rowHeight = row === undefined ? 0 : median(row.map((l) => l.box.height))
    if (row !== undefined && Math.abs(mid(line) - rowMid) <= Math.min(rowHeight, line.box.height) * 0.5) row.push(line)
    else rows.push([line])
  }
  return rows.map((r) => r.sort((a, b) => a.box.x - b.box.x))
}

/** Runs of x covered by any piece: the columns of a candidate table. */
const projectColumns = (rows: ReadonlyArray<Row>, gap: number): Array<readonly [number, number]> => {
  const spans = rows.flatMap((r) => r.map((l) => [l.box.x, l.box.x + l.box.width] as const)).sort((a, b) => a[0] - b[0])
  const out: Array<[number, number]> = []
  for (const [s, e] of spans) {
    const last = out[out.length - 1]
    if (last !== undefined && s <= last[1] + gap) last[1] = Math.max(last[1], e)
    else out.push([s, e])
  }
  return out
}

/** Whether rows lined up in `columns` read as a table rather than page columns of prose. */
const tableLike = (rows: ReadonlyArray<Row>, columns: ReadonlyArray<readonly [number, number]>, minColumns: number) => {
  if (columns.length < minColumns) return false
  const pieces = rows.flat()
  const fills = pieces.map((l) => {
    const col = columns.find(([s, e]) => l.box.x + l.box.width / 2 >= s && l.box.x + l.box.width / 2 <= e)
    return col === undefined ? 1 : l.box.width / Math.max(1, col[1] - col[0])
  })
  const lengths = pieces.map((l) => [...l.text].length)
  // Table cells are short; page columns hold lines of a dozen characters or more, filling their column.
  const prose = median(lengths) >= 12 || (median(fills) >= 0.85 && median(lengths) >= 8)
  // Most rows must have a piece in most columns.
  const filledRows = rows.filter((r) => r.length >= Math.max(2, Math.ceil(columns.length * 0.6))).length
  return !prose && filledRows >= rows.length * 0.7
}

/**
 * A table of the given visual rows: row borders halfway between rows, column
 * borders in the white space that runs through every row; a piece spanning
 * several columns makes a cell with a column span.
 */
export const tableOfRows = (run: ReadonlyArray<Row>, lineHeight: number): FoundTable => {
  const columns = projectColumns(run, lineHeight * COLUMN_GAP)
  const box = Geometry.unionBoxes(run.flat().map((l) => l.box))
  // Row borders halfway between rows, column borders halfway between columns.
  const tops = run.map((r) => Math.min(...r.map((l) => l.box.y)))
  const bottoms = run.map((r) => Math.max(...r.map((l) => l.box.y + l.box.height)))
  const ys = [box.y, ...tops.slice(1).map((t, k) => (t + bottoms[k]!) / 2), box.y + box.height]
  const xs = [box.x, ...columns.slice(1).map(([s], k) => (s + columns[k]![1]) / 2), box.x + box.width]
  const cells: Array<GridCell> = []
  for (let r = 0; r < run.length; r++) {
    // A piece spanning several columns makes a cell with a column span.
    const spans = run[r]!.map((l) => {
      const c0 = xs.findIndex((_, k) => k < xs.length - 1 && l.box.x < xs[k + 1]! - 1)
      let c1 = c0
      while (c1 + 1 < xs.length - 1 && l.box.x + l.box.width > xs[c1 + 1]! + lineHeight * 0.5) c1++
      return [c0, c1] as const
    })
    for (let c = 0; c < xs.length - 1; c++) {
      const span = spans.find(([c0, c1]) => c >= c0 && c <= c1)
      if (span !== undefined && span[0] !== c) continue
      const c1 = span === undefined ? c : span[1]
      cells.push({
        row: r,
        column: c,
        rowSpan: 1,
        columnSpan: c1 - c + 1,
        box: { x: xs[c]!, y: ys[r]!, width: xs[c1 + 1]! - xs[c]!, height: ys[r + 1]! - ys[r]! }
      })
    }
  }
  const taken = run.flat()
  return { block: tableBlock(fillCells(cells, taken, 0.95), box), lines: taken }
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
