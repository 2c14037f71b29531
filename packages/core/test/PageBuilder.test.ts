import { describe, expect, it } from "@effect/vitest"
import type * as Document from "../src/Document.ts"
import { type Box, quadOfBox } from "../src/Geometry.ts"
import * as PageBuilder from "../src/PageBuilder.ts"

const line = (text: string, confidence: number): Document.Line => {
  const box: Box = { x: 0, y: 0, width: 100, height: 20 }
  return { text, box, polygon: quadOfBox(box), confidence, direction: "horizontal", script: "latin", words: [] }
}

const box: Box = { x: 0, y: 0, width: 100, height: 100 }
const blocks: ReadonlyArray<Document.Block> = [
  { kind: "paragraph", box, confidence: 1, lines: [line("abc d", 0.5)] },
  {
    kind: "table",
    box,
    confidence: 1,
    cells: [{ row: 0, column: 0, rowSpan: 1, columnSpan: 1, box, lines: [line("ef", 1), line("", 0)] }]
  },
  { kind: "figure", box, confidence: 1 }
]

describe("PageBuilder", () => {
  it("builds the page record around the blocks, its confidence weighted by line length", () => {
    const page = PageBuilder.build({ index: 2, width: 640, height: 480, rotation: 90, skew: 1.5, blocks })
    expect(page).toEqual({
      index: 2,
      width: 640,
      height: 480,
      rotation: 90,
      skew: 1.5,
      // "abc d" (5 characters) at 0.5, "ef" (2) at 1, the empty line (counted as 1) at 0.
      confidence: (5 * 0.5 + 2 * 1 + 1 * 0) / 8,
      blocks
    })
    expect(PageBuilder.build({ index: 0, width: 1, height: 1, rotation: 0, skew: 0, blocks: [] }).confidence).toBe(0)
  })

  it("keeps the page image and the line counts when given", () => {
    const image = new Uint8Array([137, 80, 78, 71])
    const lineCounts = PageBuilder.lineCounts({
      detected: 5,
      recognised: 4,
      kept: [line("abc d", 0.5), line("ef", 1), line("lost line", 0.9)],
      blocks
    })
    // Table cells count; white space does not.
    expect(lineCounts).toEqual({
      detected: 5,
      recognised: 4,
      kept: 3,
      written: 3,
      keptCharacters: 14,
      writtenCharacters: 6
    })
    const page = PageBuilder.build({ index: 0, width: 1, height: 1, rotation: 0, skew: 0, blocks, image, lineCounts })
    expect(page.image).toBe(image)
    expect(page.lineCounts).toBe(lineCounts)
  })
})
