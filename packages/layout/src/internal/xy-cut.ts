/**
 * Recursive XY-cut on line boxes: reading order with columns first.
 *
 * A region is cut at a vertical whitespace channel when one separates two
 * side-by-side columns (both sides overlap vertically, are wide enough and
 * at least one holds several rows); otherwise at its widest horizontal gap;
 * a region with neither is a leaf (one text row, usually). Columns are read
 * left to right and rows top to bottom, so a heading spanning the columns
 * (which blocks the vertical channel) is cut off first and read before
 * them. Horizontal gaps are measured on the middle part of each box, since
 * padded detector boxes of consecutive lines overlap.
 *
 * Regions (tables, figures) fill their box, less half a text line at each
 * end, for the horizontal projection (the whole box put a table's header
 * lines after it on a receipt, sroie_270 3.1 % -> 13.2 %). A region with text beside it ("floating": a picture in one
 * column, or one the columns wrap around, straddling the gutter) never
 * blocks a column channel and goes to the side its middle lies on, so the
 * text around it is read column by column, L-shaped or not; a region with
 * nothing beside it spans the page and separates column sections. Measured
 * on the cached PaddleOCR lines of synth-docs (30 pages with DOM order):
 * CER 16.1 % -> 14.3 %, one two-column scan with a picture in a column
 * 50.5 % -> 2.1 %; real-dev unchanged (exact CER 4.8 %). With the regions
 * taken out of the cut altogether instead, holes left by pictures in both
 * columns at one height opened full-width gaps that sliced the columns
 * (a synth page 2.0 % -> 40.5 %), hence "transparent" rather than absent.
 * real-dev-2 (receipts and forms) 15.7 % -> 15.6 %.
 *
 * Tables and forms (read row by row, not cut into columns) are told from
 * text columns by the pieces along the channel: short (under six body
 * heights, or under 16 character widths and eight heights when the other
 * side is short too or twice as long: labels beside their values) and in
 * rows shared across the channel. The side with fewer rows is counted in
 * entries (runs of lines at line pitch: a two-line label, a value that
 * wraps), and a channel found to run between fields holds in the bands a
 * later horizontal cut makes of the region (a band holding one value that
 * wraps beside empty fields shows no rows of its own). Measured on
 * real-dev-2 (40 receipts, 15 FUNSD forms): CER 15.6 % -> 14.7 % (a typed
 * form 62.6 % -> 11.8 %, receipts 6.4 % -> 5.9 %); synth-docs and
 * real-dev unchanged. Without the "twice as long" condition one degraded
 * three-column scan of narrow Chinese columns (synth-doc-s1-0007, half its
 * characters misread, so lines look short) was read in rows. Vertical
 * lines and floating pictures are never cells: a bottle with vertical text
 * on it beside a list of short lines (real-dev pp_11) made that list a
 * table whose channel, inherited, read it in rows (11.8 % -> 19.7 %).
 *
 * Before looking for columns, a region is cut at a horizontal gap across
 * it (at least 1.5 body heights between the lines' middle parts) with a
 * heading starting right under it: a newspaper's blocks of stories share
 * one column grid, so the column channel runs through all of them and a
 * column-first cut read each column down the whole page. Measured on the
 * synth-docs newspapers: 60.4 % -> 26.8 % and 54.4 % -> 1.0 % CER (the
 * order-free error is 0.7 %), nothing else changed on any set; a gap with
 * no heading under it stays inside the section (paragraph breaks that line
 * up across columns).
 *
 * Two refinements of that test, measured on real-dev-2 with the layout
 * run on cached PaddleOCR lines (receipts 7.0 % -> 5.9 %, forms 25.2 % ->
 * 23.3 % CER with the two below; synth-docs and real-dev unchanged):
 * - "Short" asks that the recognised text fills its piece (at least one
 *   character width per body height) instead of a fixed width of eight
 *   body heights: receipt fonts are wide ("Name: MS YING" is nine heights
 *   long), while pieces read only in part (a degraded scan) have fewer
 *   characters than their width holds.
 * - Small specks of one or two characters with no partner across (a
 *   rotated file number read as single digits) do not count against the
 *   rows shared across the channel (a FUNSD form 60.5 % -> 9.9 %).
 *
 * Numbered items decide too: when item n on one side has item n + 1 of the
 * same numbering beside it, in at least two rows and more often than the
 * numbers run down the sides, the grid is read row by row (exercises laid
 * out two a row in a textbook); two columns of one list (1-5, 6-10) run
 * down and stay columns.
 *
 * A channel is not taken when an item on its right lies wholly above the
 * left side's items, has nothing beside it and reaches over them (a
 * centred banner that misses the first gutter only by the side trim), or
 * symmetrically below: such an item is a row over the columns.
 */
import { Geometry } from "@ocr2word/core"
import { coreSpan, median, overlap } from "./line-metrics.ts"

/** A line as the cut sees it: its box and its height across the text. */
export interface CutItem {
  readonly box: Geometry.Box
  readonly height: number
  /** Text running top to bottom: a column by itself. */
  readonly vertical: boolean
  /**
   * A region (picture, table) with text beside it: it fills its rows for
   * the horizontal projection but never blocks a column channel, and goes
   * to the side of a channel its middle lies on.
   */
  readonly floating?: boolean
  /** A region (table, figure): its box is drawn content, not a padded text box. */
  readonly region?: boolean
  /** Length of the text in Latin character widths (a Han character counts two); none for regions. */
  readonly units?: number
  /** The list number the text starts with ("3.", "(2)", "②"), if any. */
  readonly marker?: { readonly format: string; readonly number: number } | undefined
}

/**
 * Pieces next to a channel with fewer character widths than this (median)
 * are short: labels, cells, values. Counted in characters and not only in
 * line heights, since Latin letters are half as wide as Han characters: a
 * label like "DATE SERVED:" is seven line heights long, but no text
 * column holds lines of twelve Latin characters (16 widths: 16 Latin or 8
 * Han characters, the narrowest newspaper columns).
 */
const SHORT_UNITS = 16

/**
 * The rows an item fills for the horizontal projection: the middle part of
 * a padded text box; a region's box less half a text line at each end (its
 * core would open a false gap across the page beside its top and bottom,
 * its whole box would take in the rows of text lines touching it).
 */
const rowSpan = (item: CutItem, fraction: number): readonly [number, number] => {
  if (item.region !== true) return coreSpan(item.box, fraction)
  const inset = Math.min(item.height / 2, item.box.height / 4)
  return [item.box.y + inset, item.box.y + item.box.height - inset]
}

export interface CutOptions {
  /** Body text height of the page, in pixels: the unit of the other options. */
  readonly bodyHeight: number
  /** Narrowest channel between columns, in body heights. */
  readonly minColumnGap: number
  /** Narrowest column, in body heights. */
  readonly minColumnWidth: number
  /**
   * A channel crossed by a large-type line (a heading at least
   * `headingRatio` body heights tall) whose pieces are less than this many
   * of their heights apart is a word gap of that heading, not a gutter.
   */
  readonly bridgeGap: number
  readonly headingRatio: number
  /**
   * Pieces next to a channel narrower than this (median, in body heights)
   * and in rows aligned across it are table cells or form fields: their
   * region is read row by row, not cut into columns.
   */
  readonly minColumnLineWidth: number
  /** Part of a box's height used for the horizontal projection. */
  readonly coreFraction: number
  /**
   * Padding trimmed from each end of a box for the vertical projection, in
   * line heights: detector boxes are padded, and a slight residual skew
   * makes the padded boxes of neighbouring columns touch.
   */
  readonly sideTrim: number
}

/** A run of items read together (one row, usually) and the column it sits in. */
export interface Leaf {
  readonly indices: ReadonlyArray<number>
  readonly column: Geometry.Box
}

interface Interval {
  readonly start: number
  readonly end: number
}

/** Free intervals between the covered parts of `[min, max]`, interior only. */
const gaps = (spans: ReadonlyArray<readonly [number, number]>): ReadonlyArray<Interval> => {
  const sorted = [...spans].sort((a, b) => a[0] - b[0])
  const out: Array<Interval> = []
  let reach = -Infinity
  for (const [s, e] of sorted) {
    if (reach !== -Infinity && s > reach) out.push({ start: reach, end: s })
    reach = Math.max(reach, e)
  }
  return out
}

const yExtent = (items: ReadonlyArray<CutItem>, idx: ReadonlyArray<number>, fraction: number): Interval => {
  let start = Infinity
  let end = -Infinity
  for (const i of idx) {
    const [s, e] = rowSpan(items[i]!, fraction)
    start = Math.min(start, s)
    end = Math.max(end, e)
  }
  return { start, end }
}

/** Rows of text in a group; a vertical line is a whole column, so it counts as many. */
const rowCount = (items: ReadonlyArray<CutItem>, idx: ReadonlyArray<number>, fraction: number): number =>
  idx.length === 0
    ? 0
    : idx.some((i) => items[i]!.vertical)
      ? Infinity
      : gaps(idx.map((i) => rowSpan(items[i]!, fraction))).length + 1

/** The horizontal extent of an item without its side padding. */
const xSpan = (item: CutItem, trim: number): readonly [number, number] => {
  const t = Math.min(trim * item.height, item.box.width / 4)
  return [item.box.x + t, item.box.x + item.box.width - t]
}

const bounds = (items: ReadonlyArray<CutItem>, idx: ReadonlyArray<number>): Geometry.Box =>
  Geometry.unionBoxes(idx.map((i) => items[i]!.box))

/** Items that block column channels: all but floating regions. */
const solid = (items: ReadonlyArray<CutItem>, idx: ReadonlyArray<number>): ReadonlyArray<number> =>
  idx.filter((i) => items[i]!.floating !== true)

/** Whether an item goes left of a channel that no solid item crosses. */
const leftOf = (item: CutItem, channel: Interval, options: CutOptions): boolean =>
  item.floating === true
    ? item.box.x + item.box.width / 2 < (channel.start + channel.end) / 2
    : xSpan(item, options.sideTrim)[1] <= channel.start

/** A heading-size line split by the channel only at a word gap. */
const bridged = (
  items: ReadonlyArray<CutItem>,
  left: ReadonlyArray<number>,
  right: ReadonlyArray<number>,
  options: CutOptions
): boolean => {
  const large = options.headingRatio * options.bodyHeight
  for (const l of left) {
    const a = items[l]!
    if (a.height < large) continue
    for (const r of right) {
      const b = items[r]!
      if (b.height < large) continue
      const h = Math.min(a.height, b.height)
      if (Math.max(a.height, b.height) > h * 1.35) continue
      const [a0, a1] = rowSpan(a, options.coreFraction)
      const [b0, b1] = rowSpan(b, options.coreFraction)
      if (overlap(a0, a1, b0, b1) < 0.5 * Math.min(a1 - a0, b1 - b0)) continue
      if (xSpan(b, options.sideTrim)[0] - xSpan(a, options.sideTrim)[1] < options.bridgeGap * h) return true
    }
  }
  return false
}

const coresOverlap = (a: CutItem, b: CutItem, fraction: number): boolean => {
  const [a0, a1] = rowSpan(a, fraction)
  const [b0, b1] = rowSpan(b, fraction)
  return overlap(a0, a1, b0, b1) >= 0.5 * Math.min(a1 - a0, b1 - b0)
}

/**
 * Whether the two sides of a channel look like the columns of a table (or
 * a form, a ticket, a sign): the pieces along the channel are short and sit
 * in the same rows on both sides. Text columns have long lines there; their
 * rows may align too (a baseline grid), so alignment alone says nothing.
 */
const tableLike = (
  items: ReadonlyArray<CutItem>,
  left: ReadonlyArray<number>,
  right: ReadonlyArray<number>,
  options: CutOptions
): boolean => {
  const f = options.coreFraction
  // The piece of each row nearest the channel.
  // Vertical lines (text on a bottle, a spine) and pictures span many rows: they are never cells.
  const nearest = (all: ReadonlyArray<number>, key: (i: number) => number) => {
    const side = all.filter((i) => !items[i]!.vertical && items[i]!.floating !== true)
    return side.filter((i) => !side.some((j) => j !== i && coresOverlap(items[i]!, items[j]!, f) && key(j) > key(i)))
  }
  const l = nearest(left, (i) => items[i]!.box.x + items[i]!.box.width)
  const r = nearest(right, (i) => -items[i]!.box.x)
  const width = (side: ReadonlyArray<number>) => median(side.map((i) => items[i]!.box.width))
  const units = (side: ReadonlyArray<number>) => median(side.map((i) => items[i]!.units ?? Infinity))
  // Few characters, and enough of them for the piece's width (a Latin character width per body height at
  // least): pieces with fewer are letter-spaced headings or lines read only in part.
  const shortText = (side: ReadonlyArray<number>) =>
    units(side) < SHORT_UNITS && units(side) * options.bodyHeight >= width(side)
  // Short text on one side counts beside clearly longer pieces only (labels beside their values):
  // columns of like width with longer lines on one side are text columns, whatever a poor recognition
  // made of the other side's lines.
  const narrow =
    Math.min(width(l), width(r)) < options.minColumnLineWidth * options.bodyHeight ||
    (shortText(l) && shortText(r)) ||
    (shortText(l) && width(l) < width(r) / 2) ||
    (shortText(r) && width(r) < width(l) / 2)
  if (!narrow) return false
  // A table shares its rows across the channel: most entries of the side with fewer rows have a partner,
  // and a good part of the other side's rows too (a sidebar beside a text column shares a few by chance).
  // An entry is a run of lines at line pitch (a two-line label, a value that wraps), so a value of
  // several lines beside a one-line label counts once.
  const [fewer, more] = l.length <= r.length ? [l, r] : [r, l]
  const partnered = (i: number, b: ReadonlyArray<number>) => b.some((j) => coresOverlap(items[i]!, items[j]!, f))
  const pairedIn = (a: ReadonlyArray<number>, b: ReadonlyArray<number>) => a.filter((i) => partnered(i, b)).length
  // Specks and stray marks (a rotated file number read as single digits) with no partner are not rows:
  // small pieces of one or two character widths count against the pairing only when paired.
  const speck = (i: number) => (items[i]!.units ?? Infinity) <= 2 && items[i]!.box.width <= 2 * items[i]!.height
  const counted = (a: ReadonlyArray<number>, b: ReadonlyArray<number>) =>
    a.filter((i) => !speck(i) || partnered(i, b)).length
  const entries = runsOf(items, fewer)
  const pairedEntries = entries.filter((run) => run.some((i) => partnered(i, more))).length
  return (
    fewer.length >= 2 && pairedEntries >= 0.6 * entries.length && pairedIn(more, fewer) >= 0.3 * counted(more, fewer)
  )
}

/**
 * Whether numbered items run across the channel: item n on the left with
 * item n + 1 of the same numbering beside it, in at least two rows and more
 * often than the numbers run down the sides (n followed by n + 1 below it
 * on its own side). Exercises and answer choices laid out in a grid are
 * numbered row by row; two columns of one list (1-5 on the left, 6-10 on
 * the right) run down.
 */
const numberedAcross = (
  items: ReadonlyArray<CutItem>,
  left: ReadonlyArray<number>,
  right: ReadonlyArray<number>,
  options: CutOptions
): boolean => {
  const follows = (a: number, b: number) => {
    const m = items[a]!.marker
    const n = items[b]!.marker
    return m !== undefined && n !== undefined && m.format === n.format && n.number === m.number + 1
  }
  const marked = (side: ReadonlyArray<number>) => side.filter((i) => items[i]!.marker !== undefined)
  const l = marked(left)
  const r = marked(right)
  if (l.length < 2 || r.length < 2) return false
  const across = l.filter((i) =>
    r.some((j) => follows(i, j) && coresOverlap(items[i]!, items[j]!, options.coreFraction))
  )
  // Down a side: the next item of the same numbering below each one.
  const down = (side: ReadonlyArray<number>) => {
    const sorted = [...side].sort((a, b) => items[a]!.box.y - items[b]!.box.y)
    return sorted.filter((i, k) => {
      const format = items[i]!.marker!.format
      const next = sorted.slice(k + 1).find((j) => items[j]!.marker!.format === format)
      return next !== undefined && follows(i, next)
    }).length
  }
  return across.length >= 2 && across.length > down(l) + down(r)
}

/**
 * Pieces of one side of a channel grouped into runs of lines at line
 * pitch (each next one starts less than a line height below the last and
 * overlaps it across), top to bottom.
 */
const runsOf = (items: ReadonlyArray<CutItem>, side: ReadonlyArray<number>): ReadonlyArray<ReadonlyArray<number>> => {
  const sorted = [...side].sort((a, b) => items[a]!.box.y - items[b]!.box.y)
  const runs: Array<Array<number>> = []
  for (const i of sorted) {
    const run = runs[runs.length - 1]
    const prev = run?.[run.length - 1]
    const a = prev === undefined ? undefined : items[prev]!
    const b = items[i]!
    const continues =
      a !== undefined &&
      b.box.y - (a.box.y + a.box.height) < Math.min(a.height, b.height) &&
      overlap(a.box.x, a.box.x + a.box.width, b.box.x, b.box.x + b.box.width) > 0
    if (continues) run!.push(i)
    else runs.push([i])
  }
  return runs
}

/**
 * Whether an item of `side` lies wholly above (or below) every item of
 * `other`, has nothing beside it in the region and reaches over `other`'s
 * extent: a centred banner or a footer line over the columns, which the
 * channel only misses by the side trim. Cutting at the channel would read
 * it after (or before) the column it stands over, so it is cut off as a row.
 */
const spansOver = (
  items: ReadonlyArray<CutItem>,
  idx: ReadonlyArray<number>,
  side: ReadonlyArray<number>,
  other: ReadonlyArray<number>,
  where: "above" | "below",
  options: CutOptions
): boolean => {
  const f = yExtent(items, other, options.coreFraction)
  const ob = bounds(items, other)
  return side.some((i) => {
    const [s0, s1] = rowSpan(items[i]!, options.coreFraction)
    const clear = where === "above" ? s1 < f.start : s0 > f.end
    if (!clear) return false
    const b = items[i]!.box
    if (!(b.x < ob.x + ob.width && b.x + b.width > ob.x)) return false
    return !idx.some((j) => j !== i && coresOverlap(items[i]!, items[j]!, options.coreFraction))
  })
}

/** The widest vertical channel that separates two columns, as [left, right] item indices. */
const verticalCut = (
  items: ReadonlyArray<CutItem>,
  idx: ReadonlyArray<number>,
  options: CutOptions,
  tableChannels: Array<Interval>
): readonly [ReadonlyArray<number>, ReadonlyArray<number>] | undefined => {
  const channels = gaps(solid(items, idx).map((i) => xSpan(items[i]!, options.sideTrim)))
    .filter((g) => g.end - g.start >= options.minColumnGap * options.bodyHeight)
    .sort((a, b) => b.end - b.start - (a.end - a.start))
  for (const channel of channels) {
    // A gap already found to run between the fields of a table or form, on more of the page, stays one.
    if (tableChannels.some((t) => overlap(t.start, t.end, channel.start, channel.end) > 0)) continue
    const left = idx.filter((i) => leftOf(items[i]!, channel, options))
    const right = idx.filter((i) => !leftOf(items[i]!, channel, options))
    const lb = bounds(items, left)
    const rb = bounds(items, right)
    const narrow = (b: Geometry.Box, side: ReadonlyArray<number>) =>
      b.width < options.minColumnWidth * options.bodyHeight && !side.some((i) => items[i]!.vertical)
    if (narrow(lb, left) || narrow(rb, right)) continue
    const ly = yExtent(items, left, options.coreFraction)
    const ry = yExtent(items, right, options.coreFraction)
    const shorter = Math.min(ly.end - ly.start, ry.end - ry.start)
    // Columns stand side by side; pieces one above the other are rows.
    if (overlap(ly.start, ly.end, ry.start, ry.end) < 0.5 * shorter) continue
    // A column holds several rows; a lone piece beside a column is a line split at a wide space.
    if (rowCount(items, left, options.coreFraction) < 2 || rowCount(items, right, options.coreFraction) < 2) continue
    if (bridged(items, left, right, options)) continue
    if (numberedAcross(items, left, right, options) || tableLike(items, left, right, options)) {
      tableChannels.push(channel)
      continue
    }
    if (spansOver(items, idx, right, left, "above", options) || spansOver(items, idx, left, right, "below", options))
      continue
    return [left, right]
  }
  return undefined
}

/**
 * Whether the rows just above and below a horizontal gap are both split by
 * one column channel: then the gap runs between two lines of a column
 * section (paragraph breaks that happen to line up), and cutting there
 * first would read the section's columns in slices.
 */
const insideColumns = (
  items: ReadonlyArray<CutItem>,
  above: ReadonlyArray<number>,
  below: ReadonlyArray<number>,
  options: CutOptions
): boolean => {
  if (above.length < 2 || below.length < 2) return false
  const both = solid(items, [...above, ...below])
  const channels = gaps(both.map((i) => xSpan(items[i]!, options.sideTrim))).filter(
    (g) => g.end - g.start >= options.minColumnGap * options.bodyHeight
  )
  const splits = (band: ReadonlyArray<number>, g: Interval) =>
    band.some((i) => xSpan(items[i]!, options.sideTrim)[1] <= g.start) &&
    band.some((i) => xSpan(items[i]!, options.sideTrim)[0] >= g.end)
  return channels.some((g) => {
    if (!splits(above, g) || !splits(below, g)) return false
    const left = both.filter((i) => xSpan(items[i]!, options.sideTrim)[1] <= g.start)
    const right = both.filter((i) => xSpan(items[i]!, options.sideTrim)[0] >= g.end)
    return !bridged(items, left, right, options)
  })
}

/** Smallest gap between two column sections, in body heights (of the lines' middle parts). */
const SECTION_GAP = 1.5

/**
 * A horizontal gap across the whole region with a heading right under it
 * (large type starting within a body height of the gap's end), as [top,
 * bottom] item indices: the end of one block of articles and the start of
 * the next, as on a newspaper page whose stories share the column grid.
 * The widest such gap; none when there is none.
 */
const sectionCut = (
  items: ReadonlyArray<CutItem>,
  idx: ReadonlyArray<number>,
  options: CutOptions
): readonly [ReadonlyArray<number>, ReadonlyArray<number>] | undefined => {
  const body = options.bodyHeight
  const heads = idx.filter(
    (i) => !items[i]!.vertical && items[i]!.region !== true && items[i]!.height >= options.headingRatio * body
  )
  // Most regions hold no heading: skip the projection there.
  if (heads.length === 0) return undefined
  const free = gaps(idx.map((i) => rowSpan(items[i]!, options.coreFraction))).filter(
    (g) => g.end - g.start >= SECTION_GAP * body
  )
  let best: Interval | undefined
  for (const g of free) {
    const headed = heads.some((i) => {
      const top = rowSpan(items[i]!, options.coreFraction)[0]
      return top >= g.end && top <= g.end + body
    })
    if (headed && (best === undefined || g.end - g.start > best.end - best.start)) best = g
  }
  if (best === undefined) return undefined
  const cut = (best.start + best.end) / 2
  const centre = (i: number) => items[i]!.box.y + items[i]!.box.height / 2
  return [idx.filter((i) => centre(i) < cut), idx.filter((i) => centre(i) >= cut)]
}

/**
 * The horizontal gap to cut at, as [top, bottom] item indices: the widest
 * one that does not run inside a column section, else the widest.
 */
const horizontalCut = (
  items: ReadonlyArray<CutItem>,
  idx: ReadonlyArray<number>,
  options: CutOptions
): readonly [ReadonlyArray<number>, ReadonlyArray<number>] | undefined => {
  const free = gaps(idx.map((i) => rowSpan(items[i]!, options.coreFraction)))
  if (free.length === 0) return undefined
  const centre = (i: number) => items[i]!.box.y + items[i]!.box.height / 2
  const band = (from: number, to: number) => idx.filter((i) => centre(i) > from && centre(i) < to)
  let best: Interval | undefined
  let bestInside = true
  free.forEach((g, k) => {
    const inside = insideColumns(
      items,
      band(free[k - 1]?.end ?? -Infinity, g.start),
      band(g.end, free[k + 1]?.start ?? Infinity),
      options
    )
    const better =
      best === undefined ||
      (bestInside && !inside) ||
      (bestInside === inside && g.end - g.start > best.end - best.start)
    if (better) {
      best = g
      bestInside = inside
    }
  })
  const cut = (best!.start + best!.end) / 2
  return [idx.filter((i) => centre(i) < cut), idx.filter((i) => centre(i) >= cut)]
}

/**
 * Items of a leaf row by row, each row left to right. Rows are made by the
 * items of ordinary height; a taller item (a large word on a sign, a drop
 * cap) spanning several rows joins the first row it reaches.
 */
const leafOrder = (
  items: ReadonlyArray<CutItem>,
  idx: ReadonlyArray<number>,
  fraction: number
): ReadonlyArray<number> => {
  if (idx.length <= 1) return idx
  const typical = median(idx.map((i) => items[i]!.height))
  const centre = (i: number) => items[i]!.box.y + items[i]!.box.height / 2
  const byY = [...idx].sort((a, b) => centre(a) - centre(b))
  // Tall: large type, or a region (table, figure) whose box spans several rows of text.
  const tall = (i: number) =>
    items[i]!.height > 1.3 * typical || (!items[i]!.vertical && items[i]!.box.height > 3 * typical)
  const rows: Array<{ start: number; end: number; members: Array<number> }> = []
  for (const i of byY.filter((i) => !tall(i))) {
    const [s0, s1] = rowSpan(items[i]!, fraction)
    const row = rows[rows.length - 1]
    if (row !== undefined && overlap(row.start, row.end, s0, s1) >= 0.5 * Math.min(row.end - row.start, s1 - s0)) {
      row.members.push(i)
      row.start = Math.min(row.start, s0)
      row.end = Math.max(row.end, s1)
    } else rows.push({ start: s0, end: s1, members: [i] })
  }
  for (const i of byY.filter(tall)) {
    const [s0, s1] = rowSpan(items[i]!, fraction)
    const row = rows.find((r) => overlap(r.start, r.end, s0, s1) > 0)
    if (row !== undefined) row.members.push(i)
    else rows.push({ start: s0, end: s1, members: [i] })
  }
  return rows
    .sort((a, b) => a.start + a.end - (b.start + b.end))
    .flatMap((r) => r.members.sort((a, b) => items[a]!.box.x - items[b]!.box.x))
}

/** Leaves of the items in reading order. */
export const xyCut = (items: ReadonlyArray<CutItem>, options: CutOptions): ReadonlyArray<Leaf> => {
  const leaves: Array<Leaf> = []
  // Table channels found in a region hold in its parts: a form cut into bands between its rows keeps
  // being read across, though a band alone (a value that wraps beside an empty field) may not show it.
  const visit = (idx: ReadonlyArray<number>, column: Geometry.Box, inherited: ReadonlyArray<Interval>): void => {
    if (idx.length === 0) return
    if (idx.length > 1) {
      const tableChannels = [...inherited]
      const section = sectionCut(items, idx, options)
      if (section !== undefined && section[0].length > 0 && section[1].length > 0) {
        for (const part of section) visit(part, column, tableChannels)
        return
      }
      const v = verticalCut(items, idx, options, tableChannels)
      if (v !== undefined) {
        for (const part of v) visit(part, bounds(items, part), tableChannels)
        return
      }
      const h = horizontalCut(items, idx, options)
      if (h !== undefined && h[0].length > 0 && h[1].length > 0) {
        for (const part of h) visit(part, column, tableChannels)
        return
      }
    }
    leaves.push({ indices: leafOrder(items, idx, options.coreFraction), column })
  }
  const all = items.map((_, i) => i)
  if (all.length > 0) visit(all, bounds(items, all), [])
  return leaves
}
