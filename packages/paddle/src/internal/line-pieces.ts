/**
 * Reading a very long line crop in pieces. The PP-OCR recogniser is trained
 * on crops of 320 x 48 px and mixes context across the whole input in its
 * SVTR neck; on a crop a hundred times wider than high (a full-width line of
 * small print) it drops letters all along the line ("Co y i f le is indd ly"
 * for "Confidentiality Note: This facsimile is intended only"), while the
 * same model reads the line's shorter neighbours well. So a crop wider than
 * `maxRatio` heights is cut into pieces at most that wide, each cut in the
 * emptiest run of columns (the gap between two words, or two Chinese
 * characters) in the last part of the piece, and the pieces' texts are joined
 * again: with a space where the cut gap is as wide as a word space and both
 * sides are Latin letters or digits, with nothing otherwise.
 *
 * Pure and model-free.
 */
import type { Raster, TextRecognizer } from "@ocr2word/core"
import { borderColour } from "./crop-margin.ts"

/** A piece of a crop: columns `[start, end)` and the width of the empty run it was cut at on its left. */
export interface Piece {
  readonly start: number
  readonly end: number
  readonly gapBefore: number
}

/** Ink per column: pixels clearly darker (or, on a dark ground, lighter) than the crop's background. */
export const columnInk = (crop: Raster.Raster): Int32Array => {
  const { width: w, height: h, channels: c, data } = crop
  const border = borderColour(crop)
  const background = c === 3 ? 0.299 * border[0]! + 0.587 * border[1]! + 0.114 * border[2]! : border[0]!
  const darkInk = background >= 128
  const ink = new Int32Array(w)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * c
      const v = c === 3 ? 0.299 * data[s]! + 0.587 * data[s + 1]! + 0.114 * data[s + 2]! : data[s]!
      // Half-way between ground and full ink contrast: noise and JPEG ringing stay below it.
      if ((darkInk ? background - v : v - background) > 48) ink[x]! += 1
    }
  }
  return ink
}

/**
 * Where to cut a crop of `width` columns with the given ink so that no piece
 * is wider than `maxWidth`: each cut at the centre of the longest run of the
 * least-inked columns in the last half of the allowed width.
 */
export const pieces = (ink: Int32Array, maxWidth: number): ReadonlyArray<Piece> => {
  const width = ink.length
  const out: Array<Piece> = []
  let start = 0
  let gapBefore = 0
  while (width - start > maxWidth) {
    const from = start + Math.floor(maxWidth / 2)
    const to = start + maxWidth
    let least = Number.POSITIVE_INFINITY
    for (let x = from; x < to; x++) least = Math.min(least, ink[x]!)
    let bestStart = from
    let bestLength = 0
    for (let x = from; x < to; ) {
      if (ink[x]! !== least) {
        x++
        continue
      }
      let end = x
      while (end < to && ink[end]! === least) end++
      if (end - x > bestLength) {
        bestStart = x
        bestLength = end - x
      }
      x = end
    }
    // The whole empty run, also where it reaches past the search window, is the gap.
    let runStart = bestStart
    let runEnd = bestStart + bestLength
    while (runStart > start && ink[runStart - 1]! === least) runStart--
    while (runEnd < width && ink[runEnd]! === least) runEnd++
    const cut = Math.round(bestStart + bestLength / 2)
    out.push({ start, end: cut, gapBefore })
    start = cut
    gapBefore = least === 0 ? runEnd - runStart : 0
  }
  out.push({ start, end: width, gapBefore })
  return out
}

const WORD = /[\p{Script=Latin}\p{Nd}]/u

/**
 * One line's reading from its pieces' readings: texts joined (a space at a
 * cut gap of at least `spaceGap` pixels between two Latin letters or
 * digits), character positions moved into the whole crop, confidence the
 * character-weighted mean.
 */
export const join = (
  parts: ReadonlyArray<{ readonly piece: Piece; readonly text: TextRecognizer.RecognizedText }>,
  width: number,
  spaceGap: number
): TextRecognizer.RecognizedText => {
  let text = ""
  const chars: Array<TextRecognizer.RecognizedChar> = []
  let weight = 0
  let sum = 0
  for (const { piece, text: read } of parts) {
    const t = read.text.trim()
    if (t === "") continue
    if (text !== "" && piece.gapBefore >= spaceGap && WORD.test(text.at(-1)!) && WORD.test(t[0]!)) {
      text += " "
    }
    text += t
    const span = piece.end - piece.start
    for (const c of read.chars ?? []) {
      chars.push({
        ...c,
        start: (piece.start + c.start * span) / width,
        end: (piece.start + c.end * span) / width
      })
    }
    const n = [...t].length
    weight += n
    sum += read.confidence * n
  }
  return { text, confidence: weight === 0 ? 0 : sum / weight, chars }
}
