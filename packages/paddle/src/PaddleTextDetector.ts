/**
 * The `TextDetector` stage on PaddleOCR's DB detector (PP-OCRv4 det). The page
 * gets a white margin first, so that text touching its edges (tight line
 * crops, screenshots) is found whole; then it is scaled like PaddleOCR's
 * `DetResizeForTest` (sides multiples of 32, the longest at most
 * `maxSide`, the shortest at least `minSide` so a single small line is
 * enlarged), and the probability map goes through `DbPostprocess`. Boxes come
 * back in page pixels.
 *
 * Text-height-adaptive scaling (`scaling: "adaptive"`, the default). A fixed
 * cap on the input's long side makes the detector's view of the text depend
 * on the page's pixel size, not on its type: a 1000x1400 newspaper page with
 * 10 px glyphs reaches the model with 7 px glyphs, and a 5000x7000 receipt
 * scan with 50 px glyphs with 7 px ones too; DB misses and merges such lines.
 * So the first pass (at the fixed size) measures the text: the lower quartile
 * of the detected boxes' heights, so that a page's small print, not its
 * headlines, sets the scale. When that text would reach the model smaller
 * than `textHeight` pixels, the page is detected again at the scale that
 * makes it `textHeight` high (at most `maxPixels` input pixels, so a huge
 * scan costs a bounded time), and boxes of the first pass that the second
 * does not cover (large type, which can break up at a high scale) are kept
 * beside the second pass's. Pages whose text is already large enough cost a
 * single pass, as before.
 *
 * Measured (a probe over 19 pages: 7 real-dev-2 receipts and forms, 7
 * synth-docs pages, 5 real-dev pages; order-free error, so that layout
 * changes do not count): fixed 960 px: forms 34.5%, clean synth pages 1.4%,
 * real-dev docs 1.8%, receipts' recall 96.0%; `textHeight` 16: 29.2%, 1.1%,
 * 1.8%, 96.0%; 24: 23.0%, 1.0%, 2.0%, 96.5%; 32: 16.4%, 0.9%, 1.4%, 96.7%.
 * 32 px is also about the body text height PaddleOCR's own 960 px inputs
 * give on a printed A4 page.
 *
 * @since 0.1.0
 */
import { Geometry, OptionDecoding, Raster, StageError, TextDetector } from "@ocr2word/core"
import { Effect, Layer, Schema } from "effect"
import * as DbPostprocess from "./DbPostprocess.ts"
import { detectionInput, detectionSize, scaledDetectionSize } from "./internal/model-input.ts"
import { PaddleModels } from "./PaddleModels.ts"
import { PaddleOptionsError } from "./PaddleOptionsError.ts"

/**
 * Small print is scaled to reach the model this tall. PaddleOCR's DB models
 * are trained on crops of 640 px from scenes and documents where body text
 * is mostly 15-40 px high; see the module header for the measurement.
 */
const TEXT_HEIGHT = 32

/** The second pass reads at most this many input pixels (about 2000 x 2000). */
const MAX_PIXELS = 4_000_000

/** Options of the detector. */
export const Options = Schema.Struct({
  /** The longest side of the first-pass detector input, in pixels (PaddleOCR's `det_limit_side_len`). */
  maxSide: OptionDecoding.integerBetween(32, 8192),
  /** The shortest side of the detector input: smaller pages are enlarged to it. */
  minSide: OptionDecoding.integerBetween(0, 8192),
  /** `adaptive`: a second pass at a scale chosen from the measured text height; `fixed`: one pass. */
  scaling: OptionDecoding.optional(Schema.Literals(["adaptive", "fixed"]), "one of adaptive, fixed"),
  /** With adaptive scaling, the text height (detector input pixels) small print is scaled up to. */
  textHeight: OptionDecoding.numberBetween(4, 256),
  /** With adaptive scaling, the most pixels the second pass's input may have. */
  maxPixels: OptionDecoding.integerBetween(1024, 64_000_000),
  /** White margin added around the page, as a fraction of its shorter side (clamped to 8..64 px). */
  margin: OptionDecoding.numberBetween(0, 2),
  /** Pixels with a text probability above this are text (`det_db_thresh`). */
  threshold: OptionDecoding.numberBetween(0, 1),
  /** Boxes with a lower mean probability are dropped (`det_db_box_thresh`). */
  boxThreshold: OptionDecoding.numberBetween(0, 1),
  /** How far boxes are grown back from the text kernel (`det_db_unclip_ratio`). */
  unclipRatio: OptionDecoding.numberBetween(0.5, 5)
})
export type Options = typeof Options.Type

/** The options `layer` uses: the input scaling and the DB post-processing thresholds. */
export const defaultOptions: Required<Options> = {
  maxSide: 960,
  minSide: 96,
  scaling: "adaptive",
  textHeight: TEXT_HEIGHT,
  maxPixels: MAX_PIXELS,
  margin: 0.5,
  threshold: DbPostprocess.defaultOptions.threshold,
  boxThreshold: DbPostprocess.defaultOptions.boxThreshold,
  unclipRatio: 1.5
}

/** The white margin put around a page before detection. */
export const marginFor = (width: number, height: number, margin: number): number =>
  margin === 0 ? 0 : Math.round(Math.min(64, Math.max(8, Math.min(width, height) * margin)))

/** The lower quartile of the boxes' heights (their shorter side), in the boxes' own pixels. */
export const smallTextHeight = (polygons: ReadonlyArray<Geometry.Quad>): number | undefined => {
  if (polygons.length === 0) return undefined
  const heights = polygons.map((q) => Math.min(Geometry.quadHeight(q), Geometry.quadWidth(q))).sort((a, b) => a - b)
  return heights[Math.floor((heights.length - 1) / 4)]
}

/**
 * The scale of the second pass, or undefined when the first pass saw the
 * text large enough: `firstScale` is the first pass's input pixels per page
 * pixel, `height` the small-text height in page pixels.
 */
export const secondScale = (
  page: { readonly width: number; readonly height: number },
  firstScale: number,
  height: number | undefined,
  options: { readonly textHeight: number; readonly maxPixels: number }
): number | undefined => {
  if (height === undefined || height <= 0) return undefined
  const wanted = options.textHeight / height
  const budget = Math.sqrt(options.maxPixels / (page.width * page.height))
  const scale = Math.min(wanted, budget)
  // Less than a quarter more pixels per side is not worth a second pass.
  return scale > firstScale * 1.25 ? scale : undefined
}

/** Share of box `a`'s area covered by box `b`. */
const coveredBy = (a: Geometry.Box, b: Geometry.Box): number => {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w <= 0 || h <= 0 ? 0 : (w * h) / Math.max(1, a.width * a.height)
}

/** Build the detector on the models in context. */
export const make = Effect.fn("PaddleTextDetector.make")(function* (options: Options = {}) {
  const opts = { ...defaultOptions, ...options }
  const models = yield* PaddleModels
  const post: DbPostprocess.Options = { ...DbPostprocess.defaultOptions, ...opts }

  /** One pass over the padded page at the given input size; boxes in page pixels. */
  const pass = Effect.fnUntraced(function* (
    image: Raster.Raster,
    page: Raster.Raster,
    pad: number,
    size: { readonly width: number; readonly height: number }
  ) {
    const input = yield* detectionInput(page, size)
    const output = yield* models.run(models.detection, input.tensor.data, input.tensor.dims).pipe(
      Effect.mapError(
        (cause) =>
          new StageError.DetectionError({
            reason: "InferenceFailed",
            message: `Text detection failed on a ${image.width}x${image.height} page: ${(cause as Error)?.message ?? cause}`,
            cause
          })
      )
    )
    const [, , h, w] = output.dims as [number, number, number, number]
    const found = DbPostprocess.boxes({ width: w, height: h, data: output.data }, post)
    const toPage = (p: { x: number; y: number }) => ({
      x: Math.min(image.width, Math.max(0, p.x / input.scaleX - pad)),
      y: Math.min(image.height, Math.max(0, p.y / input.scaleY - pad))
    })
    return found
      .map((b) => ({
        polygon: b.polygon.map(toPage) as unknown as TextDetector.DetectedText["polygon"],
        score: b.score
      }))
      .filter((b) => {
        const [tl, tr, , bl] = b.polygon
        // As PaddleOCR's filter_tag_det_res: boxes thinner than 4 px hold no readable text.
        return Math.hypot(tr.x - tl.x, tr.y - tl.y) > 3 && Math.hypot(bl.x - tl.x, bl.y - tl.y) > 3
      })
  })

  const detect = Effect.fn("PaddleTextDetector.detect")(function* (image: Raster.Raster) {
    if (image.width < 1 || image.height < 1) {
      return yield* new StageError.DetectionError({
        reason: "InvalidInput",
        message: `Cannot detect text on an empty ${image.width}x${image.height} image: give a page with pixels`
      })
    }
    const pad = marginFor(image.width, image.height, opts.margin)
    const page = pad > 0 ? Raster.pad(image, pad, 255) : image
    const firstSize = detectionSize(page.width, page.height, opts.minSide, opts.maxSide)
    const first = yield* pass(image, page, pad, firstSize)
    if (opts.scaling === "fixed") return first
    const scale = secondScale(
      page,
      Math.min(firstSize.width / page.width, firstSize.height / page.height),
      smallTextHeight(first.map((b) => b.polygon)),
      opts
    )
    if (scale === undefined) return first
    const second = yield* pass(image, page, pad, scaledDetectionSize(page.width, page.height, scale))
    yield* Effect.annotateCurrentSpan({ scale, firstPass: first.length, secondPass: second.length })
    const secondBoxes = second.map((b) => Geometry.boxOfPoints(b.polygon))
    // First-pass boxes the second pass did not find at all: type too large for the finer scale.
    const missed = first.filter((b) => {
      const box = Geometry.boxOfPoints(b.polygon)
      return secondBoxes.reduce((sum, other) => sum + coveredBy(box, other), 0) < 0.3
    })
    return [...second, ...missed]
  })

  return TextDetector.TextDetector.of({ name: "paddle", detect })
})

/** The detector with PaddleOCR's defaults (plus the page margin). */
export const layer: Layer.Layer<TextDetector.TextDetector, never, PaddleModels> = Layer.effect(
  TextDetector.TextDetector,
  make()
)

/** The detector with the given options. */
export const layerWith = (options: Options): Layer.Layer<TextDetector.TextDetector, PaddleOptionsError, PaddleModels> =>
  Layer.effect(
    TextDetector.TextDetector,
    Effect.flatMap(
      OptionDecoding.decode(Options, options, (invalid) => new PaddleOptionsError(invalid)),
      make
    )
  )
