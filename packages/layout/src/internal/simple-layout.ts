/**
 * First, simple layout: lines top to bottom, one paragraph per run of lines
 * whose vertical gaps are small. Replaced by the XY-cut analysis.
 */
import { Geometry, type Document } from "@ocr2word/core"

const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

export const simpleBlocks = (lines: ReadonlyArray<Document.Line>): ReadonlyArray<Document.Block> => {
  const sorted = [...lines].sort((a, b) => a.box.y + a.box.height / 2 - (b.box.y + b.box.height / 2) || a.box.x - b.box.x)
  const height = median(sorted.map((l) => l.box.height))
  const groups: Array<Array<Document.Line>> = []
  let current: Array<Document.Line> = []
  for (const line of sorted) {
    const prev = current[current.length - 1]
    if (prev !== undefined && line.box.y - (prev.box.y + prev.box.height) > height * 0.8) {
      groups.push(current)
      current = []
    }
    current.push(line)
  }
  if (current.length > 0) groups.push(current)
  return groups.map((group) => ({
    kind: "paragraph" as const,
    box: Geometry.unionBoxes(group.map((l) => l.box)),
    confidence: Math.min(...group.map((l) => l.confidence)),
    lines: group,
    fontSize: median(group.map((l) => l.box.height))
  }))
}
