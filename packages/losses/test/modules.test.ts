// The Module classes (options held as fields, printed, weights as buffers) and the doc examples.
import { describe, it, expect } from "vitest";
import { tensor, randn, grad, Generator, type Tensor } from "@tsgrad/core";
import { Module } from "@tsgrad/nn";
import * as L from "@tsgrad/losses";
import { Loss, reduce, type Reduction } from "@tsgrad/losses";
import { expectClose } from "../../../tools/test-utils.js";

const gen = new Generator(3);

describe("loss Modules", () => {
  it("are Modules without parameters that print the non-default options", () => {
    const criterion = new L.MSELoss();
    expect(criterion).toBeInstanceOf(Module);
    expect(criterion.parameters()).toEqual([]);
    expect(criterion.toString()).toBe("MSELoss()");
    expect(new L.HuberLoss({ reduction: "sum", delta: 0.5 }).toString()).toBe('HuberLoss(reduction="sum", delta=0.5)');
    expect(new L.CrossEntropyLoss({ labelSmoothing: 0.1, ignoreIndex: -100 }).toString()).toBe("CrossEntropyLoss(labelSmoothing=0.1)");
    expect(new L.NLLLoss({ weight: tensor([1, 2, 3]) }).toString()).toBe("NLLLoss(weight=<float32 [3]>)");
  });

  it("hold their options as fields with PyTorch's camelCase names and defaults", () => {
    const ce = new L.CrossEntropyLoss();
    expect([ce.reduction, ce.weight, ce.ignoreIndex, ce.labelSmoothing]).toEqual(["mean", undefined, -100, 0]);
    const mm = new L.MultiMarginLoss({ p: 2 });
    expect([mm.p, mm.margin, mm.reduction]).toEqual([2, 1, "mean"]);
    expect(new L.SmoothL1Loss().beta).toBe(1);
    expect(new L.HingeLoss({ margin: 2 }).options).toEqual({ reduction: "mean", margin: 2 });
  });

  it("use reassigned options in forward", () => {
    const x = tensor([1, 2, 3]);
    const y = tensor([0, 0, 0]);
    const criterion = new L.L1Loss();
    expect(criterion.forward(x, y).item()).toBe(2);
    criterion.reduction = "sum";
    expect(criterion.forward(x, y).item()).toBe(6);
    expect(criterion.call(x, y).item()).toBe(6);
  });

  it("register class weights as buffers, so they are in the state dict as in PyTorch", () => {
    const weight = tensor([1, 2, 3]);
    const criterion = new L.CrossEntropyLoss({ weight });
    expect(Object.keys(criterion.stateDict())).toEqual(["weight"]);
    expect(criterion.buffers()).toEqual([weight]);
    expect(Object.keys(new L.BCEWithLogitsLoss({ posWeight: tensor([2]) }).stateDict())).toEqual(["posWeight"]);
    expect(Object.keys(new L.MSELoss().stateDict())).toEqual([]);
  });

  it("give the same loss and gradient as the functional form", () => {
    const logits = randn([4, 3], { dtype: "float64", generator: gen, requiresGrad: true });
    const labels = tensor([2, 0, 1, 1], { dtype: "int32" });
    const weight = tensor([0.5, 1, 2], { dtype: "float64" });
    new L.CrossEntropyLoss({ weight, labelSmoothing: 0.2 }).forward(logits, labels).backward();
    const viaModule = logits.grad!;
    logits.grad = null;
    L.crossEntropy(logits, labels, { weight, labelSmoothing: 0.2 }).backward();
    expectClose(viaModule, logits.grad!, "gradient", 0, 0);
  });

  it("can be subclassed for a custom loss with the shared reduce", () => {
    const cubeLoss = (x: Tensor, y: Tensor, o: { reduction: L.Reduction }) => L.reduce(x.sub(y).abs().pow(3), o.reduction);
    class CubeLoss extends L.Loss<{ reduction: L.Reduction }> {
      constructor(options?: L.ReductionOptions) {
        super(cubeLoss, options, { reduction: "mean" });
      }
    }
    expect(new CubeLoss({ reduction: "sum" }).forward(tensor([2, -1]), tensor([0, 0])).item()).toBe(9);
    expect(new CubeLoss().toString()).toBe("CubeLoss()");
    expect(() => new CubeLoss({ reduction: "max" as L.Reduction })).toThrow('CubeLoss: reduction must be one of "mean", "sum", "none", got "max"');
  });
});

describe("reduce", () => {
  it("divides by the weights' sum for a weighted mean, NaN for no elements", () => {
    const loss = tensor([1, 2, 3]);
    expect(L.reduce(loss, "mean", tensor([1, 1, 2])).item()).toBe(1.5);
    expect(L.reduce(loss, "mean").item()).toBe(2);
    expect(L.reduce(loss, "sum").item()).toBe(6);
    expect(L.reduce(loss, "none")).toBe(loss);
    expect(L.reduce(tensor([]), "mean").item()).toBeNaN();
  });
});

describe("float32 inputs", () => {
  it("give float32 losses close to the float64 ones", () => {
    const x = randn([5, 3], { dtype: "float64", generator: gen });
    const labels = tensor([0, 2, 1, 1, 0], { dtype: "int32" });
    const pairs: Array<[string, (x: Tensor) => Tensor]> = [
      ["crossEntropy", (x) => L.crossEntropy(x, labels, { labelSmoothing: 0.1 })],
      ["binaryCrossEntropyWithLogits", (x) => L.binaryCrossEntropyWithLogits(x, x.gt(0).to(x.dtype))],
      ["binaryCrossEntropy", (x) => L.binaryCrossEntropy(x.sigmoid(), x.gt(0.3).to("float64"))],
      ["huberLoss", (x) => L.huberLoss(x, x.mul(0.5))],
    ];
    for (const [name, f] of pairs) {
      const single = f(x.to("float32"));
      expect(single.dtype, name).toBe("float32");
      expectClose(single, f(x), name, 1e-5, 1e-6);
    }
  });
});

describe("documented examples", () => {
  it("compute the values their comments state", () => {
    const logits = tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]]);
    const labels = tensor([0, 2], { dtype: "int32" });
    expect(L.crossEntropy(logits, labels).item()).toBeCloseTo(0.1755, 4);
    expect(L.crossEntropy(logits, tensor([[1, 0, 0], [0, 0, 1]])).item()).toBeCloseTo(L.crossEntropy(logits, labels).item(), 6);
    expect(L.mseLoss(tensor([1, 2]), tensor([1, 4]), { reduction: "sum" }).item()).toBe(4);
    expect(L.l1Loss(tensor([1, 2, 3]), tensor([1, 0, 4])).item()).toBe(1);
    expect(L.huberLoss(tensor([0.5, 3]), tensor([0, 0]), { reduction: "none" }).toArray()).toEqual([0.125, 2.5]);
    expect(L.smoothL1Loss(tensor([0.5, 3]), tensor([0, 0]), { reduction: "none" }).toArray()).toEqual([0.125, 2.5]);
    expect(L.hingeLoss(tensor([2, 0.5, -1]), tensor([1, 1, 1]), { reduction: "none" }).toArray()).toEqual([0, 0.5, 2]);
    expect(L.perceptronLoss(tensor([2, -1]), tensor([1, 1]), { reduction: "none" }).toArray()).toEqual([0, 1]);
    expect(L.multiMarginLoss(tensor([[0.1, 0.2, 0.4, 0.8]]), tensor([3], { dtype: "int32" })).item()).toBeCloseTo(0.325, 6);
  });

  it("huber is delta times smooth L1 with beta = delta", () => {
    const x = randn([6], { dtype: "float64", generator: gen }).mul(3);
    const y = randn([6], { dtype: "float64", generator: gen });
    expectClose(L.huberLoss(x, y, { delta: 1.7, reduction: "none" }), L.smoothL1Loss(x, y, { beta: 1.7, reduction: "none" }).mul(1.7), "huber");
  });
});

describe("zeroOneLoss", () => {
  it("counts errors without a gradient, even on inputs that require grad", () => {
    const scores = tensor([[2, 1], [0, 3], [1, 0]], { dtype: "float64", requiresGrad: true });
    const labels = tensor([0, 0, 0], { dtype: "int32" });
    const rate = L.zeroOneLoss(scores, labels);
    expect(rate.item()).toBeCloseTo(1 / 3, 12);
    expect(rate.requiresGrad).toBe(false);
    expect(rate.dtype).toBe("float64");
    expect(L.zeroOneLoss(scores, labels, { reduction: "none" }).toArray()).toEqual([0, 1, 0]);
    expect(L.zeroOneLoss(tensor([0.5, -2, 0]).sign(), tensor([1, 1, -1]), { reduction: "sum" }).item()).toBe(2);
    expect(L.zeroOneLoss(tensor([0.2, 0.9, 0.1]), tensor(1, { dtype: "int32" })).item()).toBe(0);
  });
});

describe("strided inputs", () => {
  it("transposed and expanded views give the same loss and gradient as contiguous copies", () => {
    const raw = randn([3, 5], { dtype: "float64", generator: gen });
    const labels = tensor([4, 0, 2], { dtype: "int32" });
    const target01 = randn([3, 5], { dtype: "float64", generator: gen }).gt(0).to("float64");
    const cases: Array<[string, (x: Tensor) => Tensor]> = [
      ["crossEntropy", (x) => L.crossEntropy(x, labels, { labelSmoothing: 0.1 })],
      ["crossEntropy probabilities", (x) => L.crossEntropy(x, target01.T.contiguous().T.softmax(1))],
      ["binaryCrossEntropyWithLogits", (x) => L.binaryCrossEntropyWithLogits(x, target01.T.contiguous().T, { posWeight: tensor([2], { dtype: "float64" }).expand(5) })],
      ["binaryCrossEntropy", (x) => L.binaryCrossEntropy(x.sigmoid(), target01.T.contiguous().T)],
      ["klDiv", (x) => L.klDiv(x.logSoftmax(1), target01.T.contiguous().T.add(1).softmax(1), { reduction: "batchmean" })],
      ["poissonNllLoss", (x) => L.poissonNllLoss(x, target01.T.contiguous().T.mul(3), { full: true })],
      ["gaussianNllLoss, strided variance", (x) => L.gaussianNllLoss(x, target01, x.detach().square().add(0.5).T.contiguous().T)],
      ["multilabelMarginLoss, strided target", (x) => L.multilabelMarginLoss(x, tensor([[4, 1, 2], [0, -1, 3], [-1, 1, 0], [2, 0, 1], [1, 3, 4]], { dtype: "int32" }).T)],
      ["multilabelSoftMarginLoss", (x) => L.multilabelSoftMarginLoss(x, target01.T.contiguous().T)],
      ["softMarginLoss", (x) => L.softMarginLoss(x, target01.mul(2).sub(1).T.contiguous().T)],
      ["cosineEmbeddingLoss", (x) => L.cosineEmbeddingLoss(x, raw.flip([0]), tensor([1, -1, 1], { dtype: "float64" }))],
      ["tripletMarginLoss", (x) => L.tripletMarginLoss(x, raw.flip([1]), raw.flip([0]), { swap: true, margin: 3 })],
      ["ctcLoss unbatched, strided logProbs and targets", (x) => L.ctcLoss(x.logSoftmax(1), tensor([[1, 9], [2, 9]], { dtype: "int32" }).T.reshape(4).narrow(0, 0, 2), [3], [2])],
    ];
    for (const [name, loss] of cases) {
      const leaf = raw.T.contiguous().detach().requiresGrad_(true); // [5, 3]
      const strided = leaf.T;                                      // [3, 5] view, strides [1, 3]
      expect(strided.isContiguous()).toBe(false);
      const a = loss(strided);
      a.backward();
      const copy = raw.detach().requiresGrad_(true);
      const b = loss(copy);
      b.backward();
      expectClose(a, b, `${name}: loss`, 1e-12);
      expectClose(leaf.grad!.T, copy.grad!, `${name}: gradient`, 1e-12);
    }
  });
});

describe("a user-defined Loss", () => {
  it("can hold options of its own next to reduction, shown by toString when not the default", () => {
    interface QuantileOptions { reduction: Reduction; quantile: number }
    const pinball = (input: Tensor, target: Tensor, options: QuantileOptions): Tensor => {
      const d = target.sub(input);
      return reduce(d.mul(options.quantile).maximum(d.mul(options.quantile - 1)), options.reduction);
    };
    class QuantileLoss extends Loss<QuantileOptions> {
      declare quantile: number;
      constructor(options?: Partial<QuantileOptions>) {
        super(pinball, options, { reduction: "mean", quantile: 0.5 });
      }
    }
    const criterion = new QuantileLoss({ quantile: 0.9 });
    expect(criterion.quantile).toBe(0.9);
    expect(criterion.toString()).toBe("QuantileLoss(quantile=0.9)");
    // residuals 2 and -1: 0.9·2 and 0.1·1, mean 0.95
    expect(criterion.forward(tensor([0, 3]), tensor([2, 2])).item()).toBeCloseTo(0.95, 6);
    expect(() => new QuantileLoss({ quantil: 0.9 } as Partial<QuantileOptions>)).toThrow(/QuantileLoss: unknown option "quantil"/);
  });
});

describe("the rest of PyTorch's loss Modules", () => {
  it("hold PyTorch's options and defaults, print the non-default ones and keep weights as buffers", () => {
    const kl = new L.KLDivLoss({ reduction: "batchmean" });
    expect([kl.reduction, kl.logTarget]).toEqual(["batchmean", false]);
    expect(kl.toString()).toBe('KLDivLoss(reduction="batchmean")');
    const poisson = new L.PoissonNLLLoss();
    expect([poisson.logInput, poisson.full, poisson.eps]).toEqual([true, false, 1e-8]);
    expect(new L.GaussianNLLLoss().options).toEqual({ reduction: "mean", full: false, eps: 1e-6 });
    expect([new L.HingeEmbeddingLoss().margin, new L.CosineEmbeddingLoss().margin, new L.MarginRankingLoss().margin]).toEqual([1, 0, 0]);
    const triplet = new L.TripletMarginLoss({ p: 1 });
    expect([triplet.margin, triplet.p, triplet.eps, triplet.swap]).toEqual([1, 1, 1e-6, false]);
    expect(triplet.toString()).toBe("TripletMarginLoss(p=1)");
    const ctc = new L.CTCLoss({ zeroInfinity: true });
    expect([ctc.blank, ctc.reduction, ctc.zeroInfinity]).toEqual([0, "mean", true]);
    expect(ctc.toString()).toBe("CTCLoss(zeroInfinity=true)");
    const l1 = (a: Tensor, b: Tensor) => a.sub(b).abs().sum(-1);
    expect(new L.TripletMarginWithDistanceLoss({ distanceFunction: l1, swap: true }).toString())
      .toBe("TripletMarginWithDistanceLoss(distanceFunction=<function l1>, swap=true)");
    expect(Object.keys(new L.MultiLabelSoftMarginLoss({ weight: tensor([1, 2]) }).stateDict())).toEqual(["weight"]);
    expect(new L.SoftMarginLoss().toString()).toBe("SoftMarginLoss()");
    expect(new L.MultiLabelMarginLoss({ reduction: "sum" }).toString()).toBe('MultiLabelMarginLoss(reduction="sum")');
  });

  it("take their own tensor arguments in forward and call", () => {
    const [x1, x2, y] = [tensor([1, 2]), tensor([2, 0]), tensor([1, 1])];
    const ranking = new L.MarginRankingLoss({ margin: 0.5 });
    expect(ranking.forward(x1, x2, y).item()).toBe(0.75); // max(0, 1.5) and max(0, -1.5), averaged
    expect(ranking.call(x1, x2, y).item()).toBe(0.75);
    ranking.margin = 0;
    expect(ranking.forward(x1, x2, y).item()).toBe(0.5);
  });
});

describe("edge cases PyTorch 1.13 leaves undefined", () => {
  it("multilabelMarginLoss of an empty batch: NaN mean, 0 sum (PyTorch reads uninitialised memory)", () => {
    const x = tensor([], { dtype: "float64" }).reshape(0, 3);
    const y = tensor([], { dtype: "int32" }).reshape(0, 3);
    expect(L.multilabelMarginLoss(x, y).item()).toBeNaN();
    expect(L.multilabelMarginLoss(x, y, { reduction: "sum" }).item()).toBe(0);
  });

  it("ctcLoss with an input length of 0: loss 0 for an empty target, ∞ otherwise, and a zero gradient", () => {
    const lp = randn([3, 2, 4], { dtype: "float64", generator: gen }).logSoftmax(2).detach().requiresGrad_(true);
    const loss = L.ctcLoss(lp, tensor([[1, 2], [0, 0]], { dtype: "int32" }), [0, 0], [2, 0], { reduction: "none" });
    expect(loss.toArray()).toEqual([Infinity, 0]);
    loss.mul(tensor([0, 1], { dtype: "float64" })).sum().backward();
    expect(Array.from(lp.grad!.dataSync()).every((g) => g === 0)).toBe(true);
  });

  it("ctcLoss has no double backward, as PyTorch", () => {
    const lp = randn([3, 1, 3], { dtype: "float64", generator: gen }).logSoftmax(2).detach().requiresGrad_(true);
    const loss = L.ctcLoss(lp, tensor([[1]], { dtype: "int32" }), [3], [1]);
    expect(() => grad([loss], [lp], { createGraph: true })).toThrow("ctcLoss: the gradient of ctcLoss is not differentiable (no double backward, as in PyTorch)");
  });

  it("multiMarginLoss keeps the unbatched target's shape for reduction none: (1) gives [1], 0-d gives 0-d", () => {
    const x = tensor([0.1, 0.2, 0.4, 0.8]);
    expect(L.multiMarginLoss(x, tensor([3], { dtype: "int32" }), { reduction: "none" }).shape).toEqual([1]);
    expect(L.multiMarginLoss(x, tensor(3, { dtype: "int32" }), { reduction: "none" }).shape).toEqual([]);
    expect(L.multiMarginLoss(x, tensor([3], { dtype: "int32" })).shape).toEqual([]);
  });
});
