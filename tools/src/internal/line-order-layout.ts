/**
 * A stand-in layout analyser for the eval script while @ocr2word/layout is
 * being written: lines top to bottom (then left to right), one block each.
 */
import { Geometry, LayoutAnalyzer } from "@ocr2word/core"
import { Effect, Layer } from "effect"

export const layer: Layer.Layer<LayoutAnalyzer.LayoutAnalyzer> = Layer.succeed(
  LayoutAnalyzer.LayoutAnalyzer,
  LayoutAnalyzer.LayoutAnalyzer.of({
    analyze: (input) =>
      Effect.sync(() => {
        const lines = [...input.lines].sort((a, b) => {
          const overlap = Math.min(a.box.y + a.box.height, b.box.y + b.box.height) - Math.max(a.box.y, b.box.y)
          const sameRow = overlap > 0.5 * Math.min(a.box.height, b.box.height)
          return sameRow ? a.box.x - b.box.x : a.box.y - b.box.y
        })
        return {
          index: input.index,
          width: input.image.width,
          height: input.image.height,
          rotation: input.rotation,
          skew: input.skew,
          confidence: lines.length === 0 ? 0 : lines.reduce((s, l) => s + l.confidence, 0) / lines.length,
          blocks: lines.map((line) => ({
            kind: "paragraph" as const,
            box: Geometry.unionBoxes([line.box]),
            confidence: line.confidence,
            lines: [line]
          }))
        }
      })
  })
)
