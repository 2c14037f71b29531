/**
 * Page orientation (0 vs 90 degrees) and skew from projection profiles of a
 * binarised page, without a model. Pure: works on a grey raster the caller
 * has already scaled down.
 *
 * Text lines make the ink's profile across the lines peaky (lines and gaps)
 * once the projection is aligned with them. The skew is the angle that makes
 * the row profile peakiest; the page is sideways when the column profile,
 * not the row profile, shows long thin bands of ink (lines), by a clear
 * margin. Anything ambiguous (one word, a photo with little text) keeps the
 * page as it is.
 */
import type { Raster } from "@ocr2word/core"

/** Ink pixel coordinates of a binarised page. */
export interface Ink {
  readonly width: number
  readonly height: number
  readonly xs: Float64Array
  readonly ys: Float64Array
  /** Fraction of the page's pixels that are ink. */
  readonly coverage: number
}

/** Otsu's threshold of a grey image: values <= threshold form the dark class. */
export const otsuThreshold = (data: Uint8Array): number => {
  const histogram = new Float64Array(256)
  for (let i = 0; i < data.length; i++) histogram[data[i]!]!++
  const total = data.length
  let sumAll = 0
  for (let v = 0; v < 256; v++) sumAll += v * histogram[v]!
  let weightDark = 0
  let sumDark = 0
  let best = 127
  let bestVariance = -1
  for (let t = 0; t < 255; t++) {
    weightDark += histogram[t]!
    if (weightDark === 0) continue
    const weightLight = total - weightDark
    if (weightLight === 0) break
    sumDark += t * histogram[t]!
    const meanDark = sumDark / weightDark
    const meanLight = (sumAll - sumDark) / weightLight
    const variance = weightDark * weightLight * (meanDark - meanLight) ** 2
    if (variance > bestVariance) {
      bestVariance = variance
      best = t
    }
  }
  return best
}

/** Otsu's split of a grey page and which side of it is ink; undefined when the page has no contrast. */
interface InkSplit {
  readonly threshold: number
  readonly inkIsDark: boolean
  /** Pixels on the ink side of the threshold. */
  readonly count: number
  readonly min: number
  readonly max: number
}

const inkSplit = (data: Uint8Array): InkSplit | undefined => {
  const threshold = otsuThreshold(data)
  let dark = 0
  let min = 255
  let max = 0
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!
    if (v <= threshold) dark++
    if (v < min) min = v
    if (v > max) max = v
  }
  // Less than this contrast is paper texture or a flat colour, not writing.
  if (max - min < 48) return undefined
  const inkIsDark = dark <= data.length / 2
  return { threshold, inkIsDark, count: inkIsDark ? dark : data.length - dark, min, max }
}

/**
 * The ink of a grey page as Otsu's smaller class: the page-wide test the
 * orientation decision was measured with. Undefined when the page is blank.
 * At most `maxPoints` pixels are kept, evenly sampled.
 */
export const otsuInkOf = (gray: Raster.Raster, maxPoints = 250_000, split = inkSplit(gray.data)): Ink | undefined => {
  if (split === undefined || split.count === 0) return undefined
  const { data, width, height } = gray
  const isInk = new Uint8Array(width * height)
  for (let i = 0; i < data.length; i++) if (data[i]! <= split.threshold === split.inkIsDark) isInk[i] = 1
  return sampled(isInk, width, height, split.count, maxPoints)
}

/**
 * The ink of a grey page: pixels clearly darker (or, for light text on a
 * dark ground, lighter) than their neighbourhood. The polarity comes from
 * Otsu's classes (the smaller class is the ink); the test itself is local,
 * against the mean of a window about 1/40 of the page's short side, so that
 * in a photo of a page the table or floor around it, a shadow or a lighting
 * gradient is not taken for ink (a global threshold made the dark background
 * of a photographed page the "ink", and its projection hid the lines' skew).
 * Undefined when the page is blank (no contrast). At most `maxPoints` pixels
 * are kept, evenly sampled.
 */
export const inkOf = (gray: Raster.Raster, maxPoints = 250_000, split = inkSplit(gray.data)): Ink | undefined => {
  if (split === undefined) return undefined
  const { data, width, height } = gray
  const { threshold, inkIsDark, min, max } = split
  // Summed-area table for the local means.
  const sums = new Float64Array((width + 1) * (height + 1))
  for (let y = 0; y < height; y++) {
    let row = 0
    for (let x = 0; x < width; x++) {
      row += data[y * width + x]!
      sums[(y + 1) * (width + 1) + x + 1] = sums[y * (width + 1) + x + 1]! + row
    }
  }
  const r = Math.max(4, Math.round(Math.min(width, height) / 40))
  // Ink stands out from its surroundings by a share of Otsu's class gap, never by less than JPEG noise.
  const contrast = Math.max(16, Math.abs(threshold - (inkIsDark ? max : min)) * 0.25)
  const isInk = new Uint8Array(width * height)
  let count = 0
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r)
    const y1 = Math.min(height, y + r + 1)
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r)
      const x1 = Math.min(width, x + r + 1)
      const total =
        sums[y1 * (width + 1) + x1]! -
        sums[y0 * (width + 1) + x1]! -
        sums[y1 * (width + 1) + x0]! +
        sums[y0 * (width + 1) + x0]!
      const mean = total / ((x1 - x0) * (y1 - y0))
      const v = data[y * width + x]!
      if (inkIsDark ? v < mean - contrast : v > mean + contrast) {
        isInk[y * width + x] = 1
        count++
      }
    }
  }
  if (count === 0) return undefined
  return sampled(isInk, width, height, count, maxPoints)
}

/** At most `maxPoints` of the marked pixels, evenly sampled, as ink. */
const sampled = (isInk: Uint8Array, width: number, height: number, count: number, maxPoints: number): Ink => {
  const step = Math.max(1, Math.ceil(count / maxPoints))
  const n = Math.ceil(count / step)
  const xs = new Float64Array(n)
  const ys = new Float64Array(n)
  let seen = 0
  let k = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (isInk[y * width + x] === 1) {
        if (seen % step === 0 && k < n) {
          xs[k] = x
          ys[k] = y
          k++
        }
        seen++
      }
    }
  }
  return { width, height, xs: xs.subarray(0, k), ys: ys.subarray(0, k), coverage: count / (width * height) }
}

/** The ink turned clockwise by 90 degrees (what a sideways page looks like upright). */
export const turn90 = (ink: Ink): Ink => {
  const xs = new Float64Array(ink.xs.length)
  const ys = new Float64Array(ink.ys.length)
  for (let i = 0; i < xs.length; i++) {
    xs[i] = ink.height - 1 - ink.ys[i]!
    ys[i] = ink.xs[i]!
  }
  return { width: ink.height, height: ink.width, xs, ys, coverage: ink.coverage }
}

/**
 * Row profile of the ink projected at `degrees` (lines sloping down to the
 * right by that angle fall into single bins).
 */
const profileAt = (ink: Ink, degrees: number): { bins: Float64Array; offset: number } => {
  const t = (degrees * Math.PI) / 180
  const cos = Math.cos(t)
  const sin = Math.sin(t)
  const cx = ink.width / 2
  const cy = ink.height / 2
  const half = Math.ceil(Math.hypot(ink.width, ink.height) / 2) + 1
  const bins = new Float64Array(2 * half + 1)
  const { xs, ys } = ink
  for (let i = 0; i < xs.length; i++) {
    const r = (ys[i]! - cy) * cos - (xs[i]! - cx) * sin
    bins[Math.round(r) + half]!++
  }
  return { bins, offset: half }
}

const sumOfSquares = (bins: Float64Array): number => {
  let s = 0
  for (let i = 0; i < bins.length; i++) s += bins[i]! * bins[i]!
  return s
}

/** The angle in [-maxSkew, maxSkew] whose row profile is peakiest, to 0.1 degree. */
export const bestAngle = (ink: Ink, maxSkew: number): { angle: number; score: number; scoreAtZero: number } => {
  const score = (a: number) => sumOfSquares(profileAt(ink, a).bins)
  const scoreAtZero = score(0)
  let angle = 0
  let best = scoreAtZero
  for (let a = -Math.floor(maxSkew); a <= maxSkew; a += 1) {
    if (a === 0) continue
    const s = score(a)
    if (s > best) {
      best = s
      angle = a
    }
  }
  const coarse = angle
  for (let a = coarse - 0.9; a <= coarse + 0.9; a += 0.1) {
    const fine = Math.round(a * 10) / 10
    if (Math.abs(fine) > maxSkew) continue
    const s = score(fine)
    if (s > best) {
      best = s
      angle = fine
    }
  }
  return { angle, score: best, scoreAtZero }
}

/** How the ink looks as text lines when projected at an angle. */
export interface LineEvidence {
  /** Span-normalised peakiness of the profile: 1 for uniform ink, about 1/fill for lines. */
  readonly peakiness: number
  /** Bands (candidate lines) at least 3 times longer than thick. */
  readonly lines: number
  /** Fraction of the ink inside such bands. */
  readonly lineInk: number
}

/** Split the profile at `degrees` into bands and measure how line-like they are. */
export const lineEvidence = (ink: Ink, degrees: number): LineEvidence => {
  const { bins, offset } = profileAt(ink, degrees)
  const n = ink.xs.length
  // Robust span: from the 1st to the 99th percentile of the ink.
  let acc = 0
  let lo = 0
  let hi = bins.length - 1
  for (let i = 0; i < bins.length; i++) {
    acc += bins[i]!
    if (acc < n * 0.01) lo = i + 1
    if (acc <= n * 0.99) hi = i + 1
  }
  const span = Math.max(1, hi - lo + 1)
  const peakiness = (span * sumOfSquares(bins)) / (n * n)
  // Bands: runs of bins above a fifth of the mean bin within the span.
  const level = (n / span) * 0.2
  const band = new Int32Array(bins.length).fill(-1)
  const bands: Array<{ from: number; to: number }> = []
  for (let i = 0; i < bins.length; i++) {
    if (bins[i]! > level) {
      if (i === 0 || bins[i - 1]! <= level) bands.push({ from: i, to: i })
      bands[bands.length - 1]!.to = i
      band[i] = bands.length - 1
    }
  }
  // Extent of each band along the lines (tangential coordinate).
  const t = (degrees * Math.PI) / 180
  const cos = Math.cos(t)
  const sin = Math.sin(t)
  const cx = ink.width / 2
  const cy = ink.height / 2
  const along: Array<Array<number>> = bands.map(() => [])
  for (let i = 0; i < n; i++) {
    const dx = ink.xs[i]! - cx
    const dy = ink.ys[i]! - cy
    const b = band[Math.round(dy * cos - dx * sin) + offset]!
    if (b >= 0) along[b]!.push(dx * cos + dy * sin)
  }
  let lines = 0
  let lineInk = 0
  for (let b = 0; b < bands.length; b++) {
    const values = along[b]!
    if (values.length === 0) continue
    values.sort((x, y) => x - y)
    const length = values[Math.floor(values.length * 0.98)]! - values[Math.floor(values.length * 0.02)]!
    const thickness = bands[b]!.to - bands[b]!.from + 1
    if (thickness >= 2 && length >= 3 * thickness) {
      lines++
      lineInk += values.length
    }
  }
  return { peakiness, lines, lineInk: lineInk / n }
}

/** The ink inside the vertical strip [x0, x1) of the frame. */
const strip = (ink: Ink, x0: number, x1: number): Ink => {
  const keep: Array<number> = []
  for (let i = 0; i < ink.xs.length; i++) if (ink.xs[i]! >= x0 && ink.xs[i]! < x1) keep.push(i)
  const xs = new Float64Array(keep.length)
  const ys = new Float64Array(keep.length)
  keep.forEach((k, j) => {
    xs[j] = ink.xs[k]! - x0
    ys[j] = ink.ys[k]!
  })
  return { width: x1 - x0, height: ink.height, xs, ys, coverage: ink.coverage }
}

/**
 * Line evidence averaged over vertical strips (weighted by ink), so the
 * lines of separate columns, which rarely share baselines, each count.
 */
export const stripEvidence = (ink: Ink, degrees: number, strips: number): LineEvidence => {
  if (strips <= 1) return lineEvidence(ink, degrees)
  let peakiness = 0
  let lineInk = 0
  let lines = 0
  let total = 0
  for (let s = 0; s < strips; s++) {
    const part = strip(ink, Math.floor((s * ink.width) / strips), Math.floor(((s + 1) * ink.width) / strips))
    const n = part.xs.length
    if (n < 50) continue
    const e = lineEvidence(part, degrees)
    peakiness += e.peakiness * n
    lineInk += e.lineInk * n
    lines = Math.max(lines, e.lines)
    total += n
  }
  return total === 0 ? lineEvidence(ink, degrees) : { peakiness: peakiness / total, lines, lineInk: lineInk / total }
}

/** What the analysis found on a page. */
export interface PageAnalysis {
  /** The text lines run vertically: turn the page 90 degrees clockwise. */
  readonly sideways: boolean
  /** Skew of the lines after that turn (positive: sloping down to the right); 0 when not confident. */
  readonly skew: number
}

/** Line-likeness of a frame at its best angle, from whole-page and per-strip bands. */
interface Frame {
  readonly angle: number
  readonly gain: number
  readonly peakiness: number
  readonly lineInk: number
}

const STRIPS = 4

const frameOf = (ink: Ink, maxSkew: number): Frame => {
  const best = bestAngle(ink, maxSkew)
  const whole = lineEvidence(ink, best.angle)
  const strips = stripEvidence(ink, best.angle, STRIPS)
  return {
    angle: best.angle,
    gain: best.scoreAtZero === 0 ? 0 : best.score / best.scoreAtZero - 1,
    peakiness: whole.peakiness,
    // A single line is line-like as a whole, a multi-column page strip by strip; either alone can be fooled.
    lineInk: (whole.lineInk + strips.lineInk) / 2
  }
}

/** Thresholds of the decisions; round numbers that demand a clear margin. */
const MIN_INK_POINTS = 200
const MIN_LINE_INK = 0.5
const SIDEWAYS_MARGIN = 0.3
const MIN_SKEW = 0.3
const MIN_SKEW_GAIN = 0.1

/**
 * Decide the page's orientation (upright or sideways) and skew. Sideways
 * needs the turned page to look like lines (most ink in long thin bands) by
 * a clear margin over the page as it is, and its profile to be at least as
 * peaky; skew needs a clear gain over 0 degrees, line-like ink, and an angle
 * inside the search range (an angle at the edge means no real optimum).
 */
export const analyzePage = (
  gray: Raster.Raster,
  options: { readonly orientation: boolean; readonly deskew: boolean; readonly maxSkew: number }
): PageAnalysis => {
  // Orientation on Otsu's ink (as measured when it was chosen); skew on the local ink, which a
  // photo's background, shadows and uneven light do not swamp.
  const split = inkSplit(gray.data)
  const ink = otsuInkOf(gray, 100_000, split)
  if (ink === undefined || ink.xs.length < MIN_INK_POINTS) return { sideways: false, skew: 0 }
  const upright = frameOf(ink, options.maxSkew)
  let chosen = upright
  let sideways = false
  if (options.orientation) {
    const turned = frameOf(turn90(ink), options.maxSkew)
    if (
      turned.lineInk >= MIN_LINE_INK &&
      turned.lineInk >= upright.lineInk + SIDEWAYS_MARGIN &&
      turned.peakiness >= upright.peakiness
    ) {
      chosen = turned
      sideways = true
    }
  }
  const local = options.deskew ? inkOf(gray, 100_000, split) : undefined
  if (local !== undefined && local.xs.length >= MIN_INK_POINTS) {
    chosen = frameOf(sideways ? turn90(local) : local, options.maxSkew)
  }
  const confident =
    options.deskew &&
    Math.abs(chosen.angle) >= MIN_SKEW &&
    Math.abs(chosen.angle) <= options.maxSkew - 0.25 &&
    chosen.gain >= MIN_SKEW_GAIN &&
    chosen.lineInk >= MIN_LINE_INK
  return { sideways, skew: confident ? chosen.angle : 0 }
}
