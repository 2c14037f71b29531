/**
 * The scorer on real manifest items: the `gt_case` rule on a real-dev-2
 * receipt, and reading order measured apart from recognition on a real-dev
 * page whose lines are put out of order.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Manifest from "../src/Manifest.ts"
import * as Metrics from "../src/Metrics.ts"
import * as Score from "../src/Score.ts"

const datasets = new URL("../../datasets", import.meta.url).pathname

/** Title case, as receipts print what SROIE transcribes in capitals. */
const titleCase = (text: string) => text.toLowerCase().replace(/\b[a-z]/g, (c) => c.toUpperCase())

describe("Score.score", () => {
  it.effect("folds case for gt_case upper items only, in every text metric", () =>
    Effect.gen(function* () {
      const set = yield* Manifest.load("real-dev-2", datasets)
      const receipt = set.items.find((i) => i.id === "sroie_008")!
      expect(receipt.case).toBe("upper")
      const output = { text: titleCase(receipt.text) }
      expect(output.text).not.toBe(receipt.text)
      const folded = Score.score(receipt, output)
      expect(Metrics.rate(folded.characters)).toBe(0)
      expect(Metrics.rate(folded.strict)).toBe(0)
      expect(Metrics.rate(folded.words)).toBe(0)
      expect(folded.bag.f1).toBe(1)
      expect(folded.bag.recall).toBe(1)
      expect(folded.readingOrder).toBe(0)
      // The same item without the rule: most letters are wrong.
      const { case: _, ...plain } = receipt
      const unfolded = Score.score(plain, output)
      expect(Metrics.rate(unfolded.characters)).toBeGreaterThan(0.3)
      expect(Metrics.rate(unfolded.words)).toBeGreaterThan(0.5)
      expect(unfolded.bag.recall).toBeLessThan(0.7)
    })
  )

  it.effect("puts lines read out of order in the order part of the CER, not the order-free part", () =>
    Effect.gen(function* () {
      const set = yield* Manifest.load("real-dev", datasets)
      const page = set.items.find((i) => i.id === "tjs_bill")!
      const lines = page.text.split("\n")
      expect(lines.length).toBeGreaterThan(4)
      const half = Math.floor(lines.length / 2)
      // The second half of the page read first, as when two columns are taken in the wrong order.
      const swapped = [...lines.slice(half), ...lines.slice(0, half)].join("\n")
      const s = Score.score(page, { text: swapped })
      expect(Metrics.rate(s.orderFree)).toBe(0)
      expect(s.bag.recall).toBe(1)
      expect(Metrics.rate(s.characters)).toBeGreaterThan(0.2)
      expect(s.readingOrder).toBeGreaterThan(0.5)
      // Read in order, nothing is wrong.
      const right = Score.score(page, { text: page.text })
      expect([Metrics.rate(right.characters), right.readingOrder]).toEqual([0, 0])
    })
  )
})
