/** Line boxes built by hand: the inputs of the layout unit tests. */
import { Document, TextScript } from "@ocr2word/core"
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
  blocks.flatMap((b) => Document.blockLines(b).map((l) => l.text))

/** The block as a block of text lines; throws (failing the test) on a table, a figure or no block. */
export const textBlock = (block: Document.Block | undefined): Document.TextBlock => {
  if (block === undefined || !Document.isTextBlock(block)) throw new Error(`Expected a text block, got ${block?.kind}`)
  return block
}

/** The block as a table; throws (failing the test) on any other block. */
export const tableBlock = (block: Document.Block | undefined): Document.Table => {
  if (block?.kind !== "table") throw new Error(`Expected a table block, got ${block?.kind}`)
  return block
}

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
