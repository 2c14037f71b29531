/**
 * The whole layout of one page as a pure function of its lines: XY-cut
 * reading order, pieces of visual lines joined, paragraphs per column,
 * headings by size, alignment, font size and column index of every block.
 */
import { type Document, Geometry, PageBuilder } from "@ocr2word/core"
import { listMarker } from "../BlockRoles.ts"
import { bodyHeight, coreSpan, lineHeight, median, textUnits, uprightBox } from "./line-metrics.ts"
import { alignmentOf, type ColumnRun, splitParagraphs } from "./paragraphs.ts"
import { mergePieces } from "./visual-lines.ts"
import { xyCut } from "./xy-cut.ts"

export interface PageLayoutOptions {
  readonly minColumnGap: number
  readonly minColumnWidth: number
  readonly minColumnLineWidth: number
  readonly mergeGap: number
  readonly headingRatio: number
  readonly maxHeadingLines: number
  readonly paragraphSpacing: number
  readonly indent: number
  readonly sizeChange: number
}

export const defaultPageLayoutOptions: PageLayoutOptions = {
  minColumnGap: 0.1,
  minColumnWidth: 3,
  minColumnLineWidth: 6,
  mergeGap: 1.5,
  headingRatio: 1.3,
  maxHeadingLines: 4,
  paragraphSpacing: 1.45,
  indent: 0.6,
  sizeChange: 1.4
}

/** Part of a box's height the horizontal projection uses. */
const CORE_FRACTION = 0.6
/** A heading's word gap is under this many of its heights. */
const BRIDGE_GAP = 1
/** Side padding of detector boxes ignored when looking for column gaps, in line heights. */
const SIDE_TRIM = 0.15
/** Heading sizes within this ratio share a level. */
const LEVEL_STEP = 1.12

const makeBlock = (lines: ReadonlyArray<Document.Line>, column: Geometry.Box): Document.Paragraph => ({
  kind: "paragraph",
  box: Geometry.unionBoxes(lines.map((l) => l.box)),
  confidence: PageBuilder.confidenceOf(lines),
  lines,
  fontSize: median(lines.map(lineHeight)),
  alignment: alignmentOf(lines, column)
})

/** Vertical (top-to-bottom) text: columns of lines read right to left. */
const verticalBlocks = (lines: ReadonlyArray<Document.Line>): ReadonlyArray<Document.Paragraph> => {
  const sorted = [...lines].sort((a, b) => b.box.x + b.box.width / 2 - (a.box.x + a.box.width / 2))
  const groups: Array<Array<Document.Line>> = []
  for (const line of sorted) {
    const group = groups[groups.length - 1]
    const prev = group?.[group.length - 1]
    const w = lineHeight(line)
    const adjacent =
      prev !== undefined &&
      prev.direction === "vertical" &&
      line.direction === "vertical" &&
      prev.box.x - (line.box.x + line.box.width) < 1.5 * w &&
      Math.abs(prev.box.y - line.box.y) < 2 * w
    if (adjacent) group!.push(line)
    else groups.push([line])
  }
  return groups.map((g) => makeBlock(g, Geometry.unionBoxes(g.map((l) => l.box))))
}

/** Mark blocks whose text is clearly larger than the body text as headings, levels by size rank. */
const classifyHeadings = (
  blocks: ReadonlyArray<Document.Block>,
  body: number,
  options: PageLayoutOptions
): ReadonlyArray<Document.Block> => {
  const isHeading = (b: Document.Block): b is Document.Paragraph =>
    b.kind === "paragraph" &&
    b.lines.length <= options.maxHeadingLines &&
    (b.fontSize ?? 0) >= options.headingRatio * body
  const sizes = blocks
    .filter(isHeading)
    .map((b) => b.fontSize ?? 0)
    .sort((a, b) => b - a)
  const levels: Array<number> = []
  for (const s of sizes) if (levels.length === 0 || s * LEVEL_STEP < levels[levels.length - 1]!) levels.push(s)
  const levelOf = (size: number) => {
    const level = 1
    for (let i = 0; i < levels.length; i++) if (size * LEVEL_STEP >= levels[i]!) return Math.min(6, i + 1)
    return Math.min(6, level + levels.length - 1)
  }
  return blocks.map(
    (b): Document.Block => (isHeading(b) ? { ...b, kind: "heading", level: levelOf(b.fontSize ?? 0) } : b)
  )
}

/**
 * Blocks of a page in reading order. `regions` (tables, figures) take part in
 * the XY-cut as single items and come out as they went in, at their place.
 */
export const layoutPage = (
  input: ReadonlyArray<Document.Line>,
  options: PageLayoutOptions = defaultPageLayoutOptions,
  regions: ReadonlyArray<Document.Table | Document.Figure> = []
): ReadonlyArray<Document.Block> => {
  const lines = input.filter((l) => l.text.trim().length > 0)
  if (lines.length === 0 && regions.length === 0) return []
  const vertical = lines.filter((l) => l.direction === "vertical").length
  // A page of vertical text is read in columns right to left. Only without regions: when tables took
  // most of a page's lines, the few left (a vertical stamp or file number in the margin) must not decide
  // the page, which would drop the tables (FUNSD 87147607 kept 3 of its 100 lines).
  if (regions.length === 0 && vertical * 2 > lines.length && lines.length > 0) return verticalBlocks(lines)

  const body = lines.length > 0 ? bodyHeight(lines) : 20
  const leaves = xyCut(
    [
      ...lines.map((l) => ({
        box: uprightBox(l),
        height: lineHeight(l),
        vertical: l.direction === "vertical",
        units: textUnits(l.text),
        marker: listMarker(l.text)
      })),
      ...regions.map((r) => ({
        box: r.box,
        height: body,
        vertical: false,
        region: true,
        floating: hasTextBeside(r.box, lines)
      }))
    ],
    {
      bodyHeight: body,
      minColumnGap: options.minColumnGap,
      minColumnWidth: options.minColumnWidth,
      minColumnLineWidth: options.minColumnLineWidth,
      bridgeGap: BRIDGE_GAP,
      headingRatio: options.headingRatio,
      coreFraction: CORE_FRACTION,
      sideTrim: SIDE_TRIM
    }
  )
  // Consecutive leaves of one column form a run; paragraphs never cross runs or regions.
  const runs: Array<{ column: Geometry.Box; lines: Array<Document.Line>; region?: Document.Table | Document.Figure }> =
    []
  const addLines = (column: Geometry.Box, indices: ReadonlyArray<number>) => {
    if (indices.length === 0) return
    const merged = mergePieces(
      indices.map((i) => lines[i]!),
      options.mergeGap
    )
    const last = runs[runs.length - 1]
    if (last !== undefined && last.column === column && last.region === undefined) last.lines.push(...merged)
    else runs.push({ column, lines: [...merged] })
  }
  for (const leaf of leaves) {
    let pending: Array<number> = []
    for (const i of leaf.indices) {
      if (i < lines.length) pending.push(i)
      else {
        addLines(leaf.column, pending)
        pending = []
        runs.push({ column: leaf.column, lines: [], region: regions[i - lines.length]! })
      }
    }
    addLines(leaf.column, pending)
  }
  const columnStarts = clusterStarts(
    runs.map((r) => r.column.x),
    body
  )
  const blocks = runs.flatMap(
    (run: ColumnRun & { region?: Document.Table | Document.Figure }): Array<Document.Block> => {
      const column = Math.max(
        0,
        columnStarts.findIndex((x) => run.column.x < x + body)
      )
      if (run.region !== undefined) return [{ ...run.region, column }]
      return splitParagraphs(run, options).map((group) => ({
        ...makeBlock(group, run.column),
        column
      }))
    }
  )
  return classifyHeadings(blocks, body, options)
}

/** Left edges of columns, nearby ones (within `tolerance`) counted once, left to right. */
const clusterStarts = (starts: ReadonlyArray<number>, tolerance: number): ReadonlyArray<number> => {
  const sorted = [...starts].sort((a, b) => a - b)
  const out: Array<number> = []
  for (const x of sorted) if (out.length === 0 || x - out[out.length - 1]! > tolerance) out.push(x)
  return out
}

/**
 * Whether a text line sits beside `box` (its middle part within the box's
 * rows, its extent wholly left or right of the box): a picture or table
 * that text flows around, or one that sits in one column of several.
 */
const hasTextBeside = (box: Geometry.Box, lines: ReadonlyArray<Document.Line>): boolean =>
  lines.some((l) => {
    const [c0, c1] = coreSpan(l.box, CORE_FRACTION)
    const beside = l.box.x + l.box.width <= box.x || l.box.x >= box.x + box.width
    return beside && c0 >= box.y && c1 <= box.y + box.height
  })
