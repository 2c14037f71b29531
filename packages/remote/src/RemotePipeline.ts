/**
 * The remote backend: a `Pipeline` whose work is done by a contract-compatible
 * ocr2word service (the commercial API or another ocr2word server). Each run
 * sends the image, downloads the returned .docx, and reads its paragraphs,
 * headings, lists, tables and page breaks back into a core `Document`, so the
 * benchmark scores remote output exactly like a local pipeline's, and the
 * txt/json writers work unchanged. The .docx itself is kept for Word output
 * as the document's `original` attachment: wrap the docx writer in
 * `RemoteDocx.passThrough`.
 *
 * `RemotePipeline.layer({ baseUrl, appkey })` provides `Pipeline` and
 * `RemoteDocx`; it is interchangeable with the local pipelines wherever a
 * `Pipeline` layer is taken. Client behaviour (timeouts, retries, the 5 QPS
 * limiter) comes from `@ocr2word/client` and takes the same options.
 *
 * Failures map onto the pipeline's errors: the service refusing the image
 * (101) is an `ImageSourceError`; everything else (unreachable, timeouts,
 * throttling, a rejected key, a malformed answer or .docx) is a `RemoteError`,
 * which a server answers with 502/110.
 *
 * @since 0.1.0
 */
import { type ClientError, Ocr2WordClient } from "@ocr2word/client"
import { type Document, PageBuilder, Pipeline, type Raster, StageError } from "@ocr2word/core"
import { ImageCodec } from "@ocr2word/image"
import { Context, Effect, Layer, Schema } from "effect"
import sharp from "sharp"
import * as DocxReader from "./DocxReader.ts"
import { DOCX_MEDIA_TYPE, RemoteDocx } from "./RemoteDocx.ts"

/** How the image is sent: `base64` (a documented field of the commercial API, the default) or `file` (multipart). */
export const Upload = Schema.Literals(["base64", "file"])
export type Upload = typeof Upload.Type

/** Options: the client's (`baseUrl`, `appkey`, timeouts, retries, `qps`...) plus `upload`. */
export type RemoteOptions = Ocr2WordClient.ClientOptions & { readonly upload?: Upload }

/** The engine name recorded in documents of this backend. */
export const ENGINE = "remote"

const toPipelineError = (error: ClientError.ClientError): StageError.PipelineError => {
  const remote = (reason: StageError.RemoteError["reason"]) =>
    new StageError.RemoteError({ reason, message: `Remote OCR service: ${error.message}` })
  switch (error._tag) {
    case "BadParameter":
      return new StageError.ImageSourceError({
        reason: "Unreadable",
        message: `The remote OCR service refused the image: ${error.message}`
      })
    case "InvalidOptions":
      return new StageError.ImageSourceError({ reason: "Empty", message: error.message })
    case "RateLimited":
      return remote("RateLimited")
    case "BadAppKey":
    case "AccountInArrears":
      return remote("Rejected")
    case "Transport":
      return remote(error.reason === "Timeout" || error.reason === "ConnectTimeout" ? "Timeout" : "Unavailable")
    case "Upstream":
      return remote("Unavailable")
    case "MalformedResponse":
      return remote("BadResponse")
  }
}

/** Width and height of an encoded image, or zeros when the decoder cannot tell (the service will decide). */
const imageSize = (bytes: Uint8Array) =>
  Effect.promise(() =>
    sharp(bytes)
      .metadata()
      .then(
        (m) => ({ width: m.autoOrient?.width ?? m.width ?? 0, height: m.autoOrient?.height ?? m.height ?? 0 }),
        () => ({ width: 0, height: 0 })
      )
  )

const baseName = (source: string | undefined) => source?.split(/[\\/]/).pop() || "image"

/** The backend over the `Ocr2WordClient` in context. */
export const make = (upload: Upload = "base64") =>
  Effect.gen(function* () {
    const client = yield* Ocr2WordClient.Ocr2WordClient

    const convert = Effect.fn("RemotePipeline.convert")(function* (bytes: Uint8Array, options?: Pipeline.RunOptions) {
      if (bytes.length === 0) {
        return yield* new StageError.ImageSourceError({
          reason: "Empty",
          message: "The image is empty (0 bytes); pass the bytes of an image file"
        })
      }
      const size = yield* imageSize(bytes)
      const input: Ocr2WordClient.ImageInput =
        upload === "file"
          ? { file: bytes, fileName: baseName(options?.source) }
          : { imageBase64: Buffer.from(bytes).toString("base64") }
      const { conversion, docx } = yield* Effect.mapError(client.convertToDocx(input), toPipelineError)
      const pages = yield* Effect.mapError(
        DocxReader.read(docx),
        (error) =>
          new StageError.RemoteError({
            reason: "BadResponse",
            message: `The remote OCR service's Word file at ${conversion.wordUrl} cannot be read: ${error.message}`
          })
      )
      const document: Document.Document = {
        ...DocxReader.toDocument(pages, {
          engine: ENGINE,
          ...(options?.source !== undefined ? { source: options.source } : {}),
          ...size
        }),
        // The service's own file, for Word output: it travels in the document, so it survives a worker's postMessage.
        original: { mediaType: DOCX_MEDIA_TYPE, bytes: docx }
      }
      return { document, docx, wordUrl: conversion.wordUrl }
    })

    const run = Effect.fn("Pipeline.run")(function* (bytes: Uint8Array, options?: Pipeline.RunOptions) {
      return (yield* convert(bytes, options)).document
    })

    const runPage = Effect.fn("Pipeline.runPage")(function* (image: Raster.Raster, index: number) {
      const png = yield* ImageCodec.encodePng(image)
      const { document } = yield* convert(png)
      // One image in, so every page of the answer belongs to this page.
      return PageBuilder.build({
        index,
        width: image.width,
        height: image.height,
        rotation: 0,
        skew: 0,
        blocks: document.pages.flatMap((page) => page.blocks)
      })
    })

    return {
      pipeline: Pipeline.Pipeline.of({ run, runPage }),
      remote: RemoteDocx.of({ convert })
    }
  })

/** `Pipeline` and `RemoteDocx` over the `Ocr2WordClient` in context. */
export const layerClient = (
  upload: Upload = "base64"
): Layer.Layer<Pipeline.Pipeline | RemoteDocx, never, Ocr2WordClient.Ocr2WordClient> =>
  Layer.effectContext(
    Effect.map(make(upload), ({ pipeline, remote }) =>
      Context.make(Pipeline.Pipeline, pipeline).pipe(Context.add(RemoteDocx, remote))
    )
  )

/** `Pipeline` and `RemoteDocx` backed by the service at `options.baseUrl`. */
export const layer = (
  options: RemoteOptions
): Layer.Layer<Pipeline.Pipeline | RemoteDocx, ClientError.InvalidOptions> => {
  const { upload, ...client } = options
  return layerClient(upload ?? "base64").pipe(Layer.provide(Ocr2WordClient.layer(client)))
}
