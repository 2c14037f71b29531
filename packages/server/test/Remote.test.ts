/**
 * The typed client and the remote backend against our own server on loopback
 * (contract-identical to the commercial service), and the server forwarding
 * to a remote backend: A runs the local paddle pipeline; B forwards to A
 * (engine remote); C forwards to a failing service and must answer 502/110.
 */
import { readFileSync } from "node:fs"
import { assert, layer } from "@effect/vitest"
import { ApiClient, FaultServer, Ocr2WordClient } from "@ocr2word/client"
import { Document } from "@ocr2word/core"
import { ApiError } from "@ocr2word/http-api"
import { DocxReader } from "@ocr2word/remote"
import { Context, Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import * as TestServer from "./fixtures/test-server.ts"

const image = new Uint8Array(
  readFileSync(new URL("../../../datasets/real-dev/images/tjs_testocr.png", import.meta.url))
)

class Servers extends Context.Service<
  Servers,
  {
    readonly a: TestServer.TestServer["Service"]
    readonly b: TestServer.TestServer["Service"]
    readonly c: TestServer.TestServer["Service"]
    readonly failing: FaultServer.FaultServer
  }
>()("test/Servers") {}

const Env = Layer.effect(
  Servers,
  Effect.gen(function* () {
    const build = (overrides: Record<string, unknown>) =>
      Effect.map(Layer.build(TestServer.layer(overrides)), (context) => Context.get(context, TestServer.TestServer))
    const a = yield* build({})
    const b = yield* build({ engine: "remote", remoteUrl: a.url, remoteAppkey: a.key })
    const failing = yield* FaultServer.start({ fallback: { status: 502, body: "<html>Bad Gateway</html>" } })
    const c = yield* build({ engine: "remote", remoteUrl: failing.url, remoteAppkey: "k" })
    return { a, b, c, failing }
  })
)

/** A client of `server` (no retries, so each call is one request). */
const clientOf = (server: TestServer.TestServer["Service"], appkey: string = server.key) =>
  Effect.map(Layer.build(Ocr2WordClient.layer({ baseUrl: server.url, appkey, retries: 0 })), (c) =>
    Context.get(c, Ocr2WordClient.Ocr2WordClient)
  )

const textOf = (docx: Uint8Array) =>
  Effect.map(DocxReader.read(docx), (pages) =>
    Document.toPlainText(DocxReader.toDocument(pages, { engine: "test", width: 0, height: 0 }))
  )

layer(Env, { timeout: 300_000 })("the client and the remote backend against our server", (it) => {
  it.effect("converts an upload and downloads the .docx from our server", () =>
    Effect.gen(function* () {
      const { a } = yield* Servers
      const client = yield* clientOf(a)
      const { conversion, docx } = yield* client.convertToDocx({ file: image, fileName: "testocr.png" })
      assert.isTrue(conversion.wordUrl.startsWith(`${a.url}/files/`), conversion.wordUrl)
      const text = yield* textOf(docx)
      assert.include(text, "quick brown dog")
      const byBase64 = yield* client.convert({
        imageBase64: `data:image/png;base64,${Buffer.from(image).toString("base64")}`
      })
      assert.strictEqual(byBase64.attempts, 1)
    }).pipe(Effect.scoped)
  )

  it.effect("the client generated from the API definition reads probes, conversions and files", () =>
    Effect.gen(function* () {
      const { a } = yield* Servers
      const api = yield* ApiClient.make(a.url)
      assert.deepStrictEqual(yield* api.healthz(), { status: "ok" })
      const converted = yield* api.convert({
        query: { appkey: a.key },
        payload: { imagebase64: Buffer.from(image).toString("base64") }
      })
      assert.strictEqual(converted.DataStatus.StatusCode, 100)
      const file = converted.Data.ResultWordFileUrl.split("/files/")[1]!
      const docx = yield* api.files.download({ params: { file } })
      assert.include(yield* textOf(docx), "quick brown dog")
      // Failures decode by status into the definition's classes.
      const refused = yield* Effect.flip(api.convert({ query: { appkey: "nope" }, payload: { imagebase64: "aGk=" } }))
      assert.instanceOf(refused, ApiError.InvalidAppKey)
      assert.strictEqual((refused as ApiError.InvalidAppKey).DataStatus.StatusCode, 104)
    }).pipe(Effect.provide(FetchHttpClient.layer))
  )

  it.effect("maps our server's refusals to the client's errors", () =>
    Effect.gen(function* () {
      const { a } = yield* Servers
      const wrongKey = yield* Effect.flip((yield* clientOf(a, "not-a-key")).convert({ file: image }))
      assert.strictEqual(wrongKey._tag, "BadAppKey")
      assert.deepInclude(wrongKey, { httpStatus: 401, statusCode: 104, attempts: 1 })
      const notImage = yield* Effect.flip((yield* clientOf(a)).convert({ imageBase64: "bm90IGFuIGltYWdl" }))
      assert.strictEqual(notImage._tag, "BadParameter")
      assert.deepInclude(notImage, { httpStatus: 400, statusCode: 101 })
    }).pipe(Effect.scoped)
  )

  it.effect("forwards to a remote backend (B -> A) and gives the same text", () =>
    Effect.gen(function* () {
      const { a, b } = yield* Servers
      const viaB = yield* (yield* clientOf(b)).convertToDocx({ file: image })
      assert.isTrue(viaB.conversion.wordUrl.startsWith(`${b.url}/files/`))
      const direct = yield* (yield* clientOf(a)).convertToDocx({ file: image })
      assert.strictEqual(yield* textOf(viaB.docx), yield* textOf(direct.docx))
    }).pipe(Effect.scoped)
  )

  it.effect("answers 502/110 when the remote backend fails", () =>
    Effect.gen(function* () {
      const { c, failing } = yield* Servers
      const before = failing.requests.length
      const error = yield* Effect.flip((yield* clientOf(c)).convert({ file: image }))
      assert.strictEqual(error._tag, "Upstream")
      assert.deepInclude(error, { httpStatus: 502, statusCode: 110 })
      assert.include(error.message, "remote OCR backend failed")
      // The server's own client retried the failing service before giving up.
      assert.isAbove(failing.requests.length - before, 1)
    }).pipe(Effect.scoped)
  )
})
