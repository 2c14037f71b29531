/**
 * Cutting a detected line out of its page as an upright raster, the way
 * PaddleOCR's `get_rotate_crop_image` does: a perspective warp of the quad to
 * its own width and height, and a quarter turn when the crop is much taller
 * than wide (vertical text), so that recognisers always see a horizontal line.
 * A small margin of page around the quad is kept: detector boxes hug the
 * glyphs, and a crop that cuts the top strokes of a Chinese character reads
 * as another character (季 as 李), while recognisers trained on line images
 * with some background drop English word spaces on tight crops.
 *
 * On dense pages that margin would reach into the neighbouring lines and
 * bring their strokes into the crop, so `cropLines`, which sees every line of
 * the page, grows each side of a line only into free page: at most half of
 * the gap to the nearest detected line on that side, so two neighbours never
 * share pixels. Use `cropLines` for a page's lines; `cropLine` is for a line
 * known to stand alone.
 *
 * @since 0.1.0
 */
import { type Point, type Quad, quadHeight, quadWidth } from "./Geometry.ts"
import * as Raster from "./Raster.ts"

/** Crops at least this many times taller than wide are read as vertical lines. */
export const VERTICAL_RATIO = 1.5

/** True when a quad holds a vertical line. */
export const isVertical = (quad: Quad): boolean => quadHeight(quad) >= VERTICAL_RATIO * quadWidth(quad)

/** Margin kept around a line, as a fraction of the line's thickness (its shorter side). */
export const LINE_MARGIN = 0.1

/**
 * Pixels to grow a quad by on each of its sides, named in the quad's own
 * frame: `top` is the side from its first to its second corner.
 */
export interface Sides {
  readonly top: number
  readonly right: number
  readonly bottom: number
  readonly left: number
}

const unit = (x: number, y: number): Point => {
  const len = Math.hypot(x, y)
  return len === 0 ? { x: 0, y: 0 } : { x: x / len, y: y / len }
}

/** The quad's reading direction `u` and its downward normal `v`, as unit vectors. */
const axes = (quad: Quad): { readonly u: Point; readonly v: Point } => {
  const [tl, tr, br, bl] = quad
  return {
    u: unit(tr.x - tl.x + br.x - bl.x, tr.y - tl.y + br.y - bl.y),
    v: unit(bl.x - tl.x + br.x - tr.x, bl.y - tl.y + br.y - tr.y)
  }
}

/**
 * The quad grown outwards along its own axes, by `distance` pixels on every
 * side or by the given pixels per side.
 */
export const growQuad = (quad: Quad, distance: number | Sides): Quad => {
  const d =
    typeof distance === "number" ? { top: distance, right: distance, bottom: distance, left: distance } : distance
  const [tl, tr, br, bl] = quad
  const { u, v } = axes(quad)
  const move = (p: Point, du: number, dv: number): Point => ({
    x: p.x + du * u.x + dv * v.x,
    y: p.y + du * u.y + dv * v.y
  })
  return [
    move(tl, -d.left, -d.top),
    move(tr, d.right, -d.top),
    move(br, d.right, d.bottom),
    move(bl, -d.left, d.bottom)
  ]
}

const thickness = (quad: Quad): number => Math.min(quadWidth(quad), quadHeight(quad))

/** The range a quad's corners cover along a direction. */
const extent = (quad: Quad, axis: Point): readonly [number, number] => {
  const ps = quad.map((p) => p.x * axis.x + p.y * axis.y)
  return [Math.min(...ps), Math.max(...ps)]
}

/**
 * The margin of every line of a page, in pixels per side: `margin` times the
 * line's thickness, cut down on each side to half of the gap to the nearest
 * other quad lying on that side (none when quads touch or overlap there).
 * A neighbour lies on the side across which the two quads are farthest apart
 * in the line's frame, so a line above or below limits `top` or `bottom` and
 * a word further along the same line limits `left` or `right`.
 */
export const lineMargins = (quads: ReadonlyArray<Quad>, margin: number = LINE_MARGIN): Array<Sides> =>
  quads.map((quad, i) => {
    const want = Math.max(0, margin * thickness(quad))
    let top = want
    let right = want
    let bottom = want
    let left = want
    if (want === 0) return { top, right, bottom, left }
    const { u, v } = axes(quad)
    const [u0, u1] = extent(quad, u)
    const [v0, v1] = extent(quad, v)
    quads.forEach((other, j) => {
      if (j === i) return
      const [a0, a1] = extent(other, u)
      const [b0, b1] = extent(other, v)
      // Gaps along each axis (negative when the ranges overlap); the larger one separates the quads.
      const gapU = Math.max(a0 - u1, u0 - a1)
      const gapV = Math.max(b0 - v1, v0 - b1)
      if (gapU >= 2 * want || gapV >= 2 * want) return
      const allowed = (gap: number) => Math.max(0, gap / 2)
      if (gapV >= gapU) {
        if (b0 + b1 < v0 + v1) top = Math.min(top, allowed(gapV))
        else bottom = Math.min(bottom, allowed(gapV))
      } else if (a0 + a1 < u0 + u1) left = Math.min(left, allowed(gapU))
      else right = Math.min(right, allowed(gapU))
    })
    return { top, right, bottom, left }
  })

const warp = (page: Raster.Raster, quad: Quad, grown: Quad): Raster.Raster => {
  const crop = Raster.warpQuad(page, grown, Math.max(1, quadWidth(grown)), Math.max(1, quadHeight(grown)))
  // Vertical text is turned counter-clockwise so it reads left to right.
  return isVertical(quad) ? Raster.rotate(crop, 270) : crop
}

/**
 * The upright crop of `quad` from `page`, with `margin` times the line's
 * thickness of page kept on every side, whatever lies there.
 */
export const cropLine = (page: Raster.Raster, quad: Quad, margin: number = LINE_MARGIN): Raster.Raster =>
  warp(page, quad, margin > 0 ? growQuad(quad, margin * thickness(quad)) : quad)

/**
 * The upright crops of all the lines of a page, each with up to `margin` times
 * its thickness of page around it, but never reaching past half the way to
 * another line (see `lineMargins`).
 */
export const cropLines = (
  page: Raster.Raster,
  quads: ReadonlyArray<Quad>,
  margin: number = LINE_MARGIN
): Array<Raster.Raster> => {
  const sides = lineMargins(quads, margin)
  return quads.map((quad, i) => warp(page, quad, growQuad(quad, sides[i]!)))
}
