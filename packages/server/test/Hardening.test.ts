/**
 * The bugs of issue 14 against the real server: an over-limit body gets the
 * envelope (the body is drained, then the connection closed) instead of a
 * reset; an overlong or unresolvable host is 400/101; a failed conversion
 * gives its call back to the key's quota; failed key attempts are limited per
 * IP; keys are compared in constant time.
 */
import * as net from "node:net"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect } from "effect"
import { KeyStore, RateLimiter } from "../src/index.ts"
import * as TestServer from "./fixtures/test-server.ts"

/** A raw HTTP/1.1 request with a body of `size` bytes written as fast as the socket takes it. */
const rawPost = (port: number, path: string, size: number) =>
  new Promise<{ text: string; error?: string }>((resolve) => {
    const socket = net.connect(port, "127.0.0.1")
    let text = ""
    let error: string | undefined
    socket.on("data", (d) => (text += d.toString("utf8")))
    socket.on("error", (e) => (error = e.message))
    socket.on("close", () => resolve(error === undefined ? { text } : { text, error }))
    const prefix = "imagebase64="
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${size}\r\nX-Forwarded-For: 198.51.100.200\r\n\r\n${prefix}`
    )
    const chunk = Buffer.alloc(256 * 1024, 0x41)
    let sent = prefix.length
    const pump = () => {
      while (sent < size) {
        const piece = chunk.subarray(0, Math.min(chunk.length, size - sent))
        sent += piece.length
        if (!socket.write(piece)) return void socket.once("drain", pump)
      }
    }
    pump()
  })

let nextIp = 1
const post = (url: string, fields: Record<string, string>, ip = `203.0.113.${nextIp++}`) =>
  Effect.promise(async () => {
    const r = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip },
      body: new URLSearchParams(fields)
    })
    return { status: r.status, retryAfter: r.headers.get("retry-after"), body: (await r.json()) as any }
  })

describe("Hardening", () => {
  layer(TestServer.layer({ trustedProxies: ["127.0.0.1"] }), { timeout: 120_000 })((it) => {
    it.effect(
      "a 30 MiB form body is answered with the 400/101 envelope and Connection: close, not a reset",
      () =>
        Effect.gen(function* () {
          const s = yield* TestServer.TestServer
          const reply = yield* Effect.promise(() =>
            rawPost(Number(new URL(s.url).port), `/imagerecognition/ocr2word?appkey=${s.key}`, 30 * 1024 * 1024)
          )
          assert.isUndefined(reply.error, reply.text.slice(0, 300))
          assert.match(reply.text, /^HTTP\/1\.1 400 /)
          assert.match(reply.text, /\r\nconnection: close\r\n/i)
          const body = JSON.parse(reply.text.slice(reply.text.indexOf("\r\n\r\n") + 4))
          assert.strictEqual(body.DataStatus.StatusCode, 101)
          assert.match(body.DataStatus.StatusDescription, /the request body is 31457280 bytes; the limit is \d+ bytes/)
          assert.isNull(body.Data)
        }),
      60_000
    )

    it.effect("a 5000-character host and a 64-character label are 400/101 naming the host, not 502", () =>
      Effect.gen(function* () {
        const s = yield* TestServer.TestServer
        const url = `${s.url}/imagerecognition/ocr2word?appkey=${s.key}`
        for (const host of ["a".repeat(5000), `${"b".repeat(64)}.example.com`, `${"c.".repeat(130)}com`]) {
          const r = yield* post(url, { imageurl: `http://${host}/x.png` })
          assert.strictEqual(r.status, 400, JSON.stringify(r.body))
          assert.strictEqual(r.body.DataStatus.StatusCode, 101)
          assert.match(r.body.DataStatus.StatusDescription, /is not a valid DNS name: at most 253 characters/)
          assert.isBelow(r.body.DataStatus.StatusDescription.length, 400)
        }
        const r = yield* post(url, { imageurl: "http://no-such-host.invalid/x.png" })
        assert.strictEqual(r.status, 400, JSON.stringify(r.body))
        assert.match(r.body.DataStatus.StatusDescription, /no-such-host\.invalid of imageurl does not resolve/)
      })
    )

    it.effect("a call that fails after the key was accepted is not charged to the quota", () =>
      Effect.gen(function* () {
        const s = yield* TestServer.TestServer
        const { info, key } = yield* s.keys.create({ name: "quota", quota: 1 })
        const url = `${s.url}/imagerecognition/ocr2word?appkey=${key}`
        for (const fields of [{ imagebase64: "!!!" }, { imagebase64: "aGVsbG8=" }, {}]) {
          const r = yield* post(url, fields)
          assert.strictEqual(r.status, 400, JSON.stringify(r.body))
        }
        assert.strictEqual((yield* s.keys.get(info.id)).calls, 0)
        // The quota of 1 is still whole: another bad call is a 400, not 403 "used its quota".
        const r = yield* post(url, { imagebase64: "aGVsbG8=" })
        assert.strictEqual(r.body.DataStatus.StatusCode, 101)
      })
    )

    it.effect("more than 20 failed key attempts from one IP are refused with 429/102, even with a right key", () =>
      Effect.gen(function* () {
        const s = yield* TestServer.TestServer
        const url = (key: string) => `${s.url}/imagerecognition/ocr2word?appkey=${key}`
        const ip = "192.0.2.77"
        const codes: Array<number> = []
        const started = Date.now()
        // Wrong keys until the limit refuses one; the bucket refills one attempt every 3 s meanwhile, so
        // on a slow machine a few more than 20 get through (each one 401, never anything else).
        while (codes[codes.length - 1] !== 429 && codes.length < 40) {
          // Spaced so that the per-IP request rate (5/s) is not what refuses them.
          yield* Effect.promise(() => new Promise((r) => setTimeout(r, 210)))
          codes.push(
            (yield* post(url(`o2w_000000000000_guess${codes.length}`), { imagebase64: "aGVsbG8=" }, ip)).status
          )
        }
        const refilled = Math.ceil((Date.now() - started) / 3000)
        assert.deepStrictEqual(codes.slice(0, 20), Array(20).fill(401))
        assert.strictEqual(codes[codes.length - 1], 429)
        assert.deepStrictEqual(new Set(codes.slice(0, -1)), new Set([401]))
        assert.isAtMost(codes.length - 1, 20 + refilled)
        const right = yield* post(url(s.key), { imagebase64: "aGVsbG8=" }, ip)
        assert.strictEqual(right.status, 429)
        assert.strictEqual(right.body.DataStatus.StatusCode, 102)
        assert.match(
          right.body.DataStatus.StatusDescription,
          /too many requests with an invalid appkey from 192\.0\.2\.77/
        )
        assert.match(right.retryAfter ?? "", /^[1-9]\d*$/)
        // Another IP is not affected.
        assert.strictEqual((yield* post(url(s.key), { imagebase64: "aGVsbG8=" })).status, 400)
      })
    )
  })

  layer(TestServer.layer({ trustedProxies: ["127.0.0.1"] }), { timeout: 60_000 })((it) => {
    it.effect("more than 8 requests at once from one IP are refused with 429/102 until one finishes", () =>
      Effect.gen(function* () {
        const s = yield* TestServer.TestServer
        const port = Number(new URL(s.url).port)
        const ip = "192.0.2.99"
        const url = `${s.url}/imagerecognition/ocr2word?appkey=${s.key}`
        const pause = (ms: number) => Effect.promise(() => new Promise((r) => setTimeout(r, ms)))
        // Uploads that never finish: each holds one of the IP's slots.
        const held: Array<net.Socket> = []
        for (let i = 0; i < 8; i++) {
          yield* pause(220)
          const socket = net.connect(port, "127.0.0.1")
          socket.on("error", () => undefined)
          socket.write(
            `POST /imagerecognition/ocr2word?appkey=${s.key} HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: ${ip}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nimagebase64=`
          )
          held.push(socket)
        }
        yield* pause(300)
        const refused = yield* post(url, { imagebase64: "aGVsbG8=" }, ip)
        assert.strictEqual(refused.status, 429, JSON.stringify(refused.body))
        assert.strictEqual(refused.body.DataStatus.StatusCode, 102)
        assert.match(
          refused.body.DataStatus.StatusDescription,
          /192\.0\.2\.99 already has 8 requests in progress \(the limit is 8\)/
        )
        assert.strictEqual(refused.retryAfter, "1")
        for (const socket of held) socket.destroy()
        yield* pause(1_200)
        const after = yield* post(url, { imagebase64: "aGVsbG8=" }, ip)
        assert.strictEqual(after.status, 400, JSON.stringify(after.body))
      })
    )

    it.effect("oversized headers and unparsable requests get the envelope from Node's own refusals", () =>
      Effect.gen(function* () {
        const s = yield* TestServer.TestServer
        const port = Number(new URL(s.url).port)
        const send = (text: string) =>
          Effect.promise(
            () =>
              new Promise<string>((resolve) => {
                const socket = net.connect(port, "127.0.0.1", () => socket.write(text))
                let out = ""
                socket.on("data", (d) => (out += d.toString("utf8")))
                socket.on("error", () => undefined)
                socket.on("close", () => resolve(out))
              })
          )
        const envelope = (reply: string) => JSON.parse(reply.slice(reply.indexOf("\r\n\r\n") + 4))
        const big = yield* send(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`)
        assert.match(big, /^HTTP\/1\.1 431 /)
        assert.strictEqual(envelope(big).DataStatus.StatusCode, 101)
        assert.match(envelope(big).DataStatus.StatusDescription, /headers are larger than 16384 bytes/)
        const garbage = yield* send("HELLO WORLD\r\n\r\n")
        assert.match(garbage, /^HTTP\/1\.1 400 /)
        assert.match(envelope(garbage).DataStatus.StatusDescription, /is not valid HTTP\/1\.1/)
        assert.isNull(envelope(garbage).Data)
      })
    )
  })

  it.effect("a memory bucket with its own burst: 20 at once, then one every 3 s, other buckets untouched", () =>
    Effect.gen(function* () {
      let now = 0
      const limiter = yield* RateLimiter.makeMemory({ api: 5, badkey: 1 / 3 }, () => now, { badkey: 20 })
      const taken = []
      for (let i = 0; i < 21; i++) taken.push((yield* limiter.take("badkey", "192.0.2.1")).allowed)
      assert.deepStrictEqual(taken, [...Array(20).fill(true), false])
      assert.strictEqual((yield* limiter.take("badkey", "192.0.2.1")).retryAfterSeconds, 3)
      assert.isTrue((yield* limiter.take("api", "192.0.2.1")).allowed)
      now = 3_100
      assert.isTrue((yield* limiter.take("badkey", "192.0.2.1")).allowed)
      assert.isFalse((yield* limiter.take("badkey", "192.0.2.1")).allowed)
    })
  )

  it("keys are compared by digest in constant time, found by their public id", () => {
    const digest = KeyStore.hash("o2w_0123456789ab_secret")
    assert.isTrue(KeyStore.sameDigest(digest, digest))
    assert.isFalse(KeyStore.sameDigest(digest, KeyStore.hash("o2w_0123456789ab_secreu")))
    assert.isFalse(KeyStore.sameDigest(digest, "abc"))
    assert.strictEqual(KeyStore.publicId("o2w_0123456789ab_secret"), "0123456789ab")
    assert.isUndefined(KeyStore.publicId("o2w_nope"))
  })
})
