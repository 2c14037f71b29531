/**
 * Turning benchmark runs into files: the JSON record (with git commit and
 * machine facts), the Markdown report (tables by pipeline, dataset, language
 * and kind; per-stage times; the worst items with their text diff) and the
 * SVG charts.
 *
 * The per-kind table puts every (dataset, kind) on its own rows, one per
 * pipeline, so no average hides a kind that got worse, and splits the CER into
 * its recognition part (the order-free error) and its order part (`CER -
 * order-free`), so a gain in reading order and one in recognition are told
 * apart. Degraded items get one row per degradation step they went through
 * (an item with blur and noise counts in both), and the per-stage line counts
 * show where lines are lost (detected, recognised, kept, written).
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
import { STAGES, stageOf } from "./Stages.ts"

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
    byAugment: Object.fromEntries(
      stepGroups(run.items).map(({ dataset, step, items }) => [`${dataset}/${step}`, summarize(items)])
    ),
    items: run.items
  }))
})

const pct = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? "–" : `${(v * 100).toFixed(1)}%`)
const f1 = (v: Metrics.F1 | undefined): string => (v === undefined ? "–" : pct(v.f1))

/**
 * Items of the datasets that have degraded items, grouped by degradation step:
 * one group per step (items with several steps in each of them) and a "none"
 * group for the clean items of the same datasets.
 */
export const stepGroups = (
  items: ReadonlyArray<ItemResult>
): Array<{ dataset: string; step: string; items: Array<ItemResult> }> =>
  [...groupBy(items, (i) => i.dataset)].flatMap(([dataset, inSet]) => {
    if (!inSet.some((i) => (i.augment?.length ?? 0) > 0)) return []
    const steps = [...new Set(inSet.flatMap((i) => i.augment ?? []))].sort()
    return [
      { dataset, step: "none", items: inSet.filter((i) => (i.augment?.length ?? 0) === 0) },
      ...steps.map((step) => ({ dataset, step, items: inSet.filter((i) => i.augment?.includes(step) === true) }))
    ]
  })

/** A group of items for the comparison tables: a label and the items of each pipeline. */
interface Group {
  readonly dataset: string
  readonly label: string
  readonly byPipeline: ReadonlyArray<{ readonly pipeline: string; readonly summary: Summary }>
}

/**
 * One group per (dataset, key) with the pipelines in run order, then per
 * dataset an "all exact" (where some items are partial) and an "all" group.
 */
const comparisonGroups = (runs: ReadonlyArray<PipelineRun>, key: (i: ItemResult) => string): Array<Group> => {
  const ok = runs.filter((r) => r.error === undefined)
  const datasets = [...new Set(ok.flatMap((r) => r.items.map((i) => i.dataset)))]
  return datasets.flatMap((dataset) => {
    const inSet = (r: PipelineRun) => r.items.filter((i) => i.dataset === dataset)
    const keys = [...new Set(ok.flatMap((r) => inSet(r).map(key)))].sort()
    const group = (label: string, pick: (i: ItemResult) => boolean): Group => ({
      dataset,
      label,
      byPipeline: ok.flatMap((r) => {
        const items = inSet(r).filter(pick)
        return items.length > 0 ? [{ pipeline: r.pipeline, summary: summarize(items) }] : []
      })
    })
    const partial = ok.some((r) => inSet(r).some((i) => i.quality !== "exact"))
    const exact = ok.some((r) => inSet(r).some((i) => i.quality === "exact"))
    return [
      ...keys.map((k) => group(k, (i) => key(i) === k)),
      ...(partial && exact ? [group("all exact", (i) => i.quality === "exact")] : []),
      group("all", () => true)
    ]
  })
}

/** The best value of a group in bold: lowest for errors, highest for scores (ties all bold). */
const best = (values: ReadonlyArray<number>, lowerIsBetter: boolean) => {
  const finite = values.filter((v) => Number.isFinite(v))
  const top = finite.length < 2 ? undefined : lowerIsBetter ? Math.min(...finite) : Math.max(...finite)
  return (v: number, text: string) => (top !== undefined && Math.abs(v - top) < 5e-4 ? `**${text}**` : text)
}

/**
 * The recognition-versus-order table: per group and pipeline the CER, recall,
 * bag F1, order-free error, `CER - order-free` (the order's share), the
 * reading-order distance and the mean ms per page; the best CER and recall of
 * each group in bold.
 */
export const comparisonTable = (groups: ReadonlyArray<Group>, label: string): string => {
  const head = `| dataset | ${label} | pipeline | items | CER | recall | bag F1 | order-free error | CER - order-free | order dist | ms/page |`
  const sep = `|${" --- |".repeat(11)}`
  const body = groups.flatMap((g) => {
    const cer = best(
      g.byPipeline.map((p) => p.summary.cer),
      true
    )
    const recall = best(
      g.byPipeline.map((p) => p.summary.recall),
      false
    )
    return g.byPipeline.map(({ pipeline, summary: s }) => {
      const failed = s.errors > 0 ? ` (${s.errors} failed)` : ""
      const order = s.readingOrder === undefined ? "–" : s.readingOrder.toFixed(3)
      return `| ${g.dataset} | ${g.label} | ${pipeline} | ${s.items}${failed} | ${cer(s.cer, pct(s.cer))} | ${recall(s.recall, pct(s.recall))} | ${pct(s.bagF1)} | ${pct(s.orderFreeError)} | ${pct(s.orderError)} | ${order} | ${s.msMean.toFixed(0)} |`
    })
  })
  return [head, sep, ...body].join("\n")
}

/** Per-kind comparison rows of runs (see `comparisonTable`). */
export const kindTable = (runs: ReadonlyArray<PipelineRun>): string =>
  comparisonTable(
    comparisonGroups(runs, (i) => i.kind),
    "kind"
  )

/** Per-degradation-step comparison rows of runs, for the datasets with degraded items; "" when none. */
export const augmentTable = (runs: ReadonlyArray<PipelineRun>): string => {
  const ok = runs.filter((r) => r.error === undefined)
  const groups = new Map<string, Group>()
  for (const run of ok) {
    for (const { dataset, step, items } of stepGroups(run.items)) {
      if (items.length === 0) continue
      const k = `${dataset}\u0000${step}`
      const g = groups.get(k) ?? { dataset, label: step, byPipeline: [] }
      groups.set(k, { ...g, byPipeline: [...g.byPipeline, { pipeline: run.pipeline, summary: summarize(items) }] })
    }
  }
  return groups.size === 0 ? "" : comparisonTable([...groups.values()], "step")
}

/** Lines passed on by each stage, per pipeline, dataset and kind, with the drops between stages; "" when none. */
export const lineCountTable = (runs: ReadonlyArray<PipelineRun>): string => {
  const order = (r: Row) => runs.findIndex((run) => run.pipeline === r.pipeline)
  const sorted = rows(runs, (i) => i.kind).sort(
    (a, b) => order(a) - order(b) || a.dataset.localeCompare(b.dataset) || a.group.localeCompare(b.group)
  )
  const lines = sorted.flatMap((r) => {
    const c = r.summary.lineCounts
    if (c === undefined) return []
    const drop = (from: number, to: number) =>
      `${from - to}${from > 0 ? ` (${(((from - to) / from) * 100).toFixed(1)}%)` : ""}`
    return [
      `| ${r.pipeline} | ${r.dataset} | ${r.group} | ${c.items} | ${c.detected} | ${c.recognised} | ${c.kept} | ${c.written} | ${drop(c.detected, c.recognised)} | ${drop(c.recognised, c.kept)} | ${drop(c.kept, c.written)} |`
    ]
  })
  if (lines.length === 0) return ""
  return [
    "| pipeline | dataset | kind | items | detected | recognised | kept | written | lost in recognition | lost to confidence | lost in layout |",
    `|${" --- |".repeat(11)}`,
    ...lines
  ].join("\n")
}

const table = (rows: ReadonlyArray<Row>, label: string): string => {
  const head = `| pipeline | dataset | ${label} | items | CER | strict CER | WER (en words) | bag-of-chars F1 | recall | det F1 @0.5 | para F1 | order dist | heading F1 | table F1 | heading blocks F1 | table det F1 | cell text | figure recall | ms p50 | ms p95 | pages/s |`
  const sep = `|${" --- |".repeat(21)}`
  const body = rows.map((r) => {
    const s = r.summary
    return `| ${r.pipeline} | ${r.dataset} | ${r.group} | ${s.items}${s.errors > 0 ? ` (${s.errors} failed)` : ""} | ${pct(s.cer)} | ${pct(s.strictCer)} | ${s.englishWords > 0 ? pct(s.wer) : "–"} | ${pct(s.bagF1)} | ${pct(s.recall)} | ${f1(s.detection)} | ${f1(s.paragraphs)} | ${s.readingOrder === undefined ? "–" : s.readingOrder.toFixed(3)} | ${f1(s.headings)} | ${f1(s.tables)} | ${f1(s.headingBlocks)} | ${f1(s.tableDetection)} | ${pct(s.cellText)} | ${s.figures === undefined ? "–" : pct(s.figures.recall)} | ${s.msP50.toFixed(0)} | ${s.msP95.toFixed(0)} | ${s.pagesPerSecond.toFixed(2)} |`
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
    "CER: NFKC, white space dropped, total edits over total reference characters; items whose truth is in capitals (`gt_case: upper`) are case-folded on both sides in every text metric. Strict CER keeps punctuation width. WER counts English words (Latin letters and digits). Recall: share of the truth's characters found, order-free (multiset intersection over truth length). Order-free error: the fewest edits between the two multisets of characters, a lower bound of the CER that ignores order; `CER - order-free` is the part of the CER due to reading order. Order distance: lines matched by text, edit distance of their order to the truth's over their number (0 = truth order). ms/page: mean wall time per item. Detection needs line boxes in the output's frame (clean pages only). Paragraph F1, heading and table F1 need block structure (synth-docs).",
    ""
  )
  for (const c of charts) out.push(`![${c}](${c})`, "")
  // A section with an introduction, left out when its table is empty (no such items in the run).
  const section = (title: string, intro: string, body: string) => {
    if (body !== "") out.push(`## ${title}`, "", intro, "", body, "")
  }
  section(
    "By kind: recognition and reading order",
    "One row per (dataset, kind) and pipeline; best CER and recall of each group in bold. Most real-dev-2 items and a few real-dev items have `partial` truth (visible text left out), which inflates their CER: read recall there, and the `all exact` rows.",
    kindTable(runs)
  )
  section(
    "By degradation step",
    "Items of the sets with degraded pages, one group per step the item went through (an item with several steps counts in each); `none` is the same sets' clean items.",
    augmentTable(runs)
  )
  section(
    "Lines per stage",
    "Summed over the items of each group, from each page's `lineCounts`: boxes detected, boxes read as some text, lines kept by the confidence filter, lines the layout wrote; the drops between them (share of the stage's input). Only our pipelines count lines.",
    lineCountTable(runs)
  )
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
    "## By kind, all scores",
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
        const folding = Metrics.foldingOf(i)
        const d = Metrics.formatDiff(
          Metrics.diff(Metrics.normalize(i.reference, folding), Metrics.normalize(i.text, folding))
        )
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
