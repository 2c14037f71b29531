/**
 * Turning benchmark runs into files: the JSON record (with git commit and
 * machine facts), the Markdown report (tables by pipeline, dataset, language
 * and kind; per-stage times; the worst items with their text diff) and the
 * SVG charts.
 *
 * @since 0.1.0
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { type ItemResult, type PipelineRun, type Summary, summarize } from "./Bench.ts"
import * as Charts from "./Charts.ts"
import * as Metrics from "./Metrics.ts"
import { STAGES, stageOf } from "./SpanRecorder.ts"

/** Facts about where a run happened. */
export const machine = () => ({
  node: process.version,
  platform: `${Os.platform()} ${Os.release()} ${Os.arch()}`,
  cpu: Os.cpus()[0]?.model ?? "unknown",
  cores: Os.availableParallelism(),
  memoryGb: Math.round((Os.totalmem() / 2 ** 30) * 10) / 10,
  loadAverage: Os.loadavg().map((v) => Math.round(v * 100) / 100)
})

const git = (args: ReadonlyArray<string>): string => {
  const r = ChildProcess.spawnSync("git", args, { encoding: "utf8" })
  return r.status === 0 ? r.stdout.trim() : "unknown"
}

/** Summary and per-stage ms of one group. */
export interface Row {
  readonly pipeline: string
  readonly dataset: string
  readonly group: string
  readonly summary: Summary
}

const groupBy = <A>(xs: ReadonlyArray<A>, key: (a: A) => string): Map<string, Array<A>> => {
  const m = new Map<string, Array<A>>()
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x])
  return m
}

/** Mean ms per image by stage, from the span totals of a run. */
export const stageMs = (run: PipelineRun): Record<string, number> => {
  const out: Record<string, number> = {}
  const n = Math.max(1, run.items.length)
  for (const s of run.spans) {
    const stage = stageOf(s.name)
    if (stage !== undefined) out[stage] = (out[stage] ?? 0) + s.totalMs / n
  }
  return out
}

/** The JSON record of a run. */
export const toJson = (runs: ReadonlyArray<PipelineRun>, command: string) => ({
  createdAt: new Date().toISOString(),
  command,
  git: {
    commit: git(["rev-parse", "HEAD"]),
    dirty: git(["status", "--porcelain", "--", "packages", "benchmarks"]).length > 0
  },
  machine: machine(),
  pipelines: runs.map((run) => ({
    pipeline: run.pipeline,
    description: run.description,
    error: run.error,
    loadMs: run.loadMs,
    threads: run.threads,
    maxProcessThreads: run.maxThreads,
    peakRssMb: run.peakRssMb,
    stageMsPerImage: stageMs(run),
    spans: run.spans,
    summary: Object.fromEntries([...groupBy(run.items, (i) => i.dataset)].map(([d, items]) => [d, summarize(items)])),
    byLanguage: Object.fromEntries(
      [...groupBy(run.items, (i) => `${i.dataset}/${i.lang}`)].map(([k, items]) => [k, summarize(items)])
    ),
    byKind: Object.fromEntries(
      [...groupBy(run.items, (i) => `${i.dataset}/${i.kind}`)].map(([k, items]) => [k, summarize(items)])
    ),
    items: run.items
  }))
})

const pct = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? "–" : `${(v * 100).toFixed(1)}%`)
const f1 = (v: Metrics.F1 | undefined): string => (v === undefined ? "–" : pct(v.f1))

const table = (rows: ReadonlyArray<Row>, label: string): string => {
  const head = `| pipeline | dataset | ${label} | items | CER | strict CER | WER (en words) | bag-of-chars F1 | det F1 @0.5 | para F1 | order dist | heading F1 | table F1 | heading blocks F1 | table det F1 | cell text | figure recall | ms p50 | ms p95 | pages/s |`
  const sep = `|${" --- |".repeat(20)}`
  const body = rows.map((r) => {
    const s = r.summary
    return `| ${r.pipeline} | ${r.dataset} | ${r.group} | ${s.items}${s.errors > 0 ? ` (${s.errors} failed)` : ""} | ${pct(s.cer)} | ${pct(s.strictCer)} | ${s.englishWords > 0 ? pct(s.wer) : "–"} | ${pct(s.bagF1)} | ${f1(s.detection)} | ${f1(s.paragraphs)} | ${s.readingOrder === undefined ? "–" : s.readingOrder.toFixed(3)} | ${f1(s.headings)} | ${f1(s.tables)} | ${f1(s.headingBlocks)} | ${f1(s.tableDetection)} | ${pct(s.cellText)} | ${s.figures === undefined ? "–" : pct(s.figures.recall)} | ${s.msP50.toFixed(0)} | ${s.msP95.toFixed(0)} | ${s.pagesPerSecond.toFixed(2)} |`
  })
  return [head, sep, ...body].join("\n")
}

/** Summary rows of runs, grouped by dataset and by `key` (all items when key gives ""). */
export const rows = (runs: ReadonlyArray<PipelineRun>, key: (i: ItemResult) => string): Array<Row> =>
  runs.flatMap((run) =>
    [...groupBy(run.items, (i) => `${i.dataset}\u0000${key(i)}`)].map(([k, items]) => {
      const [dataset, group] = k.split("\u0000") as [string, string]
      return { pipeline: run.pipeline, dataset, group: group || "all", summary: summarize(items) }
    })
  )

const truncate = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s)

/** The Markdown report. */
export const toMarkdown = (
  runs: ReadonlyArray<PipelineRun>,
  command: string,
  charts: ReadonlyArray<string>,
  worst = 5
): string => {
  const m = machine()
  const out: Array<string> = []
  out.push("# ocr2word benchmark", "")
  out.push(`\`${command}\` at ${new Date().toISOString()}, commit \`${git(["rev-parse", "--short", "HEAD"])}\`.`)
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.platform}, Node ${m.node}, load ${m.loadAverage.join(" ")}.`,
    ""
  )
  out.push(
    "CER: NFKC, white space dropped, total edits over total reference characters. Strict CER keeps punctuation width. WER counts English words (Latin letters and digits). Detection needs line boxes in the output's frame (clean pages only). Paragraph F1, order distance (0 = reference order), heading and table F1 need block structure (synth-docs); lines are matched by text.",
    ""
  )
  for (const c of charts) out.push(`![${c}](${c})`, "")
  out.push(
    "## Accuracy and speed by dataset",
    "",
    table(
      rows(runs, () => ""),
      "subset"
    ),
    ""
  )
  out.push(
    "## By language",
    "",
    table(
      rows(runs, (i) => i.lang),
      "lang"
    ),
    ""
  )
  out.push(
    "## By kind",
    "",
    table(
      rows(runs, (i) => i.kind),
      "kind"
    ),
    ""
  )
  out.push("## Time per stage (mean ms per image, from Effect spans)", "")
  out.push(`| pipeline | load ms | ${STAGES.join(" | ")} | threads set | process threads (max) | peak RSS MB |`)
  out.push(`|${" --- |".repeat(STAGES.length + 5)}`)
  for (const run of runs) {
    if (run.error !== undefined) continue
    const st = stageMs(run)
    out.push(
      `| ${run.pipeline} | ${run.loadMs.toFixed(0)} | ${STAGES.map((s) => (st[s] === undefined ? "–" : st[s]!.toFixed(1))).join(" | ")} | ${run.threads} | ${run.maxThreads} | ${run.peakRssMb.toFixed(0)} |`
    )
  }
  out.push("")
  const skipped = runs.filter((r) => r.error !== undefined)
  if (skipped.length > 0) {
    out.push("## Skipped pipelines", "")
    for (const r of skipped) out.push(`- ${r.pipeline}: ${truncate(r.error!.replace(/\s+/g, " "), 300)}`)
    out.push("")
  }
  out.push(`## Worst items (by CER), ${worst} per pipeline and dataset`, "")
  out.push("Diff: `[-missing-]{+extra+}` against the ground truth (white space dropped, NFKC).", "")
  for (const run of runs) {
    for (const [dataset, items] of groupBy(run.items, (i) => i.dataset)) {
      const ranked = [...items]
        .filter((i) => i.score !== undefined || i.error !== undefined)
        .sort(
          (a, b) => (b.score ? Metrics.rate(b.score.characters) : 2) - (a.score ? Metrics.rate(a.score.characters) : 2)
        )
        .slice(0, worst)
      out.push(`### ${run.pipeline} on ${dataset}`, "")
      for (const i of ranked) {
        if (i.error !== undefined) {
          out.push(`- **${i.id}** failed: ${truncate(i.error.replace(/\s+/g, " "), 200)}`)
          continue
        }
        const d = Metrics.formatDiff(Metrics.diff(Metrics.normalize(i.reference), Metrics.normalize(i.text)))
        out.push(
          `- **${i.id}** (${i.lang}, ${i.kind}) CER ${pct(Metrics.rate(i.score!.characters))}, ${i.ms.toFixed(0)} ms`,
          "",
          "  ```",
          `  ${truncate(d, 600)}`,
          "  ```"
        )
      }
      out.push("")
    }
  }
  return out.join("\n")
}

/** Write JSON, Markdown and SVG files into `dir`; returns their paths. */
export const write = (runs: ReadonlyArray<PipelineRun>, command: string, dir: string): Array<string> => {
  Fs.mkdirSync(dir, { recursive: true })
  const ok = runs.filter((r) => r.error === undefined && r.items.length > 0)
  const points = rows(ok, () => "").map((r) => ({
    series: r.pipeline,
    label: r.dataset,
    ms: r.summary.msP50,
    cer: r.summary.cer
  }))
  const scatter = Charts.scatter(points, "Accuracy vs speed (each point: a pipeline on a dataset)")
  const bars = Charts.stackedBars(
    ok.filter((r) => r.spans.length > 0).map((r) => ({ label: r.pipeline, stages: stageMs(r) })),
    STAGES,
    "Mean time per image by stage"
  )
  const files: Record<string, string> = {
    "accuracy-vs-speed.svg": scatter,
    "stages.svg": bars,
    "report.md": toMarkdown(runs, command, ["accuracy-vs-speed.svg", "stages.svg"]),
    "results.json": `${JSON.stringify(toJson(runs, command), null, 1)}\n`
  }
  return Object.entries(files).map(([name, content]) => {
    const path = Path.join(dir, name)
    Fs.writeFileSync(path, content)
    return path
  })
}
