/**
 * The thread pool as the split-kernel tests use it: up to 4 threads whatever the machine has
 * (setCoreLimitForTesting), restored after the file; `on(n)` sets n threads and waits until all are up.
 * Shared by parallel-map.test.ts and parallel-softmax.test.ts.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { setNumThreads } from "@tsgrad/core";
import { setCoreLimitForTesting, setWorkersOnlyForTesting } from "../src/kernels/threads.js";
import { gemmThreadsReady } from "../src/kernels/wasm/gemm.js";

/** Registers the file's hooks: a pool of up to 4 threads before, the defaults back after. */
export function usePoolOfFour(): void {
  beforeAll(() => setCoreLimitForTesting(4));
  afterAll(() => {
    setWorkersOnlyForTesting(false);
    setCoreLimitForTesting(undefined);
    setNumThreads(64);
  });
}

/** Sets `threads` threads and waits until the pool has them all. */
export async function on(threads: number): Promise<void> {
  setNumThreads(threads);
  expect(await gemmThreadsReady()).toBe(threads);
}
