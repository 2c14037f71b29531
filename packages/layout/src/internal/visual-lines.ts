/**
 * Joining the pieces of one visual line: detectors split a line at wide
 * spaces (justified text, tabs, a heading's word gap). Pieces on the same
 * row with a small gap become one `Line`: a space between them unless both
 * sides are Han characters or either side is CJK punctuation.
 */
import { type Document, Geometry, TextScript } from "@ocr2word/core"
import { lineHeight, overlap } from "./line-metrics.ts"

const CJK_PUNCTUATION = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]/u

const lastChar = (text: string): string => [...text].at(-1) ?? ""
const firstChar = (text: string): string => [...text][0] ?? ""

/** The separator between two pieces of text read one after the other on a line. */
export const separator = (before: string, after: string): string => {
  const a = lastChar(before.trimEnd())
  const b = firstChar(after.trimStart())
  if (a === "" || b === "") return ""
  if (CJK_PUNCTUATION.test(a) || CJK_PUNCTUATION.test(b)) return ""
  if (TextScript.isHan(a) && TextScript.isHan(b)) return ""
  return " "
}

/** True when two pieces sit on the same row (their boxes overlap by half the smaller height). */
export const sameRow = (a: Document.Line, b: Document.Line): boolean =>
  overlap(a.box.y, a.box.y + a.box.height, b.box.y, b.box.y + b.box.height) > 0.5 * Math.min(a.box.height, b.box.height)

/** One line from pieces given left to right. */
export const joinPieces = (pieces: ReadonlyArray<Document.Line>): Document.Line => {
  if (pieces.length === 1) return pieces[0]!
  const first = pieces[0]!
  const last = pieces[pieces.length - 1]!
  let text = ""
  for (const piece of pieces) {
    const t = piece.text.trim()
    text = text.length === 0 ? t : `${text}${separator(text, t)}${t}`
  }
  const chars = pieces.map((p) => Math.max(1, [...p.text].length))
  const total = chars.reduce((s, n) => s + n, 0)
  return {
    text,
    box: Geometry.unionBoxes(pieces.map((p) => p.box)),
    polygon: [first.polygon[0], last.polygon[1], last.polygon[2], first.polygon[3]],
    confidence: pieces.reduce((s, p, i) => s + p.confidence * chars[i]!, 0) / total,
    direction: first.direction,
    script: TextScript.scriptOf(text),
    words: pieces.flatMap((p) => p.words)
  }
}

/**
 * Lines of a leaf (ordered top to bottom, left to right) with the pieces of
 * each visual line joined: neighbours on the same row, of similar height,
 * at most `mergeGap` line heights apart. Heights may differ up to twice:
 * a short piece without ascenders or descenders gets a lower box.
 */
export const mergePieces = (lines: ReadonlyArray<Document.Line>, mergeGap: number): ReadonlyArray<Document.Line> => {
  const out: Array<Document.Line> = []
  let run: Array<Document.Line> = []
  const flush = () => {
    if (run.length > 0) out.push(joinPieces(run))
    run = []
  }
  for (const line of lines) {
    const prev = run[run.length - 1]
    if (prev !== undefined) {
      const h = Math.min(lineHeight(prev), lineHeight(line))
      const H = Math.max(lineHeight(prev), lineHeight(line))
      const gap = line.box.x - (prev.box.x + prev.box.width)
      const joinable =
        prev.direction === "horizontal" &&
        line.direction === "horizontal" &&
        sameRow(prev, line) &&
        H <= h * 2 &&
        gap <= mergeGap * h
      if (!joinable) flush()
    }
    run.push(line)
  }
  flush()
  return out
}
