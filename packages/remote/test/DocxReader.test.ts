import { crc32 } from "node:zlib"
import { describe, expect, it } from "@effect/vitest"
import { Document as CoreDocument } from "@ocr2word/core"
import { Document, HeadingLevel, Packer, PageBreak, Paragraph, Table, TableCell, TableRow, TextRun } from "docx"
import { Effect } from "effect"
import { DocxReader } from "../src/index.ts"

/** A .docx written by the `docx` library (the same one our writer uses): what Word-like files look like. */
const sampleDocx = () =>
  Effect.promise(async () => {
    const document = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: "发票 Invoice 2024", heading: HeadingLevel.HEADING_1 }),
            new Paragraph({
              children: [new TextRun("第一行 first line"), new TextRun({ text: "second line", break: 1 })]
            }),
            new Paragraph({ text: "a list item", bullet: { level: 0 } }),
            new Paragraph({ children: [new TextRun('A & B < C "quoted"')] }),
            new Table({
              rows: [
                new TableRow({
                  children: [
                    new TableCell({ children: [new Paragraph("名称")] }),
                    new TableCell({ children: [new Paragraph("金额")] })
                  ]
                }),
                new TableRow({
                  children: [
                    new TableCell({ children: [new Paragraph("咖啡 coffee")] }),
                    new TableCell({ children: [new Paragraph("12.50")] })
                  ]
                })
              ]
            }),
            new Paragraph({
              children: [new TextRun("end of page one"), new PageBreak(), new TextRun("start of page two")]
            }),
            new Paragraph(""),
            new Paragraph({ text: "Sub heading", heading: HeadingLevel.HEADING_2 })
          ]
        }
      ]
    })
    return new Uint8Array(await Packer.toBuffer(document))
  })

/** A zip of stored (uncompressed) entries, as some writers produce. */
const storedZip = (entries: Record<string, string>): Uint8Array => {
  const locals: Array<Buffer> = []
  const centrals: Array<Buffer> = []
  let offset = 0
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text)
    const nameBytes = Buffer.from(name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt32LE(crc32(data), 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt32LE(crc32(data), 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(nameBytes.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes, data)
    centrals.push(central, nameBytes)
    offset += 30 + nameBytes.length + data.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(centrals.length / 2, 8)
  end.writeUInt16LE(centrals.length / 2, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return new Uint8Array(Buffer.concat([...locals, directory, end]))
}

describe("DocxReader", () => {
  it.effect("reads headings, line breaks, lists, tables and page breaks", () =>
    Effect.gen(function* () {
      const pages = yield* DocxReader.read(yield* sampleDocx())
      expect(pages).toHaveLength(2)
      const [one, two] = pages
      expect(one![0]).toEqual({ _tag: "Paragraph", lines: ["发票 Invoice 2024"], headingLevel: 1, listItem: false })
      expect(one![1]).toEqual({ _tag: "Paragraph", lines: ["第一行 first line", "second line"], listItem: false })
      expect(one![2]).toEqual({ _tag: "Paragraph", lines: ["a list item"], listItem: true })
      expect(one![3]).toMatchObject({ lines: ['A & B < C "quoted"'] })
      expect(one![4]).toEqual({
        _tag: "Table",
        cells: [
          { row: 0, column: 0, columnSpan: 1, paragraphs: [{ _tag: "Paragraph", lines: ["名称"], listItem: false }] },
          { row: 0, column: 1, columnSpan: 1, paragraphs: [{ _tag: "Paragraph", lines: ["金额"], listItem: false }] },
          {
            row: 1,
            column: 0,
            columnSpan: 1,
            paragraphs: [{ _tag: "Paragraph", lines: ["咖啡 coffee"], listItem: false }]
          },
          { row: 1, column: 1, columnSpan: 1, paragraphs: [{ _tag: "Paragraph", lines: ["12.50"], listItem: false }] }
        ]
      })
      expect(one![5]).toMatchObject({ lines: ["end of page one"] })
      expect(two).toEqual([
        { _tag: "Paragraph", lines: ["start of page two"], listItem: false },
        { _tag: "Paragraph", lines: ["Sub heading"], headingLevel: 2, listItem: false }
      ])
    })
  )

  it.effect("builds a core Document whose plain text is the file's text", () =>
    Effect.gen(function* () {
      const pages = yield* DocxReader.read(yield* sampleDocx())
      const document = DocxReader.toDocument(pages, { engine: "remote", source: "a.png", width: 640, height: 480 })
      expect(document.metadata).toMatchObject({ engine: "remote", source: "a.png" })
      expect(document.pages[0]).toMatchObject({ index: 0, width: 640, height: 480 })
      expect(document.pages[0]!.blocks.map((b) => b.kind)).toEqual([
        "heading",
        "paragraph",
        "list-item",
        "paragraph",
        "table",
        "paragraph"
      ])
      expect(CoreDocument.toPlainText(document)).toBe(
        [
          "发票 Invoice 2024",
          "第一行 first line\nsecond line",
          "a list item",
          'A & B < C "quoted"',
          "名称\n金额\n咖啡 coffee\n12.50",
          "end of page one\n\f\nstart of page two",
          "Sub heading"
        ].join("\n\n")
      )
      const line = CoreDocument.pageLines(document.pages[0]!)[0]!
      expect(line.script).toBe("mixed")
      expect(line.words.map((w) => w.text)).toEqual(["发", "票", "Invoice", "2024"])
    })
  )

  it.effect("reads stored (uncompressed) entries and XML entities", () =>
    Effect.gen(function* () {
      const xml =
        '<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t xml:space="preserve">caf&#233; &#x4E2D;文 </w:t></w:r><w:r><w:tab/><w:t>x</w:t></w:r></w:p></w:body></w:document>'
      const pages = yield* DocxReader.read(storedZip({ "[Content_Types].xml": "<Types/>", "word/document.xml": xml }))
      expect(pages).toEqual([[{ _tag: "Paragraph", lines: ["café 中文 \tx"], listItem: false }]])
    })
  )

  it.effect("says what is wrong with files that are not Word documents", () =>
    Effect.gen(function* () {
      const notZip = yield* Effect.flip(DocxReader.read(new TextEncoder().encode("<html>error page</html>")))
      expect(notZip).toMatchObject({
        _tag: "DocxReadError",
        reason: "NotZip",
        message: "The Word file (23 bytes) cannot be read: not a zip archive (no end-of-central-directory record)"
      })
      const notWord = yield* Effect.flip(DocxReader.read(storedZip({ "xl/workbook.xml": "<workbook/>" })))
      expect(notWord).toMatchObject({ reason: "NotWord" })
      expect(notWord.message).toContain("has no word/document.xml: it is not a Word .docx file")
      const docx = yield* sampleDocx()
      const truncated = yield* Effect.flip(DocxReader.read(docx.subarray(0, docx.length - 200)))
      expect(truncated._tag).toBe("DocxReadError")
    })
  )
})
