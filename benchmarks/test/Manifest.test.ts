import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Manifest from "../src/Manifest.ts"

const datasets = new URL("../../datasets", import.meta.url).pathname

describe("Manifest", () => {
  it.effect("loads real-dev, mapping its gt_quality and gt_note fields", () =>
    Effect.gen(function* () {
      const set = yield* Manifest.load("real-dev", datasets)
      expect(set.name).toBe("real-dev")
      expect(set.items.length).toBe(33)
      expect(set.items.filter((i) => i.quality === "exact").length).toBe(29)
      const bill = set.items.find((i) => i.id === "tjs_bill")!
      expect(bill.lang).toBe("en")
      expect(bill.text.split("\n")[0]).toBe("FIRST CHEQUING")
      expect(bill.note).toBeDefined()
      expect(bill.lines).toBeUndefined()
      expect(Manifest.imagePath(set, bill)).toMatch(/datasets\/real-dev\/images\/tjs_bill\.png$/)
    })
  )

  it.effect("loads real-dev-2, mapping gt_case and license", () =>
    Effect.gen(function* () {
      const set = yield* Manifest.load("real-dev-2", datasets)
      expect(set.name).toBe("real-dev-2")
      expect(set.items.length).toBe(56)
      const count = (kind: string) => set.items.filter((i) => i.kind === kind).length
      expect([count("receipt"), count("form"), count("doc")]).toEqual([40, 15, 1])
      // Every SROIE receipt, and nothing else, has its truth in capitals.
      expect(set.items.filter((i) => i.case === "upper").map((i) => i.kind)).toEqual(Array(40).fill("receipt"))
      const receipt = set.items.find((i) => i.id === "sroie_008")!
      expect(receipt.quality).toBe("partial")
      expect(receipt.licence).toMatch(/^ICDAR 2019 SROIE/)
      expect(receipt.text.split("\n")[0]).toBe("PERNIAGAAN ZHENG HUI")
      expect(set.items.find((i) => i.id === "rapid_text_vertical_words")!.quality).toBe("exact")
    })
  )

  it.effect("names degradation steps from an augment record or list", () =>
    Effect.gen(function* () {
      const line = { image: "a.png", lang: "en", kind: "photo", text: "x", source: "s", quality: "exact" }
      const items = yield* Manifest.parse(
        [
          { ...line, id: "record", augment: { blur: 1.2, jpeg: 60 } },
          { ...line, id: "list", augment: ["perspective", { step: "lighting", strength: 0.3 }, { name: "noise" }] },
          { ...line, id: "clean" }
        ]
          .map((o) => JSON.stringify(o))
          .join("\n")
      )
      expect(items.map(Manifest.augmentSteps)).toEqual([["blur", "jpeg"], ["perspective", "lighting", "noise"], []])
      const synth = yield* Manifest.load("synth-docs", datasets)
      const scans = synth.items.filter((i) => i.kind === "synth-scan")
      expect(scans.length).toBeGreaterThan(0)
      expect(scans.every((i) => Manifest.augmentSteps(i).includes("jpeg"))).toBe(true)
    })
  )

  it.effect("reads lines, boxes and blocks", () =>
    Effect.gen(function* () {
      const items = yield* Manifest.parse(
        [
          JSON.stringify({
            id: "a",
            image: "a.png",
            lang: "mixed",
            kind: "synth-doc",
            text: "标题\n正文 text",
            quality: "exact",
            source: "test",
            licence: "CC0-1.0",
            lines: [
              { text: "标题", box: { x: 1, y: 2, width: 30, height: 10 }, block: 0 },
              { text: "正文 text", box: { x: 1, y: 20, width: 60, height: 8 }, block: 1 }
            ],
            blocks: [
              { kind: "heading", level: 1, box: { x: 1, y: 2, width: 30, height: 10 }, lines: [0] },
              { kind: "paragraph", box: { x: 1, y: 20, width: 60, height: 8 }, lines: [1] }
            ]
          }),
          ""
        ].join("\n")
      )
      expect(items[0]!.blocks![0]!.kind).toBe("heading")
      expect(items[0]!.lines![1]!.box!.y).toBe(20)
      // Round trip through the writer.
      expect(yield* Manifest.parse(Manifest.format(items))).toEqual(items)
    })
  )

  it.effect("says which line is wrong and why", () =>
    Effect.gen(function* () {
      const bad = yield* Manifest.parse('{"id":"a"}\nnot json', "m.jsonl").pipe(Effect.flip)
      expect(bad.reason).toBe("Invalid")
      expect(bad.message).toMatch(/^Expected a manifest item for m\.jsonl:1 but received \{"id":"a"\}/)
      const json = yield* Manifest.parse("not json", "m.jsonl").pipe(Effect.flip)
      expect(json.message).toMatch(/^Expected a JSON object for m\.jsonl:1 but received invalid JSON/)
      const line = { id: "a", image: "a.png", lang: "en", kind: "line", text: "x", source: "s" }
      const noQuality = yield* Manifest.parse(JSON.stringify(line), "m.jsonl").pipe(Effect.flip)
      expect(noQuality.message).toBe('Expected a quality ("exact" or "partial") for m.jsonl:1 but received none')
      const twice = JSON.stringify({ ...line, quality: "exact" })
      const dup = yield* Manifest.parse(`${twice}\n${twice}`, "m.jsonl").pipe(Effect.flip)
      expect(dup.message).toBe("Expected a unique id for m.jsonl:2 but received 'a' a second time")
      const missing = yield* Manifest.load("no-such-set", datasets).pipe(Effect.flip)
      expect(missing.reason).toBe("NotFound")
      expect(missing.message).toMatch(
        /^Expected a dataset folder with a manifest\.jsonl for dataset but received "no-such-set"\. Known datasets: .*real-dev/
      )
    })
  )
})
