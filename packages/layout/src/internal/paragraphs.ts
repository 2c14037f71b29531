/**
 * Grouping the lines of one column (already in reading order) into
 * paragraph blocks, and describing each block: its alignment within the
 * column and its font size. A paragraph ends where the line spacing opens
 * up, where the text size changes, at a first-line indent after a short
 * line, or after a short line in justified text.
 */
import type { Document, Geometry } from "@ocr2word/core"
import { lineHeight, median } from "./line-metrics.ts"
import { sameRow } from "./visual-lines.ts"

export interface ParagraphOptions {
  /** A line pitch this many times the column's usual pitch starts a paragraph. */
  readonly paragraphSpacing: number
  /** Smallest first-line indent, in line heights. */
  readonly indent: number
  /**
   * A line whose height differs from the paragraph's median height by more
   * than this ratio starts a new paragraph (detected heights of one font
   * vary by a fifth, so single neighbours are not compared).
   */
  readonly sizeChange: number
}

/** Lines of one column in reading order, and the column's box. */
export interface ColumnRun {
  readonly column: Geometry.Box
  readonly lines: ReadonlyArray<Document.Line>
}

type Alignment = "left" | "center" | "right" | "justified"

const right = (b: Geometry.Box): number => b.x + b.width
const centreY = (b: Geometry.Box): number => b.y + b.height / 2

const quantile = (values: ReadonlyArray<number>, q: number): number => {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!
}

/** The alignment of a block's lines within its column. */
export const alignmentOf = (lines: ReadonlyArray<Document.Line>, column: Geometry.Box): Alignment => {
  const h = median(lines.map(lineHeight))
  const tol = Math.max(0.5 * h, 2)
  const lefts = lines.map((l) => l.box.x)
  const rights = lines.map((l) => right(l.box))
  const spread = (v: ReadonlyArray<number>) => (v.length === 0 ? 0 : Math.max(...v) - Math.min(...v))
  const leftMargin = Math.min(...lefts) - column.x
  const rightMargin = right(column) - Math.max(...rights)
  if (lines.length === 1) {
    const width = column.width
    if (leftMargin > h && Math.abs(leftMargin - rightMargin) <= Math.max(1.5 * h, 0.1 * width)) return "center"
    if (leftMargin > 2 * h && rightMargin < h) return "right"
    return "left"
  }
  const leftAligned = spread(lefts.slice(1)) <= tol
  const rightAligned = spread(rights.slice(0, -1)) <= tol
  const centres = lines.map((l) => l.box.x + l.box.width / 2)
  if (leftAligned && rightAligned && rights.length > 1) {
    const last = rights[rights.length - 1]!
    const reach = Math.max(...rights.slice(0, -1))
    // Every line but the last full: justified; all full and equal: still justified.
    return last < reach - tol || lines.length > 2 ? "justified" : "left"
  }
  if (leftAligned) return "left"
  if (spread(centres) <= tol && leftMargin > h) return "center"
  if (spread(rights) <= tol && leftMargin > h) return "right"
  return "left"
}

/** Split the lines of a column into paragraphs. */
export const splitParagraphs = (
  run: ColumnRun,
  options: ParagraphOptions
): ReadonlyArray<ReadonlyArray<Document.Line>> => {
  const lines = run.lines
  if (lines.length === 0) return []
  const heights = lines.map(lineHeight)
  const pitches: Array<number> = []
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1]!
    const b = lines[i]!
    const d = centreY(b.box) - centreY(a.box)
    const ratio = Math.max(heights[i]!, heights[i - 1]!) / Math.max(1e-6, Math.min(heights[i]!, heights[i - 1]!))
    if (d > 0 && ratio <= options.sizeChange && !sameRow(a, b)) pitches.push(d)
  }
  const pitch = pitches.length >= 2 ? median(pitches) : undefined
  const leftEdge = quantile(
    lines.map((l) => l.box.x),
    0.25
  )
  const rightEdge = quantile(
    lines.map((l) => right(l.box)),
    0.75
  )
  const bodyH = median(heights)
  const fullLines = lines.filter((l) => right(l.box) >= rightEdge - 0.8 * bodyH).length
  const justified = lines.length >= 3 && fullLines >= 0.6 * lines.length

  const groups: Array<Array<Document.Line>> = [[lines[0]!]]
  for (let i = 1; i < lines.length; i++) {
    const prev = lines[i - 1]!
    const cur = lines[i]!
    const hp = heights[i - 1]!
    const hc = heights[i]!
    const h = Math.min(hp, hc)
    const d = centreY(cur.box) - centreY(prev.box)
    const groupH = median(groups[groups.length - 1]!.map(lineHeight))
    const sizeChanged = Math.max(groupH, hc) > options.sizeChange * Math.min(groupH, hc)
    const spaced = pitch !== undefined ? d > options.paragraphSpacing * pitch && d > 1.1 * h : d > 2 * Math.max(hp, hc)
    const prevShort = right(prev.box) < rightEdge - 1.5 * h
    const indented = cur.box.x - prev.box.x >= options.indent * h && cur.box.x - leftEdge >= options.indent * h
    const shortInJustified = justified && right(prev.box) < rightEdge - 3 * h
    const broken = sameRow(prev, cur) || sizeChanged || spaced || (indented && prevShort) || shortInJustified
    if (broken) groups.push([cur])
    else groups[groups.length - 1]!.push(cur)
  }
  return groups
}
