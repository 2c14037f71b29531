/**
 * One conversion: decode an image, run the pipeline, write the document,
 * and time every stage. The CLI, the server's worker threads and its inline
 * queue, the `ocr2word worker` processes and the benchmark all convert
 * through this service, so a stage's time means the same thing everywhere:
 * the summed duration of its `Effect.fn` spans ("SharpImageSource.decode",
 * "PaddleTextDetector.detect", "Pipeline.run", "DocxDocumentWriter.write"...),
 * recorded for that one conversion by a tracer that also forwards every
 * span to the tracer in place (so outside tracing keeps working).
 *
 * `layer` builds it over the `Pipeline` and `DocumentWriter` in context;
 * `@ocr2word/engines`' `Engines.conversionLayer` builds both from names.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Tracer } from "effect"
import type { Document } from "./Document.ts"
import { DocumentWriter } from "./DocumentWriter.ts"
import { Pipeline, type RunOptions } from "./Pipeline.ts"
import type { PipelineError, WriteError } from "./StageError.ts"

/** Total time and count of the spans of one name. */
export interface SpanTotal {
  readonly name: string
  readonly count: number
  readonly totalMs: number
}

/** A finished conversion. */
export interface Converted {
  readonly document: Document
  /** The written file. */
  readonly bytes: Uint8Array
  /** The spans that ended during the conversion, by name, in the order each name first ended. */
  readonly spans: ReadonlyArray<SpanTotal>
}

/** Any error a conversion can fail with. */
export type ConversionError = PipelineError | WriteError

/**
 * One whole conversion, bytes in, written document out: decode, run the pipeline, write with the
 * `DocumentWriter`; the CLI, the server's workers and the benchmark all use it.
 */
export class Conversion extends Context.Service<
  Conversion,
  {
    /** The writer's format name, extension and media type. */
    readonly format: string
    readonly extension: string
    readonly mediaType: string
    readonly convert: (bytes: Uint8Array, options?: RunOptions) => Effect.Effect<Converted, ConversionError>
  }
>()("@ocr2word/core/Conversion") {}

/** A tracer that adds every span's duration to `totals` and otherwise leaves the span to `parent`. */
const recording = (parent: Tracer.Tracer, totals: Map<string, { count: number; totalNs: bigint }>): Tracer.Tracer =>
  Tracer.make({
    span: (options) => {
      const span = parent.span(options)
      const end = span.end.bind(span)
      span.end = (endTime, exit) => {
        if (span.status._tag === "Started") {
          const total = totals.get(span.name) ?? { count: 0, totalNs: 0n }
          total.count++
          total.totalNs += endTime - span.status.startTime
          totals.set(span.name, total)
        }
        end(endTime, exit)
      }
      return span
    },
    ...(parent.context !== undefined ? { context: parent.context } : {})
  })

/** Milliseconds per span name (the server's stage metrics and job results). */
export const msByName = (spans: ReadonlyArray<SpanTotal>): Record<string, number> =>
  Object.fromEntries(spans.map((s) => [s.name, s.totalMs]))

/** The span totals of several conversions added up by name (the benchmark's per-stage times). */
export const sumSpans = (runs: ReadonlyArray<ReadonlyArray<SpanTotal>>): Array<SpanTotal> => {
  const totals = new Map<string, { count: number; totalMs: number }>()
  for (const spans of runs) {
    for (const s of spans) {
      const t = totals.get(s.name) ?? { count: 0, totalMs: 0 }
      t.count += s.count
      t.totalMs += s.totalMs
      totals.set(s.name, t)
    }
  }
  return [...totals].map(([name, t]) => ({ name, count: t.count, totalMs: t.totalMs }))
}

/** The service over the `Pipeline` and `DocumentWriter` in context. */
export const make = Effect.gen(function* () {
  const pipeline = yield* Pipeline
  const writer = yield* DocumentWriter
  const convert = Effect.fn("Conversion.convert")(function* (bytes: Uint8Array, options?: RunOptions) {
    const totals = new Map<string, { count: number; totalNs: bigint }>()
    const tracer = recording(yield* Effect.tracer, totals)
    const { document, written } = yield* Effect.gen(function* () {
      const document = yield* pipeline.run(bytes, options)
      return { document, written: yield* writer.write(document) }
    }).pipe(Effect.withTracer(tracer))
    const spans = [...totals].map(([name, t]) => ({ name, count: t.count, totalMs: Number(t.totalNs) / 1e6 }))
    return { document, bytes: written, spans } satisfies Converted
  })
  return Conversion.of({ format: writer.format, extension: writer.extension, mediaType: writer.mediaType, convert })
})

/** `Conversion` over the `Pipeline` and `DocumentWriter` in context. */
export const layer: Layer.Layer<Conversion, never, Pipeline | DocumentWriter> = Layer.effect(Conversion, make)
