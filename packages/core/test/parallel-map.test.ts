/**
 * Large elementwise maps on the thread pool (kernels/parallel-map.ts): every thread count from 1 to
 * 4, and the workers alone, give the one-thread kernel's bits, for float32 and float64, unary and
 * binary, with scalar parameters; maps that stay on the calling thread (small, plain arithmetic,
 * helper calls, broadcast, non-contiguous, mixed dtypes) hand nothing off and give the same answers.
 */
import { describe, expect, it } from "vitest";
import { Generator, randn, type Tensor } from "@tsgrad/core";
import { PARALLEL_MAP_MIN } from "../src/kernels/parallel-map.js";
import { setWorkersOnlyForTesting, threadStats } from "../src/kernels/threads.js";
import { on, usePoolOfFour } from "./pool-of-four.js";

const N = PARALLEL_MAP_MIN * 2 + 13; // odd: the threads' ranges differ in length
const gen = new Generator(5);

// Maps whose expression calls a transcendental Math function, which split (the plain arithmetic of add or clamp does not).
const MAPS: Array<[string, (x: Tensor, y: Tensor) => Tensor]> = [
  ["exp", (x) => x.exp()],
  ["log", (x, y) => y.log()],
  ["logit(eps) (two parameters and a scratch variable)", (x) => x.logit(0.2)],
  ["pow (two tensors)", (x, y) => y.pow(x)],
  ["atan2", (x, y) => x.atan2(y)],
  ["logaddexp", (x, y) => x.logaddexp(y)],
];

const bits = (t: Tensor): number[] => Array.from(t.dataSync(), (v) => (Object.is(v, -0) ? -0 : v));

describe("elementwise maps on the thread pool", () => {
  usePoolOfFour();

  for (const dtype of ["float32", "float64"] as const) {
    it(`${dtype}: 1–4 threads and the workers alone give the one-thread bits`, async () => {
      const x = randn([N], { generator: gen, dtype });
      const y = randn([N], { generator: gen, dtype }).add(2);
      await on(1);
      const expected = MAPS.map(([, f]) => bits(f(x, y)));
      for (const threads of [2, 3, 4]) {
        await on(threads);
        // Which thread claims which share depends on how soon the workers wake: only the bits are fixed.
        MAPS.forEach(([name, f], i) => expect(bits(f(x, y)), `${name} on ${threads} threads`).toEqual(expected[i]));
      }
      setWorkersOnlyForTesting(true);
      try {
        MAPS.forEach(([name, f], i) => {
          const before = threadStats().handOffs;
          expect(bits(f(x, y)), `${name} by the workers`).toEqual(expected[i]);
          // Every share went to a worker: the 4 shares of each of the 2 chunks (N is just over one).
          expect(threadStats().handOffs - before, `${name}: shares the workers ran`).toBe(8);
        });
      } finally {
        setWorkersOnlyForTesting(false);
      }
    });
  }

  it("gradients through a split map are the one-thread gradients", async () => {
    const x0 = randn([N], { generator: gen, dtype: "float64" });
    const grads: number[][] = [];
    for (const threads of [1, 2]) {
      await on(threads);
      const x = x0.clone().requiresGrad_();
      x.exp().mul(x.tanh()).sum().backward();
      grads.push(bits(x.grad!));
    }
    expect(grads[1]).toEqual(grads[0]);
  });

  it("stays on the calling thread where it must, with the same answers", async () => {
    const x = randn([N], { generator: gen });
    const small = randn([PARALLEL_MAP_MIN - 1], { generator: gen });
    const wide = randn([2, N], { generator: gen });
    const cases: Array<[string, () => Tensor]> = [
      ["below the size", () => small.exp()],
      ["plain arithmetic (add)", () => x.add(x)],
      ["plain arithmetic with parameters (clamp)", () => x.clamp(-0.5, 0.7)],
      ["a helper call (erf)", () => x.erf()],
      ["broadcast", () => wide.atan2(x)],
      ["non-contiguous", () => wide.T.exp()],
      ["mixed dtypes", () => x.to("float64").atan2(x)],
      ["an integer dtype", () => x.mul(100).to("int32").add(1)],
    ];
    await on(1);
    const expected = cases.map(([, f]) => bits(f()));
    await on(2);
    const before = threadStats().handOffs;
    cases.forEach(([name, f], i) => expect(bits(f()), name).toEqual(expected[i]));
    expect(threadStats().handOffs).toBe(before);
  });
});
