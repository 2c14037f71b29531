import { describe, expect, it } from "@effect/vitest"
import { type Box, type Quad, quadOfBox } from "../src/Geometry.ts"
import type * as Raster from "../src/Raster.ts"
import * as TextCrop from "../src/TextCrop.ts"

const box = (x: number, y: number, width: number, height: number): Quad => quadOfBox({ x, y, width, height } as Box)
const sides = (top: number, right: number, bottom: number, left: number): TextCrop.Sides => ({
  top,
  right,
  bottom,
  left
})

/** A white grey page with black bands over the given boxes. */
const page = (width: number, height: number, bands: ReadonlyArray<Box>): Raster.Raster => {
  const data = new Uint8Array(width * height).fill(255)
  for (const b of bands)
    for (let y = b.y; y < b.y + b.height; y++) for (let x = b.x; x < b.x + b.width; x++) data[y * width + x] = 0
  return { width, height, channels: 1, data }
}
const darkRows = (r: Raster.Raster): Array<number> =>
  Array.from({ length: r.height }, (_, y) => y).filter((y) =>
    r.data.subarray(y * r.width, (y + 1) * r.width).includes(0)
  )

describe("TextCrop", () => {
  it("gives a line standing alone the full margin on every side", () => {
    // 0.1 of the 20 px thickness.
    expect(TextCrop.lineMargins([box(10, 10, 200, 20)])).toEqual([sides(2, 2, 2, 2)])
    expect(TextCrop.lineMargins([box(10, 10, 200, 20), box(10, 60, 200, 20)])).toEqual([
      sides(2, 2, 2, 2),
      sides(2, 2, 2, 2)
    ])
  })

  it("grows a line only halfway into the gap to its neighbours above and below", () => {
    // Three lines 20 px thick, 1 px apart: the middle one may take 0.5 px up and down.
    const quads = [box(10, 10, 200, 20), box(10, 31, 200, 20), box(10, 52, 200, 20)]
    expect(TextCrop.lineMargins(quads)).toEqual([sides(2, 2, 0.5, 2), sides(0.5, 2, 0.5, 2), sides(0.5, 2, 2, 2)])
  })

  it("does not grow towards a neighbour it touches or overlaps", () => {
    expect(TextCrop.lineMargins([box(10, 10, 200, 20), box(50, 25, 100, 20)])).toEqual([
      sides(2, 2, 0, 2),
      sides(0, 2, 2, 2)
    ])
  })

  it("limits the sides along the line by words of the same row, not by lines of another column", () => {
    // A word 1 px to the right on the same row; a line of another column far to the right.
    const quads = [box(10, 10, 100, 20), box(111, 10, 50, 20), box(400, 31, 100, 20)]
    expect(TextCrop.lineMargins(quads)).toEqual([sides(2, 0.5, 2, 2), sides(2, 2, 2, 0.5), sides(2, 2, 2, 2)])
  })

  it("reads sides in the line's own frame (a line turned by 180 degrees, a vertical line)", () => {
    // Corners from the bottom right: the quad's top side is the page's lower edge of the box.
    const [tl, tr, br, bl] = box(10, 10, 200, 20)
    const turned: Quad = [br, bl, tl, tr]
    expect(TextCrop.lineMargins([turned, box(10, 31, 200, 20)])[0]).toEqual(sides(0.5, 2, 2, 2))
    expect(TextCrop.lineMargins([turned, box(10, 0, 200, 9)])[0]).toEqual(sides(2, 2, 0.5, 2))
    // A vertical line (20 px thick) with a neighbouring column 1 px to its left.
    expect(TextCrop.lineMargins([box(31, 10, 20, 200), box(10, 10, 20, 200)])[0]).toEqual(sides(2, 2, 2, 0.5))
  })

  it("keeps the strokes of a neighbouring line out of a dense page's crops", () => {
    // Lines 20 px thick, 1 px apart; each line's ink fills its box.
    const boxes: Array<Box> = [
      { x: 10, y: 10, width: 100, height: 20 },
      { x: 10, y: 31, width: 100, height: 20 }
    ]
    const image = page(130, 70, boxes)
    const quads = boxes.map((b) => quadOfBox(b))
    const [, second] = TextCrop.cropLines(image, quads)
    // The margin of 2 px kept by `cropLine` reaches the line above: its bottom row shows in the crop.
    const alone = TextCrop.cropLine(image, quads[1]!)
    expect(darkRows(alone)[0]).toBe(0)
    // Clamped to half the 1 px gap, the crop starts in white space above its own ink.
    expect(darkRows(second!)[0]).toBeGreaterThan(0)
    expect(second!.width).toBe(alone.width)
    expect(second!.height).toBeLessThan(alone.height)
  })

  it("crops a line standing alone as cropLine does", () => {
    const image = page(130, 70, [{ x: 10, y: 10, width: 100, height: 20 }])
    const quad = box(10, 10, 100, 20)
    expect(TextCrop.cropLines(image, [quad])).toEqual([TextCrop.cropLine(image, quad)])
    expect(TextCrop.cropLines(image, [])).toEqual([])
  })
})
