/**
 * Property-based fuzzing (fast-check) of the BMP decoder: random rasters in
 * every variant the writer makes decode back to the writer's pixels, and any
 * damage (flipped bits, cuts, random headers up to 65535x65535) either
 * decodes into a raster of the declared size or fails with ImageSourceError,
 * never a defect, never over the pixel limit.
 */
import { describe, expect, it } from "@effect/vitest"
import type { Raster } from "@ocr2word/core"
import { Cause, Effect, Exit } from "effect"
import fc from "fast-check"
import * as BmpDecoder from "../src/BmpDecoder.ts"
import { type BmpVariant, encodeBmp } from "./bmp-writer.ts"

const variants: ReadonlyArray<BmpVariant> = [
  { bitsPerPixel: 1 },
  { bitsPerPixel: 4 },
  { bitsPerPixel: 8 },
  { bitsPerPixel: 8, rle8: true },
  { bitsPerPixel: 16 },
  { bitsPerPixel: 16, bitfields: true, topDown: true },
  { bitsPerPixel: 24 },
  { bitsPerPixel: 24, topDown: true, header: 12 },
  { bitsPerPixel: 32 },
  { bitsPerPixel: 32, bitfields: true, header: 108 }
]

const raster = fc
  .record({ width: fc.integer({ min: 1, max: 24 }), height: fc.integer({ min: 1, max: 24 }), seed: fc.nat() })
  .map(({ width, height, seed }): Raster.Raster => {
    const data = new Uint8Array(width * height * 3)
    let s = seed
    for (let i = 0; i < data.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0
      data[i] = s >>> 24
    }
    return { width, height, channels: 3, data }
  })

const maxPixels = 4_000_000

/** A decoded raster of consistent size, or an ImageSourceError; anything else fails the property. */
const checkOutcome = (exit: Exit.Exit<Raster.Raster, { readonly _tag: string }>) => {
  if (Exit.isFailure(exit)) {
    const error = Cause.findErrorOption(exit.cause)
    expect(error._tag === "Some" ? error.value._tag : Cause.pretty(exit.cause)).toBe("ImageSourceError")
    return
  }
  const r = exit.value
  expect(r.width * r.height).toBeLessThanOrEqual(maxPixels)
  expect(r.data.length).toBe(r.width * r.height * r.channels)
}

describe("BmpDecoder fuzzing", () => {
  it("random rasters in every variant decode back to the writer's pixels", () => {
    fc.assert(
      fc.property(raster, fc.constantFrom(...variants), (image, variant) => {
        const { bytes, expected } = encodeBmp(image, variant)
        const decoded = Effect.runSync(BmpDecoder.decode(bytes))
        expect([decoded.width, decoded.height]).toEqual([image.width, image.height])
        let worst = 0
        for (let i = 0; i < decoded.data.length; i++)
          worst = Math.max(worst, Math.abs(decoded.data[i]! - expected.data[i]!))
        expect(worst).toBeLessThanOrEqual(1)
      }),
      { numRuns: 300 }
    )
  })

  it("flipped bits and cuts give a consistent raster or ImageSourceError", () => {
    fc.assert(
      fc.property(
        raster,
        fc.constantFrom(...variants),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 16 }),
        fc.option(fc.nat()),
        (image, variant, flips, cut) => {
          const bytes = new Uint8Array(encodeBmp(image, variant).bytes)
          // Flips after "BM", so the decoder reads the headers rather than refusing the signature.
          for (const [at, bit] of flips) bytes[2 + (at % (bytes.length - 2))]! ^= 1 << bit
          const input = cut === null ? bytes : bytes.subarray(0, cut % bytes.length)
          checkOutcome(Effect.runSyncExit(BmpDecoder.decode(input, { maxPixels })))
        }
      ),
      { numRuns: 500 }
    )
  })

  it("random headers up to 65535x65535 are refused over the pixel limit before any allocation", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -65535, max: 65535 }),
        fc.integer({ min: -65535, max: 65535 }),
        fc.constantFrom(1, 4, 8, 16, 24, 32, 0, 7, 64),
        fc.integer({ min: 0, max: 6 }),
        fc.uint8Array({ maxLength: 64 }),
        (width, height, bpp, compression, tail) => {
          const b = Buffer.from(
            encodeBmp({ width: 1, height: 1, channels: 3, data: new Uint8Array(3) }, { bitsPerPixel: 24 }).bytes
          )
          b.writeInt32LE(width, 18)
          b.writeInt32LE(height, 22)
          b.writeUInt16LE(bpp, 28)
          b.writeUInt32LE(compression, 30)
          checkOutcome(Effect.runSyncExit(BmpDecoder.decode(new Uint8Array([...b, ...tail]), { maxPixels })))
        }
      ),
      { numRuns: 500 }
    )
  })
})
