/**
 * Telling image formats apart by their first bytes (magic numbers), so a
 * file's name or a request's content type is never trusted: the one sniffer
 * of the image decoder (`SharpImageSource`) and of the server's checks of an
 * upload before it is queued.
 *
 * @since 0.1.0
 */
import type { ImageFormat } from "./ImageSource.ts"

/** What the first bytes say, including non-image formats worth a specific message. */
export type SniffedFormat = ImageFormat | "pdf" | "ico" | "psd" | "jxl"

const ascii = (bytes: Uint8Array, offset: number, text: string): boolean => {
  if (bytes.length < offset + text.length) return false
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false
  return true
}

const startsWith = (bytes: Uint8Array, prefix: ReadonlyArray<number>, offset = 0): boolean =>
  bytes.length >= offset + prefix.length && prefix.every((b, i) => bytes[offset + i] === b)

const AVIF_BRANDS = new Set(["avif", "avis"])
const HEIF_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "mif2"])

/** The ISO-BMFF (HEIF family) brand: major brand first, then compatible brands. */
const heifFamily = (bytes: Uint8Array): "avif" | "heif" | "jp2" | undefined => {
  if (!ascii(bytes, 4, "ftyp") || bytes.length < 12) return undefined
  const boxSize = Math.min(bytes.length, ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0)
  const brands: Array<string> = []
  for (let o = 8; o + 4 <= boxSize; o += o === 8 ? 8 : 4) {
    brands.push(String.fromCharCode(bytes[o]!, bytes[o + 1]!, bytes[o + 2]!, bytes[o + 3]!))
  }
  if (brands.some((b) => AVIF_BRANDS.has(b))) return "avif"
  if (brands.some((b) => HEIF_BRANDS.has(b))) return "heif"
  if (brands.some((b) => b === "jp2 " || b === "jpx ")) return "jp2"
  return undefined
}

/** The format of `bytes`, or undefined when no known signature matches. */
export const sniff = (bytes: Uint8Array): SniffedFormat | undefined => {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg"
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png"
  if (ascii(bytes, 0, "GIF87a") || ascii(bytes, 0, "GIF89a")) return "gif"
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WEBP")) return "webp"
  // Classic TIFF (42) and BigTIFF (43), both byte orders.
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return "tiff"
  if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])) return "tiff"
  if (ascii(bytes, 0, "BM") && bytes.length >= 18) return "bmp"
  const family = heifFamily(bytes)
  if (family !== undefined) return family
  if (startsWith(bytes, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20])) return "jp2"
  if (startsWith(bytes, [0xff, 0x4f, 0xff, 0x51])) return "jp2"
  if (ascii(bytes, 0, "%PDF-")) return "pdf"
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00])) return "ico"
  if (ascii(bytes, 0, "8BPS")) return "psd"
  if (startsWith(bytes, [0xff, 0x0a]) || startsWith(bytes, [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20]))
    return "jxl"
  if (looksLikeSvg(bytes)) return "svg"
  return undefined
}

const looksLikeSvg = (bytes: Uint8Array): boolean => {
  const head = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(0, 1024)).trimStart()
  return (head.startsWith("<?xml") || head.startsWith("<svg") || head.startsWith("<!--")) && head.includes("<svg")
}

/** The first bytes as hex and printable text, for "what did we get" messages. */
export const describeStart = (bytes: Uint8Array): string => {
  const head = bytes.subarray(0, 8)
  const hex = Array.from(head, (b) => b.toString(16).padStart(2, "0")).join(" ")
  const text = Array.from(head, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("")
  return `${hex} "${text}"`
}
