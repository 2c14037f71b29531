/**
 * `npm run bench -- --pipeline paddle,tesseract-cli --dataset real-dev,synth-docs [--kind form,ticket] [--limit N] [--json] [--out dir]`
 * `npm run bench -- --pipeline paddle,remote --remote-url https://api.gugudata.com` (key from --appkey or OCR2WORD_APPKEY)
 * `npm run bench -- --pipeline paddle,ppu-paddle-ocr,gutenye,tesseract-cli --dataset real-dev,real-dev-2,synth-docs`
 *
 * Runs each pipeline over each dataset and writes `results.json`,
 * `report.md`, `accuracy-vs-speed.svg` and `stages.svg` into
 * `benchmarks/results/` (or `--out`). A progress bar goes to stderr; `--json`
 * prints the JSON record on stdout instead of the summary table.
 *
 * @since 0.1.0
 */
import * as Path from "node:path"
import { parseArgs } from "node:util"
import { OptionDecoding } from "@ocr2word/core"
import { Effect, Redacted } from "effect"
import * as Baselines from "./Baselines.ts"
import * as Bench from "./Bench.ts"
import * as Manifest from "./Manifest.ts"
import * as Report from "./Report.ts"

const root = Path.resolve(import.meta.dirname, "../..")
const { values } = parseArgs({
  options: {
    pipeline: { type: "string", default: "paddle,tesseract-cli" },
    dataset: { type: "string", default: "real-dev,synth-docs" },
    limit: { type: "string" },
    kind: { type: "string" },
    json: { type: "boolean", default: false },
    out: { type: "string", default: Path.join(root, "benchmarks/results") },
    "remote-url": { type: "string" },
    appkey: { type: "string" }
  }
})

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`)
  process.exit(2)
}

const limit = values.limit === undefined ? undefined : Number(values.limit)
if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
  fail(`Expected a positive integer for --limit but received ${OptionDecoding.show(values.limit)}`)

const pipelines = values.pipeline
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean)
const appkey = values.appkey ?? process.env.OCR2WORD_APPKEY
const remote =
  values["remote-url"] !== undefined
    ? {
        url: values["remote-url"],
        ...(appkey !== undefined ? { appkey: Redacted.make(appkey, { label: "appkey" }) } : {})
      }
    : undefined
if (pipelines.includes("remote") && remote === undefined)
  fail("The remote pipeline needs --remote-url (e.g. https://api.gugudata.com) and usually --appkey or OCR2WORD_APPKEY")
const kinds = values.kind
  ?.split(",")
  .map((s) => s.trim())
  .filter(Boolean)
const loaded = await Effect.runPromise(
  Effect.forEach(
    values.dataset
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    (name) => Manifest.load(name, Path.join(root, "datasets"))
  ).pipe(Effect.catch((e) => Effect.sync(() => fail(e.message))))
)
// `--kind` keeps the items of those kinds (a set without any of them is left out).
const datasets =
  kinds === undefined
    ? loaded
    : loaded
        .map((d) => ({ ...d, items: d.items.filter((i) => kinds.includes(i.kind)) }))
        .filter((d) => d.items.length > 0)
if (datasets.length === 0)
  fail(
    `Expected item kinds found in the datasets for --kind but received ${OptionDecoding.show(values.kind)}. Kinds: ${[...new Set(loaded.flatMap((d) => d.items.map((i) => i.kind)))].join(", ")}`
  )

const selected = pipelines.filter((p) => {
  if (p === "tesseract-cli" && !Baselines.hasTesseractCli()) {
    process.stderr.write(
      "tesseract-cli skipped: the tesseract command is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)\n"
    )
    return false
  }
  return true
})

const bar = (pipeline: string, done: number, total: number, item: string) => {
  if (!process.stderr.isTTY && done !== total && done % 5 !== 0) return
  const width = 30
  const filled = Math.round((done / Math.max(1, total)) * width)
  const line = `${pipeline.padEnd(14)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${item}`
  process.stderr.write(process.stderr.isTTY ? `\r${line.padEnd(90)}` : `${line}\n`)
  if (done === total && process.stderr.isTTY) process.stderr.write("\n")
}

const command = `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim()
const runs = await Bench.run({
  pipelines: selected,
  ...(remote !== undefined ? { remote } : {}),
  datasets,
  ...(limit !== undefined ? { limit } : {}),
  onProgress: bar,
  onNote: (m) => process.stderr.write(`${m}\n`)
})
const files = Report.write(runs, command, values.out)
if (values.json) {
  process.stdout.write(`${JSON.stringify(Report.toJson(runs, command))}\n`)
} else {
  const rows = Report.rows(runs, () => "")
  process.stdout.write(
    "pipeline        dataset        items   CER    strict  WER    bagF1  recall  order  ms p50  ms p95\n"
  )
  for (const r of rows) {
    const s = r.summary
    const p = (v: number) => `${(v * 100).toFixed(1)}%`.padStart(6)
    process.stdout.write(
      `${r.pipeline.padEnd(15)} ${r.dataset.padEnd(14)} ${String(s.items).padStart(5)} ${p(s.cer)} ${p(s.strictCer)} ${p(s.wer)} ${p(s.bagF1)} ${p(s.recall)} ${p(s.orderError)} ${s.msP50.toFixed(0).padStart(7)} ${s.msP95.toFixed(0).padStart(7)}\n`
    )
  }
  process.stdout.write(`\nwrote ${files.map((f) => Path.relative(process.cwd(), f)).join(", ")}\n`)
}
process.exit(0)
