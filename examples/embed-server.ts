/**
 * The ocr2word HTTP service inside your own Effect HTTP app: the contract's endpoints
 * (`POST /imagerecognition/ocr2word`, `/files/...`, `/healthz`, `/docs`...) and a route of your
 * own, `POST /my/text` (the image bytes as the body, the recognised text back), served by one
 * Node HTTP server. Your route converts on the same worker threads and checks the same API keys
 * as the contract's endpoint: `Server.services` gives them (storage, keys, limits, queue) as
 * layers, `Server.routesLayer` the contract's routes, and you add yours beside them.
 *
 *   npx node examples/embed-server.ts 8080 ./data
 *   curl --data-binary @scan.png -H 'content-type: image/png' 'http://127.0.0.1:8080/my/text?appkey=KEY'
 */
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Document } from "@ocr2word/core"
import { KeyStore, OcrQueue, Server, ServerConfig } from "@ocr2word/server"
import { ByteSize, Console, Context, Effect, Layer } from "effect"
import { HttpIncomingMessage, HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"

const [port = "8080", dataDir = "./data"] = process.argv.slice(2)

// Your route: the body is the image, at most the server's maxImageBytes (a larger one gets the
// contract's 413 envelope); the appkey, in the query string, is checked and counted like the
// contract's (a failed conversion gives the call back).
const TextRoute = HttpRouter.add(
  "POST",
  "/my/text",
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const keys = yield* KeyStore.KeyStore
    const queue = yield* OcrQueue.OcrQueue
    const settings = yield* ServerConfig.Settings
    const appkey = new URL(request.url, "http://localhost").searchParams.get("appkey") ?? undefined
    const key = yield* keys.authorize(appkey)
    const body = yield* request.arrayBuffer.pipe(
      Effect.provideService(HttpIncomingMessage.MaxBodySize, ByteSize.bytes(settings.maxImageBytes)),
      Effect.tapError(() => keys.refund(key.id))
    )
    const result = yield* queue
      .submit(new Uint8Array(body), { source: "my/text", timeoutMs: settings.timeoutMs })
      .pipe(Effect.tapError(() => keys.refund(key.id)))
    return HttpServerResponse.text(`${Document.toPlainText(result.document)}\n`)
  }).pipe(
    Effect.catchTags({
      KeyRejected: (e) => Effect.succeed(HttpServerResponse.text(`${e.message}\n`, { status: 401 })),
      OcrError: (e) =>
        Effect.succeed(
          HttpServerResponse.text(`${e.message}\n`, {
            status: e.reason === "BadImage" ? 400 : e.reason === "QueueFull" ? 429 : 500
          })
        )
    })
  )
)

const program = Effect.gen(function* () {
  // OCR2WORD_* variables set the rest (ServerConfig's table); this app listens on 127.0.0.1 unless OCR2WORD_HOST says otherwise.
  const config = yield* ServerConfig.decode({
    host: "127.0.0.1",
    ...ServerConfig.fromEnv(process.env),
    port: Number(port),
    dataDir
  })
  const App = HttpRouter.serve(Layer.mergeAll(Server.routesLayer(), TextRoute), {
    // The default logger prints each request's URL, appkey included.
    disableLogger: true,
    disableListenLog: true
  }).pipe(
    Layer.provideMerge(NodeHttpServer.layer(Server.nodeServer(config), { port: config.port, host: config.host })),
    Layer.provideMerge(Server.services(config))
  )
  const context = yield* Layer.build(App)
  const url = yield* Server.addressUrl(config).pipe(Effect.provideContext(context))
  const keys = Context.get(context, KeyStore.KeyStore)
  const devKey = (yield* keys.list).length === 0 ? (yield* keys.create({ name: "development" })).key : undefined
  yield* Console.log(`listening on ${url} (your route: POST ${url}/my/text)`)
  if (devKey !== undefined) yield* Console.log(`Development key (shown only once): ${devKey}`)
  return yield* Effect.never
}).pipe(Effect.scoped)

NodeRuntime.runMain(program)
