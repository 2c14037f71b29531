/**
 * Binary page images and the few morphology operations the table and figure
 * finders need: Otsu's threshold, opening with a line (runs of at least a
 * given length) and connected components. All on plain typed arrays.
 */
import { Raster } from "@ocr2word/core"

/** A 0/1 mask of `width` x `height`, row-major. */
export interface Mask {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array
}

/** Otsu's threshold of a grey histogram: the value that best splits it in two classes. */
export const otsuThreshold = (gray: Uint8Array): number => {
  const hist = new Float64Array(256)
  for (let i = 0; i < gray.length; i++) hist[gray[i]!]!++
  const total = gray.length
  let sumAll = 0
  for (let v = 0; v < 256; v++) sumAll += v * hist[v]!
  let sumB = 0
  let weightB = 0
  let best = 0
  let threshold = 127
  for (let v = 0; v < 256; v++) {
    weightB += hist[v]!
    if (weightB === 0) continue
    const weightF = total - weightB
    if (weightF === 0) break
    sumB += v * hist[v]!
    const meanB = sumB / weightB
    const meanF = (sumAll - sumB) / weightF
    const between = weightB * weightF * (meanB - meanF) ** 2
    if (between > best) {
      best = between
      threshold = v
    }
  }
  return threshold
}

/**
 * Ink mask: 1 for the smaller of Otsu's two classes, so light text on a dark
 * background (screenshots in dark mode) is ink too.
 */
export const binarize = (image: Raster.Raster): Mask => {
  const gray = Raster.toGray(image)
  const t = otsuThreshold(gray.data)
  const data = new Uint8Array(gray.data.length)
  let dark = 0
  for (let i = 0; i < data.length; i++) {
    const ink = gray.data[i]! <= t ? 1 : 0
    data[i] = ink
    dark += ink
  }
  if (dark * 2 > data.length) for (let i = 0; i < data.length; i++) data[i] = 1 - data[i]!
  return { width: gray.width, height: gray.height, data }
}

/** Share of mask pixels set on row `y` from `x0` to `x1` (clamped; 0 outside the mask). */
export const rowShare = (mask: Mask, y: number, x0: number, x1: number): number => {
  if (y < 0 || y >= mask.height) return 0
  const a = Math.max(0, Math.floor(x0))
  const b = Math.min(mask.width, Math.ceil(x1))
  if (b <= a) return 0
  let n = 0
  for (let x = a; x < b; x++) n += mask.data[y * mask.width + x]!
  return n / (b - a)
}

/**
 * Opening with a horizontal line of `length` pixels, allowing gaps of up to
 * `gap` pixels inside a run (broken or anti-aliased rules): keeps exactly the
 * runs at least `length` long.
 */
export const horizontalRuns = (mask: Mask, length: number, gap = 2): Mask => {
  const { width, height } = mask
  const out = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    const row = y * width
    let start = -1
    let lastInk = -1
    for (let x = 0; x <= width; x++) {
      const ink = x < width && mask.data[row + x] === 1
      if (ink) {
        if (start < 0 || x - lastInk > gap + 1) {
          if (start >= 0 && lastInk - start + 1 >= length) out.fill(1, row + start, row + lastInk + 1)
          start = x
        }
        lastInk = x
      } else if (x === width && start >= 0) {
        if (lastInk - start + 1 >= length) out.fill(1, row + start, row + lastInk + 1)
      }
    }
  }
  return { width, height, data: out }
}

/** Mask turned by 90 degrees (x and y swapped). */
export const transpose = (mask: Mask): Mask => {
  const { width, height } = mask
  const out = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[x * height + y] = mask.data[y * width + x]!
  return { width: height, height: width, data: out }
}

/** Opening with a vertical line of `length` pixels (see `horizontalRuns`). */
export const verticalRuns = (mask: Mask, length: number, gap = 2): Mask =>
  transpose(horizontalRuns(transpose(mask), length, gap))

/** A connected component: its bounding box (inclusive-exclusive) and pixel count. */
export interface Component {
  readonly x0: number
  readonly y0: number
  readonly x1: number
  readonly y1: number
  readonly area: number
}

/** 8-connected components of a mask. */
export const components = (mask: Mask): Array<Component> => {
  const { width, height, data } = mask
  const seen = new Uint8Array(width * height)
  const stack = new Int32Array(width * height)
  const out: Array<Component> = []
  for (let start = 0; start < data.length; start++) {
    if (data[start] !== 1 || seen[start] === 1) continue
    let top = 0
    stack[top++] = start
    seen[start] = 1
    let x0 = width
    let y0 = height
    let x1 = 0
    let y1 = 0
    let area = 0
    while (top > 0) {
      const p = stack[--top]!
      const x = p % width
      const y = (p - x) / width
      area++
      if (x < x0) x0 = x
      if (x > x1) x1 = x
      if (y < y0) y0 = y
      if (y > y1) y1 = y
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy
        if (ny < 0 || ny >= height) continue
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx
          if (nx < 0 || nx >= width) continue
          const q = ny * width + nx
          if (data[q] === 1 && seen[q] === 0) {
            seen[q] = 1
            stack[top++] = q
          }
        }
      }
    }
    out.push({ x0, y0, x1: x1 + 1, y1: y1 + 1, area })
  }
  return out
}

/** Median of numbers (0 for none). */
export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/**
 * Half the stroke width of the ink inside `box`, in pixels: ink pixels over
 * ink pixels on the ink's edge. Bold type has thicker strokes whatever the
 * glyphs, so lines compare by this, not by how much ink they hold.
 */
export const strokeWidth = (mask: Mask, box: { x: number; y: number; width: number; height: number }): number => {
  const W = mask.width
  const x0 = Math.max(1, Math.floor(box.x))
  const x1 = Math.min(W - 1, Math.ceil(box.x + box.width))
  const y0 = Math.max(1, Math.floor(box.y))
  const y1 = Math.min(mask.height - 1, Math.ceil(box.y + box.height))
  let area = 0
  let edge = 0
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * W + x
      if (mask.data[i] !== 1) continue
      area++
      if (mask.data[i - 1] === 0 || mask.data[i + 1] === 0 || mask.data[i - W] === 0 || mask.data[i + W] === 0) edge++
    }
  }
  return edge === 0 ? 0 : area / edge
}
