/**
 * A full disk under the data folder (small tmpfs mounts the test makes and
 * fills: the data folder, and its files/ folder on a volume of its own): a
 * conversion whose Word file no longer fits answers 500/110 saying the
 * server's disk is full, leaves no half-written or temp file behind and
 * charges no call; with the data folder's disk full too (the key database
 * and the files) the answer is the same kind; the server keeps
 * answering throughout, and converts again once space is freed.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { docxText } from "./fixtures/docx-text.ts"
import { cannotMount, mountSkipMessage, tmpfs } from "./fixtures/mounts.ts"
import * as TestServer from "./fixtures/test-server.ts"

const image = fs.readFileSync(new URL("../../../datasets/real-dev/images/cnocr_taobao4.jpg", import.meta.url))

const convert = (url: string, key: string) =>
  Effect.promise(async () => {
    const r = await fetch(`${url}/imagerecognition/ocr2word?appkey=${key}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ imagebase64: image.toString("base64") })
    })
    return { status: r.status, body: (await r.json()) as any }
  })

/** Fill the file system of `dir` with one file until the kernel says ENOSPC; the filler's path and size. */
const fill = (dir: string) => {
  const file = path.join(dir, "filler")
  const fd = fs.openSync(file, "a")
  let size = fs.fstatSync(fd).size
  try {
    for (const chunk of [Buffer.alloc(256 * 1024, 1), Buffer.alloc(4096, 1), Buffer.alloc(512, 1)]) {
      for (;;) {
        try {
          size += fs.writeSync(fd, chunk)
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e
          break
        }
      }
    }
  } finally {
    fs.closeSync(fd)
  }
  return { file, size }
}

/** The files/ folder apart from the test's filler. */
const entries = (dir: string) =>
  fs
    .readdirSync(path.join(dir, "files"))
    .filter((f) => f !== "filler")
    .sort()

describe.skipIf(cannotMount === undefined)("full disk", () => {
  it("is skipped", () => console.info(mountSkipMessage(cannotMount!)))
})

describe.skipIf(cannotMount !== undefined)("full disk", () => {
  it.live(
    "a conversion that cannot be stored is 500/110 'disk is full', nothing half-written, the server goes on",
    () =>
      Effect.gen(function* () {
        const mount = yield* Effect.acquireRelease(
          Effect.sync(() => tmpfs(16 * 1024 * 1024)),
          (m) => Effect.sync(() => m.unmount())
        )
        const filesDir = path.join(mount.dir, "files")
        fs.mkdirSync(filesDir)
        const filesMount = yield* Effect.acquireRelease(
          Effect.sync(() => tmpfs(512 * 1024, filesDir)),
          (m) => Effect.sync(() => m.unmount())
        )
        const context = yield* Layer.build(TestServer.layer({ dataDir: mount.dir }))
        const s = Context.get(context, TestServer.TestServer)

        const first = yield* convert(s.url, s.key)
        assert.strictEqual(first.status, 200, JSON.stringify(first.body))
        const stored = entries(mount.dir)
        assert.strictEqual(stored.length, 1)
        const docxSize = fs.statSync(path.join(filesDir, stored[0]!)).size
        assert.isAbove(docxSize, 8192, "the test needs a Word file larger than the space it leaves")

        // One page left on the files volume: the Word file's write starts, then fails half-way.
        const filler = fill(filesMount.dir)
        fs.truncateSync(filler.file, filler.size - 4096)
        const callsBefore = (yield* s.keys.get(s.key.split("_")[1]!)).calls
        const full = yield* convert(s.url, s.key)
        assert.strictEqual(full.status, 500, JSON.stringify(full.body))
        assert.strictEqual(full.body.DataStatus.StatusCode, 110)
        assert.match(full.body.DataStatus.StatusDescription, /could not be stored: the server's disk is full/)
        assert.deepStrictEqual(entries(mount.dir), stored, "a half-written or temp file was left")
        assert.strictEqual((yield* s.keys.get(s.key.split("_")[1]!)).calls, callsBefore, "the failed call was charged")

        // The data folder's disk full too (key database and files): the same answer from whichever write meets it first.
        const dataFiller = fill(mount.dir)
        const fuller = yield* convert(s.url, s.key)
        assert.strictEqual(fuller.status, 500, JSON.stringify(fuller.body))
        assert.strictEqual(fuller.body.DataStatus.StatusCode, 110)
        assert.match(fuller.body.DataStatus.StatusDescription, /disk is full/)
        assert.deepStrictEqual(entries(mount.dir), stored)
        const health = yield* Effect.promise(() => fetch(`${s.url}/healthz`).then((r) => r.status))
        assert.strictEqual(health, 200)
        // The file stored before the disk filled still downloads whole.
        const old = yield* Effect.promise(() =>
          fetch(`${s.url}/files/${stored[0]}`).then(async (r) => new Uint8Array(await r.arrayBuffer()))
        )
        assert.strictEqual(old.byteLength, docxSize)
        assert.isAbove(docxText(old).length, 0)

        // Space again: the same server converts.
        fs.rmSync(filler.file)
        fs.rmSync(dataFiller.file)
        const again = yield* convert(s.url, s.key)
        assert.strictEqual(again.status, 200, JSON.stringify(again.body))
        assert.strictEqual(entries(mount.dir).length, 2)
      }).pipe(Effect.scoped),
    240_000
  )
})
