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

const unit = (x: number, y: number): Point => {
  const len = Math.hypot(x, y)
  return len === 0 ? { x: 0, y: 0 } : { x: x / len, y: y / len }
}

/** The quad grown outwards by `distance` pixels on every side, along its own axes. */
export const growQuad = (quad: Quad, distance: number): Quad => {
  const [tl, tr, br, bl] = quad
  const u = unit(tr.x - tl.x + br.x - bl.x, tr.y - tl.y + br.y - bl.y)
  const v = unit(bl.x - tl.x + br.x - tr.x, bl.y - tl.y + br.y - tr.y)
  const move = (p: Point, su: number, sv: number): Point => ({
    x: p.x + distance * (su * u.x + sv * v.x),
    y: p.y + distance * (su * u.y + sv * v.y)
  })
  return [move(tl, -1, -1), move(tr, 1, -1), move(br, 1, 1), move(bl, -1, 1)]
}

/**
 * The upright crop of `quad` from `page`, with `margin` times the line's
 * thickness of page kept on every side.
 */
export const cropLine = (page: Raster.Raster, quad: Quad, margin: number = LINE_MARGIN): Raster.Raster => {
  const grown = margin > 0 ? growQuad(quad, margin * Math.min(quadWidth(quad), quadHeight(quad))) : quad
  const crop = Raster.warpQuad(page, grown, Math.max(1, quadWidth(grown)), Math.max(1, quadHeight(grown)))
  // Vertical text is turned counter-clockwise so it reads left to right.
  return isVertical(quad) ? Raster.rotate(crop, 270) : crop
}
