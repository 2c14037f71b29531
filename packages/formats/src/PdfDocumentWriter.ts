/**
 * A `DocumentWriter` for searchable PDF: each page is its page image with the
 * recognised text laid over it invisibly (text render mode 3), line by line,
 * each line stretched to its box, so a viewer shows the scan while search,
 * selection and `pdftotext` find the words where they are on the page. Page
 * pixels become points at `dpi` (300 unless told: the resolution PDF input is
 * rendered at).
 *
 * The text is set in a CJK-capable system font, subset to the characters
 * used: `fontPath` if given, else the first of `fontCandidates` that exists
 * (WenQuanYi Micro Hei, AR PL UMing, Noto Sans CJK, Droid Sans Fallback, as
 * the Debian packages install them). Without one, a document whose text fits
 * the standard PDF fonts (Latin) is set in Helvetica; any other fails with a
 * `WriteError` that says which font package to install.
 *
 * Pages need their image (`Page.image`): pipelines keep it when asked (the CLI
 * does for `--format pdf`). A page without one is written with the text
 * visible on a white page, so the PDF still reads.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs/promises"
import { Document, DocumentWriter, OptionDecoding, StageError } from "@ocr2word/core"
import fontkit from "@pdf-lib/fontkit"
import { Effect, Layer, Schema } from "effect"
import {
  degrees,
  PDFDocument,
  type PDFFont,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  StandardFonts,
  setCharacterSqueeze,
  setTextRenderingMode,
  TextRenderingMode
} from "pdf-lib"
import { FormatsOptionsError } from "./FormatsOptionsError.ts"

/** Options of the PDF writer. */
export const Options = Schema.Struct({
  /** Resolution the page pixels are taken at, in dots per inch. */
  dpi: Schema.optionalKey(Schema.Number.check(Schema.isBetween({ minimum: 36, maximum: 1200 }))).annotateKey({
    expected: "a number from 36 to 1200"
  }),
  /** A TrueType/OpenType font (or collection) with the document's characters, used instead of the system's. */
  fontPath: Schema.optionalKey(Schema.String.check(Schema.isMinLength(1))).annotateKey({
    expected: "a font file path"
  })
})
export type Options = typeof Options.Type

/** Where the Debian font packages (.ci/run installs them) put CJK fonts, in the order tried. */
export const fontCandidates: ReadonlyArray<string> = [
  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
  "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
  "/usr/share/fonts/truetype/arphic/uming.ttc",
  "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
  "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
]

const fail = (message: string, cause?: unknown) =>
  new StageError.WriteError(cause === undefined ? { reason: "Failed", message } : { reason: "Failed", message, cause })

// A font collection (.ttc) is read as its first font; pdf-lib only asks fontkit for one font.
const collectionFontkit = {
  create: (data: Uint8Array) => {
    const font = fontkit.create(data) as unknown as { readonly fonts?: ReadonlyArray<unknown> }
    return font.fonts !== undefined && font.fonts.length > 0 ? font.fonts[0] : font
  }
}

const exists = (path: string) =>
  fs.access(path).then(
    () => true,
    () => false
  )

/** The first font file found: the given one (which must exist) or a system one. */
const findFont = (fontPath: string | undefined): Effect.Effect<string | undefined, StageError.WriteError> =>
  Effect.tryPromise({
    try: async () => {
      if (fontPath !== undefined) {
        if (!(await exists(fontPath))) throw new Error(`missing ${fontPath}`)
        return fontPath
      }
      for (const candidate of fontCandidates) if (await exists(candidate)) return candidate
      return undefined
    },
    catch: (e) => fail(`The font file ${fontPath} does not exist: check fontPath`, e)
  })

// Characters Helvetica (WinAnsi) can set: Latin-1 and a few typographic marks.
const WIN_ANSI = /^[\u0020-\u007E\u00A0-\u00FF\u2013\u2014\u2018\u2019\u201C\u201D\u2022\u2026\u20AC\s]*$/u

/** The page's lines in reading order, table cells row by row. */
const lines = (page: Document.Page): ReadonlyArray<Document.Line> => Document.pageLines(page)

/** One line of text over its box, stretched to the box's width. */
const drawLine = (pdfPage: PDFPage, font: PDFFont, line: Document.Line, scale: number, visible: boolean) => {
  const text = line.text.replace(/\s+/gu, " ").trim()
  if (text.length === 0) return
  const height = pdfPage.getHeight()
  const vertical = line.direction === "vertical"
  const box = line.box
  // The body of a line is about 85% of its box; the baseline sits a little above its bottom.
  const size = Math.max(1, (vertical ? box.width : box.height) * scale * 0.85)
  const length = (vertical ? box.height : box.width) * scale
  const natural = font.widthOfTextAtSize(text, size)
  const squeeze = natural > 0 ? Math.min(1000, Math.max(10, (100 * length) / natural)) : 100
  pdfPage.pushOperators(pushGraphicsState(), setCharacterSqueeze(squeeze))
  if (vertical) {
    // Set downwards along the column, turned a quarter clockwise.
    pdfPage.drawText(text, {
      x: (box.x + box.width * 0.2) * scale,
      y: height - box.y * scale,
      size,
      font,
      rotate: degrees(-90),
      ...(visible ? { color: rgb(0, 0, 0) } : {})
    })
  } else {
    pdfPage.drawText(text, {
      x: box.x * scale,
      y: height - (box.y + box.height * 0.8) * scale,
      size,
      font,
      ...(visible ? { color: rgb(0, 0, 0) } : {})
    })
  }
  pdfPage.pushOperators(popGraphicsState())
}

/** Build the service with decoded options. */
const makeWith = (options: Options): DocumentWriter.DocumentWriter["Service"] => {
  const scale = 72 / (options.dpi ?? 300)
  const write = Effect.fn("PdfDocumentWriter.write")(function* (document: Document.Document) {
    const pdf = yield* Effect.promise(() => PDFDocument.create())
    pdf.setProducer("ocr2word")
    pdf.setCreator(`ocr2word ${document.metadata.engine}`)
    if (document.metadata.source !== undefined) pdf.setTitle(document.metadata.source)
    const fontFile = yield* findFont(options.fontPath)
    const allText = document.pages.flatMap(lines).map((l) => l.text)
    let font: PDFFont
    if (fontFile !== undefined) {
      pdf.registerFontkit(collectionFontkit as never)
      const bytes = yield* Effect.tryPromise({
        try: () => fs.readFile(fontFile),
        catch: (e) => fail(`Could not read the font ${fontFile}: check it is a readable font file`, e)
      })
      font = yield* Effect.tryPromise({
        try: () => pdf.embedFont(bytes, { subset: true }),
        catch: (e) =>
          fail(`${fontFile} is not a font pdf-lib can embed (TrueType or OpenType): pass another fontPath`, e)
      })
    } else if (allText.every((t) => WIN_ANSI.test(t))) {
      font = yield* Effect.promise(() => pdf.embedFont(StandardFonts.Helvetica))
    } else {
      return yield* Effect.fail(
        fail(
          `No CJK font found for the PDF's text layer (looked for ${fontCandidates.join(", ")}): install fonts-wqy-microhei or fonts-noto-cjk, or pass fontPath`
        )
      )
    }
    for (const page of document.pages) {
      const pdfPage = pdf.addPage([page.width * scale, page.height * scale])
      const image = page.image
      if (image !== undefined) {
        const png = yield* Effect.tryPromise({
          try: () => pdf.embedPng(image),
          catch: (e) => fail(`The image of page ${page.index + 1} is not a PNG pdf-lib can read`, e)
        })
        pdfPage.drawImage(png, { x: 0, y: 0, width: pdfPage.getWidth(), height: pdfPage.getHeight() })
        pdfPage.pushOperators(pushGraphicsState(), setTextRenderingMode(TextRenderingMode.Invisible))
      }
      for (const line of lines(page)) drawLine(pdfPage, font, line, scale, image === undefined)
      if (image !== undefined) pdfPage.pushOperators(popGraphicsState())
    }
    return yield* Effect.tryPromise({
      try: () => pdf.save(),
      catch: (e) => fail("The PDF could not be written", e)
    })
  })
  return DocumentWriter.DocumentWriter.of({ format: "pdf", extension: "pdf", mediaType: "application/pdf", write })
}

/** Build the service; fails on options that do not decode. */
export const make = (options?: Options): Effect.Effect<DocumentWriter.DocumentWriter["Service"], FormatsOptionsError> =>
  Effect.map(
    OptionDecoding.decode(Options, options, (invalid) => new FormatsOptionsError(invalid)),
    makeWith
  )

/** The searchable PDF writer, pages at 300 dpi, the system CJK font. */
export const layer: Layer.Layer<DocumentWriter.DocumentWriter> = Layer.succeed(
  DocumentWriter.DocumentWriter,
  makeWith({})
)

/** The searchable PDF writer with options. */
export const layerWith = (options: Options): Layer.Layer<DocumentWriter.DocumentWriter, FormatsOptionsError> =>
  Layer.effect(DocumentWriter.DocumentWriter, make(options))
