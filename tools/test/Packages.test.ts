/**
 * The published packages, as a project outside this workspace gets them: every `@ocr2word/*`
 * package is built (Nx, cached) and packed with `npm pack`, `npm publish --dry-run` must be clean
 * for each, and the tarballs alone are installed into a fresh project in a temporary folder (its
 * own package.json, third-party dependencies and the model packages from the registry, Node 24 of
 * this workspace). There the README's composition example runs on a real image and the installed
 * `ocr2word` serves a conversion through its worker thread, both from dist/ (no `source`
 * condition, no TypeScript inside node_modules). Asserts on the text that comes out.
 */
import { type ExecFileOptions, execFile } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Metrics } from "@ocr2word/benchmarks"
import { docxText, image, root, truth } from "./fixtures/real-image.ts"
import { ready, serve } from "./fixtures/serve.ts"

const published = Fs.readdirSync(Path.join(root, "packages"))
  .filter((name) => Fs.existsSync(Path.join(root, "packages", name, "tsconfig.lib.json")))
  .map((name) => ({ name, dir: Path.join(root, "packages", name) }))
  .concat([{ name: "benchmarks", dir: Path.join(root, "benchmarks") }])
  .filter(({ dir }) => JSON.parse(Fs.readFileSync(Path.join(dir, "package.json"), "utf8")).private !== true)

// npm and the outside project's node run on this Node 24; the outside project resolves dist/,
// so the workspace's `--conditions=source` is taken out of its environment.
const { NODE_OPTIONS: _workspaceConditions, ...inherited } = process.env
const env = { ...inherited, PATH: `${Path.dirname(process.execPath)}:${process.env.PATH}`, NO_COLOR: "1" }
const run = (command: string, args: ReadonlyArray<string>, options: ExecFileOptions = {}) =>
  promisify(execFile)(command, args, { env, maxBuffer: 64 * 1024 * 1024, encoding: "utf8", ...options }) as Promise<{
    stdout: string
    stderr: string
  }>

// npm's warnings, and Node's "(node:123) SomeWarning: ..." lines.
const warnings = (output: string) => output.split("\n").filter((line) => /^npm warn|Warning: /.test(line))

const work = Fs.mkdtempSync(Path.join(Os.tmpdir(), "ocr2word-packages-"))
const tarballs = Path.join(work, "tarballs")
const outside = Path.join(work, "outside")

beforeAll(async () => {
  await run(process.execPath, [Path.join(root, "node_modules/nx/dist/bin/nx.js"), "run-many", "-t", "build"], {
    cwd: root
  })
  Fs.mkdirSync(tarballs)
  for (const { dir } of published) await run("npm", ["pack", "--silent", "--pack-destination", tarballs], { cwd: dir })
  Fs.mkdirSync(outside)
  Fs.writeFileSync(
    Path.join(outside, "package.json"),
    JSON.stringify({
      name: "outside-project",
      private: true,
      type: "module",
      // As the packages' READMEs say: onnxruntime-node's install script would download CUDA binaries.
      allowScripts: { "onnxruntime-node": false, "tesseract.js": false, "msgpackr-extract": false }
    })
  )
  const files = Fs.readdirSync(tarballs).map((file) => Path.join(tarballs, file))
  await run(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", ...files, "effect@4.1.0", "@effect/platform-node@4.1.0"],
    { cwd: outside }
  )
}, 900_000)

afterAll(() => Fs.rmSync(work, { recursive: true, force: true }))

describe("published packages", () => {
  it("each tarball holds dist/ (JS and .d.ts), README, CHANGELOG and LICENSE, and no sources or tests", () => {
    const packed = Fs.readdirSync(tarballs)
    expect(packed).toHaveLength(published.length)
    for (const { name } of published) {
      const installed = Path.join(outside, "node_modules/@ocr2word", name)
      const manifest = JSON.parse(Fs.readFileSync(Path.join(installed, "package.json"), "utf8"))
      expect(manifest.exports["."]).toEqual({
        source: "./src/index.ts",
        types: "./dist/index.d.ts",
        import: "./dist/index.js"
      })
      for (const file of ["dist/index.js", "dist/index.d.ts", "README.md", "CHANGELOG.md", "LICENSE"])
        expect(Fs.existsSync(Path.join(installed, file)), `${name}: ${file}`).toBe(true)
      for (const absent of ["src", "test", "tsconfig.json", "dist/tsconfig.lib.tsbuildinfo"])
        expect(Fs.existsSync(Path.join(installed, absent)), `${name}: ${absent}`).toBe(false)
      expect(manifest.license).toBe("Apache-2.0")
      expect(manifest.engines.node).toBe(">=24")
    }
  })

  it("npm publish --dry-run is clean for every package", async () => {
    for (const { name, dir } of published) {
      const { stdout, stderr } = await run("npm", ["publish", "--dry-run"], { cwd: dir })
      expect(stdout).toContain(`+ @ocr2word/${name}@`)
      // Without a registry login a dry run always says it would need one; anything else is a finding.
      expect(
        warnings(stderr).filter((line) => !/requires you to be logged in/.test(line)),
        name
      ).toEqual([])
    }
  }, 300_000)

  it("the README's composition example runs from the tarballs and reads the image", async () => {
    const readme = Fs.readFileSync(Path.join(root, "README.md"), "utf8")
    const example = readme
      .split("## Composing a pipeline in code")[1]!
      .match(/```ts\n([\s\S]*?)```/)![1]!
      .replaceAll('"scan.png"', JSON.stringify(image))
      .replaceAll('"scan.docx"', JSON.stringify(Path.join(outside, "scan.docx")))
    Fs.writeFileSync(Path.join(outside, "example.ts"), example)
    const { stderr } = await run(process.execPath, ["example.ts"], { cwd: outside })
    expect(warnings(stderr)).toEqual([])
    const text = docxText(Fs.readFileSync(Path.join(outside, "scan.docx")))
    expect(text).toContain("Reduce your risk of coronavirus infection")
    expect(Metrics.cer(truth, text)).toBeLessThan(0.05)
  })

  it("examples/bench-backend.ts runs from the tarballs on a folder of the user's own images", async () => {
    const folder = Path.join(outside, "my-scans")
    Fs.mkdirSync(folder)
    Fs.copyFileSync(image, Path.join(folder, "scan.png"))
    const item = { id: "scan", image: "scan.png", lang: "en", kind: "screenshot", text: truth, quality: "exact" }
    Fs.writeFileSync(Path.join(folder, "manifest.jsonl"), `${JSON.stringify({ ...item, source: "real-dev" })}\n`)
    Fs.copyFileSync(Path.join(root, "examples/bench-backend.ts"), Path.join(outside, "bench-backend.ts"))
    const { stdout } = await run(process.execPath, ["bench-backend.ts", "my-scans", "results", ""], { cwd: outside })
    const [mine] = JSON.parse(Fs.readFileSync(Path.join(outside, "results/results.json"), "utf8")).pipelines
    const cer = Metrics.cer(truth, mine.items[0].text)
    expect(mine.byKind["my-scans/screenshot"].cer).toBeCloseTo(cer, 10)
    expect(cer).toBeLessThan(0.1)
    expect(stdout).toContain(`| my-scans | screenshot | mine | 1 | ${(cer * 100).toFixed(1)}%`)
  })

  it("examples/embed-server.ts runs from the tarballs: its own route reads the image", async () => {
    Fs.copyFileSync(Path.join(root, "examples/embed-server.ts"), Path.join(outside, "embed-server.ts"))
    const data = Path.join(outside, "embed-data")
    const server = await serve(Path.join(outside, "embed-server.ts"), data, { cwd: outside, env, args: ["0", data] })
    try {
      const reply = await fetch(`${server.base}/my/text?appkey=${server.key}`, {
        method: "POST",
        body: Fs.readFileSync(image)
      })
      expect(reply.status).toBe(200)
      expect(Metrics.cer(truth, await reply.text())).toBeLessThan(0.05)
    } finally {
      await server.stop()
    }
  })

  it("the installed ocr2word prints its versions and serves a conversion through its worker thread", async () => {
    const bin = Path.join(outside, "node_modules/.bin/ocr2word")
    const { stdout } = await run(process.execPath, [bin, "--version"], { cwd: outside })
    expect(stdout).toMatch(/^ocr2word v\d+\.\d+\.\d+/)

    const server = await serve(bin, Path.join(outside, "data"), { cwd: outside, env })
    try {
      // The probes answer while the worker thread loads the models: alive at once, ready after.
      await ready(server.base, (healthz, readyz) => {
        expect(healthz).toBe(200)
        expect(readyz).toBe(503)
      })
      const body = new URLSearchParams({ imagebase64: Fs.readFileSync(image).toString("base64") })
      const reply: { DataStatus: { StatusCode: number }; Data: { ResultWordFileUrl: string } | null } = await (
        await fetch(`${server.base}/imagerecognition/ocr2word?appkey=${server.key}`, { method: "POST", body })
      ).json()
      expect(reply.DataStatus.StatusCode, JSON.stringify(reply)).toBe(100)
      const docx = new Uint8Array(await (await fetch(reply.Data!.ResultWordFileUrl)).arrayBuffer())
      expect(Metrics.cer(truth, docxText(docx))).toBeLessThan(0.05)
      expect(warnings(server.log())).toEqual([])
    } finally {
      server.stop()
    }
  })
})
