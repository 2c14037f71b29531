import { describe, expect, it } from "@effect/vitest"
import { DocumentWriter } from "@ocr2word/core"
import { Effect } from "effect"
import * as MarkdownDocumentWriter from "../src/MarkdownDocumentWriter.ts"
import { documentOf, line, structuredPage } from "./documents.ts"

const write = (document: Parameters<DocumentWriter.DocumentWriter["Service"]["write"]>[0]) =>
  Effect.gen(function* () {
    const writer = yield* DocumentWriter.DocumentWriter
    expect([writer.format, writer.extension, writer.mediaType]).toEqual(["md", "md", "text/markdown; charset=utf-8"])
    return new TextDecoder().decode(yield* writer.write(document))
  }).pipe(Effect.provide(MarkdownDocumentWriter.layer))

describe("MarkdownDocumentWriter", () => {
  it.effect("headings by level, lists nested, a pipe table, markup escaped, pages apart", () =>
    Effect.gen(function* () {
      const markdown = yield* write(documentOf([structuredPage, { ...structuredPage, index: 1 }]))
      const page = [
        "# 版面分析 Layout \\*Analysis\\*",
        "",
        "## 1 Introduction",
        "",
        "Body text on the first line, then 正文第二行",
        "",
        "- first point",
        "  - nested point",
        "1. 安装",
        "2. 运行",
        "",
        "<!-- figure -->",
        "",
        "Figure 1: A red square",
        "",
        "| 项目 | Value \\| unit |  |",
        "| --- | --- | --- |",
        "| Alpha | 12 | kg |"
      ].join("\n")
      expect(markdown).toBe(`${page}\n\n---\n\n${page}\n`)
    })
  )

  it.effect("text that would read as markup at a paragraph's start stays text", () =>
    Effect.gen(function* () {
      const paragraph = (text: string) => ({
        kind: "paragraph" as const,
        box: { x: 0, y: 0, width: 100, height: 20 },
        confidence: 1,
        lines: [line(text, 0, 0, 100)]
      })
      const page = {
        ...structuredPage,
        blocks: ["- not a list", "1. not a list", "> not a quote", "#hashtag"].map(paragraph)
      }
      expect(yield* write(documentOf([page]))).toBe(
        "\\- not a list\n\n1\\. not a list\n\n\\> not a quote\n\n\\#hashtag\n"
      )
    })
  )

  it.effect("an empty document is an empty file", () =>
    Effect.gen(function* () {
      expect(yield* write(documentOf([]))).toBe("")
    })
  )
})
