/**
 * Every op of the table against PyTorch: the same inputs give the same outputs, and the same
 * upstream gradient gives the same input gradients, to 1e-6 relative in float64.
 */
import { describe, it, expect } from "vitest";
import { grad, zerosLike } from "@tsgrad/core";
import { decode, expectClose } from "../../../tools/test-utils.js";
import { CASES, OPS, caseInputs, runCase } from "./op-table.js";

describe("op table", () => {
  it("lists exactly the fixture's cases", () => {
    expect(Object.keys(OPS).sort()).toEqual(CASES.map((c) => c.name).sort());
  });
});

describe("forward and backward match PyTorch", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const inputs = caseInputs(c);
      const outputs = runCase(c.name, inputs);
      expect(outputs.length, `${c.name}: number of outputs`).toBe(c.outputs.length);
      outputs.forEach((out, k) => {
        expect(out.dtype, `${c.name}: output ${k} dtype`).toBe(c.outputs[k].dtype);
        expectClose(out, c.outputs[k], `${c.name}: output ${k}`);
      });

      const seeded = outputs.flatMap((out, k) => {
        const g = c.gradOutputs[k];
        return g ? [{ out, g: decode(g) }] : [];
      });
      const diff = inputs.filter((x) => x.requiresGrad);
      const grads = grad(seeded.map((s) => s.out), diff, { gradOutputs: seeded.map((s) => s.g), allowUnused: true });
      let next = 0;
      inputs.forEach((x, k) => {
        const expected = c.inputGrads[k];
        if (!x.requiresGrad) {
          expect(expected, `${c.name}: input ${k} has no gradient in PyTorch either`).toBeNull();
          return;
        }
        const g = grads[next++] ?? zerosLike(x);
        expect(g.dtype, `${c.name}: gradient ${k} dtype`).toBe(x.dtype);
        expectClose(g, expected!, `${c.name}: gradient of input ${k}`);
      });
    });
  }
});
