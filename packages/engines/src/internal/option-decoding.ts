import { Effect, Schema, SchemaIssue } from "effect"

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const show = (value: unknown): string => {
  if (typeof value === "string") return `'${value}'`
  if (typeof value === "bigint") return `${value}n`
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return String(value)
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

const at = (input: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined,
    input
  )

/**
 * Decode an options object with `schema`, rejecting unknown keys, and turn the
 * first problem into one sentence in sharp's format:
 * `Expected <what> for <name> but received <value>`. `expected` says, per key,
 * what a valid value looks like.
 */
export const decodeOptions = <S extends Schema.Top & { readonly DecodingServices: never }, E>(
  schema: S,
  expected: Readonly<Record<string, string>>,
  input: unknown,
  onError: (message: string) => E
): Effect.Effect<S["Type"], E> =>
  Schema.decodeUnknownEffect(schema)(input ?? {}, { onExcessProperty: "error" }).pipe(
    Effect.mapError((error) => {
      if (input === null || typeof input !== "object" || Array.isArray(input)) {
        return onError(`Expected an options object but received ${show(input)}`)
      }
      const issue = formatter(error.issue).issues[0]
      const path = (issue?.path ?? []).map((p) => (typeof p === "object" && p !== null && "key" in p ? p.key : p))
      const name = path.map(String).join(".")
      const what = expected[name]
      if (what === undefined) {
        return onError(`Unknown option '${name}'. Known options: ${Object.keys(expected).join(", ")}`)
      }
      return onError(`Expected ${what} for ${name} but received ${show(at(input, path))}`)
    })
  )
