/**
 * API keys behind one service: create, list, revoke, suspend and check them,
 * and count calls. The embedded default (`KeyStore.layerSqlite(file)`) keeps
 * them in a `node:sqlite` database; only a SHA-256 of each key is stored, so
 * a leaked database leaks no key. A key is shown once, when it is created.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { DatabaseSync } from "node:sqlite"
import { Context, Effect, Layer, Schema } from "effect"

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

export class KeyStoreError extends Schema.TaggedError<KeyStoreError>()("KeyStoreError", {
  reason: Schema.Literals(["Io", "NotFound", "InvalidOptions"]),
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
  }
>()("@ocr2word/server/KeyStore") {}

const hash = (key: string) => createHash("sha256").update(key, "utf8").digest("hex")

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
    const db = yield* Effect.acquireRelease(
      Effect.try({
        try: () => {
          if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
          const db = new DatabaseSync(file)
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
            message: `Cannot open the key database ${file}: ${String(cause)}. Check --data-dir and its permissions.`,
            cause
          })
      }),
      (db) => Effect.sync(() => db.close())
    )

    const io = <A>(what: string, f: () => A) =>
      Effect.try({
        try: f,
        catch: (cause) =>
          new KeyStoreError({ reason: "Io", message: `Key database ${what} failed: ${String(cause)}`, cause })
      })

    const selectById = db.prepare("SELECT * FROM keys WHERE id = ?")
    const selectByHash = db.prepare("SELECT * FROM keys WHERE hash = ?")
    const count = db.prepare(
      "UPDATE keys SET calls = calls + 1, last_used_at = ? WHERE hash = ? AND revoked = 0 AND suspended = 0 AND (quota IS NULL OR calls < quota) AND (expires_at IS NULL OR expires_at > ?)"
    )

    const get = Effect.fn("KeyStore.get")(function* (id: string) {
      const row = yield* io("read", () => selectById.get(id) as Row | undefined)
      if (row === undefined)
        return yield* Effect.fail(
          new KeyStoreError({
            reason: "NotFound",
            message: `No key with id ${JSON.stringify(id)}; list them with \`ocr2word keys list\``
          })
        )
      return toInfo(row)
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
      const expiresAt = options.expiresAt === undefined ? null : new Date(options.expiresAt).toISOString()
      yield* io("insert", () =>
        db
          .prepare("INSERT INTO keys (id, hash, name, created_at, expires_at, quota) VALUES (?, ?, ?, ?, ?, ?)")
          .run(id, hash(key), options.name, new Date().toISOString(), expiresAt, options.quota ?? null)
      )
      return { key, info: yield* get(id) }
    })

    const list = io("list", () =>
      (db.prepare("SELECT * FROM keys ORDER BY created_at").all() as unknown as Array<Row>).map(toInfo)
    )

    const revoke = Effect.fn("KeyStore.revoke")(function* (id: string) {
      yield* get(id)
      yield* io("update", () => db.prepare("UPDATE keys SET revoked = 1 WHERE id = ?").run(id))
      return yield* get(id)
    })

    const suspend = Effect.fn("KeyStore.suspend")(function* (id: string, suspended: boolean) {
      yield* get(id)
      yield* io("update", () => db.prepare("UPDATE keys SET suspended = ? WHERE id = ?").run(suspended ? 1 : 0, id))
      return yield* get(id)
    })

    const authorize = Effect.fn("KeyStore.authorize")(function* (key: string | undefined) {
      if (key === undefined || key.trim() === "") {
        return yield* Effect.fail(
          new KeyRejected({
            reason: "Missing",
            message: "appkey is missing: pass ?appkey=YOUR_APPKEY in the query string (or an appkey body field)."
          })
        )
      }
      const digest = hash(key.trim())
      const now = new Date().toISOString()
      const changed = yield* io("update", () => count.run(now, digest, now).changes)
      const row = yield* io("read", () => selectByHash.get(digest) as Row | undefined)
      if (row === undefined) {
        return yield* Effect.fail(
          new KeyRejected({
            reason: "Unknown",
            message: "appkey is not a valid key: check it against the key you were given (keys are case-sensitive)."
          })
        )
      }
      if (Number(changed) > 0) return toInfo(row)
      const info = toInfo(row)
      if (info.revoked)
        return yield* Effect.fail(
          new KeyRejected({ reason: "Revoked", message: "this appkey was revoked; ask for a new key." })
        )
      if (info.suspended)
        return yield* Effect.fail(
          new KeyRejected({
            reason: "Suspended",
            message: "this appkey is suspended; contact the administrator to resume it."
          })
        )
      if (info.expiresAt !== null && info.expiresAt <= now) {
        return yield* Effect.fail(
          new KeyRejected({
            reason: "Expired",
            message: `this appkey expired at ${info.expiresAt}; renew it to continue.`
          })
        )
      }
      return yield* Effect.fail(
        new KeyRejected({
          reason: "QuotaExhausted",
          message: `this appkey has used its quota of ${info.quota} calls; raise the quota or use another key.`
        })
      )
    })

    return KeyStore.of({ create, list, get, revoke, suspend, authorize })
  })

/** The embedded store in a SQLite file. */
export const layerSqlite = (file: string): Layer.Layer<KeyStore, KeyStoreError> =>
  Layer.effect(KeyStore, makeSqlite(file))
