/// <reference lib="dom" />
/**
 * The page of the thread-pool browser test (threads.test.ts): runs the same products and a short
 * training on 1 thread and on every core the page allows, and leaves on `window.__threads` what
 * it got: whether the page is cross-origin isolated, how many threads each run had, how many
 * calls the workers ran, and the numbers.
 */
import * as tg from "tsgrad";
import { threadStats } from "../../packages/core/src/kernels/threads.js";
import { gemmThreadsReady, wasmGemmKernel } from "../../packages/core/src/kernels/wasm/gemm.js";
import { threadsWorkload, type ThreadsWorkload } from "./workload.js";

export interface ThreadsPage {
  isolated: boolean;
  cores: number;
  /** The build of the GEMM kernels the page ran (wasm/gemm.ts). */
  gemmKernel: string | null;
  runs: { requested: number; threads: number; result: ThreadsWorkload }[];
  handOffs: number;
}

declare global {
  interface Window {
    __threads?: ThreadsPage | { crashed: string };
  }
}

async function main(): Promise<void> {
  const runs: ThreadsPage["runs"] = [];
  for (const requested of [1, navigator.hardwareConcurrency]) {
    tg.setNumThreads(requested);
    const threads = await gemmThreadsReady();
    runs.push({ requested, threads, result: threadsWorkload() });
  }
  window.__threads = { isolated: globalThis.crossOriginIsolated === true, cores: navigator.hardwareConcurrency, gemmKernel: wasmGemmKernel(), runs, handOffs: threadStats().handOffs };
}

main().catch((e: unknown) => {
  window.__threads = { crashed: String((e as Error)?.stack ?? e) };
});
