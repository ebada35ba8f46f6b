import { defineConfig } from "vitest/config";

// The docs-site check runs on the built docs (docs/api), after `pnpm docs:api`: see site.test.ts.
export default defineConfig({
  test: {
    include: ["tools/docs-site/*.test.ts"],
    reporters: ["default"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
