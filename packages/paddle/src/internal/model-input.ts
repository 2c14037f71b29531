/**
 * Turning rasters into the float tensors the PP-OCR models take, as
 * PaddleOCR's `DetResizeForTest` + `NormalizeImage` and the recogniser's and
 * classifier's `resize_norm_img`. The models were trained on OpenCV's BGR
 * channel order, so channels are fed B, G, R.
 *
 * Resizing goes through libvips (`ImageCodec.resize`: Lanczos when
 * shrinking, bicubic when enlarging) rather than point-sampled bilinear.
 * Shrinking a large scan by bilinear sampling skips pixels, so thin strokes
 * break up before the detector sees them; enlarging a line a few pixels high
 * to the recogniser's 48 px blurs it. Measured on FUNSD forms with 6-7 px
 * type (real-dev-2, `tools` probe): the page enlarged twice with Lanczos
 * before cropping raised character recall of the worst form from 73% to 90%.
 */
import { Raster } from "@ocr2word/core"
import { ImageCodec } from "@ocr2word/image"
import { Effect } from "effect"

/** A float tensor in NCHW layout. */
export interface Tensor {
  readonly data: Float32Array
  readonly dims: readonly [number, number, number, number]
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const
const IMAGENET_STD = [0.229, 0.224, 0.225] as const

/** Write `image` (grey or RGB) into `out` at batch slot `index`, BGR planes of `width` x `height`. */
const writeChw = (
  image: Raster.Raster,
  out: Float32Array,
  index: number,
  width: number,
  height: number,
  normalise: (value: number, plane: number) => number
): void => {
  const plane = width * height
  const base = index * 3 * plane
  const c = image.channels
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const s = (y * image.width + x) * c
      const r = image.data[s]!
      const g = c === 3 ? image.data[s + 1]! : r
      const b = c === 3 ? image.data[s + 2]! : r
      const o = y * width + x
      out[base + o] = normalise(b, 0)
      out[base + plane + o] = normalise(g, 1)
      out[base + 2 * plane + o] = normalise(r, 2)
    }
  }
}

/** How a page was scaled for detection. */
export interface DetectionInput {
  readonly tensor: Tensor
  /** Input pixels per page pixel, along x and y. */
  readonly scaleX: number
  readonly scaleY: number
}

/**
 * Size of the detector input: scale so the longest side is at most `maxSide`
 * and the shortest at least `minSide` (the longest side wins when both can't
 * hold), then round each side to a multiple of 32 (the network's stride).
 */
export const detectionSize = (
  width: number,
  height: number,
  minSide: number,
  maxSide: number
): { readonly width: number; readonly height: number } => {
  let ratio = 1
  if (Math.min(width, height) * ratio < minSide) ratio = minSide / Math.min(width, height)
  if (Math.max(width, height) * ratio > maxSide) ratio = maxSide / Math.max(width, height)
  const round32 = (v: number) => Math.max(32, Math.round((v * ratio) / 32) * 32)
  return { width: round32(width), height: round32(height) }
}

/** Size of the detector input for a page scaled by `scale`, sides rounded to multiples of 32. */
export const scaledDetectionSize = (
  width: number,
  height: number,
  scale: number
): { readonly width: number; readonly height: number } => {
  const round32 = (v: number) => Math.max(32, Math.round((v * scale) / 32) * 32)
  return { width: round32(width), height: round32(height) }
}

/** The detector's input for a page at the given input size: resized and ImageNet-normalised. */
export const detectionInput = (
  page: Raster.Raster,
  size: { readonly width: number; readonly height: number }
): Effect.Effect<DetectionInput> =>
  Effect.map(ImageCodec.resize(page, size.width, size.height), (resized) => {
    const data = new Float32Array(3 * size.width * size.height)
    writeChw(resized, data, 0, size.width, size.height, (v, p) => (v / 255 - IMAGENET_MEAN[p]!) / IMAGENET_STD[p]!)
    return {
      tensor: { data, dims: [1, 3, size.height, size.width] as const },
      scaleX: size.width / page.width,
      scaleY: size.height / page.height
    }
  })

/** Width a crop takes when scaled to `height`, at most `maxWidth`. */
export const scaledWidth = (crop: Raster.Raster, height: number, maxWidth: number): number =>
  Math.max(1, Math.min(maxWidth, Math.ceil((height * crop.width) / Math.max(1, crop.height))))

/** Each crop scaled to `height` keeping its ratio, at most `maxWidth` wide (libvips). */
export const scaleCrops = (
  crops: ReadonlyArray<Raster.Raster>,
  height: number,
  maxWidth: number
): Effect.Effect<ReadonlyArray<Raster.Raster>> =>
  Effect.forEach(crops, (crop) => ImageCodec.resize(crop, scaledWidth(crop, height, maxWidth), height))

/**
 * A batch of line crops at `height` x `width`: each scaled to the height
 * keeping its ratio (at most `width` wide), normalised to [-1, 1] and padded
 * on the right with zeros, as PaddleOCR's `resize_norm_img`. Also gives the
 * share of the width each crop fills.
 */
export const lineBatch = (
  crops: ReadonlyArray<Raster.Raster>,
  height: number,
  width: number
): { readonly tensor: Tensor; readonly fractions: ReadonlyArray<number> } => {
  const data = new Float32Array(crops.length * 3 * height * width)
  const fractions = crops.map((crop, i) => {
    const w = scaledWidth(crop, height, width)
    const scaled = crop.width === w && crop.height === height ? crop : Raster.resize(crop, w, height)
    writeChw(scaled, data, i, width, height, (v) => (v / 255 - 0.5) / 0.5)
    return w / width
  })
  return { tensor: { data, dims: [crops.length, 3, height, width] }, fractions }
}
