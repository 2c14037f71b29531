/**
 * Text accuracy metrics for OCR output against ground truth, as the real-dev
 * README scores them: character error rate (Levenshtein distance over the
 * reference length) after Unicode NFKC with all white space dropped; a
 * strict variant without NFKC, so full- and half-width punctuation count as
 * different; and an order-free bag-of-characters F1 for images whose block
 * order is a matter of choice. Totals are micro averages (sum of edits over
 * sum of reference lengths).
 *
 * @since 0.1.0
 */

/** NFKC, then every white-space character removed: the README's scoring form. */
export const normalize = (text: string): string => text.normalize("NFKC").replace(/\s+/gu, "")

/** White space removed, nothing else changed: punctuation width counts. */
export const normalizeStrict = (text: string): string => text.replace(/\s+/gu, "")

/** Levenshtein distance between two strings, counted in code points. */
export const levenshtein = (a: string, b: string): number => {
  const x = [...a]
  const y = [...b]
  if (x.length === 0) return y.length
  if (y.length === 0) return x.length
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j)
  for (let i = 1; i <= x.length; i++) {
    const current = [i]
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
    }
    previous = current
  }
  return previous[y.length]!
}

/** Edits and reference length of one comparison, so totals can be summed. */
export interface ErrorCount {
  readonly edits: number
  readonly length: number
}

/** Edits needed to turn the hypothesis into the reference, after `norm`. */
export const errorCount = (hypothesis: string, reference: string, norm: (s: string) => string = normalize): ErrorCount => {
  const ref = norm(reference)
  return { edits: levenshtein(norm(hypothesis), ref), length: [...ref].length }
}

/** Character error rate of one count (0 for an empty reference read as empty). */
export const rate = (count: ErrorCount): number =>
  count.length === 0 ? (count.edits === 0 ? 0 : 1) : count.edits / count.length

/** Micro-averaged character error rate: sum of edits over sum of reference lengths. */
export const microRate = (counts: ReadonlyArray<ErrorCount>): number =>
  rate(counts.reduce((s, c) => ({ edits: s.edits + c.edits, length: s.length + c.length }), { edits: 0, length: 0 }))

/** Character error rate after `normalize`. */
export const cer = (hypothesis: string, reference: string): number => rate(errorCount(hypothesis, reference))

/** Character error rate after `normalizeStrict`. */
export const strictCer = (hypothesis: string, reference: string): number =>
  rate(errorCount(hypothesis, reference, normalizeStrict))

const bag = (text: string): Map<string, number> => {
  const counts = new Map<string, number>()
  for (const ch of normalize(text)) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  return counts
}

/** Precision, recall and F1 of the characters, ignoring their order. */
export const bagOfCharacters = (
  hypothesis: string,
  reference: string
): { readonly precision: number; readonly recall: number; readonly f1: number } => {
  const h = bag(hypothesis)
  const r = bag(reference)
  let common = 0
  for (const [ch, n] of h) common += Math.min(n, r.get(ch) ?? 0)
  const hn = [...h.values()].reduce((s, n) => s + n, 0)
  const rn = [...r.values()].reduce((s, n) => s + n, 0)
  const precision = hn === 0 ? (rn === 0 ? 1 : 0) : common / hn
  const recall = rn === 0 ? 1 : common / rn
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1 }
}
