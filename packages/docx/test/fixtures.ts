/** Hand-built documents with a known structure, and reading the parts of a written .docx. */
import { type Document, Geometry } from "@ocr2word/core"
import { unzipSync } from "fflate"

export const line = (text: string, x: number, y: number, width: number, height = 24): Document.Line => {
  const box = { x, y, width, height }
  return {
    text,
    box,
    polygon: Geometry.quadOfBox(box),
    confidence: 0.9,
    direction: "horizontal",
    script: "mixed",
    words: [{ text, box, confidence: 0.9 }]
  }
}

/** What a text block of `lines` has: its box from the lines, its font size from the first. */
const text = (lines: ReadonlyArray<Document.Line>) => ({
  box: Geometry.unionBoxes(lines.map((l) => l.box)),
  confidence: 0.9,
  lines,
  fontSize: lines[0]?.box.height ?? 24
})

/** A 1x1 red PNG. */
export const redPng = Uint8Array.from(
  Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC", "base64")
)

/** A page with a title, a subheading, a paragraph, a bulleted and a numbered list, a table with spans, a figure and a caption. */
export const structuredPage = (index = 0): Document.Page => {
  const cell = (row: number, column: number, text: string, rowSpan = 1, columnSpan = 1): Document.TableCell => ({
    row,
    column,
    rowSpan,
    columnSpan,
    box: { x: 100 + column * 200, y: 700 + row * 40, width: 200 * columnSpan, height: 40 * rowSpan },
    lines: text.length > 0 ? [line(text, 110 + column * 200, 708 + row * 40, 100)] : []
  })
  const cells = [
    cell(0, 0, "项目"),
    cell(0, 1, "Value and unit", 1, 2),
    cell(1, 0, "Alpha", 2, 1),
    cell(1, 1, "12"),
    cell(1, 2, "kg"),
    cell(2, 1, "34"),
    cell(2, 2, "m")
  ]
  return {
    index,
    width: 800,
    height: 1130,
    rotation: 0,
    skew: 0,
    confidence: 0.9,
    blocks: [
      { kind: "heading", ...text([line("版面分析 Layout Analysis", 200, 40, 400, 48)]), level: 1, alignment: "center" },
      { kind: "heading", ...text([line("1 Introduction", 60, 120, 200, 32)]), level: 2 },
      {
        kind: "paragraph",
        ...text([line("Body text 正文第一行", 60, 170, 680), line("second line 第二行", 60, 200, 500)])
      },
      {
        kind: "list-item",
        ...text([line("• first point", 80, 250, 300)]),
        list: { format: "bullet", marker: "•", number: 1, level: 0 }
      },
      {
        kind: "list-item",
        ...text([line("• second point", 80, 280, 300)]),
        list: { format: "bullet", marker: "•", number: 1, level: 0 }
      },
      {
        kind: "list-item",
        ...text([line("1. 安装", 80, 330, 300)]),
        list: { format: "decimal", marker: "1.", number: 1, level: 0 }
      },
      {
        kind: "list-item",
        ...text([line("2. 运行", 80, 360, 300)]),
        list: { format: "decimal", marker: "2.", number: 2, level: 0 }
      },
      { kind: "figure", box: { x: 200, y: 420, width: 400, height: 200 }, confidence: 1, image: redPng },
      { kind: "caption", ...text([line("Figure 1: A red square", 250, 630, 300, 20)]) },
      {
        kind: "table",
        box: { x: 100, y: 700, width: 600, height: 120 },
        confidence: 0.9,
        cells
      },
      { kind: "page-number", ...text([line("3", 395, 1090, 10, 18)]), alignment: "center" }
    ]
  }
}

export const documentOf = (pages: ReadonlyArray<Document.Page>): Document.Document => ({
  pages,
  metadata: { engine: "test", createdAt: "2026-01-01T00:00:00.000Z" }
})

/** The text parts of a .docx by name. */
export const parts = (bytes: Uint8Array): Record<string, string> => {
  const entries = unzipSync(bytes)
  return Object.fromEntries(Object.entries(entries).map(([name, data]) => [name, new TextDecoder().decode(data)]))
}

/** The `w:p` elements of a part, in order. */
export const paragraphsOf = (xml: string): Array<string> => xml.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? []

/** The text of an XML fragment's `w:t` runs. */
export const textOf = (xml: string): string =>
  (xml.match(/<w:t[^>]*>[^<]*<\/w:t>/g) ?? []).map((t) => t.replace(/<[^>]+>/g, "")).join("")
