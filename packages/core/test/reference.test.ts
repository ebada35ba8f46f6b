/**
 * Every op of the table against PyTorch: the same inputs give the same outputs, and the same
 * upstream gradient gives the same input gradients, to 1e-6 relative in float64.
 */
import { describe, it, expect } from "vitest";
import { CASES, OPS, checkAgainstReference } from "./op-table.js";

describe("op table", () => {
  it("lists exactly the fixture's cases", () => {
    expect(Object.keys(OPS).sort()).toEqual(CASES.map((c) => c.name).sort());
  });
});

describe("forward and backward match PyTorch", () => {
  for (const c of CASES) {
    it(c.name, () => {
      checkAgainstReference(c);
    });
  }
});
