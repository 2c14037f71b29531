/**
 * Geometry in page pixels: points, axis-aligned boxes and the four-point
 * polygons that detectors return. Every node of the document model carries
 * geometry in the coordinates of its page image (after orientation and
 * deskew), origin at the top-left corner, y growing downwards.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** A point in page pixels. */
export const Point = Schema.Struct({ x: Schema.Number, y: Schema.Number })
export type Point = typeof Point.Type

/** An axis-aligned box in page pixels. */
export const Box = Schema.Struct({
  x: Schema.Number,
  y: Schema.Number,
  width: Schema.Number,
  height: Schema.Number
})
export type Box = typeof Box.Type

/**
 * A quadrilateral, points clockwise from the top-left corner of the text as
 * read (top-left, top-right, bottom-right, bottom-left).
 */
export const Quad = Schema.Tuple([Point, Point, Point, Point])
export type Quad = typeof Quad.Type

/** The smallest axis-aligned box that holds every point. */
export const boxOfPoints = (points: ReadonlyArray<Point>): Box => {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const p of points) {
    if (p.x < minX) minX = p.x
    if (p.y < minY) minY = p.y
    if (p.x > maxX) maxX = p.x
    if (p.y > maxY) maxY = p.y
  }
  if (points.length === 0) return { x: 0, y: 0, width: 0, height: 0 }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY }
}

/** The smallest box that holds every box. */
export const unionBoxes = (boxes: ReadonlyArray<Box>): Box =>
  boxOfPoints(
    boxes.flatMap((b) => [
      { x: b.x, y: b.y },
      { x: b.x + b.width, y: b.y + b.height }
    ])
  )

/** The quad of an axis-aligned box. */
export const quadOfBox = (b: Box): Quad => [
  { x: b.x, y: b.y },
  { x: b.x + b.width, y: b.y },
  { x: b.x + b.width, y: b.y + b.height },
  { x: b.x, y: b.y + b.height }
]

/** Area of the intersection of two boxes divided by the area of their union. */
export const iou = (a: Box, b: Box): number => {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x))
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y))
  const inter = ix * iy
  const union = a.width * a.height + b.width * b.height - inter
  return union <= 0 ? 0 : inter / union
}

const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y)

/** Width of a quad along its reading direction (mean of top and bottom edges). */
export const quadWidth = (q: Quad): number => (dist(q[0], q[1]) + dist(q[3], q[2])) / 2

/** Height of a quad across its reading direction (mean of left and right edges). */
export const quadHeight = (q: Quad): number => (dist(q[0], q[3]) + dist(q[1], q[2])) / 2

/** Angle of a quad's top edge in degrees, positive when it slopes down to the right. */
export const quadAngle = (q: Quad): number => (Math.atan2(q[1].y - q[0].y, q[1].x - q[0].x) * 180) / Math.PI

/**
 * Rotate a point of an image of size `width` x `height` clockwise by a multiple
 * of 90 degrees, giving its position in the rotated image.
 */
export const rotatePoint = (p: Point, degrees: 0 | 90 | 180 | 270, width: number, height: number): Point => {
  switch (degrees) {
    case 0:
      return p
    case 90:
      return { x: height - p.y, y: p.x }
    case 180:
      return { x: width - p.x, y: height - p.y }
    case 270:
      return { x: p.y, y: width - p.x }
  }
}
