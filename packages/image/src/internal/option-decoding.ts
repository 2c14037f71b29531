/** This package's options decoding: core's, failing with ImageOptionsError. */
import { OptionDecoding } from "@ocr2word/core"
import type { Effect, Schema } from "effect"
import { ImageOptionsError } from "../ImageOptionsError.ts"

const make = (fields: { readonly option: string; readonly message: string }) => new ImageOptionsError(fields)

export const decodeOptions = <A extends object>(
  schema: Schema.Codec<A, unknown>,
  expected: { readonly [K in keyof A]-?: string },
  input: unknown
): Effect.Effect<A, ImageOptionsError> => OptionDecoding.decodeOptions(make, schema, expected, input)
