/**
 * Post-processing of a DB (Differentiable Binarization) text detector, as
 * PaddleOCR's `DBPostProcess`: threshold the probability map, take each
 * connected region of text pixels, fit its minimum-area rectangle, keep it when
 * the mean probability inside is high enough, grow it back by the DB shrink
 * distance (a polygon offset, `unclip`), and fit a rectangle again.
 *
 * Pure and model-free: give it any probability map. Boxes come out in the
 * map's own pixel coordinates; the detector scales them to the page.
 *
 * @since 0.1.0
 */
import type { Geometry } from "@ocr2word/core"
import ClipperLib from "clipper-lib"
import { Schema } from "effect"
import { areaAndPerimeter, minAreaRect, orderClockwise } from "./internal/min-area-rect.ts"

/** A probability map: one value in [0, 1] per pixel, row-major. */
export interface ProbabilityMap {
  readonly width: number
  readonly height: number
  readonly data: Float32Array
}

/** A box found on the map, corners clockwise from the top-left. */
export interface MapBox {
  readonly polygon: Geometry.Quad
  /** Mean probability inside the box before it was grown. */
  readonly score: number
}

/** Options of the post-processing (PaddleOCR's names in brackets). */
export const Options = Schema.Struct({
  /** Pixels with a probability above this are text (`thresh`). */
  threshold: Schema.Number.check(Schema.isBetween({ minimum: 0, maximum: 1 })),
  /** Boxes whose mean probability is lower are dropped (`box_thresh`). */
  boxThreshold: Schema.Number.check(Schema.isBetween({ minimum: 0, maximum: 1 })),
  /** How far to grow the shrunk text kernel, relative to area / perimeter (`unclip_ratio`). */
  unclipRatio: Schema.Number.check(Schema.isGreaterThan(0)),
  /** At most this many regions are looked at (`max_candidates`). */
  maxCandidates: Schema.Int.check(Schema.isGreaterThan(0)),
  /** Regions whose short side is below this, in map pixels, are dropped (`min_size`). */
  minSize: Schema.Number.check(Schema.isGreaterThanOrEqualTo(0))
})
export type Options = typeof Options.Type

/** PaddleOCR's defaults for PP-OCR detection. */
export const defaultOptions: Options = {
  threshold: 0.3,
  boxThreshold: 0.6,
  unclipRatio: 1.5,
  maxCandidates: 1000,
  minSize: 3
}

/**
 * The outline points of each 8-connected region of `mask`: the leftmost and
 * rightmost pixel centre of every row, which is all a convex hull needs.
 * Regions come out in raster order of their first pixel.
 */
export const regions = (
  mask: Uint8Array,
  width: number,
  height: number
): ReadonlyArray<ReadonlyArray<Geometry.Point>> => {
  const label = new Int32Array(width * height)
  const out: Array<Array<Geometry.Point>> = []
  const stack: Array<number> = []
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || label[start] !== 0) continue
    const id = out.length + 1
    label[start] = id
    stack.push(start)
    const rowMin = new Map<number, number>()
    const rowMax = new Map<number, number>()
    while (stack.length > 0) {
      const p = stack.pop()!
      const x = p % width
      const y = (p - x) / width
      const lo = rowMin.get(y)
      if (lo === undefined || x < lo) rowMin.set(y, x)
      const hi = rowMax.get(y)
      if (hi === undefined || x > hi) rowMax.set(y, x)
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy
        if (ny < 0 || ny >= height) continue
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx
          if (nx < 0 || nx >= width || (dx === 0 && dy === 0)) continue
          const q = ny * width + nx
          if (mask[q] !== 0 && label[q] === 0) {
            label[q] = id
            stack.push(q)
          }
        }
      }
    }
    const points: Array<Geometry.Point> = []
    for (const [y, lo] of rowMin) {
      points.push({ x: lo, y })
      const hi = rowMax.get(y)!
      if (hi !== lo) points.push({ x: hi, y })
    }
    out.push(points)
  }
  return out
}

/**
 * Mean of the map over the pixels whose centres lie inside the convex quad
 * (or within half a pixel of its edges, as `fillPoly` paints them).
 */
export const meanInside = (map: ProbabilityMap, quad: Geometry.Quad): number => {
  const xs = quad.map((p) => p.x)
  const ys = quad.map((p) => p.y)
  const x0 = Math.max(0, Math.floor(Math.min(...xs)))
  const x1 = Math.min(map.width - 1, Math.ceil(Math.max(...xs)))
  const y0 = Math.max(0, Math.floor(Math.min(...ys)))
  const y1 = Math.min(map.height - 1, Math.ceil(Math.max(...ys)))
  // Signed area tells the winding, so "inside" is the same side of every edge.
  let twice = 0
  for (let i = 0; i < 4; i++) {
    const a = quad[i]!
    const b = quad[(i + 1) % 4]!
    twice += a.x * b.y - b.x * a.y
  }
  const sign = twice >= 0 ? 1 : -1
  const edges = quad.map((a, i) => {
    const b = quad[(i + 1) % 4]!
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1
    return { a, nx: (-(b.y - a.y) * sign) / len, ny: ((b.x - a.x) * sign) / len }
  })
  let sum = 0
  let count = 0
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let inside = true
      for (const e of edges) {
        // Distance of the pixel centre from the edge, positive inside.
        if ((x - e.a.x) * e.nx + (y - e.a.y) * e.ny < -0.5) {
          inside = false
          break
        }
      }
      if (inside) {
        sum += map.data[y * map.width + x]!
        count++
      }
    }
  }
  return count === 0 ? 0 : sum / count
}

const CLIPPER_SCALE = 16

/**
 * Grow a polygon outwards by `area * ratio / perimeter` with round joins (the
 * inverse of the shrink DB training applies to text regions).
 */
export const unclip = (polygon: ReadonlyArray<Geometry.Point>, ratio: number): ReadonlyArray<Geometry.Point> => {
  const { area, perimeter } = areaAndPerimeter(polygon)
  if (perimeter === 0) return polygon
  const distance = (area * ratio) / perimeter
  const offset = new ClipperLib.ClipperOffset(2, 0.25 * CLIPPER_SCALE)
  offset.AddPath(
    polygon.map((p) => ({ X: Math.round(p.x * CLIPPER_SCALE), Y: Math.round(p.y * CLIPPER_SCALE) })),
    ClipperLib.JoinType.jtRound,
    ClipperLib.EndType.etClosedPolygon
  )
  const solution: ClipperLib.Paths = []
  offset.Execute(solution, distance * CLIPPER_SCALE)
  return solution.flat().map((p) => ({ x: p.X / CLIPPER_SCALE, y: p.Y / CLIPPER_SCALE }))
}

/** Text boxes on a probability map, in map pixels. */
export const boxes = (map: ProbabilityMap, options: Options = defaultOptions): ReadonlyArray<MapBox> => {
  const mask = new Uint8Array(map.data.length)
  for (let i = 0; i < mask.length; i++) mask[i] = map.data[i]! > options.threshold ? 1 : 0
  const found = regions(mask, map.width, map.height).slice(0, options.maxCandidates)
  const out: Array<MapBox> = []
  for (const points of found) {
    const rect = minAreaRect(points)
    if (Math.min(rect.width, rect.height) < options.minSize) continue
    const quad = orderClockwise(rect.corners)
    const score = meanInside(map, quad)
    if (score < options.boxThreshold) continue
    const grown = minAreaRect(unclip(quad, options.unclipRatio))
    if (Math.min(grown.width, grown.height) < options.minSize + 2) continue
    const clamp = (p: Geometry.Point): Geometry.Point => ({
      x: Math.min(map.width, Math.max(0, p.x)),
      y: Math.min(map.height, Math.max(0, p.y))
    })
    out.push({ polygon: orderClockwise(grown.corners).map(clamp) as unknown as Geometry.Quad, score })
  }
  return out
}
