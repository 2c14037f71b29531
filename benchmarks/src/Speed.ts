/**
 * The side-by-side speed benchmark: our paddle pipeline and the two PP-OCR
 * ports (`Baselines`: ppu-paddle-ocr, @gutenye/ocr-node) on the same PP-OCRv4
 * files, over the same pages, in the same loop, each engine in a fresh
 * process so that one engine's arena, JIT and threads do not slow the next.
 *
 * In each process the models are loaded once, every page is run once untimed
 * (the warm-up), then the pages are timed `rounds` times in order. The time
 * spent inside ONNX Runtime is measured by wrapping
 * `InferenceSession.prototype.run` (onnxruntime-node's, which all three
 * engines load): the union of the intervals in which some `run` is under way,
 * so overlapping calls are not counted twice. What is tracked is the ratios
 * (wall / ONNX, and pages/s against the peers of the same run): they hold on
 * a loaded machine where absolute times do not.
 *
 * Use `pages` to pick the page set, `measure` inside an engine's process,
 * `summarise` and `markdown` for the report, `profileSummary` for the top
 * self-time functions of a `--cpu-prof` profile.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { Effect } from "effect"
import * as Manifest from "./Manifest.ts"
import type { Runner } from "./Runner.ts"

/** What a page is in the speed set. */
export type PageClass = "line" | "clean" | "degraded"

/** One page of the speed set. */
export interface Page {
  readonly id: string
  readonly dataset: string
  readonly path: string
  readonly class: PageClass
}

/**
 * The speed set: `perClass` single lines (real-dev's zh and mixed lines),
 * `perClass` clean pages (synth-docs' undegraded synth-doc pages) and
 * `perClass` degraded pages (synth-docs' synth-scan pages: perspective, blur,
 * lighting, noise, JPEG), the first of each in manifest order, so every run
 * times the same files.
 */
export const pages = (datasetsDir: string, perClass = 4): Effect.Effect<ReadonlyArray<Page>, Manifest.ManifestError> =>
  Effect.gen(function* () {
    const realDev = yield* Manifest.load("real-dev", datasetsDir)
    const synth = yield* Manifest.load("synth-docs", datasetsDir)
    const pick = (set: Manifest.Dataset, cls: PageClass, keep: (item: Manifest.Item) => boolean) =>
      set.items
        .filter(keep)
        .slice(0, perClass)
        .map((item) => ({ id: item.id, dataset: set.name, path: Path.join(set.root, item.image), class: cls }))
    return [
      ...pick(realDev, "line", (i) => i.kind === "line" && i.lang !== "en"),
      ...pick(synth, "clean", (i) => i.kind === "synth-doc" && Manifest.augmentSteps(i).length === 0),
      ...pick(synth, "degraded", (i) => i.kind === "synth-scan" && Manifest.augmentSteps(i).length > 0)
    ]
  })

/** A timer of the time some `InferenceSession.run` is under way (overlaps counted once). */
export interface OnnxTimer {
  /** Milliseconds inside ONNX Runtime so far. */
  readonly ms: () => number
  /** `run` calls so far. */
  readonly calls: () => number
  /** Milliseconds per model so far (each call's own duration), told apart by the output's shape. */
  readonly byModel: () => Readonly<Record<ModelKind, number>>
}

/** Which PP-OCR model a session is, from its first output's shape. */
export type ModelKind = "detection" | "classification" | "recognition"

/** The model a PP-OCR output belongs to: [N, 2] orientation classes, [N, T, classes] CTC, else a probability map. */
export const modelOf = (dims: ReadonlyArray<number>): ModelKind =>
  dims.length === 2 ? "classification" : dims.length === 3 ? "recognition" : "detection"

const firstDims = (result: unknown): ReadonlyArray<number> => {
  const outputs = Object.values((result ?? {}) as Record<string, { readonly dims?: ReadonlyArray<number> }>)
  return outputs[0]?.dims ?? []
}

/**
 * Wrap onnxruntime-node's `InferenceSession.prototype.run` (the class every
 * engine's sessions are made from) with a busy-time counter. Call it before
 * any engine opens a session; it wraps once per process.
 */
export const wrapOnnx = async (): Promise<OnnxTimer> => {
  const ort = (await import("onnxruntime-node")) as unknown as {
    InferenceSession: { prototype: { run: (...args: Array<unknown>) => Promise<unknown> } }
  }
  const proto = ort.InferenceSession.prototype
  const original = proto.run
  let busy = 0
  let active = 0
  let since = 0
  let calls = 0
  const byModel: Record<ModelKind, number> = { detection: 0, classification: 0, recognition: 0 }
  const enter = () => {
    calls++
    if (active++ === 0) since = performance.now()
  }
  const leave = () => {
    if (--active === 0) busy += performance.now() - since
  }
  proto.run = function (this: unknown, ...args: Array<unknown>) {
    enter()
    const t0 = performance.now()
    let result: Promise<unknown>
    try {
      result = original.apply(this, args)
    } catch (error) {
      leave()
      throw error
    }
    return result
      .then((out) => {
        byModel[modelOf(firstDims(out))] += performance.now() - t0
        return out
      })
      .finally(leave)
  }
  return {
    ms: () => busy + (active > 0 ? performance.now() - since : 0),
    calls: () => calls,
    byModel: () => ({ ...byModel })
  }
}

/** One timed page. */
export interface PageTime {
  readonly id: string
  readonly class: PageClass
  readonly round: number
  readonly ms: number
  readonly onnxMs: number
  readonly onnxCalls: number
  readonly characters: number
}

/** What one engine's process measured. */
export interface EngineRun {
  readonly engine: string
  readonly description: string
  readonly threads: number | string
  readonly loadMs: number
  readonly warmupMs: number
  readonly peakRssMb: number
  readonly pages: ReadonlyArray<PageTime>
  /** ONNX ms per model over the timed passes. */
  readonly onnxByModel?: Readonly<Record<ModelKind, number>>
  readonly error?: string
}

const peakRssMb = () => process.resourceUsage().maxRSS / 1024

/** Time a runner over the pages: one untimed pass, then `rounds` timed passes. */
export const measure = async (
  engine: string,
  open: () => Promise<Runner>,
  set: ReadonlyArray<Page>,
  rounds: number,
  timer: OnnxTimer
): Promise<EngineRun> => {
  const started = performance.now()
  const runner = await open()
  const loadMs = performance.now() - started
  const bytes = set.map((p) => new Uint8Array(Fs.readFileSync(p.path)))
  const warm = performance.now()
  for (const [i, page] of set.entries()) await runner.run(bytes[i]!, page.path)
  const warmupMs = performance.now() - warm
  const times: Array<PageTime> = []
  const models0 = timer.byModel()
  for (let round = 0; round < rounds; round++) {
    for (const [i, page] of set.entries()) {
      const onnx0 = timer.ms()
      const calls0 = timer.calls()
      const t0 = performance.now()
      const out = await runner.run(bytes[i]!, page.path)
      const ms = performance.now() - t0
      times.push({
        id: page.id,
        class: page.class,
        round,
        ms,
        onnxMs: timer.ms() - onnx0,
        onnxCalls: timer.calls() - calls0,
        characters: [...out.text.replace(/\s/g, "")].length
      })
    }
  }
  const models1 = timer.byModel()
  await runner.close()
  return {
    onnxByModel: {
      detection: models1.detection - models0.detection,
      classification: models1.classification - models0.classification,
      recognition: models1.recognition - models0.recognition
    },
    engine,
    description: runner.description,
    threads: runner.threads,
    loadMs,
    warmupMs,
    peakRssMb: peakRssMb(),
    pages: times
  }
}

/** One engine's summary row. */
export interface Summary {
  readonly engine: string
  readonly threads: number | string
  readonly msLine: number
  readonly msClean: number
  readonly msDegraded: number
  /** Pages (clean and degraded) per second of wall time. */
  readonly pagesPerSecond: number
  /** ONNX ms per page (clean and degraded). */
  readonly onnxMsPage: number
  /** Wall / ONNX over the clean pages, over the degraded pages. */
  readonly ratioClean: number
  readonly ratioDegraded: number
  readonly peakRssMb: number
  readonly loadMs: number
  readonly error?: string
}

const mean = (xs: ReadonlyArray<number>) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length)
const sum = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0)

/** The summary of one engine's run: means over every timed pass. */
export const summarise = (run: EngineRun): Summary => {
  const of = (cls: PageClass) => run.pages.filter((p) => p.class === cls)
  const doc = run.pages.filter((p) => p.class !== "line")
  const ratio = (ps: ReadonlyArray<PageTime>) => sum(ps.map((p) => p.ms)) / sum(ps.map((p) => p.onnxMs))
  return {
    engine: run.engine,
    threads: run.threads,
    msLine: mean(of("line").map((p) => p.ms)),
    msClean: mean(of("clean").map((p) => p.ms)),
    msDegraded: mean(of("degraded").map((p) => p.ms)),
    pagesPerSecond: doc.length / (sum(doc.map((p) => p.ms)) / 1000),
    onnxMsPage: mean(doc.map((p) => p.onnxMs)),
    ratioClean: ratio(of("clean")),
    ratioDegraded: ratio(of("degraded")),
    peakRssMb: run.peakRssMb,
    loadMs: run.loadMs,
    ...(run.error !== undefined ? { error: run.error } : {})
  }
}

/** The machine as the report states it: cores, load average before and after, CPU model. */
export interface MachineNote {
  readonly cpus: number
  readonly cpuModel: string
  readonly loadBefore: ReadonlyArray<number>
  readonly loadAfter: ReadonlyArray<number>
  readonly node: string
  readonly commit: string
}

/** A self-time row of a CPU profile. */
export interface SelfTime {
  readonly function: string
  readonly where: string
  readonly ms: number
  readonly share: number
}

interface ProfileNode {
  readonly id: number
  readonly callFrame: { functionName: string; url: string; lineNumber: number }
  readonly hitCount?: number
}

/**
 * The top self-time functions of a V8 `.cpuprofile` (from `node --cpu-prof`),
 * from its samples and time deltas; `(idle)`, `(program)` and `(garbage
 * collector)` are kept, since they are time too.
 */
export const profileSummary = (profile: string, top = 15): ReadonlyArray<SelfTime> => {
  const json = JSON.parse(Fs.readFileSync(profile, "utf8")) as {
    nodes: ReadonlyArray<ProfileNode>
    samples: ReadonlyArray<number>
    timeDeltas: ReadonlyArray<number>
  }
  const byId = new Map(json.nodes.map((n) => [n.id, n]))
  const self = new Map<string, { function: string; where: string; us: number }>()
  let total = 0
  json.samples.forEach((id, i) => {
    const node = byId.get(id)
    const dt = json.timeDeltas[i + 1] ?? 0
    if (node === undefined) return
    const frame = node.callFrame
    const file = frame.url === "" ? "" : `${Path.basename(frame.url.replace(/^file:\/\//, ""))}:${frame.lineNumber + 1}`
    const key = `${frame.functionName}@${file}`
    const row = self.get(key) ?? { function: frame.functionName || "(anonymous)", where: file, us: 0 }
    row.us += dt
    self.set(key, row)
    total += dt
  })
  return [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((r) => ({ function: r.function, where: r.where, ms: r.us / 1000, share: r.us / Math.max(1, total) }))
}

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "-")
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "-")

/** The report: machine, command, the side-by-side table, ratios to the first peer, per-page times, profiles. */
export const markdown = (
  runs: ReadonlyArray<EngineRun>,
  set: ReadonlyArray<Page>,
  machine: MachineNote,
  command: string,
  rounds: number,
  profiles: Readonly<Record<string, ReadonlyArray<SelfTime>>>
): string => {
  const rows = runs.map(summarise)
  const ours = rows.find((r) => r.engine === "paddle")
  const load = (l: ReadonlyArray<number>) => l.map((x) => x.toFixed(2)).join(", ")
  const out: Array<string> = [
    "# Speed, side by side",
    "",
    `Command: \`${command}\`  `,
    `Commit: ${machine.commit}; Node ${machine.node}; ${machine.cpus} cores (${machine.cpuModel}).  `,
    `Load average (1, 5, 15 min) before: ${load(machine.loadBefore)}; after: ${load(machine.loadAfter)}.`,
    "",
    machine.loadBefore[0]! > machine.cpus
      ? `**The machine was shared and loaded** (load average above the ${machine.cpus} cores): absolute times are inflated and noisy. Compare the ratios within this run (wall / ONNX, and pages/s against the peers), not the milliseconds across runs.`
      : "The machine was not overloaded during this run (load average at most the core count).",
    "",
    `Pages: ${set.length} (${set.filter((p) => p.class === "line").length} single lines, ${set.filter((p) => p.class === "clean").length} clean and ${set.filter((p) => p.class === "degraded").length} degraded pages); each engine in a fresh process, models loaded once, one untimed warm-up pass, then ${rounds} timed pass(es). ONNX ms is the time inside \`InferenceSession.run\` (wrapped in each process). pages/s and ONNX ms/page are over the clean and degraded pages; peak RSS is the process's maxRSS.`,
    "",
    "| engine | threads | ms/line | ms/page clean | ms/page degraded | pages/s | ONNX ms/page | wall / ONNX clean | wall / ONNX degraded | peak RSS MiB | load ms |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) =>
      r.error !== undefined
        ? `| ${r.engine} | failed: ${r.error.split("\n")[0]} | | | | | | | | | |`
        : `| ${r.engine} | ${r.threads} | ${f0(r.msLine)} | ${f0(r.msClean)} | ${f0(r.msDegraded)} | ${f2(r.pagesPerSecond)} | ${f0(r.onnxMsPage)} | ${f2(r.ratioClean)} | ${f2(r.ratioDegraded)} | ${f0(r.peakRssMb)} | ${f0(r.loadMs)} |`
    ),
    ""
  ]
  if (ours !== undefined && ours.error === undefined) {
    out.push("ocr2word paddle against each peer in this run:", "")
    for (const r of rows.filter((r) => r.engine !== "paddle" && r.error === undefined))
      out.push(
        `- ${r.engine}: pages/s x${f2(ours.pagesPerSecond / r.pagesPerSecond)}, ONNX ms/page x${f2(ours.onnxMsPage / r.onnxMsPage)}, peak RSS x${f2(ours.peakRssMb / r.peakRssMb)}`
      )
    out.push("")
  }
  out.push(
    "## Per page (mean over the timed passes)",
    "",
    `| page | class | ${runs.map((r) => r.engine).join(" | ")} |`
  )
  out.push(`| --- | --- | ${runs.map(() => "---").join(" | ")} |`)
  const byModel = runs.filter((r) => r.onnxByModel !== undefined)
  const modelRows = byModel.map((r) => {
    const m = r.onnxByModel!
    const per = (ms: number) => f0(ms / Math.max(1, r.pages.length))
    return `| ${r.engine} | ${per(m.detection)} | ${per(m.classification)} | ${per(m.recognition)} |`
  })
  for (const page of set) {
    const cells = runs.map((r) => {
      const ps = r.pages.filter((p) => p.id === page.id)
      return ps.length === 0
        ? "-"
        : `${f0(mean(ps.map((p) => p.ms)))} ms (ONNX ${f0(mean(ps.map((p) => p.onnxMs)))}, ${f0(mean(ps.map((p) => p.onnxCalls)))} runs)`
    })
    out.push(`| ${page.id} | ${page.class} | ${cells.join(" | ")} |`)
  }
  out.push("")
  if (modelRows.length > 0)
    out.push(
      "## ONNX time by model (ms per timed item, lines and pages, each call's own duration)",
      "",
      "| engine | detection | classification | recognition |",
      "| --- | --- | --- | --- |",
      ...modelRows,
      ""
    )
  for (const [engine, rows] of Object.entries(profiles)) {
    out.push(
      `## Top self time: ${engine}`,
      "",
      "Whole process (load, warm-up and timed passes), from `node --cpu-prof`.",
      "",
      "| function | where | self ms | share |",
      "| --- | --- | --- | --- |",
      ...rows.map((r) => `| ${r.function} | ${r.where} | ${f0(r.ms)} | ${(r.share * 100).toFixed(1)} % |`),
      ""
    )
  }
  return out.join("\n")
}
