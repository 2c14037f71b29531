/**
 * A `DocumentWriter` for ALTO 4 XML (the Library of Congress layout and text
 * format libraries and digitisation tools read): one `Page` per page with its
 * size in pixels, the blocks in reading order in its `PrintSpace` (text
 * blocks as `TextBlock`, tables as a `ComposedBlock` of type `table` holding
 * one `TextBlock` per cell, figures as `Illustration`), each line a
 * `TextLine`, each word a `String` with `WC` (word confidence, 0 to 1) and
 * `SP` between words. Coordinates are page pixels (`MeasurementUnit`
 * `pixel`). Heading, list item, caption, header and footer roles are kept as
 * `TAGREFS` to `StructureTag`s.
 *
 * @since 0.1.0
 */
import { type Document, DocumentWriter, type Geometry } from "@ocr2word/core"
import { Layer } from "effect"
import { type BlockView, cellsInOrder, type TextRole, viewOf } from "./internal/block-view.ts"
import { textWriter } from "./internal/text-writer.ts"
import { decimal, escapeXml, languageOf } from "./internal/xml-text.ts"

/** The ALTO 4 namespace. */
export const namespace = "http://www.loc.gov/standards/alto/ns-v4#"

const position = (b: Geometry.Box): string =>
  `HPOS="${decimal(b.x)}" VPOS="${decimal(b.y)}" WIDTH="${decimal(b.width)}" HEIGHT="${decimal(b.height)}"`

const unit = (confidence: number): string => decimal(Math.min(1, Math.max(0, confidence)))

/** Roles written as structure tags, by tag id. */
const ROLE_TAGS: Partial<Record<TextRole, string>> = {
  heading: "heading",
  "list-item": "list-item",
  caption: "caption",
  header: "header",
  footer: "footer",
  "page-number": "page-number"
}

const pageXml = (page: Document.Page): string => {
  const p = page.index + 1
  let blocks = 0
  let lines = 0
  let strings = 0
  const out: Array<string> = []
  const textLine = (line: Document.Line, indent: string) => {
    const lang = languageOf(line.script)
    out.push(
      `${indent}<TextLine ID="p${p}_l${++lines}" ${position(line.box)}${lang !== undefined ? ` LANG="${lang}"` : ""}${line.direction === "vertical" ? ` BASEDIRECTION="ttb"` : ""}>`
    )
    const words = line.words.length > 0 ? line.words : [{ text: line.text, box: line.box, confidence: line.confidence }]
    words.forEach((word, i) => {
      if (i > 0) {
        const previous = words[i - 1]!
        const gap = Math.max(0, word.box.x - (previous.box.x + previous.box.width))
        out.push(`${indent}  <SP WIDTH="${decimal(gap)}" HPOS="${decimal(previous.box.x + previous.box.width)}"/>`)
      }
      out.push(
        `${indent}  <String ID="p${p}_s${++strings}" ${position(word.box)} CONTENT="${escapeXml(word.text)}" WC="${unit(word.confidence)}"/>`
      )
    })
    out.push(`${indent}</TextLine>`)
  }
  const textBlock = (lineList: ReadonlyArray<Document.Line>, box: Geometry.Box, indent: string, tag?: string) => {
    out.push(
      `${indent}<TextBlock ID="p${p}_b${++blocks}" ${position(box)}${tag !== undefined ? ` TAGREFS="${tag}"` : ""}>`
    )
    for (const line of lineList) textLine(line, `${indent}  `)
    out.push(`${indent}</TextBlock>`)
  }
  const block = (view: BlockView) => {
    if (view.type === "figure") {
      out.push(`        <Illustration ID="p${p}_b${++blocks}" ${position(view.box)} TYPE="figure"/>`)
    } else if (view.type === "table") {
      out.push(`        <ComposedBlock ID="p${p}_b${++blocks}" ${position(view.box)} TYPE="table">`)
      for (const cell of cellsInOrder(view.cells)) textBlock(cell.lines, cell.box, "          ")
      out.push("        </ComposedBlock>")
    } else {
      textBlock(view.lines, view.box, "        ", ROLE_TAGS[view.role])
    }
  }
  for (const b of page.blocks) block(viewOf(b))
  const whole = { x: 0, y: 0, width: page.width, height: page.height }
  return [
    `    <Page ID="page${p}" PHYSICAL_IMG_NR="${p}" ${position(whole).replace(/HPOS="0" VPOS="0" /, "")} PC="${unit(page.confidence)}">`,
    `      <PrintSpace ${position(whole)}>`,
    ...out,
    "      </PrintSpace>",
    "    </Page>"
  ].join("\n")
}

/** The whole ALTO file of a document. */
export const render = (document: Document.Document): string =>
  [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<alto xmlns="${namespace}" SCHEMAVERSION="4.4">`,
    "  <Description>",
    "    <MeasurementUnit>pixel</MeasurementUnit>",
    "    <sourceImageInformation>",
    `      <fileName>${escapeXml(document.metadata.source ?? "")}</fileName>`,
    "    </sourceImageInformation>",
    `    <Processing ID="ocr">`,
    "      <processingCategory>contentGeneration</processingCategory>",
    `      <processingDateTime>${escapeXml(document.metadata.createdAt)}</processingDateTime>`,
    "      <processingSoftware>",
    "        <softwareName>ocr2word</softwareName>",
    `        <applicationDescription>engine ${escapeXml(document.metadata.engine)}</applicationDescription>`,
    "      </processingSoftware>",
    "    </Processing>",
    "  </Description>",
    "  <Tags>",
    ...Object.values(ROLE_TAGS).map((id) => `    <StructureTag ID="${id}" LABEL="${id}"/>`),
    "  </Tags>",
    "  <Layout>",
    ...document.pages.map(pageXml),
    "  </Layout>",
    "</alto>",
    ""
  ].join("\n")

/** Build the service. */
export const make = (): DocumentWriter.DocumentWriter["Service"] =>
  textWriter(
    "AltoDocumentWriter.write",
    { format: "alto", extension: "xml", mediaType: "application/alto+xml; charset=utf-8" },
    render
  )

/** The ALTO writer. */
export const layer: Layer.Layer<DocumentWriter.DocumentWriter> = Layer.succeed(DocumentWriter.DocumentWriter, make())
