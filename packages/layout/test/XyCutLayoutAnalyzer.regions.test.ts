import { describe, expect, it } from "@effect/vitest"
import { Document } from "@ocr2word/core"
import { Effect } from "effect"
import * as XyCutLayoutAnalyzer from "../src/XyCutLayoutAnalyzer.ts"
import { fill, ink, line, page } from "./fixtures.ts"

/** A page drawn by hand: header, paragraph, list, ruled table, figure with caption, page number. */
const drawPage = () => {
  const image = page(1000, 1400)
  const lines = [
    line("Annual Report 2024", 80, 30, 250, 18),
    line("This paragraph introduces the table and the chart below it.", 80, 120, 800),
    line("It runs over two lines of body text.", 80, 150, 500),
    line("1. First item of the list", 80, 200, 400),
    line("2. Second item of the list", 80, 230, 420),
    line("Name", 110, 300, 80),
    line("Value", 410, 300, 80),
    line("Alpha", 110, 350, 80),
    line("12", 410, 350, 40),
    line("Beta", 110, 400, 80),
    line("34", 410, 400, 40),
    line("Figure 1: Sales by month", 300, 800, 350),
    line("The closing paragraph follows the figure.", 80, 880, 600),
    line("And ends here.", 80, 910, 200),
    line("7", 495, 1340, 12, 18)
  ]
  for (const l of lines) ink(image, l)
  for (const y of [285, 335, 385, 435]) fill(image, { x: 100, y, width: 602, height: 2 })
  for (const x of [100, 400, 700]) fill(image, { x, y: 285, width: 2, height: 152 })
  for (let i = 0; i < 5; i++)
    fill(image, { x: 300 + i * 70, y: 520 + i * 30, width: 50, height: 250 - i * 30 }, [70, 120, 180])
  return { image, lines }
}

describe("XyCutLayoutAnalyzer with regions", () => {
  it.effect("puts running heads, list items, the table, the figure and its caption in reading order", () =>
    Effect.gen(function* () {
      const { image, lines } = drawPage()
      const analyzer = yield* XyCutLayoutAnalyzer.make({})
      const blocks = yield* analyzer.analyze({ image, lines })
      expect(blocks.map((b) => b.kind)).toEqual([
        "header",
        "paragraph",
        "list-item",
        "list-item",
        "table",
        "figure",
        "caption",
        "paragraph",
        "page-number"
      ])
      const [, , first, second, table, figure] = blocks
      expect(first?.kind === "list-item" && first.list).toEqual({
        format: "decimal",
        marker: "1.",
        number: 1,
        level: 0
      })
      expect(second?.kind === "list-item" && second.list?.number).toBe(2)
      if (table?.kind !== "table" || figure?.kind !== "figure") throw new Error("Expected a table, then a figure")
      expect(Document.tableRows(table).map((row) => row.map((c) => c.lines.map((l) => l.text).join("")))).toEqual([
        ["Name", "Value"],
        ["Alpha", "12"],
        ["Beta", "34"]
      ])
      expect(table.cells.map((c) => c.lines.map((l) => l.text).join(""))).toEqual([
        "Name",
        "Value",
        "Alpha",
        "12",
        "Beta",
        "34"
      ])
      expect(figure.image).toBeInstanceOf(Uint8Array)
      expect([...figure.image!.slice(1, 4)].map((c) => String.fromCharCode(c)).join("")).toBe("PNG")
      expect(figure.box.y).toBeLessThanOrEqual(520)
      expect(figure.box.y + figure.box.height).toBeGreaterThanOrEqual(770)
      // Without regions: only paragraphs and headings from the lines.
      const plain = yield* (yield* XyCutLayoutAnalyzer.make({ regions: false })).analyze({ image, lines })
      expect(plain.some((b) => b.kind === "table" || b.kind === "figure")).toBe(false)
    })
  )

  it.effect("rejects a wrong regions option", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(XyCutLayoutAnalyzer.make({ regions: "yes" as unknown as boolean }))
      expect(error.message).toBe('Expected a boolean for regions but received "yes"')
    })
  )

  it.effect("a short bold line of body size is a heading, one level below the larger title", () =>
    Effect.gen(function* () {
      const image = page(1000, 800)
      const title = line("The Big Title", 300, 40, 400, 40)
      const bold = line("Getting started", 80, 200, 220)
      const body = [0, 1, 2, 3, 4, 5].map((i) =>
        line(`Body text line number ${i} of the page here.`, 80, 120 + (i < 2 ? i * 30 : 130 + i * 30), 700)
      )
      for (const l of [title, ...body]) ink(image, l)
      // Bold: strokes twice as thick.
      for (let x = bold.box.x + 2; x < bold.box.x + bold.box.width - 6; x += 9) {
        fill(image, { x, y: bold.box.y + 3, width: 6, height: bold.box.height - 6 })
      }
      const analyzer = yield* XyCutLayoutAnalyzer.make({})
      const blocks = yield* analyzer.analyze({ image, lines: [title, bold, ...body] })
      const headings = blocks.filter((b) => b.kind === "heading").map((b) => [b.lines[0]!.text, b.level])
      expect(headings).toEqual([
        ["The Big Title", 1],
        ["Getting started", 2]
      ])
    })
  )

  it.effect("a caption run into a bulleted list is cut off, and the bullets become list items", () =>
    Effect.gen(function* () {
      const image = page(800, 600)
      const lines = [
        line("Figure 2: Accuracy by resolution", 80, 100, 400),
        line("· First bullet point here", 80, 130, 380),
        line("· Second bullet point here", 80, 160, 390),
        ...[0, 1, 2, 3].map((i) => line(`Body line ${i} of the text that follows.`, 80, 260 + i * 30, 600))
      ]
      for (const l of lines) ink(image, l)
      const analyzer = yield* XyCutLayoutAnalyzer.make({})
      const blocks = yield* analyzer.analyze({ image, lines })
      expect(blocks.slice(0, 3).map((b) => [b.kind, Document.blockLines(b)[0]!.text])).toEqual([
        ["caption", "Figure 2: Accuracy by resolution"],
        ["list-item", "· First bullet point here"],
        ["list-item", "· Second bullet point here"]
      ])
    })
  )
})
