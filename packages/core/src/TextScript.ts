/**
 * Classifying text by script: Han (Chinese) characters, Latin letters and
 * digits, or a mix of both. Writers use it to choose fonts; normalisation uses
 * it to decide spacing and punctuation width.
 *
 * @since 0.1.0
 */
import type { ScriptMix } from "./Document.ts"

const HAN = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u
const LATIN = /[\p{Script=Latin}0-9]/u

/** True for Han ideographs and CJK/full-width punctuation. */
export const isHan = (char: string): boolean => HAN.test(char)

/** True for Latin letters and ASCII digits. */
export const isLatin = (char: string): boolean => LATIN.test(char)

/** The script mix of a string. */
export const scriptOf = (text: string): ScriptMix => {
  let han = false
  let latin = false
  let other = false
  for (const ch of text) {
    if (/\s/u.test(ch)) continue
    if (/[\p{Script=Han}]/u.test(ch)) han = true
    else if (LATIN.test(ch)) latin = true
    else if (/[\p{L}]/u.test(ch)) other = true
  }
  if (han && latin) return "mixed"
  if (han) return "han"
  if (latin) return "latin"
  return other ? "other" : "none"
}
