/**
 * Retry-After seconds decided by a handler for its request, read by the
 * response middleware when it finishes a 429 (keyed by the platform request
 * object, so nothing leaks between requests).
 */
export const retryAfter = new WeakMap<object, number>()
