/**
 * The `LayoutAnalyzer` stage on recognised line boxes, with no model:
 *
 * - reading order by recursive XY-cut: columns first (any number, found as
 *   whitespace channels between side-by-side groups of lines), then top to
 *   bottom; a heading spanning columns is read before them; tables, forms
 *   and tickets (short pieces in rows aligned across the gap) row by row;
 * - pieces of one visual line joined (a space between Latin words, none
 *   between Han characters);
 * - lines grouped into paragraphs by line spacing, first-line indent,
 *   short last lines and text size;
 * - headings told apart by size (clearly taller than the page's body text;
 *   level 1 is the largest size on the page);
 * - each block's alignment, font size (median line height, page pixels) and
 *   column index.
 *
 * Vertical Chinese text (most lines running top to bottom) is read in
 * columns from right to left.
 *
 * Before the reading order, the page image gives running heads (headers,
 * footers, page numbers in the margin bands), ruled tables (`RuledTables`),
 * unruled tables (`UnruledTables`) and figures (`Figures`, cropped as PNG);
 * tables and figures take part in the XY-cut as single items, so they land
 * at their place. After it, paragraphs starting with list markers become
 * list items and "Figure 2"/"表 1" blocks captions (`BlockRoles`). It
 * returns the blocks; the pipeline builds the page around them (and keeps
 * the page image when a writer needs it: `Pipeline.layer`'s `pageImage`).
 *
 * @since 0.1.0
 */
import { type Document, LayoutAnalyzer, OptionDecoding } from "@ocr2word/core"
import { ImageCodec } from "@ocr2word/image"
import { Effect, Layer, Schema } from "effect"
import * as Figures from "./Figures.ts"
import { defaultPageLayoutOptions, layoutPage, type PageLayoutOptions } from "./internal/page-layout.ts"
import { lineWeights, markRoles, pageRegions } from "./internal/page-regions.ts"
import { LayoutOptionsError } from "./LayoutOptionsError.ts"

const positive = Schema.Number.check(Schema.isGreaterThan(0))

/** Options of the analyser; lengths are in line heights unless said otherwise. */
export const Options = Schema.Struct({
  /** Narrowest whitespace channel between two columns, in body text heights. */
  minColumnGap: OptionDecoding.optional(
    Schema.Number.check(Schema.isGreaterThanOrEqualTo(0)),
    "a number of at least 0"
  ),
  /** Narrowest column, in body text heights. */
  minColumnWidth: OptionDecoding.optional(positive, "a number greater than 0"),
  /**
   * Side-by-side groups whose lines next to the gap between them are
   * shorter than this (median, in body text heights) and sit in aligned
   * rows are read as a table or form, row by row, not as columns.
   */
  minColumnLineWidth: OptionDecoding.optional(positive, "a number greater than 0"),
  /** Largest gap between two pieces of one visual line, in line heights. */
  mergeGap: OptionDecoding.optional(Schema.Number.check(Schema.isGreaterThanOrEqualTo(0)), "a number of at least 0"),
  /** A block at least this many times the body text height is a heading. */
  headingRatio: OptionDecoding.optional(Schema.Number.check(Schema.isGreaterThan(1)), "a number greater than 1"),
  /** Blocks with more lines are never headings. */
  maxHeadingLines: OptionDecoding.optional(
    Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)),
    "an integer of at least 1"
  ),
  /** A line pitch this many times the column's usual pitch starts a new paragraph. */
  paragraphSpacing: OptionDecoding.optional(Schema.Number.check(Schema.isGreaterThan(1)), "a number greater than 1"),
  /** Smallest first-line indent, in line heights. */
  indent: OptionDecoding.optional(positive, "a number greater than 0"),
  /** Lines whose heights differ by more than this ratio are never in one paragraph. */
  sizeChange: OptionDecoding.optional(Schema.Number.check(Schema.isGreaterThan(1)), "a number greater than 1"),
  /** Find tables, figures, running heads, lists and captions (default true). */
  regions: OptionDecoding.optional(Schema.Boolean, "a boolean")
})
export type Options = typeof Options.Type

interface AnalyzerOptions extends PageLayoutOptions {
  readonly regions: boolean
}

/** The options `layer` uses: the page-layout thresholds, with tables and figures found from the image. */
export const defaultOptions: Required<Options> = { ...defaultPageLayoutOptions, regions: true }

/** Blocks of a page with its tables, figures (PNG cropped), running heads, lists and captions. */
const blocksWithRegions = Effect.fnUntraced(function* (input: LayoutAnalyzer.LayoutInput, options: PageLayoutOptions) {
  const found = pageRegions(input.image, input.lines)
  const pngs = yield* Effect.forEach(found.figures, (f) => ImageCodec.encodePng(Figures.crop(input.image, f.box)))
  const withPng = new Map(found.figures.map((f, i) => [f.box, pngs[i]!] as const))
  const regions = found.regions.map((r) =>
    r.kind === "figure" && withPng.has(r.box) ? { ...r, image: withPng.get(r.box)! } : r
  )
  const body = markRoles(layoutPage(found.lines, options, regions), lineWeights(input.image, found.lines))
  return [...found.header, ...body, ...found.footer]
})

const makeWith = (options: AnalyzerOptions): LayoutAnalyzer.LayoutAnalyzer["Service"] => {
  const analyze = Effect.fn("XyCutLayoutAnalyzer.analyze")(function* (input: LayoutAnalyzer.LayoutInput) {
    const vertical = input.lines.filter((l) => l.direction === "vertical").length * 2 > input.lines.length
    const blocks: ReadonlyArray<Document.Block> =
      options.regions && !vertical ? yield* blocksWithRegions(input, options) : layoutPage(input.lines, options)
    yield* Effect.annotateCurrentSpan({ lines: input.lines.length, blocks: blocks.length })
    return blocks
  })
  return LayoutAnalyzer.LayoutAnalyzer.of({ analyze })
}

/** Decode `options` (sharp-style errors) and build the service. */
export const make = (options?: Options): Effect.Effect<LayoutAnalyzer.LayoutAnalyzer["Service"], LayoutOptionsError> =>
  Effect.map(
    OptionDecoding.decode(Options, options, (invalid) => new LayoutOptionsError(invalid)),
    (decoded) => makeWith({ ...defaultOptions, ...decoded })
  )

/** The analyser with default options. */
export const layer: Layer.Layer<LayoutAnalyzer.LayoutAnalyzer> = Layer.succeed(
  LayoutAnalyzer.LayoutAnalyzer,
  makeWith(defaultOptions)
)

/** The analyser with the given options. */
export const layerWith = (options: Options): Layer.Layer<LayoutAnalyzer.LayoutAnalyzer, LayoutOptionsError> =>
  Layer.effect(LayoutAnalyzer.LayoutAnalyzer, make(options))
