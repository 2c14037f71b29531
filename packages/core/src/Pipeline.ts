/**
 * The orchestrator: decode -> preprocess -> detect -> crop -> classify ->
 * recognise -> layout, page by page. A page that brings its own text (a PDF
 * page's text layer) skips preprocessing, detection and recognition: its lines
 * go straight to layout. The layout returns the page's blocks and the
 * pipeline builds the page record around them (`PageBuilder`), with the line
 * counts of every stage and, when built with a PNG encoder (`PageImage`), the
 * upright page image for writers that draw it. The line classifier first
 * votes on the page's longest lines and classifies the others only when that
 * early vote leaves the page's orientation in doubt. It holds no backend of its
 * own; provide a layer for each stage service and it composes them, so any
 * detector can be paired with any recogniser. Every stage call is a span
 * (`Effect.fn`), which is where the benchmark's per-stage timings come from.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Schema } from "effect"
import type { Document, Line, Page } from "./Document.ts"
import { type Quad, rotatePoint } from "./Geometry.ts"
import { type DecodedPage, ImageSource } from "./ImageSource.ts"
import { assembleLine } from "./internal/line-assembly.ts"
import {
  clearVote,
  disagreesWithPage,
  pageUpsideDown,
  voteSample,
  voteSampleSize
} from "./internal/line-orientation.ts"
import { LayoutAnalyzer } from "./LayoutAnalyzer.ts"
import * as OptionDecoding from "./OptionDecoding.ts"
import * as PageBuilder from "./PageBuilder.ts"
import { Preprocessor } from "./Preprocessor.ts"
import * as Raster from "./Raster.ts"
import type { PipelineError } from "./StageError.ts"
import { type LineOrientation, TextClassifier } from "./TextClassifier.ts"
import { cropLines } from "./TextCrop.ts"
import { TextDetector } from "./TextDetector.ts"
import { normalizeRecognized } from "./TextNormalization.ts"
import { TextRecognizer } from "./TextRecognizer.ts"

/** Options of a pipeline; every key optional (see `defaultOptions`). */
export const PipelineOptions = Schema.Struct({
  /** Lines recognised with a lower confidence are dropped (PaddleOCR's `drop_score`). */
  minConfidence: OptionDecoding.numberBetween(0, 1),
  /**
   * A line votes for turning its page, or is read turned as well as unturned
   * when it disagrees with its page, only when the classifier is at least this sure.
   */
  flipConfidence: OptionDecoding.numberBetween(0, 1),
  /** Tidy every recognised line with `TextNormalization` (spaces, punctuation width). */
  normalize: OptionDecoding.optional(Schema.Boolean, "a boolean")
})
export type PipelineOptions = typeof PipelineOptions.Type

/** The options `layer` and `make` use for what is not given. */
export const defaultOptions: Required<PipelineOptions> = { minConfidence: 0.5, flipConfidence: 0.9, normalize: true }

/** Options given to `layer` or `make` that do not decode; the message is in the house format. */
export class PipelineOptionsError extends Schema.TaggedError<PipelineOptionsError>()("PipelineOptionsError", {
  /** The option (or `options` for the whole object) that was wrong. */
  option: Schema.String,
  message: Schema.String
}) {}

/** What a run is told about its input. */
export interface RunOptions {
  /** File name or URL of the input, recorded in the document's metadata. */
  readonly source?: string
  /** Told as each page starts, with the input's page count (a server's progress: "page 2 of 5"). */
  readonly onPage?: (progress: PageProgress) => Effect.Effect<void>
}

/** Which page a run is at: `index` from 0, of `count` pages. */
export interface PageProgress {
  readonly index: number
  readonly count: number
}

/** The OCR pipeline: image bytes in, a `Document` out, through whichever stage layers it was built with. */
export class Pipeline extends Context.Service<
  Pipeline,
  {
    /** Recognise every page of an encoded image. */
    readonly run: (bytes: Uint8Array, options?: RunOptions) => Effect.Effect<Document, PipelineError>
    /** Recognise one decoded page. */
    readonly runPage: (image: Raster.Raster, index: number) => Effect.Effect<Page, PipelineError>
  }
>()("@ocr2word/core/Pipeline") {}

/** The quad of a line after its page was turned by 180 degrees, still in reading order. */
const turnQuad = (q: Quad, width: number, height: number): Quad => {
  const r = (i: number) => rotatePoint(q[i]!, 180, width, height)
  return [r(2), r(3), r(0), r(1)]
}

/**
 * How a pipeline keeps each page's upright image on its page (for a writer
 * that draws it, e.g. a Word page with the scan behind the text): the PNG
 * encoder to use (`ImageCodec.encodePng` of `@ocr2word/image`). Without it
 * pages carry no image.
 */
export interface PageImage {
  readonly encodePng: (image: Raster.Raster) => Effect.Effect<Uint8Array>
}

/** Build a pipeline from the stage services in context. */
export const make = (options?: PipelineOptions, pageImage?: PageImage) =>
  Effect.gen(function* () {
    const opts = {
      ...defaultOptions,
      ...(yield* OptionDecoding.decode(PipelineOptions, options, (invalid) => new PipelineOptionsError(invalid)))
    }
    const source = yield* ImageSource
    const preprocessor = yield* Preprocessor
    const detector = yield* TextDetector
    const classifier = yield* TextClassifier
    const recognizer = yield* TextRecognizer
    const layout = yield* LayoutAnalyzer
    const engine = detector.name === recognizer.name ? detector.name : `${detector.name}+${recognizer.name}`

    /** The page record around the layout's blocks, with its line counts and, when asked for, its image. */
    const assemble = Effect.fnUntraced(function* (
      page: Omit<PageBuilder.PageInput, "width" | "height" | "image" | "lineCounts">,
      image: Raster.Raster,
      counts: { readonly detected: number; readonly recognised: number; readonly kept: ReadonlyArray<Line> }
    ) {
      const lineCounts = PageBuilder.lineCounts({ ...counts, blocks: page.blocks })
      yield* Effect.annotateCurrentSpan(lineCounts)
      const png = pageImage?.encodePng !== undefined ? yield* pageImage.encodePng(image) : undefined
      return PageBuilder.build({
        ...page,
        width: image.width,
        height: image.height,
        ...(png !== undefined ? { image: png } : {}),
        lineCounts
      })
    })

    /**
     * The lines' orientations and the page's. The classifier first reads an
     * early vote (the longest lines); where the vote is clear the other lines
     * are not classified and follow the page (confidence 0, so none is read
     * both ways); where the page is in doubt every line is classified.
     */
    const orient = Effect.fnUntraced(function* (crops: ReadonlyArray<Raster.Raster>) {
      if (crops.length <= voteSampleSize) {
        const orientations = yield* classifier.classify(crops)
        return { orientations, turned: pageUpsideDown(crops, orientations, opts.flipConfidence) }
      }
      const sample = voteSample(crops)
      const voted = yield* classifier.classify(sample.map((i) => crops[i]!))
      const vote = clearVote(
        sample.map((i) => crops[i]!),
        voted,
        opts.flipConfidence
      )
      const inSample = new Map(sample.map((line, k) => [line, voted[k]!]))
      if (vote !== undefined) {
        const follows: LineOrientation = { angle: vote ? 180 : 0, confidence: 0 }
        return { orientations: crops.map((_, i) => inSample.get(i) ?? follows), turned: vote }
      }
      const rest = crops.flatMap((_, i) => (inSample.has(i) ? [] : [i]))
      const restVoted = yield* classifier.classify(rest.map((i) => crops[i]!))
      const inRest = new Map(rest.map((line, k) => [line, restVoted[k]!]))
      const orientations = crops.map((_, i) => inSample.get(i) ?? inRest.get(i)!)
      return { orientations, turned: pageUpsideDown(crops, orientations, opts.flipConfidence) }
    })

    const runPage = Effect.fn("Pipeline.runPage")(function* (input: Raster.Raster, index: number) {
      const pre = yield* preprocessor.process(input)
      let image = pre.image
      let rotation = pre.rotation
      let quads = (yield* detector.detect(image)).map((d) => d.polygon)
      let crops = cropLines(image, quads)
      const { orientations, turned } = yield* orient(crops)
      if (turned) {
        // Most of the text is upside down: the page is, so turn it (reading order follows).
        const { width, height } = image
        image = Raster.rotate(image, 180)
        rotation = ((rotation + 180) % 360) as 0 | 90 | 180 | 270
        quads = quads.map((q) => turnQuad(q, width, height))
        crops = cropLines(image, quads)
      }
      const texts = [...(yield* recognizer.recognize(crops))]
      // A line said to lie the other way from its page is read both ways; the surer reading wins, ties the classifier's.
      const doubtful = disagreesWithPage(orientations, turned, opts.flipConfidence).flatMap((d, i) => (d ? [i] : []))
      if (doubtful.length > 0) {
        const other = yield* recognizer.recognize(doubtful.map((i) => Raster.rotate(crops[i]!, 180)))
        doubtful.forEach((i, k) => {
          if (other[k]!.confidence >= texts[i]!.confidence) texts[i] = other[k]!
        })
      }
      const read = quads
        .map((q, i) => assembleLine(q, opts.normalize ? normalizeRecognized(texts[i]!) : texts[i]!))
        .filter((line) => line.text.trim().length > 0)
      const lines = read.filter((line) => line.confidence >= opts.minConfidence)
      const blocks = yield* layout.analyze({ image, lines })
      return yield* assemble({ index, rotation, skew: pre.skew, blocks }, image, {
        detected: quads.length,
        recognised: read.length,
        kept: lines
      })
    })

    // The page's own text is taken as written: no normalisation, no confidence filter.
    const runTextPage = Effect.fn("Pipeline.runTextPage")(function* (input: DecodedPage, index: number) {
      const lines = (input.textLayer ?? []).map((line) => assembleLine(line.polygon, line.text))
      const image: Raster.Raster = {
        width: input.width,
        height: input.height,
        channels: input.channels,
        data: input.data
      }
      const blocks = yield* layout.analyze({ image, lines })
      return yield* assemble({ index, rotation: 0, skew: 0, blocks }, image, {
        detected: lines.length,
        recognised: lines.length,
        kept: lines
      })
    })

    const run = Effect.fn("Pipeline.run")(function* (bytes: Uint8Array, runOptions?: RunOptions) {
      const onPage = runOptions?.onPage
      const each = (page: DecodedPage, index: number, count: number) =>
        Effect.andThen(
          onPage !== undefined ? onPage({ index, count }) : Effect.void,
          page.textLayer !== undefined ? runTextPage(page, index) : runPage(page, index)
        )
      // Page by page where the source can: a long PDF then holds one page raster at a time.
      const pages =
        source.forEachPage !== undefined
          ? yield* source.forEachPage(bytes, each, runOptions?.source)
          : yield* Effect.flatMap(source.decode(bytes, runOptions?.source), (decoded) =>
              Effect.forEach(decoded.pages, (page, index) => each(page, index, decoded.pages.length))
            )
      return {
        pages,
        metadata: {
          ...(runOptions?.source !== undefined ? { source: runOptions.source } : {}),
          engine,
          createdAt: new Date().toISOString()
        }
      } satisfies Document
    })

    return Pipeline.of({ run, runPage })
  })

/** The pipeline over whatever stage layers are provided; fails with `PipelineOptionsError` on a wrong option. */
export const layer = (
  options?: PipelineOptions,
  pageImage?: PageImage
): Layer.Layer<
  Pipeline,
  PipelineOptionsError,
  ImageSource | Preprocessor | TextDetector | TextClassifier | TextRecognizer | LayoutAnalyzer
> => Layer.effect(Pipeline, make(options, pageImage))
