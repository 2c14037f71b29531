import { defaultServerConditions } from "vite"
import { defineConfig } from "vitest/config"

// The workspace runs @ocr2word/* from their TypeScript sources, through the `source` export
// condition: vitest resolves with it and starts its test processes (and so their worker threads)
// with it; the child processes tests start get it from NODE_OPTIONS (npm scripts and npx get it
// from .npmrc already, this covers vitest started some other way).
if (!/--conditions[= ]source\b/.test(process.env.NODE_OPTIONS ?? ""))
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --conditions=source`.trim()

/** One vitest run over every project: `npm test`. */
export default defineConfig({
  // vitest's own default minus `module`, which picks ESM builds Node cannot load (extensionless imports)
  ssr: { resolve: { conditions: ["source", ...defaultServerConditions.filter((c) => c !== "module")] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "benchmarks/test/**/*.test.ts", "tools/test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 2
  }
})
