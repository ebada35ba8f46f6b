/**
 * Large elementwise maps on the thread pool. Tensors live in ordinary ArrayBuffers, which workers
 * cannot read, so the inputs are copied into the pool's shared WebAssembly memory, every thread
 * runs the op's own expression over its range of elements, and the result is copied out. The
 * copies are cheap next to the loop: 0.1 ms for 4 MB, against 1.8–2.0 ms for `add` over 2²⁰
 * float32 and 14.5 ms for `exp` (`Math.exp` and friends cost 13–60 ns an element in V8).
 *
 * Every thread compiles the same loop text (threads.ts's JS kernels): the loop of the one-thread
 * kernel (elementwise.ts), reading each input as a float and storing through a typed array of the
 * output's type, so each element gets the same bits whichever thread computes it and however the
 * range is split. Used only for float32 and float64 inputs and outputs of one dtype, contiguous,
 * where the expression calls no named helper (erf, lgamma, ...: the workers do not have them),
 * and where eval is allowed (compiled kernels).
 */
import type { DType, TypedArray } from "../dtype.js";
import { allocateUninitialized } from "../dtype.js";
import { callsHelper, getKernelMode } from "./elementwise.js";
import { getNumThreads, runOnThreads, threadsFor, type Share } from "./threads.js";
import { releaseLargeMemory, sharedMemoryViews } from "./wasm/gemm.js";

/** Elements below which a map stays on the calling thread (measured: `add` gains from about 2¹⁷). */
export const PARALLEL_MAP_MIN = 1 << 17;
// Only maps that call a transcendental Math function split: plain arithmetic (x + y, x * y, and
// clamps with Math.min / Math.max) runs at 1.8 ns an element on one thread, and the copies and
// the hand-off ate the second core's share (add over 2²⁰ float32: 1.9 ms on one thread, 2.8 ms split).
const CALLS_MATH = /\bMath\.(exp|expm1|log|log1p|log2|log10|pow|cbrt|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|hypot)\(/;
/** Each thread's range is at least this many elements (so 2 threads from PARALLEL_MAP_MIN on). */
export const MIN_PER_THREAD = 1 << 16;
// Elements per pass through the shared memory: 3 float64 arrays of it fit the 8 MiB the GEMM's
// instance keeps (a larger memory is dropped after use, and the pool restarted with the next one).
const CHUNK = 1 << 18;
/** The elements (inputs and output together) one pass may put in the shared memory. */
export const SHARED_ELEMENTS = 3 * CHUNK;

/** `length` items split among `threads` as [start, count] ranges, the first `length mod threads` one longer. */
export function splitEvenly(length: number, threads: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let t = 0, start = 0; t < threads; t++) {
    const count = Math.floor(length / threads) + (t < length % threads ? 1 : 0);
    ranges.push([start, count]);
    start += count;
  }
  return ranges;
}

// The JS kernel (threads.ts) of `expr` over `names`, reading from f32 or f64: a = output index,
// b, c = the inputs' indices, d = the element count, all in elements of the views.
function loopBody(names: readonly string[], expr: string, view: "f32" | "f64"): string {
  const reads = names.map((n, i) => `const ${n} = ${view}[${i === 0 ? "b" : "c"} + i];`).join(" ");
  return `let t = 0, u = 0; for (let i = 0; i < d; i++) { ${reads} ${view}[a + i] = ${expr}; }`;
}

/**
 * `expr` over `inputs` (one or two contiguous arrays of `dtype`, `n` elements from each offset)
 * into a new array of `dtype` on the thread pool; null when the map is not worth splitting or the
 * pool cannot run it here (then the caller runs its one-thread kernel, with the same results).
 */
export function mapOnThreads(names: readonly string[], expr: string, dtype: DType, inputs: ReadonlyArray<{ data: TypedArray; offset: number }>, n: number, p: number, q: number): TypedArray | null {
  if (n < PARALLEL_MAP_MIN || (dtype !== "float32" && dtype !== "float64") || getNumThreads() < 2) return null;
  if (getKernelMode() !== "compiled" || callsHelper(expr) || !CALLS_MATH.test(expr)) return null;
  const chunk = Math.min(n, CHUNK);
  const memory = sharedMemoryViews((inputs.length + 1) * chunk * (dtype === "float32" ? 4 : 8));
  if (memory === null) return null;
  const threads = threadsFor(memory.instance, chunk, Math.floor(chunk / MIN_PER_THREAD), MIN_PER_THREAD);
  if (threads < 2) return null;
  const heap = dtype === "float32" ? memory.f32 : memory.f64;
  const js = loopBody(names, expr, dtype === "float32" ? "f32" : "f64");
  const out = allocateUninitialized(dtype, n);
  for (let from = 0; from < n; from += chunk) {
    const length = Math.min(chunk, n - from);
    inputs.forEach(({ data, offset }, i) => heap.set(data.subarray(offset + from, offset + from + length), (i + 1) * chunk));
    const shares: Share[] = splitEvenly(length, threads).map(([start, part]) => [{ fn: `map ${expr}`, js, args: [start, chunk + start, 2 * chunk + start, part] }]);
    runOnThreads(memory.instance, shares, [p, q]);
    out.set(heap.subarray(0, length), from);
  }
  releaseLargeMemory();
  return out;
}
