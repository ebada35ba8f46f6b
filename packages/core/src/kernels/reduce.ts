/**
 * Axis-reduction kernels over contiguous data viewed as [outer, r, inner], reducing the middle
 * axis. Float sums accumulate in float64 whatever the input dtype.
 */
import type { TypedArray } from "../dtype.js";

/** The [outer, r, inner] split of `shape` around `dim`. */
export function splitAt(shape: readonly number[], dim: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape[dim], inner];
}

/** Sums the middle axis into `out` (length outer·inner). */
export function sumAxis(out: TypedArray, x: TypedArray, off: number, outer: number, r: number, inner: number): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let acc = 0;
      const base = off + o * r;
      for (let k = 0; k < r; k++) acc += x[base + k];
      out[o] = acc;
    }
    return;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    for (let k = 0; k < r; k++) {
      const base = off + (o * r + k) * inner;
      for (let i = 0; i < inner; i++) acc[i] += x[base + i];
    }
    out.set(acc, o * inner);
  }
}

/** Multiplies out the middle axis into `out` (length outer·inner), in float64. */
export function prodAxis(out: TypedArray, x: TypedArray, off: number, outer: number, r: number, inner: number): void {
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(1);
    for (let k = 0; k < r; k++) {
      const base = off + (o * r + k) * inner;
      for (let i = 0; i < inner; i++) acc[i] *= x[base + i];
    }
    out.set(acc, o * inner);
  }
}

/**
 * Max (sign = 1) or min (sign = −1) of the middle axis into `values`, and, when `indices` is given,
 * the position of the first extreme (NaN counts as the extreme and propagates, as in PyTorch).
 */
export function extremeAxis(
  values: TypedArray | null, indices: Int32Array | null, x: TypedArray, off: number,
  outer: number, r: number, inner: number, sign: 1 | -1,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let p = off + o * r * inner + i;
      let best = x[p];
      let bestK = 0;
      for (let k = 1; k < r; k++) {
        p += inner;
        const v = x[p];
        if (best !== best) break;
        if ((sign === 1 ? v > best : v < best) || v !== v) {
          best = v;
          bestK = k;
        }
      }
      if (values) values[o * inner + i] = best;
      if (indices) indices[o * inner + i] = bestK;
    }
  }
}
