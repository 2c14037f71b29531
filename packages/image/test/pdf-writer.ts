/**
 * PDFs made in the tests with pdf-lib: scans (real-dev images as whole pages,
 * no text) and born-digital pages (text drawn with a standard or a CJK font).
 */
import * as fs from "node:fs/promises"
import fontkit from "@pdf-lib/fontkit"
import { PDFDocument, StandardFonts } from "pdf-lib"

/** A page of text: each line at (x, y) in points from the top-left, at `size` points. */
export interface TextPage {
  readonly width: number
  readonly height: number
  readonly lines: ReadonlyArray<{
    readonly text: string
    readonly x: number
    readonly y: number
    readonly size: number
  }>
}

/** A CJK TrueType font of the system (wqy-microhei from .ci/run's apt list). */
export const cjkFontPath = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

/** One page per image file, each image filling a page of its size at `dpi`. */
export const scannedPdf = async (images: ReadonlyArray<string>, dpi: number): Promise<Uint8Array> => {
  const doc = await PDFDocument.create()
  for (const file of images) {
    const bytes = await fs.readFile(file)
    const image = file.endsWith(".png") ? await doc.embedPng(bytes) : await doc.embedJpg(bytes)
    const page = doc.addPage([(image.width * 72) / dpi, (image.height * 72) / dpi])
    page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() })
  }
  return doc.save()
}

/** Pages of drawn text (a text layer, no image); Han text uses the system CJK font. */
export const textPdf = async (pages: ReadonlyArray<TextPage>): Promise<Uint8Array> => {
  const doc = await PDFDocument.create()
  doc.registerFontkit({ create: (data: Uint8Array) => fontkit.create(data, "WenQuanYiMicroHei") } as never)
  const latin = await doc.embedFont(StandardFonts.Helvetica)
  let cjk: Awaited<ReturnType<typeof doc.embedFont>> | undefined
  for (const spec of pages) {
    const page = doc.addPage([spec.width, spec.height])
    for (const line of spec.lines) {
      const han = /\p{Script=Han}/u.test(line.text)
      if (han) cjk ??= await doc.embedFont(await fs.readFile(cjkFontPath), { subset: true })
      page.drawText(line.text, { x: line.x, y: spec.height - line.y, size: line.size, font: han ? cjk! : latin })
    }
  }
  return doc.save()
}
