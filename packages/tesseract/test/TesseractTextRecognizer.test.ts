import { describe, expect, layer } from "@effect/vitest"
import { ImageSource, TextRecognizer } from "@ocr2word/core"
import { SharpImageSource } from "@ocr2word/image"
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
      })
    )
  })
})

describe("TesseractTextRecognizer.lineOfPage", () => {
  layer(Layer.empty)((it) => {
    it.effect("joins words with spaces, maps symbol boxes back to the crop and averages character confidences", () =>
      Effect.sync(() => {
        const symbol = (text: string, x0: number, x1: number, confidence: number) => ({
          text,
          confidence,
          bbox: { x0, x1, y0: 0, y1: 10 }
        })
        const page = {
          blocks: [
            {
              paragraphs: [
                {
                  lines: [
                    {
                      words: [
                        {
                          text: "电话",
                          confidence: 90,
                          bbox: { x0: 20, x1: 60 },
                          symbols: [symbol("电", 20, 40, 98), symbol("话", 40, 60, 98)]
                        },
                        {
                          text: "Q1",
                          confidence: 5,
                          bbox: { x0: 80, x1: 120 },
                          symbols: [symbol("Q", 80, 100, 70), symbol("1", 100, 120, 90)]
                        },
                        { text: " ", confidence: 0, bbox: { x0: 120, x1: 120 }, symbols: [] }
                      ]
                    }
                  ]
                }
              ]
            }
          ]
        }
        // A 10 px margin and a crop enlarged twice from 60 px wide.
        const line = TesseractTextRecognizer.lineOfPage(page as never, 10, 2, 60)
        expect(line.text).toBe("电话 Q1")
        expect(line.chars?.map((c) => [c.text, c.start, c.end])).toEqual([
          ["电", 5 / 60, 15 / 60],
          ["话", 15 / 60, 25 / 60],
          [" ", 25 / 60, 35 / 60],
          ["Q", 35 / 60, 45 / 60],
          ["1", 45 / 60, 55 / 60]
        ])
        expect(line.confidence).toBeCloseTo((0.98 + 0.98 + 0.7 + 0.9) / 4)
        expect(TesseractTextRecognizer.lineOfPage({ blocks: null } as never, 0, 1, 10)).toEqual({
          text: "",
          confidence: 0,
          chars: []
        })
      })
    )
  })
})
