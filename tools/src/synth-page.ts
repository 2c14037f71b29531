/// <reference lib="dom" />
/**
 * One synthetic document page: a seeded page description (fonts, one to three
 * columns, headings, paragraphs, lists, ruled and unruled tables, figures with
 * captions, header and page number), its HTML, and the ground truth read back
 * from the rendered DOM in Chromium: the text and box of every rendered line
 * (grouped from `Range.getClientRects` of each character) and the blocks in
 * reading order with their kinds, table cells and columns.
 *
 * The ground truth comes from what the browser laid out, not from the source
 * strings, so line breaks, column breaks and collapsed spaces are exact.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { type Browser, chromium, type Page } from "playwright-core"
import { CAPTIONS, type Corpus, LIST_ITEMS, makeTable, OWN_SOURCE, type Rng, samplePassage } from "./synth-corpus.ts"

/** CSS width of a page; the image is this times the device scale factor. */
export const PAGE_WIDTH = 800
/** Pages taller than this (CSS px) lose their last blocks. */
export const MAX_PAGE_HEIGHT = 1130

const FONTS: ReadonlyArray<{ readonly family: string; readonly name: string }> = [
  { family: '"Noto Sans CJK SC", sans-serif', name: "Noto Sans CJK SC" },
  { family: '"Noto Serif CJK SC", serif', name: "Noto Serif CJK SC" },
  { family: '"WenQuanYi Micro Hei", sans-serif', name: "WenQuanYi Micro Hei" },
  { family: '"AR PL UMing CN", serif', name: "AR PL UMing CN" },
  { family: '"DejaVu Serif", "Noto Serif CJK SC", serif', name: "DejaVu Serif + Noto Serif CJK SC" },
  { family: '"DejaVu Sans", "Noto Sans CJK SC", sans-serif', name: "DejaVu Sans + Noto Sans CJK SC" }
]

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

/** Inline variation: some Latin words bold or in a monospace font, so weights and sizes mix within lines. */
export const inline = (text: string, rng: Rng): string =>
  text
    .split(/([A-Za-z][A-Za-z0-9_.-]{2,})/)
    .map((part, i) => {
      const e = escapeHtml(part)
      if (i % 2 === 0) return e
      const r = rng.next()
      if (r < 0.12) return `<b>${e}</b>`
      if (r < 0.2) return `<code>${e}</code>`
      return e
    })
    .join("")

/** The figure: a small bar chart or diagram drawn in SVG, with no text (its text would be unscorable). */
export const figureSvg = (rng: Rng, width: number): string => {
  const h = rng.int(90, 160)
  const n = rng.int(4, 8)
  const bars = Array.from({ length: n }, (_, i) => {
    const bh = rng.int(15, h - 10)
    const bw = (width - 20) / n - 8
    return `<rect x="${10 + i * ((width - 20) / n)}" y="${h - bh}" width="${bw.toFixed(1)}" height="${bh}" fill="${rng.pick(["#4e79a7", "#f28e2b", "#59a14f", "#9c9c9c"])}"/>`
  }).join("")
  const line = Array.from(
    { length: n },
    (_, i) => `${10 + (i + 0.5) * ((width - 20) / n)},${rng.int(10, h - 10)}`
  ).join(" ")
  return `<svg width="${width}" height="${h}" viewBox="0 0 ${width} ${h}"><rect x="0.5" y="0.5" width="${width - 1}" height="${h - 1}" fill="#f7f7f7" stroke="#999"/>${bars}<polyline points="${line}" fill="none" stroke="#333" stroke-width="2"/></svg>`
}

/** What a page looks like, before it is rendered. */
export interface PageSpec {
  readonly html: string
  readonly font: string
  readonly columns: number
  readonly fontSize: number
  /** Sources of the text on the page. */
  readonly sources: ReadonlyArray<string>
}

/** A seeded page description and its HTML. `pageNumber` is printed in the footer. */
export const makePage = (rng: Rng, corpus: Corpus, pageNumber: number): PageSpec => {
  const font = rng.pick(FONTS)
  const columns = rng.pick([1, 1, 2, 2, 3])
  const fontSize = columns === 3 ? rng.int(13, 15) : rng.int(14, 18)
  const gap = rng.int(24, 40)
  const padding = rng.int(40, 64)
  const columnWidth = (PAGE_WIDTH - 2 * padding - (columns - 1) * gap) / columns
  const sources = new Set<string>()
  const used = new Set<string>()
  const para = () => {
    let p = samplePassage(corpus, rng)
    for (let tries = 0; used.has(p.text) && tries < 20; tries++) p = samplePassage(corpus, rng)
    used.add(p.text)
    sources.add(p.source)
    return p.text
  }
  const heading = () => {
    const h = rng.chance(0.5)
      ? rng.pick(corpus.headings.filter((x) => x.source === OWN_SOURCE))
      : rng.pick(corpus.headings)
    sources.add(h.source)
    return h.text
  }
  const justify = rng.chance(0.5) ? "justify" : "left"
  const indent = rng.chance(0.5) ? "2em" : "0"
  const flow: Array<string> = []
  let section = 1
  // More blocks than fit: the renderer drops the overflow, so every page is full.
  for (let k = 0; k < 40; k++) {
    const r = rng.next()
    if (k > 0 && r < 0.14) {
      const level = rng.chance(0.6) ? 2 : 3
      const number = rng.chance(0.5) ? `${section++}. ` : ""
      flow.push(`<h${level} data-kind="heading" data-level="${level}">${escapeHtml(number + heading())}</h${level}>`)
    } else if (r < 0.22) {
      const ordered = rng.chance(0.5)
      const first = rng.int(0, LIST_ITEMS.length - 1)
      const items = Array.from({ length: rng.int(2, 4) }, (_, i) => LIST_ITEMS[(first + i * 3) % LIST_ITEMS.length]!)
      flow.push(
        `<ul>${items
          .map((t, i) => `<li data-kind="list-item">${ordered ? `${i + 1}. ` : "• "}${inline(t, rng)}</li>`)
          .join("")}</ul>`
      )
      sources.add(OWN_SOURCE)
    } else if (r < 0.3 && columns <= 2) {
      const table = makeTable(rng)
      sources.add(table.source)
      const ruled = rng.chance(0.6)
      const caption = rng.chance(0.5)
        ? `<p data-kind="caption" class="caption">${escapeHtml(`表 ${rng.int(1, 9)} ${heading()}`)}</p>`
        : ""
      flow.push(
        `<div class="block">${caption}<table data-kind="table" class="${ruled ? "ruled" : "unruled"}">${table.rows
          .map(
            (row, i) =>
              `<tr>${row.map((c) => (i === 0 ? `<th>${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join("")}</tr>`
          )
          .join("")}</table></div>`
      )
    } else if (r >= 0.3 && r < 0.35) {
      sources.add(OWN_SOURCE)
      flow.push(
        `<div class="block"><div data-kind="figure" class="figure">${figureSvg(rng, Math.floor(Math.min(columnWidth, 420)))}</div><p data-kind="caption" class="caption">${escapeHtml(rng.pick(CAPTIONS))}</p></div>`
      )
    } else {
      flow.push(`<p data-kind="paragraph">${inline(para(), rng)}</p>`)
    }
  }
  const header = rng.chance(0.6)
    ? `<div data-kind="header" class="header">${escapeHtml(rng.pick(["ocr2word 技术文档", "内部资料 · 请勿外传", "用户手册 User Guide v2.3", "2024 年度报告"]))}</div>`
    : ""
  const pageNo = rng.chance(0.7)
    ? `<div data-kind="page-number" class="pageno">${escapeHtml(rng.pick([`— ${pageNumber} —`, `第 ${pageNumber} 页`, `${pageNumber}`, `Page ${pageNumber}`]))}</div>`
    : ""
  const title = `<h1 data-kind="heading" data-level="1">${escapeHtml(heading())}</h1>`
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
html, body { margin: 0; padding: 0; background: #fff; }
#page { width: ${PAGE_WIDTH}px; box-sizing: border-box; padding: ${padding}px; font-family: ${font.family};
  font-size: ${fontSize}px; line-height: ${rng.pick([1.5, 1.6, 1.75])}; color: #${rng.pick(["000", "111", "222"])};
  hyphens: none; overflow-wrap: anywhere; }
#flow { column-count: ${columns}; column-gap: ${gap}px; column-fill: balance; }
#flow > * { break-inside: avoid; }
h1 { font-size: ${(fontSize * rng.range(1.6, 2.1)).toFixed(1)}px; margin: 0 0 0.8em; text-align: ${rng.pick(["left", "center"])}; font-weight: 700; }
h2 { font-size: ${(fontSize * 1.35).toFixed(1)}px; margin: 0.6em 0 0.4em; font-weight: 700; }
h3 { font-size: ${(fontSize * 1.15).toFixed(1)}px; margin: 0.5em 0 0.3em; font-weight: ${rng.pick([600, 700])}; }
p { margin: 0 0 ${rng.pick([0.4, 0.6, 0.8])}em; text-align: ${justify}; text-indent: ${indent}; }
p.caption { font-size: ${(fontSize * 0.85).toFixed(1)}px; text-align: center; text-indent: 0; color: #333; }
ul { list-style: none; margin: 0 0 0.6em; padding-left: 1em; }
li { margin: 0.15em 0; }
code { font-family: "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace; font-size: 0.92em; }
table { border-collapse: collapse; margin: 0.3em 0 0.8em; font-size: ${(fontSize * 0.9).toFixed(1)}px; width: 100%; }
table.ruled td, table.ruled th { border: 1px solid #333; padding: 3px 6px; }
table.unruled td, table.unruled th { padding: 3px 8px; }
table.unruled { border-top: 2px solid #000; border-bottom: 2px solid #000; }
th { font-weight: 700; text-align: left; }
.figure { margin: 0.4em 0 0.2em; text-align: center; }
.header { font-size: ${(fontSize * 0.8).toFixed(1)}px; color: #555; border-bottom: 1px solid #999; margin-bottom: 1.2em; padding-bottom: 0.2em; }
.pageno { font-size: ${(fontSize * 0.85).toFixed(1)}px; text-align: center; margin-top: 1.2em; }
</style></head><body><div id="page">${header}${title}<div id="flow">${flow.join("")}</div>${pageNo}</div></body></html>`
  return { html, font: font.name, columns, fontSize, sources: [...sources] }
}

/** A box in image pixels. */
export interface Box {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** Ground truth read from the DOM, in image pixels. */
export interface DomTruth {
  readonly width: number
  readonly height: number
  readonly lines: Array<{ text: string; box: Box; block: number }>
  readonly blocks: Array<{
    kind: string
    box: Box
    lines: Array<number>
    level?: number
    column?: number
    cells?: Array<{ row: number; column: number; rowSpan: number; columnSpan: number; box: Box; lines: Array<number> }>
  }>
}

/**
 * Runs in the browser: drop what overflows the page, then read every
 * `[data-kind]` element in document (= reading) order, its lines from the
 * character rectangles, and for tables the cells.
 *
 * Two page shapes share it. The `doc` pages have a `#flow` of balanced
 * columns and grow to `maxHeight`; the flow's last blocks go until the page
 * fits. The fixed-size archetype pages (`synth-archetypes.ts`) mark their
 * boxes of fixed height `data-fill`: their last children go, or a
 * `data-trim` paragraph is cut to the longest prefix (at a word or Han
 * character) that still fits, so every column ends full. Their columns are
 * the `data-grid` element's (`data-grid` columns, `data-gap` px apart): a
 * block whose lines run on into the next column is split there into one
 * block per column, each with the box of its lines. An element marked
 * `data-line` is a line of its own, however close its neighbour on the same
 * row (a form's label and its value).
 */
const readDom = ([maxHeight, scale]: [number, number]): DomTruth => {
  const page = document.getElementById("page")!
  const flow = document.getElementById("flow")
  const pageNo = page.querySelector(".pageno")
  if (flow !== null)
    while (page.getBoundingClientRect().height > maxHeight && flow.children.length > 1) flow.lastElementChild!.remove()
  const overflows = (box: Element) => box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1
  const trim = (el: Element, box: Element): boolean => {
    const nodes: Array<Text> = []
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) nodes.push(n as Text)
    const original = nodes.map((n) => n.data)
    // Cut points: after a Han character or punctuation, or before a space.
    const cuts: Array<number> = []
    let total = 0
    for (const t of original) {
      for (let i = 0; i < t.length; i++) {
        const ch = t[i]!
        const next = t[i + 1] ?? " "
        if (/[\p{Script=Han}，。、；：！？）]/u.test(ch) || (/\S/.test(ch) && /\s/.test(next))) cuts.push(total + i + 1)
      }
      total += t.length
    }
    const cutTo = (k: number) => {
      let left = k
      nodes.forEach((n, i) => {
        const keep = Math.max(0, Math.min(original[i]!.length, left))
        n.data = original[i]!.slice(0, keep)
        left -= original[i]!.length
      })
    }
    let lo = 0
    let hi = cuts.length - 1
    let best = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      cutTo(cuts[mid]!)
      if (overflows(box)) hi = mid - 1
      else {
        best = mid
        lo = mid + 1
      }
    }
    if (best < 0 || cuts[best]! < 12) {
      cutTo(total)
      return false
    }
    cutTo(cuts[best]!)
    return true
  }
  for (const box of Array.from(page.querySelectorAll("[data-fill]"))) {
    for (let guard = 0; overflows(box) && box.lastElementChild !== null && guard < 400; guard++) {
      const last = box.lastElementChild
      if (last.hasAttribute("data-trim") && trim(last, box)) break
      last.remove()
    }
    // A heading left at the foot of a column has nothing under it.
    while (box.lastElementChild?.getAttribute("data-kind") === "heading") box.lastElementChild.remove()
  }
  const round = (v: number) => Math.round(v * scale * 10) / 10
  const toBox = (l: number, t: number, r: number, b: number) => ({
    x: round(l),
    y: round(t),
    width: round(r - l),
    height: round(b - t)
  })
  // What a box that hides its overflow leaves visible: a character outside it is not on the image.
  const clips = new Map<Element, { left: number; top: number; right: number; bottom: number } | undefined>()
  const clipOf = (el: Element | null): { left: number; top: number; right: number; bottom: number } | undefined => {
    if (el === null || el === document.body) return undefined
    if (clips.has(el)) return clips.get(el)
    const outer = clipOf(el.parentElement)
    let clip = outer
    if (getComputedStyle(el).overflow !== "visible") {
      const b = el.getBoundingClientRect()
      clip = {
        left: Math.max(b.left, outer?.left ?? -Infinity),
        top: Math.max(b.top, outer?.top ?? -Infinity),
        right: Math.min(b.right, outer?.right ?? Infinity),
        bottom: Math.min(b.bottom, outer?.bottom ?? Infinity)
      }
    }
    clips.set(el, clip)
    return clip
  }
  const lines: DomTruth["lines"] = []
  const edges: Array<{ left: number; top: number; right: number; bottom: number }> = []
  const range = document.createRange()
  const readLines = (root: Element, block: number): Array<number> => {
    const out: Array<number> = []
    type Cur = { text: string; left: number; top: number; right: number; bottom: number; space: boolean }
    let cur: Cur | undefined
    let owner: Element | null = null
    const close = () => {
      if (cur === undefined) return
      out.push(lines.length)
      lines.push({ text: cur.text, box: toBox(cur.left, cur.top, cur.right, cur.bottom), block })
      edges.push({ left: cur.left, top: cur.top, right: cur.right, bottom: cur.bottom })
      cur = undefined
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode() as Text | null; node !== null; node = walker.nextNode() as Text | null) {
      const t = node.data
      const clip = clipOf(node.parentElement)
      const nodeOwner = node.parentElement?.closest("[data-line]") ?? null
      if (nodeOwner !== owner) {
        close()
        owner = nodeOwner
      }
      let i = 0
      while (i < t.length) {
        const len = t.codePointAt(i)! > 0xffff ? 2 : 1
        const ch = t.slice(i, i + len)
        if (/\s/.test(ch)) {
          if (cur !== undefined) cur.space = true
          i += len
          continue
        }
        range.setStart(node, i)
        range.setEnd(node, i + len)
        i += len
        const r = Array.from(range.getClientRects()).find((x) => x.width > 0 && x.height > 0)
        if (r === undefined) continue
        if (clip !== undefined) {
          const mx = (r.left + r.right) / 2
          const my = (r.top + r.bottom) / 2
          if (mx < clip.left || mx > clip.right || my < clip.top || my > clip.bottom) continue
        }
        const cy = (r.top + r.bottom) / 2
        const same =
          cur !== undefined && cy > cur.top && cy < cur.bottom && r.left > cur.right - Math.max(3, r.width * 0.6)
        if (!same) close()
        if (cur === undefined) {
          cur = { text: ch, left: r.left, top: r.top, right: r.right, bottom: r.bottom, space: false }
        } else {
          cur.text += (cur.space ? " " : "") + ch
          cur.space = false
          cur.left = Math.min(cur.left, r.left)
          cur.top = Math.min(cur.top, r.top)
          cur.right = Math.max(cur.right, r.right)
          cur.bottom = Math.max(cur.bottom, r.bottom)
        }
      }
    }
    close()
    return out
  }
  const grid = flow ?? page.querySelector("[data-grid]")
  const gridBox = grid?.getBoundingClientRect()
  const columnCount =
    grid === null
      ? 1
      : flow !== null
        ? Number.parseInt(getComputedStyle(flow).columnCount, 10) || 1
        : Number(grid.getAttribute("data-grid"))
  const columnGap =
    grid === null
      ? 0
      : flow !== null
        ? Number.parseFloat(getComputedStyle(flow).columnGap) || 0
        : Number(grid.getAttribute("data-gap"))
  const columnWidth = gridBox === undefined ? 0 : (gridBox.width - (columnCount - 1) * columnGap) / columnCount
  const columnAt = (left: number) =>
    Math.max(0, Math.min(columnCount - 1, Math.floor((left - gridBox!.left + 1) / (columnWidth + columnGap))))
  const blocks: DomTruth["blocks"] = []
  for (const el of Array.from(page.querySelectorAll("[data-kind]"))) {
    const kind = el.getAttribute("data-kind")!
    const rect = el.getBoundingClientRect()
    const index = blocks.length
    const block: DomTruth["blocks"][number] = {
      kind,
      box: toBox(rect.left, rect.top, rect.right, rect.bottom),
      lines: []
    }
    const level = el.getAttribute("data-level")
    if (level !== null) block.level = Number(level)
    const inGrid = grid?.contains(el) === true
    if (inGrid) block.column = columnAt(rect.left)
    blocks.push(block)
    if (kind === "table") {
      const table = el as HTMLTableElement
      block.cells = []
      for (const tr of Array.from(table.rows)) {
        for (const cell of Array.from(tr.cells)) {
          const cr = cell.getBoundingClientRect()
          const cellLines = readLines(cell, index)
          block.lines.push(...cellLines)
          block.cells.push({
            row: tr.rowIndex,
            column: cell.cellIndex,
            rowSpan: cell.rowSpan,
            columnSpan: cell.colSpan,
            box: toBox(cr.left, cr.top, cr.right, cr.bottom),
            lines: cellLines
          })
        }
      }
    } else if (kind !== "figure") {
      block.lines = readLines(el, index)
      if (inGrid && flow === null && block.lines.length > 1) {
        // A block broken across columns becomes one block per column, each boxed by its lines.
        const runs: Array<Array<number>> = []
        let last = -1
        for (const l of block.lines) {
          const c = columnAt(edges[l]!.left)
          if (c !== last) runs.push([])
          runs[runs.length - 1]!.push(l)
          last = c
        }
        if (runs.length > 1) {
          blocks.pop()
          for (const run of runs) {
            const e = run.map((l) => edges[l]!)
            const left = Math.min(...e.map((x) => x.left))
            const at = blocks.length
            for (const l of run) lines[l]!.block = at
            blocks.push({
              ...block,
              box: toBox(
                left,
                Math.min(...e.map((x) => x.top)),
                Math.max(...e.map((x) => x.right)),
                Math.max(...e.map((x) => x.bottom))
              ),
              lines: run,
              column: columnAt(left)
            })
          }
        }
      }
    }
  }
  void pageNo
  const pr = page.getBoundingClientRect()
  return { width: Math.round(pr.width * scale), height: Math.round(pr.height * scale), lines, blocks }
}

/** Render a page's HTML and read its ground truth; returns PNG bytes and the DOM truth. */
export const renderPage = async (
  page: Page,
  html: string,
  scale: number,
  viewport: { readonly width: number; readonly height: number } = { width: PAGE_WIDTH, height: MAX_PAGE_HEIGHT + 200 }
): Promise<{ png: Buffer; truth: DomTruth }> => {
  const size = page.viewportSize()
  if (size?.width !== viewport.width || size.height !== viewport.height) await page.setViewportSize(viewport)
  await page.setContent(html, { waitUntil: "load" })
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  const truth = await page.evaluate(readDom, [MAX_PAGE_HEIGHT, scale] as [number, number])
  const png = await page.locator("#page").screenshot({ type: "png", animations: "disabled" })
  return { png, truth }
}

/** Chromium flags for a quiet, offline, headless run. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run"
]

/**
 * Launch Debian's Chromium. Fails with the fix when it is missing: the
 * generators never download a browser.
 */
export const launchBrowser = async (
  executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"
): Promise<Browser> => {
  try {
    return await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true })
  } catch (e) {
    throw new Error(
      `Expected a Chromium executable for CHROMIUM_PATH but received ${executablePath} (${(e as Error).message.split("\n")[0]}). ` +
        "Install it with `apt-get install chromium fonts-noto-cjk fonts-wqy-microhei fonts-arphic-uming`, or set CHROMIUM_PATH."
    )
  }
}

/** Write dataset items as `manifest.jsonl` in `out`. */
export const writeManifest = (out: string, items: ReadonlyArray<unknown>): void =>
  Fs.writeFileSync(Path.join(out, "manifest.jsonl"), `${items.map((i) => JSON.stringify(i)).join("\n")}\n`)

/** True when the module at `url` is the script node was started with. */
export const isMainModule = (url: string): boolean =>
  process.argv[1] !== undefined && url === new URL(`file://${Path.resolve(process.argv[1])}`).href
