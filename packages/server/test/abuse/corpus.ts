/**
 * The abuse corpus, generated: every case is a request built by code from a
 * few small originals (made with sharp in the test), with the answers the
 * contract allows for it and the words its description must contain. Nothing
 * here is a committed blob; the same seeds give the same cases.
 */
import sharp from "sharp"

/** A request body the corpus sends. */
export type Body = string | Uint8Array

/** One bad (or odd) request and what the server may answer to it. */
export interface Case {
  readonly group: string
  readonly name: string
  readonly request: (endpoint: string, upstream: string) => { readonly body: Body; readonly contentType?: string }
  /** Allowed HTTP statuses with the StatusCode and description words each must carry. */
  readonly expect: ReadonlyArray<{ readonly status: number; readonly code: number | null; readonly words: RegExp }>
}

const converted = { status: 200, code: 100, words: /^$/ } as const
const badImage = {
  status: 400,
  code: 101,
  words: /image|not an image|could not be read|decode|pixels|corrupt|truncat|format|empty/i
} as const
const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  contentType: "application/x-www-form-urlencoded"
})

/** A deterministic PRNG (mulberry32), so every run sends the same cases. */
export const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** A 24-bit bottom-up BMP of raw RGB pixels (sharp does not write BMP). */
export const bmp = (width: number, height: number, rgb: Uint8Array) => {
  const row = Math.ceil((width * 3) / 4) * 4
  const out = Buffer.alloc(54 + row * height)
  out.write("BM", 0, "ascii")
  out.writeUInt32LE(out.length, 2)
  out.writeUInt32LE(54, 10)
  out.writeUInt32LE(40, 14)
  out.writeInt32LE(width, 18)
  out.writeInt32LE(height, 22)
  out.writeUInt16LE(1, 26)
  out.writeUInt16LE(24, 28)
  out.writeUInt32LE(row * height, 34)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = ((height - 1 - y) * width + x) * 3
      const o = 54 + y * row + x * 3
      out[o] = rgb[i + 2]!
      out[o + 1] = rgb[i + 1]!
      out[o + 2] = rgb[i]!
    }
  }
  return new Uint8Array(out)
}

/** The originals: one small picture with a line of dark text-like bars, in every accepted format. */
export const originals = async (): Promise<Record<string, Uint8Array>> => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="32"><rect width="96" height="32" fill="white"/><text x="4" y="22" font-size="16" font-family="sans-serif">Hello 42</text></svg>`
  const base = sharp(Buffer.from(svg)).flatten({ background: "#fff" })
  const raw = await base.clone().raw().toBuffer({ resolveWithObject: true })
  const out = async (s: ReturnType<typeof sharp>) => new Uint8Array(await s.toBuffer())
  return {
    jpeg: await out(base.clone().jpeg()),
    png: await out(base.clone().png()),
    webp: await out(base.clone().webp()),
    gif: await out(base.clone().gif()),
    tiff: await out(base.clone().tiff()),
    avif: await out(base.clone().avif({ effort: 0 })),
    bmp: bmp(raw.info.width, raw.info.height, new Uint8Array(raw.data.filter((_, i) => i % raw.info.channels < 3)))
  }
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64")

/** Truncations and bit flips of every original, sent as imagebase64. */
const damaged = (files: Record<string, Uint8Array>): Array<Case> =>
  Object.entries(files).flatMap(([format, bytes]) => {
    const cuts = [1, 2, 3, 4, 8, 12, 16, 24, 32, 64, 0.5, 0.9].map((c) =>
      c < 1 ? Math.floor(bytes.length * c) : Math.min(c, bytes.length - 1)
    )
    const truncated = cuts.map(
      (n): Case => ({
        group: "truncated",
        name: `${format} cut to ${n} of ${bytes.length} bytes`,
        request: () => form({ imagebase64: b64(bytes.subarray(0, n)) }),
        // A long enough prefix of some formats still decodes (a partial scan): then it converts.
        expect: n >= 32 ? [badImage, converted] : [badImage]
      })
    )
    const flipped = Array.from({ length: 12 }, (_, seed): Case => {
      const random = prng(seed * 7919 + bytes.length)
      const copy = new Uint8Array(bytes)
      // Flips past the signature (it would just make the bytes "not an image"), one to 32 of them.
      const flips = 1 + Math.floor(random() * 32)
      for (let i = 0; i < flips; i++)
        copy[8 + Math.floor(random() * (copy.length - 8))]! ^= 1 << Math.floor(random() * 8)
      return {
        group: "bit-flipped",
        name: `${format} with ${flips} flipped bits (seed ${seed})`,
        request: () => form({ imagebase64: b64(copy) }),
        expect: [badImage, converted]
      }
    })
    return [...truncated, ...flipped]
  })

const crc32 = (bytes: Uint8Array) => {
  let c = ~0
  for (const b of bytes) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

const pngHeader = (width: number, height: number) => {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const chunk = Buffer.concat([Buffer.from("IHDR"), ihdr])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(chunk))
  const len = Buffer.alloc(4)
  len.writeUInt32BE(13)
  // One tiny IDAT after the header: the decoder must refuse the size before inflating anything.
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      len,
      chunk,
      crc,
      Buffer.from("0000000a49444154789c63600000000200019f7e4d0000000049454e44ae426082", "hex")
    ])
  )
}

const gifHeader = (width: number, height: number) => {
  const b = Buffer.from("474946383961000000008000000000ffffff2c000000000100010000020144003b", "hex")
  b.writeUInt16LE(width, 6)
  b.writeUInt16LE(height, 8)
  return new Uint8Array(b)
}

const bmpHeader = (width: number, height: number) => {
  const b = Buffer.from(bmp(1, 1, new Uint8Array([0, 0, 0])))
  b.writeInt32LE(width, 18)
  b.writeInt32LE(height, 22)
  return new Uint8Array(b)
}

const jpegHeader = (original: Uint8Array, width: number, height: number) => {
  const b = Buffer.from(original)
  for (let i = 2; i < b.length - 9; i++) {
    if (b[i] === 0xff && (b[i + 1] === 0xc0 || b[i + 1] === 0xc2)) {
      b.writeUInt16BE(height, i + 5)
      b.writeUInt16BE(width, i + 7)
      break
    }
  }
  return new Uint8Array(b)
}

const bombWords = /pixels|too large|limit|dimensions|could not be read|decode|image/i

/** Headers that declare up to 65535x65535 pixels, in four formats. */
const bombs = (files: Record<string, Uint8Array>): Array<Case> => {
  const sizes: Array<[number, number]> = [
    [65535, 65535],
    [65535, 1],
    [1, 65535],
    [40000, 40000],
    [20000, 20000]
  ]
  const makers: Record<string, (w: number, h: number) => Uint8Array> = {
    png: pngHeader,
    gif: gifHeader,
    bmp: bmpHeader,
    jpeg: (w, h) => jpegHeader(files.jpeg!, w, h)
  }
  return Object.entries(makers).flatMap(([format, make]) =>
    sizes.map(
      ([w, h]): Case => ({
        group: "pixel bomb",
        name: `${format} header declaring ${w}x${h}`,
        request: () => form({ imagebase64: b64(make(w, h)) }),
        // A thin one (65535x1) is within the pixel limit and may decode into a blank page.
        expect:
          w * h > 100_000_000
            ? [{ status: 400, code: 101, words: bombWords }]
            : [{ status: 400, code: 101, words: bombWords }, converted]
      })
    )
  )
}

/** Base64 that is broken in every way a client gets it wrong. */
const brokenBase64 = (files: Record<string, Uint8Array>): Array<Case> => {
  const good = b64(files.png!)
  const bad = "!@#$%^&*()[]{}<>?~`|\\\"';:,".split("")
  const inserted = bad.map(
    (c, i): Case => ({
      group: "broken base64",
      name: `character ${JSON.stringify(c)} inside`,
      request: () => form({ imagebase64: good.slice(0, 10 + i) + c + good.slice(10 + i) }),
      expect: [{ status: 400, code: 101, words: /imagebase64 is not valid base64: character/ }]
    })
  )
  const others: Array<[string, string, RegExp]> = [
    ["only padding", "====", /imagebase64 is empty/],
    ["length 4n+1", good.slice(0, 41), /its length is impossible/],
    ["a single character", "A", /its length is impossible/],
    [
      "a data URI of text",
      `data:image/png;base64,${Buffer.from("hello world, not an image").toString("base64")}`,
      /not an image/
    ],
    ["base64 of HTML", Buffer.from("<html><body>oops</body></html>").toString("base64"), /not an image/],
    ["base64 of base64", Buffer.from(good).toString("base64"), /not an image/],
    ["a data URI with nothing after the comma", "data:image/png;base64,", /imagebase64 is empty|not valid base64/],
    ["unicode letters", `${good.slice(0, 20)}é${good.slice(20)}`, /not valid base64: character/],
    ["a NUL byte", `${good.slice(0, 20)}\u0000${good.slice(20)}`, /not valid base64: character/],
    ["percent-encoded", encodeURIComponent(good).replace(/%/g, "%25"), /not valid base64: character/]
  ]
  return [
    ...inserted,
    ...others.map(
      ([name, value, words]): Case => ({
        group: "broken base64",
        name,
        request: () => form({ imagebase64: value }),
        expect: [{ status: 400, code: 101, words }]
      })
    )
  ]
}

const unsupported = { status: 415, code: 101, words: /Content-Type .* is not accepted/ } as const

/** Bodies with content types the endpoint does not read. */
const contentTypes = (files: Record<string, Uint8Array>): Array<Case> =>
  [
    "text/plain",
    "application/xml",
    "text/html",
    "image/png",
    "image/jpeg",
    "application/octet-stream",
    "application/x-www-form-urlencodedx",
    "multipart/mixed; boundary=x",
    "application/pdf",
    "video/mp4",
    "application/javascript",
    "form-data"
  ].map(
    (type): Case => ({
      group: "content type",
      name: type,
      request: () => ({ body: files.png!, contentType: type }),
      expect: [unsupported]
    })
  )

const malformedMultipart = (files: Record<string, Uint8Array>): Array<Case> => {
  const b = "----abuse"
  const part = (headers: string, content: string | Uint8Array) =>
    Buffer.concat([Buffer.from(`--${b}\r\n${headers}\r\n\r\n`), Buffer.from(content), Buffer.from("\r\n")])
  const end = Buffer.from(`--${b}--\r\n`)
  const file = (name = "file") =>
    part(`Content-Disposition: form-data; name="${name}"; filename="a.png"\r\nContent-Type: image/png`, files.png!)
  const bodies: Array<[string, string, Uint8Array | string, RegExp]> = [
    [
      "no boundary parameter",
      "multipart/form-data",
      Buffer.concat([file(), end]),
      /multipart\/form-data body is malformed/
    ],
    [
      "another boundary than declared",
      "multipart/form-data; boundary=other",
      Buffer.concat([file(), end]),
      /multipart\/form-data body is malformed/
    ],
    ["no closing boundary", `multipart/form-data; boundary=${b}`, file(), /multipart\/form-data body is malformed/],
    [
      "garbage only",
      `multipart/form-data; boundary=${b}`,
      "this is not multipart at all",
      /multipart\/form-data body is malformed/
    ],
    [
      "empty body",
      `multipart/form-data; boundary=${b}`,
      "",
      /multipart\/form-data body is malformed|no image was given/
    ],
    [
      "part without Content-Disposition",
      `multipart/form-data; boundary=${b}`,
      Buffer.concat([part("Content-Type: image/png", files.png!), end]),
      /multipart\/form-data body is malformed|no image was given/
    ],
    [
      "part named otherwise",
      `multipart/form-data; boundary=${b}`,
      Buffer.concat([file("picture"), end]),
      /no image was given/
    ],
    [
      "empty file part",
      `multipart/form-data; boundary=${b}`,
      Buffer.concat([part(`Content-Disposition: form-data; name="file"; filename="a.png"`, ""), end]),
      /is empty \(0 bytes\)/
    ],
    [
      "two images",
      `multipart/form-data; boundary=${b}`,
      Buffer.concat([
        file(),
        part(`Content-Disposition: form-data; name="imageurl"`, "https://example.com/a.png"),
        end
      ]),
      /more than one image/
    ],
    [
      "text file part",
      `multipart/form-data; boundary=${b}`,
      Buffer.concat([part(`Content-Disposition: form-data; name="file"; filename="a.txt"`, "plain words"), end]),
      /not an image/
    ],
    [
      "header line without colon",
      `multipart/form-data; boundary=${b}`,
      Buffer.concat([part("Content-Disposition form-data", files.png!), end]),
      /multipart\/form-data body is malformed|no image was given/
    ],
    [
      "a 200 KiB header",
      `multipart/form-data; boundary=${b}`,
      Buffer.concat([
        part(`Content-Disposition: form-data; name="file"; filename="${"x".repeat(200_000)}.png"`, files.png!),
        end
      ]),
      /multipart\/form-data body is malformed|^$/
    ],
    [
      "boundary of 100 characters",
      `multipart/form-data; boundary=${"z".repeat(100)}`,
      Buffer.concat([file(), end]),
      /multipart\/form-data body is malformed/
    ],
    [
      "truncated in a part header",
      `multipart/form-data; boundary=${b}`,
      `--${b}\r\nContent-Disposition: form-data; na`,
      /multipart\/form-data body is malformed/
    ],
    [
      "JSON under a multipart type",
      `multipart/form-data; boundary=${b}`,
      '{"imagebase64": "abc"}',
      /multipart\/form-data body is malformed/
    ]
  ]
  return bodies.map(
    ([name, contentType, body, words]): Case => ({
      group: "malformed multipart",
      name,
      request: () => ({ body, contentType }),
      expect: words.source.includes("^$")
        ? [{ status: 400, code: 101, words }, converted]
        : [{ status: 400, code: 101, words }]
    })
  )
}

const refusedWords =
  /loopback, private, link-local or metadata address|must use http or https|must not carry a user name|not an absolute URL|is not a valid DNS name|does not resolve/

/** imageurl spellings that point at the server's own network. */
const ssrf = (): Array<Case> => {
  const hosts = [
    "127.0.0.1",
    "2130706433",
    "0x7f000001",
    "0177.0.0.1",
    "0x7f.0.0.1",
    "127.1",
    "127.0.1",
    "017700000001",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[0:0:0:0:0:ffff:127.0.0.1]",
    "[::]",
    "0.0.0.0",
    "0",
    "10.0.0.1",
    "192.168.1.1",
    "172.16.0.1",
    "169.254.169.254",
    "100.64.0.1",
    "[fe80::1]",
    "[fc00::1]",
    "[::ffff:169.254.169.254]",
    "localhost",
    "LOCALHOST",
    "0251.0376.0251.0376",
    "0xa9fea9fe"
  ]
  const spelled = hosts.flatMap((host) =>
    ["http", "HTTP", "hTtPs"].slice(0, host.startsWith("[") || host === "localhost" ? 3 : 2).map(
      (scheme): Case => ({
        group: "ssrf",
        name: `${scheme}://${host}`,
        request: () => form({ imageurl: `${scheme}://${host}:1/latest/meta-data/x.png` }),
        expect: [{ status: 400, code: 101, words: refusedWords }]
      })
    )
  )
  const others = [
    "http://user:pass@example.com/a.png",
    "http://example.com@127.0.0.1/a.png",
    "http://@127.0.0.1/a.png",
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "ftp://127.0.0.1/a.png",
    "gopher://127.0.0.1:6379/_INFO",
    "javascript:alert(1)",
    "data:image/png;base64,AAAA",
    "dict://127.0.0.1:11211/stat",
    "//127.0.0.1/a.png",
    "http:/127.0.0.1/a.png",
    "http://127.0.0.1%2f@example.com/",
    "http://[::1]:80/",
    "ws://127.0.0.1/"
  ].map(
    (url): Case => ({
      group: "ssrf",
      name: url,
      request: () => form({ imageurl: url }),
      expect: [{ status: 400, code: 101, words: refusedWords }]
    })
  )
  return [...spelled, ...others]
}

/** Paths of the loopback upstream the test starts; the corpus uses them by name. */
export const upstreamRoutes = [
  "/to-loopback",
  "/to-private",
  "/to-metadata",
  "/to-file",
  "/to-ftp",
  "/to-decimal",
  "/to-mapped",
  "/loop",
  "/to-userinfo",
  "/slow-headers",
  "/slow-body",
  "/endless",
  "/declared-huge",
  "/error-500",
  "/missing",
  "/html"
] as const

const upstreamCases = (): Array<Case> => {
  const expect: Record<(typeof upstreamRoutes)[number], Case["expect"][number]> = {
    "/to-loopback": { status: 400, code: 101, words: refusedWords },
    "/to-private": { status: 400, code: 101, words: refusedWords },
    "/to-metadata": { status: 400, code: 101, words: refusedWords },
    "/to-file": { status: 400, code: 101, words: refusedWords },
    "/to-ftp": { status: 400, code: 101, words: refusedWords },
    "/to-decimal": { status: 400, code: 101, words: refusedWords },
    "/to-mapped": { status: 400, code: 101, words: refusedWords },
    "/to-userinfo": { status: 400, code: 101, words: refusedWords },
    "/loop": { status: 400, code: 101, words: /redirected more than \d+ times/ },
    "/slow-headers": { status: 502, code: 110, words: /took too long|took longer than/ },
    "/slow-body": { status: 502, code: 110, words: /took too long|took longer than/ },
    "/endless": { status: 400, code: 101, words: /larger than the limit of \d+ bytes/ },
    "/declared-huge": { status: 400, code: 101, words: /the image at imageurl is \d+ bytes; the limit is/ },
    "/error-500": { status: 502, code: 110, words: /imageurl answered HTTP 500/ },
    "/missing": { status: 400, code: 101, words: /imageurl answered HTTP 404/ },
    "/html": { status: 400, code: 101, words: /not an image/ }
  }
  return upstreamRoutes.map(
    (route): Case => ({
      group: "upstream",
      name: route,
      request: (_, upstream) => form({ imageurl: `${upstream}${route}` }),
      expect: [expect[route]]
    })
  )
}

/** Field mistakes: none, two, empty, and JSON bodies of the wrong shape. */
const fields = (files: Record<string, Uint8Array>): Array<Case> => {
  const invalid = (words: RegExp) => [{ status: 400, code: 101, words }]
  const json = (body: string) => () => ({ body, contentType: "application/json" })
  return [
    { name: "no field", request: () => form({}), expect: invalid(/no image was given/) },
    { name: "empty imageurl", request: () => form({ imageurl: "" }), expect: invalid(/no image was given/) },
    { name: "spaces as imageurl", request: () => form({ imageurl: "   " }), expect: invalid(/no image was given/) },
    {
      name: "imageurl not a URL",
      request: () => form({ imageurl: "not a url" }),
      expect: invalid(/not an absolute URL/)
    },
    {
      name: "imageurl and imagebase64",
      request: () => form({ imageurl: "https://example.com/a.png", imagebase64: b64(files.png!) }),
      expect: invalid(/more than one image/)
    },
    { name: "invalid JSON", request: json("{imagebase64:"), expect: invalid(/not valid JSON/) },
    { name: "JSON array", request: json("[1,2]"), expect: invalid(/must be an object/) },
    { name: "JSON string", request: json('"abc"'), expect: invalid(/must be an object/) },
    {
      name: "JSON number fields",
      request: json('{"imagebase64": 12, "imageurl": 3}'),
      expect: invalid(/no image was given/)
    },
    { name: "JSON null", request: json("null"), expect: invalid(/must be an object/) },
    {
      name: "form of binary bytes",
      request: () => ({ body: files.jpeg!, contentType: "application/x-www-form-urlencoded" }),
      expect: invalid(/no image was given|not valid base64/)
    },
    {
      name: "non-image bytes as base64",
      request: () => form({ imagebase64: b64(new Uint8Array(1000).fill(7)) }),
      expect: invalid(/not an image/)
    }
  ].map((c): Case => ({ group: "fields", ...c }))
}

/** The whole corpus. */
export const corpus = (files: Record<string, Uint8Array>): Array<Case> => [
  ...damaged(files),
  ...bombs(files),
  ...brokenBase64(files),
  ...contentTypes(files),
  ...malformedMultipart(files),
  ...ssrf(),
  ...upstreamCases(),
  ...fields(files)
]
