/**
 * The `remote` pipeline in the benchmark: pointed at a contract-compatible
 * service on loopback (the client's fault server, answering with a Word file
 * that holds the reference text), it is run and scored like a local pipeline.
 */
import { describe, expect, it } from "@effect/vitest"
import { FaultServer } from "@ocr2word/client"
import { Document, Packer, Paragraph } from "docx"
import { Effect } from "effect"
import * as Bench from "../src/Bench.ts"
import * as Manifest from "../src/Manifest.ts"

describe("Bench.run with the remote pipeline", () => {
  it.live(
    "scores the text read back from the service's Word file",
    () =>
      Effect.gen(function* () {
        const dataset = yield* Manifest.load("real-dev", new URL("../../datasets", import.meta.url).pathname)
        const item = dataset.items.find((i) => i.id === "cnocr_helloworld")!
        const docx = new Uint8Array(
          yield* Effect.promise(() =>
            Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph(item.text)] }] }))
          )
        )
        const server = yield* FaultServer.start({ fallback: FaultServer.success("/files/a.docx") })
        server.serveFile("/files/a.docx", docx)
        const [run] = yield* Effect.promise(() =>
          Bench.run({ pipelines: ["remote"], remote: { url: server.url }, datasets: [{ ...dataset, items: [item] }] })
        )
        expect(run!.error).toBeUndefined()
        expect(run!.items).toHaveLength(1)
        expect(run!.items[0]!.text).toBe(item.text)
        expect(run!.items[0]!.score?.characters.edits).toBe(0)
        expect(server.requests.some((r) => r.method === "POST")).toBe(true)
      }),
    120_000
  )
})
