/**
 * The long float32 products of fixtures/core-numerics.json (tools/fixtures/gen_core_numerics.py):
 * their data, regenerated here as the generator makes it, and PyTorch's errors on them. Shared by
 * numerics.test.ts and the relaxed-SIMD child process (child/relaxed-gemm.ts).
 */
import { loadFixture } from "../../../tools/test-utils.js";

/** One long product: its data streams, the exact (float64) value and what PyTorch got. */
export interface LongProduct {
  signed: boolean;
  k: number;
  streams: [number, number];
  exact: number;
  torchMm: number;
  torchDot: number;
  torchMmRelErr: number;
  torchDotRelErr: number;
  exactSumA: number;
  torchSumA: number;
  exactMulSum: number;
  torchMulSum: number;
}

/** fixtures/core-numerics.json. */
export interface NumericsFixture {
  longProducts: LongProduct[];
  onesProducts: { n: number; dot: number; mm: number; sum: number; mulSum: number };
}

/** The fixture, read once. */
export const NUMERICS = loadFixture<NumericsFixture>(new URL("./fixtures/core-numerics.json", import.meta.url));

// The generator's data: lowbias32(lowbias32(i) ^ s), scaled in float64 and rounded once to float32.
function hash32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Stream `s` of the generator: n values in [-1, 1) (signed) or [0, 1). */
export function stream(n: number, s: number, signed: boolean): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const h = hash32((hash32(i) ^ s) >>> 0);
    out[i] = signed ? (h - 2 ** 31) / 2 ** 31 : h / 2 ** 32;
  }
  return out;
}

/** |v − exact| / |exact|. */
export const relErr = (v: number, exact: number): number => Math.abs(v - exact) / Math.abs(exact);
