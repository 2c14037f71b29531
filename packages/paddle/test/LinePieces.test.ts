import { describe, expect, it } from "@effect/vitest"
import { Raster } from "@ocr2word/core"
import * as LinePieces from "../src/internal/line-pieces.ts"

/** A white crop with black "glyphs" in the given column ranges. */
const crop = (width: number, height: number, inked: ReadonlyArray<readonly [number, number]>): Raster.Raster => {
  const image = Raster.make(width, height, 1, 255)
  for (const [a, b] of inked) for (let y = 2; y < height - 2; y++) image.data.fill(0, y * width + a, y * width + b)
  return image
}

describe("LinePieces", () => {
  it("counts ink per column on light and on dark ground", () => {
    expect([...LinePieces.columnInk(crop(6, 10, [[2, 4]]))]).toEqual([0, 0, 6, 6, 0, 0])
    const dark = crop(6, 10, [[2, 4]])
    for (let i = 0; i < dark.data.length; i++) dark.data[i] = 255 - dark.data[i]!
    expect([...LinePieces.columnInk(dark)]).toEqual([0, 0, 6, 6, 0, 0])
  })

  it("cuts a long line in the widest empty gap, never through a glyph, no piece too wide", () => {
    // words of 30 columns with 4-column letter gaps inside and 12-column gaps between them
    const inked: Array<[number, number]> = []
    for (let x = 0; x < 1000; x += 42) inked.push([x, x + 13], [x + 17, x + 30])
    const ink = LinePieces.columnInk(crop(1000, 20, inked))
    const parts = LinePieces.pieces(ink, 200)
    expect(parts[0]!.start).toBe(0)
    expect(parts.at(-1)!.end).toBe(1000)
    for (const [i, p] of parts.entries()) {
      expect(p.end - p.start).toBeLessThanOrEqual(200)
      if (i > 0) {
        expect(ink[p.start]).toBe(0) // cut in a gap
        expect(p.gapBefore).toBe(12) // the word gap, not a letter gap
        expect(parts[i - 1]!.end).toBe(p.start)
      }
    }
  })

  it("leaves a line that fits in one piece", () => {
    expect(LinePieces.pieces(new Int32Array(150), 200)).toEqual([{ start: 0, end: 150, gapBefore: 0 }])
  })

  it("joins pieces with a space only at a word gap between Latin letters or digits", () => {
    const read = (text: string) => ({
      text,
      confidence: 0.9,
      chars: [{ text: text[0]!, start: 0, end: 0.1, confidence: 0.9 }]
    })
    const joined = LinePieces.join(
      [
        { piece: { start: 0, end: 100, gapBefore: 0 }, text: read("This is") },
        { piece: { start: 100, end: 200, gapBefore: 10 }, text: read("a fac") },
        { piece: { start: 200, end: 300, gapBefore: 2 }, text: read("simile") },
        { piece: { start: 300, end: 400, gapBefore: 10 }, text: read("中文") },
        { piece: { start: 400, end: 500, gapBefore: 10 }, text: read("行") }
      ],
      500,
      5
    )
    expect(joined.text).toBe("This is a facsimile中文行")
    expect(joined.confidence).toBeCloseTo(0.9, 6)
    expect(joined.chars!.map((c) => c.start)).toEqual([0, 0.2, 0.4, 0.6, 0.8])
  })
})
