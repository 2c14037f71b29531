/**
 * Documents for the writer tests: real-dev pages read by the real PaddleOCR
 * pipeline (with their page image, as a pipeline keeping images gives it),
 * and a hand-built page with every kind of block.
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { type Document, Geometry, Pipeline, type StageError } from "@ocr2word/core"
import { ImagePreprocessor, SharpImageSource } from "@ocr2word/image"
import { XyCutLayoutAnalyzer } from "@ocr2word/layout"
import { Paddle } from "@ocr2word/paddle"
import { Effect, Layer } from "effect"
import sharp from "sharp"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../datasets/real-dev")

/** Path of a real-dev image. */
export const realDev = (name: string): string => path.join(root, "images", name)

/** The real pipeline (paddle, xycut). */
export const pipeline: Layer.Layer<Pipeline.Pipeline, unknown> = Pipeline.layer().pipe(
  Layer.provide(
    Layer.mergeAll(SharpImageSource.layer, ImagePreprocessor.layer, Paddle.layer, XyCutLayoutAnalyzer.layer)
  )
)

/** A real-dev image read by the pipeline, each page given the image as its PNG (the images are upright). */
export const recognise = (
  name: string
): Effect.Effect<Document.Document, StageError.PipelineError, Pipeline.Pipeline> =>
  Effect.gen(function* () {
    const p = yield* Pipeline.Pipeline
    const png = yield* Effect.promise(() => sharp(realDev(name)).flatten({ background: "#fff" }).png().toBuffer())
    const document = yield* p.run(new Uint8Array(png), { source: name })
    return {
      ...document,
      pages: document.pages.map((page) => ({ ...page, image: new Uint8Array(png) }))
    } satisfies Document.Document
  })

export const line = (text: string, x: number, y: number, width: number, height = 24): Document.Line => {
  const box = { x, y, width, height }
  const words = text.split(" ").map((word, i, all) => {
    const w = width / all.length
    return { text: word, box: { x: x + i * w, y, width: w * 0.9, height }, confidence: 0.9 }
  })
  return {
    text,
    box,
    polygon: Geometry.quadOfBox(box),
    confidence: 0.9,
    direction: "horizontal",
    script: /\p{Script=Han}/u.test(text) ? "mixed" : "latin",
    words
  }
}

const text = (lines: ReadonlyArray<Document.Line>) => ({
  box: Geometry.unionBoxes(lines.map((l) => l.box)),
  confidence: 0.9,
  lines
})

/** A page with headings, a paragraph of two lines, two lists, a figure, a caption, a table with spans and a page number. */
export const structuredPage: Document.Page = {
  index: 0,
  width: 800,
  height: 1130,
  rotation: 0,
  skew: 0,
  confidence: 0.9,
  blocks: [
    { kind: "heading", ...text([line("版面分析 Layout *Analysis*", 200, 40, 400, 48)]), level: 1 },
    { kind: "heading", ...text([line("1 Introduction", 60, 120, 200, 32)]), level: 2 },
    {
      kind: "paragraph",
      ...text([line("Body text on the first", 60, 170, 680), line("line, then 正文第二行", 60, 200, 500)])
    },
    {
      kind: "list-item",
      ...text([line("• first point", 80, 250, 300)]),
      list: { format: "bullet", marker: "•", number: 1, level: 0 }
    },
    {
      kind: "list-item",
      ...text([line("• nested point", 100, 280, 300)]),
      list: { format: "bullet", marker: "•", number: 1, level: 1 }
    },
    {
      kind: "list-item",
      ...text([line("1. 安装", 80, 330, 300)]),
      list: { format: "decimal", marker: "1.", number: 1, level: 0 }
    },
    {
      kind: "list-item",
      ...text([line("2. 运行", 80, 360, 300)]),
      list: { format: "decimal", marker: "2.", number: 2, level: 0 }
    },
    { kind: "figure", box: { x: 200, y: 420, width: 400, height: 200 }, confidence: 1 },
    { kind: "caption", ...text([line("Figure 1: A red square", 250, 630, 300, 20)]) },
    {
      kind: "table",
      box: { x: 100, y: 700, width: 600, height: 120 },
      confidence: 0.9,
      cells: [
        {
          row: 0,
          column: 0,
          rowSpan: 1,
          columnSpan: 1,
          box: { x: 100, y: 700, width: 200, height: 40 },
          lines: [line("项目", 110, 708, 60)]
        },
        {
          row: 0,
          column: 1,
          rowSpan: 1,
          columnSpan: 2,
          box: { x: 300, y: 700, width: 400, height: 40 },
          lines: [line("Value | unit", 310, 708, 100)]
        },
        {
          row: 1,
          column: 0,
          rowSpan: 1,
          columnSpan: 1,
          box: { x: 100, y: 740, width: 200, height: 40 },
          lines: [line("Alpha", 110, 748, 60)]
        },
        {
          row: 1,
          column: 1,
          rowSpan: 1,
          columnSpan: 1,
          box: { x: 300, y: 740, width: 200, height: 40 },
          lines: [line("12", 310, 748, 30)]
        },
        {
          row: 1,
          column: 2,
          rowSpan: 1,
          columnSpan: 1,
          box: { x: 500, y: 740, width: 200, height: 40 },
          lines: [line("kg", 510, 748, 30)]
        }
      ]
    },
    { kind: "page-number", ...text([line("3", 395, 1090, 10, 18)]) }
  ]
}

export const documentOf = (pages: ReadonlyArray<Document.Page>): Document.Document => ({
  pages,
  metadata: { source: "test <page>.png", engine: "test", createdAt: "2026-01-01T00:00:00.000Z" }
})
