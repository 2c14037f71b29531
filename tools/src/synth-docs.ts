/**
 * `synth-docs`: generate mixed Chinese-English document pages with exact
 * ground truth (lines with boxes, blocks with kinds, table cells) into a
 * dataset folder with a `manifest.jsonl` in the shared format of
 * `@ocr2word/benchmarks` Manifest.
 *
 *   npx node tools/src/synth-docs.ts [--count 30] [--seed 1] [--out datasets/synth-docs/generated]
 *                                    [--clean 0.5] [--scale 1.25]
 *
 * Half the pages (`--clean`) stay clean (palette PNG), the others are
 * degraded by `synth-augment.ts` and saved as JPEG. The same seed gives the
 * same pages with the same fonts and corpus.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { parseArgs } from "node:util"
import sharp from "sharp"
import { augment, mapBox } from "./synth-augment.ts"
import { loadCorpus, Rng } from "./synth-corpus.ts"
import {
  type Box,
  type DomTruth,
  isMainModule,
  launchBrowser,
  MAX_PAGE_HEIGHT,
  makePage,
  PAGE_WIDTH,
  renderPage,
  writeManifest
} from "./synth-page.ts"

/** The language of a text: zh, en or mixed. */
export const languageOf = (text: string): "zh" | "en" | "mixed" => {
  const han = /\p{Script=Han}/u.test(text)
  const latin = /[A-Za-z]/.test(text)
  return han && latin ? "mixed" : han ? "zh" : "en"
}

const licenceOf = (sources: ReadonlyArray<string>): string =>
  sources.some((s) => s.includes("GFDL"))
    ? "Apache-2.0 (own text, rendering); GFDL-1.2+ (manpages-zh text)"
    : "Apache-2.0"

/** Options of a run. */
export interface SynthDocsOptions {
  readonly count: number
  readonly seed: number
  readonly out: string
  /** Share of pages left clean. */
  readonly clean: number
  /** Device scale factor: image pixels per CSS pixel. */
  readonly scale: number
  readonly onPage?: (done: number, total: number) => void
}

/** Generate pages into `out` (images/ and manifest.jsonl); returns the manifest items. */
export const generateDocs = async (options: SynthDocsOptions): Promise<Array<Record<string, unknown>>> => {
  const corpus = loadCorpus()
  const imagesDir = Path.join(options.out, "images")
  Fs.mkdirSync(imagesDir, { recursive: true })
  const browser = await launchBrowser()
  const items: Array<Record<string, unknown>> = []
  try {
    const context = await browser.newContext({
      viewport: { width: PAGE_WIDTH, height: MAX_PAGE_HEIGHT + 200 },
      deviceScaleFactor: options.scale
    })
    const page = await context.newPage()
    for (let n = 0; n < options.count; n++) {
      // One generator per page: page n is the same whatever the count.
      const rng = new Rng(options.seed * 100_003 + n)
      const spec = makePage(rng, corpus, rng.int(1, 120))
      const { png, truth } = await renderPage(page, spec.html, options.scale)
      const id = `synth-doc-s${options.seed}-${String(n).padStart(4, "0")}`
      const clean = rng.next() < options.clean
      let truthOut: DomTruth = truth
      let file: string
      let width = truth.width
      let height = truth.height
      let applied: Record<string, number | string> | undefined
      if (clean) {
        file = `images/${id}.png`
        const out = await sharp(png).png({ palette: true, colours: 64, compressionLevel: 9 }).toBuffer()
        Fs.writeFileSync(Path.join(options.out, file), out)
        const meta = await sharp(png).metadata()
        width = meta.width
        height = meta.height
      } else {
        const a = await augment(png, rng)
        file = `images/${id}.jpg`
        Fs.writeFileSync(Path.join(options.out, file), a.bytes)
        width = a.width
        height = a.height
        applied = a.applied
        const move = (b: Box) => mapBox(b, a.map)
        truthOut = {
          width,
          height,
          lines: truth.lines.map((l) => ({ ...l, box: move(l.box) })),
          blocks: truth.blocks.map((b) => ({
            ...b,
            box: move(b.box),
            ...(b.cells !== undefined ? { cells: b.cells.map((c) => ({ ...c, box: move(c.box) })) } : {})
          }))
        }
      }
      const text = truthOut.lines.map((l) => l.text).join("\n")
      items.push({
        id,
        image: file,
        lang: languageOf(text),
        kind: clean ? "synth-doc" : "synth-scan",
        text,
        quality: "exact",
        source: `tools/src/synth-docs.ts seed ${options.seed} page ${n}; font ${spec.font}; ${spec.columns} column(s); text: ${spec.sources.join("; ")}`,
        licence: licenceOf(spec.sources),
        width,
        height,
        lines: truthOut.lines,
        blocks: truthOut.blocks,
        ...(applied !== undefined ? { augment: applied } : {})
      })
      options.onPage?.(n + 1, options.count)
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
      count: { type: "string", default: "30" },
      seed: { type: "string", default: "1" },
      out: { type: "string", default: "datasets/synth-docs/generated" },
      clean: { type: "string", default: "0.5" },
      scale: { type: "string", default: "1.25" }
    }
  })
  const num = (name: string, v: string, min: number, max: number): number => {
    const x = Number(v)
    if (!Number.isFinite(x) || x < min || x > max) {
      process.stderr.write(`Expected a number between ${min} and ${max} for --${name} but received ${v}\n`)
      process.exit(2)
    }
    return x
  }
  const count = Math.floor(num("count", values.count, 1, 100_000))
  const started = Date.now()
  await generateDocs({
    count,
    seed: Math.floor(num("seed", values.seed, 0, 2 ** 31)),
    out: values.out,
    clean: num("clean", values.clean, 0, 1),
    scale: num("scale", values.scale, 0.5, 4),
    onPage: (done, total) => process.stderr.write(`\rsynth-docs ${done}/${total}`)
  })
  process.stderr.write(`\nwrote ${count} pages to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
}
