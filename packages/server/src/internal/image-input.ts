/**
 * Reading the image parameters out of a request body (form-urlencoded,
 * multipart or JSON) and decoding lenient base64 (formats are sniffed by
 * core's `ImageFormat`, the image decoder's own sniffer).
 */
import { Effect, Schema, Stream } from "effect"
import type { HttpServerRequest } from "effect/http"

export class InputError extends Schema.TaggedError<InputError>()("InputError", {
  /** `UnsupportedMediaType` is 415; the others 400/101. */
  reason: Schema.Literals(["UnsupportedMediaType", "Invalid", "TooLarge"]),
  message: Schema.String
}) {}

/** The parameters of a conversion request, before validation. */
export interface Fields {
  readonly appkey?: string
  readonly imageurl?: string
  readonly imagebase64?: string
  readonly file?: { readonly bytes: Uint8Array; readonly name: string }
}

const mediaType = (header: string | undefined) => (header ?? "").split(";")[0]!.trim().toLowerCase()

/**
 * How much of an over-limit body is still read (and dropped) before the
 * answer, and for how long: a client that is still sending when the server
 * answers and closes gets a reset (`Broken pipe`) instead of the envelope, so
 * the rest of a body is drained first, up to these bounds. A bigger or slower
 * body is answered without draining (the client may then see the reset).
 */
export const drainBytes = 256 * 1024 * 1024
export const drainMs = 20_000

/** Requests whose answer closes the connection (`Connection: close`): their body was refused as too large. */
export const closeAfterAnswer = new WeakSet<object>()

const readBody = (request: HttpServerRequest.HttpServerRequest, maxBytes: number) =>
  Effect.gen(function* () {
    const declared = Number(request.headers["content-length"] ?? "NaN")
    const tooLarge = (size: string) =>
      new InputError({
        reason: "TooLarge",
        message: `the request body is ${size}; the limit is ${maxBytes} bytes (${(maxBytes / 1048576).toFixed(1)} MiB, base64 and form overhead included). Send a smaller image.`
      })
    const chunks: Array<Uint8Array> = []
    let total = 0
    let over = Number.isFinite(declared) && declared > maxBytes
    if (over && declared > drainBytes) {
      closeAfterAnswer.add(request.source)
      return yield* Effect.fail(tooLarge(`${declared} bytes`))
    }
    const read = request.stream.pipe(
      Stream.mapError(
        () =>
          new InputError({ reason: "Invalid", message: "the request body could not be read completely; resend it." })
      ),
      Stream.runForEach((chunk) => {
        total += chunk.byteLength
        if (over || total > maxBytes) {
          // Keep reading (and dropping) so the client gets the answer, not a reset.
          over = true
          chunks.length = 0
          if (total > drainBytes) return Effect.fail(tooLarge(`larger than ${drainBytes} bytes`))
          return Effect.void
        }
        chunks.push(chunk)
        return Effect.void
      })
    )
    yield* over
      ? read.pipe(
          Effect.timeoutOrElse({ duration: drainMs, orElse: () => Effect.void }),
          Effect.catchTag("InputError", (e) => (e.reason === "TooLarge" ? Effect.void : Effect.fail(e)))
        )
      : read
    if (over) closeAfterAnswer.add(request.source)
    if (over)
      return yield* Effect.fail(tooLarge(Number.isFinite(declared) ? `${declared} bytes` : `${total} bytes or more`))
    return Buffer.concat(chunks)
  })

/** A JSON body that must be an object; the messages show `example`. */
const jsonObject = (body: Buffer, example: string, shape: string) =>
  Effect.gen(function* () {
    const parsed = yield* Effect.try({
      try: () => JSON.parse(body.toString("utf8")) as unknown,
      catch: () => new InputError({ reason: "Invalid", message: `the JSON body is not valid JSON; send ${example}.` })
    })
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return yield* Effect.fail(
        new InputError({ reason: "Invalid", message: `the JSON body must be an object such as ${shape}.` })
      )
    }
    return parsed as Record<string, unknown>
  })

/** The parts of a multipart/form-data body. */
const formData = (request: HttpServerRequest.HttpServerRequest, body: Buffer) =>
  Effect.tryPromise({
    try: () => new Response(body, { headers: { "content-type": request.headers["content-type"]! } }).formData(),
    catch: () =>
      new InputError({
        reason: "Invalid",
        message: "the multipart/form-data body is malformed; let your HTTP library build it (with its boundary)."
      })
  })

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)

const fromRecord = (record: Record<string, unknown>): Fields => {
  const out: { appkey?: string; imageurl?: string; imagebase64?: string } = {}
  const appkey = text(record.appkey)
  const imageurl = text(record.imageurl)
  const imagebase64 = text(record.imagebase64)
  if (appkey !== undefined) out.appkey = appkey
  if (imageurl !== undefined) out.imageurl = imageurl
  if (imagebase64 !== undefined) out.imagebase64 = imagebase64
  return out
}

/** The body's fields; `maxBytes` bounds the body (base64 and multipart overhead included). */
export const readFields = (request: HttpServerRequest.HttpServerRequest, maxBytes: number) =>
  Effect.gen(function* () {
    const type = mediaType(request.headers["content-type"])
    const hasBody = request.headers["content-length"] !== undefined && request.headers["content-length"] !== "0"
    const chunked = request.headers["transfer-encoding"] !== undefined
    if (type === "" && !hasBody && !chunked) return {} as Fields
    if (type === "application/x-www-form-urlencoded") {
      const body = yield* readBody(request, maxBytes)
      return fromRecord(Object.fromEntries(new URLSearchParams(body.toString("utf8"))))
    }
    if (type === "application/json" || type.endsWith("+json")) {
      const body = yield* readBody(request, maxBytes)
      if (body.length === 0) return {} as Fields
      return fromRecord(yield* jsonObject(body, '{"imageurl": "..."} or {"imagebase64": "..."}', '{"imageurl": "..."}'))
    }
    if (type === "multipart/form-data") {
      const body = yield* readBody(request, maxBytes)
      const form = yield* formData(request, body)
      const record: Record<string, unknown> = {}
      for (const key of ["appkey", "imageurl", "imagebase64"]) {
        const value = form.get(key)
        if (typeof value === "string") record[key] = value
      }
      const fields = fromRecord(record)
      const part = form.get("file") ?? form.get("image")
      if (part !== null && typeof part !== "string") {
        const bytes = new Uint8Array(yield* Effect.promise(() => part.arrayBuffer()))
        return { ...fields, file: { bytes, name: part.name } }
      }
      return fields
    }
    return yield* Effect.fail(
      new InputError({
        reason: "UnsupportedMediaType",
        message: `Content-Type ${type === "" ? "(none)" : type} is not accepted; send application/x-www-form-urlencoded, multipart/form-data or application/json.`
      })
    )
  })

/**
 * Bytes of a lenient base64 string: a `data:` URI prefix, the URL-safe
 * alphabet, white space and missing padding are accepted.
 */
export const decodeBase64 = (input: string): Effect.Effect<Uint8Array, InputError> => {
  let s = input.trim()
  const comma = s.indexOf(",")
  if (s.startsWith("data:") && comma > 0) s = s.slice(comma + 1)
  s = s.replace(/\s+/g, "").replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "")
  if (s.length === 0)
    return Effect.fail(
      new InputError({ reason: "Invalid", message: "imagebase64 is empty; send the base64 of the image bytes." })
    )
  const bad = /[^A-Za-z0-9+/]/.exec(s)
  if (bad !== null) {
    return Effect.fail(
      new InputError({
        reason: "Invalid",
        message: `imagebase64 is not valid base64: character ${JSON.stringify(bad[0])} at position ${bad.index}. URL-encode the field (e.g. --data-urlencode) so '+' is not turned into a space.`
      })
    )
  }
  if (s.length % 4 === 1)
    return Effect.fail(
      new InputError({
        reason: "Invalid",
        message: "imagebase64 is not valid base64: its length is impossible (truncated?)."
      })
    )
  return Effect.succeed(new Uint8Array(Buffer.from(s, "base64")))
}

/** The body of POST /jobs: image files, image URLs, an optional webhook. */
export interface JobFields {
  readonly appkey?: string
  readonly imageurls: ReadonlyArray<string>
  readonly files: ReadonlyArray<{ readonly bytes: Uint8Array; readonly name: string }>
  readonly webhook?: string
}

const urls = (value: unknown): Array<string> =>
  (Array.isArray(value) ? value : [value])
    .filter((v): v is string => typeof v === "string")
    .flatMap((v) => v.split(/\r?\n/))
    .map((v) => v.trim())
    .filter((v) => v !== "")

/** Read a POST /jobs body: multipart (`file` or `image` parts repeated, `imageurl` fields), form or JSON. */
export const readJobFields = (request: HttpServerRequest.HttpServerRequest, maxBytes: number) =>
  Effect.gen(function* () {
    const type = mediaType(request.headers["content-type"])
    const body = yield* readBody(request, maxBytes)
    const record = (r: Record<string, unknown>, files: JobFields["files"]): JobFields => {
      const appkey = text(r.appkey)
      const webhook = text(r.webhook)
      return {
        imageurls: urls(r.imageurl ?? r.imageurls),
        files,
        ...(appkey !== undefined ? { appkey } : {}),
        ...(webhook !== undefined ? { webhook } : {})
      }
    }
    if (type === "application/x-www-form-urlencoded") {
      const params = new URLSearchParams(body.toString("utf8"))
      return record(
        { appkey: params.get("appkey"), webhook: params.get("webhook"), imageurl: params.getAll("imageurl") },
        []
      )
    }
    if (type === "application/json" || type.endsWith("+json")) {
      return record(
        yield* jsonObject(body, '{"imageurl": ["https://...", "https://..."]}', '{"imageurl": ["..."]}'),
        []
      )
    }
    if (type === "multipart/form-data") {
      const form = yield* formData(request, body)
      const files: Array<{ bytes: Uint8Array; name: string }> = []
      for (const part of [...form.getAll("file"), ...form.getAll("image")]) {
        if (typeof part === "string") continue
        files.push({ bytes: new Uint8Array(yield* Effect.promise(() => part.arrayBuffer())), name: part.name })
      }
      return record(
        { appkey: form.get("appkey"), webhook: form.get("webhook"), imageurl: form.getAll("imageurl") },
        files
      )
    }
    return yield* Effect.fail(
      new InputError({
        reason: "UnsupportedMediaType",
        message: `Content-Type ${type === "" ? "(none)" : type} is not accepted; send multipart/form-data, application/x-www-form-urlencoded or application/json.`
      })
    )
  })
