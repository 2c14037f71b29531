/** Text and attribute values escaped for XML and HTML. */

/** Whether XML 1.0 allows a code point (tab, newline, carriage return and the printable planes; no lone surrogates). */
const allowed = (cp: number): boolean =>
  cp === 0x9 ||
  cp === 0xa ||
  cp === 0xd ||
  (cp >= 0x20 && cp <= 0xd7ff) ||
  (cp >= 0xe000 && cp <= 0xfffd) ||
  cp >= 0x10000

/** Characters XML cannot carry, replaced by U+FFFD. */
const xmlSafe = (text: string): string =>
  Array.from(text, (ch) => (allowed(ch.codePointAt(0)!) ? ch : "\uFFFD")).join("")

/** Escape text content (and attribute values: quotes are escaped too). */
export const escapeXml = (text: string): string =>
  xmlSafe(text)

    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")

/** A number with at most two decimals, as XML attributes and hOCR titles write it. */
export const decimal = (n: number): string => String(Math.round(n * 100) / 100)

/** The language of a line for `lang` attributes: Chinese where Han characters are, else English. */
export const languageOf = (script: string): string | undefined =>
  script === "han" ? "zh" : script === "latin" ? "en" : script === "mixed" ? "zh" : undefined
