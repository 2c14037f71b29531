/**
 * Convex hulls and minimum-area rectangles (OpenCV's `convexHull` and
 * `minAreaRect`), used by the DB post-processing to turn a region of text
 * pixels into a four-point box.
 */
import type { Geometry } from "@ocr2word/core"

type Point = Geometry.Point
type Quad = Geometry.Quad

const cross = (o: Point, a: Point, b: Point): number => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)

/** Convex hull by Andrew's monotone chain, counter-clockwise in y-down pixels, no collinear points. */
export const convexHull = (points: ReadonlyArray<Point>): ReadonlyArray<Point> => {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y)
  if (sorted.length <= 2) return sorted
  const lower: Array<Point> = []
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop()
    lower.push(p)
  }
  const upper: Array<Point> = []
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i]!
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop()
    upper.push(p)
  }
  lower.pop()
  upper.pop()
  return lower.concat(upper)
}

/** A rotated rectangle: its four corners (in no particular order) and side lengths. */
export interface RotatedRect {
  readonly corners: Quad
  readonly width: number
  readonly height: number
}

/**
 * The rectangle of least area that holds every point: one of its sides lies on
 * an edge of the convex hull, so try each hull edge as a direction.
 */
export const minAreaRect = (points: ReadonlyArray<Point>): RotatedRect => {
  const hull = convexHull(points)
  if (hull.length === 0) {
    const o = { x: 0, y: 0 }
    return { corners: [o, o, o, o], width: 0, height: 0 }
  }
  if (hull.length === 1) {
    const p = hull[0]!
    return { corners: [p, p, p, p], width: 0, height: 0 }
  }
  let best: RotatedRect | undefined
  let bestArea = Infinity
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!
    const b = hull[(i + 1) % hull.length]!
    const len = Math.hypot(b.x - a.x, b.y - a.y)
    if (len === 0) continue
    const ux = (b.x - a.x) / len
    const uy = (b.y - a.y) / len
    // Project on the edge direction u and its normal v.
    let minU = Infinity
    let maxU = -Infinity
    let minV = Infinity
    let maxV = -Infinity
    for (const p of hull) {
      const u = p.x * ux + p.y * uy
      const v = -p.x * uy + p.y * ux
      if (u < minU) minU = u
      if (u > maxU) maxU = u
      if (v < minV) minV = v
      if (v > maxV) maxV = v
    }
    const area = (maxU - minU) * (maxV - minV)
    if (area < bestArea - 1e-9) {
      bestArea = area
      const at = (u: number, v: number): Point => ({ x: u * ux - v * uy, y: u * uy + v * ux })
      best = {
        corners: [at(minU, minV), at(maxU, minV), at(maxU, maxV), at(minU, maxV)],
        width: maxU - minU,
        height: maxV - minV
      }
    }
  }
  return best!
}

/**
 * Corners in reading order: top-left, top-right, bottom-right, bottom-left.
 * As PaddleOCR's `get_mini_boxes`: the two leftmost points are the left side
 * (the upper one first), the two rightmost the right side.
 */
export const orderClockwise = (corners: ReadonlyArray<Point>): Quad => {
  const byX = [...corners].sort((a, b) => a.x - b.x || a.y - b.y)
  const [l0, l1, r0, r1] = byX as [Point, Point, Point, Point]
  const [tl, bl] = l0.y <= l1.y ? [l0, l1] : [l1, l0]
  const [tr, br] = r0.y <= r1.y ? [r0, r1] : [r1, r0]
  return [tl, tr, br, bl]
}

/** Area (shoelace) and perimeter of a closed polygon. */
export const areaAndPerimeter = (
  polygon: ReadonlyArray<Point>
): { readonly area: number; readonly perimeter: number } => {
  let twice = 0
  let perimeter = 0
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i]!
    const b = polygon[(i + 1) % polygon.length]!
    twice += a.x * b.y - b.x * a.y
    perimeter += Math.hypot(b.x - a.x, b.y - a.y)
  }
  return { area: Math.abs(twice) / 2, perimeter }
}
