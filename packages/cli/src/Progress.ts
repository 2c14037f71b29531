/**
 * What the CLI tells a person while it converts: on a terminal, a progress
 * bar redrawn in place (for more than one input); elsewhere (CI logs, pipes),
 * one line per file. Failures are always printed, one clear line each, so a
 * long batch never hides which input went wrong.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"

/** Where and how to report. */
export interface ProgressOptions {
  readonly total: number
  /** Draw a bar redrawn in place (stderr is a terminal and there is more than one input). */
  readonly bar: boolean
  /** Terminal width, for the bar. */
  readonly columns: number
  readonly write: (text: string) => void
}

/** What the conversion reports as inputs start, finish and fail: a bar on a terminal, one line per file otherwise. */
export interface Progress {
  readonly started: (input: string) => Effect.Effect<void>
  readonly converted: (input: string, output: string, millis: number) => Effect.Effect<void>
  readonly failed: (input: string, message: string) => Effect.Effect<void>
  readonly finished: (millis: number) => Effect.Effect<void>
}

const seconds = (millis: number) => `${(millis / 1000).toFixed(1)} s`

/** A `Progress` writing through `options.write`: a bar redrawn in place when `options.bar`, else a line per input. */
export const make = (options: ProgressOptions): Progress => {
  let done = 0
  let failures = 0
  let current = ""
  const counter = () => `[${done}/${options.total}]`
  const clear = () => (options.bar ? "\r\x1b[2K" : "")
  // Terminals that report no size still get a readable bar.
  const columns = options.columns >= 20 ? options.columns : 80
  const drawBar = () => {
    if (!options.bar) return
    const label = ` ${done}/${options.total} ${current}`
    const width = Math.max(10, Math.min(40, columns - label.length - 3))
    const filled = Math.round((done / Math.max(1, options.total)) * width)
    const line = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]${label}`
    options.write(`\r\x1b[2K${line.slice(0, columns - 1)}`)
  }
  return {
    started: (input) =>
      Effect.sync(() => {
        current = input
        drawBar()
      }),
    converted: (input, output, millis) =>
      Effect.sync(() => {
        done++
        if (options.bar) drawBar()
        else options.write(`${counter()} ${input} -> ${output} (${seconds(millis)})\n`)
      }),
    failed: (input, message) =>
      Effect.sync(() => {
        done++
        failures++
        options.write(`${clear()}${options.bar ? "" : `${counter()} `}error: ${input}: ${message}\n`)
        drawBar()
      }),
    finished: (millis) =>
      Effect.sync(() => {
        if (options.total <= 1 && failures === 0 && !options.bar) return
        const ok = done - failures
        options.write(
          `${clear()}Converted ${ok} of ${options.total} input${options.total === 1 ? "" : "s"}` +
            `${failures > 0 ? ` (${failures} failed)` : ""} in ${seconds(millis)}.\n`
        )
      })
  }
}
