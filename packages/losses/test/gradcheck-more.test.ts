// Finite-difference gradient checks in float64 of the rest of PyTorch's losses, every reduction,
// with respect to every argument PyTorch differentiates, away from the kinks (the kinks, the
// clamped variance and the extremes are pinned to PyTorch in pytorch-more.test.ts).
import { describe, it, expect } from "vitest";
import { Generator, gradcheck, rand, randn, tensor, type Tensor } from "@tsgrad/core";
import * as L from "@tsgrad/losses";

const generator = new Generator(11);
const normal = (shape: number[], scale = 1) =>
  randn(shape, { dtype: "float64", generator }).mul(scale).detach().requiresGrad_(true);
const uniform = (shape: number[], low: number, high: number) =>
  rand(shape, { dtype: "float64", generator }).mul(high - low).add(low).detach().requiresGrad_(true);
const f64 = (values: number[] | number, shape?: number[]) => {
  const t = tensor(values, { dtype: "float64" });
  return shape ? t.reshape(shape) : t;
};
const leaf = (values: number[], shape?: number[]) => f64(values, shape).requiresGrad_(true);
const int32 = (values: Parameters<typeof tensor>[0]) => tensor(values, { dtype: "int32" });

// klDiv's "mean" warning (checked in warnings.test.ts) kept out of the test output.
function quietly<T>(run: () => T): T {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return run();
  } finally {
    console.warn = warn;
  }
}

interface GradcheckCase {
  name: string;
  inputs: () => Tensor[];
  loss: (reduction: L.Reduction, ...inputs: Tensor[]) => Tensor;
}

const CASES: GradcheckCase[] = [
  {
    name: "klDiv (input, target)",
    inputs: () => [normal([3, 4]).logSoftmax(1).detach().requiresGrad_(true), uniform([3, 4], 0.05, 1)],
    loss: (reduction, x, p) => quietly(() => L.klDiv(x, p, { reduction })),
  },
  {
    name: "klDiv logTarget (input, target)",
    inputs: () => [normal([3, 4]), normal([3, 4])],
    loss: (reduction, x, logP) => quietly(() => L.klDiv(x, logP, { reduction, logTarget: true })),
  },
  {
    name: "poissonNllLoss full (log-rate, target)",
    inputs: () => [normal([2, 4]), leaf([0.5, 1.5, 2, 7, 3, 0.25, 4, 1.25], [2, 4])],
    loss: (reduction, x, t) => L.poissonNllLoss(x, t, { reduction, full: true }),
  },
  {
    name: "poissonNllLoss rate, eps (rate, target)",
    inputs: () => [uniform([2, 3], 0.2, 3), uniform([2, 3], 0, 4)],
    loss: (reduction, x, t) => L.poissonNllLoss(x, t, { reduction, logInput: false, eps: 1e-3 }),
  },
  {
    name: "gaussianNllLoss full, var (N, D) (input, target, var)",
    inputs: () => [normal([3, 4]), normal([3, 4]), uniform([3, 4], 0.2, 2)],
    loss: (reduction, x, t, v) => L.gaussianNllLoss(x, t, v, { reduction, full: true }),
  },
  {
    name: "gaussianNllLoss var (N) (input, target, var)",
    inputs: () => [normal([3, 4]), normal([3, 4]), uniform([3], 0.2, 2)],
    loss: (reduction, x, t, v) => L.gaussianNllLoss(x, t, v, { reduction }),
  },
  {
    name: "hingeEmbeddingLoss (away from the margin)",
    inputs: () => [leaf([0.2, 1.7, 0.4, 2.5, 0.9, 0.1])],
    loss: (reduction, x) => L.hingeEmbeddingLoss(x, f64([1, -1, -1, 1, -1, -1]), { reduction, margin: 1.2 }),
  },
  {
    name: "multilabelMarginLoss (away from the kinks)",
    inputs: () => [leaf([0.13, 0.71, -0.42, 1.9, 0.05, -1.3, 0.88, 0.31], [2, 4])],
    loss: (reduction, x) => L.multilabelMarginLoss(x, int32([[1, 3, -1, 0], [2, 2, 0, -1]]), { reduction }),
  },
  {
    name: "multilabelSoftMarginLoss weight (input, target)",
    inputs: () => [normal([3, 4], 2), uniform([3, 4], 0, 1)],
    loss: (reduction, x, y) => L.multilabelSoftMarginLoss(x, y, { reduction, weight: f64([0.5, 1, 2, 1.5]) }),
  },
  {
    name: "softMarginLoss",
    inputs: () => [normal([3, 4], 2)],
    loss: (reduction, x) => L.softMarginLoss(x, f64([1, -1, -1, 1]), { reduction }),
  },
  {
    name: "cosineEmbeddingLoss margin 0.1 (input1, input2)",
    inputs: () => [leaf([1, 0.5, -0.3, 0.2, 0.8, 1.1, -0.7, 0.4, 0.9], [3, 3]), leaf([0.9, 0.6, 0.1, 1, 0.7, 0.2, 0.5, -1, 0.3], [3, 3])],
    loss: (reduction, a, b) => L.cosineEmbeddingLoss(a, b, f64([1, -1, -1]), { reduction, margin: 0.1 }),
  },
  {
    name: "marginRankingLoss (input1, input2)",
    inputs: () => [leaf([0.3, 1.2, -0.5, 2]), leaf([1.1, 0.1, 0.6, -1])],
    loss: (reduction, a, b) => L.marginRankingLoss(a, b, f64([1, -1, 1, -1]), { reduction, margin: 0.2 }),
  },
  {
    name: "tripletMarginLoss p=2, swap (anchor, positive, negative)",
    inputs: () => [normal([4, 3]), normal([4, 3]), normal([4, 3])],
    loss: (reduction, a, p, n) => L.tripletMarginLoss(a, p, n, { reduction, swap: true, margin: 3 }),
  },
  {
    name: "tripletMarginLoss p=3 (anchor, positive, negative)",
    inputs: () => [normal([4, 3]), normal([4, 3]), normal([4, 3])],
    loss: (reduction, a, p, n) => L.tripletMarginLoss(a, p, n, { reduction, p: 3, margin: 3 }),
  },
  {
    name: "tripletMarginWithDistanceLoss L1, swap (anchor, positive, negative)",
    inputs: () => [normal([4, 3]), normal([4, 3]), normal([4, 3])],
    loss: (reduction, a, p, n) => L.tripletMarginWithDistanceLoss(a, p, n, {
      reduction, swap: true, margin: 5, distanceFunction: (x, y) => x.sub(y).square().sum(-1),
    }),
  },
  {
    // PyTorch's CTC gradient is exact for the logits under logSoftmax (see ctcLoss), so check it there.
    name: "ctcLoss, padded targets (logits through logSoftmax)",
    inputs: () => [normal([6, 3, 4])],
    loss: (reduction, x) => L.ctcLoss(x.logSoftmax(2), int32([[1, 2, 2], [3, 0, 0], [1, 3, 1]]), [6, 5, 6], [3, 1, 3], { reduction }),
  },
  {
    name: "ctcLoss, concatenated targets, blank 3, unbatched-length zero target",
    inputs: () => [normal([5, 2, 4])],
    loss: (reduction, x) => L.ctcLoss(x.logSoftmax(2), int32([0, 1, 1]), [5, 4], [3, 0], { reduction, blank: 3 }),
  },
  {
    name: "ctcLoss unbatched",
    inputs: () => [normal([5, 3])],
    loss: (reduction, x) => L.ctcLoss(x.logSoftmax(1), int32([1, 2]), int32(5), int32(2), { reduction }),
  },
];

describe("float64 gradcheck of the rest of PyTorch's losses", () => {
  const rows = CASES.flatMap((c) => L.REDUCTIONS.map((r) => [c.name, r, c] as const));
  it.each(rows)("%s, reduction %s", (_name, reduction, c) => {
    expect(gradcheck((...inputs) => c.loss(reduction, ...inputs), c.inputs())).toBe(true);
  });

  it("klDiv batchmean", () => {
    expect(gradcheck((x, p) => L.klDiv(x, p, { reduction: "batchmean" }), [normal([3, 4]), uniform([3, 4], 0.05, 1)])).toBe(true);
  });

  it("ctcLoss's gradient in logProbs is PyTorch's: exp(lp) plus the derivative of the loss in them", () => {
    const lp = normal([4, 1, 3]).logSoftmax(2).detach().requiresGrad_(true);
    const loss = (x: Tensor) => L.ctcLoss(x, int32([[1, 2]]), [4], [2], { reduction: "sum" });
    expect(() => gradcheck(loss, [lp])).toThrow(/gradcheck/);
    loss(lp).backward();
    const derivative = lp.grad!.sub(lp.detach().exp()).dataSync();
    const values = lp.detach().dataSync();
    const h = 1e-6;
    for (let k = 0; k < values.length; k++) {
      const at = (delta: number) => loss(f64(Array.from(values, (v, i) => (i === k ? v + delta : v)), [4, 1, 3])).item();
      expect(derivative[k]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 7);
    }
  });

  it("ctcLoss zeroInfinity, with an impossible sample", () => {
    const loss = (x: Tensor) => L.ctcLoss(x.logSoftmax(2), int32([[1, 1, 2], [2, 0, 0]]), [2, 3], [3, 1], { zeroInfinity: true, reduction: "sum" });
    expect(gradcheck(loss, [normal([3, 2, 3])])).toBe(true);
  });
});
