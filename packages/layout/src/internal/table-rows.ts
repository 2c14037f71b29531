/**
 * Tables from visual rows of text lines: lines grouped into rows, the
 * columns their pieces fall into, and the table grid of a run of rows
 * (row borders halfway between rows, column borders in the white space that
 * runs through every row). `UnruledTables` finds such runs in body text;
 * `RuledTables` uses the same grid between the rules of a three-line table.
 */
import { type Document, Geometry } from "@ocr2word/core"
import { rowsOf } from "./line-metrics.ts"
import { type FoundTable, fillCells, type GridCell, tableBlock } from "./table-cells.ts"

/** White space narrower than this many line heights does not separate columns (detector boxes are padded). */
export const COLUMN_GAP = 0.4

/** Lines on one visual row, left to right. */
export type Row = ReadonlyArray<Document.Line>

/** Horizontal lines grouped into visual rows, top to bottom. */
export const visualRows = (lines: ReadonlyArray<Document.Line>): Array<Row> =>
  rowsOf(lines.filter((l) => l.direction === "horizontal"))

/** Runs of x covered by any piece: the columns of a candidate table. */
export const projectColumns = (rows: ReadonlyArray<Row>, gap: number): Array<readonly [number, number]> => {
  const spans = rows.flatMap((r) => r.map((l) => [l.box.x, l.box.x + l.box.width] as const)).sort((a, b) => a[0] - b[0])
  const out: Array<[number, number]> = []
  for (const [s, e] of spans) {
    const last = out[out.length - 1]
    if (last !== undefined && s <= last[1] + gap) last[1] = Math.max(last[1], e)
    else out.push([s, e])
  }
  return out
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
