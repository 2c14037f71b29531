/** Real evaluation images and their ground truth, for the tests. */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../datasets/real-dev")

export const realDev = (name: string): string => path.join(root, "images", name)

const manifest: ReadonlyArray<{ readonly id: string; readonly image: string; readonly text: string }> = fs
  .readFileSync(path.join(root, "manifest.jsonl"), "utf8")
  .split("\n")
  .filter((line) => line.trim().length > 0)
  .map((line) => JSON.parse(line))

/** Ground truth text of an image, lines joined by newlines. */
export const groundTruth = (image: string): string => {
  const item = manifest.find((entry) => entry.image === `images/${image}`)
  if (item === undefined) throw new Error(`No ground truth for ${image} in datasets/real-dev/manifest.jsonl`)
  return item.text
}

/** Edit distance between two arrays of characters. */
const editDistance = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/** Errors and reference length, scored as datasets/real-dev/README.md says. */
export interface ErrorCount {
  readonly errors: number
  readonly length: number
}

/** Character errors after NFKC with white space dropped (`strict`: white space dropped only, so width counts). */
export const characterErrors = (reference: string, hypothesis: string, strict = false): ErrorCount => {
  const clean = (text: string) => [...(strict ? text : text.normalize("NFKC")).replace(/\s+/gu, "")]
  const r = clean(reference)
  return { errors: editDistance(r, clean(hypothesis)), length: r.length }
}

/** Character error rate of a total. */
export const rate = (counts: ReadonlyArray<ErrorCount>): number => {
  const length = counts.reduce((sum, c) => sum + c.length, 0)
  const errors = counts.reduce((sum, c) => sum + c.errors, 0)
  return length === 0 ? (errors === 0 ? 0 : 1) : errors / length
}

/** Character error rate of one text. */
export const cer = (reference: string, hypothesis: string): number => rate([characterErrors(reference, hypothesis)])

/**
 * Order-free character error: 1 minus the F1 of the two bags of characters
 * (NFKC, white space dropped). For pages whose reading order is the layout
 * stage's choice rather than the recogniser's.
 */
export const bagError = (reference: string, hypothesis: string): number => {
  const bag = (text: string) => [...text.normalize("NFKC").replace(/\s+/gu, "")]
  const counts = new Map<string, number>()
  const r = bag(reference)
  const h = bag(hypothesis)
  for (const c of r) counts.set(c, (counts.get(c) ?? 0) + 1)
  let hits = 0
  for (const c of h) {
    const left = counts.get(c) ?? 0
    if (left > 0) {
      hits++
      counts.set(c, left - 1)
    }
  }
  return r.length + h.length === 0 ? 0 : 1 - (2 * hits) / (r.length + h.length)
}
