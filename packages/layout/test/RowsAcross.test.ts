/**
 * Reading order where rows read across: numbered exercises laid out in a
 * grid, a receipt's fields with wide gaps, form values beside stray specks,
 * a receipt's masthead in the top band, and the lines of one table cell.
 * Each case is one that the column-first cut or a sort by box top got
 * wrong on real pages (real-dev-2 receipts and forms, synth-docs textbooks).
 */
import { describe, expect, it } from "@effect/vitest"
import type { Document } from "@ocr2word/core"
import * as BlockRoles from "../src/BlockRoles.ts"
import { rowsOf } from "../src/internal/line-metrics.ts"
import { layoutPage } from "../src/internal/page-layout.ts"
import { fillCells } from "../src/internal/table-cells.ts"
import { line, order, shuffle } from "./synthetic-lines.ts"

const words = (blocks: ReadonlyArray<Document.Block>): ReadonlyArray<string> =>
  order(blocks).flatMap((t) => t.split(/\s+/u))

const split = (texts: ReadonlyArray<string>): ReadonlyArray<string> => texts.flatMap((t) => t.split(/\s+/u))

describe("rows that read across", () => {
  it("numbered exercises two a row are read row by row, section by section", () => {
    const texts: Array<string> = []
    const lines: Array<Document.Line> = []
    let y = 100
    const add = (text: string, x: number, width: number) => {
      texts.push(text)
      lines.push(line(text, x, y, width, 30))
    }
    for (const [section, count] of [
      [7, 6],
      [8, 4],
      [9, 2]
    ] as const) {
      add(`${section}. 解下列方程：`, 60, 220)
      y += 45
      for (let k = 1; k <= count; k += 2) {
        add(`(${k}) ${k + 6}x - 24 = 57`, 100, 260)
        add(`(${k + 1}) ${k + 16} × 48 - 32 =`, 520, 260)
        y += 45
      }
    }
    expect(words(layoutPage(shuffle(lines)))).toEqual(split(texts))
  })

  it("two columns of one numbered list (1-5 left, 6-10 right) are still read down", () => {
    const item = (n: number, x: number, y: number) =>
      line(`${n}. 一辆汽车小时行驶了千米照这样的速度能行驶多少千米`, x, y, 340, 30)
    const left = [1, 2, 3, 4, 5].map((n, i) => item(n, 60, 100 + i * 45))
    const right = [6, 7, 8, 9, 10].map((n, i) => item(n, 460, 100 + i * 45))
    expect(order(layoutPage(shuffle([...left, ...right])))).toEqual([...left, ...right].map((l) => l.text))
  })

  it("a receipt's fields, label and value on each side of a wide gap, are read across", () => {
    const rows: ReadonlyArray<ReadonlyArray<readonly [string, number]>> = [
      [
        ["CARRY OUT NOW", 340],
        ["Pay By: CASH", 330]
      ],
      [
        ["Order: 1955", 300],
        ["By: 5224", 230]
      ],
      [
        ["Order Time: 12:54:37", 420],
        ["Date: 26/03/18", 380]
      ],
      [["Name: MS YING", 340]],
      [["Pickup Time: 13:09:37", 440]]
    ]
    const lines = rows.flatMap((row, k) =>
      row.map(([text, width], j) => line(text, j === 0 ? 40 : 560, 100 + k * 60, width))
    )
    expect(words(layoutPage(shuffle(lines)))).toEqual(split(rows.flatMap((row) => row.map(([text]) => text))))
  })

  it("a form's labels and values stay rows beside stray specks (a rotated number read as single digits)", () => {
    const fields = [
      ["CASE NAME:", "Donald D. Sellers and Robin J. Sellers v. Raybestos-Manhattan"],
      ["COURT:", "San Francisco Superior Court - No. 996382"],
      ["ENTITIES:", "Lorillard Tobacco Company"],
      ["DATE SERVED:", "August 3, 1998"],
      ["CASE TYPE:", "Asbestos"],
      ["COUNSEL:", "Wartnick, Chaber, Harowitz, Smith & Tigerman"]
    ] as const
    const lines = fields.flatMap(([label, value], k) => [
      line(label, 40, 100 + k * 70, 150, 30),
      line(value, 240, 100 + k * 70, value.length * 15, 30)
    ])
    const wraps = [line("StephenM. Tigerman", 240, 100 + 5 * 70 + 40, 270, 30)]
    const specks = "82504862946225".split("").map((d, k) => line(d, 700, 600 + k * 35, 18, 30))
    const read = words(layoutPage(shuffle([...lines, ...wraps, ...specks])))
    expect(read.slice(0, split(fields.flat()).length)).toEqual(split(fields.flat()))
  })
})

describe("rows of the top band and of a cell", () => {
  it("a receipt's masthead of stacked rows in the top band is not a running head", () => {
    const masthead = [
      line("TEO HENG STATIONERY & BOOKS", 320, 50, 710, 49),
      line("(001451637-M)", 590, 108, 184, 26),
      line("NO.53, JALAN BESAR, 45600 BATANG BERJUNTAI", 385, 141, 592, 29),
      line("SELANGOR DARUL EHSAN", 528, 179, 305, 26),
      line("TEL: 03-3271 9872 FAX: 03-3271 9481", 425, 210, 501, 30)
    ]
    const body = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => line(`ITEM ${i} 1.00 26.00`, 280, 400 + i * 60, 800, 40))
    expect(BlockRoles.marginLines([...masthead, ...body], 3508).blocks).toEqual([])
    // One row of a running head (title left, page number right) is still taken, left to right.
    const head = [line("Journal of Things, 2024", 100, 40, 300, 30), line("12", 1000, 42, 40, 30)]
    expect(BlockRoles.marginLines([...head, ...body], 3508).blocks.map((b) => b.lines[0]!.text)).toEqual([
      "Journal of Things, 2024",
      "12"
    ])
  })

  it("a label and its value in one cell are one row even when the value's box starts higher", () => {
    const label = line("Date:", 20, 52, 60, 24)
    const value = line("January 14, 1999", 110, 44, 200, 34)
    const below = line("(including this page)", 20, 100, 200, 24)
    const cells = fillCells(
      [{ row: 0, column: 0, rowSpan: 1, columnSpan: 1, box: { x: 0, y: 30, width: 400, height: 110 } }],
      [below, value, label]
    )
    expect(cells[0]!.lines.map((l) => l.text)).toEqual(["Date:", "January 14, 1999", "(including this page)"])
    expect(rowsOf([value, below, label]).map((r) => r.map((l) => l.text))).toEqual([
      ["Date:", "January 14, 1999"],
      ["(including this page)"]
    ])
  })
})
