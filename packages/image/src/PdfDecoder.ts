/**
 * PDF input: every page rendered at a chosen resolution into an RGB raster
 * (pdf.js, with @napi-rs/canvas as its canvas: both permissively licensed, no
 * native addon outside N-API, nothing fetched at run time). Where a page has a
 * text layer (a born-digital PDF, or a scan that was OCRed before) its lines
 * come along as the page's `textLayer`, placed on the raster, so the pipeline
 * can use the author's text instead of OCR.
 *
 * `text` says which text to use: `auto` takes a page's text layer when it has
 * one, `ocr` always recognises the rendered page, `text` requires a text layer
 * on every page. In `auto`, a page that paints an image and carries fewer than
 * `minTextCharacters` characters of text (a scan with a stamped page number) is
 * treated as having none.
 *
 * The page count and every page's pixel size at the chosen dpi are checked
 * before any page is rendered. `forEachPage` renders one page at a time and
 * hands it on before drawing the next (the pipeline reads PDFs this way, so a
 * long PDF holds one page raster at a time); `decode` gives every page at once.
 * `SharpImageSource` sends PDFs here; use this module directly to render PDFs
 * outside a pipeline.
 *
 * @since 0.1.0
 */
import { createRequire } from "node:module"
import * as path from "node:path"
import type { ImageSource } from "@ocr2word/core"
import { StageError } from "@ocr2word/core"
import { Effect, Schema } from "effect"
import { type PdfTextItem, textLayerOf } from "./internal/pdf-text-layer.ts"

/** Which text a PDF page gives the pipeline. */
export const TextMode = Schema.Literals(["auto", "ocr", "text"])
export type TextMode = typeof TextMode.Type

/** What `decode` is told. */
export interface DecodeOptions {
  /** Rendering resolution in dots per inch (a PDF point is 1/72 inch). */
  readonly dpi: number
  /** Most pages accepted. */
  readonly maxPages: number
  /** Largest rendered page, in pixels (width x height). */
  readonly maxPixels: number
  readonly text: TextMode
  /** In `auto`, fewer characters than this on a page with an image count as no text layer. */
  readonly minTextCharacters?: number
}

/** The rendering resolution used when none is given (see the README for how it was chosen). */
export const defaultDpi = 300

/** The page limit used when none is given. */
export const defaultMaxPages = 100

const fail = (reason: StageError.ImageSourceError["reason"], message: string, cause?: unknown) =>
  Effect.fail(new StageError.ImageSourceError(cause === undefined ? { reason, message } : { reason, message, cause }))

const require = createRequire(import.meta.url)
const pdfjsRoot = path.dirname(require.resolve("pdfjs-dist/package.json"))

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs")
type Canvas = typeof import("@napi-rs/canvas")
type NapiCanvas = import("@napi-rs/canvas").Canvas

// Loaded on the first PDF: pdf.js is large, and most inputs are images.
let modules: Promise<{ readonly pdfjs: PdfJs; readonly canvas: Canvas }> | undefined
const loadModules = () => {
  modules ??= Promise.all([import("pdfjs-dist/legacy/build/pdf.mjs"), import("@napi-rs/canvas")]).then(
    ([pdfjs, canvas]) => {
      // The "fake worker" in this thread, loaded from the package: no network, no worker URL to serve.
      pdfjs.GlobalWorkerOptions.workerSrc = require.resolve("pdfjs-dist/legacy/build/pdf.worker.mjs")
      return { pdfjs, canvas }
    }
  )
  return modules
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split("\n")[0]!

const openFailure = (error: unknown): StageError.ImageSourceError => {
  const name = (error as { name?: unknown } | null)?.name
  if (name === "PasswordException") {
    return new StageError.ImageSourceError({
      reason: "Encrypted",
      message:
        "The PDF is protected by a password: open it with the password and save or print it as a PDF without one",
      cause: error
    })
  }
  return new StageError.ImageSourceError({
    reason: "Corrupt",
    message: `The PDF is damaged or cut short (${messageOf(error)}): re-export it, or check that the whole file was copied`,
    cause: error
  })
}

/** Whole pixels covering a page side; sizes a hair over a whole number from floating point stay whole. */
const pixels = (side: number): number => Math.ceil(side - 1e-6)

const IMAGE_OPS = ["paintImageXObject", "paintInlineImageXObject", "paintImageMaskXObject"] as const

/**
 * Render the pages of a PDF one at a time, handing each to `f` (with its
 * index and the page count) before the next is drawn, so a long PDF holds
 * one page raster at a time. Fails with
 * `ImageSourceError` (limits, password, damage) or with `f`'s error, which
 * stops the rendering.
 */
export const forEachPage = <A, E, R>(
  bytes: Uint8Array,
  options: DecodeOptions,
  f: (page: ImageSource.DecodedPage, index: number, count: number) => Effect.Effect<A, E, R>
): Effect.Effect<ReadonlyArray<A>, StageError.ImageSourceError | E, R> =>
  Effect.gen(function* () {
    const { pdfjs, canvas } = yield* Effect.tryPromise({
      try: loadModules,
      catch: (e) => {
        // A failed import is not cached: the next PDF tries again (e.g. after the fix below).
        modules = undefined
        return new StageError.ImageSourceError({
          reason: "UnsupportedFormat",
          message: `PDF input could not load its renderer (${messageOf(e)}): reinstall with \`npm install\` so that pdfjs-dist and @napi-rs/canvas (and its native package for this platform, e.g. @napi-rs/canvas-linux-x64-gnu) are there, or convert the pages to images first (\`pdftoppm -png -r 300 in.pdf page\`)`,
          cause: e
        })
      }
    })
    const scale = options.dpi / 72
    const minText = options.minTextCharacters ?? 20
    return yield* Effect.acquireUseRelease(
      Effect.try({
        try: () =>
          pdfjs.getDocument({
            // pdf.js takes the buffer over and refuses a Buffer: a plain copy, so the caller keeps its bytes.
            data: new Uint8Array(bytes),
            cMapUrl: `${pdfjsRoot}/cmaps/`,
            cMapPacked: true,
            standardFontDataUrl: `${pdfjsRoot}/standard_fonts/`,
            wasmUrl: `${pdfjsRoot}/wasm/`,
            iccUrl: `${pdfjsRoot}/iccs/`,
            useSystemFonts: false,
            verbosity: pdfjs.VerbosityLevel.ERRORS
          }),
        catch: openFailure
      }),
      (task) =>
        Effect.gen(function* () {
          const pdf = yield* Effect.tryPromise({ try: () => task.promise, catch: openFailure })
          const count = pdf.numPages
          if (count === 0) return yield* fail("Empty", "The PDF has no pages: export the document again")
          if (count > options.maxPages) {
            return yield* fail(
              "TooManyPages",
              `The PDF has ${count} pages, over the limit of ${options.maxPages}: split it (e.g. \`qpdf --split-pages=${options.maxPages}\`) or raise maxPages`
            )
          }
          const pages = yield* Effect.forEach(
            Array.from({ length: count }, (_, i) => i + 1),
            (n) => Effect.tryPromise({ try: () => pdf.getPage(n), catch: openFailure })
          )
          // Every size is checked before any page is drawn.
          for (const page of pages) {
            const viewport = page.getViewport({ scale })
            const width = pixels(viewport.width)
            const height = pixels(viewport.height)
            if (width * height > options.maxPixels) {
              const fits = Math.floor(options.dpi * Math.sqrt(options.maxPixels / (width * height)))
              return yield* fail(
                "TooManyPixels",
                `Page ${page.pageNumber} of ${count} is ${Math.round(viewport.width / scale)}x${Math.round(viewport.height / scale)} pt, ${width}x${height} pixels at ${options.dpi} dpi, over the limit of ${options.maxPixels} pixels: render at ${fits} dpi or less, or raise maxPixels`
              )
            }
          }
          const results: Array<A> = []
          let shared: NapiCanvas | undefined
          for (const page of pages) {
            const viewport = page.getViewport({ scale })
            let textLayer: ReadonlyArray<ImageSource.TextLayerLine> | undefined
            if (options.text !== "ocr") {
              const content = yield* Effect.tryPromise({
                try: () => page.getTextContent(),
                catch: (e) => openFailure(e)
              })
              const items = content.items.flatMap((item) => ("str" in item ? [item as PdfTextItem] : []))
              const lines = textLayerOf(items, content.styles, viewport.transform, pdfjs.Util.transform)
              const characters = lines.reduce((n, l) => n + [...l.text.text.replace(/\s+/gu, "")].length, 0)
              let usable = characters > 0
              if (usable && options.text === "auto" && characters < minText) {
                const ops = yield* Effect.tryPromise({ try: () => page.getOperatorList(), catch: openFailure })
                const imageOps = new Set(IMAGE_OPS.map((name) => pdfjs.OPS[name]))
                usable = !ops.fnArray.some((op) => imageOps.has(op))
              }
              if (usable) textLayer = lines
              else if (options.text === "text") {
                return yield* fail(
                  "UnsupportedFormat",
                  `Page ${page.pageNumber} of ${count} has no text layer (it is a scan or a drawing): use pdfText "auto" to OCR such pages, or "ocr" for every page`
                )
              }
            }
            const width = pixels(viewport.width)
            const height = pixels(viewport.height)
            // One canvas for the whole PDF: its native memory is not seen by the garbage collector,
            // so a canvas per page piled up (3 GB for 40 pages at 300 dpi).
            shared ??= canvas.createCanvas(width, height)
            const surface = shared
            if (surface.width !== width || surface.height !== height) {
              surface.width = width
              surface.height = height
            }
            const context = surface.getContext("2d")
            context.setTransform(1, 0, 0, 1, 0, 0)
            context.fillStyle = "#ffffff"
            context.fillRect(0, 0, width, height)
            yield* Effect.tryPromise({
              try: () =>
                // @napi-rs/canvas stands in for the DOM canvas pdf.js is typed against.
                page.render({
                  canvas: surface,
                  canvasContext: context,
                  viewport,
                  background: "#ffffff"
                } as unknown as Parameters<typeof page.render>[0]).promise,
              catch: (e) =>
                new StageError.ImageSourceError({
                  reason: "Corrupt",
                  message: `Page ${page.pageNumber} of ${count} of the PDF could not be drawn (${messageOf(e)}): re-export the PDF, or convert the page to an image first`,
                  cause: e
                })
            })
            const rgba = context.getImageData(0, 0, width, height).data
            const rgb = new Uint8Array(width * height * 3)
            for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
              rgb[j] = rgba[i]!
              rgb[j + 1] = rgba[i + 1]!
              rgb[j + 2] = rgba[i + 2]!
            }
            page.cleanup()
            const decoded: ImageSource.DecodedPage = {
              width,
              height,
              channels: 3,
              data: rgb,
              ...(textLayer !== undefined ? { textLayer } : {})
            }
            results.push(yield* f(decoded, page.pageNumber - 1, count))
          }
          return results as ReadonlyArray<A>
        }),
      (task) => Effect.promise(() => task.destroy())
    )
  }).pipe(Effect.withSpan("PdfDecoder.forEachPage"))

/** Render every page of a PDF; fails with `ImageSourceError` (limits, password, damage). */
export const decode = (
  bytes: Uint8Array,
  options: DecodeOptions
): Effect.Effect<ReadonlyArray<ImageSource.DecodedPage>, StageError.ImageSourceError> =>
  forEachPage(bytes, options, (page) => Effect.succeed(page)).pipe(Effect.withSpan("PdfDecoder.decode"))
