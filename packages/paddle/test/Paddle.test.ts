import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it, layer } from "@effect/vitest"
import { ImageSource, Raster, TextClassifier, TextCrop, TextDetector, TextRecognizer } from "@ocr2word/core"
import { SharpImageSource } from "@ocr2word/image"
import { Effect, Layer } from "effect"
import sharp from "sharp"
import * as Paddle from "../src/Paddle.ts"
import { distance } from "./text-distance.ts"

const images = path.resolve(import.meta.dirname, "../../../datasets/real-dev/images")
const manifest = new Map(
  fs
    .readFileSync(path.resolve(images, "../manifest.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { id: string; image: string; text: string })
    .map((item) => [item.id, item] as const)
)

const squash = (s: string) => s.normalize("NFKC").replace(/\s+/gu, "")

const cer = (hyp: string, ref: string) => distance(squash(hyp), squash(ref)) / [...squash(ref)].length

/** Detect, classify (turning upside-down lines), recognise; lines top to bottom. */
const read = (image: Raster.Raster) =>
  Effect.gen(function* () {
    const detector = yield* TextDetector.TextDetector
    const classifier = yield* TextClassifier.TextClassifier
    const recognizer = yield* TextRecognizer.TextRecognizer
    const found = [...(yield* detector.detect(image))].sort((a, b) => a.polygon[0].y - b.polygon[0].y)
    const crops = found.map((d) => TextCrop.cropLine(image, d.polygon))
    const angles = yield* classifier.classify(crops)
    const upright = crops.map((c, i) =>
      angles[i]!.angle === 180 && angles[i]!.confidence >= 0.9 ? Raster.rotate(c, 180) : c
    )
    const texts = yield* recognizer.recognize(upright)
    return { found, texts, lines: texts.map((t) => t.text) }
  })

const load = (id: string) =>
  Effect.gen(function* () {
    const source = yield* ImageSource.ImageSource
    const item = manifest.get(id)!
    const decoded = yield* source.readFile(path.join(images, path.basename(item.image)))
    return { image: decoded.pages[0]!, truth: item.text }
  })

/** A PNG of `text` drawn tight to its edges (no margin) in a CJK font. */
const rendered = (text: string, size: number) =>
  Effect.promise(async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size * text.length + 8}" height="${size * 2}"><rect width="100%" height="100%" fill="white"/><text x="4" y="${size * 1.4}" font-family="Noto Sans CJK SC" font-size="${size}" fill="black">${text}</text></svg>`
    const { data, info } = await sharp(Buffer.from(svg))
      .trim({ threshold: 40 })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
    return { width: info.width, height: info.height, channels: 3 as const, data: new Uint8Array(data) }
  })

layer(Layer.mergeAll(Paddle.layer, SharpImageSource.layer), { timeout: 120_000 })("Paddle on real images", (it) => {
  it.effect("reads a tight line crop touching the image border (cnocr_helloworld)", () =>
    Effect.gen(function* () {
      const { image, truth } = yield* load("cnocr_helloworld")
      const { lines } = yield* read(image)
      expect(lines).toHaveLength(1)
      expect(cer(lines.join(""), truth)).toBe(0)
    })
  )

  it.effect("keeps English word spaces on a screenshot (tjs_testocr)", () =>
    Effect.gen(function* () {
      const { image, truth } = yield* load("tjs_testocr")
      const { lines } = yield* read(image)
      expect(lines).toHaveLength(8)
      expect(lines[0]).toBe("This is a lot of 12 point text to test the")
      expect(lines[3]).toMatch(/^The quick brown dog jumped over the/)
      expect(cer(lines.join("\n"), truth)).toBeLessThan(0.02)
    })
  )

  it.effect("reads a thin single English line with its spaces (rapid_en_rec)", () =>
    Effect.gen(function* () {
      const { image, truth } = yield* load("rapid_en_rec")
      const { lines } = yield* read(image)
      expect(lines.join(" ")).toContain("To facilitate the shot type analysis in videos")
      expect(cer(lines.join(""), truth)).toBeLessThan(0.05)
    })
  )

  it.effect("reads Chinese lines without inserted spaces (cnocr_multiline_cn1)", () =>
    Effect.gen(function* () {
      const { image, truth } = yield* load("cnocr_multiline_cn1")
      const { lines } = yield* read(image)
      expect(lines[0]).toBe("网络支付并无本质的区别，因为")
      for (const line of lines) expect(line).not.toMatch(/\p{Script=Han} \p{Script=Han}/u)
      expect(cer(lines.join("\n"), truth)).toBeLessThan(0.05)
    })
  )

  it.effect("turns a line upside down in the image the right way up (rapid_text_cls)", () =>
    Effect.gen(function* () {
      const { image, truth } = yield* load("rapid_text_cls")
      const { lines } = yield* read(image)
      expect(lines).toEqual([truth])
      // and the same line turned again reads the same
      const again = yield* read(Raster.rotate(image, 180))
      expect(again.lines).toEqual([truth])
    })
  )

  it.effect("reads long white-on-black lines (cnocr_multiline_en_black)", () =>
    Effect.gen(function* () {
      const { image, truth } = yield* load("cnocr_multiline_en_black")
      const { lines } = yield* read(image)
      expect(lines).toHaveLength(4)
      expect(cer(lines.join("\n"), truth)).toBeLessThan(0.02)
    })
  )

  it.effect("gives character positions in order inside the crop", () =>
    Effect.gen(function* () {
      const { image } = yield* load("pp_word_2")
      const { texts } = yield* read(image)
      const chars = texts[0]!.chars!
      expect(chars.map((c) => c.text).join("")).toBe(texts[0]!.text)
      for (const c of chars) {
        expect(c.start).toBeGreaterThanOrEqual(0)
        expect(c.end).toBeLessThanOrEqual(1)
        expect(c.end).toBeGreaterThan(c.start)
      }
      for (let i = 1; i < chars.length; i++) expect(chars[i]!.start).toBeGreaterThanOrEqual(chars[i - 1]!.start)
      expect(texts[0]!.confidence).toBeGreaterThan(0.8)
    })
  )

  it.effect("does not cut the top strokes of Chinese characters (季 is not read as 李)", () =>
    Effect.gen(function* () {
      const image = yield* rendered("季节李子季", 40)
      const { lines } = yield* read(image)
      expect(lines.join("")).toBe("季节李子季")
    })
  )

  it.effect("fails with a clear error on an empty image", () =>
    Effect.gen(function* () {
      const detector = yield* TextDetector.TextDetector
      const error = yield* Effect.flip(detector.detect(Raster.make(0, 0, 3)))
      expect(error._tag).toBe("DetectionError")
      expect(error.message).toContain("empty 0x0 image")
    })
  )
})

describe("a page with nothing on it", () => {
  it.effect("has no lines", () =>
    Effect.gen(function* () {
      const detector = yield* TextDetector.TextDetector
      expect(yield* detector.detect(Raster.make(300, 200, 3, 255))).toEqual([])
    }).pipe(Effect.provide(Paddle.layer))
  )
})
