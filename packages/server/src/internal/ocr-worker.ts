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
import { encodeCause, type Job, type Message, type ToWorker, type WorkerData } from "./worker-protocol.ts"

const port = parentPort!
const data = workerData as WorkerData
const post = (message: Message, transfer?: ReadonlyArray<ArrayBuffer>) =>
  port.postMessage(message, transfer as Array<ArrayBuffer> | undefined)

/** Converts a job, once the models are loaded; jobs that come before wait. */
let convert: ((job: Job) => void) | undefined
const waiting: Array<Job> = []
// Asked to stop (a conversion past its time limit, or the server closing): exit here, between two
// tasks. Terminated from outside while inside a synchronous native call (ONNX Runtime's run), the
// thread would abort the whole process (see OcrQueue's stopThread).
const onMessage = (message: ToWorker) => {
  if (!("type" in message)) return convert !== undefined ? convert(message) : void waiting.push(message)
  if (message.type === "stop") process.exit(0)
}
port.on("message", onMessage)
/** A thread that could not start says why and ends: nothing listens any more. */
const fail = (error: unknown) => {
  post({ type: "failed", error })
  port.off("message", onMessage)
}

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
    fail(encodeCause(started.cause))
  } else {
    convert = (job) => {
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
    }
    for (const job of waiting.splice(0)) convert(job)
    post({ type: "ready" })
  }
} catch (error) {
  fail(encodeCause(Cause.die(error)))
}
