/**
 * Configuration of the HTTP service: one Schema whose keys say what they
 * take, decoded by core's `OptionDecoding` from CLI flags and environment
 * variables (`OCR2WORD_*`, read with the keys' own types by
 * `OptionDecoding.read`), with every default in one place. Use
 * `ServerConfig.decode(input)` at a boundary, `fromEnv(process.env)` to read
 * the environment; a bad value, or a setting missing beside the ones that
 * need it, fails with `Expected <what> for <name> but received <value>`.
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
 * | OCR2WORD_WORKER_MEMORY_MB        | --worker-memory-mb   | 512 (heap, MB)   |
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
 * Every key has its variable, `OCR2WORD_` and the key in capitals
 * (`fetchTimeoutMs` is `OCR2WORD_FETCH_TIMEOUT_MS`, `demoRateLimit`
 * `OCR2WORD_DEMO_RATE_LIMIT`), and a flag named after it where the command
 * has one.
 *
 * @since 0.1.0
 */
import { DocumentWriter, OptionDecoding } from "@ocr2word/core"
import { Context, Effect, Redacted, Schema } from "effect"
import { defaultWorkerMemoryMb } from "./OcrQueue.ts"

const Port = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 65535 }))
const Positive = Schema.Int.check(Schema.isGreaterThan(0))
const NonNegative = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
const urlOf = (pattern: RegExp) => Schema.String.check(Schema.isPattern(pattern))
const HttpUrl = urlOf(/^https?:\/\/[^/]+/)
const Secret = Schema.Redacted(Schema.String)

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** TLS protocol versions Node accepts. */
export const TlsVersion = Schema.Literals(["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"])
export type TlsVersion = typeof TlsVersion.Type

/** How the Word file is laid out: editable reading order (`flow`) or lines at their page positions (`exact`). */
export const DocxMode = DocumentWriter.DocxMode
export type DocxMode = DocumentWriter.DocxMode

/** Which key a check over several keys points at, and what it expects there. */
const requires = (holds: (config: { readonly [key: string]: unknown }) => boolean, key: string, expected: string) =>
  Schema.makeFilter<{ readonly [key: string]: unknown }>((config) =>
    holds(config) ? undefined : { path: [key], issue: expected }
  )

/** Every setting of the server, decoded from flags, `OCR2WORD_*` variables and the defaults with one Schema. */
export const ServerConfig = Schema.Struct({
  port: Port.annotateKey({ expected: "an integer between 0 and 65535" }),
  host: Schema.String.annotateKey({ expected: "a host name or address" }),
  /** Folder of the embedded storage: Word files and the key database. */
  dataDir: Schema.String.annotateKey({ expected: "a folder path" }),
  /** Base of ResultWordFileUrl (e.g. https://ocr.example.org); default: scheme + Host of each request. */
  publicUrl: OptionDecoding.optional(HttpUrl, "an absolute http(s) URL"),
  /** IANA time zone of ResponseDateTime. */
  timeZone: Schema.String.check(Schema.makeFilter(isTimeZone)).annotateKey({
    expected: "an IANA time zone such as Asia/Shanghai"
  }),
  /** Requests per second per client IP on the keyed endpoint (burst the same). */
  rateLimit: Positive.annotateKey({ expected: "a positive integer" }),
  /** Requests per second per client IP on the demo and preview endpoints. */
  demoRateLimit: Positive.annotateKey({ expected: "a positive integer" }),
  /** Peer addresses whose X-Forwarded-For is believed. */
  trustedProxies: Schema.Array(Schema.String).annotateKey({ expected: "a list of IP addresses" }),
  /** OCR worker threads. */
  workers: Positive.annotateKey({ expected: "a positive integer" }),
  /** Conversions that may wait for a worker; beyond that 429/102. */
  queueSize: NonNegative.annotateKey({ expected: "a non-negative integer" }),
  /** Per-request time limit of a conversion (queue wait included). */
  timeoutMs: Positive.annotateKey({ expected: "a positive integer (milliseconds)" }),
  /** JS heap limit of each OCR worker thread; a conversion past it is 500/110 and its thread is replaced. */
  workerMemoryMb: Positive.annotateKey({ expected: "a positive integer (megabytes)" }),
  maxImageBytes: Positive.annotateKey({ expected: "a positive integer (bytes)" }),
  demoMaxImageBytes: Positive.annotateKey({ expected: "a positive integer (bytes)" }),
  /** imageurl fetching: total time, connect time, redirects. */
  fetchTimeoutMs: Positive.annotateKey({ expected: "a positive integer (milliseconds)" }),
  fetchConnectTimeoutMs: Positive.annotateKey({ expected: "a positive integer (milliseconds)" }),
  fetchMaxRedirects: NonNegative.annotateKey({ expected: "a non-negative integer" }),
  /** Origins (`http://127.0.0.1:8081`) exempt from the private-address check; for tests. */
  fetchAllow: Schema.Array(urlOf(/^https?:\/\/[^/]+$/)).annotateKey({
    expected: "a list of origins such as http://127.0.0.1:8081"
  }),
  tlsCert: OptionDecoding.optional(Schema.String, "a PEM certificate file"),
  tlsKey: OptionDecoding.optional(Schema.String, "a PEM key file"),
  tlsMinVersion: TlsVersion.annotateKey({ expected: "one of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3" }),
  /** OCR engine name given to @ocr2word/engines. */
  engine: Schema.String.annotateKey({ expected: "an engine name" }),
  /** For engine `remote`: base URL of the contract-compatible service conversions are forwarded to. */
  remoteUrl: OptionDecoding.optional(HttpUrl, "an absolute http(s) URL"),
  /** For engine `remote`: that service's key (kept Redacted; a plain string is wrapped). */
  remoteAppkey: OptionDecoding.optional(Schema.Redacted(Schema.NonEmptyString), "a non-empty key"),
  /** Word output mode given to the .docx writer (engine `remote` serves the service's own file as is). */
  docxMode: DocxMode.annotateKey({ expected: OptionDecoding.oneOf(DocxMode.literals) }),
  /** With docxMode `exact`: the page image behind the text (ignored in `flow`). */
  docxBackground: Schema.Boolean.annotateKey({ expected: "a boolean (true or false)" }),
  /** Redis shared by every node: rate limits (and the job queue); default: in memory. */
  redisUrl: OptionDecoding.optional(urlOf(/^rediss?:\/\/[^/]+/), "a redis:// or rediss:// URL"),
  /** PostgreSQL shared by every node: the keys; default: sqlite in dataDir. */
  databaseUrl: OptionDecoding.optional(urlOf(/^postgres(ql)?:\/\/[^/]+/), "a postgres:// or postgresql:// URL"),
  /** S3-compatible bucket shared by every node: the Word files; default: dataDir/files. */
  s3Bucket: OptionDecoding.optional(Schema.String, "an S3 bucket name"),
  s3Endpoint: OptionDecoding.optional(HttpUrl, "an absolute http(s) URL"),
  s3Region: Schema.String.annotateKey({ expected: "an S3 region such as us-east-1" }),
  s3AccessKeyId: OptionDecoding.optional(Schema.String, "an access key id"),
  s3SecretAccessKey: OptionDecoding.optional(Secret, "a secret access key"),
  s3Prefix: Schema.String.annotateKey({ expected: "a key prefix such as ocr2word/" }),
  s3ForcePathStyle: Schema.Boolean.annotateKey({ expected: "a boolean (true or false)" }),
  /** Seconds a presigned download URL is valid; 0 serves files through /files/. */
  s3PresignSeconds: NonNegative.annotateKey({ expected: "a non-negative integer (seconds)" }),
  /** Synchronous conversions go to the shared Redis queue (`ocr2word worker` processes) instead of local threads. */
  convertViaQueue: Schema.Boolean.annotateKey({ expected: "a boolean (true or false)" }),
  /** Images of batch jobs that may wait in the shared queue; beyond that POST /jobs is 429/102. */
  jobQueueSize: Positive.annotateKey({ expected: "a positive integer (images)" })
}).check(
  requires(
    (c) => c.engine !== "remote" || c.remoteUrl !== undefined,
    "remoteUrl",
    "the base URL of the service to forward to (--remote-url or OCR2WORD_REMOTE_URL) with engine remote"
  ),
  requires(
    (c) => c.s3Bucket !== undefined || (c.s3Endpoint === undefined && c.s3PresignSeconds === 0),
    "s3Bucket",
    "the bucket to store the Word files in (--s3-bucket or OCR2WORD_S3_BUCKET) with the other S3 settings"
  ),
  requires(
    (c) => c.convertViaQueue !== true || c.redisUrl !== undefined,
    "redisUrl",
    "the Redis the shared queue lives in (--redis-url or OCR2WORD_REDIS_URL) with convertViaQueue"
  ),
  requires((c) => c.tlsCert === undefined || c.tlsKey !== undefined, "tlsKey", "the PEM key file of tlsCert"),
  requires((c) => c.tlsKey === undefined || c.tlsCert !== undefined, "tlsCert", "the PEM certificate of tlsKey")
)
export type ServerConfig = typeof ServerConfig.Type

/** The settings of a server started with no flags and no environment. */
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
  workerMemoryMb: defaultWorkerMemoryMb,
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

/** Decode a partial configuration (flags over environment, see `fromEnv`) over the defaults. */
export const decode = Effect.fn("ServerConfig.decode")(function* (input: Record<string, unknown>) {
  const merged: Record<string, unknown> = { ...defaults }
  for (const [key, value] of Object.entries(input)) if (value !== undefined) merged[key] = value
  // Wrapped before any check, so no message can ever print a key.
  for (const key of ["remoteAppkey", "s3SecretAccessKey"])
    if (typeof merged[key] === "string") merged[key] = Redacted.make(merged[key], { label: key })
  return yield* OptionDecoding.decode(
    ServerConfig,
    merged,
    ({ message }) => new ConfigError({ reason: "Invalid", message })
  )
})

/**
 * The options set in the environment: key `dataDir` is `OCR2WORD_DATA_DIR`
 * (and `port` also `PORT`), numbers, booleans and comma-separated lists read
 * as such; pass the result, under the flags, to `decode`.
 */
export const fromEnv = (env: Record<string, string | undefined>): Record<string, unknown> => ({
  ...OptionDecoding.read(
    ServerConfig,
    OptionDecoding.env({ ...env, OCR2WORD_PORT: env.OCR2WORD_PORT ?? env.PORT }, "OCR2WORD_")
  )
})

/** The .docx writer options of a configuration, for `Engines.writerLayer("docx", ...)`. */
export const docxOptions = (config: Pick<ServerConfig, "docxMode" | "docxBackground">) => ({
  mode: config.docxMode,
  backgroundImage: config.docxMode === "exact" && config.docxBackground
})

/** The decoded configuration, as a service for the handlers. */
export class Settings extends Context.Service<Settings, ServerConfig>()("@ocr2word/server/Settings") {}
