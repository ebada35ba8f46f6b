/**
 * kernels/reduce.ts `sumAxis`: both of its strategies for inner > 1 (column by column for slabs
 * that stay in cache, a row of accumulators for larger ones) add in the same order as a plain
 * sequential float64 sum, so they give the same bits.
 */
import { describe, expect, it } from "vitest";
import { Generator, randn } from "@tsgrad/core";
import { sumAxis } from "../src/kernels/reduce.js";

const gen = new Generator(3);

function reference(x: Float32Array, off: number, outer: number, r: number, inner: number): Float32Array {
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = 0;
      for (let k = 0; k < r; k++) acc += x[off + (o * r + k) * inner + i];
      out[o * inner + i] = acc;
    }
  }
  return out;
}

describe("sumAxis over the middle axis", () => {
  // [outer, r, inner]: bias-gradient shapes, inner not a multiple of 4, and slabs past 2^18 elements
  for (const [outer, r, inner] of [[1, 128, 256], [3, 7, 5], [2, 1, 3], [1, 64, 10], [1, 600, 513], [2, 1030, 257]]) {
    it(`[${outer}, ${r}, ${inner}] from an offset`, () => {
      const off = 3;
      const x = randn([off + outer * r * inner], { generator: gen }).mul(1e3).dataSync() as Float32Array;
      x[off + 7] = NaN;
      const out = new Float32Array(outer * inner);
      sumAxis(out, x, off, outer, r, inner);
      expect(Array.from(out)).toEqual(Array.from(reference(x, off, outer, r, inner)));
    });
  }
});
