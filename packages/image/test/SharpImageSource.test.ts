import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import * as zlib from "node:zlib"
import { describe, expect, it } from "@effect/vitest"
import { type Raster, StageError } from "@ocr2word/core"
import { Effect } from "effect"
import sharp, { type Sharp } from "sharp"
import * as SharpImageSource from "../src/SharpImageSource.ts"
import { encodeBmp } from "./bmp-writer.ts"
import { realDev } from "./real-dev.ts"

const source = Effect.runSync(SharpImageSource.make())

/** Mean absolute difference per sample between two rasters of the same size. */
const meanDiff = (a: Raster.Raster, b: Raster.Raster): number => {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels])
  let sum = 0
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!)
  return sum / a.data.length
}

/** tjs_testocr.png as an RGB raster and as PNG bytes. */
const original = async () => {
  const png = await sharp(realDev("tjs_testocr.png")).flatten({ background: "#fff" }).png().toBuffer()
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const raster: Raster.Raster = { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) }
  return { png, raster }
}

const failure = <A>(effect: Effect.Effect<A, StageError.ImageSourceError>) =>
  Effect.flip(effect).pipe(Effect.map((e) => ({ reason: e.reason, message: e.message })))

describe("SharpImageSource formats (from a real-dev screenshot)", () => {
  const cases: ReadonlyArray<[string, (s: Sharp) => Sharp, number]> = [
    ["png", (s) => s.png(), 0],
    ["jpeg", (s) => s.jpeg({ quality: 92 }), 6],
    ["webp", (s) => s.webp({ lossless: true }), 0],
    ["gif", (s) => s.gif(), 8],
    ["tiff", (s) => s.tiff({ compression: "lzw" }), 0],
    ["avif", (s) => s.avif({ quality: 80 }), 8]
  ]
  for (const [format, encode, tolerance] of cases) {
    it.effect(`decodes ${format}`, () =>
      Effect.gen(function* () {
        const { png, raster } = yield* Effect.promise(original)
        const bytes = yield* Effect.promise(() => encode(sharp(png)).toBuffer())
        const decoded = yield* source.decode(new Uint8Array(bytes))
        expect(decoded.format).toBe(format)
        expect(decoded.pages).toHaveLength(1)
        expect(decoded.pages[0]!.channels).toBe(3)
        expect(meanDiff(decoded.pages[0]!, raster)).toBeLessThanOrEqual(tolerance)
      })
    )
  }

  it.effect("decodes the first frame of an animated GIF", () =>
    Effect.gen(function* () {
      const red = yield* Effect.promise(() =>
        sharp({ create: { width: 40, height: 30, channels: 3, background: "#ff0000" } })
          .png()
          .toBuffer()
      )
      const blue = yield* Effect.promise(() =>
        sharp({ create: { width: 40, height: 30, channels: 3, background: "#0000ff" } })
          .png()
          .toBuffer()
      )
      const gif = yield* Effect.promise(() =>
        sharp([red, blue], { join: { animated: true } })
          .gif()
          .toBuffer()
      )
      const decoded = yield* source.decode(new Uint8Array(gif))
      expect(decoded.format).toBe("gif")
      expect(decoded.pages).toHaveLength(1)
      expect(Array.from(decoded.pages[0]!.data.subarray(0, 3))).toEqual([255, 0, 0])
    })
  )

  it.effect("turns every page of a multi-page TIFF into a page", () =>
    Effect.gen(function* () {
      const pages = yield* Effect.promise(() =>
        Promise.all(
          ["tjs_testocr.png", "easyocr_english.png", "cnocr_multiline_en_white.png"].map((name) =>
            sharp(realDev(name)).flatten({ background: "#fff" }).resize(320, 200, { fit: "fill" }).png().toBuffer()
          )
        )
      )
      const tiff = yield* Effect.promise(() =>
        sharp(pages, { join: { animated: true } })
          .tiff({ compression: "deflate" })
          .toBuffer()
      )
      const decoded = yield* source.decode(new Uint8Array(tiff))
      expect(decoded.format).toBe("tiff")
      expect(decoded.pages).toHaveLength(3)
      for (const [i, page] of decoded.pages.entries()) {
        expect([page.width, page.height, page.channels]).toEqual([320, 200, 3])
        const { data } = yield* Effect.promise(() =>
          sharp(pages[i]!).removeAlpha().raw().toBuffer({ resolveWithObject: true })
        )
        expect(meanDiff(page, { width: 320, height: 200, channels: 3, data: new Uint8Array(data) })).toBe(0)
      }
    })
  )

  it.effect("reads a 1-bit Group 4 TIFF scan as RGB", () =>
    Effect.gen(function* () {
      const decoded = yield* source.readFile(realDev("tess_unlv_8071.tif"))
      expect(decoded.format).toBe("tiff")
      expect(decoded.pages).toHaveLength(1)
      const page = decoded.pages[0]!
      expect([page.width, page.height, page.channels]).toEqual([3312, 2550, 3])
      // Bilevel: only black and white.
      expect(new Set(page.data.subarray(0, 300_000)).size).toBeLessThanOrEqual(2)
    })
  )

  it.effect("decodes BMP (bottom-up 24-bit) through its own decoder", () =>
    Effect.gen(function* () {
      const { raster } = yield* Effect.promise(original)
      const { bytes, expected } = encodeBmp(raster, { bitsPerPixel: 24 })
      const decoded = yield* source.decode(bytes)
      expect(decoded.format).toBe("bmp")
      expect(meanDiff(decoded.pages[0]!, expected)).toBe(0)
    })
  )

  it.effect("applies EXIF orientation", () =>
    Effect.gen(function* () {
      const { png, raster } = yield* Effect.promise(original)
      // Orientation 6: the stored pixels must be turned 90 degrees clockwise to display.
      const stored = yield* Effect.promise(() => sharp(png).rotate(-90).png().toBuffer())
      const jpeg = yield* Effect.promise(() =>
        sharp(stored).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer()
      )
      const decoded = yield* source.decode(new Uint8Array(jpeg))
      const page = decoded.pages[0]!
      expect([page.width, page.height]).toEqual([raster.width, raster.height])
      expect(meanDiff(page, raster)).toBeLessThan(6)
    })
  )

  it.effect("flattens alpha on white", () =>
    Effect.gen(function* () {
      const transparent = yield* Effect.promise(() =>
        sharp({ create: { width: 10, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
          .png()
          .toBuffer()
      )
      const page = (yield* source.decode(new Uint8Array(transparent))).pages[0]!
      expect(page.data.every((v) => v === 255)).toBe(true)
    })
  )
})

describe("SharpImageSource sniffing", () => {
  it.effect("trusts the bytes, not the file name", () =>
    Effect.gen(function* () {
      const { png } = yield* Effect.promise(original)
      const dir = yield* Effect.promise(() => fs.mkdtemp(path.join(os.tmpdir(), "ocr2word-image-")))
      const file = path.join(dir, "scan.jpg")
      yield* Effect.promise(() => fs.writeFile(file, png))
      expect((yield* source.readFile(file)).format).toBe("png")
      expect((yield* source.decode(new Uint8Array(png), "page.bmp")).format).toBe("png")
      yield* Effect.promise(() => fs.rm(dir, { recursive: true }))
    })
  )
})

describe("SharpImageSource errors", () => {
  it.effect("empty input", () =>
    Effect.gen(function* () {
      expect(yield* failure(source.decode(new Uint8Array(0), "blank.png"))).toEqual({
        reason: "Empty",
        message: "blank.png: The input is empty (0 bytes): pass the contents of an image file"
      })
    })
  )

  it.effect("unknown format lists the accepted formats", () =>
    Effect.gen(function* () {
      const e = yield* failure(source.decode(new TextEncoder().encode("hello, world")))
      expect(e).toEqual({
        reason: "UnsupportedFormat",
        message:
          'The input is not an image in an accepted format (it starts with 68 65 6c 6c 6f 2c 20 77 "hello, w"): accepted formats are JPEG, PNG, WebP, GIF, TIFF, AVIF, HEIF, BMP and PDF'
      })
    })
  )

  it.effect("truncated PNG and JPEG are Corrupt with a way out", () =>
    Effect.gen(function* () {
      const { png } = yield* Effect.promise(original)
      const jpeg = yield* Effect.promise(() => sharp(png).jpeg().toBuffer())
      for (const [bytes, name] of [
        [png, "PNG"],
        [jpeg, "JPEG"]
      ] as const) {
        const e = yield* failure(source.decode(new Uint8Array(bytes.subarray(0, bytes.length >> 1))))
        expect(e.reason).toBe("Corrupt")
        expect(e.message).toMatch(
          new RegExp(
            `^The ${name} image is damaged or cut short \\(.+\\): re-export it, or check that the whole file was copied$`
          )
        )
      }
      const header = yield* failure(source.decode(new Uint8Array(png.subarray(0, 20))))
      expect(header.reason).toBe("Corrupt")
    })
  )

  it.effect("pixel limit, checked before decoding, with the numbers", () =>
    Effect.gen(function* () {
      const small = yield* SharpImageSource.make({ maxPixels: 100_000 })
      const { png, raster } = yield* Effect.promise(original)
      expect(yield* failure(small.decode(new Uint8Array(png)))).toEqual({
        reason: "TooManyPixels",
        message: "The image is 640x480 pixels (0.31 MP), over the limit of 0.1 MP: scale it down or raise maxPixels"
      })
      expect(yield* failure(small.decode(encodeBmp(raster, { bitsPerPixel: 8 }).bytes))).toEqual({
        reason: "TooManyPixels",
        message: "The image is 640x480 pixels (0.31 MP), over the limit of 0.1 MP: scale it down or raise maxPixels"
      })
    })
  )

  it.effect("a huge declared size fails fast (no decoding)", () =>
    Effect.gen(function* () {
      // A small PNG whose header claims 23000x23000: rejected from the header alone.
      const { png } = yield* Effect.promise(original)
      const big = new Uint8Array(png)
      const view = new DataView(big.buffer)
      view.setUint32(16, 23000)
      view.setUint32(20, 23000)
      view.setUint32(29, zlib.crc32(big.subarray(12, 29)))
      expect(yield* failure(source.decode(new Uint8Array(big)))).toEqual({
        reason: "TooManyPixels",
        message: "The image is 23000x23000 pixels (529 MP), over the limit of 100 MP: scale it down or raise maxPixels"
      })
    })
  )

  it.effect("byte limit", () =>
    Effect.gen(function* () {
      const tiny = yield* SharpImageSource.make({ maxBytes: 1000 })
      const { png } = yield* Effect.promise(original)
      const e = yield* failure(tiny.decode(new Uint8Array(png)))
      expect(e.reason).toBe("TooLarge")
      expect(e.message).toBe(
        `The input is ${Number((png.length / 1048576).toPrecision(2))} MB (${png.length} bytes), over the limit of 0.00095 MB: compress or scale it down, or raise maxBytes`
      )
    })
  )

  it.effect("readFile: missing file and directory", () =>
    Effect.gen(function* () {
      const missing = yield* failure(source.readFile("/nowhere/scan.png"))
      expect(missing.reason).toBe("NotFound")
      expect(missing.message).toMatch(/^No such file: \/nowhere\/scan\.png: check the path/)
      const dir = yield* failure(source.readFile(os.tmpdir()))
      expect(dir).toEqual({
        reason: "Unreadable",
        message: `${os.tmpdir()} is a directory, not an image file: pass the path of an image file`
      })
    })
  )

  it.effect("option errors in sharp's words", () =>
    Effect.gen(function* () {
      const message = (options: unknown) =>
        Effect.flip(SharpImageSource.make(options as SharpImageSource.Options)).pipe(Effect.map((e) => e.message))
      expect(yield* message({ maxPixels: -5 })).toBe("Expected a positive integer for maxPixels but received -5")
      expect(yield* message({ maxBytes: "50MB" })).toBe('Expected a positive integer for maxBytes but received "50MB"')
      expect(yield* message({ maxPixel: 10 })).toMatch(
        /^Expected one of maxBytes, maxPixels(, \w+)* for options but received "maxPixel"$/
      )
    })
  )

  it("errors are ImageSourceErrors", () => {
    expect(new StageError.ImageSourceError({ reason: "Empty", message: "x" })._tag).toBe("ImageSourceError")
  })
})
