/**
 * The `ImageSource` stage on sharp (libvips): bytes or a file in, one upright
 * RGB raster per page out. The format is sniffed from the bytes, never from a
 * name. JPEG, PNG, WebP, GIF (first frame), TIFF (every page), AVIF/HEIF go
 * through sharp; BMP, which sharp cannot read, through `BmpDecoder`; PDF
 * through `PdfDecoder` (every page rendered at `pdfDpi`, its text layer kept
 * as the page's text unless `pdfText` is `ocr`). EXIF orientation is applied
 * and alpha is flattened on white.
 *
 * A byte limit, a per-page pixel limit and a PDF page limit guard against huge
 * or malicious inputs; all are checked on the headers before any pixel is
 * decoded.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs/promises"
import { ImageFormat, ImageSource, OptionDecoding, type Raster, StageError } from "@ocr2word/core"
import { Effect, Layer, Schema } from "effect"
import sharp from "sharp"
import * as BmpDecoder from "./BmpDecoder.ts"
import { ImageOptionsError } from "./ImageOptionsError.ts"
import { byteLimitMessage, pixelLimitMessage } from "./internal/limit-messages.ts"
import * as PdfDecoder from "./PdfDecoder.ts"

/** Options of the image source. */
export const Options = Schema.Struct({
  /** Largest input accepted, in bytes. */
  maxBytes: OptionDecoding.optional(Schema.Int.check(Schema.isGreaterThan(0)), "a positive integer"),
  /** Largest page accepted, in pixels (width x height). */
  maxPixels: OptionDecoding.optional(Schema.Int.check(Schema.isGreaterThan(0)), "a positive integer"),
  /** Most pages of a PDF accepted. */
  maxPages: OptionDecoding.optional(Schema.Int.check(Schema.isGreaterThan(0)), "a positive integer"),
  /** Resolution PDF pages are rendered at, in dots per inch. */
  pdfDpi: OptionDecoding.optional(
    Schema.Int.check(Schema.isBetween({ minimum: 36, maximum: 1200 })),
    "an integer from 36 to 1200"
  ),
  /** A PDF page's text: `auto` (its text layer when it has one), `ocr` (always OCR), `text` (text layer required). */
  pdfText: OptionDecoding.optional(PdfDecoder.TextMode, 'one of "auto", "ocr", "text"')
})
export type Options = typeof Options.Type

/** The limits and settings `layer` uses. */
export const defaultOptions: Required<Options> = {
  maxBytes: 50 * 1024 * 1024,
  maxPixels: 100_000_000,
  maxPages: PdfDecoder.defaultMaxPages,
  pdfDpi: PdfDecoder.defaultDpi,
  pdfText: "auto"
}

/** The formats decoded, in the words used in error messages. */
export const acceptedFormats = "JPEG, PNG, WebP, GIF, TIFF, AVIF, HEIF, BMP and PDF"

const FORMAT_NAMES: Record<string, string> = {
  jpeg: "JPEG",
  png: "PNG",
  webp: "WebP",
  gif: "GIF",
  tiff: "TIFF",
  avif: "AVIF",
  heif: "HEIF",
  bmp: "BMP",
  pdf: "PDF"
}

/** Formats recognised but not accepted, with what to do instead. */
const REJECTED: Partial<Record<ImageFormat.SniffedFormat, string>> = {
  svg: "The input is an SVG drawing: render it to PNG first (its text is already editable, so OCR may not be needed)",
  jp2: "The input is JPEG 2000, which this build of sharp cannot decode: convert it to PNG or JPEG",
  jxl: "The input is JPEG XL, which this build of sharp cannot decode: convert it to PNG or JPEG",
  ico: "The input is a Windows icon (ICO): convert it to PNG",
  psd: "The input is a Photoshop document (PSD): export it as PNG or JPEG"
}

const WHITE = { r: 255, g: 255, b: 255 }

const fail = (reason: StageError.ImageSourceError["reason"], message: string, cause?: unknown) =>
  Effect.fail(new StageError.ImageSourceError(cause === undefined ? { reason, message } : { reason, message, cause }))

const sharpMessage = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split("\n")[0]!.trim()

/** Map a sharp failure on a sniffed format to an error a person can act on. */
const sharpFailure = (format: ImageFormat.SniffedFormat, error: unknown): StageError.ImageSourceError => {
  const detail = sharpMessage(error)
  const name = FORMAT_NAMES[format] ?? format
  if (/pixel limit/i.test(detail)) {
    return new StageError.ImageSourceError({
      reason: "TooManyPixels",
      message: `The ${name} image is over the pixel limit (${detail}): scale it down or raise maxPixels`,
      cause: error
    })
  }
  if (format === "heif" && /compression format|plugin|not been built|unsupported/i.test(detail)) {
    return new StageError.ImageSourceError({
      reason: "UnsupportedFormat",
      message: `The input is HEIC (HEVC-coded HEIF), which this build of sharp cannot decode (${detail}): convert it to JPEG or PNG`,
      cause: error
    })
  }
  return new StageError.ImageSourceError({
    reason: "Corrupt",
    message: `The ${name} image is damaged or cut short (${detail}): re-export it, or check that the whole file was copied`,
    cause: error
  })
}

const withName = (name: string | undefined) => (error: StageError.ImageSourceError) =>
  name === undefined ? error : new StageError.ImageSourceError({ ...error, message: `${name}: ${error.message}` })

/** Build the service with decoded options. */
const makeWith = (options: Required<Options>): ImageSource.ImageSource["Service"] => {
  const { maxBytes, maxPixels, maxPages, pdfDpi, pdfText } = options

  const decodeWithSharp = Effect.fnUntraced(function* (bytes: Uint8Array, format: ImageFormat.SniffedFormat) {
    const open = (page: number) => sharp(bytes, { page, pages: 1, limitInputPixels: maxPixels, failOn: "error" })
    const first = yield* Effect.tryPromise({
      try: () => sharp(bytes, { limitInputPixels: false }).metadata(),
      catch: (e) => sharpFailure(format, e)
    })
    // Only TIFF pages are document pages; GIF/WebP frames are animation and HEIF items are alternatives.
    const pageCount = format === "tiff" ? Math.max(1, first.pages ?? 1) : 1
    const pages: Array<Raster.Raster> = []
    for (let page = 0; page < pageCount; page++) {
      const meta =
        page === 0
          ? first
          : yield* Effect.tryPromise({
              try: () => sharp(bytes, { page, limitInputPixels: false }).metadata(),
              catch: (e) => sharpFailure(format, e)
            })
      const width = meta.width ?? 0
      const height = meta.height ?? 0
      if (width * height > maxPixels) {
        const where = pageCount > 1 ? `Page ${page + 1} of ${pageCount}: ` : ""
        return yield* fail("TooManyPixels", where + pixelLimitMessage(width, height, maxPixels))
      }
      const { data, info } = yield* Effect.tryPromise({
        try: () =>
          open(page)
            .rotate()
            .flatten({ background: WHITE })
            .toColourspace("srgb")
            .raw({ depth: "uchar" })
            .toBuffer({ resolveWithObject: true }),
        catch: (e) => sharpFailure(format, e)
      })
      if (info.channels !== 3) {
        return yield* fail(
          "Corrupt",
          `The image decoded to ${info.channels} channels instead of RGB: convert it to PNG`
        )
      }
      pages.push({
        width: info.width,
        height: info.height,
        channels: 3,
        data: new Uint8Array(data.buffer, data.byteOffset, data.length)
      })
    }
    return pages
  })

  /** The format of accepted bytes, after the size checks; fails on anything not decoded. */
  const accepted = Effect.fnUntraced(function* (bytes: Uint8Array) {
    if (bytes.length === 0) {
      return yield* fail("Empty", "The input is empty (0 bytes): pass the contents of an image file")
    }
    if (bytes.length > maxBytes) return yield* fail("TooLarge", byteLimitMessage(bytes.length, maxBytes))
    const format = ImageFormat.sniff(bytes)
    if (format === undefined) {
      return yield* fail(
        "UnsupportedFormat",
        `The input is not an image in an accepted format (it starts with ${ImageFormat.describeStart(bytes)}): accepted formats are ${acceptedFormats}`
      )
    }
    const rejected = REJECTED[format]
    if (rejected !== undefined)
      return yield* fail("UnsupportedFormat", `${rejected}; accepted formats are ${acceptedFormats}`)
    return format
  })

  const pdfOptions = { dpi: pdfDpi, maxPages, maxPixels, text: pdfText }

  const decode = Effect.fn("SharpImageSource.decode")(function* (bytes: Uint8Array, name?: string) {
    const run = Effect.gen(function* () {
      const format = yield* accepted(bytes)
      const pages =
        format === "bmp"
          ? [yield* BmpDecoder.decode(bytes, { maxPixels })]
          : format === "pdf"
            ? yield* PdfDecoder.decode(bytes, pdfOptions)
            : yield* decodeWithSharp(bytes, format)
      return { format: format as ImageSource.ImageFormat, pages } satisfies ImageSource.DecodedImage
    })
    return yield* Effect.mapError(run, withName(name))
  })

  // PDFs page by page (one raster at a time); other formats are decoded whole, then visited.
  const forEachPage = <A, E, R>(
    bytes: Uint8Array,
    f: (page: ImageSource.DecodedPage, index: number, count: number) => Effect.Effect<A, E, R>,
    name?: string
  ): Effect.Effect<ReadonlyArray<A>, StageError.ImageSourceError | E, R> =>
    Effect.gen(function* () {
      const format = yield* Effect.mapError(accepted(bytes), withName(name))
      if (format !== "pdf") {
        const { pages } = yield* decode(bytes, name)
        return yield* Effect.forEach(pages, (page, index) => f(page, index, pages.length))
      }
      const named = withName(name)
      return yield* Effect.mapError(PdfDecoder.forEachPage(bytes, pdfOptions, f), (e) =>
        e instanceof StageError.ImageSourceError ? named(e) : e
      )
    }).pipe(Effect.withSpan("SharpImageSource.forEachPage"))

  const readFile = Effect.fn("SharpImageSource.readFile")(function* (path: string) {
    const info = yield* Effect.tryPromise({ try: () => fs.stat(path), catch: (e) => fileError(path, e) })
    if (info.isDirectory()) {
      return yield* fail("Unreadable", `${path} is a directory, not an image file: pass the path of an image file`)
    }
    if (info.size > maxBytes) return yield* fail("TooLarge", `${path}: ${byteLimitMessage(info.size, maxBytes)}`)
    const buffer = yield* Effect.tryPromise({ try: () => fs.readFile(path), catch: (e) => fileError(path, e) })
    return yield* decode(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length), path)
  })

  return ImageSource.ImageSource.of({ decode, forEachPage, readFile })
}

const fileError = (path: string, error: unknown): StageError.ImageSourceError => {
  const code = (error as { code?: unknown } | null)?.code
  if (code === "ENOENT" || code === "ENOTDIR") {
    return new StageError.ImageSourceError({
      reason: "NotFound",
      message: `No such file: ${path}: check the path (relative paths start at ${process.cwd()})`,
      cause: error
    })
  }
  if (code === "EACCES" || code === "EPERM") {
    return new StageError.ImageSourceError({
      reason: "Unreadable",
      message: `Permission denied reading ${path}: make the file readable by this user`,
      cause: error
    })
  }
  return new StageError.ImageSourceError({
    reason: "Unreadable",
    message: `Could not read ${path} (${sharpMessage(error)}): check that it is a readable file`,
    cause: error
  })
}

/** Decode `options` (sharp-style errors) and build the service. */
export const make = (options?: Options): Effect.Effect<ImageSource.ImageSource["Service"], ImageOptionsError> =>
  Effect.map(
    OptionDecoding.decode(Options, options, (invalid) => new ImageOptionsError(invalid)),
    (decoded) => makeWith({ ...defaultOptions, ...decoded })
  )

/** The image source with the default limits (50 MB, 100 MP). */
export const layer: Layer.Layer<ImageSource.ImageSource> = Layer.succeed(
  ImageSource.ImageSource,
  makeWith(defaultOptions)
)

/** The image source with the given limits. */
export const layerWith = (options: Options): Layer.Layer<ImageSource.ImageSource, ImageOptionsError> =>
  Layer.effect(ImageSource.ImageSource, make(options))
