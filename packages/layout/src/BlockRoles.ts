/**
 * The roles of text blocks that their words and place give away: list items
 * (bullets • · - * ▪ and numbering 1. 1) (1) 一、 ①), captions (a short block
 * starting "Figure", "Fig.", "Table", "图" or "表" with a number), and the
 * running heads of a page: headers, footers and page numbers (lines alone in
 * the top or bottom margin band, digits-only ones being page numbers).
 *
 * Use `marginLines` before reading order (so running heads do not split
 * columns), `splitListItems` and `isCaption` on the paragraphs after.
 *
 * @since 0.1.0
 */
import { type Document, Geometry } from "@ocr2word/core"
import { median } from "./internal/binary-image.ts"
import { rowsOf } from "./internal/line-metrics.ts"

/** How a list item is marked. */
export type ListFormat =
  | "bullet"
  | "decimal" // 1.  1)  1、
  | "decimal-paren" // (1) （1）
  | "chinese" // 一、
  | "circled" // ①
  | "lower-letter" // a.  a)
  | "upper-letter" // A.

/** The marker at the start of a list item. */
export interface ListMarker {
  readonly format: ListFormat
  /** The marker as written, e.g. "1." or "•". */
  readonly marker: string
  /** The item's number (1 for bullets). */
  readonly number: number
  /** The text after the marker. */
  readonly rest: string
}

const CHINESE_DIGITS = "零一二三四五六七八九"

/** Value of a Chinese numeral up to 99 (一, 十, 十二, 二十三). */
const chineseNumber = (s: string): number => {
  if (s === "十") return 10
  const ten = s.indexOf("十")
  if (ten < 0) return CHINESE_DIGITS.indexOf(s)
  const tens = ten === 0 ? 1 : CHINESE_DIGITS.indexOf(s[0]!)
  const ones = ten === s.length - 1 ? 0 : CHINESE_DIGITS.indexOf(s[ten + 1]!)
  return tens * 10 + ones
}

const PATTERNS: ReadonlyArray<{
  readonly re: RegExp
  readonly format: ListFormat
  readonly number: (m: RegExpMatchArray) => number
}> = [
  { re: /^([•·▪●○◦■□➢►‣⁃※◆◇✓✔-]|\*|–|—)\s*(?=\S)/u, format: "bullet", number: () => 1 },
  { re: /^[(（](\d{1,3})[)）]\s*(?=\S)/u, format: "decimal-paren", number: (m) => Number(m[1]) },
  { re: /^(\d{1,3})(?:[.、)）]|\.(?!\d))\s*(?=\S)/u, format: "decimal", number: (m) => Number(m[1]) },
  { re: /^([一二三四五六七八九十]{1,3})[、.．]\s*(?=\S)/u, format: "chinese", number: (m) => chineseNumber(m[1]!) },
  { re: /^([①-⑳])\s*(?=\S)/u, format: "circled", number: (m) => m[1]!.charCodeAt(0) - 0x2460 + 1 },
  { re: /^([a-h])[.)]\s+(?=\S)/u, format: "lower-letter", number: (m) => m[1]!.charCodeAt(0) - 96 },
  { re: /^([A-H])[.)]\s+(?=\S)/u, format: "upper-letter", number: (m) => m[1]!.charCodeAt(0) - 64 }
]

/** The list marker a line starts with, if any. */
export const listMarker = (text: string): ListMarker | undefined => {
  const t = text.trimStart()
  for (const p of PATTERNS) {
    const m = t.match(p.re)
    if (m === null) continue
    const marker = m[0].trim()
    // "1.5 million" and "3.14" are numbers, not list markers; a hyphen needs a space after it.
    if (p.format === "decimal" && /^\d+\.\d/u.test(t)) continue
    if (marker === "-" && !/^-\s/u.test(t)) continue
    return { format: p.format, marker, number: p.number(m), rest: t.slice(m[0].length) }
  }
  return undefined
}

/**
 * A paragraph's lines cut into list items: a new item at each line that
 * starts with a marker; a line starting left of the items' markers ends the
 * list, and it and the lines after it are `rest` (the paragraph that follows
 * the list). Undefined when the block does not start with a marker.
 */
export const splitListItems = (
  lines: ReadonlyArray<Document.Line>
): { readonly items: Array<ReadonlyArray<Document.Line>>; readonly rest: ReadonlyArray<Document.Line> } | undefined => {
  const first = lines[0]
  if (first === undefined || listMarker(first.text) === undefined) return undefined
  const items: Array<Array<Document.Line>> = []
  for (const [i, line] of lines.entries()) {
    const marked = listMarker(line.text) !== undefined
    if (i > 0 && !marked && line.box.x < first.box.x - line.box.height * 0.5) {
      return { items, rest: lines.slice(i) }
    }
    if (marked || items.length === 0) items.push([line])
    else items[items.length - 1]!.push(line)
  }
  return { items, rest: [] }
}

const CAPTION =
  /^\s*(?:(?:figure|fig\.?|table|tab\.?|chart|图|表|圖)\s*[0-9一二三四五六七八九十IVX]+|(?:figure|table)\s*[:：])/iu

/** Whether a block's text reads as a caption ("Figure 2:", "Table 1.", "图 3", "表1-2"). */
export const isCaption = (lines: ReadonlyArray<Document.Line>): boolean =>
  lines.length > 0 && lines.length <= 3 && CAPTION.test(lines[0]!.text)

const PAGE_NUMBER =
  /^\s*(?:[-–—]\s*)?(?:page\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*of\s*\d{1,4})?(?:\s*[-–—])?\s*$/iu

/** Whether a line's text is a page number ("12", "- 3 -", "Page 4", "第 5 页", "3 / 10"). */
export const isPageNumber = (text: string): boolean => PAGE_NUMBER.test(text) && /\d/u.test(text)

/** Lines taken out of the body as running heads. */
export interface MarginLines {
  readonly blocks: ReadonlyArray<Document.Header | Document.Footer | Document.PageNumber>
  readonly lines: ReadonlyArray<Document.Line>
}

/**
 * Headers, footers and page numbers: lines in the top or bottom `band` of
 * the page (share of its height), not taller than the body text, set apart
 * from the body by a gap wider than the body's line spacing, in one or two
 * rows. More rows in the band are a masthead, left to the body: on the
 * real-dev-2 receipts the shop's name and address had been taken as headers
 * and read in x order (receipts 5.9 % -> 5.0 % CER together with the rows
 * of table cells, `table-cells`). Pages with few lines have no running heads.
 */
export const marginLines = (lines: ReadonlyArray<Document.Line>, pageHeight: number, band = 0.08): MarginLines => {
  const horizontal = lines.filter((l) => l.direction === "horizontal")
  if (horizontal.length < 6 || pageHeight <= 0) return { blocks: [], lines: [] }
  const bodyHeight = median(horizontal.map((l) => l.box.height))
  const sorted = [...horizontal].sort((a, b) => a.box.y - b.box.y)
  const blocks: Array<Document.Header | Document.Footer | Document.PageNumber> = []
  const taken: Array<Document.Line> = []
  const take = (candidates: ReadonlyArray<Document.Line>, rest: ReadonlyArray<Document.Line>, top: boolean) => {
    if (candidates.length === 0 || rest.length === 0) return
    const edge = top
      ? Math.max(...candidates.map((l) => l.box.y + l.box.height))
      : Math.min(...candidates.map((l) => l.box.y))
    const next = top ? Math.min(...rest.map((l) => l.box.y)) : Math.max(...rest.map((l) => l.box.y + l.box.height))
    const gap = top ? next - edge : edge - next
    if (gap < bodyHeight * 1.2) return
    if (candidates.some((l) => l.box.height > bodyHeight * 1.25)) return
    // A running head is one row (two at most: a title over a date); a stack of more rows in the band is
    // the page's own masthead (a receipt's shop name and address), left to the body and read in order.
    const rows = rowsOf(candidates)
    if (rows.length > 2) return
    for (const line of rows.flat()) {
      const kind = isPageNumber(line.text) ? "page-number" : top ? "header" : "footer"
      blocks.push({
        kind,
        box: line.box,
        confidence: line.confidence,
        lines: [line],
        fontSize: line.box.height,
        alignment: alignmentIn(line.box, pageWidthOf(lines))
      })
      taken.push(line)
    }
  }
  const topBand = sorted.filter((l) => l.box.y + l.box.height <= pageHeight * band)
  take(
    topBand,
    sorted.filter((l) => !topBand.includes(l)),
    true
  )
  const bottomBand = sorted.filter((l) => l.box.y >= pageHeight * (1 - band) && !taken.includes(l))
  take(
    bottomBand,
    sorted.filter((l) => !bottomBand.includes(l) && !taken.includes(l)),
    false
  )
  return { blocks, lines: taken }
}

const pageWidthOf = (lines: ReadonlyArray<Document.Line>): Geometry.Box => Geometry.unionBoxes(lines.map((l) => l.box))

/** Alignment of a box within the text area: centred, right or left. */
const alignmentIn = (box: Geometry.Box, area: Geometry.Box): "left" | "center" | "right" => {
  const left = box.x - area.x
  const right = area.x + area.width - (box.x + box.width)
  if (Math.abs(left - right) <= Math.max(box.height, area.width * 0.05)) return "center"
  return right < left ? "right" : "left"
}
