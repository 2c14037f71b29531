/**
 * The server on shared state, chosen by configuration: keys in PostgreSQL,
 * rate limits in Redis and Word files in S3 (s3rver), all real and on
 * loopback. /readyz reports each dependency; each one going down answers
 * 503/110 with a message naming it (never a hang), and the server recovers
 * when it is back, without a restart.
 */
import * as fs from "node:fs"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { KeyStore, Server, ServerConfig } from "../src/index.ts"
import {
  type Loopback,
  missing,
  s3Env,
  skipMessage,
  startPostgres,
  startRedis,
  startS3
} from "./fixtures/loopback-services.ts"

const absent = missing("redis-server", "postgres")
const image = fs.readFileSync(new URL("../../../datasets/real-dev/images/rapid_text_cls.jpg", import.meta.url))

let redis: Loopback
let postgres: Loopback
let s3: Awaited<ReturnType<typeof startS3>>
let url: string
let key: string
let release: (() => Promise<void>) | undefined

beforeAll(async () => {
  if (absent.length > 0) return
  ;[redis, postgres, s3] = await Promise.all([startRedis(), startPostgres(), startS3()])
  const config = await Effect.runPromise(
    ServerConfig.decode({
      ...ServerConfig.fromEnv({ ...s3Env(s3), OCR2WORD_REDIS_URL: redis.url, OCR2WORD_DATABASE_URL: postgres.url }),
      port: 0,
      host: "127.0.0.1",
      dataDir: fs.mkdtempSync("/tmp/ocr2word-shared-"),
      workers: 1,
      trustedProxies: ["127.0.0.1"]
    })
  )
  const scope = await Effect.runPromise(Scope.make())
  const context = await Effect.runPromise(Layer.buildWithScope(Server.layer(config), scope))
  url = await Effect.runPromise(Server.addressUrl(config).pipe(Effect.provideContext(context)))
  key = (await Effect.runPromise(Context.get(context, KeyStore.KeyStore).create({ name: "shared" }))).key
  release = () => Effect.runPromise(Scope.close(scope, Exit.void))
  const until = Date.now() + 120_000
  while ((await fetch(`${url}/readyz`)).status !== 200 && Date.now() < until)
    await new Promise((r) => setTimeout(r, 300))
})

afterAll(async () => {
  await release?.()
  await Promise.all([redis?.stop(), postgres?.stop(), s3?.stop()])
})

let ip = 1
const convert = async () => {
  const response = await fetch(`${url}/imagerecognition/ocr2word?appkey=${key}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": `198.51.100.${ip++}` },
    body: new URLSearchParams({ imagebase64: image.toString("base64") })
  })
  return { status: response.status, body: (await response.json()) as any }
}

const eventually = async <A>(f: () => Promise<A>, ok: (a: A) => boolean, ms = 20_000) => {
  const until = Date.now() + ms
  let last = await f()
  while (!ok(last) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250))
    last = await f()
  }
  return last
}

describe.skipIf(absent.length === 0)("shared state", () => {
  it("is skipped", () => console.info(skipMessage(absent)))
})

describe.skipIf(absent.length > 0)("shared state (PostgreSQL keys, Redis limits, S3 files)", () => {
  it("readyz reports each dependency and a conversion lands in S3", async () => {
    const ready = await fetch(`${url}/readyz`)
    assert.strictEqual(ready.status, 200)
    const body = (await ready.json()) as any
    assert.deepStrictEqual(
      body.dependencies.map((d: any) => [d.name, d.backend, d.ok]),
      [
        ["keys", "postgres", true],
        ["rateLimit", "redis", true],
        ["files", "s3", true],
        ["conversions", "threads", true],
        ["jobs", "redis", true]
      ]
    )
    const done = await convert()
    assert.strictEqual(done.status, 200)
    assert.strictEqual(done.body.DataStatus.StatusCode, 100)
    const file = await fetch(done.body.Data.ResultWordFileUrl)
    assert.strictEqual(file.status, 200)
    assert.strictEqual(file.headers.get("cache-control"), "public, max-age=31536000, immutable")
    const bytes = new Uint8Array(await file.arrayBuffer())
    assert.deepStrictEqual([...bytes.subarray(0, 2)], [0x50, 0x4b])
  })

  const outage = (
    name: string,
    service: () => Loopback,
    expected: RegExp,
    during: () => Promise<{ status: number; body: any }> = convert
  ) =>
    it(`${name} down: 503/110 naming it, within seconds; back up: served again without a restart`, async () => {
      await service().stop()
      const started = Date.now()
      const down = await during()
      assert.isBelow(Date.now() - started, 10_000)
      assert.strictEqual(down.status, 503)
      assert.strictEqual(down.body.DataStatus.StatusCode, 110)
      assert.isNull(down.body.Data)
      assert.match(down.body.DataStatus.StatusDescription, expected)
      const ready = await fetch(`${url}/readyz`)
      assert.strictEqual(ready.status, 503)
      assert.match(
        ((await ready.json()) as any).DataStatus.StatusDescription,
        /not ready: keys|not ready: rateLimit|not ready: files/
      )
      await service().start()
      const back = await eventually(during, (r) => r.status === 200)
      assert.strictEqual(back.status, 200)
      assert.strictEqual(
        (
          await eventually(
            () => fetch(`${url}/readyz`),
            (r) => r.status === 200
          )
        ).status,
        200
      )
    })

  outage("Redis", () => redis, /the rate limiter's Redis at 127\.0\.0\.1:\d+ is unavailable/)
  outage("PostgreSQL", () => postgres, /the key database \(PostgreSQL at 127\.0\.0\.1:\d+\/ocr2word\) is unavailable/)
  outage("S3", () => s3, /the file storage \(S3 bucket ocr2word at http:\/\/127\.0\.0\.1:\d+\) is unavailable/)

  it("with presigned downloads configured, /files/ redirects to the object store with the same headers", async () => {
    const done = await convert()
    const name = new URL(done.body.Data.ResultWordFileUrl).pathname.slice("/files/".length)
    const config = await Effect.runPromise(
      ServerConfig.decode({
        ...ServerConfig.fromEnv({ ...s3Env(s3), OCR2WORD_S3_PRESIGN_SECONDS: "60" }),
        port: 0,
        host: "127.0.0.1",
        dataDir: fs.mkdtempSync("/tmp/ocr2word-presign-"),
        workers: 1
      })
    )
    const scope = await Effect.runPromise(Scope.make())
    try {
      const context = await Effect.runPromise(Layer.buildWithScope(Server.layer(config), scope))
      const other = await Effect.runPromise(Server.addressUrl(config).pipe(Effect.provideContext(context)))
      const redirect = await fetch(`${other}/files/${name}`, { redirect: "manual" })
      assert.strictEqual(redirect.status, 302)
      const location = redirect.headers.get("location")!
      assert.match(location, new RegExp(`^${s3.url}/ocr2word/files/${name}\\?.*X-Amz-Signature=`))
      const file = await fetch(location)
      assert.strictEqual(file.status, 200)
      assert.strictEqual(
        file.headers.get("content-disposition"),
        `attachment; filename="ocr2word-${name.slice(0, 32)}.docx"`
      )
      assert.strictEqual(file.headers.get("cache-control"), "public, max-age=31536000, immutable")
      assert.deepStrictEqual([...new Uint8Array(await file.arrayBuffer()).subarray(0, 2)], [0x50, 0x4b])
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  })

  it("S3 down: an existing file's download is 503/110, and downloads again once S3 is back", async () => {
    const done = await convert()
    const fileUrl = done.body.Data.ResultWordFileUrl as string
    await s3.stop()
    const down = await fetch(fileUrl)
    assert.strictEqual(down.status, 503)
    assert.strictEqual(((await down.json()) as any).DataStatus.StatusCode, 110)
    await s3.start()
    const back = await fetch(fileUrl)
    assert.strictEqual(back.status, 200)
  })
})
