/**
 * The stage that turns a page's recognised lines into blocks: reading order
 * across columns, paragraphs, headings, lists, tables and figures. It gets
 * the upright page image and its lines and returns blocks only; the
 * pipeline builds the `Page` record around them (`PageBuilder`).
 * `@ocr2word/layout` provides the layers.
 *
 * @since 0.1.0
 */
import { Context, type Effect } from "effect"
import type { Block, Line } from "./Document.ts"
import type { Raster } from "./Raster.ts"
import type { LayoutError } from "./StageError.ts"

/** What the layout stage gets for one page. */
export interface LayoutInput {
  /** The upright page image the lines were found on. */
  readonly image: Raster
  /** Recognised lines, in no particular order. */
  readonly lines: ReadonlyArray<Line>
}

/**
 * The stage that turns a page's recognised lines into blocks in reading order (paragraphs, headings, lists,
 * tables, figures).
 */
export class LayoutAnalyzer extends Context.Service<
  LayoutAnalyzer,
  {
    /** The page's blocks in reading order. */
    readonly analyze: (input: LayoutInput) => Effect.Effect<ReadonlyArray<Block>, LayoutError>
  }
>()("@ocr2word/core/LayoutAnalyzer") {}
