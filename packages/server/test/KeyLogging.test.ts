/**
 * Keys are never logged: a server with request logging on gets calls with a
 * valid key, a wrong key, a key in the body and a failing conversion; every
 * log line (message and annotations) is captured and searched for the keys.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer, Logger } from "effect"
import { KeyStore, Server, ServerConfig } from "../src/index.ts"

describe("key logging", () => {
  it.live("no log line carries an appkey, valid or not", () =>
    Effect.gen(function* () {
      const lines: Array<string> = []
      const capture = Logger.make((options) => {
        lines.push(Logger.formatJson.log(options) as string)
      })
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-keylog-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(dataDir, { recursive: true, force: true })))
      const config = yield* ServerConfig.decode({ port: 0, host: "127.0.0.1", dataDir, workers: 1 })
      const context = yield* Layer.build(
        Server.layer(config, { logRequests: true }).pipe(Layer.provide(Logger.layer([capture])))
      )
      const url = yield* Server.addressUrl(config).pipe(Effect.provideContext(context))
      const { key } = yield* Context.get(context, KeyStore.KeyStore).create({ name: "logged?" })
      const wrong = "o2w_0123456789ab_thisIsAWrongKeyThatMustNotBeLogged"
      const post = (query: string, body: Record<string, string>) =>
        Effect.promise(() =>
          fetch(`${url}/imagerecognition/ocr2word${query}`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams(body)
          }).then((r) => r.status)
        )
      assert.strictEqual(yield* post(`?appkey=${key}`, { imagebase64: "aGVsbG8=" }), 400)
      assert.strictEqual(yield* post(`?appkey=${wrong}`, { imagebase64: "aGVsbG8=" }), 401)
      assert.strictEqual(yield* post("", { appkey: key, imageurl: "http://127.0.0.1:1/x.png" }), 400)
      assert.strictEqual(yield* post(`?appkey=${key}&x=1`, { imageurl: "not a url" }), 400)
      yield* Effect.promise(() => new Promise((r) => setTimeout(r, 200)))
      assert.isAbove(lines.length, 3, "request logging produced no lines")
      assert.isTrue(
        lines.some((l) => l.includes("/imagerecognition/ocr2word")),
        "the request lines are captured"
      )
      const secret = key.split("_")[2]!
      for (const line of lines) {
        assert.notInclude(line, secret)
        assert.notInclude(line, "thisIsAWrongKey")
      }
    }).pipe(Effect.scoped)
  )
})
