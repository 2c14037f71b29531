/** Real evaluation images and their ground truth, for the tests. */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../datasets/real-dev")

export const realDev = (name: string): string => path.join(root, "images", name)

const manifest: ReadonlyArray<{ readonly id: string; readonly image: string; readonly text: string }> = fs
  .readFileSync(path.join(root, "manifest.jsonl"), "utf8")
  .split("\n")
  .filter((line) => line.trim().length > 0)
  .map((line) => JSON.parse(line))

/** Ground truth text of an image, lines joined by newlines. */
export const groundTruth = (image: string): string => {
  const item = manifest.find((entry) => entry.image === `images/${image}`)
  if (item === undefined) throw new Error(`No ground truth for ${image} in datasets/real-dev/manifest.jsonl`)
  return item.text
}
