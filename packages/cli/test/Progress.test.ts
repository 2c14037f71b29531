import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Progress from "../src/Progress.ts"

const run = (bar: boolean, columns = 60) =>
  Effect.gen(function* () {
    const written: Array<string> = []
    const progress = Progress.make({ total: 2, bar, columns, write: (text) => written.push(text) })
    yield* progress.started("a.png")
    yield* progress.converted("a.png", "a.docx", 1234)
    yield* progress.started("b.png")
    yield* progress.failed("b.png", "The PNG image is damaged")
    yield* progress.finished(5000)
    return written
  })

describe("Progress", () => {
  it.effect("writes one line per file when stderr is not a terminal", () =>
    Effect.gen(function* () {
      expect((yield* run(false)).join("")).toBe(
        "[1/2] a.png -> a.docx (1.2 s)\n[2/2] error: b.png: The PNG image is damaged\nConverted 1 of 2 inputs (1 failed) in 5.0 s.\n"
      )
    })
  )

  it.effect("redraws a bar in place on a terminal, failures on lines of their own", () =>
    Effect.gen(function* () {
      const written = yield* run(true)
      expect(written[0]).toBe(`\r\x1b[2K[${"-".repeat(40)}] 0/2 a.png`)
      expect(written[1]).toBe(`\r\x1b[2K[${"#".repeat(20)}${"-".repeat(20)}] 1/2 a.png`)
      expect(written).toContain("\r\x1b[2Kerror: b.png: The PNG image is damaged\n")
      expect(written.at(-1)).toBe("\r\x1b[2KConverted 1 of 2 inputs (1 failed) in 5.0 s.\n")
      // Only failures and the summary end lines: the bar never scrolls the terminal.
      expect(written.filter((w) => w.endsWith("\n"))).toHaveLength(2)
    })
  )

  it.effect("keeps the bar within a narrow terminal", () =>
    Effect.gen(function* () {
      const bars = (yield* run(true, 30)).filter((w) => !w.endsWith("\n"))
      for (const bar of bars) expect(bar.replace("\r\x1b[2K", "").length).toBeLessThanOrEqual(29)
    })
  )
})
