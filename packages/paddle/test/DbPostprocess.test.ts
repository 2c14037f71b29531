import { describe, expect, it } from "@effect/vitest"
import * as DbPostprocess from "../src/DbPostprocess.ts"
import { convexHull, minAreaRect, orderClockwise } from "../src/internal/min-area-rect.ts"

/** A map with `value` inside the given axis-aligned rectangles (x0, y0, x1, y1 inclusive). */
const mapWith = (
  width: number,
  height: number,
  rects: ReadonlyArray<readonly [number, number, number, number]>,
  value = 0.9
): DbPostprocess.ProbabilityMap => {
  const data = new Float32Array(width * height)
  for (const [x0, y0, x1, y1] of rects) {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) data[y * width + x] = value
  }
  return { width, height, data }
}

describe("min-area rectangle", () => {
  it("finds the convex hull of a square with inner points", () => {
    const hull = convexHull([
      { x: 0, y: 0 },
      { x: 2, y: 0 },
      { x: 1, y: 1 },
      { x: 2, y: 2 },
      { x: 0, y: 2 },
      { x: 1, y: 0 }
    ])
    expect(hull).toHaveLength(4)
  })

  it("fits a rotated rectangle exactly", () => {
    // A 10 x 2 rectangle turned by 30 degrees.
    const a = Math.PI / 6
    const at = (u: number, v: number) => ({
      x: 50 + u * Math.cos(a) - v * Math.sin(a),
      y: 50 + u * Math.sin(a) + v * Math.cos(a)
    })
    const rect = minAreaRect([at(0, 0), at(10, 0), at(10, 2), at(0, 2), at(5, 1)])
    expect(Math.max(rect.width, rect.height)).toBeCloseTo(10)
    expect(Math.min(rect.width, rect.height)).toBeCloseTo(2)
  })

  it("orders corners clockwise from the top-left", () => {
    const q = orderClockwise([
      { x: 10, y: 5 },
      { x: 0, y: 0 },
      { x: 0, y: 5 },
      { x: 10, y: 0 }
    ])
    expect(q).toEqual([
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 5 },
      { x: 0, y: 5 }
    ])
  })
})

describe("DbPostprocess", () => {
  it("labels 8-connected regions separately", () => {
    const mask = new Uint8Array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])
    // 4 x 4: a pair at the top-left, a diagonal pair at the right.
    expect(DbPostprocess.regions(mask, 4, 4)).toHaveLength(2)
  })

  it("averages the map inside a quad", () => {
    const map = mapWith(20, 10, [[0, 0, 9, 9]], 1)
    const quad = [
      { x: 5, y: 0 },
      { x: 14, y: 0 },
      { x: 14, y: 9 },
      { x: 5, y: 9 }
    ] as const
    expect(DbPostprocess.meanInside(map, quad)).toBeCloseTo(0.5)
  })

  it("grows a rectangle by area * ratio / perimeter", () => {
    const grown = DbPostprocess.unclip(
      [
        { x: 0, y: 0 },
        { x: 40, y: 0 },
        { x: 40, y: 10 },
        { x: 0, y: 10 }
      ],
      1.5
    )
    // distance = 400 * 1.5 / 100 = 6
    const xs = grown.map((p) => p.x)
    const ys = grown.map((p) => p.y)
    expect(Math.min(...xs)).toBeCloseTo(-6, 0)
    expect(Math.max(...xs)).toBeCloseTo(46, 0)
    expect(Math.min(...ys)).toBeCloseTo(-6, 0)
    expect(Math.max(...ys)).toBeCloseTo(16, 0)
  })

  it("turns a text kernel into a grown box, corners clockwise from the top-left", () => {
    const boxes = DbPostprocess.boxes(mapWith(100, 40, [[20, 15, 79, 24]]))
    expect(boxes).toHaveLength(1)
    const [box] = boxes
    expect(box!.score).toBeCloseTo(0.9)
    const [tl, tr, br, bl] = box!.polygon
    // kernel 59 x 9 (pixel centres), distance = 531 * 1.5 / 136 = 5.9
    expect(tl.x).toBeCloseTo(14.1, 0)
    expect(tl.y).toBeCloseTo(9.1, 0)
    expect(tr.x).toBeCloseTo(84.9, 0)
    expect(br.y).toBeCloseTo(29.9, 0)
    expect(bl.x).toBeCloseTo(tl.x, 5)
  })

  it("drops weak, thin and tiny regions and keeps separate lines apart", () => {
    const map = mapWith(120, 60, [
      [10, 5, 100, 14],
      [10, 30, 100, 39],
      [10, 50, 12, 51]
    ])
    expect(DbPostprocess.boxes(map)).toHaveLength(2)
    const weak = mapWith(120, 60, [[10, 5, 100, 14]], 0.5)
    expect(DbPostprocess.boxes(weak)).toHaveLength(0)
    expect(DbPostprocess.boxes(weak, { ...DbPostprocess.defaultOptions, boxThreshold: 0.4 })).toHaveLength(1)
  })

  it("fits a slanted line with a slanted box", () => {
    const width = 120
    const height = 80
    const data = new Float32Array(width * height)
    for (let x = 10; x < 110; x++) {
      const yc = 20 + x * 0.3
      for (let y = Math.round(yc - 4); y <= Math.round(yc + 4); y++) data[y * width + x] = 0.95
    }
    const [box] = DbPostprocess.boxes({ width, height, data })
    const [tl, tr] = box!.polygon
    expect((Math.atan2(tr.y - tl.y, tr.x - tl.x) * 180) / Math.PI).toBeCloseTo((Math.atan(0.3) * 180) / Math.PI, 0)
  })
})
