/**
 * Every optimizer option combination against PyTorch 1.13: several steps on fixed parameters whose
 * gradient comes from a fixed formula, some parameters skipped (no grad) at some steps.
 */
import { describe, expect, it } from "vitest";
import { LBFGS, type LBFGSOptions } from "@tsgrad/optim";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";
import type { Tensor } from "@tsgrad/core";
import { OPTIMIZERS, fixedGrad, freshParam, makeOptimizer, type GroupSpec, type OptimizerName } from "./helpers.js";

interface Fixture {
  init: EncodedTensor[];
  curvature: EncodedTensor[];
  target: EncodedTensor[];
  steps: number;
  skip: Array<[number, number]>;
  cases: Array<{ optimizer: OptimizerName; options: Record<string, unknown>; groups: GroupSpec[] | null; trajectory: EncodedTensor[][] }>;
  lbfgs: { steps: number; cases: Array<{ options: Partial<LBFGSOptions>; trajectory: EncodedTensor[][]; losses: number[]; evaluations: number[] }> };
}

const fx = loadFixture<Fixture>(new URL("./fixtures/optimizers.json", import.meta.url));
const curvature = fx.curvature.map((e) => decode(e));
const target = fx.target.map((e) => decode(e));
// float64 trajectories: only rounding differences (PyTorch's vectorized kernels may fuse a
// multiply-add) separate the two: they agree to ~1e-14, far below the usual 1e-6.
const RTOL = 1e-12;

describe("optimizer trajectories match PyTorch", () => {
  for (const c of fx.cases) {
    const label = `${c.optimizer} ${JSON.stringify(c.options)}${c.groups ? ` groups ${JSON.stringify(c.groups)}` : ""}`;
    it(label, () => {
      const params = fx.init.map((e) => freshParam(decode(e)));
      const opt = makeOptimizer(c.optimizer, params, c.options, c.groups);
      for (let step = 0; step < fx.steps; step++) {
        params.forEach((p, i) => {
          const skipped = fx.skip.some(([s, k]) => s === step && k === i);
          // maximize cases maximize −(the quartic bowl): their gradient is −fixedGrad
          p.grad = skipped ? null : fixedGrad(p, curvature[i], target[i]).mul(c.options.maximize ? -1 : 1);
        });
        opt.step();
        params.forEach((p, i) => expectClose(p, c.trajectory[step][i], `${label}: step ${step + 1}, param ${i}`, RTOL, 1e-14));
      }
    });
  }
});

describe("step(closure) returns the closure's loss", () => {
  for (const name of [...Object.keys(OPTIMIZERS), "LBFGS"]) {
    it(name, () => {
      const params = fx.init.map((e) => freshParam(decode(e)));
      const opt = name === "LBFGS" ? new LBFGS(params, { maxIter: 2 }) : makeOptimizer(name as OptimizerName, params, name === "SGD" ? { lr: 0.1 } : {});
      const before = params.map((p) => p.dataSync().slice());
      const loss = opt.step(() => {
        params.forEach((p, i) => {
          p.grad = fixedGrad(p, curvature[i], target[i]);
        });
        return quarticLoss(params);
      });
      expect(typeof loss).toBe("number");
      params.forEach((p, i) => expect(p.dataSync(), `${name} moved param ${i}`).not.toEqual(before[i]));
    });
  }
});

describe("every optimizer and option combination has a PyTorch trajectory", () => {
  it("covers each optimizer, maximize and groups, over 25+ steps", () => {
    for (const name of Object.keys(OPTIMIZERS)) {
      const cases = fx.cases.filter((c) => c.optimizer === name);
      expect(cases.some((c) => c.options.maximize === true), `${name} maximize`).toBe(true);
      expect(cases.some((c) => c.groups !== null), `${name} groups`).toBe(true);
    }
    expect(fx.steps).toBeGreaterThanOrEqual(25);
    expect(fx.lbfgs.steps).toBeGreaterThanOrEqual(25);
  });
});

/** sum(a/2·(p − t)² + 0.0125·p⁴) in float64, in the generator's order (its gradient is fixedGrad). */
function quarticLoss(params: Tensor[]): number {
  let total = 0;
  params.forEach((p, k) => {
    const [pv, av, tv] = [p.dataSync(), curvature[k].dataSync(), target[k].dataSync()];
    for (let i = 0; i < pv.length; i++) total += 0.5 * av[i] * (pv[i] - tv[i]) ** 2 + 0.0125 * pv[i] ** 4;
  });
  return total;
}

describe("LBFGS trajectories match PyTorch", () => {
  for (const c of fx.lbfgs.cases) {
    const label = `LBFGS ${JSON.stringify(c.options)}`;
    it(label, () => {
      const params = fx.init.map((e) => freshParam(decode(e)));
      const opt = new LBFGS(params, c.options);
      const sign = c.options.maximize ? -1 : 1; // maximize: the closure's value is −quartic
      let evaluations = 0;
      const closure = (): number => {
        evaluations += 1;
        params.forEach((p, i) => {
          p.grad = fixedGrad(p, curvature[i], target[i]).mul(sign);
        });
        return sign * quarticLoss(params);
      };
      for (let step = 0; step < fx.lbfgs.steps; step++) {
        const loss = opt.step(closure)!;
        expect(Math.abs(loss - c.losses[step]), `${label}: loss at step ${step + 1}`).toBeLessThanOrEqual(RTOL * Math.abs(c.losses[step]));
        expect(evaluations, `${label}: closure calls by step ${step + 1}`).toBe(c.evaluations[step]);
        params.forEach((p, i) => expectClose(p, c.trajectory[step][i], `${label}: step ${step + 1}, param ${i}`, RTOL, 1e-14));
      }
    });
  }
});
