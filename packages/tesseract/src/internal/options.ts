/**
 * Decoding a layer's options object with its Schema, reporting the first bad
 * field as `Expected <what> for <name> but received <value>`.
 */
import { Effect, Exit, Schema } from "effect"
import { TesseractOptionsError } from "../TesseractOptionsError.ts"

const show = (value: unknown): string => {
  if (typeof value === "string") return `'${value.slice(0, 100)}'`
  try {
    return String(JSON.stringify(value) ?? value).slice(0, 100)
  } catch {
    return String(value)
  }
}

const optionError = (name: string, expected: string, value: unknown): TesseractOptionsError =>
  new TesseractOptionsError({ option: name, message: `Expected ${expected} for ${name} but received ${show(value)}` })

/**
 * Decode `input` with a struct of optional fields; `expected` says in words
 * what each field takes. Unknown fields are errors: a typo would otherwise be
 * ignored silently.
 */
export const decodeOptions = <A extends object>(
  schema: Schema.Codec<A, unknown>,
  expected: { readonly [K in keyof A]-?: string },
  input: unknown
): Effect.Effect<A, TesseractOptionsError> =>
  Effect.suspend(() => {
    if (input === undefined) return Effect.succeed({} as A)
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return Effect.fail(optionError("options", "an options object", input))
    }
    const known = Object.keys(expected)
    for (const key of Object.keys(input)) {
      if (!known.includes(key)) return Effect.fail(optionError("options", `only the options ${known.join(", ")}`, key))
    }
    const fields = (schema as unknown as { fields: Schema.Struct.Fields }).fields
    const record = input as Record<string, unknown>
    for (const key of known) {
      const field = fields[key]
      if (!(key in record) || field === undefined) continue
      const single = Schema.Struct({ [key]: field }) as unknown as Schema.Codec<unknown, unknown>
      if (Exit.isFailure(Schema.decodeUnknownExit(single)({ [key]: record[key] }))) {
        return Effect.fail(optionError(key, (expected as Record<string, string>)[key] ?? "a valid value", record[key]))
      }
    }
    const exit = Schema.decodeUnknownExit(schema)(input)
    return Exit.isSuccess(exit)
      ? Effect.succeed(exit.value)
      : Effect.fail(optionError("options", "valid options", input))
  })
