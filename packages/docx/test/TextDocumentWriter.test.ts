import { describe, expect, it } from "@effect/vitest"
import { DocumentWriter } from "@ocr2word/core"
import { Effect } from "effect"
import { TextDocumentWriter } from "../src/index.ts"
import { documentOf, structuredPage } from "./fixtures.ts"

const write = (document: Parameters<DocumentWriter.DocumentWriter["Service"]["write"]>[0]) =>
  Effect.gen(function* () {
    const writer = yield* DocumentWriter.DocumentWriter
    expect([writer.format, writer.extension, writer.mediaType]).toEqual(["txt", "txt", "text/plain; charset=utf-8"])
    return new TextDecoder("utf-8", { fatal: true }).decode(yield* writer.write(document))
  }).pipe(Effect.provide(TextDocumentWriter.layer))

describe("TextDocumentWriter", () => {
  it.effect("writes UTF-8 lines in reading order, blank lines between blocks, form feeds between pages", () =>
    Effect.gen(function* () {
      const text = yield* write(documentOf([structuredPage(0), structuredPage(1)]))
      const pages = text.split("\n\f\n")
      expect(pages).toHaveLength(2)
      const blocks = pages[0]!.split("\n\n")
      expect(blocks[0]).toBe("版面分析 Layout Analysis")
      expect(blocks[1]).toBe("1 Introduction")
      // A block keeps its lines on separate lines.
      expect(blocks[2]).toBe("Body text 正文第一行\nsecond line 第二行")
      // Table cells come row by row.
      const table = blocks.find((b) => b.includes("kg"))!
      expect(table.indexOf("kg")).toBeLessThan(table.indexOf("34"))
      expect(text.endsWith("\n")).toBe(true)
    })
  )

  it.effect("an empty document is an empty file", () =>
    Effect.gen(function* () {
      expect(yield* write(documentOf([]))).toBe("")
    })
  )
})
