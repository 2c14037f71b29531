/**
 * Conversions in real worker threads (`OcrQueue.layerWorkers`): the result
 * carries the stage timings of the conversion's spans; a failure crosses the
 * thread as its stage's error class and is mapped by type (a bad image is
 * `BadImage`, a failing remote service `Upstream`); and with engine `remote`
 * the Word file is the remote service's own, byte for byte, carried in the
 * document across `postMessage`.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, layer } from "@effect/vitest"
import { FaultServer } from "@ocr2word/client"
import { Context, Effect, Exit, Layer, Redacted } from "effect"
import { OcrQueue } from "../src/index.ts"
import * as TestServer from "./fixtures/test-server.ts"

const image = new Uint8Array(
  fs.readFileSync(new URL("../../../datasets/real-dev/images/tjs_testocr.png", import.meta.url))
)

class Queues extends Context.Service<
  Queues,
  {
    readonly local: OcrQueue.OcrQueue["Service"]
    readonly remote: OcrQueue.OcrQueue["Service"]
    readonly failing: OcrQueue.OcrQueue["Service"]
    readonly service: TestServer.TestServer["Service"]
  }
>()("test/Queues") {}

const queueOf = (options: OcrQueue.WorkerOptions) =>
  Effect.gen(function* () {
    const queue = Context.get(yield* Layer.build(OcrQueue.layerWorkers(options)), OcrQueue.OcrQueue)
    for (let i = 0; i < 1200 && (yield* queue.stats).readyWorkers === 0; i++) yield* Effect.sleep("100 millis")
    assert.strictEqual((yield* queue.stats).readyWorkers, 1, "the worker never became ready")
    return queue
  })

const Env = Layer.effect(
  Queues,
  Effect.gen(function* () {
    const service = Context.get(yield* Layer.build(TestServer.layer({})), TestServer.TestServer)
    const down = yield* FaultServer.start({ fallback: { status: 502, body: "<html>Bad Gateway</html>" } })
    return {
      service,
      local: yield* queueOf({ workers: 1, queueSize: 2, engine: "paddle" }),
      remote: yield* queueOf({
        workers: 1,
        queueSize: 2,
        engine: "remote",
        remoteUrl: service.url,
        remoteAppkey: Redacted.make(service.key)
      }),
      failing: yield* queueOf({
        workers: 1,
        queueSize: 2,
        engine: "remote",
        remoteUrl: down.url,
        remoteAppkey: Redacted.make("k")
      })
    }
  })
)

/** Every .docx under `dir`. */
const docxFiles = (dir: string): Array<Uint8Array> =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".docx"))
    .map((e) => new Uint8Array(fs.readFileSync(path.join(e.parentPath, e.name))))

const failureOf = <A>(exit: Exit.Exit<A, OcrQueue.OcrError>) => {
  assert.isTrue(Exit.isFailure(exit), "the conversion should have failed")
  const error = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail")?.error : undefined
  assert.instanceOf(error, OcrQueue.OcrError)
  return error!
}

// Live services: the time limits of `submit` must run on the real clock.
layer(Env, { timeout: 300_000, excludeTestServices: true })("conversions in worker threads", (it) => {
  it.effect("times the stages from the conversion's spans", () =>
    Effect.gen(function* () {
      const { local } = yield* Queues
      const result = yield* local.submit(image, { source: "tjs_testocr.png", timeoutMs: 120_000 })
      assert.deepStrictEqual([...result.bytes.subarray(0, 2)], [0x50, 0x4b])
      for (const span of [
        "SharpImageSource.decode",
        "PaddleTextDetector.detect",
        "PaddleTextRecognizer.recognize",
        "Pipeline.run",
        "DocxDocumentWriter.write"
      ]) {
        assert.isAbove(result.timings[span] ?? 0, 0, `no time for ${span}: ${JSON.stringify(result.timings)}`)
      }
      // The pipeline's run holds its stages.
      assert.isAtLeast(result.timings["Pipeline.run"]!, result.timings["PaddleTextRecognizer.recognize"]!)
    })
  )

  it.effect("a stage's error crosses the thread as its class: a bad image is BadImage", () =>
    Effect.gen(function* () {
      const { local } = yield* Queues
      // A PNG signature and nothing after it: the decoder's ImageSourceError, raised in the worker.
      const truncated = image.subarray(0, 40)
      const error = failureOf(yield* Effect.exit(local.submit(truncated, { timeoutMs: 60_000 })))
      assert.strictEqual(error.reason, "BadImage")
      assert.match(error.message, /^the image could not be read \((Corrupt|Unreadable|UnsupportedFormat)\): /)
    })
  )

  it.effect("with engine remote the Word file is the service's own, carried in the document", () =>
    Effect.gen(function* () {
      const { remote, service } = yield* Queues
      const result = yield* remote.submit(image, { source: "tjs_testocr.png", timeoutMs: 120_000 })
      assert.strictEqual(result.document.metadata.engine, "remote")
      assert.deepStrictEqual(result.document.original?.bytes, result.bytes)
      // Byte for byte the file the service stored, not a rewrite of the document read back from it.
      const stored = docxFiles(service.config.dataDir)
      assert.isTrue(
        stored.some((file) => Buffer.from(file).equals(Buffer.from(result.bytes))),
        `none of the service's ${stored.length} files is the result`
      )
      assert.isAbove(result.timings["RemotePipeline.convert"] ?? 0, 0, JSON.stringify(result.timings))
    })
  )

  it.effect("a failing remote service is Upstream, its RemoteError decoded on this side", () =>
    Effect.gen(function* () {
      const { failing } = yield* Queues
      const error = failureOf(yield* Effect.exit(failing.submit(image, { timeoutMs: 60_000 })))
      assert.strictEqual(error.reason, "Upstream")
      assert.match(error.message, /^the remote OCR backend failed: Remote OCR service: /)
    })
  )
})
