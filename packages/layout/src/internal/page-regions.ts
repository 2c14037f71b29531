/**
 * What the page image tells before reading order: running heads in the
 * margins, ruled and unruled tables, figures. The lines of heads and
 * tables are taken out of the body (a figure's labels stay body text), and
 * tables and figures go into the XY-cut as single items so they land in
 * reading order; list items and captions are marked after.
 */
import { type Document, Geometry, type Raster } from "@ocr2word/core"
import * as BlockRoles from "../BlockRoles.ts"
import * as Figures from "../Figures.ts"
import * as RuledTables from "../RuledTables.ts"
import * as UnruledTables from "../UnruledTables.ts"
import { binarize, median, strokeWidth } from "./binary-image.ts"

/** A page split into running heads, regions (tables, figures) and body lines. */
export interface PageRegions {
  readonly header: ReadonlyArray<Document.Block>
  readonly footer: ReadonlyArray<Document.Block>
  /** Table and figure blocks (figures without their PNG yet). */
  readonly regions: ReadonlyArray<Document.Table | Document.Figure>
  /** The figures found, in the order of their blocks among `regions`. */
  readonly figures: ReadonlyArray<Figures.FoundFigure>
  /** Lines left for paragraphs. */
  readonly lines: ReadonlyArray<Document.Line>
}

/** Split a page (upright image and its recognised lines) into heads, regions and body lines. */
export const pageRegions = (image: Raster.Raster, input: ReadonlyArray<Document.Line>): PageRegions => {
  const margin = BlockRoles.marginLines(input, image.height)
  let lines = input.filter((l) => !margin.lines.includes(l))
  const take = (used: ReadonlyArray<Document.Line>) => {
    const set = new Set(used)
    lines = lines.filter((l) => !set.has(l))
  }
  const ruled = RuledTables.find(image, lines)
  for (const t of ruled) take(t.lines)
  const unruled = UnruledTables.find(lines)
  for (const t of unruled) take(t.lines)
  const tables = [...ruled, ...unruled].map((t) => t.block)
  const figures = Figures.find(
    image,
    lines,
    tables.map((t) => t.box)
  )
  const pageMid = image.height / 2
  return {
    header: margin.blocks.filter((b) => b.box.y < pageMid),
    footer: margin.blocks.filter((b) => b.box.y >= pageMid),
    regions: [...tables, ...figures.map((f) => Figures.block(f, undefined))],
    figures,
    lines
  }
}

/**
 * Stroke width of a line relative to the page's median line (`lines`): about
 * 1 for regular type, 1.3 and more for bold. Works on any box, so lines
 * joined later still get their weight.
 */
export const lineWeights = (
  image: Raster.Raster,
  lines: ReadonlyArray<Document.Line>
): ((line: Document.Line) => number) => {
  const ink = binarize(image)
  const typical = median(lines.map((l) => strokeWidth(ink, l.box)).filter((w) => w > 0))
  return (line) => (typical > 0 ? strokeWidth(ink, line.box) / typical : 1)
}

/** A block that reads as a heading by its weight: one or two short bold lines, not a sentence. */
const boldHeading = (block: Document.Paragraph, weight: (line: Document.Line) => number): boolean => {
  if (block.lines.length > 2) return false
  const text = block.lines.map((l) => l.text).join("")
  return (
    [...text].length <= 40 && !/[。．.!！?？;；，,]$/u.test(text.trim()) && block.lines.every((l) => weight(l) >= BOLD)
  )
}

/** Printed bullets; a line starting with one inside a paragraph starts a list there. */
const BULLET = /^\s*[•·▪●■◆○◦]/u

/** A paragraph cut before its first bulleted line (a caption or a lead-in line run into a list). */
const splitAtBullet = (block: Document.Block): ReadonlyArray<Document.Block> => {
  if (block.kind !== "paragraph") return [block]
  const k = block.lines.findIndex((l, i) => i > 0 && BULLET.test(l.text) && BlockRoles.listMarker(l.text) !== undefined)
  if (k <= 0) return [block]
  const part = (lines: ReadonlyArray<Document.Line>): Document.Block => ({
    ...block,
    box: Geometry.unionBoxes(lines.map((l) => l.box)),
    lines
  })
  return [part(block.lines.slice(0, k)), part(block.lines.slice(k))]
}

/** Stroke width, relative to the page's regular text, from which a line is bold. */
const BOLD = 1.2

/**
 * Roles from the text of paragraph blocks: paragraphs starting with a list
 * marker become list items (one per marker line, nesting from the indent),
 * short blocks reading "Figure 2" or "表 1" become captions, and short bold
 * blocks of body size headings one level below the larger headings above
 * them (`weight` gives a line's stroke width relative to the page's).
 */
export const markRoles = (
  input: ReadonlyArray<Document.Block>,
  weight: (line: Document.Line) => number = () => 1
): Array<Document.Block> => {
  const blocks = input.flatMap(splitAtBullet)
  const out: Array<Document.Block> = []
  let listRun: Array<{ readonly x: number; readonly level: number }> = []
  for (const block of blocks) {
    if (block.kind !== "paragraph") {
      // Headings keep their kind, unless they read as a caption.
      if (block.kind === "heading" && BlockRoles.isCaption(block.lines)) {
        const { level: _level, ...rest } = block
        out.push({ ...rest, kind: "caption" })
      } else out.push(block)
      listRun = []
      continue
    }
    // A short bold block is a heading even when numbered like a list item ("1. 系统要求").
    if (
      boldHeading(block, weight) &&
      !BlockRoles.isCaption(block.lines) &&
      !BlockRoles.isPageNumber(block.lines[0]!.text)
    ) {
      listRun = []
      const size = block.fontSize ?? 0
      // One level below the largest-type headings of the page that are bigger than it.
      const above = blocks
        .filter((b) => b.kind === "heading")
        .filter((b) => (b.fontSize ?? 0) > size * 1.05)
        .map((b) => b.level)
      out.push({ ...block, kind: "heading", level: Math.min(6, Math.max(0, ...above) + 1) })
      continue
    }
    const split = BlockRoles.splitListItems(block.lines)
    if (split !== undefined) {
      for (const lines of split.items) {
        const marker = BlockRoles.listMarker(lines[0]!.text)!
        const x = lines[0]!.box.x
        const step = Math.max(1, (block.fontSize ?? lines[0]!.box.height) * 1.2)
        // Deeper when indented past the previous item, back out to the level of an item at the same indent.
        const previous = listRun[listRun.length - 1]
        const same = [...listRun].reverse().find((p) => Math.abs(p.x - x) < step)
        const level = same?.level ?? (previous !== undefined && x > previous.x ? Math.min(8, previous.level + 1) : 0)
        listRun.push({ x, level })
        out.push({
          ...block,
          kind: "list-item",
          box: Geometry.unionBoxes(lines.map((l) => l.box)),
          lines,
          list: { format: marker.format, marker: marker.marker, number: marker.number, level }
        })
      }
      if (split.rest.length > 0) {
        listRun = []
        out.push({ ...block, box: Geometry.unionBoxes(split.rest.map((l) => l.box)), lines: split.rest })
      }
      continue
    }
    listRun = []
    out.push(BlockRoles.isCaption(block.lines) ? { ...block, kind: "caption" } : block)
  }
  return out
}
