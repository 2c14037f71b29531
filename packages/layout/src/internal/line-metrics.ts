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

const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff01-\uff60]/u

/** Length of a text in Latin character widths: wide (Han, kana, hangul, full-width) characters count two. */
export const textUnits = (text: string): number => {
  let n = 0
  for (const ch of text.replace(/\s+/gu, "")) n += WIDE.test(ch) ? 2 : 1
  return n
}

/**
 * The box of a horizontal line straightened around its centre: as wide and
 * as tall as its quad, level. A tilted line's axis-aligned box grows with
 * the tilt (a 470-pixel line at 3 degrees is 25 pixels taller than its
 * text), so on a photographed page whose lines curve or converge (the
 * angle runs from +6 to -4 degrees down one synth-docs photo) the boxes of
 * consecutive lines overlap and no gap is left between rows. Boxes of level
 * lines come back unchanged. The XY-cut uses it (layout alone on fixed
 * PaddleOCR lines: synth-docs photos 57.5 % -> 54.9 % CER; one receipt of
 * real-dev-2 two edits worse, nothing else changed).
 */
export const uprightBox = (line: Document.Line): Geometry.Box => {
  if (line.direction !== "horizontal") return line.box
  const q = line.polygon
  const width = Geometry.quadWidth(q)
  const height = Geometry.quadHeight(q)
  if (!(width > 0 && height > 0) || (width >= line.box.width - 0.5 && height >= line.box.height - 0.5)) return line.box
  const cx = (q[0].x + q[1].x + q[2].x + q[3].x) / 4
  const cy = (q[0].y + q[1].y + q[2].y + q[3].y) / 4
  const w = Math.min(width, line.box.width)
  const h = Math.min(height, line.box.height)
  return { x: cx - w / 2, y: cy - h / 2, width: w, height: h }
}
