/**
 * Reading a .docx back into text: paragraphs (split into lines at line
 * breaks), headings, list items, tables and page breaks, from
 * `word/document.xml` and `word/styles.xml`. The remote backend uses it to
 * turn the Word file a service returns into a core `Document`, so the
 * benchmark can score remote output exactly like a local pipeline's; it also
 * serves any test that needs to check what a .docx says.
 *
 * A .docx carries no positions or confidences of the recognised text: the
 * document built here has zero-sized boxes and confidence 1 throughout (a
 * page without text 0, as `PageBuilder` gives every page), and says so in
 * its `engine` name (`remote`). Score it on text, not geometry.
 *
 * @since 0.1.0
 */
import { type Document, Geometry, PageBuilder, TextScript } from "@ocr2word/core"
import { Effect, Schema } from "effect"
import {
  headingStyles,
  readDocumentXml,
  type WordPage,
  type WordParagraph,
  type WordTable
} from "./internal/word-xml.ts"
import { readEntry, ZipFormatError } from "./internal/zip-reader.ts"

export type { WordBlock, WordCell, WordPage, WordParagraph, WordTable } from "./internal/word-xml.ts"

/** The bytes were not a readable Word file. */
export class DocxReadError extends Schema.TaggedError<DocxReadError>()("DocxReadError", {
  reason: Schema.Literals(["NotZip", "NotWord", "Corrupt"]),
  message: Schema.String
}) {}

/** The XML parts are refused beyond this size (a zip bomb guard; real documents are far smaller). */
const MAX_PART_BYTES = 64 * 1024 * 1024

/** Pages of paragraphs and tables of a .docx. */
export const read = Effect.fn("DocxReader.read")(function* (bytes: Uint8Array) {
  const part = (name: string) =>
    Effect.try({
      try: () => readEntry(bytes, name, MAX_PART_BYTES),
      catch: (cause) =>
        new DocxReadError({
          reason: cause instanceof ZipFormatError && cause.message.startsWith("not a zip") ? "NotZip" : "Corrupt",
          message: `The Word file (${bytes.length} bytes) cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`
        })
    })
  const document = yield* part("word/document.xml")
  if (document === undefined) {
    return yield* new DocxReadError({
      reason: "NotWord",
      message: `The zip archive (${bytes.length} bytes) has no word/document.xml: it is not a Word .docx file`
    })
  }
  const styles = yield* part("word/styles.xml")
  const decoder = new TextDecoder()
  return readDocumentXml(
    decoder.decode(document),
    headingStyles(styles === undefined ? undefined : decoder.decode(styles))
  )
})

const ZERO_BOX: Geometry.Box = { x: 0, y: 0, width: 0, height: 0 }

/** Words of a line: each Han character on its own, other runs split at spaces (as the local pipelines do). */
const wordsOf = (text: string): ReadonlyArray<Document.Word> =>
  (text.match(/\p{Script=Han}|[^\s\p{Script=Han}]+/gu) ?? []).map((word) => ({
    text: word,
    box: ZERO_BOX,
    confidence: 1
  }))

const lineOf = (text: string): Document.Line => ({
  text,
  box: ZERO_BOX,
  polygon: Geometry.quadOfBox(ZERO_BOX),
  confidence: 1,
  direction: "horizontal",
  script: TextScript.scriptOf(text),
  words: wordsOf(text)
})

/** A heading (by its style's outline level), a list item (numbered in Word, so no marker is known) or a paragraph. */
const paragraphBlock = (p: WordParagraph): Document.Block => {
  const text = { box: ZERO_BOX, confidence: 1, lines: p.lines.map(lineOf) }
  if (p.headingLevel !== undefined) return { kind: "heading", ...text, level: p.headingLevel }
  return p.listItem ? { kind: "list-item", ...text } : { kind: "paragraph", ...text }
}

/** A table; cells keep their column spans (continuations of a vertical merge are left out, so row spans are 1). */
const tableBlock = (table: WordTable): Document.Table => ({
  kind: "table",
  box: ZERO_BOX,
  confidence: 1,
  cells: table.cells.map((cell) => ({
    row: cell.row,
    column: cell.column,
    rowSpan: 1,
    columnSpan: cell.columnSpan,
    box: ZERO_BOX,
    lines: cell.paragraphs.flatMap((p) => p.lines.map(lineOf))
  }))
})

/** What a document built from a .docx is told about where it came from. */
export interface DocumentInfo {
  readonly engine: string
  readonly source?: string
  /** Size of the source image, when known (0 otherwise). */
  readonly width: number
  readonly height: number
}

/** A core `Document` from the pages of a .docx. */
export const toDocument = (pages: ReadonlyArray<WordPage>, info: DocumentInfo): Document.Document => ({
  pages: pages.map((blocks, index) =>
    PageBuilder.build({
      index,
      width: info.width,
      height: info.height,
      rotation: 0,
      skew: 0,
      blocks: blocks.map((block) => (block._tag === "Paragraph" ? paragraphBlock(block) : tableBlock(block)))
    })
  ),
  metadata: {
    ...(info.source !== undefined ? { source: info.source } : {}),
    engine: info.engine,
    createdAt: new Date().toISOString()
  }
})
