/**
 * `npm run speed -w benchmarks -- [--engine paddle,ppu-paddle-ocr,gutenye] [--rounds N] [--per-class N] [--cpu-prof] [--out dir]`
 *
 * The side-by-side speed benchmark (`Speed`): each engine in a fresh process
 * over the same pages, then `report.md` and `results.json` in `--out`
 * (default `benchmarks/results/speed-<date>`), with the top self-time
 * functions of each process when `--cpu-prof` is given.
 *
 * @since 0.1.0
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { parseArgs } from "node:util"
import { OptionDecoding } from "@ocr2word/core"
import { Effect } from "effect"
import * as Baselines from "./Baselines.ts"
import * as Bench from "./Bench.ts"
import type { Runner } from "./Runner.ts"
import * as Speed from "./Speed.ts"

const root = Path.resolve(import.meta.dirname, "../..")
const engines: Readonly<Record<string, () => Promise<Runner>>> = {
  paddle: () => Bench.pipelineRunner("paddle"),
  "ppu-paddle-ocr": Baselines.ppuPaddleOcrRunner,
  gutenye: Baselines.gutenyeRunner
}

const { values } = parseArgs({
  options: {
    engine: { type: "string", default: "paddle,ppu-paddle-ocr,gutenye" },
    rounds: { type: "string", default: "2" },
    "per-class": { type: "string", default: "4" },
    "cpu-prof": { type: "boolean", default: false },
    out: { type: "string" },
    child: { type: "string" },
    result: { type: "string" }
  }
})

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`)
  process.exit(2)
}
const positive = (name: string, raw: string): number => {
  const n = Number(raw)
  return Number.isInteger(n) && n >= 1
    ? n
    : fail(`Expected a positive integer for --${name} but received ${OptionDecoding.show(raw)}`)
}
const rounds = positive("rounds", values.rounds)
const perClass = positive("per-class", values["per-class"])
const failedRun = (engine: string, error: string): Speed.EngineRun => ({
  engine,
  description: "",
  threads: "",
  loadMs: 0,
  warmupMs: 0,
  peakRssMb: 0,
  pages: [],
  error
})
const set = await Effect.runPromise(
  Speed.pages(Path.join(root, "datasets"), perClass).pipe(Effect.catch((e) => Effect.sync(() => fail(e.message))))
)

if (values.child !== undefined) {
  // One engine in this process: wrap ONNX Runtime first, then time, then hand the record back by file.
  const open = engines[values.child] ?? fail(`Unknown engine ${OptionDecoding.show(values.child)}`)
  const timer = await Speed.wrapOnnx()
  const run = await Speed.measure(values.child, open, set, rounds, timer).catch(
    (error): Speed.EngineRun => failedRun(values.child!, error instanceof Error ? error.message : String(error))
  )
  Fs.writeFileSync(values.result ?? fail("--child needs --result"), JSON.stringify(run))
  process.exit(0)
}

const selected = values.engine
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean)
for (const e of selected)
  if (!Object.hasOwn(engines, e))
    fail(
      `Expected engines among ${Object.keys(engines).join(", ")} for --engine but received ${OptionDecoding.show(e)}`
    )

const out = Path.resolve(
  values.out ?? Path.join(root, "benchmarks/results", `speed-${new Date().toISOString().slice(0, 10)}`)
)
Fs.mkdirSync(out, { recursive: true })
const scratch = Fs.mkdtempSync(Path.join(Os.tmpdir(), "ocr2word-speed-"))
const profileDir = Path.join(scratch, "profiles")
const loadBefore = Os.loadavg()
// The commit the engines ran at: read before they start, since the tree may move during a long run.
const commit = ChildProcess.spawnSync("git", ["rev-parse", "--short", "HEAD"], {
  cwd: root,
  encoding: "utf8"
}).stdout.trim()
const runs: Array<Speed.EngineRun> = []
const profiles: Record<string, ReadonlyArray<Speed.SelfTime>> = {}
for (const engine of selected) {
  process.stderr.write(`${engine}: ${set.length} pages, 1 warm-up + ${rounds} timed pass(es)\n`)
  const result = Path.join(scratch, `${engine}.json`)
  const dir = Path.join(profileDir, engine)
  const flags = values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : []
  const child = ChildProcess.spawnSync(
    process.execPath,
    [
      ...flags,
      import.meta.filename,
      "--child",
      engine,
      "--result",
      result,
      "--rounds",
      String(rounds),
      "--per-class",
      String(perClass)
    ],
    { stdio: ["ignore", "ignore", "inherit"] }
  )
  const run: Speed.EngineRun = Fs.existsSync(result)
    ? JSON.parse(Fs.readFileSync(result, "utf8"))
    : failedRun(engine, `process exited with ${child.status ?? child.signal}`)
  runs.push(run)
  const profile = Fs.existsSync(dir) ? Fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile")) : undefined
  if (profile !== undefined) profiles[engine] = Speed.profileSummary(Path.join(dir, profile))
}
const machine: Speed.MachineNote = {
  cpus: Os.availableParallelism(),
  cpuModel: Os.cpus()[0]?.model ?? "unknown",
  loadBefore,
  loadAfter: Os.loadavg(),
  node: process.version,
  commit
}
const command = `npm run speed -w benchmarks -- ${process.argv.slice(2).join(" ")}`.trim()
Fs.writeFileSync(Path.join(out, "report.md"), Speed.markdown(runs, set, machine, command, rounds, profiles))
Fs.writeFileSync(
  Path.join(out, "results.json"),
  `${JSON.stringify({ command, machine, pages: set.map(({ path, ...p }) => ({ ...p, path: Path.relative(root, path) })), summary: runs.map(Speed.summarise), runs, profiles }, null, 2)}\n`
)
Fs.rmSync(scratch, { recursive: true, force: true })
for (const r of runs.map(Speed.summarise))
  process.stdout.write(
    `${r.engine.padEnd(16)} clean ${r.msClean.toFixed(0).padStart(5)} ms  degraded ${r.msDegraded.toFixed(0).padStart(5)} ms  ${r.pagesPerSecond.toFixed(2)} pages/s  ONNX ${r.onnxMsPage.toFixed(0)} ms/page  wall/ONNX ${r.ratioClean.toFixed(2)}/${r.ratioDegraded.toFixed(2)}  RSS ${r.peakRssMb.toFixed(0)} MiB${r.error !== undefined ? `  ERROR ${r.error}` : ""}\n`
  )
process.stdout.write(`wrote ${Path.relative(process.cwd(), out)}/report.md, results.json\n`)
process.exit(0)
