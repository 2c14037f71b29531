/**
 * Robust measures of line boxes: medians, the page's body text height, the
 * vertical "core" of a line that projections use, and visual rows (lines
 * side by side, left to right).
 */
import { type Document, Geometry } from "@ocr2word/core"

/** The median of `values` (0 when empty). */
export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The weighted median: the value below which half of the total weight lies. */
export const weightedMedian = (values: ReadonlyArray<number>, weights: ReadonlyArray<number>): number => {
  const pairs = values.map((v, i) => [v, Math.max(0, weights[i] ?? 0)] as const).sort((a, b) => a[0] - b[0])
  const total = pairs.reduce((s, p) => s + p[1], 0)
  if (total <= 0) return median(values)
  let acc = 0
  for (const [value, weight] of pairs) {
    acc += weight
    if (acc >= total / 2) return value
  }
  return pairs[pairs.length - 1]?.[0] ?? 0
}

/**
 * Height of a line across its reading direction: the quad's height, which
 * unlike the axis-aligned box does not grow with a slight tilt.
 */
export const lineHeight = (line: Document.Line): number => {
  const h = Geometry.quadHeight(line.polygon)
  const boxSide = line.direction === "vertical" ? line.box.width : line.box.height
  return h > 0 && Number.isFinite(h) ? Math.min(h, boxSide) : boxSide
}

/**
 * Height of the page's body text: the median line height weighted by the
 * number of characters, so a few large headings do not move it.
 */
export const bodyHeight = (lines: ReadonlyArray<Document.Line>): number => {
  const heights = lines.map(lineHeight)
  const weights = lines.map((l) => Math.max(1, [...l.text.replace(/\s+/gu, "")].length))
  const h = weightedMedian(heights, weights)
  return h > 0 ? h : 1
}

/**
 * The middle part of a box's height used by the horizontal projection:
 * detector boxes are padded, so boxes of consecutive lines often overlap
 * while their cores do not.
 */
export const coreSpan = (box: Geometry.Box, fraction: number): readonly [number, number] => {
  const cy = box.y + box.height / 2
  const half = (box.height * fraction) / 2
  return [cy - half, cy + half]
}

/** Length of the overlap of two intervals (0 when apart). */
export const overlap = (a0: number, a1: number, b0: number, b1: number): number =>
  Math.max(0, Math.min(a1, b1) - Math.max(a0, b0))

const mid = (l: Document.Line): number => l.box.y + l.box.height / 2

/**
 * Lines grouped into visual rows, top to bottom, each left to right: a line
 * joins the row above when its middle is within half a line height of the
 * row's (median) middle. Boxes of one row differ in height and top (a label
 * beside a boxed value, a smaller font), so sorting by top or middle alone
 * puts a value before its label.
 */
export const rowsOf = (lines: ReadonlyArray<Document.Line>): Array<ReadonlyArray<Document.Line>> => {
  const sorted = [...lines].sort((a, b) => mid(a) - mid(b))
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
