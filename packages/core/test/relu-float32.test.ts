/**
 * ReLU's branch-free float32 kernels (kernels/elementwise.ts) against the expressions they stand
 * in for, `Math.max(x, 0)` and `y > 0 ? g : 0`, on every kind of float32 bit pattern; and relu on
 * float32 views (offset, transposed, expanded gradients) through the Tensor API.
 */
import { describe, expect, it } from "vitest";
import { Generator, grad, randint, randn, tensor, type Tensor } from "@tsgrad/core";
import { reluFloat32, reluGradFloat32 } from "../src/kernels/elementwise.js";

const gen = new Generator(21);
const SPECIAL = [0, -0, 1, -1, 1e-45, -1e-45, 1.1754942e-38, -1.1754942e-38, 3.4028235e38, -3.4028235e38, Infinity, -Infinity, NaN];

/** Special values, then float32s from random bits (every sign, exponent, subnormals, NaNs with any payload). */
function floats(n: number): Float32Array {
  const out = new Float32Array(SPECIAL.length + n);
  out.set(SPECIAL);
  const bits = new Int32Array(out.buffer, 4 * SPECIAL.length);
  bits.set(randint(-(2 ** 31), 2 ** 31 - 1, [n], { generator: gen }).dataSync());
  const negNaN = new Float32Array(new Int32Array([0xffc00000 | 0]).buffer)[0]; // x86's default NaN has the sign bit set
  out[out.length - 1] = negNaN;
  return out;
}
const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describe("branch-free float32 relu kernels", () => {
  it("forward equals Math.max(x, 0) for every kind of float32", () => {
    const x = floats(20000);
    const out = new Float32Array(x.length - 3);
    reluFloat32(out, x, 3); // from an offset
    out.forEach((v, i) => {
      if (!same(v, Math.max(x[i + 3], 0))) expect.fail(`relu(${x[i + 3]}) = ${v}`);
    });
  });

  it("backward equals y > 0 ? g : 0 for every kind of float32 y and g", () => {
    const y = floats(20000);
    const g = floats(20000).reverse();
    const out = new Float32Array(y.length - 2);
    reluGradFloat32(out, g, 1, y, 2);
    out.forEach((v, i) => {
      const want = y[i + 2] > 0 ? g[i + 1] : 0;
      if (!same(v, want)) expect.fail(`relu'(${y[i + 2]}) · ${g[i + 1]} = ${v}, want ${want}`);
    });
  });
});

describe("relu on float32 views matches the contiguous result", () => {
  const base = randn([6, 8], { generator: gen });
  const cases: Array<[string, (t: Tensor) => Tensor]> = [
    ["an offset slice", (t) => t.narrow(0, 2, 3)],
    ["a transposed view", (t) => t.T],
    ["an expanded row", (t) => t.narrow(0, 1, 1).expand(4, 8)],
  ];
  for (const [name, view] of cases) {
    it(name, () => {
      const x = base.clone().requiresGrad_(true);
      const xc = base.clone().requiresGrad_(true);
      const v = view(x);
      const vc = view(xc).contiguous();
      expect(v.relu().toArray()).toEqual(vc.relu().toArray());
      // a contiguous upstream gradient, and an expanded (stride-0) one, which takes the generic kernel
      for (const g of [randn(v.shape, { generator: gen }), randn([1, v.shape[1]], { generator: gen }).expand(...v.shape)]) {
        const [a] = grad(view(x).relu(), x, { gradOutputs: [g] });
        const [b] = grad(view(xc).contiguous().relu(), xc, { gradOutputs: [g.contiguous()] });
        expect(a!.toArray()).toEqual(b!.toArray());
      }
    });
  }

  it("float64 and createGraph keep the expression paths", () => {
    const x = tensor([-1, 0, 2], { dtype: "float64", requiresGrad: true });
    const [g] = grad(x.relu().square().sum(), x, { createGraph: true });
    expect(g!.toArray()).toEqual([0, 0, 4]);
    expect(g!.requiresGrad).toBe(true);
  });
});
