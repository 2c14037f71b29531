/**
 * A pipeline of your own: Tesseract finds the text lines, PaddleOCR reads them, and the result is
 * written as plain text. Any detector pairs with any recogniser: each stage is a layer.
 *
 *   npx node examples/custom-pipeline.ts scan.png scan.txt
 */
import { NodeServices } from "@effect/platform-node"
import { DocumentWriter, Pipeline, TextClassifier } from "@ocr2word/core"
import { TextDocumentWriter } from "@ocr2word/docx"
import { ImagePreprocessor, SharpImageSource } from "@ocr2word/image"
import { XyCutLayoutAnalyzer } from "@ocr2word/layout"
import { PaddleModels, PaddleTextRecognizer } from "@ocr2word/paddle"
import { TesseractTextDetector, TesseractWorkers } from "@ocr2word/tesseract"
import { Effect, FileSystem, Layer } from "effect"

const [input = "scan.png", output = "scan.txt"] = process.argv.slice(2)

const Stages = Layer.mergeAll(
  SharpImageSource.layer,
  ImagePreprocessor.layer,
  TesseractTextDetector.layer.pipe(Layer.provide(TesseractWorkers.layer)),
  TextClassifier.TextClassifier.none,
  PaddleTextRecognizer.layer.pipe(Layer.provide(PaddleModels.layer)),
  XyCutLayoutAnalyzer.layer
)
const Ocr = Pipeline.layer().pipe(Layer.provide(Stages))

const program = Effect.gen(function* () {
  const fs = yield* FileSystem.FileSystem
  const pipeline = yield* Pipeline.Pipeline
  const writer = yield* DocumentWriter.DocumentWriter
  const document = yield* pipeline.run(yield* fs.readFile(input), { source: input })
  yield* fs.writeFile(output, yield* writer.write(document))
})

Effect.runPromise(program.pipe(Effect.provide(Layer.mergeAll(Ocr, TextDocumentWriter.layer, NodeServices.layer))))
