/**
 * The report's comparison tables on scores of real manifest items: one row per
 * (dataset, kind) and pipeline, the order part of the CER apart from the
 * order-free part, degradation steps as groups, line counts with their drops.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Bench from "../src/Bench.ts"
import * as Manifest from "../src/Manifest.ts"
import * as Report from "../src/Report.ts"

const datasets = new URL("../../datasets", import.meta.url).pathname

/** An item's result as the benchmark builds it, with the line counts a pipeline would have given. */
const result = (pipeline: string, dataset: Manifest.Dataset, item: Manifest.Item, text: string): Bench.ItemResult => ({
  ...Bench.itemResult(pipeline, dataset, item, { text }, 100),
  lineCounts: { detected: 10, recognised: 9, kept: 8, written: 8 }
})

const run = (pipeline: string, items: ReadonlyArray<Bench.ItemResult>): Bench.PipelineRun => ({
  pipeline,
  description: "",
  loadMs: 0,
  threads: 1,
  peakRssMb: 0,
  maxThreads: 1,
  items,
  spans: []
})

describe("Report", () => {
  it.effect("has a row per kind and pipeline, with the order part of the CER apart", () =>
    Effect.gen(function* () {
      const set = yield* Manifest.load("real-dev-2", datasets)
      const receipt = set.items.find((i) => i.kind === "receipt")!
      const form = set.items.find((i) => i.kind === "form")!
      const reversed = (item: Manifest.Item) => item.text.split("\n").reverse().join("\n")
      const runs = [
        run("exact", [result("exact", set, receipt, receipt.text), result("exact", set, form, form.text)]),
        run("reversed", [result("reversed", set, receipt, reversed(receipt)), result("reversed", set, form, "")])
      ]
      const rows = Report.kindTable(runs).split("\n").slice(2)
      expect(rows.map((r) => r.split(" | ").slice(0, 3).join(" "))).toEqual([
        "| real-dev-2 form exact",
        "| real-dev-2 form reversed",
        "| real-dev-2 receipt exact",
        "| real-dev-2 receipt reversed",
        "| real-dev-2 all exact",
        "| real-dev-2 all reversed"
      ])
      const cells = (row: string) => row.split(" | ").map((c) => c.trim().replace(/^\*\*(.*)\*\*$/, "$1"))
      // Reversed receipt: all characters found, so every error is order (CER - order-free = CER).
      const rev = cells(rows[3]!)
      expect(rev[5]).toBe("100.0%")
      expect(rev[7]).toBe("0.0%")
      expect(rev[8]).toBe(rev[4])
      expect(Number(rev[9])).toBeGreaterThan(0.5)
      // Nothing read on the form: recall 0, and all of it order-free error.
      expect(cells(rows[1]!).slice(4, 9)).toEqual(["100.0%", "0.0%", "0.0%", "100.0%", "0.0%"])
      // Best CER of the group in bold.
      expect(rows[0]!.split(" | ")[4]).toBe("**0.0%**")
      expect(rows[1]!.split(" | ")[4]).toBe("100.0%")
    })
  )

  it.effect("scores a failed item as an empty output, so a failure never raises a score", () =>
    Effect.gen(function* () {
      const set = yield* Manifest.load("real-dev-2", datasets)
      const [a, b] = set.items.filter((i) => i.kind === "receipt")
      const failed = { ...result("p", set, b!, ""), error: "Invalid array length" }
      const s = Bench.summarize([result("p", set, a!, a!.text), failed])
      expect(s.errors).toBe(1)
      expect(s.recall).toBeCloseTo(
        a!.text.replace(/\s+/g, "").length / (a!.text + b!.text).replace(/\s+/g, "").length,
        2
      )
      expect(Report.kindTable([run("p", [result("p", set, a!, a!.text), failed])])).toMatch(/\| 2 \(1 failed\) \|/)
    })
  )

  it.effect("groups degraded items by step and sums line counts with their drops", () =>
    Effect.gen(function* () {
      const set = yield* Manifest.load("synth-docs", datasets)
      const clean = set.items.find((i) => Manifest.augmentSteps(i).length === 0)!
      const blurred = set.items.find((i) => Manifest.augmentSteps(i).includes("blur"))!
      const runs = [run("p", [result("p", set, clean, clean.text), result("p", set, blurred, blurred.text)])]
      const steps = Report.augmentTable(runs)
        .split("\n")
        .slice(2)
        .map((r) => r.split(" | ")[1])
      expect(steps[0]).toBe("none")
      expect(steps).toContain("blur")
      expect(steps).toEqual(["none", ...[...Manifest.augmentSteps(blurred)].sort()])
      const counts = Report.lineCountTable(runs).split("\n").slice(2)
      expect(counts.length).toBe(new Set([clean.kind, blurred.kind]).size)
      expect(counts[0]).toMatch(/\| 1 \| 10 \| 9 \| 8 \| 8 \| 1 \(10\.0%\) \| 1 \(11\.1%\) \| 0 \(0\.0%\) \|$/)
      expect(Report.augmentTable([run("q", [result("q", set, clean, clean.text)])])).toBe("")
    })
  )
})
