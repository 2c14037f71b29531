/**
 * Every error row of CONTRACT.md against the real server on a loopback port,
 * called with a real HTTP client (fetch): HTTP status, custom StatusCode,
 * Data null, DataTotalCount 0 and a description that says what to do.
 * Also the SSRF refusals of imageurl.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Api, ApiError } from "@ocr2word/http-api"
import { Context, Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { HttpApiClient } from "effect/http-api"
import * as TestServer from "./fixtures/test-server.ts"

class Upstream extends Context.Service<Upstream, { readonly origin: string; readonly port: number }>()(
  "test/Upstream"
) {}

const png1x1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64"
)

const Env = Layer.unwrap(
  Effect.gen(function* () {
    const upstream = yield* TestServer.imageServer({
      "/image.png": (res) => res.writeHead(200, { "content-type": "image/png" }).end(png1x1),
      "/broken": (res) => res.writeHead(500).end("upstream exploded"),
      "/missing.png": (res) => res.writeHead(404).end(),
      "/to-private": (res) => res.writeHead(302, { location: "http://10.0.0.7/secret.png" }).end(),
      "/to-loopback": (res) => res.writeHead(302, { location: "http://127.0.0.1:1/secret.png" }).end(),
      "/to-metadata": (res) => res.writeHead(301, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
      "/page.html": (res) => res.writeHead(200, { "content-type": "image/png" }).end("<html>not an image</html>"),
      "/huge.png": (res) => {
        res.writeHead(200, { "content-type": "image/png" })
        res.end(Buffer.alloc(300_000, 7))
      }
    })
    return Layer.merge(
      TestServer.layer({ fetchAllow: [upstream.origin], trustedProxies: ["127.0.0.1"], maxImageBytes: 200_000 }),
      Layer.succeed(Upstream, { origin: upstream.origin, port: upstream.port })
    )
  })
)

let nextIp = 1
/** A distinct client address per request (through the trusted loopback proxy), so the rate limit does not interfere. */
const client = () => `198.51.100.${nextIp++ % 250}`

interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly body: any
}

const call = (url: string, init: RequestInit & { ip?: string } = {}) =>
  Effect.promise(async (): Promise<Reply> => {
    const headers = new Headers(init.headers)
    headers.set("x-forwarded-for", init.ip ?? client())
    const response = await fetch(url, { ...init, headers })
    const text = await response.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {}
    return { status: response.status, headers: response.headers, body }
  })

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields)
})

/** The envelope of a failure: Data null, count 0, the custom code and words in the description. */
const assertFailure = (reply: Reply, status: number, code: number | undefined, words: RegExp) => {
  assert.strictEqual(reply.status, status, JSON.stringify(reply.body))
  assert.match(reply.headers.get("content-type") ?? "", /^application\/json; charset=utf-8/)
  const body = reply.body
  assert.deepStrictEqual(Object.keys(body).sort(), ["Data", "DataStatus"])
  assert.isNull(body.Data)
  assert.strictEqual(body.DataStatus.DataTotalCount, 0)
  if (code !== undefined) assert.strictEqual(body.DataStatus.StatusCode, code)
  assert.match(body.DataStatus.ResponseDateTime, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
  assert.match(body.DataStatus.StatusDescription, words)
  assert.notMatch(body.DataStatus.StatusDescription, /\bat .*\.ts:\d+/)
}

layer(Env, { timeout: 60_000, excludeTestServices: true })("contract errors", (it) => {
  const endpoint = (s: TestServer.TestServer["Service"], key?: string) =>
    `${s.url}/imagerecognition/ocr2word${key === undefined ? "" : `?appkey=${encodeURIComponent(key)}`}`

  it.effect("400/101 when no image parameter is given", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      assertFailure(yield* call(endpoint(s, s.key), form({})), 400, 101, /imageurl.*imagebase64/)
    })
  )

  it.effect("400/101 when both imageurl and imagebase64 are given (the seed's literal example)", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const reply = yield* call(endpoint(s, s.key), form({ imageurl: "YOUR_VALUE", imagebase64: "YOUR_VALUE" }))
      assertFailure(reply, 400, 101, /exactly one/)
    })
  )

  it.effect("400/101 for malformed base64, with the offending character", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      assertFailure(
        yield* call(endpoint(s, s.key), form({ imagebase64: "iVBOR*w0K" })),
        400,
        101,
        /not valid base64.*"\*"/
      )
    })
  )

  it.effect("400/101 for bytes that are not an image", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const b64 = Buffer.from("hello, this is plain text and not a picture").toString("base64")
      assertFailure(yield* call(endpoint(s, s.key), form({ imagebase64: b64 })), 400, 101, /not an image/)
    })
  )

  it.effect("400/101 for an image over the size limit", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const b64 = Buffer.alloc(210_000, 1).toString("base64")
      assertFailure(
        yield* call(endpoint(s, s.key), form({ imagebase64: b64 })),
        400,
        101,
        /the image is 210000 bytes; the limit is 200000 bytes/
      )
      const body = Buffer.alloc(400_000, 1).toString("base64")
      assertFailure(
        yield* call(endpoint(s, s.key), form({ imagebase64: body })),
        400,
        101,
        /request body is \d+ bytes; the limit/
      )
      assertFailure(
        yield* call(endpoint(s, s.key), form({ imageurl: `${(yield* Upstream).origin}/huge.png` })),
        400,
        101,
        /limit/
      )
    })
  )

  it.effect("400/101 for a URL that is not http(s) or a page instead of an image", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      assertFailure(
        yield* call(endpoint(s, s.key), form({ imageurl: "file:///etc/passwd" })),
        400,
        101,
        /http or https/
      )
      assertFailure(yield* call(endpoint(s, s.key), form({ imageurl: "not a url" })), 400, 101, /absolute URL/)
      assertFailure(
        yield* call(endpoint(s, s.key), form({ imageurl: `${(yield* Upstream).origin}/page.html` })),
        400,
        101,
        /not an image/
      )
      assertFailure(
        yield* call(endpoint(s, s.key), form({ imageurl: `${(yield* Upstream).origin}/missing.png` })),
        400,
        101,
        /HTTP 404/
      )
    })
  )

  it.effect("401/104 when appkey is missing or unknown", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      assertFailure(
        yield* call(endpoint(s), form({ imagebase64: png1x1.toString("base64") })),
        401,
        104,
        /appkey is missing/
      )
      assertFailure(
        yield* call(endpoint(s, "o2w_nope"), form({ imagebase64: png1x1.toString("base64") })),
        401,
        104,
        /not a valid key/
      )
    })
  )

  it.effect("403/103 when the key expired, is suspended, revoked or out of quota", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const body = form({ imagebase64: "" })
      const expired = yield* s.keys.create({ name: "expired", expiresAt: "2020-01-01T00:00:00Z" })
      assertFailure(yield* call(endpoint(s, expired.key), body), 403, 103, /expired/)
      const suspended = yield* s.keys.create({ name: "suspended" })
      yield* s.keys.suspend(suspended.info.id, true)
      assertFailure(yield* call(endpoint(s, suspended.key), body), 403, 103, /suspended/)
      const revoked = yield* s.keys.create({ name: "revoked" })
      yield* s.keys.revoke(revoked.info.id)
      assertFailure(yield* call(endpoint(s, revoked.key), body), 403, 103, /revoked/)
      const quota = yield* s.keys.create({ name: "quota", quota: 1 })
      // A failed call is given back, so it does not use the quota up; a counted call does.
      assertFailure(yield* call(endpoint(s, quota.key), body), 400, 101, /no image|imageurl/)
      assert.strictEqual((yield* s.keys.get(quota.info.id)).calls, 0)
      yield* s.keys.authorize(quota.key)
      assertFailure(yield* call(endpoint(s, quota.key), body), 403, 103, /quota of 1/)
      assert.strictEqual((yield* s.keys.get(quota.info.id)).calls, 1)
    })
  )

  it.effect("404 for an unknown path and an unknown file", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      assertFailure(
        yield* call(`${s.url}/imagerecognition/nothing`, { method: "POST" }),
        404,
        undefined,
        /no such path/
      )
      assertFailure(yield* call(`${s.url}/files/0123456789abcdef0123456789abcdef.docx`), 404, undefined, /no Word file/)
      assertFailure(yield* call(`${s.url}/files/..%2Fkeys.sqlite`), 404, undefined, /no Word file/)
    })
  )

  it.effect("405 with Allow for a wrong method", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const reply = yield* call(endpoint(s, s.key), { method: "GET" })
      assertFailure(reply, 405, undefined, /GET is not allowed.*POST/)
      assert.strictEqual(reply.headers.get("allow"), "POST")
      const put = yield* call(`${s.url}/files/0123456789abcdef0123456789abcdef.docx`, { method: "DELETE" })
      assert.strictEqual(put.status, 404)
    })
  )

  it.effect("CORS: a browser on another origin may call the endpoint (preflight and response headers)", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const preflight = yield* Effect.promise(() =>
        fetch(endpoint(s, s.key), {
          method: "OPTIONS",
          headers: {
            origin: "https://shop.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type"
          }
        })
      )
      assert.include([200, 204], preflight.status)
      assert.strictEqual(preflight.headers.get("access-control-allow-origin"), "*")
      assert.include(preflight.headers.get("access-control-allow-methods") ?? "", "POST")
      const reply = yield* call(endpoint(s, s.key), {
        ...form({}),
        headers: { ...form({}).headers, origin: "https://shop.example" }
      })
      assert.strictEqual(reply.status, 400)
      assert.strictEqual(reply.headers.get("access-control-allow-origin"), "*")
    })
  )

  it.effect("415 for a body content type that is not accepted", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const reply = yield* call(endpoint(s, s.key), {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "imageurl=x"
      })
      assertFailure(reply, 415, undefined, /text\/plain is not accepted/)
    })
  )

  it.effect("429/102 with Retry-After beyond 5 requests per second from one IP; other IPs unaffected", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const ip = "203.0.113.77"
      const started = performance.now()
      const replies = yield* Effect.forEach(
        Array.from({ length: 15 }),
        () => call(endpoint(s, s.key), { ...form({}), ip }),
        { concurrency: 15 }
      )
      const seconds = (performance.now() - started) / 1000
      const limited = replies.filter((r) => r.status === 429)
      const passed = replies.filter((r) => r.status === 400).length
      assert.strictEqual(passed + limited.length, 15)
      // A burst of 5, then 5 per second: never more than that passes.
      assert.isAtMost(passed, 5 + Math.ceil(seconds * 5))
      assert.isAtLeast(limited.length, 1)
      assertFailure(limited[0]!, 429, 102, /more than 5 requests per second from 203\.0\.113\.77/)
      assert.match(limited[0]!.headers.get("retry-after") ?? "", /^\d+$/)
      assert.strictEqual((yield* call(endpoint(s, s.key), { ...form({}), ip: "203.0.113.78" })).status, 400)
    })
  )

  it.effect("X-Forwarded-For is ignored from peers that are not trusted proxies", () =>
    Effect.gen(function* () {
      const { clientIp } = yield* Effect.promise(() => import("../src/RateLimiter.ts"))
      assert.strictEqual(clientIp("192.0.2.1", "1.2.3.4", []), "192.0.2.1")
      assert.strictEqual(clientIp("10.0.0.2", "1.2.3.4, 10.0.0.1", ["10.0.0.2", "10.0.0.1"]), "1.2.3.4")
      assert.strictEqual(clientIp("::ffff:10.0.0.2", "5.6.7.8", ["10.0.0.2"]), "5.6.7.8")
    })
  )

  it.effect("502/110 when the image URL's server fails", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const reply = yield* call(endpoint(s, s.key), form({ imageurl: `${(yield* Upstream).origin}/broken` }))
      assertFailure(reply, 502, 110, /HTTP 500/)
    })
  )

  it.effect("the typed client generated from the API definition decodes the envelope failures", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const client = yield* HttpApiClient.make(Api.Api, { baseUrl: s.url })
      const unknownKey = yield* client
        .convert({ query: { appkey: "o2w_wrong" }, payload: { imageurl: "https://example.com/a.png" } })
        .pipe(Effect.flip)
      assert.instanceOf(unknownKey, ApiError.InvalidAppKey)
      assert.strictEqual((unknownKey as ApiError.InvalidAppKey).DataStatus.StatusCode, 104)
      const both = yield* client
        .convert({ query: { appkey: s.key }, payload: { imageurl: "https://example.com/a.png", imagebase64: "AAAA" } })
        .pipe(Effect.flip)
      assert.instanceOf(both, ApiError.InvalidParameter)
      assert.match((both as ApiError.InvalidParameter).DataStatus.StatusDescription, /exactly one/)
      assert.deepStrictEqual(yield* client.healthz(), { status: "ok" })
    }).pipe(Effect.provide(FetchHttpClient.layer))
  )

  describe("SSRF: imageurl never reaches private addresses", () => {
    const refused = (target: (origin: string, port: number) => string) =>
      Effect.gen(function* () {
        const s = yield* TestServer.TestServer
        const up = yield* Upstream
        const reply = yield* call(endpoint(s, s.key), form({ imageurl: target(up.origin, up.port) }))
        assertFailure(reply, 400, 101, /loopback, private, link-local or metadata/)
      })
    it.effect("127.0.0.1 on another port", () => refused((_, port) => `http://127.0.0.1:${port + 1}/a.png`))
    it.effect("[::1]", () => refused((_, port) => `http://[::1]:${port}/image.png`))
    it.effect("10.x", () => refused(() => "http://10.1.2.3/a.png"))
    it.effect("169.254.169.254 (cloud metadata)", () => refused(() => "http://169.254.169.254/latest/meta-data/"))
    it.effect("IPv4-mapped IPv6 and decimal forms of loopback", () =>
      Effect.gen(function* () {
        yield* refused((_, port) => `http://[::ffff:127.0.0.1]:${port}/image.png`)
        yield* refused((_, port) => `http://2130706433:${port + 1}/image.png`)
        yield* refused(() => "http://0x7f.1/a.png")
      })
    )
    it.effect("a name that resolves to loopback", () => refused((_, port) => `http://localhost:${port}/image.png`))
    it.effect("a redirect from the allowed server to a private address", () =>
      Effect.gen(function* () {
        yield* refused((origin) => `${origin}/to-private`)
        yield* refused((origin) => `${origin}/to-loopback`)
        yield* refused((origin) => `${origin}/to-metadata`)
      })
    )
  })
})
