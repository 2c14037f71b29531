/**
 * Reading order on a photographed page whose lines tilt and curve: the
 * XY-cut works on each line's box straightened around its centre, not on
 * the axis-aligned box, which grows with the tilt until the boxes of
 * consecutive lines overlap.
 */
import { describe, expect, it } from "@effect/vitest"
import { type Document, Geometry } from "@ocr2word/core"
import { uprightBox } from "../src/internal/line-metrics.ts"
import { layoutPage } from "../src/internal/page-layout.ts"
import { order } from "./synthetic-lines.ts"

/** A line of `width x height` centred at `cx, cy`, tilted by `degrees` (its box the quad's bounds). */
const tilted = (
  text: string,
  cx: number,
  cy: number,
  width: number,
  height: number,
  degrees: number
): Document.Line => {
  const a = (degrees * Math.PI) / 180
  const at = (dx: number, dy: number) => ({
    x: cx + dx * Math.cos(a) - dy * Math.sin(a),
    y: cy + dx * Math.sin(a) + dy * Math.cos(a)
  })
  const polygon: Geometry.Quad = [
    at(-width / 2, -height / 2),
    at(width / 2, -height / 2),
    at(width / 2, height / 2),
    at(-width / 2, height / 2)
  ]
  const box = Geometry.boxOfPoints(polygon)
  return {
    text,
    box,
    polygon,
    confidence: 0.95,
    direction: "horizontal",
    script: "latin",
    words: [{ text, box, confidence: 0.95 }]
  }
}

describe("tilted lines", () => {
  it("straightens a tilted line's box around its centre and leaves a level one as it is", () => {
    const l = tilted("a tilted line", 300, 200, 400, 20, 4)
    // The axis-aligned box is 20 cos 4 + 400 sin 4 = 47.9 pixels tall.
    expect(l.box.height).toBeCloseTo(47.85, 1)
    const b = uprightBox(l)
    expect(b.width).toBeCloseTo(400, 6)
    expect(b.height).toBeCloseTo(20, 6)
    expect(b.x + b.width / 2).toBeCloseTo(300, 6)
    expect(b.y + b.height / 2).toBeCloseTo(200, 6)
    const level = tilted("a level line", 300, 200, 400, 20, 0)
    expect(uprightBox(level)).toEqual(level.box)
  })

  it("reads the lines of a page photographed at a slant in order, indented first lines included", () => {
    // Lines 800 pixels wide and 20 high at a pitch of 28, tilted by 6 degrees (as at the top of a
    // synth-docs photo): their axis-aligned boxes are 104 pixels tall, so the middle parts the cut
    // uses overlap by more than half and the lines chained into one row, read left to right.
    const lines: Array<Document.Line> = []
    const expected: Array<string> = []
    for (let i = 0; i < 10; i++) {
      const indent = i % 4 === 0 ? 30 : 0
      const width = 800 - indent
      const text = `line${i}`
      lines.push(tilted(text, 60 + indent + width / 2, 100 + i * 28, width, 20, 6))
      expected.push(text)
    }
    expect(order(layoutPage([...lines].reverse()))).toEqual(expected)
  })
})
