/**
 * Throughput of the shared queue with 1, 2 and 4 `ocr2word worker`
 * processes on this machine (a benchmark, not a timed test).
 *
 *   npx node packages/server/scripts/bench-workers.ts [--images 24] [--workers 1,2,4]
 *
 * Starts redis-server on loopback, one `ocr2word serve` node (files in a
 * temp folder, synchronous conversions through the queue), then for each
 * worker count: that many worker processes (one OCR thread each), an
 * untimed warm-up job, and a timed batch job of `--images` small real-dev
 * images through POST /jobs, polled until done. Prints conversions per
 * second, per-image latency (queued to stored) and each worker's share,
 * read from the workers' /metrics.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { Jobs } from "@ocr2word/http-api"
import { freePort, startRedis } from "../test/fixtures/loopback-services.ts"
import { type NodeProcess, start, waitFor } from "../test/fixtures/node-processes.ts"

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1]! : fallback
}
const imageCount = Math.min(Number(arg("images", "24")), 50)
const counts = arg("workers", "1,2,4").split(",").map(Number)
const root = path.resolve(import.meta.dirname, "../../..")
const pool = [
  "rapid_en_rec.jpg",
  "rapid_text_cls.jpg",
  "pp_word_2.jpg",
  "tjs_escape_chars.png",
  "cnocr_helloworld.jpg",
  "pp_word_4.jpg"
].map((name) => ({ name, bytes: fs.readFileSync(path.join(root, "datasets/real-dev/images", name)) }))

const redis = await startRedis()
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-bench-"))
const port = await freePort()
const env = {
  OCR2WORD_REDIS_URL: redis.url,
  OCR2WORD_DATA_DIR: dataDir,
  OCR2WORD_HOST: "127.0.0.1",
  OCR2WORD_CONVERT_VIA_QUEUE: "true",
  OCR2WORD_RATE_LIMIT: "1000"
}
const node = start(["serve", "--port", String(port)], env)
const children: Array<NodeProcess> = [node]
// A failed run (or an interrupted one) must not leave a node, workers or Redis behind.
process.on("SIGINT", () => process.exit(130))
process.on("exit", () => {
  for (const c of children) c.child.kill("SIGKILL")
  redis.kill()
})
const url = `http://127.0.0.1:${port}`
// Not /readyz: a node is ready only once workers are connected, and they start below.
await waitFor(
  "node",
  async () => (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3000) })).ok,
  [node],
  60_000
)
const key = /Development key[^:]*: (o2w_\S+)/.exec(node.output())![1]!

const submit = async (n: number) => {
  const body = new FormData()
  for (let i = 0; i < n; i++) {
    const image = pool[i % pool.length]!
    body.append("file", new Blob([image.bytes]), image.name)
  }
  const reply = (await (await fetch(`${url}/jobs?appkey=${key}`, { method: "POST", body })).json()) as Jobs.JobResponse
  return reply.Data.StatusUrl as string
}
const finish = async (statusUrl: string) => {
  for (;;) {
    const reply = (await (await fetch(statusUrl)).json()) as { Data: Jobs.JobData | null }
    const data = reply.Data
    if (data === null) throw new Error(`${statusUrl}: ${JSON.stringify(reply)}`)
    if (data.Status === "done" || data.Status === "partial" || data.Status === "failed") return data
    await new Promise((r) => setTimeout(r, 100))
  }
}

const rows: Array<string> = []
for (const n of counts) {
  const metricsPorts = await Promise.all(Array.from({ length: n }, () => freePort()))
  const workers: Array<NodeProcess> = metricsPorts.map((p) =>
    start(["worker", "--concurrency", "1", "--metrics-port", String(p)], env)
  )
  children.push(...workers)
  await waitFor("workers", async () => workers.every((w) => w.output().includes("ocr2word worker")), workers, 300_000)
  await finish(await submit(n * 2))
  const t0 = performance.now()
  const data = await finish(await submit(imageCount))
  const seconds = (performance.now() - t0) / 1000
  const done = data.Images.filter((i) => i.Status === "done").length
  const shares = await Promise.all(
    metricsPorts.map(async (p) => {
      const text = await (await fetch(`http://127.0.0.1:${p}/metrics`)).text()
      const m = /ocr2word_ocr_stage_duration_seconds_count\{stage="job.latency"\} (\d+)/.exec(text)
      return m === null ? 0 : Number(m[1]) - 2
    })
  )
  const latency = await (async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPorts[0]}/metrics`)).text()
    const sum = Number(
      /ocr2word_ocr_stage_duration_seconds_sum\{stage="job.latency"\} ([\d.e+-]+)/.exec(text)?.[1] ?? 0
    )
    const count = Number(/ocr2word_ocr_stage_duration_seconds_count\{stage="job.latency"\} (\d+)/.exec(text)?.[1] ?? 1)
    return sum / count
  })()
  rows.push(
    `| ${n} | ${done}/${imageCount} | ${seconds.toFixed(1)} | ${(done / seconds).toFixed(2)} | ${latency.toFixed(1)} | ${shares.join(" / ")} |`
  )
  console.log(rows.at(-1))
  await Promise.all(workers.map((w) => w.stop()))
}

console.log(
  `\n${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}, ${imageCount} images per run`
)
console.log(
  "| worker processes | converted | seconds | conversions/s | mean latency s (worker 1) | images per worker |"
)
console.log("| --- | --- | --- | --- | --- | --- |")
for (const row of rows) console.log(row)
await node.stop()
await redis.stop()
fs.rmSync(dataDir, { recursive: true, force: true })
process.exit(0)
