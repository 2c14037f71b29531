/**
 * tinybench micro-benchmarks of the hot pure functions: DB post-processing,
 * CTC decoding, line cropping, layout (reading order) and docx writing. Inputs
 * are built here (a synthetic probability map and CTC output, the first
 * committed synth-docs page's ground-truth lines), so no model is loaded.
 *
 *   npx node benchmarks/src/micro.ts
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { type Document, DocumentWriter, Geometry, PageBuilder, Raster, TextCrop } from "@ocr2word/core"
import { DocxDocumentWriter } from "@ocr2word/docx"
import { XyCutLayoutAnalyzer } from "@ocr2word/layout"
import { CtcDecode, DbPostprocess } from "@ocr2word/paddle"
import { Effect } from "effect"
import { Bench } from "tinybench"

const root = Path.resolve(import.meta.dirname, "../..")

// A 960x960 probability map with 60 text-line blobs.
const W = 960
const map = { width: W, height: W, data: new Float32Array(W * W) }
for (let k = 0; k < 60; k++) {
  const x0 = 20 + (k % 2) * 470
  const y0 = 10 + Math.floor(k / 2) * 31
  for (let y = y0; y < y0 + 18; y++) for (let x = x0; x < x0 + 420; x++) map.data[y * W + x] = 0.9
}

// CTC output: 80 steps over a 6,625-class dictionary.
const dictionary = Array.from({ length: 6623 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join("\n")
const labels = CtcDecode.labelsFromDictionary(dictionary)
const classes = CtcDecode.classCount(labels)
const steps = 80
const ctc = new Float32Array(steps * classes)
for (let t = 0; t < steps; t++) ctc[t * classes + (t % 3 === 0 ? 0 : 1 + ((t * 37) % (classes - 1)))] = 0.9

// A page raster and a slightly tilted line quad.
const page = Raster.make(1000, 1400, 3, 230)
const quad: Geometry.Quad = [
  { x: 100, y: 200 },
  { x: 700, y: 215 },
  { x: 699, y: 245 },
  { x: 99, y: 230 }
]

// Ground-truth lines of a committed page as layout input and as a document.
const item = JSON.parse(Fs.readFileSync(Path.join(root, "datasets/synth-docs/manifest.jsonl"), "utf8").split("\n")[0]!)
const lines: Array<Document.Line> = item.lines.map((l: { text: string; box: Geometry.Box }) => ({
  text: l.text,
  box: l.box,
  polygon: Geometry.quadOfBox(l.box),
  confidence: 1,
  direction: "horizontal" as const,
  script: "mixed" as const,
  words: []
}))
const layout = await Effect.runPromise(XyCutLayoutAnalyzer.make())
const pageRaster = Raster.make(item.width, item.height, 3)
const blocks = await Effect.runPromise(layout.analyze({ image: pageRaster, lines }))
const document: Document.Document = {
  pages: [PageBuilder.build({ index: 0, width: item.width, height: item.height, rotation: 0, skew: 0, blocks })],
  metadata: { engine: "micro", createdAt: new Date().toISOString() }
}
const writer = await Effect.runPromise(
  Effect.provide(Effect.service(DocumentWriter.DocumentWriter), DocxDocumentWriter.layer)
)

const bench = new Bench({ time: 1000, warmupTime: 200 })
bench
  .add("DbPostprocess.boxes 960x960, 60 lines", () => {
    DbPostprocess.boxes(map)
  })
  .add("CtcDecode.decode 80 steps x 6625 classes", () => {
    CtcDecode.decode(labels, ctc, steps, classes)
  })
  .add("TextCrop.cropLine 600x30 from 1000x1400", () => {
    TextCrop.cropLine(page, quad)
  })
  .add(`XyCutLayoutAnalyzer.analyze ${lines.length} lines`, async () => {
    await Effect.runPromise(layout.analyze({ image: pageRaster, lines }))
  })
  .add(`DocxDocumentWriter.write ${lines.length} lines`, async () => {
    await Effect.runPromise(writer.write(document))
  })
await bench.run()
process.stdout.write(`${"task".padEnd(44)} ${"mean ms".padStart(9)} ${"p99 ms".padStart(9)} ${"ops/s".padStart(9)}\n`)
for (const task of bench.tasks) {
  const r = task.result as { latency?: { mean: number; p99?: number }; throughput?: { mean: number } } | undefined
  process.stdout.write(
    `${task.name.padEnd(44)} ${(r?.latency?.mean ?? Number.NaN).toFixed(3).padStart(9)} ${(r?.latency?.p99 ?? Number.NaN).toFixed(3).padStart(9)} ${(r?.throughput?.mean ?? Number.NaN).toFixed(0).padStart(9)}\n`
  )
}
