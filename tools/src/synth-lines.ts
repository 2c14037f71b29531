/**
 * `synth-lines`: single text lines (short and long, Chinese, English and
 * mixed, several fonts and sizes) for recognition-only runs, with the text
 * and box read back from the rendered DOM. Written as a dataset folder with a
 * `manifest.jsonl` in the shared format.
 *
 *   npx node tools/src/synth-lines.ts [--count 60] [--seed 1] [--out datasets/synth-lines/generated]
 *
 * @since 0.1.0
 */
/// <reference lib="dom" />
import * as Fs from "node:fs"
import * as Path from "node:path"
import { parseArgs } from "node:util"
import { OptionDecoding } from "@ocr2word/core"
import { augment, mapBox } from "./synth-augment.ts"
import { type Corpus, loadCorpus, Rng, samplePassage } from "./synth-corpus.ts"
import { languageOf } from "./synth-docs.ts"
import { isMainModule, launchBrowser, writeManifest } from "./synth-page.ts"

const FONTS = [
  '"Noto Sans CJK SC"',
  '"Noto Serif CJK SC"',
  '"WenQuanYi Micro Hei"',
  '"AR PL UMing CN"',
  '"DejaVu Sans", "Noto Sans CJK SC"'
]

/** A piece of a passage of about `length` characters, cut at spaces or punctuation where possible. */
const fragment = (corpus: Corpus, rng: Rng, length: number): string => {
  const text = samplePassage(corpus, rng).text
  if (text.length <= length) return text
  const start = rng.int(0, text.length - length)
  let piece = text.slice(start, start + length)
  // Do not start or end inside an English word.
  piece = piece.replace(/^[A-Za-z0-9]+(?=\W)/, "").replace(/(?<=\W)[A-Za-z0-9]+$/, "")
  return piece.trim()
}

export interface SynthLinesOptions {
  readonly count: number
  readonly seed: number
  readonly out: string
  readonly onLine?: (done: number, total: number) => void
}

/** Generate line images into `out`; returns the manifest items. */
export const generateLines = async (options: SynthLinesOptions): Promise<Array<Record<string, unknown>>> => {
  const corpus = loadCorpus()
  Fs.mkdirSync(Path.join(options.out, "images"), { recursive: true })
  const browser = await launchBrowser()
  const items: Array<Record<string, unknown>> = []
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 400 }, deviceScaleFactor: 1 })
    const page = await context.newPage()
    for (let n = 0; n < options.count; n++) {
      const rng = new Rng(options.seed * 100_019 + n)
      const length = rng.pick([4, 8, 12, 20, 30, 45])
      const text = fragment(corpus, rng, length)
      const size = rng.int(18, 36)
      const pad = rng.int(2, 14)
      const weight = rng.chance(0.25) ? 700 : 400
      const fg = rng.pick(["#000", "#222", "#333", "#1a237e"])
      const bg = rng.pick(["#fff", "#fff", "#fafafa", "#fff8e1", "#eef3f8"])
      const html = `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;background:${bg}}
#line{display:inline-block;white-space:nowrap;padding:${pad}px ${pad + rng.int(0, 10)}px;font-family:${rng.pick(FONTS)},sans-serif;font-size:${size}px;font-weight:${weight};color:${fg};background:${bg}}</style></head>
<body><div id="line"></div></body></html>`
      await page.setContent(html)
      const truth = await page.evaluate((t) => {
        const el = document.getElementById("line")!
        el.textContent = t
        return document.fonts.ready.then(() => {
          const range = document.createRange()
          range.selectNodeContents(el)
          const r = range.getBoundingClientRect()
          const e = el.getBoundingClientRect()
          return {
            text: el.textContent.replace(/\s+/g, " ").trim(),
            box: { x: r.left - e.left, y: r.top - e.top, width: r.width, height: r.height }
          }
        })
      }, text)
      const png = await page.locator("#line").screenshot({ type: "png" })
      const id = `synth-line-s${options.seed}-${String(n).padStart(4, "0")}`
      const round = (b: { x: number; y: number; width: number; height: number }) => ({
        x: Math.round(b.x * 10) / 10,
        y: Math.round(b.y * 10) / 10,
        width: Math.round(b.width * 10) / 10,
        height: Math.round(b.height * 10) / 10
      })
      let file = `images/${id}.png`
      let box = round(truth.box)
      let applied: Record<string, number | string> | undefined
      if (rng.chance(0.5)) {
        const a = await augment(png, rng, 0.5)
        file = `images/${id}.jpg`
        Fs.writeFileSync(Path.join(options.out, file), a.bytes)
        box = mapBox(box, a.map)
        applied = a.applied
      } else {
        Fs.writeFileSync(Path.join(options.out, file), png)
      }
      items.push({
        id,
        image: file,
        lang: languageOf(truth.text),
        kind: "synth-line",
        text: truth.text,
        quality: "exact",
        source: `tools/src/synth-lines.ts seed ${options.seed} line ${n}`,
        licence: "Apache-2.0 (own text, rendering); GFDL-1.2+ (manpages-zh text, where used)",
        lines: [{ text: truth.text, box }],
        ...(applied !== undefined ? { augment: applied } : {})
      })
      options.onLine?.(n + 1, options.count)
    }
    await context.close()
  } finally {
    await browser.close()
  }
  writeManifest(options.out, items)
  return items
}

if (isMainModule(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "60" },
      seed: { type: "string", default: "1" },
      out: { type: "string", default: "datasets/synth-lines/generated" }
    }
  })
  const count = Number(values.count)
  const seed = Number(values.seed)
  if (!Number.isInteger(count) || count < 1) {
    process.stderr.write(`Expected a positive integer for --count but received ${OptionDecoding.show(values.count)}\n`)
    process.exit(2)
  }
  if (!Number.isInteger(seed) || seed < 0) {
    process.stderr.write(
      `Expected a non-negative integer for --seed but received ${OptionDecoding.show(values.seed)}\n`
    )
    process.exit(2)
  }
  await generateLines({
    count,
    seed,
    out: values.out,
    onLine: (d, t) => process.stderr.write(`\rsynth-lines ${d}/${t}`)
  })
  process.stderr.write(`\nwrote ${count} lines to ${values.out}\n`)
}
