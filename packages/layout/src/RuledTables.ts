/**
 * Ruled tables found from the rules printed on the page: the page is
 * binarised (Otsu), long horizontal and vertical runs of ink are kept by an
 * opening with a line, rules that cross each other are grouped into tables,
 * their positions clustered into a grid, and grid cells whose shared border
 * has no rule merged into cells with row and column spans. The recognised
 * lines inside are then placed in the cells.
 *
 * Use `find` on an upright page image and its lines; tables with rules only
 * between rows (three-line tables) are left to `UnruledTables`.
 *
 * @since 0.1.0
 */
import type { Document, Geometry, Raster } from "@ocr2word/core"
import {
  binarize,
  type Component,
  components,
  horizontalRuns,
  type Mask,
  median,
  rowShare,
  transpose
} from "./internal/binary-image.ts"
import { type FoundTable, fillCells, type GridCell, tableBlock } from "./internal/table-cells.ts"
import { tableOfRows, visualRows } from "./internal/table-rows.ts"

export type { FoundTable } from "./internal/table-cells.ts"

interface Segment {
  readonly x0: number
  readonly y0: number
  readonly x1: number
  readonly y1: number
}

/** Positions closer than `tolerance` merged into their mean. */
const cluster = (values: ReadonlyArray<number>, tolerance: number): Array<number> => {
  const sorted = [...values].sort((a, b) => a - b)
  const out: Array<Array<number>> = []
  for (const v of sorted) {
    const last = out[out.length - 1]
    if (last !== undefined && v - last[last.length - 1]! <= tolerance) last.push(v)
    else out.push([v])
  }
  return out.map((g) => g.reduce((s, v) => s + v, 0) / g.length)
}

/** Share of the interval [a, b] covered by the union of `spans`. */
const coverage = (a: number, b: number, spans: ReadonlyArray<readonly [number, number]>): number => {
  if (b <= a) return 1
  const clipped = spans
    .map(([s, e]) => [Math.max(a, s), Math.min(b, e)] as const)
    .filter(([s, e]) => e > s)
    .sort((p, q) => p[0] - q[0])
  let covered = 0
  let end = a
  for (const [s, e] of clipped) {
    if (e <= end) continue
    covered += e - Math.max(s, end)
    end = e
  }
  return covered / (b - a)
}

const find_ = (parent: Array<number>, i: number): number => {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]!]!
    i = parent[i]!
  }
  return i
}

const union = (parent: Array<number>, a: number, b: number) => {
  const ra = find_(parent, a)
  const rb = find_(parent, b)
  if (ra !== rb) parent[rb] = ra
}

/**
 * Cells of a grid given its rule positions and the rule segments: grid cells
 * with no rule on a shared border are merged.
 */
export const gridCells = (
  xs: ReadonlyArray<number>,
  ys: ReadonlyArray<number>,
  horizontal: ReadonlyArray<Segment>,
  vertical: ReadonlyArray<Segment>,
  tolerance: number
): Array<GridCell> => {
  const rows = ys.length - 1
  const cols = xs.length - 1
  if (rows < 1 || cols < 1) return []
  const parent = Array.from({ length: rows * cols }, (_, i) => i)
  const near = (segments: ReadonlyArray<Segment>, axis: "x" | "y", at: number) =>
    segments.filter(
      (s) => (axis === "x" ? Math.abs((s.x0 + s.x1) / 2 - at) : Math.abs((s.y0 + s.y1) / 2 - at)) <= tolerance
    )
  for (let c = 1; c < cols; c++) {
    const rules = near(vertical, "x", xs[c]!).map((s) => [s.y0 - tolerance, s.y1 + tolerance] as const)
    for (let r = 0; r < rows; r++) {
      if (coverage(ys[r]!, ys[r + 1]!, rules) < 0.6) union(parent, r * cols + c - 1, r * cols + c)
    }
  }
  for (let r = 1; r < rows; r++) {
    const rules = near(horizontal, "y", ys[r]!).map((s) => [s.x0 - tolerance, s.x1 + tolerance] as const)
    for (let c = 0; c < cols; c++) {
      if (coverage(xs[c]!, xs[c + 1]!, rules) < 0.6) union(parent, (r - 1) * cols + c, r * cols + c)
    }
  }
  const extent = new Map<number, { r0: number; c0: number; r1: number; c1: number }>()
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const root = find_(parent, r * cols + c)
      const e = extent.get(root)
      if (e === undefined) extent.set(root, { r0: r, c0: c, r1: r, c1: c })
      else
        extent.set(root, { r0: Math.min(e.r0, r), c0: Math.min(e.c0, c), r1: Math.max(e.r1, r), c1: Math.max(e.c1, c) })
    }
  }
  const taken = new Uint8Array(rows * cols)
  const cells: Array<GridCell> = []
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (taken[r * cols + c] === 1) continue
      const e = extent.get(find_(parent, r * cols + c))!
      // Merged regions that are not rectangles are cut back to what is still free.
      let c1 = c
      while (c1 < e.c1 && taken[r * cols + c1 + 1] === 0) c1++
      let r1 = r
      while (
        r1 < e.r1 &&
        Array.from({ length: c1 - c + 1 }, (_, k) => taken[(r1 + 1) * cols + c + k]).every((t) => t === 0)
      )
        r1++
      for (let rr = r; rr <= r1; rr++) for (let cc = c; cc <= c1; cc++) taken[rr * cols + cc] = 1
      cells.push({
        row: r,
        column: c,
        rowSpan: r1 - r + 1,
        columnSpan: c1 - c + 1,
        box: { x: xs[c]!, y: ys[r]!, width: xs[c1 + 1]! - xs[c]!, height: ys[r1 + 1]! - ys[r]! }
      })
    }
  }
  return cells
}

const toSegment = (c: Component): Segment => ({ x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1 })

const lineCentreIn = (line: Document.Line, box: Geometry.Box): boolean => {
  const cx = line.box.x + line.box.width / 2
  const cy = line.box.y + line.box.height / 2
  return cx >= box.x && cx <= box.x + box.width && cy >= box.y && cy <= box.y + box.height
}

/** Ruled tables of a page, each with its cells filled from `lines`. */
export const find = (image: Raster.Raster, lines: ReadonlyArray<Document.Line>): Array<FoundTable> => {
  const lineHeight = median(lines.filter((l) => l.direction === "horizontal").map((l) => l.box.height)) || 20
  const ink = binarize(image)
  const minH = Math.max(20, Math.round(lineHeight * 3), Math.round(image.width * 0.03))
  const minV = Math.max(15, Math.round(lineHeight * 1.5))
  const maxThickness = Math.max(4, lineHeight * 0.5)
  // A rule has paper on both sides; the edge of a dark or coloured area has ink on one.
  const inkT = transpose(ink)
  const isolated = (mask: Mask, c: Component) =>
    rowShare(mask, c.y0 - 3, c.x0, c.x1) < 0.35 && rowShare(mask, c.y1 + 2, c.x0, c.x1) < 0.35
  const horizontal = components(horizontalRuns(ink, minH))
    .filter((c) => c.y1 - c.y0 <= maxThickness && isolated(ink, c))
    .map(toSegment)
  const vertical = components(horizontalRuns(inkT, minV))
    .filter((c) => c.y1 - c.y0 <= maxThickness && isolated(inkT, c))
    .map((c) => ({ x0: c.y0, y0: c.x0, x1: c.y1, y1: c.x1 }))
  if (horizontal.length < 2) return []
  const tolerance = Math.max(4, Math.round(lineHeight * 0.3))
  // Group rules that cross or touch each other.
  const all = [...horizontal.map((s) => ({ s, h: true })), ...vertical.map((s) => ({ s, h: false }))]
  const parent = all.map((_, i) => i)
  for (let i = 0; i < horizontal.length; i++) {
    const h = horizontal[i]!
    const hy = (h.y0 + h.y1) / 2
    for (let j = 0; j < vertical.length; j++) {
      const v = vertical[j]!
      const vx = (v.x0 + v.x1) / 2
      if (vx >= h.x0 - tolerance && vx <= h.x1 + tolerance && hy >= v.y0 - tolerance && hy <= v.y1 + tolerance) {
        union(parent, i, horizontal.length + j)
      }
    }
  }
  const groups = new Map<number, Array<{ s: Segment; h: boolean }>>()
  all.forEach((item, i) => {
    const root = find_(parent, i)
    groups.set(root, [...(groups.get(root) ?? []), item])
  })
  const found: Array<FoundTable> = []
  for (const group of groups.values()) {
    const hs = group.filter((g) => g.h).map((g) => g.s)
    const vs = group.filter((g) => !g.h).map((g) => g.s)
    if (hs.length < 2 || vs.length < 2) continue
    const vxs = vs.map((v) => (v.x0 + v.x1) / 2)
    const hys = hs.map((h) => (h.y0 + h.y1) / 2)
    // Open sides: rules running past the outermost crossing rules close the grid there.
    const left = Math.min(...hs.map((h) => h.x0))
    const right = Math.max(...hs.map((h) => h.x1))
    const top = Math.min(...vs.map((v) => v.y0))
    const bottom = Math.max(...vs.map((v) => v.y1))
    const xs = cluster([...vxs, left, right], Math.max(tolerance, lineHeight * 0.5))
    const ys = cluster([...hys, top, bottom], Math.max(tolerance, lineHeight * 0.5))
    const cells = gridCells(xs, ys, hs, vs, tolerance)
    if (cells.length < 2) continue
    const box = { x: xs[0]!, y: ys[0]!, width: xs[xs.length - 1]! - xs[0]!, height: ys[ys.length - 1]! - ys[0]! }
    const taken = lines.filter((l) => lineCentreIn(l, box))
    const filled = fillCells(cells, taken)
    const withText = filled.filter((c) => c.lines.length > 0).length
    // A frame around a picture or a chart's grid is not a table: most cells of a table hold text.
    if (withText < Math.max(2, Math.ceil(filled.length * 0.3))) continue
    found.push({ block: tableBlock(filled, box), lines: taken })
  }
  // Rules crossed by no vertical rule (frames of pictures and grids were dealt with above).
  const crossed = new Set(
    all.flatMap((item, i) => (item.h && groups.get(find_(parent, i))!.some((g) => !g.h) ? [item.s] : []))
  )
  found.push(
    ...ruledRows(
      horizontal.filter((h) => !crossed.has(h)),
      lines,
      found,
      lineHeight,
      tolerance
    )
  )
  return found.sort((a, b) => a.block.box.y - b.block.box.y)
}

/**
 * Tables ruled between rows only (three-line "booktabs" tables): two or more
 * horizontal rules of the same extent stacked a few rows apart, with text
 * between them that lines up in columns.
 */
const ruledRows = (
  horizontal: ReadonlyArray<Segment>,
  lines: ReadonlyArray<Document.Line>,
  taken: ReadonlyArray<FoundTable>,
  lineHeight: number,
  tolerance: number
): Array<FoundTable> => {
  const inside = (s: Segment) =>
    taken.some((t) => {
      const b = t.block.box
      return (
        s.x0 >= b.x - tolerance &&
        s.x1 <= b.x + b.width + tolerance &&
        s.y0 >= b.y - tolerance &&
        s.y1 <= b.y + b.height + tolerance
      )
    })
  const free = horizontal.filter((s) => !inside(s) && s.x1 - s.x0 >= lineHeight * 6).sort((a, b) => a.y0 - b.y0)
  const used = new Set<Segment>()
  const out: Array<FoundTable> = []
  for (const first of free) {
    if (used.has(first)) continue
    const stack = [first]
    for (const next of free) {
      const last = stack[stack.length - 1]!
      if (next === first || used.has(next) || next.y0 <= last.y1) continue
      const sameExtent = Math.abs(next.x0 - first.x0) <= tolerance * 2 && Math.abs(next.x1 - first.x1) <= tolerance * 2
      if (sameExtent && next.y0 - last.y1 <= lineHeight * 12) stack.push(next)
    }
    if (stack.length < 2) continue
    const box = {
      x: Math.min(...stack.map((s) => s.x0)),
      y: stack[0]!.y0,
      width: Math.max(...stack.map((s) => s.x1)) - Math.min(...stack.map((s) => s.x0)),
      height: stack[stack.length - 1]!.y1 - stack[0]!.y0
    }
    const within = lines.filter((l) => lineCentreIn(l, box))
    const rows = visualRows(within)
    // Between the rules, the text must still line up: most rows in two or more pieces.
    if (rows.length < 2 || rows.filter((r) => r.length >= 2).length < rows.length * 0.6) continue
    const table = tableOfRows(rows, lineHeight)
    for (const s of stack) used.add(s)
    out.push({ block: { ...table.block, box }, lines: within })
  }
  return out
}
