import { describe, expect, it } from "@effect/vitest"
import { Preprocessor, type Raster } from "@ocr2word/core"
import { Effect } from "effect"
import sharp from "sharp"
import * as ImageCodec from "../src/ImageCodec.ts"
import * as ImagePreprocessor from "../src/ImagePreprocessor.ts"
import { realDev } from "./real-dev.ts"

const preprocessor = Effect.runSync(ImagePreprocessor.make())

/** A real-dev image as RGB (alpha on white). */
const load = (name: string): Effect.Effect<Raster.Raster> =>
  Effect.promise(async () => {
    const { data, info } = await sharp(realDev(name))
      .flatten({ background: "#fff" })
      .toColourspace("srgb")
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true })
    return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) }
  })

/** The image turned clockwise by `degrees`, new corners in its own background colour (as a skewed capture). */
const turned = (image: Raster.Raster, degrees: number) =>
  ImageCodec.rotate(image, degrees, ImageCodec.borderColour(image))

const pages = ["tjs_testocr.png", "easyocr_english.png", "cnocr_multiline_en_white.png"]

describe("ImagePreprocessor on rotated copies of real-dev pages", () => {
  for (const name of pages) {
    for (const degrees of [90, 270]) {
      it.effect(`${name} turned ${degrees}: found sideways and turned upright (or upside down)`, () =>
        Effect.gen(function* () {
          const image = yield* load(name)
          const input = yield* turned(image, degrees)
          const out = yield* preprocessor.process(input)
          expect(out.rotation).toBe(90)
          expect(Math.abs(out.skew)).toBeLessThanOrEqual(1)
          // Upright again, or upside down for the pipeline's 180-degree step: the original's shape.
          expect([out.image.width, out.image.height]).toEqual([image.width, image.height])
        })
      )
    }
    for (const degrees of [5, -8, 12]) {
      it.effect(`${name} skewed ${degrees}: skew measured within a degree and removed`, () =>
        Effect.gen(function* () {
          const input = yield* turned(yield* load(name), degrees)
          const out = yield* preprocessor.process(input)
          expect(out.rotation).toBe(0)
          expect(out.skew).toBeGreaterThan(degrees - 1)
          expect(out.skew).toBeLessThan(degrees + 1)
          // Once deskewed, nothing is left to remove.
          const again = yield* preprocessor.process(out.image)
          expect(Math.abs(again.skew)).toBeLessThanOrEqual(0.5)
          expect(again.rotation).toBe(0)
        })
      )
    }
  }

  it.effect("a single text line skewed 5 degrees is deskewed", () =>
    Effect.gen(function* () {
      const out = yield* preprocessor.process(yield* turned(yield* load("pp_word_2.jpg"), 5))
      expect(out.rotation).toBe(0)
      expect(Math.abs(out.skew - 5)).toBeLessThan(1)
    })
  )
})

describe("ImagePreprocessor leaves upright images alone", () => {
  const upright = [
    "tjs_testocr.png",
    "easyocr_english.png",
    "cnocr_multiline_en_white.png",
    "cnocr_multiline_cn1.png",
    "tjs_bill.png",
    "tess_unlv_8071.tif",
    "pp_word_2.jpg",
    "cnocr_helloworld.jpg",
    "rapid_text_cls.jpg",
    "cnocr_shupai.png",
    "pp_00009282.jpg",
    "pp_11.jpg"
  ]
  for (const name of upright) {
    it.effect(`${name}: no rotation, no skew`, () =>
      Effect.gen(function* () {
        const image = yield* load(name)
        const out = yield* preprocessor.process(image)
        expect(out.rotation).toBe(0)
        expect(Math.abs(out.skew)).toBeLessThan(1)
        if (out.skew === 0) expect(out.image).toBe(image)
      })
    )
  }

  it.effect("a blank page and a tiny image are returned as they are", () =>
    Effect.gen(function* () {
      const blank = { width: 300, height: 200, channels: 3 as const, data: new Uint8Array(300 * 200 * 3).fill(250) }
      expect(yield* preprocessor.process(blank)).toEqual({ image: blank, rotation: 0, skew: 0 })
      const tiny = { width: 12, height: 9, channels: 1 as const, data: new Uint8Array(108).map((_, i) => (i % 7) * 30) }
      expect((yield* preprocessor.process(tiny)).rotation).toBe(0)
    })
  )
})

describe("ImagePreprocessor options", () => {
  it.effect("orientation and deskew can be switched off", () =>
    Effect.gen(function* () {
      const image = yield* load("tjs_testocr.png")
      const sideways = yield* turned(image, 90)
      const noOrientation = yield* ImagePreprocessor.make({ orientation: false })
      expect((yield* noOrientation.process(sideways)).rotation).toBe(0)
      const skewed = yield* turned(image, 8)
      const noDeskew = yield* ImagePreprocessor.make({ deskew: false })
      const out = yield* noDeskew.process(skewed)
      expect(out).toEqual({ image: skewed, rotation: 0, skew: 0 })
      const narrow = yield* ImagePreprocessor.make({ maxSkew: 5 })
      expect((yield* narrow.process(skewed)).skew).toBe(0)
    })
  )

  it.effect("the layer provides the Preprocessor service", () =>
    Effect.gen(function* () {
      const service = yield* Preprocessor.Preprocessor
      const out = yield* service.process(yield* load("pp_word_2.jpg"))
      expect(out.rotation).toBe(0)
    }).pipe(Effect.provide(ImagePreprocessor.layer))
  )

  it.effect("option errors in sharp's words", () =>
    Effect.gen(function* () {
      const message = (options: unknown) =>
        Effect.flip(ImagePreprocessor.make(options as ImagePreprocessor.Options)).pipe(Effect.map((e) => e.message))
      expect(yield* message({ maxSkew: 90 })).toBe("Expected a number between 1 and 45 for maxSkew but received 90")
      expect(yield* message({ deskew: "yes" })).toBe('Expected a boolean for deskew but received "yes"')
      expect(yield* message({ rotate: true })).toBe(
        'Expected one of orientation, deskew, maxSkew for options but received "rotate"'
      )
    })
  )

  it.effect("a raster whose data does not match its size is a PreprocessError", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        preprocessor.process({ width: 100, height: 100, channels: 3, data: new Uint8Array(10) })
      )
      expect(error._tag).toBe("PreprocessError")
      expect(error.message).toBe(
        "Expected a raster of at least 8x8 pixels with width x height x channels bytes but received 100x100x3 with 10 bytes"
      )
    })
  )
})
