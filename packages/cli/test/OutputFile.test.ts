import { NodeServices } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, FileSystem, type Path } from "effect"
import * as OutputFile from "../src/OutputFile.ts"

const bytes = (text: string) => new TextEncoder().encode(text)

const inTempDir = <A, E>(f: (dir: string) => Effect.Effect<A, E, FileSystem.FileSystem | Path.Path>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      return yield* f(yield* fs.makeTempDirectoryScoped({ prefix: "ocr2word-out-" }))
    })
  ).pipe(Effect.provide(NodeServices.layer))

describe("OutputFile", () => {
  it.effect("writes the bytes, creating the directory, and leaves no temporary file", () =>
    inTempDir((dir) =>
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        const target = `${dir}/nested/out.txt`
        yield* OutputFile.write(target, bytes("hello"), { overwrite: false })
        expect(yield* fs.readFileString(target)).toBe("hello")
        expect(yield* fs.readDirectory(`${dir}/nested`)).toEqual(["out.txt"])
      })
    )
  )

  it.effect("refuses to replace an existing file unless told to", () =>
    inTempDir((dir) =>
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        const target = `${dir}/out.txt`
        yield* fs.writeFileString(target, "original")
        const error = yield* Effect.flip(OutputFile.write(target, bytes("new"), { overwrite: false }))
        expect(error.reason).toBe("Exists")
        expect(error.message).toBe(
          `${target} already exists; not overwriting it. Remove it, choose another output with -o, or pass --overwrite.`
        )
        expect(yield* fs.readFileString(target)).toBe("original")
        expect(yield* fs.readDirectory(dir)).toEqual(["out.txt"])
        yield* OutputFile.write(target, bytes("new"), { overwrite: true })
        expect(yield* fs.readFileString(target)).toBe("new")
        expect(yield* fs.readDirectory(dir)).toEqual(["out.txt"])
      })
    )
  )

  it.effect("lets exactly one of two racing writers create the file", () =>
    inTempDir((dir) =>
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        const target = `${dir}/race.txt`
        const results = yield* Effect.all(
          ["a", "b", "c", "d"].map((text) =>
            Effect.result(OutputFile.write(target, bytes(text), { overwrite: false }))
          ),
          { concurrency: "unbounded" }
        )
        expect(results.filter((r) => r._tag === "Success")).toHaveLength(1)
        expect(["a", "b", "c", "d"]).toContain(yield* fs.readFileString(target))
        expect(yield* fs.readDirectory(dir)).toEqual(["race.txt"])
      })
    )
  )
})
