/**
 * `RateLimiter` on Redis, shared by every node behind a balancer: one token
 * bucket per bucket name and client, refilled and taken in a single Lua
 * script (atomic on the server, timed by the server's clock, so nodes with
 * skewed clocks still agree). Retry-After is the time until the bucket
 * holds a whole token again. When Redis does not answer, `take` fails with
 * `RateLimiterError` (503/110) within the command time limit.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import * as Dependency from "./Dependency.ts"
import * as redisConnection from "./internal/redis.ts"
import { type Decision, RateLimiter, RateLimiterError } from "./RateLimiter.ts"

/**
 * KEYS[1] bucket hash; ARGV rate per second, burst. Returns {allowed, ms to
 * wait}. The hash expires once it would be full again, so idle clients cost
 * nothing.
 */
const tokenBucket = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or burst
local ts = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {allowed, wait}
`

/** Token buckets in Redis at `url`: `rates[bucket]` tokens per second, burst the same. */
export const make = (
  url: string,
  rates: Readonly<Record<string, number>>,
  prefix = "ocr2word:rate:",
  bursts: Readonly<Record<string, number>> = {}
) =>
  Effect.gen(function* () {
    const redis = yield* redisConnection.connect(url)
    const where = redisConnection.describe(url)
    const unavailable = (cause: unknown) =>
      new RateLimiterError({
        reason: "Unavailable",
        message: `the rate limiter's ${where} is unavailable (${cause instanceof Error ? cause.message : String(cause)}); retry in a few seconds.`,
        cause
      })
    const take = Effect.fn("RedisRateLimiter.take")(function* (bucket: string, client: string) {
      const rate = rates[bucket] ?? rates.api ?? 5
      const [allowed, waitMs] = (yield* Effect.tryPromise({
        try: () => redis.eval(tokenBucket, 1, `${prefix}${bucket}:${client}`, rate, bursts[bucket] ?? rate),
        catch: unavailable
      })) as [number, number]
      return {
        allowed: allowed === 1,
        retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil(waitMs / 1000))
      } satisfies Decision
    })
    const check = Dependency.probe(
      "rateLimit",
      "redis",
      Effect.tryPromise({ try: () => redis.ping(), catch: unavailable })
    )
    return RateLimiter.of({ take, check })
  })

/** `RateLimiter` on the Redis at `url`, shared by every node. */
export const layer = (
  url: string,
  rates: Readonly<Record<string, number>>,
  bursts: Readonly<Record<string, number>> = {}
): Layer.Layer<RateLimiter> => Layer.effect(RateLimiter, make(url, rates, undefined, bursts))
