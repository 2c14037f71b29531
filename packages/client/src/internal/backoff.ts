/**
 * How long to wait before a retry: exponential backoff with "equal jitter"
 * (half the step fixed, half random), never less than what the server asked
 * for with `Retry-After`.
 */

/** Backoff settings, in milliseconds. */
export interface BackoffSettings {
  readonly baseDelay: number
  readonly maxDelay: number
}

/**
 * The wait before retry number `retry` (0 for the first retry). `random` is a
 * number in [0, 1). Equal jitter keeps a floor of half the step, so clients
 * that failed together spread out without any of them retrying at once.
 */
export const backoffDelay = (settings: BackoffSettings, retry: number, random: number): number => {
  const step = Math.min(settings.maxDelay, settings.baseDelay * 2 ** retry)
  return step / 2 + (step / 2) * random
}

/**
 * Milliseconds asked for by a `Retry-After` header: delta-seconds or an
 * HTTP-date (RFC 9110 section 10.2.3). Undefined when absent or unreadable.
 */
export const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
