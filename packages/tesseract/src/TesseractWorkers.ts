/**
 * A pool of tesseract.js workers (a tesseract.js scheduler) with the language
 * data loaded, shared by the Tesseract detector and recogniser. The workers
 * start when the layer is built and are terminated when its scope closes.
 *
 * Language data never comes from the network: by default `chi_sim` and `eng`
 * are read from the `@tesseract.js-data/chi_sim` and `@tesseract.js-data/eng`
 * packages (their `4.0.0_best_int` LSTM models), or from a folder given as
 * `langPath`. tesseract.js reads all languages from one folder, so the files
 * are linked into a folder of ours under `cachePath` first; tesseract.js's own
 * cache is switched off so it writes nothing next to the program.
 *
 * Each worker holds its own copy of the models (about 100 MB for
 * chi_sim + eng), so size the pool by memory as much as by cores.
 *
 * @since 0.1.0
 */
import * as crypto from "node:crypto"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as zlib from "node:zlib"
import { OptionDecoding, StageError } from "@ocr2word/core"
import { Context, Effect, Layer, Schema } from "effect"
import type Tesseract from "tesseract.js"
import { TesseractOptionsError } from "./TesseractOptionsError.ts"

/** Languages the default data packages provide. */
export const bundledLanguages: ReadonlyArray<string> = ["chi_sim", "eng"]

/** The data version used from the bundled packages. */
export const DATA_VERSION = "4.0.0_best_int"

/** How many workers, which languages, and where their data lives. */
export const Options = Schema.Struct({
  /** Workers in the pool: pages and lines are recognised this many at a time. */
  workers: OptionDecoding.integerBetween(1, 32),
  /** Tesseract language codes, the main language first. */
  languages: OptionDecoding.optional(
    Schema.Array(Schema.String.check(Schema.isPattern(/^[A-Za-z0-9_]+$/))).check(Schema.isMinLength(1)),
    "a non-empty array of Tesseract language codes such as ['chi_sim', 'eng']"
  ),
  /** A folder holding `<language>.traineddata` or `<language>.traineddata.gz` for every language. */
  langPath: OptionDecoding.optional(Schema.NonEmptyString, "a path to a folder of .traineddata files"),
  /** A folder of ours for the linked language data. */
  cachePath: OptionDecoding.optional(Schema.NonEmptyString, "a path to a writable folder"),
  /** Milliseconds a worker may take to start before the layer fails. */
  startTimeout: OptionDecoding.optional(
    Schema.Int.check(Schema.isBetween({ minimum: 1000, maximum: 600_000 })),
    "an integer number of milliseconds between 1000 and 600000"
  )
})
export type Options = typeof Options.Type

/** Defaults: one worker (about 200 MB), Simplified Chinese then English. */
export const defaultOptions = {
  workers: 1,
  languages: bundledLanguages,
  cachePath: path.join(os.tmpdir(), "ocr2word-tesseract-cache"),
  startTimeout: 120_000
} as const

/** Tesseract parameters of one job, e.g. `{ tessedit_pageseg_mode: "7" }`. */
export type Parameters = Readonly<Record<string, string>>

/** Which parts of the result a job computes. */
export interface Output {
  /** Recognise the text (words, symbols, confidences). */
  readonly text: boolean
}

/** The running pool. */
export class TesseractWorkers extends Context.Service<
  TesseractWorkers,
  {
    /** Workers in the pool. */
    readonly size: number
    readonly languages: ReadonlyArray<string>
    /**
     * Run one image (PNG bytes) through a free worker. With `text` the result
     * has recognised blocks; without, only the layout (`layoutBlocks`, no text).
     */
    readonly recognize: (
      png: Uint8Array,
      parameters: Parameters,
      output: Output
    ) => Effect.Effect<Tesseract.Page, Error>
  }
>()("@ocr2word/tesseract/TesseractWorkers") {}

/** The folder of a bundled language's data inside its npm package. */
export const bundledLanguageDirectory = (language: string): string =>
  path.join(
    path.dirname(fileURLToPath(import.meta.resolve(`@tesseract.js-data/${language}/package.json`))),
    DATA_VERSION
  )

const exists = (file: string) =>
  Effect.promise(() =>
    fs.stat(file).then(
      (stat) => stat.isFile() && stat.size > 0,
      () => false
    )
  )

const notFound = (language: string, searched: ReadonlyArray<string>, langPath: string | undefined) =>
  new StageError.ModelLoadError({
    reason: "NotFound",
    message:
      `No Tesseract language data for '${language}' (looked for ${searched.join(", ")}). Possible fixes:\n` +
      (langPath === undefined
        ? bundledLanguages.includes(language)
          ? `- Reinstall the data package: npm install @tesseract.js-data/${language}\n`
          : `- Install its data package (npm install @tesseract.js-data/${language}) and pass langPath with the folder of ${language}.traineddata.gz\n`
        : `- Check that ${langPath} holds ${language}.traineddata or ${language}.traineddata.gz\n`) +
      `- Use only the languages whose data is installed (bundled: ${bundledLanguages.join(", ")})\n` +
      "- Nothing is downloaded at run time: copy the .traineddata file from tessdata_best_int or tesseract.js-data yourself"
  })

/** The data file of one language: from `langPath` when given, else its npm package. */
const findData = Effect.fn("TesseractWorkers.findData")(function* (language: string, langPath: string | undefined) {
  const folders: Array<string> = []
  if (langPath !== undefined) folders.push(path.resolve(langPath))
  else {
    const bundled = yield* Effect.sync(() => {
      try {
        return bundledLanguageDirectory(language)
      } catch {
        return undefined
      }
    })
    if (bundled !== undefined) folders.push(bundled)
  }
  const candidates = folders.flatMap((dir) => [
    path.join(dir, `${language}.traineddata.gz`),
    path.join(dir, `${language}.traineddata`)
  ])
  for (const file of candidates) {
    if (yield* exists(file)) return file
  }
  return yield* notFound(
    language,
    candidates.length > 0 ? candidates : [`the npm package @tesseract.js-data/${language}`],
    langPath
  )
})

const invalidData = (language: string, file: string, why: string) =>
  new StageError.ModelLoadError({
    reason: "Invalid",
    message:
      `The Tesseract language data ${file} for '${language}' is not a .traineddata model (${why}). Possible fixes:\n` +
      (file.includes("@tesseract.js-data")
        ? `- Reinstall the data package: npm install @tesseract.js-data/${language}\n`
        : `- Replace it with ${language}.traineddata(.gz) from tessdata_best_int or tesseract.js-data\n`) +
      "- Check that the download or copy was not cut short"
  })

/**
 * Check a data file's table of contents (a count of components, then their
 * offsets) before a worker sees it: tesseract.js never settles a worker
 * whose data fails to initialise, and then throws from its message handler.
 */
const checkData = Effect.fn("TesseractWorkers.checkData")(function* (language: string, file: string) {
  const bytes = yield* Effect.tryPromise({
    try: async () => {
      const raw = await fs.readFile(file)
      return raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw
    },
    catch: (cause) => invalidData(language, file, (cause as Error)?.message ?? String(cause))
  })
  if (bytes.length < 12) return yield* invalidData(language, file, `only ${bytes.length} bytes`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const count = view.getInt32(0, true)
  if (count < 1 || count > 256 || 4 + 8 * count > bytes.length) {
    return yield* invalidData(language, file, "no table of components at its start")
  }
  for (let i = 0; i < count; i++) {
    const offset = Number(view.getBigInt64(4 + 8 * i, true))
    if (offset !== -1 && (offset < 4 + 8 * count || offset > bytes.length)) {
      return yield* invalidData(language, file, `component ${i} lies outside the file`)
    }
  }
})

const unwritable = (folder: string, cause: unknown) =>
  new StageError.ModelLoadError({
    reason: "NotFound",
    message:
      `The Tesseract cache folder ${folder} could not be prepared (${(cause as Error)?.message ?? cause}). Possible fixes:\n` +
      "- Pass cachePath with a folder this process may write to\n" +
      "- Check the permissions and free space of the temporary folder",
    cause
  })

/**
 * Link every language's data file into one folder, named as tesseract.js
 * expects (`<language>.traineddata.gz`; tesseract.js tells gzip data from raw
 * data by its first bytes, whatever the name). The folder is keyed by the
 * sources, and each link is replaced atomically, so concurrent processes
 * agree. Where links are not allowed, the files are copied.
 */
const stageData = Effect.fn("TesseractWorkers.stageData")(function* (
  sources: ReadonlyArray<readonly [language: string, file: string]>,
  cachePath: string
) {
  const key = crypto
    .createHash("sha256")
    .update(sources.map(([language, file]) => `${language}=${file}`).join("\n"))
    .digest("hex")
    .slice(0, 12)
  const folder = path.join(path.resolve(cachePath), `langs-${key}`)
  yield* Effect.tryPromise({
    try: async () => {
      await fs.mkdir(folder, { recursive: true })
      for (const [language, file] of sources) {
        const target = path.join(folder, `${language}.traineddata.gz`)
        const current = await fs.readlink(target).catch(() => undefined)
        if (current === file) continue
        const temporary = `${target}.${process.pid}.${crypto.randomUUID()}`
        try {
          await fs.symlink(file, temporary)
        } catch {
          await fs.copyFile(file, temporary)
        }
        await fs.rename(temporary, target)
      }
    },
    catch: (cause) => unwritable(folder, cause)
  })
  return folder
})

type TesseractModule = typeof Tesseract

const loadTesseract = Effect.tryPromise({
  try: async (): Promise<TesseractModule> => {
    const module = await import("tesseract.js")
    return (module as unknown as { default?: TesseractModule }).default ?? (module as unknown as TesseractModule)
  },
  catch: (cause) =>
    new StageError.ModelLoadError({
      reason: "RuntimeUnavailable",
      message:
        `tesseract.js could not be loaded (${(cause as Error)?.message ?? cause}). Possible fixes:\n` +
        "- Reinstall it: npm install tesseract.js@7\n" +
        "- Run on Node 24 (npx node), which tesseract.js's WebAssembly build supports",
      cause
    })
})

const startFailed = (languages: ReadonlyArray<string>, folder: string, cause: unknown) =>
  new StageError.ModelLoadError({
    reason: "Invalid",
    message:
      `A Tesseract worker could not load ${languages.join("+")} from ${folder} (${(cause as Error)?.message ?? cause}). Possible fixes:\n` +
      "- Check that every .traineddata file is a Tesseract 4/5 LSTM model, not truncated (reinstall the @tesseract.js-data package)\n" +
      "- Delete the cache folder (cachePath) and try again",
    cause
  })

/**
 * Start a worker. tesseract.js never settles `createWorker` when the language
 * data fails to initialise, hence the timeout.
 */
const startWorker = (tesseract: TesseractModule, languages: ReadonlyArray<string>, folder: string, timeout: number) =>
  Effect.tryPromise({
    try: () =>
      tesseract.createWorker(languages.join("+"), tesseract.OEM.LSTM_ONLY, {
        langPath: folder,
        cachePath: folder,
        // "none": neither read nor write tesseract.js's cache (it would write
        // unpacked copies into the working directory by default).
        cacheMethod: "none",
        gzip: true,
        // Without a handler a failed job is rethrown inside a message
        // listener and kills the process; the job's promise already rejects.
        errorHandler: () => {}
      }),
    catch: (cause) => startFailed(languages, folder, cause)
  }).pipe(
    Effect.timeoutOrElse({
      duration: timeout,
      orElse: () => Effect.fail(startFailed(languages, folder, new Error(`no answer within ${timeout} ms`)))
    })
  )

/** Start the pool described by `options` in the current scope. */
export const make = Effect.fn("TesseractWorkers.make")(function* (options: Options = {}) {
  const size = options.workers ?? defaultOptions.workers
  const languages = options.languages ?? defaultOptions.languages
  const cachePath = options.cachePath ?? defaultOptions.cachePath
  const timeout = options.startTimeout ?? defaultOptions.startTimeout
  const sources: Array<readonly [string, string]> = []
  for (const language of languages) {
    const file = yield* findData(language, options.langPath)
    yield* checkData(language, file)
    sources.push([language, file])
  }
  const folder = yield* stageData(sources, cachePath)
  const tesseract = yield* loadTesseract
  const scheduler = yield* Effect.acquireRelease(
    Effect.sync(() => ({
      scheduler: tesseract.createScheduler(),
      workers: [] as Array<Tesseract.Worker>,
      closed: false
    })),
    // The scheduler's own terminate does not wait for its workers.
    (pool) =>
      Effect.promise(() => {
        pool.closed = true
        return Promise.allSettled(pool.workers.map((worker) => worker.terminate()))
      })
  )
  const workers = yield* Effect.forEach(
    Array.from({ length: size }, (_, i) => i),
    () =>
      startWorker(tesseract, languages, folder, timeout).pipe(
        // Recorded at once, so workers that did start are terminated even when another one fails.
        Effect.tap((worker) => Effect.sync(() => scheduler.workers.push(worker)))
      ),
    { concurrency: size }
  )
  for (const worker of workers) scheduler.scheduler.addWorker(worker)

  const recognize = (png: Uint8Array, parameters: Parameters, output: Output) =>
    Effect.tryPromise({
      try: async () => {
        // tesseract.js would queue the job forever on terminated workers.
        if (scheduler.closed) throw new Error("The Tesseract workers were stopped: their layer's scope is closed")
        const image = Buffer.from(png.buffer, png.byteOffset, png.byteLength)
        const result = await scheduler.scheduler.addJob(
          "recognize",
          image,
          parameters as Partial<Tesseract.RecognizeOptions>,
          output.text ? { text: true, blocks: true } : { text: false, layoutBlocks: true }
        )
        return result.data
      },
      catch: (cause) => (cause instanceof Error ? cause : new Error(String(cause)))
    })

  return TesseractWorkers.of({ size, languages, recognize })
})

/** One worker with chi_sim + eng from the bundled data packages. */
export const layer: Layer.Layer<TesseractWorkers, StageError.ModelLoadError> = Layer.effect(TesseractWorkers, make())

/** A pool with the given options (defaults for those left out). */
export const layerWith = (
  options: Options
): Layer.Layer<TesseractWorkers, StageError.ModelLoadError | TesseractOptionsError> =>
  Layer.effect(
    TesseractWorkers,
    Effect.flatMap(
      OptionDecoding.decode(Options, options, (invalid) => new TesseractOptionsError(invalid)),
      make
    )
  )
