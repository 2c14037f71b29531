import { ImageSource, TextRecognizer } from "@ocr2word/core"
import { SharpImageSource } from "@ocr2word/image"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as TesseractTextRecognizer from "../src/TesseractTextRecognizer.ts"
import * as TesseractWorkers from "../src/TesseractWorkers.ts"
import { cer, groundTruth, realDev } from "./real-dev.ts"

const Stages = Layer.mergeAll(
  TesseractTextRecognizer.layer.pipe(Layer.provide(TesseractWorkers.layerWith({ workers: 2 }))),
  SharpImageSource.layer
)

const read = (name: string) =>
  Effect.gen(function* () {
    const source = yield* ImageSource.ImageSource
    const recognizer = yield* TextRecognizer.TextRecognizer
    const decoded = yield* source.readFile(realDev(name))
    const [result] = yield* recognizer.recognize(decoded.pages)
    return result!
  })

describe("TesseractTextRecognizer", () => {
  layer(Stages, { timeout: 120_000, excludeTestServices: true })((it) => {
    it.effect("reads a mixed Chinese-English line image", () =>
      Effect.gen(function* () {
        const result = yield* read("cnocr_helloworld.jpg")
        expect(cer(groundTruth("cnocr_helloworld.jpg"), result.text)).toBeLessThan(0.15)
        expect(result.confidence).toBeGreaterThan(0.5)
        // Character positions are fractions of the crop, in reading order.
        const chars = result.chars ?? []
        expect(chars.map((c) => c.text).join("")).toBe(result.text)
        for (const c of chars) {
          expect(c.start).toBeGreaterThanOrEqual(0)
          expect(c.end).toBeLessThanOrEqual(1)
          expect(c.end).toBeGreaterThanOrEqual(c.start)
        }
      }))
  })
})
