import { describe, expect, it } from "@effect/vitest"
import { Document, LayoutAnalyzer, PageBuilder, type Raster } from "@ocr2word/core"
import { Effect, Exit } from "effect"
import { layoutPage } from "../src/internal/page-layout.ts"
import * as XyCutLayoutAnalyzer from "../src/XyCutLayoutAnalyzer.ts"
import { column, line, order, shuffle, textBlock, verticalLine } from "./synthetic-lines.ts"

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`)

describe("reading order", () => {
  it("two columns with aligned baselines: the left column, then the right", () => {
    const lines = [...column("L", 100, 100, 400, 12), ...column("R", 540, 100, 400, 12)]
    expect(order(layoutPage(shuffle(lines)))).toEqual([...names("L", 12), ...names("R", 12)])
  })

  it("three columns, the last one shorter", () => {
    // Lines nine heights wide (about 18 Latin characters): narrower ones with rows aligned across read as a table.
    const lines = [
      ...column("A", 50, 100, 280, 10, 30),
      ...column("B", 360, 100, 280, 10, 30),
      ...column("C", 670, 100, 280, 6, 30)
    ]
    const blocks = layoutPage(shuffle(lines))
    expect(order(blocks)).toEqual([...names("A", 10), ...names("B", 10), ...names("C", 6)])
    expect(blocks.map((b) => b.column)).toEqual([0, 1, 2])
  })

  it("a heading spanning both columns is read first and marked as a heading", () => {
    const lines = [line("Title", 200, 20, 600, 90), ...column("L", 100, 160, 400, 8), ...column("R", 540, 160, 400, 8)]
    const blocks = layoutPage(shuffle(lines))
    expect(order(blocks)).toEqual(["Title", ...names("L", 8), ...names("R", 8)])
    expect(blocks[0]).toMatchObject({ kind: "heading", level: 1, alignment: "center" })
    expect(blocks.slice(1).every((b) => b.kind === "paragraph")).toBe(true)
  })

  it("a large title split by a word gap right over the gutter is one line, read after the columns above it", () => {
    const lines = [
      ...column("L", 100, 100, 400, 8),
      ...column("R", 540, 100, 400, 8),
      line("What Kids", 300, 560, 220, 100),
      line("Need Most", 560, 560, 260, 100)
    ]
    const blocks = layoutPage(shuffle(lines))
    expect(order(blocks)).toEqual([...names("L", 8), ...names("R", 8), "What Kids Need Most"])
    expect(blocks.at(-1)).toMatchObject({ kind: "heading", level: 1 })
  })

  it("full-width text, then two columns, then full-width text", () => {
    const lines = [
      ...column("T", 100, 50, 840, 3),
      ...column("L", 100, 260, 400, 6),
      ...column("R", 540, 260, 400, 6),
      ...column("B", 100, 680, 840, 3)
    ]
    expect(order(layoutPage(shuffle(lines)))).toEqual([
      ...names("T", 3),
      ...names("L", 6),
      ...names("R", 6),
      ...names("B", 3)
    ])
  })

  it("paragraph breaks lining up across the columns are not taken for the end of the column section", () => {
    // Both columns break a paragraph at the same height with a gap wider than the one under the full-width intro.
    const lines = [
      ...column("T", 100, 50, 840, 2),
      ...column("L", 100, 150, 400, 4),
      ...column("R", 540, 150, 400, 4),
      ...column("M", 100, 150 + 3 * 56 + 120, 400, 4),
      ...column("N", 540, 150 + 3 * 56 + 120, 400, 4)
    ]
    expect(order(layoutPage(shuffle(lines)))).toEqual([
      ...names("T", 2),
      ...names("L", 4),
      ...names("M", 4),
      ...names("R", 4),
      ...names("N", 4)
    ])
  })

  it("columns whose padded boxes touch (residual skew) are still told apart", () => {
    // Left lines end at 500 + up to 6 px of drift, right lines start at 504 - drift: no clean gap between boxes.
    const left = Array.from({ length: 10 }, (_, i) => line(`L${i + 1}`, 100, 100 + i * 56, 400 + i * 0.6, 40))
    const right = Array.from({ length: 10 }, (_, i) => line(`R${i + 1}`, 504 - i * 0.6, 103 + i * 56, 400, 40))
    expect(order(layoutPage(shuffle([...left, ...right])))).toEqual([...names("L", 10), ...names("R", 10)])
  })

  it("a single column is read top to bottom whatever the input order", () => {
    const lines = column("P", 100, 100, 600, 15)
    expect(order(layoutPage(shuffle(lines)))).toEqual(names("P", 15))
  })

  it("a short line above and to the right of the next is not a column: rows stay top to bottom", () => {
    const lines = [line("first", 600, 100, 300), line("second", 100, 160, 300)]
    expect(order(layoutPage(lines))).toEqual(["first", "second"])
  })

  it("label and page number on one row are read left to right", () => {
    const lines = [...column("P", 100, 100, 700, 5), line("Chapter 3", 100, 520, 200), line("47", 760, 520, 40)]
    expect(order(layoutPage(shuffle(lines)))).toEqual([...names("P", 5), "Chapter 3", "47"])
  })

  it("a table or form (short pieces in rows aligned across the gaps) is read row by row", () => {
    const rows = [0, 1, 2, 3, 4].flatMap((r) => [
      line(`date${r}`, 20, 100 + r * 40, 90, 20),
      line(`what${r}`, 160, 100 + r * 40, 150, 20),
      line(`amount${r}`, 500, 100 + r * 40, 60, 20),
      line(`balance${r}`, 650, 100 + r * 40, 80, 20)
    ])
    expect(order(layoutPage(shuffle(rows)))).toEqual(
      [0, 1, 2, 3, 4].flatMap((r) => [`date${r}`, `what${r}`, `amount${r}`, `balance${r}`])
    )
  })

  it("a few labels beside a text column share rows with it only by chance: still two columns", () => {
    const lines = [
      ...column("T", 20, 100, 360, 12, 20),
      line("label", 420, 150, 60, 20),
      line("note", 420, 300, 60, 20)
    ]
    expect(order(layoutPage(shuffle(lines)))).toEqual([...names("T", 12), "label", "note"])
  })

  it("a large word spanning two rows of small text (a street sign) joins the first row", () => {
    const lines = [
      line("west", 80, 84, 40, 32),
      line("315", 80, 122, 40, 32),
      line("Main Street", 200, 87, 260, 66),
      line("east", 520, 85, 40, 32),
      line("309", 520, 121, 40, 32)
    ]
    expect(order(layoutPage(shuffle(lines)))).toEqual(["west", "Main Street", "east", "315", "309"])
  })

  it("vertical lines among horizontal text are columns of their own", () => {
    const lines = [
      ...column("h", 300, 100, 400, 8, 30),
      verticalLine("先领卷后购物", 60, 100, 320, 50),
      verticalLine("旺旺咨询更优惠", 900, 100, 380, 50)
    ]
    expect(order(layoutPage(shuffle(lines)))).toEqual(["先领卷后购物", ...names("h", 8), "旺旺咨询更优惠"])
  })

  it("vertical Chinese text is read in columns from right to left", () => {
    const lines = [
      verticalLine("床前明月光", 100, 50, 300),
      verticalLine("疑是地上霜", 50, 50, 300),
      verticalLine("举头望明月", 150, 50, 300)
    ]
    expect(order(layoutPage(lines))).toEqual(["举头望明月", "床前明月光", "疑是地上霜"])
  })
})

describe("visual lines", () => {
  it("pieces of one line are joined: a space between Latin words, none between Han characters", () => {
    const blocks = layoutPage([
      line("Revenue reached", 100, 100, 300),
      line("$3.2B", 420, 102, 100),
      line("营业收入", 100, 160, 160),
      line("达到", 290, 160, 80),
      line("三十亿元", 100, 220, 160),
      line("(RMB)", 290, 220, 100)
    ])
    expect(order(blocks)).toEqual(["Revenue reached $3.2B", "营业收入达到", "三十亿元 (RMB)"])
  })

  it("no space next to CJK punctuation", () => {
    const blocks = layoutPage([line("你好，", 100, 100, 120), line("world", 250, 100, 100)])
    expect(order(blocks)).toEqual(["你好，world"])
  })

  it("pieces far apart on a row stay separate lines", () => {
    const blocks = layoutPage([line("left", 100, 100, 100), line("right", 800, 100, 100)])
    expect(order(blocks)).toEqual(["left", "right"])
    expect(blocks).toHaveLength(2)
  })
})

describe("paragraphs", () => {
  it("a wider line gap starts a new paragraph", () => {
    const lines = [...column("A", 100, 100, 600, 4), ...column("B", 100, 100 + 4 * 56 + 40, 600, 3)]
    const blocks = layoutPage(shuffle(lines))
    expect(blocks.map((b) => Document.blockLines(b).map((l) => l.text))).toEqual([names("A", 4), names("B", 3)])
  })

  it("a first-line indent after a short line starts a new paragraph", () => {
    const lines = [
      line("a1", 100, 100, 600),
      line("a2", 100, 156, 600),
      line("a3", 100, 212, 250),
      line("b1", 150, 268, 550),
      line("b2", 100, 324, 600),
      line("b3", 100, 380, 300)
    ]
    const blocks = layoutPage(lines)
    expect(blocks.map((b) => Document.blockLines(b).map((l) => l.text))).toEqual([
      ["a1", "a2", "a3"],
      ["b1", "b2", "b3"]
    ])
    expect(blocks.map((b) => textBlock(b).alignment)).toEqual(["justified", "justified"])
  })

  it("a short last line in justified text ends the paragraph even without indent or spacing", () => {
    const lines = [
      line("a1", 100, 100, 600),
      line("a2", 100, 156, 600),
      line("a3", 100, 212, 200),
      line("b1", 100, 268, 600),
      line("b2", 100, 324, 600),
      line("b3", 100, 380, 600),
      line("b4", 100, 436, 350)
    ]
    expect(layoutPage(lines).map((b) => Document.blockLines(b).length)).toEqual([3, 4])
  })

  it("lines that wrap around a picture (each a little more indented, the previous full) stay together", () => {
    const lines = [0, 0, 10, 20, 30, 40].map((dx, i) => line(`w${i + 1}`, 100 + dx, 100 + i * 56, 600 - dx))
    expect(layoutPage(lines).map((b) => Document.blockLines(b).length)).toEqual([6])
  })

  it("headings get levels by size, font sizes follow the line heights", () => {
    const body = (name: string, y: number, count: number) =>
      column(name, 100, y, 600, count).map((l) => ({ ...l, text: `${l.text} of the body text` }))
    const lines = [
      line("Big", 100, 50, 300, 100),
      line("Medium", 100, 200, 300, 64),
      ...body("p", 300, 5),
      line("Medium too", 100, 620, 300, 66),
      ...body("q", 720, 3)
    ]
    const blocks = layoutPage(lines)
    expect(blocks.map((b) => [b.kind, b.kind === "heading" ? b.level : undefined])).toEqual([
      ["heading", 1],
      ["heading", 2],
      ["paragraph", undefined],
      ["heading", 2],
      ["paragraph", undefined]
    ])
    expect(blocks.map((b) => textBlock(b).fontSize)).toEqual([100, 64, 40, 66, 40])
  })

  it("a page of one size has no headings; a single line is a paragraph", () => {
    expect(layoutPage(column("p", 100, 100, 600, 6)).every((b) => b.kind === "paragraph")).toBe(true)
    expect(layoutPage([line("only", 10, 10, 100, 80)])).toMatchObject([{ kind: "paragraph", fontSize: 80 }])
  })

  it("alignment: centred, right-aligned and left-aligned ragged lines", () => {
    const page = [
      ...column("body", 100, 100, 800, 3),
      line("centred", 400, 400, 200),
      line("right", 700, 520, 200),
      line("x1", 100, 640, 500),
      line("x2", 100, 696, 350),
      line("x3", 100, 752, 600)
    ]
    const blocks = layoutPage(page)
    const byText = (t: string) => textBlock(blocks.find((b) => Document.blockLines(b).some((l) => l.text === t)))
    expect(byText("centred").alignment).toBe("center")
    expect(byText("right").alignment).toBe("right")
    expect(byText("x1").alignment).toBe("left")
  })
})

describe("XyCutLayoutAnalyzer service", () => {
  const image: Raster.Raster = { width: 1000, height: 1400, channels: 1, data: new Uint8Array(1000 * 1400) }

  it.effect("gives the blocks in reading order with their geometry, all lines kept", () =>
    Effect.gen(function* () {
      const analyzer = yield* LayoutAnalyzer.LayoutAnalyzer
      const lines = [...column("L", 100, 100, 400, 4), ...column("R", 540, 100, 400, 4)]
      const blocks = yield* analyzer.analyze({ image, lines: shuffle(lines) })
      expect(order(blocks)).toEqual([...names("L", 4), ...names("R", 4)])
      expect(blocks[0]!.box).toEqual({ x: 100, y: 100, width: 400, height: 3 * 56 + 40 })
      expect(PageBuilder.confidenceOf(blocks.flatMap(Document.blockLines))).toBeCloseTo(0.95)
    }).pipe(Effect.provide(XyCutLayoutAnalyzer.layer))
  )

  it.effect("an empty page has no blocks; blank lines are dropped", () =>
    Effect.gen(function* () {
      const analyzer = yield* LayoutAnalyzer.LayoutAnalyzer
      expect(yield* analyzer.analyze({ image, lines: [line("  ", 0, 0, 50)] })).toEqual([])
    }).pipe(Effect.provide(XyCutLayoutAnalyzer.layer))
  )

  it.effect("options change the analysis: a higher heading ratio makes no headings", () =>
    Effect.gen(function* () {
      const analyzer = yield* LayoutAnalyzer.LayoutAnalyzer
      const lines = [line("Title", 100, 20, 300, 60), ...column("p", 100, 120, 600, 4)]
      const blocks = yield* analyzer.analyze({ image, lines })
      expect(blocks.map((b) => b.kind)).toEqual(["paragraph", "paragraph"])
    }).pipe(Effect.provide(XyCutLayoutAnalyzer.layerWith({ headingRatio: 2 })))
  )

  it.effect("invalid options fail with sharp-style messages", () =>
    Effect.gen(function* () {
      const bad = yield* Effect.exit(XyCutLayoutAnalyzer.make({ headingRatio: 0.5 }))
      expect(bad).toEqual(Exit.fail(expect.anything()))
      const error = Exit.isFailure(bad) ? bad.cause.reasons.find((r) => r._tag === "Fail")?.error : undefined
      expect(error?.message).toBe("Expected a number greater than 1 for headingRatio but received 0.5")
      const unknown = yield* Effect.flip(XyCutLayoutAnalyzer.make({ columns: 2 } as never))
      expect(unknown.message).toBe(
        'Expected one of minColumnGap, minColumnWidth, minColumnLineWidth, mergeGap, headingRatio, maxHeadingLines, paragraphSpacing, indent, sizeChange, regions for options but received "columns"'
      )
      const notInt = yield* Effect.flip(XyCutLayoutAnalyzer.make({ maxHeadingLines: 1.5 }))
      expect(notInt.message).toBe("Expected an integer of at least 1 for maxHeadingLines but received 1.5")
    })
  )
})
