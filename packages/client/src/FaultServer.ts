/**
 * A scriptable stand-in for an ocr2word service on a loopback port, for
 * testing clients without the internet: each conversion request gets the next
 * scripted reply (status, headers, body, delay, or a dropped connection), Word
 * files are served from a map, and every request is recorded with its arrival
 * time. The client's own tests use it for 429 + Retry-After, 5xx, slow
 * answers, malformed JSON and each custom code; the remote backend's tests
 * use it as the "commercial service".
 *
 * @since 0.1.0
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { DocumentWriter } from "@ocr2word/core"
import { Effect, type Scope } from "effect"

/** One scripted answer. */
export interface Reply {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array
  /** Wait this long before answering (a slow service). */
  readonly delayMillis?: number
  /** Close the connection without answering (a crashed service). */
  readonly drop?: boolean
}

/** A request as the server saw it. */
export interface RecordedRequest {
  readonly method: string
  /** Path and query string. */
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: Uint8Array
  /** `Date.now()` when the request arrived. */
  readonly at: number
}

/** A running fault server: its URL, the requests it received and how to stop it. */
export interface FaultServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** Every request so far, conversions and downloads. */
  readonly requests: ReadonlyArray<RecordedRequest>
  /** Append replies to the conversion script. */
  readonly script: (...replies: ReadonlyArray<Reply>) => void
  /** Serve `bytes` at `path` (e.g. `/files/a.docx`) with the Word MIME type. */
  readonly serveFile: (path: string, bytes: Uint8Array) => void
}

/** The contract's envelope as JSON text. */
export const envelope = (statusCode: number, description: string, data: Record<string, string> | null = null): string =>
  JSON.stringify({
    DataStatus: {
      StatusCode: statusCode,
      StatusDescription: description,
      ResponseDateTime: "2026-11-24 14:03:22",
      DataTotalCount: data === null ? 0 : 1
    },
    Data: data
  })

/** A JSON reply. */
export const json = (status: number, body: string, headers: Readonly<Record<string, string>> = {}): Reply => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8", ...headers },
  body
})

/** A success reply pointing at `wordUrl`. */
export const success = (wordUrl: string, sourceImageUrl?: string): Reply =>
  json(
    200,
    envelope(100, "正常返回", {
      ...(sourceImageUrl !== undefined ? { SourceImageUrl: sourceImageUrl } : {}),
      ResultWordFileUrl: wordUrl
    })
  )

const DOCX_TYPE = DocumentWriter.DocxMediaType

/**
 * Start a fault server on 127.0.0.1; it stops when the scope closes. When the
 * script is empty, conversions answer `fallback` (default: 500 with code 110).
 * Paths other than `files` and `conversionPath` answer 404.
 */
export const start = (
  options: { readonly fallback?: Reply; readonly conversionPath?: string } = {}
): Effect.Effect<FaultServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<{ server: Http.Server; state: FaultServer }>((resume) => {
      const requests: Array<RecordedRequest> = []
      const queue: Array<Reply> = []
      const files = new Map<string, Uint8Array>()
      const conversionPath = options.conversionPath ?? "/imagerecognition/ocr2word"
      const fallback = options.fallback ?? json(500, envelope(110, "接口响应错误: scripted failure"))
      const answer = (res: Http.ServerResponse, reply: Reply) => {
        const send = () => {
          if (reply.drop === true) {
            res.socket?.destroy()
            return
          }
          res.writeHead(reply.status, reply.headers ?? {})
          res.end(reply.body ?? "")
        }
        if (reply.delayMillis !== undefined) {
          const timer = setTimeout(send, reply.delayMillis)
          res.on("close", () => clearTimeout(timer))
        } else send()
      }
      const server = Http.createServer((req, res) => {
        const at = Date.now()
        const chunks: Array<Buffer> = []
        req.on("data", (c: Buffer) => chunks.push(c))
        req.on("end", () => {
          const url = req.url ?? "/"
          requests.push({
            method: req.method ?? "GET",
            url,
            headers: req.headers,
            body: new Uint8Array(Buffer.concat(chunks)),
            at
          })
          const path = url.split("?")[0]!
          const file = files.get(path)
          if (file !== undefined && (req.method === "GET" || req.method === "HEAD")) {
            answer(res, {
              status: 200,
              headers: { "content-type": DOCX_TYPE, "content-length": String(file.length) },
              body: file
            })
          } else if (path === conversionPath && req.method === "POST") {
            answer(res, queue.shift() ?? fallback)
          } else {
            answer(res, json(404, envelope(101, "参数错误: no such path")))
          }
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        const url = `http://127.0.0.1:${port}`
        resume(
          Effect.succeed({
            server,
            state: {
              url,
              requests,
              script: (...replies) => {
                queue.push(...replies)
              },
              serveFile: (path, bytes) => {
                files.set(path, bytes)
              }
            }
          })
        )
      })
    }),
    ({ server }) =>
      Effect.callback<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ state }) => state))
