/**
 * Rasters to and from sharp: encode a raster as PNG or JPEG (debug images,
 * HTTP previews, test fixtures), wrap it in a sharp pipeline, read a sharp
 * pipeline back into a raster, and the operations that are much faster in
 * libvips than in plain TypeScript: resizing big pages and rotating by any
 * angle. Rasters are produced by this package and by `@ocr2word/core`, so a
 * failure here is a bug, not an input error: it surfaces as a defect.
 *
 * @since 0.1.0
 */
import type { Raster } from "@ocr2word/core"
import { Effect } from "effect"
import sharp, { type Sharp } from "sharp"

const WHITE = { r: 255, g: 255, b: 255 }

/** A sharp pipeline reading the raster's raw pixels. */
export const toSharp = (raster: Raster.Raster): Sharp => {
  const expectedLength = raster.width * raster.height * raster.channels
  if (raster.data.length !== expectedLength) {
    throw new RangeError(
      `Expected ${expectedLength} bytes for a ${raster.width}x${raster.height}x${raster.channels} raster but received ${raster.data.length}`
    )
  }
  return sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: raster.channels } })
}

/**
 * Run a sharp pipeline and read its pixels back as a raster with `channels`
 * channels (default 3: RGB, alpha flattened on white).
 */
export const fromSharp = (image: Sharp, channels: 1 | 3 = 3): Effect.Effect<Raster.Raster> =>
  Effect.promise(async () => {
    const flat = image.flatten({ background: WHITE })
    const converted = channels === 1 ? flat.toColourspace("b-w") : flat.toColourspace("srgb")
    const { data, info } = await converted.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true })
    if (info.channels !== channels) {
      throw new Error(`sharp produced ${info.channels} channels where ${channels} were asked for`)
    }
    return {
      width: info.width,
      height: info.height,
      channels,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length)
    }
  })

/** PNG bytes of the raster. */
export const encodePng = (raster: Raster.Raster): Effect.Effect<Uint8Array> =>
  Effect.map(
    Effect.promise(() => toSharp(raster).png({ compressionLevel: 6 }).toBuffer()),
    asBytes
  )

/** JPEG bytes of the raster (`quality` 1-100, default 90). */
export const encodeJpeg = (raster: Raster.Raster, quality = 90): Effect.Effect<Uint8Array> =>
  Effect.map(
    Effect.promise(() => toSharp(raster).jpeg({ quality }).toBuffer()),
    asBytes
  )

const asBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length)

/**
 * Resize to `width` x `height` (exactly; aspect ratio is the caller's
 * business). Shrinking averages pixels, so thin strokes survive; enlarging
 * is bicubic.
 */
export const resize = (raster: Raster.Raster, width: number, height: number): Effect.Effect<Raster.Raster> => {
  const w = Math.max(1, Math.round(width))
  const h = Math.max(1, Math.round(height))
  if (w === raster.width && h === raster.height) return Effect.succeed(raster)
  const shrinking = w < raster.width && h < raster.height
  return fromSharp(
    toSharp(raster).resize(w, h, { fit: "fill", kernel: shrinking ? "lanczos3" : "cubic" }),
    raster.channels
  )
}

/**
 * The largest copy of the raster whose longer side is at most `maxSide`
 * (the raster itself when it already fits).
 */
export const fitWithin = (raster: Raster.Raster, maxSide: number): Effect.Effect<Raster.Raster> => {
  const scale = maxSide / Math.max(raster.width, raster.height)
  if (scale >= 1) return Effect.succeed(raster)
  return resize(raster, raster.width * scale, raster.height * scale)
}

/** An RGB colour, 0-255 per channel. */
export interface Colour {
  readonly r: number
  readonly g: number
  readonly b: number
}

/**
 * Rotate clockwise by any angle in degrees around the centre; the canvas grows
 * to hold the whole turned image and the corners are filled with `background`
 * (white by default).
 */
export const rotate = (
  raster: Raster.Raster,
  degrees: number,
  background: Colour = WHITE
): Effect.Effect<Raster.Raster> => {
  if (degrees % 360 === 0) return Effect.succeed(raster)
  return fromSharp(toSharp(raster).rotate(degrees, { background }), raster.channels)
}

/** The median colour of the outermost pixels: the paper or background colour of most pages. */
export const borderColour = (raster: Raster.Raster): Colour => {
  const { width, height, channels, data } = raster
  const samples: Array<Array<number>> = [[], [], []]
  const take = (x: number, y: number) => {
    const o = (y * width + x) * channels
    for (let k = 0; k < 3; k++) samples[k]!.push(data[o + (channels === 3 ? k : 0)]!)
  }
  const stepX = Math.max(1, Math.floor(width / 200))
  const stepY = Math.max(1, Math.floor(height / 200))
  for (let x = 0; x < width; x += stepX) {
    take(x, 0)
    take(x, height - 1)
  }
  for (let y = 0; y < height; y += stepY) {
    take(0, y)
    take(width - 1, y)
  }
  const median = (values: Array<number>) => {
    if (values.length === 0) return 255
    values.sort((a, b) => a - b)
    return values[values.length >> 1]!
  }
  return { r: median(samples[0]!), g: median(samples[1]!), b: median(samples[2]!) }
}
