/**
 * The preview page in real headless Chromium (Debian's, driven by
 * playwright-core) against the real server with its embedded defaults: a
 * person chooses one image and drops another, watches each file's progress
 * (queued, converting, done), sees the Word result rendered by docx-preview
 * beside the image with the recognised lines drawn over it, switches files
 * with the keyboard and downloads each .docx. Then a PDF of three scanned
 * pages (made here), an image and a damaged PDF: the PDF's row counts its
 * pages as they convert, its one .docx has a section per page with that
 * page's text, each page is drawn (by pdf.js) with its lines, and the
 * damaged PDF fails on its row saying what is wrong. Over plain HTTP, the
 * events call answers its NDJSON in order, and the contract endpoint and the
 * demo still refuse PDFs. Every request that
 * leaves the loopback is blocked and must not happen. The screenshots
 * (out/server/preview-ocr2word*.png) are checked pixel by pixel: the overlay
 * colour lies on every line box and nowhere else, and the page images, the
 * file list and the Word pages are drawn (not blank).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, layer } from "@effect/vitest"
import { Metrics } from "@ocr2word/benchmarks"
import { Effect } from "effect"
import { strFromU8, unzipSync } from "fflate"
import { type Browser, chromium, type Page } from "playwright-core"
import sharp from "sharp"
import { docxText } from "./fixtures/docx-text.ts"
import * as TestServer from "./fixtures/test-server.ts"

const root = path.resolve(import.meta.dirname, "../../..")
const manifest = fs.readFileSync(path.join(root, "datasets/real-dev/manifest.jsonl"), "utf8").split("\n")
const sample = (id: string) => ({
  file: path.join(root, `datasets/real-dev/images/${id}.png`),
  truth: manifest.filter((l) => l.includes(`"${id}"`)).map((l) => JSON.parse(l).text as string)[0]!
})
const english = sample("tjs_testocr")
const chinese = sample("tjs_chinese_tra")
/** The PDF's pages: English, Chinese, English again on white, each a scan. */
const pdfSamples = [english, sample("cnocr_multiline_cn1"), sample("cnocr_multiline_en_white")]
const screenshot = path.join(root, "out/server/preview-ocr2word.png")
const pdfScreenshot = path.join(root, "out/server/preview-ocr2word-pdf.png")
/** The overlay's stroke colour in preview.html (#e0157a). */
const overlayColour = [224, 21, 122] as const

const browser = Effect.acquireRelease(
  Effect.promise(() =>
    chromium.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run"
      ]
    })
  ),
  (b) => Effect.promise(() => b.close())
)

/**
 * A PDF of scanned pages written by hand: each image as a JPEG (DCTDecode)
 * XObject filling a page of its size at 300 dpi, so the server renders it
 * back at the image's own size. Nothing but the PDF syntax: no PDF library.
 */
const scannedPdf = async (files: ReadonlyArray<string>): Promise<Uint8Array> => {
  const parts: Array<Buffer> = [Buffer.from("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n", "latin1")]
  const offsets: Array<number> = []
  let length = parts[0]!.length
  const object = (body: Buffer | string, stream?: Buffer) => {
    offsets.push(length)
    const bytes = Buffer.concat([
      Buffer.from(`${offsets.length} 0 obj\n`),
      Buffer.from(body),
      ...(stream !== undefined ? [Buffer.from("\nstream\n"), stream, Buffer.from("\nendstream")] : []),
      Buffer.from("\nendobj\n")
    ])
    parts.push(bytes)
    length += bytes.length
    return offsets.length
  }
  object("<< /Type /Catalog /Pages 2 0 R >>")
  offsets.push(-1) // object 2, the page tree, is written last: its kids are known then
  const kids: Array<number> = []
  for (const file of files) {
    const { data, info } = await sharp(file).flatten({ background: "#fff" }).jpeg({ quality: 92 }).toBuffer({
      resolveWithObject: true
    })
    const image = object(
      `<< /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${data.length} >>`,
      data
    )
    const [w, h] = [(info.width * 72) / 300, (info.height * 72) / 300]
    const drawing = Buffer.from(`q ${w} 0 0 ${h} 0 0 cm /Im0 Do Q`)
    const content = object(`<< /Length ${drawing.length} >>`, drawing)
    kids.push(
      object(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /XObject << /Im0 ${image} 0 R >> >> /Contents ${content} 0 R >>`
      )
    )
  }
  offsets[1] = length
  const tree = Buffer.from(
    `2 0 obj\n<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(" ")}] /Count ${kids.length} >>\nendobj\n`
  )
  parts.push(tree)
  length += tree.length
  const xref = [
    `xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n`,
    ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`),
    `trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`
  ].join("")
  parts.push(Buffer.from(xref))
  return new Uint8Array(Buffer.concat(parts))
}

/** The text of each section of a .docx (a PDF page each), read from word/document.xml. */
const sectionTexts = (bytes: Uint8Array): Array<string> => {
  const xml = strFromU8(unzipSync(bytes)["word/document.xml"]!)
  // A section ends with the paragraph that holds its sectPr; the last one's sectPr is the body's own.
  const sections: Array<string> = []
  let text = ""
  for (const [element] of xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>|<w:sectPr[ >][\s\S]*?<\/w:sectPr>/g)) {
    text += [...element.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("")
    if (element.includes("<w:sectPr")) {
      sections.push(text)
      text = ""
    }
  }
  return sections
}

/** The line counts of each page of the preview's answers, by Word file URL (read from the NDJSON events). */
const recordAnswers = (page: Page) => {
  const answers = new Map<string, ReadonlyArray<number>>()
  page.on("response", async (r) => {
    if (!r.url().endsWith("/preview/ocr2word/recognize/events") || r.status() !== 200) return
    const events = (await r.text())
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l))
    const done = events.find((e) => e.event === "done")
    if (done !== undefined)
      answers.set(
        done.result.ResultWordFileUrl,
        done.result.pages.map((p: { lines: ReadonlyArray<unknown> }) => p.lines.length)
      )
  })
  return answers
}

/**
 * A fresh page of its own context: downloads accepted, every request outside the loopback blocked
 * and listed, page errors and console errors (a script the Content-Security-Policy refused, a PDF
 * the page could not draw) collected, and the preview's answers recorded.
 */
const openPage = async (b: Browser) => {
  const context = await b.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
  const outside: Array<string> = []
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url())
    if (url.hostname === "127.0.0.1") return route.continue()
    outside.push(url.href)
    return route.abort("blockedbyclient")
  })
  const page = await context.newPage()
  const errors: Array<string> = []
  page.on("pageerror", (e) => errors.push(String(e)))
  page.on("console", (m) => {
    if (m.type() === "error" || /Content Security Policy|Refused to/.test(m.text())) errors.push(m.text())
  })
  return { context, page, errors, outside, answers: recordAnswers(page) }
}

/** The screenshot's pixels, with what lies where. */
const pixels = async (png: Buffer) => {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const at = (x: number, y: number) => {
    const i = (Math.round(y) * info.width + Math.round(x)) * 3
    return [data[i]!, data[i + 1]!, data[i + 2]!] as const
  }
  const isOverlay = (x: number, y: number) => {
    const [r, g, b] = at(x, y)
    return (
      Math.abs(r - overlayColour[0]) < 45 && Math.abs(g - overlayColour[1]) < 45 && Math.abs(b - overlayColour[2]) < 45
    )
  }
  /** Share of a rectangle's pixels that are dark (ink), sampled every other pixel. */
  const ink = (rect: Rect) => {
    let dark = 0
    let all = 0
    for (let y = Math.max(0, rect.top); y < Math.min(info.height, rect.bottom); y += 2)
      for (let x = Math.max(0, rect.left); x < Math.min(info.width, rect.right); x += 2) {
        const [r, g, b] = at(x, y)
        all++
        if (r + g + b < 3 * 110) dark++
      }
    return all === 0 ? 0 : dark / all
  }
  /** Boxes whose top edge, at its middle, carries the overlay's stroke (within two pixels of rounding). */
  const stroked = (polygons: ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>) =>
    polygons.filter((poly) => {
      const [[x0, y0], [x1, y1]] = poly as [[number, number], [number, number]]
      const cx = Math.round((x0 + x1) / 2)
      const cy = Math.round((y0 + y1) / 2)
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++)
          if (
            cx + dx >= 0 &&
            cy + dy >= 0 &&
            cx + dx < info.width &&
            cy + dy < info.height &&
            isOverlay(cx + dx, cy + dy)
          )
            return true
      return false
    }).length
  /** Overlay-coloured pixels outside every one of `rects`. */
  const strayOverlay = (rects: ReadonlyArray<Rect>) => {
    let stray = 0
    for (let y = 0; y < info.height; y++)
      for (let x = 0; x < info.width; x++) {
        const inside = rects.some((r) => x >= r.left - 2 && x <= r.right + 2 && y >= r.top - 2 && y <= r.bottom + 2)
        if (!inside && isOverlay(x, y)) stray++
      }
    return stray
  }
  return { width: info.width, height: info.height, ink, stroked, strayOverlay }
}

interface Rect {
  readonly left: number
  readonly top: number
  readonly right: number
  readonly bottom: number
}

// Page-side code reaches the DOM through globalThis: the DOM types are not part of this Node project.

/** Drop files on the drop zone as a person's drag would: a DataTransfer holding real File objects. */
const dropFiles = (page: Page, files: ReadonlyArray<{ name: string; type: string; bytes: Uint8Array }>) =>
  page.evaluate(
    (list) => {
      const transfer = new (globalThis as any).DataTransfer()
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))
        transfer.items.add(new (globalThis as any).File([bytes], f.name, { type: f.type }))
      }
      const zone = (globalThis as any).document.getElementById("drop")
      zone.dispatchEvent(new (globalThis as any).DragEvent("dragover", { dataTransfer: transfer, bubbles: true }))
      zone.dispatchEvent(new (globalThis as any).DragEvent("drop", { dataTransfer: transfer, bubbles: true }))
    },
    files.map((f) => ({ name: f.name, type: f.type, base64: Buffer.from(f.bytes).toString("base64") }))
  )

/** The shown file: each page's overlay polygons in page pixels, its caption and place, and the rendered Word text. */
const shown = (page: Page) =>
  page.evaluate(() => {
    const doc = (globalThis as any).document
    const rectOf = (el: any) => {
      const r = el.getBoundingClientRect()
      const [x, y] = [(globalThis as any).scrollX, (globalThis as any).scrollY]
      return { left: r.left + x, top: r.top + y, right: r.right + x, bottom: r.bottom + y }
    }
    const figures = [...doc.querySelectorAll("#figures figure.page")].map((figure: any) => {
      const svg = figure.querySelector("svg")
      const box = rectOf(svg)
      const [, , w, h] = svg.getAttribute("viewBox").split(" ").map(Number)
      const canvas = figure.querySelector("canvas")
      return {
        caption: (figure.querySelector("figcaption")?.textContent ?? "") as string,
        rect: rectOf(figure.querySelector(".sheet")),
        size: [canvas.width, canvas.height] as const,
        polygons: [...svg.querySelectorAll("polygon")].map((p: any) =>
          [...p.points].map((pt: any) => [
            box.left + (pt.x * (box.right - box.left)) / w,
            box.top + (pt.y * (box.bottom - box.top)) / h
          ])
        )
      }
    })
    const docx = doc.getElementById("docx")
    return {
      file: Number(doc.getElementById("view").dataset.file),
      figures,
      polygons: figures.flatMap((f) => f.polygons),
      files: rectOf(doc.getElementById("files")),
      docx: rectOf(docx),
      pages: docx.querySelectorAll("section.docx").length,
      // The rendered pages only: docx-preview also puts its <style> elements in the container.
      sections: [...docx.querySelectorAll("section.docx")].map((p: any) => p.textContent as string),
      docxText: [...docx.querySelectorAll("section.docx")].map((p: any) => p.textContent as string).join("\n")
    }
  })

const download = async (page: Page, index: number) => {
  const [event] = await Promise.all([
    page.waitForEvent("download"),
    page.click(`#files li:nth-child(${index + 1}) a.button`)
  ])
  return { bytes: new Uint8Array(fs.readFileSync(await event.path())), name: event.suggestedFilename() }
}

const strip = (s: string) => s.replace(/\s+/g, "")

layer(TestServer.layer(), { timeout: 400_000, excludeTestServices: true })("preview page", (it) => {
  it.effect("drop several images, watch progress, see the Word result beside the lines, download each .docx", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const s = yield* TestServer.TestServer
        const b = yield* browser
        // The page's scripts come from the server itself; only the listed ones are served.
        const assets = yield* Effect.promise(async () => {
          const known = await Promise.all(
            ["docx-preview.min.js", "jszip.min.js", "pdf.min.mjs", "pdf.worker.min.mjs"].map(async (name) => {
              const r = await fetch(`${s.url}/preview/ocr2word/assets/${name}`)
              return { status: r.status, type: r.headers.get("content-type"), size: (await r.text()).length }
            })
          )
          const unknown = await fetch(`${s.url}/preview/ocr2word/assets/..%2Fpackage.json`)
          return { known, unknown: unknown.status }
        })
        for (const a of assets.known) {
          assert.strictEqual(a.status, 200)
          assert.match(a.type ?? "", /^text\/javascript/)
          assert.isAbove(a.size, 10_000)
        }
        assert.isAtLeast(assets.unknown, 400)
        assert.isBelow(assets.unknown, 500)
        const result = yield* Effect.promise(async () => {
          const { context, page, errors, outside, answers } = await openPage(b)
          const response = await page.goto(`${s.url}/preview/ocr2word`)
          const policy = (await response?.allHeaders())?.["content-security-policy"] ?? ""

          // Every control has a name a screen reader can read.
          const unlabelled = await page.evaluate(() =>
            [...(globalThis as any).document.querySelectorAll("input")]
              .filter((i: any) => i.labels.length === 0)
              .map((i: any) => i.id)
          )

          // A file that is neither an image nor a PDF is refused on the page; nothing is uploaded for it.
          await dropFiles(page, [{ name: "notes.txt", type: "text/plain", bytes: Buffer.from("notes\n") }])
          const refusedStatus = (await page.textContent("#status")) ?? ""
          const afterRefused = await page.locator("#files li").count()

          await page.setInputFiles("#file", english.file)
          await dropFiles(page, [
            // No type, as some systems drag files: the page goes by the name's extension.
            { name: "chinese.png", type: "", bytes: fs.readFileSync(chinese.file) },
            { name: "notes.png", type: "image/png", bytes: Buffer.from("these are notes, not a picture\n") }
          ])

          // Each file's state, sampled until both are done.
          const seen = new Set<string>()
          const deadline = Date.now() + 300_000
          for (;;) {
            const states = await page.$$eval("#files li", (lis) => lis.map((li: any) => li.dataset.state as string))
            for (const state of states) seen.add(state)
            if (states.length === 3 && states.every((x) => x === "done" || x === "failed")) break
            if (Date.now() > deadline) throw new Error(`files still not finished: ${states.join(", ")}`)
            await page.waitForTimeout(150)
          }
          const final = await page.$$eval("#files li", (lis) =>
            lis.map((li: any) => ({
              state: li.dataset.state,
              progress: li.querySelector("progress").value,
              text: li.querySelector(".state").textContent,
              href: li.querySelector("a").getAttribute("href") as string,
              error: li.querySelector(".state").title as string
            }))
          )
          const broken = final.pop()
          const failed = final.filter((f) => f.state !== "done")
          if (failed.length > 0) throw new Error(`files failed: ${failed.map((f) => f.error).join("; ")}`)
          await page.waitForSelector("#view[data-rendered]")
          const first = await shown(page)

          fs.mkdirSync(path.dirname(screenshot), { recursive: true })
          const shot = await pixels(await page.screenshot({ path: screenshot }))
          // The boxes inside the screenshot (a tall page can reach below it).
          const visible = first.polygons.filter((p) => p.every(([, y]) => y! < shot.height - 2))
          const boxesStroked = shot.stroked(visible)
          const visibleBoxes = visible.length
          const strayOverlay = shot.strayOverlay(first.figures.map((f) => f.rect))

          // The keyboard: Tab (or Shift+Tab) from a neighbouring control reaches the other file's View; Enter shows it.
          const other = 1 - first.file
          if (other === 1) {
            await page.focus("#files li:nth-child(1) a.button")
            await page.keyboard.press("Tab")
          } else {
            await page.focus("#files li:nth-child(2) button")
            await page.keyboard.press("Shift+Tab")
            await page.keyboard.press("Shift+Tab")
          }
          const focused = await page.evaluate(
            () => (globalThis as any).document.activeElement.getAttribute("aria-label") as string
          )
          await page.keyboard.press("Enter")
          await page.waitForFunction(
            (n) => (globalThis as any).document.getElementById("view").dataset.rendered === String(n),
            other
          )
          const second = await shown(page)

          const downloads = [await download(page, 0), await download(page, 1)]
          await context.close()
          return {
            unlabelled,
            policy,
            broken,
            refusedStatus,
            afterRefused,
            visibleBoxes,
            seen,
            final,
            first,
            second,
            boxesStroked,
            strayOverlay,
            focused,
            downloads,
            answers,
            errors,
            outside
          }
        })
        assert.deepStrictEqual(result.errors, [])
        assert.deepStrictEqual(result.outside, [], "the page asked for something outside the server")
        assert.deepStrictEqual(result.unlabelled, [])
        assert.include(result.policy, "default-src 'self'")
        assert.include(result.policy, "connect-src 'self'")

        assert.match(result.refusedStatus, /notes\.txt: .*not a PDF or an image in a supported format/)
        assert.strictEqual(result.afterRefused, 0)

        // A file that is not an image fails on its own row with the server's reason; the others go on.
        assert.strictEqual(result.broken?.state, "failed")
        assert.match(result.broken?.error ?? "", /not a PDF or an image in a supported format/)
        assert.strictEqual(result.broken?.progress, 0)

        // Progress: both images went through queued and converting and reached done, their bars full.
        assert.isTrue(result.seen.has("queued"), [...result.seen].join(","))
        assert.isTrue(result.seen.has("converting"), [...result.seen].join(","))
        for (const f of result.final) {
          assert.strictEqual(f.state, "done", `${f.text}: ${f.error}`)
          assert.strictEqual(f.progress, 1)
          assert.match(f.text, /Done: \d+ lines?/)
        }

        // The file shown first (whichever finished first): its Word text rendered by docx-preview, one box per line.
        const samples = [english, chinese]
        const first = result.first
        const firstSample = samples[first.file]!
        assert.strictEqual(first.figures.length, 1)
        assert.strictEqual(first.figures[0]!.caption, "")
        assert.strictEqual(first.polygons.length, result.answers.get(result.final[first.file]!.href)?.[0])
        assert.isAtLeast(first.polygons.length, first.file === 0 ? 5 : 1)
        assert.isAtLeast(first.pages, 1)
        assert.isAtMost(Metrics.cer(firstSample.truth, first.docxText), 0.4, first.docxText)
        assert.strictEqual(strip(first.docxText), strip(docxText(result.downloads[first.file]!.bytes)))

        // The screenshot: the overlay colour on every line box, and nowhere outside the image.
        assert.isAtLeast(result.visibleBoxes, first.file === 0 ? 5 : 1)
        assert.strictEqual(result.boxesStroked, result.visibleBoxes)
        assert.strictEqual(result.strayOverlay, 0)

        // The keyboard reached and opened the other file.
        const second = result.second
        assert.strictEqual(second.file, 1 - first.file)
        assert.strictEqual(
          result.focused,
          `查看 View ${second.file === 0 ? path.basename(english.file) : "chinese.png"}`
        )
        assert.strictEqual(second.polygons.length, result.answers.get(result.final[second.file]!.href)?.[0])
        assert.isAtLeast(second.polygons.length, 1)
        assert.isAtMost(Metrics.cer(samples[second.file]!.truth, strip(second.docxText)), 0.4, second.docxText)
        assert.strictEqual(strip(second.docxText), strip(docxText(result.downloads[second.file]!.bytes)))

        for (const d of result.downloads) assert.match(d.name, /^ocr2word-[0-9a-f]{32}\.docx$/)
        console.info(`preview screenshot: ${screenshot}`)
      })
    )
  )
  it.effect(
    "drop a PDF of three pages, an image and a damaged PDF: page-by-page progress, one .docx with a section per page",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const s = yield* TestServer.TestServer
          const b = yield* browser
          const pdf = yield* Effect.promise(() => scannedPdf(pdfSamples.map((x) => x.file)))
          const result = yield* Effect.promise(async () => {
            const { context, page, errors, outside, answers } = await openPage(b)
            await page.goto(`${s.url}/preview/ocr2word`)
            await dropFiles(page, [
              { name: "scan.pdf", type: "application/pdf", bytes: pdf },
              { name: "chinese.png", type: "image/png", bytes: fs.readFileSync(chinese.file) },
              // A PDF's header, then no PDF: the server's PDF reader says what is wrong.
              { name: "damaged.pdf", type: "", bytes: Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >>\n") }
            ])

            // Each row's state and text, sampled until all are finished.
            const texts = new Set<string>()
            const seen = new Set<string>()
            const deadline = Date.now() + 300_000
            for (;;) {
              const rows = await page.$$eval("#files li", (lis) =>
                lis.map((li: any) => ({
                  state: li.dataset.state as string,
                  text: li.querySelector(".state").textContent
                }))
              )
              for (const r of rows) seen.add(r.state)
              texts.add(rows[0]?.text ?? "")
              if (rows.length === 3 && rows.every((r) => r.state === "done" || r.state === "failed")) break
              if (Date.now() > deadline)
                throw new Error(`files still not finished: ${rows.map((r) => r.text).join(", ")}`)
              await page.waitForTimeout(100)
            }
            const final = await page.$$eval("#files li", (lis) =>
              lis.map((li: any) => ({
                state: li.dataset.state as string,
                progress: li.querySelector("progress").value as number,
                text: li.querySelector(".state").textContent as string,
                href: li.querySelector("a").getAttribute("href") as string,
                error: li.querySelector(".state").title as string
              }))
            )
            const status = (await page.textContent("#status")) ?? ""
            // The PDF's result: each page drawn with its lines, the Word pages beside them.
            await page.click("#files li:nth-child(1) button")
            await page.waitForFunction(
              () => (globalThis as any).document.getElementById("view").dataset.rendered === "0"
            )
            await page.evaluate(() => (globalThis as any).scrollTo(0, 0))
            const view = await shown(page)
            const shot = await pixels(await page.screenshot({ path: pdfScreenshot, fullPage: true }))
            const checks = {
              stroked: view.figures.map((f) => shot.stroked(f.polygons)),
              pageInk: view.figures.map((f) => shot.ink(f.rect)),
              filesInk: shot.ink(view.files),
              docxInk: shot.ink(view.docx),
              stray: shot.strayOverlay(view.figures.map((f) => f.rect))
            }
            const downloaded = await download(page, 0)
            await context.close()
            return { texts, seen, final, status, view, checks, downloaded, answers, errors, outside }
          })
          assert.deepStrictEqual(result.errors, [])
          assert.deepStrictEqual(result.outside, [], "the page asked for something outside the server")

          // The PDF's row counted its pages as they converted, each one, then reached done.
          const [pdfRow, imageRow, damagedRow] = result.final
          const counted = [...result.texts].flatMap((t) => [...t.matchAll(/Converting page (\d+) of (\d+)/g)])
          assert.deepStrictEqual([...new Set(counted.map((m) => `${m[1]}/${m[2]}`))].sort(), ["1/3", "2/3", "3/3"])
          assert.strictEqual(pdfRow!.state, "done", pdfRow!.error)
          assert.strictEqual(pdfRow!.progress, 1)
          assert.match(pdfRow!.text, /Done: 3 pages, \d+ lines/)
          assert.strictEqual(imageRow!.state, "done", imageRow!.error)
          assert.isTrue(result.seen.has("queued") && result.seen.has("converting"), [...result.seen].join(","))

          // The damaged PDF failed on its own row with what is wrong and what to do.
          assert.strictEqual(damagedRow!.state, "failed")
          assert.match(damagedRow!.error, /PDF is damaged or cut short .*re-export it/)
          assert.match(result.status, /damaged\.pdf: /)

          // One Word file for the PDF: a section per page, each with its page's text (real OCR).
          assert.match(result.downloaded.name, /^ocr2word-[0-9a-f]{32}\.docx$/)
          const sections = sectionTexts(result.downloaded.bytes)
          assert.lengthOf(sections, 3)
          for (const [i, sample] of pdfSamples.entries())
            assert.isAtMost(Metrics.cer(strip(sample.truth), strip(sections[i]!)), 0.4, sections[i])
          assert.strictEqual(strip(result.view.docxText), strip(docxText(result.downloaded.bytes)))
          assert.isAtLeast(result.view.pages, 3)

          // Each page drawn at the server's page size with its lines, captioned, its boxes stroked on the screenshot.
          const lines = result.answers.get(pdfRow!.href)!
          assert.lengthOf(result.view.figures, 3)
          for (const [i, figure] of result.view.figures.entries()) {
            assert.strictEqual(figure.caption, `第 ${i + 1} 页 · Page ${i + 1} of 3`)
            assert.strictEqual(figure.polygons.length, lines[i])
            assert.isAtLeast(figure.polygons.length, 1)
            assert.strictEqual(result.checks.stroked[i], figure.polygons.length)
            // The scan itself is drawn under the boxes (ink of its text), not a blank sheet.
            assert.isAbove(result.checks.pageInk[i]!, 0.005, `page ${i + 1} looks blank`)
          }
          const meta = yield* Effect.promise(() => sharp(pdfSamples[0]!.file).metadata())
          assert.isAtMost(Math.abs(result.view.figures[0]!.size[0] - meta.width!), 1)
          assert.strictEqual(result.checks.stray, 0)
          // The other regions: the file list and the Word pages carry text.
          assert.isAbove(result.checks.filesInk, 0.002)
          assert.isAbove(result.checks.docxInk, 0.002)
          console.info(`preview PDF screenshot: ${pdfScreenshot}`)
        })
      )
  )
  it.effect("the events call over HTTP: NDJSON in order; the contract endpoint still refuses PDFs", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      const hello = chinese
      const pdf = yield* Effect.promise(() => scannedPdf([hello.file]))
      const lines = (text: string) =>
        text
          .split("\n")
          .filter((l) => l !== "")
          .map((l) => JSON.parse(l))
      // The preview shares the demo's per-IP rate: a refusal says when to come back, and the call is sent again then.
      const post = (url: string, name: string, bytes: Uint8Array) =>
        Effect.promise(async () => {
          for (let attempt = 1; ; attempt++) {
            const body = new FormData()
            body.append("file", new Blob([bytes]), name)
            const r = await fetch(url, { method: "POST", body })
            const answer = { status: r.status, type: r.headers.get("content-type") ?? "", text: await r.text() }
            const last = answer.type.startsWith("application/x-ndjson") ? lines(answer.text).at(-1) : undefined
            const limited = r.status === 429 || last?.status === 429
            if (!limited || attempt === 10) return answer
            const wait = last?.retryAfterSeconds ?? Number(r.headers.get("retry-after") ?? 1)
            await new Promise((resolve) => setTimeout(resolve, Math.max(1, wait) * 1000))
          }
        })
      const good = yield* post(`${s.url}/preview/ocr2word/recognize/events`, "hello.pdf", pdf)
      assert.strictEqual(good.status, 200)
      assert.match(good.type, /^application\/x-ndjson/)
      const events = lines(good.text)
      assert.deepStrictEqual(
        events.map((e) => e.event),
        ["queued", "page", "done"]
      )
      assert.deepStrictEqual(events[1], { event: "page", page: 1, pages: 1 })
      assert.lengthOf(events[2].result.pages, 1)
      assert.isAtMost(Metrics.cer(strip(hello.truth), strip(events[2].result.text)), 0.4, events[2].result.text)

      const damaged = yield* post(
        `${s.url}/preview/ocr2word/recognize/events`,
        "damaged.pdf",
        Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >>\n")
      )
      const failed = lines(damaged.text)
      assert.deepStrictEqual(
        failed.map((e) => e.event),
        ["queued", "error"]
      )
      assert.strictEqual(failed[1].status, 400)
      assert.strictEqual(failed[1].DataStatus.StatusCode, 101)
      assert.match(failed[1].DataStatus.StatusDescription, /The PDF is damaged or cut short .*re-export it/)

      // The keyed contract endpoint and the demo take images only, as the contract says.
      for (const url of [
        `${s.url}/imagerecognition/ocr2word?appkey=${s.key}`,
        `${s.url}/imagerecognition/ocr2word/demo`
      ]) {
        const refused = yield* post(url, "hello.pdf", pdf)
        assert.strictEqual(refused.status, 400, url)
        assert.match(JSON.parse(refused.text).DataStatus.StatusDescription, /is not an image in a supported format/)
      }
    })
  )
})
