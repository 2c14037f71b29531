/**
 * The page-level 0/180 decision from per-line classifier votes, and which
 * lines may disagree with it.
 *
 * The 0/180 line classifier is unreliable on short crops (a few characters)
 * and on small, noisy print: on an upright page some lines come out "upside
 * down" with 0.9 and more. So a page is turned only when the lines confidently
 * read upside down hold most of the page's text, counted by length (a crop's
 * width over its height, about its number of characters) rather than by line,
 * and a single line that disagrees with its page is only a candidate: the
 * pipeline reads it both ways and keeps the reading the recogniser is surer of.
 */
import type { LineOrientation } from "../TextClassifier.ts"

/** The size of a line crop. */
export interface CropSize {
  readonly width: number
  readonly height: number
}

/** About the number of characters on a horizontal line crop. */
const lengthOf = (crop: CropSize): number => crop.width / Math.max(1, crop.height)

/** True when a line is confidently upside down. */
const down = (o: LineOrientation, flipConfidence: number): boolean => o.angle === 180 && o.confidence >= flipConfidence

/** True when the confidently upside-down lines hold more than half of the page's text length. */
export const pageUpsideDown = (
  crops: ReadonlyArray<CropSize>,
  orientations: ReadonlyArray<LineOrientation>,
  flipConfidence: number
): boolean => {
  let total = 0
  let turned = 0
  crops.forEach((crop, i) => {
    const length = lengthOf(crop)
    total += length
    if (down(orientations[i]!, flipConfidence)) turned += length
  })
  return turned * 2 > total
}

/**
 * For each line, whether the classifier confidently says it lies the other
 * way round from its page (`pageTurned`: the page was found upside down).
 * Lines it is unsure of follow the page.
 */
export const disagreesWithPage = (
  orientations: ReadonlyArray<LineOrientation>,
  pageTurned: boolean,
  flipConfidence: number
): Array<boolean> => orientations.map((o) => o.confidence >= flipConfidence && (o.angle === 180) !== pageTurned)
