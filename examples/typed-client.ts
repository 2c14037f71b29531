/**
 * The typed client from a Node script: send an image to an ocr2word server (or any service with
 * the same contract) and save the Word file. Failures are values you can match on: a wrong key is
 * `BadAppKey`, a full queue `RateLimited` (retried for you, honouring Retry-After), a server that
 * is down `Transport`.
 *
 *   npx node examples/typed-client.ts http://localhost:8080 "$OCR2WORD_APPKEY" scan.png scan.docx
 */
import { readFile, writeFile } from "node:fs/promises"
import { Ocr2WordClient } from "@ocr2word/client"
import { Console, Effect } from "effect"

const [baseUrl = "http://localhost:8080", appkey = "", input = "scan.png", output = "scan.docx"] = process.argv.slice(2)

const program = Effect.gen(function* () {
  const client = yield* Ocr2WordClient.Ocr2WordClient
  const file = new Uint8Array(yield* Effect.promise(() => readFile(input)))
  const { conversion, docx } = yield* client.convertToDocx({ file, fileName: input })
  yield* Effect.promise(() => writeFile(output, docx))
  yield* Console.log(`${output}: ${docx.length} bytes from ${conversion.wordUrl} (${conversion.attempts} request(s))`)
}).pipe(
  Effect.catchTag("BadAppKey", (e) => Console.error(`the server refused the key: ${e.message}`)),
  Effect.provide(Ocr2WordClient.layer({ baseUrl, appkey }))
)

Effect.runPromise(program)
