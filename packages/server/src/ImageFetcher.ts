/**
 * Fetching `imageurl` so that it cannot be turned against the server
 * (server-side request forgery): http and https only; every address a name
 * resolves to is checked against loopback, private, link-local, CGNAT,
 * multicast, documentation and metadata ranges (IPv4 and IPv6), and the
 * connection goes to the checked address (no second DNS answer can slip in);
 * the same holds after every redirect; redirects, connect time, total time and
 * bytes (counted while streaming) are limited.
 *
 * `allowOrigins` exempts exact origins (`http://127.0.0.1:8081`) from the
 * address check, so tests can serve images from one loopback server and
 * nothing else.
 *
 * @since 0.1.0
 */
import * as dns from "node:dns"
import * as http from "node:http"
import * as https from "node:https"
import { BlockList, isIP, type LookupFunction } from "node:net"
import { Context, Effect, Layer, Schema } from "effect"

/** Why an `imageurl` could not be fetched, with the message the client sees. */
export class FetchError extends Schema.TaggedError<FetchError>()("FetchError", {
  /** `InvalidUrl`, `Refused`, `TooLarge`, `TooManyRedirects`, `NotFound` are the client's (400); `Timeout`, `Upstream` the remote's (502). */
  reason: Schema.Literals(["InvalidUrl", "Refused", "TooLarge", "TooManyRedirects", "NotFound", "Timeout", "Upstream"]),
  message: Schema.String
}) {}

/** Options of the fetcher. */
export interface FetchOptions {
  readonly maxBytes: number
  readonly timeoutMs: number
  readonly connectTimeoutMs: number
  readonly maxRedirects: number
  /** Origins exempt from the address check, e.g. `http://127.0.0.1:8081`. */
  readonly allowOrigins: ReadonlyArray<string>
}

/** What was fetched. */
export interface Fetched {
  readonly bytes: Uint8Array
  /** The URL the bytes came from, after redirects. */
  readonly url: string
  readonly contentType: string | undefined
}

/** Fetches the image behind an `imageurl`: public addresses only, size and redirect limits, a time limit. */
export class ImageFetcher extends Context.Service<
  ImageFetcher,
  { readonly fetch: (url: string, maxBytes?: number) => Effect.Effect<Fetched, FetchError> }
>()("@ocr2word/server/ImageFetcher") {}

const subnets = (cidrs: ReadonlyArray<string>, type: "ipv4" | "ipv6") => {
  const list = new BlockList()
  for (const cidr of cidrs) {
    const [net, prefix] = cidr.split("/")
    list.addSubnet(net!, Number(prefix), type)
  }
  return list
}

// Two lists: a BlockList also matches IPv4 addresses against IPv6 rules (as ::ffff:a.b.c.d),
// so a single list holding ::ffff:0:0/96 would block every IPv4 address.
const blocked4 = subnets(
  [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4"
  ],
  "ipv4"
)
const blocked6 = subnets(
  [
    "::/128",
    "::1/128",
    "::ffff:0:0/96",
    "64:ff9b::/96",
    "64:ff9b:1::/48",
    "100::/64",
    "2001::/32",
    "2001:db8::/32",
    "2002::/16",
    "fc00::/7",
    "fe80::/10",
    "fec0::/10",
    "ff00::/8"
  ],
  "ipv6"
)

/** Whether an address is in a range no image URL may reach (loopback, private, link-local, metadata...). */
export const isBlockedAddress = (address: string): boolean => {
  const a = address.replace(/^\[|\]$/g, "")
  const family = isIP(a)
  if (family === 0) return true
  return family === 4 ? blocked4.check(a, "ipv4") : blocked6.check(a, "ipv6")
}

const refused = (host: string, address: string) =>
  new FetchError({
    reason: "Refused",
    message: `imageurl host ${host} resolves to ${address}, a loopback, private, link-local or metadata address; use a publicly reachable image URL.`
  })

/** DNS lookup that refuses blocked answers and pins the connection to the checked address. */
const safeLookup =
  (allowed: boolean): LookupFunction =>
  (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
      if (error) return callback(error, "", 4)
      const bad = allowed ? undefined : addresses.find((a) => isBlockedAddress(a.address))
      if (bad !== undefined || addresses.length === 0) {
        const e = Object.assign(refused(hostname, bad?.address ?? "nothing"), { code: "EREFUSED_SSRF" })
        return callback(e as unknown as NodeJS.ErrnoException, "", 4)
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses)
      callback(null, addresses[0]!.address, addresses[0]!.family)
    })
  }

const requestOnce = (url: URL, options: FetchOptions, maxBytes: number, signal: AbortSignal) =>
  new Promise<{ status: number; location?: string; bytes?: Uint8Array; contentType?: string }>((resolve, reject) => {
    const allowed = options.allowOrigins.includes(url.origin)
    const host = url.hostname.replace(/^\[|\]$/g, "")
    if (isIP(host) !== 0 && !allowed && isBlockedAddress(host)) return reject(refused(url.hostname, host))
    const lib = url.protocol === "https:" ? https : http
    const req = lib.request(
      url,
      {
        method: "GET",
        lookup: safeLookup(allowed),
        signal,
        headers: { "user-agent": "ocr2word/0.1 (+image fetch)", accept: "image/*,*/*;q=0.5" },
        agent: false
      },
      (res) => {
        clearTimeout(connectTimer)
        const status = res.statusCode ?? 0
        if (status >= 300 && status < 400 && res.headers.location !== undefined) {
          res.resume()
          return resolve({ status, location: res.headers.location })
        }
        if (status !== 200) {
          res.resume()
          return resolve({ status })
        }
        const declared = Number(res.headers["content-length"] ?? "NaN")
        if (Number.isFinite(declared) && declared > maxBytes) {
          res.destroy()
          return reject(
            new FetchError({
              reason: "TooLarge",
              message: `the image at imageurl is ${declared} bytes; the limit is ${maxBytes} bytes.`
            })
          )
        }
        const chunks: Array<Buffer> = []
        let total = 0
        res.on("data", (chunk: Buffer) => {
          total += chunk.length
          if (total > maxBytes) {
            res.destroy()
            reject(
              new FetchError({
                reason: "TooLarge",
                message: `the image at imageurl is larger than the limit of ${maxBytes} bytes.`
              })
            )
            return
          }
          chunks.push(chunk)
        })
        res.on("end", () => {
          const contentType = res.headers["content-type"]
          resolve({
            status,
            bytes: new Uint8Array(Buffer.concat(chunks)),
            ...(contentType !== undefined ? { contentType } : {})
          })
        })
        res.on("error", reject)
      }
    )
    const connectTimer = setTimeout(
      () =>
        req.destroy(
          new FetchError({
            reason: "Timeout",
            message: `connecting to ${url.host} took longer than ${options.connectTimeoutMs} ms.`
          })
        ),
      options.connectTimeoutMs
    )
    req.on("error", (error) => {
      clearTimeout(connectTimer)
      reject(error)
    })
    req.end()
  })

const unresolvable = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "ENODATA", "EBADNAME", "ESERVFAIL"])

/** A host name for a message, cut to a readable length. */
const shortHost = (host: string) => (host.length > 80 ? `${host.slice(0, 80)}... (${host.length} characters)` : host)

const toFetchError = (url: URL, error: unknown): FetchError => {
  if (error instanceof FetchError) return error
  const e = error as NodeJS.ErrnoException & { cause?: unknown }
  if (e?.cause instanceof FetchError) return e.cause
  if ((e as { code?: string })?.code === "EREFUSED_SSRF") {
    return new FetchError({ reason: "Refused", message: String(e.message) })
  }
  if (e?.name === "AbortError")
    return new FetchError({ reason: "Timeout", message: `fetching imageurl took too long.` })
  // Every resolver failure is the URL's (400/101), as the contract answers unresolvable hosts.
  if (e?.syscall === "getaddrinfo" || (e?.code !== undefined && unresolvable.has(e.code))) {
    return new FetchError({
      reason: "InvalidUrl",
      message: `the host ${shortHost(url.hostname)} of imageurl does not resolve; check the URL.`
    })
  }
  return new FetchError({
    reason: "Upstream",
    message: `fetching imageurl from ${shortHost(url.host)} failed (${e?.code ?? e?.message ?? String(error)}).`
  })
}

/** Parse and check an image URL: absolute, http or https, no credentials. */
export const parseUrl = (raw: string): Effect.Effect<URL, FetchError> => {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return Effect.fail(
      new FetchError({
        reason: "InvalidUrl",
        message: `imageurl ${JSON.stringify(raw.slice(0, 200))} is not an absolute URL; send e.g. https://example.com/page.png.`
      })
    )
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Effect.fail(
      new FetchError({
        reason: "InvalidUrl",
        message: `imageurl must use http or https, not ${url.protocol.replace(":", "")}.`
      })
    )
  }
  const host = url.hostname.replace(/^\[|\]$/g, "")
  // DNS names are at most 253 characters in labels of at most 63; longer ones cannot resolve
  // (the resolver would fail with EINVAL, which is no fault of the upstream).
  if (isIP(host) === 0 && (host.length > 253 || host.split(".").some((label) => label.length > 63))) {
    return Effect.fail(
      new FetchError({
        reason: "InvalidUrl",
        message: `the host of imageurl (${host.length} characters, starting ${JSON.stringify(host.slice(0, 40))}) is not a valid DNS name: at most 253 characters in labels of at most 63; check the URL.`
      })
    )
  }
  if (url.username !== "" || url.password !== "") {
    return Effect.fail(
      new FetchError({ reason: "InvalidUrl", message: "imageurl must not carry a user name or password." })
    )
  }
  return Effect.succeed(url)
}

/** An `ImageFetcher` with the given limits. */
export const make = (options: FetchOptions) =>
  ImageFetcher.of({
    fetch: Effect.fn("ImageFetcher.fetch")(function* (raw: string, maxBytes: number = options.maxBytes) {
      let url = yield* parseUrl(raw)
      for (let hop = 0; ; hop++) {
        const current = url
        const result = yield* Effect.tryPromise({
          try: (signal) =>
            requestOnce(current, options, maxBytes, AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)])),
          catch: (error) => toFetchError(current, error)
        })
        if (result.location !== undefined) {
          if (hop >= options.maxRedirects) {
            return yield* Effect.fail(
              new FetchError({
                reason: "TooManyRedirects",
                message: `imageurl redirected more than ${options.maxRedirects} times.`
              })
            )
          }
          url = yield* parseUrl(new URL(result.location, current).toString())
          continue
        }
        if (result.bytes === undefined) {
          return yield* Effect.fail(
            result.status >= 400 && result.status < 500
              ? new FetchError({
                  reason: "NotFound",
                  message: `imageurl answered HTTP ${result.status}; check that the URL is public and points to an image.`
                })
              : new FetchError({ reason: "Upstream", message: `imageurl answered HTTP ${result.status}.` })
          )
        }
        return { bytes: result.bytes, url: current.toString(), contentType: result.contentType } satisfies Fetched
      }
    })
  })

/** `ImageFetcher` with the given limits. */
export const layer = (options: FetchOptions): Layer.Layer<ImageFetcher> => Layer.succeed(ImageFetcher, make(options))
