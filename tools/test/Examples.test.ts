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

/** Starts examples/embed-server.ts on a free port of 127.0.0.1 and reads its URL and development key. */
const embedded = (dataDir: string) =>
  serve(Path.join(root, "examples/embed-server.ts"), dataDir, {
    cwd: root,
    // Its settings come from the environment too: a 2 MB image limit here.
    env: { ...process.env, OCR2WORD_MAX_IMAGE_BYTES: String(2 * 1024 * 1024) },
    args: ["0", dataDir]
  })

/** Three real-dev items (two kinds) copied into a folder of their own, with their manifest lines. */
const ownImages = (ids: ReadonlyArray<string>) => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "ocr2word-example-"))
  const folder = Path.join(dir, "my-scans")
  Fs.mkdirSync(Path.join(folder, "images"), { recursive: true })
  const lines = Fs.readFileSync(Path.join(root, "datasets/real-dev/manifest.jsonl"), "utf8").split("\n")
  const items = ids.map((id) => {
    const item = JSON.parse(lines.find((line) => line.includes(`"id": "${id}"`))!)
    const image = `images/${Path.basename(item.image)}`
    Fs.copyFileSync(Path.join(root, "datasets/real-dev", item.image), Path.join(folder, image))
    return {
      id,
      image,
      lang: item.lang,
      kind: item.kind,
      text: item.text as string,
      quality: "exact",
      source: `ocr2word real-dev (${item.source})`
    }
  })
  Fs.writeFileSync(Path.join(folder, "manifest.jsonl"), items.map((item) => JSON.stringify(item)).join("\n"))
  return { dir, folder, items }
}

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

  it("embed-server.ts: your own route and the contract's endpoint on one server", async () => {
    const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "ocr2word-example-"))
    const server = await embedded(Path.join(dir, "data"))
    try {
      expect(server.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const bytes = Fs.readFileSync(image)
      const own = await fetch(`${server.base}/my/text?appkey=${server.key}`, {
        method: "POST",
        headers: { "content-type": "image/png" },
        body: bytes
      })
      expect(own.status).toBe(200)
      const text = await own.text()
      expect(text).toContain("Reduce your risk of coronavirus infection")
      expect(Metrics.cer(truth, text)).toBeLessThan(0.05)

      const refused = await fetch(`${server.base}/my/text?appkey=o2w_000000000000_wrong`, {
        method: "POST",
        body: bytes
      })
      expect(refused.status).toBe(401)
      expect(await refused.text()).toMatch(/not a valid key/)

      const tooLarge = await fetch(`${server.base}/my/text?appkey=${server.key}`, {
        method: "POST",
        body: new Uint8Array(3 * 1024 * 1024)
      })
      expect(tooLarge.status).toBe(413)
      expect((await tooLarge.json()).DataStatus.StatusDescription).toMatch(/too large; send a smaller image/)

      const converted = await fetch(`${server.base}/imagerecognition/ocr2word?appkey=${server.key}`, {
        method: "POST",
        body: new URLSearchParams({ imagebase64: bytes.toString("base64") })
      })
      expect(converted.status).toBe(200)
      const envelope = await converted.json()
      expect(envelope.DataStatus.StatusCode).toBe(100)
      const word = await fetch(envelope.Data.ResultWordFileUrl)
      expect(word.headers.get("content-type")).toContain("wordprocessingml")
      expect(Metrics.cer(truth, docxText(new Uint8Array(await word.arrayBuffer())))).toBeLessThan(0.05)
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200)
    } finally {
      await server.stop()
    }
  })

  it("bench-backend.ts: a backend of your own scored on your own images, per kind", async () => {
    const { dir, folder, items } = ownImages(["cnocr_helloworld", "rapid_en_rec", "cnocr_multiline_cn1"])
    const out = Path.join(dir, "results")
    const { stdout } = await example("bench-backend.ts", folder, out, "paddle")
    const results = JSON.parse(Fs.readFileSync(Path.join(out, "results.json"), "utf8"))
    expect(results.pipelines.map((p: { pipeline: string }) => p.pipeline)).toEqual(["mine", "paddle"])
    for (const run of results.pipelines) {
      expect(run.error).toBeUndefined()
      expect(run.items.map((i: { id: string }) => i.id)).toEqual(items.map((i) => i.id))
      for (const kind of ["line", "screenshot"]) {
        const ofKind = items.filter((i) => i.kind === kind)
        const texts = ofKind.map((i) => run.items.find((r: { id: string }) => r.id === i.id).text as string)
        // The reported CER is the kind's summed edits over its summed truth length, recomputed here.
        const direct = Metrics.rate(Metrics.sumCounts(ofKind.map((i, n) => Metrics.characterErrors(i.text, texts[n]!))))
        const reported = run.byKind[`my-scans/${kind}`]
        expect(reported.items).toBe(ofKind.length)
        expect(reported.cer).toBeCloseTo(direct, 10)
        expect(direct).toBeGreaterThanOrEqual(0)
        // Sane: these are easy pages; the built-in engine reads them almost exactly, the pair nearly as well.
        expect(direct).toBeLessThan(run.pipeline === "paddle" ? 0.05 : 0.25)
        // The printed per-kind table says the same (the best of the kind in bold).
        const row = stdout.split("\n").find((line) => line.startsWith(`| my-scans | ${kind} | ${run.pipeline} |`))
        expect(row?.split(" | ")[4]?.replaceAll("*", "")).toBe(`${(direct * 100).toFixed(1)}%`)
      }
    }
    expect(Fs.readFileSync(Path.join(out, "report.md"), "utf8")).toContain("| my-scans | screenshot | mine |")
  })
})
