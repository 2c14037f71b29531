/**
 * Accuracy and speed of the OCR pipeline on a dataset with ground truth:
 *
 *   npm run eval -- datasets/real-dev [--only id,id] [--engine paddle] [--text]
 *
 * Loads `<set>/manifest.jsonl` with the benchmark's `Manifest.load`, runs every
 * image through the pipeline the CLI would build for `--engine` (default
 * `paddle`: orientation and deskew, PP-OCRv4 detection, line orientation and
 * recognition, XY-cut layout) and scores each output with the benchmark's own
 * scorer (`Score.score`), so the numbers here and in `npm run bench` are the
 * same numbers: CER (NFKC, white space dropped; case folded on both sides for
 * items whose truth is in capitals, `gt_case: "upper"`), strict CER, the
 * order-free bag-of-characters F1 and recall, the part of the CER due to
 * reading order, WER on English words and the time.
 *
 * Per image, then totals (`Bench.summarize`, micro-averaged) over the `exact`
 * items, the exact items without the multi-column magazine scans
 * (`tess_unlv_*`, a split the README quotes), the `partial` items (read their
 * recall: their truth leaves visible text out), and per kind; then the
 * process's peak memory.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import { Bench, Manifest, Metrics, Score } from "@ocr2word/benchmarks"
import { type Document, Pipeline } from "@ocr2word/core"
import { Engines } from "@ocr2word/engines"
import { Effect } from "effect"

const args = process.argv.slice(2)
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const valued = new Set(["--only", "--engine"])
const setDir = args.find((a, i) => !a.startsWith("--") && !valued.has(args[i - 1] ?? "")) ?? "datasets/real-dev"
const only = flag("--only") !== undefined ? new Set(flag("--only")!.split(",")) : undefined
const engine = flag("--engine") ?? "paddle"
const showText = args.includes("--text")

const pct = (v: number) => `${(v * 100).toFixed(1).padStart(5)}%`

const program = Effect.gen(function* () {
  const dataset = yield* Manifest.load(setDir)
  const items = dataset.items.filter((item) => only === undefined || only.has(item.id))
  const pipeline = yield* Pipeline.Pipeline
  const results: Array<Bench.ItemResult> = []
  process.stdout.write(
    `${"id".padEnd(28)} ${"lang".padEnd(5)} ${"gt".padEnd(7)} ${"CER".padStart(6)} ${"strict".padStart(6)} ${"bagF1".padStart(6)} ${"recall".padStart(6)} ${"order".padStart(6)} ${"WER".padStart(6)} ${"ms".padStart(6)}\n`
  )
  for (const item of items) {
    const bytes = Fs.readFileSync(Manifest.imagePath(dataset, item))
    const started = performance.now()
    const document: Document.Document = yield* pipeline.run(bytes, { source: item.image })
    const ms = performance.now() - started
    const text = Score.documentText(document)
    const result = Bench.itemResult(engine, dataset, item, { text, document }, ms)
    const score = result.score!
    results.push(result)
    const cer = Metrics.rate(score.characters)
    process.stdout.write(
      `${item.id.padEnd(28)} ${item.lang.padEnd(5)} ${item.quality.padEnd(7)} ${pct(cer)} ${pct(Metrics.rate(score.strict))} ${pct(score.bag.f1)} ${pct(score.bag.recall)} ${pct(cer - Metrics.rate(score.orderFree))} ${score.words.length === 0 ? "     -" : pct(Metrics.rate(score.words))} ${ms.toFixed(0).padStart(6)}\n`
    )
    if (showText) process.stdout.write(`  > ${text.replace(/\n+/g, " | ")}\n`)
  }
  const line = (label: string, rs: ReadonlyArray<Bench.ItemResult>) => {
    if (rs.length === 0) return
    const s = Bench.summarize(rs)
    const c = s.lineCounts
    const lines = c === undefined ? "" : `  lines ${c.detected}>${c.recognised}>${c.kept}>${c.written}`
    process.stdout.write(
      `${label.padEnd(36)} CER ${pct(s.cer)}  strict ${pct(s.strictCer)}  WER ${pct(s.wer)}  recall ${pct(s.recall)}  order ${pct(s.orderError)}  ${s.msMean.toFixed(0)} ms/page${lines}  (${rs.length} items)\n`
    )
  }
  const exact = results.filter((r) => r.quality === "exact")
  process.stdout.write("\n")
  line("exact items", exact)
  line(
    "exact items without tess_unlv_*",
    exact.filter((r) => !r.id.startsWith("tess_unlv_"))
  )
  line(
    "partial items (read recall)",
    results.filter((r) => r.quality === "partial")
  )
  for (const kind of [...new Set(results.map((r) => r.kind))].sort()) {
    line(
      `kind ${kind}`,
      results.filter((r) => r.kind === kind)
    )
  }
  process.stdout.write(
    `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; lines = detected>recognised>kept>written; order = CER minus the order-free error\n`
  )
})

Effect.runPromise(program.pipe(Effect.provide(Engines.pipelineLayer({ engine })))).catch((error: unknown) => {
  process.stderr.write(`eval failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
