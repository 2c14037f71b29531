/**
 * The conversion the `ocr2word` command runs: expand the inputs, check every
 * output can be written, load the models once, then convert each input in
 * turn through the `Conversion` service (the one the server and the
 * benchmark use) and write it to its output. A failing input is reported
 * and skipped; the others are still converted, and the run fails at the end
 * with the number of failures.
 *
 * Use `run` to convert from code with the same behaviour as the command.
 *
 * @since 0.1.0
 */
import { Conversion, DocumentWriter, OptionDecoding } from "@ocr2word/core"
import { Engines } from "@ocr2word/engines"
import { Cause, Effect, Exit, FileSystem, Path, Schema } from "effect"
import * as AsyncConvert from "./AsyncConvert.ts"
import * as Inputs from "./Inputs.ts"
import * as OutputFile from "./OutputFile.ts"
import * as Progress from "./Progress.ts"

/** What the command line gives the conversion. */
export const ConvertOptions = Schema.Struct({
  inputs: Schema.Array(Schema.String).annotateKey({ expected: "image files, folders or globs" }),
  output: OptionDecoding.optional(Schema.String, "an output file or folder"),
  format: Engines.Format.annotateKey({ expected: OptionDecoding.oneOf(Engines.formats) }),
  overwrite: Schema.Boolean.annotateKey({ expected: "a boolean" }),
  engine: Engines.PipelineSelection.fields.engine,
  detector: Engines.PipelineSelection.fields.detector,
  classifier: Engines.PipelineSelection.fields.classifier,
  recognizer: Engines.PipelineSelection.fields.recognizer,
  layout: Engines.PipelineSelection.fields.layout,
  preprocess: Engines.PipelineSelection.fields.preprocess,
  /** Service address and key for `engine: "remote"`. */
  remoteUrl: Engines.PipelineSelection.fields.remoteUrl,
  appkey: OptionDecoding.optional(Schema.Redacted(Schema.String), "a key"),
  /** Word layout: `flow` (editable text in reading order) or `exact` (every line where it was on the page). */
  mode: OptionDecoding.optional(DocumentWriter.DocxMode, OptionDecoding.oneOf(DocumentWriter.DocxMode.literals)),
  /** In exact mode, the page image behind the text. */
  background: OptionDecoding.optional(Schema.Boolean, "a boolean"),
  /** Resolution PDF pages are rendered at (dpi). */
  pdfDpi: Engines.PipelineSelection.fields.pdfDpi,
  /** A PDF page's text: its text layer (`auto`, `text`) or OCR (`ocr`). */
  pdfText: Engines.PipelineSelection.fields.pdfText,
  /** Submit the inputs to `remoteUrl`'s batch endpoint (POST /jobs) and wait, instead of converting here. */
  async: OptionDecoding.optional(Schema.Boolean, "a boolean")
})
export type ConvertOptions = typeof ConvertOptions.Type

/** The run ended with failed inputs (each already reported), or could not start. */
export class ConversionFailed extends Schema.TaggedError<ConversionFailed>()("ConversionFailed", {
  reason: Schema.Literals(["SomeInputsFailed", "CouldNotStart"]),
  failed: Schema.Number,
  total: Schema.Number,
  message: Schema.String
}) {}

/** Where the run reports progress. */
export interface Reporting {
  readonly write: (text: string) => void
  readonly isTerminal: boolean
  readonly columns: number
}

const messageOf = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause)
  if (error instanceof Error || (typeof error === "object" && error !== null && "message" in error)) {
    const message = String((error as { message: unknown }).message)
    // Defects are bugs: keep their stack so they can be reported.
    return Cause.hasFails(cause) ? message : `unexpected error: ${Cause.pretty(cause)}`
  }
  return String(error)
}

/** Convert every input; fails with `ConversionFailed` when any input failed. */
export const run = Effect.fn("Convert.run")(function* (options: ConvertOptions, reporting: Reporting) {
  const began = Date.now()
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const couldNotStart = (message: string) => {
    reporting.write(`error: ${message}\n`)
    return new ConversionFailed({
      reason: "CouldNotStart",
      failed: options.inputs.length,
      total: options.inputs.length,
      message
    })
  }
  // Unknown names are reported before any file is touched or model loaded.
  const selection = yield* Engines.resolve({
    ...(options.engine !== undefined ? { engine: options.engine } : {}),
    ...(options.detector !== undefined ? { detector: options.detector } : {}),
    ...(options.classifier !== undefined ? { classifier: options.classifier } : {}),
    ...(options.recognizer !== undefined ? { recognizer: options.recognizer } : {}),
    ...(options.layout !== undefined ? { layout: options.layout } : {}),
    ...(options.preprocess !== undefined ? { preprocess: options.preprocess } : {}),
    ...(options.remoteUrl !== undefined ? { remoteUrl: options.remoteUrl } : {}),
    ...(options.appkey !== undefined ? { appkey: options.appkey } : {}),
    ...(options.pdfDpi !== undefined ? { pdfDpi: options.pdfDpi } : {}),
    ...(options.pdfText !== undefined ? { pdfText: options.pdfText } : {})
  }).pipe(Effect.mapError((e) => couldNotStart(e.message)))
  if (options.inputs.length === 0) {
    return yield* couldNotStart("No inputs given. Usage: ocr2word <file|directory|glob>... [-o output]")
  }
  if (options.async === true && (options.remoteUrl === undefined || options.format !== "docx")) {
    return yield* couldNotStart(
      options.remoteUrl === undefined
        ? "Expected --remote-url with --async but received none; give the base URL of an ocr2word server (its POST /jobs)"
        : `Expected --format docx with --async but received ${options.format}; the server's jobs give Word files`
    )
  }
  const docx = {
    ...(options.mode !== undefined ? { mode: options.mode } : {}),
    ...(options.background !== undefined ? { backgroundImage: options.background } : {})
  }
  // The writer alone, before any model loads: a bad format or option fails now, and its extension names the outputs.
  const writer = yield* Effect.gen(function* () {
    return yield* DocumentWriter.DocumentWriter
  }).pipe(
    Effect.provide(Engines.writerLayer(options.format, docx)),
    Effect.mapError((e) => couldNotStart(e.message))
  )

  const plan = yield* Inputs.plan(options.inputs, { output: options.output, extension: writer.extension })
  const total = plan.jobs.length + plan.rejected.length
  const progress = Progress.make({
    total,
    bar: reporting.isTerminal && total > 1,
    columns: reporting.columns,
    write: reporting.write
  })
  let failed = 0
  const fail = (input: string, message: string) => {
    failed++
    return progress.failed(input, message)
  }
  for (const rejected of plan.rejected) yield* fail(rejected.input, rejected.message)

  // Outputs that exist fail now, before any model is loaded for them.
  const jobs: Array<Inputs.Job> = []
  for (const job of plan.jobs) {
    const writable = yield* Effect.exit(OutputFile.ensureWritable(job.output, { overwrite: options.overwrite }))
    if (Exit.isSuccess(writable)) jobs.push(job)
    else yield* fail(job.input, messageOf(writable.cause))
  }

  if (jobs.length > 0 && options.async === true) {
    yield* AsyncConvert.run(
      jobs,
      {
        remoteUrl: options.remoteUrl!,
        overwrite: options.overwrite,
        ...(options.appkey !== undefined ? { appkey: options.appkey } : {})
      },
      progress,
      fail
    )
  } else if (jobs.length > 0) {
    const convertAll = Effect.gen(function* () {
      const conversion = yield* Conversion.Conversion
      for (const job of jobs) {
        yield* progress.started(job.input)
        const started = Date.now()
        const exit = yield* Effect.exit(
          Effect.gen(function* () {
            const bytes = yield* fs
              .readFile(job.input)
              .pipe(Effect.mapError((e) => new Error(`Could not read ${job.input}: ${e.message}`)))
            const converted = yield* conversion.convert(bytes, { source: path.basename(job.input) })
            yield* OutputFile.write(job.output, converted.bytes, { overwrite: options.overwrite })
          }).pipe(Effect.withSpan("Convert.file", { attributes: { input: job.input } }))
        )
        if (Exit.isSuccess(exit)) yield* progress.converted(job.input, job.output, Date.now() - started)
        else {
          // Decoders name the source themselves; the report already starts with the input's path.
          const message = messageOf(exit.cause)
          const named = `${path.basename(job.input)}: `
          yield* fail(job.input, message.startsWith(named) ? message.slice(named.length) : message)
        }
      }
    })
    yield* convertAll.pipe(
      Effect.provide(Engines.conversionLayer({ pipeline: selection, format: options.format, docx })),
      Effect.catch((e) => {
        // The models did not load: nothing can be converted.
        failed += jobs.length
        return Effect.sync(() => reporting.write(`error: could not start the OCR engine: ${e.message}\n`))
      })
    )
  }

  yield* progress.finished(Date.now() - began)
  if (failed > 0) {
    return yield* new ConversionFailed({
      reason: "SomeInputsFailed",
      failed,
      total,
      message: `${failed} of ${total} inputs failed`
    })
  }
})
