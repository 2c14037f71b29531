import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Document from "../src/Document.ts"
import { type Box, quadOfBox } from "../src/Geometry.ts"
import { ImageSource } from "../src/ImageSource.ts"
import { LayoutAnalyzer } from "../src/LayoutAnalyzer.ts"
import * as Pipeline from "../src/Pipeline.ts"
import { Preprocessor } from "../src/Preprocessor.ts"
import * as Raster from "../src/Raster.ts"
import { TextClassifier } from "../src/TextClassifier.ts"
import { TextDetector } from "../src/TextDetector.ts"
import { type RecognizedText, TextRecognizer } from "../src/TextRecognizer.ts"

/**
 * The orchestration logic (page-level 180-degree turn, per-line flips,
 * confidence filtering) tested with in-memory stages. The real backends are
 * tested in their own packages and end to end in @ocr2word/cli.
 */
const page = Raster.make(100, 40, 1)
// A dark mark in the top-left corner tells which way the page was turned.
page.data[0] = 0

interface Fakes {
  /** Line boxes the detector finds; two full-width lines by default. */
  readonly boxes?: ReadonlyArray<Box>
  /** Classifier confidence per line; 0.99 by default. */
  readonly sure?: ReadonlyArray<number>
  /** The recogniser's reading of a crop; by default `line <i>` with `confidences[i]`. */
  readonly read?: (crop: Raster.Raster, i: number) => RecognizedText
  /** How pages keep their image; none by default. */
  readonly pageImage?: Pipeline.PageImage
  /** The classifier's answer for the i-th crop of a call, instead of `angles` and `sure`. */
  readonly orient?: (i: number) => { readonly angle: 0 | 180; readonly confidence: number }
}

const twoLines: ReadonlyArray<Box> = [
  { x: 0, y: 0, width: 100, height: 10 },
  { x: 0, y: 20, width: 100, height: 10 }
]

/** True when the corner mark lies in the first half of a crop (the crop is not turned). */
const markFirst = (crop: Raster.Raster): boolean => crop.data.subarray(0, crop.data.length / 2).some((v) => v < 255)

const stages = (angles: ReadonlyArray<0 | 180>, confidences: ReadonlyArray<number>, fakes: Fakes = {}) => {
  const seen: Array<Raster.Raster> = []
  const classified: Array<number> = []
  const boxes = fakes.boxes ?? twoLines
  const layer = Layer.mergeAll(
    Layer.succeed(
      ImageSource,
      ImageSource.of({
        decode: () => Effect.succeed({ format: "png", pages: [page] }),
        readFile: () => Effect.succeed({ format: "png", pages: [page] })
      })
    ),
    Preprocessor.identity,
    Layer.succeed(
      TextDetector,
      TextDetector.of({
        name: "fake",
        detect: () => Effect.succeed(boxes.map((box) => ({ polygon: quadOfBox(box), score: 1 })))
      })
    ),
    Layer.succeed(
      TextClassifier,
      TextClassifier.of({
        name: "fake",
        classify: (crops) => {
          classified.push(crops.length)
          return Effect.succeed(
            crops.map((_, i) => fakes.orient?.(i) ?? { angle: angles[i]!, confidence: fakes.sure?.[i] ?? 0.99 })
          )
        }
      })
    ),
    Layer.succeed(
      TextRecognizer,
      TextRecognizer.of({
        name: "fake",
        recognize: (crops) => {
          seen.push(...crops)
          return Effect.succeed(
            crops.map((crop, i) => fakes.read?.(crop, i) ?? { text: `line ${i}`, confidence: confidences[i]! })
          )
        }
      })
    ),
    Layer.succeed(
      LayoutAnalyzer,
      LayoutAnalyzer.of({
        analyze: (input) =>
          Effect.succeed(
            input.lines.map(
              (line): Document.Block => ({ kind: "paragraph", box: line.box, confidence: 1, lines: [line] })
            )
          )
      })
    )
  )
  return { layer: Pipeline.layer(undefined, fakes.pageImage).pipe(Layer.provide(layer)), seen, classified }
}

describe("Pipeline", () => {
  it.effect("builds each page around the layout's blocks, keeping the upright image only when given an encoder", () => {
    const encoded: Array<Raster.Raster> = []
    const encodePng = (image: Raster.Raster) =>
      Effect.sync(() => {
        encoded.push(image)
        return new Uint8Array([image.width, image.height])
      })
    const kept = stages([180, 180], [0.9, 0.9], { pageImage: { encodePng } }).layer
    const plain = stages([180, 180], [0.9, 0.9]).layer
    return Effect.gen(function* () {
      const run = Effect.gen(function* () {
        return yield* (yield* Pipeline.Pipeline).run(new Uint8Array(1))
      })
      const withImage = yield* Effect.provide(run, kept)
      const without = yield* Effect.provide(run, plain)
      const page = withImage.pages[0]!
      expect(page).toMatchObject({ index: 0, width: 100, height: 40, rotation: 180, skew: 0 })
      expect(page.blocks.map((b) => b.kind)).toEqual(["paragraph", "paragraph"])
      expect(page.confidence).toBeCloseTo(0.9)
      // The image encoded is the turned one the lines were found on.
      expect(page.image).toEqual(new Uint8Array([100, 40]))
      expect(encoded).toHaveLength(1)
      expect(encoded[0]!.data[encoded[0]!.data.length - 1]).toBe(0)
      expect(without.pages[0]!.image).toBeUndefined()
      expect({ ...without.pages[0]!, lineCounts: undefined }).toEqual({
        ...page,
        image: undefined,
        lineCounts: undefined
      })
    })
  })

  it.effect("tells onPage as each page starts, with the page count, before the page is read", () => {
    const { layer, seen } = stages([0, 0], [0.9, 0.9])
    return Effect.gen(function* () {
      const told: Array<{ index: number; count: number; recognisedBefore: number }> = []
      const document = yield* (yield* Pipeline.Pipeline).run(new Uint8Array(1), {
        onPage: ({ index, count }) => Effect.sync(() => told.push({ index, count, recognisedBefore: seen.length }))
      })
      expect(document.pages).toHaveLength(1)
      expect(told).toEqual([{ index: 0, count: 1, recognisedBefore: 0 }])
    }).pipe(Effect.provide(layer))
  })

  it.effect("turns the page when most lines are upside down", () => {
    const { layer, seen } = stages([180, 180], [0.9, 0.9])
    return Effect.gen(function* () {
      const pipeline = yield* Pipeline.Pipeline
      const doc = yield* pipeline.run(new Uint8Array(1), { source: "x.png" })
      const p = doc.pages[0]!
      expect(p.rotation).toBe(180)
      // The first detected line (top of the source) is at the bottom of the turned page.
      expect(p.blocks.flatMap(Document.blockLines)[0]!.box.y).toBe(30)
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
      expect(doc.pages[0]!.blocks.map((b) => Document.blockLines(b)[0]!.text)).toEqual(["line 0"])
      // Both lines read as they lie, then the first one turned as well: the corner mark moved to its end.
      expect(seen).toHaveLength(3)
      expect(markFirst(seen[0]!)).toBe(true)
      expect(markFirst(seen[2]!)).toBe(false)
    }).pipe(Effect.provide(layer))
  })

  it.effect("counts the lines each stage passed on, and their characters", () => {
    const boxes = [...twoLines, { x: 0, y: 32, width: 100, height: 6 }]
    const { layer } = stages([0, 0, 0], [0.9, 0.2, 0.9], {
      boxes,
      read: (_, i) => ({ text: i === 2 ? " " : `line ${i}`, confidence: [0.9, 0.2, 0.9][i]! })
    })
    return Effect.gen(function* () {
      const pipeline = yield* Pipeline.Pipeline
      const doc = yield* pipeline.run(new Uint8Array(1))
      // three boxes; one read as blank; one under minConfidence; the fake layout writes what it gets
      expect(doc.pages[0]!.lineCounts).toEqual({
        detected: 3,
        recognised: 2,
        kept: 1,
        written: 1,
        keptCharacters: 5,
        writtenCharacters: 5
      })
    }).pipe(Effect.provide(layer))
  })

  it.effect("keeps a line the way its page lies when that reading is surer than the turned one", () => {
    // The classifier says line 0 is upside down, but the recogniser reads it better unturned.
    const read = (crop: Raster.Raster) =>
      markFirst(crop) ? { text: "as it lies", confidence: 0.95 } : { text: "turned", confidence: 0.4 }
    const { layer } = stages([180, 0], [], { read })
    return Effect.gen(function* () {
      const doc = yield* (yield* Pipeline.Pipeline).run(new Uint8Array(1))
      expect(doc.pages[0]!.rotation).toBe(0)
      expect(doc.pages[0]!.blocks.flatMap(Document.blockLines)[0]!.text).toBe("as it lies")
    }).pipe(Effect.provide(layer))
  })

  it.effect("turns a line that disagrees with its page when the turned reading is surer", () => {
    const read = (crop: Raster.Raster) =>
      markFirst(crop) ? { text: "as it lies", confidence: 0.3 } : { text: "turned", confidence: 0.9 }
    const { layer } = stages([180, 0], [], { read })
    return Effect.gen(function* () {
      const doc = yield* (yield* Pipeline.Pipeline).run(new Uint8Array(1))
      expect(doc.pages[0]!.blocks.flatMap(Document.blockLines)[0]!.text).toBe("turned")
    }).pipe(Effect.provide(layer))
  })

  it.effect(
    "weighs the page vote by line length: two short upside-down crops do not turn a page of one long line",
    () => {
      const boxes = [
        { x: 0, y: 0, width: 20, height: 10 },
        { x: 0, y: 15, width: 20, height: 10 },
        { x: 0, y: 30, width: 100, height: 10 }
      ]
      const { layer } = stages([180, 180, 0], [0.9, 0.9, 0.9], { boxes })
      return Effect.gen(function* () {
        const doc = yield* (yield* Pipeline.Pipeline).run(new Uint8Array(1))
        expect(doc.pages[0]!.rotation).toBe(0)
      }).pipe(Effect.provide(layer))
    }
  )

  it.effect("turns the page when the long lines are upside down, short upright crops notwithstanding", () => {
    const boxes = [
      { x: 0, y: 0, width: 100, height: 10 },
      { x: 0, y: 15, width: 20, height: 10 },
      { x: 0, y: 30, width: 20, height: 10 }
    ]
    const { layer } = stages([180, 0, 0], [0.9, 0.9, 0.9], { boxes })
    return Effect.gen(function* () {
      const doc = yield* (yield* Pipeline.Pipeline).run(new Uint8Array(1))
      expect(doc.pages[0]!.rotation).toBe(180)
    }).pipe(Effect.provide(layer))
  })

  describe("the early orientation vote over the longest lines", () => {
    const twelve = Array.from({ length: 12 }, (_, i) => ({ x: 0, y: i * 3, width: 100, height: 2 }))
    const run = (orient: NonNullable<Fakes["orient"]>) => {
      const { layer, classified, seen } = stages([], [], {
        boxes: twelve,
        orient,
        read: (_, i) => ({ text: `line ${i}`, confidence: 0.9 })
      })
      return Effect.gen(function* () {
        const doc = yield* (yield* Pipeline.Pipeline).run(new Uint8Array(1))
        return { rotation: doc.pages[0]!.rotation, classified, seen: seen.length }
      }).pipe(Effect.provide(layer))
    }

    it.effect("classifies only the sample when it says the page is upright", () =>
      Effect.gen(function* () {
        const r = yield* run(() => ({ angle: 0, confidence: 0.99 }))
        expect(r).toEqual({ rotation: 0, classified: [8], seen: 12 })
      })
    )

    it.effect("turns the page from the sample when it says the page is upside down", () =>
      Effect.gen(function* () {
        const r = yield* run(() => ({ angle: 180, confidence: 0.99 }))
        expect(r).toEqual({ rotation: 180, classified: [8], seen: 12 })
      })
    )

    it.effect("classifies every line when the sample is in doubt", () =>
      Effect.gen(function* () {
        // Half of each call's lines upside down: the sample is split, so the other four are classified too.
        const r = yield* run((i) => ({ angle: i % 2 === 0 ? 0 : 180, confidence: 0.99 }))
        expect(r.classified).toEqual([8, 4])
        expect(r.rotation).toBe(0)
      })
    )
  })

  it.effect("an unsure classifier neither turns the page nor a line", () => {
    const { layer, seen } = stages([180, 180], [0.9, 0.9], { sure: [0.8, 0.8] })
    return Effect.gen(function* () {
      const doc = yield* (yield* Pipeline.Pipeline).run(new Uint8Array(1))
      expect(doc.pages[0]!.rotation).toBe(0)
      // Each line read once, as it lies.
      expect(seen).toHaveLength(2)
    }).pipe(Effect.provide(layer))
  })
})
