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
})
