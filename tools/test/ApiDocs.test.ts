import * as Path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { check, checkModule } from "../src/api-docs.ts"

const root = Path.resolve(import.meta.dirname, "../..")

describe("API documentation", () => {
  it("every public module of the published packages has a header and every export a doc comment", () => {
    expect(check(root).map((m) => `${m.file}:${m.line}: ${m.what}`)).toEqual([])
  })

  it("the checker finds an export without a doc comment and a module without a header", () => {
    const fixture = Path.join(import.meta.dirname, "fixtures/undocumented-module.ts")
    expect(checkModule(fixture, root).map((m) => m.what)).toEqual(["module header comment", "undocumented", "Shape"])
  })
})
