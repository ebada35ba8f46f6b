/**
 * Numerics at the edges against PyTorch (issue 7, items 12 and 13), from the values
 * tools/fixtures/gen_core_numerics.py recorded in fixtures/core-numerics.json:
 * - long float32 reductions: matmul / dot over k = 4·10⁶ within 2× PyTorch's relative error (both
 *   measured against the float64 product of the same data), and exact sums of 2·10⁷ ones.
 */
import { describe, it, expect } from "vitest";
import { ones, tensor, type Tensor } from "@tsgrad/core";
import { gemmJs } from "../src/kernels/matmul.js";
import { loadFixture } from "../../../tools/test-utils.js";

interface LongProduct {
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
interface Fixture {
  longProducts: LongProduct[];
  onesProducts: { n: number; dot: number; mm: number; sum: number; mulSum: number };
}
const FIX = loadFixture<Fixture>(new URL("./fixtures/core-numerics.json", import.meta.url));

// The generator's data: lowbias32(lowbias32(i) ^ s), scaled in float64 and rounded once to float32.
function hash32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
function stream(n: number, s: number, signed: boolean): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const h = hash32((hash32(i) ^ s) >>> 0);
    out[i] = signed ? (h - 2 ** 31) / 2 ** 31 : h / 2 ** 32;
  }
  return out;
}
const relErr = (v: number, exact: number): number => Math.abs(v - exact) / Math.abs(exact);

describe("float32 products over k = 4·10⁶ (PyTorch's error, measured on the same data, ×2 at most)", () => {
  for (const c of FIX.longProducts) {
    const what = c.signed ? "signed data in [-1, 1)" : "positive data in [0, 1)";
    it(`${what}: matmul [1, k] @ [k, 1], the 1-D dot and the JS kernel`, () => {
      const [a, b] = [stream(c.k, c.streams[0], c.signed), stream(c.k, c.streams[1], c.signed)];
      const [ta, tb] = [tensor(a), tensor(b)];
      // PyTorch's best form (its matmul; its dot is worse) sets the bar for all three.
      const bar = 2 * Math.min(c.torchMmRelErr, c.torchDotRelErr);
      const mm = ta.reshape(1, c.k).matmul(tb.reshape(c.k, 1)).item();
      const dot = ta.matmul(tb).item();
      const js = new Float32Array(1);
      gemmJs(js, 0, a, 0, b, 0, 1, c.k, 1);
      // Recorded for the report: tsgrad's errors beside PyTorch's.
      const errors = { mm: relErr(mm, c.exact), dot: relErr(dot, c.exact), js: relErr(js[0], c.exact), torchMm: c.torchMmRelErr, torchDot: c.torchDotRelErr };
      expect(errors.mm, JSON.stringify(errors)).toBeLessThanOrEqual(bar);
      expect(errors.dot, JSON.stringify(errors)).toBeLessThanOrEqual(bar);
      expect(errors.js, JSON.stringify(errors)).toBeLessThanOrEqual(bar);
    });

    it(`${what}: sum() and mul().sum() are the float64 sums rounded once`, () => {
      const [a, b] = [tensor(stream(c.k, c.streams[0], c.signed)), tensor(stream(c.k, c.streams[1], c.signed))];
      // One float32 rounding of the exact value: within half an ulp, 2⁻²⁴ relative.
      expect(relErr(a.sum().item(), c.exactSumA)).toBeLessThanOrEqual(2 ** -24);
      expect(relErr(a.mul(b).sum().item(), c.exactMulSum)).toBeLessThanOrEqual(2 ** -24);
      expect(relErr(c.torchSumA, c.exactSumA)).toBeLessThanOrEqual(1e-6); // the fixture is what it says
    });
  }

  it("2·10⁷ ones: matmul, dot, sum and mul().sum() give exactly 2·10⁷, as PyTorch does", () => {
    const { n } = FIX.onesProducts;
    const x: Tensor = ones([n]);
    expect(x.matmul(x).item()).toBe(FIX.onesProducts.dot);
    expect(x.reshape(1, n).matmul(x.reshape(n, 1)).item()).toBe(FIX.onesProducts.mm);
    expect(x.sum().item()).toBe(FIX.onesProducts.sum);
    expect(x.mul(x).sum().item()).toBe(FIX.onesProducts.mulSum);
    expect(FIX.onesProducts.dot).toBe(n);
  });
});
