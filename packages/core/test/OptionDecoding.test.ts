import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted, Schema } from "effect"
import * as OptionDecoding from "../src/OptionDecoding.ts"

/**
 * The house message format, word for word, once: every package decodes its
 * options with this module, and tests only its own option names.
 */
const Options = Schema.Struct({
  port: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 65535 }))).annotateKey({
    expected: "an integer between 0 and 65535"
  }),
  mode: Schema.optionalKey(Schema.Literals(["flow", "exact"])).annotateKey({ expected: 'one of "flow", "exact"' }),
  verbose: Schema.optionalKey(Schema.Boolean).annotateKey({ expected: "a boolean" }),
  hosts: Schema.optionalKey(Schema.Array(Schema.String)).annotateKey({ expected: "a list of host names" }),
  region: Schema.optionalKey(
    Schema.Struct({ width: Schema.optionalKey(Schema.Number).annotateKey({ expected: "a width in pixels" }) })
  ).annotateKey({ expected: "a region" }),
  appkey: Schema.optionalKey(Schema.Redacted(Schema.String)).annotateKey({ expected: "a non-empty key" }),
  token: Schema.optionalKey(Schema.NonEmptyString).annotateKey({ expected: "a token", secret: true }),
  min: Schema.optionalKey(Schema.Number).annotateKey({ expected: "a number" }),
  max: Schema.optionalKey(Schema.Number).annotateKey({ expected: "a number" }),
  name: Schema.String.annotateKey({ expected: "a name" })
}).check(
  Schema.makeFilter((o) =>
    o.min === undefined || o.max === undefined || o.min <= o.max
      ? undefined
      : { path: ["min"], issue: `a number <= max (${o.max})` }
  )
)

const message = (input: unknown) =>
  OptionDecoding.decode(Options, input, (invalid) => invalid).pipe(
    Effect.flip,
    Effect.map((invalid) => invalid.message)
  )

describe("OptionDecoding", () => {
  it.effect("writes every refusal as Expected <what> for <name> but received <value>", () =>
    Effect.gen(function* () {
      // Numbers, booleans and null plain; strings, arrays and objects as JSON.
      expect(yield* message({ name: "x", port: 70000 })).toBe(
        "Expected an integer between 0 and 65535 for port but received 70000"
      )
      expect(yield* message({ name: "x", port: "eighty" })).toBe(
        'Expected an integer between 0 and 65535 for port but received "eighty"'
      )
      expect(yield* message({ name: "x", port: null })).toBe(
        "Expected an integer between 0 and 65535 for port but received null"
      )
      expect(yield* message({ name: "x", mode: "pretty" })).toBe(
        'Expected one of "flow", "exact" for mode but received "pretty"'
      )
      expect(yield* message({ name: "x", verbose: 1 })).toBe("Expected a boolean for verbose but received 1")
      // An element names its list; a nested key its path.
      expect(yield* message({ name: "x", hosts: ["a", 2] })).toBe(
        'Expected a list of host names for hosts but received ["a",2]'
      )
      expect(yield* message({ name: "x", region: { width: true } })).toBe(
        "Expected a width in pixels for region.width but received true"
      )
      expect(yield* message({ port: 1 })).toBe("Expected a name for name but received nothing")
      expect(yield* message({ name: "x", hosts: "redis://cache:hunter2@10.0.0.5" })).toBe(
        'Expected a list of host names for hosts but received "redis://cache:***@10.0.0.5"'
      )
      expect(yield* message({ name: "x".repeat(120), port: -1 })).toBe(
        "Expected an integer between 0 and 65535 for port but received -1"
      )
    })
  )

  it.effect("names an unknown key and lists the known ones; refuses what is not an object", () =>
    Effect.gen(function* () {
      expect(yield* message({ name: "x", colour: "red" })).toBe(
        'Expected one of port, mode, verbose, hosts, region, appkey, token, min, max, name for options but received "colour"'
      )
      expect(yield* message({ name: "x", region: { height: 3 } })).toBe(
        'Expected one of width for region but received "height"'
      )
      expect(yield* message(42)).toBe("Expected an object for options but received 42")
      expect(yield* message("paddle")).toBe('Expected an object for options but received "paddle"')
      expect(yield* message([1])).toBe("Expected an object for options but received [1]")
    })
  )

  it.effect("never shows a secret", () =>
    Effect.gen(function* () {
      expect(yield* message({ name: "x", appkey: "hunter2" })).toBe(
        "Expected a non-empty key for appkey but received a string (not shown)"
      )
      expect(yield* message({ name: "x", token: "" })).toBe("Expected a token for token but received an empty string")
      expect(yield* message({ name: "x", token: 5 })).toBe(
        "Expected a token for token but received a number (not shown)"
      )
    })
  )

  it.effect("a check over several keys names the key it points at", () =>
    Effect.gen(function* () {
      expect(yield* message({ name: "x", min: 30, max: 20 })).toBe(
        "Expected a number <= max (20) for min but received 30"
      )
    })
  )

  it.effect("decodes text sources to the keys' types and names the key as the source spells it", () =>
    Effect.gen(function* () {
      const env = OptionDecoding.env(
        { APP_PORT: "8081", APP_VERBOSE: "true", APP_HOSTS: "a, b,", APP_APPKEY: "k", APP_MODE: "" },
        "APP_"
      )
      const read = yield* OptionDecoding.fromStrings(Options, env, (invalid) => invalid)
      expect({ ...read, appkey: read.appkey && Redacted.value(read.appkey) }).toEqual({
        port: 8081,
        verbose: true,
        hosts: ["a", "b"],
        appkey: "k"
      })
      const fromEnv = (variables: Record<string, string>) =>
        OptionDecoding.fromStrings(Options, OptionDecoding.env(variables, "APP_"), (invalid) => invalid).pipe(
          Effect.flip
        )
      expect(yield* fromEnv({ APP_PORT: "eighty" })).toEqual({
        option: "APP_PORT",
        message: 'Expected an integer between 0 and 65535 for APP_PORT but received "eighty"'
      })
      expect((yield* fromEnv({ APP_PORT: "70000" })).message).toBe(
        "Expected an integer between 0 and 65535 for APP_PORT but received 70000"
      )
      expect((yield* fromEnv({ APP_VERBOSE: "yes please" })).message).toBe(
        'Expected a boolean for APP_VERBOSE but received "yes please"'
      )
      // Only true/false and 1/0 are booleans, as the server always read them.
      expect((yield* fromEnv({ APP_VERBOSE: "yes" })).message).toBe(
        'Expected a boolean for APP_VERBOSE but received "yes"'
      )
      const flag = yield* OptionDecoding.fromStrings(
        Options,
        OptionDecoding.flags({ mode: "Exact" }),
        (invalid) => invalid
      ).pipe(Effect.flip)
      expect(flag.message).toBe('Expected one of "flow", "exact" for --mode but received "Exact"')
    })
  )

  it("says what literals and ranges take", () => {
    expect(OptionDecoding.oneOf(["flow", "exact"])).toBe('one of "flow", "exact"')
    expect(OptionDecoding.flagName("pdfDpi")).toBe("--pdf-dpi")
    const Ranges = Schema.Struct({
      threads: OptionDecoding.integerBetween(1, 64),
      margin: OptionDecoding.numberBetween(0, 1)
    })
    const refused = (input: unknown) =>
      Effect.runSync(Effect.flip(OptionDecoding.decode(Ranges, input, (invalid) => invalid.message)))
    expect(refused({ threads: 1.5 })).toBe("Expected an integer between 1 and 64 for threads but received 1.5")
    expect(refused({ margin: 2 })).toBe("Expected a number between 0 and 1 for margin but received 2")
  })

  it("lists each key with what it takes", () => {
    expect(OptionDecoding.expectations(Options).slice(0, 2)).toEqual([
      { name: "port", expected: "an integer between 0 and 65535" },
      { name: "mode", expected: 'one of "flow", "exact"' }
    ])
  })
})
