import { describe, expect, it } from "@effect/vitest"
import type { Raster } from "@ocr2word/core"
import { Effect } from "effect"
import sharp from "sharp"
import * as BmpDecoder from "../src/BmpDecoder.ts"
import { type BmpVariant, encodeBmp } from "./bmp-writer.ts"
import { realDev } from "./real-dev.ts"

/** A crop of a real screenshot with an odd width, so every row needs padding. */
const sample = async (): Promise<Raster.Raster> => {
  const { data, info } = await sharp(realDev("easyocr_english.png"))
    .flatten({ background: "#fff" })
    .extract({ left: 100, top: 20, width: 203, height: 61 })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) }
}

const variants: ReadonlyArray<[string, BmpVariant]> = [
  ["1-bit palette, bottom-up", { bitsPerPixel: 1 }],
  ["4-bit palette, top-down", { bitsPerPixel: 4, topDown: true }],
  ["8-bit palette, bottom-up", { bitsPerPixel: 8 }],
  ["8-bit palette, OS/2 core header", { bitsPerPixel: 8, header: 12 }],
  ["8-bit RLE8", { bitsPerPixel: 8, rle8: true }],
  ["16-bit 555", { bitsPerPixel: 16 }],
  ["16-bit 565 bitfields, top-down", { bitsPerPixel: 16, bitfields: true, topDown: true }],
  ["24-bit, bottom-up", { bitsPerPixel: 24 }],
  ["24-bit, top-down", { bitsPerPixel: 24, topDown: true }],
  ["32-bit BI_RGB (4th byte unused)", { bitsPerPixel: 32 }],
  [
    "32-bit V5 bitfields with alpha, flattened on white",
    { bitsPerPixel: 32, bitfields: true, header: 124, alpha: (x) => (x < 100 ? 255 : x < 150 ? 128 : 0) }
  ],
  ["32-bit V4 bitfields, alpha mask but all alpha 0 (opaque)", { bitsPerPixel: 32, bitfields: true, header: 108 }]
]

describe("BmpDecoder", () => {
  for (const [name, variant] of variants) {
    it.effect(name, () =>
      Effect.gen(function* () {
        const image = yield* Effect.promise(sample)
        const { bytes, expected } = encodeBmp(image, variant)
        const decoded = yield* BmpDecoder.decode(bytes)
        expect([decoded.width, decoded.height, decoded.channels]).toEqual([203, 61, 3])
        let worst = 0
        for (let i = 0; i < decoded.data.length; i++) {
          worst = Math.max(worst, Math.abs(decoded.data[i]! - expected.data[i]!))
        }
        expect(worst).toBeLessThanOrEqual(1)
        expect(yield* BmpDecoder.size(bytes)).toEqual({ width: 203, height: 61, bitsPerPixel: variant.bitsPerPixel })
      })
    )
  }

  it.effect("cut-short pixel data is Corrupt", () =>
    Effect.gen(function* () {
      const { bytes } = encodeBmp(yield* Effect.promise(sample), { bitsPerPixel: 24 })
      const error = yield* Effect.flip(BmpDecoder.decode(bytes.subarray(0, 4000)))
      expect(error.reason).toBe("Corrupt")
      expect(error.message).toBe(
        "The BMP is damaged: its pixel data is cut short (3946 of 37329 bytes). Re-export it or convert it to PNG."
      )
    })
  )

  it.effect("a BMP wrapping a PNG stream is UnsupportedFormat with a way out", () =>
    Effect.gen(function* () {
      const { bytes } = encodeBmp(yield* Effect.promise(sample), { bitsPerPixel: 24 })
      new DataView(bytes.buffer).setUint32(30, 5, true)
      const error = yield* Effect.flip(BmpDecoder.decode(bytes))
      expect(error.reason).toBe("UnsupportedFormat")
      expect(error.message).toBe("This BMP wraps a PNG stream (printer bitmap): extract or convert it to PNG.")
    })
  )

  it.effect("the pixel limit is checked on the header", () =>
    Effect.gen(function* () {
      const { bytes } = encodeBmp(yield* Effect.promise(sample), { bitsPerPixel: 24 })
      const view = new DataView(bytes.buffer)
      view.setInt32(18, 30000, true)
      view.setInt32(22, 20000, true)
      const error = yield* Effect.flip(BmpDecoder.decode(bytes, { maxPixels: 100_000_000 }))
      expect(error.message).toBe(
        "The image is 30000x20000 pixels (600 MP), over the limit of 100 MP: scale it down or raise maxPixels"
      )
    })
  )
})
