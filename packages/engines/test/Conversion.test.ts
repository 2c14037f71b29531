/**
 * core's `Conversion` built from names (`Engines.conversionLayer`) on the
 * paddle models and a real image: the written file, the span totals of that
 * one conversion (stage spans inside the pipeline's, counted once per call,
 * nothing left over from the call before), the spans still reaching the
 * tracer in place, a stage's typed error, and the page image kept only for
 * an exact-mode Word page with the image behind the text.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Conversion, StageError } from "@ocr2word/core"
import { Context, Effect, Layer, Tracer } from "effect"
import * as Engines from "../src/Engines.ts"

const image = new Uint8Array(
  readFileSync(new URL("../../../datasets/real-dev/images/tjs_testocr.png", import.meta.url))
)

const build = (options: Engines.ConversionSelection) =>
  Effect.map(Layer.build(Engines.conversionLayer(options)), (context) => Context.get(context, Conversion.Conversion))

describe("Conversion", () => {
  it.live(
    "converts, and times the stages of each conversion from its own spans",
    () =>
      Effect.gen(function* () {
        const conversion = yield* build({ pipeline: { engine: "paddle" } })
        expect([conversion.format, conversion.extension]).toEqual(["docx", "docx"])
        const seen: Array<string> = []
        const outer = Tracer.make({
          span: (options) => {
            seen.push(options.name)
            return new Tracer.NativeSpan(options)
          }
        })
        const first = yield* conversion.convert(image, { source: "tjs_testocr.png" }).pipe(Effect.withTracer(outer))
        expect([...first.bytes.subarray(0, 2)]).toEqual([0x50, 0x4b])
        expect(first.document.metadata.source).toBe("tjs_testocr.png")
        const byName = Conversion.msByName(first.spans)
        for (const name of [
          "SharpImageSource.decode",
          "PaddleTextDetector.detect",
          "PaddleTextRecognizer.recognize",
          "XyCutLayoutAnalyzer.analyze",
          "Pipeline.runPage",
          "Pipeline.run",
          "DocxDocumentWriter.write"
        ]) {
          expect(byName[name], name).toBeGreaterThan(0)
        }
        expect(byName["Pipeline.run"]).toBeGreaterThanOrEqual(byName["Pipeline.runPage"]!)
        expect(first.spans.find((s) => s.name === "Pipeline.run")!.count).toBe(1)
        // The conversion's own span is the caller's, not one of its stages.
        expect(byName["Conversion.convert"]).toBeUndefined()
        // Every span also went to the tracer in place.
        expect(seen).toEqual(
          expect.arrayContaining(["Conversion.convert", "Pipeline.run", "PaddleTextDetector.detect"])
        )
        // A second conversion counts its own spans only.
        const second = yield* conversion.convert(image)
        expect(second.spans.find((s) => s.name === "Pipeline.run")!.count).toBe(1)
        expect(Conversion.sumSpans([first.spans, second.spans]).find((s) => s.name === "Pipeline.run")).toMatchObject({
          count: 2
        })
      }).pipe(Effect.scoped),
    120_000
  )

  it.live(
    "fails with the stage's typed error",
    () =>
      Effect.gen(function* () {
        const conversion = yield* build({ pipeline: { engine: "paddle" }, format: "txt" })
        const error = yield* Effect.flip(conversion.convert(image.subarray(0, 40)))
        expect(error).toBeInstanceOf(StageError.ImageSourceError)
        expect(error.message.length).toBeGreaterThan(0)
      }).pipe(Effect.scoped),
    120_000
  )

  it.live(
    "keeps the page image only for an exact-mode Word page with the image behind it",
    () =>
      Effect.gen(function* () {
        const behind = yield* build({ pipeline: { engine: "paddle" }, docx: { mode: "exact", backgroundImage: true } })
        const withImage = yield* behind.convert(image)
        expect(withImage.document.pages[0]!.image).toBeInstanceOf(Uint8Array)
        const flow = yield* build({ pipeline: { engine: "paddle" }, docx: { mode: "flow" } })
        expect((yield* flow.convert(image)).document.pages[0]!.image).toBeUndefined()
      }).pipe(Effect.scoped),
    180_000
  )
})
