/**
 * The data folder's start-up check, shared by the embedded stores (the Word
 * files and the sqlite key database): the folder is created if needed and a
 * probe file is written, fsynced and removed, so a read-only mount, a folder
 * this user may not write, a full disk or a path through a file is reported
 * at start-up in one sentence naming the folder and what to do, instead of
 * as a stack on the first conversion.
 */
import * as fs from "node:fs"
import * as path from "node:path"

/** Why a folder cannot be written, by errno code. */
const reasons: Readonly<Record<string, string>> = {
  EROFS: "is on a read-only file system",
  EACCES: "is not writable by this user",
  EPERM: "is not writable by this user",
  ENOSPC: "is on a full disk",
  EDQUOT: "is over its disk quota",
  ENOTDIR: "is not a folder (a file is in its path)",
  EEXIST: "is not a folder (a file is in its path)"
}

const nearestExisting = (folder: string): string => {
  let current = folder
  while (!fs.existsSync(current)) {
    const parent = path.dirname(current)
    if (parent === current) return current
    current = parent
  }
  return current
}

const errnoCode = (cause: unknown) => (cause as NodeJS.ErrnoException)?.code ?? "UNKNOWN"

/**
 * Create `folder` if needed and prove it writable. Returns undefined when it
 * is, or a message naming it, the reason and the fix. `what` says what is
 * kept there ("the Word files", "the key database").
 */
export const checkWritable = (folder: string, what: string): string | undefined => {
  const absolute = path.resolve(folder)
  const explain = (code: string, where: string) =>
    `The folder ${absolute} ${reasons[code] ?? `cannot be written (${code})`}${where === absolute ? "" : ` (${where})`}: ocr2word keeps ${what} there. ` +
    (code === "ENOSPC" || code === "EDQUOT"
      ? "Free some space on it, or choose another folder with --data-dir or OCR2WORD_DATA_DIR."
      : code === "EROFS"
        ? "Mount it read-write, or choose a writable folder with --data-dir or OCR2WORD_DATA_DIR."
        : code === "ENOTDIR" || code === "EEXIST"
          ? `Move the file ${where} out of the way, or choose another folder with --data-dir or OCR2WORD_DATA_DIR.`
          : "Give this user write access to it, or choose a writable folder with --data-dir or OCR2WORD_DATA_DIR.")
  try {
    fs.mkdirSync(absolute, { recursive: true })
  } catch (cause) {
    const existing = nearestExisting(absolute)
    // Recursive mkdir reports ENOENT on a read-only parent: ask the parent itself.
    const code = probe(existing) ?? errnoCode(cause)
    return explain(code, existing)
  }
  const code = probe(absolute)
  return code === undefined ? undefined : explain(code, absolute)
}

/** Write, fsync and remove a probe file in `folder`; the errno code when that fails. */
const probe = (folder: string): string | undefined => {
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) return "ENOTDIR"
  const file = path.join(folder, `.ocr2word-write-check-${process.pid}-${Date.now()}.tmp`)
  try {
    const fd = fs.openSync(file, "wx", 0o600)
    try {
      fs.writeSync(fd, "ok")
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.unlinkSync(file)
    return undefined
  } catch (cause) {
    try {
      fs.rmSync(file, { force: true })
    } catch {
      // Nothing was created on a read-only file system.
    }
    return errnoCode(cause)
  }
}
