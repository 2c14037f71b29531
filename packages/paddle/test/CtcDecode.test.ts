import { describe, expect, it } from "@effect/vitest"
import * as CtcDecode from "../src/CtcDecode.ts"

/** One-hot probabilities for a sequence of class indices (prob 0.9 on the chosen class). */
const steps = (classes: number, sequence: ReadonlyArray<number>): Float32Array => {
  const data = new Float32Array(sequence.length * classes).fill(0.1 / (classes - 1))
  sequence.forEach((k, t) => {
    data[t * classes + k] = 0.9
  })
  return data
}

describe("CtcDecode.labelsFromDictionary", () => {
  it("puts the blank first and the space last", () => {
    const labels = CtcDecode.labelsFromDictionary("a\nb\nc\n")
    expect(labels.characters).toEqual(["", "a", "b", "c", " "])
    expect(CtcDecode.classCount(labels)).toBe(5)
  })

  it("does not shift characters when the file has no trailing newline", () => {
    const withNewline = CtcDecode.labelsFromDictionary("季\n李\nx\n")
    const without = CtcDecode.labelsFromDictionary("季\n李\nx")
    expect(without.characters).toEqual(withNewline.characters)
    expect(without.characters[1]).toBe("季")
    expect(without.characters[3]).toBe("x")
  })

  it("reads Windows line ends and a byte order mark", () => {
    expect(CtcDecode.labelsFromDictionary("\uFEFFa\r\nb\r\n").characters).toEqual(["", "a", "b", " "])
  })

  it("can leave the space out", () => {
    expect(CtcDecode.labelsFromDictionary("a\nb", false).characters).toEqual(["", "a", "b"])
  })
})

describe("CtcDecode.decode", () => {
  const labels = CtcDecode.labelsFromDictionary(
    ["R", "e", "v", "n", "u", "$", "3", ".", "2", "B", "你", "好"].join("\n")
  )
  const index = (ch: string) => labels.characters.indexOf(ch)
  const classes = labels.characters.length
  const seq = (text: string) => [...text].flatMap((ch) => [index(ch), 0])

  it("merges repeats, drops blanks and keeps a repeat split by a blank", () => {
    const data = steps(classes, [index("R"), index("R"), 0, index("e"), index("e"), 0, index("e"), 0])
    const decoded = CtcDecode.decode(labels, data, 8, classes)
    expect(decoded.text).toBe("Ree")
    expect(decoded.confidence).toBeCloseTo(0.9)
  })

  it("keeps the spaces between English words", () => {
    const text = "Revenue $3.2B"
    const decoded = CtcDecode.decode(labels, steps(classes, seq(text)), text.length * 2, classes)
    expect(decoded.text).toBe("Revenue $3.2B")
  })

  it("removes spaces between two Chinese characters but not next to Latin ones", () => {
    const text = "你 好 B 你"
    const decoded = CtcDecode.decode(labels, steps(classes, seq(text)), [...text].length * 2, classes)
    expect(decoded.text).toBe("你好 B 你")
  })

  it("drops leading, trailing and repeated spaces", () => {
    const sequence = [
      labels.characters.length - 1,
      0,
      index("R"),
      0,
      classes - 1,
      0,
      classes - 1,
      0,
      index("e"),
      0,
      classes - 1
    ]
    expect(CtcDecode.decode(labels, steps(classes, sequence), sequence.length, classes).text).toBe("R e")
  })

  it("places characters as fractions of the crop, not of the padded input", () => {
    // 10 steps, the crop filled half the input: step 4 is at 0.8 of the crop.
    const data = steps(classes, [index("R"), 0, 0, 0, index("e"), 0, 0, 0, 0, 0])
    const decoded = CtcDecode.decode(labels, data, 10, classes, 0, 0.5)
    expect(decoded.chars.map((c) => [c.text, c.start, c.end])).toEqual([
      ["R", 0, 0.2],
      ["e", 0.8, 1]
    ])
  })

  it("gives an empty line a confidence of 0", () => {
    const decoded = CtcDecode.decode(labels, steps(classes, [0, 0, 0]), 3, classes)
    expect(decoded).toEqual({ text: "", confidence: 0, chars: [] })
  })

  it("reads a sequence at an offset in a batch", () => {
    const data = new Float32Array([...steps(classes, [index("R"), 0]), ...steps(classes, [index("B"), 0])])
    expect(CtcDecode.decode(labels, data, 2, classes, 2 * classes).text).toBe("B")
  })
})

describe("CtcDecode.gapSpaces", () => {
  /** Characters at the given first frames, each one frame wide, with optional space evidence before them. */
  const frames = (text: string, firsts: ReadonlyArray<number>, evidence: Record<number, number> = {}) =>
    [...text].map((ch, i) => ({
      text: ch,
      first: firsts[i]!,
      last: firsts[i]!,
      prob: 0.9,
      spaceEvidence: evidence[i] ?? 0
    }))
  const textOf = (chars: ReadonlyArray<{ readonly text: string }>) => chars.map((c) => c.text).join("")
  const even = (n: number, pitch = 2) => Array.from({ length: n }, (_, i) => i * pitch)

  it("puts a space where the blank frames between two Latin letters carry space evidence", () => {
    // "OCRGCSE": the model saw the gap (space 0.28 in the blanks) but the blank won.
    const chars = frames("OCRGCSE", [0, 2, 4, 7, 9, 11, 13], { 3: 0.28 })
    const out = CtcDecode.gapSpaces(chars)
    expect(textOf(out)).toBe("OCR GCSE")
    // The space takes the blank frames of the gap.
    expect(out[3]).toMatchObject({ text: " ", first: 5, last: 6 })
  })

  it("leaves words alone when the evidence is faint and the pitch ordinary", () => {
    // "Language": letters alternate 2 and 3 frames apart, no space evidence.
    const chars = frames("Language", [0, 2, 5, 7, 10, 12, 15, 17], { 2: 0.02, 5: 0.04 })
    expect(textOf(CtcDecode.gapSpaces(chars))).toBe("Language")
  })

  it("puts a space in a gap far wider than the line's median pitch", () => {
    const firsts = [...even(5), 8 + 8, 18, 20]
    expect(textOf(CtcDecode.gapSpaces(frames("Hellowor", firsts)))).toBe("Hello wor")
  })

  it("does not trust the pitch of a line with too few characters or a gap of few blank frames", () => {
    // Two pairs only: no median to compare with.
    expect(textOf(CtcDecode.gapSpaces(frames("abc", [0, 1, 9])))).toBe("abc")
    // Pitch 1 on the line, a pitch of 3 is three times that but only two blank frames.
    expect(textOf(CtcDecode.gapSpaces(frames("Garrtt", [0, 1, 2, 5, 6, 7])))).toBe("Garrtt")
  })

  it("never puts a space between Han characters or next to Chinese", () => {
    const chars = frames("你好ab你", [0, 2, 10, 12, 20], { 1: 0.9, 2: 0.9, 4: 0.9 })
    expect(textOf(CtcDecode.gapSpaces(chars))).toBe("你好ab你")
  })

  it("puts spaces between digits and letters but keeps an existing space single", () => {
    expect(textOf(CtcDecode.gapSpaces(frames("t01and", [0, 2, 4, 6, 8, 10], { 1: 0.2, 3: 0.3 })))).toBe("t 01 and")
    expect(textOf(CtcDecode.gapSpaces(frames("a b", [0, 2, 4], { 1: 0.9, 2: 0.9 })))).toBe("a b")
  })
})

describe("CtcDecode.decode word gaps", () => {
  const labels = CtcDecode.labelsFromDictionary(["O", "C", "R", "G", "S", "E"].join("\n"))
  const classes = labels.characters.length
  const space = classes - 1
  const index = (ch: string) => labels.characters.indexOf(ch)

  it("reads a space the blank outvoted in the gap between two words", () => {
    const sequence = [..."OCR"]
      .flatMap((ch) => [index(ch), 0])
      .concat([0, ...[..."GCSE"].flatMap((ch) => [index(ch), 0])])
    const data = steps(classes, sequence)
    // In the gap after "R" (steps 5 and 6), the space class gets 0.3 but the blank still wins.
    data[6 * classes + space] = 0.3
    const decoded = CtcDecode.decode(labels, data, sequence.length, classes)
    expect(decoded.text).toBe("OCR GCSE")
    const gap = decoded.chars[3]!
    expect(gap.text).toBe(" ")
    expect(gap.start).toBeGreaterThanOrEqual(decoded.chars[2]!.end)
    expect(gap.end).toBeLessThanOrEqual(decoded.chars[4]!.start)
  })

  it("does not split a word whose blanks carry no space evidence", () => {
    const sequence = [..."OCRGCSE"].flatMap((ch) => [index(ch), 0])
    expect(CtcDecode.decode(labels, steps(classes, sequence), sequence.length, classes).text).toBe("OCRGCSE")
  })
})
