import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { FaultServer } from "@ocr2word/client"
import { Document, DocumentWriter, OptionDecoding, Pipeline } from "@ocr2word/core"
import { Document as Docx, Packer, Paragraph } from "docx"
import { Context, Effect, Layer, Redacted } from "effect"
import * as Engines from "../src/Engines.ts"

const realDev = new URL("../../../datasets/real-dev/", import.meta.url)

describe("Engines.resolve", () => {
  it.effect("names every stage from the defaults", () =>
    Effect.gen(function* () {
      expect(yield* Engines.resolve({})).toEqual({
        engine: "paddle",
        detector: "paddle",
        classifier: "paddle",
        recognizer: "paddle",
        layout: "xycut",
        preprocess: "auto"
      })
      expect(
        yield* Engines.resolve({ engine: "paddle", classifier: "none", preprocess: "none", minConfidence: 0.3 })
      ).toMatchObject({ classifier: "none", preprocess: "none", minConfidence: 0.3 })
    })
  )

  it.effect("lists the known names when a name is unknown", () =>
    Effect.gen(function* () {
      const engine = yield* Effect.flip(Engines.resolve({ engine: "nope" }))
      expect(engine.reason).toBe("UnknownName")
      expect(engine.message).toBe(`Unknown engine 'nope'. Known engines: ${Engines.names.engine.join(", ")}`)
      expect(engine.message).toMatch(/Known engines: (\w+, )*paddle/)
      const detector = yield* Effect.flip(Engines.resolve({ detector: "db" }))
      expect(detector.message).toBe(`Unknown detector 'db'. Known detectors: ${Engines.names.detector.join(", ")}`)
      const classifier = yield* Effect.flip(Engines.resolve({ classifier: "x" }))
      expect(classifier.message).toMatch(/^Unknown classifier 'x'\. Known classifiers: .*none$/)
      const preprocess = yield* Effect.flip(Engines.resolve({ preprocess: "magic" }))
      expect(preprocess.message).toBe("Unknown preprocessor 'magic'. Known preprocessors: auto, none")
    })
  )

  it.effect("rejects bad options in sharp's format", () =>
    Effect.gen(function* () {
      const messages = yield* Effect.forEach([{ engine: 3 }, { minConfidence: 2 }, { engin: "paddle" }], (o) =>
        Effect.flip(Engines.resolve(o)).pipe(Effect.map((e) => [e.reason, e.message]))
      )
      expect(messages).toEqual([
        ["InvalidOptions", "Expected an engine name for engine but received 3"],
        ["InvalidOptions", "Expected a number between 0 and 1 for minConfidence but received 2"],
        [
          "InvalidOptions",
          `Expected one of ${OptionDecoding.expectations(Engines.PipelineSelection)
            .map((key) => key.name)
            .join(", ")} for options but received "engin"`
        ]
      ])
    })
  )
})

describe("Engines.writerLayer", () => {
  it.effect("gives a writer per format and names the formats for an unknown one", () =>
    Effect.gen(function* () {
      for (const format of Engines.formats) {
        const writer = yield* Effect.provide(
          Effect.gen(function* () {
            return yield* DocumentWriter.DocumentWriter
          }),
          Engines.writerLayer(format)
        )
        expect(writer.format).toBe(format)
      }
      const error = yield* Effect.flip(Layer.build(Engines.writerLayer("rtf")).pipe(Effect.scoped))
      expect(error.message).toBe("Unknown format 'rtf'. Known formats: docx, txt, json, md, hocr, alto, pdf")
    })
  )
})

describe("Engines.pipelineLayer", () => {
  it.effect(
    "builds a working paddle pipeline from names",
    () =>
      Effect.gen(function* () {
        const pipeline = yield* Pipeline.Pipeline
        const bytes = readFileSync(new URL("images/pp_word_3.jpg", realDev))
        const document = yield* pipeline.run(bytes, { source: "pp_word_3.jpg" })
        expect(document.metadata.engine).toBe("paddle")
        expect(Document.toPlainText(document).replace(/\s/g, "")).toContain("15952301928")
      }).pipe(Effect.provide(Engines.pipelineLayer({ engine: "paddle" }))),
    120_000
  )

  it.effect("fails to build with the same message for an unknown name", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Layer.build(Engines.pipelineLayer({ recognizer: "crnn" })).pipe(Effect.scoped))
      expect(error.message).toBe(`Unknown recognizer 'crnn'. Known recognizers: ${Engines.names.recognizer.join(", ")}`)
    })
  )
})

describe("the remote engine", () => {
  it.effect("needs a service URL and takes no stages of other backends", () =>
    Effect.gen(function* () {
      const message = (o: Engines.PipelineSelection) =>
        Effect.flip(Engines.resolve(o)).pipe(Effect.map((e) => e.message))
      expect(yield* message({ engine: "remote" })).toBe(
        "Engine 'remote' needs the service's address: set remoteUrl (--remote-url), e.g. https://api.gugudata.com"
      )
      expect(yield* message({ engine: "remote", remoteUrl: "ftp://x" })).toBe(
        'Expected an http or https URL for remoteUrl but received "ftp://x"'
      )
      expect(yield* message({ engine: "remote", remoteUrl: "http://x", detector: "paddle" })).toBe(
        "Engine 'remote' runs the whole pipeline on the service, so its detector cannot be chosen; drop the detector option"
      )
      const resolved = yield* Engines.resolve({
        engine: "remote",
        remoteUrl: "https://api.gugudata.com",
        appkey: "secret-key"
      })
      expect(resolved).toMatchObject({ engine: "remote", remoteUrl: "https://api.gugudata.com" })
      expect(Redacted.value(resolved.appkey!)).toBe("secret-key")
      expect(JSON.stringify(resolved)).not.toContain("secret-key")
    })
  )

  it.live("runs a contract-compatible service as a pipeline and keeps its Word file for docx output", () =>
    Effect.gen(function* () {
      const docx = new Uint8Array(
        yield* Effect.promise(() =>
          Packer.toBuffer(new Docx({ sections: [{ children: [new Paragraph("Hello 世界")] }] }))
        )
      )
      const server = yield* FaultServer.start()
      server.serveFile("/files/a.docx", docx)
      server.script(FaultServer.success(`${server.url}/files/a.docx`))
      const context = yield* Layer.build(
        Layer.merge(
          Engines.pipelineLayer({ engine: "remote", remoteUrl: server.url, appkey: "k" }),
          Engines.writerLayer("docx")
        )
      )
      const document = yield* Context.get(context, Pipeline.Pipeline).run(
        readFileSync(new URL("images/cnocr_helloworld.jpg", realDev))
      )
      expect(Document.toPlainText(document)).toBe("Hello 世界")
      expect(document.metadata.engine).toBe("remote")
      expect(yield* Context.get(context, DocumentWriter.DocumentWriter).write(document)).toEqual(docx)
      expect(server.requests[0]!.url).toBe("/imagerecognition/ocr2word?appkey=k")
    })
  )
})
