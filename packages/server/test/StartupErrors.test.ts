/**
 * `ocr2word serve` refusing to start on its network settings, through the real executable: a
 * port that is taken, a host that is not this machine's, a TLS file that is missing or not PEM.
 * Each is one line naming the setting and what to pass, exit code 1, no stack.
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"

const bin = path.resolve(import.meta.dirname, "../../cli/src/bin.ts")
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocr2word-startup-errors-"))

/** Runs `ocr2word serve ...args` to its exit (it must not start), with stderr. */
const serve = (...args: Array<string>) =>
  new Promise<{ readonly code: number | null; readonly stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [bin, "serve", "--data-dir", path.join(dir, "data"), ...args],
      { env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 },
      (error, _stdout, stderr) => resolve({ code: error === null ? 0 : (error.code as number), stderr })
    )
  })

const oneLine = (stderr: string) => stderr.split("\n").filter((line) => line.trim() !== "" && line.trim() !== "ERROR")

describe("ocr2word serve start-up errors", () => {
  it("a port that is in use", async () => {
    const taken = net.createServer()
    await new Promise<void>((resolve) => taken.listen(0, "0.0.0.0", resolve))
    const port = (taken.address() as net.AddressInfo).port
    try {
      const { code, stderr } = await serve("--port", String(port))
      expect(code).toBe(1)
      expect(oneLine(stderr)).toEqual([
        `  ocr2word serve cannot start: port ${port} is in use: pass --port (or OCR2WORD_PORT) with a free port, or stop what listens on ${port}`
      ])
    } finally {
      taken.close()
    }
  })

  it("a host that is not an address of this machine", async () => {
    const { code, stderr } = await serve("--port", "0", "--host", "192.0.2.1")
    expect(code).toBe(1)
    expect(oneLine(stderr)).toEqual([
      "  ocr2word serve cannot start: address 192.0.2.1 is not an address of this machine: pass --host (or OCR2WORD_HOST) with one of its addresses, or 0.0.0.0 for all"
    ])
  })

  it("a TLS certificate file that does not exist", async () => {
    const missing = path.join(dir, "missing.pem")
    const { code, stderr } = await serve("--port", "0", "--tls-cert", missing, "--tls-key", missing)
    expect(code).toBe(1)
    expect(oneLine(stderr)).toEqual([
      `  ocr2word serve cannot start: the TLS file ${missing} (--tls-cert) cannot be read: there is no such file; pass --tls-cert with a readable PEM file`
    ])
  })

  it("a TLS file that is not PEM", async () => {
    const bad = path.join(dir, "not-a-certificate.pem")
    fs.writeFileSync(bad, "not a certificate\n")
    const { code, stderr } = await serve("--port", "0", "--tls-cert", bad, "--tls-key", bad)
    expect(code).toBe(1)
    expect(oneLine(stderr)).toEqual([
      `  ocr2word serve cannot start: the TLS certificate or key is not usable (error:0480006C:PEM routines::no start line): pass --tls-cert with a PEM certificate and --tls-key with its PEM private key (${bad} and ${bad} were given)`
    ])
  })
})
