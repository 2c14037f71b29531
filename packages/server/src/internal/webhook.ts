/**
 * Job webhooks: checked when the job is submitted (http/https, no
 * credentials, and every address the host resolves to public, as for
 * imageurl, unless its origin is in `fetchAllow`), checked again and sent
 * by the worker that finishes the job, a few times with a time limit each.
 */
import * as dns from "node:dns/promises"
import { isBlockedAddress } from "../ImageFetcher.ts"

/** Why a webhook URL is refused, or undefined when it may be called. */
export const refusal = async (raw: string, allowOrigins: ReadonlyArray<string>): Promise<string | undefined> => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return `webhook ${JSON.stringify(raw.slice(0, 200))} is not an absolute URL; send e.g. https://example.com/hook.`
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "webhook must use http or https."
  if (url.username !== "" || url.password !== "") return "webhook must not carry a user name or password."
  if (allowOrigins.includes(url.origin)) return undefined
  const host = url.hostname.replace(/^\[|\]$/g, "")
  const addresses = await dns.lookup(host, { all: true }).catch(() => [])
  if (addresses.length === 0) return `webhook host ${host} does not resolve.`
  const bad = addresses.find((a) => isBlockedAddress(a.address))
  return bad === undefined
    ? undefined
    : `webhook host ${host} resolves to ${bad.address}, a loopback, private, link-local or metadata address; use a publicly reachable URL.`
}

/** POST `body` as JSON to the webhook; true once it answered 2xx. */
export const send = async (raw: string, body: unknown, allowOrigins: ReadonlyArray<string>): Promise<boolean> => {
  if ((await refusal(raw, allowOrigins)) !== undefined) return false
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const response = await fetch(raw, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", "user-agent": "ocr2word-webhook" },
        body: JSON.stringify(body),
        redirect: "manual",
        signal: AbortSignal.timeout(5_000)
      })
      await response.body?.cancel()
      if (response.ok) return true
    } catch {
      // Retried below.
    }
    await new Promise((r) => setTimeout(r, 500 * (attempt + 1)))
  }
  return false
}
