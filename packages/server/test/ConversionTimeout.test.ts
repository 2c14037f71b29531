/**
 * A conversion past its time limit is really stopped: the worker thread
 * running it is stopped and replaced (its readiness drops while the new
 * one loads the models), the caller gets `Timeout` ("was stopped"; the HTTP
 * answer is 500/110), and the next conversion runs on the new worker.
 * Limits that fall inside a model call stop the thread without taking the
 * process down: terminated from outside inside ONNX Runtime's synchronous
 * run, a thread aborted the whole process ("terminate called after throwing
 * an instance of 'Napi::Error'", once in CI), so the thread is asked to exit
 * between two tasks instead; this test's own process would die otherwise.
 */
import * as fs from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import { OcrQueue } from "../src/index.ts"
import { eventually } from "./fixtures/poll.ts"

const image = new Uint8Array(
  fs.readFileSync(new URL("../../../datasets/real-dev/images/rapid_en_rec.jpg", import.meta.url))
)
/** A dense page: its conversion spends seconds inside the detector's and recogniser's calls. */
const dense = new Uint8Array(
  fs.readFileSync(new URL("../../../datasets/synth-docs/images/synth-newspaper-s1-0002.png", import.meta.url))
)

/** A queue of one paddle worker thread, and whether that thread is ready. */
const oneWorker = Effect.gen(function* () {
  const context = yield* Layer.build(OcrQueue.layerWorkers({ workers: 1, queueSize: 2, engine: "paddle" }))
  const queue = context.mapUnsafe.get(OcrQueue.OcrQueue.key) as OcrQueue.OcrQueue["Service"]
  const ready = () => Effect.runPromise(Effect.map(queue.stats, (s) => s.readyWorkers === 1))
  return { queue, ready }
})

describe("conversion time limit", () => {
  it.live(
    "terminates and replaces the worker of a conversion past its limit",
    () =>
      Effect.gen(function* () {
        const { queue, ready } = yield* oneWorker
        assert.isTrue(yield* Effect.promise(() => eventually(ready, 120_000)), "the worker never became ready")
        const timedOut = yield* Effect.exit(queue.submit(image, { timeoutMs: 5 }))
        assert.isTrue(Exit.isFailure(timedOut))
        const error = Exit.isFailure(timedOut) ? JSON.stringify(timedOut.cause) : ""
        assert.match(error, /Timeout/)
        assert.match(error, /took longer than the limit of 5 ms and was stopped/)
        // The thread is gone: readiness drops while its replacement loads the models.
        assert.isTrue(
          yield* Effect.promise(() => eventually(async () => !(await ready()), 5_000)),
          "the worker was not terminated"
        )
        const next = yield* queue.submit(image, { timeoutMs: 120_000 })
        assert.deepStrictEqual([...next.bytes.subarray(0, 2)], [0x50, 0x4b])
        assert.strictEqual((yield* queue.stats).readyWorkers, 1)
      }).pipe(Effect.scoped),
    170_000
  )

  it.live(
    "limits that fall inside the models' calls stop the thread, not the process, and the server converts on",
    () =>
      Effect.gen(function* () {
        const { queue, ready } = yield* oneWorker
        // Limits spread over the page's conversion (before the fix the 4th of such limits aborted the process).
        for (const timeoutMs of [200, 450, 700, 950, 1200, 1450]) {
          assert.isTrue(yield* Effect.promise(() => eventually(ready, 120_000)), "the worker was not replaced")
          const timedOut = yield* Effect.exit(queue.submit(dense, { timeoutMs }))
          assert.match(Exit.isFailure(timedOut) ? JSON.stringify(timedOut.cause) : "converted", /Timeout/)
        }
        assert.isTrue(yield* Effect.promise(() => eventually(ready, 120_000)), "the worker was not replaced")
        const next = yield* queue.submit(image, { timeoutMs: 120_000 })
        assert.deepStrictEqual([...next.bytes.subarray(0, 2)], [0x50, 0x4b])
        // Closing the queue while a conversion runs stops its thread the same way.
        yield* Effect.forkChild(queue.submit(dense, { timeoutMs: 120_000 }))
        yield* Effect.sleep("1500 millis")
      }).pipe(Effect.scoped),
    300_000
  )
})
