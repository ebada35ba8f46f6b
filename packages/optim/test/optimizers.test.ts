/**
 * Every optimizer option combination against PyTorch 1.13: several steps on fixed parameters whose
 * gradient comes from a fixed formula, some parameters skipped (no grad) at some steps.
 */
import { describe, it } from "vitest";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";
import { fixedGrad, freshParam, makeOptimizer, type GroupSpec, type OptimizerName } from "./helpers.js";

interface Fixture {
  init: EncodedTensor[];
  curvature: EncodedTensor[];
  target: EncodedTensor[];
  steps: number;
  skip: Array<[number, number]>;
  cases: Array<{ optimizer: OptimizerName; options: Record<string, unknown>; groups: GroupSpec[] | null; trajectory: EncodedTensor[][] }>;
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
          p.grad = skipped ? null : fixedGrad(p, curvature[i], target[i]);
        });
        opt.step();
        params.forEach((p, i) => expectClose(p, c.trajectory[step][i], `${label}: step ${step + 1}, param ${i}`, RTOL, 1e-14));
      }
    });
  }
});
