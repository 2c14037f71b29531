/**
 * Turning the command line's inputs (files, directories, globs) into a list
 * of conversion jobs, each with the output path it will write. Directories
 * are searched recursively for image and PDF files; a named file is taken whatever
 * its extension (the decoder sniffs the content). Inputs that name nothing
 * usable become per-input failures, so the other inputs still convert.
 *
 * @since 0.1.0
 */
import { Effect, FileSystem, Path } from "effect"

/** File name extensions taken from directories and globs. */
export const imageExtensions: ReadonlyArray<string> = [
  ".png",
  ".jpg",
  ".jpeg",
  ".jpe",
  ".webp",
  ".gif",
  ".tif",
  ".tiff",
  ".avif",
  ".heic",
  ".heif",
  ".bmp",
  ".jp2",
  ".pdf"
]

/** One file to convert and where its output goes. */
export interface Job {
  readonly input: string
  readonly output: string
}

/** An input that cannot be converted, with the reason. */
export interface Rejected {
  readonly input: string
  readonly message: string
}

/** What `plan` gives: jobs in command-line order and the inputs it had to reject. */
export interface Plan {
  readonly jobs: ReadonlyArray<Job>
  readonly rejected: ReadonlyArray<Rejected>
}

/** How outputs are named. */
export interface PlanOptions {
  /** `-o`: a file for one input, a directory for several. */
  readonly output?: string | undefined
  /** Extension of the output format, without the dot. */
  readonly extension: string
}

/** A found image: its path, and its path relative to the directory or glob root it came from. */
interface Source {
  readonly input: string
  readonly relative: string
  /** True when the command line named this file itself. */
  readonly named: boolean
}

const isGlob = (input: string) => /[*?[\]{}]/.test(input)

const isImage = (path: Path.Path, file: string) => imageExtensions.includes(path.extname(file).toLowerCase())

/** The leading part of a glob pattern without wildcards, e.g. `scans/2024` for `scans/2024/**\/*.png`. */
const globRoot = (path: Path.Path, pattern: string) => {
  const parts = pattern.split(/[\\/]/)
  const index = parts.findIndex(isGlob)
  return parts.slice(0, index).join(path.sep)
}

const expandOne = Effect.fnUntraced(function* (input: string) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const info = yield* Effect.result(fs.stat(input))
  if (info._tag === "Success") {
    if (info.success.type === "File") return [{ input, relative: path.basename(input), named: true }]
    if (info.success.type === "Directory") {
      const entries = yield* fs.readDirectory(input, { recursive: true })
      const files: Array<Source> = []
      for (const entry of [...entries].sort()) {
        if (!isImage(path, entry)) continue
        const full = path.join(input, entry)
        const stat = yield* Effect.result(fs.stat(full))
        if (stat._tag === "Success" && stat.success.type === "File")
          files.push({ input: full, relative: entry, named: false })
      }
      if (files.length === 0) {
        return yield* Effect.fail(`Directory ${input} contains no image files (${imageExtensions.join(" ")}).`)
      }
      return files
    }
    return yield* Effect.fail(`${input} is not a file or a directory.`)
  }
  if (!isGlob(input)) {
    return yield* Effect.fail(`${input} does not exist. Check the path (quote globs so the shell leaves them alone).`)
  }
  const root = globRoot(path, input)
  const matches = yield* fs.glob(input)
  const files: Array<Source> = []
  for (const match of matches) {
    if (!isImage(path, match)) continue
    const stat = yield* Effect.result(fs.stat(match))
    if (stat._tag === "Success" && stat.success.type === "File") {
      files.push({ input: match, relative: root === "" ? match : path.relative(root, match), named: false })
    }
  }
  if (files.length === 0) return yield* Effect.fail(`The pattern ${input} matches no image files.`)
  return files
})

const replaceExtension = (path: Path.Path, file: string, extension: string) => {
  const ext = path.extname(file)
  return `${ext === "" ? file : file.slice(0, -ext.length)}.${extension}`
}

/**
 * Expand the inputs and name each job's output: next to the input by default;
 * with `-o`, that file when a single named file is converted, otherwise that
 * directory (keeping the layout below a directory or glob root).
 */
export const plan = Effect.fn("Inputs.plan")(function* (inputs: ReadonlyArray<string>, options: PlanOptions) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const rejected: Array<Rejected> = []
  const sources: Array<Source> = []
  const seen = new Set<string>()
  for (const input of inputs) {
    const expanded = yield* Effect.result(
      expandOne(input).pipe(Effect.mapError((e) => (typeof e === "string" ? e : `${input}: ${e.message}`)))
    )
    if (expanded._tag === "Failure") {
      rejected.push({ input, message: expanded.failure })
      continue
    }
    for (const source of expanded.success) {
      const key = path.resolve(source.input)
      if (seen.has(key)) continue
      seen.add(key)
      sources.push(source)
    }
  }

  let outputDir: string | undefined
  let outputFile: string | undefined
  if (options.output !== undefined) {
    const isDir = yield* fs.stat(options.output).pipe(
      Effect.map((info) => info.type === "Directory"),
      Effect.orElseSucceed(() => false)
    )
    const single = sources.length === 1 && inputs.length === 1 && sources[0]!.named
    if (single && !isDir && !/[\\/]$/.test(options.output)) outputFile = options.output
    else outputDir = options.output
  }

  const jobs: Array<Job> = []
  const owners = new Map<string, string>()
  for (const source of sources) {
    const output =
      outputFile ??
      (outputDir !== undefined
        ? path.join(outputDir, replaceExtension(path, source.relative, options.extension))
        : replaceExtension(path, source.input, options.extension))
    const key = path.resolve(output)
    const owner = owners.get(key)
    if (owner !== undefined) {
      rejected.push({
        input: source.input,
        message: `${source.input} would write ${output}, which ${owner} already writes. Convert one of them separately or with another -o.`
      })
      continue
    }
    if (key === path.resolve(source.input)) {
      rejected.push({ input: source.input, message: `${source.input} would be replaced by its own output.` })
      continue
    }
    owners.set(key, source.input)
    jobs.push({ input: source.input, output })
  }
  return { jobs, rejected } satisfies Plan
})
