import { describe, expect, it } from "@effect/vitest"
import * as Metrics from "../src/Metrics.ts"

describe("Metrics", () => {
  it("CER drops white space and folds widths with NFKC", () => {
    // 你好，世界 vs 你好,世界: the comma differs only in width.
    expect(Metrics.cer("你好，世界", "你好, 世界")).toBe(0)
    expect(Metrics.characterErrors("你好世界", "你好世")).toEqual({ edits: 1, length: 4 })
    // One substitution (界 -> 介) and one insertion (!) over 4 characters.
    expect(Metrics.cer("你好世界", "你好世介!")).toBe(0.5)
    expect(Metrics.cer("", "")).toBe(0)
    expect(Metrics.cer("", "x")).toBe(1)
    expect(Metrics.cer("abc", "")).toBe(1)
  })

  it("strict CER counts punctuation width", () => {
    expect(Metrics.strictCharacterErrors("你好，世界", "你好,世界")).toEqual({ edits: 1, length: 5 })
    expect(Metrics.strictCer("a b", "ab")).toBe(0)
  })

  it("corpus CER sums edits and lengths", () => {
    const total = Metrics.sumCounts([
      { edits: 1, length: 4 },
      { edits: 0, length: 6 }
    ])
    expect(Metrics.rate(total)).toBe(0.1)
  })

  it("WER counts English words, and a lost space as a wrong word", () => {
    expect(Metrics.englishWords("营收达到 $3.2B，Revenue reached 3.2B")).toEqual(["3.2B", "Revenue", "reached", "3.2B"])
    // "Revenue reached" -> "Revenuereached": 1 substitution + 1 deletion over 2 words.
    expect(Metrics.wordErrors("Revenue reached $3.2B", "Revenuereached $3.2B")).toEqual({ edits: 2, length: 3 })
    expect(Metrics.wer("the quick fox", "the quick fox")).toBe(0)
    expect(Metrics.wer("只有中文", "只有中文")).toBe(0)
    expect(Metrics.wordErrors("只有中文", "abc")).toEqual({ edits: 1, length: 0 })
  })

  it("bag-of-characters F1 ignores order", () => {
    const s = Metrics.bagOfCharactersF1("abcd", "dcba")
    expect(s.f1).toBe(1)
    // reference aabc, hypothesis abx: tp = 2 (a, b), precision 2/3, recall 2/4.
    const t = Metrics.bagOfCharactersF1("aabc", "abx")
    expect(t.precision).toBeCloseTo(2 / 3)
    expect(t.recall).toBeCloseTo(0.5)
    expect(t.f1).toBeCloseTo((2 * (2 / 3) * 0.5) / (2 / 3 + 0.5))
  })

  it("case folding (gt_case upper): a mixed-case output against an all-caps truth", () => {
    const truth = "TOTAL (RM) : 112.45\nTHANK YOU."
    const output = "Total (RM) : 112.45\nThank you."
    const fold = Metrics.foldingOf({ case: "upper" })
    expect(fold).toEqual({ caseFold: true })
    expect(Metrics.foldingOf({})).toEqual({})
    // Without the rule the lower-case letters are errors in every metric; with it none is.
    expect(Metrics.cer(truth, output)).toBeCloseTo(11 / 25)
    expect(Metrics.cer(truth, output, fold)).toBe(0)
    expect(Metrics.strictCer(truth, output)).toBeGreaterThan(0)
    expect(Metrics.strictCer(truth, output, fold)).toBe(0)
    expect(Metrics.wer(truth, output)).toBeCloseTo(3 / 5)
    expect(Metrics.wer(truth, output, fold)).toBe(0)
    expect(Metrics.bagOfCharactersF1(truth, output).recall).toBeCloseTo(14 / 25)
    expect(Metrics.bagOfCharactersF1(truth, output, fold).recall).toBe(1)
    expect(Metrics.orderFreeErrors(truth, output, fold)).toEqual({ edits: 0, length: 25 })
    // Folding goes after NFKC: a full-width Ｔ is a T, then an upper-case one.
    expect(Metrics.cer("TOTAL", "ｔotal", fold)).toBe(0)
    expect(Metrics.textSimilarity("THANK YOU.", "Thank you.", fold)).toBe(1)
  })

  it("order-free errors: a lower bound of the edits that ignores order", () => {
    // Two lines read in the wrong order: 一 and 二 swap places, 2 edits, none of them order-free.
    expect(Metrics.characterErrors("第一行第二行", "第二行第一行")).toEqual({ edits: 2, length: 6 })
    expect(Metrics.orderFreeErrors("第一行第二行", "第二行第一行")).toEqual({ edits: 0, length: 6 })
    // One character misread, one lost, one added: max(4, 4) - 2 common = 2 edits (a,b kept; c->x, d lost, y added).
    expect(Metrics.orderFreeErrors("abcd", "abxy")).toEqual({ edits: 2, length: 4 })
    // A longer output: the surplus counts, max(2, 5) - 2 = 3.
    expect(Metrics.orderFreeErrors("ab", "abcde")).toEqual({ edits: 3, length: 2 })
    // Never above the edit distance, whatever the texts.
    for (const [r, h] of [
      ["北京到上海的高铁", "上海的高铁北京到"],
      ["hello world", "wrld hello!"],
      ["", "x"],
      ["abc", ""]
    ] as const) {
      expect(Metrics.orderFreeErrors(r, h).edits).toBeLessThanOrEqual(Metrics.characterErrors(r, h).edits)
    }
  })

  it("IoU and one-to-one box matching at 0.5", () => {
    const a = { x: 0, y: 0, width: 10, height: 10 }
    expect(Metrics.iou(a, a)).toBe(1)
    // Shifted by 5 px: intersection 50, union 150.
    expect(Metrics.iou(a, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(1 / 3)
    expect(Metrics.iou(a, { x: 20, y: 0, width: 10, height: 10 })).toBe(0)
    const refs = [a, { x: 0, y: 20, width: 10, height: 10 }]
    const preds = [
      { x: 1, y: 0, width: 10, height: 10 }, // IoU 90/110 with refs[0]
      { x: 0, y: 0, width: 10, height: 9 }, // IoU 0.9 with refs[0]: a duplicate, only one may match
      { x: 0, y: 26, width: 10, height: 10 } // IoU 40/160 with refs[1]: below 0.5
    ]
    const matches = Metrics.matchBoxes(refs, preds)
    expect(matches.map((m) => [m.reference, m.prediction])).toEqual([[0, 1]])
    const d = Metrics.detectionF1(refs, preds)
    expect(d.precision).toBeCloseTo(1 / 3)
    expect(d.recall).toBeCloseTo(1 / 2)
    expect(d.f1).toBeCloseTo(0.4)
  })

  it("paragraph-boundary F1 over adjacent matched lines", () => {
    // Reference: lines 0,1 in paragraph A; 2,3 in B; 4 in C. Boundaries after lines 1 and 3.
    const reference = [0, 0, 1, 1, 2]
    // Prediction splits 0|1 wrongly, finds the 1|2 boundary, merges 3 and 4, and misses nothing else.
    expect(Metrics.paragraphBoundaryF1(reference, [7, 8, 9, 9, 9])).toMatchObject({
      truePositives: 1,
      predicted: 2,
      expected: 2,
      f1: 0.5
    })
    // Line 2 unmatched: pairs (1,2) and (2,3) are not scored; only (0,1) and (3,4) remain.
    expect(Metrics.paragraphBoundaryF1(reference, [1, 1, undefined, 2, 3])).toMatchObject({
      truePositives: 1,
      predicted: 1,
      expected: 1,
      f1: 1
    })
  })

  it("reading-order distance", () => {
    expect(Metrics.readingOrderDistance([0, 1, 2, 3])).toBe(0)
    // Two columns read across: 0 2 1 3 vs 0 1 2 3 is two substitutions over four lines.
    expect(Metrics.readingOrderDistance([0, 2, 1, 3])).toBe(0.5)
    // Unmatched lines are left out: 0 3 5 is in order.
    expect(Metrics.readingOrderDistance([0, 3, 5])).toBe(0)
    expect(Metrics.readingOrderDistance([])).toBe(0)
  })

  it("matches lines by text one to one", () => {
    const m = Metrics.matchLinesByText(
      ["第一行 first", "第二行 second", "第三行"],
      ["第二行 secnd", "第一行 first", "完全不同"]
    )
    expect(m.map((x) => [x.reference, x.prediction])).toEqual([
      [0, 1],
      [1, 0]
    ])
  })

  it("diff shows deletions and insertions", () => {
    const parts = Metrics.diff("季节变化", "李节变化!")
    expect(Metrics.formatDiff(parts)).toBe("[-季-]{+李+}节变化{+!+}")
    expect(Metrics.formatDiff(Metrics.diff("abc", "abc"))).toBe("abc")
  })

  it("quantiles interpolate", () => {
    expect(Metrics.quantile([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(Metrics.quantile([10], 0.95)).toBe(10)
    expect(Metrics.quantile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8)
  })

  it("heading F1 matches heading texts one to one", () => {
    // 2 of 3 reference headings found (one with a small misread), plus 1 false heading: P 2/3, R 2/3.
    const score = Metrics.headingF1(
      ["第一章 引言", "1.1 Background", "结论"],
      ["第一章 引言", "1.1 Backgr0und", "Table of contents"]
    )
    expect(score.truePositives).toBe(2)
    expect(score.precision).toBeCloseTo(2 / 3)
    expect(score.recall).toBeCloseTo(2 / 3)
    expect(score.f1).toBeCloseTo(2 / 3)
    expect(Metrics.headingF1([], []).f1).toBe(1)
  })

  it("table F1 and cell-text accuracy", () => {
    const cells = (rows: ReadonlyArray<ReadonlyArray<string>>) => ({
      cells: rows.flatMap((r, row) => r.map((text, column) => ({ row, column, text })))
    })
    const a = cells([
      ["城市", "日期"],
      ["北京", "2024-01-17"]
    ])
    const b = cells([
      ["Model", "Price"],
      ["Alpha", "4479"]
    ])
    const aRead = cells([
      ["城市", "日朝"],
      ["北京", "2024-01-17"]
    ])
    // a found (one character wrong), b missed, one table that is prose: P 1/2, R 1/2.
    const score = Metrics.tableF1([a, b], [aRead, cells([["这是一段正文，不是表格"]])])
    expect([score.truePositives, score.predicted, score.expected]).toEqual([1, 2, 2])
    expect(score.f1).toBeCloseTo(0.5)
    // Cells: 城市 1, 日期 vs 日朝 1/2, 北京 1, the date 1 -> 3.5 / 4.
    expect(Metrics.cellTextAccuracy(a, aRead)).toBeCloseTo(0.875)
    // A missing cell counts 0: 3 of 4.
    expect(Metrics.cellTextAccuracy(a, { cells: aRead.cells.filter((c) => c.text !== "日朝") })).toBeCloseTo(0.75)
  })

  it("figure detection recall by IoU", () => {
    const refs = [
      { x: 0, y: 0, width: 100, height: 100 },
      { x: 200, y: 200, width: 100, height: 100 }
    ]
    // The first is found at IoU 8100/10000 = 0.81 (90x90 inside 100x100); the second is missed.
    const score = Metrics.figureDetection(refs, [{ x: 5, y: 5, width: 90, height: 90 }])
    expect(score.recall).toBe(0.5)
    expect(score.precision).toBe(1)
  })
})
