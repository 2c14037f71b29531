import { describe, expect, it } from "@effect/vitest"
import * as Raster from "../src/Raster.ts"

/** A 3x2 grey raster with distinct values, row-major: 1 2 3 / 4 5 6. */
const sample: Raster.Raster = { width: 3, height: 2, channels: 1, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) }

describe("Raster", () => {
  it("rotates clockwise by quarter turns", () => {
    expect(Array.from(Raster.rotate(sample, 90).data)).toEqual([4, 1, 5, 2, 6, 3])
    expect(Raster.rotate(sample, 90).width).toBe(2)
    expect(Array.from(Raster.rotate(sample, 180).data)).toEqual([6, 5, 4, 3, 2, 1])
    expect(Array.from(Raster.rotate(sample, 270).data)).toEqual([3, 6, 2, 5, 1, 4])
    expect(Raster.rotate(Raster.rotate(sample, 90), 270)).toEqual(sample)
  })

  it("crops and clamps to the image", () => {
    const c = Raster.crop(sample, { x: 1, y: 0, width: 5, height: 1 })
    expect(c.width).toBe(2)
    expect(Array.from(c.data)).toEqual([2, 3])
  })

  it("pads with a border", () => {
    const p = Raster.pad(sample, 1, 0)
    expect([p.width, p.height]).toEqual([5, 4])
    expect(Array.from(p.data.subarray(5, 10))).toEqual([0, 1, 2, 3, 0])
  })

  it("warps an axis-aligned quad to an exact copy", () => {
    const w = Raster.warpQuad(
      sample,
      [
        { x: 0, y: 0 },
        { x: 3, y: 0 },
        { x: 3, y: 2 },
        { x: 0, y: 2 }
      ],
      3,
      2
    )
    expect(Array.from(w.data)).toEqual(Array.from(sample.data))
  })

  it("converts RGB to grey with BT.601 weights", () => {
    const rgb: Raster.Raster = { width: 2, height: 1, channels: 3, data: Uint8Array.from([255, 0, 0, 0, 0, 255]) }
    expect(Array.from(Raster.toGray(rgb).data)).toEqual([76, 29])
  })
})
