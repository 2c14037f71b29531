/**
 * The one place the writers of this package read a `Block`: each block as a
 * text block (its role and lines), a table (its cells) or a figure. The
 * writers switch on this view, so a change of the block model touches only
 * this function.
 */
import type { Document, Geometry } from "@ocr2word/core"

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
  if (block.kind === "table") {
    const cells = "cells" in block ? block.cells : undefined
    return { type: "table", box, confidence, cells: cells ?? [] }
  }
  if (block.kind === "figure") return { type: "figure", box, confidence }
  const level = "level" in block ? block.level : undefined
  const list = "list" in block ? block.list : undefined
  return {
    type: "text",
    role: block.kind,
    box,
    confidence,
    lines: block.lines,
    ...(level !== undefined ? { level } : {}),
    ...(list !== undefined ? { list } : {})
  }
}

/** A table's cells row by row, left to right. */
export const cellsInOrder = (cells: ReadonlyArray<Document.TableCell>): ReadonlyArray<Document.TableCell> =>
  [...cells].sort((a, b) => a.row - b.row || a.column - b.column)
