/** Test fixtures: lines and rasters drawn by hand, so expected layouts are known exactly. */
import { type Document, Geometry, Raster } from "@ocr2word/core"

/** A recognised line with words spread evenly over its box (one per Han character or Latin run). */
export const line = (text: string, x: number, y: number, width: number, height = 20): Document.Line => {
  const box = { x, y, width, height }
  const parts = text.match(/[\p{Script=Han}]|[^\s\p{Script=Han}]+/gu) ?? []
  const total = parts.reduce((s, p) => s + [...p].length, 0) || 1
  let at = 0
  const words = parts.map((p) => {
    const w = ([...p].length / total) * width
    const word = { text: p, box: { x: x + at, y, width: w, height }, confidence: 0.95 }
    at += w
    return word
  })
  return {
    text,
    box,
    polygon: Geometry.quadOfBox(box),
    confidence: 0.95,
    direction: "horizontal",
    script: "mixed",
    words
  }
}

/** A white RGB page. */
export const page = (width: number, height: number): Raster.Raster => Raster.make(width, height, 3, 255)

/** Fill a rectangle with a colour. */
export const fill = (image: Raster.Raster, b: Geometry.Box, rgb: readonly [number, number, number] = [0, 0, 0]) => {
  for (let y = Math.max(0, b.y); y < Math.min(image.height, b.y + b.height); y++) {
    for (let x = Math.max(0, b.x); x < Math.min(image.width, b.x + b.width); x++) {
      const i = (y * image.width + x) * image.channels
      for (let k = 0; k < image.channels; k++) image.data[i + k] = rgb[k % 3]!
    }
  }
}

/** Dark "glyph" strokes inside a line box, so the page has text-like ink where lines are. */
export const ink = (image: Raster.Raster, l: Document.Line) => {
  for (let x = l.box.x + 2; x < l.box.x + l.box.width - 4; x += 7) {
    fill(image, { x, y: l.box.y + 3, width: 3, height: l.box.height - 6 })
  }
}
