/**
 * The seed's own examples against the real server (real OCR in worker threads
 * on real images), with only the host changed: curl with form-urlencoded
 * fields, fetch with URLSearchParams, a multipart upload, plus JSON. The
 * returned ResultWordFileUrl downloads a valid .docx whose text is what the
 * pipeline read; files come with the Word MIME type, a file name, ETag and
 * caching headers.
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { promisify } from "node:util"
import { assert, layer } from "@effect/vitest"
import { Metrics } from "@ocr2word/benchmarks"
import { Context, Effect, Layer } from "effect"
import { docxText } from "./fixtures/docx-text.ts"
import * as TestServer from "./fixtures/test-server.ts"

const images = path.resolve(import.meta.dirname, "../../../datasets/real-dev/images")
const manifest = new Map(
  fs
    .readFileSync(path.resolve(images, "../manifest.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { id: string; image: string; text: string })
    .map((e) => [path.basename(e.image), e.text] as const)
)
const read = (name: string) => fs.readFileSync(path.join(images, name))

class Upstream extends Context.Service<Upstream, { readonly origin: string }>()("test/Upstream") {}

const Env = Layer.unwrap(
  Effect.gen(function* () {
    const upstream = yield* TestServer.imageServer({
      "/helloworld.jpg": (res) =>
        res.writeHead(200, { "content-type": "image/jpeg" }).end(read("cnocr_helloworld.jpg")),
      "/redirect": (res) => res.writeHead(302, { location: "/helloworld.jpg" }).end()
    })
    return Layer.merge(
      TestServer.layer({ fetchAllow: [upstream.origin] }),
      Layer.succeed(Upstream, { origin: upstream.origin })
    )
  })
)

const json = (response: Response) =>
  Effect.promise(async () => ({
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as any
  }))
const request = (url: string, init?: RequestInit) =>
  Effect.flatMap(
    Effect.promise(() => fetch(url, init)),
    json
  )

const assertSuccess = (reply: { status: number; headers: Headers; body: any }, s: TestServer.TestServer["Service"]) => {
  assert.strictEqual(reply.status, 200, JSON.stringify(reply.body))
  assert.strictEqual(reply.headers.get("content-type"), "application/json; charset=utf-8")
  assert.strictEqual(reply.body.DataStatus.StatusCode, 100)
  assert.strictEqual(reply.body.DataStatus.StatusDescription, "正常返回")
  assert.strictEqual(reply.body.DataStatus.DataTotalCount, 1)
  assert.match(reply.body.DataStatus.ResponseDateTime, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
  assert.match(reply.body.Data.ResultWordFileUrl, new RegExp(`^${s.url}/files/[0-9a-f]{32}\\.docx$`))
}

const download = (url: string) =>
  Effect.promise(async () => {
    const response = await fetch(url)
    return { response, bytes: new Uint8Array(await response.arrayBuffer()) }
  })

layer(Env, { timeout: 300_000, excludeTestServices: true })("contract examples with real OCR", (it) => {
  it.effect(
    "curl form-urlencoded with imageurl (the seed's example, host changed) -> .docx with the image's text",
    () =>
      Effect.gen(function* () {
        const s = yield* TestServer.TestServer
        const { origin } = yield* Upstream
        const imageUrl = `${origin}/redirect`
        const { stdout } = yield* Effect.promise(() =>
          promisify(execFile)("curl", [
            "--silent",
            "--location",
            "--request",
            "POST",
            `${s.url}/imagerecognition/ocr2word?appkey=${s.key}`,
            "--header",
            "Content-Type: application/x-www-form-urlencoded",
            "--data-urlencode",
            `imageurl=${imageUrl}`
          ])
        )
        const body = JSON.parse(stdout)
        assertSuccess(
          { status: 200, headers: new Headers({ "content-type": "application/json; charset=utf-8" }), body },
          s
        )
        assert.strictEqual(body.Data.SourceImageUrl, imageUrl)
        const { response, bytes } = yield* download(body.Data.ResultWordFileUrl)
        assert.strictEqual(response.status, 200)
        assert.strictEqual(
          response.headers.get("content-type"),
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        assert.match(
          response.headers.get("content-disposition") ?? "",
          /^attachment; filename="ocr2word-[0-9a-f]{32}\.docx"$/
        )
        assert.match(response.headers.get("cache-control") ?? "", /immutable/)
        const etag = response.headers.get("etag")!
        assert.match(etag, /^"[0-9a-f]{32}"$/)
        const text = docxText(bytes)
        assert.isAtMost(Metrics.cer(manifest.get("cnocr_helloworld.jpg")!, text), 0.4, text)
        // HEAD and a conditional GET
        const head = yield* Effect.promise(() => fetch(body.Data.ResultWordFileUrl, { method: "HEAD" }))
        assert.strictEqual(head.status, 200)
        assert.strictEqual(head.headers.get("etag"), etag)
        const cached = yield* Effect.promise(() =>
          fetch(body.Data.ResultWordFileUrl, { headers: { "if-none-match": etag } })
        )
        assert.strictEqual(cached.status, 304)
      })
  )

  it.effect("fetch with URLSearchParams and imagebase64 (data-URI prefix, URL-safe alphabet)", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const b64 = read("cnocr_multiline_cn1.png").toString("base64url")
      const reply = yield* request(`${s.url}/imagerecognition/ocr2word?appkey=${s.key}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ imagebase64: `data:image/png;base64,${b64}` })
      })
      assertSuccess(reply, s)
      assert.isUndefined(reply.body.Data.SourceImageUrl)
      const { bytes } = yield* download(reply.body.Data.ResultWordFileUrl)
      const text = docxText(bytes)
      assert.isAtMost(Metrics.cer(manifest.get("cnocr_multiline_cn1.png")!, text), 0.4, text)
    })
  )

  it.effect("multipart upload of a file part; the .docx text is exactly what the pipeline read", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const body = new FormData()
      body.append("file", new Blob([read("tjs_testocr.png")], { type: "image/png" }), "testocr.png")
      const reply = yield* request(`${s.url}/imagerecognition/ocr2word?appkey=${s.key}`, { method: "POST", body })
      assertSuccess(reply, s)
      const { bytes } = yield* download(reply.body.Data.ResultWordFileUrl)
      const text = docxText(bytes)
      assert.isAtMost(Metrics.cer(manifest.get("tjs_testocr.png")!, text), 0.4, text)

      // The preview call reports the pipeline's own text next to its .docx: they agree line for line.
      const preview = new FormData()
      preview.append("image", new Blob([read("tjs_testocr.png")]), "testocr.png")
      const seen = yield* request(`${s.url}/preview/ocr2word/recognize`, { method: "POST", body: preview })
      assert.strictEqual(seen.status, 200)
      const previewDocx = docxText((yield* download(seen.body.ResultWordFileUrl)).bytes)
      // The writer reflows a block's lines into one paragraph: compare everything but white space.
      const compact = (t: string) => t.replace(/\s+/g, "")
      assert.strictEqual(compact(previewDocx), compact(seen.body.text))
      assert.isAbove(seen.body.pages[0].lines.length, 3)
      assert.lengthOf(seen.body.pages[0].lines[0].polygon, 4)
    })
  )

  it.effect("JSON body and appkey in the body", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const reply = yield* request(`${s.url}/imagerecognition/ocr2word`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ appkey: s.key, imagebase64: read("cnocr_helloworld.jpg").toString("base64") })
      })
      assertSuccess(reply, s)
    })
  )

  it.effect("demo without a key converts the bundled sample; the files stay apart and are never overwritten", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      // The preview call of an earlier test shares the demo's one-per-second bucket: let it refill.
      yield* Effect.sleep("1100 millis")
      const a = yield* request(`${s.url}/imagerecognition/ocr2word/demo`)
      const b = yield* request(`${s.url}/imagerecognition/ocr2word/demo`, { method: "POST" })
      assertSuccess(a, s)
      // The demo allows one request per second per IP.
      assert.include([200, 429], b.status)
      const text = docxText((yield* download(a.body.Data.ResultWordFileUrl)).bytes)
      assert.include(text.replace(/\s/g, ""), "Word")
      const files = fs.readdirSync(path.join(s.config.dataDir, "files"))
      assert.isTrue(
        files.every((f) => /^[0-9a-f]{32}\.docx$/.test(f)),
        files.join(",")
      )
    })
  )

  it.effect("500/110 when the Word file cannot be stored (no stack trace in the body)", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const folder = path.join(s.config.dataDir, "files")
      const saved = `${folder}.saved`
      fs.renameSync(folder, saved)
      fs.writeFileSync(folder, "not a folder")
      const reply = yield* request(`${s.url}/imagerecognition/ocr2word?appkey=${s.key}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ imagebase64: read("cnocr_helloworld.jpg").toString("base64") })
      }).pipe(
        Effect.ensuring(
          Effect.sync(() => {
            fs.rmSync(folder)
            fs.renameSync(saved, folder)
          })
        )
      )
      assert.strictEqual(reply.status, 500)
      assert.strictEqual(reply.body.DataStatus.StatusCode, 110)
      assert.isNull(reply.body.Data)
      assert.match(reply.body.DataStatus.StatusDescription, /could not be stored; retry later/)
      assert.notMatch(JSON.stringify(reply.body), /ENOTDIR|\.ts:\d+|at /)
    })
  )

  it.effect("probes, metrics, OpenAPI 3.1 and a docs page without any CDN", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      assert.deepStrictEqual((yield* request(`${s.url}/healthz`)).body, { status: "ok" })
      // No shared state configured: every dependency is the embedded one.
      assert.deepStrictEqual((yield* request(`${s.url}/readyz`)).body, {
        status: "ready",
        dependencies: [
          { name: "keys", backend: "sqlite", ok: true },
          { name: "rateLimit", backend: "memory", ok: true },
          { name: "files", backend: "folder", ok: true },
          { name: "conversions", backend: "threads", ok: true },
          { name: "jobs", backend: "none", ok: true }
        ]
      })
      // Batch jobs need Redis: without it they answer 503/110 saying what to configure.
      const job = yield* Effect.promise(() =>
        fetch(`${s.url}/jobs/0123456789abcdef0123456789abcdef`).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as any
        }))
      )
      assert.strictEqual(job.status, 503)
      assert.match(
        job.body.DataStatus.StatusDescription,
        /batch jobs need Redis and worker processes: .*OCR2WORD_REDIS_URL/
      )
      const metrics = yield* Effect.promise(() => fetch(`${s.url}/metrics`).then((r) => r.text()))
      assert.match(
        metrics,
        /ocr2word_http_requests_total\{route="\/imagerecognition\/ocr2word",method="POST",status="200"\} \d+/
      )
      assert.match(metrics, /ocr2word_ocr_stage_duration_seconds_count\{stage="Pipeline.run"\} \d+/)
      assert.match(metrics, /ocr2word_key_calls_total\{key="[0-9a-f]{12}"\} \d+/)
      assert.match(metrics, /ocr2word_queue_waiting 0/)
      const openapi = (yield* request(`${s.url}/openapi.json`)).body
      assert.strictEqual(openapi.openapi, "3.1.0")
      assert.containsAllKeys(openapi.paths, [
        "/imagerecognition/ocr2word",
        "/imagerecognition/ocr2word/demo",
        "/files/{file}"
      ])
      assert.containsAllKeys(openapi.paths["/imagerecognition/ocr2word"].post.responses, [
        "200",
        "400",
        "401",
        "403",
        "415",
        "429",
        "500",
        "502"
      ])
      const docs = yield* Effect.promise(() => fetch(`${s.url}/docs`).then((r) => r.text()))
      assert.include(docs, "<script")
      assert.notMatch(docs, /<script[^>]+src="https?:/)
    })
  )
})
