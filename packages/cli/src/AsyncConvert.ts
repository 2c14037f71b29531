/**
 * `ocr2word <inputs...> --remote-url URL --async`: submit every input to an
 * ocr2word server's batch endpoint as jobs of at most `Jobs.MaxImages`
 * images, wait for them, and write each Word file to its output, through
 * the same temp-file-and-rename as local conversions. An image the server
 * could not convert is reported with its input's name; the others are
 * still written.
 *
 * @since 0.1.0
 */
import { JobsClient } from "@ocr2word/client"
import { Jobs } from "@ocr2word/http-api"
import { Effect, FileSystem, Path, type Redacted } from "effect"
import type * as Inputs from "./Inputs.ts"
import * as OutputFile from "./OutputFile.ts"
import type * as Progress from "./Progress.ts"

/** Convert `jobs` on the server at `remoteUrl`; calls `fail` for each input that failed. */
export const run = (
  jobs: ReadonlyArray<Inputs.Job>,
  options: {
    readonly remoteUrl: string
    readonly appkey?: Redacted.Redacted<string>
    readonly overwrite: boolean
  },
  progress: Progress.Progress,
  fail: (input: string, message: string) => Effect.Effect<void>
) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const client = JobsClient.make({
      baseUrl: options.remoteUrl,
      ...(options.appkey !== undefined ? { appkey: options.appkey } : {})
    })
    for (let from = 0; from < jobs.length; from += Jobs.MaxImages) {
      const chunk = jobs.slice(from, from + Jobs.MaxImages)
      const started = Date.now()
      const files = []
      for (const job of chunk) {
        yield* progress.started(job.input)
        files.push({ bytes: yield* fs.readFile(job.input), name: path.basename(job.input) })
      }
      const submitted = yield* Effect.result(client.submit(files))
      if (submitted._tag === "Failure") {
        for (const job of chunk) yield* fail(job.input, `the server refused the job: ${submitted.failure.message}`)
        continue
      }
      const finished = yield* Effect.result(client.wait(submitted.success))
      if (finished._tag === "Failure") {
        for (const job of chunk)
          yield* fail(job.input, `waiting for job ${submitted.success.JobId}: ${finished.failure.message}`)
        continue
      }
      for (const image of finished.success.Images) {
        const job = chunk[image.Index]!
        if (image.Status !== "done" || image.ResultWordFileUrl === undefined) {
          yield* fail(job.input, image.Error?.StatusDescription ?? `the server did not convert it (${image.Status})`)
          continue
        }
        const written = yield* Effect.result(
          Effect.flatMap(client.download(image.ResultWordFileUrl), (bytes) =>
            OutputFile.write(job.output, bytes, { overwrite: options.overwrite })
          )
        )
        if (written._tag === "Success") yield* progress.converted(job.input, job.output, Date.now() - started)
        else yield* fail(job.input, written.failure.message)
      }
    }
  })
