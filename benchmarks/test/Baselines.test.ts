/**
 * The outside baselines, run for real on one real-dev image: each must load
 * (on the local PP-OCRv4 files, nothing downloaded), read the page and score
 * close to the truth, so a broken or changed peer fails here and not silently
 * in a benchmark run.
 */
import * as Fs from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Baselines from "../src/Baselines.ts"
import * as Manifest from "../src/Manifest.ts"
import * as Metrics from "../src/Metrics.ts"
import * as Score from "../src/Score.ts"

const datasets = new URL("../../datasets", import.meta.url).pathname

/** Run one baseline on real-dev's English health poster (exact truth, 10 lines) and score it. */
const readPoster = (name: string) =>
  Effect.gen(function* () {
    const set = yield* Manifest.load("real-dev", datasets)
    const item = set.items.find((i) => i.id === "easyocr_english")!
    const path = Manifest.imagePath(set, item)
    const runner = yield* Effect.promise(() => Baselines.baselines[name]!())
    const output = yield* Effect.promise(() => runner.run(Fs.readFileSync(path), path)).pipe(
      Effect.ensuring(Effect.promise(() => runner.close()))
    )
    return { output, score: Score.score(item, output) }
  })

describe("Baselines", () => {
  it("names the three outside engines", () => {
    expect(Object.keys(Baselines.baselines).sort()).toEqual(["gutenye", "ppu-paddle-ocr", "tesseract-cli"])
    expect(Baselines.isBaseline("gutenye")).toBe(true)
    expect(Baselines.isBaseline("paddle")).toBe(false)
    // The peers read the files our paddle engine loads.
    for (const path of Object.values(Baselines.modelFiles())) expect(Fs.existsSync(path)).toBe(true)
  })

  for (const name of ["ppu-paddle-ocr", "gutenye"]) {
    it.live(`${name} reads a real page on the PP-OCRv4 files`, () =>
      Effect.gen(function* () {
        const { output, score } = yield* readPoster(name)
        expect(output.text).toMatch(/coronavirus/i)
        expect(Metrics.rate(score.characters)).toBeLessThan(0.1)
        expect(score.bag.recall).toBeGreaterThan(0.9)
      })
    )
  }

  it.live("ppu-paddle-ocr reads a TIFF scan, handed over as PNG", () =>
    Effect.gen(function* () {
      const set = yield* Manifest.load("real-dev", datasets)
      const item = set.items.find((i) => i.id === "tess_phototest")!
      const path = Manifest.imagePath(set, item)
      const bytes = Fs.readFileSync(path)
      expect(Baselines.canvasDecodes(bytes)).toBe(false)
      expect(
        Baselines.canvasDecodes(Fs.readFileSync(path.replace(/tess_phototest\.tif$/, "easyocr_english.png")))
      ).toBe(true)
      const runner = yield* Effect.promise(() => Baselines.ppuPaddleOcrRunner())
      const output = yield* Effect.promise(() => runner.run(bytes, path))
      expect(Score.score(item, output).bag.recall).toBeGreaterThan(0.8)
    })
  )

  it.live.skipIf(!Baselines.hasTesseractCli())("tesseract-cli reads a real page", () =>
    Effect.gen(function* () {
      const { output, score } = yield* readPoster("tesseract-cli")
      expect(output.text).toMatch(/coronavirus/i)
      expect(Metrics.rate(score.characters)).toBeLessThan(0.2)
    })
  )
})
