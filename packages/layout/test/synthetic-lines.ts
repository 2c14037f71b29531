/** Line boxes built by hand: the inputs of the layout unit tests. */
import { type Document, TextScript } from "@ocr2word/core"
import * as fixtures from "./fixtures.ts"

/** A horizontal line with its text at `x, y` of size `width x height`, 40 pixels high unless said. */
export const line = (text: string, x: number, y: number, width: number, height = 40): Document.Line =>
  fixtures.line(text, x, y, width, height)

/** A vertical line (Chinese written top to bottom). */
export const verticalLine = (text: string, x: number, y: number, height: number, width = 40): Document.Line => {
  const box = { x, y, width, height }
  return {
    text,
    box,
    // Read from the top: the quad's "top" edge is the box's right side.
    polygon: [
      { x: x + width, y },
      { x: x + width, y: y + height },
      { x, y: y + height },
      { x, y }
    ],
    confidence: 0.95,
    direction: "vertical",
    script: TextScript.scriptOf(text),
    words: []
  }
}

/**
 * A column of `count` full-width lines named `${name}1`, `${name}2`...
 * starting at `y` with a pitch of 1.4 line heights.
 */
export const column = (name: string, x: number, y: number, width: number, count: number, height = 40) =>
  Array.from({ length: count }, (_, i) => line(`${name}${i + 1}`, x, y + i * height * 1.4, width, height))

/** Texts of a page's lines in reading order. */
export const order = (blocks: ReadonlyArray<Document.Block>): ReadonlyArray<string> =>
  blocks.flatMap((b) => b.lines.map((l) => l.text))

/** A fixed shuffle, so tests never depend on the input order. */
export const shuffle = <A>(items: ReadonlyArray<A>): ReadonlyArray<A> => {
  const out = [...items]
  let seed = 12345
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648
    const j = seed % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
