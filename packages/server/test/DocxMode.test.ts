/**
 * The Word output mode as a server setting, against the real server (real OCR
 * in a worker thread on a real image): with `docxMode: "exact"` and
 * `docxBackground: true` the downloaded .docx has the recognised line in a
 * frame anchored to the page (`w:framePr`, as the docx package's own exact-mode
 * tests check) and the page image behind the text.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { strFromU8, unzipSync } from "fflate"
import * as TestServer from "./fixtures/test-server.ts"

const image = path.resolve(import.meta.dirname, "../../../datasets/real-dev/images/cnocr_helloworld.jpg")

/** The `w:p` elements of a part, in order, and the text of their `w:t` runs. */
const paragraphsOf = (xml: string): Array<string> => xml.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? []
const textOf = (xml: string): string =>
  (xml.match(/<w:t[^>]*>[^<]*<\/w:t>/g) ?? []).map((t) => t.replace(/<[^>]+>/g, "")).join("")

layer(TestServer.layer({ docxMode: "exact", docxBackground: true }), {
  timeout: 300_000,
  excludeTestServices: true
})("docxMode exact on the real server", (it) => {
  it.effect("the .docx places the recognised line in a page-anchored frame over the page image", () =>
    Effect.gen(function* () {
      const s = yield* TestServer.TestServer
      assert.strictEqual(s.config.docxMode, "exact")
      const reply = yield* Effect.promise(async () => {
        const response = await fetch(`${s.url}/imagerecognition/ocr2word?appkey=${s.key}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ imagebase64: fs.readFileSync(image).toString("base64") })
        })
        return { status: response.status, body: (await response.json()) as any }
      })
      assert.strictEqual(reply.status, 200, JSON.stringify(reply.body))
      assert.strictEqual(reply.body.DataStatus.StatusCode, 100)
      const bytes = yield* Effect.promise(async () => {
        const response = await fetch(reply.body.Data.ResultWordFileUrl)
        assert.strictEqual(response.status, 200)
        return new Uint8Array(await response.arrayBuffer())
      })
      const files = unzipSync(bytes)
      const xml = strFromU8(files["word/document.xml"]!)
      const frames = paragraphsOf(xml).filter((p) => p.includes("<w:framePr"))
      assert.isAbove(frames.length, 0, "no w:framePr paragraph: the writer did not run in exact mode")
      for (const frame of frames) {
        assert.include(frame, 'w:hAnchor="page"')
        assert.include(frame, 'w:vAnchor="page"')
      }
      // The image's text is in the frames (OCR may differ in spaces, so they are ignored).
      const text = frames.map(textOf).join("").replace(/\s/g, "")
      assert.include(text, "你好世界")
      assert.match(text, /Hello/i)
      // docxBackground: the page image behind the text, as the one media part.
      const anchors = xml.match(/<wp:anchor[^>]*>/g) ?? []
      assert.isTrue(
        anchors.some((a) => a.includes('behindDoc="1"')),
        anchors.join("\n")
      )
      assert.lengthOf(
        Object.keys(files).filter((n) => n.startsWith("word/media/")),
        1
      )
    })
  )
})
