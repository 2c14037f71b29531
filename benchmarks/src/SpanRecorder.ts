/**
 * A tracer that records how long every span took, summed by span name. The
 * pipeline's stages are `Effect.fn` spans ("PaddleTextDetector.detect",
 * "Pipeline.runPage"...), so installing this tracer gives per-stage timings
 * without touching any stage. Use `layer` around the measured effect, read
 * `snapshot`, and `reset` after a warm-up.
 *
 * @since 0.1.0
 */
import { Layer, Tracer } from "effect"

/** Total time and count of one span name. */
export interface SpanTotal {
  readonly name: string
  readonly count: number
  readonly totalMs: number
}

/** Where recorded spans accumulate. */
export class SpanRecorder {
  private readonly totals = new Map<string, { count: number; totalNs: bigint }>()

  /** The Effect tracer that feeds this recorder. */
  readonly tracer: Tracer.Tracer = Tracer.make({
    span: (options) => {
      const totals = this.totals
      const span = new Tracer.NativeSpan(options)
      const end = span.end.bind(span)
      span.end = (endTime, exit) => {
        if (span.status._tag === "Started") {
          const t = totals.get(span.name) ?? { count: 0, totalNs: 0n }
          t.count++
          t.totalNs += endTime - span.startTime
          totals.set(span.name, t)
        }
        end(endTime, exit)
      }
      return span
    }
  })

  /** A layer installing the tracer. */
  get layer(): Layer.Layer<never> {
    return Layer.succeed(Tracer.Tracer, this.tracer)
  }

  /** Totals so far, by name. */
  snapshot(): Array<SpanTotal> {
    return [...this.totals].map(([name, t]) => ({ name, count: t.count, totalMs: Number(t.totalNs) / 1e6 }))
  }

  reset(): void {
    this.totals.clear()
  }
}

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
