/**
 * The pipeline stages the report groups span times into. Every stage method
 * is an `Effect.fn` span ("PaddleTextDetector.detect", "Pipeline.runPage"...),
 * and core's `Conversion` records them for each conversion; the benchmark
 * adds those totals up over the timed items, and `stageOf` names the stage
 * of a span by its method.
 *
 * @since 0.1.0
 */

import type { Conversion } from "@ocr2word/core"

/** Total time and count of the spans of one name, over the timed items. */
export interface SpanTotal extends Conversion.SpanTotal {}

/** The pipeline stage a span name belongs to, or undefined for spans that are not a stage. */
export const stageOf = (name: string): string | undefined => {
  const method = name.slice(name.lastIndexOf(".") + 1)
  switch (method) {
    case "decode":
      return "decode"
    case "process":
      return "preprocess"
    case "detect":
      return "detect"
    case "classify":
      return "classify"
    case "recognize":
      return "recognize"
    case "analyze":
      return "layout"
    case "write":
      return "write"
    default:
      return undefined
  }
}

/** Stages in pipeline order. */
export const STAGES = ["decode", "preprocess", "detect", "classify", "recognize", "layout", "write"] as const
