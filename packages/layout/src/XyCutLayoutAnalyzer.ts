/**
 * The `LayoutAnalyzer` stage on recognised line boxes: reading order by
 * recursive XY-cut (columns first, then top to bottom), lines grouped into
 * paragraphs, headings told apart by size.
 *
 * @since 0.1.0
 */
import { LayoutAnalyzer } from "@ocr2word/core"
import { Effect, Layer } from "effect"
import { simpleBlocks } from "./internal/simple-layout.ts"

const makeWith = (): LayoutAnalyzer.LayoutAnalyzer["Service"] => {
  const analyze = Effect.fn("XyCutLayoutAnalyzer.analyze")(function* (input: LayoutAnalyzer.LayoutInput) {
    const blocks = simpleBlocks(input.lines)
    return {
      index: input.index,
      width: input.image.width,
      height: input.image.height,
      rotation: input.rotation,
      skew: input.skew,
      confidence: input.lines.length === 0 ? 0 : input.lines.reduce((s, l) => s + l.confidence, 0) / input.lines.length,
      blocks
    }
  })
  return LayoutAnalyzer.LayoutAnalyzer.of({ analyze })
}

/** The analyser with default options. */
export const layer: Layer.Layer<LayoutAnalyzer.LayoutAnalyzer> = Layer.succeed(LayoutAnalyzer.LayoutAnalyzer, makeWith())
