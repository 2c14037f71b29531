import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Document, Pipeline } from "@ocr2word/core"
import { Effect } from "effect"
import * as Engines from "../src/Engines.ts"

const image = readFileSync(new URL("../../../datasets/real-dev/images/cnocr_helloworld.jpg", import.meta.url))

const read = Effect.gen(function* () {
  const pipeline = yield* Pipeline.Pipeline
  const document = yield* pipeline.run(image, { source: "cnocr_helloworld.jpg" })
  return { engine: document.metadata.engine, text: Document.toPlainText(document) }
})

describe("the tesseract engine by name", () => {
  it.effect("names its stages, with no classifier of its own", () =>
    Effect.gen(function* () {
      expect(Engines.names.engine).toContain("tesseract")
      expect(Engines.names.detector).toContain("tesseract")
      expect(Engines.names.recognizer).toContain("tesseract")
      expect(Engines.names.classifier).not.toContain("tesseract")
      const resolved = yield* Engines.resolve({ engine: "tesseract" })
      expect(resolved).toMatchObject({ detector: "tesseract", classifier: "none", recognizer: "tesseract" })
      const mixed = yield* Engines.resolve({ detector: "paddle", recognizer: "tesseract" })
      expect(mixed).toMatchObject({ detector: "paddle", classifier: "paddle", recognizer: "tesseract" })
    })
  )

  it.effect(
    "runs --engine tesseract",
    () =>
      Effect.gen(function* () {
        const { engine, text } = yield* read
        expect(engine).toBe("tesseract")
        expect(text).toBe("Hello world! 你好世界")
      }).pipe(Effect.provide(Engines.pipelineLayer({ engine: "tesseract" }))),
    120_000
  )

  it.effect(
    "runs --detector paddle --recognizer tesseract",
    () =>
      Effect.gen(function* () {
        const { engine, text } = yield* read
        expect(engine).toBe("paddle+tesseract")
        expect(text.replace(/\s/g, "")).toBe("Helloworld!你好世界")
      }).pipe(Effect.provide(Engines.pipelineLayer({ detector: "paddle", recognizer: "tesseract" }))),
    120_000
  )
})
