/**
 * The programs in examples/ run as a user would run them (`npx node examples/<name>.ts`), on a
 * real image, and read it: the text that comes out is scored against the image's ground truth.
 */
import { execFile, execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { promisify } from "node:util"
import { describe, expect, it } from "@effect/vitest"
import { Metrics } from "@ocr2word/benchmarks"
import { docxText, image, root, truth } from "./fixtures/real-image.ts"
import { ready, serve } from "./fixtures/serve.ts"

const example = (name: string, ...args: Array<string>) =>
  promisify(execFile)(process.execPath, [Path.join(root, "examples", name), ...args], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024
  })

const hasTesseractCli = (() => {
  try {
    return execFileSync("tesseract", ["--list-langs"], { encoding: "utf8" }).includes("chi_sim")
  } catch {
    return false
  }
})()

describe("examples", () => {
  it("custom-pipeline.ts: Tesseract detection + Paddle recognition, written as text", async () => {
    const out = Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "ocr2word-example-")), "scan.txt")
    await example("custom-pipeline.ts", image, out)
    const text = Fs.readFileSync(out, "utf8")
    expect(text).toContain("Reduce your risk of coronavirus infection")
    expect(Metrics.cer(truth, text)).toBeLessThan(0.05)
  })

  it.skipIf(!hasTesseractCli)("custom-recognizer.ts: a TextRecognizer wrapping the tesseract command", async () => {
    const { stdout } = await example("custom-recognizer.ts", image)
    expect(stdout).toContain("Clean hands with soap and water")
    expect(Metrics.cer(truth, stdout)).toBeLessThan(0.1)
  })

  it("typed-client.ts: the typed client converts through a running ocr2word serve", async () => {
    const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "ocr2word-example-"))
    const server = await serve(Path.join(root, "packages/cli/bin/ocr2word.js"), Path.join(dir, "data"), {
      cwd: dir,
      env: process.env
    })
    try {
      await ready(server.base, () => {})
      const out = Path.join(dir, "scan.docx")
      const { stdout } = await example("typed-client.ts", server.base, server.key, image, out)
      expect(stdout).toMatch(/scan\.docx: \d+ bytes from http:\/\/\S+\/files\/[0-9a-f]{32}\.docx \(1 request\(s\)\)/)
      expect(Metrics.cer(truth, docxText(Fs.readFileSync(out)))).toBeLessThan(0.05)
    } finally {
      server.stop()
    }
  })
})
