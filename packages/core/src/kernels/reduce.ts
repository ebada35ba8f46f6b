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
  if (r * inner <= COLUMN_SUM_MAX) return sumColumns(out, x, off, outer, r, inner);
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

// Elements of one [r, inner] slab up to which sumColumns walks it column by column: while the
// slab stays in cache, rereading its lines once per group of 4 columns costs less than the
// loads and stores of a row of accumulators per step (about 4× faster on a [128, 256] bias gradient).
const COLUMN_SUM_MAX = 1 << 18;

/** {@link sumAxis}'s inner > 1 case, 4 columns at a time in registers; the same order of additions, so the same sums. */
function sumColumns(out: TypedArray, x: TypedArray, off: number, outer: number, r: number, inner: number): void {
  const span = r * inner;
  for (let o = 0; o < outer; o++) {
    const start = off + o * span;
    const at = o * inner;
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let p = start + i, end = p + span; p < end; p += inner) {
        a0 += x[p];
        a1 += x[p + 1];
        a2 += x[p + 2];
        a3 += x[p + 3];
      }
      out[at + i] = a0;
      out[at + i + 1] = a1;
      out[at + i + 2] = a2;
      out[at + i + 3] = a3;
    }
    for (; i < inner; i++) {
      let a = 0;
      for (let p = start + i, end = p + span; p < end; p += inner) a += x[p];
      out[at + i] = a;
    }
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
