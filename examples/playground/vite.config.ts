/**
 * The playground's build: a static site in dist/ with relative paths (it opens from any folder or
 * server, offline), tsgrad bundled from its TypeScript sources (the @tsgrad/source condition), and
 * the training worker as an ES module. `pnpm playground` builds it and serves it on 127.0.0.1.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  resolve: { conditions: ["@tsgrad/source", "module", "browser", "development|production"] },
  worker: { format: "es" },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", reportCompressedSize: false, rolldownOptions: { checks: { pluginTimings: false } } },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1", port: 4173 },
});
