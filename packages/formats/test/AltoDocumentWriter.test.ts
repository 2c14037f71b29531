import { execFileSync, spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, expect, layer } from "@effect/vitest"
import { Document, DocumentWriter } from "@ocr2word/core"
import { Effect } from "effect"
import * as AltoDocumentWriter from "../src/AltoDocumentWriter.ts"
import { documentOf, pipeline, recognise, structuredPage } from "./documents.ts"

const schema = fileURLToPath(new URL("./fixtures/alto-4.xsd", import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "ocr2word-alto-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** xmllint's verdict on a file against the ALTO 4 schema. */
const validate = (xml: string, name: string) => {
  const file = join(dir, name)
  writeFileSync(file, xml)
  const run = spawnSync("xmllint", ["--noout", "--nonet", "--schema", schema, file], { encoding: "utf8" })
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` }
}

const write = (document: Document.Document) =>
  Effect.gen(function* () {
    const writer = yield* DocumentWriter.DocumentWriter
    return new TextDecoder().decode(yield* writer.write(document))
  }).pipe(Effect.provide(AltoDocumentWriter.layer))

/** The CONTENT of every String of each TextLine, in document order. */
const linesOf = (xml: string) =>
  [...xml.matchAll(/<TextLine [^>]*>([\s\S]*?)<\/TextLine>/g)].map((m) =>
    [...m[1]!.matchAll(/<String [^>]*CONTENT="([^"]*)"/g)].map((s) =>
      s[1]!
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, "&")
    )
  )

layer(pipeline, { timeout: 600_000 })("AltoDocumentWriter", (it) => {
  it.effect("real pages validate against the ALTO 4 schema and keep every line's words", () =>
    Effect.gen(function* () {
      for (const name of ["tjs_testocr.png", "cnocr_multiline_cn1.png"]) {
        const document = yield* recognise(name)
        const xml = yield* write(document)
        const verdict = validate(xml, `${name}.xml`)
        expect(verdict.output).toMatch(/validates/)
        expect(verdict.ok).toBe(true)
        expect(linesOf(xml).map((words) => words.join(""))).toEqual(
          Document.pageLines(document.pages[0]!).map((l) => l.text.replace(/\s+/g, ""))
        )
        const page = document.pages[0]!
        expect(xml).toContain(`<Page ID="page1" PHYSICAL_IMG_NR="1" WIDTH="${page.width}" HEIGHT="${page.height}"`)
      }
    })
  )

  it.effect("tables, figures and roles validate; the schema refuses what ALTO does not allow", () =>
    Effect.gen(function* () {
      const xml = yield* write(documentOf([structuredPage, { ...structuredPage, index: 1 }]))
      expect(validate(xml, "structured.xml").ok).toBe(true)
      expect(xml).toContain(`<ComposedBlock ID="p1_b10" HPOS="100" VPOS="700" WIDTH="600" HEIGHT="120" TYPE="table">`)
      expect(xml).toContain(`<Illustration ID="p1_b8" HPOS="200" VPOS="420" WIDTH="400" HEIGHT="200" TYPE="figure"/>`)
      expect(xml).toMatch(/<TextBlock ID="p1_b1" [^>]*TAGREFS="heading">/)
      expect(linesOf(xml)[0]).toEqual(["版面分析", "Layout", "*Analysis*"])
      expect(linesOf(xml).flat()).toContain("|")
      // The validation has teeth: a confidence over 1, a String without CONTENT, a duplicate id.
      expect(validate(xml.replace(/WC="0.9"/, 'WC="1.5"'), "wc.xml").ok).toBe(false)
      expect(validate(xml.replace(/ CONTENT="[^"]*"/, ""), "content.xml").ok).toBe(false)
      expect(validate(xml.replace('ID="p1_b2"', 'ID="p1_b1"'), "id.xml").ok).toBe(false)
    })
  )
})

// xmllint must be there for the test to mean anything (.ci/run installs libxml2-utils).
execFileSync("xmllint", ["--version"], { stdio: "ignore" })
