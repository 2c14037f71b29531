/**
 * Load test of the real server (loopback only, bounded in time and
 * connections) showing the per-IP rate limit and the OCR queue bound hold.
 *
 *   npx node packages/server/scripts/load-test.ts [--duration 10] [--connections 16]
 *
 * Starts `ocr2word serve` on a free loopback port with a throwaway data
 * folder, then runs two autocannon scenarios:
 *   1. rate limit: keyed requests without an image (cheap 400s) from one IP;
 *      beyond 5 per second they must be 429/102.
 *   2. queue bound: 60 real conversions (a real-dev page, base64) over 12
 *      connections with the rate limit lifted; beyond 2 running + 4 waiting
 *      they must be 429/102 at once,
 *      while /healthz keeps answering and the queue depth never exceeds 4.
 * Prints requests/s, p50/p95 latency and the share of 429s per scenario.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import autocannon from "autocannon"

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const duration = Math.min(arg("duration", 10), 60)
const connections = Math.min(arg("connections", 16), 64)
const root = path.resolve(import.meta.dirname, "../../..")
const image = fs.readFileSync(path.join(root, "datasets/real-dev/images/tjs_testocr.png"))

const startServer = (extra: Array<string>) =>
  new Promise<{ url: string; key: string; stop: () => void }>((resolve, reject) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-load-"))
    const child = spawn(
      process.execPath,
      [
        "--disable-warning=ExperimentalWarning",
        path.join(root, "packages/cli/src/bin.ts"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--data-dir",
        dataDir,
        ...extra
      ],
      { stdio: ["ignore", "pipe", "inherit"] }
    )
    let out = ""
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString()
      const url = /listening on (http:\/\/[^\s]+)/.exec(out)?.[1]
      const key = /Development key[^:]*: (o2w_\S+)/.exec(out)?.[1]
      if (url !== undefined && key !== undefined) {
        resolve({
          url,
          key,
          stop: () => {
            child.kill("SIGTERM")
            fs.rmSync(dataDir, { recursive: true, force: true })
          }
        })
      }
    })
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${out}`)))
  })

const waitReady = async (url: string) => {
  for (let i = 0; i < 1200; i++) {
    if ((await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error("server never became ready")
}

const percentile = (sorted: Array<number>, p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

interface Summary {
  readonly byStatus: Record<number, { p50: number; p95: number }>
  readonly requests: number
  readonly perSecond: number
  readonly p50: number
  readonly p95: number
  readonly statuses: Record<number, number>
  readonly share429: number
}

const run = (options: autocannon.Options) =>
  new Promise<Summary>((resolve, reject) => {
    const latencies: Array<number> = []
    const statuses: Record<number, number> = {}
    const perStatus: Record<number, Array<number>> = {}
    const started = performance.now()
    const instance = autocannon(options, (error) => {
      if (error) return reject(error)
      const seconds = (performance.now() - started) / 1000
      latencies.sort((a, b) => a - b)
      const total = latencies.length
      const byStatus: Record<number, { p50: number; p95: number }> = {}
      for (const [status, list] of Object.entries(perStatus)) {
        list.sort((a, b) => a - b)
        byStatus[Number(status)] = { p50: percentile(list, 50), p95: percentile(list, 95) }
      }
      resolve({
        byStatus,
        requests: total,
        perSecond: total / seconds,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        statuses,
        share429: (statuses[429] ?? 0) / Math.max(1, total)
      })
    })
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
      statuses[status] = (statuses[status] ?? 0) + 1
      latencies.push(ms)
      const forStatus = perStatus[status] ?? []
      forStatus.push(ms)
      perStatus[status] = forStatus
    })
  })

const show = (name: string, s: Summary, extra = "") =>
  console.log(
    `${name}: ${s.requests} requests, ${s.perSecond.toFixed(1)} req/s, p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, ` +
      `429 share ${(100 * s.share429).toFixed(1)}%, statuses ${JSON.stringify(s.statuses)}, ` +
      `latency by status ${Object.entries(s.byStatus)
        .map(([k, v]) => `${k}: p50 ${v.p50.toFixed(0)} ms p95 ${v.p95.toFixed(0)} ms`)
        .join("; ")}${extra}`
  )

// 1. Rate limit.
{
  const server = await startServer(["--workers", "1"])
  try {
    const s = await run({
      url: `${server.url}/imagerecognition/ocr2word?appkey=${server.key}`,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "imageurl=",
      connections,
      duration
    })
    const passed = s.requests - (s.statuses[429] ?? 0)
    show("rate limit (1 IP, limit 5/s)", s, `; passed ${passed} = ${(passed / duration).toFixed(2)}/s`)
    if (passed > 5 + 5 * (duration + 1))
      throw new Error(`rate limit broken: ${passed} requests passed in ${duration} s`)
  } finally {
    server.stop()
  }
}

// 2. Queue bound.
{
  const queueSize = 4
  const server = await startServer(["--workers", "2", "--queue-size", String(queueSize), "--rate-limit", "100000"])
  try {
    await waitReady(server.url)
    let maxWaiting = 0
    const probes: Array<number> = []
    const sampler = setInterval(async () => {
      const t0 = performance.now()
      const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text())
      probes.push(performance.now() - t0)
      maxWaiting = Math.max(maxWaiting, Number(/ocr2word_queue_waiting (\d+)/.exec(metrics)?.[1] ?? 0))
    }, 250)
    const s = await run({
      url: `${server.url}/imagerecognition/ocr2word?appkey=${server.key}`,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ imagebase64: image.toString("base64") }).toString(),
      connections: Math.min(connections, 12),
      // A fixed number of requests, so every accepted conversion is waited for and counted.
      amount: 60,
      timeout: 300
    })
    clearInterval(sampler)
    probes.sort((a, b) => a - b)
    show(
      `queue bound (2 workers, ${queueSize} waiting)`,
      s,
      `; max queue depth seen ${maxWaiting}; /metrics probe p50 ${percentile(probes, 50).toFixed(1)} ms, p95 ${percentile(probes, 95).toFixed(1)} ms`
    )
    if (maxWaiting > queueSize) throw new Error(`queue bound broken: ${maxWaiting} waiting`)
  } finally {
    server.stop()
  }
}
