import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Geometry, type Raster, type StageError } from "@ocr2word/core"
import { Effect } from "effect"
import sharp from "sharp"
import * as SharpImageSource from "../src/SharpImageSource.ts"
import { scannedPdf, textPdf } from "./pdf-writer.ts"
import { realDev } from "./real-dev.ts"

const failure = <A>(effect: Effect.Effect<A, StageError.ImageSourceError>) =>
  Effect.flip(effect).pipe(Effect.map((e) => ({ reason: e.reason, message: e.message })))

/** Mean absolute difference per sample between a raster and an image file scaled to its size. */
const differenceFrom = async (raster: Raster.Raster, file: string): Promise<number> => {
  const { data } = await sharp(file)
    .flatten({ background: "#fff" })
    .resize(raster.width, raster.height, { fit: "fill" })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  let sum = 0
  for (let i = 0; i < data.length; i++) sum += Math.abs(data[i]! - raster.data[i]!)
  return sum / data.length
}

const scans = ["tjs_testocr.png", "cnocr_multiline_cn1.png"].map(realDev)

describe("PDF input through SharpImageSource", () => {
  it.effect("renders every page of a scanned PDF at the chosen dpi, like the embedded images", () =>
    Effect.gen(function* () {
      // The scans embedded at 150 dpi: rendered at 150 they come back at their own size, at 300 twice as large.
      const pdf = yield* Effect.promise(() => scannedPdf(scans, 150))
      const same = yield* (yield* SharpImageSource.make({ pdfDpi: 150 })).decode(pdf)
      const double = yield* (yield* SharpImageSource.make({ pdfDpi: 300 })).decode(pdf)
      expect(same.format).toBe("pdf")
      expect(same.pages).toHaveLength(2)
      for (const [i, file] of scans.entries()) {
        const meta = yield* Effect.promise(() => sharp(file).metadata())
        const page = same.pages[i]!
        expect(page.channels).toBe(3)
        expect([page.width, page.height]).toEqual([meta.width, meta.height])
        expect(Math.abs(double.pages[i]!.width - 2 * meta.width!)).toBeLessThanOrEqual(1)
        expect(Math.abs(double.pages[i]!.height - 2 * meta.height!)).toBeLessThanOrEqual(1)
        // A scan has no text layer: the page goes to OCR.
        expect(page.textLayer).toBeUndefined()
        const difference = yield* Effect.promise(() => differenceFrom(page, file))
        const blank = yield* Effect.promise(() =>
          differenceFrom({ ...page, data: new Uint8Array(page.data.length).fill(255) }, file)
        )
        expect(difference).toBeLessThan(4)
        expect(difference).toBeLessThan(blank / 5)
      }
    })
  )

  it.effect("keeps the text layer of a born-digital PDF, placed on the raster", () =>
    Effect.gen(function* () {
      const pdf = yield* Effect.promise(() =>
        textPdf([
          {
            width: 595,
            height: 842,
            lines: [
              { text: "Quarterly report", x: 72, y: 100, size: 24 },
              { text: "Sales rose in every region.", x: 72, y: 150, size: 12 },
              { text: "第二季度销售增长", x: 72, y: 200, size: 16 }
            ]
          },
          { width: 595, height: 842, lines: [{ text: "Page two", x: 300, y: 400, size: 12 }] }
        ])
      )
      const source = yield* SharpImageSource.make({ pdfDpi: 144 })
      const decoded = yield* source.decode(pdf)
      expect(decoded.pages.map((p) => [p.width, p.height])).toEqual([
        [1190, 1684],
        [1190, 1684]
      ])
      const first = decoded.pages[0]!.textLayer!
      expect(first.map((l) => l.text.text)).toEqual([
        "Quarterly report",
        "Sales rose in every region.",
        "第二季度销售增长"
      ])
      expect(decoded.pages[1]!.textLayer!.map((l) => l.text.text)).toEqual(["Page two"])
      // 144 dpi is 2 pixels a point: the baseline of the first line is at y = 200, its left at x = 144.
      const box = Geometry.boxOfPoints(first[0]!.polygon)
      expect(box.x).toBeCloseTo(144, 0)
      expect(box.y + box.height).toBeGreaterThan(200)
      expect(box.y).toBeLessThan(200 - 24)
      expect(box.y + box.height).toBeLessThan(200 + 24)
      // The drawn text is where the raster is dark.
      const page = decoded.pages[0]!
      let dark = 0
      for (let y = Math.round(box.y); y < box.y + box.height; y++)
        for (let x = Math.round(box.x); x < box.x + box.width; x++)
          if (page.data[(y * page.width + x) * 3]! < 128) dark++
      expect(dark).toBeGreaterThan(500)
      // Characters are spread along the line in order.
      const chars = first[2]!.text.chars!
      expect(chars.map((c) => c.text).join("")).toBe("第二季度销售增长")
      expect(chars.every((c, i) => i === 0 || c.start >= chars[i - 1]!.end - 1e-9)).toBe(true)
    })
  )

  it.effect("forEachPage hands the pages over one by one, in order, and stops at the first failure", () =>
    Effect.gen(function* () {
      const pdf = yield* Effect.promise(() => scannedPdf([...scans, scans[0]!], 150))
      const source = yield* SharpImageSource.make({ pdfDpi: 72 })
      const whole = (yield* source.decode(pdf)).pages
      const seen = yield* source.forEachPage!(pdf, (page, index, count) => Effect.succeed({ index, count, page }))
      expect(seen.map((s) => s.index)).toEqual([0, 1, 2])
      expect(seen.map((s) => s.count)).toEqual([3, 3, 3])
      expect(seen.map((s) => s.page)).toEqual(whole)
      const visited: Array<number> = []
      const stopped = yield* Effect.flip(
        source.forEachPage!(pdf, (_, index) => {
          visited.push(index)
          return index === 1 ? Effect.fail("stop here" as const) : Effect.void
        })
      )
      expect(stopped).toBe("stop here")
      expect(visited).toEqual([0, 1])
      // Other formats are decoded whole and visited the same way.
      const png = new Uint8Array(yield* Effect.promise(() => sharp(scans[0]!).png().toBuffer()))
      expect(yield* source.forEachPage!(png, (_, index, count) => Effect.succeed([index, count]))).toEqual([[0, 1]])
      expect((yield* failure(source.forEachPage!(new Uint8Array(0), () => Effect.void, "empty.pdf"))).message).toBe(
        "empty.pdf: The input is empty (0 bytes): pass the contents of an image file"
      )
    })
  )

  it.effect("pdfText: ocr leaves the text layer out; text refuses a page without one", () =>
    Effect.gen(function* () {
      const text = yield* Effect.promise(() =>
        textPdf([{ width: 300, height: 200, lines: [{ text: "Hello", x: 20, y: 50, size: 12 }] }])
      )
      const ocr = yield* SharpImageSource.make({ pdfText: "ocr" })
      expect((yield* ocr.decode(text)).pages[0]!.textLayer).toBeUndefined()
      const scan = yield* Effect.promise(() => scannedPdf(scans.slice(0, 1), 150))
      const strict = yield* SharpImageSource.make({ pdfText: "text" })
      expect(yield* failure(strict.decode(scan, "scan.pdf"))).toEqual({
        reason: "UnsupportedFormat",
        message:
          'scan.pdf: Page 1 of 1 has no text layer (it is a scan or a drawing): use pdfText "auto" to OCR such pages, or "ocr" for every page'
      })
    })
  )

  it.effect("auto: a scan with a few stamped characters is OCRed; a short born-digital page keeps its text", () =>
    Effect.gen(function* () {
      const scan = yield* Effect.promise(() => scannedPdf(scans.slice(0, 1), 150))
      // The scan with a page number drawn on it, as scanners and PDF tools stamp them.
      const stamped = yield* Effect.promise(async () => {
        const { PDFDocument, StandardFonts } = await import("pdf-lib")
        const doc = await PDFDocument.load(scan)
        const font = await doc.embedFont(StandardFonts.Helvetica)
        doc.getPage(0).drawText("- 3 -", { x: 10, y: 10, size: 8, font })
        return doc.save()
      })
      const source = yield* SharpImageSource.make()
      expect((yield* source.decode(stamped)).pages[0]!.textLayer).toBeUndefined()
      const short = yield* Effect.promise(() =>
        textPdf([{ width: 300, height: 200, lines: [{ text: "Hello", x: 20, y: 50, size: 12 }] }])
      )
      expect((yield* source.decode(short)).pages[0]!.textLayer!.map((l) => l.text.text)).toEqual(["Hello"])
    })
  )

  it.effect("page count and pixel limits are checked before any page is drawn", () =>
    Effect.gen(function* () {
      const three = yield* Effect.promise(() => scannedPdf([scans[0]!, scans[0]!, scans[0]!], 150))
      const two = yield* SharpImageSource.make({ maxPages: 2 })
      expect(yield* failure(two.decode(three))).toEqual({
        reason: "TooManyPages",
        message: "The PDF has 3 pages, over the limit of 2: split it (e.g. `qpdf --split-pages=2`) or raise maxPages"
      })
      // An A4 page at 300 dpi is 2480x3508 pixels (8.7 MP).
      const a4 = yield* Effect.promise(() =>
        textPdf([{ width: 595, height: 842, lines: [{ text: "A4", x: 20, y: 50, size: 12 }] }])
      )
      const small = yield* SharpImageSource.make({ maxPixels: 2_000_000, pdfDpi: 300 })
      expect(yield* failure(small.decode(a4))).toEqual({
        reason: "TooManyPixels",
        message:
          "Page 1 of 1 is 595x842 pt, 2480x3509 pixels at 300 dpi, over the limit of 2000000 pixels: render at 143 dpi or less, or raise maxPixels"
      })
      const fits = yield* SharpImageSource.make({ maxPixels: 2_000_000, pdfDpi: 143 })
      expect((yield* fits.decode(a4)).pages).toHaveLength(1)
    })
  )

  it.effect("a password-protected PDF is Encrypted, with what to do", () =>
    Effect.gen(function* () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-pdf-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true })))
      const plain = path.join(dir, "plain.pdf")
      const locked = path.join(dir, "locked.pdf")
      fs.writeFileSync(plain, yield* Effect.promise(() => scannedPdf(scans.slice(0, 1), 150)))
      // qpdf (.ci/run installs it) encrypts with AES-256 and a user password.
      execFileSync("qpdf", ["--encrypt", "secret", "owner", "256", "--", plain, locked])
      const source = yield* SharpImageSource.make()
      expect(yield* failure(source.decode(new Uint8Array(fs.readFileSync(locked)), "locked.pdf"))).toEqual({
        reason: "Encrypted",
        message:
          "locked.pdf: The PDF is protected by a password: open it with the password and save or print it as a PDF without one"
      })
    }).pipe(Effect.scoped)
  )

  it.effect("a damaged PDF is Corrupt with a way out", () =>
    Effect.gen(function* () {
      const pdf = yield* Effect.promise(() => scannedPdf(scans.slice(0, 1), 150))
      const source = yield* SharpImageSource.make()
      const e = yield* failure(source.decode(pdf.subarray(0, 400), "cut.pdf"))
      expect(e.reason).toBe("Corrupt")
      expect(e.message).toMatch(
        /^cut\.pdf: The PDF is damaged or cut short \(.+\): re-export it, or check that the whole file was copied$/
      )
    })
  )

  it.effect("bad PDF options are refused in the house format", () =>
    Effect.gen(function* () {
      // What the message adds after the received value is the options decoder's (core OptionDecoding) to say.
      const e = yield* Effect.flip(SharpImageSource.make({ pdfDpi: 20 }))
      expect(e.message).toMatch(/^Expected an integer from 36 to 1200 for pdfDpi but received 20\b/)
      const t = yield* Effect.flip(SharpImageSource.make({ pdfText: "both" as never }))
      expect(t.message).toMatch(/^Expected one of "auto", "ocr", "text" for pdfText but received "?both"?/)
    })
  )
})
