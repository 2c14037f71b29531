/**
 * Pure mapping from the document model to a `docx` File: one section per
 * page. Flow mode: one Word paragraph per block (heading styles by level,
 * lists, captions), Word tables for table blocks, inline pictures for
 * figures, font sizes from block heights. Exact mode: see `docx-exact.ts`.
 */
import { type Document, type DocumentWriter, TextScript } from "@ocr2word/core"
import { AlignmentType, Document as DocxFile, type FileChild, HeadingLevel, Paragraph, TextRun } from "docx"
import { exactPageChildren, exactPageSize } from "./docx-exact.ts"
import { ListNumbering, stripMarker } from "./docx-lists.ts"
import { inlinePicture } from "./docx-pictures.ts"
import { tableOf } from "./docx-tables.ts"

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
  /** flow: editable text in reading order; exact: every line at its place on a page like the image. */
  readonly mode: DocumentWriter.DocxMode
  /** In exact mode, put the page image (when the document carries it) behind the text. */
  readonly backgroundImage: boolean
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
export const fontSizePt = (fontSizePx: number | undefined, page: Document.Page, options: BuildOptions): number => {
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

type Font = { ascii: string; hAnsi: string; cs: string; eastAsia: string }

const fontOf = (options: BuildOptions): Font => ({
  ascii: options.latinFont,
  hAnsi: options.latinFont,
  cs: options.latinFont,
  eastAsia: options.cjkFont
})

/** Width of the text area in twips. */
const contentWidth = (options: BuildOptions): number =>
  Math.round((options.pageWidthMm - 2 * options.marginMm) * TWIPS_PER_MM)

/** What a block's Word children are written with. */
interface FlowContext {
  readonly page: Document.Page
  readonly options: BuildOptions
  readonly numbering: ListNumbering
  /** The block before on the page: a list carries on across consecutive items of one format. */
  readonly previous: Document.Block | undefined
}

/** A text run of `size` points in the document's fonts. */
const runOf =
  (options: BuildOptions, size: number) =>
  (text: string, extra: { bold?: boolean; italics?: boolean } = {}) =>
    new TextRun({ text, size: Math.round(size * 2), font: fontOf(options), ...extra })

/** Width in twips of `px` page pixels: a block as wide as the page fills the text area. */
const widthOnPage = (px: number, { page, options }: FlowContext): number =>
  Math.min(contentWidth(options), Math.round((px / Math.max(1, page.width)) * options.pageWidthMm * TWIPS_PER_MM))

/** A Word table (and an empty paragraph after it, so two tables never merge); nothing for a table without cells. */
const tableChildren = (table: Document.Table, context: FlowContext): Array<FileChild> => {
  const run = runOf(context.options, fontSizePt(undefined, context.page, context.options))
  const word = tableOf(
    table,
    widthOnPage(table.box.width, context),
    (lines) => new Paragraph({ children: [run(joinLines(lines.map((l) => l.text)))] })
  )
  return word === undefined ? [] : [word, new Paragraph({ spacing: { after: 0 }, children: [] })]
}

/** An inline picture in its own paragraph; nothing for a figure without a picture. */
const figureChildren = (figure: Document.Figure, context: FlowContext): Array<FileChild> => {
  const picture = inlinePicture(figure, widthOnPage(figure.box.width, context))
  if (picture === undefined) return []
  return [
    new Paragraph({
      alignment: figure.alignment !== undefined ? alignments[figure.alignment] : AlignmentType.CENTER,
      children: [picture]
    })
  ]
}

/** One Word paragraph of a text block: heading style by level, list numbering, caption style. */
const textChildren = (block: Document.TextBlock, context: FlowContext): Array<FileChild> => {
  const text = joinLines(block.lines.map((l) => l.text))
  if (text.length === 0) return []
  const run = runOf(context.options, fontSizePt(block.fontSize, context.page, context.options))
  const alignment = block.alignment !== undefined ? { alignment: alignments[block.alignment] } : {}
  if (block.kind === "list-item" && block.list !== undefined) {
    const previous = context.previous
    const continues = previous?.kind === "list-item" && previous.list?.format === block.list.format
    const [first = "", ...rest] = block.lines.map((l) => l.text)
    return [
      new Paragraph({
        ...alignment,
        numbering: context.numbering.numberingOf(block.list, continues),
        children: [run(joinLines([stripMarker(first, block.list), ...rest]))]
      })
    ]
  }
  const heading =
    block.kind === "heading" ? headingLevels[Math.min(headingLevels.length, Math.max(1, block.level)) - 1] : undefined
  const style = block.kind === "caption" ? { style: "Caption" } : {}
  return [
    new Paragraph({
      ...(heading !== undefined ? { heading } : {}),
      ...style,
      ...alignment,
      children: [run(text, heading !== undefined ? { bold: true } : block.kind === "caption" ? { italics: true } : {})]
    })
  ]
}

/** The Word blocks (paragraphs, tables) of one block in flow mode. */
const blockChildren = (block: Document.Block, context: FlowContext): Array<FileChild> =>
  block.kind === "table"
    ? tableChildren(block, context)
    : block.kind === "figure"
      ? figureChildren(block, context)
      : textChildren(block, context)

/** The docx File for a document. */
export const buildDocx = (document: Document.Document, options: BuildOptions): DocxFile => {
  const margin = Math.round(options.marginMm * TWIPS_PER_MM)
  const font = fontOf(options)
  const language = { value: options.language, eastAsia: options.eastAsiaLanguage }
  const pages = document.pages.length > 0 ? document.pages : []
  const numbering = new ListNumbering()
  const sections = (pages.length > 0 ? pages : [undefined]).map((page) => {
    if (page !== undefined && options.mode === "exact") {
      const { width, height } = exactPageSize(page, options.pageWidthMm)
      return {
        properties: {
          page: { size: { width, height }, margin: { top: 0, bottom: 0, left: 0, right: 0, header: 0, footer: 0 } }
        },
        children: exactPageChildren(page, { ...options, font })
      }
    }
    const children =
      page === undefined
        ? []
        : page.blocks.flatMap((block, i) =>
            blockChildren(block, { page, options, numbering, previous: page.blocks[i - 1] })
          )
    // Flow text is set at reading sizes, so a short wide image (a receipt line, a banner) still gets
    // a page at least as tall as A4, or its text would run over many tiny pages.
    const a4Height = Math.round(297 * TWIPS_PER_MM)
    const size =
      page === undefined
        ? { width: Math.round(options.pageWidthMm * TWIPS_PER_MM), height: a4Height }
        : (({ width, height }) => ({ width, height: Math.max(height, Math.min(a4Height, MAX_PAGE_TWIPS)) }))(
            pageSize(page, options)
          )
    const m = Math.min(margin, Math.floor(size.height / 4), Math.floor(size.width / 4))
    return {
      properties: { page: { size, margin: { top: m, bottom: m, left: m, right: m } } },
      children: children.length > 0 ? children : [new Paragraph({})]
    }
  })
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
      },
      paragraphStyles: [
        { id: "Caption", name: "caption", basedOn: "Normal", next: "Normal", quickFormat: true, run: { italics: true } }
      ]
    },
    numbering: numbering.config(),
    sections
  })
}
