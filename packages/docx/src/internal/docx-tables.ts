/**
 * Table blocks as Word tables: one `w:tr` per grid row, cells with their
 * text, `w:gridSpan` for column spans and `w:vMerge` for row spans (the
 * `docx` library writes the continuation cells of a row span), column widths
 * from the cell boxes scaled to the page.
 */
import { Document } from "@ocr2word/core"
import { BorderStyle, type Paragraph, Table, TableCell, TableRow, WidthType } from "docx"

/** How the table's text is written: a paragraph per cell from its lines. */
export type CellParagraph = (lines: ReadonlyArray<Document.Line>) => Paragraph

/** Widths of the grid columns in page pixels, from cells that span one column (even split otherwise). */
export const columnWidths = (cells: ReadonlyArray<Document.TableCell>, tableWidth: number): Array<number> => {
  const columns = Math.max(0, ...cells.map((c) => c.column + c.columnSpan))
  const widths: Array<number | undefined> = Array.from({ length: columns }, () => undefined)
  for (const c of cells) {
    if (c.columnSpan === 1 && widths[c.column] === undefined) widths[c.column] = c.box.width
  }
  const known = widths.filter((w): w is number => w !== undefined)
  const rest = Math.max(0, tableWidth - known.reduce((s, w) => s + w, 0))
  const unknown = widths.length - known.length
  return widths.map((w) => w ?? (unknown > 0 ? rest / unknown : 0))
}

const border = { style: BorderStyle.SINGLE, size: 4, color: "808080" }

/** The Word table of a table block, `widthTwips` wide; none for a table without cells. */
export const tableOf = (table: Document.Table, widthTwips: number, paragraph: CellParagraph): Table | undefined => {
  const cells = table.cells
  if (cells.length === 0) return undefined
  const pixelWidths = columnWidths(cells, table.box.width)
  const total = pixelWidths.reduce((s, w) => s + w, 0) || 1
  const twips = pixelWidths.map((w) => Math.max(200, Math.round((w / total) * widthTwips)))
  const tableRows: Array<TableRow> = []
  // A row covered only by cells spanning from above has no w:tr of its own (Word adds the merged cells).
  for (const own of Document.tableRows(table)) {
    if (own.length === 0) continue
    tableRows.push(
      new TableRow({
        children: own.map(
          (c) =>
            new TableCell({
              children: [paragraph(c.lines)],
              width: {
                size: twips.slice(c.column, c.column + c.columnSpan).reduce((s, w) => s + w, 0),
                type: WidthType.DXA
              },
              ...(c.columnSpan > 1 ? { columnSpan: c.columnSpan } : {}),
              ...(c.rowSpan > 1 ? { rowSpan: c.rowSpan } : {})
            })
        )
      })
    )
  }
  return new Table({
    rows: tableRows,
    columnWidths: twips,
    width: { size: twips.reduce((s, w) => s + w, 0), type: WidthType.DXA },
    borders: {
      top: border,
      bottom: border,
      left: border,
      right: border,
      insideHorizontal: border,
      insideVertical: border
    }
  })
}
