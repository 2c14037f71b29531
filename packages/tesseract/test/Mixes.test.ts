import * as fs from "node:fs"
import { describe, expect, layer } from "@effect/vitest"
import { Document, Pipeline, TextClassifier } from "@ocr2word/core"
import { ImagePreprocessor, SharpImageSource } from "@ocr2word/image"
import { XyCutLayoutAnalyzer } from "@ocr2word/layout"
import { PaddleModels, PaddleTextClassifier, PaddleTextDetector, PaddleTextRecognizer } from "@ocr2word/paddle"
import { Effect, Layer } from "effect"
import { TesseractTextDetector, TesseractTextRecognizer, TesseractWorkers } from "../src/index.ts"
import { bagError, cer, groundTruth, realDev } from "./real-dev.ts"

/**
 * Every pairing of the two backends' detectors and recognisers, composed with
 * core's `Pipeline.layer()` and the shared image, preprocessing and layout
 * stages, run on real images. The models and workers are loaded once and
 * shared by the four pipelines.
 */
const Resources = Layer.mergeAll(PaddleModels.layer, TesseractWorkers.layerWith({ workers: 2 }))

const mixes = {
  "tesseract alone": [TesseractTextDetector.layer, TextClassifier.TextClassifier.none, TesseractTextRecognizer.layer],
  "paddle detection + tesseract recognition": [
    PaddleTextDetector.layer,
    PaddleTextClassifier.layer,
    TesseractTextRecognizer.layer
  ],
  "tesseract detection + paddle recognition": [
    TesseractTextDetector.layer,
    PaddleTextClassifier.layer,
    PaddleTextRecognizer.layer
  ],
  "paddle alone": [PaddleTextDetector.layer, PaddleTextClassifier.layer, PaddleTextRecognizer.layer]
} as const

const pipelineOf = (mix: keyof typeof mixes) =>
  Pipeline.make().pipe(
    Effect.provide(
      Layer.mergeAll(SharpImageSource.layer, ImagePreprocessor.layer, XyCutLayoutAnalyzer.layer, ...mixes[mix])
    )
  )

const read = (mix: keyof typeof mixes, image: string) =>
  Effect.gen(function* () {
    const pipeline = yield* pipelineOf(mix)
    const document = yield* pipeline.run(new Uint8Array(fs.readFileSync(realDev(image))), { source: image })
    return { document, text: Document.toPlainText(document) }
  })

// Bounds a sound engine meets with room to spare; they are not tuned per mix.
// pp_11 is scored order-free: the order of its label lines is the layout
// stage's business, not the detector's or recogniser's.
const cases = [
  { image: "tjs_testocr.png", max: 0.05, metric: "CER" },
  { image: "cnocr_multiline_cn1.png", max: 0.08, metric: "CER" },
  { image: "cnocr_helloworld.jpg", max: 0.1, metric: "CER" },
  { image: "pp_11.jpg", max: 0.2, metric: "order-free error" }
] as const

describe("detector and recogniser mixes on real images", () => {
  layer(Resources, { timeout: 300_000, excludeTestServices: true })((it) => {
    for (const mix of Object.keys(mixes) as Array<keyof typeof mixes>) {
      describe(mix, () => {
        for (const { image, max, metric } of cases) {
          it.effect(`reads ${image} (${metric} < ${max * 100}%)`, () =>
            Effect.gen(function* () {
              const { document, text } = yield* read(mix, image)
              const truth = groundTruth(image)
              expect((metric === "CER" ? cer : bagError)(truth, text), text).toBeLessThan(max)
              const lines = document.pages.flatMap(Document.pageLines)
              expect(lines.length).toBeGreaterThan(0)
              for (const line of lines) {
                // Normalised: no spaces between Chinese characters, none doubled or at the ends.
                expect(line.text).not.toMatch(/\p{Script=Han} \p{Script=Han}/u)
                expect(line.text).not.toMatch(/ {2}|^ | $/u)
              }
            })
          )
        }
      })
    }

    it.effect("keeps the spaces between English words of a mixed line", () =>
      Effect.gen(function* () {
        for (const mix of ["tesseract alone", "paddle detection + tesseract recognition"] as const) {
          const { text } = yield* read(mix, "cnocr_helloworld.jpg")
          expect(text).toContain("Hello world")
          expect(text).toContain("你好世界")
        }
      })
    )

    it.effect("reads Chinese punctuation full-width with normalisation on, as recognised with it off", () =>
      Effect.gen(function* () {
        const on = yield* read("tesseract alone", "cnocr_multiline_cn1.png")
        expect(on.text).toContain("区别，因为")
        expect(on.text).toContain("形式。")
        const pipeline = yield* Pipeline.make({ normalize: false }).pipe(
          Effect.provide(
            Layer.mergeAll(
              SharpImageSource.layer,
              ImagePreprocessor.layer,
              XyCutLayoutAnalyzer.layer,
              ...mixes["tesseract alone"]
            )
          )
        )
        const off = yield* pipeline.run(new Uint8Array(fs.readFileSync(realDev("cnocr_multiline_cn1.png"))))
        // Tesseract's own output spaces Chinese characters apart.
        expect(Document.toPlainText(off)).toMatch(/\p{Script=Han} \p{Script=Han}/u)
      })
    )
  })
})
