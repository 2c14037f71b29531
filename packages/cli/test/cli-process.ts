/**
 * Running the real `ocr2word` bin as a child process (through npx, so the
 * shebang finds the workspace's Node 24) and reading back what it wrote:
 * .docx text, real-dev ground truth and the dataset's CER.
 */
import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { unzipSync } from "fflate"
import { onTestFinished } from "vitest"

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url))

const manifest: ReadonlyArray<{ id: string; image: string; text: string }> = readFileSync(
  join(repoRoot, "datasets/real-dev/manifest.jsonl"),
  "utf8"
)
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line))

const entry = (id: string) => {
  const found = manifest.find((m) => m.id === id)
  if (found === undefined) throw new Error(`No real-dev image ${id}`)
  return found
}

/** Absolute path of a real-dev image. */
export const image = (id: string): string => join(repoRoot, "datasets/real-dev", entry(id).image)

/** Ground truth of a real-dev image. */
export const groundTruth = (id: string): string => entry(id).text

/** A fresh directory, removed when the current test finishes. */
export const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "ocr2word-e2e-"))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Run `npx ocr2word ...args` (the workspace's bin, whatever the working directory). */
export const runCli = (args: ReadonlyArray<string>, options: { readonly cwd?: string } = {}): Promise<CliResult> =>
  new Promise((resolve) => {
    execFile(
      "npx",
      ["--prefix", repoRoot, "--no-install", "ocr2word", ...args],
      { cwd: options.cwd ?? repoRoot, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
        resolve({ code, stdout, stderr: stripNpmWarnings(stderr) })
      }
    )
  })

const stripNpmWarnings = (text: string) =>
  text
    .split("\n")
    .filter((line) => !line.startsWith("npm warn"))
    .join("\n")

/** Text of a .docx: paragraphs on their own lines. */
export const docxText = (file: string): string => {
  const entries = unzipSync(readFileSync(file))
  const xml = entries["word/document.xml"]
  if (xml === undefined) throw new Error(`${file} has no word/document.xml`)
  return new TextDecoder()
    .decode(xml)
    .split(/<\/w:p>/)
    .map((paragraph) =>
      [...paragraph.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)]
        .map((m) => m[1]!)
        .join("")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, "&")
    )
    .filter((line) => line.length > 0)
    .join("\n")
}

const normalize = (text: string) => [...text.normalize("NFKC").replace(/\s+/gu, "")]

/** Character error rate as the real-dev README defines it: NFKC, white space dropped. */
export const cer = (hypothesis: string, reference: string): number => {
  const h = normalize(hypothesis)
  const r = normalize(reference)
  let previous = Array.from({ length: h.length + 1 }, (_, j) => j)
  for (let i = 1; i <= r.length; i++) {
    const current = [i]
    for (let j = 1; j <= h.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[h.length]! / Math.max(1, r.length)
}
