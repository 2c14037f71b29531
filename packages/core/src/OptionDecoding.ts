/**
 * The one options decoder of every package: an options object is one Schema
 * whose keys say what they take (`annotateKey({ expected: "a positive
 * integer" })`, or `optional(schema, "a positive integer")`), and `decode` turns the first Schema issue into sharp's
 * message format, `Expected <what> for <name> but received <value>`, so every
 * layer option, CLI flag, HTTP field and environment variable reads the same.
 *
 * - Received values are written one way: strings as JSON (`"eighty"`),
 *   numbers, booleans and null plain (`42`), arrays and objects as JSON, a
 *   missing value as `nothing`; values of secret keys (Redacted, or
 *   annotated `secret: true`) and URL passwords are never shown.
 * - An unknown key is `Expected one of <known keys> for options but received
 *   "<key>"`; a value that is not an object is `Expected an object for options
 *   but received <value>`.
 * - A check over several keys names one of them: its filter returns
 *   `{ path: [key], issue: <what> }`.
 *
 * `read` and `fromStrings` are the one way from text (environment variables,
 * CLI flags, form fields) to options: each key's text becomes a value of the key's type
 * (numbers, booleans, comma-separated lists, Redacted secrets) and is decoded
 * on its own, the message naming the key as the source spells it
 * (`OCR2WORD_PORT`, `--port`). Each package passes its own error constructor,
 * so a caller can tell which layer refused its options.
 *
 * @since 0.1.0
 */
import { Effect, Exit, Redacted, Schema, type SchemaAST, type SchemaIssue } from "effect"

/** A refused option: its name (`options` for the whole object) and the message in the house format. */
export interface Invalid {
  readonly option: string
  readonly message: string
}

/** How a key is called where its value came from: the option name itself by default. */
export type Naming = (path: ReadonlyArray<PropertyKey>) => string

const optionName: Naming = (path) =>
  path.reduce<string>(
    (name, key) => (typeof key === "number" ? `${name}[${key}]` : name === "" ? String(key) : `${name}.${String(key)}`),
    ""
  )

const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`)

/** A received value, written the one house way. */
export const show = (value: unknown): string => {
  if (value === undefined) return "nothing"
  if (Redacted.isRedacted(value)) return "a redacted value"
  if (typeof value === "string") {
    // A URL's password is never echoed.
    const text = value.replace(/\/\/([^:/@]*):[^@/]*@/, "//$1:***@")
    return text.length > 100 ? `${JSON.stringify(text.slice(0, 100))}...` : JSON.stringify(text)
  }
  if (typeof value === "bigint") return `${value}n`
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value)
  if (typeof value === "function" || typeof value === "symbol") return article(typeof value)
  if (value instanceof Uint8Array) return `${article(value.constructor.name)} of ${value.length} bytes`
  try {
    const json = JSON.stringify(value)
    return json.length > 100 ? `${json.slice(0, 100)}...` : json
  } catch {
    return article(typeof value)
  }
}

/** An optional key that says what it takes: `optional(Schema.Boolean, "a boolean")`. */
export const optional = <S extends Schema.Top>(schema: S, expected: string): Schema.optionalKey<S> =>
  Schema.optionalKey(schema).annotateKey({ expected })

/** An optional number from `minimum` to `maximum`, said as such. */
export const numberBetween = (minimum: number, maximum: number) =>
  optional(Schema.Number.check(Schema.isBetween({ minimum, maximum })), `a number between ${minimum} and ${maximum}`)

/** An optional integer from `minimum` to `maximum`, said as such. */
export const integerBetween = (minimum: number, maximum: number) =>
  optional(Schema.Int.check(Schema.isBetween({ minimum, maximum })), `an integer between ${minimum} and ${maximum}`)

/** What a key of literals takes, in words: `one of "flow", "exact"`. */
export const oneOf = (literals: ReadonlyArray<string | number | boolean>): string =>
  `one of ${literals.map((literal) => JSON.stringify(literal)).join(", ")}`

/** A key named as a command-line flag: `dataDir` is `--data-dir`. */
export const flagName = (key: string): string => `--${kebab(key)}`

/** A value never echoed: only its type. */
const hidden = (value: unknown): string =>
  value === undefined
    ? "nothing"
    : typeof value === "string" && value.length === 0
      ? "an empty string"
      : `${article(typeof value)} (not shown)`

const isRedactedAst = (ast: SchemaAST.AST): boolean =>
  (ast._tag === "Declaration" &&
    (ast.annotations?.representation as { readonly id?: unknown } | undefined)?.id === "effect/schema/Redacted") ||
  (ast._tag === "Union" && ast.types.some(isRedactedAst))

/** The type of the key at `key` of `ast`, looking through unions of objects. */
const child = (ast: SchemaAST.AST, key: PropertyKey): SchemaAST.AST | undefined => {
  if (ast._tag === "Objects") return ast.propertySignatures.find((p) => p.name === key)?.type
  if (ast._tag === "Arrays") return typeof key === "number" ? (ast.elements[key] ?? ast.rest[0]) : undefined
  if (ast._tag === "Union") {
    for (const member of ast.types) {
      const found = child(member, key)
      if (found !== undefined) return found
    }
  }
  if (ast._tag === "Suspend") return child(ast.thunk(), key)
  return undefined
}

const lookup = (ast: SchemaAST.AST, path: ReadonlyArray<PropertyKey>): SchemaAST.AST | undefined =>
  path.reduce<SchemaAST.AST | undefined>((at, key) => (at === undefined ? undefined : child(at, key)), ast)

const expectedOf = (ast: SchemaAST.AST | undefined): string | undefined => {
  const expected = ast?.context?.annotations?.expected
  return typeof expected === "string" ? expected : undefined
}

const isSecret = (ast: SchemaAST.AST | undefined): boolean =>
  ast !== undefined && (ast.context?.annotations?.secret === true || isRedactedAst(ast))

const valueAt = (input: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined,
    input
  )

/** Where the first issue is, and what it says when the schema does not (checks over several keys). */
interface Found {
  readonly path: ReadonlyArray<PropertyKey>
  readonly kind: "value" | "unknownKey" | "missingKey"
  readonly expected?: string
}

const locate = (issue: SchemaIssue.Issue, path: ReadonlyArray<PropertyKey>): Found => {
  switch (issue._tag) {
    case "Pointer":
      return locate(issue.issue, [...path, ...issue.path])
    case "Composite":
      return locate(issue.issues[0], path)
    case "Encoding":
      return locate(issue.issue, path)
    case "Filter": {
      if (issue.issue._tag !== "Pointer") return { path, kind: "value" }
      // A check over several keys points at one of them and says what it expects there.
      const inner = locate(issue.issue, path)
      const leaf = issue.issue.issue
      const message = leaf._tag === "InvalidValue" ? leaf.annotations?.message : undefined
      const expected = typeof message === "string" ? message : issue.filter.annotations?.expected
      return typeof expected === "string" ? { ...inner, expected } : inner
    }
    case "UnexpectedKey":
      return { path, kind: "unknownKey" }
    case "MissingKey":
      return { path, kind: "missingKey" }
    default:
      return { path, kind: "value" }
  }
}

/** The message of a decoding failure of `input`, in the house format. */
export const describe = (
  schema: Schema.Top,
  issue: SchemaIssue.Issue,
  input: unknown,
  naming: Naming = optionName
): Invalid => {
  const found = locate(issue, [])
  const root = naming([]) || "options"
  if (found.kind === "unknownKey") {
    const parent = found.path.slice(0, -1)
    const owner = lookup(schema.ast, parent)
    const known = owner?._tag === "Objects" ? owner.propertySignatures.map((p) => String(p.name)) : []
    const name = naming(parent) || root
    return {
      option: name,
      message: `Expected one of ${known.join(", ")} for ${name} but received ${show(found.path.at(-1))}`
    }
  }
  // The deepest key that says what it takes names the option: `languages`, not `languages[2]`.
  for (let depth = found.path.length; depth > 0; depth--) {
    const path = found.path.slice(0, depth)
    const ast = lookup(schema.ast, path)
    const expected = depth === found.path.length ? (found.expected ?? expectedOf(ast)) : expectedOf(ast)
    if (expected === undefined) continue
    const value = valueAt(input, path)
    const name = naming(path)
    return {
      option: name,
      message: `Expected ${expected} for ${name} but received ${isSecret(ast) ? hidden(value) : show(value)}`
    }
  }
  const name = naming(found.path) || root
  const value = valueAt(input, found.path)
  const secret = isSecret(lookup(schema.ast, found.path))
  return {
    option: name,
    message: `Expected ${found.expected ?? "a valid value"} for ${name} but received ${secret ? hidden(value) : show(value)}`
  }
}

/**
 * Decode `input` (undefined means every default) with `schema`, refusing
 * unknown keys; the first issue becomes `onError({ option, message })`.
 */
export const decode = <S extends Schema.Top & { readonly DecodingServices: never }, E>(
  schema: S,
  input: unknown,
  onError: (invalid: Invalid) => E,
  naming: Naming = optionName
): Effect.Effect<S["Type"], E> =>
  Effect.suspend(() => {
    const given = input === undefined ? {} : input
    if (given === null || typeof given !== "object" || Array.isArray(given) || Redacted.isRedacted(given)) {
      const name = naming([]) || "options"
      return Effect.fail(
        onError({ option: name, message: `Expected an object for ${name} but received ${show(given)}` })
      )
    }
    const exit = Schema.decodeUnknownExit(schema)(given, { onExcessProperty: "error" })
    if (Exit.isSuccess(exit)) return Effect.succeed(exit.value)
    const failure = exit.cause.reasons.find((r) => r._tag === "Fail")
    if (failure === undefined) return Effect.failCause(exit.cause as never)
    return Effect.fail(onError(describe(schema, failure.error.issue, given, naming)))
  })

/** Keys of an options schema with what each takes, for help texts and tests. */
export const expectations = (
  schema: Schema.Top
): ReadonlyArray<{ readonly name: string; readonly expected?: string }> =>
  schema.ast._tag === "Objects"
    ? schema.ast.propertySignatures.map((p) => {
        const expected = expectedOf(p.type)
        return expected === undefined ? { name: String(p.name) } : { name: String(p.name), expected }
      })
    : []

const numeric = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i

/** A key's text as a value of the key's type; text that is not one stays text, so its message shows it. */
const fromText = (ast: SchemaAST.AST, text: string, label: string): unknown => {
  if (isRedactedAst(ast)) return Redacted.make(text, { label })
  switch (ast._tag) {
    case "Number":
      return numeric.test(text.trim()) ? Number(text.trim()) : text
    case "Boolean":
      return /^(true|1)$/i.test(text.trim()) ? true : /^(false|0)$/i.test(text.trim()) ? false : text
    case "Arrays": {
      const element = ast.rest[0] ?? ast.elements[0]
      const items = text
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
      return element === undefined ? items : items.map((item) => fromText(element, item, label))
    }
    case "Union": {
      const number = ast.types.find((t) => t._tag === "Number")
      return number !== undefined && numeric.test(text.trim()) ? Number(text.trim()) : text
    }
    default:
      return text
  }
}

/** Where option texts come from: `read` a key's text, `name` it as the user wrote it. */
export interface Source {
  readonly read: (key: string) => string | undefined
  readonly name: (key: string) => string
}

const screaming = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()
const kebab = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()

/** Environment variables: key `dataDir` is `<prefix>DATA_DIR`. */
export const env = (variables: Readonly<Record<string, string | undefined>>, prefix: string): Source => ({
  read: (key) => variables[`${prefix}${screaming(key)}`],
  name: (key) => `${prefix}${screaming(key)}`
})

/** CLI flags by option name: key `dataDir` is `--data-dir`. */
export const flags = (given: Readonly<Record<string, string | undefined>>): Source => ({
  read: (key) => given[key],
  name: flagName
})

/** Form fields (HTTP), named as sent. */
export const fields = (given: Readonly<Record<string, string | undefined>>): Source => ({
  read: (key) => given[key],
  name: (key) => key
})

/**
 * The options a text source sets, as values of the keys' types but not yet
 * decoded (empty texts count as unset): merge them over the other sources and
 * `decode` the whole, so a wrong text is refused like any wrong value.
 */
export const read = <S extends Schema.Struct<Schema.Struct.Fields>>(
  schema: S,
  source: Source
): Readonly<Record<string, unknown>> => {
  const out: Record<string, unknown> = {}
  for (const property of schema.ast.propertySignatures) {
    const key = String(property.name)
    const text = source.read(key)
    if (text !== undefined && text !== "") out[key] = fromText(property.type, text, key)
  }
  return out
}

/**
 * The options a text source sets, each key decoded on its own with its type's
 * schema, the message naming the key as the source spells it. Merge the
 * result over the other sources and `decode` the whole, where checks over
 * several keys run.
 */
export const fromStrings = <S extends Schema.Struct<Schema.Struct.Fields>, E>(
  schema: S,
  source: Source,
  onError: (invalid: Invalid) => E
): Effect.Effect<Partial<S["Type"]>, E> =>
  Effect.gen(function* () {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(read(schema, source))) {
      const one = Schema.Struct({ [key]: schema.fields[key]! }) as unknown as Schema.Codec<
        Record<string, unknown>,
        unknown
      >
      const decoded = yield* decode(one, { [key]: value }, onError, (path) =>
        path.length === 0 ? source.name(key) : optionName([source.name(key), ...path.slice(1)])
      )
      out[key] = decoded[key]
    }
    return out as Partial<S["Type"]>
  })
