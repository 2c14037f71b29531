/**
 * The one place the writers of this package read a `Block`: each block as a
 * text block (its role and lines), a table (its cells) or a figure. The
 * writers switch on this view, so a change of the block model touches only
 * this function.
 */
import { Document, type Geometry } from "@ocr2word/core"

/** Roles of text blocks. */
export type TextRole = Exclude<Document.BlockKind, "table" | "figure">

export type BlockView =
  | {
      readonly type: "text"
      readonly role: TextRole
      readonly box: Geometry.Box
      readonly confidence: number
      readonly lines: ReadonlyArray<Document.Line>
      /** Heading level, 1 the largest. */
      readonly level?: number
      readonly list?: Document.ListInfo
    }
  | {
      readonly type: "table"
      readonly box: Geometry.Box
      readonly confidence: number
      readonly cells: ReadonlyArray<Document.TableCell>
    }
  | { readonly type: "figure"; readonly box: Geometry.Box; readonly confidence: number }

/** A block as the writers see it. */
export const viewOf = (block: Document.Block): BlockView => {
  const { box, confidence } = block
  switch (block.kind) {
    case "table":
      return { type: "table", box, confidence, cells: block.cells }
    case "figure":
      return { type: "figure", box, confidence }
    default:
      return {
        type: "text",
        role: block.kind,
        box,
        confidence,
        lines: block.lines,
        ...(block.kind === "heading" ? { level: block.level } : {}),
        ...(block.kind === "list-item" && block.list !== undefined ? { list: block.list } : {})
      }
  }
}

/** A table's cells row by row, left to right. */
export const cellsInOrder = (cells: ReadonlyArray<Document.TableCell>): ReadonlyArray<Document.TableCell> =>
  Document.byGridPosition(cells)
