/**
 * A quiet margin around a line crop before recognition. Detector boxes hug
 * the text, and the PP-OCR recogniser, trained on crops with some background
 * around the glyphs, drops the spaces between English words and misreads thin
 * lines when the glyphs touch the crop's edges. The margin takes the crop's
 * own background colour (the median of its border pixels), so light text on a
 * dark ground gets a dark margin.
 */
import type { Raster } from "@ocr2word/core"

/** Median value of each channel over the outermost pixels of the image. */
export const borderColour = (image: Raster.Raster): ReadonlyArray<number> => {
  const { width: w, height: h, channels: c, data } = image
  const samples: Array<Array<number>> = Array.from({ length: c }, () => [])
  const take = (x: number, y: number) => {
    for (let k = 0; k < c; k++) samples[k]!.push(data[(y * w + x) * c + k]!)
  }
  for (let x = 0; x < w; x++) {
    take(x, 0)
    if (h > 1) take(x, h - 1)
  }
  for (let y = 1; y < h - 1; y++) {
    take(0, y)
    if (w > 1) take(w - 1, y)
  }
  return samples.map((s) => {
    s.sort((a, b) => a - b)
    return s.length === 0 ? 255 : s[s.length >> 1]!
  })
}

/** The image with `size` pixels of its background colour on every side. */
export const withMargin = (image: Raster.Raster, size: number): Raster.Raster => {
  if (size <= 0 || image.width === 0 || image.height === 0) return image
  const colour = borderColour(image)
  const c = image.channels
  const width = image.width + 2 * size
  const height = image.height + 2 * size
  const data = new Uint8Array(width * height * c)
  for (let i = 0; i < width * height; i++) for (let k = 0; k < c; k++) data[i * c + k] = colour[k]!
  for (let y = 0; y < image.height; y++) {
    data.set(image.data.subarray(y * image.width * c, (y + 1) * image.width * c), ((y + size) * width + size) * c)
  }
  return { width, height, channels: c, data }
}
