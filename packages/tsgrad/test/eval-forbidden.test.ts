/**
 * CSP-safe kernels (issue 11): with `Function` made to throw, as a Content-Security-Policy without
 * 'unsafe-eval' does, a fresh import of tsgrad picks the interpreted kernels by itself, builds
 * every layer (elementwiseOp compiles at import) and trains to the very same loss.
 */
import { describe, expect, it, vi } from "vitest";
import * as tg from "tsgrad";

describe("with eval forbidden, as under a Content-Security-Policy without 'unsafe-eval'", () => {
  it("a fresh import picks the interpreted path by itself and trains to the same loss", async () => {
    const train = (lib: typeof tg): number => {
      const nnLib = lib.nn;
      lib.manualSeed(0);
      const model = new nnLib.Sequential(new nnLib.Linear(2, 8), new nnLib.GELU(), new nnLib.Linear(8, 1), new nnLib.Sigmoid());
      const x = lib.randn([32, 2]);
      const y = x.sum(1, true).gt(0).float();
      let loss = 0;
      for (let step = 0; step < 20; step++) {
        for (const p of model.parameters()) p.grad = null;
        const l = model.forward(x).sub(y).square().mean();
        l.backward();
        lib.noGrad(() => { for (const p of model.parameters()) p.sub_(p.grad!.mul(0.5)); });
        loss = l.item();
      }
      return loss;
    };
    const expected = train(tg);
    const RealFunction = globalThis.Function;
    vi.resetModules();
    const blocked = function blocked(): never {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not an allowed source of script");
    } as unknown as FunctionConstructor;
    Object.defineProperty(blocked, "prototype", { value: RealFunction.prototype });
    globalThis.Function = blocked;
    try {
      const fresh = await import("tsgrad");
      expect(fresh.Tensor).not.toBe(tg.Tensor);
      const loss = train(fresh);
      expect(fresh.getKernelMode()).toBe("interpreted");
      expect(() => fresh.setKernelMode("compiled")).toThrow(/needs new Function, which this runtime forbids/);
      expect(Object.is(loss, expected)).toBe(true);
    } finally {
      globalThis.Function = RealFunction;
    }
  });
});
