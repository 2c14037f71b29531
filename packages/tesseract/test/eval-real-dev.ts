/**
 * CER, strict CER, ms per image and peak memory of one detector/recogniser
 * mix on a dataset with ground truth, scored as datasets/real-dev/README.md
 * says (NFKC, white space dropped; strict: white space dropped only):
 *
 *   npx node packages/tesseract/test/eval-real-dev.ts --detector tesseract --recognizer paddle [--workers 1] [--only id,id] [--text] [--no-normalize]
 *
 * One mix per process, so the peak memory (max RSS) is that mix's own.
 * Totals are micro-averaged over the `exact` items, with and without the
 * multi-column magazine scans (tess_unlv_*).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Document, Pipeline, TextClassifier } from "@ocr2word/core"
import { ImagePreprocessor, SharpImageSource } from "@ocr2word/image"
import { XyCutLayoutAnalyzer } from "@ocr2word/layout"
import { PaddleModels, PaddleTextClassifier, PaddleTextDetector, PaddleTextRecognizer } from "@ocr2word/paddle"
import { Effect, Layer } from "effect"
import { TesseractTextDetector, TesseractTextRecognizer, TesseractWorkers } from "../src/index.ts"
import { characterErrors, type ErrorCount, rate } from "./real-dev.ts"

const args = process.argv.slice(2)
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const setDir = path.resolve(flag("set") ?? "datasets/real-dev")
const detector = flag("detector") ?? "tesseract"
const recognizer = flag("recognizer") ?? detector
const workers = Number(flag("workers") ?? "1")
const only = flag("only")?.split(",")
const showText = args.includes("--text")
const normalize = !args.includes("--no-normalize")

interface Item {
  readonly id: string
  readonly image: string
  readonly text: string
  readonly gt_quality: "exact" | "partial"
}
const items: ReadonlyArray<Item> = fs
  .readFileSync(path.join(setDir, "manifest.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as Item)
  .filter((item) => only === undefined || only.includes(item.id))

const usesPaddle = detector === "paddle" || recognizer === "paddle"
const usesTesseract = detector === "tesseract" || recognizer === "tesseract"
const resources = Layer.mergeAll(
  usesPaddle ? PaddleModels.layer : Layer.empty,
  usesTesseract ? TesseractWorkers.layerWith({ workers }) : Layer.empty
)
const stages = Layer.mergeAll(
  SharpImageSource.layer,
  ImagePreprocessor.layer,
  XyCutLayoutAnalyzer.layer,
  detector === "paddle" ? PaddleTextDetector.layer : TesseractTextDetector.layer,
  usesPaddle ? PaddleTextClassifier.layer : TextClassifier.TextClassifier.none,
  recognizer === "paddle" ? PaddleTextRecognizer.layer : TesseractTextRecognizer.layer
)
const pipeline = Pipeline.layer({ normalize }).pipe(Layer.provide(stages), Layer.provide(resources)) as Layer.Layer<
  Pipeline.Pipeline,
  unknown
>

const pct = (v: number) => `${(v * 100).toFixed(1).padStart(5)}%`

const program = Effect.gen(function* () {
  const ocr = yield* Pipeline.Pipeline
  const rows: Array<{ item: Item; count: ErrorCount; strict: ErrorCount; ms: number }> = []
  process.stdout.write(`mix: detector=${detector} recognizer=${recognizer} workers=${workers} normalize=${normalize}\n`)
  for (const item of items) {
    const bytes = fs.readFileSync(path.join(setDir, item.image))
    const start = performance.now()
    const document = yield* ocr.run(bytes, { source: item.id })
    const ms = performance.now() - start
    const text = Document.toPlainText(document)
    const count = characterErrors(item.text, text)
    const strict = characterErrors(item.text, text, true)
    rows.push({ item, count, strict, ms })
    process.stdout.write(
      `${item.id.padEnd(24)} ${item.gt_quality.padEnd(7)} ${pct(rate([count]))} ${pct(rate([strict]))} ${ms.toFixed(0).padStart(6)} ms\n`
    )
    if (showText) process.stdout.write(`${text}\n---\n`)
  }
  const exact = rows.filter((r) => r.item.gt_quality === "exact")
  const columns = exact.filter((r) => !r.item.id.startsWith("tess_unlv_"))
  const total = (rs: typeof rows, pick: (r: (typeof rows)[number]) => ErrorCount) => pct(rate(rs.map(pick)))
  process.stdout.write(
    `exact (${exact.length}): CER ${total(exact, (r) => r.count)} strict ${total(exact, (r) => r.strict)}\n` +
      `exact without tess_unlv_* (${columns.length}): CER ${total(columns, (r) => r.count)} strict ${total(columns, (r) => r.strict)}\n` +
      `ms per image: ${(rows.reduce((s, r) => s + r.ms, 0) / Math.max(1, rows.length)).toFixed(0)}\n` +
      `peak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`
  )
})

Effect.runPromise(Effect.scoped(Effect.provide(program, pipeline))).catch((error) => {
  process.stderr.write(`${error}\n`)
  process.exitCode = 1
})
