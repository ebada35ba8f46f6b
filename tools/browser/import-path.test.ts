/**
 * One code base, every runtime (issue 11): the main entries bundle for the browser. esbuild
 * bundles `tsgrad` (and so every @tsgrad/* package) with `platform: "browser"`; the bundle must
 * resolve without a Node module, use no `Buffer` or `process` global, and reach Node-only code only
 * through the `tsgrad/node` entry, which must stay the one place that imports `node:fs`. Where
 * the main entries use a Node builtin when it is there (worker_threads for the thread pool,
 * Buffer.allocUnsafeSlow for unzeroed outputs), they ask `globalThis.process?.getBuiltinModule`,
 * which a browser lacks, so the bundle names no global of Node's.
 */
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

async function bundle(entry: string): Promise<{ text: string; inputs: string[]; imports: string[] }> {
  const result = await build({
    entryPoints: [entry], absWorkingDir: root, bundle: true, write: false, format: "esm",
    platform: "browser", conditions: ["@tsgrad/source"], metafile: true, logLevel: "silent",
  });
  const meta = result.metafile as Metafile;
  const imports = Object.values(meta.inputs).flatMap((i) => i.imports.map((x) => x.path));
  return { text: result.outputFiles[0].text, inputs: Object.keys(meta.inputs), imports };
}

describe("the main entries import no Node module", () => {
  it("tsgrad bundles for the browser with no node: import, no Buffer global and no process global", async () => {
    const { text, inputs, imports } = await bundle("packages/tsgrad/src/index.ts");
    expect(imports.filter((p) => p.startsWith("node:") || /^(fs|path|os|buffer|crypto|url)$/.test(p))).toEqual([]);
    expect(inputs.filter((p) => /^packages\/[a-z]+\/src\/node\.ts$/.test(p))).toEqual([]);
    expect(text).not.toMatch(/(?<![.\w$])Buffer\b/); // `mod.Buffer` of a builtin asked for is fine
    expect(text).not.toMatch(/\bprocess\./);
    expect(text).toMatch(/\.process\?\.getBuiltinModule\?\.\("node:buffer"\)/);
  });

  it("no eval-based dependency is on the import path, and tsgrad's own new Function is the guarded kernel compilers alone", async () => {
    const { text, inputs } = await bundle("packages/tsgrad/src/index.ts");
    // Bundled, audited pure-JS dependencies (no eval, no new Function; the bundle's text is checked
    // below with them in it): the SHA-256 of safetensors checksums and the zip reader of loadTorch.
    const audited = /node_modules\/(@noble\/hashes|fflate)\//;
    expect(inputs.filter((p) => p.includes("node_modules") && !audited.test(p))).toEqual([]);
    // canEval()'s probe, compiledKernel(), and the thread pool's JS kernels (kernels/threads.ts: the
    // main thread's compile and the worker source's), which kernels/parallel-map.ts and
    // kernels/softmax.ts only build in compiled mode, where canEval() allowed it.
    expect(text.match(/new Function\(/g)).toHaveLength(4);
    expect(text).not.toMatch(/[^.\w]eval\((?!\))/); // a global eval(...) call (Module.eval() takes no argument)
  });

  it("the Node entry is where node:fs comes in (and a browser bundle of it fails to resolve)", async () => {
    await expect(bundle("packages/tsgrad/src/node.ts")).rejects.toThrow(/node:fs/);
  });
});
