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
