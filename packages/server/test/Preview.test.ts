/**
 * The preview page in real headless Chromium (Debian's, driven by
 * playwright-core): a person uploads a real image, sees the recognised lines
 * drawn over it and the text, and downloads a valid .docx. A screenshot goes
 * to out/server/preview-ocr2word.png.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, layer } from "@effect/vitest"
import { Metrics } from "@ocr2word/benchmarks"
import { Effect } from "effect"
import { chromium } from "playwright-core"
import { docxText } from "./fixtures/docx-text.ts"
import * as TestServer from "./fixtures/test-server.ts"

const root = path.resolve(import.meta.dirname, "../../..")
const imagePath = path.join(root, "datasets/real-dev/images/tjs_testocr.png")
const truth = fs
  .readFileSync(path.join(root, "datasets/real-dev/manifest.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.includes('"tjs_testocr"'))
  .map((l) => JSON.parse(l).text as string)[0]!
const screenshot = path.join(root, "out/server/preview-ocr2word.png")

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

layer(TestServer.layer(), { timeout: 300_000, excludeTestServices: true })("preview page", (it) => {
  it.effect("upload a real image, see the lines over it and the text, download the .docx", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const s = yield* TestServer.TestServer
        const b = yield* browser
        const result = yield* Effect.promise(async () => {
          const page = await b.newPage({ viewport: { width: 1200, height: 900 }, acceptDownloads: true })
          const errors: Array<string> = []
          page.on("pageerror", (e) => errors.push(String(e)))
          await page.goto(`${s.url}/preview/ocr2word`)
          await page.setInputFiles("#file", imagePath)
          await page.click("#go")
          await page.waitForSelector("#result.shown", { timeout: 240_000 })
          const text = await page.textContent("#text")
          const status = await page.textContent("#status")
          // Something was drawn: the canvas has the page size and non-white blue-ish overlay pixels.
          const drawn = await page.evaluate(() => {
            // Runs in the page: the DOM types are not part of this Node project.
            const canvas = (globalThis as any).document.getElementById("canvas")
            const data: Uint8ClampedArray = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data
            let overlay = 0
            for (let i = 0; i < data.length; i += 4) if (data[i + 2]! > 150 && data[i]! < 120) overlay++
            return { width: canvas.width, height: canvas.height, overlay }
          })
          fs.mkdirSync(path.dirname(screenshot), { recursive: true })
          await page.screenshot({ path: screenshot, fullPage: true })
          const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")])
          const file = await download.path()
          const bytes = new Uint8Array(fs.readFileSync(file))
          const suggested = download.suggestedFilename()
          await page.close()
          return { text: text ?? "", status: status ?? "", drawn, bytes, suggested, errors }
        })
        assert.deepStrictEqual(result.errors, [])
        assert.match(result.status, /Done: \d+ lines/)
        assert.isAtMost(Metrics.cer(truth, result.text), 0.4, result.text)
        assert.isAbove(result.drawn.width, 0)
        assert.isAbove(result.drawn.overlay, 100)
        assert.match(result.suggested, /^ocr2word-[0-9a-f]{32}\.docx$/)
        const docx = docxText(result.bytes)
        assert.strictEqual(docx.replace(/\s+/g, ""), result.text.replace(/\s+/g, ""))
        console.info(`preview screenshot: ${screenshot}`)
      })
    )
  )
})
