/**
 * Float64 finite-difference checks of every differentiable op in the table (gradcheck), and of
 * second derivatives for a representative set (gradgradcheck). Cases at kinks and extremes,
 * where finite differences straddle the kink or overflow, are checked against PyTorch only.
 */
import { describe, it, expect } from "vitest";
import { gradcheck, gradgradcheck, type Tensor } from "@tsgrad/core";
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
