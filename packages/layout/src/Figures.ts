/**
 * Figures and other non-text regions (photos, charts, diagrams, logos,
 * stamps): connected regions of ink or colour on the page that no text line
 * or table covers, large enough to matter. Ink is what Otsu's threshold calls
 * dark, plus saturated colour (red stamps, chart fills), counted on a coarse
 * grid of cells so strokes and fills close up into one region.
 *
 * Use `find` for the regions, then `crop` for a region's pixels (encode them
 * with `@ocr2word/image`'s `ImageCodec.encodePng`). Labels recognised inside
 * a figure (axis ticks, legends) widen its box and are listed with it, but
 * its block carries no lines: every line the detector found stays text of
 * the page (a Word file shows figures as pictures only, so a label kept on
 * the figure block was lost as text: on real-dev-2 that was "HAGENS
 * BERMAN", a date, "Goods sold are not returnable").
 *
 * @since 0.1.0
 */
import { type Document, Geometry, Raster } from "@ocr2word/core"
import { components, median, otsuThreshold } from "./internal/binary-image.ts"

/** Options of the figure finder. */
export interface Options {
  /** Smallest side of a figure, in median text line heights. */
  readonly minSide: number
  /** Regions larger than this share of the page are background (a photographed page's surroundings), not figures. */
  readonly maxPageShare: number
}

/** The thresholds figure detection uses when none are given. */
export const defaultOptions: Options = { minSide: 2.5, maxPageShare: 0.6 }

/** A figure region and the recognised lines inside it. */
export interface FoundFigure {
  readonly box: Geometry.Box
  readonly lines: ReadonlyArray<Document.Line>
}

const CAPTION_START = /^\s*(?:figure|fig\.?|table|图|表|圖)/iu

const share = (inner: Geometry.Box, outer: Geometry.Box): number => {
  const ix = Math.max(0, Math.min(inner.x + inner.width, outer.x + outer.width) - Math.max(inner.x, outer.x))
  const iy = Math.max(0, Math.min(inner.y + inner.height, outer.y + outer.height) - Math.max(inner.y, outer.y))
  return (ix * iy) / Math.max(1, inner.width * inner.height)
}

/**
 * Figure regions of a page: `lines` are the recognised text lines and
 * `covered` the boxes already explained (tables).
 */
export const find = (
  image: Raster.Raster,
  lines: ReadonlyArray<Document.Line>,
  covered: ReadonlyArray<Geometry.Box> = [],
  options: Partial<Options> = {}
): Array<FoundFigure> => {
  const opts = { ...defaultOptions, ...options }
  const lineHeight = median(lines.map((l) => Math.min(l.box.width, l.box.height))) || 20
  const gray = Raster.toGray(image)
  const t = otsuThreshold(gray.data)
  const { width, height } = image
  // Cells about a third of a text line: fine enough to keep figures apart from nearby text.
  const cell = Math.max(3, Math.round(lineHeight / 3))
  const gw = Math.ceil(width / cell)
  const gh = Math.ceil(height / cell)
  const counts = new Uint32Array(gw * gh)
  const rgb = image.channels === 3 ? image.data : undefined
  // Ink is the smaller Otsu class: dark on light paper, light on a dark screen.
  let dark = 0
  for (let i = 0; i < gray.data.length; i++) if (gray.data[i]! <= t) dark++
  const darkInk = dark * 2 <= gray.data.length
  for (let y = 0; y < height; y++) {
    const gy = Math.floor(y / cell) * gw
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      let ink = gray.data[i]! <= t === darkInk
      if (!ink && rgb !== undefined) {
        const r = rgb[i * 3]!
        const g = rgb[i * 3 + 1]!
        const b = rgb[i * 3 + 2]!
        ink = Math.max(r, g, b) - Math.min(r, g, b) > 60
      }
      if (ink) counts[gy + Math.floor(x / cell)]!++
    }
  }
  // Text and tables are explained already: blank their cells (line boxes grown a little).
  const blank = (b: Geometry.Box, grow: number) => {
    const x0 = Math.max(0, Math.floor((b.x - grow) / cell))
    const y0 = Math.max(0, Math.floor((b.y - grow) / cell))
    const x1 = Math.min(gw - 1, Math.floor((b.x + b.width + grow) / cell))
    const y1 = Math.min(gh - 1, Math.floor((b.y + b.height + grow) / cell))
    for (let y = y0; y <= y1; y++) counts.fill(0, y * gw + x0, y * gw + x1 + 1)
  }
  for (const l of lines) blank(l.box, Math.min(l.box.width, l.box.height) * 0.15)
  for (const b of covered) blank(b, 2)
  const minInk = Math.max(2, Math.round(cell * cell * 0.04))
  const mask = new Uint8Array(gw * gh)
  for (let i = 0; i < mask.length; i++) mask[i] = counts[i]! >= minInk ? 1 : 0
  // Close small gaps (bars of a chart, parts of a logo) by one cell.
  const closed = new Uint8Array(gw * gh)
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      if (mask[y * gw + x] !== 1) continue
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const ny = y + dy
          const nx = x + dx
          if (ny >= 0 && ny < gh && nx >= 0 && nx < gw) closed[ny * gw + nx] = 1
        }
      }
    }
  }
  const minSide = lineHeight * opts.minSide
  // Parts of one picture (bars of a chart, pieces of a diagram) lie less than a text line apart:
  // merge their boxes, in grid cells, until no two are that close.
  // Up to 1.5 text lines apart in pixels; the closing above already grew each part by a cell.
  const near = Math.max(1, Math.round((1.5 * lineHeight) / cell) - 2)
  // Only parts of some size take part: specks left around text must not bridge pictures and text.
  const minPart = Math.max(1, Math.round((lineHeight * 0.8) / cell))
  // Nor do frames with little inside that span the page, such as a border around it.
  const fill = (c: { x0: number; y0: number; x1: number; y1: number }) => {
    let on = 0
    for (let y = c.y0; y < c.y1; y++) for (let x = c.x0; x < c.x1; x++) on += mask[y * gw + x]!
    return on / Math.max(1, (c.x1 - c.x0) * (c.y1 - c.y0))
  }
  let parts = components({ width: gw, height: gh, data: closed })
    .filter(
      (c) =>
        c.x1 - c.x0 >= minPart &&
        c.y1 - c.y0 >= minPart &&
        fill(c) >= 0.08 &&
        (c.x1 - c.x0) * (c.y1 - c.y0) <= gw * gh * opts.maxPageShare
    )
    .map((c) => ({ x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1 }))
  for (let merged = true; merged; ) {
    merged = false
    for (let i = 0; i < parts.length && !merged; i++) {
      for (let j = i + 1; j < parts.length && !merged; j++) {
        const a = parts[i]!
        const b = parts[j]!
        const gapX = Math.max(a.x0, b.x0) - Math.min(a.x1, b.x1)
        const gapY = Math.max(a.y0, b.y0) - Math.min(a.y1, b.y1)
        // Side by side (or one above the other) and close; corner to corner is two pictures.
        const overlapY = -gapY >= Math.min(a.y1 - a.y0, b.y1 - b.y0) * 0.5
        const overlapX = -gapX >= Math.min(a.x1 - a.x0, b.x1 - b.x0) * 0.5
        if ((gapX <= near && overlapY) || (gapY <= near && overlapX)) {
          parts[i] = {
            x0: Math.min(a.x0, b.x0),
            y0: Math.min(a.y0, b.y0),
            x1: Math.max(a.x1, b.x1),
            y1: Math.max(a.y1, b.y1)
          }
          parts = parts.filter((_, k) => k !== j)
          merged = true
        }
      }
    }
  }
  const regions = parts
    .map((c) => {
      const x0 = c.x0 * cell
      const y0 = c.y0 * cell
      const box = { x: x0, y: y0, width: Math.min(width, c.x1 * cell) - x0, height: Math.min(height, c.y1 * cell) - y0 }
      return { box, density: fill(c) }
    })
    .filter(
      ({ box, density }) =>
        box.width >= minSide &&
        box.height >= minSide &&
        box.width * box.height <= width * height * opts.maxPageShare &&
        density >= 0.08
    )
    .map(({ box }) => box)
  // Labels in or just outside the drawn part (axis ticks, legends: smaller than the body text)
  // belong to the figure; captions and body-size text stay text.
  const grow = lineHeight
  const labelHeight = lineHeight * 0.8
  return regions
    .flatMap((box) => {
      const near = { x: box.x - grow, y: box.y - grow, width: box.width + 2 * grow, height: box.height + 2 * grow }
      const over = lines.filter((l) => share(l.box, near) >= 0.6)
      const labels = over.filter(
        (l) =>
          Math.min(l.box.width, l.box.height) <= labelHeight &&
          !CAPTION_START.test(l.text) &&
          (share(l.box, box) >= 0.6 || (share(l.box, near) >= 0.9 && l.box.width <= box.width * 0.3))
      )
      // A coloured panel behind large text is a text block with a background, not a figure.
      const text = over
        .filter((l) => !labels.includes(l) && share(l.box, box) >= 0.6)
        .reduce((s, l) => s + l.box.width * l.box.height, 0)
      if (text > box.width * box.height * 0.2) return []
      return [{ box: Geometry.unionBoxes([box, ...labels.map((l) => l.box)]), lines: labels }]
    })
    .sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x)
}

/** The pixels of a figure region. */
export const crop = (image: Raster.Raster, box: Geometry.Box): Raster.Raster => Raster.crop(image, box)

/** A figure block (its PNG bytes given) for a found region; its labels stay page text. */
export const block = (figure: FoundFigure, png: Uint8Array | undefined): Document.Figure => ({
  kind: "figure",
  box: figure.box,
  confidence: 1,
  ...(png !== undefined ? { image: png } : {})
})
