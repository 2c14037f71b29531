import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Manifest, Metrics } from "@ocr2word/benchmarks"
import { Document, Pipeline } from "@ocr2word/core"
import { Engines } from "@ocr2word/engines"
import { Effect } from "effect"
import { generateDocs } from "../src/synth-docs.ts"

describe("synth-docs", () => {
  it.effect(
    "a clean generated page's DOM ground truth is what the paddle pipeline reads",
    () =>
      Effect.gen(function* () {
        const out = Fs.mkdtempSync(Path.join(Os.tmpdir(), "synth-docs-"))
        yield* Effect.promise(() => generateDocs({ count: 1, seed: 7, out, clean: 1, scale: 1.25 }))
        const set = yield* Manifest.load(out)
        const item = set.items[0]!
        expect(item.kind).toBe("synth-doc")
        expect(item.lang).toBe("mixed")
        // The manifest is consistent: text is the lines in order, boxes inside the image, blocks index lines.
        expect(item.text).toBe(item.lines!.map((l) => l.text).join("\n"))
        for (const line of item.lines!) {
          expect(line.box!.x).toBeGreaterThanOrEqual(0)
          expect(line.box!.y + line.box!.height).toBeLessThanOrEqual(item.height! + 1)
        }
        const indexed = item.blocks!.flatMap((b) => b.lines).sort((a, b) => a - b)
        expect(indexed).toEqual(item.lines!.map((_, i) => i))

        const pipeline = yield* Pipeline.Pipeline
        const document = yield* pipeline.run(Fs.readFileSync(Manifest.imagePath(set, item)))
        const predicted = Document.pageLines(document.pages[0]!).map((l) => l.text)
        // Score line by line so column order (a layout question) does not count here.
        const truth = item.lines!.map((l) => l.text)
        const matches = Metrics.matchLinesByText(truth, predicted, 0.3)
        const byRef = new Map(matches.map((m) => [m.reference, predicted[m.prediction]!]))
        const count = Metrics.sumCounts(truth.map((t, i) => Metrics.characterErrors(t, byRef.get(i) ?? "")))
        expect(Metrics.rate(count)).toBeLessThan(0.08)
        expect(Metrics.bagOfCharactersF1(item.text, predicted.join("\n")).f1).toBeGreaterThan(0.93)
        Fs.rmSync(out, { recursive: true, force: true })
      }).pipe(Effect.provide(Engines.pipelineLayer({ engine: "paddle" }))),
    300_000
  )
})
