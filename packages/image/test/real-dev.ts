/** Paths of the real evaluation images the tests build their inputs from. */
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../datasets/real-dev/images")

export const realDev = (name: string): string => path.join(root, name)
