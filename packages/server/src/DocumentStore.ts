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
import { randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Context, Effect, Layer, Schema } from "effect"

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

export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  reason: Schema.Literals(["NotFound", "Io", "InvalidName"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

export class DocumentStore extends Context.Service<
  DocumentStore,
  {
    /** Store new bytes under a fresh id. */
    readonly put: (
      bytes: Uint8Array,
      options: { readonly extension: string; readonly mediaType: string }
    ) => Effect.Effect<StoredFile, StoreError>
    /** Metadata of `<id>.<extension>`; `NotFound` for unknown or malformed names. */
    readonly stat: (name: string) => Effect.Effect<StoredFile, StoreError>
    /** The bytes of `<id>.<extension>`. */
    readonly read: (name: string) => Effect.Effect<Uint8Array, StoreError>
  }
>()("@ocr2word/server/DocumentStore") {}

const mediaTypes: Readonly<Record<string, string>> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  txt: "text/plain; charset=utf-8",
  json: "application/json"
}

const namePattern = /^([0-9a-f]{32})\.(docx|txt|json)$/

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

    const put = Effect.fn("DocumentStore.put")(function* (
      bytes: Uint8Array,
      options: { readonly extension: string; readonly mediaType: string }
    ) {
      const id = randomBytes(16).toString("hex")
      const name = `${id}.${options.extension}`
      const final = path.join(folder, name)
      const temp = path.join(folder, `.${name}.${randomBytes(6).toString("hex")}.tmp`)
      yield* Effect.tryPromise({
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

    return DocumentStore.of({ put, stat, read })
  })

/** The embedded store in `<dir>/files`. */
export const layerLocal = (dir: string): Layer.Layer<DocumentStore, StoreError> =>
  Layer.effect(DocumentStore, makeLocal(dir))
