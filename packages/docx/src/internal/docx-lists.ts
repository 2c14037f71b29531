/**
 * List-item blocks as Word lists: a numbering definition per kind of marker
 * (bullet, "1.", "(1)", "一、", "①"...) and start number, a fresh instance for
 * each run of consecutive items so numbering restarts where the page's does,
 * and the marker taken off the text since Word draws it.
 */
import type { Document } from "@ocr2word/core"
import { AlignmentType, type ILevelsOptions, LevelFormat } from "docx"

const formats = {
  bullet: LevelFormat.BULLET,
  decimal: LevelFormat.DECIMAL,
  "decimal-paren": LevelFormat.DECIMAL,
  chinese: LevelFormat.CHINESE_COUNTING,
  circled: LevelFormat.DECIMAL_ENCLOSED_CIRCLE,
  "lower-letter": LevelFormat.LOWER_LETTER,
  "upper-letter": LevelFormat.UPPER_LETTER
} as const

/** The level text of a marker: its number replaced by the placeholder ("1)" -> "%1)", "（2）" -> "（%1）"). */
export const levelText = (list: Document.ListInfo, level: number): string => {
  // Small or typed bullets (a middle dot, a hyphen, an asterisk) print as Word's round bullet.
  if (list.format === "bullet") return /^[•·*\-–—⁃‣●]$/u.test(list.marker) ? "•" : list.marker
  if (list.format === "circled") return `%${level + 1}`
  const placeholder = `%${level + 1}`
  const re =
    list.format === "chinese" ? /[一二三四五六七八九十]+/u : list.format.endsWith("letter") ? /[A-Za-z]/u : /\d+/u
  return list.marker.replace(re, placeholder)
}

/** Numbering definitions collected while the document is written. */
export class ListNumbering {
  private readonly configs = new Map<string, { reference: string; levels: Array<ILevelsOptions> }>()
  private instance = 0
  private current: { readonly key: string; readonly reference: string } | undefined

  /** The paragraph numbering of a list item; `continues` when the previous block was an item of the same list. */
  numberingOf(list: Document.ListInfo, continues: boolean): { reference: string; level: number; instance: number } {
    const level = Math.max(0, Math.min(8, Math.round(list.level)))
    const key = `${list.format}|${levelText(list, 0)}`
    if (continues && this.current?.key === key) {
      return { reference: this.current.reference, level, instance: this.instance }
    }
    // A new list: numbering starts at the item's own number (a list may go on from a previous page).
    const configKey = `${key}|${list.number}`
    let config = this.configs.get(configKey)
    if (config === undefined) {
      config = {
        reference: `ocr2word-list-${this.configs.size + 1}`,
        levels: Array.from({ length: 9 }, (_, l) => ({
          level: l,
          format: formats[list.format],
          text: levelText(list, l),
          start: l === 0 ? list.number : 1,
          alignment: AlignmentType.LEFT,
          style: { paragraph: { indent: { left: 420 * (l + 1), hanging: 420 } } }
        }))
      }
      this.configs.set(configKey, config)
    }
    this.instance++
    this.current = { key, reference: config.reference }
    return { reference: config.reference, level, instance: this.instance }
  }

  /** The `numbering` option of the docx File. */
  config(): { config: Array<{ reference: string; levels: Array<ILevelsOptions> }> } {
    return { config: [...this.configs.values()] }
  }
}

/** A line's text without the list marker it starts with. */
export const stripMarker = (text: string, list: Document.ListInfo): string => {
  const t = text.trimStart()
  return t.startsWith(list.marker) ? t.slice(list.marker.length).trimStart() : t
}
