/**
 * Writing an output file so that no reader ever sees half of it and nothing
 * that exists is replaced by accident: the bytes go to a temporary file in the
 * same directory, are flushed to disk, and the file is then linked (never
 * replacing) or, with `overwrite`, renamed (replacing) into place.
 *
 * @since 0.1.0
 */
import { StageError } from "@ocr2word/core"
import { Effect, FileSystem, Path } from "effect"
import type { PlatformError } from "effect/PlatformError"

/** How to write. */
export interface WriteOptions {
  /** Replace an existing file instead of failing. */
  readonly overwrite: boolean
}

const io = (path: string, error: PlatformError) =>
  new StageError.WriteError({ reason: "Io", message: `Could not write ${path}: ${error.message}`, cause: error })

const exists = (path: string) =>
  new StageError.WriteError({
    reason: "Exists",
    message: `${path} already exists; not overwriting it. Remove it, choose another output with -o, or pass --overwrite.`
  })

const isAlreadyExists = (error: PlatformError) => error.reason._tag === "AlreadyExists"

/** Fail with a `WriteError` of reason `Exists` when `path` exists and `overwrite` is off. */
export const ensureWritable = Effect.fn("OutputFile.ensureWritable")(function* (path: string, options: WriteOptions) {
  if (options.overwrite) return
  const fs = yield* FileSystem.FileSystem
  if (yield* fs.exists(path).pipe(Effect.mapError((e) => io(path, e)))) return yield* exists(path)
})

/** Write `bytes` to `path` atomically (temporary file, fsync, link or rename). */
export const write = Effect.fn("OutputFile.write")(function* (path: string, bytes: Uint8Array, options: WriteOptions) {
  const fs = yield* FileSystem.FileSystem
  const pathService = yield* Path.Path
  yield* ensureWritable(path, options)
  const dir = pathService.dirname(path)
  yield* fs.makeDirectory(dir, { recursive: true }).pipe(Effect.mapError((e) => io(path, e)))
  const temp = pathService.join(
    dir,
    `.${pathService.basename(path)}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`
  )
  const publish = Effect.gen(function* () {
    yield* Effect.scoped(
      Effect.gen(function* () {
        const file = yield* fs.open(temp, { flag: "wx", mode: 0o644 })
        yield* file.writeAll(bytes)
        yield* file.sync
      })
    ).pipe(Effect.mapError((e) => io(path, e)))
    if (options.overwrite) {
      yield* fs.rename(temp, path).pipe(Effect.mapError((e) => io(path, e)))
      return
    }
    // A hard link fails when the target exists, which makes "never overwrite"
    // atomic even against another process racing for the same name.
    yield* fs.link(temp, path).pipe(
      Effect.catch((e) =>
        isAlreadyExists(e)
          ? Effect.fail(exists(path))
          : // File systems without hard links: check, then rename (a tiny race remains).
            ensureWritable(path, options).pipe(
              Effect.andThen(fs.rename(temp, path).pipe(Effect.mapError((e) => io(path, e))))
            )
      )
    )
  })
  yield* publish.pipe(Effect.ensuring(fs.remove(temp).pipe(Effect.ignore)))
  // Make the new directory entry durable too; not every platform can open a directory.
  yield* Effect.scoped(Effect.flatMap(fs.open(dir, { flag: "r" }), (handle) => handle.sync)).pipe(Effect.ignore)
})
