import { describe, expect, it } from "@effect/vitest"
import { Raster } from "@ocr2word/core"
import { Effect } from "effect"
import sharp from "sharp"
import * as ImageCodec from "../src/ImageCodec.ts"
import * as SharpImageSource from "../src/SharpImageSource.ts"
import { realDev } from "./real-dev.ts"

const source = Effect.runSync(SharpImageSource.make())

const page = Effect.flatMap(source.readFile(realDev("tjs_testocr.png")), (d) => Effect.succeed(d.pages[0]!))

describe("ImageCodec", () => {
  it.effect("PNG round trip is lossless", () =>
    Effect.gen(function* () {
      const image = yield* page
      const png = yield* ImageCodec.encodePng(image)
      expect(Array.from(png.subarray(1, 4), (c) => String.fromCharCode(c)).join("")).toBe("PNG")
      const back = (yield* source.decode(png)).pages[0]!
      expect(back).toEqual(image)
      const grey = Raster.toGray(image)
      const greyBack = yield* ImageCodec.fromSharp(sharp(yield* ImageCodec.encodePng(grey)), 1)
      expect(greyBack).toEqual(grey)
    })
  )

  it.effect("JPEG encodes", () =>
    Effect.gen(function* () {
      const jpeg = yield* ImageCodec.encodeJpeg(yield* page, 80)
      expect((yield* source.decode(jpeg)).format).toBe("jpeg")
    })
  )

  it.effect("resize and fitWithin", () =>
    Effect.gen(function* () {
      const image = yield* page
      const small = yield* ImageCodec.resize(image, 320, 100)
      expect([small.width, small.height, small.channels]).toEqual([320, 100, 3])
      const fitted = yield* ImageCodec.fitWithin(image, 200)
      expect([fitted.width, fitted.height]).toEqual([200, 150])
      expect(yield* ImageCodec.fitWithin(image, 4000)).toBe(image)
    })
  )

  it.effect("quarter turns agree with core Raster.rotate; other angles grow the canvas", () =>
    Effect.gen(function* () {
      const image = yield* page
      expect(yield* ImageCodec.rotate(image, 90)).toEqual(Raster.rotate(image, 90))
      const tilted = yield* ImageCodec.rotate(image, 10)
      expect(tilted.width).toBeGreaterThan(image.width)
      expect(Array.from(tilted.data.subarray(0, 3))).toEqual([255, 255, 255])
    })
  )

  it("borderColour is the page's background", () => {
    const image = Raster.make(50, 40, 3, 0)
    for (let i = 0; i < image.data.length; i += 3) image.data[i + 2] = 200
    expect(ImageCodec.borderColour(image)).toEqual({ r: 0, g: 0, b: 200 })
  })

  it("a raster whose data does not match its size is rejected", () => {
    expect(() => ImageCodec.toSharp({ width: 10, height: 10, channels: 3, data: new Uint8Array(5) })).toThrow(
      "Expected 300 bytes for a 10x10x3 raster but received 5"
    )
  })
})
