/**
 * The bounded OCR queue on the real server: with one worker and one waiting
 * slot, a burst of conversions gets 429/102 with Retry-After for the excess
 * instead of piling up; probes and downloads answer while pages convert (OCR
 * runs in a worker thread); a conversion over the time limit fails 500/110.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import * as TestServer from "./fixtures/test-server.ts"

const image = fs.readFileSync(path.resolve(import.meta.dirname, "../../../datasets/real-dev/images/tjs_testocr.png"))

const convert = (s: TestServer.TestServer["Service"]) =>
  Effect.promise(async () => {
    const response = await fetch(`${s.url}/imagerecognition/ocr2word?appkey=${s.key}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ imagebase64: image.toString("base64") })
    })
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      body: (await response.json()) as any
    }
  })

const waitReady = (s: TestServer.TestServer["Service"]) =>
  Effect.promise(async () => {
    for (let i = 0; i < 600; i++) {
      if ((await fetch(`${s.url}/readyz`)).status === 200) return
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error("workers never became ready")
  })

layer(TestServer.layer({ workers: 1, queueSize: 1, rateLimit: 1000 }), { timeout: 300_000, excludeTestServices: true })(
  "bounded queue",
  (it) => {
    it.effect("a burst beyond one running + one waiting conversion is refused with 429/102 and Retry-After", () =>
      Effect.gen(function* () {
        const s = yield* TestServer.TestServer
        yield* waitReady(s)
        const burst = Effect.forEach(Array.from({ length: 5 }), () => convert(s), { concurrency: 5 })
        // Probe latency while the worker is busy: the event loop stays free.
        const probe = Effect.promise(async () => {
          await new Promise((r) => setTimeout(r, 300))
          const t0 = performance.now()
          const response = await fetch(`${s.url}/healthz`)
          return { status: response.status, ms: performance.now() - t0 }
        })
        const [replies, health] = yield* Effect.all([burst, probe], { concurrency: 2 })
        const ok = replies.filter((r) => r.status === 200)
        const limited = replies.filter((r) => r.status === 429)
        assert.strictEqual(ok.length + limited.length, 5, JSON.stringify(replies.map((r) => r.body)))
        assert.isAtLeast(ok.length, 2)
        assert.isAtLeast(limited.length, 1)
        assert.strictEqual(limited[0]!.body.DataStatus.StatusCode, 102)
        assert.isNull(limited[0]!.body.Data)
        assert.match(limited[0]!.body.DataStatus.StatusDescription, /queue is full/)
        assert.match(limited[0]!.retryAfter ?? "", /^[1-9]\d*$/)
        assert.strictEqual(health.status, 200)
        // Reported, not asserted as a speed: a probe during conversion.
        console.info(
          `healthz during conversion: ${health.ms.toFixed(1)} ms; burst: ${ok.length} converted, ${limited.length} refused`
        )
        const metrics = yield* Effect.promise(() => fetch(`${s.url}/metrics`).then((r) => r.text()))
        assert.match(metrics, /ocr2word_rejections_total\{reason="queue_full"\} [1-9]/)
      })
    )
  }
)

layer(TestServer.layer({ workers: 1, timeoutMs: 1, rateLimit: 1000 }), { timeout: 300_000, excludeTestServices: true })(
  "time limit",
  (it) => {
    it.effect("a conversion over the per-request time limit fails with 500/110", () =>
      Effect.gen(function* () {
        const s = yield* TestServer.TestServer
        yield* waitReady(s)
        const reply = yield* convert(s)
        assert.strictEqual(reply.status, 500)
        assert.strictEqual(reply.body.DataStatus.StatusCode, 110)
        assert.match(reply.body.DataStatus.StatusDescription, /longer than the limit/)
      })
    )
  }
)
