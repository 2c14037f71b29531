/**
 * The `Page` record of one page, built from what the stages found: its
 * place in the input, the upright image's size, the turn and skew the
 * preprocessing removed, the layout's blocks, and the line counts. The
 * pipeline builds every page here, so a layout backend only returns blocks
 * and every backend's pages get the same confidence and counts. A page's
 * confidence is the mean of its lines' confidences weighted by their length
 * in characters (an empty line counts as one).
 *
 * @since 0.1.0
 */
import { type Block, blockLines, type Line, type LineCounts, type Page } from "./Document.ts"

/** What a page is built from. */
export interface PageInput {
  /** Index of the page in the input, from 0. */
  readonly index: number
  /** Size of the upright page image in pixels. */
  readonly width: number
  readonly height: number
  /** Clockwise turn applied to the source to make the text upright. */
  readonly rotation: 0 | 90 | 180 | 270
  /** Skew (degrees) removed after the turn. */
  readonly skew: number
  /** The layout's blocks in reading order. */
  readonly blocks: ReadonlyArray<Block>
  /** PNG bytes of the upright page image, for writers that draw it. */
  readonly image?: Uint8Array
  readonly lineCounts?: LineCounts
}

/** Characters of a text without white space. */
const characters = (text: string): number => [...text.replace(/\s+/gu, "")].length

/** Mean line confidence weighted by line length (at least 1 per line), of a page or a block; 0 without lines. */
export const confidenceOf = (lines: ReadonlyArray<Line>): number => {
  let sum = 0
  let weight = 0
  for (const line of lines) {
    const w = Math.max(1, [...line.text].length)
    sum += line.confidence * w
    weight += w
  }
  return weight === 0 ? 0 : sum / weight
}

/**
 * The line counts of a page: how many boxes were detected and read, how many
 * lines passed the confidence filter (`kept`), and how many lines and
 * characters its blocks hold.
 */
export const lineCounts = (counts: {
  readonly detected: number
  readonly recognised: number
  readonly kept: ReadonlyArray<Line>
  readonly blocks: ReadonlyArray<Block>
}): LineCounts => {
  const written = counts.blocks.flatMap(blockLines)
  const sum = (lines: ReadonlyArray<Line>) => lines.reduce((n, l) => n + characters(l.text), 0)
  return {
    detected: counts.detected,
    recognised: counts.recognised,
    kept: counts.kept.length,
    written: written.length,
    keptCharacters: sum(counts.kept),
    writtenCharacters: sum(written)
  }
}

/** The page record. */
export const build = (input: PageInput): Page => ({
  index: input.index,
  width: input.width,
  height: input.height,
  rotation: input.rotation,
  skew: input.skew,
  confidence: confidenceOf(input.blocks.flatMap(blockLines)),
  blocks: input.blocks,
  ...(input.image !== undefined ? { image: input.image } : {}),
  ...(input.lineCounts !== undefined ? { lineCounts: input.lineCounts } : {})
})
