/**
 * Overload and soak test of the real server, loopback only and bounded:
 *
 *   npx node packages/server/scripts/soak.ts [--duration 600] [--warmup 0] [--factor 2] [--workers 2] [--queue-size 8] [--calibrate 15]
 *
 * Starts `ocr2word serve` (embedded defaults, a throwaway data folder) on a
 * free 127.0.0.1 port, measures its capacity (conversions per second with
 * one client per worker thread, small synth-lines images), then sends
 * conversions at `factor` times that rate, open loop, from 256 client
 * addresses (X-Forwarded-For through a trusted proxy) for `duration`
 * seconds (after `--warmup` seconds of the same load), sampling the server's RSS and open file descriptors
 * (/proc/<pid>) and its queue depth (/metrics) every second. It passes when:
 *   - every answer is 200, or 429/102 with Retry-After: never a 5xx, never
 *     another status, never a cut connection;
 *   - the queue depth never exceeds --queue-size;
 *   - the p99 latency of the 200s is within the conversion time limit;
 *   - RSS is flat over the last half of the measured window (least-squares
 *     growth across it under max(32 MB, 5%));
 *   - file descriptors do not grow (the last quarter's peak at most 8 above
 *     the second quarter's, and back to the idle count +8 once idle).
 * Prints the figures and one PASS/FAIL line per check, then the report as
 * one JSON line (the CI test runs a short soak and reads it); exits 1 on a
 * failure. In-flight requests are capped at 512, the duration at 1 hour.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"

export interface SoakOptions {
  /** Seconds at `factor` x capacity. */
  readonly durationS: number
  /**
   * Seconds at `factor` x capacity before the measured `durationS`: their
   * answers are checked like the rest, but RSS and file descriptors are
   * judged over the measured window only (the heaps of the server and its
   * threads grow for the first few hundred conversions, then level off).
   */
  readonly warmupS?: number
  readonly factor?: number
  readonly workers?: number
  readonly queueSize?: number
  /** Seconds of the capacity measurement. */
  readonly calibrateS?: number
  /** Progress lines go here (default stderr). */
  readonly log?: (line: string) => void
}

export interface Check {
  readonly name: string
  readonly ok: boolean
  readonly detail: string
}

export interface SoakReport {
  readonly capacityPerS: number
  readonly offeredPerS: number
  readonly durationS: number
  readonly warmupS: number
  readonly sent: number
  readonly outcomes: Readonly<Record<string, number>>
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number }
  readonly timeoutMs: number
  readonly queueDepthMax: number
  readonly queueSize: number
  readonly rssMb: {
    readonly idle: number
    readonly max: number
    readonly lastHalfStart: number
    readonly lastHalfEnd: number
    readonly lastHalfGrowth: number
    /** RSS every 5 s of the run, in MB. */
    readonly every5s: ReadonlyArray<number>
  }
  readonly fds: {
    readonly idle: number
    readonly secondQuarterMax: number
    readonly lastQuarterMax: number
    readonly after: number
  }
  readonly checks: ReadonlyArray<Check>
  readonly ok: boolean
}

const root = path.resolve(import.meta.dirname, "../../..")
const bin = path.join(root, "packages/cli/src/bin.ts")
const timeoutMs = 120_000
const maxInFlight = 512

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const rssMbOf = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8")
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
}
const fdsOf = (pid: number) => fs.readdirSync(`/proc/${pid}/fd`).length

const quantile = (sorted: ReadonlyArray<number>, q: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!

/** Least-squares slope (per second) of `values` sampled at `times` (seconds). */
const slope = (times: ReadonlyArray<number>, values: ReadonlyArray<number>) => {
  const n = times.length
  if (n < 2) return 0
  const mt = times.reduce((a, b) => a + b, 0) / n
  const mv = values.reduce((a, b) => a + b, 0) / n
  let num = 0
  let den = 0
  for (let i = 0; i < n; i++) {
    num += (times[i]! - mt) * (values[i]! - mv)
    den += (times[i]! - mt) ** 2
  }
  return den === 0 ? 0 : num / den
}

interface Server {
  readonly child: ChildProcess
  readonly url: string
  readonly key: string
  readonly stop: () => Promise<void>
}

const startServer = async (workers: number, queueSize: number): Promise<Server> => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-soak-"))
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [
      "--disable-warning=ExperimentalWarning",
      bin,
      "serve",
      ...["--host", "127.0.0.1", "--port", String(port), "--data-dir", dataDir],
      ...["--workers", String(workers), "--queue-size", String(queueSize), "--timeout-ms", String(timeoutMs)],
      ...["--trusted-proxies", "127.0.0.1"]
    ],
    { stdio: ["ignore", "pipe", "pipe"] }
  )
  let output = ""
  child.stdout!.on("data", (d) => (output += String(d)))
  child.stderr!.on("data", (d) => (output += String(d)))
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        fs.rmSync(dataDir, { recursive: true, force: true })
        resolve()
      }
      if (child.exitCode !== null || child.signalCode !== null) return done()
      child.once("exit", done)
      child.kill("SIGTERM")
      setTimeout(() => child.kill("SIGKILL"), 8_000).unref()
    })
  const url = `http://127.0.0.1:${port}`
  const until = Date.now() + 180_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited while starting:\n${output}`)
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
      (r) => r.status === 200,
      () => false
    )
    if (ready) break
    if (Date.now() > until) {
      await stop()
      throw new Error(`the server was not ready within 180 s:\n${output}`)
    }
    await sleep(250)
  }
  const key = /Development key[^:]*: (o2w_\S+)/.exec(output)?.[1]
  if (key === undefined) {
    await stop()
    throw new Error(`no development key in the banner:\n${output}`)
  }
  return { child, url, key, stop }
}

const imagesDir = path.join(root, "datasets/synth-lines/images")
const images = fs
  .readdirSync(imagesDir)
  .sort()
  .slice(0, 12)
  .map((name) => fs.readFileSync(path.join(imagesDir, name)).toString("base64"))

interface Outcome {
  readonly label: string
  readonly ms: number
}

/** One conversion; its outcome as `200`, `429/102+RA`, `<status>/<code>` or a network error code. */
const convert = async (server: Server, n: number): Promise<Outcome> => {
  const started = performance.now()
  const label = await fetch(`${server.url}/imagerecognition/ocr2word?appkey=${server.key}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-forwarded-for": `10.77.0.${n % 256}`
    },
    body: new URLSearchParams({ imagebase64: images[n % images.length]! }),
    signal: AbortSignal.timeout(timeoutMs + 30_000)
  }).then(
    async (r) => {
      const body = (await r.json().catch(() => undefined)) as { DataStatus?: { StatusCode?: number } } | undefined
      const code = body?.DataStatus?.StatusCode
      if (r.status === 200) return "200"
      if (r.status === 429)
        return `429/${code}${r.headers.get("retry-after") !== null ? "+Retry-After" : "-no-Retry-After"}`
      return `${r.status}/${code}`
    },
    (e: { cause?: { code?: string }; name?: string }) => `network:${e.cause?.code ?? e.name ?? "error"}`
  )
  return { label, ms: performance.now() - started }
}

const queueDepth = (server: Server) =>
  fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(5_000) })
    .then((r) => r.text())
    .then((text) => Number(/^ocr2word_queue_waiting (\d+)/m.exec(text)?.[1] ?? Number.NaN))
    .catch(() => Number.NaN)

/** Run the soak; the report says what was measured and whether each check held. */
export const soak = async (options: SoakOptions): Promise<SoakReport> => {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const durationS = Math.min(Math.max(options.durationS, 10), 3600)
  const warmupS = Math.min(Math.max(options.warmupS ?? 0, 0), 3600)
  const factor = options.factor ?? 2
  const workers = options.workers ?? 2
  const queueSize = options.queueSize ?? 8
  const calibrateS = options.calibrateS ?? 15
  const server = await startServer(workers, queueSize)
  const pid = server.child.pid!
  try {
    // Warm up every thread once, then measure with one client per thread (closed loop).
    await Promise.all(Array.from({ length: workers }, (_, i) => convert(server, i)))
    let done = 0
    const calibrateUntil = performance.now() + calibrateS * 1000
    const t0 = performance.now()
    await Promise.all(
      Array.from({ length: workers }, async (_, i) => {
        for (let n = i; performance.now() < calibrateUntil; n += workers) {
          const o = await convert(server, n)
          if (o.label === "200") done++
        }
      })
    )
    const capacityPerS = done / ((performance.now() - t0) / 1000)
    const offeredPerS = capacityPerS * factor
    log(
      `capacity ${capacityPerS.toFixed(2)} conversions/s; offering ${offeredPerS.toFixed(2)}/s for ${warmupS > 0 ? `${warmupS} s of warm-up and ` : ""}${durationS} s`
    )
    await sleep(2_000)
    const idleRss = rssMbOf(pid)
    const idleFds = fdsOf(pid)

    const outcomes = new Map<string, number>()
    const latencies: Array<number> = []
    const samples: Array<{ t: number; rss: number; fds: number; depth: number }> = []
    let inFlight = 0
    let sent = 0
    let skipped = 0
    const pending: Array<Promise<void>> = []
    const start = performance.now()
    const sampler = setInterval(() => {
      void queueDepth(server).then((depth) => {
        try {
          samples.push({ t: (performance.now() - start) / 1000, rss: rssMbOf(pid), fds: fdsOf(pid), depth })
        } catch {
          // The server is gone: the outcomes say so.
        }
      })
    }, 1000)
    const interval = 1000 / offeredPerS
    let lastProgress = start
    while (performance.now() - start < (warmupS + durationS) * 1000) {
      const due = start + sent * interval
      const wait = due - performance.now()
      if (wait > 0) await sleep(wait)
      if (inFlight >= maxInFlight) {
        skipped++
        sent++
        continue
      }
      const n = sent++
      inFlight++
      pending.push(
        convert(server, n).then((o) => {
          inFlight--
          outcomes.set(o.label, (outcomes.get(o.label) ?? 0) + 1)
          if (o.label === "200") latencies.push(o.ms)
        })
      )
      if (performance.now() - lastProgress > 30_000) {
        lastProgress = performance.now()
        const last = samples.at(-1)
        log(
          `  ${Math.round((lastProgress - start) / 1000)} s: sent ${sent}, in flight ${inFlight}, ${JSON.stringify(Object.fromEntries(outcomes))}, RSS ${last?.rss.toFixed(0)} MB, fds ${last?.fds}`
        )
      }
    }
    await Promise.all(pending)
    clearInterval(sampler)
    await sleep(5_000)
    const afterFds = fdsOf(pid)
    if (skipped > 0) outcomes.set("client-capped", skipped)

    const sorted = [...latencies].sort((a, b) => a - b)
    const latencyMs = {
      p50: Math.round(quantile(sorted, 0.5)),
      p99: Math.round(quantile(sorted, 0.99)),
      max: Math.round(sorted.at(-1) ?? 0)
    }
    const half = samples.filter((s) => s.t >= warmupS + durationS / 2)
    const growthPerS = slope(
      half.map((s) => s.t),
      half.map((s) => s.rss)
    )
    const halfSpan = half.length > 1 ? half.at(-1)!.t - half[0]!.t : 0
    const lastHalfGrowth = growthPerS * halfSpan
    const lastHalfStart = half[0]?.rss ?? 0
    const quarter = (from: number, to: number) =>
      samples.filter((s) => s.t >= warmupS + (durationS * from) / 4 && s.t < warmupS + (durationS * to) / 4)
    const maxOf = (values: ReadonlyArray<number>) => values.reduce((a, b) => Math.max(a, b), 0)
    const fds = {
      idle: idleFds,
      secondQuarterMax: maxOf(quarter(1, 2).map((s) => s.fds)),
      lastQuarterMax: maxOf(quarter(3, 4).map((s) => s.fds)),
      after: afterFds
    }
    const depths = samples.map((s) => s.depth).filter((d) => !Number.isNaN(d))
    const queueDepthMax = maxOf(depths)
    const rssMb = {
      idle: Math.round(idleRss),
      max: Math.round(maxOf(samples.map((s) => s.rss))),
      lastHalfStart: Math.round(lastHalfStart),
      lastHalfEnd: Math.round(half.at(-1)?.rss ?? 0),
      lastHalfGrowth: Math.round(lastHalfGrowth),
      every5s: samples.filter((_, i) => i % 5 === 4).map((s) => Math.round(s.rss))
    }
    const allowed = (label: string) => label === "200" || label === "429/102+Retry-After"
    const unexpected = [...outcomes.entries()].filter(([label]) => !allowed(label))
    const rssTolerance = Math.max(32, lastHalfStart * 0.05)
    const checks: Array<Check> = [
      {
        name: "only 200 and 429/102 with Retry-After",
        ok: unexpected.length === 0 && (outcomes.get("200") ?? 0) > 0,
        detail: JSON.stringify(Object.fromEntries(outcomes))
      },
      {
        name: `queue depth within ${queueSize}`,
        ok: depths.length > 0 && queueDepthMax <= queueSize,
        detail: `max ${queueDepthMax} over ${depths.length} samples`
      },
      {
        name: `p99 of the 200s within the ${timeoutMs / 1000} s time limit`,
        ok: latencyMs.p99 <= timeoutMs,
        detail: `p50 ${latencyMs.p50} ms, p99 ${latencyMs.p99} ms, max ${latencyMs.max} ms`
      },
      {
        name: "RSS flat over the last half",
        ok: lastHalfGrowth < rssTolerance,
        detail: `${rssMb.lastHalfStart} -> ${rssMb.lastHalfEnd} MB, fitted growth ${rssMb.lastHalfGrowth} MB (limit ${Math.round(rssTolerance)}), peak ${rssMb.max} MB, idle ${rssMb.idle} MB`
      },
      {
        name: "no file descriptor growth",
        ok: fds.lastQuarterMax <= fds.secondQuarterMax + 8 && fds.after <= fds.idle + 8,
        detail: `idle ${fds.idle}, 2nd quarter max ${fds.secondQuarterMax}, last quarter max ${fds.lastQuarterMax}, after ${fds.after}`
      },
      {
        name: "server alive",
        ok: server.child.exitCode === null && server.child.signalCode === null,
        detail: `pid ${pid}`
      }
    ]
    return {
      capacityPerS: Math.round(capacityPerS * 100) / 100,
      offeredPerS: Math.round(offeredPerS * 100) / 100,
      durationS,
      warmupS,
      sent,
      outcomes: Object.fromEntries(outcomes),
      latencyMs,
      timeoutMs,
      queueDepthMax,
      queueSize,
      rssMb,
      fds,
      checks,
      ok: checks.every((c) => c.ok)
    }
  } finally {
    await server.stop()
  }
}

/** The report as lines for a terminal or a test log. */
export const describeReport = (report: SoakReport) =>
  [
    `soak: ${report.warmupS > 0 ? `${report.warmupS} s of warm-up, then ` : ""}${report.durationS} s at ${report.offeredPerS}/s (${(report.offeredPerS / report.capacityPerS).toFixed(1)}x the measured ${report.capacityPerS} conversions/s), ${report.sent} requests`,
    ...report.checks.map((c) => `  ${c.ok ? "PASS" : "FAIL"} ${c.name}: ${c.detail}`)
  ].join("\n")

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}

if (import.meta.main) {
  // Ctrl-C: the server child gets the signal too; leave once it is gone.
  process.once("SIGINT", () => setTimeout(() => process.exit(130), 1_000))
  const report = await soak({
    durationS: arg("duration", 600),
    warmupS: arg("warmup", 0),
    factor: arg("factor", 2),
    workers: arg("workers", 2),
    queueSize: arg("queue-size", 8),
    calibrateS: arg("calibrate", 15)
  })
  process.stdout.write(`${describeReport(report)}\n${JSON.stringify(report)}\n`)
  process.exitCode = report.ok ? 0 : 1
}
