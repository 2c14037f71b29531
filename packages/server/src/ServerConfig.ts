/**
 * Configuration of the HTTP service, decoded with Schema from CLI flags and
 * environment variables (`OCR2WORD_*`), with every default in one place.
 * Use `ServerConfig.decode(input)` at a boundary, `fromEnv(process.env)` to
 * read the environment; a bad value fails with
 * `Expected <what> for <name> but received <value>`.
 *
 * | env                              | flag                 | default          |
 * | -------------------------------- | -------------------- | ---------------- |
 * | OCR2WORD_PORT                    | --port               | 8080             |
 * | OCR2WORD_HOST                    | --host               | 0.0.0.0          |
 * | OCR2WORD_DATA_DIR                | --data-dir           | ./data           |
 * | OCR2WORD_PUBLIC_URL              | --public-url         | from Host header |
 * | OCR2WORD_TIME_ZONE               | --time-zone          | Asia/Shanghai    |
 * | OCR2WORD_RATE_LIMIT              | --rate-limit         | 5 (req/s per IP) |
 * | OCR2WORD_TRUSTED_PROXIES         | --trusted-proxies    | (none)           |
 * | OCR2WORD_WORKERS                 | --workers            | 2                |
 * | OCR2WORD_QUEUE_SIZE              | --queue-size         | 8                |
 * | OCR2WORD_TIMEOUT_MS              | --timeout-ms         | 120000           |
 * | OCR2WORD_MAX_IMAGE_BYTES         | --max-image-bytes    | 20971520         |
 * | OCR2WORD_TLS_CERT / _KEY         | --tls-cert/--tls-key | (HTTP)           |
 * | OCR2WORD_TLS_MIN_VERSION         | --tls-min-version    | TLSv1.2          |
 * | OCR2WORD_FETCH_ALLOW             | --fetch-allow        | (none)           |
 * | OCR2WORD_DOCX_MODE               | --docx-mode          | flow             |
 * | OCR2WORD_DOCX_BACKGROUND         | --docx-background    | false            |
 * | OCR2WORD_REDIS_URL               | --redis-url          | (memory limits)  |
 * | OCR2WORD_DATABASE_URL            | --database-url       | (sqlite keys)    |
 * | OCR2WORD_S3_BUCKET (+ _ENDPOINT, | --s3-bucket, ...     | (folder files)   |
 * |   _REGION, _ACCESS_KEY_ID,       |                      |                  |
 * |   _SECRET_ACCESS_KEY, _PREFIX,   |                      |                  |
 * |   _FORCE_PATH_STYLE, _PRESIGN)   |                      |                  |
 * | OCR2WORD_CONVERT_VIA_QUEUE       | --convert-via-queue  | false (threads)  |
 * | OCR2WORD_JOB_QUEUE_SIZE          | --job-queue-size     | 1000 images      |
 *
 * @since 0.1.0
 */
import { Context, Effect, Redacted, Schema } from "effect"

const Port = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 65535 }))
const Positive = Schema.Int.check(Schema.isGreaterThan(0))
const NonNegative = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

/** TLS protocol versions Node accepts. */
export const TlsVersion = Schema.Literals(["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"])
export type TlsVersion = typeof TlsVersion.Type

/** How the Word file is laid out: editable reading order (`flow`) or lines at their page positions (`exact`). */
export const DocxMode = Schema.Literals(["flow", "exact"])
export type DocxMode = typeof DocxMode.Type

export const ServerConfig = Schema.Struct({
  port: Port,
  host: Schema.String,
  /** Folder of the embedded storage: Word files and the key database. */
  dataDir: Schema.String,
  /** Base of ResultWordFileUrl (e.g. https://ocr.example.org); default: scheme + Host of each request. */
  publicUrl: Schema.optionalKey(Schema.String),
  /** IANA time zone of ResponseDateTime. */
  timeZone: Schema.String,
  /** Requests per second per client IP on the keyed endpoint (burst the same). */
  rateLimit: Positive,
  /** Requests per second per client IP on the demo and preview endpoints. */
  demoRateLimit: Positive,
  /** Peer addresses whose X-Forwarded-For is believed. */
  trustedProxies: Schema.Array(Schema.String),
  /** OCR worker threads. */
  workers: Positive,
  /** Conversions that may wait for a worker; beyond that 429/102. */
  queueSize: NonNegative,
  /** Per-request time limit of a conversion (queue wait included). */
  timeoutMs: Positive,
  maxImageBytes: Positive,
  demoMaxImageBytes: Positive,
  /** imageurl fetching: total time, connect time, redirects. */
  fetchTimeoutMs: Positive,
  fetchConnectTimeoutMs: Positive,
  fetchMaxRedirects: NonNegative,
  /** Origins (`http://127.0.0.1:8081`) exempt from the private-address check; for tests. */
  fetchAllow: Schema.Array(Schema.String),
  tlsCert: Schema.optionalKey(Schema.String),
  tlsKey: Schema.optionalKey(Schema.String),
  tlsMinVersion: TlsVersion,
  /** OCR engine name given to @ocr2word/engines. */
  engine: Schema.String,
  /** For engine `remote`: base URL of the contract-compatible service conversions are forwarded to. */
  remoteUrl: Schema.optionalKey(Schema.String),
  /** For engine `remote`: that service's key (kept Redacted; a plain string is wrapped). */
  remoteAppkey: Schema.optionalKey(Schema.Redacted(Schema.String)),
  /** Word output mode given to the .docx writer (engine `remote` serves the service's own file as is). */
  docxMode: DocxMode,
  /** With docxMode `exact`: the page image behind the text (ignored in `flow`). */
  docxBackground: Schema.Boolean,
  /** Redis shared by every node: rate limits (and the job queue); default: in memory. */
  redisUrl: Schema.optionalKey(Schema.String),
  /** PostgreSQL shared by every node: the keys; default: sqlite in dataDir. */
  databaseUrl: Schema.optionalKey(Schema.String),
  /** S3-compatible bucket shared by every node: the Word files; default: dataDir/files. */
  s3Bucket: Schema.optionalKey(Schema.String),
  s3Endpoint: Schema.optionalKey(Schema.String),
  s3Region: Schema.String,
  s3AccessKeyId: Schema.optionalKey(Schema.String),
  s3SecretAccessKey: Schema.optionalKey(Schema.Redacted(Schema.String)),
  s3Prefix: Schema.String,
  s3ForcePathStyle: Schema.Boolean,
  /** Seconds a presigned download URL is valid; 0 serves files through /files/. */
  s3PresignSeconds: NonNegative,
  /** Synchronous conversions go to the shared Redis queue (`ocr2word worker` processes) instead of local threads. */
  convertViaQueue: Schema.Boolean,
  /** Images of batch jobs that may wait in the shared queue; beyond that POST /jobs is 429/102. */
  jobQueueSize: Positive
})
export type ServerConfig = typeof ServerConfig.Type

export const defaults: ServerConfig = {
  port: 8080,
  host: "0.0.0.0",
  dataDir: "./data",
  timeZone: "Asia/Shanghai",
  rateLimit: 5,
  demoRateLimit: 1,
  trustedProxies: [],
  workers: 2,
  queueSize: 8,
  timeoutMs: 120_000,
  maxImageBytes: 20 * 1024 * 1024,
  demoMaxImageBytes: 2 * 1024 * 1024,
  fetchTimeoutMs: 15_000,
  fetchConnectTimeoutMs: 5_000,
  fetchMaxRedirects: 3,
  fetchAllow: [],
  tlsMinVersion: "TLSv1.2",
  engine: "paddle",
  docxMode: "flow",
  docxBackground: false,
  s3Region: "us-east-1",
  s3Prefix: "",
  s3ForcePathStyle: false,
  s3PresignSeconds: 0,
  convertViaQueue: false,
  jobQueueSize: 1000
}

/** A configuration error in the house format. */
export class ConfigError extends Schema.TaggedError<ConfigError>()("ConfigError", {
  reason: Schema.Literals(["Invalid"]),
  message: Schema.String
}) {}

const expected: Readonly<Record<keyof ServerConfig, string>> = {
  port: "an integer between 0 and 65535",
  host: "a host name or address",
  dataDir: "a folder path",
  publicUrl: "an absolute http(s) URL",
  timeZone: "an IANA time zone such as Asia/Shanghai",
  rateLimit: "a positive integer",
  demoRateLimit: "a positive integer",
  trustedProxies: "a list of IP addresses",
  workers: "a positive integer",
  queueSize: "a non-negative integer",
  timeoutMs: "a positive integer (milliseconds)",
  maxImageBytes: "a positive integer (bytes)",
  demoMaxImageBytes: "a positive integer (bytes)",
  fetchTimeoutMs: "a positive integer (milliseconds)",
  fetchConnectTimeoutMs: "a positive integer (milliseconds)",
  fetchMaxRedirects: "a non-negative integer",
  fetchAllow: "a list of origins such as http://127.0.0.1:8081",
  tlsCert: "a PEM certificate file",
  tlsKey: "a PEM key file",
  tlsMinVersion: "one of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3",
  engine: "an engine name",
  remoteUrl: "an absolute http(s) URL",
  remoteAppkey: "a non-empty key",
  docxMode: 'one of "flow", "exact"',
  docxBackground: "a boolean (true or false)",
  redisUrl: "a redis:// or rediss:// URL",
  databaseUrl: "a postgres:// or postgresql:// URL",
  s3Bucket: "an S3 bucket name",
  s3Endpoint: "an absolute http(s) URL",
  s3Region: "an S3 region such as us-east-1",
  s3AccessKeyId: "an access key id",
  s3SecretAccessKey: "a secret access key",
  s3Prefix: "a key prefix such as ocr2word/",
  s3ForcePathStyle: "a boolean (true or false)",
  s3PresignSeconds: "a non-negative integer (seconds)",
  convertViaQueue: "a boolean (true or false)",
  jobQueueSize: "a positive integer (images)"
}

const fail = (name: keyof ServerConfig, value: unknown) =>
  Effect.fail(
    new ConfigError({
      reason: "Invalid",
      message: `Expected ${expected[name]} for ${name} but received ${JSON.stringify(value)}`
    })
  )

/** Decode a partial configuration over the defaults. */
export const decode = Effect.fn("ServerConfig.decode")(function* (input: Record<string, unknown>) {
  const merged: Record<string, unknown> = { ...defaults }
  for (const [key, value] of Object.entries(input)) if (value !== undefined) merged[key] = value
  // Wrapped before any check, so no message can ever print the key.
  if (typeof merged.remoteAppkey === "string")
    merged.remoteAppkey = Redacted.make(merged.remoteAppkey, { label: "remoteAppkey" })
  if (typeof merged.s3SecretAccessKey === "string")
    merged.s3SecretAccessKey = Redacted.make(merged.s3SecretAccessKey, { label: "s3SecretAccessKey" })
  for (const key of Object.keys(merged)) {
    if (!(key in expected)) {
      return yield* Effect.fail(
        new ConfigError({
          reason: "Invalid",
          message: `Unknown option ${key}; known: ${Object.keys(expected).join(", ")}`
        })
      )
    }
  }
  for (const key of Object.keys(expected) as Array<keyof ServerConfig>) {
    const field = ServerConfig.fields[key]
    if (merged[key] === undefined) continue
    const ok = Schema.is(field as Schema.Codec<unknown>)(merged[key])
    if (!ok) return yield* fail(key, merged[key])
  }
  const config = merged as ServerConfig
  try {
    new Intl.DateTimeFormat("en", { timeZone: config.timeZone })
  } catch {
    return yield* fail("timeZone", config.timeZone)
  }
  if (config.publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(config.publicUrl))
    return yield* fail("publicUrl", config.publicUrl)
  if (config.remoteUrl !== undefined && !/^https?:\/\/[^/]+/.test(config.remoteUrl))
    return yield* fail("remoteUrl", config.remoteUrl)
  if (config.remoteAppkey !== undefined && Redacted.value(config.remoteAppkey).length === 0) {
    return yield* Effect.fail(
      new ConfigError({
        reason: "Invalid",
        message: "Expected a non-empty key for remoteAppkey but received an empty one"
      })
    )
  }
  if (config.engine === "remote" && config.remoteUrl === undefined) {
    return yield* Effect.fail(
      new ConfigError({
        reason: "Invalid",
        message:
          "Expected remoteUrl (--remote-url or OCR2WORD_REMOTE_URL) with engine remote but received none; give the base URL of the service to forward to"
      })
    )
  }
  if (config.redisUrl !== undefined && !/^rediss?:\/\/[^/]+/.test(config.redisUrl))
    return yield* fail("redisUrl", redacted(config.redisUrl))
  if (config.databaseUrl !== undefined && !/^postgres(ql)?:\/\/[^/]+/.test(config.databaseUrl))
    return yield* fail("databaseUrl", redacted(config.databaseUrl))
  if (config.s3Endpoint !== undefined && !/^https?:\/\/[^/]+/.test(config.s3Endpoint))
    return yield* fail("s3Endpoint", config.s3Endpoint)
  if (config.s3Bucket === undefined && (config.s3Endpoint !== undefined || config.s3PresignSeconds > 0)) {
    return yield* Effect.fail(
      new ConfigError({
        reason: "Invalid",
        message:
          "Expected s3Bucket (--s3-bucket or OCR2WORD_S3_BUCKET) with the other S3 settings but received none; name the bucket to store the Word files in"
      })
    )
  }
  if (config.convertViaQueue && config.redisUrl === undefined) {
    return yield* Effect.fail(
      new ConfigError({
        reason: "Invalid",
        message:
          "Expected redisUrl (--redis-url or OCR2WORD_REDIS_URL) with convertViaQueue but received none; the shared queue lives in Redis"
      })
    )
  }
  for (const origin of config.fetchAllow)
    if (!/^https?:\/\/[^/]+$/.test(origin)) return yield* fail("fetchAllow", config.fetchAllow)
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    return yield* Effect.fail(
      new ConfigError({
        reason: "Invalid",
        message: "Expected both tlsCert and tlsKey (or neither) but received only one"
      })
    )
  }
  return config
})

/** A URL with its password masked, for messages. */
const redacted = (url: string) => url.replace(/\/\/([^:/@]*):[^@/]*@/, "//$1:***@")

const int = (value: string | undefined) =>
  value === undefined || value === "" ? undefined : /^-?\d+$/.test(value) ? Number(value) : value
const list = (value: string | undefined) =>
  value === undefined || value === ""
    ? undefined
    : value
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
const bool = (value: string | undefined) =>
  value === undefined || value === ""
    ? undefined
    : /^(true|1)$/i.test(value)
      ? true
      : /^(false|0)$/i.test(value)
        ? false
        : value
const str = (value: string | undefined) => (value === undefined || value === "" ? undefined : value)

/** The options set in the environment (`OCR2WORD_*`); pass the result to `decode`. */
export const fromEnv = (env: Record<string, string | undefined>): Record<string, unknown> => ({
  port: int(env.OCR2WORD_PORT ?? env.PORT),
  host: str(env.OCR2WORD_HOST),
  dataDir: str(env.OCR2WORD_DATA_DIR),
  publicUrl: str(env.OCR2WORD_PUBLIC_URL),
  timeZone: str(env.OCR2WORD_TIME_ZONE),
  rateLimit: int(env.OCR2WORD_RATE_LIMIT),
  demoRateLimit: int(env.OCR2WORD_DEMO_RATE_LIMIT),
  trustedProxies: list(env.OCR2WORD_TRUSTED_PROXIES),
  workers: int(env.OCR2WORD_WORKERS),
  queueSize: int(env.OCR2WORD_QUEUE_SIZE),
  timeoutMs: int(env.OCR2WORD_TIMEOUT_MS),
  maxImageBytes: int(env.OCR2WORD_MAX_IMAGE_BYTES),
  fetchAllow: list(env.OCR2WORD_FETCH_ALLOW),
  tlsCert: str(env.OCR2WORD_TLS_CERT),
  tlsKey: str(env.OCR2WORD_TLS_KEY),
  tlsMinVersion: str(env.OCR2WORD_TLS_MIN_VERSION),
  engine: str(env.OCR2WORD_ENGINE),
  remoteUrl: str(env.OCR2WORD_REMOTE_URL),
  remoteAppkey: str(env.OCR2WORD_REMOTE_APPKEY),
  docxMode: str(env.OCR2WORD_DOCX_MODE),
  docxBackground: bool(env.OCR2WORD_DOCX_BACKGROUND),
  redisUrl: str(env.OCR2WORD_REDIS_URL),
  databaseUrl: str(env.OCR2WORD_DATABASE_URL),
  s3Bucket: str(env.OCR2WORD_S3_BUCKET),
  s3Endpoint: str(env.OCR2WORD_S3_ENDPOINT),
  s3Region: str(env.OCR2WORD_S3_REGION),
  s3AccessKeyId: str(env.OCR2WORD_S3_ACCESS_KEY_ID),
  s3SecretAccessKey: str(env.OCR2WORD_S3_SECRET_ACCESS_KEY),
  s3Prefix: str(env.OCR2WORD_S3_PREFIX),
  s3ForcePathStyle: bool(env.OCR2WORD_S3_FORCE_PATH_STYLE),
  s3PresignSeconds: int(env.OCR2WORD_S3_PRESIGN_SECONDS),
  convertViaQueue: bool(env.OCR2WORD_CONVERT_VIA_QUEUE),
  jobQueueSize: int(env.OCR2WORD_JOB_QUEUE_SIZE)
})

/** The .docx writer options of a configuration, for `Engines.writerLayer("docx", ...)`. */
export const docxOptions = (config: Pick<ServerConfig, "docxMode" | "docxBackground">) => ({
  mode: config.docxMode,
  backgroundImage: config.docxMode === "exact" && config.docxBackground
})

/** Whether the layout stage must keep the page image (exact mode with the image behind the text). */
export const keepPageImage = (config: Pick<ServerConfig, "docxMode" | "docxBackground">) =>
  config.docxMode === "exact" && config.docxBackground

/** The decoded configuration, as a service for the handlers. */
export class Settings extends Context.Service<Settings, ServerConfig>()("@ocr2word/server/Settings") {}
