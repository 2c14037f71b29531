/**
 * What `/readyz` reports about each piece of state the service runs on (the
 * key store, the rate limiter, the document store, the job queue): its
 * backend and whether it answers right now. Every store exposes a `check`
 * that never fails and never hangs (each backend bounds it with a time
 * limit), so one dead dependency cannot stall the probe.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"

/** The state of one dependency. */
export interface Status {
  /** Role: `keys`, `rateLimit`, `files`, `jobs`. */
  readonly name: string
  /** Backend: `sqlite`, `memory`, `folder`, `postgres`, `redis`, `s3`. */
  readonly backend: string
  readonly ok: boolean
  /** Why it is not ok. */
  readonly message?: string
}

/** Time limit of one readiness check. */
export const checkTimeoutMs = 2_000

/** A status from a probe effect: ok when it succeeds within the limit, otherwise the reason. */
export const probe = <E extends { readonly message: string }>(
  name: string,
  backend: string,
  effect: Effect.Effect<unknown, E>
): Effect.Effect<Status> =>
  effect.pipe(
    Effect.as({ name, backend, ok: true } as Status),
    Effect.timeoutOrElse({
      duration: checkTimeoutMs,
      orElse: () =>
        Effect.succeed({ name, backend, ok: false, message: `${backend} did not answer within ${checkTimeoutMs} ms` })
    }),
    Effect.catch((e: E) => Effect.succeed({ name, backend, ok: false, message: e.message } as Status))
  )

/** An embedded dependency: always up while the process is. */
export const embedded = (name: string, backend: string): Effect.Effect<Status> =>
  Effect.succeed({ name, backend, ok: true })
