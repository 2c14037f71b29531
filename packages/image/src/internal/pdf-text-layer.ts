/**
 * A PDF page's text items (pdf.js `getTextContent`) as text-layer lines on the
 * rendered raster: items that follow each other on one baseline make a line,
 * each item's characters are spread evenly over its advance, and a space is
 * put where two items leave a gap but carry none.
 */
import type { Geometry, ImageSource, TextRecognizer } from "@ocr2word/core"

/** The fields of a pdf.js text item this module reads. */
export interface PdfTextItem {
  readonly str: string
  /** Advance in page units (points) along the text. */
  readonly width: number
  readonly height: number
  readonly transform: ReadonlyArray<number>
  readonly fontName: string
  readonly hasEOL: boolean
}

/** The fields of a pdf.js font style this module reads. */
export interface PdfTextStyle {
  readonly ascent?: number
  readonly descent?: number
  readonly vertical?: boolean
}

type Matrix = ReadonlyArray<number>
type Point = Geometry.Point

interface Piece {
  readonly text: string
  /** Baseline start on the raster. */
  readonly origin: Point
  /** Unit vector along the text, and unit vector from the baseline up to the ascender. */
  readonly along: Point
  readonly up: Point
  /** Font size and advance in raster pixels. */
  readonly size: number
  readonly length: number
  readonly ascent: number
  readonly descent: number
  readonly endsLine: boolean
}

const add = (p: Point, v: Point, k: number): Point => ({ x: p.x + v.x * k, y: p.y + v.y * k })
const dot = (a: Point, b: Point): number => a.x * b.x + a.y * b.y
const minus = (a: Point, b: Point): Point => ({ x: a.x - b.x, y: a.y - b.y })

const pieceOf = (
  item: PdfTextItem,
  style: PdfTextStyle | undefined,
  viewport: Matrix,
  transform: (a: Array<number>, b: Array<number>) => Array<number>
): Piece | undefined => {
  const t = transform([...viewport], [...item.transform])
  const size = Math.hypot(t[2]!, t[3]!)
  const scale = Math.hypot(viewport[0]!, viewport[1]!) || Math.hypot(viewport[2]!, viewport[3]!)
  if (size === 0 || scale === 0) return undefined
  const up = { x: t[2]! / size, y: t[3]! / size }
  // Vertical fonts advance down the page; their item height is the advance.
  const vertical = style?.vertical === true
  const alongNorm = Math.hypot(t[0]!, t[1]!)
  const along = vertical ? { x: -up.x, y: -up.y } : { x: t[0]! / alongNorm, y: t[1]! / alongNorm }
  const ascent = style?.ascent !== undefined && style.ascent > 0 ? style.ascent : 0.8
  const descent = style?.descent !== undefined && style.descent < 0 ? style.descent : -0.2
  return {
    text: item.str,
    origin: { x: t[4]!, y: t[5]! },
    along,
    up,
    size,
    length: (vertical ? item.height : item.width) * scale,
    ascent,
    descent,
    endsLine: item.hasEOL
  }
}

/** Whether `next` continues the line that `last` ends, in the line's frame. */
const continues = (first: Piece, last: Piece, next: Piece): boolean => {
  if (dot(first.along, next.along) < 0.99) return false
  const offset = minus(next.origin, first.origin)
  // Off the baseline by more than half a body height: another line (or a super/subscript, kept apart).
  if (Math.abs(dot(offset, first.up)) > 0.5 * Math.max(first.size, next.size)) return false
  const gap = dot(minus(next.origin, add(last.origin, last.along, last.length)), first.along)
  // Going back, or a gap wider than three bodies (another column): a new line.
  return gap > -0.5 * last.size && gap < 3 * Math.max(last.size, next.size)
}

const lineOf = (pieces: ReadonlyArray<Piece>): ImageSource.TextLayerLine | undefined => {
  const first = pieces[0]!
  const { along, up } = first
  const ascent = Math.max(...pieces.map((p) => p.size * p.ascent))
  const descent = Math.min(...pieces.map((p) => p.size * p.descent))
  const position = (p: Point) => dot(minus(p, first.origin), along)
  const start = Math.min(...pieces.map((p) => position(p.origin)))
  const end = Math.max(...pieces.map((p) => position(p.origin) + p.length))
  const length = Math.max(end - start, 1e-6)
  const chars: Array<TextRecognizer.RecognizedChar> = []
  let previousEnd: number | undefined
  for (const piece of pieces) {
    const from = position(piece.origin)
    const glyphs = [...piece.text]
    const last = chars[chars.length - 1]
    // A visible gap with no space on either side is a word break the PDF drew as a move.
    if (
      previousEnd !== undefined &&
      from - previousEnd > 0.2 * piece.size &&
      last !== undefined &&
      !/\s$/u.test(last.text) &&
      !/^\s/u.test(piece.text)
    ) {
      chars.push({ text: " ", start: (previousEnd - start) / length, end: (from - start) / length, confidence: 1 })
    }
    glyphs.forEach((glyph, i) => {
      const a = from + (piece.length * i) / glyphs.length
      const b = from + (piece.length * (i + 1)) / glyphs.length
      chars.push({ text: glyph, start: (a - start) / length, end: (b - start) / length, confidence: 1 })
    })
    previousEnd = from + piece.length
  }
  // Leading and trailing white space carries no position worth keeping.
  while (chars.length > 0 && /^\s+$/u.test(chars[0]!.text)) chars.shift()
  while (chars.length > 0 && /^\s+$/u.test(chars[chars.length - 1]!.text)) chars.pop()
  if (chars.length === 0) return undefined
  const base = add(first.origin, along, start)
  const top = add(base, up, ascent)
  const bottom = add(base, up, descent)
  const polygon: Geometry.Quad = [top, add(top, along, length), add(bottom, along, length), bottom]
  const text = chars
    .map((c) => c.text)
    .join("")
    .replace(/\s+/gu, " ")
  return { polygon, text: { text, confidence: 1, chars } }
}

/** The lines of a page's text items, in the order the PDF gives them. */
export const textLayerOf = (
  items: ReadonlyArray<PdfTextItem>,
  styles: Readonly<Record<string, PdfTextStyle>>,
  viewport: Matrix,
  transform: (a: Array<number>, b: Array<number>) => Array<number>
): ReadonlyArray<ImageSource.TextLayerLine> => {
  const lines: Array<ImageSource.TextLayerLine> = []
  let current: Array<Piece> = []
  const flush = () => {
    const line = current.length > 0 ? lineOf(current) : undefined
    if (line !== undefined) lines.push(line)
    current = []
  }
  for (const item of items) {
    const piece = item.str.length > 0 ? pieceOf(item, styles[item.fontName], viewport, transform) : undefined
    if (piece !== undefined) {
      if (current.length > 0 && !continues(current[0]!, current[current.length - 1]!, piece)) flush()
      current.push(piece)
    }
    if (item.hasEOL) flush()
  }
  flush()
  return lines
}
