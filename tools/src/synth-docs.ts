/**
 * `synth-docs`: generate Chinese, English and mixed document pages with
 * exact ground truth (lines with boxes, blocks in reading order with kinds,
 * table cells, columns) into a dataset folder with a `manifest.jsonl` in the
 * shared format of `@ocr2word/benchmarks` Manifest.
 *
 *   npx node tools/src/synth-docs.ts [--kinds doc,newspaper:20,...] [--count 30] [--seed 1]
 *                                    [--out datasets/synth-docs/generated] [--clean 0.5] [--scale 1.25]
 *
 * `--kinds` lists the archetypes, each with its page count (`kind:n`, or
 * `--count` pages); each is its own manifest `kind`, so the benchmark
 * reports it as its own row:
 * - `doc`: the general pages of `synth-page.ts`. Of these, `--clean` stay
 *   clean (`synth-doc`, palette PNG), the others are degraded by
 *   `synth-augment.ts` (`synth-scan`, JPEG).
 * - `newspaper`, `magazine`, `paper`, `textbook`, `slide`
 *   (`synth-archetypes.ts`) and `form`, `ticket` (`synth-forms.ts`): clean,
 *   palette PNG.
 * - `photo`: one of those seven photographed by `synth-photo.ts`, JPEG.
 *
 * Page n of a kind is the same whatever `--count` and the other kinds are
 * (one seeded generator per kind and page), and the `doc` pages are those
 * the generator made before the archetypes existed. The same seed gives
 * the same bytes with the same fonts and corpus.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { parseArgs } from "node:util"
import { OptionDecoding } from "@ocr2word/core"
import sharp from "sharp"
import {
  type ArchetypeContext,
  type ArchetypeSpec,
  magazine,
  newspaper,
  paper,
  slide,
  textbook
} from "./synth-archetypes.ts"
import { augment, mapBox } from "./synth-augment.ts"
import { loadCorpus, Rng } from "./synth-corpus.ts"
import { form, ticket } from "./synth-forms.ts"
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
import { photograph } from "./synth-photo.ts"

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

/** The archetype builders by kind. */
export const ARCHETYPES: Record<ArchetypeKind, (ctx: ArchetypeContext) => ArchetypeSpec> = {
  newspaper,
  magazine,
  form,
  ticket,
  textbook,
  paper,
  slide
}

/** Kinds with a builder of their own. */
export type ArchetypeKind = "newspaper" | "magazine" | "form" | "ticket" | "textbook" | "paper" | "slide"

/** Every kind `--kinds` takes, in the order the README lists them. */
export const KINDS = ["doc", "newspaper", "magazine", "form", "ticket", "textbook", "paper", "slide", "photo"] as const
export type Kind = (typeof KINDS)[number]

const PHOTO_BASES: ReadonlyArray<ArchetypeKind> = [
  "newspaper",
  "magazine",
  "form",
  "ticket",
  "ticket",
  "textbook",
  "paper",
  "slide"
]

/** Options of a run. */
export interface SynthDocsOptions {
  /** Pages of each kind that has no count of its own in `kinds`. */
  readonly count: number
  /** Kinds to make, in order, with their own page counts; `doc` alone when not given. */
  readonly kinds?: ReadonlyArray<{ readonly kind: Kind; readonly count?: number }>
  readonly seed: number
  readonly out: string
  /** Share of `doc` pages left clean. */
  readonly clean: number
  /** Device scale factor: image pixels per CSS pixel. */
  readonly scale: number
  readonly onPage?: (done: number, total: number) => void
}

/** Parse `--kinds`: `doc,newspaper:20,form` (a kind without a count takes `--count`). */
export const parseKinds = (text: string): Array<{ kind: Kind; count?: number }> =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const [name, n] = s.split(":")
      if (!(KINDS as ReadonlyArray<string>).includes(name!))
        throw new Error(`Expected one of ${KINDS.join(", ")} for --kinds but received ${OptionDecoding.show(name)}`)
      if (n === undefined) return { kind: name as Kind }
      const count = Number(n)
      if (!Number.isInteger(count) || count < 0)
        throw new Error(
          `Expected a page count (an integer of 0 or more) for --kinds ${name} but received ${OptionDecoding.show(n)}`
        )
      return { kind: name as Kind, count }
    })

/** murmur3's finaliser: nearby seeds (page n and n + 1) give unrelated generators. */
const mix = (h: number): number => {
  let x = h >>> 0
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}

/** A fixed number per kind name, so each kind draws its own pages from the seed. */
const kindSalt = (kind: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < kind.length; i++) h = Math.imul(h ^ kind.charCodeAt(i), 0x01000193) >>> 0
  return h
}

/** The truth moved by a point map (augment or photo), in an image of the new size. */
const moveTruth = (
  truth: DomTruth,
  map: (p: { x: number; y: number }) => { x: number; y: number },
  width: number,
  height: number
): DomTruth => {
  const move = (b: Box) => mapBox(b, map)
  return {
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

/** Drop text blocks left without a line (all of their text cut), renumbering the lines' blocks. */
const compact = (truth: DomTruth): DomTruth => {
  const keep = truth.blocks.map((b) => b.kind === "figure" || b.kind === "table" || b.lines.length > 0)
  const renumber: Array<number> = []
  let k = 0
  for (const kept of keep) renumber.push(kept ? k++ : -1)
  return {
    ...truth,
    lines: truth.lines.map((l) => ({ ...l, block: renumber[l.block]! })),
    blocks: truth.blocks.filter((_, i) => keep[i])
  }
}

const palettePng = (png: Uint8Array) => sharp(png).png({ palette: true, colours: 64, compressionLevel: 9 }).toBuffer()

/** Generate pages into `out` (images/ and manifest.jsonl); returns the manifest items. */
export const generateDocs = async (options: SynthDocsOptions): Promise<Array<Record<string, unknown>>> => {
  const corpus = loadCorpus()
  const imagesDir = Path.join(options.out, "images")
  Fs.mkdirSync(imagesDir, { recursive: true })
  const plan = (options.kinds ?? [{ kind: "doc" as const }]).map((k) => ({
    kind: k.kind,
    count: k.count ?? options.count
  }))
  const total = plan.reduce((a, k) => a + k.count, 0)
  const browser = await launchBrowser()
  const items: Array<Record<string, unknown>> = []
  try {
    const context = await browser.newContext({
      viewport: { width: PAGE_WIDTH, height: MAX_PAGE_HEIGHT + 200 },
      deviceScaleFactor: options.scale
    })
    const page = await context.newPage()
    for (const { kind, count } of plan) {
      for (let n = 0; n < count; n++) {
        items.push(
          kind === "doc" ? await docPage(page, corpus, options, n) : await archetypePage(page, corpus, options, kind, n)
        )
        options.onPage?.(items.length, total)
      }
    }
    await context.close()
  } finally {
    await browser.close()
  }
  writeManifest(options.out, items)
  return items
}

type BrowserPage = Parameters<typeof renderPage>[0]
type Corpus = ReturnType<typeof loadCorpus>

/** A `doc` page: clean (`synth-doc`) or degraded (`synth-scan`). */
const docPage = async (
  page: BrowserPage,
  corpus: Corpus,
  options: SynthDocsOptions,
  n: number
): Promise<Record<string, unknown>> => {
  // One generator per page: page n is the same whatever the count.
  const rng = new Rng(options.seed * 100_003 + n)
  const spec = makePage(rng, corpus, rng.int(1, 120))
  const { png, truth } = await renderPage(page, spec.html, options.scale)
  const id = `synth-doc-s${options.seed}-${String(n).padStart(4, "0")}`
  const clean = rng.next() < options.clean
  let truthOut: DomTruth = truth
  let file: string
  let applied: Record<string, number | string> | undefined
  if (clean) {
    file = `images/${id}.png`
    Fs.writeFileSync(Path.join(options.out, file), await palettePng(png))
    const meta = await sharp(png).metadata()
    truthOut = { ...truth, width: meta.width, height: meta.height }
  } else {
    const a = await augment(png, rng)
    file = `images/${id}.jpg`
    Fs.writeFileSync(Path.join(options.out, file), a.bytes)
    applied = a.applied
    truthOut = moveTruth(truth, a.map, a.width, a.height)
  }
  return item(id, file, clean ? "synth-doc" : "synth-scan", truthOut, {
    source: `tools/src/synth-docs.ts seed ${options.seed} page ${n}; font ${spec.font}; ${spec.columns} column(s); text: ${spec.sources.join("; ")}`,
    sources: spec.sources,
    applied
  })
}

/** A page of an archetype, or a photo of one. */
const archetypePage = async (
  page: BrowserPage,
  corpus: Corpus,
  options: SynthDocsOptions,
  kind: Exclude<Kind, "doc">,
  n: number
): Promise<Record<string, unknown>> => {
  const rng = new Rng(mix(kindSalt(kind) ^ mix(options.seed * 100_003 + n)))
  const base = kind === "photo" ? rng.pick(PHOTO_BASES) : kind
  const spec = ARCHETYPES[base]({ rng, corpus, scale: options.scale, pageNumber: rng.int(1, 120) })
  const { png, truth } = await renderPage(page, spec.html, options.scale, { width: spec.width, height: spec.height })
  const id = `synth-${kind}-s${options.seed}-${String(n).padStart(4, "0")}`
  let truthOut = compact(truth)
  let file: string
  let applied: Record<string, number | string> | undefined
  if (kind === "photo") {
    const a = await photograph(png, rng)
    file = `images/${id}.jpg`
    Fs.writeFileSync(Path.join(options.out, file), a.bytes)
    applied = a.applied
    truthOut = moveTruth(truthOut, a.map, a.width, a.height)
  } else {
    file = `images/${id}.png`
    Fs.writeFileSync(Path.join(options.out, file), await palettePng(png))
    // A page as tall as its content has a fractional CSS height: the screenshot's rounding is the truth.
    const meta = await sharp(png).metadata()
    truthOut = { ...truthOut, width: meta.width, height: meta.height }
  }
  return item(id, file, kind, truthOut, {
    source: `tools/src/synth-docs.ts seed ${options.seed} kind ${kind} page ${n}; ${kind === "photo" ? `photo of a ${base} page, ` : ""}${spec.variant}; font ${spec.font}; ${spec.columns} column(s); text: ${spec.sources.join("; ")}`,
    sources: spec.sources,
    applied
  })
}

const item = (
  id: string,
  image: string,
  kind: string,
  truth: DomTruth,
  extra: { source: string; sources: ReadonlyArray<string>; applied: Record<string, number | string> | undefined }
): Record<string, unknown> => {
  const text = truth.lines.map((l) => l.text).join("\n")
  return {
    id,
    image,
    lang: languageOf(text),
    kind,
    text,
    quality: "exact",
    source: extra.source,
    licence: licenceOf(extra.sources),
    width: truth.width,
    height: truth.height,
    lines: truth.lines,
    blocks: truth.blocks,
    ...(extra.applied !== undefined ? { augment: extra.applied } : {})
  }
}

if (isMainModule(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      kinds: { type: "string", default: "doc" },
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
      process.stderr.write(
        `Expected a number between ${min} and ${max} for --${name} but received ${OptionDecoding.show(v)}\n`
      )
      process.exit(2)
    }
    return x
  }
  const count = Math.floor(num("count", values.count, 1, 100_000))
  let kinds: ReturnType<typeof parseKinds>
  try {
    kinds = parseKinds(values.kinds)
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`)
    process.exit(2)
  }
  const started = Date.now()
  const items = await generateDocs({
    count,
    kinds,
    seed: Math.floor(num("seed", values.seed, 0, 2 ** 31)),
    out: values.out,
    clean: num("clean", values.clean, 0, 1),
    scale: num("scale", values.scale, 0.5, 4),
    onPage: (done, total) => process.stderr.write(`\rsynth-docs ${done}/${total}`)
  })
  process.stderr.write(
    `\nwrote ${items.length} pages to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`
  )
}
