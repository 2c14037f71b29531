/**
 * The first stage: turn bytes or a file into page rasters. The format is
 * sniffed from the content, never trusted from a name; multi-page formats
 * (TIFF, PDF) give one raster per page. A page that carries its own text (a
 * PDF's text layer) brings it as `textLayer`, which the pipeline uses instead
 * of detecting and recognising the page. `@ocr2word/image` provides the
 * sharp-backed layer.
 *
 * @since 0.1.0
 */
import { Context, type Effect } from "effect"
import type { Quad } from "./Geometry.ts"
import type { Raster } from "./Raster.ts"
import type { ImageSourceError } from "./StageError.ts"
import type { RecognizedText } from "./TextRecognizer.ts"

/** Formats the decoders tell apart by their bytes. */
export type ImageFormat = "jpeg" | "png" | "webp" | "gif" | "tiff" | "avif" | "heif" | "bmp" | "svg" | "jp2" | "pdf"

/** A line of text the input itself carries, placed on its page raster (page pixels). */
export interface TextLayerLine {
  /** The line's quad in reading order: top-left, top-right, bottom-right, bottom-left. */
  readonly polygon: Quad
  /** Its text, with character positions along the quad where known. */
  readonly text: RecognizedText
}

/** A decoded page: its raster and, when the input has one, the page's own text. */
export interface DecodedPage extends Raster {
  /** The page's text layer in reading order; when present, the page is not OCRed. */
  readonly textLayer?: ReadonlyArray<TextLayerLine>
}

/** A decoded input: its format and one upright (EXIF-applied) RGB raster per page. */
export interface DecodedImage {
  readonly format: ImageFormat
  readonly pages: ReadonlyArray<DecodedPage>
}

/** The first stage: the bytes of an image file into one raster per page, with the file's format and limits checked. */
export class ImageSource extends Context.Service<
  ImageSource,
  {
    /** Decode image bytes; `name` only improves error messages. */
    readonly decode: (bytes: Uint8Array, name?: string) => Effect.Effect<DecodedImage, ImageSourceError>
    /**
     * Decode page by page, handing each page to `f` before the next is
     * decoded, so a long input (a PDF) holds one page raster at a time; an
     * error from `f` stops the decoding. `f` is told the input's page count
     * too (known before the first page is drawn). Sources without it are
     * read with `decode`.
     */
    readonly forEachPage?: <A, E, R>(
      bytes: Uint8Array,
      f: (page: DecodedPage, index: number, count: number) => Effect.Effect<A, E, R>,
      name?: string
    ) => Effect.Effect<ReadonlyArray<A>, ImageSourceError | E, R>
    /** Read and decode a file. */
    readonly readFile: (path: string) => Effect.Effect<DecodedImage, ImageSourceError>
  }
>()("@ocr2word/core/ImageSource") {}
