/**
 * Redis connections for the shared state: commands fail at once while the
 * server is unreachable (no offline queue) and within a time limit when it
 * stalls, and the client keeps reconnecting in the background, so an outage
 * answers 503 instead of hanging, and the service recovers without a restart.
 */
import { Queue } from "bullmq"
import { Effect } from "effect"
import { Redis, type RedisOptions } from "ioredis"

/** Time limit of one Redis command. */
export const commandTimeoutMs = 2_000

export const options = (extra: RedisOptions = {}): RedisOptions => ({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: commandTimeoutMs,
  connectTimeout: 2_000,
  retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
  ...extra
})

/**
 * A connection opened now and closed with the scope. Start-up waits a little
 * for the first connection, but a Redis that is down does not stop the
 * server from starting: it reports not ready until Redis answers.
 */
export const connect = (url: string, extra: RedisOptions = {}) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      // ioredis' own option types disagree with exactOptionalPropertyTypes (replyMapping?: X | undefined).
      const redis = new Redis(url, options(extra) as never)
      // Errors are reported by the commands that fail and by /readyz; without a listener ioredis prints them.
      redis.on("error", () => {})
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 3_000)
        redis.once("ready", () => {
          clearTimeout(timer)
          resolve()
        })
      })
      return redis
    }),
    (redis) => Effect.sync(() => redis.disconnect())
  )

/** Where a Redis URL points, without its password, for messages. */
export const describe = (url: string) => {
  try {
    const u = new URL(url)
    return `Redis at ${u.hostname}:${u.port || "6379"}`
  } catch {
    return "Redis"
  }
}

/**
 * A BullMQ queue handle on its own connection, closed with the scope. Its
 * commands may wait while Redis reconnects: callers bound each call.
 */
export const queue = (url: string, name: string) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const q = new Queue(name, { connection: new Redis(url, options({ enableOfflineQueue: true }) as never) })
      q.on("error", () => {})
      return q
    }),
    (q) => Effect.promise(() => q.close().catch(() => undefined))
  )
