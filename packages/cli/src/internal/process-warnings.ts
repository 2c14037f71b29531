/**
 * Imported first by the bin: the key store behind `ocr2word serve` uses
 * node:sqlite, whose import prints an ExperimentalWarning on every run, even
 * for conversions that never touch it. That one warning is dropped; every
 * other warning is printed as Node would.
 */
const printers = process.listeners("warning")
process.removeAllListeners("warning")
process.on("warning", (warning) => {
  if (warning.name === "ExperimentalWarning" && /SQLite/i.test(warning.message)) return
  for (const print of printers) print(warning)
})
