#!/usr/bin/env node
/**
 * The `ocr2word` executable that npm links into node_modules/.bin.
 *
 * Installed from npm, it runs the compiled `dist/bin.js`. In the ocr2word workspace, where
 * `src/` sits beside it, it runs the TypeScript sources (Node 24 strips the types) and resolves
 * the other `@ocr2word/*` packages to their sources too, through the `source` export condition:
 * the workspace's `.npmrc` sets `--conditions=source` for npm scripts and npx; when the bin is
 * started some other way the condition is added here, for this process and the ones it starts.
 * An older Node gets one line saying so instead of a syntax error from deep inside.
 */
import { existsSync } from "node:fs"
import * as Module from "node:module"

const major = Number(process.versions.node.split(".")[0])
if (major < 24) {
  process.stderr.write(
    `ocr2word needs Node 24 or later, but this is Node ${process.versions.node} (${process.execPath}): ` +
      "install Node 24, or run it with `npx ocr2word` in a project that has the `node@24` package.\n"
  )
  process.exit(1)
}

const source = new URL("../src/bin.ts", import.meta.url)
if (existsSync(source)) {
  if (!import.meta.resolve("@ocr2word/cli").endsWith(".ts")) {
    Module.registerHooks({
      resolve: (specifier, context, next) =>
        next(specifier, { ...context, conditions: [...context.conditions, "source"] })
    })
    process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --conditions=source`.trim()
  }
  await import(source.href)
} else {
  await import("../dist/bin.js")
}
