/**
 * Reading the text structure out of WordprocessingML (`word/document.xml`):
 * paragraphs with their line breaks, heading levels and list membership,
 * tables as rows of cells, and page breaks. A forward-only tag scanner, not a
 * general XML parser: Word writes well-formed, namespace-prefixed markup, and
 * only a handful of elements matter for text.
 */

/** A paragraph: its lines (split at `w:br`/`w:cr`), heading level, list membership. */
export interface WordParagraph {
  readonly _tag: "Paragraph"
  readonly lines: ReadonlyArray<string>
  /** 1 for the largest heading; absent for body text. */
  readonly headingLevel?: number
  readonly listItem: boolean
}

/** A table cell: its grid position, column span and paragraphs. */
export interface WordCell {
  readonly row: number
  readonly column: number
  readonly columnSpan: number
  readonly paragraphs: ReadonlyArray<WordParagraph>
}

export interface WordTable {
  readonly _tag: "Table"
  readonly cells: ReadonlyArray<WordCell>
}

export type WordBlock = WordParagraph | WordTable

/** Blocks of one page, in document order. */
export type WordPage = ReadonlyArray<WordBlock>

const ENTITY = /&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g
const NAMED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" }

export const decodeEntities = (text: string): string =>
  text.replace(ENTITY, (_, e: string) =>
    e.startsWith("#x")
      ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
      : e.startsWith("#")
        ? String.fromCodePoint(Number.parseInt(e.slice(1), 10))
        : NAMED[e]!
  )

const attribute = (attributes: string, name: string): string | undefined => {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attributes)
  return match === null ? undefined : decodeEntities(match[2] ?? match[3] ?? "")
}

const isOn = (attributes: string): boolean => {
  const value = attribute(attributes, "w:val")
  return value === undefined || !["0", "false", "off"].includes(value)
}

interface Tag {
  readonly name: string
  readonly attributes: string
  readonly closing: boolean
  readonly selfClosing: boolean
}

/** Tags and text of an XML document, comments, processing instructions and CDATA dropped. */
function* scan(xml: string): Generator<Tag | string> {
  const re =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([A-Za-z_][\w.:-]*)([^>]*?)(\/?)>|([^<]+)/g
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    if (m[1] !== undefined) yield m[1]
    else if (m[3] !== undefined)
      yield { name: m[3], attributes: m[4] ?? "", closing: m[2] === "/", selfClosing: m[5] === "/" }
    else if (m[6] !== undefined) yield decodeEntities(m[6])
  }
}

/** Heading level of each paragraph style id, from `word/styles.xml` (names or outline levels). */
export const headingStyles = (stylesXml: string | undefined): ReadonlyMap<string, number> => {
  const levels = new Map<string, number>()
  if (stylesXml === undefined) return levels
  let id: string | undefined
  for (const token of scan(stylesXml)) {
    if (typeof token === "string") continue
    if (token.name === "w:style" && !token.closing) id = attribute(token.attributes, "w:styleId")
    else if (token.name === "w:style" && token.closing) id = undefined
    else if (id !== undefined && token.name === "w:name") {
      const name = (attribute(token.attributes, "w:val") ?? "").toLowerCase()
      const heading = /^heading\s*(\d)$/.exec(name)
      if (heading !== null) levels.set(id, Number(heading[1]))
      else if (name === "title") levels.set(id, 1)
    } else if (id !== undefined && token.name === "w:outlineLvl" && !levels.has(id)) {
      const level = Number(attribute(token.attributes, "w:val"))
      if (Number.isInteger(level) && level >= 0 && level < 9) levels.set(id, level + 1)
    }
  }
  return levels
}

interface OpenParagraph {
  lines: Array<string>
  current: string
  style?: string
  outlineLevel?: number
  listItem: boolean
  pageBreakBefore: boolean
  sectionEnd: boolean
}

interface OpenTable {
  readonly cells: Array<WordCell>
  row: number
  column: number
  cell: { column: number; columnSpan: number; paragraphs: Array<WordParagraph>; merged: boolean } | undefined
}

/** Pages of blocks of a `word/document.xml`. */
export const readDocumentXml = (xml: string, headings: ReadonlyMap<string, number>): ReadonlyArray<WordPage> => {
  const pages: Array<Array<WordBlock>> = [[]]
  const paragraphs: Array<OpenParagraph> = []
  const tables: Array<OpenTable> = []
  let inText = false
  let runDepth = 0
  let inParagraphProperties = 0
  // Alternative content is written twice (mc:Choice and mc:Fallback): read the choice only.
  let skipDepth = 0

  const page = () => pages[pages.length - 1]!
  const newPage = () => {
    if (page().length > 0) pages.push([])
  }
  const endLine = (p: OpenParagraph) => {
    p.lines.push(p.current)
    p.current = ""
  }
  const finish = (p: OpenParagraph): WordParagraph | undefined => {
    const lines = [...p.lines, p.current].map((l) => l.replace(/\s+$/u, "")).filter((l) => l.trim().length > 0)
    if (lines.length === 0) return undefined
    const level = p.style !== undefined ? headings.get(p.style) : undefined
    const headingLevel = level ?? p.outlineLevel
    return { _tag: "Paragraph", lines, ...(headingLevel !== undefined ? { headingLevel } : {}), listItem: p.listItem }
  }
  const place = (block: WordParagraph) => {
    const table = tables[tables.length - 1]
    if (table?.cell !== undefined) table.cell.paragraphs.push(block)
    else page().push(block)
  }

  for (const token of scan(xml)) {
    if (typeof token === "string") {
      const p = paragraphs[paragraphs.length - 1]
      if (inText && skipDepth === 0 && p !== undefined) p.current += token
      continue
    }
    const { name, attributes, closing, selfClosing } = token
    if (name === "mc:Fallback") {
      if (!selfClosing) skipDepth += closing ? -1 : 1
      continue
    }
    if (skipDepth > 0) continue
    const p = paragraphs[paragraphs.length - 1]
    switch (name) {
      case "w:p":
        if (selfClosing) break
        if (!closing) {
          paragraphs.push({ lines: [], current: "", listItem: false, pageBreakBefore: false, sectionEnd: false })
        } else {
          const open = paragraphs.pop()
          if (open === undefined) break
          const block = finish(open)
          if (open.pageBreakBefore && tables.length === 0) newPage()
          if (block !== undefined) place(block)
          if (open.sectionEnd && tables.length === 0) newPage()
        }
        break
      case "w:pPr":
        if (!selfClosing) inParagraphProperties += closing ? -1 : 1
        break
      case "w:pStyle":
        if (p !== undefined && inParagraphProperties > 0) {
          const style = attribute(attributes, "w:val")
          if (style !== undefined) p.style = style
        }
        break
      case "w:outlineLvl":
        if (p !== undefined && inParagraphProperties > 0) {
          const level = Number(attribute(attributes, "w:val"))
          if (Number.isInteger(level) && level >= 0 && level < 9) p.outlineLevel = level + 1
        }
        break
      case "w:numPr":
        if (p !== undefined && inParagraphProperties > 0 && !closing) p.listItem = true
        break
      case "w:pageBreakBefore":
        if (p !== undefined && inParagraphProperties > 0) p.pageBreakBefore = isOn(attributes)
        break
      case "w:sectPr":
        if (p !== undefined && inParagraphProperties > 0 && !closing) p.sectionEnd = true
        break
      case "w:r":
        if (!selfClosing) runDepth += closing ? -1 : 1
        break
      case "w:t":
        inText = !closing && !selfClosing
        break
      case "w:tab":
        if (p !== undefined && runDepth > 0) p.current += "\t"
        break
      case "w:noBreakHyphen":
        if (p !== undefined && runDepth > 0) p.current += "-"
        break
      case "w:cr":
        if (p !== undefined && runDepth > 0) endLine(p)
        break
      case "w:br":
        if (p === undefined || runDepth === 0) break
        if (attribute(attributes, "w:type") === "page" && tables.length === 0) {
          // Text before the break ends on this page, the rest starts the next.
          const before = finish(p)
          if (before !== undefined) place(before)
          p.lines = []
          p.current = ""
          newPage()
        } else endLine(p)
        break
      case "w:tbl":
        if (selfClosing) break
        if (!closing) tables.push({ cells: [], row: -1, column: 0, cell: undefined })
        else {
          const table = tables.pop()
          if (table === undefined) break
          const outer = tables[tables.length - 1]
          if (outer?.cell !== undefined) {
            // A nested table's text joins the cell it sits in.
            for (const cell of table.cells) outer.cell.paragraphs.push(...cell.paragraphs)
          } else if (table.cells.length > 0) page().push({ _tag: "Table", cells: table.cells })
        }
        break
      case "w:tr": {
        const table = tables[tables.length - 1]
        if (table !== undefined && !closing && !selfClosing) {
          table.row++
          table.column = 0
        }
        break
      }
      case "w:tc": {
        const table = tables[tables.length - 1]
        if (table === undefined || selfClosing) break
        if (!closing) table.cell = { column: table.column, columnSpan: 1, paragraphs: [], merged: false }
        else if (table.cell !== undefined) {
          const cell = table.cell
          // Continuation cells of a vertical merge hold nothing of their own.
          if (!cell.merged || cell.paragraphs.length > 0) {
            table.cells.push({
              row: table.row,
              column: cell.column,
              columnSpan: cell.columnSpan,
              paragraphs: cell.paragraphs
            })
          }
          table.column += cell.columnSpan
          table.cell = undefined
        }
        break
      }
      case "w:gridSpan": {
        const cell = tables[tables.length - 1]?.cell
        const span = Number(attribute(attributes, "w:val"))
        if (cell !== undefined && Number.isInteger(span) && span > 0) cell.columnSpan = span
        break
      }
      case "w:vMerge": {
        const cell = tables[tables.length - 1]?.cell
        if (cell !== undefined && attribute(attributes, "w:val") !== "restart") cell.merged = true
        break
      }
    }
  }
  return pages.filter((blocks, i) => blocks.length > 0 || i === 0)
}
