import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, expect, layer } from "@effect/vitest"
import { Document, DocumentWriter } from "@ocr2word/core"
import { Effect } from "effect"
import sharp from "sharp"
import * as PdfDocumentWriter from "../src/PdfDocumentWriter.ts"
import { documentOf, pipeline, realDev, recognise, structuredPage } from "./documents.ts"

const dir = mkdtempSync(join(tmpdir(), "ocr2word-pdf-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const write = (document: Document.Document, options: PdfDocumentWriter.Options = {}) =>
  Effect.gen(function* () {
    const writer = yield* DocumentWriter.DocumentWriter
    return yield* writer.write(document)
  }).pipe(Effect.provide(PdfDocumentWriter.layerWith(options)))

const save = (bytes: Uint8Array, name: string) => {
  const file = join(dir, name)
  writeFileSync(file, bytes)
  return file
}

/** pdftotext's reading of a PDF, white space dropped. */
const pdfText = (file: string, page?: number) =>
  execFileSync("pdftotext", [...(page !== undefined ? ["-f", `${page}`, "-l", `${page}`] : []), file, "-"], {
    encoding: "utf8"
  }).replace(/\s+/gu, "")

/** Page 1 rendered by poppler in gray at `dpi`: its pixels. */
const rendered = (file: string, dpi: number) => {
  const pgm = execFileSync("pdftoppm", ["-gray", "-r", `${dpi}`, "-f", "1", "-l", "1", file], { maxBuffer: 1 << 26 })
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString("latin1"))!
  return { width: Number(header[1]), height: Number(header[2]), pixels: pgm.subarray(header[0].length) }
}

const dark = (pixels: Uint8Array) => pixels.reduce((n, v) => n + (v < 128 ? 1 : 0), 0)

/** Words pdftotext finds with their boxes in points. */
const wordBoxes = (file: string) =>
  [
    ...execFileSync("pdftotext", ["-bbox", file, "-"], { encoding: "utf8" }).matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g
    )
  ].map((m) => ({ x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), y1: Number(m[4]), text: m[5]! }))

layer(pipeline, { timeout: 600_000 })("PdfDocumentWriter", (it) => {
  it.effect(
    "pdftotext reads the invisible text layer of a real English and a real Chinese page, where the lines are",
    () =>
      Effect.gen(function* () {
        for (const name of ["tjs_testocr.png", "cnocr_multiline_cn1.png"]) {
          const document = yield* recognise(name)
          // 150 dpi: a pixel is 0.48 pt.
          const file = save(yield* write(document, { dpi: 150 }), `${name}.pdf`)
          const info = execFileSync("pdfinfo", [file], { encoding: "utf8" })
          const page = document.pages[0]!
          const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!
          expect(Number(size[1])).toBeCloseTo(page.width * 0.48, 1)
          expect(Number(size[2])).toBeCloseTo(page.height * 0.48, 1)
          expect(execFileSync("pdffonts", [file], { encoding: "utf8" })).toMatch(/WenQuanYi|UMing|NotoSansCJK|Droid/)
          // Exactly the recognised text, in order (pdftotext joins what it finds on one line).
          const expected = Document.pageLines(page)
            .map((l) => l.text)
            .join("")
            .replace(/\s+/gu, "")
          expect(pdfText(file)).toBe(expected)
          // The text is invisible: the page looks like the scan, no more ink than it has.
          const view = rendered(file, 150)
          const { data } = yield* Effect.promise(() =>
            sharp(realDev(name))
              .flatten({ background: "#fff" })
              .resize(view.width, view.height, { fit: "fill" })
              .grayscale()
              .raw()
              .toBuffer({ resolveWithObject: true })
          )
          expect(Math.abs(dark(view.pixels) - dark(data)) / dark(data)).toBeLessThan(0.05)
          // The first word sits over the first line's box.
          const first = Document.pageLines(page)[0]!
          const word = wordBoxes(file)[0]!
          expect(Math.abs(word.x0 - first.box.x * 0.48)).toBeLessThan(3)
          expect(word.y1).toBeGreaterThan(first.box.y * 0.48)
          expect(word.y0).toBeLessThan((first.box.y + first.box.height) * 0.48)
        }
      })
  )

  it.effect("each page a PDF page; table cells read; a page without its image has visible text", () =>
    Effect.gen(function* () {
      const file = save(yield* write(documentOf([structuredPage, { ...structuredPage, index: 1 }])), "structured.pdf")
      expect(execFileSync("pdfinfo", [file], { encoding: "utf8" })).toMatch(/Pages:\s+2/)
      const text = pdfText(file, 2)
      for (const piece of ["版面分析", "Introduction", "正文第二行", "项目", "Value|unit", "Alpha", "kg"]) {
        expect(text).toContain(piece)
      }
      // Without a page image the text is drawn (render mode 0): pdftoppm finds ink on the page.
      const view = rendered(file, 72)
      expect(view.pixels.length).toBe(view.width * view.height)
      expect(dark(view.pixels)).toBeGreaterThan(100)
    })
  )

  it.effect("a font file that does not exist is refused with what to do", () =>
    Effect.gen(function* () {
      const e = yield* Effect.flip(write(documentOf([structuredPage]), { fontPath: "/nowhere/font.ttf" }))
      expect(e.message).toBe("The font file /nowhere/font.ttf does not exist: check fontPath")
      const bad = yield* Effect.flip(PdfDocumentWriter.make({ dpi: 10 }))
      expect(bad.message).toMatch(/^Expected a number from 36 to 1200 for dpi but received 10/)
    })
  )
})
