/**
 * Two `ocr2word serve` nodes behind nginx, with `ocr2word worker` processes
 * started separately, on real redis-server, PostgreSQL and an S3-compatible
 * server (s3rver), all on loopback, started and stopped here:
 *
 * - 5 requests per second per client IP hold across both nodes;
 * - a key's quota holds across both nodes;
 * - a file written through node A downloads through node B;
 * - `kill -9` of a worker during 20 conversions (a batch job and
 *   synchronous calls through the shared queue) loses no returned URL,
 *   stores nothing twice, and every URL downloads a valid .docx; the job's
 *   webhook is called once;
 * - stopping one node mid-run leaves the other serving.
 */
import * as fs from "node:fs"
import * as http from "node:http"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Queue } from "bullmq"
import { Effect, Exit, Scope } from "effect"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { PostgresKeyStore } from "../src/index.ts"
import { docxText } from "./fixtures/docx-text.ts"
import {
  freePort,
  type Loopback,
  missing,
  s3Env,
  skipMessage,
  startNginx,
  startPostgres,
  startRedis,
  startS3
} from "./fixtures/loopback-services.ts"
import { type NodeProcess, start, waitFor } from "./fixtures/node-processes.ts"

const absent = missing("redis-server", "postgres", "nginx")
const image = fs.readFileSync(new URL("../../../datasets/real-dev/images/rapid_text_cls.jpg", import.meta.url))

let redis: Loopback
let postgres: Loopback
let s3: Awaited<ReturnType<typeof startS3>>
let nginx: Loopback
let hook: http.Server
let hookOrigin: string
const hookCalls: Array<any> = []
const nodes: Array<{ process: NodeProcess; url: string }> = []
const workers: Array<NodeProcess> = []
let env: Record<string, string>
let workerMetrics: number
let keys: import("../src/index.ts").KeyStore.KeyStore["Service"]
let keysScope: Scope.Closeable

beforeAll(async () => {
  if (absent.length > 0) return
  ;[redis, postgres, s3] = await Promise.all([startRedis(), startPostgres(), startS3()])
  hook = http.createServer((req, res) => {
    if (req.method === "GET") {
      res.writeHead(req.url?.split("?")[0] === "/line.jpg" ? 200 : 404, { "content-type": "image/jpeg" }).end(image)
      return
    }
    let body = ""
    req.on("data", (d) => (body += String(d)))
    req.on("end", () => {
      hookCalls.push(JSON.parse(body))
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()))
  hookOrigin = `http://127.0.0.1:${(hook.address() as { port: number }).port}`
  env = {
    ...s3Env(s3),
    OCR2WORD_REDIS_URL: redis.url,
    OCR2WORD_DATABASE_URL: postgres.url,
    OCR2WORD_TRUSTED_PROXIES: "127.0.0.1",
    OCR2WORD_CONVERT_VIA_QUEUE: "true",
    // Waiting images of the whole shared queue (the 12 of the batch and the 8 synchronous calls).
    OCR2WORD_QUEUE_SIZE: "32",
    OCR2WORD_FETCH_ALLOW: hookOrigin,
    OCR2WORD_HOST: "127.0.0.1",
    OCR2WORD_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-nodes-"))
  }
  // The schema first, so the nodes do not race to migrate (they could: the migration takes an advisory lock).

  keysScope = await Effect.runPromise(Scope.make())
  keys = await Effect.runPromise(Scope.provide(keysScope)(PostgresKeyStore.make(postgres.url)))
  const ports = await Promise.all([freePort(), freePort()])
  for (const port of ports) {
    nodes.push({ process: start(["serve", "--port", String(port)], env), url: `http://127.0.0.1:${port}` })
  }
  workerMetrics = await freePort()
  workers.push(start(["worker", "--concurrency", "1"], env))
  workers.push(start(["worker", "--concurrency", "1", "--metrics-port", String(workerMetrics)], env))

  nginx = await startNginx(ports.map((p) => `127.0.0.1:${p}`))

  await waitFor(
    "workers ready",
    async () => workers.every((w) => w.output().includes("ocr2word worker")),
    workers,
    90_000
  )
  // Ready means every dependency answers, workers on the queue included.
  await waitFor(
    "nodes ready",
    async () => {
      const replies = await Promise.all(
        nodes.map((n) =>
          fetch(`${n.url}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
            async (r) => [r.status, await r.text()] as const
          )
        )
      )
      return replies.every(([status]) => status === 200)
    },
    nodes.map((n) => n.process),
    60_000
  )
}, 200_000)

afterAll(async () => {
  await Promise.all([...nodes.map((n) => n.process.stop("SIGKILL")), ...workers.map((w) => w.stop("SIGKILL"))])
  if (keysScope !== undefined) await Effect.runPromise(Scope.close(keysScope, Exit.void))
  await Promise.all([nginx?.stop(), redis?.stop(), postgres?.stop(), s3?.stop()])
  hook?.close()
})

const post = (
  base: string,
  query: string,
  body: string | URLSearchParams | FormData,
  headers: Record<string, string>
) =>
  fetch(`${base}/imagerecognition/ocr2word${query}`, { method: "POST", body, headers }).then(async (r) => ({
    status: r.status,
    retryAfter: r.headers.get("retry-after"),
    body: (await r.json()) as any
  }))

const form = { "content-type": "application/x-www-form-urlencoded" }
const imageForm = () => new URLSearchParams({ imagebase64: image.toString("base64") })
let ip = 10
const nextIp = () => `198.51.100.${ip++}`

/** Requests of `route` by status, summed over the nodes' /metrics. */
const served = async (route: string, status: number) => {
  const counts = await Promise.all(
    nodes.map(async (n) => {
      const text = await fetch(`${n.url}/metrics`).then((r) => r.text())
      const m = new RegExp(
        `ocr2word_http_requests_total\\{route="${route}",method="POST",status="${status}"\\} (\\d+)`
      ).exec(text)
      return m === null ? 0 : Number(m[1])
    })
  )
  return counts
}

/** Word files stored in the bucket (s3rver keeps one folder entry per object). */
const storedFiles = () => {
  return fetch(`${s3.url}/${s3.bucket}?list-type=2&prefix=files/`)
    .then((r) => r.text())
    .then((xml) => [...xml.matchAll(/<Key>(files\/[0-9a-f]{32}\.docx)<\/Key>/g)].map((m) => m[1]!))
}

describe.skipIf(absent.length === 0)("two nodes", () => {
  it("is skipped", () => console.info(skipMessage(absent)))
})

describe.skipIf(absent.length > 0)("two nodes behind nginx on Redis, PostgreSQL and S3", () => {
  it("readyz through the balancer lists the shared dependencies", async () => {
    const body = (await (await fetch(`${nginx.url}/readyz`)).json()) as any
    assert.deepStrictEqual(
      body.dependencies.map((d: any) => `${d.name}:${d.backend}:${d.ok}`),
      ["keys:postgres:true", "rateLimit:redis:true", "files:s3:true", "conversions:redis:true", "jobs:redis:true"]
    )
  })

  it("5 requests per second per client IP hold across both nodes, with Retry-After", async () => {
    const client = nextIp()
    const before = await served("/imagerecognition/ocr2word", 429)
    const started = performance.now()
    const replies = await Promise.all(
      Array.from({ length: 16 }, () =>
        post(nginx.url, "?appkey=o2w_unknown", "", { ...form, "x-forwarded-for": client })
      )
    )
    const elapsed = (performance.now() - started) / 1000
    const passed = replies.filter((r) => r.status !== 429)
    const limited = replies.filter((r) => r.status === 429)
    // Burst 5, plus 5 tokens a second while the 16 requests run (per node it would be 10 at once).
    assert.isAtLeast(passed.length, 5)
    assert.isAtMost(passed.length, 5 + Math.floor(5 * elapsed), `${passed.length} passed in ${elapsed} s`)
    for (const r of passed) assert.strictEqual(r.body.DataStatus.StatusCode, 104)
    for (const r of limited) {
      assert.strictEqual(r.body.DataStatus.StatusCode, 102)
      assert.strictEqual(r.retryAfter, "1")
    }
    const after = await served("/imagerecognition/ocr2word", 429)
    // Both nodes refused some: the bucket is shared, not per node.
    assert.isTrue(
      after.every((n, i) => n > before[i]!),
      `429s per node: ${after}`
    )
    await new Promise((r) => setTimeout(r, 1_100))
    const again = await post(nginx.url, "?appkey=o2w_unknown", "", { ...form, "x-forwarded-for": client })
    assert.strictEqual(again.status, 401)
  })

  it("a key's quota holds across both nodes", async () => {
    const { key } = await Effect.runPromise(keys.create({ name: "quota", quota: 4 }))
    // A call is charged when its key is accepted and given back if it then fails, so the quota is
    // spent only by real conversions: 10 at once through both nodes, 4 convert, 6 are refused.
    const replies = await Promise.all(
      Array.from({ length: 10 }, () =>
        post(nginx.url, `?appkey=${key}`, imageForm(), { ...form, "x-forwarded-for": nextIp() })
      )
    )
    const codes = replies.map((r) => r.body.DataStatus.StatusCode).sort()
    assert.deepStrictEqual(codes, [100, 100, 100, 100, 103, 103, 103, 103, 103, 103])
    // A failed call (no image) is refused with 101 and costs nothing: the spent key stays spent.
    const failed = await post(nginx.url, `?appkey=${key}`, "", { ...form, "x-forwarded-for": nextIp() })
    assert.strictEqual(failed.body.DataStatus.StatusCode, 103)
  })

  it("a file written through node A downloads through node B", async () => {
    const { key } = await Effect.runPromise(keys.create({ name: "a-to-b" }))
    const done = await post(nodes[0]!.url, `?appkey=${key}`, imageForm(), { ...form, "x-forwarded-for": nextIp() })
    assert.strictEqual(done.status, 200, JSON.stringify(done.body))
    const name = new URL(done.body.Data.ResultWordFileUrl).pathname
    const fromB = await fetch(`${nodes[1]!.url}${name}`)
    assert.strictEqual(fromB.status, 200)
    assert.strictEqual(
      fromB.headers.get("content-disposition"),
      `attachment; filename="ocr2word-${name.slice(7, 39)}.docx"`
    )
    assert.match(docxText(new Uint8Array(await fromB.arrayBuffer())), /\S/)
  })

  it("kill -9 of a worker during 20 conversions loses no URL, stores nothing twice, every URL is a valid .docx", async () => {
    const { key } = await Effect.runPromise(keys.create({ name: "kill" }))
    const before = await storedFiles()
    const body = new FormData()
    for (let i = 0; i < 12; i++) body.append("file", new Blob([image]), `line-${i}.jpg`)
    body.append("webhook", `${hookOrigin}/done`)
    const submitted = await fetch(`${nginx.url}/jobs?appkey=${key}`, {
      method: "POST",
      body,
      headers: { "x-forwarded-for": nextIp() }
    })
    assert.strictEqual(submitted.status, 202)
    const job = ((await submitted.json()) as any).Data
    assert.strictEqual(job.ImageCount, 12)
    assert.match(job.StatusUrl, /\/jobs\/[0-9a-f]{32}$/)
    // Eight synchronous calls through the same queue, at the same time.
    const sync = Promise.all(
      Array.from({ length: 8 }, () =>
        post(nginx.url, `?appkey=${key}`, imageForm(), { ...form, "x-forwarded-for": nextIp() })
      )
    )
    // Kill a worker while it converts: both workers hold an image.
    const queue = new Queue("ocr2word-convert", { connection: { host: "127.0.0.1", port: redis.port } })
    await waitFor("both workers converting", async () => (await queue.getActiveCount()) >= 2, workers)
    await workers[0]!.stop("SIGKILL")
    const syncReplies = await sync
    let status: any
    await waitFor(
      "the job finished",
      async () => {
        status = ((await (await fetch(job.StatusUrl)).json()) as any).Data
        return status.Status === "done" || status.Status === "failed" || status.Status === "partial"
      },
      [workers[1]!],
      150_000
    )
    assert.strictEqual(status.Status, "done", JSON.stringify(status))
    for (const r of syncReplies) assert.strictEqual(r.status, 200, JSON.stringify(r.body))
    const urls: Array<string> = [
      ...status.Images.map((i: any) => i.ResultWordFileUrl),
      ...syncReplies.map((r) => r.body.Data.ResultWordFileUrl)
    ]
    assert.strictEqual(new Set(urls).size, 20)
    for (const url of urls) {
      const file = await fetch(url)
      assert.strictEqual(file.status, 200, url)
      assert.match(docxText(new Uint8Array(await file.arrayBuffer())), /\S/)
    }
    // The image the killed worker held was started again by the other one.
    const completed = await queue.getCompleted(0, 100)
    const restarted = completed.filter((j) => j.attemptsStarted > 1 || j.stalledCounter > 0)
    // Stored images leave Redis; only the results stay for the retention period.
    assert.deepStrictEqual(
      completed.filter((j) => j.data.image !== ""),
      [],
      "no stored image keeps its bytes in the queue"
    )
    await queue.close()
    assert.isAtLeast(restarted.length, 1, "an image was taken over after the kill")
    const after = await storedFiles()
    assert.strictEqual(after.length - before.length, 20, "one stored file per conversion, none twice")
    await waitFor("the webhook", async () => hookCalls.length > 0, [], 10_000)
    await new Promise((r) => setTimeout(r, 500))
    assert.strictEqual(hookCalls.length, 1)
    assert.strictEqual(hookCalls[0].Data.JobId, job.JobId)
    assert.strictEqual(hookCalls[0].Data.Status, "done")
    assert.strictEqual(hookCalls[0].DataStatus.StatusCode, 100)
    // The surviving worker's metrics: job latency, stage times, the shared queue's depth.
    const metrics = await (await fetch(`http://127.0.0.1:${workerMetrics}/metrics`)).text()
    assert.match(metrics, /ocr2word_ocr_stage_duration_seconds_count\{stage="job\.latency"\} [1-9]\d*/)
    assert.match(metrics, /ocr2word_ocr_stage_duration_seconds_count\{stage="Pipeline\.run"\} [1-9]\d*/)
    assert.match(metrics, /ocr2word_shared_queue_waiting 0/)
    assert.match(metrics, /ocr2word_shared_queue_completed [1-9]\d*/)
  })

  it("job requests are checked like a synchronous call, in the same envelope; OpenAPI documents them", async () => {
    const { key } = await Effect.runPromise(keys.create({ name: "job-errors" }))
    const submit = async (body: FormData | string, headers: Record<string, string> = {}) => {
      const r = await fetch(`${nginx.url}/jobs?appkey=${key}`, {
        method: "POST",
        body,
        headers: { "x-forwarded-for": nextIp(), ...headers }
      })
      return { status: r.status, body: (await r.json()) as any }
    }
    const empty = await submit(new FormData())
    assert.strictEqual(empty.status, 400)
    assert.match(empty.body.DataStatus.StatusDescription, /^参数错误: no image was given/)
    const notImage = new FormData()
    notImage.append("file", new Blob(["<html>"]), "page.html")
    const bad = await submit(notImage)
    assert.strictEqual(bad.status, 400)
    assert.match(bad.body.DataStatus.StatusDescription, /image 0 \(page\.html\) is not an image/)
    const privateHook = new FormData()
    privateHook.append("file", new Blob([image]), "a.jpg")
    privateHook.append("webhook", "http://10.1.2.3/hook")
    const refused = await submit(privateHook)
    assert.strictEqual(refused.status, 400)
    assert.match(
      refused.body.DataStatus.StatusDescription,
      /webhook host 10\.1\.2\.3 resolves to 10\.1\.2\.3, a loopback, private/
    )
    const json = await submit(JSON.stringify({ imageurl: ["ftp://x/y.png"] }), { "content-type": "application/json" })
    assert.strictEqual(json.status, 400)
    assert.match(json.body.DataStatus.StatusDescription, /imageurl must use http or https/)
    for (const id of ["0123456789abcdef0123456789abcdef", "nope"]) {
      const missingJob = await fetch(`${nginx.url}/jobs/${id}`)
      assert.strictEqual(missingJob.status, 404)
      const body = (await missingJob.json()) as any
      assert.strictEqual(body.DataStatus.StatusCode, 101)
      assert.match(body.DataStatus.StatusDescription, /no job "/)
    }
    const openapi = (await (await fetch(`${nginx.url}/openapi.json`)).json()) as any
    assert.containsAllKeys(openapi.paths, ["/jobs", "/jobs/{id}"])
    assert.containsAllKeys(openapi.paths["/jobs"].post.responses, ["202", "400", "429", "503"])
  })

  it("a job of image URLs (JSON) converts each and echoes its SourceImageUrl", async () => {
    const { key } = await Effect.runPromise(keys.create({ name: "urls" }))
    const urls = [`${hookOrigin}/line.jpg`, `${hookOrigin}/line.jpg?second`]
    const submitted = await fetch(`${nginx.url}/jobs?appkey=${key}`, {
      method: "POST",
      body: JSON.stringify({ imageurl: urls }),
      headers: { "content-type": "application/json", "x-forwarded-for": nextIp() }
    })
    const reply = (await submitted.json()) as any
    assert.strictEqual(submitted.status, 202, JSON.stringify(reply))
    const job = reply.Data
    let status: any
    await waitFor(
      "the URL job",
      async () => {
        status = ((await (await fetch(job.StatusUrl)).json()) as any).Data
        return status.Status === "done"
      },
      [workers[1]!],
      60_000
    )
    assert.deepStrictEqual(
      status.Images.map((i: any) => i.SourceImageUrl),
      urls
    )
    for (const i of status.Images) assert.strictEqual((await fetch(i.ResultWordFileUrl)).status, 200)
    const missingImage = await fetch(`${nginx.url}/jobs?appkey=${key}`, {
      method: "POST",
      body: JSON.stringify({ imageurl: [`${hookOrigin}/gone.jpg`] }),
      headers: { "content-type": "application/json", "x-forwarded-for": nextIp() }
    })
    assert.strictEqual(missingImage.status, 400)
    assert.match(((await missingImage.json()) as any).DataStatus.StatusDescription, /imageurl answered HTTP 404/)
  })

  it("ocr2word --remote-url ... --async submits the inputs as a job, waits and writes each Word file", async () => {
    const { key } = await Effect.runPromise(keys.create({ name: "cli" }))
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-async-"))
    const inputs = ["rapid_text_cls.jpg", "cnocr_helloworld.jpg"].map((n) =>
      fileURLToPath(new URL(`../../../datasets/real-dev/images/${n}`, import.meta.url))
    )
    const cli = start([...inputs, "-o", out, "--remote-url", nginx.url, "--async"], { OCR2WORD_APPKEY: key })
    const code = await new Promise<number | null>((resolve) => cli.child.once("exit", resolve))
    assert.strictEqual(code, 0, cli.output())
    assert.deepStrictEqual(fs.readdirSync(out).sort(), ["cnocr_helloworld.docx", "rapid_text_cls.docx"])
    assert.match(docxText(fs.readFileSync(path.join(out, "cnocr_helloworld.docx"))), /\S/)
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-async-"))
    const refused = start([...inputs, "-o", elsewhere, "--remote-url", nginx.url, "--async"], {
      OCR2WORD_APPKEY: "o2w_nope"
    })
    assert.strictEqual(await new Promise<number | null>((resolve) => refused.child.once("exit", resolve)), 1)
    assert.match(refused.output(), /rapid_text_cls\.jpg: the server refused the job: APPKEY 错误/, refused.output())
    assert.deepStrictEqual(fs.readdirSync(elsewhere), [])
  })

  it("stopping one node mid-run leaves the other serving", async () => {
    const replies: Array<number> = []
    const run = (async () => {
      for (let i = 0; i < 12; i++) {
        const r = await fetch(`${nginx.url}/imagerecognition/ocr2word?appkey=o2w_unknown`, {
          method: "POST",
          body: "",
          headers: { ...form, "x-forwarded-for": nextIp() }
        })
        replies.push(r.status)
        await r.body?.cancel()
        await new Promise((r) => setTimeout(r, 100))
      }
    })()
    await new Promise((r) => setTimeout(r, 300))
    // A stop (SIGTERM): the node finishes what it holds and closes; nginx sends the rest to node B.
    await nodes[0]!.process.stop("SIGTERM")
    await run
    // A request node A held at the very moment it went away may be answered 502 by nginx (a POST is
    // not re-sent elsewhere); every other one is served.
    assert.isAtMost(replies.filter((s) => s === 502).length, 1, String(replies))
    assert.deepStrictEqual(
      replies.filter((s) => s !== 502),
      Array(replies.filter((s) => s !== 502).length).fill(401)
    )
    assert.deepStrictEqual(replies.slice(-6), Array(6).fill(401))
    assert.strictEqual((await fetch(`${nginx.url}/readyz`)).status, 200)
  })

  it("Redis down: jobs and calls answer 503/110 naming it within seconds; back up: the same job is answered again", async () => {
    const { key } = await Effect.runPromise(keys.create({ name: "redis-outage" }))
    const body = new FormData()
    body.append("file", new Blob([image]), "a.jpg")
    const submitted = await fetch(`${nginx.url}/jobs?appkey=${key}`, { method: "POST", body })
    const job = ((await submitted.json()) as any).Data
    let before: any
    await waitFor(
      "the job",
      async () => {
        before = ((await (await fetch(job.StatusUrl)).json()) as any).Data
        return before.Status === "done"
      },
      [workers[1]!],
      60_000
    )
    await redis.stop()
    const started = Date.now()
    const status = await fetch(job.StatusUrl)
    assert.isBelow(Date.now() - started, 8_000)
    assert.strictEqual(status.status, 503)
    assert.match(
      ((await status.json()) as any).DataStatus.StatusDescription,
      /the job queue's Redis at 127\.0\.0\.1:\d+/
    )
    const call = await post(nginx.url, `?appkey=${key}`, imageForm(), { ...form, "x-forwarded-for": nextIp() })
    assert.strictEqual(call.status, 503)
    assert.match(call.body.DataStatus.StatusDescription, /the rate limiter's Redis at 127\.0\.0\.1:\d+ is unavailable/)
    // The Word file is in S3, not in Redis: still served.
    assert.strictEqual((await fetch(before.Images[0].ResultWordFileUrl)).status, 200)
    await redis.start()
    let after: Response | undefined
    await waitFor(
      "Redis back",
      async () => {
        after = await fetch(job.StatusUrl)
        return after.status === 200
      },
      [],
      20_000
    )
    assert.deepStrictEqual(((await after!.json()) as any).Data.Images, before.Images)
  })

  it("with no worker left on the queue, readyz says so (503/110) instead of letting calls time out", async () => {
    await Promise.all(workers.map((w) => w.stop("SIGKILL")))
    let reply: any
    await waitFor(
      "not ready",
      async () => {
        const r = await fetch(`${nginx.url}/readyz`)
        reply = await r.json()
        return r.status === 503
      },
      [],
      15_000
    )
    assert.strictEqual(reply.DataStatus.StatusCode, 110)
    assert.match(
      reply.DataStatus.StatusDescription,
      /conversions \(redis\): no ocr2word worker is connected to the queue/
    )
  })
})
