/**
 * The stage that turns recognised lines into a page: reading order across
 * columns, paragraphs, headings, lists, tables and figures.
 * `@ocr2word/layout` provides the layers.
 *
 * @since 0.1.0
 */
import { Context, type Effect } from "effect"
import type { Line, Page } from "./Document.ts"
import type { Raster } from "./Raster.ts"
import type { LayoutError } from "./StageError.ts"

/** What the layout stage gets for one page. */
export interface LayoutInput {
  readonly index: number
  /** The upright page image the lines were found on. */
  readonly image: Raster
  readonly rotation: 0 | 90 | 180 | 270
  readonly skew: number
  /** Recognised lines, in no particular order. */
  readonly lines: ReadonlyArray<Line>
}

export class LayoutAnalyzer extends Context.Service<
  LayoutAnalyzer,
  {
    readonly analyze: (input: LayoutInput) => Effect.Effect<Page, LayoutError>
  }
>()("@ocr2word/core/LayoutAnalyzer") {}
