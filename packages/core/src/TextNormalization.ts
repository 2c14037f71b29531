/**
 * Tidying recognised text the same way whatever backend read it: the spaces
 * Tesseract puts between Chinese characters go, punctuation takes the width of
 * the language around it (，。：；？！（） next to Chinese, , . : ; ? ! ( ) in
 * English and numbers), English words keep one space between them. Decimals
 * (3.2), thousands (1,000), times (10:51), list numbers (1.), URLs, e-mail
 * addresses and ellipses (...) are left alone. The pipeline applies it to every
 * recognised line (`PipelineOptions.normalize`); it is pure and works on
 * single lines.
 *
 * `normalizeChars` does the same on a recogniser's characters, so their
 * positions stay with them: each output character is an input character,
 * possibly with another width, and dropped spaces are dropped.
 *
 * @since 0.1.0
 */
import type { RecognizedText } from "./TextRecognizer.ts"

type Kind = "han" | "fullPunct" | "letter" | "digit" | "space" | "other"

const HAN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u3007]/u
/** Full-width and CJK punctuation: it carries its own spacing. */
const FULL_PUNCT =
  /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2026\u2014]/u

/** Half-width punctuation and its full-width form. */
const TO_FULL: Readonly<Record<string, string>> = {
  ",": "，",
  ".": "。",
  ":": "：",
  ";": "；",
  "?": "？",
  "!": "！",
  "(": "（",
  ")": "）"
}
const TO_HALF: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(TO_FULL).map(([half, full]) => [full, half])
)

/** Curly quotes and dashes are full-width only beside Chinese; in English they are ordinary. */
const AMBIGUOUS = /[\u2018\u2019\u201c\u201d\u2026\u2014]/u

const kindOf = (ch: string | undefined): Kind => {
  if (ch === undefined || ch.length === 0) return "other"
  if (/^\s+$/u.test(ch)) return "space"
  if (HAN.test(ch)) return "han"
  if (/\p{Nd}/u.test(ch)) return "digit"
  if (/\p{L}/u.test(ch)) return "letter"
  if (FULL_PUNCT.test(ch) && !AMBIGUOUS.test(ch)) return "fullPunct"
  return "other"
}

/** Full-width letters and digits (ＡＢ１２) and the ideographic space as ASCII. */
const toAscii = (text: string): string =>
  text.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\uff05]/gu, (ch) =>
    ch === "\u3000" ? " " : String.fromCharCode(ch.charCodeAt(0) - 0xfee0)
  )

const URL_LIKE =
  /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s\u3000-\u303f\uff00-\uffef\p{Script=Han}]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/giu

/** Indices (in characters) of the parts of `chars` that are URLs or e-mail addresses. */
const protectedIndices = (chars: ReadonlyArray<string>): ReadonlySet<number> => {
  const text = chars.join("")
  const starts: Array<number> = []
  let offset = 0
  for (const ch of chars) {
    starts.push(offset)
    offset += ch.length
  }
  const out = new Set<number>()
  for (const match of text.matchAll(URL_LIKE)) {
    // A URL at the end of a sentence does not own the sentence's full stop.
    const body = match[0].replace(/[.,:;!?)]+$/u, "")
    const from = match.index
    const to = from + body.length
    starts.forEach((start, i) => {
      if (start >= from && start < to) out.add(i)
    })
  }
  return out
}

/**
 * The normalised characters of a line. Each element is one recognised
 * character (usually one code point); the result keeps the elements that
 * survive, with their text replaced where the width changes.
 */
export const normalizeChars = <A extends { readonly text: string }>(input: ReadonlyArray<A>): Array<A> => {
  const items = input.map((item) => ({ item, text: toAscii(item.text).replace(/\s+/gu, " ") }))
  const texts = items.map((x) => x.text)
  const kinds = texts.map((t) => (t === " " ? "space" : kindOf(t)))
  const shielded = protectedIndices(texts)
  const n = items.length

  /** The nearest index left (`step` -1) or right (+1) of `i` that is not a space. */
  const near = (i: number, step: 1 | -1): number => {
    let j = i + step
    while (j >= 0 && j < n && kinds[j] === "space") j += step
    return j
  }
  /** The script beside `i`, skipping spaces, digits and symbols: "han", "latin" or "none". */
  const scriptBeside = (i: number, step: 1 | -1): "han" | "latin" | "none" => {
    for (let j = i + step; j >= 0 && j < n; j += step) {
      const kind = kinds[j]
      if (kind === "han" || kind === "fullPunct") return "han"
      if (kind === "letter") return "latin"
    }
    return "none"
  }
  const lineHasHan = kinds.includes("han")
  const isAlnum = (i: number) => kinds[i] === "letter" || kinds[i] === "digit"
  /** True when `i` ends a run of digits that starts the line: a list number such as "1." */
  const endsLeadingNumber = (i: number) => {
    if (kinds[i] !== "digit") return false
    let j = i
    while (j >= 0 && kinds[j] === "digit") j--
    return near(j + 1, -1) < 0
  }

  // Brackets are decided in pairs: full-width when Chinese is inside or right outside.
  const pairOf = new Map<number, number>()
  const open: Array<number> = []
  texts.forEach((t, i) => {
    if (t === "(" || t === "（") open.push(i)
    else if (t === ")" || t === "）") {
      const start = open.pop()
      if (start !== undefined) {
        pairOf.set(start, i)
        pairOf.set(i, start)
      }
    }
  })
  const bracketIsChinese = (i: number): boolean => {
    const other = pairOf.get(i)
    const [start, end] = other === undefined ? [i, i] : [Math.min(i, other), Math.max(i, other)]
    const inside = kinds.slice(start + 1, end)
    if (inside.some((k) => k === "han" || k === "fullPunct")) return true
    if (scriptBeside(start, -1) === "han" || scriptBeside(end, 1) === "han") return true
    if (other === undefined) return scriptBeside(i, texts[i] === "(" || texts[i] === "（" ? 1 : -1) === "han"
    return false
  }

  /** The width punctuation at `i` should have: "full", "half" or undefined (leave it). */
  const widthAt = (i: number): "full" | "half" | undefined => {
    const t = texts[i]!
    if (TO_FULL[t] === undefined && TO_HALF[t] === undefined) return undefined
    if (shielded.has(i)) return "half"
    const half = TO_HALF[t] ?? t
    if (half === "(" || half === ")") return bracketIsChinese(i) ? "full" : "half"
    // Runs of stops or other marks ("...", "?!") are left as they are.
    const prev = texts[i - 1]
    const next = texts[i + 1]
    if (
      prev !== undefined &&
      (TO_FULL[prev] !== undefined || TO_HALF[prev] !== undefined) &&
      prev !== ")" &&
      prev !== "）"
    ) {
      return undefined
    }
    if (
      next !== undefined &&
      (TO_FULL[next] !== undefined || TO_HALF[next] !== undefined) &&
      next !== "(" &&
      next !== "（"
    ) {
      return undefined
    }
    // 3.2, 1,000, 10:51, a.b: inside a number or a name.
    if ((half === "." || half === "," || half === ":") && isAlnum(i - 1) && isAlnum(i + 1)) {
      if (kinds[i - 1] === "digit" && kinds[i + 1] === "digit") return "half"
      if (kinds[i - 1] === "letter" && kinds[i + 1] === "letter") return "half"
    }
    if (half === "." && endsLeadingNumber(i - 1)) return "half"
    const left = scriptBeside(i, -1)
    const right = scriptBeside(i, 1)
    // A mark ends the clause on its left; a comma, semicolon or colon after an
    // English word also opens the Chinese clause on its right.
    const chosen =
      left === "han"
        ? "full"
        : left === "latin"
          ? right === "han" && (half === "," || half === ";" || half === ":")
            ? "full"
            : "half"
          : right === "han"
            ? "full"
            : right === "latin"
              ? "half"
              : undefined
    // A full-width mark after English in a line with Chinese may well be
    // right ("我喜欢Python。"): only a line without Chinese makes it half-width.
    if (chosen === "half" && TO_HALF[t] !== undefined && lineHasHan) return undefined
    return chosen
  }

  const widths = texts.map((_, i) => widthAt(i))
  const finalText = texts.map((t, i) => {
    const width = widths[i]
    if (width === "full") return TO_FULL[t] ?? t
    if (width === "half") return TO_HALF[t] ?? t
    return t
  })
  const finalKinds = finalText.map((t, i) => (kinds[i] === "space" ? "space" : kindOf(t)))

  const chineseSide = (i: number, step: 1 | -1): boolean => {
    const j = near(i, step)
    if (j < 0 || j >= n) return false
    const kind = finalKinds[j]
    if (kind === "han" || kind === "fullPunct") return true
    // Quotes, dashes and slashes between Chinese count as Chinese: “你好”, 信息/参数.
    if (kind === "other") {
      let k = j
      while (k >= 0 && k < n && finalKinds[k] === "other") k += step
      if (k >= 0 && k < n && finalKinds[k] === "space") k = near(k - step, step)
      return k >= 0 && k < n && (finalKinds[k] === "han" || finalKinds[k] === "fullPunct")
    }
    return false
  }

  const keep = finalText.map((t, i) => {
    if (finalKinds[i] !== "space") return true
    const prev = near(i, -1)
    const next = near(i, 1)
    // Leading, trailing and repeated spaces.
    if (prev < 0 || next >= n || kinds[i - 1] === "space") return false
    if (finalKinds[prev] === "fullPunct" || finalKinds[next] === "fullPunct") return false
    if (chineseSide(i, -1) && chineseSide(i, 1)) return false
    // "2018 年 4 月": Chinese sets numbers without spaces.
    const pair = `${finalKinds[prev]}-${finalKinds[next]}`
    if (pair === "digit-han" || pair === "han-digit") return false
    // "word ," and "( word )": no space before closing or after opening marks.
    const after = finalText[next]!
    if (/^[,;:?!)%]$/u.test(after)) return false
    if (after === "." && (next + 1 >= n || finalKinds[next + 1] === "space")) return false
    if (finalText[prev] === "(") return false
    return t.length > 0
  })

  const out: Array<A> = []
  items.forEach(({ item }, i) => {
    if (!keep[i]) return
    const text = finalKinds[i] === "space" ? " " : finalText[i]!
    out.push(text === item.text ? item : { ...item, text })
  })
  return out
}

/** The normalised form of one line of text. */
export const normalize = (text: string): string =>
  normalizeChars([...text].map((ch) => ({ text: ch })))
    .map((c) => c.text)
    .join("")

/**
 * A recognised line with normalised text. Its characters are normalised with
 * it when they spell its text; otherwise they are kept as they were.
 */
export const normalizeRecognized = (recognized: RecognizedText): RecognizedText => {
  const chars = recognized.chars
  if (chars !== undefined && chars.length > 0 && chars.map((c) => c.text).join("") === recognized.text) {
    const normalized = normalizeChars(chars)
    return { ...recognized, text: normalized.map((c) => c.text).join(""), chars: normalized }
  }
  return { ...recognized, text: normalize(recognized.text) }
}
