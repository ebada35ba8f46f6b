/** Bundles the browser test page (page.ts) with esbuild: sources, "vitest" aliased to the shim. */
import { fileURLToPath } from "node:url";
import { readFileSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { build, type Plugin } from "esbuild";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Each test file and test helper sees its own served URL (/repo/<path>) as `import.meta.url`, so
 * the fixtures it reads relative to itself come from the test server.
 */
const ownUrl: Plugin = {
  name: "own-import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\/(packages\/[^/]+\/test|tools)\/.*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const path = relative(root, args.path).split("\\").join("/");
      return { contents: text.replaceAll("import.meta.url", `new URL(${JSON.stringify(`/repo/${path}`)}, location.href).href`), loader: "ts" };
    });
  },
};

/**
 * Test files that need a Node module beyond reading fixtures, or the eval the strict page forbids,
 * and so cannot run in the page as they are (the reason for each).
 */
export const NODE_ONLY: Readonly<Record<string, string>> = {
  "packages/core/test/functional.test.ts": "reads functional.generated.ts and tensor.ts from the file system",
  "packages/core/test/parallel-map.test.ts": "needs the thread pool, which the test page (not cross-origin isolated) cannot start",
  "packages/core/test/large-storage.test.ts": "allocates a 3 GiB uint8 storage, more than a browser tab may hold",
  "packages/core/test/parallel-softmax.test.ts": "needs the thread pool, which the test page (not cross-origin isolated) cannot start",
};

/**
 * The browser subset: every packages/ * /test/*.test.ts whose only Node import is `readFileSync`
 * from node:fs (for fixtures), that uses no `vi` (the shim has no mocks) and does not import a
 * Node-only entry (`tsgrad/node`, `@tsgrad/core/node`: file IO), except {@link NODE_ONLY}.
 */
export function browserTestFiles(): string[] {
  const out: string[] = [];
  for (const pkg of readdirSync(`${root}packages`).sort()) {
    const dir = `packages/${pkg}/test`;
    for (const name of readdirSync(`${root}${dir}`).filter((f) => f.endsWith(".test.ts")).sort()) {
      const file = `${dir}/${name}`;
      const text = readFileSync(`${root}${file}`, "utf8");
      const nodeImports = [...text.matchAll(/^import .* from "node:[^"]+";$/gm)].map((m) => m[0]);
      const mocks = /^import \{[^}]*\bvi\b[^}]*\} from "vitest";$/m.test(text);
      const nodeEntry = /^import .* from "(tsgrad|@tsgrad\/core)\/node";$/m.test(text);
      if (nodeImports.every((line) => line === 'import { readFileSync } from "node:fs";') && !mocks && !nodeEntry && !Object.hasOwn(NODE_ONLY, file)) out.push(file);
    }
  }
  return out;
}

/** `virtual:test-files`: a loader per browser test file, by path. */
const testFiles: Plugin = {
  name: "test-files",
  setup(b) {
    b.onResolve({ filter: /^virtual:test-files$/ }, () => ({ path: "test-files", namespace: "virtual" }));
    b.onLoad({ filter: /.*/, namespace: "virtual" }, () => ({
      contents: `export const FILES = {\n${browserTestFiles().map((f) => `  ${JSON.stringify(f)}: () => import(${JSON.stringify(`${root}${f}`)}),`).join("\n")}\n};`,
      loader: "js", resolveDir: root,
    }));
  },
};

/** The page's script, as one ES module's text. */
export async function bundleTestPage(): Promise<string> {
  const result = await build({
    entryPoints: ["tools/browser/page.ts"], absWorkingDir: root, bundle: true, write: false, format: "esm",
    platform: "browser", target: "es2022", conditions: ["@tsgrad/source"], alias: { vitest: "./tools/browser/vitest-shim.ts", "node:fs": "./tools/browser/fs-shim.ts" }, plugins: [ownUrl, testFiles],
    logLevel: "silent", sourcemap: "inline",
  });
  return result.outputFiles[0].text;
}

/** `tsgrad.min.js` as packages/tsgrad's build:script makes it: one IIFE setting the global `tsgrad`. */
export async function bundleScriptTag(): Promise<string> {
  const result = await build({
    entryPoints: ["packages/tsgrad/src/index.ts"], absWorkingDir: root, bundle: true, minify: true, write: false, format: "iife",
    globalName: "tsgrad", platform: "browser", target: "es2022", conditions: ["@tsgrad/source"], logLevel: "silent",
  });
  return result.outputFiles[0].text;
}
