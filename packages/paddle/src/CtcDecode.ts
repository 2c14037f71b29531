/**
 * Greedy CTC decoding of a recogniser's output against its dictionary, as
 * PaddleOCR's `CTCLabelDecode`: take the most likely class at each time step,
 * merge repeats, drop the blank. Each character keeps where it sits in the
 * line (as fractions of the crop width) and its probability.
 *
 * The label set is `blank`, then the dictionary's lines, then a space
 * (`use_space_char`), so English word spaces survive. Spaces the model puts
 * between two Chinese characters are removed.
 *
 * Pure and model-free.
 *
 * @since 0.1.0
 */
import type { TextRecognizer } from "@ocr2word/core"

/** The recogniser's classes: index 0 is the CTC blank. */
export interface Labels {
  readonly characters: ReadonlyArray<string>
}

/**
 * Labels from the text of a dictionary file: one character per line. A final
 * newline (or its absence) and Windows line ends change nothing: an empty last
 * line is not a character, which is the bug that shifts every character by one.
 */
export const labelsFromDictionary = (text: string, useSpaceChar = true): Labels => {
  const lines = text.replace(/^\uFEFF/u, "").split(/\r?\n/u)
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop()
  return { characters: ["", ...lines, ...(useSpaceChar ? [" "] : [])] }
}

/** Number of classes a model must output for these labels. */
export const classCount = (labels: Labels): number => labels.characters.length

/** A decoded line. */
export interface Decoded {
  readonly text: string
  /** Mean of the kept characters' probabilities (0 when nothing was read). */
  readonly confidence: number
  readonly chars: ReadonlyArray<TextRecognizer.RecognizedChar>
}

const HAN = /\p{Script=Han}/u

/**
 * Decode one sequence of `steps` x `classes` probabilities starting at
 * `offset` in `data`. `widthFraction` is the share of the model's input width
 * the crop filled (the rest was padding), so positions come out as fractions
 * of the crop itself.
 */
export const decode = (
  labels: Labels,
  data: Float32Array,
  steps: number,
  classes: number,
  offset = 0,
  widthFraction = 1
): Decoded => {
  const raw: Array<{ text: string; first: number; last: number; prob: number }> = []
  let previous = -1
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes
    let best = 0
    let bestProb = data[base]!
    for (let k = 1; k < classes; k++) {
      const v = data[base + k]!
      if (v > bestProb) {
        bestProb = v
        best = k
      }
    }
    if (best !== 0 && best === previous) {
      const last = raw[raw.length - 1]!
      last.last = t
    } else if (best !== 0) {
      raw.push({ text: labels.characters[best] ?? "", first: t, last: t, prob: bestProb })
    }
    previous = best
  }
  const scale = widthFraction > 0 ? 1 / (steps * widthFraction) : 0
  const chars = raw.map((c) => ({
    text: c.text,
    start: Math.min(1, c.first * scale),
    end: Math.min(1, (c.last + 1) * scale),
    confidence: c.prob
  }))
  const confidence = chars.length === 0 ? 0 : chars.reduce((s, c) => s + c.confidence, 0) / chars.length
  const kept = tidySpaces(chars)
  return { text: kept.map((c) => c.text).join(""), confidence, chars: kept }
}

/**
 * Drop leading, trailing and repeated spaces, and spaces between two Han
 * characters (Chinese is written without them; the model sometimes sees one in
 * a wide gap).
 */
export const tidySpaces = (
  chars: ReadonlyArray<TextRecognizer.RecognizedChar>
): ReadonlyArray<TextRecognizer.RecognizedChar> => {
  const out: Array<TextRecognizer.RecognizedChar> = []
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    if (c.text.trim() !== "") {
      out.push(c)
      continue
    }
    const before = out[out.length - 1]
    if (before === undefined || before.text.trim() === "") continue
    let j = i + 1
    while (j < chars.length && chars[j]!.text.trim() === "") j++
    const after = chars[j]
    if (after === undefined) continue
    if (HAN.test(before.text) && HAN.test(after.text)) continue
    out.push({ ...c, text: " " })
  }
  return out
}
