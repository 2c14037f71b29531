/**
 * The manifest format shared by every dataset under `datasets/`: one JSON
 * object per line of `manifest.jsonl`, one line per image, with the ground
 * truth text in reading order and, where the set knows them, the line boxes
 * and the block structure (headings, paragraphs, tables with cells, figures).
 *
 * Use `load` to read a set by folder; it also accepts the field names of
 * `datasets/real-dev` and `datasets/real-dev-2` (`gt_quality`, `gt_note`,
 * `gt_case`, `license`), so every set reads the same.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { Document, Geometry, OptionDecoding } from "@ocr2word/core"
import { Effect, Schema } from "effect"

/** An axis-aligned box in image pixels. */
const Box = Geometry.Box

/** Languages of a whole item. */
export const Language = Schema.Literals(["zh", "en", "mixed"])
export type Language = typeof Language.Type

/** How complete the ground truth is. */
export const Quality = Schema.Literals(["exact", "partial"])
export type Quality = typeof Quality.Type

/**
 * The letter case of the ground truth. "upper": the truth is all capitals while
 * the image prints mixed case (real-dev-2's SROIE receipts), so every text
 * metric folds case on both sides (`Metrics.Folding`).
 */
export const GroundTruthCase = Schema.Literals(["upper"])
export type GroundTruthCase = typeof GroundTruthCase.Type

/** A ground-truth line: its text and, where known, its box and the block it belongs to. */
export const GroundTruthLine = Schema.Struct({
  text: Schema.String,
  box: Schema.optionalKey(Box),
  /** Index into the item's `blocks`. */
  block: Schema.optionalKey(Schema.Number)
})
export type GroundTruthLine = typeof GroundTruthLine.Type

/** Roles of ground-truth blocks: core's `Document.BlockKind`, so scores compare like with like. */
export const BlockKind = Document.BlockKind
export type BlockKind = Document.BlockKind

/** A table cell: its place in the grid and the indices of its lines. */
export const GroundTruthCell = Schema.Struct({
  row: Schema.Number,
  column: Schema.Number,
  rowSpan: Schema.Number,
  columnSpan: Schema.Number,
  box: Box,
  lines: Schema.Array(Schema.Number)
})
export type GroundTruthCell = typeof GroundTruthCell.Type

/** A block in reading order; `lines` are indices into the item's `lines`. */
export const GroundTruthBlock = Schema.Struct({
  kind: BlockKind,
  box: Box,
  lines: Schema.Array(Schema.Number),
  level: Schema.optionalKey(Schema.Number),
  column: Schema.optionalKey(Schema.Number),
  cells: Schema.optionalKey(Schema.Array(GroundTruthCell))
})
export type GroundTruthBlock = typeof GroundTruthBlock.Type

/** One item of a dataset, as held in memory. */
export const Item = Schema.Struct({
  id: Schema.String,
  /** Image path relative to the manifest's folder. */
  image: Schema.String,
  lang: Language,
  /** What the image is: line, screenshot, photo, doc, receipt, slide, handwritten, synth-doc... */
  kind: Schema.String,
  /** Ground truth: lines joined with "\n", in reading order. */
  text: Schema.String,
  quality: Quality,
  /** Set when the truth's letter case is not the image's: text metrics then fold case. */
  case: Schema.optionalKey(GroundTruthCase),
  /** Where the image and its text come from. */
  source: Schema.String,
  licence: Schema.optionalKey(Schema.String),
  note: Schema.optionalKey(Schema.String),
  sha1: Schema.optionalKey(Schema.String),
  width: Schema.optionalKey(Schema.Number),
  height: Schema.optionalKey(Schema.Number),
  /** Lines in reading order, where the set knows them line by line. */
  lines: Schema.optionalKey(Schema.Array(GroundTruthLine)),
  /** Blocks in reading order, where the set knows the structure. */
  blocks: Schema.optionalKey(Schema.Array(GroundTruthBlock)),
  /**
   * How the image was altered after rendering (synthetic sets): step name to its
   * parameter, or a list of steps in the order applied (see `augmentSteps`).
   */
  augment: Schema.optionalKey(
    Schema.Union([Schema.Record(Schema.String, Schema.Unknown), Schema.Array(Schema.Unknown)])
  )
})
export type Item = typeof Item.Type

/** What a manifest line may hold: the current names, or real-dev's `gt_quality`/`gt_note`/`gt_case`/`license`. */
const ManifestLine = Schema.Struct({
  ...Item.fields,
  quality: Schema.optionalKey(Quality),
  gt_quality: Schema.optionalKey(Quality),
  gt_note: Schema.optionalKey(Schema.String),
  gt_case: Schema.optionalKey(GroundTruthCase),
  license: Schema.optionalKey(Schema.String)
})

/** A dataset loaded from its folder. */
export interface Dataset {
  readonly name: string
  /** Absolute folder of the manifest; item images are relative to it. */
  readonly root: string
  readonly items: ReadonlyArray<Item>
}

/** A manifest that could not be read or does not follow the format. */
export class ManifestError extends Schema.TaggedError<ManifestError>()("ManifestError", {
  reason: Schema.Literals(["NotFound", "Invalid"]),
  message: Schema.String
}) {}

const decodeLine = Schema.decodeUnknownExit(ManifestLine)

/**
 * Parse the text of a `manifest.jsonl`. `file` only names the manifest in
 * error messages. Blank lines are skipped; every other line must decode.
 */
export const parse = (text: string, file = "manifest.jsonl"): Effect.Effect<ReadonlyArray<Item>, ManifestError> =>
  Effect.gen(function* () {
    const items: Array<Item> = []
    const ids = new Set<string>()
    const rows = text.split("\n")
    for (let n = 0; n < rows.length; n++) {
      const row = rows[n]!.trim()
      if (row.length === 0) continue
      const where = `${file}:${n + 1}`
      let json: unknown
      try {
        json = JSON.parse(row)
      } catch (e) {
        return yield* new ManifestError({
          reason: "Invalid",
          message: `Expected a JSON object for ${where} but received invalid JSON (${(e as Error).message})`
        })
      }
      const exit = decodeLine(json)
      if (exit._tag === "Failure") {
        return yield* new ManifestError({
          reason: "Invalid",
          message: `Expected a manifest item for ${where} but received ${row.slice(0, 120)}${row.length > 120 ? "..." : ""}: ${String(exit.cause).replace(/\s+/g, " ").slice(0, 300)}`
        })
      }
      const { gt_quality, gt_note, gt_case, license, quality, note, case: textCase, licence, ...rest } = exit.value
      const q = quality ?? gt_quality
      if (q === undefined) {
        return yield* new ManifestError({
          reason: "Invalid",
          message: `Expected a quality ("exact" or "partial") for ${where} but received none`
        })
      }
      if (ids.has(rest.id)) {
        return yield* new ManifestError({
          reason: "Invalid",
          message: `Expected a unique id for ${where} but received '${rest.id}' a second time`
        })
      }
      ids.add(rest.id)
      const n2 = note ?? gt_note
      const c = textCase ?? gt_case
      const l = licence ?? license
      items.push({
        ...rest,
        quality: q,
        ...(c !== undefined ? { case: c } : {}),
        ...(l !== undefined ? { licence: l } : {}),
        ...(n2 !== undefined ? { note: n2 } : {})
      })
    }
    return items
  })

/**
 * Load a dataset. `nameOrPath` is a folder holding `manifest.jsonl`, or the
 * name of a set under `datasetsDir` (e.g. "real-dev", "synth-docs",
 * "synth-docs/generated").
 */
export const load = (nameOrPath: string, datasetsDir = "datasets"): Effect.Effect<Dataset, ManifestError> =>
  Effect.gen(function* () {
    const candidates = [Path.resolve(nameOrPath), Path.resolve(datasetsDir, nameOrPath)]
    for (const dir of candidates) {
      const file = Path.join(dir, "manifest.jsonl")
      const text = yield* Effect.promise(() => Fs.readFile(file, "utf8").catch(() => undefined))
      if (text === undefined) continue
      const items = yield* parse(text, file)
      return { name: Path.relative(Path.resolve(datasetsDir), dir) || nameOrPath, root: dir, items }
    }
    const known = yield* Effect.promise(() => listDatasets(datasetsDir))
    return yield* new ManifestError({
      reason: "NotFound",
      message: `Expected a dataset folder with a manifest.jsonl for dataset but received ${OptionDecoding.show(nameOrPath)}. Known datasets: ${known.join(", ") || "(none)"}`
    })
  })

/** Names of the sets under `datasetsDir` that have a manifest (one level, plus their `generated/`). */
export const listDatasets = async (datasetsDir = "datasets"): Promise<ReadonlyArray<string>> => {
  const names: Array<string> = []
  const entries = await Fs.readdir(datasetsDir, { withFileTypes: true }).catch(() => [])
  for (const entry of entries) {
    if (!entry.isDirectory()) continue
    for (const sub of [entry.name, `${entry.name}/generated`]) {
      const ok = await Fs.access(Path.join(datasetsDir, sub, "manifest.jsonl")).then(
        () => true,
        () => false
      )
      if (ok) names.push(sub)
    }
  }
  return names.sort()
}

/**
 * The names of the degradation steps applied to an item, in manifest order:
 * the keys of an `augment` record (`{ "blur": 1.2, "jpeg": 60 }`), or the
 * entries of an `augment` list, each a step name or an object naming its step
 * in `step`, `name`, `kind` or `type`. Empty for clean items.
 */
export const augmentSteps = (item: Item): ReadonlyArray<string> => {
  const a = item.augment
  if (a === undefined) return []
  if (!Array.isArray(a)) return Object.keys(a)
  return a.flatMap((step: unknown) => {
    if (typeof step === "string") return [step]
    if (typeof step === "object" && step !== null) {
      const o = step as Record<string, unknown>
      const name = o.step ?? o.name ?? o.kind ?? o.type
      if (typeof name === "string") return [name]
    }
    return []
  })
}

/** Absolute path of an item's image. */
export const imagePath = (dataset: Dataset, item: Item): string => Path.resolve(dataset.root, item.image)

/** Serialise items as manifest.jsonl text. */
export const format = (items: ReadonlyArray<Item>): string =>
  `${items.map((item) => JSON.stringify(item)).join("\n")}\n`
