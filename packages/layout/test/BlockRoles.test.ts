import { describe, expect, it } from "@effect/vitest"
import * as BlockRoles from "../src/BlockRoles.ts"
import { line } from "./fixtures.ts"

describe("BlockRoles", () => {
  it("reads list markers", () => {
    const cases: ReadonlyArray<readonly [string, string | undefined, number?, string?]> = [
      ["• first point", "bullet", 1, "first point"],
      ["· 中文要点", "bullet", 1, "中文要点"],
      ["- dash item", "bullet", 1, "dash item"],
      ["* star item", "bullet", 1, "star item"],
      ["1. Install", "decimal", 1, "Install"],
      ["12) Twelve", "decimal", 12, "Twelve"],
      ["3、第三条", "decimal", 3, "第三条"],
      ["(2) second", "decimal-paren", 2, "second"],
      ["（4）第四", "decimal-paren", 4, "第四"],
      ["一、总则", "chinese", 1, "总则"],
      ["十二、附则", "chinese", 12, "附则"],
      ["②第二", "circled", 2, "第二"],
      ["b) option", "lower-letter", 2, "option"],
      ["3.14 is pi", undefined],
      ["-5 degrees", undefined],
      ["2024年", undefined],
      ["Plain text", undefined]
    ]
    for (const [text, format, number, rest] of cases) {
      const m = BlockRoles.listMarker(text)
      expect(m?.format, text).toBe(format)
      if (format !== undefined) {
        expect(m?.number, text).toBe(number)
        expect(m?.rest, text).toBe(rest)
      }
    }
  })

  it("splits a paragraph into list items at each marker line", () => {
    const lines = [
      line("1. First item", 40, 0, 200),
      line("continues here", 60, 25, 200),
      line("2. Second", 40, 50, 200)
    ]
    expect(BlockRoles.splitListItems(lines)?.items.map((item) => item.map((l) => l.text))).toEqual([
      ["1. First item", "continues here"],
      ["2. Second"]
    ])
    // A line starting left of the markers ends the list: it begins the next paragraph.
    const after = [...lines, line("A new paragraph starts at the margin", 10, 75, 400)]
    const split = BlockRoles.splitListItems(after)!
    expect(split.items).toHaveLength(2)
    expect(split.rest.map((l) => l.text)).toEqual(["A new paragraph starts at the margin"])
    expect(BlockRoles.splitListItems([line("Not a list", 0, 0, 100)])).toBeUndefined()
  })

  it("tells captions and page numbers", () => {
    expect(BlockRoles.isCaption([line("Figure 2: Accuracy vs speed", 0, 0, 100)])).toBe(true)
    expect(BlockRoles.isCaption([line("Fig. 3 Layout", 0, 0, 100)])).toBe(true)
    expect(BlockRoles.isCaption([line("表1 实验结果", 0, 0, 100)])).toBe(true)
    expect(BlockRoles.isCaption([line("图 3 系统结构", 0, 0, 100)])).toBe(true)
    expect(BlockRoles.isCaption([line("Tables are useful", 0, 0, 100)])).toBe(false)
    expect(BlockRoles.isCaption([line("图书馆", 0, 0, 100)])).toBe(false)
    for (const t of ["12", "- 3 -", "Page 4", "第 5 页", "3 / 10", "7 of 9"])
      expect(BlockRoles.isPageNumber(t), t).toBe(true)
    for (const t of ["2024年", "Chapter 1", "abc"]) expect(BlockRoles.isPageNumber(t), t).toBe(false)
  })

  it("takes headers, footers and page numbers from the margin bands only when set apart", () => {
    const body = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => line(`Body line ${i}`, 100, 200 + i * 30, 600))
    const header = line("Journal of Things, 2024", 100, 40, 300)
    const pageNumber = line("- 12 -", 380, 1130, 40)
    const result = BlockRoles.marginLines([header, ...body, pageNumber], 1200)
    expect(result.blocks.map((b) => [b.kind, b.lines[0]!.text])).toEqual([
      ["header", "Journal of Things, 2024"],
      ["page-number", "- 12 -"]
    ])
    expect(result.blocks[1]!.alignment).toBe("center")
    // A large title at the top is not a header; a short page has none.
    const title = line("Big Title", 100, 40, 300, 50)
    expect(BlockRoles.marginLines([title, ...body], 1200).blocks).toEqual([])
    expect(BlockRoles.marginLines([header, ...body.slice(0, 3)], 1200).blocks).toEqual([])
  })
})
