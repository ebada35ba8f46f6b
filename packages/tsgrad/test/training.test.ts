/**
 * End to end through the umbrella package: an nn.Sequential MLP, loaded with PyTorch's initial
 * weights, trained by each optimizer on each kind of loss, must follow PyTorch's loss trajectory
 * step for step (fixture: tools/fixtures/gen_training.py).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as tg from "tsgrad";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface Case {
  optimizer: "SGD" | "Adam" | "AdamW" | "RMSprop" | "Adagrad";
  options: { lr: number } & Record<string, unknown>;
  loss: "crossEntropy" | "mseLoss" | "huberLoss";
  lossOptions: Record<string, unknown>;
  outFeatures: number;
  losses: number[];
  finalState: Record<string, EncodedTensor>;
}
interface Fixture {
  x: EncodedTensor;
  labels: EncodedTensor;
  yRegression: EncodedTensor;
  hidden: number;
  initial: Record<string, Record<string, EncodedTensor>>;
  cases: Case[];
}

const fx = loadFixture<Fixture>(new URL("./fixtures/training.json", import.meta.url));
const x = decode(fx.x);
const labels = decode(fx.labels);
const yRegression = decode(fx.yRegression);

function model(out: number): tg.nn.Sequential {
  const dtype = "float64" as const;
  const net = new tg.nn.Sequential(
    new tg.nn.Linear(2, fx.hidden, { dtype }), new tg.nn.ReLU(),
    new tg.nn.Linear(fx.hidden, fx.hidden, { dtype }), new tg.nn.Tanh(),
    new tg.nn.Linear(fx.hidden, out, { dtype }),
  );
  const state = Object.fromEntries(Object.entries(fx.initial[String(out)]).map(([k, v]) => [k, decode(v)]));
  net.loadStateDict(state);
  return net;
}

function lossOf(c: Case, out: tg.Tensor): tg.Tensor {
  if (c.loss === "crossEntropy") return tg.losses.crossEntropy(out, labels, c.lossOptions);
  return tg.losses[c.loss](out, yRegression, c.lossOptions);
}

describe("nn + losses + optim reproduce PyTorch's training trajectories", () => {
  for (const c of fx.cases) {
    it(`${c.optimizer} ${JSON.stringify(c.options)} on ${c.loss} ${JSON.stringify(c.lossOptions)}`, () => {
      const net = model(c.outFeatures);
      const opt = new tg.optim[c.optimizer](net.parameters(), c.options);
      const losses: number[] = [];
      for (let step = 0; step < c.losses.length; step++) {
        opt.zeroGrad();
        const loss = lossOf(c, net.forward(x));
        loss.backward();
        opt.step();
        losses.push(loss.item());
      }
      losses.forEach((l, i) => {
        if (Math.abs(l - c.losses[i]) > 1e-9 * Math.abs(c.losses[i])) expect.fail(`step ${i}: loss ${l}, PyTorch ${c.losses[i]}`);
      });
      expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
      const state = net.stateDict();
      for (const [name, expected] of Object.entries(c.finalState)) expectClose(state[name], expected, `final ${name}`, 1e-8, 1e-11);
    });
  }
});

describe("the umbrella package", () => {
  it("re-exports core at the top level and the other packages as namespaces", () => {
    expect(tg.tensor([1, 2]).shape).toEqual([2]);
    expect(new tg.nn.Linear(2, 3).weight.shape).toEqual([3, 2]);
    expect(new tg.losses.CrossEntropyLoss({ labelSmoothing: 0.1 }).labelSmoothing).toBe(0.1);
    const p = tg.zeros([2], { requiresGrad: true });
    expect(new tg.optim.Adam([p]).paramGroups[0].lr).toBe(1e-3);
    const loader = new tg.data.DataLoader(new tg.data.TensorDataset(tg.arange(10), tg.arange(10)), { batchSize: 4 });
    expect([...loader].map(([a]) => a.shape[0])).toEqual([4, 4, 2]);
    expect(tg.nn.F.relu(tg.tensor([-1, 2])).toArray()).toEqual([0, 2]);
  });
});

describe("checkpointing with save / load", () => {
  it("resumes training bit for bit from a saved model and optimizer state", () => {
    const c = fx.cases.find((k) => k.optimizer === "Adam" && k.loss === "crossEntropy")!;
    const steps = (net: tg.nn.Sequential, opt: tg.optim.Optimizer, n: number): number[] =>
      Array.from({ length: n }, () => {
        opt.zeroGrad();
        const loss = lossOf(c, net.forward(x));
        loss.backward();
        opt.step();
        return loss.item();
      });
    const net = model(c.outFeatures);
    const opt = new tg.optim.Adam(net.parameters(), c.options);
    steps(net, opt, 5);
    const path = join(mkdtempSync(join(tmpdir(), "tsgrad-ckpt-")), "checkpoint.json");
    tg.save({ model: net.stateDict(), optimizer: opt.stateDict(), epoch: 5 }, path);
    const straight = steps(net, opt, 5);

    const saved = tg.load(path) as { model: Record<string, tg.Tensor>; optimizer: ReturnType<tg.optim.Adam["stateDict"]>; epoch: number };
    const resumedNet = model(c.outFeatures);
    resumedNet.loadStateDict(saved.model);
    const resumedOpt = new tg.optim.Adam(resumedNet.parameters(), c.options);
    resumedOpt.loadStateDict(saved.optimizer);
    expect(saved.epoch).toBe(5);
    expect(steps(resumedNet, resumedOpt, 5)).toEqual(straight);
  });
});
