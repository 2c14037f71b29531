/**
 * The first stage: turn bytes or a file into page rasters. The format is
 * sniffed from the content, never trusted from a name; multi-page formats give
 * one raster per page. `@ocr2word/image` provides the sharp-backed layer.
 *
 * @since 0.1.0
 */
import { Context, type Effect } from "effect"
import type { Raster } from "./Raster.ts"
import type { ImageSourceError } from "./StageError.ts"

/** Formats the decoders tell apart by their bytes. */
export type ImageFormat = "jpeg" | "png" | "webp" | "gif" | "tiff" | "avif" | "heif" | "bmp" | "svg" | "jp2"

/** A decoded input: its format and one upright (EXIF-applied) RGB raster per page. */
export interface DecodedImage {
  readonly format: ImageFormat
  readonly pages: ReadonlyArray<Raster>
}

export class ImageSource extends Context.Service<
  ImageSource,
  {
    /** Decode image bytes; `name` only improves error messages. */
    readonly decode: (bytes: Uint8Array, name?: string) => Effect.Effect<DecodedImage, ImageSourceError>
    /** Read and decode a file. */
    readonly readFile: (path: string) => Effect.Effect<DecodedImage, ImageSourceError>
  }
>()("@ocr2word/core/ImageSource") {}
