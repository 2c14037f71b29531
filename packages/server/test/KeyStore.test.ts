/**
 * KeyStore, one suite run against both backends: the embedded sqlite file and
 * PostgreSQL (a real server started on loopback for this file). Hashed keys,
 * expiry, suspension, revocation, quota counted atomically, also by two
 * stores (two nodes) on one database at once.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { DatabaseSync } from "node:sqlite"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import pg from "pg"
import { KeyStore, PostgresKeyStore } from "../src/index.ts"
import { type Loopback, missing, skipMessage, startPostgres } from "./fixtures/loopback-services.ts"

const absent = missing("postgres")
let postgres: Loopback | undefined
let database = 0

beforeAll(async () => {
  if (absent.length === 0) postgres = await startPostgres()
})
afterAll(async () => {
  await postgres?.stop()
})

/** A fresh database on the test cluster, so every test starts empty. */
const freshDatabase = Effect.promise(async () => {
  const name = `keys_${process.pid}_${database++}`
  const admin = new pg.Client({ connectionString: postgres!.url })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  return postgres!.url.replace(/\/ocr2word$/, `/${name}`)
})

interface Backend {
  readonly name: string
  readonly skip: boolean
  /** A store, and a way to read every stored row (to check no key is kept in clear). */
  readonly open: Effect.Effect<
    {
      readonly keys: KeyStore.KeyStore["Service"]
      readonly rows: () => Promise<unknown>
      readonly second: Effect.Effect<KeyStore.KeyStore["Service"], unknown, import("effect").Scope.Scope>
    },
    unknown,
    import("effect").Scope.Scope
  >
}

const backends: ReadonlyArray<Backend> = [
  {
    name: "sqlite",
    skip: false,
    open: Effect.gen(function* () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-keys-"))
      const file = path.join(dir, "keys.sqlite")
      const keys = yield* KeyStore.makeSqlite(file)
      return {
        keys,
        rows: async () => new DatabaseSync(file).prepare("SELECT * FROM keys").all(),
        second: KeyStore.makeSqlite(file)
      }
    })
  },
  {
    name: "postgres",
    skip: absent.length > 0,
    open: Effect.gen(function* () {
      const url = yield* freshDatabase
      const keys = yield* PostgresKeyStore.make(url)
      return {
        keys,
        rows: async () => {
          const c = new pg.Client({ connectionString: url })
          await c.connect()
          const r = await c.query("SELECT * FROM keys")
          await c.end()
          return r.rows
        },
        second: PostgresKeyStore.make(url)
      }
    })
  }
]

for (const backend of backends) {
  describe.skipIf(backend.skip)(`KeyStore on ${backend.name}`, () => {
    it.effect("stores only a hash of each key and checks it", () =>
      Effect.gen(function* () {
        const { keys, rows } = yield* backend.open
        const { key, info } = yield* keys.create({ name: "alice" })
        assert.match(key, /^o2w_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/)
        const stored = JSON.stringify(yield* Effect.promise(rows))
        assert.notInclude(stored, key)
        assert.notInclude(stored, key.slice(18))
        const ok = yield* keys.authorize(key)
        assert.strictEqual(ok.id, info.id)
        assert.strictEqual(ok.calls, 1)
        const rejected = yield* keys.authorize(`${key}x`).pipe(Effect.flip)
        assert.strictEqual(rejected._tag === "KeyRejected" && rejected.reason, "Unknown")
        const missingKey = yield* keys.authorize(undefined).pipe(Effect.flip)
        assert.strictEqual(missingKey._tag === "KeyRejected" && missingKey.reason, "Missing")
        assert.strictEqual((yield* keys.check).ok, true)
      }).pipe(Effect.scoped)
    )

    it.effect("refuses expired, suspended and revoked keys, and counts calls up to the quota", () =>
      Effect.gen(function* () {
        const { keys } = yield* backend.open
        const reason = (key: string) =>
          Effect.map(Effect.flip(keys.authorize(key)), (e) => (e._tag === "KeyRejected" ? e.reason : e._tag))
        const expired = yield* keys.create({ name: "e", expiresAt: "2001-01-01" })
        assert.strictEqual(yield* reason(expired.key), "Expired")
        assert.strictEqual(expired.info.expiresAt, "2001-01-01T00:00:00.000Z")
        const s = yield* keys.create({ name: "s" })
        yield* keys.suspend(s.info.id, true)
        assert.strictEqual(yield* reason(s.key), "Suspended")
        yield* keys.suspend(s.info.id, false)
        assert.strictEqual((yield* keys.authorize(s.key)).calls, 1)
        const r = yield* keys.create({ name: "r" })
        yield* keys.revoke(r.info.id)
        assert.strictEqual(yield* reason(r.key), "Revoked")
        const q = yield* keys.create({ name: "q", quota: 3 })
        yield* Effect.forEach([1, 2, 3], () => keys.authorize(q.key), { concurrency: 3 })
        assert.strictEqual(yield* reason(q.key), "QuotaExhausted")
        assert.strictEqual((yield* keys.get(q.info.id)).calls, 3)
        assert.lengthOf(yield* keys.list, 4)
        const bad = yield* keys.create({ name: "x", expiresAt: "someday" }).pipe(Effect.flip)
        assert.strictEqual(bad.message, 'Expected an ISO date for expiresAt but received "someday"')
        const unknown = yield* keys.get("nope").pipe(Effect.flip)
        assert.strictEqual(unknown.message, 'No key with id "nope"; list them with `ocr2word keys list`')
      }).pipe(Effect.scoped)
    )

    it.effect("two stores on one database (two nodes) never let a key past its quota", () =>
      Effect.gen(function* () {
        const { keys, second } = yield* backend.open
        const other = yield* second
        const q = yield* keys.create({ name: "shared", quota: 10 })
        const results = yield* Effect.forEach(
          Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? keys : other)),
          (store) => Effect.result(store.authorize(q.key)),
          { concurrency: 30 }
        )
        assert.strictEqual(results.filter((r) => r._tag === "Success").length, 10)
        assert.strictEqual((yield* other.get(q.info.id)).calls, 10)
      }).pipe(Effect.scoped)
    )
  })
}

describe.skipIf(absent.length === 0)("KeyStore on postgres", () => {
  it("is skipped", () => {
    console.info(skipMessage(absent))
  })
})

describe.skipIf(absent.length > 0)("PostgresKeyStore outage", () => {
  it.live("a database that goes down answers Unavailable quickly, and the store recovers without a restart", () =>
    Effect.gen(function* () {
      const url = yield* freshDatabase
      const keys = yield* PostgresKeyStore.make(url)
      const { key } = yield* keys.create({ name: "outage" })
      yield* Effect.promise(() => postgres!.stop())
      const started = Date.now()
      const down = yield* keys.authorize(key).pipe(Effect.flip)
      assert.isBelow(Date.now() - started, 6_000)
      assert.strictEqual(down._tag === "KeyStoreError" && down.reason, "Unavailable")
      assert.match(down.message, /^the key database \(PostgreSQL at 127\.0\.0\.1:\d+\/keys_\d+_\d+\) is unavailable/)
      const status = yield* keys.check
      assert.strictEqual(status.ok, false)
      yield* Effect.promise(() => postgres!.start())
      // The pool opens fresh connections by itself once the server accepts them again.
      const back = yield* keys.authorize(key).pipe(Effect.retry({ times: 20, schedule: Schedule.spaced("250 millis") }))
      assert.strictEqual(back.calls, 1)
      assert.strictEqual((yield* keys.check).ok, true)
    }).pipe(Effect.scoped)
  )
})
