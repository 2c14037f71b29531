/**
 * End to end on PDFs made here: `ocr2word scan.pdf -o scan.docx` on a
 * multi-page scan (real-dev pages as images, no text) and on a PDF with a
 * text layer, each page a Word section.
 */
import { execFileSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { unzipSync } from "fflate"
import { PDFDocument, StandardFonts } from "pdf-lib"
import { cer, docxText, groundTruth, image, runCli, tempDir } from "./cli-process.ts"

const TIMEOUT = 300_000

/** Sections of a .docx: one `w:sectPr` each. */
const sections = (file: string): number => {
  const xml = new TextDecoder().decode(unzipSync(readFileSync(file))["word/document.xml"]!)
  return xml.match(/<w:sectPr[\s>]/g)?.length ?? 0
}

/** The real-dev pages as a scanned PDF: each image a whole page at `dpi`. */
const scan = async (ids: ReadonlyArray<string>, dpi: number): Promise<Uint8Array> => {
  const doc = await PDFDocument.create()
  for (const id of ids) {
    const bytes = readFileSync(image(id))
    const picture = image(id).endsWith(".png") ? await doc.embedPng(bytes) : await doc.embedJpg(bytes)
    const page = doc.addPage([(picture.width * 72) / dpi, (picture.height * 72) / dpi])
    page.drawImage(picture, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() })
  }
  return doc.save()
}

describe("ocr2word on PDFs", () => {
  it(
    "a two-page scan: both pages OCRed, one Word section each",
    async () => {
      const dir = tempDir()
      const pdf = join(dir, "scan.pdf")
      writeFileSync(pdf, await scan(["tjs_testocr", "cnocr_multiline_cn1"], 96))
      const out = join(dir, "scan.docx")
      const result = await runCli([pdf, "-o", out])
      expect(result.stderr).not.toContain("error")
      expect(result.code).toBe(0)
      expect(sections(out)).toBe(2)
      const text = docxText(out)
      const split = text.indexOf("网络")
      expect(split).toBeGreaterThan(0)
      expect(cer(text.slice(0, split), groundTruth("tjs_testocr"))).toBeLessThan(0.1)
      expect(cer(text.slice(split), groundTruth("cnocr_multiline_cn1"))).toBeLessThan(0.1)
    },
    TIMEOUT
  )

  it(
    "a PDF with a text layer: its text taken as written (no OCR), one section a page; --pdf-text ocr reads the pixels",
    async () => {
      const dir = tempDir()
      const doc = await PDFDocument.create()
      const font = await doc.embedFont(StandardFonts.Helvetica)
      const pages = [
        ["Minutes of the meeting", "The budget for 2027 was approved.", "Next meeting: 14 March."],
        ["Appendix", "Attendance list kept by the secretary."]
      ]
      for (const lines of pages) {
        const page = doc.addPage([595, 842])
        lines.forEach((line, i) => {
          page.drawText(line, { x: 72, y: 760 - i * 40, size: i === 0 ? 22 : 14, font })
        })
      }
      const pdf = join(dir, "digital.pdf")
      writeFileSync(pdf, await doc.save())
      const out = join(dir, "digital.docx")
      const result = await runCli([pdf, "-o", out])
      expect(result.stderr).not.toContain("error")
      expect(result.code).toBe(0)
      expect(sections(out)).toBe(2)
      // The text layer's own characters, word for word.
      expect(docxText(out).split("\n")).toEqual(pages.flat())
      const ocr = join(dir, "ocr.txt")
      const read = await runCli([pdf, "-o", ocr, "--format", "txt", "--pdf-text", "ocr", "--dpi", "150"])
      expect(read.code).toBe(0)
      expect(cer(readFileSync(ocr, "utf8"), pages.flat().join("\n"))).toBeLessThan(0.1)
      const strict = await runCli([join(dir, "none.pdf"), "--pdf-text", "text"])
      expect(strict.code).not.toBe(0)
    },
    TIMEOUT
  )

  it(
    "a scan to a searchable PDF (--format pdf): the page images with the recognised text under them; and to Markdown",
    async () => {
      const dir = tempDir()
      const pdf = join(dir, "scan.pdf")
      writeFileSync(pdf, await scan(["tjs_testocr", "cnocr_multiline_cn1"], 96))
      const out = join(dir, "searchable.pdf")
      const result = await runCli([pdf, "-o", out, "--format", "pdf", "--dpi", "200"])
      expect(result.stderr).not.toContain("error")
      expect(result.code).toBe(0)
      // Rendered at 200 dpi and written back at 200 dpi: the pages keep their size in points.
      const info = execFileSync("pdfinfo", [out], { encoding: "utf8" })
      expect(info).toMatch(/Pages:\s+2/)
      const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!
      expect(Number(size[1])).toBeCloseTo((640 * 72) / 96, 0)
      expect(Number(size[2])).toBeCloseTo((480 * 72) / 96, 0)
      const page = (n: number) =>
        execFileSync("pdftotext", ["-f", `${n}`, "-l", `${n}`, out, "-"], { encoding: "utf8" })
      expect(cer(page(1), groundTruth("tjs_testocr"))).toBeLessThan(0.1)
      expect(cer(page(2), groundTruth("cnocr_multiline_cn1"))).toBeLessThan(0.1)
      const md = join(dir, "scan.md")
      expect((await runCli([pdf, "-o", md, "--format", "md"])).code).toBe(0)
      const markdown = readFileSync(md, "utf8")
      expect(markdown.split("\n\n---\n\n")).toHaveLength(2)
      expect(markdown).toContain("The quick brown dog")
    },
    TIMEOUT
  )
})
