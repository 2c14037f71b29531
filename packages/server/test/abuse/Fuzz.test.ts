/**
 * Property-based fuzzing (fast-check) of the parsers a request's bytes go
 * through before any image decoder: format sniffing, lenient base64, the
 * form-urlencoded, JSON and multipart readers, and the remote client's .docx
 * reader (a zip). Each parser must either give the right answer or fail with
 * its own tagged error: never throw, never die, never hang.
 */
import { describe, expect, it } from "@effect/vitest"
import { ImageFormat } from "@ocr2word/core"
import { DocxReader } from "@ocr2word/remote"
import { Cause, Effect, Exit } from "effect"
import { HttpServerRequest } from "effect/http"
import fc from "fast-check"
import { zipSync } from "fflate"
import { decodeBase64, readFields } from "../../src/internal/image-input.ts"

const runs = { numRuns: 300 }
const formats = new Set([
  ...["jpeg", "png", "gif", "webp", "tiff", "bmp", "avif", "heif", "jp2", "svg"],
  ...["pdf", "ico", "psd", "jxl", undefined]
])

/** Either a success or a failure with the expected tag; a defect or another error fails the property. */
const expectOnly = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>, tag: string) => {
  if (Exit.isFailure(exit)) {
    const error = Cause.findErrorOption(exit.cause)
    expect(error._tag === "Some" ? (error.value as { _tag: string })._tag : Cause.pretty(exit.cause)).toBe(tag)
    return undefined
  }
  return exit.value
}

const request = (body: string | Uint8Array, contentType: string) =>
  HttpServerRequest.fromWeb(
    new Request("http://127.0.0.1/imagerecognition/ocr2word", {
      method: "POST",
      headers: {
        "content-type": contentType,
        ...(typeof body === "string" ? { "content-length": String(Buffer.byteLength(body)) } : {})
      },
      body
    })
  )

describe("fuzzing", () => {
  it("sniff never throws and knows every signature whatever follows it", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(formats.has(ImageFormat.sniff(bytes))).toBe(true)
      }),
      runs
    )
    const signatures: Array<[string, Array<number>]> = [
      ["jpeg", [0xff, 0xd8, 0xff]],
      ["png", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
      ["gif", [...Buffer.from("GIF89a")]],
      ["tiff", [0x49, 0x49, 0x2a, 0x00]],
      ["tiff", [0x4d, 0x4d, 0x00, 0x2a]],
      ["bmp", [...Buffer.from("BM"), ...new Array<number>(16).fill(0)]]
    ]
    fc.assert(
      fc.property(fc.constantFrom(...signatures), fc.uint8Array({ maxLength: 200 }), ([format, head], tail) => {
        expect(ImageFormat.sniff(new Uint8Array([...head, ...tail]))).toBe(format)
      }),
      runs
    )
  })

  it("decodeBase64 gives back any bytes in every spelling clients send, and refuses the rest with InputError", () => {
    const spelled = fc.record({
      bytes: fc.uint8Array({ minLength: 1, maxLength: 400 }),
      urlSafe: fc.boolean(),
      padding: fc.boolean(),
      dataUri: fc.boolean(),
      breaks: fc.array(fc.nat(), { maxLength: 5 })
    })
    fc.assert(
      fc.property(spelled, ({ bytes, urlSafe, padding, dataUri, breaks }) => {
        let s = Buffer.from(bytes).toString(urlSafe ? "base64url" : "base64")
        if (!padding) s = s.replace(/=+$/, "")
        for (const b of breaks) s = `${s.slice(0, b % (s.length + 1))}\n ${s.slice(b % (s.length + 1))}`
        if (dataUri) s = `data:image/png;base64,${s}`
        const out = Effect.runSync(decodeBase64(s))
        expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true)
      }),
      runs
    )
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        expectOnly(Effect.runSyncExit(decodeBase64(s)), "InputError")
      }),
      runs
    )
  })

  it.effect(
    "the form and JSON readers return the fields sent, whatever their characters, and only InputError otherwise",
    () =>
      Effect.gen(function* () {
        const value = fc.string({ unit: "binary", maxLength: 100 })
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(value, value, async (imageurl, appkey) => {
              const form = await Effect.runPromise(
                readFields(
                  request(new URLSearchParams({ imageurl, appkey }).toString(), "application/x-www-form-urlencoded"),
                  1e6
                )
              )
              expect(form).toMatchObject({ imageurl, appkey })
              const json = await Effect.runPromise(
                readFields(request(JSON.stringify({ imageurl, appkey }), "application/json"), 1e6)
              )
              expect(json).toMatchObject({ imageurl, appkey })
            }),
            { numRuns: 150 }
          )
        )
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(
              fc.constantFrom(
                "application/x-www-form-urlencoded",
                "application/json",
                "multipart/form-data; boundary=x"
              ),
              fc.string({ unit: "binary", maxLength: 300 }),
              async (type, body) => {
                expectOnly(await Effect.runPromiseExit(readFields(request(body, type), 1e6)), "InputError")
              }
            ),
            runs
          )
        )
      })
  )

  it.effect("the multipart reader returns the file part's exact bytes and name, and a cut body is an InputError", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 2000 }),
          fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 30 }).filter((n) => !/["\r\n\\]/.test(n)),
          fc.constantFrom("file", "image"),
          fc.nat(),
          async (bytes, name, field, cut) => {
            const form = new FormData()
            form.set("appkey", "k")
            form.set(field, new Blob([bytes]), name)
            const built = new Request("http://127.0.0.1/", { method: "POST", body: form })
            const type = built.headers.get("content-type")!
            const body = new Uint8Array(await built.arrayBuffer())
            const fields = await Effect.runPromise(readFields(request(body, type), 1e6))
            expect(fields.appkey).toBe("k")
            expect(Buffer.from(fields.file!.bytes).equals(Buffer.from(bytes))).toBe(true)
            expect(fields.file!.name).toBe(name)
            // Cut before the closing boundary: refused as malformed (or, cut inside a field, no file).
            const short = body.subarray(0, cut % (body.length - 8))
            const exit = await Effect.runPromiseExit(readFields(request(short, type), 1e6))
            const value = expectOnly(exit, "InputError")
            if (value !== undefined)
              expect(value.file === undefined || value.file.bytes.length <= bytes.length).toBe(true)
          }
        ),
        { numRuns: 150 }
      )
    )
  )

  it.effect("the docx reader reads back generated documents and refuses damaged ones with DocxReadError", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          // Blank paragraphs are dropped and runs of white space kept as written: generate trimmed text.
          fc.array(
            fc
              .string({ unit: "grapheme", minLength: 1, maxLength: 40 })
              .map((t) => t.trim())
              .filter((t) => t !== ""),
            { minLength: 1, maxLength: 6 }
          ),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { maxLength: 8 }),
          fc.nat(),
          async (paragraphs, flips, cut) => {
            const escapeXml = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
            const xml = `<?xml version="1.0"?><w:document><w:body>${paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(p)}</w:t></w:r></w:p>`).join("")}</w:body></w:document>`
            const zip = zipSync({
              "[Content_Types].xml": new TextEncoder().encode("<Types/>"),
              "word/document.xml": new TextEncoder().encode(xml)
            })
            const pages = await Effect.runPromise(DocxReader.read(zip))
            expect(pages[0]!.map((b) => (b._tag === "Paragraph" ? b.lines.join("\n") : ""))).toEqual(paragraphs)
            const damaged = new Uint8Array(zip)
            for (const [at, bit] of flips) damaged[at % damaged.length]! ^= 1 << bit
            expectOnly(await Effect.runPromiseExit(DocxReader.read(damaged)), "DocxReadError")
            expectOnly(await Effect.runPromiseExit(DocxReader.read(zip.subarray(0, cut % zip.length))), "DocxReadError")
          }
        ),
        { numRuns: 200 }
      )
    )
  )

  it.effect("the docx reader refuses arbitrary bytes and zip-like garbage with DocxReadError", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 500 }), fc.boolean(), async (bytes, eocd) => {
          // With an end-of-central-directory signature the zip parser goes on to read the garbage.
          const input = eocd ? new Uint8Array([...bytes, 0x50, 0x4b, 0x05, 0x06, ...new Uint8Array(18)]) : bytes
          expectOnly(await Effect.runPromiseExit(DocxReader.read(input)), "DocxReadError")
        }),
        runs
      )
    )
  )
})
