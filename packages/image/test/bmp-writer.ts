/**
 * A small BMP writer for the tests: encodes an RGB raster in the BMP variants
 * the decoder must read, and returns the pixels a correct decoder gives back
 * (after the variant's own quantisation).
 */
import type { Raster } from "@ocr2word/core"

export interface BmpVariant {
  readonly bitsPerPixel: 1 | 4 | 8 | 16 | 24 | 32
  readonly topDown?: boolean
  /** 12 (OS/2 core), 40 (INFO), 108 (V4) or 124 (V5). */
  readonly header?: 12 | 40 | 108 | 124
  /** BI_BITFIELDS masks (16 and 32 bits): 565 for 16-bit, with an alpha mask for 32-bit. */
  readonly bitfields?: boolean
  /** Alpha values (32-bit with bitfields): a function of x, y. */
  readonly alpha?: (x: number, y: number) => number
  readonly rle8?: boolean
}

const grey = (d: Uint8Array, o: number) => Math.round(d[o]! * 0.299 + d[o + 1]! * 0.587 + d[o + 2]! * 0.114)

export const encodeBmp = (image: Raster.Raster, v: BmpVariant): { bytes: Uint8Array; expected: Raster.Raster } => {
  const { width, height, data } = image
  const bpp = v.bitsPerPixel
  const headerSize = v.header ?? 40
  const compression = v.rle8 ? 1 : v.bitfields ? 3 : 0
  const levels = bpp <= 8 ? 1 << bpp : 0
  const paletteEntry = headerSize === 12 ? 3 : 4
  const masksAfterHeader = v.bitfields && headerSize === 40 ? 12 : 0
  const paletteBytes = levels * paletteEntry
  const stride = Math.floor((bpp * width + 31) / 32) * 4
  const expected = new Uint8Array(width * height * 3)
  // Pixel rows in file order, plus the expected pixels.
  const rows: Array<Uint8Array> = []
  for (let s = 0; s < height; s++) {
    const y = v.topDown ? s : height - 1 - s
    const row = new Uint8Array(stride)
    const view = new DataView(row.buffer)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3
      const e = o
      if (bpp <= 8) {
        const index = Math.round((grey(data, o) * (levels - 1)) / 255)
        const value = Math.round((index * 255) / (levels - 1))
        expected[e] = expected[e + 1] = expected[e + 2] = value
        const shift = 8 - bpp * ((x % (8 / bpp)) + 1)
        row[Math.floor((x * bpp) / 8)]! |= index << shift
      } else if (bpp === 16) {
        const [r, g, b] = [data[o]!, data[o + 1]!, data[o + 2]!]
        if (v.bitfields) {
          const px = ((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3)
          view.setUint16(x * 2, px, true)
          expected[e] = Math.round(((r >> 3) * 255) / 31)
          expected[e + 1] = Math.round(((g >> 2) * 255) / 63)
          expected[e + 2] = Math.round(((b >> 3) * 255) / 31)
        } else {
          const px = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3)
          view.setUint16(x * 2, px, true)
          expected[e] = Math.round(((r >> 3) * 255) / 31)
          expected[e + 1] = Math.round(((g >> 3) * 255) / 31)
          expected[e + 2] = Math.round(((b >> 3) * 255) / 31)
        }
      } else {
        const step = bpp / 8
        const a = v.alpha ? v.alpha(x, y) : 255
        row[x * step] = data[o + 2]!
        row[x * step + 1] = data[o + 1]!
        row[x * step + 2] = data[o]!
        if (step === 4) row[x * step + 3] = v.alpha ? a : 0
        for (let k = 0; k < 3; k++) {
          const f = v.alpha && v.bitfields ? a / 255 : 1
          expected[e + k] = Math.round(data[o + k]! * f + 255 * (1 - f))
        }
      }
    }
    rows.push(row)
  }
  let pixels: Uint8Array
  if (v.rle8) {
    const out: Array<number> = []
    for (const row of rows) {
      let x = 0
      while (x < width) {
        let run = 1
        while (x + run < width && run < 255 && row[x + run] === row[x]) run++
        out.push(run, row[x]!)
        x += run
      }
      out.push(0, 0)
    }
    out.push(0, 1)
    pixels = Uint8Array.from(out)
  } else {
    pixels = new Uint8Array(stride * height)
    rows.forEach((row, s) => {
      pixels.set(row, s * stride)
    })
  }
  const dataOffset = 14 + headerSize + masksAfterHeader + paletteBytes
  const bytes = new Uint8Array(dataOffset + pixels.length)
  const view = new DataView(bytes.buffer)
  bytes[0] = 0x42
  bytes[1] = 0x4d
  view.setUint32(2, bytes.length, true)
  view.setUint32(10, dataOffset, true)
  view.setUint32(14, headerSize, true)
  if (headerSize === 12) {
    view.setUint16(18, width, true)
    view.setInt16(20, v.topDown ? -height : height, true)
    view.setUint16(22, 1, true)
    view.setUint16(24, bpp, true)
  } else {
    view.setInt32(18, width, true)
    view.setInt32(22, v.topDown ? -height : height, true)
    view.setUint16(26, 1, true)
    view.setUint16(28, bpp, true)
    view.setUint32(30, compression, true)
    view.setUint32(34, pixels.length, true)
    view.setUint32(46, levels, true)
    if (v.bitfields) {
      const masks =
        bpp === 16 ? [0xf800, 0x07e0, 0x001f, 0] : [0x00ff0000, 0x0000ff00, 0x000000ff, v.alpha ? 0xff000000 : 0]
      masks.forEach((m, i) => {
        if (i < 3 || headerSize >= 108) view.setUint32(54 + i * 4, m >>> 0, true)
      })
    }
    if (headerSize >= 108) view.setUint32(70, 0x73524742, true) // 'sRGB' colour space
  }
  const paletteAt = 14 + headerSize + masksAfterHeader
  for (let i = 0; i < levels; i++) {
    const value = Math.round((i * 255) / (levels - 1))
    bytes[paletteAt + i * paletteEntry] = value
    bytes[paletteAt + i * paletteEntry + 1] = value
    bytes[paletteAt + i * paletteEntry + 2] = value
  }
  bytes.set(pixels, dataOffset)
  return { bytes, expected: { width, height, channels: 3, data: expected } }
}
