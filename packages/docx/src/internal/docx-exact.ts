/**
 * Exact mode: every page a Word page of the image's proportions with every
 * recognised line in a frame (`w:framePr`) at its place, anchored to the
 * page, the font sized so the line fills its box; figures floating at their
 * place; optionally the page image behind the text, so the document looks
 * like the original while its text stays selectable and editable.
 */
import { Document, TextScript } from "@ocr2word/core"
import { FrameAnchorType, FrameWrap, HeightRule, LineRuleType, Paragraph, type ParagraphChild, TextRun } from "docx"
import { floatingPicture } from "./docx-pictures.ts"

/** What exact pages need from the writer's options. */
export interface ExactOptions {
  readonly pageWidthMm: number
  readonly minFontSize: number
  readonly maxFontSize: number
  readonly backgroundImage: boolean
  readonly font: { readonly ascii: string; readonly hAnsi: string; readonly cs: string; readonly eastAsia: string }
}

const TWIPS_PER_MM = 1440 / 25.4
/** Word refuses pages taller than 22 inches. */
const MAX_PAGE_TWIPS = 31680
/** The type's em is about this share of a detected line box's height. */
const EM_PER_BOX_HEIGHT = 0.78

/** Page size in twips (the image's proportions) and twips per page pixel. */
export const exactPageSize = (page: Document.Page, pageWidthMm: number) => {
  const nominal = Math.round(pageWidthMm * TWIPS_PER_MM)
  const w = page.width > 0 ? page.width : 1
  const h = page.height > 0 ? page.height : Math.round((w * 297) / 210)
  const scale = Math.min(nominal / w, MAX_PAGE_TWIPS / h)
  return { width: Math.round(w * scale), height: Math.round(h * scale), scale }
}

/**
 * Width of a text in ems: Han and full-width characters 1, Latin about half.
 * On the wide side, since the reader's fonts may be wider than the page's and
 * a frame clips what does not fit.
 */
export const textEms = (text: string): number => {
  let ems = 0
  for (const ch of text) {
    if (TextScript.isHan(ch) || /[\u3000-\u303f\uff00-\uffef]/u.test(ch)) ems += 1
    else if (ch === " ") ems += 0.3
    else if (/[A-Z0-9MW@%&mw]/u.test(ch)) ems += 0.7
    else if (/[il.,:;'|!]/u.test(ch)) ems += 0.3
    else ems += 0.55
  }
  return ems
}

/** Size (points) that a line `height` twips tall is set in. */
const sizeByHeight = (height: number): number => (height / 20) * EM_PER_BOX_HEIGHT

/**
 * Font size (points) of a line placed in a box `width` x `height` twips: its
 * block's size (`blockPt`, the lines of a paragraph share one), or smaller
 * when the text would not fit the width.
 */
export const lineFontSize = (
  text: string,
  width: number,
  height: number,
  minPt: number,
  maxPt: number,
  blockPt = sizeByHeight(height)
): number => {
  const ems = textEms(text)
  const byWidth = ems > 0 ? width / 20 / ems : blockPt
  const pt = Math.min(blockPt, sizeByHeight(height) * 1.15, byWidth * 0.95)
  return Math.min(maxPt, Math.max(minPt, Math.floor(pt * 2) / 2))
}

/** The paragraphs of one exact page. */
export const exactPageChildren = (page: Document.Page, options: ExactOptions): Array<Paragraph> => {
  const { scale, width: pageWidth, height: pageHeight } = exactPageSize(page, options.pageWidthMm)
  const floating: Array<ParagraphChild> = []
  const background = options.backgroundImage && page.image !== undefined
  if (background) {
    floating.push(
      floatingPicture(page.image!, { x: 0, y: 0, width: pageWidth, height: pageHeight }, true, "page image")
    )
  }
  page.blocks.forEach((block, i) => {
    if (block.kind !== "figure" || block.image === undefined || background) return
    const place = {
      x: block.box.x * scale,
      y: block.box.y * scale,
      width: block.box.width * scale,
      height: block.box.height * scale
    }
    floating.push(floatingPicture(block.image, place, false, `figure ${i + 1}`))
  })
  const median = (values: ReadonlyArray<number>) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
  const placed = page.blocks.flatMap((block) => {
    // A figure's labels are page text of their own; a table's lines are its cells'.
    const lines = Document.blockLines(block)
    const blockPt = median(lines.map((l) => sizeByHeight(l.box.height * scale)))
    return lines.map((line) => ({ line, blockPt }))
  })
  const paragraphs = placed.flatMap(({ line, blockPt }) => {
    const text = line.text.trim()
    if (text.length === 0) return []
    const x = Math.max(0, Math.round(line.box.x * scale))
    const y = Math.max(0, Math.round(line.box.y * scale))
    const width = Math.max(40, Math.round(line.box.width * scale))
    const height = Math.max(40, Math.round(line.box.height * scale))
    const size = lineFontSize(text, width, height, options.minFontSize, options.maxFontSize, blockPt)
    return [
      new Paragraph({
        frame: {
          type: "absolute",
          position: { x, y },
          // A little slack on the right: a line that wraps in its frame loses its end to the clip.
          width: Math.min(pageWidth - x, Math.round(width * 1.08) + 100),
          height,
          rule: HeightRule.EXACT,
          wrap: FrameWrap.NONE,
          anchor: { horizontal: FrameAnchorType.PAGE, vertical: FrameAnchorType.PAGE }
        },
        spacing: { before: 0, after: 0, line: height, lineRule: LineRuleType.EXACT },
        children: [new TextRun({ text, size: Math.round(size * 2), font: options.font })]
      })
    ]
  })
  // Pictures hang off an empty paragraph at the top of the page.
  const anchor = new Paragraph({
    spacing: { before: 0, after: 0, line: 20, lineRule: LineRuleType.EXACT },
    children: floating
  })
  return [anchor, ...paragraphs]
}
