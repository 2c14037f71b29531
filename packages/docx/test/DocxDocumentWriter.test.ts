import { describe, expect, it } from "@effect/vitest"
import { DocumentWriter } from "@ocr2word/core"
import { Effect } from "effect"
import { DocxDocumentWriter } from "../src/index.ts"
import { documentOf, paragraphsOf, parts, structuredPage, textOf } from "./fixtures.ts"

const write = (options: unknown, pages = [structuredPage()]) =>
  Effect.gen(function* () {
    const writer = yield* DocumentWriter.DocumentWriter
    return parts(yield* writer.write(documentOf(pages)))
  }).pipe(Effect.provide(DocxDocumentWriter.layerWith(options)))

describe("DocxDocumentWriter flow mode", () => {
  it.effect("writes headings by level, lists, a table with spans, a picture and a caption in reading order", () =>
    Effect.gen(function* () {
      const docx = yield* write({ mode: "flow" })
      const xml = docx["word/document.xml"]!
      const paragraphs = paragraphsOf(xml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, "<w:p>TABLE</w:p>"))
      const styleOf = (p: string) => p.match(/<w:pStyle w:val="([^"]+)"/)?.[1]
      const title = paragraphs.find((p) => textOf(p).includes("Layout Analysis"))!
      expect(styleOf(title)).toBe("Heading1")
      expect(title).toContain('<w:jc w:val="center"/>')
      expect(styleOf(paragraphs.find((p) => textOf(p) === "1 Introduction")!)).toBe("Heading2")
      expect(textOf(paragraphs.find((p) => textOf(p).startsWith("Body"))!)).toBe(
        "Body text 正文第一行 second line 第二行"
      )
      // Lists: Word numbering, the marker drawn by Word, not typed.
      const bullet = paragraphs.find((p) => textOf(p) === "first point")!
      const numbered = paragraphs.find((p) => textOf(p) === "安装")!
      expect(bullet).toContain("<w:numPr>")
      expect(numbered).toContain("<w:numPr>")
      const numId = (p: string) => p.match(/<w:numId w:val="(\d+)"/)?.[1]
      expect(numId(paragraphs.find((p) => textOf(p) === "运行")!)).toBe(numId(numbered))
      expect(numId(bullet)).not.toBe(numId(numbered))
      const numbering = docx["word/numbering.xml"]!
      expect(numbering).toContain('<w:numFmt w:val="bullet"/>')
      expect(numbering).toContain('<w:numFmt w:val="decimal"/>')
      expect(numbering).toContain('<w:lvlText w:val="%1."/>')
      // The picture, in the flow between the lists and its caption, with its media part.
      const order = paragraphs.map((p) =>
        p.includes("<w:drawing>") ? "PICTURE" : textOf(p) || p.replace(/<[^>]+>/g, "")
      )
      expect(order.indexOf("PICTURE")).toBeGreaterThan(order.indexOf("运行"))
      expect(order.indexOf("Figure 1: A red square")).toBe(order.indexOf("PICTURE") + 1)
      expect(order.indexOf("TABLE")).toBeGreaterThan(order.indexOf("PICTURE"))
      expect(Object.keys(docx).some((name) => /^word\/media\/.+\.png$/.test(name))).toBe(true)
      expect(styleOf(paragraphs.find((p) => textOf(p).startsWith("Figure 1"))!)).toBe("Caption")
      // The table: 3 grid columns, the spans as gridSpan and vMerge.
      const table = xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/)![0]
      expect(table.match(/<w:gridCol /g)).toHaveLength(3)
      const rows = table.match(/<w:tr>[\s\S]*?<\/w:tr>/g)!
      expect(rows).toHaveLength(3)
      const cellsOf = (row: string) => row.match(/<w:tc>[\s\S]*?<\/w:tc>/g)!
      expect(cellsOf(rows[0]!).map(textOf)).toEqual(["项目", "Value and unit"])
      expect(cellsOf(rows[0]!)[1]).toContain('<w:gridSpan w:val="2"/>')
      expect(cellsOf(rows[1]!)[0]).toMatch(/<w:vMerge w:val="restart"\/>/)
      expect(cellsOf(rows[2]!)[0]).toMatch(/<w:vMerge(?: w:val="continue")?\/>/)
      expect(cellsOf(rows[2]!).map(textOf)).toEqual(["", "34", "m"])
      // Fonts: Latin and CJK.
      expect(docx["word/styles.xml"]).toContain('w:eastAsia="SimSun"')
    })
  )

  it.effect("puts pages one after another, each its own section", () =>
    Effect.gen(function* () {
      const docx = yield* write(undefined, [structuredPage(0), structuredPage(1)])
      const xml = docx["word/document.xml"]!
      expect(xml.match(/<w:sectPr/g)).toHaveLength(2)
      expect(xml.match(/<w:tbl>/g)).toHaveLength(2)
    })
  )
})

describe("DocxDocumentWriter exact mode", () => {
  it.effect("places every line in a page-anchored frame at its position, with the page image behind", () =>
    Effect.gen(function* () {
      const figure = structuredPage().blocks.find((b) => b.kind === "figure")
      const page = { ...structuredPage(), image: figure!.image! }
      const docx = yield* write({ mode: "exact", backgroundImage: true }, [page])
      const xml = docx["word/document.xml"]!
      // A4 width (11906 twips) over 800 px: 14.88 twips per pixel; the page keeps the image's proportions.
      const scale = 11906 / 800
      expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16817"/)
      const frames = paragraphsOf(xml).filter((p) => p.includes("<w:framePr"))
      const texts = frames.map(textOf)
      expect(texts).toContain("Body text 正文第一行")
      expect(texts).toContain("Value and unit")
      expect(texts).toContain("• first point")
      const body = frames.find((p) => textOf(p) === "Body text 正文第一行")!
      const attr = (name: string) => Number(body.match(new RegExp(`w:${name}="(-?\\d+)"`))![1])
      expect(attr("x")).toBe(Math.round(60 * scale))
      expect(attr("y")).toBe(Math.round(170 * scale))
      // The frame is a little wider than the line (slack against wrapping), never past the page edge.
      expect(attr("w")).toBe(Math.min(11906 - attr("x"), Math.round(Math.round(680 * scale) * 1.08) + 100))
      expect(body).toContain('w:hAnchor="page"')
      expect(body).toContain('w:vAnchor="page"')
      // Font size follows the line's height (24 px -> about 13.9 pt em) within the box's width.
      const size = Number(body.match(/<w:sz w:val="(\d+)"/)![1]) / 2
      expect(size).toBeGreaterThan(8)
      expect(size).toBeLessThanOrEqual(14)
      // The page image, behind the text.
      const drawings = xml.match(/<wp:anchor[^>]*>/g) ?? []
      expect(drawings.some((d) => d.includes('behindDoc="1"'))).toBe(true)
      expect(Object.keys(docx).filter((n) => n.startsWith("word/media/"))).toHaveLength(1)
    })
  )

  it.effect("floats figures at their place when there is no page image", () =>
    Effect.gen(function* () {
      const docx = yield* write({ mode: "exact" })
      const xml = docx["word/document.xml"]!
      const anchor = xml.match(/<wp:anchor[\s\S]*?<\/wp:anchor>/)![0]
      expect(anchor).toContain('behindDoc="0"')
      const offsets = [...anchor.matchAll(/<wp:posOffset>(\d+)<\/wp:posOffset>/g)].map((m) => Number(m[1]))
      const emuPerPx = (11906 / 800) * 635
      expect(offsets[0]).toBeCloseTo(200 * emuPerPx, -3)
      expect(offsets[1]).toBeCloseTo(420 * emuPerPx, -3)
    })
  )
})

describe("DocxDocumentWriter options", () => {
  it.effect("rejects wrong options with sharp's message format", () =>
    Effect.gen(function* () {
      const error = (options: unknown) =>
        Effect.flip(
          Effect.provide(
            Effect.gen(function* () {
              return yield* DocumentWriter.DocumentWriter
            }),
            DocxDocumentWriter.layerWith(options)
          )
        )
      expect((yield* error({ mode: "pretty" })).message).toBe(
        'Expected one of "flow", "exact" for mode but received "pretty"'
      )
      expect((yield* error({ backgroundImage: "yes" })).message).toBe(
        'Expected a boolean for backgroundImage but received "yes"'
      )
      expect((yield* error({ colour: 1 })).message).toMatch(
        /^Expected one of mode, backgroundImage, .* for options but received "colour"$/
      )
      expect((yield* error({ minFontSize: 30, maxFontSize: 20 })).message).toBe(
        "Expected a number <= maxFontSize (20) for minFontSize but received 30"
      )
    })
  )
})
