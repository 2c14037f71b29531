/**
 * The memory limit of the OCR worker threads (`memoryMb`, the server's
 * `--worker-memory-mb`): with a low limit (68 MB, measured to sit in the
 * middle: a thread fails to load the models at 48 MB and to convert the small
 * image at 52 MB, and the 16 MB job below still runs out at 80 MB and
 * converts at 96 MB; at 56 MB CI once never got the thread ready), a
 * conversion that needs more heap than is left stops its thread at the limit
 * (V8's ERR_WORKER_OUT_OF_MEMORY, not a process crash), fails with
 * `OutOfMemory` (500/110) naming the limit, the thread is replaced, and the
 * next conversion runs on the replacement. No real image needs much heap
 * (50-80 MB peak without a limit on real-dev and a 1000-line page), so the
 * job is made to: it carries a 16 MB source name (through HTTP, an upload's
 * file name), which the thread holds while converting. Kept under Node's allowance past the limit (about 16 MB):
 * one single allocation larger than that aborts the whole process instead
 * (nodejs/node#47224), which is why the server needs a supervisor that
 * restarts it (see the README). A limit too low to load the models is a
 * start-up failure that says to raise it.
 */
import * as fs from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer } from "effect"
import { OcrQueue } from "../src/index.ts"
import { eventually } from "./fixtures/poll.ts"
import * as TestServer from "./fixtures/test-server.ts"

const image = new Uint8Array(
  fs.readFileSync(new URL("../../../datasets/real-dev/images/pp_word_1.jpg", import.meta.url))
)

const queueWith = (memoryMb: number) =>
  Effect.gen(function* () {
    const context = yield* Layer.build(OcrQueue.layerWorkers({ workers: 1, queueSize: 2, engine: "paddle", memoryMb }))
    const queue = Context.get(context, OcrQueue.OcrQueue)
    const ready = () => Effect.runPromise(Effect.map(queue.stats, (s) => s.readyWorkers === 1))
    return { queue, ready }
  })

describe("worker memory limit", () => {
  it.live(
    "a conversion past the limit is OutOfMemory, its thread is replaced, the next one converts",
    () =>
      Effect.gen(function* () {
        const { queue, ready } = yield* queueWith(68)
        if (!(yield* Effect.promise(() => eventually(ready, 120_000)))) {
          const why = yield* Effect.exit(queue.submit(image, { timeoutMs: 10_000 }))
          assert.fail(`the worker never became ready at 68 MB: ${JSON.stringify(why).slice(0, 600)}`)
        }
        const before = yield* queue.submit(image, { timeoutMs: 120_000 })
        assert.deepStrictEqual([...before.bytes.subarray(0, 2)], [0x50, 0x4b])

        const heavy = yield* Effect.exit(
          queue.submit(image, { source: "x".repeat(16 * 1024 * 1024), timeoutMs: 120_000 })
        )
        assert.isTrue(Exit.isFailure(heavy))
        const error = Exit.isFailure(heavy) ? JSON.stringify(heavy.cause) : ""
        assert.match(error, /OutOfMemory/)
        assert.match(error, /needed more than the OCR worker's memory limit of 68 MB and was stopped/)
        assert.match(error, /--worker-memory-mb/)

        // Replaced: ready again once the new thread has loaded the models, and it converts.
        assert.isTrue(yield* Effect.promise(() => eventually(ready, 120_000)), "the worker was not replaced")
        const after = yield* queue.submit(image, { timeoutMs: 120_000 })
        assert.deepStrictEqual([...after.bytes.subarray(0, 2)], [0x50, 0x4b])
      }).pipe(Effect.scoped),
    300_000
  )

  it.live(
    "through HTTP: the call past the limit is 500/110 naming it, and the server goes on converting",
    () =>
      Effect.gen(function* () {
        const context = yield* Layer.build(TestServer.layer({ workerMemoryMb: 68 }))
        const s = Context.get(context, TestServer.TestServer)
        const readyz = () => fetch(`${s.url}/readyz`).then((r) => r.status === 200)
        const post = (name: string) =>
          Effect.promise(async () => {
            const form = new FormData()
            form.append("file", new File([image], name, { type: "image/jpeg" }))
            const r = await fetch(`${s.url}/imagerecognition/ocr2word?appkey=${s.key}`, { method: "POST", body: form })
            return { status: r.status, body: (await r.json()) as any }
          })
        assert.isTrue(yield* Effect.promise(() => eventually(readyz, 120_000)), "not ready at 68 MB")
        // The upload's file name travels with the job: 16 MB of it is what the thread cannot hold.
        const heavy = yield* post(`${"x".repeat(16 * 1024 * 1024)}.jpg`)
        assert.strictEqual(heavy.status, 500, JSON.stringify(heavy.body).slice(0, 500))
        assert.strictEqual(heavy.body.DataStatus.StatusCode, 110)
        assert.match(heavy.body.DataStatus.StatusDescription, /memory limit of 68 MB and was stopped/)
        assert.isTrue(yield* Effect.promise(() => eventually(readyz, 120_000)), "the worker was not replaced")
        const next = yield* post("page.jpg")
        assert.strictEqual(next.status, 200, JSON.stringify(next.body))
      }).pipe(Effect.scoped),
    300_000
  )

  it.live(
    "a limit too low to load the models is a clear NotReady failure",
    () =>
      Effect.gen(function* () {
        const { queue } = yield* queueWith(8)
        const stats = () => Effect.runPromise(queue.stats)
        // Give the thread time to run out while loading.
        yield* Effect.sleep("3 seconds")
        const failed = yield* Effect.promise(() =>
          eventually(
            () =>
              Effect.runPromise(
                Effect.map(Effect.exit(queue.submit(image, { timeoutMs: 60_000 })), (exit) =>
                  Exit.isFailure(exit) ? /NotReady/.test(JSON.stringify(exit.cause)) : false
                )
              ),
            60_000
          )
        )
        assert.isTrue(failed)
        const exit = yield* Effect.exit(queue.submit(image, { timeoutMs: 60_000 }))
        const error = Exit.isFailure(exit) ? JSON.stringify(exit.cause) : ""
        assert.match(error, /ran out of its memory limit of 8 MB while loading the models; raise --worker-memory-mb/)
        assert.strictEqual((yield* Effect.promise(stats)).readyWorkers, 0)
      }).pipe(Effect.scoped),
    120_000
  )
})
