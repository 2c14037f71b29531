/**
 * A `DocumentWriter` for Markdown (CommonMark with GitHub's pipe tables), for
 * notes, wikis and language-model pipelines: headings as `#` to `######` by
 * level, list items as `-` or `1.` items nested by their level, tables as
 * pipe tables (a cell spanning several columns is written in its first and
 * left empty in the others), paragraphs and captions as text, figures as an
 * HTML comment holding their place. The lines of a block are joined into one
 * paragraph (with a space between Latin words, none between Han characters).
 * Running heads, feet and page numbers are left out: they are not body text.
 * Pages are separated by a thematic break (`---`).
 *
 * @since 0.1.0
 */
import { type Document, DocumentWriter, TextScript } from "@ocr2word/core"
import { Layer } from "effect"
import { type BlockView, cellsInOrder, viewOf } from "./internal/block-view.ts"
import { textWriter } from "./internal/text-writer.ts"

/** Backslash-escape what Markdown would read as markup inside a paragraph. */
const escapeInline = (text: string): string => text.replace(/([\\`*_[\]<>|#~])/g, "\\$1")

/** Escape what would open a block (a list, a heading, a quote, a rule) at the start of a paragraph. */
const escapeStart = (text: string): string =>
  text.replace(/^(\s*)([-+*]|\d{1,9}[.)]|=+|>)(?=\s|$)/, (_, space: string, marker: string) =>
    marker.length > 1 && /\d/.test(marker)
      ? `${space}${marker.slice(0, -1)}\\${marker.slice(-1)}`
      : `${space}\\${marker}`
  )

/** The lines of a block as one run of text: a space between lines unless Han meets Han. */
export const joinLines = (lines: ReadonlyArray<{ readonly text: string }>): string =>
  lines
    .map((l) => l.text.trim())
    .filter((t) => t.length > 0)
    .reduce((joined, next) => {
      if (joined.length === 0) return next
      // The last character, a surrogate pair included.
      const last = Array.from(joined.slice(-2)).at(-1)!
      const first = [...next][0]!
      if (last === "-" && /[a-z]/i.test(first)) return joined.slice(0, -1) + next
      return TextScript.isHan(last) || TextScript.isHan(first) ? joined + next : `${joined} ${next}`
    }, "")

const BULLET = /^\s*([•·●▪■◦○\-–—*+])\s*/u

/** A list item: the marker as Markdown's, the rest of the text as written. */
const listItem = (view: Extract<BlockView, { type: "text" }>): string => {
  const text = joinLines(view.lines)
  const list = view.list
  const indent = "  ".repeat(list?.level ?? 0)
  if (list === undefined || list.format === "bullet") return `${indent}- ${escapeInline(text.replace(BULLET, ""))}`
  const rest = text.startsWith(list.marker) ? text.slice(list.marker.length).trimStart() : text
  // Markdown numbers lists 1. 2. 3.; other markers (一、 ① a.) are kept as written.
  if (list.format === "decimal" || list.format === "decimal-paren")
    return `${indent}${list.number}. ${escapeInline(rest)}`
  return `${indent}- ${escapeInline(text)}`
}

const table = (cells: ReadonlyArray<Document.TableCell>): string => {
  const rows = Math.max(0, ...cells.map((c) => c.row + c.rowSpan))
  const columns = Math.max(0, ...cells.map((c) => c.column + c.columnSpan))
  if (rows === 0 || columns === 0) return ""
  const grid = Array.from({ length: rows }, () => Array.from({ length: columns }, () => ""))
  for (const cell of cellsInOrder(cells)) {
    grid[cell.row]![cell.column] = escapeInline(joinLines(cell.lines)).replace(/\n/g, " ")
  }
  const row = (values: ReadonlyArray<string>) => `| ${values.join(" | ")} |`
  return [row(grid[0]!), row(Array.from({ length: columns }, () => "---")), ...grid.slice(1).map(row)].join("\n")
}

/** A block as Markdown, or undefined for what is left out. */
const blockMarkdown = (view: BlockView): string | undefined => {
  if (view.type === "figure") return "<!-- figure -->"
  if (view.type === "table") return table(view.cells)
  switch (view.role) {
    case "heading":
      return `${"#".repeat(Math.min(6, Math.max(1, view.level ?? 1)))} ${escapeInline(joinLines(view.lines))}`
    case "list-item":
      return listItem(view)
    case "header":
    case "footer":
    case "page-number":
      return undefined
    default:
      return escapeStart(escapeInline(joinLines(view.lines)))
  }
}

/** The Markdown text of a document. */
export const render = (document: Document.Document): string => {
  const pages = document.pages.map((page) => {
    const parts: Array<string> = []
    let previousList = false
    for (const block of page.blocks) {
      const view = viewOf(block)
      const markdown = blockMarkdown(view)
      if (markdown === undefined || markdown.trim().length === 0) continue
      const isList = view.type === "text" && view.role === "list-item"
      // Items of one list stay together; everything else is its own paragraph.
      if (isList && previousList) parts[parts.length - 1] += `\n${markdown}`
      else parts.push(markdown)
      previousList = isList
    }
    return parts.join("\n\n")
  })
  const text = pages.filter((p) => p.length > 0).join("\n\n---\n\n")
  return text.length > 0 ? `${text}\n` : ""
}

/** Build the service. */
export const make = (): DocumentWriter.DocumentWriter["Service"] =>
  textWriter(
    "MarkdownDocumentWriter.write",
    { format: "md", extension: "md", mediaType: "text/markdown; charset=utf-8" },
    render
  )

/** The Markdown writer. */
export const layer: Layer.Layer<DocumentWriter.DocumentWriter> = Layer.succeed(DocumentWriter.DocumentWriter, make())
