import { describe, expect, it } from "@effect/vitest"
import * as UnruledTables from "../src/UnruledTables.ts"
import { line } from "./fixtures.ts"

describe("UnruledTables", () => {
  it("finds rows of pieces aligned in three columns, with a spanning title cell", () => {
    const lines = [
      line("Intro paragraph text that runs across the page", 50, 20, 600),
      line("Item", 50, 80, 60),
      line("Price", 300, 80, 70),
      line("Qty", 520, 80, 50),
      line("Apple", 50, 115, 70),
      line("3.50", 300, 115, 50),
      line("12", 520, 115, 30),
      line("Pear", 50, 150, 60),
      line("4.10", 300, 150, 50),
      line("7", 520, 150, 15),
      line("Total across price and quantity", 50, 185, 420),
      line("Closing paragraph after the table is done", 50, 260, 600)
    ]
    const tables = UnruledTables.find(lines)
    expect(tables).toHaveLength(1)
    const cells = tables[0]!.block.cells!.map((c) => [
      c.row,
      c.column,
      c.columnSpan,
      c.lines.map((l) => l.text).join(" ")
    ])
    expect(cells).toEqual([
      [0, 0, 1, "Item"],
      [0, 1, 1, "Price"],
      [0, 2, 1, "Qty"],
      [1, 0, 1, "Apple"],
      [1, 1, 1, "3.50"],
      [1, 2, 1, "12"],
      [2, 0, 1, "Pear"],
      [2, 1, 1, "4.10"],
      [2, 2, 1, "7"]
    ])
    expect(tables[0]!.lines).toHaveLength(9)
  })

  it("does not take three page columns of prose for a table", () => {
    const prose = "这是一段正文，分成三栏排版的文字内容"
    const lines = [0, 1, 2, 3, 4].flatMap((r) => [0, 1, 2].map((c) => line(prose, 40 + c * 250, 40 + r * 30, 230)))
    expect(UnruledTables.find(lines)).toEqual([])
  })

  it("does not take page columns whose justified lines the detector split at word gaps for a table", () => {
    // Three narrow columns of prose; each line came out as two pieces of a few words, split at a
    // different word gap on every row, so the pieces are short (under 12 characters) and fill only part
    // of their column, while each row of a column, joined, is a line of prose (20 characters).
    const words = "abcdefghijklmnopqrst"
    const lines = [0, 1, 2, 3, 4, 5].flatMap((r) =>
      [0, 1, 2].flatMap((c) => {
        const x = 40 + c * 250
        const split = 6 + (r % 4) * 2
        const first = (split / 20) * 230
        return [
          line(words.slice(0, split), x, 40 + r * 30, first - 10),
          line(words.slice(split), x + first, 40 + r * 30, 230 - first)
        ]
      })
    )
    expect(UnruledTables.find(lines)).toEqual([])
  })

  it("does not take two columns or single lines for a table", () => {
    const lines = [0, 1, 2, 3].flatMap((r) => [line("Key", 40, 40 + r * 30, 40), line("Value", 300, 40 + r * 30, 60)])
    expect(UnruledTables.find(lines)).toEqual([])
    expect(UnruledTables.find([line("one line", 0, 0, 100)])).toEqual([])
  })
})
