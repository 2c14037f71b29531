/** Configuration decoding: defaults, environment variables, and errors in the house format. */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { ServerConfig } from "../src/index.ts"

describe("ServerConfig", () => {
  it.effect("defaults, overridden by the environment", () =>
    Effect.gen(function* () {
      const config = yield* ServerConfig.decode(
        ServerConfig.fromEnv({
          OCR2WORD_DATA_DIR: "/srv/o2w",
          OCR2WORD_PORT: "9000",
          OCR2WORD_TRUSTED_PROXIES: "10.0.0.1, 10.0.0.2"
        })
      )
      assert.strictEqual(config.dataDir, "/srv/o2w")
      assert.strictEqual(config.port, 9000)
      assert.deepStrictEqual(config.trustedProxies, ["10.0.0.1", "10.0.0.2"])
      assert.strictEqual(config.rateLimit, 5)
      assert.strictEqual(config.timeZone, "Asia/Shanghai")
      assert.strictEqual(config.tlsMinVersion, "TLSv1.2")
      assert.strictEqual((yield* ServerConfig.decode({})).dataDir, "./data")
    })
  )

  it.effect("says what was expected, for which option, and what it got", () =>
    Effect.gen(function* () {
      const message = (input: Record<string, unknown>) =>
        Effect.map(Effect.flip(ServerConfig.decode(input)), (e) => e.message)
      assert.strictEqual(
        yield* message({ port: 70000 }),
        "Expected an integer between 0 and 65535 for port but received 70000"
      )
      assert.strictEqual(
        yield* message(ServerConfig.fromEnv({ OCR2WORD_PORT: "eighty" })),
        'Expected an integer between 0 and 65535 for port but received "eighty"'
      )
      assert.strictEqual(
        yield* message({ timeZone: "Mars/Olympus" }),
        'Expected an IANA time zone such as Asia/Shanghai for timeZone but received "Mars/Olympus"'
      )
      assert.strictEqual(
        yield* message({ tlsMinVersion: "SSLv3" }),
        'Expected one of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3 for tlsMinVersion but received "SSLv3"'
      )
      assert.strictEqual(
        yield* message({ tlsCert: "a.pem" }),
        "Expected both tlsCert and tlsKey (or neither) but received only one"
      )
      assert.match(yield* message({ prot: 1 }), /^Unknown option prot; known: port, host/)
    })
  )

  it.effect("Word output mode and page background: defaults, environment, and bad values", () =>
    Effect.gen(function* () {
      const defaults = yield* ServerConfig.decode({})
      assert.strictEqual(defaults.docxMode, "flow")
      assert.strictEqual(defaults.docxBackground, false)
      assert.deepStrictEqual(ServerConfig.docxOptions(defaults), { mode: "flow", backgroundImage: false })
      assert.isFalse(ServerConfig.keepPageImage(defaults))
      const exact = yield* ServerConfig.decode(
        ServerConfig.fromEnv({ OCR2WORD_DOCX_MODE: "exact", OCR2WORD_DOCX_BACKGROUND: "true" })
      )
      assert.strictEqual(exact.docxMode, "exact")
      assert.strictEqual(exact.docxBackground, true)
      assert.deepStrictEqual(ServerConfig.docxOptions(exact), { mode: "exact", backgroundImage: true })
      assert.isTrue(ServerConfig.keepPageImage(exact))
      // The background only applies in exact mode.
      const flow = yield* ServerConfig.decode({ docxBackground: true })
      assert.deepStrictEqual(ServerConfig.docxOptions(flow), { mode: "flow", backgroundImage: false })
      assert.isFalse(ServerConfig.keepPageImage(flow))
      assert.strictEqual(
        (yield* ServerConfig.decode(ServerConfig.fromEnv({ OCR2WORD_DOCX_BACKGROUND: "0" }))).docxBackground,
        false
      )
      const message = (input: Record<string, unknown>) =>
        Effect.map(Effect.flip(ServerConfig.decode(input)), (e) => e.message)
      assert.strictEqual(
        yield* message({ docxMode: "pretty" }),
        'Expected one of "flow", "exact" for docxMode but received "pretty"'
      )
      assert.strictEqual(
        yield* message(ServerConfig.fromEnv({ OCR2WORD_DOCX_MODE: "Exact" })),
        'Expected one of "flow", "exact" for docxMode but received "Exact"'
      )
      assert.strictEqual(
        yield* message(ServerConfig.fromEnv({ OCR2WORD_DOCX_BACKGROUND: "yes please" })),
        'Expected a boolean (true or false) for docxBackground but received "yes please"'
      )
    })
  )
})
