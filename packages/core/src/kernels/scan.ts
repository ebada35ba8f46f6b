/**
 * Scan kernels over contiguous data viewed as [outer, r, inner], scanning the middle axis. Running
 * values are kept in float64 whatever the dtype (PyTorch's CPU scans accumulate in `acc_type`,
 * double for float), and rounded once per stored element.
 */
import type { TypedArray } from "../dtype.js";

/** The running reductions: sum (cumsum), product (cumprod) and log-sum-exp (logcumsumexp). */
export type ScanKind = "sum" | "prod" | "logsumexp";

/** PyTorch's `log_add_exp` of logcumsumexp: NaN propagates, and −inf/+inf pairs keep the running value. */
function logAddExp(acc: number, v: number): number {
  const min = v !== v ? v : Math.min(acc, v);
  const max = v !== v ? v : Math.max(acc, v);
  if (min !== max || Number.isFinite(min)) return Math.log1p(Math.exp(min - max)) + max;
  return acc;
}

/** Writes the running `kind` of the middle axis of `x` (from `off`) into `out` (same layout, from 0). */
export function scanAxis(out: TypedArray, x: TypedArray, off: number, outer: number, r: number, inner: number, kind: ScanKind): void {
  // Two functions, not two branches of one: V8 optimized the one function on whichever loop ran
  // first, and some runs of the benchmark then stayed 8× slower on the other (cumsum along dim 1
  // of [1000, 1000]: 16–18 ms against 1.6–2.2 ms).
  if (inner === 1) scanRows(out, x, off, outer, r, kind);
  else scanColumns(out, x, off, outer, r, inner, kind);
}

// The scan along the last axis: `outer` rows of `r`.
function scanRows(out: TypedArray, x: TypedArray, off: number, outer: number, r: number, kind: ScanKind): void {
  for (let o = 0; o < outer; o++) {
    const base = o * r;
    if (kind === "sum") {
      let acc = 0;
      for (let k = 0; k < r; k++) out[base + k] = acc += x[off + base + k];
    } else if (kind === "prod") {
      let acc = 1;
      for (let k = 0; k < r; k++) out[base + k] = acc *= x[off + base + k];
    } else {
      let acc = -Infinity;
      for (let k = 0; k < r; k++) out[base + k] = acc = logAddExp(acc, x[off + base + k]);
    }
  }
}

// The scan along a middle axis: `inner` running values at once, one per column.
function scanColumns(out: TypedArray, x: TypedArray, off: number, outer: number, r: number, inner: number, kind: ScanKind): void {
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(kind === "sum" ? 0 : kind === "prod" ? 1 : -Infinity);
    for (let k = 0; k < r; k++) {
      const base = (o * r + k) * inner;
      if (kind === "sum") for (let i = 0; i < inner; i++) out[base + i] = acc[i] += x[off + base + i];
      else if (kind === "prod") for (let i = 0; i < inner; i++) out[base + i] = acc[i] *= x[off + base + i];
      else for (let i = 0; i < inner; i++) out[base + i] = acc[i] = logAddExp(acc[i], x[off + base + i]);
    }
  }
}

/**
 * Running max (sign = 1) or min (sign = −1) of the middle axis, with the position it came from.
 * PyTorch's cummax/cummin helper: a new element wins when it is NaN, or when the running value is
 * not NaN and the element is >= (<=) it, so ties and repeated NaNs take the latest index.
 */
export function scanExtremeAxis(
  values: TypedArray, indices: Int32Array, x: TypedArray, off: number,
  outer: number, r: number, inner: number, sign: 1 | -1,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * r * inner + i;
      let best = x[off + start];
      let bestK = 0;
      for (let k = 0; k < r; k++) {
        const p = start + k * inner;
        const v = x[off + p];
        if (v !== v || (best === best && (sign === 1 ? v >= best : v <= best))) {
          best = v;
          bestK = k;
        }
        values[p] = best;
        indices[p] = bestK;
      }
    }
  }
}

/**
 * The first-order gradient of cumprod along the middle axis when zeros occur, PyTorch's O(n)
 * rule: with z the first zero of a line, `dx_k = Σ_{k≤j<z} g_j·y_j / x_k` before it,
 * `dx_z = y_{z−1} · Σ_{z≤j<z₂} g_j · Π_{z<i≤j} x_i` at it (z₂ the second zero), and 0 after.
 * All of `g`, `x`, `y` contiguous from their offsets; `out` from 0.
 */
export function cumprodGradAxis(
  out: TypedArray, g: TypedArray, gOff: number, x: TypedArray, xOff: number, y: TypedArray, yOff: number,
  outer: number, r: number, inner: number,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * r * inner + i;
      let z = r;
      for (let k = 0; k < r; k++) if (x[xOff + start + k * inner] === 0) { z = k; break; }
      let acc = 0;
      for (let k = z - 1; k >= 0; k--) {
        const p = start + k * inner;
        acc += g[gOff + p] * y[yOff + p];
        out[p] = acc / x[xOff + p];
      }
      if (z === r) continue;
      let sum = 0;
      let run = 1;
      for (let j = z; j < r; j++) {
        const p = start + j * inner;
        if (j > z) {
          if (x[xOff + p] === 0) break;
          run *= x[xOff + p];
        }
        sum += g[gOff + p] * run;
      }
      out[start + z * inner] = sum * (z > 0 ? y[yOff + start + (z - 1) * inner] : 1);
    }
  }
}
