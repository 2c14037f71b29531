import { expect, layer } from "@effect/vitest"
import { Document, DocumentWriter } from "@ocr2word/core"
import { Effect } from "effect"
import { type DefaultTreeAdapterMap, parse } from "parse5"
import * as HocrDocumentWriter from "../src/HocrDocumentWriter.ts"
import { documentOf, pipeline, recognise, structuredPage } from "./documents.ts"

type Node = DefaultTreeAdapterMap["node"]
type Element = DefaultTreeAdapterMap["element"]

interface Found {
  readonly className: string
  readonly id: string
  readonly title: string
  readonly text: string
  readonly children: ReadonlyArray<Found>
}

const attribute = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value ?? ""

const textOf = (node: Node): string =>
  node.nodeName === "#text"
    ? (node as DefaultTreeAdapterMap["textNode"]).value
    : "childNodes" in node
      ? node.childNodes.map(textOf).join("")
      : ""

/** The hOCR elements (those with an ocr class) as a tree, as an HTML parser reads them. */
const hocrTree = (node: Node): Array<Found> => {
  const children = "childNodes" in node ? node.childNodes.flatMap(hocrTree) : []
  if (!("attrs" in node)) return children
  const className = attribute(node, "class")
  if (!/^ocrx?_/.test(className)) return children
  return [{ className, id: attribute(node, "id"), title: attribute(node, "title"), text: textOf(node), children }]
}

const flatten = (found: ReadonlyArray<Found>): Array<Found> => found.flatMap((f) => [f, ...flatten(f.children)])

const bboxOf = (title: string) => {
  const m = /bbox (\d+) (\d+) (\d+) (\d+)/.exec(title)
  expect(m).not.toBeNull()
  return { x0: Number(m![1]), y0: Number(m![2]), x1: Number(m![3]), y1: Number(m![4]) }
}

const read = (document: Document.Document) =>
  Effect.gen(function* () {
    const writer = yield* DocumentWriter.DocumentWriter
    const bytes = yield* writer.write(document)
    return hocrTree(parse(new TextDecoder().decode(bytes)))
  }).pipe(Effect.provide(HocrDocumentWriter.layer))

layer(pipeline, { timeout: 600_000 })("HocrDocumentWriter", (it) => {
  for (const name of ["tjs_testocr.png", "cnocr_multiline_cn1.png"]) {
    it.effect(`an HTML parser reads back the page, lines and words of ${name} with their boxes`, () =>
      Effect.gen(function* () {
        const document = yield* recognise(name)
        const tree = yield* read(document)
        expect(tree.map((t) => t.className)).toEqual(["ocr_page"])
        const page = document.pages[0]!
        expect(bboxOf(tree[0]!.title)).toEqual({ x0: 0, y0: 0, x1: page.width, y1: page.height })
        expect(tree[0]!.title).toContain(`image "${name}"`)
        const all = flatten(tree)
        // Ids are unique.
        expect(new Set(all.map((f) => f.id)).size).toBe(all.length)
        const lines = all.filter((f) => f.className === "ocr_line" || f.className === "ocr_header")
        const expected = Document.pageLines(page)
        expect(expected.length).toBeGreaterThan(3)
        // Every line, in reading order, with its words: the text without spaces is the line's.
        expect(lines.map((l) => l.text.replace(/\s+/g, ""))).toEqual(expected.map((l) => l.text.replace(/\s+/g, "")))
        for (const [i, l] of lines.entries()) {
          const box = bboxOf(l.title)
          const want = expected[i]!.box
          expect(box.x0).toBe(Math.round(want.x))
          expect(box.y1).toBe(Math.round(want.y + want.height))
          expect(box.x1).toBeLessThanOrEqual(page.width + 1)
          const words = l.children.filter((c) => c.className === "ocrx_word")
          expect(words.length).toBeGreaterThan(0)
          for (const w of words) {
            const wb = bboxOf(w.title)
            // Words lie inside their line (a pixel of rounding either way).
            expect(wb.x0).toBeGreaterThanOrEqual(box.x0 - 1)
            expect(wb.x1).toBeLessThanOrEqual(box.x1 + 1)
            const conf = Number(/x_wconf (\d+)/.exec(w.title)?.[1])
            expect(conf).toBeGreaterThanOrEqual(0)
            expect(conf).toBeLessThanOrEqual(100)
          }
        }
      })
    )
  }

  it.effect("blocks by role: headings as ocr_header lines, tables, figures as ocr_photo, text escaped", () =>
    Effect.gen(function* () {
      const tree = yield* read(documentOf([structuredPage, { ...structuredPage, index: 1 }]))
      expect(tree.map((t) => t.id)).toEqual(["page_1", "page_2"])
      const all = flatten([tree[0]!])
      const classes = (c: string) => all.filter((f) => f.className === c)
      expect(classes("ocr_header").map((h) => h.text)).toEqual(["版面分析 Layout *Analysis*", "1 Introduction"])
      expect(classes("ocr_caption").map((h) => h.text)).toEqual(["Figure 1: A red square"])
      expect(classes("ocr_photo").map((p) => bboxOf(p.title))).toEqual([{ x0: 200, y0: 420, x1: 600, y1: 620 }])
      const table = classes("ocr_table")
      expect(table).toHaveLength(1)
      expect(
        flatten(table[0]!.children)
          .filter((f) => f.className === "ocr_line")
          .map((l) => l.text)
      ).toEqual(["项目", "Value | unit", "Alpha", "12", "kg"])
      const title = flatten(tree).find((f) => f.className === "ocr_page")!.title
      expect(title).toContain('image "test <page>.png"')
    })
  )
})
