/**
 * RedisRateLimiter against a real redis-server on loopback: the bucket is
 * shared by two limiters (two nodes), Retry-After says when a token is back,
 * and a Redis outage fails fast with Unavailable and recovers by itself.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { RedisRateLimiter } from "../src/index.ts"
import { type Loopback, missing, skipMessage, startRedis } from "./fixtures/loopback-services.ts"

const absent = missing("redis-server")
let redis: Loopback | undefined

beforeAll(async () => {
  if (absent.length === 0) redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})

describe.skipIf(absent.length === 0)("RedisRateLimiter", () => {
  it("is skipped", () => console.info(skipMessage(absent)))
})

describe.skipIf(absent.length > 0)("RedisRateLimiter", () => {
  it.live("two limiters on one Redis share one bucket per client, and Retry-After is when a token is back", () =>
    Effect.gen(function* () {
      const prefix = `test:${Date.now()}:`
      const a = yield* RedisRateLimiter.make(redis!.url, { api: 5 }, prefix)
      const b = yield* RedisRateLimiter.make(redis!.url, { api: 5 }, prefix)
      const decisions = yield* Effect.forEach(
        Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b)),
        (limiter) => limiter.take("api", "203.0.113.9"),
        { concurrency: 12 }
      )
      // Burst 5, refilled at 5/s: the few ms of the calls may add one token.
      const allowed = decisions.filter((d) => d.allowed).length
      assert.isAtLeast(allowed, 5)
      assert.isAtMost(allowed, 6)
      for (const d of decisions.filter((d) => !d.allowed)) assert.strictEqual(d.retryAfterSeconds, 1)
      assert.isTrue((yield* a.take("api", "203.0.113.10")).allowed, "another client has its own bucket")
      yield* Effect.sleep("1100 millis")
      const after = yield* Effect.forEach(Array.from({ length: 5 }), () => b.take("api", "203.0.113.9"))
      assert.isTrue(
        after.every((d) => d.allowed),
        "five tokens are back after a second"
      )
      const slow = yield* RedisRateLimiter.make(redis!.url, { demo: 1 }, `test:${Date.now()}:slow:`)
      assert.isTrue((yield* slow.take("demo", "x")).allowed)
      const refused = yield* slow.take("demo", "x")
      assert.deepStrictEqual(refused, { allowed: false, retryAfterSeconds: 1 })
    }).pipe(Effect.scoped)
  )

  it.live("Redis down: Unavailable within the time limit; back up: limits again without a restart", () =>
    Effect.gen(function* () {
      const limiter = yield* RedisRateLimiter.make(redis!.url, { api: 5 }, `test:${Date.now()}:outage:`)
      assert.isTrue((yield* limiter.take("api", "c")).allowed)
      yield* Effect.promise(() => redis!.stop())
      const started = Date.now()
      const error = yield* limiter.take("api", "c").pipe(Effect.flip)
      assert.isBelow(Date.now() - started, 3_000)
      assert.strictEqual(error.reason, "Unavailable")
      assert.match(
        error.message,
        /^the rate limiter's Redis at 127\.0\.0\.1:\d+ is unavailable \(.+\); retry in a few seconds\.$/
      )
      assert.strictEqual((yield* limiter.check).ok, false)
      yield* Effect.promise(() => redis!.start())
      // ioredis reconnects in the background (retry every <= 1 s).
      let decision = yield* Effect.result(limiter.take("api", "c"))
      for (let i = 0; i < 40 && decision._tag === "Failure"; i++) {
        yield* Effect.sleep("100 millis")
        decision = yield* Effect.result(limiter.take("api", "c"))
      }
      assert.strictEqual(decision._tag, "Success")
      assert.strictEqual((yield* limiter.check).ok, true)
    }).pipe(Effect.scoped)
  )
})
