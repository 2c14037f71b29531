import { describe, expect, it } from "@effect/vitest"
import { Document } from "@ocr2word/core"
import { Effect } from "effect"
import * as Figures from "../src/Figures.ts"
import * as XyCutLayoutAnalyzer from "../src/XyCutLayoutAnalyzer.ts"
import { fill, ink, line, page } from "./fixtures.ts"

describe("Figures", () => {
  it("finds a chart and a red stamp that no text line covers, with the labels inside", () => {
    const image = page(800, 800)
    const text = [line("A paragraph above the figure", 50, 40, 500), line("more text", 50, 70, 300)]
    // A bar chart: separate bars close together, one label under it.
    for (let i = 0; i < 6; i++)
      fill(image, { x: 100 + i * 50, y: 200 + i * 20, width: 35, height: 200 - i * 20 }, [60, 90, 160])
    fill(image, { x: 90, y: 400, width: 320, height: 3 })
    const label = line("2024", 200, 408, 40, 14)
    // A stamp: a light red ring, no dark ink at all.
    fill(image, { x: 550, y: 550, width: 150, height: 150 }, [235, 120, 120])
    fill(image, { x: 565, y: 565, width: 120, height: 120 }, [255, 255, 255])
    const lines = [...text, label]
    for (const l of lines) ink(image, l)
    const figures = Figures.find(image, lines)
    expect(figures).toHaveLength(2)
    const [chart, stamp] = figures
    expect(chart!.box.x).toBeLessThanOrEqual(100)
    expect(chart!.box.x + chart!.box.width).toBeGreaterThanOrEqual(400)
    expect(chart!.box.y).toBeLessThanOrEqual(200)
    expect(chart!.lines.map((l) => l.text)).toEqual(["2024"])
    expect(stamp!.box.x).toBeLessThanOrEqual(550)
    expect(stamp!.box.y + stamp!.box.height).toBeGreaterThanOrEqual(700)
    const crop = Figures.crop(image, chart!.box)
    expect(crop.width).toBe(Math.ceil(chart!.box.x + chart!.box.width) - Math.floor(chart!.box.x))
    expect(Figures.block(chart!, new Uint8Array([1]))).toEqual({
      kind: "figure",
      box: chart!.box,
      confidence: 1,
      image: new Uint8Array([1])
    })
  })

  it.effect("a figure's labels stay text of the page: the figure block is the picture only", () =>
    Effect.gen(function* () {
      const image = page(800, 800)
      for (let i = 0; i < 6; i++)
        fill(image, { x: 100 + i * 50, y: 200 + i * 20, width: 35, height: 200 - i * 20 }, [60, 90, 160])
      const lines = [line("A paragraph above the figure", 50, 40, 500), line("2024", 200, 408, 40, 14)]
      for (const l of lines) ink(image, l)
      const analyzer = yield* XyCutLayoutAnalyzer.make()
      const blocks = yield* analyzer.analyze({ image, lines })
      const figure = blocks.find((b) => b.kind === "figure")
      expect(figure).toBeDefined()
      expect(figure).not.toHaveProperty("lines")
      const text = blocks.flatMap(Document.blockLines).map((l) => l.text)
      expect(text).toEqual(["A paragraph above the figure", "2024"])
    })
  )

  it("finds nothing on a page of text, or in areas already covered by a table", () => {
    const image = page(600, 400)
    const lines = [0, 1, 2, 3, 4, 5].map((i) => line("Some body text on the page", 40, 40 + i * 30, 400))
    for (const l of lines) ink(image, l)
    expect(Figures.find(image, lines)).toEqual([])
    fill(image, { x: 100, y: 250, width: 200, height: 100 }, [30, 30, 30])
    expect(Figures.find(image, lines, [{ x: 95, y: 245, width: 210, height: 110 }])).toEqual([])
    expect(Figures.find(image, lines)).toHaveLength(1)
  })
})
