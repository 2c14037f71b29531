import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { FaultServer } from "@ocr2word/client"
import { Document as CoreDocument, DocumentWriter, Pipeline } from "@ocr2word/core"
import { Document, Packer, Paragraph, TextRun } from "docx"
import { Context, Effect, Layer, Option } from "effect"
import { RemoteDocx, RemotePipeline } from "../src/index.ts"

const KEY = "remote-test-key-42"
const IMAGE_PATH = new URL("../../../datasets/real-dev/images/cnocr_helloworld.jpg", import.meta.url)
const image = new Uint8Array(readFileSync(IMAGE_PATH))

/** What the "commercial service" returns: a Word file with a heading-less paragraph and a line break. */
const serviceDocx = Effect.promise(
  async () =>
    new Uint8Array(
      await Packer.toBuffer(
        new Document({
          sections: [
            {
              children: [
                new Paragraph({ children: [new TextRun("你好世界"), new TextRun({ text: "Hello world", break: 1 })] }),
                new Paragraph("第二段 second")
              ]
            }
          ]
        })
      )
    )
)

/** The remote backend against `server`, built into the test's scope. */
const remoteFor = (server: FaultServer.FaultServer, options: Partial<RemotePipeline.RemoteOptions> = {}) =>
  Effect.gen(function* () {
    const layer = RemotePipeline.layer({
      baseUrl: server.url,
      appkey: KEY,
      baseDelay: 10,
      maxDelay: 50,
      retries: 2,
      qps: 0,
      ...options
    })
    const context = yield* Layer.build(Layer.merge(layer, RemoteDocx.passThrough(fallbackWriter)))
    return {
      pipeline: Context.get(context, Pipeline.Pipeline),
      remote: Context.get(context, RemoteDocx.RemoteDocx),
      writer: Context.get(context, DocumentWriter.DocumentWriter)
    }
  })

/** Stands in for the real docx writer: says which documents it was asked to write. */
const fallbackWriter = Layer.succeed(
  DocumentWriter.DocumentWriter,
  DocumentWriter.DocumentWriter.of({
    format: "docx",
    extension: "docx",
    mediaType: RemoteDocx.DOCX_MEDIA_TYPE,
    write: (document) => Effect.succeed(new TextEncoder().encode(`rewritten ${document.metadata.engine}`))
  })
)

const posts = (server: FaultServer.FaultServer) => server.requests.filter((r) => r.method === "POST")

describe("RemotePipeline", () => {
  it.live("sends the image, reads the returned Word file back into a Document, and passes the file through", () =>
    Effect.gen(function* () {
      const docx = yield* serviceDocx
      const server = yield* FaultServer.start()
      server.serveFile("/files/result.docx", docx)
      server.script(FaultServer.success(`${server.url}/files/result.docx`))
      const { pipeline, remote, writer } = yield* remoteFor(server)

      const document = yield* pipeline.run(image, { source: "scans/cnocr_helloworld.jpg" })
      expect(CoreDocument.toPlainText(document)).toBe("你好世界\nHello world\n\n第二段 second")
      expect(document.metadata).toMatchObject({ engine: "remote", source: "scans/cnocr_helloworld.jpg" })
      // The page has the image's size, read from its header.
      const sharp = (yield* Effect.promise(() => import("sharp"))).default
      const meta = yield* Effect.promise(() => sharp(image).metadata())
      expect(document.pages[0]).toMatchObject({ width: meta.width, height: meta.height })

      // The image went as base64 (the commercial API's documented field), the key in the query.
      const [request] = posts(server)
      expect(request!.url).toBe(`/imagerecognition/ocr2word?appkey=${KEY}`)
      const sent = new URLSearchParams(Buffer.from(request!.body).toString()).get("imagebase64")
      expect(Buffer.from(sent!, "base64").equals(Buffer.from(image))).toBe(true)

      // Word output is the service's file, byte for byte.
      expect(Option.getOrThrow(RemoteDocx.original(document))).toEqual(docx)
      expect(yield* writer.write(document)).toEqual(docx)
      // A document rebuilt without the service's file is written by the regular writer.
      const { original: _, ...rebuilt } = document
      expect(RemoteDocx.original(rebuilt)).toEqual(Option.none())
      expect(new TextDecoder().decode(yield* writer.write(rebuilt))).toBe("rewritten remote")
      // The explicit form gives all three at once.
      server.script(FaultServer.success(`${server.url}/files/result.docx`))
      const conversion = yield* remote.convert(image)
      expect(conversion.docx).toEqual(docx)
      expect(conversion.wordUrl).toBe(`${server.url}/files/result.docx`)
      expect(CoreDocument.toPlainText(conversion.document)).toBe("你好世界\nHello world\n\n第二段 second")
    })
  )

  it.live("uploads as multipart with upload: 'file', and runs single pages", () =>
    Effect.gen(function* () {
      const server = yield* FaultServer.start({ fallback: FaultServer.success("/files/r.docx") })
      server.serveFile("/files/r.docx", yield* serviceDocx)
      const { pipeline, remote } = yield* remoteFor(server, { upload: "file" })
      const conversion = yield* remote.convert(image, { source: "dir/hello.jpg" })
      expect(conversion.wordUrl).toBe("/files/r.docx")
      const [request] = posts(server)
      expect(request!.headers["content-type"]).toMatch(/^multipart\/form-data/)
      expect(Buffer.from(request!.body).toString("latin1")).toContain('name="file"; filename="hello.jpg"')

      const page = yield* pipeline.runPage({ width: 4, height: 2, channels: 3, data: new Uint8Array(24).fill(255) }, 3)
      expect(page).toMatchObject({ index: 3, width: 4, height: 2 })
      expect(page.blocks.map((b) => CoreDocument.blockLines(b).map((l) => l.text))).toEqual([
        ["你好世界", "Hello world"],
        ["第二段 second"]
      ])
      // The page went as a PNG.
      const second = posts(server)[1]!
      expect(Buffer.from(second.body).includes(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBe(true)
    })
  )

  it.live("maps the service's failures onto pipeline errors", () =>
    Effect.gen(function* () {
      const cases = [
        {
          reply: FaultServer.json(400, FaultServer.envelope(101, "参数错误: not an image")),
          tag: "ImageSourceError",
          reason: "Unreadable",
          tries: 1
        },
        {
          reply: FaultServer.json(401, FaultServer.envelope(104, "APPKEY 错误")),
          tag: "RemoteError",
          reason: "Rejected",
          tries: 1
        },
        {
          reply: FaultServer.json(403, FaultServer.envelope(103, "账号欠费")),
          tag: "RemoteError",
          reason: "Rejected",
          tries: 1
        },
        {
          reply: FaultServer.json(429, FaultServer.envelope(102, "请求频率受限")),
          tag: "RemoteError",
          reason: "RateLimited",
          tries: 3
        },
        { reply: { status: 502, body: "Bad Gateway" }, tag: "RemoteError", reason: "Unavailable", tries: 3 },
        { reply: FaultServer.json(200, "{not json"), tag: "RemoteError", reason: "BadResponse", tries: 1 },
        {
          reply: { ...FaultServer.success("/files/r.docx"), delayMillis: 1_000 },
          tag: "RemoteError",
          reason: "Timeout",
          tries: 3
        }
      ] as const
      for (const c of cases) {
        const server = yield* FaultServer.start({ fallback: c.reply })
        const { pipeline } = yield* remoteFor(server, { timeout: 150 })
        const error = yield* Effect.flip(pipeline.run(image))
        expect(error, JSON.stringify(c.reply.status)).toMatchObject({ _tag: c.tag, reason: c.reason })
        expect(error.message).not.toContain(KEY)
        expect(posts(server)).toHaveLength(c.tries)
      }
    })
  )

  it.live("reports a Word file it cannot read as a bad response", () =>
    Effect.gen(function* () {
      const server = yield* FaultServer.start({ fallback: FaultServer.success("/files/bad.docx") })
      // A zip, but not a Word file.
      server.serveFile("/files/bad.docx", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]))
      const { pipeline } = yield* remoteFor(server)
      const error = yield* Effect.flip(pipeline.run(image))
      expect(error).toMatchObject({ _tag: "RemoteError", reason: "BadResponse" })
      expect(error.message).toContain("Word file at /files/bad.docx cannot be read")
    })
  )

  it.effect("rejects bad options when the layer is built", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Layer.build(RemotePipeline.layer({ baseUrl: "not a url", appkey: KEY })))
      expect(error.message).toBe('Expected an http or https URL for baseUrl but received "not a url"')
    }).pipe(Effect.scoped)
  )
})
