/**
 * Decoding a layer's options object with its Schema, the first issue turned
 * into sharp's message format: `Expected <what> for <name> but received <value>`.
 * Each package keeps its own tagged error and passes its constructor, so a
 * caller can tell which layer refused its options.
 *
 * @since 0.1.0
 */
import { Effect, Exit, Schema, type SchemaIssue } from "effect"

/** Makes a package's options error from the option's name and the message. */
export type MakeError<E> = (fields: { readonly option: string; readonly message: string }) => E

/** sharp's `invalidParameterError` text, word for word. */
export const invalidOption = <E>(make: MakeError<E>, name: string, expected: string, actual: unknown): E => {
  let shown: string
  try {
    shown = String(actual).slice(0, 100)
  } catch {
    shown = "?"
  }
  return make({
    option: name,
    message: `Expected ${expected} for ${name} but received ${shown} of type ${typeof actual}`
  })
}

const firstKey = (issue: SchemaIssue.Issue): string | undefined => {
  if (issue._tag === "Pointer") return issue.path.length > 0 ? String(issue.path[0]) : undefined
  if (issue._tag === "Composite") {
    for (const inner of issue.issues) {
      const key = firstKey(inner)
      if (key !== undefined) return key
    }
  }
  return undefined
}

/**
 * Decode `input` (undefined means all defaults) with a Struct of optional
 * fields. `expected` says in words what each field takes.
 */
export const decodeOptions = <A extends object, E>(
  make: MakeError<E>,
  schema: Schema.Codec<A, unknown>,
  expected: { readonly [K in keyof A]-?: string },
  input: unknown
): Effect.Effect<A, E> => {
  if (input === undefined) return Effect.succeed({} as A)
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return Effect.fail(invalidOption(make, "options", "an object", input))
  }
  const known = Object.keys(expected)
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) return Effect.fail(invalidOption(make, "options", `one of ${known.join(", ")}`, key))
  }
  const exit = Schema.decodeUnknownExit(schema)(input)
  if (Exit.isSuccess(exit)) return Effect.succeed(exit.value)
  return Effect.fail(firstFailure(make, exit, expected, input as Record<string, unknown>))
}

const firstFailure = <A, E>(
  make: MakeError<E>,
  exit: Exit.Exit<A, Schema.SchemaError>,
  expected: Readonly<Record<string, string>>,
  input: Record<string, unknown>
): E => {
  const error = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail")?.error : undefined
  const key = error === undefined ? undefined : firstKey(error.issue)
  if (key === undefined) return invalidOption(make, "options", "valid options", input)
  return invalidOption(make, key, expected[key] ?? "a valid value", input[key])
}
