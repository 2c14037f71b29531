/**
 * What the benchmark drives: something that turns image bytes into text (and
 * a document where it can), one of ours (`Bench.pipelineRunner`) or an
 * outside engine (`Baselines`). Its own module so that the baselines and the
 * benchmark both use it without importing each other.
 *
 * @since 0.1.0
 */
import type { Conversion } from "@ocr2word/core"
import type * as Score from "./Score.ts"

/** Something that turns image bytes into text (and a document where it can). */
export interface Runner {
  readonly name: string
  readonly description: string
  /** Threads the runner is set to use, where it says. */
  readonly threads: number | string
  /** The output, and the conversion's span times where the runner is one of ours. */
  readonly run: (
    bytes: Uint8Array,
    path: string
  ) => Promise<Score.Output & { readonly spans?: ReadonlyArray<Conversion.SpanTotal> }>
  readonly close: () => Promise<void>
}
