import type { Line, Word } from "../Document.ts"
import type { Box, Point, Quad } from "../Geometry.ts"
import { boxOfPoints } from "../Geometry.ts"
import { isVertical } from "../TextCrop.ts"
import type { RecognizedChar, RecognizedText } from "../TextRecognizer.ts"
import { isHan, scriptOf } from "../TextScript.ts"

const lerp = (a: Point, b: Point, t: number): Point => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t })

/** The box of the part of a line quad between fractions `start` and `end` of its reading length. */
const spanBox = (quad: Quad, start: number, end: number): Box => {
  const [tl, tr, br, bl] = quad
  return boxOfPoints([lerp(tl, tr, start), lerp(tl, tr, end), lerp(bl, br, start), lerp(bl, br, end)])
}

/** Evenly spread characters, for recognisers that give no positions. */
const evenChars = (text: string, confidence: number): ReadonlyArray<RecognizedChar> => {
  const chars = [...text]
  return chars.map((ch, i) => ({ text: ch, start: i / chars.length, end: (i + 1) / chars.length, confidence }))
}

/**
 * Words of a line: each Han character is a word; runs of other non-space
 * characters form words.
 */
const wordsOf = (quad: Quad, rec: RecognizedText): ReadonlyArray<Word> => {
  const chars = rec.chars ?? evenChars(rec.text, rec.confidence)
  const words: Array<Word> = []
  let run: Array<RecognizedChar> = []
  const flush = () => {
    if (run.length === 0) return
    const first = run[0]!
    const last = run[run.length - 1]!
    words.push({
      text: run.map((c) => c.text).join(""),
      box: spanBox(quad, first.start, last.end),
      confidence: Math.min(...run.map((c) => c.confidence))
    })
    run = []
  }
  for (const c of chars) {
    if (/^\s+$/u.test(c.text)) flush()
    else if (isHan(c.text)) {
      flush()
      run = [c]
      flush()
    } else run.push(c)
  }
  flush()
  return words
}

/** A document line from a detected quad and its recognised text. */
export const assembleLine = (quad: Quad, rec: RecognizedText): Line => ({
  text: rec.text,
  box: boxOfPoints(quad),
  polygon: quad,
  confidence: rec.confidence,
  direction: isVertical(quad) ? "vertical" : "horizontal",
  script: scriptOf(rec.text),
  words: wordsOf(quad, rec)
})
