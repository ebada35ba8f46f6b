/**
 * Float64 finite-difference checks of every differentiable op in the table (gradcheck), and of
 * second derivatives for a representative set (gradgradcheck). Cases at kinks and extremes,
 * where finite differences straddle the kink or overflow, are checked against PyTorch only.
 */
import { describe, it, expect } from "vitest";
import { gradcheck, gradgradcheck, linear, randn, Generator, type Tensor } from "@tsgrad/core";
import { CASES, caseInputs, runCase } from "./op-table.js";

const fnOf = (name: string) => (...xs: Tensor[]): Tensor[] => runCase(name, xs);

describe("gradcheck", () => {
  for (const c of CASES.filter((c) => c.gradcheck)) {
    it(c.name, () => {
      expect(gradcheck(fnOf(c.name), caseInputs(c))).toBe(true);
    });
  }
});

describe("gradgradcheck", () => {
  const cases = CASES.filter((c) => c.gradgrad);
  it("covers a representative set", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });
  for (const c of cases) {
    it(c.name, () => {
      expect(gradgradcheck(fnOf(c.name), caseInputs(c))).toBe(true);
    });
  }
});

describe("the fused linear op", () => {
  const gen = new Generator(5);
  const r = (shape: number[]) => randn(shape, { dtype: "float64", requiresGrad: true, generator: gen });

  it("matches matmul(x, Wᵀ) + b and passes gradcheck and gradgradcheck for 1-D, 2-D and 3-D inputs", () => {
    for (const xShape of [[3], [4, 3], [2, 4, 3]]) {
      const [x, w, b] = [r(xShape), r([2, 3]), r([2])];
      expect(linear(x, w, b).allclose(x.matmul(w.T).add(b), { rtol: 1e-12 })).toBe(true);
      expect(gradcheck((x, w, b) => linear(x, w, b), [x, w, b])).toBe(true);
      expect(gradgradcheck((x, w, b) => linear(x, w, b).tanh(), [x, w, b])).toBe(true);
    }
  });

  it("reads a non-contiguous input and works without a bias", () => {
    const x = r([3, 4]);
    const w = r([2, 3]);
    expect(linear(x.T, w).allclose(x.T.matmul(w.T), { rtol: 1e-12 })).toBe(true);
    expect(gradcheck((x, w) => linear(x.T, w), [x, w])).toBe(true);
  });
});
