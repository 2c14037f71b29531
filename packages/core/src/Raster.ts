/**
 * Raw pixel images passed between stages. A `Raster` is interleaved 8-bit
 * samples (1 channel grey or 3 channels RGB), row-major, with no codec or
 * native library behind it, so stages and their pure parts (crops, rotations,
 * perspective warps) run and are tested without sharp or a model.
 *
 * Use `crop`, `rotate` and `warpQuad` to cut text lines out of a page; decode
 * and encode with `@ocr2word/image`.
 *
 * @since 0.1.0
 */
import type { Box, Point, Quad } from "./Geometry.ts"

/** An image as raw interleaved 8-bit samples. */
export interface Raster {
  readonly width: number
  readonly height: number
  readonly channels: 1 | 3
  readonly data: Uint8Array
}

/** A raster of the given size filled with one value per channel. */
export const make = (width: number, height: number, channels: 1 | 3, fill = 255): Raster => ({
  width,
  height,
  channels,
  data: new Uint8Array(width * height * channels).fill(fill)
})

/** Grey value (ITU-R BT.601 luma) of each pixel. */
export const toGray = (image: Raster): Raster => {
  if (image.channels === 1) return image
  const out = new Uint8Array(image.width * image.height)
  const d = image.data
  for (let i = 0, j = 0; i < out.length; i++, j += 3) {
    out[i] = (d[j]! * 299 + d[j + 1]! * 587 + d[j + 2]! * 114 + 500) / 1000
  }
  return { width: image.width, height: image.height, channels: 1, data: out }
}

/** The part of the image inside `box` (clamped to the image, whole pixels). */
export const crop = (image: Raster, box: Box): Raster => {
  const x0 = Math.max(0, Math.floor(box.x))
  const y0 = Math.max(0, Math.floor(box.y))
  const x1 = Math.min(image.width, Math.ceil(box.x + box.width))
  const y1 = Math.min(image.height, Math.ceil(box.y + box.height))
  const width = Math.max(0, x1 - x0)
  const height = Math.max(0, y1 - y0)
  const c = image.channels
  const data = new Uint8Array(width * height * c)
  for (let y = 0; y < height; y++) {
    const src = ((y0 + y) * image.width + x0) * c
    data.set(image.data.subarray(src, src + width * c), y * width * c)
  }
  return { width, height, channels: c, data }
}

/** The image with a border of `size` pixels of the given value on every side. */
export const pad = (image: Raster, size: number, fill = 255): Raster => {
  const out = make(image.width + 2 * size, image.height + 2 * size, image.channels, fill)
  const c = image.channels
  for (let y = 0; y < image.height; y++) {
    out.data.set(
      image.data.subarray(y * image.width * c, (y + 1) * image.width * c),
      ((y + size) * out.width + size) * c
    )
  }
  return out
}

/** The image turned clockwise by a multiple of 90 degrees. */
export const rotate = (image: Raster, degrees: 0 | 90 | 180 | 270): Raster => {
  if (degrees === 0) return image
  const { width: w, height: h, channels: c, data } = image
  const ow = degrees === 180 ? w : h
  const oh = degrees === 180 ? h : w
  const out = new Uint8Array(data.length)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let ox: number
      let oy: number
      if (degrees === 90) {
        ox = h - 1 - y
        oy = x
      } else if (degrees === 180) {
        ox = w - 1 - x
        oy = h - 1 - y
      } else {
        ox = y
        oy = w - 1 - x
      }
      const s = (y * w + x) * c
      const o = (oy * ow + ox) * c
      for (let k = 0; k < c; k++) out[o + k] = data[s + k]!
    }
  }
  return { width: ow, height: oh, channels: c, data: out }
}

/** Coefficients of the projective map from the unit square's corners to `quad`. */
const squareToQuad = (q: Quad): ReadonlyArray<number> => {
  const [p0, p1, p2, p3] = q
  const dx1 = p1.x - p2.x
  const dx2 = p3.x - p2.x
  const dx3 = p0.x - p1.x + p2.x - p3.x
  const dy1 = p1.y - p2.y
  const dy2 = p3.y - p2.y
  const dy3 = p0.y - p1.y + p2.y - p3.y
  const det = dx1 * dy2 - dx2 * dy1
  const g = det === 0 ? 0 : (dx3 * dy2 - dx2 * dy3) / det
  const h = det === 0 ? 0 : (dx1 * dy3 - dx3 * dy1) / det
  return [
    p1.x - p0.x + g * p1.x,
    p3.x - p0.x + h * p3.x,
    p0.x,
    p1.y - p0.y + g * p1.y,
    p3.y - p0.y + h * p3.y,
    p0.y,
    g,
    h
  ]
}

/**
 * Sample the quadrilateral `quad` of `image` into an upright raster of
 * `width` x `height` (perspective warp, bilinear, border pixels replicated),
 * as PaddleOCR's `get_rotate_crop_image` does with `warpPerspective`.
 */
export const warpQuad = (image: Raster, quad: Quad, width: number, height: number): Raster => {
  const w = Math.max(1, Math.round(width))
  const h = Math.max(1, Math.round(height))
  const [a, b, cc, d, e, f, g, hh] = squareToQuad(quad) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number
  ]
  const c = image.channels
  const out = new Uint8Array(w * h * c)
  const src = image.data
  const iw = image.width
  const ih = image.height
  for (let y = 0; y < h; y++) {
    const v = (y + 0.5) / h
    for (let x = 0; x < w; x++) {
      const u = (x + 0.5) / w
      const den = g * u + hh * v + 1
      const sx = Math.min(iw - 1, Math.max(0, (a * u + b * v + cc) / den - 0.5))
      const sy = Math.min(ih - 1, Math.max(0, (d * u + e * v + f) / den - 0.5))
      const x0 = Math.floor(sx)
      const y0 = Math.floor(sy)
      const x1 = Math.min(iw - 1, x0 + 1)
      const y1 = Math.min(ih - 1, y0 + 1)
      const fx = sx - x0
      const fy = sy - y0
      const o = (y * w + x) * c
      for (let k = 0; k < c; k++) {
        const p00 = src[(y0 * iw + x0) * c + k]!
        const p10 = src[(y0 * iw + x1) * c + k]!
        const p01 = src[(y1 * iw + x0) * c + k]!
        const p11 = src[(y1 * iw + x1) * c + k]!
        out[o + k] = (p00 * (1 - fx) + p10 * fx) * (1 - fy) + (p01 * (1 - fx) + p11 * fx) * fy + 0.5
      }
    }
  }
  return { width: w, height: h, channels: c, data: out }
}

/** Bilinear resize to `width` x `height`. */
export const resize = (image: Raster, width: number, height: number): Raster =>
  warpQuad(
    image,
    [
      { x: 0, y: 0 },
      { x: image.width, y: 0 },
      { x: image.width, y: image.height },
      { x: 0, y: image.height }
    ] satisfies [Point, Point, Point, Point],
    width,
    height
  )
