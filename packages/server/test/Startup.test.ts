/**
 * What `ocr2word serve` does with a data folder it cannot trust, through the
 * real executable: a read-only data folder (a tmpfs remounted read-only, so
 * root is refused too), a data folder path that runs through a file and a
 * damaged key database are one clear start-up error each (naming the folder
 * or file and what to do, no stack), and the damaged database is left byte
 * for byte as it was. The start-up sweep removes the temp files of writes
 * whose writer is gone, and nothing else.
 */
import { execFile, spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { DatabaseSync } from "node:sqlite"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { DocumentStore } from "../src/index.ts"
import { cannotMount, mountSkipMessage, tmpfs } from "./fixtures/mounts.ts"

const bin = path.resolve(import.meta.dirname, "../../cli/src/bin.ts")

/** Run the executable to its end (it must end by itself: a start-up failure). */
const run = (...args: Array<string>) =>
  Effect.promise(
    () =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          ["--disable-warning=ExperimentalWarning", bin, ...args],
          { timeout: 90_000 },
          (error, stdout, stderr) =>
            resolve({ code: error === null ? 0 : (child.exitCode ?? -1), output: `${stdout}${stderr}` })
        )
      })
  )

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex")

/** A one-sentence error: no stack frames, no `[cause]` dump. */
const assertNoStack = (output: string) => {
  assert.notMatch(output, /^\s+at /m, output)
  assert.notInclude(output, "[cause]", output)
}

describe.skipIf(cannotMount === undefined)("read-only data folder", () => {
  it("is skipped", () => console.info(mountSkipMessage(cannotMount!)))
})

describe.skipIf(cannotMount !== undefined)("read-only data folder", () => {
  it.live(
    "ocr2word serve refuses to start, naming the folder and what to do",
    () =>
      Effect.gen(function* () {
        const mount = yield* Effect.acquireRelease(
          Effect.sync(() => tmpfs(1024 * 1024)),
          (m) => Effect.sync(() => m.unmount())
        )
        // A data folder that was written before (its files folder exists), then mounted read-only.
        fs.mkdirSync(path.join(mount.dir, "data", "files"), { recursive: true })
        mount.readOnly()
        const dataDir = path.join(mount.dir, "data")
        const result = yield* run("serve", "--port", "0", "--workers", "1", "--data-dir", dataDir)
        assert.notStrictEqual(result.code, 0, result.output)
        assert.include(result.output, "ocr2word serve cannot start", result.output)
        assert.include(result.output, dataDir, result.output)
        assert.include(result.output, "is on a read-only file system", result.output)
        assert.include(result.output, "Mount it read-write, or choose a writable folder with --data-dir", result.output)
        assertNoStack(result.output)
        // A data folder that does not exist yet, on the read-only mount.
        const fresh = path.join(mount.dir, "new-data")
        const second = yield* run("serve", "--port", "0", "--workers", "1", "--data-dir", fresh)
        assert.notStrictEqual(second.code, 0, second.output)
        assert.include(second.output, "is on a read-only file system", second.output)
        assert.include(second.output, mount.dir, second.output)
        assertNoStack(second.output)
      }).pipe(Effect.scoped),
    200_000
  )
})

describe("damaged key database", () => {
  it.live(
    "ocr2word serve and ocr2word keys refuse it with a clear error and never write to it",
    () =>
      Effect.gen(function* () {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-badkeys-"))
        yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(root, { recursive: true, force: true })))

        // Not a database at all (a file overwritten with other bytes).
        const garbage = path.join(root, "garbage")
        fs.mkdirSync(garbage)
        fs.writeFileSync(path.join(garbage, "keys.sqlite"), Buffer.alloc(8192, "not a database, just text. "))

        // A real key database with its table pages overwritten (a damaged disk block).
        const torn = path.join(root, "torn")
        fs.mkdirSync(torn)
        const tornFile = path.join(torn, "keys.sqlite")
        const db = new DatabaseSync(tornFile)
        db.exec("CREATE TABLE keys (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL)")
        const insert = db.prepare("INSERT INTO keys VALUES (?, ?, ?)")
        for (let i = 0; i < 200; i++)
          insert.run(`id${i}`, createHash("sha256").update(String(i)).digest("hex"), `key number ${i}`)
        db.close()
        const bytes = fs.readFileSync(tornFile)
        assert.isAbove(bytes.length, 4 * 4096)
        bytes.fill(0xa5, 4096 + 100, 3 * 4096)
        fs.writeFileSync(tornFile, bytes)

        for (const dataDir of [garbage, torn]) {
          const file = path.join(dataDir, "keys.sqlite")
          const before = sha256(file)
          const serve = yield* run("serve", "--port", "0", "--workers", "1", "--data-dir", dataDir)
          assert.notStrictEqual(serve.code, 0, serve.output)
          assert.include(serve.output, "ocr2word serve cannot start", serve.output)
          assert.include(serve.output, `The key database ${file} is damaged`, serve.output)
          assert.include(serve.output, "it was left exactly as it is", serve.output)
          assert.include(serve.output, "Restore it from a backup, or move it aside", serve.output)
          assertNoStack(serve.output)
          const list = yield* run("keys", "list", "--data-dir", dataDir)
          assert.notStrictEqual(list.code, 0, list.output)
          assert.include(list.output, "is damaged", list.output)
          assertNoStack(list.output)
          assert.strictEqual(sha256(file), before, `${file} was written to`)
          assert.deepStrictEqual(
            fs.readdirSync(dataDir).filter((f) => f.startsWith("keys.sqlite")),
            ["keys.sqlite"],
            "no journal or WAL was started next to the damaged file"
          )
        }
      }).pipe(Effect.scoped),
    200_000
  )
})

describe("data folder through a file", () => {
  it.live(
    "ocr2word serve names the file in the way",
    () =>
      Effect.gen(function* () {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-notdir-"))
        yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(root, { recursive: true, force: true })))
        const file = path.join(root, "data")
        fs.writeFileSync(file, "not a folder")
        const result = yield* run("serve", "--port", "0", "--workers", "1", "--data-dir", path.join(file, "inner"))
        assert.notStrictEqual(result.code, 0, result.output)
        assert.include(result.output, "is not a folder (a file is in its path)", result.output)
        assert.include(result.output, `Move the file ${file} out of the way`, result.output)
        assertNoStack(result.output)
      }).pipe(Effect.scoped),
    120_000
  )
})

describe("start-up sweep of the folder store", () => {
  it.live(
    "removes temp files whose writer is gone (dead pid, or this pid in an earlier life) or that are abandoned, keeps finished files and live writes",
    () =>
      Effect.gen(function* () {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-sweep-"))
        yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(dataDir, { recursive: true, force: true })))
        const files = path.join(dataDir, "files")
        fs.mkdirSync(files)
        // A pid that is certainly dead: a process that has exited.
        const dead = spawnSync(process.execPath, ["-e", "0"]).pid!
        const id = (n: number) => n.toString(16).padStart(32, "0")
        const finished = `${id(1)}.docx`
        const killedWrite = `.${id(2)}.docx.${dead}-0badc0de.0123456789ab.tmp`
        // Another live process (the test runner's parent) writing into the same folder.
        const liveWrite = `.${id(3)}.docx.${process.ppid}-00c0ffee.0123456789ab.tmp`
        const abandoned = `.${id(4)}.docx.${process.ppid}-00c0ffee.ba9876543210.tmp`
        // A killed predecessor that had this process's pid (a restarted container): another instance.
        const samePid = `.${id(5)}.docx.${process.pid}-0badc0de.0123456789ab.tmp`
        const oldFormat = `.${id(6)}.docx.0123456789ab.tmp`
        const probe = `.ocr2word-write-check-${dead}-1764650000000.tmp`
        const unrelated = "notes.txt"
        for (const name of [finished, killedWrite, liveWrite, abandoned, samePid, oldFormat, probe, unrelated])
          fs.writeFileSync(path.join(files, name), "x")
        const old = new Date(Date.now() - 11 * 60_000)
        fs.utimesSync(path.join(files, abandoned), old, old)

        yield* DocumentStore.makeLocal(dataDir)
        assert.deepStrictEqual(fs.readdirSync(files).sort(), [finished, liveWrite, unrelated].sort())
      }).pipe(Effect.scoped),
    30_000
  )
})
