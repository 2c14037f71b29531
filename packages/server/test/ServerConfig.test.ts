/** Configuration decoding: defaults, environment variables, and errors in the house format. */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { ServerConfig } from "../src/index.ts"

describe("ServerConfig", () => {
  it.effect("shared state from the environment; embedded when none is set; errors name the option", () =>
    Effect.gen(function* () {
      const embedded = yield* ServerConfig.decode({})
      assert.isUndefined(embedded.redisUrl)
      assert.isUndefined(embedded.databaseUrl)
      assert.isUndefined(embedded.s3Bucket)
      assert.isFalse(embedded.convertViaQueue)
      const shared = yield* ServerConfig.decode(
        ServerConfig.fromEnv({
          OCR2WORD_REDIS_URL: "redis://10.0.0.5:6379",
          OCR2WORD_DATABASE_URL: "postgres://o2w:secret@10.0.0.6/o2w",
          OCR2WORD_S3_BUCKET: "files",
          OCR2WORD_S3_ENDPOINT: "http://10.0.0.7:9000",
          OCR2WORD_S3_SECRET_ACCESS_KEY: "very-secret",
          OCR2WORD_S3_FORCE_PATH_STYLE: "true",
          OCR2WORD_S3_PRESIGN_SECONDS: "300",
          OCR2WORD_CONVERT_VIA_QUEUE: "1"
        })
      )
      assert.strictEqual(shared.redisUrl, "redis://10.0.0.5:6379")
      assert.strictEqual(shared.s3Bucket, "files")
      assert.isTrue(shared.s3ForcePathStyle)
      assert.strictEqual(shared.s3PresignSeconds, 300)
      assert.isTrue(shared.convertViaQueue)
      assert.notInclude(String(shared.s3SecretAccessKey), "very-secret")
      const message = (input: Record<string, unknown>) =>
        Effect.map(Effect.flip(ServerConfig.decode(input)), (e) => e.message)
      assert.strictEqual(
        yield* message({ databaseUrl: "mysql://root:pw@db/x" }),
        'Expected a postgres:// or postgresql:// URL for databaseUrl but received "mysql://root:***@db/x"'
      )
      assert.strictEqual(
        yield* message({ redisUrl: "10.0.0.5:6379" }),
        'Expected a redis:// or rediss:// URL for redisUrl but received "10.0.0.5:6379"'
      )
      assert.strictEqual(
        yield* message({ s3Endpoint: "http://127.0.0.1:9000" }),
        "Expected the bucket to store the Word files in (--s3-bucket or OCR2WORD_S3_BUCKET) with the other S3 settings for s3Bucket but received nothing"
      )
      assert.match(
        yield* message({ convertViaQueue: true }),
        /^Expected the Redis the shared queue lives in \(--redis-url or OCR2WORD_REDIS_URL\) with convertViaQueue for redisUrl but received nothing$/
      )
    })
  )

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
        "Expected the PEM key file of tlsCert for tlsKey but received nothing"
      )
      assert.match(yield* message({ prot: 1 }), /^Expected one of port, host, .* for options but received "prot"$/)
    })
  )

  it.effect("Word output mode and page background: defaults, environment, and bad values", () =>
    Effect.gen(function* () {
      const defaults = yield* ServerConfig.decode({})
      assert.strictEqual(defaults.docxMode, "flow")
      assert.strictEqual(defaults.docxBackground, false)
      assert.deepStrictEqual(ServerConfig.docxOptions(defaults), { mode: "flow", backgroundImage: false })
      const exact = yield* ServerConfig.decode(
        ServerConfig.fromEnv({ OCR2WORD_DOCX_MODE: "exact", OCR2WORD_DOCX_BACKGROUND: "true" })
      )
      assert.strictEqual(exact.docxMode, "exact")
      assert.strictEqual(exact.docxBackground, true)
      assert.deepStrictEqual(ServerConfig.docxOptions(exact), { mode: "exact", backgroundImage: true })
      // The background only applies in exact mode.
      const flow = yield* ServerConfig.decode({ docxBackground: true })
      assert.deepStrictEqual(ServerConfig.docxOptions(flow), { mode: "flow", backgroundImage: false })
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
