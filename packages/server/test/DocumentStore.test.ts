/** DocumentStore in a folder: unguessable ids, complete files only, never overwritten, unknown names refused. */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { DocumentStore } from "../src/index.ts"

describe("DocumentStore.layerLocal", () => {
  it.effect("stores bytes under fresh 128-bit ids and reads them back", () =>
    Effect.gen(function* () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-store-"))
      const store = yield* DocumentStore.makeLocal(dir)
      const bytes = new TextEncoder().encode("PK fake docx")
      const stored = yield* Effect.forEach(
        Array.from({ length: 20 }),
        () => store.put(bytes, { extension: "docx", mediaType: "x" }),
        { concurrency: 20 }
      )
      const ids = new Set(stored.map((s) => s.id))
      assert.strictEqual(ids.size, 20)
      for (const s of stored) assert.match(s.name, /^[0-9a-f]{32}\.docx$/)
      // Only complete files are visible: no temp file is left behind.
      assert.deepStrictEqual(fs.readdirSync(path.join(dir, "files")).sort(), stored.map((s) => s.name).sort())
      assert.deepStrictEqual(yield* store.read(stored[0]!.name), bytes)
      const info = yield* store.stat(stored[0]!.name)
      assert.strictEqual(info.size, bytes.byteLength)
      assert.strictEqual(info.mediaType, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
      for (const name of [
        "../keys.sqlite",
        "x.docx",
        `${stored[0]!.id}.exe`,
        "0123456789abcdef0123456789abcdef.docx"
      ]) {
        const e = yield* store.stat(name).pipe(Effect.flip)
        assert.strictEqual(e.reason, "NotFound")
      }
    })
  )
})
