import { defineConfig } from "vitest/config";

// Tests run from TypeScript sources: the "@tsgrad/source" export condition points every
// workspace package at its src/index.ts, so no build is needed before `pnpm test`.
const conditions = ["@tsgrad/source", "module", "node", "development|production"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@tsgrad/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/test/**/*.test.ts", "tools/doctest/*.test.ts", "tools/pytorch-api/*.test.ts", "tools/api-docs/*.test.ts", "tools/browser/*.test.ts", "tools/packaging/*.test.ts"],
    reporters: ["default", "./tools/summary-reporter.ts"],
    setupFiles: ["./tools/test-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
