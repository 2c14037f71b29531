/**
 * A stage backend of your own: a `TextRecognizer` that hands each line crop to the `tesseract`
 * command (apt install tesseract-ocr), used after the Paddle detector. Any engine that reads a
 * line image fits the same shape: one `{ text, confidence }` per crop, in order.
 *
 *   npx node examples/custom-recognizer.ts scan.png
 */
import { execFile } from "node:child_process"
import { readFile } from "node:fs/promises"
import { promisify } from "node:util"
import { DocumentWriter, Pipeline, type Raster, StageError, TextClassifier, TextRecognizer } from "@ocr2word/core"
import { TextDocumentWriter } from "@ocr2word/docx"
import { ImagePreprocessor, SharpImageSource } from "@ocr2word/image"
import { XyCutLayoutAnalyzer } from "@ocr2word/layout"
import { PaddleModels, PaddleTextDetector } from "@ocr2word/paddle"
import { Effect, Layer } from "effect"
import sharp from "sharp"

const readLine = async (crop: Raster.Raster) => {
  const png = await sharp(crop.data, { raw: { width: crop.width, height: crop.height, channels: crop.channels } })
    .png()
    .toBuffer()
  const run = promisify(execFile)("tesseract", ["-", "-", "--psm", "7", "-l", "eng+chi_sim"], { encoding: "utf8" })
  run.child.stdin?.end(png)
  return { text: (await run).stdout.trim(), confidence: 1 }
}

const TesseractCliRecognizer = Layer.succeed(TextRecognizer.TextRecognizer, {
  name: "tesseract-cli",
  recognize: (crops) =>
    Effect.tryPromise({
      try: () => Promise.all(crops.map(readLine)),
      catch: (e) => new StageError.RecognitionError({ reason: "InferenceFailed", message: `tesseract: ${String(e)}` })
    })
})

const Ocr = Pipeline.layer().pipe(
  Layer.provide(
    Layer.mergeAll(
      SharpImageSource.layer,
      ImagePreprocessor.layer,
      PaddleTextDetector.layer.pipe(Layer.provide(PaddleModels.layer)),
      TextClassifier.TextClassifier.none,
      TesseractCliRecognizer,
      XyCutLayoutAnalyzer.layer
    )
  )
)

const [input = "scan.png"] = process.argv.slice(2)
const program = Effect.gen(function* () {
  const pipeline = yield* Pipeline.Pipeline
  const writer = yield* DocumentWriter.DocumentWriter
  const document = yield* pipeline.run(yield* Effect.promise(() => readFile(input)), { source: input })
  process.stdout.write(yield* writer.write(document))
})
Effect.runPromise(program.pipe(Effect.provide(Layer.mergeAll(Ocr, TextDocumentWriter.layer))))
