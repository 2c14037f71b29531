/**
 * End to end on rendered and real pages: the real PaddleOCR pipeline and
 * layout analysis, then the .docx XML in flow and exact mode. Where
 * LibreOffice is installed the .docx files are also rendered
 * (`libreoffice --headless --convert-to pdf`, `pdftoppm -png -r 60`) next to
 * their source into `benchmarks/results/fidelity/`, to be looked at.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { expect, layer } from "@effect/vitest"
import { Document, DocumentWriter, Pipeline } from "@ocr2word/core"
import { ImageCodec, ImagePreprocessor, SharpImageSource } from "@ocr2word/image"
import { XyCutLayoutAnalyzer } from "@ocr2word/layout"
import { Paddle } from "@ocr2word/paddle"
import { Effect, Layer } from "effect"
import sharp from "sharp"
import { DocxDocumentWriter } from "../src/index.ts"
import { paragraphsOf, parts, textOf } from "./fixtures.ts"
import { renderHtml, STRUCTURED_HTML } from "./rendered-page.ts"

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")
const fidelityDir = path.join(repo, "benchmarks/results/fidelity")

// Pages keep their image, for the exact pages with the scan behind the text.
const pipeline = Pipeline.layer(undefined, { encodePng: ImageCodec.encodePng }).pipe(
  Layer.provide(
    Layer.mergeAll(SharpImageSource.layer, ImagePreprocessor.layer, Paddle.layer, XyCutLayoutAnalyzer.layer)
  )
)

const recognise = (bytes: Uint8Array, source: string) =>
  Effect.gen(function* () {
    const p = yield* Pipeline.Pipeline
    return yield* p.run(bytes, { source })
  })

const writeDocx = (document: Document.Document, options: unknown) =>
  Effect.gen(function* () {
    const writer = yield* DocumentWriter.DocumentWriter
    return yield* writer.write(document)
  }).pipe(Effect.provide(DocxDocumentWriter.layerWith(options)))

const hasLibreOffice = (() => {
  try {
    execFileSync("sh", ["-c", "command -v libreoffice && command -v pdftoppm"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
})()

/** Render .docx files to PNG (first page) with LibreOffice and poppler; returns PNG paths by input. */
const renderDocx = (files: ReadonlyArray<string>, out: string): Array<string> => {
  const work = fs.mkdtempSync("/tmp/ocr2word-fidelity-")
  // Test files run in parallel; LibreOffice conversions started together failed now and then, so one at a time.
  execFileSync(
    "flock",
    [
      "/tmp/ocr2word-libreoffice.lock",
      "libreoffice",
      "-env:UserInstallation=file:///tmp/ocr2word-fidelity-lo",
      "--headless",
      "--convert-to",
      "pdf",
      "--outdir",
      work,
      ...files
    ],
    { stdio: "ignore", timeout: 240_000 }
  )
  return files.map((file) => {
    const base = path.basename(file, ".docx")
    const target = path.join(out, base)
    execFileSync("pdftoppm", [
      "-png",
      "-r",
      "60",
      "-f",
      "1",
      "-l",
      "1",
      "-singlefile",
      path.join(work, `${base}.pdf`),
      target
    ])
    return `${target}.png`
  })
}

layer(pipeline, { timeout: 600_000 })("DocxDocumentWriter on recognised pages", (it) => {
  it.effect(
    "a rendered page keeps its title, columns, lists, table spans and figure in flow mode, and its line positions in exact mode",
    () =>
      Effect.gen(function* () {
        const png = yield* Effect.promise(() => renderHtml(STRUCTURED_HTML))
        const document = yield* recognise(png, "structured.png")
        const page = document.pages[0]!
        expect(page.blocks.map((b) => b.kind)).toEqual(
          expect.arrayContaining(["heading", "paragraph", "list-item", "table", "figure", "caption"])
        )

        const flow = parts(yield* writeDocx(document, { mode: "flow" }))
        const xml = flow["word/document.xml"]!
        const paragraphs = paragraphsOf(xml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, "<w:p>TABLE</w:p>"))
        const texts = paragraphs.map((p) => (p.includes("<w:drawing>") ? "PICTURE" : textOf(p) || "TABLE"))
        const at = (needle: string) => texts.findIndex((t) => t.replace(/\s/g, "").includes(needle))
        // Title as Heading 1, the subheading as a lower level.
        const title = paragraphs[at("LayoutTest")]!
        expect(title).toMatch(/<w:pStyle w:val="Heading1"\/>/)
        expect(paragraphs[at("Steps")]).toMatch(/<w:pStyle w:val="Heading[2-6]"\/>/)
        // Columns: the whole left column before the right one.
        expect(at("左栏第一段")).toBeGreaterThan(at("这份文件"))
        expect(at("右栏的文字")).toBeGreaterThan(at("left column"))
        // Lists: Word numbering on the items, bullets and decimals defined.
        for (const item of ["安装依赖", "准备图片", "运行命令", "打开结果"]) {
          expect(paragraphs[at(item)], item).toContain("<w:numPr>")
        }
        expect(flow["word/numbering.xml"]).toContain('<w:numFmt w:val="decimal"/>')
        // The table with its spans, after the lists and before the picture, then the caption.
        const table = xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/)![0]
        expect(table).toContain('<w:gridSpan w:val="2"/>')
        expect(table).toMatch(/<w:vMerge w:val="restart"\/>/)
        expect(textOf(table).replace(/\s/g, "")).toContain("速度Speed")
        expect(textOf(table)).toContain("pages/s")
        expect(texts.indexOf("TABLE")).toBeGreaterThan(at("打开结果"))
        expect(texts.indexOf("PICTURE")).toBeGreaterThan(texts.indexOf("TABLE"))
        expect(at("Figure1")).toBe(texts.indexOf("PICTURE") + 1)
        expect(paragraphs[at("Figure1")]).toContain('<w:pStyle w:val="Caption"/>')
        expect(at("最后一段")).toBeGreaterThan(at("Figure1"))
        expect(Object.keys(flow).filter((n) => n.startsWith("word/media/")).length).toBe(1)

        // Exact: one frame per line at its position (twips = pixels x A4 width / image width), the image behind.
        const exact = parts(yield* writeDocx(document, { mode: "exact", backgroundImage: true }))
        const exml = exact["word/document.xml"]!
        const frames = paragraphsOf(exml).filter((p) => p.includes("<w:framePr"))
        const lines = Document.pageLines(page)
        expect(frames.map(textOf)).toEqual(lines.map((l) => l.text.trim()))
        const scale = 11906 / page.width
        const line = lines.find((l) => l.text.includes("最后一段"))!
        const frame = frames.find((f) => textOf(f).includes("最后一段"))!
        expect(Number(frame.match(/w:x="(\d+)"/)![1])).toBe(Math.round(line.box.x * scale))
        expect(Number(frame.match(/w:y="(\d+)"/)![1])).toBe(Math.round(line.box.y * scale))
        expect(exml).toMatch(new RegExp(`<w:pgSz w:w="11906" w:h="${Math.round(page.height * scale)}"`))
        expect(exml).toMatch(/<wp:anchor [^>]*behindDoc="1"/)

        if (hasLibreOffice) yield* saveFidelity("structured", png, document)
      })
  )

  const realPages = [
    ["tjs_bill", "datasets/real-dev/images/tjs_bill.png"],
    ["pp_11", "datasets/real-dev/images/pp_11.jpg"],
    ["synth-doc-s1-0018", "datasets/synth-docs/images/synth-doc-s1-0018.png"]
  ] as const
  for (const [name, file] of realPages) {
    it.effect(`${name}: the .docx of a real page opens and keeps its tables and pictures`, () =>
      Effect.gen(function* () {
        const bytes = new Uint8Array(fs.readFileSync(path.join(repo, file)))
        const document = yield* recognise(bytes, name)
        const flow = parts(yield* writeDocx(document, { mode: "flow" }))
        const kinds = document.pages[0]!.blocks.map((b) => b.kind)
        expect((flow["word/document.xml"]!.match(/<w:tbl>/g) ?? []).length).toBe(
          kinds.filter((k) => k === "table").length
        )
        expect(Object.keys(flow).filter((n) => n.startsWith("word/media/")).length).toBe(
          kinds.filter((k) => k === "figure").length
        )
        if (hasLibreOffice) yield* saveFidelity(name, bytes, document)
      })
    )
  }
})

/** Source, flow and exact renders of one page, as files next to each other, for a person to look at. */
const saveFidelity = (name: string, source: Uint8Array, document: Document.Document) =>
  Effect.gen(function* () {
    fs.mkdirSync(fidelityDir, { recursive: true })
    const work = fs.mkdtempSync("/tmp/ocr2word-fidelity-docx-")
    const files: Array<string> = []
    for (const mode of ["flow", "exact"] as const) {
      const file = path.join(work, `${name}-${mode}.docx`)
      fs.writeFileSync(file, yield* writeDocx(document, { mode }))
      files.push(file)
    }
    yield* Effect.promise(() =>
      sharp(source)
        .resize({ width: 500, withoutEnlargement: true })
        .png({ palette: true })
        .toFile(path.join(fidelityDir, `${name}-source.png`))
    )
    renderDocx(files, fidelityDir)
  })
