/**
 * Just enough of ZIP (APPNOTE 6.3) to read one entry of an Office file: find
 * the end-of-central-directory record, walk the central directory (sizes there
 * are reliable even when local headers use data descriptors), and inflate the
 * entry with node:zlib. ZIP64 and encryption are refused with a clear error,
 * and inflation is capped so a hostile archive cannot exhaust memory.
 */
import { inflateRawSync } from "node:zlib"

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

/** Thrown for archives this reader cannot read; the message says why. */
export class ZipFormatError extends Error {}

const findEndOfCentralDirectory = (view: DataView): number => {
  // The record is 22 bytes plus a comment of up to 65535 bytes.
  const last = view.byteLength - 22
  for (let at = last; at >= 0 && at >= last - 65535; at--) {
    if (view.getUint32(at, true) === EOCD) return at
  }
  throw new ZipFormatError("not a zip archive (no end-of-central-directory record)")
}

/** Names of the archive's entries. */
export const entryNames = (bytes: Uint8Array): ReadonlyArray<string> => [...centralDirectory(bytes).keys()]

interface Entry {
  readonly method: number
  readonly flags: number
  readonly compressedSize: number
  readonly size: number
  readonly localOffset: number
}

const centralDirectory = (bytes: Uint8Array): Map<string, Entry> => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const eocd = findEndOfCentralDirectory(view)
  const count = view.getUint16(eocd + 10, true)
  let at = view.getUint32(eocd + 16, true)
  if (count === 0xffff || at === 0xffffffff) throw new ZipFormatError("ZIP64 archives are not supported")
  const entries = new Map<string, Entry>()
  const decoder = new TextDecoder()
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL)
      throw new ZipFormatError("corrupt central directory")
    const nameLength = view.getUint16(at + 28, true)
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength))
    entries.set(name, {
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true)
    })
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
  }
  return entries
}

/**
 * The bytes of entry `name`, or undefined when the archive has no such entry.
 * Entries larger than `maxSize` bytes are refused.
 */
export const readEntry = (bytes: Uint8Array, name: string, maxSize: number): Uint8Array | undefined => {
  const entry = centralDirectory(bytes).get(name)
  if (entry === undefined) return undefined
  if (entry.flags & 1) throw new ZipFormatError(`${name} is encrypted`)
  if (entry.size > maxSize) throw new ZipFormatError(`${name} is ${entry.size} bytes, more than the ${maxSize} allowed`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const local = entry.localOffset
  if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL)
    throw new ZipFormatError(`corrupt local header for ${name}`)
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true)
  const data = bytes.subarray(start, start + entry.compressedSize)
  if (data.length !== entry.compressedSize) throw new ZipFormatError(`${name} is truncated`)
  if (entry.method === 0) return data
  if (entry.method === 8) {
    try {
      return new Uint8Array(inflateRawSync(data, { maxOutputLength: Math.max(1, maxSize) }))
    } catch (cause) {
      throw new ZipFormatError(`${name} does not inflate (${(cause as Error).message})`)
    }
  }
  throw new ZipFormatError(
    `${name} uses compression method ${entry.method}; only stored and deflated entries are supported`
  )
}
