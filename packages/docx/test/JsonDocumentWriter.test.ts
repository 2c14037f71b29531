import { describe, expect, it } from "@effect/vitest"
import { Document, DocumentWriter } from "@ocr2word/core"
import { Effect, Schema } from "effect"
import { JsonDocumentWriter } from "../src/index.ts"
import { documentOf, redPng, structuredPage } from "./fixtures.ts"

describe("JsonDocumentWriter", () => {
  it.effect("writes the Schema-encoded document as pretty JSON that decodes back to the same document", () =>
    Effect.gen(function* () {
      const writer = yield* DocumentWriter.DocumentWriter
      expect([writer.format, writer.extension, writer.mediaType]).toEqual(["json", "json", "application/json"])
      const document = documentOf([structuredPage(0), structuredPage(1)])
      const text = new TextDecoder().decode(yield* writer.write(document))
      expect(text).toMatch(/^\{\n {2}"pages": \[\n/)
      const json = JSON.parse(text)
      expect(json.metadata.engine).toBe(document.metadata.engine)
      // Picture bytes travel as base64 text.
      const figure = json.pages[0].blocks.find((b: { kind: string }) => b.kind === "figure")
      expect(typeof figure.image).toBe("string")
      const decoded = yield* Schema.decodeUnknownEffect(Schema.toCodecJson(Document.Document))(json)
      expect(decoded).toEqual(document)
      expect(decoded.pages[0]!.blocks.find((b) => b.kind === "figure")!.image).toEqual(redPng)
    }).pipe(Effect.provide(JsonDocumentWriter.layer))
  )
})
