/**
 * softmax, logSoftmax and logsumexp split across the thread pool by rows (kernels/softmax.ts):
 * every thread count from 1 to 4, and the workers alone, give the one-thread bits, along every dim
 * of a [3, 517, 301] input (two passes through the shared memory along dims 1 and 2, and for
 * logsumexp over rows of 301), with ±inf and
 * NaN rows; the float64 values are those of the plain row formula, bit for bit; an input too small,
 * or with one outer block too large for the shared memory, hands nothing off.
 */
import { describe, expect, it } from "vitest";
import { cat, Generator, logSoftmax, logsumexp, randn, softmax, tensor, type Tensor } from "@tsgrad/core";
import { setWorkersOnlyForTesting, threadStats } from "../src/kernels/threads.js";
import { on, usePoolOfFour } from "./pool-of-four.js";

const SHAPE = [3, 517, 301];
const gen = new Generator(11);

// A copy of the tensor's bytes; `firstDifference` compares two such copies element by element.
const bits = (t: Tensor): Uint8Array => new Uint8Array(t.dataSync().slice().buffer);
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

// An input with a +inf row, a -inf row and a NaN in a third (rows along each dim cross them).
function input(dtype: "float32" | "float64"): Tensor {
  const data = randn(SHAPE, { generator: gen, dtype }).mul(4).dataSync().slice();
  for (let k = 0; k < 301; k++) data[k] = k === 7 ? Infinity : data[k];
  for (let k = 301; k < 602; k++) data[k] = -Infinity;
  data[5000] = NaN;
  return tensor(data, { dtype }).reshape(SHAPE);
}

// [name, op, shares the workers run when they run all of it (4 threads: 4 a pass)]
const OPS: Array<[string, (x: Tensor) => Tensor, number]> = [
  ["softmax dim 1", (x) => softmax(x, 1), 8],
  ["softmax dim 2", (x) => softmax(x, -1), 8],
  ["logSoftmax dim 1", (x) => logSoftmax(x, 1), 8],
  ["logSoftmax dim 2", (x) => logSoftmax(x, 2), 8],
  ["logsumexp dim 0", (x) => logsumexp(x, 0), 4],
  ["logsumexp dim 1, keepdim", (x) => logsumexp(x, 1, true), 4],
  ["logsumexp dim 2", (x) => logsumexp(x, 2), 4],
  ["logsumexp dim 1 of [3102, 301] (two passes)", (x) => logsumexp(cat([x.reshape([-1, 301]), x.reshape([-1, 301])]), 1), 8],
];

describe("softmax rows on the thread pool", () => {
  usePoolOfFour();

  for (const dtype of ["float32", "float64"] as const) {
    it(`${dtype}: 1–4 threads and the workers alone give the one-thread bits`, async () => {
      const x = input(dtype);
      await on(1);
      const expected = OPS.map(([, f]) => bits(f(x)));
      for (const threads of [2, 3, 4]) {
        await on(threads);
        OPS.forEach(([name, f], i) => expect(firstDifference(bits(f(x)), expected[i]), `${name} on ${threads} threads`).toBe(-1));
      }
      setWorkersOnlyForTesting(true);
      try {
        OPS.forEach(([name, f, shares], i) => {
          const before = threadStats().handOffs;
          expect(firstDifference(bits(f(x)), expected[i]), `${name} by the workers`).toBe(-1);
          expect(threadStats().handOffs - before, `${name}: shares the workers ran`).toBe(shares);
        });
      } finally {
        setWorkersOnlyForTesting(false);
      }
    });
  }

  it("float64 softmax and logsumexp on 2 threads are the row formula's bits", async () => {
    await on(2);
    const x = input("float64");
    const xs = x.dataSync();
    const [outer, r] = [3 * 517, 301];
    const y = softmax(x, 2).dataSync();
    const lse = logsumexp(x, 2).dataSync();
    const wantY = new Float64Array(outer * r);
    const wantLse = new Float64Array(outer);
    for (let o = 0; o < outer; o++) {
      const row = (xs as Float64Array).subarray(o * r, (o + 1) * r);
      const m = row.reduce((a, v) => (v > a || v !== v ? v : a), -Infinity);
      const shift = m === Infinity || m === -Infinity ? 0 : m;
      let s = 0;
      for (const v of row) s += Math.exp(v - m);
      let s0 = 0;
      for (const v of row) s0 += Math.exp(v - shift);
      wantLse[o] = Math.log(s0) + shift;
      row.forEach((v, k) => (wantY[o * r + k] = Math.exp(v - m) / s));
    }
    const asBytes = (a: Float64Array): Uint8Array => new Uint8Array(a.slice().buffer);
    expect(firstDifference(asBytes(y as Float64Array), asBytes(wantY)), "softmax").toBe(-1);
    expect(firstDifference(asBytes(lse as Float64Array), asBytes(wantLse)), "logsumexp").toBe(-1);
  });

  it("gradients through a split softmax are the one-thread gradients", async () => {
    const x0 = randn(SHAPE, { generator: gen, dtype: "float64" });
    const w = randn(SHAPE, { generator: gen, dtype: "float64" });
    const grads: Uint8Array[] = [];
    for (const threads of [1, 2]) {
      await on(threads);
      const x = x0.clone().requiresGrad_();
      softmax(x, 1).mul(w).sum().add(logSoftmax(x, 2).mul(w).sum()).backward();
      grads.push(bits(x.grad!));
    }
    expect(firstDifference(grads[1], grads[0])).toBe(-1);
  });

  it("stays on the calling thread where it must, with the same answers", async () => {
    const small = randn([4, 100, 300], { generator: gen }); // 120000 elements, under 2^17
    const tall = randn([1, 700, 1200], { generator: gen }); // along dim 1 one outer block of 1.68M elements, in and out
    const cases: Array<[string, () => Tensor]> = [
      ["below the size", () => softmax(small, -1)],
      ["one outer block too large for the shared memory", () => softmax(tall, 1)],
    ];
    await on(1);
    const expected = cases.map(([, f]) => bits(f()));
    await on(2);
    const before = threadStats().handOffs;
    setWorkersOnlyForTesting(true);
    try {
      cases.forEach(([name, f], i) => expect(firstDifference(bits(f()), expected[i]), name).toBe(-1));
    } finally {
      setWorkersOnlyForTesting(false);
    }
    expect(threadStats().handOffs).toBe(before);
  });
});
