/**
 * Choosing backends by name, docTR-style. `pipelineLayer` turns a selection
 * such as `{ engine: "paddle" }` or `{ detector: "paddle", recognizer:
 * "tesseract" }` into a ready `Pipeline` layer: the stage layers of the named
 * backends, the image decoder, the preprocessor and the layout analyser, with
 * each backend's shared resources (ONNX sessions, workers) loaded once.
 * `writerLayer` does the same for output formats, and `conversionLayer`
 * puts the two together as core's `Conversion` (decode, recognise, write,
 * stage timings), the one way the CLI, the server and the benchmark convert.
 *
 * Use it wherever a program takes backend names from outside (CLI flags, HTTP
 * fields, config). To add a backend, add one entry to `backends`; a backend
 * that runs the whole pipeline itself (the `remote` service) goes in
 * `pipelineBackends` instead.
 *
 * @since 0.1.0
 */
import {
  Conversion,
  type DocumentWriter,
  type ImageSource,
  type LayoutAnalyzer,
  OptionDecoding,
  Pipeline,
  Preprocessor,
  type StageError,
  TextClassifier,
  type TextDetector,
  type TextRecognizer
} from "@ocr2word/core"
import { DocxDocumentWriter, JsonDocumentWriter, TextDocumentWriter } from "@ocr2word/docx"
import { AltoDocumentWriter, HocrDocumentWriter, MarkdownDocumentWriter, PdfDocumentWriter } from "@ocr2word/formats"
import { ImageCodec, ImagePreprocessor, SharpImageSource } from "@ocr2word/image"
import { XyCutLayoutAnalyzer } from "@ocr2word/layout"
import { PaddleModels, PaddleTextClassifier, PaddleTextDetector, PaddleTextRecognizer } from "@ocr2word/paddle"
import { RemoteDocx, RemotePipeline } from "@ocr2word/remote"
import { TesseractTextDetector, TesseractTextRecognizer, TesseractWorkers } from "@ocr2word/tesseract"
import { Effect, Layer, Redacted, Schema } from "effect"

/** A name that is not in a registry, or options that do not decode. */
export class EngineError extends Schema.TaggedError<EngineError>()("EngineError", {
  reason: Schema.Literals(["UnknownName", "InvalidOptions"]),
  message: Schema.String
}) {}

type LoadError = StageError.ModelLoadError

/** The stage layers one backend offers, its shared resources already provided. */
export interface Backend {
  /** One line for help texts. */
  readonly description: string
  readonly detector?: Layer.Layer<TextDetector.TextDetector, LoadError>
  readonly classifier?: Layer.Layer<TextClassifier.TextClassifier, LoadError>
  readonly recognizer?: Layer.Layer<TextRecognizer.TextRecognizer, LoadError>
}

/**
 * A backend from stage layers that share `resources` (models, workers). Layers
 * are memoised by reference, so the resources are built once per pipeline
 * however many of the backend's stages are chosen.
 */
export const backend = <R, E extends LoadError>(options: {
  readonly description: string
  readonly resources: Layer.Layer<R, E>
  readonly detector?: Layer.Layer<TextDetector.TextDetector, LoadError, R>
  readonly classifier?: Layer.Layer<TextClassifier.TextClassifier, LoadError, R>
  readonly recognizer?: Layer.Layer<TextRecognizer.TextRecognizer, LoadError, R>
}): Backend => ({
  description: options.description,
  ...(options.detector ? { detector: Layer.provide(options.detector, options.resources) } : {}),
  ...(options.classifier ? { classifier: Layer.provide(options.classifier, options.resources) } : {}),
  ...(options.recognizer ? { recognizer: Layer.provide(options.recognizer, options.resources) } : {})
})

/** The OCR backends by name. */
export const backends: Readonly<Record<string, Backend>> = {
  paddle: backend({
    description: "PaddleOCR PP-OCRv4 on ONNX Runtime: DB detection, 180-degree line classification, CTC recognition",
    resources: PaddleModels.layer,
    detector: PaddleTextDetector.layer,
    classifier: PaddleTextClassifier.layer,
    recognizer: PaddleTextRecognizer.layer
  }),
  tesseract: backend({
    description:
      "Tesseract 5 (tesseract.js 7, chi_sim + eng best_int): page segmentation and single-line LSTM recognition, small memory",
    resources: TesseractWorkers.layer,
    detector: TesseractTextDetector.layer,
    recognizer: TesseractTextRecognizer.layer
  })
}

/**
 * Backends that run the whole pipeline themselves, so no stage can be mixed
 * with another backend's: by name.
 */
export const pipelineBackends: Readonly<Record<string, { readonly description: string }>> = {
  remote: {
    description:
      "A contract-compatible ocr2word service (the commercial API at https://api.gugudata.com, or another ocr2word server): set remoteUrl and appkey"
  }
}

/** Line classifiers besides the backends' own. */
const extraClassifiers: Readonly<Record<string, Layer.Layer<TextClassifier.TextClassifier, LoadError>>> = {
  none: TextClassifier.TextClassifier.none
}

/** Layout analysers by name. */
export const layouts: Readonly<Record<string, Layer.Layer<LayoutAnalyzer.LayoutAnalyzer>>> = {
  xycut: XyCutLayoutAnalyzer.layer
}

/** Preprocessors by name: `auto` finds the orientation and deskews, `none` leaves the page alone. */
export const preprocessors: Readonly<Record<string, Layer.Layer<Preprocessor.Preprocessor>>> = {
  auto: ImagePreprocessor.layer,
  none: Preprocessor.Preprocessor.identity
}

/** Output formats. */
export const Format = Schema.Literals(["docx", "txt", "json", "md", "hocr", "alto", "pdf"])
export type Format = typeof Format.Type
/** Every output format, in the order `--help` lists them. */
export const formats: ReadonlyArray<Format> = Format.literals

/** Writers by format. */
export const writers: Readonly<Record<Format, Layer.Layer<DocumentWriter.DocumentWriter>>> = {
  // Documents from the remote backend keep the service's own Word file.
  docx: RemoteDocx.passThrough(DocxDocumentWriter.layer),
  txt: TextDocumentWriter.layer,
  json: JsonDocumentWriter.layer,
  md: MarkdownDocumentWriter.layer,
  hocr: HocrDocumentWriter.layer,
  alto: AltoDocumentWriter.layer,
  pdf: PdfDocumentWriter.layer
}

const stageNames = (stage: "detector" | "classifier" | "recognizer"): ReadonlyArray<string> =>
  Object.keys(backends).filter((name) => backends[name]![stage] !== undefined)

/** Names each option accepts. */
export const names = {
  engine: [...Object.keys(backends), ...Object.keys(pipelineBackends)],
  detector: stageNames("detector"),
  classifier: [...stageNames("classifier"), ...Object.keys(extraClassifiers)],
  recognizer: stageNames("recognizer"),
  layout: Object.keys(layouts),
  preprocess: Object.keys(preprocessors),
  format: formats
} as const

/** What `pipelineLayer` takes: backend names per stage and the pipeline's thresholds. */
export const PipelineSelection = Schema.Struct({
  /** Backend for every OCR stage not named on its own. Default `paddle`. */
  engine: OptionDecoding.optional(Schema.String, "an engine name"),
  detector: OptionDecoding.optional(Schema.String, "a detector name"),
  /** Default: the engine's classifier, or `none` when it has none. */
  classifier: OptionDecoding.optional(Schema.String, "a classifier name"),
  recognizer: OptionDecoding.optional(Schema.String, "a recognizer name"),
  /** Default `xycut`. */
  layout: OptionDecoding.optional(Schema.String, "a layout name"),
  /** Default `auto`. */
  preprocess: OptionDecoding.optional(Schema.String, "a preprocessor name"),
  minConfidence: Pipeline.PipelineOptions.fields.minConfidence,
  flipConfidence: Pipeline.PipelineOptions.fields.flipConfidence,
  /** Base URL of the service, for engine `remote`, e.g. `https://api.gugudata.com`. */
  remoteUrl: OptionDecoding.optional(Schema.String, "an http or https URL"),
  /** The service's key, for engine `remote`. Kept `Redacted` once resolved. */
  appkey: OptionDecoding.optional(Schema.Union([Schema.String, Schema.Redacted(Schema.String)]), "a string"),
  /** Keep each page's image (PNG) in the document, for Word pages with the image behind the text. */
  keepPageImage: OptionDecoding.optional(Schema.Boolean, "a boolean"),
  /** Resolution PDF pages are rendered at (dpi). Default 300. */
  pdfDpi: SharpImageSource.Options.fields.pdfDpi,
  /** A PDF page's text: `auto` (its text layer when it has one, the default), `ocr` or `text`. */
  pdfText: SharpImageSource.Options.fields.pdfText
})
export type PipelineSelection = typeof PipelineSelection.Type

/** A selection with every stage named. */
export interface Resolved {
  readonly engine: string
  readonly detector: string
  readonly classifier: string
  readonly recognizer: string
  readonly layout: string
  readonly preprocess: string
  readonly minConfidence?: number
  readonly flipConfidence?: number
  readonly remoteUrl?: string
  readonly appkey?: Redacted.Redacted<string>
  readonly keepPageImage?: boolean
  readonly pdfDpi?: number
  readonly pdfText?: "auto" | "ocr" | "text"
}

const plural = (kind: string) => (kind === "preprocess" ? "preprocessors" : `${kind}s`)

const known = (kind: keyof typeof names, name: string): Effect.Effect<string, EngineError> =>
  names[kind].includes(name as never)
    ? Effect.succeed(name)
    : Effect.fail(
        new EngineError({
          reason: "UnknownName",
          message: `Unknown ${kind === "preprocess" ? "preprocessor" : kind} '${name}'. Known ${plural(kind)}: ${names[kind].join(", ")}`
        })
      )

/** Decode a selection and name every stage, failing on unknown names. */
export const resolve = Effect.fn("Engines.resolve")(function* (options: unknown = {}) {
  const selection = yield* OptionDecoding.decode(
    PipelineSelection,
    options,
    ({ message }) => new EngineError({ reason: "InvalidOptions", message })
  )
  const engine = yield* known("engine", selection.engine ?? "paddle")
  if (pipelineBackends[engine] !== undefined) return yield* resolveWhole(engine, selection)
  const own = backends[engine]!
  const stage = (kind: "detector" | "recognizer", given: string | undefined) =>
    given !== undefined
      ? known(kind, given)
      : own[kind] !== undefined
        ? Effect.succeed(engine)
        : Effect.fail(
            new EngineError({
              reason: "UnknownName",
              message: `Engine '${engine}' has no ${kind}. Choose one with the ${kind} option: ${names[kind].join(", ")}`
            })
          )
  return {
    engine,
    detector: yield* stage("detector", selection.detector),
    classifier: yield* known("classifier", selection.classifier ?? (own.classifier !== undefined ? engine : "none")),
    recognizer: yield* stage("recognizer", selection.recognizer),
    layout: yield* known("layout", selection.layout ?? "xycut"),
    preprocess: yield* known("preprocess", selection.preprocess ?? "auto"),
    ...(selection.minConfidence !== undefined ? { minConfidence: selection.minConfidence } : {}),
    ...(selection.flipConfidence !== undefined ? { flipConfidence: selection.flipConfidence } : {}),
    ...(selection.keepPageImage !== undefined ? { keepPageImage: selection.keepPageImage } : {}),
    ...(selection.pdfDpi !== undefined ? { pdfDpi: selection.pdfDpi } : {}),
    ...(selection.pdfText !== undefined ? { pdfText: selection.pdfText } : {})
  } satisfies Resolved
})

const isHttpUrl = (text: string) => {
  try {
    return ["http:", "https:"].includes(new URL(text).protocol)
  } catch {
    return false
  }
}

/** A selection of a whole-pipeline backend: no stage of another backend, and the service's address. */
const resolveWhole = (engine: string, selection: PipelineSelection): Effect.Effect<Resolved, EngineError> => {
  const invalid = (message: string) => Effect.fail(new EngineError({ reason: "InvalidOptions", message }))
  for (const stage of ["detector", "classifier", "recognizer", "layout", "preprocess"] as const) {
    const given = selection[stage]
    if (given !== undefined && given !== engine) {
      return invalid(
        `Engine '${engine}' runs the whole pipeline on the service, so its ${stage} cannot be chosen; drop the ${stage} option`
      )
    }
  }
  const { remoteUrl, appkey } = selection
  if (remoteUrl === undefined || !isHttpUrl(remoteUrl)) {
    return invalid(
      remoteUrl === undefined
        ? `Engine '${engine}' needs the service's address: set remoteUrl (--remote-url), e.g. https://api.gugudata.com`
        : `Expected an http or https URL for remoteUrl but received ${OptionDecoding.show(remoteUrl)}`
    )
  }
  const key = appkey === undefined || Redacted.isRedacted(appkey) ? appkey : Redacted.make(appkey, { label: "appkey" })
  if (key !== undefined && Redacted.value(key).length === 0)
    return invalid("Expected a non-empty string for appkey but received an empty string")
  return Effect.succeed({
    engine,
    detector: engine,
    classifier: engine,
    recognizer: engine,
    layout: engine,
    preprocess: engine,
    remoteUrl,
    ...(key !== undefined ? { appkey: key } : {})
  })
}

/** The stage layers of a resolved selection (without the pipeline on top). */
export const stagesLayer = (
  resolved: Resolved
): Layer.Layer<
  | ImageSource.ImageSource
  | Preprocessor.Preprocessor
  | TextDetector.TextDetector
  | TextClassifier.TextClassifier
  | TextRecognizer.TextRecognizer
  | LayoutAnalyzer.LayoutAnalyzer,
  LoadError
> =>
  Layer.mergeAll(
    resolved.pdfDpi !== undefined || resolved.pdfText !== undefined
      ? // Decoded by resolve: the layer cannot fail.
        Layer.orDie(
          SharpImageSource.layerWith({
            ...(resolved.pdfDpi !== undefined ? { pdfDpi: resolved.pdfDpi } : {}),
            ...(resolved.pdfText !== undefined ? { pdfText: resolved.pdfText } : {})
          })
        )
      : SharpImageSource.layer,
    preprocessors[resolved.preprocess]!,
    backends[resolved.detector]!.detector!,
    backends[resolved.classifier]?.classifier ?? extraClassifiers[resolved.classifier]!,
    backends[resolved.recognizer]!.recognizer!,
    layouts[resolved.layout]!
  )

/**
 * A `Pipeline` layer from backend names. Fails with `EngineError` on unknown
 * names or bad options, and with `ModelLoadError` when a backend's models do
 * not load. Models load when the layer is built, once for every run.
 */
export const pipelineLayer = (
  options: PipelineSelection = {}
): Layer.Layer<Pipeline.Pipeline, EngineError | LoadError> =>
  Layer.unwrap(
    Effect.map(resolve(options), (resolved) =>
      resolved.remoteUrl !== undefined
        ? // Options were checked by resolve, so the client's own decoding cannot fail.
          Layer.orDie(
            RemotePipeline.layer({
              baseUrl: resolved.remoteUrl,
              ...(resolved.appkey !== undefined ? { appkey: resolved.appkey } : {})
            })
          )
        : // The thresholds were decoded by resolve with the pipeline's own keys, so this layer cannot fail on them.
          Layer.orDie(
            Pipeline.layer(
              {
                ...(resolved.minConfidence !== undefined ? { minConfidence: resolved.minConfidence } : {}),
                ...(resolved.flipConfidence !== undefined ? { flipConfidence: resolved.flipConfidence } : {})
              },
              // Each page keeps its upright image (PNG) for a writer that draws it.
              resolved.keepPageImage === true ? { encodePng: ImageCodec.encodePng } : undefined
            )
          ).pipe(Layer.provide(stagesLayer(resolved)))
    )
  )

/**
 * A `DocumentWriter` layer for an output format: `docx`, `txt`, `json`,
 * `md`, `hocr`, `alto` or `pdf` (searchable: page image and invisible text).
 * `docx` takes `DocxDocumentWriter` options (`mode`: core's `DocxMode`,
 * `backgroundImage`); the others none.
 */
export const writerLayer = (
  format: string,
  docxOptions?: DocxDocumentWriter.Options
): Layer.Layer<DocumentWriter.DocumentWriter, EngineError> =>
  Layer.unwrap(
    Effect.gen(function* () {
      const name = yield* known("format", format)
      if (name !== "docx" || docxOptions === undefined || Object.keys(docxOptions).length === 0) {
        return writers[name as Format]
      }
      // Checked here so a bad option is an EngineError like a bad name; the layer then cannot fail.
      yield* Effect.mapError(
        DocxDocumentWriter.decodeOptions(docxOptions),
        (e) => new EngineError({ reason: "InvalidOptions", message: e.message })
      )
      return RemoteDocx.passThrough(Layer.orDie(DocxDocumentWriter.layerWith(docxOptions)))
    })
  )

/** What `conversionLayer` takes: the backends by name, the output format and the Word writer's options. */
export interface ConversionSelection {
  readonly pipeline?: PipelineSelection
  /** `docx` (the default), `txt`, `json`, `md`, `hocr`, `alto` or `pdf`. */
  readonly format?: string
  readonly docx?: DocxDocumentWriter.Options
}

/**
 * A `Conversion` layer from names: the pipeline, the writer and, chosen here
 * once from the writer's options, whether the layout stage keeps each page's
 * image (a Word page in exact mode with the image behind the text draws it, and
 * a searchable PDF is made of the page images).
 */
export const conversionLayer = (
  options: ConversionSelection = {}
): Layer.Layer<Conversion.Conversion, EngineError | LoadError> => {
  const keepPageImage =
    (options.docx?.mode === "exact" && options.docx.backgroundImage === true) || options.format === "pdf"
  // PDF pages rendered at a chosen dpi come back out of the searchable PDF at their size in points.
  const pdfDpi = options.pipeline?.pdfDpi
  return Conversion.layer.pipe(
    Layer.provide(
      Layer.mergeAll(
        pipelineLayer({ ...options.pipeline, ...(keepPageImage ? { keepPageImage: true } : {}) }),
        options.format === "pdf" && pdfDpi !== undefined && pdfDpi >= 36 && pdfDpi <= 1200
          ? // A valid dpi: the layer cannot fail.
            Layer.orDie(PdfDocumentWriter.layerWith({ dpi: pdfDpi }))
          : writerLayer(options.format ?? "docx", options.docx)
      )
    )
  )
}
