/**
 * The short soak: scripts/soak.ts as a user runs it, 40 s of warm-up and
 * 60 s measured at twice the measured capacity of the real `ocr2word serve`
 * on loopback (without the warm-up the 60 s window sits on the heaps'
 * first growth: 50 MB over its last 30 s on CI, level afterwards). Every answer
 * is 200 or 429/102 with Retry-After (never a 5xx), the queue depth stays
 * within its bound, the p99 of the 200s is within the time limit, RSS is
 * flat over the last half and file descriptors do not grow. The 10-minute
 * figures are in the README.
 */
import { execFile } from "node:child_process"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"

const script = path.resolve(import.meta.dirname, "../scripts/soak.ts")

interface Report {
  readonly ok: boolean
  readonly outcomes: Readonly<Record<string, number>>
  readonly checks: ReadonlyArray<{ readonly name: string; readonly ok: boolean; readonly detail: string }>
}

describe("overload soak", () => {
  it("40 + 60 s at twice the measured capacity: only 200 and 429/102, bounded queue, flat RSS and fds", async () => {
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [script, "--warmup", "40", "--duration", "60", "--calibrate", "10"],
        { timeout: 330_000, maxBuffer: 16 * 1024 * 1024 },
        (_error, stdout, stderr) => resolve({ stdout, stderr })
      )
    )
    console.info(stdout.split("\n").slice(0, -2).join("\n"))
    const last = stdout.trim().split("\n").at(-1) ?? ""
    assert.match(last, /^\{/, `no report from the soak:\n${stdout}\n${stderr}`)
    const report = JSON.parse(last) as Report
    for (const check of report.checks) assert.isTrue(check.ok, `${check.name}: ${check.detail}\n${stdout}`)
    assert.isTrue(report.ok)
    assert.isAbove(report.outcomes["429/102+Retry-After"] ?? 0, 0, `twice the capacity was never refused:\n${stdout}`)
  }, 360_000)
})
