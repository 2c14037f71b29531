/**
 * Reading order on hand-built pages of the kinds the column-first XY-cut
 * got wrong: forms and tickets (label and value on one row, read across),
 * columns wrapping around a picture (L-shaped text regions), a headline
 * that interrupts the columns (a separator of column sections) and a dense
 * five-column newspaper page.
 */
import { describe, expect, it } from "@effect/vitest"
import { Document } from "@ocr2word/core"
import { layoutPage } from "../src/internal/page-layout.ts"
import { column, line, order, shuffle, verticalLine } from "./synthetic-lines.ts"

/** The words of a page in reading order: pieces of one row may be joined into one line or not. */
const words = (blocks: ReadonlyArray<Document.Block>): ReadonlyArray<string> =>
  order(blocks).flatMap((t) => t.split(/\s+/u))

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`)

const figure = (x: number, y: number, width: number, height: number): Document.Figure => ({
  kind: "figure",
  box: { x, y, width, height },
  confidence: 1
})

describe("forms and tickets: rows read across", () => {
  it("a form of label/value pairs, two fields a row, under a full-width title", () => {
    const fields = [
      ["Name:", "Zhang Wei", "Date:", "2024-03-01"],
      ["Address:", "12 Park Road", "Phone:", "555-0101"],
      ["City:", "Shanghai", "Zip:", "200000"],
      ["Email:", "zw@example.com", "Fax:", "none"],
      ["Signed:", "Z. Wei", "Seal:", "yes"]
    ]
    const lines = [
      line("APPLICATION FORM", 300, 40, 400, 40),
      ...fields.flatMap((row, r) => [
        line(row[0]!, 60, 140 + r * 60, 120, 24),
        line(row[1]!, 200, 140 + r * 60, 220, 24),
        line(row[2]!, 520, 140 + r * 60, 100, 24),
        line(row[3]!, 640, 140 + r * 60, 200, 24)
      ])
    ]
    expect(words(layoutPage(shuffle(lines)))).toEqual([
      "APPLICATION",
      "FORM",
      ...fields.flat().flatMap((t) => t.split(" "))
    ])
  })

  it("a boarding pass: small labels and larger values side by side, a stub on the right", () => {
    const rows = [
      ["PASSENGER", "LI/MING MR", "FLIGHT", "CA1831"],
      ["FROM", "BEIJING PEK", "GATE", "B12"],
      ["TO", "SHANGHAI SHA", "SEAT", "32K"],
      ["DATE", "05MAR", "BOARDING", "07:35"]
    ]
    const lines = [
      line("BOARDING PASS", 40, 20, 300, 36),
      line("登机牌", 700, 20, 120, 36),
      ...rows.flatMap((row, r) => [
        line(row[0]!, 40, 100 + r * 70, 110, 18),
        line(row[1]!, 170, 96 + r * 70, 230, 28),
        line(row[2]!, 560, 100 + r * 70, 100, 18),
        line(row[3]!, 680, 96 + r * 70, 110, 28)
      ])
    ]
    expect(words(layoutPage(shuffle(lines)))).toEqual([
      "BOARDING",
      "PASS",
      "登机牌",
      ...rows.flat().flatMap((t) => t.split(" "))
    ])
  })

  it("a typed form: labels of a dozen letters, two-line labels, values that wrap, empty fields", () => {
    // Labels are 7 line heights wide: narrow for Latin text (13 characters), not for a column of text.
    const h = 12
    const label = (t: string, y: number) => line(t, 110, y, t.length * 7, h)
    const value = (t: string, y: number) => line(t, 240, y, t.length * 7, h)
    const lines = [
      line("CASE FORM", 330, 140, 70, h),
      label("CASE NAME:", 170),
      value("Donald D. Sellers and Robin J. Sellers v. Raybestos et al.", 170),
      label("COURT:", 198),
      value("San Francisco Superior Court - No. 996382", 198),
      label("LORILLARD", 228),
      label("ENTITIES:", 242),
      value("Lorillard Tobacco Company", 242),
      label("DATE FILED:", 270),
      label("DATE SERVED:", 298),
      value("August 3, 1998", 298),
      label("PLAINTIFF'S", 328),
      label("COUNSEL:", 342),
      value("Wartnick, Chaber, Harowitz, Smith & Tigerman", 342),
      value("101 California Street, Suite 2200", 356),
      value("San Francisco, California 94111", 370),
      label("JUDGE:", 398),
      label("TRIAL DATE:", 426)
    ]
    const texts = lines.map((l) => l.text)
    expect(words(layoutPage(shuffle(lines)))).toEqual(texts.flatMap((t) => t.split(" ")))
  })
})

describe("columns and pictures", () => {
  it("two columns of Chinese text ten characters wide stay columns", () => {
    const zh = (name: string, x: number) =>
      Array.from({ length: 12 }, (_, i) => line(`${name}${i + 1}行文字排版测试内容`, x, 100 + i * 42, 300, 30))
    const lines = [...zh("左", 100), ...zh("右", 440)]
    expect(order(layoutPage(shuffle(lines)))).toEqual(lines.map((l) => l.text))
  })

  it("two columns wrapping an L-shaped region around a picture that straddles the gutter", () => {
    // Column 1 is 400 wide, but 300 wide beside the picture; column 2 starts at 540, at 640 beside it.
    const pitch = 56
    const left = Array.from({ length: 16 }, (_, i) => {
      const beside = i >= 5 && i < 10
      return line(`L${i + 1}`, 100, 100 + i * pitch, beside ? 300 : 400)
    })
    const right = Array.from({ length: 16 }, (_, i) => {
      const beside = i >= 5 && i < 10
      return line(`R${i + 1}`, beside ? 640 : 540, 100 + i * pitch, beside ? 300 : 400)
    })
    const picture = figure(420, 100 + 5 * pitch - 8, 200, 5 * pitch)
    const blocks = layoutPage(shuffle([...left, ...right]), undefined, [picture])
    expect(order(blocks)).toEqual([...names("L", 16), ...names("R", 16)])
    expect(blocks.filter((b) => b.kind === "figure")).toHaveLength(1)
  })

  it("a column that is narrower beside a picture in its corner and full width below it", () => {
    // The picture sits at the top right of column 1; column 1's lines are short beside it.
    const left = Array.from({ length: 14 }, (_, i) => line(`L${i + 1}`, 100, 100 + i * 56, i < 5 ? 200 : 400))
    const right = column("R", 540, 100, 400, 14)
    const picture = figure(320, 95, 190, 5 * 56 - 10)
    const blocks = layoutPage(shuffle([...left, ...right]), undefined, [picture])
    expect(order(blocks)).toEqual([...names("L", 14), ...names("R", 14)])
    const kinds = blocks.map((b) => b.kind)
    expect(kinds.indexOf("figure")).toBeLessThan(
      blocks.findIndex((b) => Document.blockLines(b).some((l) => l.text === "R1"))
    )
  })

  it("a headline across the columns in mid-page separates two column sections", () => {
    const lines = [
      ...column("A", 100, 100, 400, 6),
      ...column("B", 540, 100, 400, 6),
      line("A Second Story Begins Here", 150, 100 + 6 * 56 + 20, 700, 70),
      ...column("C", 100, 100 + 6 * 56 + 120, 400, 6),
      ...column("D", 540, 100 + 6 * 56 + 120, 400, 6)
    ]
    expect(order(layoutPage(shuffle(lines)))).toEqual([
      ...names("A", 6),
      ...names("B", 6),
      "A Second Story Begins Here",
      ...names("C", 6),
      ...names("D", 6)
    ])
  })

  it("a picture across the columns in mid-page separates two column sections", () => {
    const lines = [
      ...column("A", 100, 100, 400, 6),
      ...column("B", 540, 100, 400, 6),
      ...column("C", 100, 100 + 6 * 56 + 300, 400, 6),
      ...column("D", 540, 100 + 6 * 56 + 300, 400, 6)
    ]
    const picture = figure(100, 100 + 6 * 56 + 20, 840, 260)
    expect(order(layoutPage(shuffle(lines), undefined, [picture]))).toEqual([
      ...names("A", 6),
      ...names("B", 6),
      ...names("C", 6),
      ...names("D", 6)
    ])
  })

  it("newspaper stories sharing one column grid: each block of stories is read before the next", () => {
    // Top block: a lead story over columns 1-3 and a story in column 4; bottom block: four one-column stories.
    const x = (k: number) => 20 + k * 240
    const top = [
      line("Council backs street lighting", x(0), 40, 680, 40),
      ...[0, 1, 2].flatMap((k) => column(`lead${k}-`, x(k), 100, 220, 20, 12)),
      line("Delays hit meals", x(3), 40, 200, 30),
      ...column("side-", x(3), 100, 220, 20, 12)
    ]
    const y = 100 + 20 * 16.8 + 40
    const bottom = [0, 1, 2, 3].flatMap((k) => [
      line(`Story ${k} headline`, x(k), y, 200, 26),
      ...column(`s${k}-`, x(k), y + 40, 220, 15, 12)
    ])
    const expected = [
      "Council backs street lighting",
      ...[0, 1, 2].flatMap((k) => names(`lead${k}-`, 20)),
      "Delays hit meals",
      ...names("side-", 20),
      ...[0, 1, 2, 3].flatMap((k) => [`Story ${k} headline`, ...names(`s${k}-`, 15)])
    ]
    expect(order(layoutPage(shuffle([...top, ...bottom])))).toEqual(expected)
  })

  it("a dense five-column newspaper page under a banner headline, in column order and in little time", () => {
    const cols = ["a", "b", "c", "d", "e"]
    const lines = [
      line("CITY NEWS DAILY", 200, 20, 600, 60),
      ...cols.flatMap((c, k) => column(c, 20 + k * 196, 110, 184, 110, 10))
    ]
    const started = performance.now()
    const blocks = layoutPage(shuffle(lines))
    const ms = performance.now() - started
    expect(order(blocks)).toEqual(["CITY NEWS DAILY", ...cols.flatMap((c) => names(c, 110))])
    expect(blocks.map((b) => b.column).filter((c, i, a) => c !== a[i - 1])).toEqual([0, 1, 2, 3, 4])
    expect(ms).toBeLessThan(2000)
  })
})

describe("regions beside a few vertical lines", () => {
  it("keeps a table when the only lines left outside it are a vertical file number in the margin", () => {
    // A scanned form whose table took every horizontal line; the margin holds a stamped number read top down.
    const box = { x: 40, y: 40, width: 600, height: 700 }
    const table: Document.Table = {
      kind: "table",
      box,
      confidence: 1,
      cells: [{ row: 0, column: 0, rowSpan: 1, columnSpan: 1, box, lines: [line("cell", 60, 60, 200)] }]
    }
    const stamp = [
      verticalLine("871", 700, 760, 90),
      verticalLine("476", 700, 860, 90),
      verticalLine("07", 700, 960, 60)
    ]
    const blocks = layoutPage(shuffle(stamp), undefined, [table])
    expect(blocks.filter((b) => b.kind === "table")).toHaveLength(1)
    expect(order(blocks)).toEqual(expect.arrayContaining(["871", "476", "07"]))
  })
})
