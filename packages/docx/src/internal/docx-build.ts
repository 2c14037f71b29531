/**
 * Pure mapping from the document model to a `docx` File: one section per
 * page, one Word paragraph per block, font sizes from block heights.
 */
import { type Document, TextScript } from "@ocr2word/core"
import { AlignmentType, Document as DocxFile, HeadingLevel, Paragraph, TextRun } from "docx"

/** Resolved writer options. */
export interface BuildOptions {
  readonly latinFont: string
  readonly cjkFont: string
  /** Width of every page in millimetres; the height follows the image's proportions. */
  readonly pageWidthMm: number
  /** Page margin in millimetres. */
  readonly marginMm: number
  readonly minFontSize: number
  readonly maxFontSize: number
  /** Language of Latin text (`w:lang w:val`). */
  readonly language: string
  /** Language of East Asian text (`w:lang w:eastAsia`). */
  readonly eastAsiaLanguage: string
}

const TWIPS_PER_MM = 1440 / 25.4
const PT_PER_MM = 72 / 25.4
/** Word refuses pages taller than 22 inches. */
const MAX_PAGE_TWIPS = 31680
/** A detected line box is taller than the type's em: about this much. */
const EM_PER_LINE_HEIGHT = 0.8
const DEFAULT_SIZE_PT = 11

const headingLevels = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6
] as const

const alignments = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
  justified: AlignmentType.BOTH
} as const

const lastChar = (text: string): string => [...text].at(-1) ?? ""
const firstChar = (text: string): string => [...text][0] ?? ""

/**
 * Lines of a block as one paragraph's text: Latin words across a line break
 * get a space, Han characters none.
 */
export const joinLines = (lines: ReadonlyArray<string>): string => {
  let out = ""
  for (const raw of lines) {
    const text = raw.trim()
    if (text.length === 0) continue
    if (out.length === 0) out = text
    else if (TextScript.isHan(lastChar(out)) && TextScript.isHan(firstChar(text))) out += text
    else if (lastChar(out) === "-" && /\p{Ll}/u.test(firstChar(text))) out += text
    else out += ` ${text}`
  }
  return out
}

/** Font size in points of a block, from its height in page pixels. */
export const fontSizePt = (
  fontSizePx: number | undefined,
  page: Document.Page,
  options: BuildOptions
): number => {
  if (fontSizePx === undefined || !(fontSizePx > 0) || !(page.width > 0)) return DEFAULT_SIZE_PT
  const ptPerPx = (options.pageWidthMm * PT_PER_MM) / page.width
  const pt = fontSizePx * EM_PER_LINE_HEIGHT * ptPerPx
  return Math.min(options.maxFontSize, Math.max(options.minFontSize, Math.round(pt * 2) / 2))
}

/** Page size in twips from the image's proportions. */
export const pageSize = (page: Document.Page, options: BuildOptions): { width: number; height: number } => {
  const width = Math.round(options.pageWidthMm * TWIPS_PER_MM)
  const ratio = page.width > 0 && page.height > 0 ? page.height / page.width : 297 / 210
  const height = Math.min(MAX_PAGE_TWIPS, Math.max(Math.round(width * 0.2), Math.round(width * ratio)))
  return { width, height }
}

const blockText = (block: Document.Block): string =>
  block.cells !== undefined && block.cells.length > 0
    ? [...block.cells]
        .sort((a, b) => a.row - b.row || a.column - b.column)
        .map((cell) => joinLines(cell.lines.map((l) => l.text)))
        .join("\t")
    : joinLines(block.lines.map((l) => l.text))

const blockParagraph = (block: Document.Block, page: Document.Page, options: BuildOptions): Paragraph | undefined => {
  const text = blockText(block)
  if (text.length === 0) return undefined
  const size = fontSizePt(block.fontSize, page, options)
  const heading =
    block.kind === "heading" ? headingLevels[Math.min(headingLevels.length, Math.max(1, block.level ?? 1)) - 1] : undefined
  return new Paragraph({
    ...(heading !== undefined ? { heading } : {}),
    ...(block.alignment !== undefined ? { alignment: alignments[block.alignment] } : {}),
    children: [
      new TextRun({
        text,
        size: Math.round(size * 2),
        font: { ascii: options.latinFont, hAnsi: options.latinFont, cs: options.latinFont, eastAsia: options.cjkFont },
        ...(heading !== undefined ? { bold: true } : {})
      })
    ]
  })
}

/** The docx File for a document. */
export const buildDocx = (document: Document.Document, options: BuildOptions): DocxFile => {
  const margin = Math.round(options.marginMm * TWIPS_PER_MM)
  const font = { ascii: options.latinFont, hAnsi: options.latinFont, cs: options.latinFont, eastAsia: options.cjkFont }
  const language = { value: options.language, eastAsia: options.eastAsiaLanguage }
  const pages = document.pages.length > 0 ? document.pages : []
  return new DocxFile({
    creator: "ocr2word",
    title: document.metadata.source ?? "ocr2word",
    description: `Recognised by ocr2word (${document.metadata.engine})`,
    styles: {
      default: {
        document: { run: { font, size: DEFAULT_SIZE_PT * 2, language } },
        heading1: { run: { font, bold: true } },
        heading2: { run: { font, bold: true } },
        heading3: { run: { font, bold: true } },
        heading4: { run: { font, bold: true } },
        heading5: { run: { font, bold: true } },
        heading6: { run: { font, bold: true } }
      }
    },
    sections: (pages.length > 0 ? pages : [undefined]).map((page) => {
      const children =
        page === undefined
          ? []
          : page.blocks.flatMap((block) => {
              const p = blockParagraph(block, page, options)
              return p === undefined ? [] : [p]
            })
      const size = page === undefined ? { width: Math.round(options.pageWidthMm * TWIPS_PER_MM), height: Math.round(297 * TWIPS_PER_MM) } : pageSize(page, options)
      const m = Math.min(margin, Math.floor(size.height / 4), Math.floor(size.width / 4))
      return {
        properties: { page: { size, margin: { top: m, bottom: m, left: m, right: m } } },
        children: children.length > 0 ? children : [new Paragraph({})]
      }
    })
  })
}
