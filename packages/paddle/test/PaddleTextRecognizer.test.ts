import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it, layer } from "@effect/vitest"
import { ImageSource, Raster } from "@ocr2word/core"
import { SharpImageSource } from "@ocr2word/image"
import { Effect, Layer } from "effect"
import * as PaddleModels from "../src/PaddleModels.ts"
import * as PaddleTextRecognizer from "../src/PaddleTextRecognizer.ts"
import { distance } from "./text-distance.ts"

const synth = path.resolve(import.meta.dirname, "../../../datasets/synth-docs")

interface Item {
  readonly id: string
  readonly image: string
  readonly lines: ReadonlyArray<{ text: string; box: { x: number; y: number; width: number; height: number } }>
}

const items = new Map(
  fs
    .readFileSync(path.join(synth, "manifest.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Item)
    .map((item) => [item.id, item] as const)
)

const squash = (s: string) => [...s.normalize("NFKC").replace(/\s+/gu, "")]

/** The page's truth lines cut out by their boxes, read by one recogniser; total edits against the truth. */
const edits = (id: string, recognizer: PaddleTextRecognizer.Options) =>
  Effect.gen(function* () {
    const item = items.get(id)!
    const source = yield* ImageSource.ImageSource
    const page = (yield* source.readFile(path.join(synth, item.image))).pages[0]!
    const crops = item.lines.map(({ box }) => {
      const x = Math.max(0, Math.floor(box.x))
      const y = Math.max(0, Math.floor(box.y))
      const width = Math.min(page.width - x, Math.ceil(box.width))
      const height = Math.min(page.height - y, Math.ceil(box.height))
      return Raster.crop(page, { x, y, width, height })
    })
    const reader = yield* PaddleTextRecognizer.make(recognizer)
    const texts = yield* reader.recognize(crops)
    return texts.reduce((sum, t, i) => sum + distance(squash(t.text), squash(item.lines[i]!.text)), 0)
  })

describe("PaddleTextRecognizer.smoothed", () => {
  it.effect("spreads a one-pixel speck and leaves crops too small to smooth as they are", () =>
    Effect.gen(function* () {
      const crop = Raster.make(9, 9, 1, 255)
      crop.data[4 * 9 + 4] = 0
      const out = yield* PaddleTextRecognizer.smoothed(crop)
      expect([out.width, out.height, out.channels]).toEqual([9, 9, 1])
      expect(out.data[4 * 9 + 4]!).toBeGreaterThan(100)
      expect(out.data[4 * 9 + 5]!).toBeLessThan(255)
      const tiny = Raster.make(2, 2, 3, 0)
      expect(yield* PaddleTextRecognizer.smoothed(tiny)).toBe(tiny)
    })
  )
})

layer(Layer.mergeAll(PaddleModels.layer, SharpImageSource.layer), { timeout: 120_000 })(
  "PaddleTextRecognizer second reading",
  (it) => {
    it.effect(
      "reads small noisy scanned text better from the smoothed crop and keeps a clean page's reading",
      () =>
        Effect.gen(function* () {
          // Down-scaled to 0.6 with noise (sigma 13.5), 15 px lines: the page the probe was worst on.
          const noisyOnce = yield* edits("synth-doc-s1-0007", { retryBelow: 0 })
          const noisyTwice = yield* edits("synth-doc-s1-0007", {})
          expect(noisyTwice).toBeLessThan(noisyOnce * 0.9)
          // JPEG only, 21 px lines: nothing there for a second reading to win.
          const cleanOnce = yield* edits("synth-doc-s1-0013", { retryBelow: 0 })
          const cleanTwice = yield* edits("synth-doc-s1-0013", {})
          expect(cleanTwice).toBeLessThanOrEqual(cleanOnce)
        }),
      240_000
    )

    it.effect("names a bad retryBelow in sharp's words", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          Effect.scoped(
            Layer.build(PaddleTextRecognizer.layerWith({ retryBelow: 2 }).pipe(Layer.provide(PaddleModels.layer)))
          )
        )
        expect(error.message).toBe("Expected a number between 0 and 1 for retryBelow but received 2")
      })
    )
  }
)
