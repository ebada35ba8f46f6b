/**
 * linspace's values, bit for bit PyTorch 1.13's CPU kernel (ATen RangeFactoriesKernel.cpp, as
 * built for AVX2 with GCC's floating-point contraction), checked against torch on a sweep of
 * (start, end, steps) in numerics.test.ts:
 * - step = (end − start) / (steps − 1) in the element type (float64 for int32, start and end
 *   first truncated to integers);
 * - element i of the first half is start + step·i, of the second end − step·(steps − 1 − i), each
 *   one fused multiply-add (a single rounding), so both ends come out exact;
 * - whole pairs of vectors (8 float32 or int32, 4 float64 elements each) are filled from the
 *   vector's first element b by b + j·step with two roundings (j·step, then the add), the half
 *   being decided by the vector's first index; the leftover tail is elementwise as above;
 * - int32 values truncate toward zero, a vector's b included, so they are not always monotone.
 * PyTorch splits ranges longer than 32768 across threads and restarts the vectors at each split;
 * these are its single-thread values.
 */
import type { TypedArray } from "../dtype.js";

export type LinspaceDType = "float32" | "float64" | "int32";

/** Fills `out` (length steps ≥ 2) with PyTorch's linspace values for `dtype`. */
export function fillLinspace(out: TypedArray, start: number, end: number, steps: number, dtype: LinspaceDType): void {
  const lanes = dtype === "float64" ? 4 : 8;
  const half = Math.floor(steps / 2);
  const [s, e, round] = dtype === "int32"
    ? [Math.trunc(start), Math.trunc(end), roundDouble]
    : dtype === "float32" ? [Math.fround(start), Math.fround(end), Math.fround] : [start, end, roundDouble];
  // Counts convert to the element type too (C++'s usual conversions), exactly below 2^24 in float32.
  const step = round(round(e - s) / round(steps - 1));
  const fused = dtype === "float32" ? fma32 : fma64;
  const toElement = dtype === "int32" ? Math.trunc : roundDouble;
  // The value at idx, from the nearer end, in one rounding.
  const at = (idx: number): number => (idx < half ? fused(step, round(idx), s) : fused(-step, round(steps - idx - 1), e));
  let i = 0;
  for (; i + 2 * lanes <= steps; i += 2 * lanes) { // two vectors at a time, as ATen's loop runs
    for (let v = i; v < i + 2 * lanes; v += lanes) {
      const base = toElement(at(v));
      // (storing into `out` rounds the sum to float32, or truncates it to int32)
      if (dtype === "float32") for (let j = 0; j < lanes; j++) out[v + j] = base + Math.fround(j * step);
      else for (let j = 0; j < lanes; j++) out[v + j] = base + j * step;
    }
  }
  for (; i < steps; i++) out[i] = at(i);
}

const roundDouble = (x: number): number => x;

// fl32(a·b + c) for float32 a, c and an integer b < 2^29 (so a·b is exact in float64): the float64
// sum s can only round differently from the exact value when it lies exactly halfway between two
// float32 numbers, and then the sign of the sum's rounding error decides.
function fma32(a: number, b: number, c: number): number {
  if (Math.abs(b) >= 2 ** 29) return fmaExact(a, b, c, 24);
  // (Non-finite operands fall through: every step below then gives NaN or ±Infinity, as fma does.)
  const p = a * b;
  const s = p + c;
  const err = twoSumError(p, c, s);
  const r = Math.fround(s);
  if (err === 0 || r === s) return r;
  const other = 2 * s - r; // r's neighbour on s's other side, if s is their midpoint
  if (Math.fround(other) !== other) return r;
  return err > 0 ? Math.max(r, other) : Math.min(r, other);
}

// The rounding error of s = a + b (Knuth's TwoSum): a + b = s + err exactly.
function twoSumError(a: number, b: number, s: number): number {
  const bv = s - a;
  return (a - (s - bv)) + (b - bv);
}

// fl64(a·b + c), rounded once: error-free transforms give a·b + c = r + z (+ a far smaller rest)
// with r the float64 sum; r is the answer unless z reaches half the gap to r's neighbour, which
// only the exact computation can settle.
function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  const size = Math.abs(p);
  if (!Number.isFinite(p + c) || size > 1e300 || (size !== 0 && size < 1e-290)) return fmaExact(a, b, c, 53);
  const pe = twoProductError(a, b, p); // a·b = p + pe
  const s = p + c;
  const t = twoSumError(p, c, s); // p + c = s + t
  const u = t + pe;
  const v = twoSumError(t, pe, u); // t + pe = u + v
  const r = s + u;
  if (v === 0) return r; // a·b + c = s + u exactly, and r is its rounding
  const z = twoSumError(s, u, r) + v;
  return Math.abs(z) < halfGap(r, z) ? r : fmaExact(a, b, c, 53);
}

// The rounding error of p = a·b (Dekker's TwoProduct with Veltkamp's split; no overflow).
function twoProductError(a: number, b: number, p: number): number {
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}
function split(x: number): [number, number] {
  const c = 134217729 * x; // 2^27 + 1
  const hi = c - (c - x);
  return [hi, x - hi];
}

const bits = new DataView(new ArrayBuffer(8));
// Half the distance from r (≠ 0, finite) to its neighbour on the side of `toward`'s sign; 0 for r = 0.
function halfGap(r: number, toward: number): number {
  if (r === 0) return 0;
  bits.setFloat64(0, r);
  const hi = bits.getUint32(0);
  const biased = (hi >>> 20) & 0x7ff;
  const ulp = 2 ** (Math.max(biased, 1) - 1075);
  const powerOfTwo = (hi & 0xfffff) === 0 && bits.getUint32(4) === 0;
  const inward = (toward < 0) !== (r < 0);
  return (powerOfTwo && inward && biased > 1 ? ulp / 2 : ulp) / 2;
}

// a·b + c computed exactly as an integer times a power of two, then rounded to nearest (ties to
// even) with `bits` significand bits (the result's exponent assumed normal). NaN and ±Infinity
// propagate as they do in hardware.
function fmaExact(a: number, b: number, c: number, bits: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) return a * b + c;
  const [ma, ea] = dyadic(a);
  const [mb, eb] = dyadic(b);
  const [mc, ec] = dyadic(c);
  const ep = ea + eb;
  const exp = Math.min(ep, ec);
  const sum = ((ma * mb) << BigInt(ep - exp)) + (mc << BigInt(ec - exp));
  if (sum === 0n) return a * b + c; // exactly zero: the float sum has the right sign of zero
  const negative = sum < 0n;
  let mag = negative ? -sum : sum;
  const shift = mag.toString(2).length - bits;
  let scale = exp;
  if (shift > 0) {
    const dropped = mag & ((1n << BigInt(shift)) - 1n);
    const halfway = 1n << BigInt(shift - 1);
    mag >>= BigInt(shift);
    if (dropped > halfway || (dropped === halfway && (mag & 1n) === 1n)) mag += 1n;
    scale += shift;
  }
  const value = Number(mag) * 2 ** Math.trunc(scale / 2) * 2 ** (scale - Math.trunc(scale / 2));
  return negative ? -value : value;
}

// x = m · 2^e exactly, m an integer.
function dyadic(x: number): [bigint, number] {
  if (x === 0) return [0n, 0];
  bits.setFloat64(0, x);
  const hi = bits.getUint32(0);
  const lo = bits.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e = -1074;
  if (biased !== 0) {
    m |= 1n << 52n;
    e = biased - 1075;
  }
  return [x < 0 ? -m : m, e];
}
