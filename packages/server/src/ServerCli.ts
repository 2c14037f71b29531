/**
 * The `serve` and `keys` subcommands of the `ocr2word` command line:
 * `ocr2word serve --port 8080 --data-dir ./data` runs the service (flags win
 * over `OCR2WORD_*` environment variables, which win over the defaults; a
 * flag is named after its configuration key and its text read with that
 * key's type, so `--port eighty` and `OCR2WORD_PORT=eighty` are refused with
 * the same `Expected <what> for port but received "eighty"`), and
 * `ocr2word keys create|list|revoke|suspend|resume|usage` manages the keys in
 * the data folder's key database.
 *
 * @since 0.1.0
 */
import { OptionDecoding } from "@ocr2word/core"
import { Console, Effect, Layer, Option, Predicate } from "effect"
import { Argument, CliError, Command, Flag } from "effect/cli"
import * as ConversionWorker from "./ConversionWorker.ts"
import * as StartupErrors from "./internal/startup-errors.ts"
import * as KeyStore from "./KeyStore.ts"
import * as Server from "./Server.ts"
import * as ServerConfig from "./ServerConfig.ts"

const opt = <A>(key: string, value: Option.Option<A>) => (Option.isSome(value) ? { [key]: value.value } : {})
const described = <A>(flag: Flag.Flag<A>, text: string) => flag.pipe(Flag.withDescription(text), Flag.optional)

/** A wrong flag or environment variable is printed as its one-sentence house message, not as a stack. */
const refuseConfig =
  (command: string) =>
  <A, R>(self: Effect.Effect<A, ServerConfig.ConfigError, R>) =>
    Effect.mapError(self, (e) => new CliError.UserError({ cause: e, userMessage: `ocr2word ${command}: ${e.message}` }))

/**
 * A storage failure at start-up (read-only or full data folder, damaged key
 * database) is printed as its one-sentence message, not as a stack: the
 * message names the folder or file and what to do.
 */
const startupError = (command: string) => {
  const report = (e: { readonly message: string }) =>
    Effect.fail(new CliError.UserError({ cause: e, userMessage: `ocr2word ${command}: ${e.message}` }))
  return Effect.catchTags({ StoreError: report, KeyStoreError: report })
}

/**
 * So are a port that is taken or not allowed, an address not on this
 * machine, and a TLS certificate or key that cannot be read or used.
 */
const networkError =
  (command: string, tls: StartupErrors.TlsFiles = {}) =>
  <A, E, R>(self: Effect.Effect<A, E, R>) => {
    const fail = (cause: unknown, message: string) =>
      Effect.fail(new CliError.UserError({ cause, userMessage: `ocr2word ${command}: ${message}` }))
    const listen = (e: unknown) =>
      Predicate.isTagged(e, "ServeError") && "cause" in e ? StartupErrors.listenFailure(e.cause) : undefined
    return self.pipe(
      Effect.catchIf(
        (e) => listen(e) !== undefined,
        (e) => fail(e, listen(e)!)
      ),
      Effect.catchDefect((defect) => {
        const message = StartupErrors.tlsFailure(defect, tls)
        return message === undefined ? Effect.die(defect) : fail(defect, message)
      })
    )
  }

/** Flags of the shared state (several nodes); secrets only from the environment. */
export const sharedStateFlags = {
  redisUrl: described(
    Flag.String("redis-url"),
    "Redis shared by every node: rate limits and the job queue (env OCR2WORD_REDIS_URL; default in memory)"
  ),
  databaseUrl: described(
    Flag.String("database-url"),
    "PostgreSQL shared by every node: the keys (env OCR2WORD_DATABASE_URL; default sqlite in --data-dir)"
  ),
  s3Bucket: described(
    Flag.String("s3-bucket"),
    "S3-compatible bucket for the Word files (env OCR2WORD_S3_BUCKET; credentials from OCR2WORD_S3_ACCESS_KEY_ID / OCR2WORD_S3_SECRET_ACCESS_KEY)"
  ),
  s3Endpoint: described(
    Flag.String("s3-endpoint"),
    "S3 endpoint URL for self-hosted storage (env OCR2WORD_S3_ENDPOINT)"
  ),
  s3Region: described(Flag.String("s3-region"), "S3 region (env OCR2WORD_S3_REGION, default us-east-1)"),
  s3Prefix: described(Flag.String("s3-prefix"), "Key prefix inside the bucket (env OCR2WORD_S3_PREFIX)"),
  s3ForcePathStyle: described(
    Flag.Boolean("s3-force-path-style"),
    "Path-style S3 URLs, as most self-hosted servers need (env OCR2WORD_S3_FORCE_PATH_STYLE)"
  ),
  s3PresignSeconds: described(
    Flag.Int("s3-presign-seconds"),
    "Redirect /files/ downloads to presigned URLs valid this long (env OCR2WORD_S3_PRESIGN_SECONDS, default 0: served by the node)"
  ),
  convertViaQueue: described(
    Flag.Boolean("convert-via-queue"),
    "Synchronous conversions go to the shared Redis queue served by `ocr2word worker` processes (env OCR2WORD_CONVERT_VIA_QUEUE)"
  ),
  jobQueueSize: described(
    Flag.String("job-queue-size"),
    "Images of batch jobs that may wait before POST /jobs answers 429 (env OCR2WORD_JOB_QUEUE_SIZE, default 1000)"
  )
}

/**
 * The configuration a command's flags set: every flag named after a
 * configuration key (`--data-dir` is `dataDir`), its text read with that
 * key's type, so a wrong value is refused by `ServerConfig.decode` in the
 * house format like a wrong environment variable.
 */
const configFlags = (flags: Readonly<Record<string, unknown>>) => {
  const texts: Record<string, string> = {}
  for (const [key, value] of Object.entries(flags)) {
    if (Option.isOption(value) && Option.isSome(value) && ["string", "boolean"].includes(typeof value.value))
      texts[key] = String(value.value)
  }
  return OptionDecoding.read(ServerConfig.ServerConfig, OptionDecoding.flags(texts))
}

/** `ocr2word serve`. */
export const serve = Command.make(
  "serve",
  {
    port: described(Flag.String("port"), "Port to listen on (env OCR2WORD_PORT, default 8080; 0 picks a free one)"),
    host: described(Flag.String("host"), "Address to bind (env OCR2WORD_HOST, default 0.0.0.0)"),
    dataDir: described(
      Flag.String("data-dir"),
      "Folder of the Word files and the key database (env OCR2WORD_DATA_DIR, default ./data)"
    ),
    publicUrl: described(
      Flag.String("public-url"),
      "Base of ResultWordFileUrl, e.g. https://ocr.example.org (default: from the request's Host)"
    ),
    rateLimit: described(
      Flag.String("rate-limit"),
      "Requests per second per client IP (env OCR2WORD_RATE_LIMIT, default 5)"
    ),
    trustedProxies: described(
      Flag.String("trusted-proxies"),
      "Comma-separated proxy addresses whose X-Forwarded-For is believed"
    ),
    workers: described(Flag.String("workers"), "OCR worker threads (env OCR2WORD_WORKERS, default 2)"),
    queueSize: described(
      Flag.String("queue-size"),
      "Conversions that may wait before 429 (env OCR2WORD_QUEUE_SIZE, default 8)"
    ),
    timeoutMs: described(Flag.String("timeout-ms"), "Time limit of one conversion (default 120000)"),
    workerMemoryMb: described(
      Flag.String("worker-memory-mb"),
      "JS heap limit of each OCR worker thread; a conversion past it is 500/110 and the thread replaced (env OCR2WORD_WORKER_MEMORY_MB, default 512)"
    ),
    tlsCert: described(Flag.String("tls-cert"), "PEM certificate: serve HTTPS"),
    tlsKey: described(Flag.String("tls-key"), "PEM private key of --tls-cert"),
    tlsMinVersion: described(Flag.String("tls-min-version"), "Oldest TLS version (default TLSv1.2)"),
    engine: described(Flag.String("engine"), "OCR engine (default paddle; remote forwards to --remote-url)"),
    remoteUrl: described(
      Flag.String("remote-url"),
      "With --engine remote: base URL of the service to forward to (env OCR2WORD_REMOTE_URL)"
    ),
    appkey: described(Flag.Redacted("appkey"), "With --engine remote: that service's key (env OCR2WORD_REMOTE_APPKEY)"),
    docxMode: described(
      Flag.String("docx-mode"),
      "Word layout: flow (editable, reading order) or exact (lines at their page positions) (env OCR2WORD_DOCX_MODE, default flow)"
    ),
    docxBackground: described(
      Flag.Boolean("docx-background"),
      "With --docx-mode exact, put the page image behind the text (env OCR2WORD_DOCX_BACKGROUND, default false)"
    ),
    ...sharedStateFlags
  },
  Effect.fn("Cli.serve")(function* (flags) {
    const input = {
      ...ServerConfig.fromEnv(process.env),
      ...configFlags(flags),
      ...opt("remoteAppkey", flags.appkey)
    }
    const config = yield* ServerConfig.decode(input).pipe(refuseConfig("serve"))
    yield* Server.main(config).pipe(startupError("serve cannot start"), networkError("serve cannot start", config))
  })
).pipe(Command.withDescription("Run the contract-compatible HTTP service (POST /imagerecognition/ocr2word)."))

/** `ocr2word worker`. */
export const worker = Command.make(
  "worker",
  {
    concurrency: Flag.Int("concurrency").pipe(
      Flag.withDescription("Images converted at once, one OCR thread each (default 1; one per core)"),
      Flag.withDefault(1)
    ),
    metricsPort: described(Flag.Int("metrics-port"), "Serve this worker's /metrics on this port"),
    host: described(Flag.String("host"), "Address of the metrics port (env OCR2WORD_HOST, default 0.0.0.0)"),
    dataDir: described(
      Flag.String("data-dir"),
      "Folder of the Word files when no S3 bucket is set (env OCR2WORD_DATA_DIR, default ./data)"
    ),
    engine: described(Flag.String("engine"), "OCR engine (default paddle)"),
    timeoutMs: described(Flag.String("timeout-ms"), "Time limit of one conversion (default 120000)"),
    workerMemoryMb: described(
      Flag.String("worker-memory-mb"),
      "JS heap limit of each OCR thread (env OCR2WORD_WORKER_MEMORY_MB, default 512)"
    ),
    docxMode: described(Flag.String("docx-mode"), "Word layout: flow or exact (env OCR2WORD_DOCX_MODE, default flow)"),
    docxBackground: described(
      Flag.Boolean("docx-background"),
      "With --docx-mode exact, the page image behind the text"
    ),
    ...sharedStateFlags
  },
  Effect.fn("Cli.worker")(function* (flags) {
    const config = yield* ServerConfig.decode({ ...ServerConfig.fromEnv(process.env), ...configFlags(flags) }).pipe(
      refuseConfig("worker")
    )
    if (config.redisUrl === undefined) {
      return yield* Effect.fail(
        new ServerConfig.ConfigError({
          reason: "Invalid",
          message:
            "Expected the Redis the job queue lives in (--redis-url or OCR2WORD_REDIS_URL) with ocr2word worker for redisUrl but received nothing"
        })
      ).pipe(refuseConfig("worker"))
    }
    yield* ConversionWorker.main(config, {
      concurrency: flags.concurrency,
      ...(Option.isSome(flags.metricsPort) ? { metricsPort: flags.metricsPort.value } : {})
    }).pipe(startupError("worker cannot start"), networkError("worker cannot start"))
  })
).pipe(
  Command.withDescription(
    "Convert images from the shared Redis queue (POST /jobs, and the synchronous endpoint with --convert-via-queue)."
  )
)

const dataDir = Flag.String("data-dir").pipe(
  Flag.withDescription("Data folder holding keys.sqlite (env OCR2WORD_DATA_DIR, default ./data)"),
  Flag.optional
)

const databaseUrl = Flag.String("database-url").pipe(
  Flag.withDescription(
    "PostgreSQL key database shared by the nodes (env OCR2WORD_DATABASE_URL; default the sqlite file)"
  ),
  Flag.optional
)

const withKeys = <A, E>(
  flags: { readonly dataDir: Option.Option<string>; readonly databaseUrl: Option.Option<string> },
  f: (keys: KeyStore.KeyStore["Service"]) => Effect.Effect<A, E>
) =>
  Effect.flatMap(KeyStore.KeyStore, f).pipe(
    Effect.provide(
      Layer.unwrap(
        Effect.map(
          // Only the key store's settings: a wrong one is refused like any flag or variable.
          ServerConfig.decode(
            (({ dataDir, databaseUrl }) => ({ dataDir, databaseUrl }))({
              ...ServerConfig.fromEnv(process.env),
              ...configFlags(flags)
            })
          ).pipe(refuseConfig("keys")),
          (config) =>
            Server.keyStoreLayer({
              dataDir: config.dataDir,
              ...(config.databaseUrl !== undefined ? { databaseUrl: config.databaseUrl } : {})
            })
        )
      )
    ),
    startupError("keys")
  )

const show = (info: KeyStore.KeyInfo) =>
  [
    info.id.padEnd(14),
    (info.revoked
      ? "revoked"
      : info.suspended
        ? "suspended"
        : info.expiresAt !== null && info.expiresAt <= new Date().toISOString()
          ? "expired"
          : "active"
    ).padEnd(10),
    `${info.calls}${info.quota !== null ? `/${info.quota}` : ""} calls`.padEnd(16),
    `expires ${info.expiresAt ?? "never"}`.padEnd(34),
    info.name
  ].join(" ")

const idArgument = Argument.String("id").pipe(Argument.withDescription("Key id (the first column of `keys list`)"))

const create = Command.make(
  "create",
  {
    dataDir,
    databaseUrl,
    name: Flag.String("name").pipe(Flag.withDescription("Who or what the key is for"), Flag.withDefault("key")),
    expires: described(Flag.String("expires"), "ISO date after which the key is refused (403/103)"),
    quota: described(Flag.Int("quota"), "Calls allowed in total (then 403/103)")
  },
  (flags) =>
    withKeys(flags, (keys) =>
      Effect.gen(function* () {
        const { key, info } = yield* keys.create({
          name: flags.name,
          ...opt("expiresAt", flags.expires),
          ...opt("quota", flags.quota)
        })
        yield* Console.log(`${key}\n${show(info)}\nThe key is shown only now; only its hash is stored.`)
      })
    )
).pipe(Command.withDescription("Create a key and print it (once)."))

const list = Command.make("list", { dataDir, databaseUrl }, (flags) =>
  withKeys(flags, (keys) =>
    Effect.flatMap(keys.list, (all) =>
      Console.log(all.length === 0 ? "No keys yet: `ocr2word keys create --name NAME`." : all.map(show).join("\n"))
    )
  )
).pipe(Command.withDescription("List the keys (never the keys themselves)."))

const usage = Command.make("usage", { dataDir, databaseUrl, id: idArgument }, (flags) =>
  withKeys(flags, (keys) =>
    Effect.flatMap(keys.get(flags.id), (info) =>
      Console.log(
        `${show(info)}\ncreated ${info.createdAt}, last used ${info.lastUsedAt ?? "never"}, ${info.calls} calls${info.quota !== null ? ` of ${info.quota}` : ""}`
      )
    )
  )
).pipe(Command.withDescription("Show one key's call count, quota and dates."))

const revoke = Command.make("revoke", { dataDir, databaseUrl, id: idArgument }, (flags) =>
  withKeys(flags, (keys) => Effect.flatMap(keys.revoke(flags.id), (info) => Console.log(show(info))))
).pipe(Command.withDescription("Refuse a key from now on, for good."))

const suspend = Command.make("suspend", { dataDir, databaseUrl, id: idArgument }, (flags) =>
  withKeys(flags, (keys) => Effect.flatMap(keys.suspend(flags.id, true), (info) => Console.log(show(info))))
).pipe(Command.withDescription("Refuse a key until it is resumed."))

const resume = Command.make("resume", { dataDir, databaseUrl, id: idArgument }, (flags) =>
  withKeys(flags, (keys) => Effect.flatMap(keys.suspend(flags.id, false), (info) => Console.log(show(info))))
).pipe(Command.withDescription("Accept a suspended key again."))

/** `ocr2word keys ...`. */
export const keys = Command.make("keys").pipe(
  Command.withDescription("Manage API keys in the data folder's key database."),
  Command.withSubcommands([create, list, usage, revoke, suspend, resume])
)
