import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import type { Page } from "../src/Document.ts"
import { quadOfBox } from "../src/Geometry.ts"
import { ImageSource } from "../src/ImageSource.ts"
import { LayoutAnalyzer } from "../src/LayoutAnalyzer.ts"
import * as Pipeline from "../src/Pipeline.ts"
import { Preprocessor } from "../src/Preprocessor.ts"
import * as Raster from "../src/Raster.ts"
import { TextClassifier } from "../src/TextClassifier.ts"
import { TextDetector } from "../src/TextDetector.ts"
import { TextRecognizer } from "../src/TextRecognizer.ts"

/**
 * The orchestration logic (page-level 180-degree turn, per-line flips,
 * confidence filtering) tested with in-memory stages. The real backends are
 * tested in their own packages and end to end in @ocr2word/cli.
 */
const page = Raster.make(100, 40, 1)
// A dark mark in the top-left corner tells which way the page was turned.
page.data[0] = 0

const stages = (angles: ReadonlyArray<0 | 180>, confidences: ReadonlyArray<number>) => {
  const seen: Array<Raster.Raster> = []
  const layer = Layer.mergeAll(
    Layer.succeed(ImageSource, ImageSource.of({
      decode: () => Effect.succeed({ format: "png", pages: [page] }),
      readFile: () => Effect.succeed({ format: "png", pages: [page] })
    })),
    Preprocessor.identity,
    Layer.succeed(TextDetector, TextDetector.of({
      name: "fake",
      detect: () =>
        Effect.succeed([
          { polygon: quadOfBox({ x: 0, y: 0, width: 100, height: 10 }), score: 1 },
          { polygon: quadOfBox({ x: 0, y: 20, width: 100, height: 10 }), score: 1 }
        ])
    })),
    Layer.succeed(TextClassifier, TextClassifier.of({
      name: "fake",
      classify: (crops) => Effect.succeed(crops.map((_, i) => ({ angle: angles[i]!, confidence: 0.99 })))
    })),
    Layer.succeed(TextRecognizer, TextRecognizer.of({
      name: "fake",
      recognize: (crops) => {
        seen.push(...crops)
        return Effect.succeed(crops.map((_, i) => ({ text: `line ${i}`, confidence: confidences[i]! })))
      }
    })),
    Layer.succeed(LayoutAnalyzer, LayoutAnalyzer.of({
      analyze: (input) =>
        Effect.succeed({
          index: input.index,
          width: input.image.width,
          height: input.image.height,
          rotation: input.rotation,
          skew: input.skew,
          confidence: 1,
          blocks: input.lines.map((line) => ({ kind: "paragraph", box: line.box, confidence: 1, lines: [line] }))
        } satisfies Page)
    }))
  )
  return { layer: Pipeline.layer().pipe(Layer.provide(layer)), seen }
}

describe("Pipeline", () => {
  it.effect("turns the page when most lines are upside down", () => {
    const { layer, seen } = stages([180, 180], [0.9, 0.9])
    return Effect.gen(function* () {
      const pipeline = yield* Pipeline.Pipeline
      const doc = yield* pipeline.run(new Uint8Array(1), { source: "x.png" })
      const p = doc.pages[0]!
      expect(p.rotation).toBe(180)
      // The first detected line (top of the source) is at the bottom of the turned page.
      expect(p.blocks[0]!.lines[0]!.box.y).toBe(30)
      // The mark was in the source's top-left corner: after the turn it is in the crop's bottom-right.
      const crop = seen[0]!
      expect(crop.data[crop.data.length - 1]).toBeLessThan(255)
      expect(doc.metadata).toMatchObject({ source: "x.png", engine: "fake" })
    }).pipe(Effect.provide(layer))
  })

  it.effect("flips single lines and drops low-confidence ones", () => {
    const { layer, seen } = stages([180, 0], [0.9, 0.2])
    return Effect.gen(function* () {
      const pipeline = yield* Pipeline.Pipeline
      const doc = yield* pipeline.run(new Uint8Array(1))
      expect(doc.pages[0]!.rotation).toBe(0)
      expect(doc.pages[0]!.blocks.map((b) => b.lines[0]!.text)).toEqual(["line 0"])
      // The first crop was turned: the corner mark moved to its end.
      expect(seen[0]!.data[0]).toBe(255)
    }).pipe(Effect.provide(layer))
  })
})
