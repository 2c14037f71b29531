/**
 * Accuracy metrics of OCR output against ground truth, all pure: character
 * error rate (normalised and strict), word error rate on English words,
 * bag-of-characters F1, detection precision/recall/F1 by IoU matching,
 * paragraph-boundary F1 and reading-order edit distance, and a readable text
 * diff. This module is the single home of these functions: the benchmark
 * harness and `tools/src/eval.ts` both import it.
 *
 * Scoring follows `datasets/real-dev/README.md`: both sides are NFKC
 * normalised and stripped of white space before the CER is computed, because
 * full- and half-width punctuation often cannot be told apart in an image.
 * The strict CER keeps the width of punctuation (no NFKC). Where a set's
 * truth does not keep the image's letter case (`gt_case: "upper"`), every
 * text metric also folds case on both sides (`Folding`).
 *
 * The order-free error (`orderFreeErrors`) is the fewest edits that turn the
 * output's multiset of characters into the truth's, over the truth length: a
 * lower bound of the CER that no reading order can beat, so `CER - order-free
 * error` is the part of the error due to the order of the text, and the
 * order-free error the part due to recognition (characters missed, misread or
 * added).
 *
 * @since 0.1.0
 */

import { Document, Geometry } from "@ocr2word/core"

type Box = Geometry.Box

/** Edits needed to turn a reference into a hypothesis, and the reference length. */
export interface ErrorCount {
  readonly edits: number
  readonly length: number
}

/**
 * What scoring folds beyond its fixed rules. `caseFold`: compare letters
 * regardless of case, for a truth transcribed in capitals from a mixed-case
 * image (a manifest item's `case: "upper"`).
 */
export interface Folding {
  readonly caseFold?: boolean
}

/** The folding a manifest item asks for (by its `case` field). */
export const foldingOf = (item: { readonly case?: "upper" }): Folding =>
  item.case === "upper" ? { caseFold: true } : {}

const fold = (text: string, folding: Folding | undefined): string =>
  folding?.caseFold === true ? text.toUpperCase() : text

/** Text as scored: NFKC, no white space (then case folded when asked). */
export const normalize = (text: string, folding?: Folding): string =>
  fold(text.normalize("NFKC").replace(/\s+/gu, ""), folding)

/** Text as scored strictly: white space dropped, character widths kept (case folded when asked). */
export const normalizeStrict = (text: string, folding?: Folding): string => fold(text.replace(/\s+/gu, ""), folding)

/** Levenshtein distance between two sequences (unit costs). */
export const editDistance = <A>(a: ReadonlyArray<A>, b: ReadonlyArray<A>): number => {
  if (a.length === 0) return b.length
  if (b.length === 0) return a.length
  let prev = new Int32Array(b.length + 1)
  let curr = new Int32Array(b.length + 1)
  for (let j = 0; j <= b.length; j++) prev[j] = j
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i
    const ai = a[i - 1]
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1]! + (ai === b[j - 1] ? 0 : 1)
      const del = prev[j]! + 1
      const ins = curr[j - 1]! + 1
      curr[j] = sub < del ? Math.min(sub, ins) : Math.min(del, ins)
    }
    const t = prev
    prev = curr
    curr = t
  }
  return prev[b.length]!
}

/** Characters (code points) of a string. */
const chars = (text: string): Array<string> => Array.from(text)

/** Character errors after NFKC and white-space removal. */
export const characterErrors = (reference: string, hypothesis: string, folding?: Folding): ErrorCount => {
  const r = chars(normalize(reference, folding))
  return { edits: editDistance(r, chars(normalize(hypothesis, folding))), length: r.length }
}

/** Character errors with punctuation width counting (white space still dropped). */
export const strictCharacterErrors = (reference: string, hypothesis: string, folding?: Folding): ErrorCount => {
  const r = chars(normalizeStrict(reference, folding))
  return { edits: editDistance(r, chars(normalizeStrict(hypothesis, folding))), length: r.length }
}

/** Error rate of a count: edits / length (an empty reference scores 0 when the hypothesis is empty, else 1). */
export const rate = (count: ErrorCount): number =>
  count.length === 0 ? (count.edits === 0 ? 0 : 1) : count.edits / count.length

/** Sum counts, for a corpus-level rate (total edits over total length). */
export const sumCounts = (counts: ReadonlyArray<ErrorCount>): ErrorCount =>
  counts.reduce((acc, c) => ({ edits: acc.edits + c.edits, length: acc.length + c.length }), { edits: 0, length: 0 })

/** Character error rate (NFKC, white space dropped). */
export const cer = (reference: string, hypothesis: string, folding?: Folding): number =>
  rate(characterErrors(reference, hypothesis, folding))

/** Strict character error rate (character widths count). */
export const strictCer = (reference: string, hypothesis: string, folding?: Folding): number =>
  rate(strictCharacterErrors(reference, hypothesis, folding))

const ENGLISH_WORD = /[A-Za-z0-9]+(?:['’.-][A-Za-z0-9]+)*/gu

/**
 * English words (runs of Latin letters and digits, with inner apostrophes,
 * dots and hyphens) of a text after NFKC. Han characters separate words, so a
 * lost space between two English words makes one wrong word, as it should.
 */
export const englishWords = (text: string, folding?: Folding): Array<string> =>
  fold(text.normalize("NFKC"), folding).match(ENGLISH_WORD) ?? []

/** Word errors on English words; `length` 0 when the reference has none. */
export const wordErrors = (reference: string, hypothesis: string, folding?: Folding): ErrorCount => {
  const r = englishWords(reference, folding)
  return { edits: editDistance(r, englishWords(hypothesis, folding)), length: r.length }
}

/** Word error rate on English words. */
export const wer = (reference: string, hypothesis: string, folding?: Folding): number =>
  rate(wordErrors(reference, hypothesis, folding))

/** Precision, recall and F1 from counts of true positives, predictions and references. */
export interface F1 {
  readonly precision: number
  readonly recall: number
  readonly f1: number
  readonly truePositives: number
  readonly predicted: number
  readonly expected: number
}

/** F1 from counts; precision (recall) is 1 when nothing was predicted (expected). */
export const f1 = (truePositives: number, predicted: number, expected: number): F1 => {
  const precision = predicted === 0 ? 1 : truePositives / predicted
  const recall = expected === 0 ? 1 : truePositives / expected
  const f = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1: f, truePositives, predicted, expected }
}

/** Sum F1 counts and recompute the scores (micro average). */
export const sumF1 = (scores: ReadonlyArray<F1>): F1 =>
  f1(
    scores.reduce((s, x) => s + x.truePositives, 0),
    scores.reduce((s, x) => s + x.predicted, 0),
    scores.reduce((s, x) => s + x.expected, 0)
  )

/**
 * Order-free score: F1 of the multisets of characters (NFKC, white space
 * dropped). Its recall is the share of the truth's characters found anywhere
 * in the output (multiset intersection over the truth length).
 */
export const bagOfCharactersF1 = (reference: string, hypothesis: string, folding?: Folding): F1 => {
  const counts = new Map<string, number>()
  const r = chars(normalize(reference, folding))
  const h = chars(normalize(hypothesis, folding))
  for (const c of r) counts.set(c, (counts.get(c) ?? 0) + 1)
  let tp = 0
  for (const c of h) {
    const n = counts.get(c) ?? 0
    if (n > 0) {
      tp++
      counts.set(c, n - 1)
    }
  }
  return f1(tp, h.length, r.length)
}

/**
 * Order-free errors from a bag-of-characters score: the fewest substitutions,
 * insertions and deletions that make the output's multiset of characters the
 * truth's, max(|truth|, |output|) - |truth ∩ output|, over the truth length.
 * Never above the edit distance, so CER minus this rate is the error that only
 * a different order of the same characters would remove.
 */
export const orderFreeErrorsOf = (bag: F1): ErrorCount => ({
  edits: Math.max(bag.expected, bag.predicted) - bag.truePositives,
  length: bag.expected
})

/** Order-free errors of a hypothesis against a reference (see `orderFreeErrorsOf`). */
export const orderFreeErrors = (reference: string, hypothesis: string, folding?: Folding): ErrorCount =>
  orderFreeErrorsOf(bagOfCharactersF1(reference, hypothesis, folding))

/** Area of the intersection of two boxes over the area of their union. */
export const iou = Geometry.iou

/** A one-to-one match of reference index to prediction index. */
export interface Match {
  readonly reference: number
  readonly prediction: number
  readonly score: number
}

/**
 * Greedy one-to-one matching: pairs are taken by descending score, each side
 * used once, pairs scoring below `threshold` never matched. The pair order on
 * ties is reference index, then prediction index, so results are stable.
 */
export const greedyMatch = (
  references: number,
  predictions: number,
  score: (reference: number, prediction: number) => number,
  threshold: number
): Array<Match> => {
  const pairs: Array<Match> = []
  for (let r = 0; r < references; r++) {
    for (let p = 0; p < predictions; p++) {
      const s = score(r, p)
      if (s >= threshold) pairs.push({ reference: r, prediction: p, score: s })
    }
  }
  pairs.sort((a, b) => b.score - a.score || a.reference - b.reference || a.prediction - b.prediction)
  const usedR = new Set<number>()
  const usedP = new Set<number>()
  const out: Array<Match> = []
  for (const pair of pairs) {
    if (usedR.has(pair.reference) || usedP.has(pair.prediction)) continue
    usedR.add(pair.reference)
    usedP.add(pair.prediction)
    out.push(pair)
  }
  return out.sort((a, b) => a.reference - b.reference)
}

/** Boxes matched one-to-one at IoU >= threshold (0.5 by default). */
export const matchBoxes = (references: ReadonlyArray<Box>, predictions: ReadonlyArray<Box>, threshold = 0.5) =>
  greedyMatch(references.length, predictions.length, (r, p) => iou(references[r]!, predictions[p]!), threshold)

/** Detection precision/recall/F1 at IoU >= threshold. */
export const detectionF1 = (references: ReadonlyArray<Box>, predictions: ReadonlyArray<Box>, threshold = 0.5): F1 =>
  f1(matchBoxes(references, predictions, threshold).length, predictions.length, references.length)

/** Similarity of two line texts: 1 - CER, floored at 0. */
export const textSimilarity = (reference: string, hypothesis: string, folding?: Folding): number => {
  const r = normalize(reference, folding)
  const h = normalize(hypothesis, folding)
  if (r.length === 0 && h.length === 0) return 1
  const d = editDistance(chars(r), chars(h))
  return Math.max(0, 1 - d / Math.max(chars(r).length, chars(h).length))
}

/**
 * Lines matched one-to-one by text (similarity >= threshold). Structure
 * metrics use text rather than boxes so they hold on rotated or warped pages,
 * whose predicted geometry is in the deskewed frame.
 */
export const matchLinesByText = (
  references: ReadonlyArray<string>,
  predictions: ReadonlyArray<string>,
  threshold = 0.5,
  folding?: Folding
): Array<Match> =>
  greedyMatch(
    references.length,
    predictions.length,
    (r, p) => textSimilarity(references[r]!, predictions[p]!, folding),
    threshold
  )

/**
 * Paragraph-boundary F1. `reference[i]` is the paragraph (unit) of reference
 * line i, lines in reading order; `predicted[i]` is the unit the prediction
 * put the line matched to reference line i in, or undefined when unmatched.
 * Every adjacent pair of reference lines that are both matched is a boundary
 * in the reference when their units differ, and in the prediction when the
 * predicted units differ; F1 is over those boundaries.
 */
export const paragraphBoundaryF1 = (
  reference: ReadonlyArray<number>,
  predicted: ReadonlyArray<number | undefined>
): F1 => {
  let tp = 0
  let pred = 0
  let exp = 0
  for (let i = 0; i + 1 < reference.length; i++) {
    const a = predicted[i]
    const b = predicted[i + 1]
    if (a === undefined || b === undefined) continue
    const refBoundary = reference[i] !== reference[i + 1]
    const predBoundary = a !== b
    if (refBoundary) exp++
    if (predBoundary) pred++
    if (refBoundary && predBoundary) tp++
  }
  return f1(tp, pred, exp)
}

/**
 * Reading-order edit distance: `order` lists the reference line indices in
 * the order the prediction read them (unmatched lines left out). The result is
 * the edit distance to the same indices sorted, over their number: 0 when the
 * lines were read in the reference order.
 */
export const readingOrderDistance = (order: ReadonlyArray<number>): number => {
  if (order.length === 0) return 0
  const sorted = [...order].sort((a, b) => a - b)
  return editDistance(order, sorted) / order.length
}

/**
 * Heading detection F1: reference and predicted heading texts matched
 * one-to-one by text similarity (>= `threshold`, 0.8 by default). Text, not
 * boxes, so it holds on warped pages.
 */
export const headingF1 = (references: ReadonlyArray<string>, predictions: ReadonlyArray<string>, threshold = 0.8): F1 =>
  f1(matchLinesByText(references, predictions, threshold).length, predictions.length, references.length)

/** A table as scored: its cells' text by grid position. */
export interface ScoredTable {
  readonly cells: ReadonlyArray<{ readonly row: number; readonly column: number; readonly text: string }>
}

/** The text of a table, cells row by row. */
const tableText = (table: ScoredTable): string =>
  Document.byGridPosition(table.cells)
    .map((c) => c.text)
    .join("")

/** Reference and predicted tables matched one-to-one by the similarity of their text (>= threshold). */
export const matchTables = (
  references: ReadonlyArray<ScoredTable>,
  predictions: ReadonlyArray<ScoredTable>,
  threshold = 0.5
): Array<Match> =>
  greedyMatch(
    references.length,
    predictions.length,
    (r, p) => textSimilarity(tableText(references[r]!), tableText(predictions[p]!)),
    threshold
  )

/** Table detection F1: tables matched by text (see `matchTables`). */
export const tableF1 = (
  references: ReadonlyArray<ScoredTable>,
  predictions: ReadonlyArray<ScoredTable>,
  threshold = 0.5
): F1 => f1(matchTables(references, predictions, threshold).length, predictions.length, references.length)

/**
 * Cell-text accuracy of a predicted table against its reference: the mean,
 * over the reference cells, of the text similarity (1 - CER, floored at 0)
 * to the predicted cell at the same row and column (0 when there is none).
 * Empty reference cells count when the prediction leaves them empty too.
 */
export const cellTextAccuracy = (reference: ScoredTable, prediction: ScoredTable): number => {
  if (reference.cells.length === 0) return prediction.cells.length === 0 ? 1 : 0
  const at = new Map(prediction.cells.map((c) => [`${c.row},${c.column}`, c.text]))
  const total = reference.cells.reduce((sum, cell) => {
    const predicted = at.get(`${cell.row},${cell.column}`)
    return sum + (predicted === undefined ? 0 : textSimilarity(cell.text, predicted))
  }, 0)
  return total / reference.cells.length
}

/** Figure detection recall (and precision, F1) at IoU >= threshold, on boxes of one page frame. */
export const figureDetection = (references: ReadonlyArray<Box>, predictions: ReadonlyArray<Box>, threshold = 0.5): F1 =>
  detectionF1(references, predictions, threshold)

/** A piece of a text diff. */
export interface DiffPart {
  readonly op: "same" | "delete" | "insert"
  readonly text: string
}

/** Character diff (from a Levenshtein backtrace) of reference against hypothesis. */
export const diff = (reference: string, hypothesis: string): Array<DiffPart> => {
  const a = chars(reference)
  const b = chars(hypothesis)
  const w = b.length + 1
  const d = new Int32Array((a.length + 1) * w)
  for (let i = 0; i <= a.length; i++) d[i * w] = i
  for (let j = 0; j <= b.length; j++) d[j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i * w + j] = Math.min(
        d[(i - 1) * w + j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
        d[(i - 1) * w + j]! + 1,
        d[i * w + j - 1]! + 1
      )
    }
  }
  // Walk back from the end, then group each run of changes as one deletion and one insertion.
  const steps: Array<[DiffPart["op"], string]> = []
  let i = a.length
  let j = b.length
  while (i > 0 || j > 0) {
    const here = d[i * w + j]!
    if (i > 0 && j > 0 && a[i - 1] === b[j - 1] && here === d[(i - 1) * w + j - 1]!) {
      steps.push(["same", a[i - 1]!])
      i--
      j--
    } else if (i > 0 && j > 0 && here === d[(i - 1) * w + j - 1]! + 1) {
      steps.push(["insert", b[j - 1]!], ["delete", a[i - 1]!])
      i--
      j--
    } else if (i > 0 && here === d[(i - 1) * w + j]! + 1) {
      steps.push(["delete", a[i - 1]!])
      i--
    } else {
      steps.push(["insert", b[j - 1]!])
      j--
    }
  }
  steps.reverse()
  const parts: Array<DiffPart> = []
  let k = 0
  while (k < steps.length) {
    if (steps[k]![0] === "same") {
      let text = ""
      while (k < steps.length && steps[k]![0] === "same") text += steps[k++]![1]
      parts.push({ op: "same", text })
    } else {
      let del = ""
      let ins = ""
      while (k < steps.length && steps[k]![0] !== "same") {
        if (steps[k]![0] === "delete") del += steps[k]![1]
        else ins += steps[k]![1]
        k++
      }
      if (del.length > 0) parts.push({ op: "delete", text: del })
      if (ins.length > 0) parts.push({ op: "insert", text: ins })
    }
  }
  return parts
}

/** A diff as one line of text: `[-deleted-]{+inserted+}` around changes (wdiff style). */
export const formatDiff = (parts: ReadonlyArray<DiffPart>): string =>
  parts.map((p) => (p.op === "same" ? p.text : p.op === "delete" ? `[-${p.text}-]` : `{+${p.text}+}`)).join("")

/** The q-quantile (0..1) of numbers, by linear interpolation; NaN for none. */
export const quantile = (values: ReadonlyArray<number>, q: number): number => {
  if (values.length === 0) return Number.NaN
  const s = [...values].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo)
}
