/** `ocr2word keys ...` through the real executable: create, list, usage, suspend, resume, revoke; `serve` refusing a wrong flag. */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { freePort, missing, skipMessage, startPostgres } from "./fixtures/loopback-services.ts"
import { start } from "./fixtures/node-processes.ts"

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

describe("ocr2word serve", () => {
  it.effect(
    "refuses a wrong flag value in the house format before starting",
    () =>
      Effect.gen(function* () {
        const out = yield* ocr2word("serve", "--port", "eighty")
        assert.include(out, 'ocr2word serve: Expected an integer between 0 and 65535 for port but received "eighty"')
        // One sentence for the person at the terminal, not a stack.
        assert.notInclude(out, "    at ")
        const mode = yield* ocr2word("serve", "--docx-mode", "pretty")
        assert.include(mode, 'Expected one of "flow", "exact" for docxMode but received "pretty"')
      }),
    120_000
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

describe("ocr2word serve start-up", () => {
  it.live(
    "a request that arrives while the server is starting is answered, not left hanging",
    () =>
      Effect.gen(function* () {
        const port = yield* Effect.promise(() => freePort())
        const node = yield* Effect.acquireRelease(
          Effect.sync(() => start(["serve", "--port", String(port), "--workers", "1", "--data-dir", dataDir], {})),
          (n) => Effect.promise(() => n.stop("SIGKILL"))
        )
        // Probe from the first moment: refused until it listens, then answered at once (before: the
        // requests accepted before the router was attached never got an answer).
        const first = yield* Effect.promise(async () => {
          for (let i = 0; i < 600; i++) {
            const sent = Date.now()
            const reply = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(10_000) }).then(
              (r) => r.status,
              (e: { cause?: { code?: string }; name?: string }) => e.cause?.code ?? e.name
            )
            if (reply !== "ECONNREFUSED") return { reply, took: Date.now() - sent }
            await new Promise((r) => setTimeout(r, 20))
          }
          return { reply: "never listened", took: 0 }
        })
        assert.strictEqual(first.reply, 200, node.output())
        assert.isBelow(first.took, 5_000)
      }).pipe(Effect.scoped),
    60_000
  )
})
