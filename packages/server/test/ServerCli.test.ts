/** `ocr2word keys ...` through the real executable: create, list, usage, suspend, resume, revoke. */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { missing, skipMessage, startPostgres } from "./fixtures/loopback-services.ts"

const bin = path.resolve(import.meta.dirname, "../../cli/src/bin.ts")
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-keys-cli-"))
const ocr2word = (...args: Array<string>) =>
  Effect.promise(() =>
    promisify(execFile)(process.execPath, [
      "--disable-warning=ExperimentalWarning",
      bin,
      ...args,
      "--data-dir",
      dataDir
    ]).then(
      (r) => r.stdout,
      (e: { stdout?: string; stderr?: string }) => `FAILED ${e.stdout ?? ""}${e.stderr ?? ""}`
    )
  )

describe("ocr2word keys", () => {
  it.effect(
    "manages keys in the data folder",
    () =>
      Effect.gen(function* () {
        const created = yield* ocr2word("keys", "create", "--name", "alice", "--quota", "100")
        const key = /^(o2w_\S+)$/m.exec(created)?.[1]
        assert.isDefined(key, created)
        const id = key!.split("_")[1]!
        assert.match(created, new RegExp(`${id}\\s+active\\s+0/100 calls\\s+expires never\\s+alice`))
        assert.match(created, /shown only now/)
        const list = yield* ocr2word("keys", "list")
        assert.include(list, id)
        assert.notInclude(list, key!)
        assert.match(yield* ocr2word("keys", "suspend", id), /suspended/)
        assert.match(yield* ocr2word("keys", "resume", id), /active/)
        assert.match(yield* ocr2word("keys", "usage", id), /0 calls of 100/)
        assert.match(yield* ocr2word("keys", "revoke", id), /revoked/)
        assert.match(yield* ocr2word("keys", "usage", "nope"), /No key with id "nope"/)
      }),
    240_000
  )
})

const absent = missing("postgres")

describe.skipIf(absent.length === 0)("ocr2word keys --database-url", () => {
  it("is skipped", () => console.info(skipMessage(absent)))
})

describe.skipIf(absent.length > 0)("ocr2word keys --database-url", () => {
  it.live(
    "manages the keys of the PostgreSQL database the nodes share",
    () =>
      Effect.gen(function* () {
        const postgres = yield* Effect.acquireRelease(
          Effect.promise(() => startPostgres()),
          (pg) => Effect.promise(() => pg.stop())
        )
        const created = yield* ocr2word(
          "keys",
          "create",
          "--name",
          "shared",
          "--quota",
          "7",
          "--database-url",
          postgres.url
        )
        const key = /^(o2w_\S+)$/m.exec(created)?.[1]
        assert.isDefined(key, created)
        const id = key!.split("_")[1]!
        const list = yield* ocr2word("keys", "list", "--database-url", postgres.url)
        assert.match(list, new RegExp(`${id}\\s+active\\s+0/7 calls`))
        // The sqlite file of the data folder knows nothing of it.
        assert.notInclude(yield* ocr2word("keys", "list"), id)
      }).pipe(Effect.scoped),
    120_000
  )
})
