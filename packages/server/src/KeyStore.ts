/**
 * API keys behind one service: create, list, revoke, suspend and check them,
 * and count calls. The embedded default (`KeyStore.layerSqlite(file)`) keeps
 * them in a `node:sqlite` database; only a SHA-256 of each key is stored, so
 * a leaked database leaks no key. A key is shown once, when it is created.
 * Several nodes share one PostgreSQL database instead (`PostgresKeyStore`),
 * with the same behaviour; the same test suite runs against both. At
 * start-up the sqlite file's folder is checked writable and the file itself
 * is quick-checked before anything is written: a damaged database is a clear
 * error and is left untouched, never replaced by an empty one.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import * as path from "node:path"
import { DatabaseSync } from "node:sqlite"
import { Context, Effect, Layer, Schema } from "effect"
import * as Dependency from "./Dependency.ts"
import { checkWritable } from "./internal/data-dir.ts"

/** What the store knows about a key (never the key itself). */
export interface KeyInfo {
  /** Public id, also the first characters of the key after `o2w_`. */
  readonly id: string
  readonly name: string
  readonly createdAt: string
  /** ISO date-time after which the key is refused, if any. */
  readonly expiresAt: string | null
  readonly suspended: boolean
  readonly revoked: boolean
  /** Calls allowed in total, if limited. */
  readonly quota: number | null
  readonly calls: number
  readonly lastUsedAt: string | null
}

/** Why a key was refused: `Unknown` is 401/104, the others 403/103. */
export class KeyRejected extends Schema.TaggedError<KeyRejected>()("KeyRejected", {
  reason: Schema.Literals(["Missing", "Unknown", "Expired", "Suspended", "Revoked", "QuotaExhausted"]),
  message: Schema.String
}) {}

/**
 * `Unavailable`: the shared database does not answer (503/110); `DiskFull`:
 * its disk has no space for an update; `Io`: it failed otherwise.
 */
export class KeyStoreError extends Schema.TaggedError<KeyStoreError>()("KeyStoreError", {
  reason: Schema.Literals(["Io", "NotFound", "InvalidOptions", "Unavailable", "DiskFull"]),
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/** Options of a new key. */
export const CreateOptions = Schema.Struct({
  name: Schema.String,
  expiresAt: Schema.optionalKey(Schema.String),
  quota: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThan(0)))
})
export type CreateOptions = typeof CreateOptions.Type

/**
 * The API keys: created (only a hash stored), checked on every call, suspended, resumed, revoked, with usage and
 * quotas.
 */
export class KeyStore extends Context.Service<
  KeyStore,
  {
    /** A new key; the plain key is in the result only. */
    readonly create: (
      options: CreateOptions
    ) => Effect.Effect<{ readonly key: string; readonly info: KeyInfo }, KeyStoreError>
    readonly list: Effect.Effect<ReadonlyArray<KeyInfo>, KeyStoreError>
    readonly get: (id: string) => Effect.Effect<KeyInfo, KeyStoreError>
    /** Refuse the key from now on, for good. */
    readonly revoke: (id: string) => Effect.Effect<KeyInfo, KeyStoreError>
    readonly suspend: (id: string, suspended: boolean) => Effect.Effect<KeyInfo, KeyStoreError>
    /** Check a key and count one call against its quota, atomically. */
    readonly authorize: (key: string | undefined) => Effect.Effect<KeyInfo, KeyRejected | KeyStoreError>
    /** Give back the call `authorize` counted, when the conversion it was for failed. */
    readonly refund: (id: string) => Effect.Effect<void, KeyStoreError>
    /** Whether the backend answers, for /readyz. */
    readonly check: Effect.Effect<Dependency.Status>
  }
>()("@ocr2word/server/KeyStore") {}

/** Only this digest of a key is stored. */
export const hash = (key: string) => createHash("sha256").update(key, "utf8").digest("hex")

/**
 * The storage a key store runs on: plain reads and writes, with one atomic
 * call-counting update. `make` gives every backend the same rules (key
 * format, expiry, suspension, revocation, quota and their messages).
 */
export interface Backend {
  readonly insert: (row: {
    readonly id: string
    readonly hash: string
    readonly name: string
    readonly createdAt: string
    readonly expiresAt: string | null
    readonly quota: number | null
  }) => Effect.Effect<void, KeyStoreError>
  readonly byId: (id: string) => Effect.Effect<KeyInfo | undefined, KeyStoreError>
  readonly byHash: (hash: string) => Effect.Effect<KeyInfo | undefined, KeyStoreError>
  /** The stored digest of the key with this public id, for a constant-time comparison. */
  readonly hashOf: (id: string) => Effect.Effect<string | undefined, KeyStoreError>
  /** Take back one counted call of the key (never below zero). */
  readonly uncount: (id: string) => Effect.Effect<void, KeyStoreError>
  readonly list: Effect.Effect<ReadonlyArray<KeyInfo>, KeyStoreError>
  readonly setFlag: (id: string, flag: "revoked" | "suspended", value: boolean) => Effect.Effect<void, KeyStoreError>
  /**
   * Count one call of the key with this hash if it is usable now (not revoked,
   * suspended, expired or over quota), in one atomic update; the updated key,
   * or undefined when nothing was counted.
   */
  readonly countCall: (hash: string, now: string) => Effect.Effect<KeyInfo | undefined, KeyStoreError>
  readonly check: Effect.Effect<Dependency.Status>
}

/** The public id inside a key (`o2w_<id>_<secret>`), or undefined for anything else. */
export const publicId = (key: string) => /^o2w_([0-9a-f]{12})_[A-Za-z0-9_-]+$/.exec(key)?.[1]

/** Whether two hex SHA-256 digests are equal, in time independent of where they differ. */
export const sameDigest = (a: string, b: string) => {
  const x = Buffer.from(a, "hex")
  const y = Buffer.from(b, "hex")
  return x.length === 32 && y.length === 32 && timingSafeEqual(x, y)
}

/** A key store over a backend. */
export const make = (backend: Backend) => {
  const get = Effect.fn("KeyStore.get")(function* (id: string) {
    const info = yield* backend.byId(id)
    if (info === undefined)
      return yield* Effect.fail(
        new KeyStoreError({
          reason: "NotFound",
          message: `No key with id ${JSON.stringify(id)}; list them with \`ocr2word keys list\``
        })
      )
    return info
  })

  const create = Effect.fn("KeyStore.create")(function* (options: CreateOptions) {
    if (options.expiresAt !== undefined && Number.isNaN(Date.parse(options.expiresAt))) {
      return yield* Effect.fail(
        new KeyStoreError({
          reason: "InvalidOptions",
          message: `Expected an ISO date for expiresAt but received ${JSON.stringify(options.expiresAt)}`
        })
      )
    }
    const id = randomBytes(6).toString("hex")
    const key = `o2w_${id}_${randomBytes(24).toString("base64url")}`
    yield* backend.insert({
      id,
      hash: hash(key),
      name: options.name,
      createdAt: new Date().toISOString(),
      expiresAt: options.expiresAt === undefined ? null : new Date(options.expiresAt).toISOString(),
      quota: options.quota ?? null
    })
    return { key, info: yield* get(id) }
  })

  const setFlag = (name: string, flag: "revoked" | "suspended") =>
    Effect.fn(name)(function* (id: string, value: boolean) {
      yield* get(id)
      yield* backend.setFlag(id, flag, value)
      return yield* get(id)
    })
  const revokeFlag = setFlag("KeyStore.revoke", "revoked")
  const suspend = setFlag("KeyStore.suspend", "suspended")

  const reject = (reason: KeyRejected["reason"], message: string) => Effect.fail(new KeyRejected({ reason, message }))

  const authorize = Effect.fn("KeyStore.authorize")(function* (key: string | undefined) {
    if (key === undefined || key.trim() === "") {
      return yield* reject(
        "Missing",
        "appkey is missing: pass ?appkey=YOUR_APPKEY in the query string (or an appkey body field)."
      )
    }
    const unknown = () =>
      reject("Unknown", "appkey is not a valid key: check it against the key you were given (keys are case-sensitive).")
    const digest = hash(key.trim())
    // The row is found by the key's public id; its secret part is checked by comparing
    // digests in constant time, so answer times say nothing about how much of a guess was right.
    const id = publicId(key.trim())
    const stored = id === undefined ? undefined : yield* backend.hashOf(id)
    if (stored === undefined || !sameDigest(stored, digest)) return yield* unknown()
    const now = new Date().toISOString()
    const counted = yield* backend.countCall(digest, now)
    if (counted !== undefined) return counted
    const info = yield* backend.byHash(digest)
    if (info === undefined) return yield* unknown()
    if (info.revoked) return yield* reject("Revoked", "this appkey was revoked; ask for a new key.")
    if (info.suspended)
      return yield* reject("Suspended", "this appkey is suspended; contact the administrator to resume it.")
    if (info.expiresAt !== null && info.expiresAt <= now)
      return yield* reject("Expired", `this appkey expired at ${info.expiresAt}; renew it to continue.`)
    return yield* reject(
      "QuotaExhausted",
      `this appkey has used its quota of ${info.quota} calls; raise the quota or use another key.`
    )
  })

  return KeyStore.of({
    create,
    list: backend.list,
    get,
    revoke: (id) => revokeFlag(id, true),
    suspend,
    authorize,
    refund: (id) => backend.uncount(id),
    check: backend.check
  })
}

interface Row {
  id: string
  name: string
  created_at: string
  expires_at: string | null
  suspended: number
  revoked: number
  quota: number | null
  calls: number
  last_used_at: string | null
}

const toInfo = (row: Row): KeyInfo => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  suspended: row.suspended === 1,
  revoked: row.revoked === 1,
  quota: row.quota,
  calls: row.calls,
  lastUsedAt: row.last_used_at
})

/** A store over a `node:sqlite` database file (`:memory:` for a throwaway one). */
export const makeSqlite = (file: string) =>
  Effect.gen(function* () {
    if (file !== ":memory:") {
      const unwritable = checkWritable(path.dirname(path.resolve(file)), "the key database")
      if (unwritable !== undefined) return yield* Effect.fail(new KeyStoreError({ reason: "Io", message: unwritable }))
    }
    const db = yield* Effect.acquireRelease(
      Effect.try({
        try: () => {
          const db = new DatabaseSync(file)
          // Checked before anything is written: a damaged database is refused as it is, never rewritten.
          const damage = file === ":memory:" ? undefined : damageOf(db)
          if (damage !== undefined) {
            db.close()
            throw new DamagedDatabase(damage)
          }
          db.exec(`PRAGMA journal_mode = WAL;
            PRAGMA busy_timeout = 5000;
            CREATE TABLE IF NOT EXISTS keys (
              id TEXT PRIMARY KEY,
              hash TEXT NOT NULL UNIQUE,
              name TEXT NOT NULL,
              created_at TEXT NOT NULL,
              expires_at TEXT,
              suspended INTEGER NOT NULL DEFAULT 0,
              revoked INTEGER NOT NULL DEFAULT 0,
              quota INTEGER,
              calls INTEGER NOT NULL DEFAULT 0,
              last_used_at TEXT
            );`)
          return db
        },
        catch: (cause) =>
          new KeyStoreError({
            reason: "Io",
            message:
              cause instanceof DamagedDatabase
                ? `The key database ${path.resolve(file)} is damaged (${cause.message}); it was left exactly as it is. Restore it from a backup, or move it aside (mv ${file} ${file}.damaged) to start with no keys, then create them again with \`ocr2word keys create\`.`
                : `Cannot open the key database ${file}: ${String(cause)}. Check --data-dir and its permissions.`,
            cause
          })
      }),
      (db) => Effect.sync(() => db.close())
    )

    const io = <A>(what: string, f: () => A) =>
      Effect.try({
        try: f,
        catch: (cause) => {
          // node:sqlite gives SQLITE_FULL only in its message.
          const full = /database or disk is full|SQLITE_FULL/i.test(String(cause))
          return new KeyStoreError({
            reason: full ? "DiskFull" : "Io",
            message: full
              ? `Key database ${what} failed: the disk of ${file} is full; free space on it (or move --data-dir) and retry.`
              : `Key database ${what} failed: ${String(cause)}`,
            cause
          })
        }
      })

    const selectById = db.prepare("SELECT * FROM keys WHERE id = ?")
    const selectByHash = db.prepare("SELECT * FROM keys WHERE hash = ?")
    // The check and the increment in one statement: concurrent calls never pass the quota.
    const count = db.prepare(
      "UPDATE keys SET calls = calls + 1, last_used_at = ? WHERE hash = ? AND revoked = 0 AND suspended = 0 AND (quota IS NULL OR calls < quota) AND (expires_at IS NULL OR expires_at > ?) RETURNING *"
    )
    const read = (statement: typeof selectById, value: string) =>
      io("read", () => {
        const row = statement.get(value) as Row | undefined
        return row === undefined ? undefined : toInfo(row)
      })

    return make({
      insert: (row) =>
        io("insert", () => {
          db.prepare("INSERT INTO keys (id, hash, name, created_at, expires_at, quota) VALUES (?, ?, ?, ?, ?, ?)").run(
            row.id,
            row.hash,
            row.name,
            row.createdAt,
            row.expiresAt,
            row.quota
          )
        }),
      byId: (id) => read(selectById, id),
      byHash: (digest) => read(selectByHash, digest),
      hashOf: (id) =>
        io(
          "read",
          () => (db.prepare("SELECT hash FROM keys WHERE id = ?").get(id) as { hash: string } | undefined)?.hash
        ),
      uncount: (id) =>
        io("update", () => {
          db.prepare("UPDATE keys SET calls = calls - 1 WHERE id = ? AND calls > 0").run(id)
        }),
      list: io("list", () =>
        (db.prepare("SELECT * FROM keys ORDER BY created_at").all() as unknown as Array<Row>).map(toInfo)
      ),
      setFlag: (id, flag, value) =>
        io("update", () => {
          db.prepare(`UPDATE keys SET ${flag === "revoked" ? "revoked" : "suspended"} = ? WHERE id = ?`).run(
            value ? 1 : 0,
            id
          )
        }),
      countCall: (digest, now) =>
        io("update", () => {
          const row = count.get(now, digest, now) as Row | undefined
          return row === undefined ? undefined : toInfo(row)
        }),
      check: Dependency.embedded("keys", "sqlite")
    })
  })

class DamagedDatabase extends Error {}

/**
 * Why an opened sqlite file is not a sound database (not one at all, or
 * failing its quick check), or undefined when it is; reads only.
 */
const damageOf = (db: DatabaseSync): string | undefined => {
  try {
    const rows = db.prepare("PRAGMA quick_check").all() as Array<Record<string, unknown>>
    const problems = rows.map((row) => String(Object.values(row)[0])).filter((text) => text !== "ok")
    return problems.length === 0 ? undefined : problems.slice(0, 3).join("; ")
  } catch (cause) {
    return (cause as Error).message ?? String(cause)
  }
}

/** The embedded store in a SQLite file. */
export const layerSqlite = (file: string): Layer.Layer<KeyStore, KeyStoreError> =>
  Layer.effect(KeyStore, makeSqlite(file))
