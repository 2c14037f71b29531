/**
 * Turning a Schema decoding failure of an options object into one sentence in
 * sharp's format, `Expected <what> for <name> but received <value>`. Values of
 * secret options are never echoed.
 */
import { Effect, Redacted, Schema, SchemaIssue } from "effect"

const toStandard = SchemaIssue.makeFormatterStandardSchemaV1()

const show = (value: unknown): string => {
  if (typeof value === "string") return `'${value}'`
  if (Redacted.isRedacted(value)) return "a redacted value"
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length})`
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

const keyOf = (segment: unknown): string =>
  String(
    typeof segment === "object" && segment !== null && "key" in segment ? (segment as { key: unknown }).key : segment
  )

/**
 * Decode `input` with `schema`. `expected` describes, per option name, what a
 * valid value looks like; names in `secret` are reported without their value.
 */
export const decodeOptions = <S extends Schema.Top & { readonly DecodingServices: never }, E>(
  schema: S,
  expected: Readonly<Record<string, string>>,
  secret: ReadonlyArray<string>,
  input: unknown,
  onError: (message: string) => E
): Effect.Effect<S["Type"], E> => {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return Effect.fail(onError(`Expected an options object but received ${show(input)}`))
  }
  return Schema.decodeUnknownEffect(schema)(input, { onExcessProperty: "error" }).pipe(
    Effect.mapError((error) => {
      const issue = toStandard(error.issue).issues[0]
      const name = (issue?.path ?? []).map(keyOf).join(".")
      const what = expected[name]
      if (what === undefined)
        return onError(`Unknown option '${name}'. Known options: ${Object.keys(expected).join(", ")}`)
      const value = (input as Record<string, unknown>)[name]
      const received =
        value === undefined ? "nothing" : secret.includes(name) ? `an invalid ${typeof value}` : show(value)
      return onError(`Expected ${what} for ${name} but received ${received}`)
    })
  )
}
