/**
 * Decoding a layer's options object with its Schema, reporting the first bad
 * field as `Expected <what> for <name> but received <value> of type <type>`.
 */
import { Effect, Exit, Schema } from "effect"
import { PaddleOptionsError } from "../PaddleOptionsError.ts"

const show = (value: unknown): string => {
  try {
    return typeof value === "string" ? value.slice(0, 100) : String(JSON.stringify(value) ?? value).slice(0, 100)
  } catch {
    return String(value)
  }
}

export const optionError = (name: string, expected: string, value: unknown): PaddleOptionsError =>
  new PaddleOptionsError({
    option: name,
    message: `Expected ${expected} for ${name} but received ${show(value)} of type ${typeof value}`
  })

/**
 * Decode `input` with a struct of optional fields; `expected` says in words
 * what each field takes. Unknown fields are errors (a typo would otherwise be
 * ignored silently).
 */
export const decodeOptions = <A extends object>(
  schema: Schema.Codec<A, unknown>,
  expected: { readonly [K in keyof A]-?: string },
  input: unknown
): Effect.Effect<A, PaddleOptionsError> =>
  Effect.suspend(() => {
    if (input === undefined) return Effect.succeed({} as A)
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return Effect.fail(optionError("options", "an object", input))
    }
    const known = Object.keys(expected)
    const record = input as Record<string, unknown>
    for (const key of Object.keys(record)) {
      if (!known.includes(key)) return Effect.fail(optionError("options", `only ${known.join(", ")}`, key))
    }
    for (const key of known) {
      if (!(key in record)) continue
      const field = (schema as unknown as { fields: Schema.Struct.Fields }).fields[key]
      if (field === undefined) continue
      const single = Schema.Struct({ [key]: field }) as unknown as Schema.Codec<unknown, unknown>
      const exit = Schema.decodeUnknownExit(single)({ [key]: record[key] })
      if (Exit.isFailure(exit)) {
        return Effect.fail(optionError(key, (expected as Record<string, string>)[key] ?? "a valid value", record[key]))
      }
    }
    const exit = Schema.decodeUnknownExit(schema)(input)
    return Exit.isSuccess(exit)
      ? Effect.succeed(exit.value)
      : Effect.fail(optionError("options", "valid options", input))
  })
