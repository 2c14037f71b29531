/**
 * The .docx of a two-page, two-column, mixed Chinese-English page laid out
 * by `XyCutLayoutAnalyzer`: its fonts, languages, sizes and sections in the
 * XML, and a LibreOffice round trip (docx -> PDF -> text) that must read
 * back in column order. The round trip needs `libreoffice` and `pdftotext`
 * (apt: libreoffice-writer-nogui, poppler-utils, fonts-noto-cjk).
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { type Document, DocumentWriter, LayoutAnalyzer, PageBuilder, Raster } from "@ocr2word/core"
import { XyCutLayoutAnalyzer } from "@ocr2word/layout"
import { Effect } from "effect"
import { DocxDocumentWriter } from "../src/index.ts"
import { documentOf, line, paragraphsOf, parts, textOf } from "./fixtures.ts"

// An A4 page at 150 dpi: a title across two columns of body text.
const WIDTH = 1240
const HEIGHT = 1754
const left = ["第一栏第一行文字内容", "Revenue reached $3.2B in 2024", "第一栏的最后一行"]
const right = ["第二栏开始 second column", "more text in English here", "第二栏结束"]
const pageLines = (n: number): ReadonlyArray<Document.Line> => [
  line(`第${n}页标题 Title of page ${n}`, 300, 100, 640, 70),
  ...left.map((t, i) => line(t, 100, 240 + i * 42, 480, 30)),
  ...right.map((t, i) => line(t, 660, 240 + i * 42, 480, 30))
]

const hasCommand = (command: string): boolean => {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
}
const roundTrip = hasCommand("libreoffice") && hasCommand("pdftotext")

const writeDocx = Effect.gen(function* () {
  const analyzer = yield* LayoutAnalyzer.LayoutAnalyzer
  const image = Raster.make(WIDTH, HEIGHT, 3, 255)
  const pages = yield* Effect.forEach([0, 1], (index) =>
    Effect.map(analyzer.analyze({ image, lines: pageLines(index + 1) }), (blocks) =>
      PageBuilder.build({ index, width: WIDTH, height: HEIGHT, rotation: 0, skew: 0, blocks })
    )
  )
  const writer = yield* DocumentWriter.DocumentWriter
  return yield* writer.write(documentOf(pages))
}).pipe(Effect.provide(XyCutLayoutAnalyzer.layer), Effect.provide(DocxDocumentWriter.layer))

describe("DocxDocumentWriter on a laid-out mixed Chinese-English page", () => {
  it.effect("sets CJK and Latin fonts, zh-CN/en-US languages, heading styles, sizes and a section per page", () =>
    Effect.gen(function* () {
      const docx = parts(yield* writeDocx)
      const body = docx["word/document.xml"]!
      expect(body.match(/<w:sectPr/g)).toHaveLength(2)
      // A4 width, the height from the image's proportions.
      expect(body).toContain(`<w:pgSz w:w="11906" w:h="${Math.round(11906 * (HEIGHT / WIDTH))}"`)
      const paragraphs = paragraphsOf(body)
      const title = paragraphs.find((p) => textOf(p).startsWith("第1页标题"))!
      expect(title).toContain('<w:pStyle w:val="Heading1"/>')
      const chinese = paragraphs.find((p) => textOf(p).startsWith("第一栏第一行"))!
      const fonts = chinese.match(/<w:rFonts [^>]*\/>/)![0]
      for (const attribute of ['w:ascii="Times New Roman"', 'w:hAnsi="Times New Roman"', 'w:eastAsia="SimSun"']) {
        expect(fonts).toContain(attribute)
      }
      // Body lines 30 px high on a 1240 px wide page: about 11.5 pt; the title clearly larger.
      const size = (p: string) => Number(p.match(/<w:sz w:val="(\d+)"\/>/)![1]) / 2
      expect(size(chinese)).toBeGreaterThanOrEqual(9)
      expect(size(chinese)).toBeLessThanOrEqual(14)
      expect(size(title)).toBeGreaterThan(size(chinese) * 1.8)
      expect(docx["word/styles.xml"]).toMatch(/<w:lang w:val="en-US" w:eastAsia="zh-CN"\/>/)
      // One paragraph per column block, lines joined: Han to Han without a space, Latin with one.
      expect(
        paragraphs
          .map(textOf)
          .filter((t) => t.length > 0)
          .slice(0, 3)
      ).toEqual([
        "第1页标题 Title of page 1",
        "第一栏第一行文字内容 Revenue reached $3.2B in 2024 第一栏的最后一行",
        "第二栏开始 second column more text in English here 第二栏结束"
      ])
    })
  )

  it.effect.skipIf(!roundTrip)(
    roundTrip
      ? "opens in LibreOffice and its text reads back in column order, page by page"
      : "LibreOffice round trip SKIPPED: libreoffice or pdftotext not installed (apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk)",
    () =>
      Effect.gen(function* () {
        const bytes = yield* writeDocx
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-docx-"))
        try {
          const file = path.join(dir, "page.docx")
          fs.writeFileSync(file, bytes)
          // Test files run in parallel; LibreOffice conversions started together failed now and then, so one at a time.
          execFileSync(
            "flock",
            [
              "/tmp/ocr2word-libreoffice.lock",
              "libreoffice",
              `-env:UserInstallation=file://${dir}/profile`,
              "--headless",
              "--convert-to",
              "pdf",
              "--outdir",
              dir,
              file
            ],
            { stdio: "ignore", timeout: 180_000 }
          )
          const pdf = path.join(dir, "page.pdf")
          expect(fs.existsSync(pdf)).toBe(true)
          const pages = Number(execFileSync("pdfinfo", [pdf], { encoding: "utf8" }).match(/Pages:\s+(\d+)/)![1])
          expect(pages).toBe(2)
          const text = execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" }).replace(/\s+/gu, "")
          const order = [
            "第1页标题",
            "第一栏第一行文字内容",
            "Revenuereached$3.2Bin2024",
            "第一栏的最后一行",
            "第二栏开始",
            "第二栏结束",
            "第2页标题",
            "第一栏第一行文字内容"
          ]
          let at = -1
          for (const piece of order) {
            const next = text.indexOf(piece, at + 1)
            expect(next, `"${piece}" after position ${at} in ${text}`).toBeGreaterThan(at)
            at = next
          }
        } finally {
          fs.rmSync(dir, { recursive: true, force: true })
        }
      }),
    180_000
  )
})
