/**
 * A client-side limiter: at most `limit` request starts in any sliding window
 * of `windowMillis`. The commercial service asks for no more than 5 requests a
 * second per client IP; keeping under it here saves the 429s and their waits.
 * Reservations are serialised by a semaphore, so concurrent callers queue
 * fairly and each waits only for its own slot.
 */
import { Clock, Effect, Semaphore } from "effect"

export interface RateGate {
  /** Wait until a request may start, and count it. */
  readonly take: Effect.Effect<void>
}

export const makeRateGate = (limit: number, windowMillis: number): Effect.Effect<RateGate> =>
  Effect.gen(function* () {
    if (!Number.isFinite(limit) || limit <= 0) return { take: Effect.void }
    const lock = yield* Semaphore.make(1)
    // Start times of the last `limit` requests, oldest first.
    const starts: Array<number> = []
    const take = Effect.gen(function* () {
      let now = yield* Clock.currentTimeMillis
      if (starts.length >= limit) {
        const wait = starts[0]! + windowMillis - now
        if (wait > 0) {
          yield* Effect.sleep(wait)
          now = yield* Clock.currentTimeMillis
        }
        starts.shift()
      }
      starts.push(now)
    }).pipe(Semaphore.withPermit(lock))
    return { take }
  })
