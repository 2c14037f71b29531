/**
 * Seeded degradations that make a clean rendered page look scanned or
 * photographed: a small rotation, a perspective tilt, blur, sensor noise,
 * uneven lighting, low resolution and JPEG compression. Each returns the new
 * pixels and the map of points from the old image to the new one, so the
 * ground-truth boxes follow the page (as the axis-aligned box of the moved
 * corners).
 *
 * @since 0.1.0
 */
import { Raster } from "@ocr2word/core"
import sharp from "sharp"
import type { Rng } from "./synth-corpus.ts"
import type { Box } from "./synth-page.ts"

export type Point = { readonly x: number; readonly y: number }
export type PointMap = (p: Point) => Point

/** What was done to an image, recorded in its manifest item. */
export type Augmentation = Record<string, number | string>

export const solve3 = (m: ReadonlyArray<number>): Array<number> => {
  // Inverse of a 3x3 matrix given row-major.
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number]
  const A = e * i - f * h
  const B = -(d * i - f * g)
  const C = d * h - e * g
  const det = a * A + b * B + c * C
  return [
    A,
    -(b * i - c * h),
    b * f - c * e,
    B,
    a * i - c * g,
    -(a * f - c * d),
    C,
    -(a * h - b * g),
    a * e - b * d
  ].map((v) => v / det)
}

/**
 * The homography taking the unit square's corners (0,0),(1,0),(1,1),(0,1) to
 * `q`, row-major 3x3 (the same map `Raster.warpQuad` samples with).
 */
export const squareToQuad = (q: ReadonlyArray<Point>): Array<number> => {
  const [p0, p1, p2, p3] = q as [Point, Point, Point, Point]
  const dx1 = p1.x - p2.x
  const dx2 = p3.x - p2.x
  const dx3 = p0.x - p1.x + p2.x - p3.x
  const dy1 = p1.y - p2.y
  const dy2 = p3.y - p2.y
  const dy3 = p0.y - p1.y + p2.y - p3.y
  const det = dx1 * dy2 - dx2 * dy1
  const g = (dx3 * dy2 - dx2 * dy3) / det
  const h = (dx1 * dy3 - dx3 * dy1) / det
  return [
    p1.x - p0.x + g * p1.x,
    p3.x - p0.x + h * p3.x,
    p0.x,
    p1.y - p0.y + g * p1.y,
    p3.y - p0.y + h * p3.y,
    p0.y,
    g,
    h,
    1
  ]
}

export const applyHomography = (m: ReadonlyArray<number>, p: Point): Point => {
  const w = m[6]! * p.x + m[7]! * p.y + m[8]!
  return { x: (m[0]! * p.x + m[1]! * p.y + m[2]!) / w, y: (m[3]! * p.x + m[4]! * p.y + m[5]!) / w }
}

/** The axis-aligned box of a box's corners after a point map. */
export const mapBox = (box: Box, map: PointMap): Box => {
  const pts = [
    map({ x: box.x, y: box.y }),
    map({ x: box.x + box.width, y: box.y }),
    map({ x: box.x + box.width, y: box.y + box.height }),
    map({ x: box.x, y: box.y + box.height })
  ]
  const xs = pts.map((p) => p.x)
  const ys = pts.map((p) => p.y)
  const r = (v: number) => Math.round(v * 10) / 10
  const x = Math.min(...xs)
  const y = Math.min(...ys)
  return { x: r(x), y: r(y), width: r(Math.max(...xs) - x), height: r(Math.max(...ys) - y) }
}

/** An RGB raster from encoded bytes. */
export const decode = async (bytes: Uint8Array): Promise<Raster.Raster> => {
  const { data, info } = await sharp(bytes)
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true })
  return {
    width: info.width,
    height: info.height,
    channels: 3,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length)
  }
}

export const toSharp = (r: Raster.Raster) =>
  sharp(r.data, { raw: { width: r.width, height: r.height, channels: r.channels } })

/** Sensor noise: the same normal sample (standard deviation `sd`) added to the three channels of a pixel. */
export const addNoise = (image: Raster.Raster, rng: Rng, sd: number): Raster.Raster => {
  const out = new Uint8Array(image.data.length)
  for (let i = 0; i < out.length; i += 3) {
    const n = rng.normal() * sd
    for (let k = 0; k < 3; k++) out[i + k] = Math.max(0, Math.min(255, image.data[i + k]! + n))
  }
  return { ...image, data: out }
}

/** The result of augmenting a page. */
export interface Augmented {
  readonly bytes: Uint8Array
  readonly format: "png" | "jpeg"
  readonly width: number
  readonly height: number
  /** Maps a point of the clean page to the augmented image. */
  readonly map: PointMap
  readonly applied: Augmentation
}

/**
 * Degrade a clean page. Each step is chosen with its own probability, so pages
 * range from lightly to heavily damaged; `strength` (0..1) scales them.
 */
export const augment = async (png: Uint8Array, rng: Rng, strength = 1): Promise<Augmented> => {
  let image = await decode(png)
  const maps: Array<PointMap> = []
  const applied: Augmentation = {}
  const s = Math.max(0, Math.min(1, strength))

  if (rng.chance(0.6)) {
    // Perspective: each corner moves inwards by up to 4% of the page, as a phone held at a slight angle.
    const { width: w, height: h } = image
    let most = 0
    const j = () => {
      const v = rng.range(0, 0.04 * s)
      most = Math.max(most, v)
      return v
    }
    const quad = [
      { x: -w * j(), y: -h * j() },
      { x: w * (1 + j()), y: -h * j() },
      { x: w * (1 + j()), y: h * (1 + j()) },
      { x: -w * j(), y: h * (1 + j()) }
    ]
    // warpQuad samples the source quad into the output rectangle; points move by the inverse map.
    image = Raster.warpQuad(
      { ...image, data: image.data },
      quad as unknown as Parameters<typeof Raster.warpQuad>[1],
      w,
      h
    )
    const toSquare = solve3(squareToQuad(quad))
    maps.push((p) => {
      const u = applyHomography(toSquare, p)
      return { x: u.x * w, y: u.y * h }
    })
    // The largest corner shift, in percent of the page side.
    applied.perspective = Number((most * 100).toFixed(2))
  }

  if (rng.chance(0.7)) {
    const angle = Number((rng.range(-3, 3) * s).toFixed(2))
    const { width: w, height: h } = image
    const { data, info } = await toSharp(image)
      .rotate(angle, { background: { r: 255, g: 255, b: 255 } })
      .raw()
      .toBuffer({ resolveWithObject: true })
    const rad = (angle * Math.PI) / 180
    const cos = Math.cos(rad)
    const sin = Math.sin(rad)
    const ox = info.width / 2
    const oy = info.height / 2
    maps.push((p) => {
      const x = p.x - w / 2
      const y = p.y - h / 2
      return { x: x * cos - y * sin + ox, y: x * sin + y * cos + oy }
    })
    image = {
      width: info.width,
      height: info.height,
      channels: 3,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length)
    }
    applied.rotation = angle
  }

  if (rng.chance(0.5)) {
    // Uneven lighting: a linear gradient across the page times a soft vignette.
    const { width: w, height: h, data } = image
    const dark = rng.range(0.15, 0.4) * s
    const angle = rng.range(0, 2 * Math.PI)
    const dx = Math.cos(angle)
    const dy = Math.sin(angle)
    const out = new Uint8Array(data.length)
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const t = ((x / w - 0.5) * dx + (y / h - 0.5) * dy + 0.71) / 1.42
        const f = 1 - dark * t
        const o = (y * w + x) * 3
        out[o] = data[o]! * f
        out[o + 1] = data[o + 1]! * f
        out[o + 2] = data[o + 2]! * f * 0.97
      }
    }
    image = { ...image, data: out }
    applied.lighting = Number(dark.toFixed(2))
  }

  if (rng.chance(0.5)) {
    const scale = Number(rng.range(0.5, 0.8).toFixed(2))
    const w = Math.round(image.width * scale)
    const h = Math.round(image.height * scale)
    const sx = w / image.width
    const sy = h / image.height
    const { data } = await toSharp(image).resize(w, h, { kernel: "linear" }).raw().toBuffer({ resolveWithObject: true })
    image = { width: w, height: h, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }
    maps.push((p) => ({ x: p.x * sx, y: p.y * sy }))
    applied.scale = scale
  }

  if (rng.chance(0.5)) {
    const sigma = Number(rng.range(0.5, 1.3 * s + 0.3).toFixed(2))
    const { data } = await toSharp(image).blur(sigma).raw().toBuffer({ resolveWithObject: true })
    image = { ...image, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }
    applied.blur = sigma
  }

  if (rng.chance(0.5)) {
    const sd = Number(rng.range(4, 14 * s + 4).toFixed(1))
    image = addNoise(image, rng, sd)
    applied.noise = sd
  }

  const quality = rng.int(35, 85)
  const bytes = await toSharp(image).jpeg({ quality, mozjpeg: false }).toBuffer()
  applied.jpeg = quality
  return {
    bytes: new Uint8Array(bytes),
    format: "jpeg",
    width: image.width,
    height: image.height,
    map: (p) => maps.reduce((q, m) => m(q), p),
    applied
  }
}
