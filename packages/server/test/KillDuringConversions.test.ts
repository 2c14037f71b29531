/**
 * Nothing lost on kill -9: the real `ocr2word serve` (a child process, the
 * embedded defaults: folder store and sqlite keys) gets 100 concurrent
 * conversions from 100 client addresses, is killed with SIGKILL (its worker
 * threads die with it) once about a third have answered, and is restarted on
 * the same data folder. Every Word file URL that was returned downloads a
 * valid .docx, every file in the folder is complete, and no temp file is left
 * after the restart (the start-up sweep removed those of the killed writes).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { strFromU8, unzipSync } from "fflate"
import { DocumentStore } from "../src/index.ts"
import { freePort } from "./fixtures/loopback-services.ts"
import { type NodeProcess, start, waitFor } from "./fixtures/node-processes.ts"

const imagesDir = new URL("../../../datasets/synth-lines/images/", import.meta.url)
const images = fs
  .readdirSync(imagesDir)
  .sort()
  .map((name) => fs.readFileSync(new URL(name, imagesDir)).toString("base64"))

const total = 100
const killAfter = 30

/** Whether `bytes` is a whole Word file: a zip with a parsable word/document.xml. */
const isDocx = (bytes: Uint8Array) => {
  try {
    const xml = unzipSync(bytes)["word/document.xml"]
    return xml !== undefined && /<w:document[\s>][\s\S]*<w:body[\s\S]*<\/w:document>\s*$/.test(strFromU8(xml))
  } catch {
    return false
  }
}

const serve = (port: number, dataDir: string) =>
  start(
    [
      "serve",
      ...["--host", "127.0.0.1", "--port", String(port), "--data-dir", dataDir],
      ...["--workers", "2", "--queue-size", String(total)],
      // 100 clients behind a trusted proxy, each under its own rate and concurrency limits.
      ...["--trusted-proxies", "127.0.0.1", "--rate-limit", "50"]
    ],
    {}
  )

const ready = (url: string, node: NodeProcess) =>
  waitFor(
    "server ready",
    () => fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status === 200),
    [node],
    180_000
  )

describe("kill -9 during 100 concurrent conversions", () => {
  it.live(
    "every returned URL downloads a whole .docx after the restart, and no temp file is left",
    () =>
      Effect.gen(function* () {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-kill-"))
        yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(dataDir, { recursive: true, force: true })))
        const port = yield* Effect.promise(() => freePort())
        const url = `http://127.0.0.1:${port}`
        const first = yield* Effect.acquireRelease(
          Effect.sync(() => serve(port, dataDir)),
          (n) => Effect.promise(() => n.stop("SIGKILL"))
        )
        yield* Effect.promise(() => ready(url, first))
        const key = /Development key[^:]*: (o2w_\S+)/.exec(first.output())?.[1]
        assert.isDefined(key, first.output())

        const returned: Array<string> = []
        const outcomes = new Map<string, number>()
        let killed: Promise<void> | undefined
        const kill = () => {
          // SIGKILL: no handler runs, the worker threads die mid-conversion with the process.
          killed ??= first.stop("SIGKILL")
        }
        yield* Effect.promise(() =>
          Promise.all(
            Array.from({ length: total }, async (_, i) => {
              const outcome = await fetch(`${url}/imagerecognition/ocr2word?appkey=${key}`, {
                method: "POST",
                headers: {
                  "content-type": "application/x-www-form-urlencoded",
                  "x-forwarded-for": `10.20.${i >> 8}.${i & 255}`
                },
                body: new URLSearchParams({ imagebase64: images[i % images.length]! }),
                signal: AbortSignal.timeout(150_000)
              }).then(
                async (r) => {
                  const body = (await r.json()) as { Data?: { ResultWordFileUrl?: string } | null }
                  if (r.status === 200 && body.Data?.ResultWordFileUrl !== undefined)
                    returned.push(body.Data.ResultWordFileUrl)
                  return String(r.status)
                },
                (e: { cause?: { code?: string }; name?: string }) => e.cause?.code ?? e.name ?? "error"
              )
              outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
              if (returned.length >= killAfter) kill()
            })
          )
        )
        kill()
        yield* Effect.promise(() => killed!)
        assert.strictEqual(first.child.signalCode, "SIGKILL", first.output())
        const summary = JSON.stringify(Object.fromEntries(outcomes))
        assert.isAtLeast(returned.length, killAfter, summary)
        assert.isBelow(returned.length, total, `the kill came after every conversion had answered: ${summary}`)
        // Only answers and cut connections: no 5xx before the kill.
        for (const outcome of outcomes.keys()) assert.notMatch(outcome, /^5/, summary)

        const files = path.join(dataDir, "files")
        const leftByKill = fs.readdirSync(files).filter((f) => f.endsWith(".tmp"))
        // A write the kill cut short, as it looks on disk, in case the kill fell between writes.
        const planted = `.${"ab".repeat(16)}.docx.${first.child.pid}-0badc0de.0123456789ab.tmp`
        fs.writeFileSync(path.join(files, planted), new Uint8Array(1000).fill(0x50))
        console.info(
          `kill -9 after ${returned.length} of ${total} answers (${summary}); ${leftByKill.length} temp file(s) left by the kill, 1 planted`
        )

        const second = yield* Effect.acquireRelease(
          Effect.sync(() => serve(port, dataDir)),
          (n) => Effect.promise(() => n.stop())
        )
        yield* Effect.promise(() => ready(url, second))
        // Swept at start-up: only finished files remain, each a whole Word file.
        const after = fs.readdirSync(files)
        assert.deepStrictEqual(
          after.filter((f) => !DocumentStore.namePattern.test(f)),
          [],
          "temp or foreign files after the restart"
        )
        for (const name of after) assert.isTrue(isDocx(fs.readFileSync(path.join(files, name))), `${name} is not whole`)
        assert.isAtLeast(after.length, returned.length)

        for (const fileUrl of returned) {
          const r = yield* Effect.promise(() => fetch(`${url}${new URL(fileUrl).pathname}`))
          assert.strictEqual(r.status, 200, fileUrl)
          const bytes = new Uint8Array(yield* Effect.promise(() => r.arrayBuffer()))
          assert.isTrue(isDocx(bytes), `${fileUrl} is not a valid .docx`)
        }
        // The restarted server converts.
        const again = yield* Effect.promise(() =>
          fetch(`${url}/imagerecognition/ocr2word?appkey=${key}`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ imagebase64: images[0]! })
          }).then((r) => r.status)
        )
        assert.strictEqual(again, 200)
      }).pipe(Effect.scoped),
    400_000
  )
})
