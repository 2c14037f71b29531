/**
 * The preview page in real headless Chromium (Debian's, driven by
 * playwright-core) against the real server with its embedded defaults: a
 * person chooses one image and drops another (and a PDF, which is refused
 * with what to do), watches each file's progress reach done, sees the Word
 * result rendered by docx-preview beside the image with the recognised lines
 * drawn over it, switches files with the keyboard and downloads each .docx.
 * Every request that leaves the loopback is blocked and must not happen.
 * The screenshot (out/server/preview-ocr2word.png) is checked pixel by
 * pixel: the overlay colour lies on every line box and nowhere else.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, layer } from "@effect/vitest"
import { Metrics } from "@ocr2word/benchmarks"
import { Effect } from "effect"
import { chromium, type Page } from "playwright-core"
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
const screenshot = path.join(root, "out/server/preview-ocr2word.png")
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

/** The shown file: the overlay's polygons in screen pixels, and the rendered Word text. */
const shown = (page: Page) =>
  page.evaluate(() => {
    const svg = (globalThis as any).document.getElementById("overlay")
    const box = svg.getBoundingClientRect()
    const [, , w, h] = svg.getAttribute("viewBox").split(" ").map(Number)
    const polygons = [...svg.querySelectorAll("polygon")].map((p: any) =>
      [...p.points].map((pt: any) => [box.left + (pt.x * box.width) / w, box.top + (pt.y * box.height) / h])
    )
    const figure = (globalThis as any).document.getElementById("figure").getBoundingClientRect()
    const docx = (globalThis as any).document.getElementById("docx")
    return {
      file: Number((globalThis as any).document.getElementById("view").dataset.file),
      polygons,
      figure: { left: figure.left, top: figure.top, right: figure.right, bottom: figure.bottom },
      pages: docx.querySelectorAll("section.docx").length,
      // The rendered pages only: docx-preview also puts its <style> elements in the container.
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
            ["docx-preview.min.js", "jszip.min.js"].map(async (name) => {
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
          // A script or style the page's Content-Security-Policy refuses is reported on the console.
          page.on("console", (m) => {
            if (/Content Security Policy|Refused to/.test(m.text())) errors.push(m.text())
          })
          const answers = new Map<string, number>()
          page.on("response", async (r) => {
            if (!r.url().endsWith("/preview/ocr2word/recognize") || r.status() !== 200) return
            const json = await r.json()
            answers.set(json.ResultWordFileUrl, json.pages[0].lines.length)
          })
          const response = await page.goto(`${s.url}/preview/ocr2word`)
          const policy = (await response?.allHeaders())?.["content-security-policy"] ?? ""

          // Every control has a name a screen reader can read.
          const unlabelled = await page.evaluate(() =>
            [...(globalThis as any).document.querySelectorAll("input")]
              .filter((i: any) => i.labels.length === 0)
              .map((i: any) => i.id)
          )

          // A PDF is refused on the page, saying what to do; nothing is uploaded for it.
          await dropFiles(page, [
            { name: "scan.pdf", type: "application/pdf", bytes: Buffer.from("%PDF-1.4\n%%EOF\n") }
          ])
          const pdfStatus = (await page.textContent("#status")) ?? ""
          const afterPdf = await page.locator("#files li").count()

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
          const png = await page.screenshot({ path: screenshot })
          const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true })
          const isOverlay = (x: number, y: number) => {
            const i = (y * info.width + x) * 3
            return (
              Math.abs(data[i]! - overlayColour[0]) < 45 &&
              Math.abs(data[i + 1]! - overlayColour[1]) < 45 &&
              Math.abs(data[i + 2]! - overlayColour[2]) < 45
            )
          }
          // Each box's top edge, at its middle: the stroke is there (within two pixels of rounding).
          const boxesStroked = first.polygons.filter((poly) => {
            const [[x0, y0], [x1, y1]] = poly as [[number, number], [number, number]]
            const cx = Math.round((x0 + x1) / 2)
            const cy = Math.round((y0 + y1) / 2)
            for (let dy = -2; dy <= 2; dy++)
              for (let dx = -2; dx <= 2; dx++) if (isOverlay(cx + dx, cy + dy)) return true
            return false
          }).length
          let strayOverlay = 0
          for (let y = 0; y < info.height; y++) {
            for (let x = 0; x < info.width; x++) {
              const inFigure =
                x >= first.figure.left - 2 &&
                x <= first.figure.right + 2 &&
                y >= first.figure.top - 2 &&
                y <= first.figure.bottom + 2
              if (!inFigure && isOverlay(x, y)) strayOverlay++
            }
          }

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
            pdfStatus,
            afterPdf,
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

        assert.match(
          result.pdfStatus,
          /scan\.pdf: .*PDF input is not accepted by the server yet; convert it with the CLI/
        )
        assert.strictEqual(result.afterPdf, 0)

        // A file that is not an image fails on its own row with the server's reason; the others go on.
        assert.strictEqual(result.broken?.state, "failed")
        assert.match(result.broken?.error ?? "", /not an image in a supported format/)
        assert.strictEqual(result.broken?.progress, 0)

        // Progress: both images went through recognising and reached done, their bars full.
        assert.isTrue(result.seen.has("recognising"), [...result.seen].join(","))
        for (const f of result.final) {
          assert.strictEqual(f.state, "done", `${f.text}: ${f.error}`)
          assert.strictEqual(f.progress, 1)
          assert.match(f.text, /Done: \d+ lines?/)
        }

        // The file shown first (whichever finished first): its Word text rendered by docx-preview, one box per line.
        const samples = [english, chinese]
        const first = result.first
        const firstSample = samples[first.file]!
        assert.strictEqual(first.polygons.length, result.answers.get(result.final[first.file]!.href))
        assert.isAtLeast(first.polygons.length, first.file === 0 ? 5 : 1)
        assert.isAtLeast(first.pages, 1)
        assert.isAtMost(Metrics.cer(firstSample.truth, first.docxText), 0.4, first.docxText)
        assert.strictEqual(strip(first.docxText), strip(docxText(result.downloads[first.file]!.bytes)))

        // The screenshot: the overlay colour on every line box, and nowhere outside the image.
        assert.strictEqual(result.boxesStroked, first.polygons.length)
        assert.strictEqual(result.strayOverlay, 0)

        // The keyboard reached and opened the other file.
        const second = result.second
        assert.strictEqual(second.file, 1 - first.file)
        assert.strictEqual(
          result.focused,
          `查看 View ${second.file === 0 ? path.basename(english.file) : "chinese.png"}`
        )
        assert.strictEqual(second.polygons.length, result.answers.get(result.final[second.file]!.href))
        assert.isAtLeast(second.polygons.length, 1)
        assert.isAtMost(Metrics.cer(samples[second.file]!.truth, strip(second.docxText)), 0.4, second.docxText)
        assert.strictEqual(strip(second.docxText), strip(docxText(result.downloads[second.file]!.bytes)))

        for (const d of result.downloads) assert.match(d.name, /^ocr2word-[0-9a-f]{32}\.docx$/)
        console.info(`preview screenshot: ${screenshot}`)
      })
    )
  )
})
