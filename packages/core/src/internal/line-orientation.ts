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

/** The text length of the lines, and of those confidently upside down. */
const lengths = (
  crops: ReadonlyArray<CropSize>,
  orientations: ReadonlyArray<LineOrientation>,
  flipConfidence: number
): { readonly total: number; readonly turned: number } => {
  let total = 0
  let turned = 0
  crops.forEach((crop, i) => {
    const length = lengthOf(crop)
    total += length
    if (down(orientations[i]!, flipConfidence)) turned += length
  })
  return { total, turned }
}

/** True when the confidently upside-down lines hold more than half of the page's text length. */
export const pageUpsideDown = (
  crops: ReadonlyArray<CropSize>,
  orientations: ReadonlyArray<LineOrientation>,
  flipConfidence: number
): boolean => {
  const { total, turned } = lengths(crops, orientations, flipConfidence)
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

/** Lines in the early vote: the longest lines, since the classifier is surest on long crops. */
export const voteSampleSize = 8

/** The indices of the `size` longest crops (by text length), in page order. */
export const voteSample = (crops: ReadonlyArray<CropSize>, size = voteSampleSize): Array<number> =>
  crops
    .map((crop, i) => ({ i, length: lengthOf(crop) }))
    .sort((a, b) => b.length - a.length || a.i - b.i)
    .slice(0, size)
    .map((s) => s.i)
    .sort((a, b) => a - b)

/**
 * The page's 0/180 decision from the early vote where the vote is clear: the
 * confidently upside-down lines hold at most a tenth of the sample's text
 * (upright, `false`) or at least nine tenths (turned, `true`); `undefined`
 * when the page is in doubt and every line should be classified.
 */
export const clearVote = (
  crops: ReadonlyArray<CropSize>,
  orientations: ReadonlyArray<LineOrientation>,
  flipConfidence: number
): boolean | undefined => {
  const { total, turned } = lengths(crops, orientations, flipConfidence)
  if (total <= 0) return undefined
  const share = turned / total
  return share <= 0.1 ? false : share >= 0.9 ? true : undefined
}
