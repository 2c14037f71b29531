/**
 * Worker-thread entry: builds the engines' `Conversion` (pipeline and .docx
 * writer) once, so the models load here, off the server's event loop; says
 * "ready", then converts one job at a time, saying as each page starts
 * ("page 2 of 5"). Each result carries the
 * conversion's stage timings (its spans, as everywhere else); each failure
 * its typed error, encoded (see worker-protocol.ts).
 */
import { parentPort, workerData } from "node:worker_threads"
import { Conversion } from "@ocr2word/core"
import { Cause, Effect, Exit, ManagedRuntime, Redacted } from "effect"
import { docxOptions } from "../ServerConfig.ts"
import { encodeCause, type Job, type Message, type WorkerData } from "./worker-protocol.ts"

const port = parentPort!
const data = workerData as WorkerData
const post = (message: Message, transfer?: ReadonlyArray<ArrayBuffer>) =>
  port.postMessage(message, transfer as Array<ArrayBuffer> | undefined)

try {
  // Imported here so a backend that fails to load is reported as a start failure.
  const { Engines } = await import("@ocr2word/engines")
  const runtime = ManagedRuntime.make(
    Engines.conversionLayer({
      pipeline: {
        engine: data.engine,
        ...(data.remoteUrl !== undefined ? { remoteUrl: data.remoteUrl } : {}),
        ...(data.remoteAppkey !== undefined ? { appkey: Redacted.make(data.remoteAppkey, { label: "appkey" }) } : {})
      },
      format: "docx",
      docx: docxOptions(data)
    })
  )
  const started = await runtime.runPromiseExit(Effect.void)
  if (Exit.isFailure(started)) {
    post({ type: "failed", error: encodeCause(started.cause) })
  } else {
    port.on("message", (job: Job) => {
      runtime
        .runPromiseExit(
          Effect.flatMap(Conversion.Conversion, (conversion) =>
            conversion.convert(job.bytes, {
              ...(job.source !== undefined ? { source: job.source } : {}),
              onPage: ({ index, count }) =>
                Effect.sync(() => post({ type: "progress", id: job.id, page: index + 1, pages: count }))
            })
          )
        )
        .then((exit) =>
          Exit.isSuccess(exit)
            ? post({
                type: "done",
                id: job.id,
                document: exit.value.document,
                bytes: exit.value.bytes,
                timings: Conversion.msByName(exit.value.spans)
              })
            : post({ type: "error", id: job.id, error: encodeCause(exit.cause) })
        )
    })
    post({ type: "ready" })
  }
} catch (error) {
  post({ type: "failed", error: encodeCause(Cause.die(error)) })
}
