/**
 * Every options schema a layer decodes at a boundary says, on each key, what
 * that key takes: core's `OptionDecoding` can then word any refusal in the
 * house format. A key added without its `expected` annotation fails here.
 */
import { describe, expect, it } from "@effect/vitest"
import { OptionDecoding, Pipeline } from "@ocr2word/core"
import { DocxDocumentWriter } from "@ocr2word/docx"
import { PdfDocumentWriter } from "@ocr2word/formats"
import { ImagePreprocessor, SharpImageSource } from "@ocr2word/image"
import { XyCutLayoutAnalyzer } from "@ocr2word/layout"
import { PaddleModels, PaddleTextDetector, PaddleTextRecognizer } from "@ocr2word/paddle"
import { TesseractTextDetector, TesseractTextRecognizer, TesseractWorkers } from "@ocr2word/tesseract"
import * as Engines from "../src/Engines.ts"

const schemas = {
  "Pipeline.PipelineOptions": Pipeline.PipelineOptions,
  "Engines.PipelineSelection": Engines.PipelineSelection,
  "SharpImageSource.Options": SharpImageSource.Options,
  "ImagePreprocessor.Options": ImagePreprocessor.Options,
  "XyCutLayoutAnalyzer.Options": XyCutLayoutAnalyzer.Options,
  "PaddleModels.Options": PaddleModels.Options,
  "PaddleTextDetector.Options": PaddleTextDetector.Options,
  "PaddleTextRecognizer.Options": PaddleTextRecognizer.Options,
  "TesseractWorkers.Options": TesseractWorkers.Options,
  "TesseractTextDetector.Options": TesseractTextDetector.Options,
  "TesseractTextRecognizer.Options": TesseractTextRecognizer.Options,
  "DocxDocumentWriter.Options": DocxDocumentWriter.Options,
  "PdfDocumentWriter.Options": PdfDocumentWriter.Options
}

describe("options schemas", () => {
  it("say on every key what it takes", () => {
    const unsaid = Object.entries(schemas).flatMap(([name, schema]) =>
      OptionDecoding.expectations(schema)
        .filter((key) => key.expected === undefined)
        .map((key) => `${name}.${key.name}`)
    )
    expect(unsaid).toEqual([])
    for (const schema of Object.values(schemas)) expect(OptionDecoding.expectations(schema).length).toBeGreaterThan(0)
  })
})
