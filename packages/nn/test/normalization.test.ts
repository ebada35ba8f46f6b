/**
 * Normalization layers against PyTorch (tools/fixtures/gen_nn_norm.py): each case loads PyTorch's
 * state dict with strict: true, runs its training or eval steps, and compares the outputs, the
 * input and parameter gradients and the updated running statistics (float64 to 1e-10, float32 to
 * 1e-5); the state-dict keys, order and shapes, and the printed form, are PyTorch's. Then float64
 * gradcheck / gradgradcheck of every functional form (both backward paths of the fused ops),
 * train/eval behaviour, edge shapes and bad inputs.
 */
import { describe, it, expect } from "vitest";
import { Tensor, Generator, gradcheck, gradgradcheck, grad, ones, randn, tensor, zeros, noGrad } from "@tsgrad/core";
import {
  F, Module, BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d, LayerNorm, GroupNorm, RMSNorm,
  LocalResponseNorm, Sequential, Linear,
} from "@tsgrad/nn";
import { decode, expectBadInput, expectClose, loadFixture, type BadInputRow, type EncodedTensor } from "../../../tools/test-utils.js";

interface LayerCase {
  layer: string;
  args: Array<number | number[]>;
  options: Record<string, unknown>;
  train: boolean;
  dtype: "float32" | "float64";
  source: string;
  repr: string;
  stateBefore: Record<string, EncodedTensor>;
  stateKeys: string[];
  xs: EncodedTensor[];
  ys: EncodedTensor[];
  gout: EncodedTensor;
  gx: EncodedTensor;
  paramGrads: Record<string, EncodedTensor>;
  stateAfter: Record<string, EncodedTensor>;
}
interface NormalizeCase {
  options: { p: number; dim: number; eps: number };
  x: EncodedTensor;
  y: EncodedTensor;
  gout: EncodedTensor;
  gx: EncodedTensor;
}
const fixture = loadFixture<{ layers: LayerCase[]; normalize: NormalizeCase[] }>(new URL("./fixtures/normalization.json", import.meta.url));

const LAYERS: Record<string, new (...args: any[]) => Module> = {
  BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d, LayerNorm, GroupNorm, RMSNorm, LocalResponseNorm,
};

/** PyTorch's repr in tsgrad's spelling: camelCase option names, JS literals, shapes as arrays. */
function tsgradRepr(pytorch: string): string {
  return pytorch
    .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
    .replace(/\bTrue\b/g, "true").replace(/\bFalse\b/g, "false").replace(/\bNone\b/g, "null")
    .replace(/\((\d+(?:, \d+)*),?\)(?=,)/g, "[$1]");
}

function build(c: LayerCase): Module {
  // LocalResponseNorm has no parameters, so no dtype option.
  const options = c.layer === "LocalResponseNorm" ? c.options : { ...c.options, dtype: c.dtype };
  return new LAYERS[c.layer](...c.args, options);
}

const tolerance = (dtype: string): [number, number] => (dtype === "float64" ? [1e-10, 1e-10] : [1e-5, 1e-5]);

describe("normalization layers match PyTorch", () => {
  for (const c of fixture.layers) {
    const name = `${c.layer}(${c.args.map((a) => JSON.stringify(a)).join(", ")}) ${JSON.stringify(c.options)} ${c.train ? "train" : "eval"} ${c.dtype}`;
    it(name, () => {
      const [rtol, atol] = tolerance(c.dtype);
      const m = build(c);
      expect(Object.keys(m.stateDict()), "state-dict keys in PyTorch's order").toEqual(c.stateKeys);
      expect(String(m)).toBe(tsgradRepr(c.repr));
      const state = Object.fromEntries(Object.entries(c.stateBefore).map(([k, v]) => [k, decode(v)]));
      m.loadStateDict(state); // strict
      m.train(c.train);
      let y: Tensor | undefined;
      let x: Tensor | undefined;
      c.xs.forEach((ex, i) => {
        x = decode(ex, { requiresGrad: true });
        y = m.forward(x) as Tensor;
        expect(y.dtype).toBe(c.dtype);
        expectClose(y, c.ys[i], `${c.layer} output ${i}`, rtol, atol);
      });
      y!.backward(decode(c.gout));
      expectClose(x!.grad!, c.gx, `${c.layer} input grad`, rtol, atol);
      const params = Object.fromEntries(m.namedParameters());
      expect(Object.keys(params).sort()).toEqual(Object.keys(c.paramGrads).sort());
      for (const [k, g] of Object.entries(c.paramGrads)) expectClose(params[k].grad!, g, `${c.layer} ${k} grad`, rtol, atol);
      // The state after the steps (running statistics, batch count) is PyTorch's, and it loads back
      // into PyTorch's layout strictly: same keys, shapes and dtypes (int64 → int32, see the docs).
      const after = m.stateDict();
      expect(Object.keys(after)).toEqual(Object.keys(c.stateAfter));
      for (const [k, v] of Object.entries(c.stateAfter)) {
        expect(after[k].dtype, k).toBe(v.dtype);
        expectClose(after[k], v, `${c.layer} state ${k}`, rtol, atol);
      }
      const fresh = build(c);
      fresh.loadStateDict(after);
      expect(Object.keys(fresh.stateDict())).toEqual(c.stateKeys);
    });
  }
});

describe("F.normalize matches PyTorch", () => {
  for (const c of fixture.normalize) {
    it(JSON.stringify(c.options), () => {
      const x = decode(c.x, { requiresGrad: true });
      const y = F.normalize(x, c.options);
      expectClose(y, c.y, "normalize", 1e-10, 1e-10);
      y.backward(decode(c.gout));
      expectClose(x.grad!, c.gx, "normalize grad", 1e-10, 1e-10);
    });
  }
});

const gen = new Generator(7);
const r = (shape: number[]): Tensor => randn(shape, { dtype: "float64", generator: gen, requiresGrad: true });
const stats = (): [Tensor, Tensor] => [tensor([0.3, -0.2, 1], { dtype: "float64" }), tensor([0.5, 2, 1.5], { dtype: "float64" })];

describe("gradcheck of the functional forms (float64)", () => {
  // Each fused op has two backward paths: the fused kernel (plain backward, checked by gradcheck)
  // and Tensor ops (createGraph, checked by gradgradcheck).
  const cases: Array<[string, (...t: Tensor[]) => Tensor, Tensor[]]> = [
    ["batchNorm train (N, C)", (x, w, b) => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }), [r([4, 3]), r([3]), r([3])]],
    ["batchNorm train (N, C, H, W)", (x, w, b) => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }), [r([2, 3, 2, 3]), r([3]), r([3])]],
    ["batchNorm train without affine", (x) => F.batchNorm(x, null, null, { training: true }), [r([3, 3, 2])]],
    ["batchNorm eval", (x, w, b) => F.batchNorm(x, ...stats(), { weight: w, bias: b }), [r([2, 3, 4]), r([3]), r([3])]],
    ["layerNorm one dim", (x, w, b) => F.layerNorm(x, [4], { weight: w, bias: b }), [r([2, 3, 4]), r([4]), r([4])]],
    ["layerNorm two dims", (x, w, b) => F.layerNorm(x, [3, 4], { weight: w, bias: b, eps: 1e-3 }), [r([2, 3, 4]), r([3, 4]), r([3, 4])]],
    ["layerNorm weight only", (x, w) => F.layerNorm(x, 5, { weight: w }), [r([3, 5]), r([5])]],
    ["layerNorm no affine", (x) => F.layerNorm(x, [5]), [r([3, 5])]],
    ["groupNorm", (x, w, b) => F.groupNorm(x, 2, { weight: w, bias: b }), [r([2, 4, 3]), r([4]), r([4])]],
    ["instanceNorm", (x, w, b) => F.instanceNorm(x, { weight: w, bias: b }), [r([2, 3, 4]), r([3]), r([3])]],
    ["instanceNorm with running stats", (x) => F.instanceNorm(x, { runningMean: stats()[0], runningVar: stats()[1], useInputStats: false }), [r([2, 3, 4])]],
    ["rmsNorm", (x, w) => F.rmsNorm(x, [4], { weight: w }), [r([2, 3, 4]), r([4])]],
    ["rmsNorm two dims, eps", (x) => F.rmsNorm(x, [3, 4], { eps: 1e-3 }), [r([2, 3, 4])]],
    ["localResponseNorm 3D", (x) => F.localResponseNorm(x, 3, { alpha: 0.5, k: 2 }), [r([2, 5, 3])]],
    ["localResponseNorm 4D", (x) => F.localResponseNorm(x, 2, { alpha: 1, beta: 0.5 }), [r([1, 3, 2, 2])]],
    ["normalize", (x) => F.normalize(x, { dim: -1 }), [r([3, 4])]],
    ["normalize p=1", (x) => F.normalize(x, { p: 1 }), [r([3, 4])]],
  ];
  for (const [name, fn, inputs] of cases) {
    it(name, () => {
      expect(gradcheck(fn, inputs)).toBe(true);
      expect(gradgradcheck(fn, inputs)).toBe(true);
    });
  }

  it("the fused and the Tensor-op backward agree (non-contiguous input and upstream gradient)", () => {
    const x = r([3, 4, 5]).transpose(0, 1); // (N=4, C=3, L=5), non-contiguous
    const w = r([3]);
    const g = randn([5, 3, 4], { dtype: "float64", generator: gen }).permute(2, 1, 0);
    for (const fn of [
      (t: Tensor) => F.batchNorm(t, null, null, { weight: w, training: true }),
      (t: Tensor) => F.layerNorm(t, [5], { weight: randn([5], { dtype: "float64", generator: new Generator(1) }) }),
    ]) {
      const fused = grad([fn(x)], [x, w], { gradOutputs: [g], allowUnused: true, retainGraph: true });
      const composed = grad([fn(x)], [x, w], { gradOutputs: [g], allowUnused: true, createGraph: true });
      for (let i = 0; i < 2; i++) {
        if (fused[i] === null) continue;
        expectClose(fused[i]!, composed[i]!.detach(), "fused vs Tensor-op backward", 1e-12, 1e-12);
      }
    }
  });
});

describe("train/eval behaviour", () => {
  it("BatchNorm updates running stats and counts batches only in training; eval uses them", () => {
    const bn = new BatchNorm1d(2, { dtype: "float64" });
    const x = tensor([[1, 10], [3, 30], [5, 50]], { dtype: "float64" });
    bn.forward(x);
    expect(bn.runningMean!.toArray()).toEqual([0.30000000000000004, 3]);
    expect(bn.runningVar!.toArray()).toEqual([0.9 + 0.4, 0.9 + 40]); // unbiased var 4 and 400
    expect(bn.numBatchesTracked!.item()).toBe(1);
    expect(bn.numBatchesTracked!.dtype).toBe("int32");
    bn.eval();
    const y = bn.forward(x);
    const rm = bn.runningMean!.reshape([1, 2]);
    const rv = bn.runningVar!.reshape([1, 2]);
    expectClose(y, x.sub(rm).div(rv.add(1e-5).sqrt()), "eval uses running stats", 1e-12, 1e-12);
    expect(bn.numBatchesTracked!.item()).toBe(1);
  });

  it("momentum null is the cumulative average of the batch statistics", () => {
    const bn = new BatchNorm1d(1, { momentum: null, dtype: "float64" });
    for (const batch of [[1, 3], [5, 7], [0, 10]]) bn.forward(tensor(batch, { dtype: "float64" }).reshape([2, 1]));
    expectClose(bn.runningMean!, tensor([(2 + 6 + 5) / 3], { dtype: "float64" }), "cumulative mean", 1e-12, 1e-12);
    expectClose(bn.runningVar!, tensor([(2 + 2 + 50) / 3], { dtype: "float64" }), "cumulative var", 1e-12, 1e-12);
  });

  it("without running stats BatchNorm normalizes by the batch in eval too; LayerNorm is the same in both modes", () => {
    const x = randn([4, 3], { generator: gen });
    const bn = new BatchNorm1d(3, { trackRunningStats: false });
    expect(bn.runningMean).toBeNull();
    expectClose(bn.eval().forward(x), bn.train().forward(x), "BatchNorm without stats");
    const ln = new LayerNorm(3);
    expectClose(ln.eval().forward(x), ln.train().forward(x), "LayerNorm");
  });

  it("InstanceNorm with trackRunningStats uses them in eval and does not count batches (as PyTorch)", () => {
    const norm = new InstanceNorm1d(2, { trackRunningStats: true });
    norm.forward(randn([3, 2, 5], { generator: gen }));
    expect(norm.numBatchesTracked!.item()).toBe(0);
    expect(norm.runningMean!.abs().sum().item()).toBeGreaterThan(0);
    norm.eval();
    const x = randn([1, 2, 4], { generator: gen });
    const rm = norm.runningMean!.reshape([1, 2, 1]);
    const rv = norm.runningVar!.reshape([1, 2, 1]);
    expectClose(norm.forward(x), x.sub(rm).div(rv.add(1e-5).sqrt()), "eval instance norm", 1e-5, 1e-6);
  });

  it("resetRunningStats and resetParameters restore PyTorch's initial state", () => {
    const bn = new BatchNorm2d(2);
    bn.forward(randn([2, 2, 3, 3], { generator: gen }));
    noGrad(() => bn.weight!.fill_(3));
    bn.resetParameters();
    expect(bn.runningMean!.toArray()).toEqual([0, 0]);
    expect(bn.runningVar!.toArray()).toEqual([1, 1]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    expect(bn.weight!.toArray()).toEqual([1, 1]);
    expect(bn.bias!.toArray()).toEqual([0, 0]);
  });

  it("to(float64) casts the parameters and running stats but leaves the int32 batch count", () => {
    const model = new Sequential(new Linear(3, 4), new BatchNorm1d(4)).double();
    const bn = model.at(1) as BatchNorm1d;
    expect(bn.runningMean!.dtype).toBe("float64");
    expect(bn.numBatchesTracked!.dtype).toBe("int32");
    expect(Object.keys(model.stateDict())).toEqual(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"]);
    expect(model.namedBuffers().map(([n]) => n)).toEqual(["1.running_mean", "1.running_var", "1.num_batches_tracked"]);
  });
});

describe("edge shapes", () => {
  it("empty batches, size-1 normalized dims and 0-d normalizedShape", () => {
    expect(F.layerNorm(zeros([0, 4]), [4]).shape).toEqual([0, 4]);
    expect(F.layerNorm(ones([3, 1]), [1]).toArray()).toEqual([[0], [0], [0]]);
    expect(F.rmsNorm(tensor([2, -2], { dtype: "float64" }), []).toArray()).toEqual([1 / Math.sqrt(1 + Number.EPSILON / 4), -1 / Math.sqrt(1 + Number.EPSILON / 4)]);
    expect(F.localResponseNorm(zeros([0, 3, 2]), 2).shape).toEqual([0, 3, 2]);
    expect(F.groupNorm(zeros([0, 4, 2]), 2).shape).toEqual([0, 4, 2]);
    const x = r([1, 3, 4]);
    expect(new InstanceNorm1d(3).forward(x.squeeze(0)).shape).toEqual([3, 4]);
  });

  it("an expanded input normalizes like its copy", () => {
    const base = randn([1, 3, 4], { dtype: "float64", generator: gen });
    const expanded = base.expand([2, 3, 4]);
    expectClose(F.batchNorm(expanded, null, null, { training: true }), F.batchNorm(expanded.contiguous(), null, null, { training: true }), "expanded", 0, 0);
  });
});

describe("normalization bad inputs", () => {
  const rows: BadInputRow[] = [
    { what: "BatchNorm2d on a 3D input", call: () => new BatchNorm2d(3).forward(ones([2, 3, 4])), error: RangeError, op: "BatchNorm2d", names: ["4D", "(N, C, H, W)", "3D", "[2, 3, 4]"] },
    { what: "BatchNorm1d on a 4D input", call: () => new BatchNorm1d(3).forward(ones([2, 3, 4, 4])), error: RangeError, op: "BatchNorm1d", names: ["2D or 3D", "[2, 3, 4, 4]"] },
    { what: "BatchNorm1d with the wrong channel count", call: () => new BatchNorm1d(3).forward(ones([2, 4])), error: RangeError, op: "batchNorm", names: ["runningMean", "[3]", "[2, 4]", "[4]"] },
    { what: "BatchNorm one value per channel when training", call: () => new BatchNorm1d(3).forward(ones([1, 3])), error: RangeError, op: "batchNorm", names: ["more than 1 value per channel", "[1, 3]"] },
    { what: "BatchNorm float64 input, float32 weights", call: () => new BatchNorm1d(3).forward(ones([2, 3], { dtype: "float64" })), error: TypeError, op: "batchNorm", names: ["float32", "float64"] },
    { what: "BatchNorm int32 input", call: () => new BatchNorm1d(3).forward(ones([2, 3], { dtype: "int32" })), error: TypeError, op: "batchNorm", names: ["int32"] },
    { what: "BatchNorm of a number", call: () => new BatchNorm1d(3).forward(3 as never), error: TypeError, op: "BatchNorm1d", names: ["number 3"] },
    { what: "BatchNorm with a negative eps", call: () => new BatchNorm1d(3, { eps: -1 }), error: RangeError, op: "BatchNorm1d", names: ["eps", "-1"] },
    { what: "BatchNorm with fractional features", call: () => new BatchNorm2d(2.5), error: RangeError, op: "BatchNorm2d", names: ["numFeatures", "2.5"] },
    { what: "BatchNorm with an unknown option", call: () => new BatchNorm1d(3, { momentun: 0.1 } as never), error: TypeError, op: "BatchNorm1d", names: ["momentun"] },
    { what: "F.batchNorm eval without running stats", call: () => F.batchNorm(ones([2, 3]), null, null), error: TypeError, op: "batchNorm", names: ["runningMean and runningVar are required"] },
    { what: "F.batchNorm with only a running mean", call: () => F.batchNorm(ones([2, 3]), zeros([3]), null, { training: true }), error: TypeError, op: "batchNorm", names: ["both"] },
    { what: "F.batchNorm on a 1D input", call: () => F.batchNorm(ones([3]), zeros([3]), ones([3])), error: RangeError, op: "batchNorm", names: ["at least 2 dims", "[3]"] },
    { what: "F.batchNorm with a bad weight", call: () => F.batchNorm(ones([2, 3]), null, null, { weight: ones([2]), training: true }), error: RangeError, op: "batchNorm", names: ["weight", "[2]", "[3]"] },
    { what: "F.batchNorm with a number weight", call: () => F.batchNorm(ones([2, 3]), null, null, { weight: 2 as never, training: true }), error: TypeError, op: "batchNorm", names: ["weight", "number 2"] },
    { what: "InstanceNorm with momentum null", call: () => new InstanceNorm1d(3, { momentum: null }), error: TypeError, op: "InstanceNorm1d", names: ["momentum", "null"] },
    { what: "InstanceNorm1d on a 4D input", call: () => new InstanceNorm1d(3).forward(ones([1, 3, 2, 2])), error: RangeError, op: "InstanceNorm1d", names: ["2D or 3D", "[1, 3, 2, 2]"] },
    { what: "InstanceNorm with affine and the wrong channel count", call: () => new InstanceNorm2d(3, { affine: true }).forward(ones([1, 2, 3, 3])), error: RangeError, op: "InstanceNorm2d", names: ["numFeatures (3)", "[1, 2, 3, 3]"] },
    { what: "instanceNorm with one spatial element", call: () => F.instanceNorm(ones([2, 3, 1])), error: RangeError, op: "instanceNorm", names: ["more than 1 spatial element", "[2, 3, 1]"] },
    { what: "instanceNorm on a 2D input", call: () => F.instanceNorm(ones([2, 3])), error: RangeError, op: "instanceNorm", names: ["at least 3 dims", "[2, 3]"] },
    { what: "layerNorm with a shape that does not end the input", call: () => F.layerNorm(ones([2, 3]), [4]), error: RangeError, op: "layerNorm", names: ["normalizedShape=[4]", "[*, 4]", "[2, 3]"] },
    { what: "LayerNorm with the wrong last dim", call: () => new LayerNorm([3, 4]).forward(ones([2, 4, 3])), error: RangeError, op: "layerNorm", names: ["[3, 4]", "[2, 4, 3]"] },
    { what: "LayerNorm with a string shape", call: () => new LayerNorm("4" as never), error: TypeError, op: "LayerNorm", names: ["normalizedShape", '"4"'] },
    { what: "layerNorm with a weight of the wrong shape", call: () => F.layerNorm(ones([2, 4]), [4], { weight: ones([3]) }), error: RangeError, op: "layerNorm", names: ["weight", "[3]", "[4]"] },
    { what: "GroupNorm with indivisible channels", call: () => new GroupNorm(2, 3), error: RangeError, op: "GroupNorm", names: ["numChannels (3)", "numGroups (2)"] },
    { what: "groupNorm with indivisible channels", call: () => F.groupNorm(ones([2, 3, 4]), 2), error: RangeError, op: "groupNorm", names: ["divisible", "[2, 3, 4]", "numGroups=2"] },
    { what: "GroupNorm with the wrong channel count", call: () => new GroupNorm(2, 4).forward(ones([2, 6])), error: RangeError, op: "GroupNorm", names: ["4 channels", "[2, 6]"] },
    { what: "groupNorm with zero groups", call: () => F.groupNorm(ones([2, 4]), 0), error: RangeError, op: "groupNorm", names: ["numGroups", "0"] },
    { what: "rmsNorm with a negative eps", call: () => F.rmsNorm(ones([2, 4]), [4], { eps: -1 }), error: RangeError, op: "rmsNorm", names: ["eps", "-1"] },
    { what: "RMSNorm with the wrong last dim", call: () => new RMSNorm(4).forward(ones([2, 3])), error: RangeError, op: "rmsNorm", names: ["[*, 4]", "[2, 3]"] },
    { what: "localResponseNorm on a 2D input", call: () => F.localResponseNorm(ones([2, 3]), 2), error: RangeError, op: "localResponseNorm", names: ["3 or more dims", "[2, 3]"] },
    { what: "LocalResponseNorm with size 0", call: () => new LocalResponseNorm(0), error: RangeError, op: "LocalResponseNorm", names: ["size", "0"] },
    { what: "normalize with a fractional dim", call: () => F.normalize(ones([2, 3]), { dim: 0.5 }), error: RangeError, op: "normalize", names: ["dim", "0.5"] },
    { what: "normalize of an int32 tensor", call: () => F.normalize(ones([2, 3], { dtype: "int32" })), error: TypeError, op: "normalize", names: ["int32"] },
    { what: "loading a state dict without running stats", call: () => new BatchNorm1d(2).loadStateDict({ weight: ones([2]), bias: zeros([2]) }), error: RangeError, op: "loadStateDict", names: ["running_mean", "running_var", "num_batches_tracked"] },
  ];
  for (const row of rows) it(row.what, () => expectBadInput(row));
});
