/**
 * The analyser on lines the real PaddleOCR models find in real-dev images:
 * reading order on a four-column magazine spread, and the text order of
 * simpler pages, scored like the dataset's README (NFKC, no white space).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { expect, layer } from "@effect/vitest"
import { Document, Pipeline } from "@ocr2word/core"
import { ImagePreprocessor, SharpImageSource } from "@ocr2word/image"
import { Paddle } from "@ocr2word/paddle"
import { Effect, Layer } from "effect"
import * as XyCutLayoutAnalyzer from "../src/XyCutLayoutAnalyzer.ts"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../datasets/real-dev")
const manifest: ReadonlyArray<{ id: string; image: string; text: string }> = fs
  .readFileSync(path.join(root, "manifest.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim().length > 0)
  .map((l) => JSON.parse(l))

const normalize = (text: string): ReadonlyArray<string> => [...text.normalize("NFKC").replace(/\s+/gu, "")]

const editDistance = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): number => {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length]!
}

const cer = (reference: string, hypothesis: string): number =>
  editDistance(normalize(hypothesis), normalize(reference)) / Math.max(1, normalize(reference).length)

/** Character error rate with the order of characters ignored: what recognition alone costs. */
const orderFreeCer = (reference: string, hypothesis: string): number =>
  editDistance([...normalize(hypothesis)].sort(), [...normalize(reference)].sort()) /
  Math.max(1, normalize(reference).length)

/**
 * Where `pattern` ends in `text` allowing up to `tolerance` of its length in
 * edits (Sellers' approximate matching), or -1: recognition errors must not
 * hide a correctly ordered anchor.
 */
const find = (text: string, pattern: string, tolerance = 0.25): number => {
  const p = [...pattern]
  let column = Array.from({ length: p.length + 1 }, (_, i) => i)
  let best = { at: -1, cost: Math.floor(p.length * tolerance) + 1 }
  ;[...text].forEach((ch, j) => {
    const next = [0]
    for (let i = 1; i <= p.length; i++) {
      next[i] = Math.min(column[i]! + 1, next[i - 1]! + 1, column[i - 1]! + (p[i - 1] === ch ? 0 : 1))
    }
    if (next[p.length]! < best.cost) best = { at: j, cost: next[p.length]! }
    column = next
  })
  return best.at
}

const run = (id: string) =>
  Effect.gen(function* () {
    const item = manifest.find((m) => m.id === id)!
    const pipeline = yield* Pipeline.Pipeline
    const document = yield* pipeline.run(new Uint8Array(fs.readFileSync(path.join(root, item.image))), { source: id })
    return { document, truth: item.text, text: Document.toPlainText(document) }
  })

const pipeline = Pipeline.layer().pipe(
  Layer.provide(
    Layer.mergeAll(SharpImageSource.layer, ImagePreprocessor.layer, Paddle.layer, XyCutLayoutAnalyzer.layer)
  )
)

layer(pipeline, { timeout: 180_000 })("XyCutLayoutAnalyzer on real pages (PaddleOCR lines)", (it) => {
  it.effect(
    "tess_unlv_8071: a four-column magazine spread is read column by column, the spanning title as one heading",
    () =>
      Effect.gen(function* () {
        const { document, text, truth } = yield* run("tess_unlv_8071")
        const flat = normalize(text).join("").toLowerCase()
        // Each column's first words, in the order of the columns.
        const anchors = ["wanderedaroundthehouse", "causeofhersadness", "bookshowsthattradi", "onedaywhenhewastrying"]
        const at = anchors.map((a) => find(flat, a))
        expect(
          at.every((i) => i >= 0),
          text
        ).toBe(true)
        expect(
          [...at].sort((a, b) => a - b),
          text
        ).toEqual(at)
        // Whole columns before the next: the last words of column 1 come before the first of column 2.
        expect(find(flat, "tenderlyquestionedher")).toBeGreaterThan(find(flat, "adorationdidn'teven"))
        expect(find(flat, "tenderlyquestionedher")).toBeLessThan(at[1]!)
        const title = document.pages[0]!.blocks.find((b) =>
          Document.blockLines(b).some((l) => /What Kids/u.test(l.text))
        )!
        expect(title).toMatchObject({ kind: "heading", level: 1 })
        expect(
          Document.blockLines(title)
            .map((l) => l.text)
            .join(" ")
        ).toMatch(/What Kids Need Most in a Dad/u)
        const score = cer(truth, text)
        const recognition = orderFreeCer(truth, text)
        // The same lines read straight across the columns, as the other Paddle ports do.
        const across = Document.pageLines(document.pages[0]!)
          .toSorted((a, b) => a.box.y - b.box.y)
          .map((l) => l.text)
          .join("\n")
        const acrossScore = cer(truth, across)
        console.info(
          `tess_unlv_8071: CER ${(score * 100).toFixed(1)} % in our order, ${(acrossScore * 100).toFixed(1)} % read across, ${(recognition * 100).toFixed(1)} % order-free`
        )
        // In column order only recognition errors and the placement of a few blocks remain.
        expect(score - recognition).toBeLessThan(0.05)
        expect(score).toBeLessThan(acrossScore / 3)
      })
  )

  // Pages whose lines read straight down are easy; these are not: two-part Chinese pages, a worksheet
  // grid, a ticket (read row by row, not as columns). Order must cost next to nothing.
  for (const id of ["p2t_general", "cnocr_multiline_cn2", "pp_00059985", "cnocr_huochepiao"]) {
    it.effect(`${id}: reading order adds under 2 points of CER to recognition errors`, () =>
      Effect.gen(function* () {
        const { text, truth } = yield* run(id)
        const score = cer(truth, text)
        const recognition = orderFreeCer(truth, text)
        console.info(`${id}: CER ${(score * 100).toFixed(1)} %, order-free ${(recognition * 100).toFixed(1)} %`)
        expect(score - recognition).toBeLessThan(0.02)
      })
    )
  }
})
