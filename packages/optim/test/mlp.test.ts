/**
 * End to end: a 2-layer MLP (core ops only) trained by each optimizer from PyTorch's initial
 * weights on PyTorch's data; the whole loss trajectory and the final weights must match PyTorch's.
 */
import { describe, expect, it } from "vitest";
import type { Tensor } from "@tsgrad/core";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";
import { makeOptimizer, type OptimizerName } from "./helpers.js";

interface Fixture {
  x: EncodedTensor;
  y: EncodedTensor;
  init: EncodedTensor[];
  cases: Array<{ optimizer: OptimizerName; options: Record<string, unknown>; losses: number[]; finalLoss: number; finalParams: EncodedTensor[] }>;
}
const fx = loadFixture<Fixture>(new URL("./fixtures/mlp.json", import.meta.url));
const x = decode(fx.x);
const y = decode(fx.y);

/** MSE of `relu(x W1ᵀ + b1) W2ᵀ + b2` against y. */
function mlpLoss(w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor {
  const hidden = x.matmul(w1.T).add(b1).relu();
  const pred = hidden.matmul(w2.T).add(b2);
  return pred.sub(y).square().mean();
}

describe("a 2-layer MLP trained with each optimizer follows PyTorch's loss trajectory", () => {
  for (const c of fx.cases) {
    it(`${c.optimizer} ${JSON.stringify(c.options)}`, () => {
      const params = fx.init.map((e) => decode(e, { requiresGrad: true }));
      const [w1, b1, w2, b2] = params;
      const opt = makeOptimizer(c.optimizer, params, c.options);
      const losses: number[] = [];
      for (let step = 0; step < c.losses.length; step++) {
        opt.zeroGrad();
        const loss = mlpLoss(w1, b1, w2, b2);
        loss.backward();
        opt.step();
        losses.push(loss.item());
      }
      losses.forEach((l, i) => {
        if (Math.abs(l - c.losses[i]) > 1e-10 * Math.abs(c.losses[i])) expect.fail(`step ${i}: loss ${l}, PyTorch ${c.losses[i]}`);
      });
      expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 2);
      params.forEach((p, i) => expectClose(p, c.finalParams[i], `final param ${i}`, 1e-10, 1e-13));
      expect(mlpLoss(w1, b1, w2, b2).item()).toBeCloseTo(c.finalLoss, 12);
    });
  }
});
