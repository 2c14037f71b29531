/**
 * Naming a failed exchange: connection refused, connect timeout, or another
 * network failure, from the error codes Node and undici put on the cause
 * chain. Messages name the endpoint without its query string, so the appkey
 * never reaches a log.
 */
import type * as ClientError from "../ClientError.ts"

type Reason = ClientError.Transport["reason"]

const codesOf = (error: unknown): ReadonlyArray<string> => {
  const codes: Array<string> = []
  let current: unknown = error
  for (let depth = 0; depth < 8 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string") codes.push(code)
    const reason = (current as { reason?: unknown }).reason
    current = reason !== undefined && typeof reason === "object" ? reason : (current as { cause?: unknown }).cause
  }
  return codes
}

/** The reason and a sentence for a failure to exchange with `endpoint`. */
export const describeTransportFailure = (endpoint: string, error: unknown): { reason: Reason; detail: string } => {
  const codes = codesOf(error)
  if (codes.includes("ECONNREFUSED")) {
    return {
      reason: "ConnectionRefused",
      detail: `${endpoint} refused the connection (nothing listens there); check the base URL and that the service runs`
    }
  }
  if (codes.some((c) => c === "UND_ERR_CONNECT_TIMEOUT" || c === "ETIMEDOUT")) {
    return {
      reason: "ConnectTimeout",
      detail: `connecting to ${endpoint} timed out; check the network or raise connectTimeout`
    }
  }
  if (codes.some((c) => c === "ENOTFOUND" || c === "EAI_AGAIN")) {
    return { reason: "Network", detail: `the host of ${endpoint} could not be resolved; check the base URL` }
  }
  const code = codes.find((c) => c !== "ERR_INVALID_ARG_TYPE")
  return {
    reason: "Network",
    detail: `the exchange with ${endpoint} failed${code !== undefined ? ` (${code})` : ""}; the connection dropped or the answer was cut short`
  }
}
