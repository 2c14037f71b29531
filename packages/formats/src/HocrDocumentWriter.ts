/**
 * A `DocumentWriter` for hOCR 1.2: HTML whose elements carry our geometry so
 * that other OCR tools (hocr-tools, search highlighters, PDF makers) can read
 * it. Each page is an `ocr_page` (bbox of the page image), each block an
 * `ocr_carea` holding an `ocr_par` (`ocr_table` for tables, `ocr_photo` for
 * figures), each line an `ocr_line` (`ocr_header` for heading lines,
 * `ocr_caption` for captions) and each word an `ocrx_word`, with `bbox` in
 * page pixels and `x_wconf` (0 to 100) from our confidences.
 *
 * @since 0.1.0
 */
import { type Document, DocumentWriter, type Geometry } from "@ocr2word/core"
import { Layer } from "effect"
import { cellsInOrder, viewOf } from "./internal/block-view.ts"
import { textWriter } from "./internal/text-writer.ts"
import { escapeXml, languageOf } from "./internal/xml-text.ts"

const bbox = (b: Geometry.Box): string =>
  `bbox ${Math.round(b.x)} ${Math.round(b.y)} ${Math.round(b.x + b.width)} ${Math.round(b.y + b.height)}`

const wconf = (confidence: number): string => `x_wconf ${Math.round(Math.min(1, Math.max(0, confidence)) * 100)}`

/** Writes the elements of one page, numbering ids from the page index. */
const pageHtml = (page: Document.Page, source: string | undefined): string => {
  const p = page.index + 1
  let blockCount = 0
  let lineCount = 0
  let wordCount = 0
  let parCount = 0
  const out: Array<string> = []
  const line = (l: Document.Line, lineClass: string, indent: string) => {
    const id = `line_${p}_${++lineCount}`
    const lang = languageOf(l.script)
    const words =
      l.words.length > 0
        ? l.words.map(
            (w) =>
              `<span class="ocrx_word" id="word_${p}_${++wordCount}" title="${bbox(w.box)}; ${wconf(w.confidence)}">${escapeXml(w.text)}</span>`
          )
        : // A line read without word positions is one word.
          [
            `<span class="ocrx_word" id="word_${p}_${++wordCount}" title="${bbox(l.box)}; ${wconf(l.confidence)}">${escapeXml(l.text)}</span>`
          ]
    const angle = l.direction === "vertical" ? "; textangle 90" : ""
    out.push(
      `${indent}<span class="${lineClass}" id="${id}"${lang !== undefined ? ` lang="${lang}"` : ""} title="${bbox(l.box)}${angle}; ${wconf(l.confidence)}">${words.join(" ")}</span>`
    )
  }
  const paragraph = (lines: ReadonlyArray<Document.Line>, box: Geometry.Box, lineClass: string, indent: string) => {
    out.push(`${indent}<p class="ocr_par" id="par_${p}_${++parCount}" title="${bbox(box)}">`)
    for (const l of lines) line(l, lineClass, `${indent}  `)
    out.push(`${indent}</p>`)
  }
  for (const block of page.blocks) {
    const view = viewOf(block)
    const id = `block_${p}_${++blockCount}`
    if (view.type === "figure") {
      out.push(`   <div class="ocr_photo" id="${id}" title="${bbox(view.box)}"></div>`)
      continue
    }
    out.push(`   <div class="ocr_carea" id="${id}" title="${bbox(view.box)}">`)
    if (view.type === "table") {
      out.push(`    <div class="ocr_table" id="table_${p}_${blockCount}" title="${bbox(view.box)}">`)
      for (const cell of cellsInOrder(view.cells)) {
        if (cell.lines.length > 0) paragraph(cell.lines, cell.box, "ocr_line", "     ")
      }
      out.push("    </div>")
    } else {
      const lineClass = view.role === "heading" ? "ocr_header" : view.role === "caption" ? "ocr_caption" : "ocr_line"
      paragraph(view.lines, view.box, lineClass, "    ")
    }
    out.push("   </div>")
  }
  // The file name goes in quotes inside the title; escaping the whole title keeps the attribute whole.
  const title = `${source !== undefined ? `image "${source.replace(/"/g, "'")}"; ` : ""}${bbox({ x: 0, y: 0, width: page.width, height: page.height })}; ppageno ${page.index}`
  return [`  <div class="ocr_page" id="page_${p}" title="${escapeXml(title)}">`, ...out, "  </div>"].join("\n")
}

/** The whole hOCR file of a document. */
export const render = (document: Document.Document): string =>
  [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<!DOCTYPE html>`,
    `<html xmlns="http://www.w3.org/1999/xhtml">`,
    " <head>",
    `  <title>${escapeXml(document.metadata.source ?? "")}</title>`,
    `  <meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>`,
    `  <meta name="ocr-system" content="ocr2word ${escapeXml(document.metadata.engine)}"/>`,
    `  <meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_par ocr_line ocrx_word ocr_table ocr_photo ocrp_wconf"/>`,
    `  <meta name="ocr-number-of-pages" content="${document.pages.length}"/>`,
    " </head>",
    " <body>",
    ...document.pages.map((page) => pageHtml(page, document.metadata.source)),
    " </body>",
    "</html>",
    ""
  ].join("\n")

/** Build the service. */
export const make = (): DocumentWriter.DocumentWriter["Service"] =>
  textWriter(
    "HocrDocumentWriter.write",
    { format: "hocr", extension: "hocr", mediaType: "text/vnd.hocr+html; charset=utf-8" },
    render
  )

/** The hOCR writer. */
export const layer: Layer.Layer<DocumentWriter.DocumentWriter> = Layer.succeed(DocumentWriter.DocumentWriter, make())
