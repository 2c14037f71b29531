/**
 * Page archetypes for `synth-docs.ts`, one HTML builder each: `newspaper`
 * (4-6 columns of 8-10 px type, headlines across columns, articles in rows),
 * `magazine` (columns that wrap around a picture, so text regions are
 * L-shaped; pull quotes), `paper` (full-width title, authors and abstract
 * over two columns), `textbook` (exercises, numbered items, boxed notes),
 * `slide` (16:9, big title, bullets, a chart); forms and tickets are in
 * `synth-forms.ts`.
 *
 * Every page is a fixed-size `#page`. The DOM order of its `[data-kind]`
 * elements is the true reading order: article by article on a newspaper
 * (headline, then down each of its columns), down each column of a magazine
 * (the lines beside the picture, then the lines below it), row by row on a
 * form. Boxes that must end full are `data-fill` and their paragraphs
 * `data-trim`, so `synth-page.ts` cuts the overflow; it also splits a
 * paragraph that runs on into the next column into one block per column.
 * Sizes that matter for recognition are set in image pixels and divided by
 * the device scale, so `--scale` does not change them.
 *
 * @since 0.1.0
 */
import { type Corpus, makeTable, type Rng, samplePassage } from "./synth-corpus.ts"
import { escapeHtml, figureSvg, inline } from "./synth-page.ts"
import {
  headline,
  mathItem,
  newsParagraph,
  PAPER_SECTIONS,
  type PageLanguage,
  paperParagraph,
  paperTitle,
  personName,
  TEXTBOOK_PROSE,
  wordProblem
} from "./synth-text.ts"

/** A page of one archetype, before it is rendered. */
export interface ArchetypeSpec {
  readonly html: string
  /** CSS size of the viewport: the size of `#page`, or the most a page that grows with its content may take. */
  readonly width: number
  readonly height: number
  readonly font: string
  readonly columns: number
  readonly sources: ReadonlyArray<string>
  /** What kind of page this is inside its archetype (boarding pass, invoice...). */
  readonly variant: string
}

/** What a builder is given. */
export interface ArchetypeContext {
  readonly rng: Rng
  readonly corpus: Corpus
  /** Device scale factor: image pixels per CSS pixel. */
  readonly scale: number
  readonly pageNumber: number
}

export const OWN = "ocr2word synth corpus (written for this project, Apache-2.0)"

type FontChoice = { readonly family: string; readonly name: string }

const SERIF: Record<PageLanguage, ReadonlyArray<FontChoice>> = {
  zh: [
    { family: '"Noto Serif CJK SC", serif', name: "Noto Serif CJK SC" },
    { family: '"AR PL UMing CN", serif', name: "AR PL UMing CN" }
  ],
  en: [
    { family: '"DejaVu Serif", serif', name: "DejaVu Serif" },
    { family: '"Noto Serif CJK SC", serif', name: "Noto Serif CJK SC (Latin)" }
  ],
  mixed: [
    { family: '"DejaVu Serif", "Noto Serif CJK SC", serif', name: "DejaVu Serif + Noto Serif CJK SC" },
    { family: '"Noto Serif CJK SC", serif', name: "Noto Serif CJK SC" }
  ]
}

const SANS: Record<PageLanguage, ReadonlyArray<FontChoice>> = {
  zh: [
    { family: '"Noto Sans CJK SC", sans-serif', name: "Noto Sans CJK SC" },
    { family: '"WenQuanYi Micro Hei", sans-serif', name: "WenQuanYi Micro Hei" }
  ],
  en: [
    { family: '"DejaVu Sans", sans-serif', name: "DejaVu Sans" },
    { family: '"Noto Sans CJK SC", sans-serif', name: "Noto Sans CJK SC (Latin)" }
  ],
  mixed: [
    { family: '"DejaVu Sans", "Noto Sans CJK SC", sans-serif', name: "DejaVu Sans + Noto Sans CJK SC" },
    { family: '"Noto Sans CJK SC", sans-serif', name: "Noto Sans CJK SC" },
    { family: '"WenQuanYi Micro Hei", sans-serif', name: "WenQuanYi Micro Hei" }
  ]
}

/** A page language: `weights` are the chances of zh, en and mixed. */
export const pickLanguage = (rng: Rng, weights: readonly [number, number, number] = [1, 1, 1]): PageLanguage => {
  const r = rng.next() * (weights[0] + weights[1] + weights[2])
  return r < weights[0] ? "zh" : r < weights[0] + weights[1] ? "en" : "mixed"
}

export const serifFont = (rng: Rng, lang: PageLanguage): FontChoice => rng.pick(SERIF[lang])
export const sansFont = (rng: Rng, lang: PageLanguage): FontChoice => rng.pick(SANS[lang])

/** CSS px for a size given in image px. */
const css = (ctx: ArchetypeContext, imagePx: number): string => (imagePx / ctx.scale).toFixed(2)

/** A photo stand-in: sky, ground and a few shapes, no text (its text would be unscorable). */
export const photoSvg = (rng: Rng, width: number, height: number): string => {
  const hue = rng.int(0, 359)
  const shapes = Array.from({ length: rng.int(3, 7) }, () => {
    const x = rng.int(0, width)
    const y = rng.int(Math.floor(height * 0.3), height)
    const r = rng.int(Math.floor(height * 0.08), Math.floor(height * 0.3))
    const l = rng.int(20, 70)
    return rng.chance(0.5)
      ? `<circle cx="${x}" cy="${y}" r="${r}" fill="hsl(${(hue + rng.int(0, 120)) % 360},35%,${l}%)"/>`
      : `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${height}" fill="hsl(${(hue + rng.int(0, 120)) % 360},25%,${l}%)"/>`
  }).join("")
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><defs><linearGradient id="g${hue}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue},45%,78%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360},30%,45%)"/></linearGradient></defs><rect width="${width}" height="${height}" fill="url(#g${hue})"/>${shapes}</svg>`
}

/** Sources used on a page, kept as a set. */
class Sources {
  readonly set = new Set<string>()
  /** Man-page passages already on the page. */
  readonly passages = new Set<string>()
  add(s: string): void {
    this.set.add(s)
  }
  get list(): ReadonlyArray<string> {
    return [...this.set]
  }
}

/**
 * A paragraph of body text: built news or academic sentences, or (a third of
 * a Chinese or mixed paper's paragraphs) man-page prose, never twice on a
 * page (many man pages share their licence paragraph).
 */
const bodyText = (ctx: ArchetypeContext, lang: PageLanguage, sources: Sources, style: "news" | "paper"): string => {
  if (lang !== "en" && style === "paper" && ctx.rng.chance(0.35)) {
    const p = samplePassage(ctx.corpus, ctx.rng)
    if (!sources.passages.has(p.text)) {
      sources.passages.add(p.text)
      sources.add(p.source)
      return p.text
    }
  }
  sources.add(OWN)
  return style === "news" ? newsParagraph(ctx.rng, lang) : paperParagraph(ctx.rng, lang)
}

/** Paragraphs of about `chars` characters in all. */
const paragraphs = (
  ctx: ArchetypeContext,
  lang: PageLanguage,
  sources: Sources,
  chars: number,
  style: "news" | "paper",
  cls = ""
): string => {
  const out: Array<string> = []
  for (let total = 0; total < chars; ) {
    const text = bodyText(ctx, lang, sources, style)
    total += text.length
    // Bold and monospace Latin words suit Chinese technical prose; on English pages they would be most words.
    const html = lang === "en" ? escapeHtml(text) : inline(text, ctx.rng)
    out.push(`<p data-kind="paragraph" data-trim${cls ? ` class="${cls}"` : ""}>${html}</p>`)
  }
  return out.join("")
}

/** Characters that fill an area of text at a font size (Han count as one, Latin as about half). */
const capacity = (width: number, height: number, fontSize: number, lineHeight: number, lang: PageLanguage): number =>
  Math.ceil((width / fontSize) * (height / (fontSize * lineHeight)) * (lang === "en" ? 2 : lang === "mixed" ? 1.4 : 1))

const doc = (lang: PageLanguage, style: string, body: string): string =>
  `<!doctype html><html lang="${lang === "en" ? "en" : "zh-CN"}"><head><meta charset="utf-8"><style>
html, body { margin: 0; padding: 0; background: #fff; }
#page { position: relative; box-sizing: border-box; overflow: hidden; hyphens: none; overflow-wrap: anywhere; }
h1, h2, h3, h4, p { margin: 0; }
${style}
</style></head><body>${body}</body></html>`

const NEWSPAPER_NAMES: Record<PageLanguage, ReadonlyArray<string>> = {
  zh: ["城市晚报", "华夏日报", "东方时报", "江南都市报", "北方早报"],
  en: ["The Daily Courier", "Evening Gazette", "The Morning Post", "The Harbour Times", "Valley Herald"],
  mixed: ["城市晚报 City Evening News", "东方时报 The Orient Times", "华夏日报 China Daily Review"]
}

/** Split `n` columns into article spans: a lead of 3+ columns first when `lead`. */
const spans = (rng: Rng, n: number, lead: boolean): Array<number> => {
  const out: Array<number> = []
  let left = n
  if (lead) {
    const first = rng.int(Math.min(3, n), Math.max(3, n - 1))
    out.push(first)
    left -= first
  }
  while (left > 0) {
    const s = left <= 2 ? left : rng.int(1, Math.min(3, left))
    out.push(s)
    left -= s
  }
  return out
}

/** `newspaper`: masthead, then rows of articles on a 4-6 column grid in 8-10 px type. */
export const newspaper = (ctx: ArchetypeContext): ArchetypeSpec => {
  const { rng } = ctx
  const lang = pickLanguage(rng)
  const sources = new Sources()
  sources.add(OWN)
  const W = 800
  const H = 1120
  const pad = rng.int(18, 28)
  const n = rng.int(4, 6)
  const gap = rng.int(9, 14)
  const bodyPx = rng.range(8, 10)
  const fs = bodyPx / ctx.scale
  const lh = rng.pick([1.3, 1.35, 1.4])
  const body = serifFont(rng, lang)
  const head = rng.chance(0.5) ? sansFont(rng, lang) : body
  const colW = (W - 2 * pad - (n - 1) * gap) / n
  const rows = rng.int(2, 3)
  const fractions = Array.from({ length: rows }, (_, i) => (i === 0 ? rng.range(1.1, 1.6) : rng.range(0.7, 1.2)))
  const mastH = 70
  const gridH = H - 2 * pad - mastH
  const articles: Array<string> = []
  const fracSum = fractions.reduce((a, b) => a + b, 0)
  for (let r = 0; r < rows; r++) {
    const rowH = (gridH * fractions[r]!) / fracSum
    for (const span of spans(rng, n, r === 0)) {
      const lead = r === 0 && articles.length === 0
      const hSize = lead ? fs * rng.range(2.6, 3.4) : fs * Math.min(2.4, 1.3 + 0.3 * span)
      const parts: Array<string> = [
        `<h2 data-kind="heading" data-level="${lead || span >= 3 ? 2 : 3}" style="font-size:${hSize.toFixed(2)}px">${escapeHtml(headline(rng, lang))}</h2>`
      ]
      if (lead && rng.chance(0.6))
        parts.push(`<p data-kind="paragraph" class="deck">${escapeHtml(headline(rng, lang))}</p>`)
      if (rng.chance(0.5)) {
        const en = lang === "en" || (lang === "mixed" && rng.chance(0.4))
        parts.push(
          `<p data-kind="paragraph" class="byline">${escapeHtml(en ? `By ${personName(rng, "en")}` : `本报记者 ${personName(rng, "zh")}`)}</p>`
        )
      }
      let used = hSize * 2.6 + fs * 2
      if (span >= 2 && rng.chance(0.4) && rowH > 260) {
        const fw = Math.floor(span * colW + (span - 1) * gap)
        const fh = Math.floor(rng.range(0.25, 0.4) * rowH)
        used += fh + fs * 3
        parts.push(
          `<div data-kind="figure" class="photo">${photoSvg(rng, fw, fh)}</div><p data-kind="caption" class="cap">${escapeHtml(headline(rng, lang))}</p>`
        )
      }
      const chars = capacity(span * colW, Math.max(20, rowH - used), fs, lh, lang) * 1.3
      parts.push(
        `<div class="body" data-fill style="column-count:${span}">${paragraphs(ctx, lang, sources, chars, "news")}</div>`
      )
      articles.push(`<article style="grid-column: span ${span}">${parts.join("")}</article>`)
    }
  }
  const name = rng.pick(NEWSPAPER_NAMES[lang])
  const dateline =
    lang === "en"
      ? `${rng.pick(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])}, ${rng.pick(["March", "May", "June", "October"])} ${rng.int(1, 28)}, ${rng.int(2023, 2026)} · No. ${rng.int(1000, 39999)} · Page ${ctx.pageNumber}`
      : `${rng.int(2023, 2026)}年${rng.int(1, 12)}月${rng.int(1, 28)}日 星期${rng.pick(["一", "二", "三", "四", "五"])} · 第 ${rng.int(1000, 39999)} 期 · 第 ${ctx.pageNumber % 24 || 1} 版`
  const style = `
#page { width: ${W}px; height: ${H}px; padding: ${pad}px; display: flex; flex-direction: column; font-family: ${body.family};
  font-size: ${fs.toFixed(2)}px; line-height: ${lh}; color: #111; background: #${rng.pick(["fff", "fbfaf5", "f7f5ee"])}; }
.mast { height: ${mastH}px; box-sizing: border-box; border-bottom: 3px double #000; text-align: center; }
.mast h1 { font-family: ${head.family}; font-size: ${css(ctx, rng.int(36, 46))}px; line-height: 1.15; font-weight: 900; }
.mast .dateline { font-size: ${css(ctx, rng.range(9, 11))}px; margin-top: 2px; }
#grid { flex: 1; min-height: 0; display: grid; grid-template-columns: repeat(${n}, 1fr); column-gap: ${gap}px;
  row-gap: ${Math.round(fs)}px; grid-template-rows: ${fractions.map((f) => `${f.toFixed(3)}fr`).join(" ")}; margin-top: ${Math.round(fs)}px; }
article { display: flex; flex-direction: column; min-height: 0; min-width: 0; overflow: hidden; border-top: 1px solid #333; padding-top: 3px; }
article h2 { font-family: ${head.family}; line-height: 1.2; font-weight: 800; margin-bottom: 3px; }
.deck { font-size: ${(fs * 1.4).toFixed(2)}px; font-weight: 700; margin-bottom: 3px; }
.byline { font-size: ${(fs * 0.95).toFixed(2)}px; font-style: italic; margin-bottom: 2px; }
.photo { line-height: 0; margin: 2px 0; }
.cap { font-size: ${(fs * 0.9).toFixed(2)}px; color: #333; margin-bottom: 3px; }
.body { flex: 1; min-height: 0; overflow: hidden; column-gap: ${gap}px; column-fill: auto;
  ${rng.chance(0.5) ? "column-rule: 1px solid #aaa;" : ""} }
.body p { text-align: justify; text-indent: ${lang === "en" ? "1em" : "2em"}; margin-bottom: ${rng.pick([0, 0.2, 0.3])}em; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.95em; }`
  const html = doc(
    lang,
    style,
    `<div id="page"><div class="mast"><h1 data-kind="heading" data-level="1">${escapeHtml(name)}</h1><div data-kind="header" class="dateline">${escapeHtml(dateline)}</div></div><div id="grid" data-grid="${n}" data-gap="${gap}">${articles.join("")}</div></div>`
  )
  return {
    html,
    width: W,
    height: H,
    font: body.name,
    columns: n,
    sources: sources.list,
    variant: `${n} columns, ${bodyPx.toFixed(1)} px type`
  }
}

const MAGAZINE_NAMES: Record<PageLanguage, ReadonlyArray<string>> = {
  zh: ["城市画报", "生活周刊", "旅行家", "科学世界"],
  en: ["Horizons", "The Quarterly", "Field Notes", "City Life"],
  mixed: ["Outlook 观察", "城市画报 City Pictorial", "Horizons 视野"]
}

/**
 * `magazine`: a title block, then 2-3 columns of their own text (each ends
 * full); a picture sits in one column or straddles a gutter, and the text of
 * each column it touches flows around it (a float spacer of its size), so the
 * text region of that column is L-shaped or a U on its side.
 */
export const magazine = (ctx: ArchetypeContext): ArchetypeSpec => {
  const { rng } = ctx
  const lang = pickLanguage(rng, [0.3, 0.45, 0.25])
  const sources = new Sources()
  sources.add(OWN)
  const W = 800
  const H = 1080
  const pad = rng.int(40, 56)
  const c = rng.pick([2, 2, 3])
  const gap = rng.int(18, 28)
  const fs = Number(css(ctx, rng.range(13, 16)))
  const lh = rng.pick([1.45, 1.5, 1.6])
  const body = rng.chance(0.6) ? serifFont(rng, lang) : sansFont(rng, lang)
  const head = sansFont(rng, lang)
  const colW = (W - 2 * pad - (c - 1) * gap) / c
  const colLeft = (i: number) => i * (colW + gap)
  // The picture: inside column `at`, on its left or right, or across the gutter after it.
  const straddle = rng.chance(0.5)
  const at = rng.int(0, c - (straddle ? 2 : 1))
  const fw = Math.round(straddle ? rng.range(0.7, 0.95) * colW : rng.range(0.45, 0.62) * colW)
  const side = rng.chance(0.5) ? "left" : "right"
  const fx = Math.round(
    straddle ? colLeft(at + 1) - gap / 2 - fw / 2 : side === "left" ? colLeft(at) : colLeft(at) + colW - fw
  )
  const topPct = rng.range(12, 45)
  const fh = Math.round(rng.range(150, 260))
  const hasCaption = rng.chance(0.7)
  const capFs = fs * 0.82
  const capH = hasCaption ? Math.ceil(capFs * 1.35 * 3) + 4 : 0
  const margin = Math.round(fs * 0.8)
  const spacer = (float: "left" | "right", width: number) =>
    `<div class="sp0" style="float:${float};height:${topPct.toFixed(2)}%"></div><div class="sp1" style="float:${float};clear:${float};width:${Math.round(width)}px;height:${fh + capH + margin}px"></div>`
  const columnsHtml: Array<string> = []
  const pullAt = rng.chance(0.6) ? rng.int(0, c - 1) : -1
  for (let i = 0; i < c; i++) {
    let inner = ""
    if (straddle && i === at) inner += spacer("right", colLeft(at) + colW - fx + margin)
    else if (straddle && i === at + 1) inner += spacer("left", fx + fw - colLeft(at + 1) + margin)
    else if (!straddle && i === at) inner += spacer(side, fw + margin)
    const text = paragraphs(ctx, lang, sources, capacity(colW, 900, fs, lh, lang) * 1.2, "news")
    if (i === pullAt) {
      const quote = escapeHtml(headline(rng, lang))
      const pull = `<p data-kind="paragraph" class="pull">${lang === "en" ? `“${quote}”` : `“${quote}”`}</p>`
      // After the first paragraph, so it sits inside the column's text.
      const cut = text.indexOf("</p>") + 4
      inner += text.slice(0, cut) + pull + text.slice(cut)
    } else inner += text
    columnsHtml.push(`<div class="col" data-fill>${inner}</div>`)
    if (i === at) {
      const caption = hasCaption
        ? `<p data-kind="caption" class="cap">${escapeHtml(rng.chance(0.5) ? headline(rng, lang) : lang === "en" ? `Photo: ${headline(rng, lang)}` : `图：${headline(rng, lang)}`)}</p>`
        : ""
      columnsHtml.push(
        `<div class="fig" style="left:${fx}px;top:${topPct.toFixed(2)}%;width:${fw}px"><div data-kind="figure" class="pic">${photoSvg(rng, fw, fh)}</div>${caption}</div>`
      )
    }
  }
  const mag = rng.pick(MAGAZINE_NAMES[lang])
  const kicker =
    lang === "en"
      ? rng.pick(["FEATURE", "TRAVEL", "SCIENCE", "CITY LIFE"])
      : rng.pick(["专题", "旅行", "科学", "城市生活"])
  const en = lang === "en"
  const style = `
#page { width: ${W}px; height: ${H}px; padding: ${pad}px ${pad}px ${Math.round(pad * 0.7)}px; display: flex; flex-direction: column;
  font-family: ${body.family}; font-size: ${fs.toFixed(2)}px; line-height: ${lh}; color: #1a1a1a; }
.kicker { font-family: ${head.family}; font-size: ${(fs * 0.85).toFixed(2)}px; letter-spacing: 0.12em; color: #b03020; font-weight: 700; }
h1 { font-family: ${head.family}; font-size: ${(fs * rng.range(2.3, 3)).toFixed(2)}px; line-height: 1.15; font-weight: 800; margin: 4px 0 8px; }
.dek { font-size: ${(fs * 1.2).toFixed(2)}px; color: #444; margin-bottom: 6px; }
.byline { font-family: ${head.family}; font-size: ${(fs * 0.85).toFixed(2)}px; color: #666; margin-bottom: ${Math.round(fs)}px; }
#grid { position: relative; flex: 1; min-height: 0; display: flex; gap: ${gap}px; }
.col { flex: 1; min-width: 0; height: 100%; overflow: hidden; }
.col p { text-align: ${rng.pick(["justify", "left"])}; text-indent: ${en ? "1.2em" : "2em"}; margin-bottom: 0.5em; }
.col p.pull { font-family: ${head.family}; font-size: ${(fs * 1.35).toFixed(2)}px; line-height: 1.3; font-weight: 700; color: #b03020;
  text-indent: 0; border-top: 2px solid #b03020; border-bottom: 2px solid #b03020; padding: 6px 0; margin: 8px 0 10px; text-align: left; }
.fig { position: absolute; }
.pic { line-height: 0; }
.cap { font-size: ${capFs.toFixed(2)}px; line-height: 1.35; color: #555; margin-top: 3px; font-style: italic; }
.foot { font-family: ${head.family}; font-size: ${(fs * 0.8).toFixed(2)}px; color: #777; display: flex; justify-content: space-between; margin-top: 8px; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.92em; }`
  const title = headline(rng, lang)
  const html = doc(
    lang,
    style,
    `<div id="page"><div data-kind="header" class="kicker">${escapeHtml(kicker)}</div><h1 data-kind="heading" data-level="1">${escapeHtml(title)}</h1><p data-kind="paragraph" class="dek">${escapeHtml(headline(rng, lang))}</p><p data-kind="paragraph" class="byline">${escapeHtml(en ? `Words by ${personName(rng, "en")}` : `文 / ${personName(rng, "zh")}`)}</p><div id="grid" data-grid="${c}" data-gap="${gap}">${columnsHtml.join("")}</div><div class="foot"><span data-kind="footer">${escapeHtml(mag)}</span><span data-kind="page-number">${ctx.pageNumber}</span></div></div>`
  )
  return {
    html,
    width: W,
    height: H,
    font: body.name,
    columns: c,
    sources: sources.list,
    variant: `${c} columns, picture ${straddle ? "across a gutter" : `in a column (${side})`}`
  }
}

/** `paper`: running head, full-width title, authors, abstract and keywords, then two columns. */
export const paper = (ctx: ArchetypeContext): ArchetypeSpec => {
  const { rng } = ctx
  const lang = pickLanguage(rng, [0.35, 0.45, 0.2])
  const en = lang === "en"
  const sources = new Sources()
  sources.add(OWN)
  const W = 800
  const H = 1130
  const pad = rng.int(48, 64)
  const gap = rng.int(20, 30)
  const fs = Number(css(ctx, rng.range(12, 15)))
  const lh = rng.pick([1.35, 1.45, 1.5])
  const body = serifFont(rng, lang)
  const head = rng.chance(0.5) ? sansFont(rng, lang) : body
  const colW = (W - 2 * pad - gap) / 2
  const authors = Array.from({ length: rng.int(2, 5) }, () => personName(rng, en ? "en" : "zh"))
  const sectionNames = PAPER_SECTIONS[en ? "en" : "zh"]
  const flow: Array<string> = []
  let section = rng.int(1, 3)
  let sub = 0
  for (let k = 0; k < 14; k++) {
    const r = rng.next()
    if (k === 0 || r < 0.15) {
      flow.push(
        `<h2 data-kind="heading" data-level="2">${section} ${escapeHtml(sectionNames[(section - 1) % sectionNames.length]!)}</h2>`
      )
      section++
      sub = 0
    } else if (r < 0.25) {
      sub++
      flow.push(
        `<h3 data-kind="heading" data-level="3">${section - 1}.${sub} ${escapeHtml(headline(rng, lang).slice(0, 40))}</h3>`
      )
    } else if (r < 0.33) {
      const table = makeTable(rng)
      flow.push(
        `<div class="float"><p data-kind="caption" class="cap">${escapeHtml(en ? `Table ${rng.int(1, 6)}: Results on each subset.` : `表 ${rng.int(1, 6)} 各子集上的结果`)}</p><table data-kind="table">${table.rows
          .map(
            (row, i) =>
              `<tr>${row.map((cell) => (i === 0 ? `<th>${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`)).join("")}</tr>`
          )
          .join("")}</table></div>`
      )
    } else if (r < 0.4) {
      flow.push(
        `<div class="float"><div data-kind="figure" class="figure">${figureSvg(rng, Math.floor(colW))}</div><p data-kind="caption" class="cap">${escapeHtml(en ? `Figure ${rng.int(1, 6)}: Accuracy against glyph height.` : `图 ${rng.int(1, 6)} 不同字符高度下的准确率`)}</p></div>`
      )
    }
    flow.push(paragraphs(ctx, lang, sources, capacity(colW, 160, fs, lh, lang), "paper"))
  }
  const keywords = en
    ? "Keywords: OCR; reading order; document layout; text detection"
    : "关键词：文字识别；阅读顺序；版面分析；文本检测"
  const runningHead = en
    ? `Journal of Document Analysis, Vol. ${rng.int(3, 40)}, No. ${rng.int(1, 12)}, ${rng.int(2019, 2026)}`
    : `文档分析学报 ${rng.int(2019, 2026)}年 第${rng.int(3, 40)}卷 第${rng.int(1, 12)}期`
  const style = `
#page { width: ${W}px; height: ${H}px; padding: ${Math.round(pad * 0.6)}px ${pad}px ${Math.round(pad * 0.6)}px; display: flex; flex-direction: column;
  font-family: ${body.family}; font-size: ${fs.toFixed(2)}px; line-height: ${lh}; color: #000; }
.rh { font-size: ${(fs * 0.8).toFixed(2)}px; color: #444; border-bottom: 1px solid #666; padding-bottom: 2px; margin-bottom: ${Math.round(fs * 1.2)}px; }
h1 { font-family: ${head.family}; font-size: ${(fs * rng.range(1.6, 2.1)).toFixed(2)}px; line-height: 1.25; text-align: center; font-weight: 700; margin-bottom: 8px; }
.authors { text-align: center; font-size: ${(fs * 1.05).toFixed(2)}px; }
.aff { text-align: center; font-size: ${(fs * 0.85).toFixed(2)}px; font-style: italic; color: #333; margin-bottom: 10px; }
.abs { margin: 0 ${rng.int(0, 40)}px ${Math.round(fs)}px; }
.abs h2 { font-size: ${(fs * 1.05).toFixed(2)}px; text-align: ${rng.pick(["center", "left"])}; margin-bottom: 3px; }
.abs p { text-align: justify; font-size: ${(fs * 0.92).toFixed(2)}px; }
.abs p.kw { margin-top: 4px; }
#grid { flex: 1; min-height: 0; column-count: 2; column-gap: ${gap}px; column-fill: auto; overflow: hidden; }
#grid h2 { font-family: ${head.family}; font-size: ${(fs * 1.2).toFixed(2)}px; margin: 0.5em 0 0.3em; break-after: avoid; }
#grid h3 { font-family: ${head.family}; font-size: ${(fs * 1.05).toFixed(2)}px; margin: 0.4em 0 0.2em; break-after: avoid; }
#grid p { text-align: justify; text-indent: ${en ? "1em" : "2em"}; margin-bottom: 0.3em; }
.float { break-inside: avoid; margin: 0.4em 0 0.6em; }
.figure { line-height: 0; text-align: center; }
p.cap { font-size: ${(fs * 0.85).toFixed(2)}px; text-align: center; text-indent: 0 !important; margin: 3px 0; }
table { border-collapse: collapse; width: 100%; font-size: ${(fs * 0.82).toFixed(2)}px; border-top: 1.5px solid #000; border-bottom: 1.5px solid #000; }
th { border-bottom: 1px solid #000; font-weight: 700; text-align: left; padding: 1px 3px; }
td { padding: 1px 3px; }
.pn { text-align: center; font-size: ${(fs * 0.85).toFixed(2)}px; margin-top: 6px; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; }`
  const html = doc(
    lang,
    style,
    `<div id="page"><div data-kind="header" class="rh">${escapeHtml(runningHead)}</div><h1 data-kind="heading" data-level="1">${escapeHtml(paperTitle(rng, lang))}</h1><p data-kind="paragraph" class="authors">${escapeHtml(authors.join(en ? ", " : "  "))}</p><p data-kind="paragraph" class="aff">${escapeHtml(en ? `School of Computer Science, University of ${rng.pick(["Leeds", "Porto", "Turin", "Osaka"])}` : `${rng.pick(["北京", "南京", "武汉", "成都"])}大学 计算机学院`)}</p><div class="abs"><h2 data-kind="heading" data-level="2">${en ? "Abstract" : "摘要"}</h2><p data-kind="paragraph">${escapeHtml(paperParagraph(rng, lang))}</p><p data-kind="paragraph" class="kw">${escapeHtml(keywords)}</p></div><div id="grid" data-grid="2" data-gap="${gap}" data-fill>${flow.join("")}</div><div data-kind="page-number" class="pn">${ctx.pageNumber}</div></div>`
  )
  return { html, width: W, height: H, font: body.name, columns: 2, sources: sources.list, variant: "two columns" }
}

/** An answer blank is a rule to write on, not text: `____` becomes an empty underlined box. */
const blank = (s: string): string => escapeHtml(s).replace(/\s*_{3,}/g, '<span class="blank"></span>')

const CIRCLED = ["①", "②", "③", "④", "⑤", "⑥"]

/** `textbook`: a section with explanations, an example, a boxed note, then numbered exercises. */
export const textbook = (ctx: ArchetypeContext): ArchetypeSpec => {
  const { rng } = ctx
  const lang = pickLanguage(rng, [0.5, 0.3, 0.2])
  const en = lang === "en"
  const W = 800
  const H = 1100
  const pad = rng.int(48, 64)
  const fs = Number(css(ctx, rng.range(15, 19)))
  const lh = rng.pick([1.6, 1.7, 1.8])
  const body = rng.chance(0.5) ? serifFont(rng, lang) : sansFont(rng, lang)
  const head = sansFont(rng, lang)
  const prose = TEXTBOOK_PROSE[en ? "en" : "zh"]
  const chapter = rng.int(1, 9)
  const sec = rng.int(1, 6)
  const parts: Array<string> = []
  const used = new Set<string>()
  const proseOnce = () => {
    let p = rng.pick(prose)
    for (let i = 0; used.has(p) && i < 10; i++) p = rng.pick(prose)
    used.add(p)
    return p
  }
  parts.push(
    `<h2 data-kind="heading" data-level="2">${chapter}.${sec} ${escapeHtml(en ? rng.pick(["Linear equations", "Fractions", "Area and perimeter", "Percentages", "Speed and time"]) : rng.pick(["一元一次方程", "分数的加减法", "长方形的面积", "百分数", "行程问题"]))}</h2>`
  )
  parts.push(`<p data-kind="paragraph">${escapeHtml(proseOnce())}</p>`)
  parts.push(
    `<p data-kind="paragraph"><b>${en ? "Example 1" : "例 1"}</b>　${escapeHtml(wordProblem(rng, lang))}</p>`,
    `<p data-kind="paragraph">${escapeHtml(proseOnce())}</p>`
  )
  const note = `<div class="note"><h3 data-kind="heading" data-level="3">${escapeHtml(en ? rng.pick(["Note", "Remember", "Think about it"]) : rng.pick(["注意", "知识点", "想一想"]))}</h3><p data-kind="paragraph">${escapeHtml(proseOnce())}</p></div>`
  parts.push(note)
  parts.push(
    `<h2 data-kind="heading" data-level="2">${en ? `Exercises ${chapter}.${sec}` : `习题 ${chapter}.${sec}`}</h2>`
  )
  let item = 1
  for (let k = 0; k < 12; k++) {
    const r = rng.next()
    if (r < 0.35) {
      const subs = Array.from({ length: rng.pick([2, 4, 4, 6]) }, (_, i) => `(${i + 1}) ${mathItem(rng)}`)
      const grid = rng.chance(0.6)
      parts.push(
        `<p data-kind="list-item">${item++}. ${escapeHtml(en ? "Solve:" : rng.pick(["解下列方程：", "计算："]))}</p><div class="${grid ? "subs grid" : "subs"}">${subs
          .map((s) => `<p data-kind="list-item">${blank(s)}</p>`)
          .join("")}</div>`
      )
    } else if (r < 0.6) {
      const answer = rng.int(5, 60)
      const options = ["A", "B", "C", "D"].map((l, i) => `${l}. ${answer + (i - rng.int(0, 3)) * rng.int(2, 6)}`)
      parts.push(
        `<p data-kind="list-item">${item++}. ${escapeHtml(wordProblem(rng, lang))}</p><p data-kind="list-item" class="choices">${options
          .map((o) => `<span data-line>${escapeHtml(o)}</span>`)
          .join("")}</p>`
      )
    } else if (r < 0.8) {
      const circled = Array.from(
        { length: rng.int(2, 4) },
        (_, i) => `${CIRCLED[i]} ${escapeHtml(wordProblem(rng, lang))}`
      )
      parts.push(
        `<p data-kind="list-item">${item++}. ${escapeHtml(en ? "Answer each question." : "回答下列问题。")}</p><div class="subs">${circled
          .map((s) => `<p data-kind="list-item">${s}</p>`)
          .join("")}</div>`
      )
    } else {
      parts.push(`<p data-kind="list-item">${item++}. ${escapeHtml(wordProblem(rng, lang))}</p>`)
    }
  }
  const accent = rng.pick(["#2a6fb0", "#2f8f5b", "#c0602a", "#7a4fb0"])
  const style = `
#page { width: ${W}px; height: ${H}px; padding: ${Math.round(pad * 0.6)}px ${pad}px; display: flex; flex-direction: column;
  font-family: ${body.family}; font-size: ${fs.toFixed(2)}px; line-height: ${lh}; color: #111; }
.hd { font-family: ${head.family}; font-size: ${(fs * 0.75).toFixed(2)}px; color: ${accent}; border-bottom: 2px solid ${accent}; margin-bottom: ${Math.round(fs)}px; display: flex; justify-content: space-between; }
#content { flex: 1; min-height: 0; overflow: hidden; }
h2 { font-family: ${head.family}; font-size: ${(fs * 1.3).toFixed(2)}px; color: ${accent}; margin: 0.5em 0 0.3em; }
h3 { font-family: ${head.family}; font-size: ${(fs * 1.0).toFixed(2)}px; color: ${accent}; margin-bottom: 0.2em; }
p { margin-bottom: 0.35em; text-indent: ${en ? "0" : "2em"}; }
p[data-kind="list-item"] { text-indent: 0; }
.note { border: 1.5px solid ${accent}; background: ${rng.pick(["#f3f8fd", "#fdf8ef", "#f4fbf5", "#fff"])}; border-radius: 6px; padding: 6px 12px; margin: 0.6em 0; }
.note p { text-indent: 0; margin: 0; }
.subs { padding-left: 2em; }
.subs.grid { display: grid; grid-template-columns: 1fr 1fr; column-gap: 2em; }
.choices { padding-left: 2em; display: flex; gap: 3em; }
.blank { display: inline-block; width: 4em; border-bottom: 1px solid currentColor; margin-left: 0.4em; height: 1em; }
.pn { text-align: ${rng.pick(["center", "right"])}; font-size: ${(fs * 0.8).toFixed(2)}px; margin-top: 6px; }`
  const subject = en
    ? "Mathematics · Grade 7"
    : rng.pick(["数学 · 七年级 上册", "数学 · 五年级 下册", "数学 · 八年级 上册"])
  const html = doc(
    lang,
    style,
    `<div id="page"><div class="hd"><span data-kind="header">${escapeHtml(subject)}</span><span data-kind="header">${escapeHtml(en ? `Chapter ${chapter}` : `第${"一二三四五六七八九"[chapter - 1]}章`)}</span></div><div id="content" data-fill>${parts.join("")}</div><div data-kind="page-number" class="pn">${ctx.pageNumber}</div></div>`
  )
  return { html, width: W, height: H, font: body.name, columns: 1, sources: [OWN], variant: "exercises" }
}

const SLIDE_THEMES = [
  { bg: "#ffffff", fg: "#1d1d1f", accent: "#0b63c5", bar: "#0b63c5", barText: "#ffffff" },
  { bg: "#1e2430", fg: "#f2f2f2", accent: "#f2b134", bar: "#2d3545", barText: "#f2f2f2" },
  { bg: "#f6f3ea", fg: "#2b2b2b", accent: "#b5432c", bar: "#f6f3ea", barText: "#b5432c" },
  { bg: "#0f4c5c", fg: "#ffffff", accent: "#ffd166", bar: "#0f4c5c", barText: "#ffffff" }
]

/** `slide`: 16:9, a title (in a bar or not), bullets, sometimes a chart beside them, a footer. */
export const slide = (ctx: ArchetypeContext): ArchetypeSpec => {
  const { rng } = ctx
  const lang = pickLanguage(rng, [0.35, 0.35, 0.3])
  const en = lang === "en"
  const W = 1024
  const H = 576
  const theme = rng.pick(SLIDE_THEMES)
  const font = sansFont(rng, lang)
  const layout = rng.pick(["bullets", "bullets+chart", "bullets+chart", "chart", "title"] as const)
  const titleFs = rng.int(30, 42)
  const fs = rng.int(18, 24)
  const bullets: Array<string> = []
  for (let i = 0; i < rng.int(3, 6); i++) {
    bullets.push(`<p data-kind="list-item" class="b">• ${escapeHtml(headline(rng, lang))}</p>`)
    if (rng.chance(0.25)) bullets.push(`<p data-kind="list-item" class="b2">– ${escapeHtml(headline(rng, lang))}</p>`)
  }
  const chartW = layout === "chart" ? 620 : 400
  const chart = `<div class="chart"><div data-kind="figure" class="fig">${figureSvg(rng, chartW).replace(/height="\d+"/, `height="${layout === "chart" ? 300 : 260}"`)}</div><p data-kind="caption" class="cap">${escapeHtml(en ? rng.pick(["Revenue by quarter ($m)", "Users per month (thousands)", "Error rate by page type"]) : rng.pick(["各季度销售额（万元）", "每月活跃用户（千人）", "不同页面类型的错误率"]))}</p></div>`
  const title = `<h1 data-kind="heading" data-level="1">${escapeHtml(headline(rng, lang))}</h1>`
  let main: string
  if (layout === "title")
    main = `<div class="cover">${title}<p data-kind="paragraph" class="sub">${escapeHtml(headline(rng, lang))}</p><p data-kind="paragraph" class="who">${escapeHtml(`${personName(rng, en ? "en" : "zh")} · ${en ? "May 2025" : "2025 年 5 月"}`)}</p></div>`
  else if (layout === "chart") main = `<div class="bar">${title}</div><div class="area center">${chart}</div>`
  else if (layout === "bullets")
    main = `<div class="bar">${title}</div><div class="area"><div class="bl" data-fill>${bullets.join("")}</div></div>`
  else
    main = `<div class="bar">${title}</div><div class="area two"><div class="bl" data-fill>${bullets.join("")}</div>${chart}</div>`
  const style = `
#page { width: ${W}px; height: ${H}px; display: flex; flex-direction: column; font-family: ${font.family}; color: ${theme.fg}; background: ${theme.bg}; }
.bar { background: ${theme.bar}; color: ${theme.barText}; padding: 22px 48px 16px; }
h1 { font-size: ${titleFs}px; line-height: 1.2; font-weight: 700; }
.area { flex: 1; min-height: 0; padding: 24px 48px 8px; display: flex; gap: 32px; }
.area.center { justify-content: center; }
.bl { flex: 1; min-width: 0; overflow: hidden; }
.b { font-size: ${fs}px; line-height: 1.35; margin-bottom: 0.45em; }
.b2 { font-size: ${Math.round(fs * 0.85)}px; line-height: 1.35; margin: -0.2em 0 0.45em 1.6em; opacity: 0.85; }
.chart { flex: none; }
.fig { line-height: 0; }
.cap { font-size: ${Math.round(fs * 0.7)}px; text-align: center; margin-top: 4px; }
.cover { flex: 1; display: flex; flex-direction: column; justify-content: center; padding: 0 80px; border-left: 14px solid ${theme.accent}; }
.cover h1 { font-size: ${titleFs + 10}px; color: ${theme.accent}; }
.sub { font-size: ${fs + 4}px; margin-top: 12px; }
.who { font-size: ${fs - 2}px; margin-top: 28px; opacity: 0.8; }
.ft { display: flex; justify-content: space-between; font-size: 13px; padding: 6px 48px 12px; opacity: 0.75; }`
  const html = doc(
    lang,
    style,
    `<div id="page">${main}<div class="ft"><span data-kind="footer">${escapeHtml(en ? rng.pick(["Acme Corp · Confidential", "Quarterly review", "Product update"]) : rng.pick(["内部资料 请勿外传", "季度经营分析", "产品发布会"]))}</span><span data-kind="page-number">${(ctx.pageNumber % 40) + 1}</span></div></div>`
  )
  return { html, width: W, height: H, font: font.name, columns: 1, sources: [OWN], variant: layout }
}
