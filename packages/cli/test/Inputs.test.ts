import { NodeServices } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, FileSystem, Path } from "effect"
import * as Inputs from "../src/Inputs.ts"

/** A temporary tree of empty files; the planner never reads their content. */
const withTree = <A, E>(
  files: ReadonlyArray<string>,
  f: (dir: string) => Effect.Effect<A, E, FileSystem.FileSystem | Path.Path>
) =>
  Effect.scoped(
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = yield* fs.makeTempDirectoryScoped({ prefix: "ocr2word-in-" })
      for (const file of files) {
        yield* fs.makeDirectory(path.dirname(`${dir}/${file}`), { recursive: true })
        yield* fs.writeFileString(`${dir}/${file}`, "")
      }
      return yield* f(dir)
    })
  ).pipe(Effect.provide(NodeServices.layer))

const tree = ["a.png", "b.JPG", "notes.txt", "sub/c.tiff", "sub/deeper/d.bmp", "sub/readme.md", "empty/x.txt"]

describe("Inputs.plan", () => {
  it.effect("puts each output next to its input by default", () =>
    withTree(tree, (dir) =>
      Effect.gen(function* () {
        const plan = yield* Inputs.plan([`${dir}/a.png`, `${dir}/notes.txt`], { extension: "docx" })
        // A named file is taken whatever its extension: the decoder judges the content.
        expect(plan.jobs).toEqual([
          { input: `${dir}/a.png`, output: `${dir}/a.docx` },
          { input: `${dir}/notes.txt`, output: `${dir}/notes.docx` }
        ])
        expect(plan.rejected).toEqual([])
      })
    )
  )

  it.effect("takes -o as the file for one named input", () =>
    withTree(tree, (dir) =>
      Effect.gen(function* () {
        const plan = yield* Inputs.plan([`${dir}/a.png`], { output: `${dir}/out/result.docx`, extension: "docx" })
        expect(plan.jobs).toEqual([{ input: `${dir}/a.png`, output: `${dir}/out/result.docx` }])
      })
    )
  )

  it.effect("searches directories recursively for images only and mirrors them under -o", () =>
    withTree(tree, (dir) =>
      Effect.gen(function* () {
        const plan = yield* Inputs.plan([dir], { output: `${dir}/out`, extension: "txt" })
        expect(plan.jobs.map((j) => [j.input.slice(dir.length + 1), j.output.slice(`${dir}/out/`.length)])).toEqual([
          ["a.png", "a.txt"],
          ["b.JPG", "b.txt"],
          ["sub/c.tiff", "sub/c.txt"],
          ["sub/deeper/d.bmp", "sub/deeper/d.txt"]
        ])
      })
    )
  )

  it.effect("expands globs to image files", () =>
    withTree(tree, (dir) =>
      Effect.gen(function* () {
        const plan = yield* Inputs.plan([`${dir}/sub/**/*`], { extension: "json" })
        expect(plan.jobs).toEqual([
          { input: `${dir}/sub/c.tiff`, output: `${dir}/sub/c.json` },
          { input: `${dir}/sub/deeper/d.bmp`, output: `${dir}/sub/deeper/d.json` }
        ])
      })
    )
  )

  it.effect("rejects inputs that name nothing usable, keeping the others", () =>
    withTree(tree, (dir) =>
      Effect.gen(function* () {
        const plan = yield* Inputs.plan([`${dir}/missing.png`, `${dir}/a.png`, `${dir}/empty`, `${dir}/*.gif`], {
          extension: "docx"
        })
        expect(plan.jobs).toEqual([{ input: `${dir}/a.png`, output: `${dir}/a.docx` }])
        expect(plan.rejected).toEqual([
          {
            input: `${dir}/missing.png`,
            message: `${dir}/missing.png does not exist. Check the path (quote globs so the shell leaves them alone).`
          },
          {
            input: `${dir}/empty`,
            message: `Directory ${dir}/empty contains no image files (${Inputs.imageExtensions.join(" ")}).`
          },
          { input: `${dir}/*.gif`, message: `The pattern ${dir}/*.gif matches no image files.` }
        ])
      })
    )
  )

  it.effect("never lets two inputs write the same output", () =>
    withTree(["x/page.png", "y/page.png"], (dir) =>
      Effect.gen(function* () {
        const plan = yield* Inputs.plan([`${dir}/x/page.png`, `${dir}/y/page.png`, `${dir}/x/page.png`], {
          output: `${dir}/out`,
          extension: "docx"
        })
        expect(plan.jobs).toEqual([{ input: `${dir}/x/page.png`, output: `${dir}/out/page.docx` }])
        expect(plan.rejected).toEqual([
          {
            input: `${dir}/y/page.png`,
            message: `${dir}/y/page.png would write ${dir}/out/page.docx, which ${dir}/x/page.png already writes. Convert one of them separately or with another -o.`
          }
        ])
      })
    )
  )
})
