// Finite-difference gradient checks in float64 for every loss and reduction, with respect to every
// differentiable argument (input, and target / weight / posWeight where the loss is smooth in them),
// at points away from the kinks (the kinks themselves are pinned to PyTorch in pytorch.test.ts).
import { describe, it, expect } from "vitest";
import { Generator, grad, gradcheck, gradgradcheck, randn, rand, tensor, type Tensor } from "@tsgrad/core";
import * as L from "@tsgrad/losses";
import { expectClose } from "../../../tools/test-utils.js";

const generator = new Generator(7);
const normal = (shape: number[], scale = 1) =>
  randn(shape, { dtype: "float64", generator }).mul(scale).detach().requiresGrad_(true);
const uniform = (shape: number[], low: number, high: number) =>
  rand(shape, { dtype: "float64", generator }).mul(high - low).add(low).detach().requiresGrad_(true);
const indices = (values: number[], shape = [values.length]) => tensor(values, { dtype: "int32" }).reshape(shape);
const signs = (values: number[]) => tensor(values, { dtype: "float64" });

interface GradcheckCase {
  name: string;
  /** The differentiable arguments, all float64 leaves requiring grad. */
  inputs: () => Tensor[];
  loss: (reduction: L.Reduction, ...inputs: Tensor[]) => Tensor;
}

// Differences kept away from the kinks (0 for L1, ±0.7 for huber/smoothL1).
const awayFromKinks = (shape: number[]) => {
  const d = uniform(shape, 0.1, 0.5).detach();
  const s = rand(shape, { dtype: "float64", generator }).gt(0.5).to("float64").mul(2).sub(1);
  const wide = rand(shape, { dtype: "float64", generator }).gt(0.5).to("float64").mul(1.5).add(1);
  return d.mul(s).mul(wide);
};

const CASES: GradcheckCase[] = [
  { name: "mseLoss", inputs: () => [normal([2, 3]), normal([2, 3])], loss: (reduction, x, y) => L.mseLoss(x, y, { reduction }) },
  {
    name: "l1Loss",
    inputs: () => { const y = normal([2, 3]); return [y.add(awayFromKinks([2, 3])).detach().requiresGrad_(true), y]; },
    loss: (reduction, x, y) => L.l1Loss(x, y, { reduction }),
  },
  {
    name: "huberLoss",
    inputs: () => { const y = normal([2, 3]); return [y.add(awayFromKinks([2, 3])).detach().requiresGrad_(true), y]; },
    loss: (reduction, x, y) => L.huberLoss(x, y, { reduction, delta: 0.7 }),
  },
  {
    name: "smoothL1Loss",
    inputs: () => { const y = normal([2, 3]); return [y.add(awayFromKinks([2, 3])).detach().requiresGrad_(true), y]; },
    loss: (reduction, x, y) => L.smoothL1Loss(x, y, { reduction, beta: 0.7 }),
  },
  {
    name: "binaryCrossEntropy (input, target, weight)",
    inputs: () => [uniform([2, 3], 0.1, 0.9), uniform([2, 3], 0, 1), uniform([3], 0.5, 2)],
    loss: (reduction, p, y, weight) => L.binaryCrossEntropy(p, y, { reduction, weight }),
  },
  {
    name: "binaryCrossEntropyWithLogits (input, target, weight, posWeight)",
    inputs: () => [normal([2, 3], 3), uniform([2, 3], 0, 1), uniform([2, 1], 0.5, 2), uniform([3], 0.5, 3)],
    loss: (reduction, x, y, weight, posWeight) => L.binaryCrossEntropyWithLogits(x, y, { reduction, weight, posWeight }),
  },
  {
    name: "crossEntropy, index targets, weight, ignoreIndex, labelSmoothing (logits, weight)",
    inputs: () => [normal([4, 3], 2), uniform([3], 0.5, 2)],
    loss: (reduction, x, weight) => L.crossEntropy(x, indices([2, -100, 0, 1]), { reduction, weight, labelSmoothing: 0.2 }),
  },
  {
    name: "crossEntropy, K-dim index targets",
    inputs: () => [normal([2, 3, 2, 2])],
    loss: (reduction, x) => L.crossEntropy(x, indices([0, 2, 1, 1, 2, 0, 1, 0], [2, 2, 2]), { reduction, ignoreIndex: 1 }),
  },
  {
    name: "crossEntropy, probability targets (logits, target, weight)",
    inputs: () => [normal([3, 4]), uniform([3, 4], 0, 1), uniform([4], 0.5, 2)],
    loss: (reduction, x, q, weight) => L.crossEntropy(x, q, { reduction, weight, labelSmoothing: 0.1 }),
  },
  {
    name: "nllLoss (log-probabilities, weight)",
    inputs: () => [normal([4, 3]), uniform([3], 0.5, 2)],
    loss: (reduction, x, weight) => L.nllLoss(x, indices([2, 1, 0, 1]), { reduction, weight, ignoreIndex: 0 }),
  },
  {
    name: "hingeLoss (away from the margin)",
    inputs: () => [tensor([2.5, 0.3, -0.4, 1.7, -2.2, 0.9], { dtype: "float64", requiresGrad: true })],
    loss: (reduction, x) => L.hingeLoss(x, signs([1, 1, -1, -1, 1, -1]), { reduction, margin: 1.2 }),
  },
  {
    name: "perceptronLoss (away from 0)",
    inputs: () => [tensor([2.5, 0.3, -0.4, 1.7, -2.2, 0.9], { dtype: "float64", requiresGrad: true })],
    loss: (reduction, x) => L.perceptronLoss(x, signs([1, -1, -1, -1, 1, 1]), { reduction }),
  },
  {
    name: "multiMarginLoss p=1 (input, weight)",
    inputs: () => [normal([3, 4]), uniform([4], 0.5, 2)],
    loss: (reduction, x, weight) => L.multiMarginLoss(x, indices([3, 0, 2]), { reduction, weight, margin: 0.8 }),
  },
  {
    name: "multiMarginLoss p=2",
    inputs: () => [normal([3, 4])],
    loss: (reduction, x) => L.multiMarginLoss(x, indices([1, 0, 2]), { reduction, p: 2 }),
  },
];

describe("float64 gradcheck of every loss", () => {
  const rows = CASES.flatMap((c) => L.REDUCTIONS.map((r) => [c.name, r, c] as const));
  it.each(rows)("%s, reduction %s", (_name, reduction, c) => {
    expect(gradcheck((...inputs) => c.loss(reduction, ...inputs), c.inputs())).toBe(true);
  });
});

describe("second derivatives of the losses with their own backward rules", () => {
  it("binaryCrossEntropy", () => {
    expect(gradgradcheck((p) => L.binaryCrossEntropy(p, tensor([0, 1, 0.3], { dtype: "float64" })), [uniform([3], 0.2, 0.8)])).toBe(true);
  });
  it("binaryCrossEntropyWithLogits (including logit 0)", () => {
    const x = tensor([-2, 0, 1.5], { dtype: "float64", requiresGrad: true });
    expect(gradgradcheck((x, pw) => L.binaryCrossEntropyWithLogits(x, tensor([1, 0, 1], { dtype: "float64" }), { posWeight: pw }), [x, uniform([3], 0.5, 2)])).toBe(true);
  });
  it("crossEntropy", () => {
    expect(gradgradcheck((x) => L.crossEntropy(x, indices([1, 0])), [normal([2, 3])])).toBe(true);
  });
});

// The fused losses compute their gradient with a kernel, or with Tensor ops under createGraph;
// both must give the same numbers, at the extremes too.
describe("fused losses: the kernel and the createGraph gradient agree", () => {
  const f64 = (values: number[], shape = [values.length]) => tensor(values, { dtype: "float64" }).reshape(shape);
  const huge = [1000, -1000, 0, -1000, 1000, 999, 500, 500, -1000, 0, 30, -30];
  const rows: Array<[string, () => Tensor, (x: Tensor) => Tensor]> = [
    ["crossEntropy index, weight, ignore, smoothing", () => f64(huge, [4, 3]),
      (x) => L.crossEntropy(x, indices([1, -100, 0, 2]), { weight: f64([0.5, 2, 1]), labelSmoothing: 0.2 })],
    ["crossEntropy K-dim, sum", () => normal([2, 3, 2]), (x) => L.crossEntropy(x, indices([0, 2, 1, 1], [2, 2]), { reduction: "sum" })],
    ["crossEntropy probabilities", () => f64(huge, [4, 3]), (x) => L.crossEntropy(x, f64([0.5, 0.5, 0, 0, 0.25, 0.75, 1, 0, 0, 0.2, 0.3, 0.5], [4, 3]), { labelSmoothing: 0.1 })],
    ["binaryCrossEntropy at 0 and 1", () => f64([0, 1, 0.5, 1e-50, 0.25, 1]), (p) => L.binaryCrossEntropy(p, f64([1, 0, 0.5, 1, 0, 1]), { reduction: "sum" })],
    ["binaryCrossEntropyWithLogits ±1000, posWeight", () => f64([-1000, -100, 0, 0, 30, 1000], [2, 3]),
      (x) => L.binaryCrossEntropyWithLogits(x, f64([1, 0, 1, 0, 0.5, 0], [2, 3]), { posWeight: f64([2, 0.5, 3]), weight: f64([1.5, 0.5], [2, 1]) })],
    ["binaryCrossEntropyWithLogits, none", () => f64([-3, 0, 2]), (x) => L.binaryCrossEntropyWithLogits(x, f64([1, 0, 0.25]), { reduction: "none" }).mul(f64([1, -2, 0.5])).sum()],
  ];
  it.each(rows)("%s", (_name, make, loss) => {
    const x = make().detach().requiresGrad_(true);
    const [kernel] = grad([loss(x)], [x]);
    const [ops] = grad([loss(x)], [x], { createGraph: true });
    expect(ops!.requiresGrad).toBe(true);
    expectClose(kernel!, ops!.detach(), "gradient", 1e-12, 1e-300);
  });
});
