import { defineConfig } from "vitest/config"

/** One vitest run over every project: `npm test`. */
export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "benchmarks/test/**/*.test.ts", "tools/test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 2
  }
})
