/**
 * The playground's experiments (examples/playground/src/experiment.ts) in Node: every choice the
 * page offers builds and trains, each output + loss pairing is either the article's or carries a
 * warning, and the warnings say what happens (tools/browser/playground.test.ts drives the page).
 */
import { describe, expect, it } from "vitest";
import { evaluate, setUp, trainStep } from "../playground/src/experiment.js";
import {
  DATASETS, HIDDEN_ACTIVATIONS, LOSSES, OPTIMIZERS, OUTPUTS, pairingCode, verdict,
  type Config, type DatasetName, type LossName, type OutputName,
} from "../playground/src/pairings.js";

const BASE: Config = { dataset: "moons", seed: 0, hidden: [8], activation: "ReLU", output: "sigmoid", loss: "bce", optimizer: "Adam", lr: 0.03, steps: 3 };
const outputs = Object.keys(OUTPUTS) as OutputName[];
const losses = Object.keys(LOSSES) as LossName[];

/** Trains a few steps; the first and last training loss. */
function trainFew(config: Config): { first: number; last: number; metric: number } {
  const run = setUp(config);
  const first = trainStep(run);
  let last = first;
  for (let i = 1; i < config.steps; i++) last = trainStep(run);
  return { first, last, metric: evaluate(run, config).testMetric };
}

describe("the playground's experiments", () => {
  it("the article's pairings are the matched ones", () => {
    const matched = (task: "classification" | "regression") =>
      outputs.flatMap((o) => losses.filter((l) => LOSSES[l].tasks.includes(task) && verdict(task, o, l).matched).map((l) => `${o} + ${l}`));
    expect(matched("classification")).toEqual(["sigmoid + bce", "softmax + ce", "linear + ce", "linear + hinge", "linear + perceptron", "step + hinge", "step + perceptron"]);
    expect(matched("regression")).toEqual(["linear + mse", "linear + mae", "linear + huber"]);
    for (const d of Object.values(DATASETS)) expect(verdict(d.task, d.output, d.loss).matched).toBe(true);
  });

  it.each(Object.keys(DATASETS) as DatasetName[])("every output + loss the page allows on %s trains, or fails as its warning says", (dataset) => {
    const { task } = DATASETS[dataset];
    for (const output of outputs) {
      for (const loss of losses.filter((l) => LOSSES[l].tasks.includes(task))) {
        const config = { ...BASE, dataset, output, loss };
        const { matched, warning } = verdict(task, output, loss);
        expect(matched || (warning ?? "").length > 100, `${output} + ${loss}`).toBe(true);
        if (output === "linear" && loss === "bce") {
          expect(warning).toMatch(/throws as soon as one output leaves \[0, 1\]/);
          expect(() => trainFew(config)).toThrow(/binaryCrossEntropy: every input element must be between 0 and 1/);
          continue;
        }
        const { first, last } = trainFew(config);
        expect(Number.isFinite(first) && Number.isFinite(last), `${dataset}: ${output} + ${loss}`).toBe(true);
        // A step output has a zero gradient, except for the losses that score the raw z (perceptron, hinge).
        if (output === "step" && !matched) expect(last, `${dataset}: ${output} + ${loss}`).toBe(first);
        expect(pairingCode(task, output, loss)).toMatch(/^losses\.\w+\(/);
      }
    }
  }, 120_000);

  it("every hidden activation and every optimizer builds and trains", () => {
    for (const activation of HIDDEN_ACTIVATIONS) expect(Number.isFinite(trainFew({ ...BASE, activation }).last), activation).toBe(true);
    for (const optimizer of OPTIMIZERS) {
      const { first, last } = trainFew({ ...BASE, optimizer, steps: 20 });
      expect(last, optimizer).toBeLessThan(first);
    }
  }, 120_000);

  it("softmax + cross-entropy learns the spiral; MSE on a softmax learns it more slowly, as the warning says", () => {
    // Plain SGD: Adam rescales each gradient and so hides how small MSE's gradients through the softmax are.
    const config: Config = { ...BASE, dataset: "spiral", hidden: [32, 32], output: "softmax", loss: "ce", optimizer: "SGD", lr: 0.3, steps: 100 };
    const ce = trainFew(config);
    const mse = trainFew({ ...config, loss: "mse" });
    expect(ce.metric).toBeGreaterThan(0.9); // 96%
    expect(mse.metric).toBeLessThan(ce.metric - 0.2); // 55%
  }, 120_000);

  it("on the regression with outliers, MAE and Huber stay nearer the clean curve than MSE", () => {
    const config: Config = { ...BASE, dataset: "regression", hidden: [16, 16], output: "linear", loss: "mse", steps: 300 };
    const mse = trainFew(config).metric;
    expect(trainFew({ ...config, loss: "huber" }).metric).toBeLessThan(mse);
    expect(trainFew({ ...config, loss: "mae" }).metric).toBeLessThan(mse);
  }, 120_000);
});
