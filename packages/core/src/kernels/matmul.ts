/**
 * The matrix-multiply kernel: C[m×n] = A[m×k] · B[k×n] with A row-major (or, optionally,
 * transposed: a weight gradient's gᵀ as g lies) and B given TRANSPOSED (`bt`, n×k row-major, the
 * layout of a Linear layer's weight in `x @ W.T`) or, optionally, as it is. Floating-point
 * products of at least WASM_GEMM_MIN_WORK multiply-adds run in WebAssembly SIMD (wasm/gemm.wat;
 * fused multiply-adds where the runtime has relaxed SIMD): float32 ~10× faster than JS on 1024²,
 * summing k in float32 over blocks of 256 steps whose sums add up in float64 (so long products
 * are as accurate as PyTorch's, or more); float64 ~4× faster with the JS kernel's sums bit for
 * bit. The rest (int32, small products, and every product where WASM SIMD is missing) run in JS:
 * every output is a dot product of two contiguous rows; a 4×4 register block computes 16 of them
 * per pass over k, so each loaded element is used four times (measured ~2.5× faster than the
 * plain i-k-j loop on 1024² float32). JS accumulates in float64.
 */
import type { DType, TypedArray } from "../dtype.js";
import { gemmWasm, type WasmFloatArray } from "./wasm/gemm.js";

/**
 * The least m·k·n sent to the WASM kernel: below it copying the operands into WASM memory costs
 * more than the SIMD loop saves (measured crossover between 250 and 1000 on the dev machine, for
 * float32 and float64 alike).
 */
export const WASM_GEMM_MIN_WORK = 1024;

/** True when `gemm` hands this product to the WASM kernel (if the runtime has WASM SIMD). */
export function wasmGemmApplies(dtype: DType, m: number, k: number, n: number): boolean {
  return (dtype === "float32" || dtype === "float64") && m * k * n >= WASM_GEMM_MIN_WORK;
}

// True when all three arrays are Float32Array, or all Float64Array.
function sameFloatType(c: TypedArray, a: TypedArray, b: TypedArray): boolean {
  if (c instanceof Float32Array) return a instanceof Float32Array && b instanceof Float32Array;
  return c instanceof Float64Array && a instanceof Float64Array && b instanceof Float64Array;
}

/**
 * How `gemm`'s B operand is stored, both row-major: "nk" is Bᵀ (n×k, the default, a Linear weight
 * as it lies), "kn" is B itself (k×n). The WASM kernel packs either directly; JS transposes "kn".
 */
export type BLayout = "nk" | "kn";

/**
 * How `gemm`'s A operand is stored, both row-major: "mk" is A itself (m×k, the default), "km" is
 * Aᵀ (k×m: the gᵀ of a weight gradient gᵀ·x, as g lies). The WASM kernel packs either directly;
 * JS transposes "km".
 */
export type ALayout = "mk" | "km";

// The rows×cols row-major matrix at src[off..] transposed, into a new array of its type.
function transposed(src: TypedArray, off: number, rows: number, cols: number): TypedArray {
  const t = new (src.constructor as new (length: number) => TypedArray)(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) t[j * rows + i] = src[off + i * cols + j];
  }
  return t;
}

/**
 * C = A · B, i.e. C[i][j] = Σ_p A[i][p]·B[p][j] with A stored as `aLayout` says and B as `bLayout`
 * says; C is overwritten.
 */
export function gemm(
  c: TypedArray, cOff: number, a: TypedArray, aOff: number, b: TypedArray, bOff: number,
  m: number, k: number, n: number, bLayout: BLayout = "nk", aLayout: ALayout = "mk",
): void {
  const wasm = m * k * n >= WASM_GEMM_MIN_WORK && sameFloatType(c, a, b);
  if (wasm && gemmWasm(c as WasmFloatArray, cOff, a as WasmFloatArray, aOff, b as WasmFloatArray, bOff, m, k, n, bLayout, aLayout)) return;
  const [rowsA, rowsAOff] = aLayout === "mk" ? [a, aOff] : [transposed(a, aOff, k, m), 0];
  const [bt, btOff] = bLayout === "nk" ? [b, bOff] : [transposed(b, bOff, k, n), 0];
  gemmJs(c, cOff, rowsA, rowsAOff, bt, btOff, m, k, n);
}

/** `gemm` in plain JS, for every dtype: float64 sums, so float32 results are rounded once. */
export function gemmJs(
  c: TypedArray, cOff: number, a: TypedArray, aOff: number, bt: TypedArray, bOff: number,
  m: number, k: number, n: number,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = aOff + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    const c0 = cOff + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    for (let j = 0; j < n4; j += 4) {
      const b0 = bOff + j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let p = 0; p < k; p++) {
        const y0 = bt[b0 + p], y1 = bt[b1 + p], y2 = bt[b2 + p], y3 = bt[b3 + p];
        const x0 = a[a0 + p];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        const x1 = a[a1 + p];
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        const x2 = a[a2 + p];
        s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
        const x3 = a[a3 + p];
        s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
      }
      c[c0 + j] = s00; c[c0 + j + 1] = s01; c[c0 + j + 2] = s02; c[c0 + j + 3] = s03;
      c[c1 + j] = s10; c[c1 + j + 1] = s11; c[c1 + j + 2] = s12; c[c1 + j + 3] = s13;
      c[c2 + j] = s20; c[c2 + j + 1] = s21; c[c2 + j + 2] = s22; c[c2 + j + 3] = s23;
      c[c3 + j] = s30; c[c3 + j + 1] = s31; c[c3 + j + 2] = s32; c[c3 + j + 3] = s33;
    }
    for (let j = n4; j < n; j++) dotColumn(c, cOff, a, aOff, bt, bOff, i, i + 4, j, k, n);
  }
  for (let j = 0; j < n; j++) dotColumn(c, cOff, a, aOff, bt, bOff, m4, m, j, k, n);
}

// The leftover outputs C[i0..i1)[j], one dot product each.
function dotColumn(
  c: TypedArray, cOff: number, a: TypedArray, aOff: number, bt: TypedArray, bOff: number,
  i0: number, i1: number, j: number, k: number, n: number,
): void {
  const bj = bOff + j * k;
  for (let i = i0; i < i1; i++) {
    const ai = aOff + i * k;
    let s = 0;
    for (let p = 0; p < k; p++) s += a[ai + p] * bt[bj + p];
    c[cOff + i * n + j] = s;
  }
}
