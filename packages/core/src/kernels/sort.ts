/**
 * Sorting kernels over contiguous data viewed as [outer, r, inner], one line of the middle axis
 * at a time. Order as PyTorch's CPU kernels: NaN is the greatest value, −0 equals +0, and equal
 * values keep their input order (a stable sort).
 */
import type { TypedArray } from "../dtype.js";

// A line of up to 2²¹ elements is sorted natively as float64 keys `orderBits · 2²¹ + position`:
// exact below 2⁵³, so equal values stay in input order. Float64 data has no 32-bit order key and
// takes the comparator path.
const PACK = 2 ** 21;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The 32-bit key that orders float32/int32/bool values as PyTorch compares them (NaN last). */
function orderKey(v: number, float: boolean): number {
  if (!float) return v + 2 ** 31;
  if (v !== v) return 0xffffffff;
  if (v === 0) return 0x80000000;
  f32[0] = v;
  const bits = u32[0];
  return bits >= 0x80000000 ? 0xffffffff - bits : bits + 0x80000000;
}

/**
 * Sorts every line: `values` gets the sorted elements and `indices` their positions in the line
 * (both laid out like the input, from 0). `descending` puts NaN first, as PyTorch.
 */
export function sortAxis(
  values: TypedArray, indices: Int32Array, x: TypedArray, off: number,
  outer: number, r: number, inner: number, descending: boolean,
): void {
  const packed = !(x instanceof Float64Array) && r <= PACK;
  const float = x instanceof Float32Array;
  const keys = packed ? new Float64Array(r) : null;
  const line = new Float64Array(r);
  const order = packed ? null : new Int32Array(r);
  const sign = descending ? -1 : 1;
  const compare = (a: number, b: number): number => {
    const va = line[a];
    const vb = line[b];
    if (va < vb) return -sign;
    if (va > vb) return sign;
    const na = va !== va;
    if (na !== (vb !== vb)) return na ? sign : -sign;
    return a - b;
  };
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * r * inner + i;
      for (let k = 0; k < r; k++) line[k] = x[off + start + k * inner];
      if (keys) {
        for (let k = 0; k < r; k++) {
          const key = orderKey(line[k], float);
          keys[k] = (descending ? 0xffffffff - key : key) * PACK + k;
        }
        keys.sort();
        for (let k = 0; k < r; k++) {
          const key = keys[k];
          const src = key - Math.floor(key / PACK) * PACK;
          values[start + k * inner] = line[src];
          indices[start + k * inner] = src;
        }
      } else {
        for (let k = 0; k < r; k++) order![k] = k;
        order!.sort(compare);
        for (let k = 0; k < r; k++) {
          values[start + k * inner] = line[order![k]];
          indices[start + k * inner] = order![k];
        }
      }
    }
  }
}

/** PyTorch's `gt_or_nan` of kthvalue: x > y, with NaN above everything. */
function gtOrNan(a: number, b: number): boolean {
  return (a !== a && b === b) || a > b;
}

/**
 * PyTorch's `quick_select_template` (aten/src/ATen/native/SortingUtils.h), ported step for step so
 * the index kthvalue picks among equal values is the one PyTorch picks: partitions `vals` (and
 * `idx` with it) so that position k holds the k-th smallest (0-based), NaN counting as largest.
 */
export function quickSelect(vals: Float64Array, idx: Int32Array, k: number): void {
  const swap = (i: number, j: number): void => {
    const v = vals[i]; vals[i] = vals[j]; vals[j] = v;
    const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
  };
  let L = 0;
  let R = vals.length - 1;
  for (;;) {
    if (R <= L) return;
    if (R === L + 1) {
      if (gtOrNan(vals[L], vals[R])) swap(L, R);
      return;
    }
    const P = L + ((R - L) >> 1);
    swap(P, L + 1);
    if (gtOrNan(vals[L + 1], vals[R])) swap(L + 1, R);
    if (gtOrNan(vals[L], vals[R])) swap(L, R);
    if (gtOrNan(vals[L + 1], vals[L])) swap(L + 1, L);
    let i = L + 1;
    let j = R;
    const piv = vals[L];
    for (;;) {
      do i++; while (gtOrNan(piv, vals[i]));
      do j--; while (gtOrNan(vals[j], piv));
      if (j < i) break;
      swap(i, j);
    }
    swap(L, j);
    if (j <= k) L = i;
    if (j >= k) R = j - 1;
  }
}
