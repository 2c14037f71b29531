/**
 * `KeyStore` on PostgreSQL, shared by every node: the same keys, rules and
 * messages as the embedded sqlite store (`KeyStore.make` over this backend).
 * A call is counted by one `UPDATE ... WHERE calls < quota ... RETURNING`,
 * so two nodes can never let a key past its quota. Migrations run at
 * start-up under an advisory lock, so nodes starting together do not race.
 * A database that does not answer fails with `KeyStoreError` `Unavailable`
 * (503/110) within the connection and statement time limits; the pool
 * reconnects by itself once the database is back.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import pg from "pg"
import * as Dependency from "./Dependency.ts"
import { type KeyInfo, KeyStore, KeyStoreError, make as makeKeyStore } from "./KeyStore.ts"

/** Schema versions in order; each runs once, in a transaction. */
const migrations: ReadonlyArray<string> = [
  `CREATE TABLE keys (
     id TEXT PRIMARY KEY,
     hash TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     created_at TIMESTAMPTZ NOT NULL,
     expires_at TIMESTAMPTZ,
     suspended BOOLEAN NOT NULL DEFAULT false,
     revoked BOOLEAN NOT NULL DEFAULT false,
     quota BIGINT,
     calls BIGINT NOT NULL DEFAULT 0,
     last_used_at TIMESTAMPTZ
   )`
]

/** Arbitrary, fixed: the advisory lock id of ocr2word's migrations. */
const migrationLock = 7_204_113

interface Row {
  id: string
  name: string
  created_at: Date
  expires_at: Date | null
  suspended: boolean
  revoked: boolean
  quota: string | null
  calls: string
  last_used_at: Date | null
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString())

const toInfo = (row: Row): KeyInfo => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at.toISOString(),
  expiresAt: iso(row.expires_at),
  suspended: row.suspended,
  revoked: row.revoked,
  quota: row.quota === null ? null : Number(row.quota),
  calls: Number(row.calls),
  lastUsedAt: iso(row.last_used_at)
})

/** Where a database URL points, without its password, for messages. */
const describe = (url: string) => {
  try {
    const u = new URL(url)
    return `PostgreSQL at ${u.hostname}:${u.port || "5432"}${u.pathname}`
  } catch {
    return "PostgreSQL"
  }
}

/** A store in the PostgreSQL database at `url` (`postgres://user@host:port/db`). */
export const make = (url: string) =>
  Effect.gen(function* () {
    const where = describe(url)
    const pool = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const pool = new pg.Pool({
          connectionString: url,
          max: 8,
          connectionTimeoutMillis: 2_000,
          query_timeout: 5_000,
          idleTimeoutMillis: 10_000
        })
        // An idle client losing its connection is reported here; the next query gets a fresh one.
        pool.on("error", () => {})
        return pool
      }),
      (pool) => Effect.promise(() => pool.end())
    )
    const fail = (what: string) => (cause: unknown) =>
      new KeyStoreError({
        reason: "Unavailable",
        message: `the key database (${where}) is unavailable during ${what}: ${cause instanceof Error ? cause.message : String(cause)}; retry in a few seconds.`,
        cause
      })
    const query = <R extends pg.QueryResultRow = Row>(
      what: string,
      text: string,
      values: ReadonlyArray<unknown> = []
    ) => Effect.tryPromise({ try: () => pool.query<R>(text, [...values]), catch: fail(what) })
    const one = (what: string, text: string, values: ReadonlyArray<unknown>) =>
      Effect.map(query(what, text, values), (r) => (r.rows[0] === undefined ? undefined : toInfo(r.rows[0])))

    yield* Effect.tryPromise({
      try: async () => {
        const client = await pool.connect()
        try {
          await client.query("SELECT pg_advisory_lock($1)", [migrationLock])
          await client.query(
            "CREATE TABLE IF NOT EXISTS ocr2word_migrations (version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
          )
          const done = new Set(
            (await client.query<{ version: number }>("SELECT version FROM ocr2word_migrations")).rows.map(
              (r) => r.version
            )
          )
          for (const [i, sql] of migrations.entries()) {
            if (done.has(i + 1)) continue
            await client.query("BEGIN")
            try {
              await client.query(sql)
              await client.query("INSERT INTO ocr2word_migrations (version) VALUES ($1)", [i + 1])
              await client.query("COMMIT")
            } catch (e) {
              await client.query("ROLLBACK")
              throw e
            }
          }
        } finally {
          await client.query("SELECT pg_advisory_unlock($1)", [migrationLock]).catch(() => undefined)
          client.release()
        }
      },
      catch: (cause) =>
        new KeyStoreError({
          reason: "Unavailable",
          message: `Cannot migrate the key database (${where}): ${cause instanceof Error ? cause.message : String(cause)}. Check OCR2WORD_DATABASE_URL and that the database is up.`,
          cause
        })
    })

    return makeKeyStore({
      insert: (row) =>
        Effect.asVoid(
          query(
            "insert",
            "INSERT INTO keys (id, hash, name, created_at, expires_at, quota) VALUES ($1, $2, $3, $4, $5, $6)",
            [row.id, row.hash, row.name, row.createdAt, row.expiresAt, row.quota]
          )
        ),
      byId: (id) => one("read", "SELECT * FROM keys WHERE id = $1", [id]),
      byHash: (digest) => one("read", "SELECT * FROM keys WHERE hash = $1", [digest]),
      hashOf: (id) =>
        Effect.map(
          query<{ hash: string }>("read", "SELECT hash FROM keys WHERE id = $1", [id]),
          (r) => r.rows[0]?.hash
        ),
      uncount: (id) =>
        Effect.asVoid(query("update", "UPDATE keys SET calls = calls - 1 WHERE id = $1 AND calls > 0", [id])),
      list: Effect.map(query("list", "SELECT * FROM keys ORDER BY created_at, id"), (r) => r.rows.map(toInfo)),
      setFlag: (id, flag, value) =>
        Effect.asVoid(
          query("update", `UPDATE keys SET ${flag === "revoked" ? "revoked" : "suspended"} = $1 WHERE id = $2`, [
            value,
            id
          ])
        ),
      // The check and the increment in one statement: a row lock orders concurrent calls from every node.
      countCall: (digest, now) =>
        one(
          "authorize",
          `UPDATE keys SET calls = calls + 1, last_used_at = $1
             WHERE hash = $2 AND NOT revoked AND NOT suspended
               AND (quota IS NULL OR calls < quota) AND (expires_at IS NULL OR expires_at > $1)
           RETURNING *`,
          [now, digest]
        ),
      check: Dependency.probe("keys", "postgres", query("check", "SELECT 1"))
    })
  })

/** `KeyStore` on the PostgreSQL at `url` (shared by every node). */
export const layer = (url: string): Layer.Layer<KeyStore, KeyStoreError> => Layer.effect(KeyStore, make(url))
