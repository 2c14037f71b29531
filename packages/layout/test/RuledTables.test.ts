import { describe, expect, it } from "@effect/vitest"
import * as RuledTables from "../src/RuledTables.ts"
import { fill, ink, line, page } from "./fixtures.ts"

/**
 * A 3-row x 3-column table at x 100..700, y 100..250 (rows 50 high):
 * row 0 column 1 spans columns 1-2 (no rule between them in row 0),
 * column 0 spans rows 1-2 (no rule between them in column 0).
 */
const drawTable = () => {
  const image = page(800, 400)
  const xs = [100, 300, 500, 700]
  const ys = [100, 150, 200, 250]
  for (const y of ys) fill(image, { x: 100, y, width: 602, height: 2 })
  for (const [i, x] of xs.entries()) {
    if (i === 2) {
      fill(image, { x, y: 150, width: 2, height: 102 }) // not in row 0
    } else fill(image, { x, y: 100, width: 2, height: 152 })
  }
  // Horizontal rule between rows 1 and 2 only right of column 0.
  fill(image, { x: 100, y: 200, width: 200, height: 2 }, [255, 255, 255])
  const lines = [
    line("Name", 110, 115, 80),
    line("Value and unit", 310, 115, 300),
    line("Alpha", 110, 175, 80),
    line("12", 310, 165, 40),
    line("kg", 510, 165, 40),
    line("34", 310, 215, 40),
    line("m", 510, 215, 40),
    line("Below the table", 100, 320, 300)
  ]
  for (const l of lines) ink(image, l)
  return { image, lines }
}

describe("RuledTables", () => {
  it("finds the grid, its spans and the text of each cell", () => {
    const { image, lines } = drawTable()
    const tables = RuledTables.find(image, lines)
    expect(tables).toHaveLength(1)
    const table = tables[0]!
    expect(table.block.kind).toBe("table")
    expect(Math.abs(table.block.box.x - 101)).toBeLessThan(1.5)
    expect(Math.abs(table.block.box.y - 101)).toBeLessThan(1.5)
    const cells = table.block.cells!.map((c) => [
      c.row,
      c.column,
      c.rowSpan,
      c.columnSpan,
      c.lines.map((l) => l.text).join(" ")
    ])
    expect(cells).toEqual([
      [0, 0, 1, 1, "Name"],
      [0, 1, 1, 2, "Value and unit"],
      [1, 0, 2, 1, "Alpha"],
      [1, 1, 1, 1, "12"],
      [1, 2, 1, 1, "kg"],
      [2, 1, 1, 1, "34"],
      [2, 2, 1, 1, "m"]
    ])
    expect(table.lines.map((l) => l.text)).not.toContain("Below the table")
  })

  it("splits a line the detector ran across a cell border by its words", () => {
    const image = page(600, 200)
    for (const y of [20, 70, 120]) fill(image, { x: 20, y, width: 562, height: 2 })
    for (const x of [20, 300, 580]) fill(image, { x, y: 20, width: 2, height: 102 })
    const across = line("left right", 40, 35, 500)
    const lines = [across, line("a", 40, 85, 30), line("b", 320, 85, 30)]
    const [table] = RuledTables.find(image, lines)
    const texts = table!.block.cells!.map((c) => c.lines.map((l) => l.text).join(" "))
    expect(texts).toEqual(["left", "right", "a", "b"])
    expect(table!.block.cells![1]!.lines[0]!.box.x).toBeGreaterThan(250)
  })

  it("ignores a frame around a picture and pages without rules", () => {
    const image = page(600, 400)
    fill(image, { x: 50, y: 50, width: 400, height: 2 })
    fill(image, { x: 50, y: 300, width: 402, height: 2 })
    fill(image, { x: 50, y: 50, width: 2, height: 252 })
    fill(image, { x: 450, y: 50, width: 2, height: 252 })
    fill(image, { x: 100, y: 100, width: 200, height: 150 }, [200, 60, 60])
    expect(RuledTables.find(image, [line("caption", 50, 320, 200)])).toEqual([])
    expect(RuledTables.find(page(300, 300), [])).toEqual([])
  })

  it("finds a three-line table (rules between rows only) and its columns from the text", () => {
    const image = page(800, 400)
    for (const y of [50, 90, 200]) fill(image, { x: 100, y, width: 500, height: 2 })
    const lines = [
      line("城市", 110, 60, 40),
      line("日期", 300, 60, 40),
      line("降水量", 480, 60, 60),
      line("北京 Beijing", 110, 100, 120),
      line("2024-01-17", 300, 100, 100),
      line("31 mm", 480, 100, 60),
      line("上海", 110, 140, 40),
      line("2024-06-18", 300, 140, 100),
      line("87 mm", 480, 140, 60)
    ]
    for (const l of lines) ink(image, l)
    const [table] = RuledTables.find(image, lines)
    expect(table!.block.cells!.map((c) => [c.row, c.column, c.lines.map((l) => l.text).join(" ")])).toEqual([
      [0, 0, "城市"],
      [0, 1, "日期"],
      [0, 2, "降水量"],
      [1, 0, "北京 Beijing"],
      [1, 1, "2024-01-17"],
      [1, 2, "31 mm"],
      [2, 0, "上海"],
      [2, 1, "2024-06-18"],
      [2, 2, "87 mm"]
    ])
    expect(table!.block.box).toEqual({ x: 100, y: 50, width: 500, height: 152 })
  })
})
