#!/usr/bin/env node
/**
 * The `ocr2word` executable that npm links into node_modules/.bin.
 *
 * Installed from npm, it runs the compiled `dist/bin.js`. In the ocr2word workspace, where
 * `src/` sits beside it, it runs the TypeScript sources (Node 24 strips the types) and resolves
 * the other `@ocr2word/*` packages to their sources too, through the `source` export condition:
 * the workspace's `.npmrc` sets `--conditions=source` for npm scripts and npx; when the bin is
 * started some other way the condition is added here, for this process and the ones it starts.
 */
import { existsSync } from "node:fs"
import { registerHooks } from "node:module"

const source = new URL("../src/bin.ts", import.meta.url)
if (existsSync(source)) {
  if (!import.meta.resolve("@ocr2word/cli").endsWith(".ts")) {
    registerHooks({
      resolve: (specifier, context, next) =>
        next(specifier, { ...context, conditions: [...context.conditions, "source"] })
    })
    process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --conditions=source`.trim()
  }
  await import(source.href)
} else {
  await import("../dist/bin.js")
}
