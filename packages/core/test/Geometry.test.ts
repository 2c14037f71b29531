import { describe, expect, it } from "@effect/vitest"
import * as Geometry from "../src/Geometry.ts"
import * as TextScript from "../src/TextScript.ts"

describe("Geometry", () => {
  it("computes IoU of overlapping boxes", () => {
    expect(Geometry.iou({ x: 0, y: 0, width: 2, height: 2 }, { x: 1, y: 0, width: 2, height: 2 })).toBeCloseTo(2 / 6)
    expect(Geometry.iou({ x: 0, y: 0, width: 1, height: 1 }, { x: 5, y: 5, width: 1, height: 1 })).toBe(0)
  })

  it("rotates points consistently with Raster.rotate", () => {
    expect(Geometry.rotatePoint({ x: 0, y: 0 }, 90, 30, 20)).toEqual({ x: 20, y: 0 })
    expect(Geometry.rotatePoint({ x: 0, y: 0 }, 180, 30, 20)).toEqual({ x: 30, y: 20 })
    expect(Geometry.rotatePoint({ x: 0, y: 0 }, 270, 30, 20)).toEqual({ x: 0, y: 30 })
  })

  it("measures quads along the reading direction", () => {
    const q = Geometry.quadOfBox({ x: 10, y: 10, width: 100, height: 20 })
    expect(Geometry.quadWidth(q)).toBe(100)
    expect(Geometry.quadHeight(q)).toBe(20)
    expect(Geometry.quadAngle(q)).toBe(0)
  })
})

describe("TextScript", () => {
  it("tells scripts apart", () => {
    expect(TextScript.scriptOf("你好世界")).toBe("han")
    expect(TextScript.scriptOf("Hello world!")).toBe("latin")
    expect(TextScript.scriptOf("Hello world!你好世界")).toBe("mixed")
    expect(TextScript.scriptOf("…")).toBe("none")
  })
})
