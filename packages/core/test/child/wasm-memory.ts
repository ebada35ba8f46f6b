/**
 * Run by wasm-memory.test.ts in a child process (`node --expose-gc --import tsx`): makes the
 * operands of a [1, k] @ [k, 1] product (k from argv) and one small product (the WASM kernel
 * loaded), then prints as JSON the resident set size before and after the big product, each after
 * a full GC, with the product and the kernel's memory size.
 */
import { ones } from "@tsgrad/core";
import { wasmGemmMemoryBytes } from "../../src/kernels/wasm/gemm.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("wasm-memory child: run with node --expose-gc");
const settledRss = (): number => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().rss;
};

const k = Number(process.argv[2]);
const [a, b] = [ones([1, k]), ones([k, 1])];
ones([64, 64]).matmul(ones([64, 64]));
const before = settledRss();
const product = a.matmul(b).item();
const after = settledRss();
console.log(JSON.stringify({ before, after, product, kernelBytes: wasmGemmMemoryBytes() }));
