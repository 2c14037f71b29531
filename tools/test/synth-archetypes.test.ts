import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Manifest } from "@ocr2word/benchmarks"
import { Effect } from "effect"
import type { Browser, Page } from "playwright-core"
import sharp from "sharp"
import { magazine, newspaper } from "../src/synth-archetypes.ts"
import { loadCorpus, Rng } from "../src/synth-corpus.ts"
import { generateDocs, KINDS } from "../src/synth-docs.ts"
import { amountInCapitals, FORM_VARIANTS, TICKET_VARIANTS } from "../src/synth-forms.ts"
import { type Box, type DomTruth, launchBrowser, renderPage } from "../src/synth-page.ts"

const SCALE = 1.25
const corpus = loadCorpus()
let browser: Browser
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
  page = await (await browser.newContext({ deviceScaleFactor: SCALE })).newPage()
}, 60_000)

afterAll(async () => {
  await browser?.close()
})

const render = (spec: { html: string; width: number; height: number }) =>
  Effect.promise(() => renderPage(page, spec.html, SCALE, { width: spec.width, height: spec.height }))

const ctx = (seed: number) => ({ rng: new Rng(seed), corpus, scale: SCALE, pageNumber: 3 })

/** Share of the shorter box's height that two boxes overlap vertically. */
const rowOverlap = (a: Box, b: Box): number =>
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)) / Math.min(a.height, b.height)

describe("synth-docs archetypes", () => {
  it.effect(
    "writes a page of every kind as a manifest kind of its own, every line non-empty and inside its image",
    () =>
      Effect.gen(function* () {
        const out = Fs.mkdtempSync(Path.join(Os.tmpdir(), "synth-kinds-"))
        const kinds = KINDS.filter((k) => k !== "doc")
        yield* Effect.promise(() =>
          generateDocs({ count: 1, kinds: kinds.map((kind) => ({ kind })), seed: 5, out, clean: 1, scale: SCALE })
        )
        const set = yield* Manifest.load(out)
        expect(set.items.map((i) => i.kind)).toEqual(kinds)
        for (const item of set.items) {
          const meta = yield* Effect.promise(() => sharp(Manifest.imagePath(set, item)).metadata())
          expect([meta.width, meta.height]).toEqual([item.width, item.height])
          expect(item.image.endsWith(item.kind === "photo" ? ".jpg" : ".png")).toBe(true)
          const lines = item.lines!
          expect(lines.length).toBeGreaterThan(2)
          expect(item.text).toBe(lines.map((l) => l.text).join("\n"))
          for (const line of lines) {
            expect(line.text.trim().length).toBeGreaterThan(0)
            const b = line.box!
            expect(b.x).toBeGreaterThanOrEqual(-0.5)
            expect(b.y).toBeGreaterThanOrEqual(-0.5)
            expect(b.x + b.width).toBeLessThanOrEqual(item.width! + 0.5)
            expect(b.y + b.height).toBeLessThanOrEqual(item.height! + 0.5)
          }
          // Every line is in exactly one block, and the block it names holds it.
          const owners = lines.map(() => 0)
          item.blocks!.forEach((block, i) => {
            for (const l of block.lines) {
              owners[l]!++
              expect(lines[l]!.block).toBe(i)
            }
          })
          expect(owners.every((n) => n === 1)).toBe(true)
        }
        const photo = set.items.find((i) => i.kind === "photo")!
        expect(Object.keys(photo.augment!)).toEqual(expect.arrayContaining(["perspective", "rotation", "background"]))
        Fs.rmSync(out, { recursive: true, force: true })
      }),
    60_000
  )

  it.effect(
    "the doc pages are still those of the committed datasets/synth-docs (same seed, same pages)",
    () =>
      Effect.gen(function* () {
        const out = Fs.mkdtempSync(Path.join(Os.tmpdir(), "synth-doc-"))
        yield* Effect.promise(() => generateDocs({ count: 2, seed: 1, out, clean: 0.5, scale: SCALE }))
        const fresh = yield* Manifest.load(out)
        const committed = yield* Manifest.load(Path.resolve(import.meta.dirname, "../../datasets/synth-docs"))
        for (const item of fresh.items) {
          const same = committed.items.find((i) => i.id === item.id)!
          expect([item.kind, item.text, item.lines!.length]).toEqual([same.kind, same.text, same.lines!.length])
        }
        Fs.rmSync(out, { recursive: true, force: true })
      }),
    60_000
  )

  it.effect(
    "newspaper: 4-6 columns of 8-10 px type; a paragraph broken across columns is one block per column",
    () =>
      Effect.gen(function* () {
        for (const seed of [11, 12]) {
          const spec = newspaper(ctx(seed))
          const { truth } = yield* render(spec)
          const columns = new Set(truth.blocks.flatMap((b) => (b.column === undefined ? [] : [b.column])))
          expect(columns.size).toBeGreaterThanOrEqual(4)
          expect(columns.size).toBeLessThanOrEqual(6)
          const paragraphs = truth.blocks.filter((b) => b.kind === "paragraph" && b.column !== undefined)
          const heights = paragraphs
            .flatMap((b) => b.lines.map((l) => truth.lines[l]!.box.height))
            .sort((a, b) => a - b)
          // A line box is a glyph's em box plus the font's leading: 8-10 px glyphs give boxes of about 9-15 px.
          const median = heights[heights.length >> 1]!
          expect(median).toBeGreaterThan(7)
          expect(median).toBeLessThan(16)
          // Body text (not the decks and bylines in larger or smaller type).
          const body = paragraphs.filter(
            (b) => b.lines.length > 1 && b.lines.every((l) => Math.abs(truth.lines[l]!.box.height - median) < 2)
          )
          const columnWidth = truth.width / columns.size
          for (const block of body) expect(block.box.width).toBeLessThan(columnWidth)
          // Some paragraph runs on into the next column: two blocks in a row, the second starting a column higher up.
          const split = body.some((b, i) => {
            const next = body[i + 1]
            return next !== undefined && next.column === b.column! + 1 && next.box.y < b.box.y + b.box.height - 20
          })
          expect(split).toBe(true)
        }
      }),
    60_000
  )

  it.effect(
    "magazine: the lines beside the picture and then those below it are read down one column",
    () =>
      Effect.gen(function* () {
        for (const seed of [21, 22, 23]) {
          const { truth } = yield* render(magazine(ctx(seed)))
          const figure = truth.blocks.find((b) => b.kind === "figure")!.box
          const text = (column: number) =>
            truth.blocks
              .filter((b) => b.kind === "paragraph" && b.column === column)
              .flatMap((b) => b.lines)
              .map((l) => ({ l, box: truth.lines[l]!.box }))
          const touched = [...new Set(truth.blocks.flatMap((b) => (b.column === undefined ? [] : [b.column])))].filter(
            (c) =>
              text(c).some((t) => t.box.x < figure.x + figure.width && t.box.x + t.box.width > figure.x) &&
              text(c).some((t) => rowOverlap(t.box, figure) > 0)
          )
          expect(touched.length).toBeGreaterThan(0)
          for (const column of touched) {
            const lines = text(column)
            const beside = lines.filter(
              (t) => t.box.y >= figure.y && t.box.y + t.box.height <= figure.y + figure.height
            )
            const below = lines.filter((t) => t.box.y >= figure.y + figure.height)
            expect(beside.length).toBeGreaterThan(2)
            expect(below.length).toBeGreaterThan(0)
            // Beside the picture means beside it: no line of the column runs across it.
            for (const t of beside)
              expect(t.box.x + t.box.width <= figure.x + 1 || t.box.x >= figure.x + figure.width - 1).toBe(true)
            expect(Math.max(...beside.map((t) => t.l))).toBeLessThan(Math.min(...below.map((t) => t.l)))
            // One column's order: down the page.
            for (let i = 1; i < lines.length; i++) expect(lines[i]!.box.y).toBeGreaterThan(lines[i - 1]!.box.y)
          }
        }
      }),
    60_000
  )

  it("invoice totals in Chinese capitals, with 零 for skipped places and 整 for whole yuan", () => {
    expect(amountInCapitals(1308.04)).toBe("壹仟叁佰零捌元零肆分")
    expect(amountInCapitals(10839.98)).toBe("壹万零捌佰叁拾玖元玖角捌分")
    expect(amountInCapitals(20005)).toBe("贰万零伍元整")
    expect(amountInCapitals(150.5)).toBe("壹佰伍拾元伍角")
  })

  it.effect(
    "forms and tickets: a label and its value share a row, label first, and rows read across",
    () =>
      Effect.gen(function* () {
        const pairsOf = (truth: DomTruth) =>
          truth.blocks
            .filter((b) => b.kind === "paragraph" && b.lines.length === 2)
            .map((b) => [truth.lines[b.lines[0]!]!, truth.lines[b.lines[1]!]!] as const)
            .filter(([k, v]) => rowOverlap(k.box, v.box) > 0.5)
        for (const [name, build] of [...Object.entries(FORM_VARIANTS), ...Object.entries(TICKET_VARIANTS)]) {
          const { truth } = yield* render(build(ctx(31)))
          const pairs = pairsOf(truth)
          for (const [label, value] of pairs) {
            expect(label.box.x + label.box.width).toBeLessThanOrEqual(value.box.x + 0.5)
            if (name !== "train") expect(label.text).toMatch(/[:：]$/)
          }
          if (name === "application" || name === "cinema" || name === "invoice" || name === "registration")
            expect(pairs.length).toBeGreaterThan(1)
          // Tables read row by row, and a cell's label comes before its value.
          for (const table of truth.blocks.filter((b) => b.kind === "table")) {
            const order = table.cells!.flatMap((c) => c.lines)
            expect(order).toEqual([...order].sort((a, b) => a - b))
            for (const cell of table.cells!)
              if (cell.lines.length === 2 && name === "boarding") {
                const [label, value] = cell.lines.map((l) => truth.lines[l]!.box)
                expect(label!.y).toBeLessThan(value!.y)
              }
          }
          if (name === "application" || name === "cinema") {
            // Row by row across: the next line is to the right on the same row, or on a lower row.
            for (let i = 1; i < truth.lines.length; i++) {
              const a = truth.lines[i - 1]!.box
              const b = truth.lines[i]!.box
              if (rowOverlap(a, b) > 0.5) expect(b.x).toBeGreaterThan(a.x)
              else expect(b.y).toBeGreaterThan(a.y)
            }
          }
        }
      }),
    60_000
  )
})
