/**
 * Prints a workload of workload.ts as Node computes it, as JSON: `moons` or `threads` (argv), with
 * the build of the GEMM kernels it ran on. The browser tests run it in a child process started with
 * the flags that give Node the kernel build Chromium picked (`--experimental-wasm-relaxed-simd`
 * for the relaxed-SIMD one), since the fused and the unfused builds round differently.
 */
import { wasmGemmKernel } from "../../packages/core/src/kernels/wasm/gemm.js";
import { threadsWorkload, trainMoons } from "./workload.js";

const which = process.argv[2];
if (which !== "moons" && which !== "threads") throw new Error(`node-workload: expected "moons" or "threads", got ${which}`);
console.log(JSON.stringify({ kernel: wasmGemmKernel(), result: which === "moons" ? trainMoons() : threadsWorkload() }));
