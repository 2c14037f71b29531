import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import * as Document from "../src/Document.ts"
import { type Box, quadOfBox } from "../src/Geometry.ts"

const line = (text: string, x = 0, y = 0): Document.Line => {
  const box: Box = { x, y, width: 10 * text.length, height: 20 }
  return {
    text,
    box,
    polygon: quadOfBox(box),
    confidence: 0.9,
    direction: "horizontal",
    script: "latin",
    words: []
  }
}

const cell = (row: number, column: number, text: string, rowSpan = 1, columnSpan = 1): Document.TableCell => ({
  row,
  column,
  rowSpan,
  columnSpan,
  box: { x: column * 100, y: row * 30, width: columnSpan * 100, height: rowSpan * 30 },
  lines: text.length > 0 ? [line(text, column * 100, row * 30)] : []
})

// A 3x3 grid given out of order: "Name" spans two columns, "Alpha" two rows, one slot has no cell.
const table: Document.Table = {
  kind: "table",
  box: { x: 0, y: 0, width: 300, height: 90 },
  confidence: 0.9,
  cells: [cell(1, 1, "12"), cell(0, 0, "Name", 1, 2), cell(2, 1, "34"), cell(1, 0, "Alpha", 2, 1), cell(0, 2, "kg")]
}

const texts = (cells: ReadonlyArray<Document.TableCell | undefined>) =>
  cells.map((c) => (c === undefined ? null : c.lines.map((l) => l.text).join(" ")))

describe("Table accessors", () => {
  it("rows hold the cells starting in them, left to right; a row covered from above holds only its own", () => {
    expect(Document.tableSize(table)).toEqual({ rows: 3, columns: 3 })
    expect(Document.tableRows(table).map(texts)).toEqual([["Name", "kg"], ["Alpha", "12"], ["34"]])
  })

  it("the grid has a cell in every slot it spans and undefined where none is", () => {
    expect(Document.tableGrid(table).map(texts)).toEqual([
      ["Name", "Name", "kg"],
      ["Alpha", "12", null],
      ["Alpha", "34", null]
    ])
  })

  it("lines are read row by row, and an empty table has none", () => {
    expect(Document.tableLines(table).map((l) => l.text)).toEqual(["Name", "kg", "Alpha", "12", "34"])
    const empty: Document.Table = { ...table, cells: [] }
    expect(Document.tableSize(empty)).toEqual({ rows: 0, columns: 0 })
    expect(Document.tableRows(empty)).toEqual([])
    expect(Document.tableGrid(empty)).toEqual([])
    expect(Document.tableLines(empty)).toEqual([])
  })

  it("byGridPosition sorts anything with a row and a column, leaving its input alone", () => {
    const scored = [
      { row: 1, column: 0, text: "c" },
      { row: 0, column: 1, text: "b" },
      { row: 0, column: 0, text: "a" }
    ]
    expect(Document.byGridPosition(scored).map((c) => c.text)).toEqual(["a", "b", "c"])
    expect(scored[0]!.text).toBe("c")
  })
})

describe("Block", () => {
  const heading: Document.Block = { kind: "heading", box: table.box, confidence: 1, lines: [line("Title")], level: 1 }
  const figure: Document.Block = { kind: "figure", box: table.box, confidence: 1, image: new Uint8Array([1, 2]) }
  const page: Document.Page = {
    index: 0,
    width: 400,
    height: 300,
    rotation: 0,
    skew: 0,
    confidence: 0.9,
    blocks: [heading, table, figure]
  }

  it("blockLines and pageLines read every kind: text lines, table cells row by row, no lines for a figure", () => {
    expect(Document.blockLines(heading).map((l) => l.text)).toEqual(["Title"])
    expect(Document.blockLines(figure)).toEqual([])
    expect(Document.pageLines(page).map((l) => l.text)).toEqual(["Title", "Name", "kg", "Alpha", "12", "34"])
    expect(
      Document.toPlainText({ pages: [page, page], metadata: { engine: "test", createdAt: "2026-01-01T00:00:00Z" } })
    ).toBe("Title\n\nName\nkg\nAlpha\n12\n34\n\f\nTitle\n\nName\nkg\nAlpha\n12\n34")
  })

  it("switches on the kind with match, narrows with isAnyOf and isTextBlock", () => {
    const describe = Document.Block.match({
      heading: (b) => `heading ${b.level}`,
      paragraph: () => "paragraph",
      "list-item": (b) => `item ${b.list?.marker ?? "?"}`,
      caption: () => "caption",
      header: () => "header",
      footer: () => "footer",
      "page-number": () => "page number",
      table: (b) => `table of ${b.cells.length}`,
      figure: (b) => `figure of ${b.image?.length ?? 0} bytes`
    })
    expect(page.blocks.map(describe)).toEqual(["heading 1", "table of 5", "figure of 2 bytes"])
    expect(page.blocks.filter(Document.Block.isAnyOf(["table", "figure"])).map((b) => b.kind)).toEqual([
      "table",
      "figure"
    ])
    expect(page.blocks.filter(Document.isTextBlock).map((b) => b.kind)).toEqual(["heading"])
    expect(Document.BlockKind.literals).toEqual(Document.Block.discriminants)
  })

  it("JSON keeps each kind's fields only: a table's lines live in its cells, a figure has none", () => {
    const codec = Schema.toCodecJson(Document.Page)
    const json = Schema.encodeSync(codec)(page) as { blocks: ReadonlyArray<Record<string, unknown>> }
    expect(json.blocks.map((b) => Object.keys(b).sort())).toEqual([
      ["box", "confidence", "kind", "level", "lines"],
      ["box", "cells", "confidence", "kind"],
      ["box", "confidence", "image", "kind"]
    ])
    expect(Schema.decodeUnknownSync(codec)(JSON.parse(JSON.stringify(json)))).toEqual(page)
  })

  it("decoding refuses fields of the wrong kind and kinds missing their own", () => {
    const decode = Schema.decodeUnknownSync(Document.Block)
    const { level: _, ...noLevel } = heading as Document.Heading
    expect(() => decode(noLevel)).toThrow(/level/)
    expect(() => decode({ kind: "table", box: table.box, confidence: 1, lines: [] })).toThrow(/cells/)
    expect(() => decode({ ...heading, kind: "chart" })).toThrow()
    // A paragraph given a heading's level is not a paragraph with a level: the field is not kept.
    expect(decode({ ...heading, kind: "paragraph" })).not.toHaveProperty("level")
  })
})
