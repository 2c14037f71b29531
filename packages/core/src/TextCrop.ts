/**
 * Cutting a detected line out of its page as an upright raster, the way
 * PaddleOCR's `get_rotate_crop_image` does: a perspective warp of the quad to
 * its own width and height, and a quarter turn when the crop is much taller
 * than wide (vertical text), so that recognisers always see a horizontal line.
 *
 * @since 0.1.0
 */
import { type Quad, quadHeight, quadWidth } from "./Geometry.ts"
import * as Raster from "./Raster.ts"

/** Crops at least this many times taller than wide are read as vertical lines. */
export const VERTICAL_RATIO = 1.5

/** True when a quad holds a vertical line. */
export const isVertical = (quad: Quad): boolean => quadHeight(quad) >= VERTICAL_RATIO * quadWidth(quad)

/** The upright crop of `quad` from `page`. */
export const cropLine = (page: Raster.Raster, quad: Quad): Raster.Raster => {
  const crop = Raster.warpQuad(page, quad, Math.max(1, quadWidth(quad)), Math.max(1, quadHeight(quad)))
  // Vertical text is turned counter-clockwise so it reads left to right.
  return isVertical(quad) ? Raster.rotate(crop, 270) : crop
}
