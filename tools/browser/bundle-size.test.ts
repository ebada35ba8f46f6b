/**
 * Bundle sizes and names under minification (issue 11). esbuild bundles, minifies and tree-shakes
 * the sources for the browser; the gzip sizes of `{ tensor }` alone and of the whole library must
 * stay within their budgets (twice what they were when the budget was set, so the library cannot
 * silently double), and a minified bundle must still print a model with its real class
 * names (the `typeName` statics).
 */
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Twice what was measured on 2026-12-02 at 05:50 UTC (50.0 KB and 154.0 KB, gzip -9 of esbuild's
 * minified ESM; docs/browser.md): growing past it is a decision (raise the budget and say why).
 * First set at 00:24 UTC the same day on 39.8 KB and 80.3 KB; raised at 05:50 because the whole
 * library had nearly doubled by real additions (about 90 core ops, the conv/norm/recurrent/attention
 * layers, every loss, the data toolkit: minified, core 230 KB, nn 122 KB, optim 44 KB, data 38 KB,
 * losses 25 KB, the .pt/safetensors readers' fflate and SHA-256 10 KB), not by bloat.
 */
const BUDGET = { tensorOnly: 100_000, whole: 310_000 };

async function minified(contents: string, format: "esm" | "iife" = "esm"): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: "ts" }, bundle: true, minify: true, write: false, format,
    platform: "browser", target: "es2022", conditions: ["@tsgrad/source"], logLevel: "silent", treeShaking: true,
  });
  return result.outputFiles[0].text;
}

const gz = (text: string): number => gzipSync(text, { level: 9 }).length;

describe("bundle sizes", () => {
  it("{ tensor } alone and the whole library stay within their gzip budgets", async () => {
    const tensorOnly = gz(await minified('export { tensor } from "tsgrad";'));
    const whole = gz(await minified('export * from "tsgrad";'));
    console.log(`bundle sizes (minified + gzip -9): { tensor } ${tensorOnly} B, whole library ${whole} B`);
    expect(tensorOnly).toBeLessThan(BUDGET.tensorOnly);
    expect(whole).toBeLessThan(BUDGET.whole);
    expect(tensorOnly).toBeLessThan(whole);
  });

  it("a minified bundle prints a model with its real class names", async () => {
    const code = await minified(`
      import { nn } from "tsgrad";
      const model = new nn.Sequential(new nn.Linear(2, 4), new nn.ReLU(), new nn.Dropout(0.1), new nn.Linear(4, 1), new nn.Sigmoid());
      globalThis.__printed = model.toString();
    `, "iife");
    const scope = globalThis as { __printed?: string };
    new Function(code)();
    expect(scope.__printed).toBe(
      "Sequential(\n  (0): Linear(inFeatures=2, outFeatures=4, bias=true)\n  (1): ReLU()\n  (2): Dropout(p=0.1)\n  (3): Linear(inFeatures=4, outFeatures=1, bias=true)\n  (4): Sigmoid()\n)",
    );
    delete scope.__printed;
  });
});
