/**
 * Per-client request limits (token buckets: `rate` requests per second, the
 * same burst), in memory by default. Behind a load balancer the client is
 * the first untrusted address of `X-Forwarded-For`, read only when the peer
 * is a configured trusted proxy (`clientIp`), so a client cannot pick its own
 * bucket by sending the header.
 *
 * Several nodes share their buckets through Redis (`RedisRateLimiter`); a
 * limiter that cannot decide fails with `RateLimiterError` (503/110), it
 * never lets a request through unchecked.
 *
 * @since 0.1.0
 */
import { isIP } from "node:net"
import { Context, Effect, Layer, Schema } from "effect"
import * as Dependency from "./Dependency.ts"

/** The verdict on one request. */
export interface Decision {
  readonly allowed: boolean
  /** Whole seconds until a request would be allowed (0 when allowed). */
  readonly retryAfterSeconds: number
}

/** The shared limiter's backend did not answer: the request is refused with 503/110. */
export class RateLimiterError extends Schema.TaggedError<RateLimiterError>()("RateLimiterError", {
  reason: Schema.Literals(["Unavailable"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/** Token buckets per client: whether a request may go now, and when to retry if not. */
export class RateLimiter extends Context.Service<
  RateLimiter,
  {
    /** Take one token from `client`'s bucket in `bucket` (e.g. "api", "demo"). */
    readonly take: (bucket: string, client: string) => Effect.Effect<Decision, RateLimiterError>
    /** Whether the backend answers, for /readyz. */
    readonly check: Effect.Effect<Dependency.Status>
  }
>()("@ocr2word/server/RateLimiter") {}

interface Bucket {
  tokens: number
  updated: number
}

/** In-memory token buckets: `rates[bucket]` tokens per second, burst `bursts[bucket]` (else the same as the rate). */
export const makeMemory = (
  rates: Readonly<Record<string, number>>,
  now: () => number = () => performance.now(),
  bursts: Readonly<Record<string, number>> = {}
) =>
  Effect.sync(() => {
    const buckets = new Map<string, Bucket>()
    let lastSweep = now()
    const take = (bucket: string, client: string) =>
      Effect.sync((): Decision => {
        const rate = rates[bucket] ?? rates.api ?? 5
        const burst = bursts[bucket] ?? rate
        const t = now()
        if (t - lastSweep > 60_000) {
          // Full buckets carry no information: drop them so memory stays bounded.
          for (const [key, b] of buckets) {
            const name = key.slice(0, key.indexOf("\u0000"))
            const r = rates[name] ?? rates.api ?? 5
            if (b.tokens + ((t - b.updated) / 1000) * r >= (bursts[name] ?? r)) buckets.delete(key)
          }
          lastSweep = t
        }
        const key = `${bucket}\u0000${client}`
        const b = buckets.get(key) ?? { tokens: burst, updated: t }
        b.tokens = Math.min(burst, b.tokens + ((t - b.updated) / 1000) * rate)
        b.updated = t
        buckets.set(key, b)
        if (b.tokens >= 1) {
          b.tokens -= 1
          return { allowed: true, retryAfterSeconds: 0 }
        }
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / rate)) }
      })
    return RateLimiter.of({ take, check: Dependency.embedded("rateLimit", "memory") })
  })

/** `RateLimiter` in this process's memory (one node), with the given rates and bursts per bucket kind. */
export const layerMemory = (
  rates: Readonly<Record<string, number>>,
  bursts: Readonly<Record<string, number>> = {}
): Layer.Layer<RateLimiter> => Layer.effect(RateLimiter, makeMemory(rates, undefined, bursts))

const normalize = (address: string) => {
  const a = address.trim().replace(/^\[|\]$/g, "")
  return a.startsWith("::ffff:") && isIP(a.slice(7)) === 4 ? a.slice(7) : a
}

/**
 * The client address of a request: the peer, or, when the peer is a trusted
 * proxy, the rightmost `X-Forwarded-For` entry that is not a trusted proxy.
 */
export const clientIp = (
  peer: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: ReadonlyArray<string>
): string => {
  const trusted = new Set(trustedProxies.map(normalize))
  let client = normalize(peer ?? "unknown")
  if (forwardedFor === undefined || !trusted.has(client)) return client
  const hops = forwardedFor
    .split(",")
    .map(normalize)
    .filter((h) => isIP(h) !== 0)
  for (let i = hops.length - 1; i >= 0; i--) {
    client = hops[i]!
    if (!trusted.has(client)) return client
  }
  return client
}
