/**
 * S3DocumentStore against a real S3-compatible server (s3rver) on loopback:
 * what one store writes another reads, a named id is never overwritten,
 * presigned URLs carry the download headers, and an outage answers
 * Unavailable fast and recovers.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { DocumentStore, S3DocumentStore } from "../src/index.ts"
import { startS3 } from "./fixtures/loopback-services.ts"

let s3: Awaited<ReturnType<typeof startS3>>
beforeAll(async () => {
  s3 = await startS3()
})
afterAll(async () => {
  await s3?.stop()
})

const options = (presignSeconds = 0): S3DocumentStore.S3Options => ({
  bucket: s3.bucket,
  endpoint: s3.url,
  region: "us-east-1",
  accessKeyId: "S3RVER",
  secretAccessKey: Redacted.make("S3RVER"),
  prefix: "test/",
  forcePathStyle: true,
  presignSeconds
})

const docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

describe("S3DocumentStore", () => {
  it.live("a file put through one store reads back through another, whole", () =>
    Effect.gen(function* () {
      const a = yield* S3DocumentStore.make(options())
      const b = yield* S3DocumentStore.make(options())
      const bytes = new Uint8Array(300_000).map((_, i) => i % 251)
      const stored = yield* Effect.forEach(
        Array.from({ length: 8 }),
        () => a.put(bytes, { extension: "docx", mediaType: docx }),
        {
          concurrency: 8
        }
      )
      assert.strictEqual(new Set(stored.map((s) => s.id)).size, 8)
      for (const s of stored) {
        assert.match(s.name, /^[0-9a-f]{32}\.docx$/)
        assert.deepStrictEqual(yield* b.read(s.name), bytes)
        const info = yield* b.stat(s.name)
        assert.strictEqual(info.size, bytes.byteLength)
        assert.strictEqual(info.mediaType, docx)
      }
      for (const name of ["../x.docx", "0123456789abcdef0123456789abcdef.docx", `${stored[0]!.id}.exe`]) {
        assert.strictEqual((yield* b.stat(name).pipe(Effect.flip)).reason, "NotFound")
      }
      assert.strictEqual((yield* a.check).ok, true)
    }).pipe(Effect.scoped)
  )

  it.live("a named id keeps its first file: a retried put returns it and never overwrites", () =>
    Effect.gen(function* () {
      const a = yield* S3DocumentStore.make(options())
      const id = DocumentStore.idFor(`job-${Date.now()}/0`)
      const first = yield* a.put(new TextEncoder().encode("first"), { extension: "docx", mediaType: docx, id })
      const again = yield* a.put(new TextEncoder().encode("second"), { extension: "docx", mediaType: docx, id })
      assert.strictEqual(again.name, first.name)
      assert.strictEqual(new TextDecoder().decode(yield* a.read(first.name)), "first")
    }).pipe(Effect.scoped)
  )

  it.live("presigned URLs download with the same headers as /files/", () =>
    Effect.gen(function* () {
      const a = yield* S3DocumentStore.make(options(60))
      const stored = yield* a.put(new TextEncoder().encode("PK presigned"), { extension: "docx", mediaType: docx })
      const url = yield* a.presign(stored)
      assert.isString(url)
      const response = yield* Effect.promise(() => fetch(url!))
      assert.strictEqual(response.status, 200)
      assert.strictEqual(response.headers.get("content-type"), docx)
      assert.strictEqual(
        response.headers.get("content-disposition"),
        `attachment; filename="ocr2word-${stored.id}.docx"`
      )
      assert.strictEqual(response.headers.get("cache-control"), "public, max-age=31536000, immutable")
      assert.strictEqual(yield* Effect.promise(() => response.text()), "PK presigned")
    }).pipe(Effect.scoped)
  )

  it.live("storage down: Unavailable within seconds, nothing half-written; back up: works without a restart", () =>
    Effect.gen(function* () {
      const a = yield* S3DocumentStore.make(options())
      const before = yield* a.put(new TextEncoder().encode("before"), { extension: "docx", mediaType: docx })
      yield* Effect.promise(() => s3.stop())
      const started = Date.now()
      const error = yield* a
        .put(new TextEncoder().encode("during"), { extension: "docx", mediaType: docx })
        .pipe(Effect.flip)
      assert.isBelow(Date.now() - started, 8_000)
      assert.strictEqual(error.reason, "Unavailable")
      assert.match(
        error.message,
        /^the file storage \(S3 bucket ocr2word at http:\/\/127\.0\.0\.1:\d+\) is unavailable during storing/
      )
      assert.strictEqual((yield* a.check).ok, false)
      yield* Effect.promise(() => s3.start())
      assert.strictEqual(new TextDecoder().decode(yield* a.read(before.name)), "before")
      const after = yield* a.put(new TextEncoder().encode("after"), { extension: "docx", mediaType: docx })
      assert.strictEqual(new TextDecoder().decode(yield* a.read(after.name)), "after")
      assert.strictEqual((yield* a.check).ok, true)
    }).pipe(Effect.scoped)
  )
})
