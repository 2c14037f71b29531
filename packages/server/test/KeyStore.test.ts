/** KeyStore on node:sqlite: hashed keys, expiry, suspension, revocation, quota counted atomically. */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { DatabaseSync } from "node:sqlite"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { KeyStore } from "../src/index.ts"

const withStore = <A, E>(f: (keys: KeyStore.KeyStore["Service"], file: string) => Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-keys-"))
    const file = path.join(dir, "keys.sqlite")
    const keys = yield* KeyStore.makeSqlite(file)
    return yield* f(keys, file)
  }).pipe(Effect.scoped)

describe("KeyStore", () => {
  it.effect("stores only a hash of each key and checks it", () =>
    withStore((keys, file) =>
      Effect.gen(function* () {
        const { key, info } = yield* keys.create({ name: "alice" })
        assert.match(key, /^o2w_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/)
        const rows = new DatabaseSync(file).prepare("SELECT * FROM keys").all() as Array<Record<string, unknown>>
        assert.notInclude(JSON.stringify(rows), key)
        assert.notInclude(JSON.stringify(rows), key.slice(18))
        const ok = yield* keys.authorize(key)
        assert.strictEqual(ok.id, info.id)
        assert.strictEqual(ok.calls, 1)
        const rejected = yield* keys.authorize(`${key}x`).pipe(Effect.flip)
        assert.strictEqual(rejected._tag === "KeyRejected" && rejected.reason, "Unknown")
        const missing = yield* keys.authorize(undefined).pipe(Effect.flip)
        assert.strictEqual(missing._tag === "KeyRejected" && missing.reason, "Missing")
      })
    )
  )

  it.effect("refuses expired, suspended and revoked keys, and counts calls up to the quota", () =>
    withStore((keys) =>
      Effect.gen(function* () {
        const reason = (key: string) =>
          Effect.map(Effect.flip(keys.authorize(key)), (e) => (e._tag === "KeyRejected" ? e.reason : e._tag))
        const expired = yield* keys.create({ name: "e", expiresAt: "2001-01-01" })
        assert.strictEqual(yield* reason(expired.key), "Expired")
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
      })
    )
  )
})
