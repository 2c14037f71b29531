/** This package's options decoding: core's, failing with LayoutOptionsError. */
import { OptionDecoding } from "@ocr2word/core"
import type { Effect, Schema } from "effect"
import { LayoutOptionsError } from "../LayoutOptionsError.ts"

const make = (fields: { readonly option: string; readonly message: string }) => new LayoutOptionsError(fields)

export const decodeOptions = <A extends object>(
  schema: Schema.Codec<A, unknown>,
  expected: { readonly [K in keyof A]-?: string },
  input: unknown
): Effect.Effect<A, LayoutOptionsError> => OptionDecoding.decodeOptions(make, schema, expected, input)
