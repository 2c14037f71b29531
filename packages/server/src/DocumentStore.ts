/**
 * Durable storage of the converted Word files behind one service, so the
 * embedded folder store can be swapped for an object store shared by several
 * nodes. Files are immutable: written once under an unguessable id (128
 * random bits), never overwritten, so the id doubles as the ETag.
 *
 * `DocumentStore.layerLocal(dir)` writes to `<dir>/files/<id>.docx` through a
 * temp file, fsync and a hard link (which, unlike rename, refuses to replace
 * an existing file), then fsyncs the folder. A write that fails (a full disk)
 * removes its temp file; at start-up the folder is checked writable (a clear
 * error for a read-only or full data folder) and the temp files a killed
 * process left behind are swept, so only complete files are ever in it.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { DocumentWriter } from "@ocr2word/core"
import { Context, Effect, Layer, Schema } from "effect"
import * as Dependency from "./Dependency.ts"
import { checkWritable } from "./internal/data-dir.ts"

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

/** `Unavailable`: the shared storage does not answer (503/110); `DiskFull`: no space left to store a file. */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  reason: Schema.Literals(["NotFound", "Io", "InvalidName", "Unavailable", "DiskFull"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/** Where the server keeps the files it produced: put once under a random name, read back by name, never overwritten. */
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

/** How a stored file is named and served: its extension and media type. */
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

/** The media type served for each stored extension. */
export const mediaTypes: Readonly<Record<string, string>> = {
  docx: DocumentWriter.DocxMediaType,
  txt: "text/plain; charset=utf-8",
  json: "application/json"
}

/** The name of a stored file: 32 hex digits and a known extension; anything else is not looked up. */
export const namePattern = /^([0-9a-f]{32})\.(docx|txt|json)$/

/** A folder store: `<dir>/files/<id>.<ext>`. */
export const makeLocal = (dir: string) =>
  Effect.gen(function* () {
    const folder = path.resolve(dir, "files")
    const unwritable = checkWritable(folder, "the Word files")
    if (unwritable !== undefined) return yield* Effect.fail(new StoreError({ reason: "Io", message: unwritable }))
    const swept = yield* sweep(folder)
    if (swept > 0) yield* Effect.logInfo(`DocumentStore: removed ${swept} unfinished temp file(s) from ${folder}`)

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
      // The writer (pid and instance) in the name tells the start-up sweep whether the write can still finish.
      const temp = path.join(folder, `.${name}.${writer}.${randomBytes(6).toString("hex")}.tmp`)
      const outcome = yield* Effect.tryPromise({
        try: async () => {
          const handle = await fs.open(temp, "wx", 0o644)
          try {
            await handle.writeFile(bytes)
            await handle.sync()
            await handle.close()
          } catch (e) {
            // A half-written temp file (a full disk) is removed at once, not left for the sweep.
            await handle.close().catch(() => undefined)
            await fs.unlink(temp).catch(() => undefined)
            throw e
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
        catch: (cause) =>
          new StoreError({
            reason: diskFull(cause) ? "DiskFull" : "Io",
            message: cannotStore(name, folder, cause),
            cause
          })
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

/**
 * This process as the writer of its temp files: its pid and a random
 * instance id, since a restarted container often gets the pid its killed
 * predecessor had.
 */
const instance = randomBytes(4).toString("hex")
const writer = `${process.pid}-${instance}`

/** A temp file of `put` (`.<name>.<pid>-<instance>.<random>.tmp`) or of the start-up write check. */
const tempPattern =
  /^\.(?:[0-9a-f]{32}\.(?:docx|txt|json)\.(?:([0-9]+)(?:-([0-9a-f]{8}))?\.)?[0-9a-f]{12}|ocr2word-write-check-([0-9]+)-[0-9]+)\.tmp$/

/** A temp file older than this is abandoned whoever wrote it (a write takes milliseconds). */
const abandonedAfterMs = 10 * 60_000

/**
 * Whether the writer of a temp file may still be writing it: this very
 * process (same instance; its own write checks are already removed), or
 * another live process.
 */
const alive = (pid: number, writerInstance: string | undefined) => {
  if (pid <= 0) return false
  if (pid === process.pid) return writerInstance === instance
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * Remove the temp files of writes that can never finish: their writer (the
 * pid and instance in the name) is gone, as after a kill -9, or they are older than 10
 * minutes (another host's process on a shared folder); the number removed.
 * Finished files are never touched: they only appear, by link, once
 * complete. Another live process's write in progress is left alone.
 */
export const sweep = (folder: string) =>
  Effect.tryPromise({
    try: async () => {
      let removed = 0
      for (const entry of await fs.readdir(folder)) {
        const match = tempPattern.exec(entry)
        if (match === null) continue
        const file = path.join(folder, entry)
        const pid = Number(match[1] ?? match[3] ?? 0)
        const info = await fs.stat(file).catch(() => undefined)
        if (info === undefined) continue
        if (alive(pid, match[2]) && Date.now() - info.mtimeMs < abandonedAfterMs) continue
        await fs.unlink(file).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== "ENOENT") throw e
        })
        removed++
      }
      return removed
    },
    catch: (cause) =>
      new StoreError({
        reason: "Io",
        message: `Cannot remove unfinished temp files from ${folder}: ${String(cause)}. Check --data-dir and its permissions.`,
        cause
      })
  })

const diskFull = (cause: unknown) => ["ENOSPC", "EDQUOT"].includes((cause as NodeJS.ErrnoException)?.code ?? "")

const cannotStore = (name: string, folder: string, cause: unknown) => {
  const code = (cause as NodeJS.ErrnoException)?.code
  if (diskFull(cause))
    return `Cannot store ${name}: the disk of ${folder} is full (${code}); nothing was kept. Free space on it (or move --data-dir) and retry.`
  if (code === "EROFS")
    return `Cannot store ${name}: ${folder} became read-only (EROFS); nothing was kept. Remount it read-write and retry.`
  return `Cannot store ${name} in ${folder}: ${String(cause)}; nothing was kept.`
}

/** The embedded store in `<dir>/files`. */
export const layerLocal = (dir: string): Layer.Layer<DocumentStore, StoreError> =>
  Layer.effect(DocumentStore, makeLocal(dir))
