import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { type Geometry, ImageSource, TextCrop, TextDetector, TextRecognizer } from "@ocr2word/core"
import { SharpImageSource } from "@ocr2word/image"
import { Effect, Layer } from "effect"
import * as PaddleModels from "../src/PaddleModels.ts"
import * as PaddleTextDetector from "../src/PaddleTextDetector.ts"
import * as PaddleTextRecognizer from "../src/PaddleTextRecognizer.ts"

const box = (x: number, y: number, w: number, h: number): Geometry.Quad => [
  { x, y },
  { x: x + w, y },
  { x: x + w, y: y + h },
  { x, y: y + h }
]

describe("adaptive detection scale", () => {
  it("measures the small print: the lower quartile of the box heights", () => {
    const quads = [box(0, 0, 200, 10), box(0, 20, 200, 12), box(0, 40, 300, 40), box(0, 90, 300, 60)]
    expect(PaddleTextDetector.smallTextHeight(quads)).toBe(10)
    expect(PaddleTextDetector.smallTextHeight([])).toBeUndefined()
    // a vertical line's height across the text is its width
    expect(PaddleTextDetector.smallTextHeight([box(0, 0, 14, 300)])).toBe(14)
  })

  it("asks for a second pass only when the small print reaches the model too small", () => {
    const page = { width: 1000, height: 1400 }
    const options = { textHeight: 32, maxPixels: 4_000_000 }
    // 960/1400 first pass: 10 px type reaches the model at 7 px, so enlarge, within the pixel budget
    const scale = PaddleTextDetector.secondScale(page, 960 / 1400, 10, options)!
    expect(scale).toBeCloseTo(Math.sqrt(4_000_000 / 1_400_000), 6)
    // 60 px type is seen at 41 px already: one pass
    expect(PaddleTextDetector.secondScale(page, 960 / 1400, 60, options)).toBeUndefined()
    // no text found: nothing to measure
    expect(PaddleTextDetector.secondScale(page, 960 / 1400, undefined, options)).toBeUndefined()
    // a huge receipt scan with 50 px type wants 0.64 but gets the pixel budget: bounded time
    const scan = PaddleTextDetector.secondScale({ width: 4961, height: 7016 }, 960 / 7016, 50, options)!
    expect(scan).toBeCloseTo(Math.sqrt(4_000_000 / (4961 * 7016)), 6)
  })

  it("rejects a bad scaling option in the house format", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Effect.scoped(
          Layer.build(
            PaddleTextDetector.layerWith({ scaling: "double" } as never).pipe(Layer.provide(PaddleModels.layer))
          )
        )
      )
      expect((error as { message: string }).message).toBe(
        'Expected one of adaptive, fixed for scaling but received "double"'
      )
    }).pipe(Effect.runPromise))
})

const set = path.resolve(import.meta.dirname, "../../../datasets/real-dev-2")
const item = fs
  .readFileSync(path.join(set, "manifest.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as { id: string; image: string; text: string })
  .find((i) => i.id === "funsd_83573282")!

/** Share of the truth's characters (white space dropped) found anywhere in the text: order-free recall. */
const recall = (truth: string, text: string): number => {
  const count = new Map<string, number>()
  for (const c of text.normalize("NFKC").replace(/\s+/gu, "")) count.set(c, (count.get(c) ?? 0) + 1)
  let found = 0
  const chars = [...truth.normalize("NFKC").replace(/\s+/gu, "")]
  for (const c of chars) {
    const n = count.get(c) ?? 0
    if (n > 0) {
      found++
      count.set(c, n - 1)
    }
  }
  return found / chars.length
}

const readAll = (scaling: "adaptive" | "fixed") =>
  Effect.gen(function* () {
    const source = yield* ImageSource.ImageSource
    const detector = yield* TextDetector.TextDetector
    const recognizer = yield* TextRecognizer.TextRecognizer
    const page = (yield* source.decode(fs.readFileSync(path.join(set, item.image)))).pages[0]!
    const quads = (yield* detector.detect(page)).map((d) => d.polygon)
    const texts = yield* recognizer.recognize(TextCrop.cropLines(page, quads))
    return texts.map((t) => t.text).join("\n")
  }).pipe(
    Effect.provide(
      Layer.mergeAll(
        SharpImageSource.layer,
        Layer.mergeAll(PaddleTextDetector.layerWith({ scaling }), PaddleTextRecognizer.layer).pipe(
          Layer.provide(PaddleModels.layer)
        )
      )
    )
  )

describe("small print on a scanned form (FUNSD, 6-8 px type)", () => {
  it(
    "is read far more completely when the detector scales to the measured text height",
    () =>
      Effect.gen(function* () {
        const fixed = recall(item.text, yield* readAll("fixed"))
        const adaptive = recall(item.text, yield* readAll("adaptive"))
        // measured: fixed 0.61, adaptive 0.88 (the form's truth misses some printed text, so 1 is out of reach)
        expect(adaptive).toBeGreaterThan(0.8)
        expect(adaptive - fixed).toBeGreaterThan(0.15)
      }).pipe(Effect.runPromise),
    180_000
  )
})
