/**
 * `--engine remote`: the real bin against a contract-compatible service on a
 * loopback port (the client's fault server standing in for the commercial
 * API), with the key from the flag or from OCR2WORD_APPKEY.
 */
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { FaultServer } from "@ocr2word/client"
import { Document, Packer, Paragraph } from "docx"
import { Effect } from "effect"
import { image, repoRoot, tempDir } from "./cli-process.ts"

const KEY = "cli-remote-key-7"

const cli = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.callback<{ code: number; stderr: string }>((resume) => {
    execFile(
      "npx",
      ["--no-install", "ocr2word", ...args],
      { cwd: repoRoot, env: { ...process.env, NO_COLOR: "1", ...env } },
      (error, _stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
        resume(
          Effect.succeed({
            code,
            stderr: stderr
              .split("\n")
              .filter((l) => !l.startsWith("npm warn"))
              .join("\n")
          })
        )
      }
    )
  })

describe("ocr2word --engine remote", () => {
  it.live(
    "writes the service's Word file untouched, and text read back from it",
    () =>
      Effect.gen(function* () {
        const docx = new Uint8Array(
          yield* Effect.promise(() =>
            Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph("Hello 远程 world")] }] }))
          )
        )
        const server = yield* FaultServer.start({ fallback: FaultServer.success("/files/r.docx") })
        server.serveFile("/files/r.docx", docx)
        const dir = tempDir()

        const word = yield* cli([
          image("cnocr_helloworld"),
          "-o",
          join(dir, "a.docx"),
          "--engine",
          "remote",
          "--remote-url",
          server.url,
          "--appkey",
          KEY
        ])
        expect(word.stderr).not.toContain("error")
        expect(word.code).toBe(0)
        expect(new Uint8Array(readFileSync(join(dir, "a.docx")))).toEqual(docx)

        const text = yield* cli(
          [
            image("cnocr_helloworld"),
            "-o",
            join(dir, "a.txt"),
            "-f",
            "txt",
            "--engine",
            "remote",
            "--remote-url",
            server.url
          ],
          { OCR2WORD_APPKEY: KEY }
        )
        expect(text.code).toBe(0)
        expect(readFileSync(join(dir, "a.txt"), "utf8").trim()).toBe("Hello 远程 world")
        const posts = server.requests.filter((r) => r.method === "POST")
        expect(posts.map((r) => r.url)).toEqual([
          `/imagerecognition/ocr2word?appkey=${KEY}`,
          `/imagerecognition/ocr2word?appkey=${KEY}`
        ])
        expect(word.stderr + text.stderr).not.toContain(KEY)
      }),
    120_000
  )

  it.live(
    "says what is missing or wrong, without printing the key",
    () =>
      Effect.gen(function* () {
        const dir = tempDir()
        const missing = yield* cli([image("cnocr_helloworld"), "-o", join(dir, "a.docx"), "--engine", "remote"])
        expect(missing.code).not.toBe(0)
        expect(missing.stderr).toContain("Engine 'remote' needs the service's address: set remoteUrl (--remote-url)")

        const server = yield* FaultServer.start({
          fallback: FaultServer.json(401, FaultServer.envelope(104, "APPKEY 错误"))
        })
        const rejected = yield* cli([
          image("cnocr_helloworld"),
          "-o",
          join(dir, "b.docx"),
          "--engine",
          "remote",
          "--remote-url",
          server.url,
          "--appkey",
          KEY
        ])
        expect(rejected.code).not.toBe(0)
        expect(rejected.stderr).toContain("The service rejected the appkey (104)")
        expect(rejected.stderr).not.toContain(KEY)
      }),
    120_000
  )
})
