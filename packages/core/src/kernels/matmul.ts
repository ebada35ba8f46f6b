/**
 * Matrix-multiply kernels over typed arrays: C[m×n] = A[m×k] · B[k×n], A row-major.
 * `gemmNN` takes B row-major (i-k-j order: the inner loop streams a row of B and of C);
 * `gemmNT` takes B stored transposed (n×k row-major, as `x @ W.T` in a linear layer) and
 * computes dot products of contiguous rows with four accumulators.
 */
import type { TypedArray } from "../dtype.js";

/** C = A · B with B row-major [k×n]; C is overwritten. */
export function gemmNN(
  c: TypedArray, cOff: number, a: TypedArray, aOff: number, b: TypedArray, bOff: number,
  m: number, k: number, n: number,
): void {
  c.fill(0, cOff, cOff + m * n);
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * n;
    const ai = aOff + i * k;
    let p = 0;
    // Two rows of B per pass halves the loads and stores of C.
    for (; p + 1 < k; p += 2) {
      const a0 = a[ai + p];
      const a1 = a[ai + p + 1];
      const b0 = bOff + p * n;
      const b1 = b0 + n;
      for (let j = 0; j < n; j++) c[ci + j] += a0 * b[b0 + j] + a1 * b[b1 + j];
    }
    if (p < k) {
      const a0 = a[ai + p];
      const b0 = bOff + p * n;
      for (let j = 0; j < n; j++) c[ci + j] += a0 * b[b0 + j];
    }
  }
}

/** C = A · Bᵀ where `bt` holds Bᵀ as row-major [n×k]; C is overwritten. */
export function gemmNT(
  c: TypedArray, cOff: number, a: TypedArray, aOff: number, bt: TypedArray, bOff: number,
  m: number, k: number, n: number,
): void {
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * k;
    for (let j = 0; j < n; j++) {
      const bj = bOff + j * k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let p = 0;
      for (; p + 3 < k; p += 4) {
        s0 += a[ai + p] * bt[bj + p];
        s1 += a[ai + p + 1] * bt[bj + p + 1];
        s2 += a[ai + p + 2] * bt[bj + p + 2];
        s3 += a[ai + p + 3] * bt[bj + p + 3];
      }
      for (; p < k; p++) s0 += a[ai + p] * bt[bj + p];
      c[cOff + i * n + j] = s0 + s1 + s2 + s3;
    }
  }
}
