/**
 * `DocumentStore` on S3-compatible object storage, shared by every node: a
 * file written through one node downloads through any other. The folder
 * store's promises hold: an object is written in one PUT with its Content-MD5
 * (the server refuses a body that arrived incomplete, so no half-written
 * file is ever visible), and never overwritten: the PUT is conditional
 * (`If-None-Match: *`, refused with 412 by S3 and servers that implement it),
 * and a named id is looked up before the write for servers that ignore the
 * condition. Downloads go through `/files/` with the same headers, or, with
 * `presign` on, redirect to a time-limited presigned URL that carries them.
 * A store that does not answer fails with `StoreError` `Unavailable`
 * (503/110) within the request time limits.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes } from "node:crypto"
import { GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3"
import { getSignedUrl } from "@aws-sdk/s3-request-presigner"
import { Effect, Layer, Redacted } from "effect"
import * as Dependency from "./Dependency.ts"
import {
  DocumentStore,
  downloadHeaders,
  mediaTypes,
  namePattern,
  type PutOptions,
  type StoredFile,
  StoreError
} from "./DocumentStore.ts"

/** Where the files go and how to reach the store. */
export interface S3Options {
  readonly bucket: string
  /** e.g. http://127.0.0.1:9000 for a local server; default: AWS for the region. */
  readonly endpoint?: string
  readonly region: string
  readonly accessKeyId?: string
  readonly secretAccessKey?: Redacted.Redacted<string>
  /** Key prefix inside the bucket (e.g. `ocr2word/`). */
  readonly prefix: string
  /** Path-style URLs (most self-hosted servers need them). */
  readonly forcePathStyle: boolean
  /** Redirect downloads to presigned URLs valid this many seconds (0: serve through /files/). */
  readonly presignSeconds: number
}

const statusOf = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode

/** A `DocumentStore` in an S3-compatible bucket. */
export const make = (options: S3Options) =>
  Effect.gen(function* () {
    const client = yield* Effect.acquireRelease(
      Effect.sync(
        () =>
          new S3Client({
            region: options.region,
            ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
            forcePathStyle: options.forcePathStyle,
            ...(options.accessKeyId !== undefined && options.secretAccessKey !== undefined
              ? {
                  credentials: {
                    accessKeyId: options.accessKeyId,
                    secretAccessKey: Redacted.value(options.secretAccessKey)
                  }
                }
              : {}),
            maxAttempts: 2,
            // Checksums only where the API needs them: Content-MD5 below covers integrity on every server.
            requestChecksumCalculation: "WHEN_REQUIRED",
            responseChecksumValidation: "WHEN_REQUIRED",
            requestHandler: { connectionTimeout: 2_000, requestTimeout: 15_000 }
          })
      ),
      (client) => Effect.sync(() => client.destroy())
    )
    const where = `S3 bucket ${options.bucket}${options.endpoint !== undefined ? ` at ${options.endpoint}` : ""}`
    const keyOf = (name: string) => `${options.prefix}files/${name}`
    const unavailable = (what: string) => (cause: unknown) =>
      new StoreError({
        reason: "Unavailable",
        message: `the file storage (${where}) is unavailable during ${what}: ${cause instanceof Error ? cause.message || cause.name : String(cause)}; retry in a few seconds.`,
        cause
      })
    const notFound = (name: string, cause?: unknown) =>
      new StoreError({
        reason: "NotFound",
        message: `No stored file named ${JSON.stringify(name)}`,
        ...(cause !== undefined ? { cause } : {})
      })

    const parse = (name: string) => {
      const match = namePattern.exec(name)
      return match === null ? Effect.fail(notFound(name)) : Effect.succeed({ id: match[1]!, extension: match[2]! })
    }

    const stat = Effect.fn("S3DocumentStore.stat")(function* (name: string) {
      const { id, extension } = yield* parse(name)
      const head = yield* Effect.tryPromise({
        try: () => client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: keyOf(name) })),
        catch: (e) => (statusOf(e) === 404 ? notFound(name, e) : unavailable("a lookup")(e))
      })
      return {
        id,
        name,
        extension,
        mediaType: mediaTypes[extension]!,
        size: head.ContentLength ?? 0,
        createdAt: head.LastModified ?? new Date(0)
      } satisfies StoredFile
    })

    const exists = (name: string) =>
      stat(name).pipe(
        Effect.as(true),
        Effect.catchIf(
          (e) => e.reason === "NotFound",
          () => Effect.succeed(false)
        )
      )

    const put = Effect.fn("S3DocumentStore.put")(function* (bytes: Uint8Array, put: PutOptions) {
      for (let attempt = 0; ; attempt++) {
        const id = put.id ?? randomBytes(16).toString("hex")
        const name = `${id}.${put.extension}`
        if (put.id !== undefined && (yield* exists(name))) return yield* stat(name)
        const written = yield* Effect.tryPromise({
          try: () =>
            client.send(
              new PutObjectCommand({
                Bucket: options.bucket,
                Key: keyOf(name),
                Body: bytes,
                ContentLength: bytes.byteLength,
                ContentType: put.mediaType,
                ContentMD5: createHash("md5").update(bytes).digest("base64"),
                IfNoneMatch: "*"
              })
            ),
          catch: (e) => e
        }).pipe(
          Effect.as(true),
          Effect.catch((e) =>
            statusOf(e) === 412 ? Effect.succeed(false) : Effect.fail(unavailable(`storing ${name}`)(e))
          )
        )
        if (written) {
          return {
            id,
            name,
            extension: put.extension,
            mediaType: put.mediaType,
            size: bytes.byteLength,
            createdAt: new Date()
          } satisfies StoredFile
        }
        // 412: the object exists. A named id keeps the first file; a random one (never seen in practice) is redrawn.
        if (put.id !== undefined) return yield* stat(name)
        if (attempt > 3) return yield* Effect.fail(unavailable(`storing ${name}`)(new Error("id collisions")))
      }
    })

    const read = Effect.fn("S3DocumentStore.read")(function* (name: string) {
      yield* parse(name)
      return yield* Effect.tryPromise({
        try: async () => {
          const object = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: keyOf(name) }))
          return await object.Body!.transformToByteArray()
        },
        catch: (e) => (statusOf(e) === 404 ? notFound(name, e) : unavailable("a download")(e))
      })
    })

    const presign = (file: StoredFile) =>
      options.presignSeconds <= 0
        ? Effect.succeed(undefined)
        : Effect.tryPromise({
            try: () => {
              const headers = downloadHeaders(file)
              return getSignedUrl(
                client,
                new GetObjectCommand({
                  Bucket: options.bucket,
                  Key: keyOf(file.name),
                  ResponseContentType: file.mediaType,
                  ResponseContentDisposition: headers["content-disposition"],
                  ResponseCacheControl: headers["cache-control"]
                }),
                { expiresIn: options.presignSeconds }
              )
            },
            catch: unavailable("presigning")
          })

    const check = Dependency.probe(
      "files",
      "s3",
      Effect.tryPromise({
        try: () => client.send(new HeadBucketCommand({ Bucket: options.bucket })),
        catch: unavailable("a check")
      })
    )

    return DocumentStore.of({ put, stat, read, presign, check })
  })

/** `DocumentStore` in an S3-compatible bucket. */
export const layer = (options: S3Options): Layer.Layer<DocumentStore> => Layer.effect(DocumentStore, make(options))
