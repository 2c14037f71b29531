/**
 * Decodes Windows bitmaps (BMP), which sharp cannot read. `SharpImageSource`
 * uses it for every input whose bytes start with `BM`; use it directly when you
 * already know you hold a BMP. Covers BITMAPCOREHEADER, BITMAPINFOHEADER and
 * V2-V5; 1/2/4/8-bit palettes, 16/24/32-bit pixels, BI_BITFIELDS, BI_RLE8,
 * BI_RLE4, bottom-up and top-down rows. Alpha is flattened on white and the
 * result is an RGB raster.
 *
 * @since 0.1.0
 */
import type { Raster } from "@ocr2word/core"
import { StageError } from "@ocr2word/core"
import { Effect } from "effect"
import { BmpFault, decodePixels, readHeader } from "./internal/bmp-decoding.ts"
import { pixelLimitMessage } from "./internal/limit-messages.ts"

/** The size a BMP declares, read from its headers without decoding pixels. */
export interface BmpSize {
  readonly width: number
  readonly height: number
  readonly bitsPerPixel: number
}

const toError = (fault: unknown): StageError.ImageSourceError =>
  fault instanceof BmpFault
    ? new StageError.ImageSourceError({ reason: fault.reason, message: fault.message })
    : new StageError.ImageSourceError({
        reason: "Corrupt",
        message: "The BMP could not be decoded: re-export it or convert it to PNG.",
        cause: fault
      })

/** Width, height and bit depth from the headers. */
export const size = (bytes: Uint8Array): Effect.Effect<BmpSize, StageError.ImageSourceError> =>
  Effect.try({
    try: () => {
      const h = readHeader(bytes)
      return { width: h.width, height: h.height, bitsPerPixel: h.bitsPerPixel }
    },
    catch: toError
  })

/**
 * Decode BMP bytes into an RGB raster. Fails with `TooManyPixels` before any
 * allocation when the declared size is over `maxPixels`.
 */
export const decode = (
  bytes: Uint8Array,
  options: { readonly maxPixels?: number } = {}
): Effect.Effect<Raster.Raster, StageError.ImageSourceError> =>
  Effect.try({
    try: () => {
      if (bytes.length < 2 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) {
        throw new BmpFault("UnsupportedFormat", 'The input is not a BMP: it does not start with "BM".')
      }
      const header = readHeader(bytes)
      const max = options.maxPixels ?? Number.POSITIVE_INFINITY
      if (header.width * header.height > max) {
        throw new BmpFault("TooManyPixels", pixelLimitMessage(header.width, header.height, max))
      }
      return decodePixels(bytes, header)
    },
    catch: toError
  })
