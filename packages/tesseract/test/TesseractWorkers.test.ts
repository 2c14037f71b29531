import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Raster } from "@ocr2word/core"
import { ImageCodec } from "@ocr2word/image"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import * as TesseractWorkers from "../src/TesseractWorkers.ts"

const temporaryFolder = () => fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-tesseract-test-"))

const buildError = (options: unknown) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const exit = yield* Layer.buildWithScope(
      TesseractWorkers.layerWith(options as TesseractWorkers.Options),
      scope
    ).pipe(Effect.exit)
    yield* Scope.close(scope, Exit.void)
    if (Exit.isSuccess(exit)) throw new Error("expected the layer to fail")
    return yield* Effect.flip(exit)
  })

describe("TesseractWorkers", () => {
  it.effect("rejects bad options in sharp's format", () =>
    Effect.gen(function* () {
      expect((yield* buildError({ workers: 0 })).message).toBe(
        "Expected an integer between 1 and 32 for workers but received 0"
      )
      expect((yield* buildError({ languages: [] })).message).toBe(
        "Expected a non-empty array of Tesseract language codes such as ['chi_sim', 'eng'] for languages but received []"
      )
      expect((yield* buildError({ langPath: "" })).message).toBe(
        'Expected a path to a folder of .traineddata files for langPath but received ""'
      )
      expect((yield* buildError({ worker: 2 })).message).toBe(
        'Expected one of workers, languages, langPath, cachePath, startTimeout for options but received "worker"'
      )
    })
  )

  it.effect("says what to do when a language's data is not installed", () =>
    Effect.gen(function* () {
      const error = yield* buildError({ languages: ["chi_sim", "jpn"], cachePath: temporaryFolder() })
      expect(error._tag).toBe("ModelLoadError")
      expect(error.message).toContain("No Tesseract language data for 'jpn'")
      expect(error.message).toContain("Possible fixes:")
      expect(error.message).toContain("npm install @tesseract.js-data/jpn")
      const folder = temporaryFolder()
      const fromFolder = yield* buildError({ langPath: folder, cachePath: temporaryFolder() })
      expect(fromFolder.message).toContain(
        `No Tesseract language data for 'chi_sim' (looked for ${folder}/chi_sim.traineddata.gz`
      )
      expect(fromFolder.message).toContain(`Check that ${folder} holds chi_sim.traineddata or chi_sim.traineddata.gz`)
    })
  )

  it.effect("rejects data that is not a Tesseract model before a worker sees it", () =>
    Effect.gen(function* () {
      const folder = temporaryFolder()
      fs.writeFileSync(path.join(folder, "eng.traineddata"), "not a model")
      const error = yield* buildError({ languages: ["eng"], langPath: folder, cachePath: temporaryFolder() })
      expect(error._tag).toBe("ModelLoadError")
      expect(error.message).toBe(
        `The Tesseract language data ${folder}/eng.traineddata for 'eng' is not a .traineddata model (only 11 bytes). Possible fixes:\n` +
          "- Replace it with eng.traineddata(.gz) from tessdata_best_int or tesseract.js-data\n" +
          "- Check that the download or copy was not cut short"
      )
      fs.writeFileSync(path.join(folder, "eng.traineddata"), Buffer.alloc(4096, 7))
      const garbage = yield* buildError({ languages: ["eng"], langPath: folder, cachePath: temporaryFolder() })
      expect(garbage.message).toContain("(no table of components at its start)")
    })
  )

  it.live(
    "loads the bundled data from its own folder, writes nothing elsewhere, and stops with its scope",
    () =>
      Effect.gen(function* () {
        const cachePath = temporaryFolder()
        const before = new Set(fs.readdirSync(process.cwd()))
        const scope = yield* Scope.make()
        const context = yield* Layer.buildWithScope(TesseractWorkers.layerWith({ workers: 2, cachePath }), scope)
        const workers = Context.getUnsafe(context, TesseractWorkers.TesseractWorkers)
        expect(workers.size).toBe(2)
        expect(workers.languages).toEqual(["chi_sim", "eng"])
        // A blank page: layout analysis finds no lines.
        const png = yield* ImageCodec.encodePng(Raster.make(64, 32, 1))
        const page = yield* workers.recognize(png, { tessedit_pageseg_mode: "3" }, { text: true })
        expect(page.text.trim()).toBe("")
        // The data is linked under cachePath; nothing lands in the working directory.
        const [staged] = fs.readdirSync(cachePath)
        expect(fs.readdirSync(path.join(cachePath, staged!)).sort()).toEqual([
          "chi_sim.traineddata.gz",
          "eng.traineddata.gz"
        ])
        expect(fs.readdirSync(process.cwd()).filter((name) => !before.has(name))).toEqual([])
        yield* Scope.close(scope, Exit.void)
        const after = yield* Effect.exit(workers.recognize(png, { tessedit_pageseg_mode: "3" }, { text: true }))
        expect(Exit.isFailure(after)).toBe(true)
      }),
    60_000
  )
})
