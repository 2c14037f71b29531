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
 * The model sometimes runs English words together ("OCRGCSE") even though it
 * saw the gap: the space class then loses to the blank in the frames between
 * the words. `gapSpaces` puts a space back between two Latin letters or digits
 * when those blank frames carry clear space evidence, or when the gap is far
 * wider than the line's typical character pitch.
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
  const raw: Array<{ text: string; first: number; last: number; prob: number; spaceEvidence: number }> = []
  const spaceIndex = labels.characters.lastIndexOf(" ")
  let evidence = 0
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
    if (best === 0 && spaceIndex > 0) evidence = Math.max(evidence, data[base + spaceIndex]!)
    if (best !== 0 && best === previous) {
      const last = raw[raw.length - 1]!
      last.last = t
    } else if (best !== 0) {
      raw.push({ text: labels.characters[best] ?? "", first: t, last: t, prob: bestProb, spaceEvidence: evidence })
      evidence = 0
    }
    previous = best
  }
  const scale = widthFraction > 0 ? 1 / (steps * widthFraction) : 0
  const chars = gapSpaces(raw).map((c) => ({
    text: c.text,
    start: Math.min(1, c.first * scale),
    end: Math.min(1, (c.last + 1) * scale),
    confidence: c.prob
  }))
  // Over what the model emitted: an inserted space does not change the line's confidence.
  const confidence = raw.length === 0 ? 0 : raw.reduce((s, c) => s + c.prob, 0) / raw.length
  const kept = tidySpaces(chars)
  return { text: kept.map((c) => c.text).join(""), confidence, chars: kept }
}

/** A decoded character in frames: the first and last time step it won. */
export interface Frames {
  readonly text: string
  readonly first: number
  readonly last: number
  /** The highest space probability in the blank frames just before it (0 when none). */
  readonly spaceEvidence: number
}

/** Space probability in the blank frames between two characters that counts as a word gap. */
export const SPACE_EVIDENCE = 0.1
/** A gap whose pitch is this many times the line's median pitch is a word gap by its width alone. */
export const PITCH_RATIO = 2.5
/** ... and has at least this many blank frames (pitches are whole frames, so small text is coarse). */
export const MIN_BLANK_FRAMES = 3
/** Fewest character pairs on a line for its median pitch to mean anything. */
export const MIN_PAIRS = 4

const LATIN_OR_DIGIT = /^[\p{Script=Latin}\p{Nd}]$/u

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Put back the spaces the model dropped between English words. Between two
 * consecutive Latin letters or digits with no space already there, a space is
 * inserted when the blank frames between them gave the space class at least
 * `SPACE_EVIDENCE`, or when their pitch (start to start, in frames) is at
 * least `PITCH_RATIO` times the line's median pitch between non-space
 * characters (with at least `MIN_PAIRS` pairs) and at least `MIN_BLANK_FRAMES`
 * blank frames separate them. Han characters never get one. An inserted space
 * takes the blank frames of the gap and the confidence of the evidence.
 */
export const gapSpaces = <C extends Frames & { readonly prob: number }>(
  chars: ReadonlyArray<C>
): ReadonlyArray<C | (Frames & { readonly prob: number })> => {
  const pitches: Array<number> = []
  for (let i = 1; i < chars.length; i++) {
    const a = chars[i - 1]!
    const b = chars[i]!
    if (a.text.trim() !== "" && b.text.trim() !== "") pitches.push(b.first - a.first)
  }
  const pitch = pitches.length >= MIN_PAIRS ? median(pitches) : 0
  const out: Array<C | (Frames & { readonly prob: number })> = []
  for (let i = 0; i < chars.length; i++) {
    const b = chars[i]!
    const a = chars[i - 1]
    if (a !== undefined && LATIN_OR_DIGIT.test(a.text) && LATIN_OR_DIGIT.test(b.text)) {
      const blanks = b.first - a.last - 1
      const wide = pitch > 0 && b.first - a.first >= PITCH_RATIO * pitch && blanks >= MIN_BLANK_FRAMES
      if (blanks > 0 && (b.spaceEvidence >= SPACE_EVIDENCE || wide)) {
        out.push({
          text: " ",
          first: a.last + 1,
          last: b.first - 1,
          spaceEvidence: 0,
          prob: Math.max(b.spaceEvidence, 0.5)
        })
      }
    }
    out.push(b)
  }
  return out
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
