/// <reference lib="dom" />
/**
 * The page of the browser tests: runs the browser subset of the unit tests (the test files that
 * need no Node module, unchanged, through vitest-shim.ts) and in-browser.ts, then the moons
 * workload, and leaves everything on `window.__tsgrad` for chromium.test.ts to read.
 */
import * as tg from "tsgrad";
import "../test-setup.js"; // the unit tests' poisoned uninitialized outputs, as under vitest
import { wasmGemmKernel } from "../../packages/core/src/kernels/wasm/gemm.js";
import { runFile, type Result } from "./vitest-shim.js";
import { trainMoons } from "./workload.js";

import { FILES as UNIT_TESTS } from "virtual:test-files";

/** Test files run on every page (strict CSP included): the browser subset (bundle.ts), and in-browser.ts. */
const FILES: Record<string, () => Promise<unknown>> = {
  ...(UNIT_TESTS as Record<string, () => Promise<unknown>>),
  "tools/browser/in-browser.ts": () => import("./in-browser.js"),
};
/** Only where eval is allowed (kernels-interpreted compares the compiled kernels with the interpreted ones). */
const EVAL_FILES = new Set(["packages/core/test/kernels-interpreted.test.ts"]);

declare global {
  interface Window {
    __tsgrad?: { results: Result[]; kernelMode: string; gemmKernel: string | null; moons: ReturnType<typeof trainMoons>; ms: number } | { crashed: string };
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const kernelMode = tg.getKernelMode();
  const results: Result[] = [];
  const files = Object.fromEntries(Object.entries(FILES).filter(([f]) => kernelMode === "compiled" || !EVAL_FILES.has(f)));
  for (const [file, register] of Object.entries(files)) {
    await runFile(file, register, results);
    tg.setKernelMode("auto");
    tg.manualSeed(0);
  }
  const moons = trainMoons();
  window.__tsgrad = { results, kernelMode, gemmKernel: wasmGemmKernel(), moons, ms: performance.now() - t0 };
  document.body.textContent = `${results.filter((r) => r.status === "passed").length} passed, ${results.filter((r) => r.status === "failed").length} failed`;
}

main().catch((e: unknown) => {
  window.__tsgrad = { crashed: String((e as Error)?.stack ?? e) };
});
