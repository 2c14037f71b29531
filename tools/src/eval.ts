/**
 * Accuracy and speed of the OCR pipeline on a dataset with ground truth:
 *
 *   npm run eval -- datasets/real-dev [--only id,id] [--engine paddle]
 *
 * Reads `<set>/manifest.jsonl`, runs every image through the pipeline
 * (SharpImageSource -> ImagePreprocessor -> Paddle -> XyCutLayoutAnalyzer) and prints per
 * image the CER (NFKC, white space dropped), the strict CER (white space
 * dropped only: punctuation width counts), the order-free bag-of-characters
 * F1, the word error rate on English words (WER, where a lost space counts) and
 * the time; then micro-averaged totals over the `exact` items, with and
 * without the multi-column magazine scans (`tess_unlv_*`), recall over the
 * `partial` items, and the process's peak memory.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Metrics } from "@ocr2word/benchmarks"
import { Document, Pipeline } from "@ocr2word/core"
import { ImagePreprocessor, SharpImageSource } from "@ocr2word/image"
import { XyCutLayoutAnalyzer } from "@ocr2word/layout"
import { Paddle } from "@ocr2word/paddle"
import { Effect, Layer } from "effect"

interface Item {
  readonly id: string
  readonly image: string
  readonly lang: string
  readonly kind: string
  readonly text: string
  /** real-dev's name for `quality`; items with neither are synthetic, so exact. */
  readonly gt_quality?: "exact" | "partial"
  readonly quality?: "exact" | "partial"
}

const qualityOf = (item: Item): "exact" | "partial" => item.gt_quality ?? item.quality ?? "exact"

const args = process.argv.slice(2)
const setDir = args.find((a) => !a.startsWith("--")) ?? "datasets/real-dev"
const onlyIndex = args.indexOf("--only")
const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? "").split(",")) : undefined
const showText = args.includes("--text")

const manifestPath = path.join(setDir, "manifest.jsonl")
if (!fs.existsSync(manifestPath)) {
  process.stderr.write(
    `No manifest at ${manifestPath}: give the folder of a dataset, e.g. npm run eval -- datasets/real-dev\n`
  )
  process.exit(2)
}
const items: ReadonlyArray<Item> = fs
  .readFileSync(manifestPath, "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as Item)
  .filter((item) => only === undefined || only.has(item.id))

const pipelineLayer = Pipeline.layer().pipe(
  Layer.provide(
    Layer.mergeAll(SharpImageSource.layer, ImagePreprocessor.layer, Paddle.layer, XyCutLayoutAnalyzer.layer)
  )
)

const pct = (v: number) => `${(v * 100).toFixed(1).padStart(5)}%`

interface Row {
  readonly item: Item
  readonly count: Metrics.ErrorCount
  readonly strict: Metrics.ErrorCount
  readonly words: Metrics.ErrorCount
  readonly f1: number
  readonly recall: number
  readonly ms: number
}

const program = Effect.gen(function* () {
  const pipeline = yield* Pipeline.Pipeline
  const rows: Array<Row> = []
  process.stdout.write(
    `${"id".padEnd(24)} ${"lang".padEnd(5)} ${"gt".padEnd(7)} ${"CER".padStart(6)} ${"strict".padStart(6)} ${"bagF1".padStart(6)} ${"WER".padStart(6)} ${"ms".padStart(6)}\n`
  )
  for (const item of items) {
    const bytes = fs.readFileSync(path.join(setDir, item.image))
    const started = performance.now()
    const document = yield* pipeline.run(bytes, { source: item.image })
    const ms = performance.now() - started
    const text = Document.toPlainText(document)
    const count = Metrics.characterErrors(item.text, text)
    const strict = Metrics.strictCharacterErrors(item.text, text)
    const bag = Metrics.bagOfCharactersF1(item.text, text)
    const words = Metrics.wordErrors(item.text, text)
    rows.push({ item, count, strict, words, f1: bag.f1, recall: bag.recall, ms })
    process.stdout.write(
      `${item.id.padEnd(24)} ${item.lang.padEnd(5)} ${qualityOf(item).padEnd(7)} ${pct(Metrics.rate(count))} ${pct(Metrics.rate(strict))} ${pct(bag.f1)} ${words.length === 0 ? "     -" : pct(Metrics.rate(words))} ${ms.toFixed(0).padStart(6)}\n`
    )
    if (showText) process.stdout.write(`  > ${text.replace(/\n+/g, " | ")}\n`)
  }
  const exact = rows.filter((r) => qualityOf(r.item) === "exact")
  const withoutScans = exact.filter((r) => !r.item.id.startsWith("tess_unlv_"))
  const partial = rows.filter((r) => qualityOf(r.item) === "partial")
  const line = (label: string, rs: ReadonlyArray<Row>) =>
    `${label.padEnd(40)} CER ${pct(Metrics.rate(Metrics.sumCounts(rs.map((r) => r.count))))}  strict ${pct(Metrics.rate(Metrics.sumCounts(rs.map((r) => r.strict))))}  WER ${pct(Metrics.rate(Metrics.sumCounts(rs.map((r) => r.words))))}  (${rs.length} items)\n`
  process.stdout.write("\n")
  process.stdout.write(line("exact items", exact))
  process.stdout.write(line("exact items without tess_unlv_*", withoutScans))
  if (partial.length > 0) {
    const recall = partial.reduce((s, r) => s + r.recall, 0) / partial.length
    process.stdout.write(
      `${"partial items".padEnd(40)} mean character recall ${pct(recall)}  (${partial.length} items)\n`
    )
  }
  const total = rows.reduce((s, r) => s + r.ms, 0)
  process.stdout.write(
    `speed: ${(total / Math.max(1, rows.length)).toFixed(0)} ms per image (${rows.length} images, ${(total / 1000).toFixed(1)} s); peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`
  )
})

Effect.runPromise(program.pipe(Effect.provide(pipelineLayer), Effect.scoped)).catch((error: unknown) => {
  process.stderr.write(`eval failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
