import { describe, expect, layer } from "@effect/vitest"
import { Geometry, ImageSource, Raster, TextDetector } from "@ocr2word/core"
import { SharpImageSource } from "@ocr2word/image"
import { Effect, Layer } from "effect"
import * as TesseractTextDetector from "../src/TesseractTextDetector.ts"
import * as TesseractWorkers from "../src/TesseractWorkers.ts"
import { groundTruth, realDev } from "./real-dev.ts"

const Stages = Layer.mergeAll(
  TesseractTextDetector.layer.pipe(Layer.provide(TesseractWorkers.layer)),
  SharpImageSource.layer
)

const detect = (name: string) =>
  Effect.gen(function* () {
    const source = yield* ImageSource.ImageSource
    const detector = yield* TextDetector.TextDetector
    const [page] = (yield* source.readFile(realDev(name))).pages
    return { page: page!, lines: yield* detector.detect(page!) }
  })

describe("TesseractTextDetector", () => {
  layer(Stages, { timeout: 120_000, excludeTestServices: true })((it) => {
    for (const image of ["tjs_testocr.png", "cnocr_multiline_cn1.png"]) {
      it.effect(`finds one box per text line of ${image}, inside the page`, () =>
        Effect.gen(function* () {
          const { page, lines } = yield* detect(image)
          expect(lines).toHaveLength(groundTruth(image).split("\n").length)
          const boxes = lines.map((line) => Geometry.boxOfPoints(line.polygon)).sort((a, b) => a.y - b.y)
          for (const [i, box] of boxes.entries()) {
            expect(box.x).toBeGreaterThanOrEqual(0)
            expect(box.y).toBeGreaterThanOrEqual(0)
            expect(box.x + box.width).toBeLessThanOrEqual(page.width)
            expect(box.y + box.height).toBeLessThanOrEqual(page.height)
            // Lines are wide and do not overlap their neighbours.
            expect(box.width).toBeGreaterThan(box.height)
            const next = boxes[i + 1]
            if (next !== undefined) expect(Geometry.iou(box, next)).toBe(0)
          }
        })
      )
    }

    it.effect("finds a line touching the border of a tight crop", () =>
      Effect.gen(function* () {
        const { lines } = yield* detect("cnocr_helloworld.jpg")
        expect(lines.length).toBeGreaterThanOrEqual(1)
      })
    )

    it.effect("finds nothing on a blank page and refuses an empty one", () =>
      Effect.gen(function* () {
        const detector = yield* TextDetector.TextDetector
        expect(yield* detector.detect(Raster.make(200, 100, 3))).toEqual([])
        const error = yield* Effect.flip(detector.detect(Raster.make(0, 0, 3)))
        expect(error.message).toBe("Cannot detect text on an empty 0x0 image: give a page with pixels")
      })
    )
  })
})

describe("TesseractTextDetector.linesOfLayout", () => {
  layer(Layer.empty)((it) => {
    it.effect("shifts boxes back by the margin, clamps them to the page and drops specks", () =>
      Effect.sync(() => {
        const line = (x0: number, y0: number, x1: number, y1: number) => ({ bbox: { x0, y0, x1, y1 } })
        const blocks = [
          { paragraphs: [{ lines: [line(10, 10, 110, 30), line(5, 40, 300, 42), line(0, 50, 400, 80)] }] }
        ]
        const out = TesseractTextDetector.linesOfLayout(blocks as never, 10, 300, 60, 4)
        expect(out.map((d) => Geometry.boxOfPoints(d.polygon))).toEqual([
          { x: 0, y: 0, width: 100, height: 20 },
          { x: 0, y: 40, width: 300, height: 20 }
        ])
      })
    )
  })
})
