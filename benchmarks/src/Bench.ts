/**
 * The benchmark run: every pipeline over every dataset, models loaded once, a
 * warm-up untimed, then each item timed and scored. Our pipelines run through
 * core's `Conversion` (as the CLI and the server do), whose per-item span
 * times are summed into the per-stage times; the lines each stage passed on
 * come from the `lineCounts` of the document's pages, summed over the pages.
 *
 * Pipelines are named as on the CLI: an engine ("paddle", "tesseract"), a
 * detector+recognizer pair ("paddle+tesseract"), or "remote" (a
 * contract-compatible service at `remote.url`, scored on the text read back
 * from the Word file it returns); or an outside baseline from `Baselines`
 * ("tesseract-cli", "ppu-paddle-ocr", "gutenye").
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import { Conversion, type Document } from "@ocr2word/core"
import { Effect, Exit, type Layer, ManagedRuntime, type Redacted } from "effect"
import * as Baselines from "./Baselines.ts"
import * as Manifest from "./Manifest.ts"
import * as Metrics from "./Metrics.ts"
import type { Runner } from "./Runner.ts"
import * as Score from "./Score.ts"
import type { SpanTotal } from "./Stages.ts"

export type { Runner } from "./Runner.ts"

/** One item's result. */
export interface ItemResult {
  readonly pipeline: string
  readonly dataset: string
  readonly id: string
  readonly lang: string
  readonly kind: string
  readonly quality: string
  /** The truth's letter case where it is not the image's (scores fold case). */
  readonly case?: "upper"
  /** The item's degradation steps (`Manifest.augmentSteps`), where it has some. */
  readonly augment?: ReadonlyArray<string>
  readonly ms: number
  /** Lines passed on by each stage, summed over the document's pages, where the pipeline counts them. */
  readonly lineCounts?: Document.LineCounts
  readonly score?: Score.ItemScore
  readonly text: string
  readonly reference: string
  readonly error?: string
}

/** One pipeline's run over all datasets. */
export interface PipelineRun {
  readonly pipeline: string
  readonly description: string
  readonly loadMs: number
  readonly threads: number | string
  readonly peakRssMb: number
  readonly maxThreads: number
  readonly items: ReadonlyArray<ItemResult>
  /** Span totals over the timed items (warm-up excluded). */
  readonly spans: ReadonlyArray<SpanTotal>
  readonly error?: string
}

const threadsNow = (): number => {
  try {
    const m = /Threads:\s+(\d+)/.exec(Fs.readFileSync("/proc/self/status", "utf8"))
    return m ? Number(m[1]) : 0
  } catch {
    return 0
  }
}

/**
 * A runner over any `Conversion` layer (your own stages composed with `Pipeline.layer` and
 * `Conversion.layer`, or `Engines.conversionLayer`): built, its models loaded, once; each item is
 * converted through it and scored on the document's text, with its span times.
 */
export const conversionRunner = async <E>(
  name: string,
  description: string,
  layer: Layer.Layer<Conversion.Conversion, E>
): Promise<Runner> => {
  const runtime = ManagedRuntime.make(layer)
  const exit = await runtime.runPromiseExit(Effect.void)
  if (Exit.isFailure(exit)) {
    await runtime.dispose()
    throw new Error(String(exit.cause))
  }
  return {
    name,
    description,
    threads: Os.availableParallelism(),
    run: (bytes, path) =>
      runtime
        .runPromise(Effect.flatMap(Conversion.Conversion, (conversion) => conversion.convert(bytes, { source: path })))
        .then(({ document, spans }) => ({ text: Score.documentText(document), document, spans })),
    close: () => runtime.dispose()
  }
}

/** A runner from an Engines selection: the engines' `Conversion` to docx, built once, which also gives each item's span times. */
export const pipelineRunner = async (name: string, remote?: RemoteService): Promise<Runner> => {
  // Imported here so the outside baseline still runs when a backend package fails to load.
  const { Engines } = await import("@ocr2word/engines")
  const [detector, recognizer] = name.split("+")
  const remoteOptions =
    name === "remote" && remote !== undefined
      ? { remoteUrl: remote.url, ...(remote.appkey !== undefined ? { appkey: remote.appkey } : {}) }
      : {}
  const selection = recognizer !== undefined ? { detector: detector!, recognizer } : { engine: name, ...remoteOptions }
  return conversionRunner(
    name,
    `ocr2word ${JSON.stringify(selection)} -> docx`,
    Engines.conversionLayer({ pipeline: selection, format: "docx" })
  )
}

/** The per-stage line counts of a document, summed over its pages; undefined when no page has them. */
export const lineCounts = (document: Document.Document | undefined): Document.LineCounts | undefined => {
  const counted = (document?.pages ?? []).flatMap((p) => (p.lineCounts !== undefined ? [p.lineCounts] : []))
  return counted.length === 0 ? undefined : sumLineCounts(counted)
}

/** Sum line counts; the character counts are summed where every page has them. */
export const sumLineCounts = (counts: ReadonlyArray<Document.LineCounts>): Document.LineCounts => {
  const sum = (f: (c: Document.LineCounts) => number) => counts.reduce((n, c) => n + f(c), 0)
  const characters = counts.every((c) => c.keptCharacters !== undefined && c.writtenCharacters !== undefined)
  return {
    detected: sum((c) => c.detected),
    recognised: sum((c) => c.recognised),
    kept: sum((c) => c.kept),
    written: sum((c) => c.written),
    ...(characters && counts.length > 0
      ? { keptCharacters: sum((c) => c.keptCharacters!), writtenCharacters: sum((c) => c.writtenCharacters!) }
      : {})
  }
}

/**
 * One item's result: who and what from the manifest, the output's text,
 * score and line counts, and the error when the pipeline failed (scored as
 * an empty output). The benchmark and `tools/src/eval.ts` both build it here.
 */
export const itemResult = (
  pipeline: string,
  dataset: Manifest.Dataset,
  item: Manifest.Item,
  output: Score.Output,
  ms: number,
  error?: string
): ItemResult => {
  const steps = Manifest.augmentSteps(item)
  const counts = lineCounts(output.document)
  return {
    pipeline,
    dataset: dataset.name,
    id: item.id,
    lang: item.lang,
    kind: item.kind,
    quality: item.quality,
    ...(item.case !== undefined ? { case: item.case } : {}),
    ...(steps.length > 0 ? { augment: steps } : {}),
    ms,
    ...(counts !== undefined ? { lineCounts: counts } : {}),
    text: output.text,
    score: Score.score(item, output),
    reference: item.text,
    ...(error !== undefined ? { error } : {})
  }
}

/** The service behind the `remote` pipeline. */
export interface RemoteService {
  readonly url: string
  readonly appkey?: Redacted.Redacted<string>
}

/** Options of a run. */
export interface BenchOptions {
  /** Engines names, baselines' names, or names of `runners`. */
  readonly pipelines: ReadonlyArray<string>
  /** Pipelines of your own by name (e.g. `Bench.conversionRunner` over your stages), loaded when their turn comes. */
  readonly runners?: Readonly<Record<string, () => Promise<Runner>>>
  /** Where the `remote` pipeline sends the images. */
  readonly remote?: RemoteService
  readonly datasets: ReadonlyArray<Manifest.Dataset>
  /** At most this many items per dataset. */
  readonly limit?: number
  readonly onProgress?: (pipeline: string, done: number, total: number, item: string) => void
  readonly onNote?: (message: string) => void
}

/** Run every pipeline over every dataset. */
export const run = async (options: BenchOptions): Promise<Array<PipelineRun>> => {
  const runs: Array<PipelineRun> = []
  const work = options.datasets.flatMap((dataset) =>
    (options.limit !== undefined ? dataset.items.slice(0, options.limit) : dataset.items).map((item) => ({
      dataset,
      item
    }))
  )
  for (const name of options.pipelines) {
    const started = performance.now()
    let runner: Runner
    try {
      const own =
        options.runners !== undefined && Object.hasOwn(options.runners, name) ? options.runners[name] : undefined
      runner =
        own !== undefined
          ? await own()
          : Baselines.isBaseline(name)
            ? await Baselines.baselines[name]!()
            : await pipelineRunner(name, options.remote)
    } catch (e) {
      const message = (e as Error).message
      options.onNote?.(`pipeline ${name} skipped: ${message}`)
      runs.push({
        pipeline: name,
        description: "",
        loadMs: 0,
        threads: 0,
        peakRssMb: 0,
        maxThreads: 0,
        items: [],
        spans: [],
        error: message
      })
      continue
    }
    const loadMs = performance.now() - started
    try {
      // Warm-up, untimed: first-call costs (JIT, ONNX allocations, worker start) stay out of the numbers.
      const first = work[0]
      if (first !== undefined) {
        const path = Manifest.imagePath(first.dataset, first.item)
        await runner.run(Fs.readFileSync(path), path).catch(() => undefined)
      }
      const items: Array<ItemResult> = []
      const spans: Array<ReadonlyArray<Conversion.SpanTotal>> = []
      let peakRss = process.memoryUsage.rss()
      let maxThreads = threadsNow()
      for (let i = 0; i < work.length; i++) {
        const { dataset, item } = work[i]!
        options.onProgress?.(name, i, work.length, item.id)
        const path = Manifest.imagePath(dataset, item)
        const bytes = Fs.readFileSync(path)
        const t0 = performance.now()
        try {
          const output = await runner.run(bytes, path)
          if (output.spans !== undefined) spans.push(output.spans)
          items.push(itemResult(name, dataset, item, output, performance.now() - t0))
        } catch (e) {
          // Scored as an empty output: a pipeline that fails on the hard pages must not look better for it.
          items.push(
            itemResult(name, dataset, item, { text: "" }, performance.now() - t0, (e as Error).message.slice(0, 500))
          )
        }
        peakRss = Math.max(peakRss, process.memoryUsage.rss())
        maxThreads = Math.max(maxThreads, threadsNow())
      }
      options.onProgress?.(name, work.length, work.length, "")
      runs.push({
        pipeline: name,
        description: runner.description,
        loadMs,
        threads: runner.threads,
        peakRssMb: peakRss / 1024 / 1024,
        maxThreads,
        items,
        spans: Conversion.sumSpans(spans)
      })
    } finally {
      await runner.close()
    }
  }
  return runs
}

/** Aggregate scores of a group of items. */
export interface Summary extends Score.StructureScores {
  readonly items: number
  readonly errors: number
  readonly cer: number
  readonly strictCer: number
  readonly wer: number
  readonly englishWords: number
  readonly bagF1: number
  /** Share of the truth's characters found, order-free (bag-of-characters recall). */
  readonly recall: number
  /** Order-free error rate (`Metrics.orderFreeErrorsOf`): the recognition part of the CER. */
  readonly orderFreeError: number
  /** CER minus the order-free error: the part of the CER due to the order of the text. */
  readonly orderError: number
  /** Line counts summed over the items that have them, and how many do. */
  readonly lineCounts?: Document.LineCounts & { readonly items: number }
  readonly msMean: number
  readonly msP50: number
  readonly msP95: number
  readonly pagesPerSecond: number
}

/** Summarise items: corpus-level rates (sums of edits over sums of lengths), micro F1s, time quantiles. */
export const summarize = (items: ReadonlyArray<ItemResult>): Summary => {
  const scored = items.flatMap((i) => (i.score !== undefined ? [i.score] : []))
  const some = <A>(xs: ReadonlyArray<A | undefined>): Array<A> => xs.filter((x): x is A => x !== undefined)
  const det = some(scored.map((s) => s.detection))
  const par = some(scored.map((s) => s.paragraphs))
  const ord = some(scored.map((s) => s.readingOrder))
  const head = some(scored.map((s) => s.headings))
  const tab = some(scored.map((s) => s.tables))
  const headBlocks = some(scored.map((s) => s.headingBlocks))
  const tabDet = some(scored.map((s) => s.tableDetection))
  const cells = some(scored.map((s) => s.cellText))
  const figs = some(scored.map((s) => s.figures))
  const words = Metrics.sumCounts(scored.map((s) => s.words))
  const counts = some(items.map((i) => i.lineCounts))
  const ms = items.map((i) => i.ms)
  const total = ms.reduce((a, b) => a + b, 0)
  const cer = Metrics.rate(Metrics.sumCounts(scored.map((s) => s.characters)))
  const bag = Metrics.sumF1(scored.map((s) => s.bag))
  // Summed item by item: an item's order-free errors are its own lower bound of its edits.
  const orderFreeError = Metrics.rate(Metrics.sumCounts(scored.map((s) => s.orderFree)))
  return {
    items: items.length,
    errors: items.filter((i) => i.error !== undefined).length,
    cer,
    strictCer: Metrics.rate(Metrics.sumCounts(scored.map((s) => s.strict))),
    wer: Metrics.rate(words),
    englishWords: words.length,
    bagF1: bag.f1,
    recall: bag.recall,
    orderFreeError,
    orderError: cer - orderFreeError,
    ...(counts.length > 0 ? { lineCounts: { ...sumLineCounts(counts), items: counts.length } } : {}),
    ...(det.length > 0 ? { detection: Metrics.sumF1(det) } : {}),
    ...(par.length > 0 ? { paragraphs: Metrics.sumF1(par) } : {}),
    ...(ord.length > 0 ? { readingOrder: ord.reduce((a, b) => a + b, 0) / ord.length } : {}),
    ...(head.length > 0 ? { headings: Metrics.sumF1(head) } : {}),
    ...(tab.length > 0 ? { tables: Metrics.sumF1(tab) } : {}),
    ...(headBlocks.length > 0 ? { headingBlocks: Metrics.sumF1(headBlocks) } : {}),
    ...(tabDet.length > 0 ? { tableDetection: Metrics.sumF1(tabDet) } : {}),
    ...(cells.length > 0 ? { cellText: cells.reduce((a, b) => a + b, 0) / cells.length } : {}),
    ...(figs.length > 0 ? { figures: Metrics.sumF1(figs) } : {}),
    msMean: items.length > 0 ? total / items.length : Number.NaN,
    msP50: Metrics.quantile(ms, 0.5),
    msP95: Metrics.quantile(ms, 0.95),
    pagesPerSecond: total > 0 ? (items.length * 1000) / total : 0
  }
}
