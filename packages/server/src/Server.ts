/**
 * The ocr2word HTTP service assembled: the `Api` handlers, `/openapi.json`,
 * the self-contained docs UI at `/docs`, the envelope for every unknown path
 * (404), wrong method (405 with `Allow`) and unexpected failure (500, never a
 * stack trace), `Retry-After` on 429, request metrics, and the Node server
 * over HTTP or HTTPS (TLS 1.2+1.3 by default, down to 1.0 when configured,
 * Apple-ATS cipher suites).
 *
 * `Server.layer(config)` gives the running `HttpServer` (its `address` says
 * the bound port); `Server.services(config)` the storage, keys, limits and
 * queue it runs on, for embedding or tests.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as http from "node:http"
import * as https from "node:https"
import * as path from "node:path"
import { NodeHttpServer } from "@effect/platform-node"
import { Engines } from "@ocr2word/engines"
import { Api, ApiError, Envelope } from "@ocr2word/http-api"
import { Console, Context, Effect, Layer } from "effect"
import { HttpEffect, HttpRouter, HttpServer, type HttpServerRequest, HttpServerResponse, UrlParams } from "effect/http"
import { HttpApiBuilder, HttpApiScalar } from "effect/http-api"
import { NetAddress } from "effect/net"
import * as DocumentStore from "./DocumentStore.ts"
import * as Handlers from "./Handlers.ts"
import * as ImageFetcher from "./ImageFetcher.ts"
import { badKeyBurst, badKeyRate } from "./internal/convert.ts"
import { closeAfterAnswer } from "./internal/image-input.ts"
import * as JobQueue from "./JobQueue.ts"
import * as KeyStore from "./KeyStore.ts"
import * as Metrics from "./Metrics.ts"
import * as OcrQueue from "./OcrQueue.ts"
import * as PostgresKeyStore from "./PostgresKeyStore.ts"
import * as RateLimiter from "./RateLimiter.ts"
import * as RedisRateLimiter from "./RedisRateLimiter.ts"
import * as S3DocumentStore from "./S3DocumentStore.ts"
import { docxOptions, type ServerConfig, Settings } from "./ServerConfig.ts"

/** Paths the server answers, with their methods, for 405 and metric labels. */
const routes: ReadonlyArray<{ readonly pattern: RegExp; readonly label: string; readonly methods: string }> = [
  { pattern: /^\/imagerecognition\/ocr2word\/?$/, label: Api.ConvertPath, methods: "POST" },
  { pattern: /^\/imagerecognition\/ocr2word\/demo\/?$/, label: Api.DemoPath, methods: "GET, HEAD, POST" },
  { pattern: /^\/preview\/ocr2word\/?$/, label: Api.PreviewPath, methods: "GET, HEAD" },
  { pattern: /^\/preview\/ocr2word\/recognize\/?$/, label: `${Api.PreviewPath}/recognize`, methods: "POST" },
  { pattern: /^\/files\/[^/]*$/, label: "/files/:file", methods: "GET, HEAD" },
  { pattern: /^\/jobs\/?$/, label: "/jobs", methods: "POST" },
  { pattern: /^\/jobs\/[^/]+$/, label: "/jobs/:id", methods: "GET, HEAD" },
  { pattern: /^\/(healthz|readyz|metrics|openapi\.json|docs)$/, label: "", methods: "GET, HEAD" },
  { pattern: /^\/$/, label: "/", methods: "GET, HEAD" }
]

const routeOf = (url: string) => {
  const p = url.split("?")[0]!
  const route = routes.find((r) => r.pattern.test(p))
  return { path: p, route, label: route === undefined ? "unmatched" : route.label === "" ? p : route.label }
}

/** Routes whose refusals are counted by envelope code. */
const failureRoutes = new Set([Api.ConvertPath, Api.DemoPath, `${Api.PreviewPath}/recognize`, "/jobs", "/jobs/:id"])

/** The envelope's StatusCode of an HTTP status, as ApiError assigns them. */
const envelopeCode = (status: number) =>
  status === 401 ? 104 : status === 403 ? 103 : status === 429 ? 102 : status >= 500 ? 110 : 101

const envelopeResponse = (status: number, error: ApiError.ApiError, headers: Record<string, string> = {}) =>
  HttpServerResponse.jsonUnsafe({ DataStatus: error.DataStatus, Data: null }, { status, headers })

/**
 * Global middleware: a pre-response handler that gives every bodiless error
 * (unknown path, wrong method, defects, schema errors) the envelope, adds
 * `Allow` to 405 and `Retry-After` to 429, sets the JSON charset and records
 * request metrics. It sees the final response of every request, handlers'
 * failures included.
 */
const ResponseMiddleware = () =>
  HttpRouter.middleware(
    Effect.gen(function* () {
      const settings = yield* Settings
      const metrics = yield* Metrics.Metrics
      const time = () => Envelope.formatDateTime(new Date(), settings.timeZone)
      const finish =
        (started: number) =>
        (request: HttpServerRequest.HttpServerRequest, original: HttpServerResponse.HttpServerResponse) =>
          Effect.sync(() => {
            let response = original
            const { path: p, route, label } = routeOf(request.url)
            if (response.status >= 400 && response.body._tag === "Empty") {
              if (response.status === 404 && route !== undefined && !p.startsWith("/files/")) {
                response = envelopeResponse(
                  405,
                  ApiError.make(
                    ApiError.NotFound,
                    `${request.method} is not allowed on ${p}; use ${route.methods}.`,
                    time()
                  ),
                  {
                    allow: route.methods
                  }
                )
              } else if (response.status === 404) {
                response = envelopeResponse(
                  404,
                  ApiError.make(
                    ApiError.NotFound,
                    `no such path ${p}; the API is POST ${Api.ConvertPath}?appkey=YOUR_APPKEY (see /docs).`,
                    time()
                  )
                )
              } else {
                const kind = response.status >= 500 ? ApiError.InternalError : ApiError.InvalidParameter
                const text =
                  response.status === 413
                    ? "the request body is too large; send a smaller image."
                    : response.status >= 500
                      ? "the server failed while handling the request; retry later."
                      : "the request parameters are malformed; see /docs for the accepted fields."
                response = envelopeResponse(response.status, ApiError.make(kind, text, time()))
              }
            }
            if (closeAfterAnswer.has(request.source)) {
              response = HttpServerResponse.setHeader(response, "connection", "close")
            }
            // Handlers' 429s carry their own Retry-After (ApiError.RateLimited); any other 429 gets 1 s.
            if (response.status === 429 && response.headers["retry-after"] === undefined) {
              response = HttpServerResponse.setHeader(response, "retry-after", "1")
            }
            const type = response.headers["content-type"] ?? (response.body as { contentType?: string }).contentType
            if (type?.startsWith("application/json") && !type.includes("charset")) {
              response = HttpServerResponse.setHeader(response, "content-type", "application/json; charset=utf-8")
            }
            metrics.request(label, request.method, response.status, (performance.now() - started) / 1000)
            if (response.status >= 400 && failureRoutes.has(label))
              metrics.failure(label, envelopeCode(response.status))
            return response
          })
      return (httpEffect) =>
        Effect.flatMap(HttpEffect.appendPreResponseHandler(finish(performance.now())), () => httpEffect)
    }),
    { global: true }
  )

const RootRedirect = HttpRouter.add("GET", "/", HttpServerResponse.redirect(Api.PreviewPath, { status: 302 }))

/** Routes of the API, its OpenAPI document and docs UI (fresh layers for every server). */
export const routesLayer = () =>
  Layer.mergeAll(
    HttpApiBuilder.layer(Api.Api, { openapiPath: "/openapi.json" }).pipe(Layer.provide(Handlers.layer())),
    HttpApiScalar.layer(Api.Api, { path: "/docs" }),
    RootRedirect,
    ResponseMiddleware(),
    // Browsers may call the API from other origins (the original's jQuery example does).
    HttpRouter.cors({
      allowedMethods: ["GET", "HEAD", "POST"],
      exposedHeaders: ["Retry-After", "ETag", "Content-Disposition"]
    })
  )

/** The key store of a configuration: PostgreSQL when a database URL is set, else sqlite in the data folder. */
export const keyStoreLayer = (config: Pick<ServerConfig, "databaseUrl" | "dataDir">) =>
  config.databaseUrl !== undefined
    ? PostgresKeyStore.layer(config.databaseUrl)
    : KeyStore.layerSqlite(path.join(config.dataDir, "keys.sqlite"))

/** The document store of a configuration: S3 when a bucket is set, else the data folder. */
export const documentStoreLayer = (config: ServerConfig) =>
  config.s3Bucket !== undefined
    ? S3DocumentStore.layer({
        bucket: config.s3Bucket,
        region: config.s3Region,
        prefix: config.s3Prefix,
        forcePathStyle: config.s3ForcePathStyle,
        presignSeconds: config.s3PresignSeconds,
        ...(config.s3Endpoint !== undefined ? { endpoint: config.s3Endpoint } : {}),
        ...(config.s3AccessKeyId !== undefined ? { accessKeyId: config.s3AccessKeyId } : {}),
        ...(config.s3SecretAccessKey !== undefined ? { secretAccessKey: config.s3SecretAccessKey } : {})
      })
    : DocumentStore.layerLocal(config.dataDir)

/** The rate limiter of a configuration: Redis when a Redis URL is set, else in memory. */
export const rateLimiterLayer = (config: ServerConfig) => {
  const rates = { api: config.rateLimit, demo: config.demoRateLimit, badkey: badKeyRate }
  const bursts = { badkey: badKeyBurst }
  return config.redisUrl !== undefined
    ? RedisRateLimiter.layer(config.redisUrl, rates, bursts)
    : RateLimiter.layerMemory(rates, bursts)
}

/**
 * The services the handlers run on, from a configuration: embedded state
 * (sqlite, memory, folder) unless Redis, PostgreSQL or S3 are configured.
 */
export const services = (config: ServerConfig, options: { readonly queue?: Layer.Layer<OcrQueue.OcrQueue> } = {}) =>
  Layer.mergeAll(
    Layer.succeed(Settings, config),
    documentStoreLayer(config),
    keyStoreLayer(config),
    rateLimiterLayer(config),
    ImageFetcher.layer({
      maxBytes: config.maxImageBytes,
      timeoutMs: config.fetchTimeoutMs,
      connectTimeoutMs: config.fetchConnectTimeoutMs,
      maxRedirects: config.fetchMaxRedirects,
      allowOrigins: config.fetchAllow
    }),
    Layer.effect(Metrics.Metrics, Metrics.make),
    config.redisUrl !== undefined
      ? JobQueue.layerRedis({ url: config.redisUrl, timeZone: config.timeZone, maxWaiting: config.jobQueueSize })
      : JobQueue.layerDisabled,
    options.queue ??
      (config.convertViaQueue && config.redisUrl !== undefined
        ? JobQueue.layerOcrQueue({ url: config.redisUrl, queueSize: config.queueSize })
        : config.engine === "remote"
          ? remoteQueue(config)
          : OcrQueue.layerWorkers({
              workers: config.workers,
              queueSize: config.queueSize,
              engine: config.engine,
              docxMode: config.docxMode,
              docxBackground: config.docxBackground,
              memoryMb: config.workerMemoryMb
            }))
  )

/**
 * Engine `remote` forwards each conversion to another contract-compatible
 * service. It runs on the main thread: the work is waiting on the network,
 * and one shared client keeps the documented request rate (5 per second) for
 * the whole server. Its failures answer 502/110 (`RemoteError`).
 */
const remoteQueue = (config: ServerConfig): Layer.Layer<OcrQueue.OcrQueue> =>
  OcrQueue.layerInline({ concurrency: config.workers, queueSize: config.queueSize }).pipe(
    Layer.provide(
      Engines.conversionLayer({
        pipeline: {
          engine: "remote",
          ...(config.remoteUrl !== undefined ? { remoteUrl: config.remoteUrl } : {}),
          ...(config.remoteAppkey !== undefined ? { appkey: config.remoteAppkey } : {})
        },
        format: "docx",
        docx: docxOptions(config)
      })
    ),
    // ServerConfig.decode checked the URL and key, so building cannot fail on them.
    Layer.orDie
  )

/** TLS 1.2 suites Apple ATS accepts (forward secrecy, AEAD); TLS 1.3 suites are all acceptable. */
export const atsCiphers = [
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-RSA-CHACHA20-POLY1305"
]
/** Forward-secret CBC suites, only offered when TLS 1.0/1.1 clients are allowed (they know no AEAD). */
const legacyCiphers = [
  "ECDHE-ECDSA-AES256-SHA",
  "ECDHE-ECDSA-AES128-SHA",
  "ECDHE-RSA-AES256-SHA",
  "ECDHE-RSA-AES128-SHA"
]

/**
 * Requests that arrive between `listen` and the router's handler being
 * attached (the API layers build after the socket is bound) would get no
 * `request` listener and hang: hold them, and hand them to the first real
 * handler. A balancer that probes a starting node then gets an answer.
 */
const holdEarlyRequests = <S extends http.Server>(server: S): S => {
  const early: Array<[http.IncomingMessage, http.ServerResponse]> = []
  const hold = (req: http.IncomingMessage, res: http.ServerResponse) => {
    early.push([req, res])
  }
  server.on("request", hold)
  server.on("newListener", (event, listener) => {
    if (event !== "request" || listener === hold) return
    server.off("request", hold)
    setImmediate(() => {
      for (const [req, res] of early.splice(0)) (listener as typeof hold)(req, res)
    })
  })
  return server
}

/**
 * Limits Node enforces before a request reaches the router: the size of the
 * request line and headers, the time for the headers to arrive (the first
 * bytes of a slow client), and the time for the whole request.
 */
export const connectionLimits = {
  maxHeaderSize: 16 * 1024,
  headersTimeout: 15_000,
  requestTimeout: 120_000,
  connectionsCheckingInterval: 2_000
} as const

/**
 * Requests Node refuses itself (headers too large, too slow, unparsable) get
 * the contract's envelope too, with a reason, then the connection is closed.
 */
const clientErrors =
  (config: ServerConfig) =>
  <S extends http.Server>(server: S): S => {
    server.on("clientError", (error: NodeJS.ErrnoException, socket: import("node:stream").Duplex) => {
      if (!socket.writable || (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
        socket.destroy()
        return
      }
      const [status, text] =
        error.code === "HPE_HEADER_OVERFLOW"
          ? [
              431,
              `the request line and headers are larger than ${connectionLimits.maxHeaderSize} bytes; send shorter headers (put the image in the body).`
            ]
          : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
            ? [
                408,
                `the request did not arrive completely within ${connectionLimits.requestTimeout / 1000} s (headers within ${connectionLimits.headersTimeout / 1000} s); send it faster or send a smaller image.`
              ]
            : [400, `the request is not valid HTTP/1.1 (${error.code ?? "parse error"}); use an HTTP client library.`]
      const body = JSON.stringify({
        DataStatus: ApiError.make(ApiError.InvalidParameter, text, Envelope.formatDateTime(new Date(), config.timeZone))
          .DataStatus,
        Data: null
      })
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
      )
    })
    return server
  }

/** The Node server: HTTPS when a certificate and key are configured, HTTP otherwise. */
export const nodeServer = (config: ServerConfig) => {
  const guard = clientErrors(config)
  if (config.tlsCert === undefined || config.tlsKey === undefined)
    return () => guard(holdEarlyRequests(http.createServer({ ...connectionLimits })))
  const legacy = config.tlsMinVersion === "TLSv1" || config.tlsMinVersion === "TLSv1.1"
  const options: https.ServerOptions = {
    cert: fs.readFileSync(config.tlsCert),
    key: fs.readFileSync(config.tlsKey),
    minVersion: config.tlsMinVersion,
    maxVersion: "TLSv1.3",
    // OpenSSL 3 refuses TLS < 1.2 at the default security level.
    ciphers: [...atsCiphers, ...(legacy ? legacyCiphers : [])].join(":") + (legacy ? ":@SECLEVEL=0" : ""),
    honorCipherOrder: true,
    ...connectionLimits
  }
  return () => guard(holdEarlyRequests(https.createServer(options) as unknown as http.Server))
}

/** The running server. */
export const layer = (
  config: ServerConfig,
  options: { readonly queue?: Layer.Layer<OcrQueue.OcrQueue>; readonly logRequests?: boolean } = {}
) =>
  HttpRouter.serve(routesLayer(), { disableLogger: options.logRequests !== true, disableListenLog: true }).pipe(
    Layer.provideMerge(NodeHttpServer.layer(nodeServer(config), { port: config.port, host: config.host })),
    Layer.provideMerge(services(config, options)),
    // Keys travel in the query string: spans, errors and inspected URLs show them as <redacted>.
    Layer.provide(Layer.succeed(UrlParams.CurrentRedactedNames, [...redactedDefaults, "appkey"]))
  )

const redactedDefaults = UrlParams.CurrentRedactedNames.defaultValue()

/** `http(s)://host:port` of a running server, for messages. */
export const addressUrl = (config: ServerConfig) =>
  Effect.gen(function* () {
    const server = yield* HttpServer.HttpServer
    const a = server.address
    const scheme = config.tlsCert !== undefined ? "https" : "http"
    if (a._tag === "UnixPathAddress") return `${scheme}://localhost`
    const ip = NetAddress.formatIp(a.address)
    const host = ip === "0.0.0.0" || ip === "::" ? "localhost" : a._tag === "InetAddressV6" ? `[${ip}]` : ip
    return `${scheme}://${host}:${a.port}`
  })

/** The sample image bundled with the server (used by the demo and the start-up curl line). */
export const samplePath = new URL("../assets/demo-sample.png", import.meta.url).pathname

/**
 * What `ocr2word serve` prints once listening: the URLs, and on a fresh data
 * folder a development key (created now; only its hash is stored) with a
 * ready-to-run curl line.
 */
export const banner = (config: ServerConfig, url: string, devKey: string | undefined) => {
  const lines = [
    `ocr2word listening on ${url}`,
    `  API:     POST ${url}${Api.ConvertPath}?appkey=YOUR_APPKEY`,
    `  preview: ${url}${Api.PreviewPath}`,
    `  docs:    ${url}/docs   (OpenAPI: ${url}/openapi.json)`,
    `  data:    ${path.resolve(config.dataDir)}`
  ]
  if (devKey !== undefined) {
    lines.push(
      "",
      `Development key (created now; stored hashed, shown only once): ${devKey}`,
      "Try it:",
      `  curl --location --request POST '${url}${Api.ConvertPath}?appkey=${devKey}' \\`,
      `    --header 'Content-Type: application/x-www-form-urlencoded' \\`,
      `    --data-urlencode "imagebase64=$(base64 -w0 '${samplePath}')"`
    )
  } else {
    lines.push("", "Keys: `ocr2word keys list`; a new one: `ocr2word keys create --name NAME`.")
  }
  return lines.join("\n")
}

/** Run the server until interrupted, printing the banner (and a development key on a fresh data folder). */
export const main = (config: ServerConfig) =>
  Effect.gen(function* () {
    const context = yield* Layer.build(layer(config, { logRequests: true }))
    const keys = Context.get(context, KeyStore.KeyStore)
    const existing = yield* keys.list
    const devKey = existing.length === 0 ? (yield* keys.create({ name: "development" })).key : undefined
    const url = yield* addressUrl(config).pipe(Effect.provideContext(context))
    yield* Console.log(banner(config, url, devKey))
    return yield* Effect.never
  }).pipe(Effect.scoped)
