/**
 * Benchmarking a backend of your own on your own images. Put the images in a folder with a
 * `manifest.jsonl`, one JSON object a line: `id`, `image` (relative to the folder), `lang` (`zh`,
 * `en` or `mixed`), `kind` (any word: `receipt`, `scan`...), `text` (the ground truth, one line a
 * line), `quality` (`exact`, or `partial` where the truth leaves some text out) and `source`
 * (where the image comes from); `Manifest.Item` has the optional fields. Compose your stages into a
 * `Conversion`, and `Bench.run` scores it beside the built-in engines on every image: CER,
 * recall, the part of the error due to reading order, times; the per-kind table is printed and
 * `report.md`, `results.json` and the charts are written to the results folder.
 *
 *   npx node examples/bench-backend.ts my-scans/ bench-results/ [paddle,tesseract]
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { Bench, Manifest, Report } from "@ocr2word/benchmarks"
import { Conversion, Pipeline, TextClassifier } from "@ocr2word/core"
import { DocxDocumentWriter } from "@ocr2word/docx"
import { ImagePreprocessor, SharpImageSource } from "@ocr2word/image"
import { XyCutLayoutAnalyzer } from "@ocr2word/layout"
import { PaddleModels, PaddleTextDetector } from "@ocr2word/paddle"
import { TesseractTextRecognizer, TesseractWorkers } from "@ocr2word/tesseract"
import { Effect, Layer } from "effect"

const [folder = "my-scans", out = "bench-results", against = "paddle"] = process.argv.slice(2)

// The backend under test: PaddleOCR finds the lines, Tesseract reads them. Put your own
// `TextDetector` or `TextRecognizer` layer here (custom-recognizer.ts shows one in 40 lines).
const Stages = Layer.mergeAll(
  SharpImageSource.layer,
  ImagePreprocessor.layer,
  PaddleTextDetector.layer.pipe(Layer.provide(PaddleModels.layer)),
  TextClassifier.TextClassifier.none,
  TesseractTextRecognizer.layer.pipe(Layer.provide(TesseractWorkers.layer)),
  XyCutLayoutAnalyzer.layer
)
const Mine = Conversion.layer.pipe(
  Layer.provide(Layer.mergeAll(Pipeline.layer().pipe(Layer.provide(Stages)), DocxDocumentWriter.layer))
)

const fail = (message: string): never => {
  console.error(`bench-backend: ${message}`)
  process.exit(1)
}

const dataset = await Effect.runPromise(
  Manifest.load(folder).pipe(
    // Named after its folder in the report.
    Effect.map((set) => ({ ...set, name: Path.basename(set.root) })),
    Effect.catchTag("ManifestError", (e) => Effect.sync(() => fail(e.message)))
  )
)
const missing = dataset.items.filter((item) => !Fs.existsSync(Manifest.imagePath(dataset, item)))
if (missing.length > 0)
  fail(
    `the manifest names images that are not in ${dataset.root}: ${missing.map((i) => i.image).join(", ")}; fix their "image" paths (relative to the folder).`
  )

const runs = await Bench.run({
  pipelines: ["mine", ...against.split(",").filter((name) => name !== "")],
  runners: { mine: () => Bench.conversionRunner("mine", "Paddle detection + Tesseract recognition -> docx", Mine) },
  datasets: [dataset],
  onProgress: (pipeline, done, total, item) => console.error(`${pipeline}: ${done}/${total} ${item}`),
  onNote: (message) => console.error(message)
})
for (const run of runs) if (run.error !== undefined) console.error(`${run.pipeline} did not run: ${run.error}`)
console.log(Report.kindTable(runs))
for (const file of Report.write(runs, `examples/bench-backend.ts ${process.argv.slice(2).join(" ")}`, out))
  console.log(`wrote ${file}`)
