/**
 * End to end: the real `ocr2word` bin (npx, Node 24) on real images with the
 * real models, checking what lands on disk, what is said on stderr and the
 * exit code.
 */
import { execFileSync } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { unzipSync } from "fflate"
import { cer, docxText, groundTruth, image, runCli, tempDir } from "./cli-process.ts"

const hasCommand = (command: string) => {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
}

/** Files left in a directory, temporary files included. */
const listing = (dir: string) => readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()

const TIMEOUT = 300_000

describe("ocr2word", () => {
  it(
    "converts one image to a .docx whose text reads in order",
    async () => {
      const dir = tempDir()
      const out = join(dir, "testocr.docx")
      const result = await runCli([image("tjs_testocr"), "-o", out])
      expect(result.stderr).not.toContain("error")
      expect(result.code).toBe(0)
      const text = docxText(out)
      expect(cer(text, groundTruth("tjs_testocr"))).toBeLessThan(0.1)
      // The first line comes first and the last line last.
      expect(text.indexOf("This is a lot")).toBeLessThan(text.indexOf("brown dog jumped over the lazy fox"))
      expect(listing(dir)).toEqual(["testocr.docx"])
    },
    TIMEOUT
  )

  it(
    "writes an exact-mode Word page with --mode exact --background, and rejects an unknown mode and a wrong --dpi in the house format",
    async () => {
      const dir = tempDir()
      const out = join(dir, "testocr.docx")
      const result = await runCli([image("tjs_testocr"), "-o", out, "--mode", "exact", "--background"])
      expect(result.code).toBe(0)
      const xml = new TextDecoder().decode(unzipSync(readFileSync(out))["word/document.xml"])
      // Every line in a page-anchored frame, the page image behind the text.
      expect((xml.match(/<w:framePr /g) ?? []).length).toBeGreaterThanOrEqual(6)
      expect(xml).toMatch(/<wp:anchor [^>]*behindDoc="1"/)
      expect(docxText(out)).toContain("brown dog jumped over the lazy fox")
      const bad = await runCli([image("tjs_testocr"), "-o", join(dir, "bad.docx"), "--mode", "pretty"])
      expect(bad.code).not.toBe(0)
      expect(bad.stderr).toContain('error: Expected one of "flow", "exact" for --mode but received "pretty"')
      const dpi = await runCli([image("tjs_testocr"), "-o", join(dir, "bad.docx"), "--dpi", "20"])
      expect(dpi.code).not.toBe(0)
      expect(dpi.stderr).toContain("error: Expected an integer from 36 to 1200 for --dpi but received 20")
    },
    TIMEOUT
  )

  it(
    "runs the README's first command",
    async () => {
      const dir = tempDir()
      const out = join(dir, "easyocr_english.docx")
      const result = await runCli(["datasets/real-dev/images/easyocr_english.png", "-o", out])
      expect(result.code).toBe(0)
      const text = docxText(out)
      expect(text).toContain("Reduce your risk of coronavirus infection")
      expect(cer(text, groundTruth("easyocr_english"))).toBeLessThan(0.15)
    },
    TIMEOUT
  )

  it(
    "writes plain text and JSON with --format",
    async () => {
      const dir = tempDir()
      const txt = await runCli([image("tjs_testocr"), "-o", join(dir, "page.txt"), "--format", "txt"])
      expect(txt.code).toBe(0)
      expect(cer(readFileSync(join(dir, "page.txt"), "utf8"), groundTruth("tjs_testocr"))).toBeLessThan(0.1)

      copyFileSync(image("cnocr_helloworld"), join(dir, "hello.jpg"))
      const json = await runCli([join(dir, "hello.jpg"), "--format", "json"])
      expect(json.code).toBe(0)
      // No -o: next to the input, same base name, the format's extension.
      const document = JSON.parse(readFileSync(join(dir, "hello.json"), "utf8"))
      expect(document.metadata).toMatchObject({ source: "hello.jpg", engine: "paddle" })
      expect(document.pages).toHaveLength(1)
      const lines = document.pages[0].blocks.flatMap((b: { lines: Array<{ text: string }> }) => b.lines)
      expect(cer(lines.map((l: { text: string }) => l.text).join("\n"), groundTruth("cnocr_helloworld"))).toBeLessThan(
        0.2
      )
    },
    TIMEOUT
  )

  it(
    "converts every image below a directory, keeping sub-folders, one line per file when stderr is not a terminal",
    async () => {
      const dir = tempDir()
      mkdirSync(join(dir, "in/sub"), { recursive: true })
      copyFileSync(image("cnocr_helloworld"), join(dir, "in/hello.jpg"))
      copyFileSync(image("pp_word_3"), join(dir, "in/sub/phone.jpg"))
      writeFileSync(join(dir, "in/notes.txt"), "not an image")
      const result = await runCli([join(dir, "in"), "-o", join(dir, "out")])
      expect(result.code).toBe(0)
      expect(listing(join(dir, "out"))).toEqual(["hello.docx", "sub", "sub/phone.docx"])
      expect(cer(docxText(join(dir, "out/sub/phone.docx")), groundTruth("pp_word_3"))).toBeLessThan(0.2)
      expect(result.stderr).toMatch(/\[1\/2\] .*hello\.jpg -> .*hello\.docx/)
      expect(result.stderr).toMatch(/\[2\/2\] .*phone\.jpg -> .*phone\.docx/)
    },
    TIMEOUT
  )

  it(
    "expands a glob",
    async () => {
      const dir = tempDir()
      copyFileSync(image("cnocr_helloworld"), join(dir, "a.jpg"))
      copyFileSync(image("pp_word_3"), join(dir, "b.jpg"))
      copyFileSync(image("pp_word_3"), join(dir, "c.jpeg"))
      const result = await runCli(["*.jpg", "--format", "txt"], { cwd: dir })
      expect(result.code).toBe(0)
      expect(listing(dir)).toEqual(["a.jpg", "a.txt", "b.jpg", "b.txt", "c.jpeg"])
      expect(cer(readFileSync(join(dir, "a.txt"), "utf8"), groundTruth("cnocr_helloworld"))).toBeLessThan(0.2)
    },
    TIMEOUT
  )

  it(
    "reports each bad input by name, converts the good ones and exits non-zero",
    async () => {
      const dir = tempDir()
      copyFileSync(image("cnocr_helloworld"), join(dir, "good.jpg"))
      // A PNG signature followed by garbage.
      writeFileSync(
        join(dir, "broken.png"),
        Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.alloc(64, 7)])
      )
      const result = await runCli(
        [join(dir, "broken.png"), join(dir, "missing.png"), join(dir, "good.jpg"), "-o", join(dir, "out")],
        { cwd: dir }
      )
      expect(result.code).not.toBe(0)
      expect(result.stderr).toMatch(/error: .*broken\.png: \S/)
      expect(result.stderr).toMatch(/error: .*missing\.png: .*does not exist/)
      expect(result.stderr).toContain("Converted 1 of 3 inputs (2 failed)")
      expect(listing(join(dir, "out"))).toEqual(["good.docx"])
      expect(cer(docxText(join(dir, "out/good.docx")), groundTruth("cnocr_helloworld"))).toBeLessThan(0.2)
    },
    TIMEOUT
  )

  it(
    "never replaces an existing output unless --overwrite is given",
    async () => {
      const dir = tempDir()
      const out = join(dir, "word.docx")
      writeFileSync(out, "keep me")
      const refused = await runCli([image("pp_word_3"), "-o", out])
      expect(refused.code).not.toBe(0)
      expect(refused.stderr).toContain(`${out} already exists; not overwriting it.`)
      expect(readFileSync(out, "utf8")).toBe("keep me")

      const replaced = await runCli([image("pp_word_3"), "-o", out, "--overwrite"])
      expect(replaced.code).toBe(0)
      expect(cer(docxText(out), groundTruth("pp_word_3"))).toBeLessThan(0.2)
      expect(listing(dir)).toEqual(["word.docx"])
    },
    TIMEOUT
  )

  it(
    "names the known engines when given an unknown one",
    async () => {
      const dir = tempDir()
      const result = await runCli([image("pp_word_3"), "-o", join(dir, "x.docx"), "--engine", "nope"])
      expect(result.code).not.toBe(0)
      expect(result.stderr).toMatch(/Unknown engine 'nope'\. Known engines: (\w+, )*paddle/)
      expect(existsSync(join(dir, "x.docx"))).toBe(false)
    },
    TIMEOUT
  )

  it.skipIf(!hasCommand("libreoffice") || !hasCommand("pdftotext"))(
    "writes a .docx that LibreOffice opens, its text reading back in order",
    async () => {
      const dir = tempDir()
      const docx = join(dir, "chinese.docx")
      const result = await runCli([image("cnocr_multiline_cn1"), "-o", docx])
      expect(result.code).toBe(0)
      // Test files run in parallel; LibreOffice conversions started together failed now and then, so one at a time.
      execFileSync(
        "flock",
        [
          "/tmp/ocr2word-libreoffice.lock",
          "libreoffice",
          `-env:UserInstallation=file://${dir}/lo-profile`,
          "--headless",
          "--convert-to",
          "pdf",
          "--outdir",
          dir,
          docx
        ],
        { stdio: "ignore", timeout: 180_000 }
      )
      const text = execFileSync("pdftotext", [join(dir, "chinese.pdf"), "-"], { encoding: "utf8" })
      expect(cer(text, groundTruth("cnocr_multiline_cn1"))).toBeLessThan(0.1)
      expect(text.indexOf("网络支付")).toBeGreaterThanOrEqual(0)
      expect(text.indexOf("网络支付")).toBeLessThan(text.indexOf("多种形式"))
    },
    TIMEOUT
  )
})
