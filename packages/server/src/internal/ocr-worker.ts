/**
 * Worker-thread entry: builds the OCR pipeline and the .docx writer once
 * (models load here, off the server's event loop), says "ready", then
 * converts one job at a time. Spans ending in the worker are summed per name
 * and sent back with the result, so the server can publish stage timings.
 */
import { parentPort, workerData } from "node:worker_threads"
import { DocumentWriter, Pipeline } from "@ocr2word/core"
import { Effect, Layer, ManagedRuntime, Tracer } from "effect"
import { docxOptions, keepPageImage } from "../ServerConfig.ts"

interface Job {
  readonly id: number
  readonly bytes: Uint8Array
  readonly source?: string
}

const port = parentPort!
const data = workerData as { engine: string; docxMode: "flow" | "exact"; docxBackground: boolean }
const engine = data.engine

const describe = (error: unknown) => {
  const e = error as { _tag?: string; reason?: string; message?: string }
  return { tag: e?._tag ?? "Defect", reason: e?.reason ?? "Unknown", message: e?.message ?? String(error) }
}

let spans: Array<Tracer.NativeSpan> = []
const tracer = Tracer.make({
  span: (options) => {
    const span = new Tracer.NativeSpan(options)
    spans.push(span)
    return span
  }
})

/** Milliseconds per span name over the finished spans of one job. */
const timingsOf = (list: ReadonlyArray<Tracer.NativeSpan>) => {
  const out: Record<string, number> = {}
  for (const span of list) {
    if (span.status._tag === "Ended")
      out[span.name] = (out[span.name] ?? 0) + Number(span.status.endTime - span.status.startTime) / 1e6
  }
  return out
}

try {
  const { Engines } = await import("@ocr2word/engines")
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      // The page image is only kept (and carried to the writer) when it is drawn behind the text.
      Engines.pipelineLayer({ engine, ...(keepPageImage(data) ? { keepPageImage: true } : {}) }),
      Engines.writerLayer("docx", docxOptions(data))
    )
  )
  await runtime.runPromise(Effect.void)
  port.on("message", (job: Job) => {
    spans = []
    runtime
      .runPromise(
        Effect.gen(function* () {
          const pipeline = yield* Pipeline.Pipeline
          const writer = yield* DocumentWriter.DocumentWriter
          const document = yield* pipeline.run(job.bytes, job.source !== undefined ? { source: job.source } : undefined)
          const bytes = yield* writer.write(document)
          return { document, bytes }
        }).pipe(Effect.provideService(Tracer.Tracer, tracer))
      )
      .then(
        ({ document, bytes }) => port.postMessage({ id: job.id, ok: true, document, bytes, timings: timingsOf(spans) }),
        (error) => port.postMessage({ id: job.id, ok: false, error: describe(error), timings: timingsOf(spans) })
      )
  })
  port.postMessage({ type: "ready" })
} catch (error) {
  port.postMessage({ type: "failed", error: describe(error) })
}
