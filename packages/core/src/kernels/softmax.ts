/**
 * Softmax-family kernels over contiguous data viewed as [outer, r, inner], along the middle axis.
 * Each row is shifted by its max before exp, so logits of ±1000 stay finite.
 *
 * Large inputs split across the thread pool by rows: the rows are independent, so each thread
 * computes whole rows with the same function ({@link softmaxLines}, whose source text the workers
 * compile) and the results are the one-thread results bit for bit.
 */
import type { TypedArray } from "../dtype.js";
import { getKernelMode } from "./elementwise.js";
import { PARALLEL_MAP_MIN, MIN_PER_THREAD, SHARED_ELEMENTS, splitEvenly } from "./parallel-map.js";
import { getNumThreads, runOnThreads, threadsFor, type Share } from "./threads.js";
import { releaseLargeMemory, sharedMemoryViews } from "./wasm/gemm.js";

/** Which function of the shifted row to write: softmax, log-softmax, or logsumexp (one value per row). */
export type SoftmaxKind = "softmax" | "logSoftmax" | "logsumexp";

/**
 * `kind` for the rows `j0 … j1 − 1` of `x` viewed as [outer, r, inner] from `inOff`, row j being
 * (o, i) = (⌊j / inner⌋, j mod inner), the r elements `inner` apart from o·r·inner + i. Writes `out`
 * from `outOff` in the same layout (logsumexp: entry j). Self-contained (Math and Float64Array
 * only): its source text is what the pool's workers compile, so it must name nothing outside it.
 */
export function softmaxLines(kind: SoftmaxKind, out: TypedArray, x: TypedArray, outOff: number, inOff: number, j0: number, j1: number, r: number, inner: number): void {
  // softmax keeps each exp (in float64, so the bits are those of computing it twice).
  const exps = kind === "softmax" ? new Float64Array(r) : null;
  for (let j = j0; j < j1; j++) {
    const o = Math.floor(j / inner);
    const rowStart = o * r * inner + j - o * inner;
    const base = inOff + rowStart;
    let m = -Infinity;
    for (let k = 0; k < r; k++) {
      const v = x[base + k * inner];
      if (v > m || v !== v) m = v;
    }
    // A row whose max is ±inf is shifted by 0 instead (PyTorch's logsumexp rule), so the
    // answer is ±inf rather than NaN.
    const shift = kind === "logsumexp" && (m === Infinity || m === -Infinity) ? 0 : m;
    let s = 0;
    if (exps !== null) {
      for (let k = 0; k < r; k++) {
        const e = Math.exp(x[base + k * inner] - shift);
        exps[k] = e;
        s += e;
      }
      const outBase = outOff + rowStart;
      for (let k = 0; k < r; k++) out[outBase + k * inner] = exps[k] / s;
    } else {
      for (let k = 0; k < r; k++) s += Math.exp(x[base + k * inner] - shift);
      if (kind === "logsumexp") {
        out[outOff + j] = Math.log(s) + shift;
      } else {
        const outBase = outOff + rowStart;
        const logS = Math.log(s);
        for (let k = 0; k < r; k++) out[outBase + k * inner] = x[base + k * inner] - shift - logS;
      }
    }
  }
}

/** Computes `kind` along the middle axis of `x` into `out` (logsumexp's `out` has outer·inner entries). */
export function softmaxAxis(kind: SoftmaxKind, out: TypedArray, x: TypedArray, off: number, outer: number, r: number, inner: number): void {
  if (!softmaxOnThreads(kind, out, x, off, outer, r, inner)) softmaxLines(kind, out, x, 0, off, 0, outer * inner, r, inner);
}

// The rows on the thread pool, whole outer blocks at a time through its shared memory; false (and
// nothing written) when the input is too small, a single outer block does not fit, or the pool
// cannot run here.
function softmaxOnThreads(kind: SoftmaxKind, out: TypedArray, x: TypedArray, off: number, outer: number, r: number, inner: number): boolean {
  const view = x instanceof Float32Array ? "f32" : x instanceof Float64Array ? "f64" : null;
  if (view === null || out.constructor !== x.constructor || outer * r * inner < PARALLEL_MAP_MIN) return false;
  if (getNumThreads() < 2 || getKernelMode() !== "compiled") return false;
  const blockIn = r * inner;
  const blockOut = kind === "logsumexp" ? inner : blockIn;
  const blocks = Math.min(outer, Math.floor(SHARED_ELEMENTS / (blockIn + blockOut)));
  if (blocks === 0) return false;
  const memory = sharedMemoryViews(blocks * (blockIn + blockOut) * x.BYTES_PER_ELEMENT);
  if (memory === null) return false;
  const threads = threadsFor(memory.instance, blocks * blockIn, blocks * inner, MIN_PER_THREAD);
  if (threads < 2) return false;
  const heap = view === "f32" ? memory.f32 : memory.f64;
  const js = `(${softmaxLines.toString()})(${JSON.stringify(kind)}, ${view}, ${view}, a, b, c, d, p, q);`;
  const outAt = blocks * blockIn;
  for (let o0 = 0; o0 < outer; o0 += blocks) {
    const count = Math.min(blocks, outer - o0);
    heap.set(x.subarray(off + o0 * blockIn, off + (o0 + count) * blockIn), 0);
    const shares: Share[] = splitEvenly(count * inner, threads).map(([start, length]) => [{ fn: `${kind} rows`, js, args: [outAt, 0, start, start + length] }]);
    runOnThreads(memory.instance, shares, [r, inner]);
    out.set(heap.subarray(outAt, outAt + count * blockOut), o0 * blockOut);
  }
  releaseLargeMemory();
  return true;
}
