/**
 * Scoring one pipeline output against one manifest item: text metrics always
 * (case folded where the item's truth is in capitals, `Metrics.foldingOf`),
 * reading order wherever the truth has two lines or more, detection where the
 * item has line boxes in the same frame as the output, and structure metrics
 * (paragraph boundaries, heading and table lines, tables, figures) where the
 * item has blocks.
 *
 * Reading order is scored on lines matched by text (`Metrics.matchLinesByText`):
 * the truth's lines (its `lines`, or its text split at line breaks) against the
 * output's (the document's lines, or its text split at line breaks, for
 * outside engines that give only text), so every engine is ordered the same
 * way and the order is measured apart from recognition.
 *
 * @since 0.1.0
 */
import { Document } from "@ocr2word/core"
import { augmentSteps, type Item } from "./Manifest.ts"
import * as Metrics from "./Metrics.ts"

/** The structure scores of an item or a group, where its ground truth has the structure. */
export interface StructureScores {
  readonly detection?: Metrics.F1
  readonly paragraphs?: Metrics.F1
  readonly readingOrder?: number
  readonly headings?: Metrics.F1
  readonly tables?: Metrics.F1
  /** Heading blocks matched by text (block level, where `headings` is per line). */
  readonly headingBlocks?: Metrics.F1
  /** Table blocks matched by their cell text. */
  readonly tableDetection?: Metrics.F1
  /** Mean cell-text accuracy over the matched tables. */
  readonly cellText?: number
  /** Figure boxes at IoU >= 0.5 (only when the output is in the item's frame). */
  readonly figures?: Metrics.F1
}

/** The scores of one item. */
export interface ItemScore extends StructureScores {
  readonly characters: Metrics.ErrorCount
  readonly strict: Metrics.ErrorCount
  readonly words: Metrics.ErrorCount
  /** Order-free: its recall is the share of the truth's characters found. */
  readonly bag: Metrics.F1
  /** Order-free errors (`Metrics.orderFreeErrorsOf`): characters.edits minus these are order errors. */
  readonly orderFree: Metrics.ErrorCount
}

/** What a pipeline gave for an item: its text, and the document where there is one. */
export interface Output {
  readonly text: string
  readonly document?: Document.Document
}

/** Units (paragraph, or table cell) of the ground-truth lines, by line index. */
const truthUnits = (item: Item): { unit: Array<number>; kind: Array<string> } => {
  const unit: Array<number> = []
  const kind: Array<string> = []
  let next = 0
  for (const block of item.blocks ?? []) {
    // A table's cells are its units; a ground-truth table written without cells is one unit, like a paragraph.
    const cells = block.cells ?? []
    for (const lines of cells.length > 0 ? cells.map((c) => c.lines) : [block.lines]) {
      const u = next++
      for (const l of lines) {
        unit[l] = u
        kind[l] = block.kind
      }
    }
  }
  return { unit, kind }
}

/** Predicted lines in reading order with their unit and block kind. */
const predictedLines = (document: Document.Document) => {
  const out: Array<{ line: Document.Line; unit: number; kind: string }> = []
  let next = 0
  for (const page of document.pages) {
    for (const block of page.blocks) {
      // A table's units are its cells, row by row; a figure has no lines.
      const units =
        block.kind === "table" ? Document.byGridPosition(block.cells).map((c) => c.lines) : [Document.blockLines(block)]
      for (const lines of units) {
        const u = next++
        for (const line of lines) out.push({ line, unit: u, kind: block.kind })
      }
    }
  }
  return out
}

/** True when the output's page frame is the item's (no turn, no deskew, no warp in the augmentation). */
const sameFrame = (item: Item, document: Document.Document): boolean => {
  const page = document.pages[0]
  if (document.pages.length !== 1 || page === undefined) return false
  if (page.rotation !== 0 || Math.abs(page.skew) > 0.3) return false
  const steps = augmentSteps(item)
  return !steps.includes("rotation") && !steps.includes("perspective")
}

/** Lines with some text once normalised (blank lines carry no order). */
const textLines = (lines: ReadonlyArray<string>): Array<string> => lines.filter((l) => Metrics.normalize(l).length > 0)

/** Reading-order distance of the output's lines against the truth's, where the truth has two lines or more. */
const lineOrder = (item: Item, output: Output, folding: Metrics.Folding): { readingOrder?: number } => {
  const truth = textLines(item.lines?.map((l) => l.text) ?? item.text.split("\n"))
  if (truth.length < 2) return {}
  const predicted = textLines(
    output.document !== undefined ? predictedLines(output.document).map((p) => p.line.text) : output.text.split("\n")
  )
  const matches = Metrics.matchLinesByText(truth, predicted, 0.5, folding)
  const order = [...matches].sort((a, b) => a.prediction - b.prediction).map((m) => m.reference)
  return { readingOrder: Metrics.readingOrderDistance(order) }
}

/** Score one output against its item. */
export const score = (item: Item, output: Output): ItemScore => {
  const folding = Metrics.foldingOf(item)
  const bag = Metrics.bagOfCharactersF1(item.text, output.text, folding)
  const base = {
    characters: Metrics.characterErrors(item.text, output.text, folding),
    strict: Metrics.strictCharacterErrors(item.text, output.text, folding),
    words: Metrics.wordErrors(item.text, output.text, folding),
    bag,
    orderFree: Metrics.orderFreeErrorsOf(bag),
    ...lineOrder(item, output, folding)
  }
  const document = output.document
  if (document === undefined || item.lines === undefined) return base
  const predicted = predictedLines(document)
  const truthBoxes = item.lines.flatMap((l) => (l.box !== undefined ? [l.box] : []))
  const detection =
    truthBoxes.length === item.lines.length && sameFrame(item, document)
      ? Metrics.detectionF1(
          truthBoxes,
          predicted.map((p) => p.line.box)
        )
      : undefined
  if (item.blocks === undefined) return { ...base, ...(detection ? { detection } : {}) }
  const truth = truthUnits(item)
  const matches = Metrics.matchLinesByText(
    item.lines.map((l) => l.text),
    predicted.map((p) => p.line.text),
    0.5,
    folding
  )
  const predOf = new Map(matches.map((m) => [m.reference, m.prediction]))
  const predUnit = item.lines.map((_, i) => {
    const p = predOf.get(i)
    return p === undefined ? undefined : predicted[p]!.unit
  })
  const lineF1 = (kind: string) => {
    let tp = 0
    let pred = 0
    let exp = 0
    for (const m of matches) {
      const t = truth.kind[m.reference] === kind
      const p = predicted[m.prediction]!.kind === kind
      if (t) exp++
      if (p) pred++
      if (t && p) tp++
    }
    return Metrics.f1(tp, pred, exp)
  }
  return {
    ...base,
    ...(detection ? { detection } : {}),
    paragraphs: Metrics.paragraphBoundaryF1(
      item.lines.map((_, i) => truth.unit[i] ?? -1 - i),
      predUnit
    ),
    headings: lineF1("heading"),
    tables: lineF1("table"),
    ...blockScores(item, document)
  }
}

/** Block-level structure scores: headings and tables by text, figures by box. */
const blockScores = (item: Item, document: Document.Document) => {
  const lineText = (indices: ReadonlyArray<number>) => indices.map((i) => item.lines?.[i]?.text ?? "").join("")
  const blocks = item.blocks ?? []
  const predicted = document.pages.flatMap((p) => p.blocks)
  const join = (lines: ReadonlyArray<Document.Line>) => lines.map((l) => l.text).join("")
  const truthTables = blocks
    .filter((b) => b.kind === "table")
    .map((b) => ({ cells: (b.cells ?? []).map((c) => ({ row: c.row, column: c.column, text: lineText(c.lines) })) }))
  const predTables = predicted
    .filter((b) => b.kind === "table")
    .map((b) => ({ cells: b.cells.map((c) => ({ row: c.row, column: c.column, text: join(c.lines) })) }))
  const matched = Metrics.matchTables(truthTables, predTables)
  const truthFigures = blocks.filter((b) => b.kind === "figure").map((b) => b.box)
  return {
    headingBlocks: Metrics.headingF1(
      blocks.filter((b) => b.kind === "heading").map((b) => lineText(b.lines)),
      predicted.filter((b) => b.kind === "heading").map((b) => join(b.lines))
    ),
    tableDetection: Metrics.f1(matched.length, predTables.length, truthTables.length),
    ...(matched.length > 0
      ? {
          cellText:
            matched.reduce(
              (s, m) => s + Metrics.cellTextAccuracy(truthTables[m.reference]!, predTables[m.prediction]!),
              0
            ) / matched.length
        }
      : {}),
    ...(sameFrame(item, document) && truthFigures.length > 0
      ? {
          figures: Metrics.figureDetection(
            truthFigures,
            predicted.filter((b) => b.kind === "figure").map((b) => b.box)
          )
        }
      : {})
  }
}

/** Plain text of a document in reading order, lines joined with newlines. */
export const documentText = (document: Document.Document): string =>
  document.pages
    .map((page) =>
      Document.pageLines(page)
        .map((l) => l.text)
        .join("\n")
    )
    .join("\n")
