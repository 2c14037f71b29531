/**
 * Filling table cells with recognised lines: each line goes to the cell that
 * holds most of it; a line the detector ran across a cell border is split at
 * its words, so each cell gets its own text. A cell's lines are read in
 * visual rows: sorted by their middles alone, a value whose box starts a
 * little higher came before its label ("January 14, 1999" / "Date:" on
 * FUNSD cover sheets; real-dev-2 forms 23.3 % -> 21.0 % CER, synth-docs
 * forms 8.4 % -> 4.4 %). Also what a table finder hands
 * back (`FoundTable`), shared by `RuledTables` and `UnruledTables`.
 */
import { Document, Geometry, TextScript } from "@ocr2word/core"
import { rowsOf } from "./line-metrics.ts"

/** A table found on the page and the lines it took. */
export interface FoundTable {
  readonly block: Document.Table
  /** Lines of the page that went into the table (before any split by words). */
  readonly lines: ReadonlyArray<Document.Line>
}

/** A cell of a table grid before it holds text. */
export interface GridCell {
  readonly row: number
  readonly column: number
  readonly rowSpan: number
  readonly columnSpan: number
  readonly box: Geometry.Box
}

const overlapArea = (a: Geometry.Box, b: Geometry.Box): number =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y))

const area = (b: Geometry.Box): number => Math.max(0, b.width) * Math.max(0, b.height)

const center = (b: Geometry.Box): Geometry.Point => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 })

const inside = (p: Geometry.Point, b: Geometry.Box): boolean =>
  p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height

const lastChar = (text: string): string => [...text].at(-1) ?? ""
const firstChar = (text: string): string => [...text][0] ?? ""

/** Words joined back into text: a space between Latin words, none next to Han characters. */
export const joinWords = (words: ReadonlyArray<string>): string =>
  words.reduce(
    (out, w) =>
      out.length === 0
        ? w
        : TextScript.isHan(lastChar(out)) || TextScript.isHan(firstChar(w))
          ? out + w
          : `${out} ${w}`,
    ""
  )

/** The part of a line made of some of its words. */
export const subLine = (line: Document.Line, words: ReadonlyArray<Document.Word>): Document.Line => {
  const box = Geometry.unionBoxes(words.map((w) => w.box))
  const text = joinWords(words.map((w) => w.text))
  return {
    ...line,
    text,
    box,
    polygon: Geometry.quadOfBox(box),
    script: TextScript.scriptOf(text),
    words
  }
}

/** Index of the cell holding `box`'s centre, or of the cell it overlaps most; -1 for none. */
const cellOf = (box: Geometry.Box, cells: ReadonlyArray<GridCell>): number => {
  const c = center(box)
  const byCentre = cells.findIndex((cell) => inside(c, cell.box))
  if (byCentre >= 0) return byCentre
  let best = -1
  let bestArea = 0
  cells.forEach((cell, i) => {
    const a = overlapArea(box, cell.box)
    if (a > bestArea) {
      bestArea = a
      best = i
    }
  })
  return best
}

/**
 * Lines placed in cells. A line with less than `splitBelow` of its area in
 * one cell is split by its words. Lines of a cell are in reading order.
 */
export const fillCells = (
  cells: ReadonlyArray<GridCell>,
  lines: ReadonlyArray<Document.Line>,
  splitBelow = 0.75
): Array<Document.TableCell> => {
  const held: Array<Array<Document.Line>> = cells.map(() => [])
  for (const line of lines) {
    const shares = cells.map((cell) => overlapArea(line.box, cell.box) / Math.max(1, area(line.box)))
    const best = Math.max(0, ...shares)
    if (best >= splitBelow || line.words.length < 2) {
      const i = cellOf(line.box, cells)
      if (i >= 0) held[i]!.push(line)
      continue
    }
    const groups = new Map<number, Array<Document.Word>>()
    for (const word of line.words) {
      const i = cellOf(word.box, cells)
      if (i < 0) continue
      const g = groups.get(i) ?? []
      g.push(word)
      groups.set(i, g)
    }
    for (const [i, words] of groups) held[i]!.push(groups.size === 1 ? line : subLine(line, words))
  }
  return cells.map((cell, i) => ({
    ...cell,
    lines: rowsOf(held[i]!).flat()
  }))
}

/** The table block of filled cells; its confidence is the mean of its lines'. */
export const tableBlock = (cells: ReadonlyArray<Document.TableCell>, box: Geometry.Box): Document.Table => {
  const lines = Document.tableLines({ kind: "table", box, confidence: 0, cells })
  return {
    kind: "table",
    box,
    confidence: lines.length === 0 ? 0 : lines.reduce((s, l) => s + l.confidence, 0) / lines.length,
    cells
  }
}
