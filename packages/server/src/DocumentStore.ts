/**
 * Durable storage of the converted Word files behind one service, so the
 * embedded folder store can be swapped for an object store shared by several
 * nodes. Files are immutable: written once under an unguessable id (128
 * random bits), never overwritten, so the id doubles as the ETag.
 *
 * `DocumentStore.layerLocal(dir)` writes to `<dir>/files/<id>.docx` through a
 * temp file, fsync and a hard link (which, unlike rename, refuses to replace
 * an existing file), then fsyncs the folder.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Context, Effect, Layer, Schema } from "effect"
import * as Dependency from "./Dependency.ts"

/** A stored file's metadata. */
export interface StoredFile {
  readonly id: string
  /** `<id>.<extension>`, the last path segment of its URL. */
  readonly name: string
  readonly extension: string
  readonly mediaType: string
  readonly size: number
  readonly createdAt: Date
}

/** `Unavailable`: the shared storage does not answer (503/110). */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  reason: Schema.Literals(["NotFound", "Io", "InvalidName", "Unavailable"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

export class DocumentStore extends Context.Service<
  DocumentStore,
  {
    /** Store new bytes under a fresh id, or under `options.id` unless that file exists already. */
    readonly put: (bytes: Uint8Array, options: PutOptions) => Effect.Effect<StoredFile, StoreError>
    /** Metadata of `<id>.<extension>`; `NotFound` for unknown or malformed names. */
    readonly stat: (name: string) => Effect.Effect<StoredFile, StoreError>
    /** The bytes of `<id>.<extension>`. */
    readonly read: (name: string) => Effect.Effect<Uint8Array, StoreError>
    /** A time-limited direct download URL, when the store gives them (S3 with presigning on). */
    readonly presign: (file: StoredFile) => Effect.Effect<string | undefined, StoreError>
    /** Whether the backend answers, for /readyz. */
    readonly check: Effect.Effect<Dependency.Status>
  }
>()("@ocr2word/server/DocumentStore") {}

export interface PutOptions {
  readonly extension: string
  readonly mediaType: string
  /** 32 hex digits; default: 128 fresh random bits. */
  readonly id?: string
}

/** The id of a stored file derived from a stable key (a job and image), for idempotent retries. */
export const idFor = (key: string) =>
  createHash("sha256").update(`ocr2word-file\u0000${key}`).digest("hex").slice(0, 32)

/** Response headers of a download, the same from every store. */
export const downloadHeaders = (info: StoredFile) => ({
  etag: `"${info.id}"`,
  "cache-control": "public, max-age=31536000, immutable",
  "last-modified": info.createdAt.toUTCString(),
  "content-disposition": `attachment; filename="ocr2word-${info.id}.${info.extension}"`,
  "x-content-type-options": "nosniff"
})

export const mediaTypes: Readonly<Record<string, string>> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  txt: "text/plain; charset=utf-8",
  json: "application/json"
}

export const namePattern = /^([0-9a-f]{32})\.(docx|txt|json)$/

/** A folder store: `<dir>/files/<id>.<ext>`. */
export const makeLocal = (dir: string) =>
  Effect.gen(function* () {
    const folder = path.resolve(dir, "files")
    yield* Effect.tryPromise({
      try: () => fs.mkdir(folder, { recursive: true }),
      catch: (cause) =>
        new StoreError({
          reason: "Io",
          message: `Cannot create the storage folder ${folder}: ${String(cause)}. Check --data-dir and its permissions.`,
          cause
        })
    })

    const parse = (name: string) => {
      const match = namePattern.exec(name)
      return match === null
        ? Effect.fail(new StoreError({ reason: "NotFound", message: `No stored file named ${JSON.stringify(name)}` }))
        : Effect.succeed({ id: match[1]!, extension: match[2]! })
    }

    const put = Effect.fn("DocumentStore.put")(function* (bytes: Uint8Array, options: PutOptions) {
      const id = options.id ?? randomBytes(16).toString("hex")
      const name = `${id}.${options.extension}`
      const final = path.join(folder, name)
      const temp = path.join(folder, `.${name}.${randomBytes(6).toString("hex")}.tmp`)
      const outcome = yield* Effect.tryPromise({
        try: async () => {
          const handle = await fs.open(temp, "wx", 0o644)
          try {
            await handle.writeFile(bytes)
            await handle.sync()
          } finally {
            await handle.close()
          }
          try {
            // link() fails with EEXIST instead of replacing: never an overwritten file.
            await fs.link(temp, final)
          } catch (e) {
            if (options.id === undefined || (e as NodeJS.ErrnoException).code !== "EEXIST") throw e
            return "exists" as const
          } finally {
            await fs.unlink(temp)
          }
          const dirHandle = await fs.open(folder, "r")
          try {
            await dirHandle.sync()
          } finally {
            await dirHandle.close()
          }
        },
        catch: (cause) => new StoreError({ reason: "Io", message: `Cannot store ${name}: ${String(cause)}`, cause })
      })
      if (outcome === "exists") return yield* stat(name)
      return {
        id,
        name,
        extension: options.extension,
        mediaType: options.mediaType,
        size: bytes.byteLength,
        createdAt: new Date()
      } satisfies StoredFile
    })

    const stat = Effect.fn("DocumentStore.stat")(function* (name: string) {
      const { id, extension } = yield* parse(name)
      const info = yield* Effect.tryPromise({
        try: () => fs.stat(path.join(folder, name)),
        catch: (cause) =>
          new StoreError({ reason: "NotFound", message: `No stored file named ${JSON.stringify(name)}`, cause })
      })
      return {
        id,
        name,
        extension,
        mediaType: mediaTypes[extension]!,
        size: info.size,
        createdAt: info.mtime
      } satisfies StoredFile
    })

    const read = Effect.fn("DocumentStore.read")(function* (name: string) {
      yield* parse(name)
      return yield* Effect.tryPromise({
        try: async () => new Uint8Array(await fs.readFile(path.join(folder, name))),
        catch: (cause) =>
          new StoreError({ reason: "NotFound", message: `No stored file named ${JSON.stringify(name)}`, cause })
      })
    })

    return DocumentStore.of({
      put,
      stat,
      read,
      presign: () => Effect.succeed(undefined),
      check: Dependency.embedded("files", "folder")
    })
  })

/** The embedded store in `<dir>/files`. */
export const layerLocal = (dir: string): Layer.Layer<DocumentStore, StoreError> =>
  Layer.effect(DocumentStore, makeLocal(dir))
