/**
 * Loops over strided views (data, offset, strides, shape): fill, copy and add-into, for views
 * that are not contiguous (transposed, sliced, flipped, broadcast sources). Plain loops, no code
 * generation, so they run under any Content-Security-Policy. The outer dims are walked once per
 * row; the inner loop runs along the last dim with each view's last stride.
 */
import type { TypedArray } from "../dtype.js";

/** A strided view of `data`: element (i0, i1, …) is `data[offset + Σ ik·strides[k]]`. */
export interface StridedView {
  readonly data: TypedArray;
  readonly offset: number;
  readonly strides: readonly number[];
  readonly shape: readonly number[];
}

/**
 * Calls `row(a, b)` with the offsets of the first element of each row (all dims but the last) of
 * two views of one shape: `a` in view A's data, `b` in view B's. A 0-d shape is one row of one.
 */
function forEachRow(shape: readonly number[], aOff: number, aStr: readonly number[], bOff: number, bStr: readonly number[], row: (a: number, b: number) => void): void {
  const nd = shape.length;
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= shape[d];
  if (rows === 0 || (nd > 0 && shape[nd - 1] === 0)) return;
  const idx = new Array<number>(Math.max(nd - 1, 0)).fill(0);
  let a = aOff;
  let b = bOff;
  for (let r = 0; r < rows; r++) {
    row(a, b);
    for (let d = nd - 2; d >= 0; d--) {
      a += aStr[d];
      b += bStr[d];
      if (++idx[d] < shape[d]) break;
      a -= aStr[d] * shape[d];
      b -= bStr[d] * shape[d];
      idx[d] = 0;
    }
  }
}

const last = (v: StridedView): number => (v.shape.length ? v.strides[v.shape.length - 1] : 0);
const rowLength = (v: StridedView): number => (v.shape.length ? v.shape[v.shape.length - 1] : 1);

/** Sets every element of the view to `value`. */
export function fillStrided(dst: StridedView, value: number): void {
  const out = dst.data;
  const s = last(dst);
  const n = rowLength(dst);
  forEachRow(dst.shape, dst.offset, dst.strides, 0, dst.strides, (o) => {
    for (let j = 0; j < n; j++, o += s) out[o] = value;
  });
}

/** `dst = src` (or `dst += src` with `accumulate`) element by element, in order, over views of one shape. */
function combine(dst: StridedView, src: StridedView, accumulate: boolean): void {
  const out = dst.data;
  const from = src.data;
  const so = last(dst);
  const si = last(src);
  const n = rowLength(dst);
  forEachRow(dst.shape, dst.offset, dst.strides, src.offset, src.strides, (o, i) => {
    if (accumulate) for (let j = 0; j < n; j++, o += so, i += si) out[o] += from[i];
    else for (let j = 0; j < n; j++, o += so, i += si) out[o] = from[i];
  });
}

/** Copies `src` into `dst` element by element (same shape; the store converts the dtype). */
export function copyStrided(dst: StridedView, src: StridedView): void {
  combine(dst, src, false);
}

/** `dst += src` element by element (same shape), in order, so overlapping `dst` elements add up. */
export function addIntoStrided(dst: StridedView, src: StridedView): void {
  combine(dst, src, true);
}
