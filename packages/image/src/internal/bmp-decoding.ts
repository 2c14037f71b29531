/**
 * A Windows/OS2 bitmap (BMP/DIB) decoder, because sharp (libvips) does not read
 * BMP. Handles BITMAPCOREHEADER, BITMAPINFOHEADER and its V2-V5 extensions;
 * 1/2/4/8-bit palettes, 16/24/32-bit pixels, BI_BITFIELDS and
 * BI_ALPHABITFIELDS masks, BI_RLE8 and BI_RLE4, bottom-up and top-down rows.
 * Alpha is flattened on white; the result is always RGB.
 */
import type { Raster } from "@ocr2word/core"

/** Why a BMP could not be decoded. */
export class BmpFault extends Error {
  readonly reason: "Corrupt" | "UnsupportedFormat" | "TooManyPixels"
  constructor(reason: "Corrupt" | "UnsupportedFormat" | "TooManyPixels", message: string) {
    super(message)
    this.reason = reason
  }
}

const BI_RGB = 0
const BI_RLE8 = 1
const BI_RLE4 = 2
const BI_BITFIELDS = 3
const BI_JPEG = 4
const BI_PNG = 5
const BI_ALPHABITFIELDS = 6

/** The header fields, read before any pixel is decoded (limits are checked on them). */
export interface BmpHeader {
  readonly width: number
  readonly height: number
  readonly topDown: boolean
  readonly bitsPerPixel: number
  readonly compression: number
  readonly dataOffset: number
  readonly headerSize: number
  readonly paletteOffset: number
  readonly paletteSize: number
  readonly paletteEntryBytes: 3 | 4
  readonly masks: readonly [number, number, number, number] | undefined
}

const corrupt = (what: string) =>
  new BmpFault("Corrupt", `The BMP is damaged: ${what}. Re-export it or convert it to PNG.`)

export const readHeader = (bytes: Uint8Array): BmpHeader => {
  if (bytes.length < 26) throw corrupt(`it is only ${bytes.length} bytes long, too short for its headers`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dataOffset = view.getUint32(10, true)
  const headerSize = view.getUint32(14, true)
  if (14 + headerSize > bytes.length) throw corrupt(`its ${headerSize}-byte info header runs past the end of the file`)
  let width: number
  let rawHeight: number
  let bitsPerPixel: number
  let compression = BI_RGB
  let colorsUsed = 0
  let paletteEntryBytes: 3 | 4 = 4
  if (headerSize === 12) {
    width = view.getUint16(18, true)
    rawHeight = view.getInt16(20, true)
    bitsPerPixel = view.getUint16(24, true)
    paletteEntryBytes = 3
  } else if (headerSize >= 40) {
    width = view.getInt32(18, true)
    rawHeight = view.getInt32(22, true)
    bitsPerPixel = view.getUint16(28, true)
    compression = view.getUint32(30, true)
    colorsUsed = view.getUint32(46, true)
  } else {
    throw new BmpFault(
      "UnsupportedFormat",
      `The BMP has an unknown ${headerSize}-byte info header: convert it to PNG or a standard BMP.`
    )
  }
  if (width <= 0 || rawHeight === 0) throw corrupt(`its size is ${width}x${Math.abs(rawHeight)} pixels`)
  // OS/2 2.x headers (16..64 bytes) reuse compression 3 for Huffman 1D and 4 for 24-bit RLE.
  if (headerSize === 64 && (compression === 3 || compression === 4)) {
    throw new BmpFault("UnsupportedFormat", "OS/2 Huffman or RLE24 BMPs are not supported: convert it to PNG.")
  }
  if (compression === BI_JPEG || compression === BI_PNG) {
    throw new BmpFault(
      "UnsupportedFormat",
      `This BMP wraps a ${compression === BI_JPEG ? "JPEG" : "PNG"} stream (printer bitmap): extract or convert it to PNG.`
    )
  }
  if (![1, 2, 4, 8, 16, 24, 32].includes(bitsPerPixel)) {
    throw new BmpFault("UnsupportedFormat", `The BMP has ${bitsPerPixel} bits per pixel: convert it to PNG.`)
  }
  const validCompression =
    compression === BI_RGB ||
    (compression === BI_RLE8 && bitsPerPixel === 8) ||
    (compression === BI_RLE4 && bitsPerPixel === 4) ||
    ((compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) &&
      (bitsPerPixel === 16 || bitsPerPixel === 32))
  if (!validCompression) {
    throw new BmpFault(
      "UnsupportedFormat",
      `The BMP uses compression ${compression} with ${bitsPerPixel} bits per pixel, which is not a valid combination: convert it to PNG.`
    )
  }
  let masks: readonly [number, number, number, number] | undefined
  let paletteOffset = 14 + headerSize
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    const count = compression === BI_ALPHABITFIELDS || headerSize >= 56 ? 4 : 3
    // With a plain BITMAPINFOHEADER the masks follow it; from V2 on they are inside it: same offset.
    const at = 54
    if (at + count * 4 > bytes.length) throw corrupt("its colour masks are missing")
    masks = [
      view.getUint32(at, true),
      view.getUint32(at + 4, true),
      view.getUint32(at + 8, true),
      count === 4 ? view.getUint32(at + 12, true) : 0
    ]
    if (headerSize === 40) paletteOffset += count * 4
  } else if (bitsPerPixel === 16) {
    masks = [0x7c00, 0x03e0, 0x001f, 0]
  } else if (bitsPerPixel === 32 || bitsPerPixel === 24) {
    masks = undefined
  }
  if (masks === undefined && bitsPerPixel === 32 && headerSize >= 108) {
    // V4/V5 headers carry an alpha mask even for BI_RGB; honour it only if set.
    const alpha = view.getUint32(66, true)
    if (alpha !== 0) masks = [0xff0000, 0xff00, 0xff, alpha]
  }
  const paletteSize =
    bitsPerPixel <= 8 ? (colorsUsed > 0 ? Math.min(colorsUsed, 1 << bitsPerPixel) : 1 << bitsPerPixel) : 0
  return {
    width,
    height: Math.abs(rawHeight),
    topDown: rawHeight < 0,
    bitsPerPixel,
    compression,
    dataOffset,
    headerSize,
    paletteOffset,
    paletteSize,
    paletteEntryBytes,
    masks
  }
}

/** Shift and scale that turn a bit mask's field into 0..255. */
const maskField = (mask: number): { shift: number; max: number } => {
  if (mask === 0) return { shift: 0, max: 0 }
  let shift = 0
  let m = mask >>> 0
  while ((m & 1) === 0) {
    m >>>= 1
    shift++
  }
  return { shift, max: m }
}

const WHITE = 255

/** Decode a BMP whose header was read with `readHeader` (and checked against the limits). */
export const decodePixels = (bytes: Uint8Array, h: BmpHeader): Raster.Raster => {
  const { width, height } = h
  const out = new Uint8Array(width * height * 3)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const palette = new Uint8Array(256 * 3)
  if (h.paletteSize > 0) {
    const end = h.paletteOffset + h.paletteSize * h.paletteEntryBytes
    if (end > bytes.length) throw corrupt("its colour palette is cut short")
    for (let i = 0; i < h.paletteSize; i++) {
      const o = h.paletteOffset + i * h.paletteEntryBytes
      palette[i * 3] = bytes[o + 2]!
      palette[i * 3 + 1] = bytes[o + 1]!
      palette[i * 3 + 2] = bytes[o]!
    }
  }
  if (h.dataOffset >= bytes.length) throw corrupt("its pixel data offset points past the end of the file")
  // Output row for the n-th stored row.
  const rowOf = (stored: number) => (h.topDown ? stored : height - 1 - stored)

  if (h.compression === BI_RLE8 || h.compression === BI_RLE4) {
    // Pixels an RLE stream skips keep palette index 0 by convention; use white so gaps read as paper.
    out.fill(WHITE)
    decodeRle(bytes, h, palette, out, rowOf)
    return { width, height, channels: 3, data: out }
  }

  const stride = Math.floor((h.bitsPerPixel * width + 31) / 32) * 4
  // Allow a missing final row padding, which some writers drop; anything less is truncated.
  const needed = stride * (height - 1) + Math.ceil((h.bitsPerPixel * width) / 8)
  if (h.dataOffset + needed > bytes.length) {
    throw corrupt(`its pixel data is cut short (${bytes.length - h.dataOffset} of ${needed} bytes)`)
  }
  const bpp = h.bitsPerPixel
  if (bpp <= 8) {
    const perByte = 8 / bpp
    const mask = (1 << bpp) - 1
    for (let s = 0; s < height; s++) {
      const src = h.dataOffset + s * stride
      let o = rowOf(s) * width * 3
      for (let x = 0; x < width; x++) {
        const byte = bytes[src + Math.floor(x / perByte)]!
        const shift = 8 - bpp * ((x % perByte) + 1)
        const index = ((byte >> shift) & mask) * 3
        out[o++] = palette[index]!
        out[o++] = palette[index + 1]!
        out[o++] = palette[index + 2]!
      }
    }
  } else if (bpp === 24 || (bpp === 32 && h.masks === undefined)) {
    const step = bpp / 8
    for (let s = 0; s < height; s++) {
      let src = h.dataOffset + s * stride
      let o = rowOf(s) * width * 3
      for (let x = 0; x < width; x++, src += step) {
        out[o++] = bytes[src + 2]!
        out[o++] = bytes[src + 1]!
        out[o++] = bytes[src]!
      }
    }
  } else {
    const [rm, gm, bm, am] = h.masks!
    const fields = [maskField(rm), maskField(gm), maskField(bm)] as const
    // Many writers set an alpha mask but leave every alpha sample 0: treat that as opaque, as browsers do.
    const alpha = am !== 0 && hasAlpha(bytes, h, stride, am) ? maskField(am) : maskField(0)
    for (let s = 0; s < height; s++) {
      const src = h.dataOffset + s * stride
      let o = rowOf(s) * width * 3
      for (let x = 0; x < width; x++) {
        const px = bpp === 16 ? view.getUint16(src + x * 2, true) : view.getUint32(src + x * 4, true)
        const a = alpha.max === 0 ? 1 : ((px >>> alpha.shift) & alpha.max) / alpha.max
        for (const f of fields) {
          const v = f.max === 0 ? 0 : (((px >>> f.shift) & f.max) * 255) / f.max
          out[o++] = Math.round(v * a + WHITE * (1 - a))
        }
      }
    }
  }
  return { width, height, channels: 3, data: out }
}

const hasAlpha = (bytes: Uint8Array, h: BmpHeader, stride: number, mask: number): boolean => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let s = 0; s < h.height; s++) {
    const src = h.dataOffset + s * stride
    for (let x = 0; x < h.width; x++) {
      const px = h.bitsPerPixel === 16 ? view.getUint16(src + x * 2, true) : view.getUint32(src + x * 4, true)
      if ((px & mask) !== 0) return true
    }
  }
  return false
}

const decodeRle = (
  bytes: Uint8Array,
  h: BmpHeader,
  palette: Uint8Array,
  out: Uint8Array,
  rowOf: (stored: number) => number
): void => {
  const { width, height } = h
  const four = h.compression === BI_RLE4
  let p = h.dataOffset
  let x = 0
  let y = 0
  const put = (index: number) => {
    if (x < width && y < height) {
      const o = (rowOf(y) * width + x) * 3
      out[o] = palette[index * 3]!
      out[o + 1] = palette[index * 3 + 1]!
      out[o + 2] = palette[index * 3 + 2]!
    }
    x++
  }
  const need = (n: number) => {
    if (p + n > bytes.length) throw corrupt("its run-length data is cut short")
  }
  while (y < height) {
    need(2)
    const count = bytes[p]!
    const value = bytes[p + 1]!
    p += 2
    if (count > 0) {
      for (let i = 0; i < count; i++) put(four ? (i % 2 === 0 ? value >> 4 : value & 0x0f) : value)
    } else if (value === 0) {
      x = 0
      y++
    } else if (value === 1) {
      return
    } else if (value === 2) {
      need(2)
      x += bytes[p]!
      y += bytes[p + 1]!
      p += 2
    } else {
      const n = value
      const length = four ? Math.ceil(n / 2) : n
      need(length)
      for (let i = 0; i < n; i++) {
        put(four ? (i % 2 === 0 ? bytes[p + (i >> 1)]! >> 4 : bytes[p + (i >> 1)]! & 0x0f) : bytes[p + i]!)
      }
      p += length + (length % 2)
    }
  }
}
