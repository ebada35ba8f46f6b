/**
 * ONNX export (issue 12): each exported model is loaded by the real engine, onnxruntime-node (its
 * CPU binary ships in the npm package; the install script is disabled in pnpm-workspace.yaml), and
 * its outputs for batches of several sizes match tsgrad's to 1e-5 (|Δ| ≤ 1e-5·(1 + |tsgrad|)).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import onnxProto from "onnx-proto";
import { describe, expect, it } from "vitest";
import * as tg from "tsgrad";
import { exportOnnx, type ExportOnnxOptions } from "tsgrad/node";

const { nn } = tg;
const dir = mkdtempSync(join(tmpdir(), "tsgrad-onnx-"));
const DYNAMIC: ExportOnnxOptions = { dynamicAxes: { input: { 0: "batch" }, output: { 0: "batch" } } };

/** The tensors of a forward's result, flattened in order (arrays and pair results). */
function flat(v: unknown): tg.Tensor[] {
  if (v instanceof tg.Tensor) return [v];
  if (v instanceof tg.ValuesIndices) return [v.values, v.indices];
  if (Array.isArray(v)) return v.flatMap(flat);
  if (tg.isPlainObject(v)) return Object.values(v).flatMap(flat);
  return [];
}

const ORT_TYPE = { float32: "float32", float64: "float64", int32: "int32", bool: "bool" } as const;
const toOrt = (t: tg.Tensor): ort.Tensor => new ort.Tensor(ORT_TYPE[t.dtype as keyof typeof ORT_TYPE], t.contiguous().dataSync() as Float32Array, t.shape);

/** Runs the exported bytes in ONNX Runtime on each input set and compares with tsgrad's eval-mode outputs. */
async function expectSameOutputs(model: tg.nn.Module, bytes: Uint8Array, inputSets: tg.Tensor[][], what: string, names?: { inputs?: string[] }): Promise<void> {
  const session = await ort.InferenceSession.create(bytes);
  model.eval();
  for (const inputs of inputSets) {
    const feeds: Record<string, ort.Tensor> = {};
    inputs.forEach((x, i) => (feeds[names?.inputs?.[i] ?? session.inputNames[i]] = toOrt(x)));
    const result = await session.run(feeds);
    const wants = flat(tg.noGrad(() => model.forward(...inputs)));
    expect(session.outputNames.length, `${what}: outputs`).toBe(wants.length);
    session.outputNames.forEach((name, k) => {
      const got = result[name];
      const want = wants[k];
      const at = `${what}, inputs ${JSON.stringify(inputs.map((x) => x.shape))}, output ${name}`;
      expect([...got.dims], `${at}: shape`).toEqual(want.shape);
      const w = want.dataSync();
      const g = got.data as ArrayLike<number | bigint>;
      expect(g.length, `${at}: size`).toBe(w.length);
      for (let i = 0; i < w.length; i++) {
        const gi = Number(g[i]);
        const err = Math.abs(w[i] - gi) / (1 + Math.abs(w[i]));
        if (!(err <= 1e-5)) expect.fail(`${at}: element ${i} is ${gi} in ONNX Runtime, ${w[i]} in tsgrad`);
      }
    });
  }
}

// Inputs over [-6, 6), so thresholds and clips (Softplus's 20/β, Hardtanh, ReLU6) are crossed on both sides.
const uniform = (shape: number[], scale = 6): tg.Tensor => tg.rand(shape).mul(2 * scale).sub(scale);
const batches = (features: number[], scale = 6): tg.Tensor[][] => [1, 4, 9].map((n) => [uniform([n, ...features], scale)]);

/** A module whose forward is `fn`, with `children` as fields (so their parameters are the model's). */
function custom(fn: (self: Record<string, tg.nn.Module>, ...xs: tg.Tensor[]) => unknown, children: Record<string, tg.nn.Module> = {}): tg.nn.Module {
  class CustomForward extends nn.Module {
    constructor() {
      super();
      Object.assign(this, children);
    }
    forward(...xs: tg.Tensor[]): unknown {
      return fn(this as unknown as Record<string, tg.nn.Module>, ...xs);
    }
  }
  return new CustomForward();
}

const ACTIVATIONS: Array<[string, () => tg.nn.Module]> = [
  ["ReLU", () => new nn.ReLU()], ["LeakyReLU(0.2)", () => new nn.LeakyReLU(0.2)], ["ELU(0.5)", () => new nn.ELU(0.5)],
  ["CELU(2)", () => new nn.CELU(2)], ["SELU", () => new nn.SELU()], ["Sigmoid", () => new nn.Sigmoid()], ["Tanh", () => new nn.Tanh()],
  ["Softsign", () => new nn.Softsign()], ["SiLU", () => new nn.SiLU()], ["Mish", () => new nn.Mish()], ["LogSigmoid", () => new nn.LogSigmoid()],
  ["Tanhshrink", () => new nn.Tanhshrink()], ["Softplus", () => new nn.Softplus()], ["Softplus(β 2, threshold 3)", () => new nn.Softplus({ beta: 2, threshold: 3 })],
  ["GELU", () => new nn.GELU()], ["GELU(tanh)", () => new nn.GELU({ approximate: "tanh" })], ["Hardtanh(-0.5, 0.7)", () => new nn.Hardtanh(-0.5, 0.7)],
  ["ReLU6", () => new nn.ReLU6()], ["Hardsigmoid", () => new nn.Hardsigmoid()], ["Hardswish", () => new nn.Hardswish()],
  ["Softmax(1)", () => new nn.Softmax(1)], ["LogSoftmax(1)", () => new nn.LogSoftmax(1)], ["PReLU(5)", () => new nn.PReLU({ numParameters: 5 })],
  ["PReLU(1)", () => new nn.PReLU()], ["Hardshrink(0.7)", () => new nn.Hardshrink(0.7)], ["Softshrink(0.4)", () => new nn.Softshrink(0.4)],
  ["Threshold(0.3, -2)", () => new nn.Threshold(0.3, -2)], ["Softmin(1)", () => new nn.Softmin(1)], ["RReLU (eval)", () => new nn.RReLU()],
  ["Step", () => new nn.Step()],
];

describe("exportOnnx: layers, run by ONNX Runtime", () => {
  for (const [name, make] of ACTIVATIONS) {
    it(`Linear → ${name} → Linear, batches of 1, 4 and 9`, async () => {
      tg.manualSeed(0);
      // Weights scaled up so the hidden values span the activation's kinks.
      const model = new nn.Sequential(new nn.Linear(3, 5), make(), new nn.Linear(5, 2));
      tg.noGrad(() => (model.at(0) as tg.nn.Linear).weight.mul_(3));
      await expectSameOutputs(model, exportOnnx(model, tg.zeros([2, 3]), undefined, DYNAMIC), batches([3]), name);
    });
  }

  it("nested Sequentials with Flatten, Dropout (identity in eval), Identity; written to the path", async () => {
    tg.manualSeed(1);
    const model = new nn.Sequential(
      new nn.Flatten(), new nn.Sequential(new nn.Linear(6, 8), new nn.Dropout(0.5), new nn.Tanh()), new nn.Identity(), new nn.Linear(8, 3, { bias: false }),
    );
    model.train();
    const path = join(dir, "nested.onnx");
    const bytes = exportOnnx(model, tg.zeros([2, 2, 3]), path, DYNAMIC);
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    expect(model.training).toBe(true); // exported in eval mode, the mode restored after
    expect(model.parameters().every((p) => p.requiresGrad)).toBe(true); // cleared for the trace only
    await expectSameOutputs(model, bytes, batches([2, 3]), "nested");
  });

  it("a small CNN like examples/mnist-cnn.ts (conv, batch norm with trained statistics, max-pool, flatten, dropout)", async () => {
    tg.manualSeed(2);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 8, 5, { padding: 2 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(8, 16, 5, { padding: 2 }), new nn.BatchNorm2d(16), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Flatten(), new nn.Dropout(0.25), new nn.Linear(16 * 7 * 7, 64), new nn.ReLU(), new nn.Linear(64, 10),
    );
    model.train();
    tg.noGrad(() => model.forward(uniform([6, 1, 28, 28], 1))); // running statistics away from 0 and 1
    await expectSameOutputs(model, exportOnnx(model, tg.zeros([1, 1, 28, 28]), undefined, DYNAMIC), batches([1, 28, 28], 1), "mnist-cnn");
  });

  const CONVS: Array<[string, () => tg.nn.Module, number[], ExportOnnxOptions?]> = [
    ["Conv1d(groups 2, dilation 2, stride 2, padding 3)", () => new nn.Conv1d(4, 6, 3, { groups: 2, dilation: 2, stride: 2, padding: 3 }), [4, 11]],
    ["Conv1d(padding \"same\", even kernel)", () => new nn.Conv1d(2, 3, 4, { padding: "same", dilation: 3 }), [2, 10]],
    ["Conv2d(padding \"same\", kernel [2, 3])", () => new nn.Conv2d(2, 4, [2, 3], { padding: "same" }), [2, 5, 6]],
    ["Conv2d(padding \"valid\", stride [2, 1], no bias)", () => new nn.Conv2d(3, 2, 3, { padding: "valid", stride: [2, 1], bias: false }), [3, 7, 6]],
    ["Conv2d(depthwise, groups = channels)", () => new nn.Conv2d(4, 8, 3, { groups: 4, padding: 1 }), [4, 5, 5]],
    ["Conv2d(paddingMode reflect)", () => new nn.Conv2d(2, 3, 3, { padding: [1, 2], paddingMode: "reflect" }), [2, 5, 6]],
    ["Conv2d(paddingMode replicate)", () => new nn.Conv2d(2, 3, 3, { padding: 2, paddingMode: "replicate" }), [2, 4, 4]],
    ["Conv2d(paddingMode circular), opset 19", () => new nn.Conv2d(2, 3, 3, { padding: 1, paddingMode: "circular" }), [2, 4, 5], { opset: 19 }],
    ["ConvTranspose2d(stride 2, padding 1, outputPadding 1, groups 2, dilation 2)", () => new nn.ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2, dilation: 2 }), [4, 5, 4]],
    ["ConvTranspose1d(stride 3)", () => new nn.ConvTranspose1d(2, 3, 4, { stride: 3 }), [2, 6]],
  ];
  for (const [name, make, shape, extra] of CONVS) {
    it(name, async () => {
      tg.manualSeed(3);
      const model = make();
      await expectSameOutputs(model, exportOnnx(model, tg.zeros([2, ...shape]), undefined, { ...DYNAMIC, ...extra }), batches(shape, 2), name);
    });
  }

  it("Linear on 1-d, 2-d (Gemm) and 3-d inputs, with and without bias", async () => {
    tg.manualSeed(18);
    for (const bias of [true, false]) {
      const model = new nn.Linear(3, 2, { bias });
      await expectSameOutputs(model, exportOnnx(model, tg.zeros([3])), [[uniform([3])]], `Linear 1-d, bias ${bias}`);
      await expectSameOutputs(model, exportOnnx(model, tg.zeros([2, 3]), undefined, DYNAMIC), batches([3]), `Linear 2-d, bias ${bias}`);
      await expectSameOutputs(model, exportOnnx(model, tg.zeros([2, 5, 3]), undefined, DYNAMIC), batches([5, 3]), `Linear 3-d, bias ${bias}`);
    }
  });

  it("unbatched inputs (C, ...) get a batch dim for ONNX's Conv, pools and norms and lose it after", async () => {
    const cases: Array<[tg.nn.Module, number[]]> = [
      [new nn.Conv1d(2, 3, 3), [2, 7]], [new nn.MaxPool2d(2, { ceilMode: true }), [2, 5, 5]], [new nn.AvgPool1d(3, { padding: 1 }), [2, 7]],
      [new nn.AdaptiveAvgPool2d(1), [2, 3, 3]], [new nn.InstanceNorm1d(2), [2, 6]],
    ];
    for (const [model, shape] of cases) await expectSameOutputs(model, exportOnnx(model, tg.zeros(shape)), [[uniform(shape)]], `unbatched ${String(model)}`);
  });

  const POOLS: Array<[string, () => tg.nn.Module, number[]]> = [
    ["MaxPool1d(3, stride 2, padding 1, dilation 2)", () => new nn.MaxPool1d(3, { stride: 2, padding: 1, dilation: 2 }), [3, 12]],
    ["MaxPool2d(2, stride 3, ceilMode): PyTorch drops a last window that starts past the input", () => new nn.MaxPool2d(2, { stride: 3, ceilMode: true }), [2, 6, 7]],
    ["MaxPool2d([3, 2], stride 2, padding 1, ceilMode)", () => new nn.MaxPool2d([3, 2], { stride: 2, padding: 1, ceilMode: true }), [2, 6, 5]],
    ["AvgPool1d(3, stride 2, padding 1) counting padding", () => new nn.AvgPool1d(3, { stride: 2, padding: 1 }), [3, 10]],
    ["AvgPool2d(3, stride 2, padding 1, countIncludePad false)", () => new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }), [2, 7, 6]],
    ["AvgPool2d(3, stride 2, padding 1, ceilMode) counting padding, windows past it", () => new nn.AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true }), [2, 6, 8]],
    ["AvgPool2d(2, stride 2, ceilMode, countIncludePad false)", () => new nn.AvgPool2d(2, { ceilMode: true, countIncludePad: false }), [2, 5, 5]],
    ["AdaptiveAvgPool2d(1) (global)", () => new nn.AdaptiveAvgPool2d(1), [3, 5, 4]],
    ["AdaptiveAvgPool2d([2, 3]) from 6×6", () => new nn.AdaptiveAvgPool2d([2, 3]), [3, 6, 6]],
    ["AdaptiveAvgPool1d(2) from 8", () => new nn.AdaptiveAvgPool1d(2), [3, 8]],
    ["AdaptiveMaxPool2d(1) (global)", () => new nn.AdaptiveMaxPool2d([1, 1]), [3, 5, 4]],
    ["AdaptiveMaxPool1d(3) from 9", () => new nn.AdaptiveMaxPool1d(3), [2, 9]],
  ];
  for (const [name, make, shape] of POOLS) {
    it(name, async () => {
      const model = make();
      await expectSameOutputs(model, exportOnnx(model, tg.zeros([2, ...shape]), undefined, DYNAMIC), batches(shape), name);
    });
  }

  const RESHAPING: Array<[string, () => tg.nn.Module, number[]]> = [
    ["Upsample(scaleFactor 2, nearest)", () => new nn.Upsample({ scaleFactor: 2, mode: "nearest" }), [2, 3, 4]],
    ["Upsample(scaleFactor 1.5, nearest)", () => new nn.Upsample({ scaleFactor: 1.5, mode: "nearest" }), [2, 5, 4]],
    ["Upsample(size [7, 5], nearest-exact)", () => new nn.Upsample({ size: [7, 5], mode: "nearest-exact" }), [2, 3, 4]],
    ["Upsample(scaleFactor [1.5, 2.5], bilinear)", () => new nn.Upsample({ scaleFactor: [1.5, 2.5], mode: "bilinear" }), [2, 4, 4]],
    ["Upsample(size [5, 7], bilinear, alignCorners)", () => new nn.Upsample({ size: [5, 7], mode: "bilinear", alignCorners: true }), [2, 3, 4]],
    ["Upsample(scaleFactor 3, linear)", () => new nn.Upsample({ scaleFactor: 3, mode: "linear" }), [2, 5]],
    ["Upsample(size [6, 9], bicubic)", () => new nn.Upsample({ size: [6, 9], mode: "bicubic" }), [2, 3, 4]],
    ["Upsample(scaleFactor 2, bicubic, alignCorners)", () => new nn.Upsample({ scaleFactor: 2, mode: "bicubic", alignCorners: true }), [2, 3, 4]],
    ["UpsamplingBilinear2d(scaleFactor 2)", () => new nn.UpsamplingBilinear2d({ scaleFactor: 2 }), [2, 3, 4]],
    ["UpsamplingNearest2d(size 6)", () => new nn.UpsamplingNearest2d({ size: 6 }), [2, 3, 4]],
    // traced through: reshapes, permutes, pads and compositions
    ["PixelShuffle(2)", () => new nn.PixelShuffle(2), [8, 3, 4]],
    ["PixelUnshuffle(2)", () => new nn.PixelUnshuffle(2), [2, 4, 6]],
    ["ChannelShuffle(2)", () => new nn.ChannelShuffle(2), [4, 3, 3]],
    ["ZeroPad2d([1, 2, 0, 1])", () => new nn.ZeroPad2d([1, 2, 0, 1]), [2, 3, 3]],
    ["ReflectionPad1d(2)", () => new nn.ReflectionPad1d(2), [2, 5]],
    ["Unflatten(1, [2, 4])", () => new nn.Unflatten(1, [2, 4]), [8]],
    ["LocalResponseNorm(3)", () => new nn.LocalResponseNorm(3), [4, 3, 3]],
    ["GLU(1)", () => new nn.GLU(1), [6]],
    ["Softmax2d", () => new nn.Softmax2d(), [3, 2, 2]],
  ];
  for (const [name, make, shape] of RESHAPING) {
    it(name, async () => {
      const model = make();
      await expectSameOutputs(model, exportOnnx(model, tg.zeros([2, ...shape]), undefined, DYNAMIC), batches(shape, 2), name);
    });
  }

  const NORMS: Array<[string, () => tg.nn.Module, number[], ExportOnnxOptions?]> = [
    ["BatchNorm1d on (N, C)", () => new nn.BatchNorm1d(5), [5]],
    ["BatchNorm1d on (N, C, L), no affine", () => new nn.BatchNorm1d(3, { affine: false }), [3, 4]],
    ["BatchNorm2d", () => new nn.BatchNorm2d(3, { eps: 1e-3 }), [3, 4, 4]],
    ["LayerNorm([4, 5]), opset 17 (LayerNormalization)", () => new nn.LayerNorm([4, 5]), [3, 4, 5]],
    ["LayerNorm(5), opset 13 (decomposed)", () => new nn.LayerNorm(5), [3, 5], { opset: 13 }],
    ["LayerNorm(5) without affine", () => new nn.LayerNorm(5, { elementwiseAffine: false }), [5]],
    ["InstanceNorm1d (each sample's statistics)", () => new nn.InstanceNorm1d(3), [3, 6]],
    ["InstanceNorm2d(affine, trackRunningStats: running statistics in eval)", () => new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }), [3, 4, 5]],
    ["RMSNorm([2, 3]) (machine-epsilon default)", () => new nn.RMSNorm([2, 3]), [4, 2, 3]],
    ["RMSNorm(4, eps 0.1, no affine)", () => new nn.RMSNorm(4, { eps: 0.1, elementwiseAffine: false }), [4]],
    ["GroupNorm(2, 6) on (N, 6, 3, 4)", () => new nn.GroupNorm(2, 6), [6, 3, 4]],
    ["GroupNorm(3, 3) on (N, 3, 5)", () => new nn.GroupNorm(3, 3, { affine: false }), [3, 5]],
  ];
  for (const [name, make, shape, extra] of NORMS) {
    it(name, async () => {
      tg.manualSeed(4);
      const model = make();
      model.train();
      tg.noGrad(() => model.forward(uniform([8, ...shape], 3))); // batch norm: trained running statistics
      // Affine parameters away from ones and zeros.
      tg.noGrad(() => model.parameters().forEach((p) => p.copy_(tg.rand(p.shape).add(0.5))));
      await expectSameOutputs(model, exportOnnx(model, tg.zeros([2, ...shape]), undefined, { ...DYNAMIC, ...extra }), batches(shape, 3), name);
    });
  }
});

describe("exportOnnx: traced forwards, run by ONNX Runtime", () => {
  it("a custom-forward residual MLP (Linear children, x.add, relu, layerNorm, slicing, cat, mean over a dim)", async () => {
    tg.manualSeed(5);
    const model = custom((m, x) => {
      const h = (m.fc1.forward(x) as tg.Tensor).relu();
      const r = x.add(m.fc2.forward(h) as tg.Tensor); // the residual
      const n = m.norm.forward(r) as tg.Tensor;
      const both = tg.cat([n, n.index(tg.slice(), tg.slice(0, 2)).mul(2)], 1);
      return m.head.forward(both.sub(both.mean(1, true))) as tg.Tensor;
    }, { fc1: new nn.Linear(4, 16), fc2: new nn.Linear(16, 4), norm: new nn.LayerNorm(4), head: new nn.Linear(6, 3) });
    await expectSameOutputs(model, exportOnnx(model, tg.zeros([2, 4]), undefined, DYNAMIC), batches([4]), "residual MLP");
  });

  it("a subclass of a known layer with its own forward is traced through, not exported as the layer", async () => {
    class ScaledLinear extends nn.Linear {
      override forward(x: tg.Tensor): tg.Tensor {
        return super.forward(x).mul(3);
      }
    }
    const model = new nn.Sequential(new ScaledLinear(3, 2));
    await expectSameOutputs(model, exportOnnx(model, tg.zeros([2, 3]), undefined, DYNAMIC), batches([3]), "ScaledLinear");
  });

  it("records the outermost call only, layers as their nodes, parameters under their stateDict names", () => {
    const model = custom((m, x) => {
      const h = (m.fc.forward(x) as tg.Tensor).softmax(-1); // softmax is built of exp, sum, div inside
      return (m.ln.forward(h) as tg.Tensor).var(1); // var is built of mean and more
    }, { fc: new nn.Linear(3, 4), ln: new nn.LayerNorm(4) });
    const decoded = onnxProto.onnx.ModelProto.decode(exportOnnx(model, tg.zeros([2, 3])));
    const graph = decoded.graph!;
    expect(graph.node!.map((n) => n.opType)).toEqual(["Gemm", "Softmax", "LayerNormalization", "ReduceMean", "Sub", "Mul", "ReduceSum", "Div"]);
    expect(graph.initializer!.map((t) => t.name).filter((n) => !n!.startsWith("const"))).toEqual(["fc.weight", "fc.bias", "ln.weight", "ln.bias"]);
    expect(Number(decoded.opsetImport![0].version)).toBe(17);
  });

  it("an LSTM sequence model: 2 layers, bidirectional, batchFirst, the last step into a Linear", async () => {
    tg.manualSeed(6);
    const model = custom((m, x) => {
      const [out, [hN, cN]] = (m.lstm as tg.nn.LSTM).forward(x);
      return [m.head.forward(out.select(1, -1)) as tg.Tensor, hN, cN];
    }, { lstm: new nn.LSTM(3, 5, { numLayers: 2, bidirectional: true, batchFirst: true }), head: new nn.Linear(10, 2) });
    const options = { dynamicAxes: { input: { 0: "batch", 1: "time" } } };
    const bytes = exportOnnx(model, tg.zeros([2, 4, 3]), undefined, options);
    await expectSameOutputs(model, bytes, [[uniform([1, 4, 3], 2)], [uniform([4, 7, 3], 2)], [uniform([9, 1, 3], 2)]], "LSTM");
  });

  const RECURRENT: Array<[string, () => tg.nn.Module, number[]]> = [
    ["GRU (2 layers, bidirectional)", () => new nn.GRU(3, 4, { numLayers: 2, bidirectional: true }), [5, 3]],
    ["GRU (batchFirst, no bias)", () => new nn.GRU(3, 4, { batchFirst: true, bias: false }), [5, 3]],
    ["RNN (tanh, 3 layers)", () => new nn.RNN(3, 4, { numLayers: 3 }), [5, 3]],
    ["RNN (relu, bidirectional)", () => new nn.RNN(3, 4, { nonlinearity: "relu", bidirectional: true }), [5, 3]],
    ["LSTM (1 layer, time-major)", () => new nn.LSTM(3, 4), [5, 3]],
  ];
  for (const [name, make, [steps, features]] of RECURRENT) {
    it(name, async () => {
      tg.manualSeed(7);
      const model = make();
      const batchFirst = (model as tg.nn.RNNBase).batchFirst;
      const shape = (n: number): number[] => (batchFirst ? [n, steps, features] : [steps, n, features]);
      const bytes = exportOnnx(model, tg.zeros(shape(2)), undefined, { dynamicAxes: { input: { [batchFirst ? 0 : 1]: "batch" } } });
      await expectSameOutputs(model, bytes, [1, 4, 9].map((n) => [uniform(shape(n), 2)]), name);
    });
  }

  it("a GRU from a given initial state, and an unbatched LSTM from [h0, c0]: several inputs", async () => {
    tg.manualSeed(8);
    const gru = new nn.GRU(3, 4, { numLayers: 2 });
    const gruBytes = exportOnnx(gru, [tg.zeros([5, 2, 3]), tg.zeros([2, 2, 4])], undefined, { inputNames: ["x", "h0"], outputNames: ["y", "hN"], dynamicAxes: { x: { 1: "batch" }, h0: { 1: "batch" } } });
    await expectSameOutputs(gru, gruBytes, [1, 4, 9].map((n) => [uniform([5, n, 3], 2), uniform([2, n, 4], 1)]), "GRU with h0", { inputs: ["x", "h0"] });
    const lstm = custom((m, x, h0, c0) => (m.lstm as tg.nn.LSTM).forward(x, [h0, c0]), { lstm: new nn.LSTM(3, 4, { bidirectional: true }) });
    const lstmBytes = exportOnnx(lstm, [tg.zeros([5, 3]), tg.zeros([2, 4]), tg.zeros([2, 4])]);
    await expectSameOutputs(lstm, lstmBytes, [[uniform([5, 3], 2), uniform([2, 4], 1), uniform([2, 4], 1)]], "unbatched LSTM");
  });

  it("an embedding + mean-pool classifier on int32 token ids", async () => {
    tg.manualSeed(9);
    const model = custom((m, ids) => m.head.forward((m.emb.forward(ids) as tg.Tensor).mean(1)), { emb: new nn.Embedding(20, 6), head: new nn.Linear(6, 3) });
    const ids = (n: number, len: number): tg.Tensor => tg.randint(0, 20, [n, len]);
    const bytes = exportOnnx(model, ids(2, 5), undefined, { dynamicAxes: { input: { 0: "batch", 1: "tokens" }, output: { 0: "batch" } } });
    await expectSameOutputs(model, bytes, [[ids(1, 5)], [ids(4, 3)], [ids(9, 8)]], "embedding classifier");
  });

  it("MultiheadAttention (batchFirst, with its averaged weights) and Transformer encoder layers, traced through", async () => {
    tg.manualSeed(13);
    const inputs = [1, 4, 9].map((n) => [tg.randn([n, 5, 8])]);
    const dynamic = { dynamicAxes: { input: { 0: "batch" } } };
    const mha = custom((m, x) => (m.attn as tg.nn.MultiheadAttention).forward(x, x, x), { attn: new nn.MultiheadAttention(8, 2, { batchFirst: true }) });
    await expectSameOutputs(mha, exportOnnx(mha, tg.zeros([2, 5, 8]), undefined, dynamic), inputs, "MultiheadAttention");
    const causal = nn.Transformer.generateSquareSubsequentMask(5);
    const layers: Array<[string, tg.nn.Module]> = [
      ["post-norm, relu", new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true })],
      ["pre-norm, GELU layer, causal mask", custom((m, x) => (m.layer as tg.nn.TransformerEncoderLayer).forward(x, { srcMask: causal }), {
        layer: new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, normFirst: true, activation: new nn.GELU() }),
      })],
      ["a 2-layer TransformerEncoder", new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 4, { dimFeedforward: 12, batchFirst: true }), 2)],
    ];
    for (const [name, model] of layers) await expectSameOutputs(model, exportOnnx(model, tg.zeros([2, 5, 8]), undefined, dynamic), inputs, name);
  });

  it("a whole nn.Transformer (encoder and decoder, causal target mask): two inputs", async () => {
    tg.manualSeed(14);
    const model = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, batchFirst: true });
    const causal = nn.Transformer.generateSquareSubsequentMask(4);
    const wrapped = custom((m, src, tgt) => (m.t as tg.nn.Transformer).forward(src, tgt, { tgtMask: causal }), { t: model });
    const bytes = exportOnnx(wrapped, [tg.zeros([2, 6, 8]), tg.zeros([2, 4, 8])], undefined, { dynamicAxes: { input_0: { 0: "batch" }, input_1: { 0: "batch" } } });
    await expectSameOutputs(wrapped, bytes, [1, 4, 9].map((n) => [tg.randn([n, 6, 8]), tg.randn([n, 4, 8])]), "Transformer");
  });

  it("EmbeddingBag over 2-D ids (sum with per-sample weights, mean, max)", async () => {
    tg.manualSeed(16);
    const ids = (n: number): tg.Tensor => tg.randint(0, 10, [n, 4]);
    for (const mode of ["mean", "max"] as const) {
      const bag = new nn.EmbeddingBag(10, 3, { mode });
      await expectSameOutputs(bag, exportOnnx(bag, ids(2), undefined, DYNAMIC), [1, 4, 9].map((n) => [ids(n)]), `EmbeddingBag ${mode}`);
    }
    const sum = custom((m, i, w) => (m.bag as tg.nn.EmbeddingBag).forward(i, null, w), { bag: new nn.EmbeddingBag(10, 3, { mode: "sum" }) });
    const bytes = exportOnnx(sum, [ids(2), tg.zeros([2, 4])], undefined, { dynamicAxes: { input_0: { 0: "n" }, input_1: { 0: "n" } } });
    await expectSameOutputs(sum, bytes, [1, 4, 9].map((n) => [ids(n), tg.rand([n, 4])]), "EmbeddingBag sum, weighted");
    expect(() => exportOnnx(new nn.EmbeddingBag(10, 3), [tg.tensor([1, 2, 3], { dtype: "int32" }), tg.tensor([0, 2], { dtype: "int32" })])).toThrow(/cannot export EmbeddingBag with offsets \(at the model\)/);
  });

  it("multiple inputs and outputs, names, a pair result (max over a dim)", async () => {
    tg.manualSeed(10);
    const model = custom((m, a, b) => {
      const s = a.matmul(b.transpose(0, 1));
      return [s.softmax(-1), s.max(1)];
    });
    const options = { inputNames: ["a", "b"], outputNames: ["probs", "best", "bestIndex"], dynamicAxes: { a: { 0: "n" } } };
    const bytes = exportOnnx(model, [tg.zeros([2, 3]), tg.zeros([4, 3])], undefined, options);
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(["a", "b"]);
    expect(session.outputNames).toEqual(["probs", "best", "bestIndex"]);
    await expectSameOutputs(model, bytes, [1, 4, 9].map((n) => [uniform([n, 3]), uniform([4, 3])]), "two in, three out", { inputs: ["a", "b"] });
  });

  // One row per traced op (or small composition): the forward of a model without layers.
  const mask = (x: tg.Tensor): tg.Tensor => x.gt(0);
  tg.manualSeed(12);
  const [w, w2, k1, k2] = [tg.rand([4, 3]), tg.rand([2, 5]), tg.randn([2, 2, 2]), tg.randn([4, 1, 1, 2])]; // constants of the forwards below
  const OPS: Array<[string, (x: tg.Tensor) => unknown, number[]?]> = [
    ["add/sub/mul/div with scalars and alpha", (x) => x.add(1).sub(x.mul(0.5), { alpha: 2 }).div(3).add(tg.ones([4]), { alpha: -1 })],
    ["pow (number, tensor), square, sqrt, rsqrt, reciprocal", (x) => x.abs().add(1).pow(1.5).add(x.square()).add(x.abs().add(1).sqrt()).add(x.abs().add(1).rsqrt()).add(x.abs().add(1).pow(x.sigmoid())).add(x.add(10).reciprocal())],
    ["floorDivide, remainder, fmod, hypot, heaviside, lerp, addcmul, addcdiv", (x) => tg.stack([x.floorDivide(1.5), x.remainder(-1.5), x.remainder(1.25), x.fmod(1.5), x.hypot(x.flip(1)), x.heaviside(tg.tensor(0.5)), x.round().heaviside(x), x.lerp(x.flip(1), 0.3), x.lerp(x.flip(1), x.sigmoid()), x.addcmul(x, x, { value: 0.5 }), x.addcdiv(x, x.abs().add(1))], 0)],
    // x.T.mv(v) is the case ONNX Runtime's Transpose + MatMul fusion got wrong with a 1-d operand.
    ["dot, mv, outer, ger, matmul with 1-d operands", (x) => {
      const [v, u] = [x.index(0), x.index(tg.slice(), 0)];
      return [v.dot(x.index(-1)), x.T.mv(u), v.outer(x.index(-1)), x.sum(0).ger(v), v.matmul(x.T), x.T.matmul(u), v.matmul(v), u.matmul(x).matmul(v)];
    }],
    ["exp, log, log1p, expm1, log2, log10, exp2", (x) => tg.stack([x.exp(), x.abs().add(0.1).log(), x.abs().log1p(), x.div(4).expm1(), x.abs().add(1).log2(), x.abs().add(1).log10(), x.div(2).exp2()], 0)],
    ["trigonometry and erf", (x) => tg.stack([x.sin(), x.cos(), x.div(8).tan(), x.div(7).asin(), x.div(7).acos(), x.atan(), x.div(2).sinh(), x.div(2).cosh(), x.asinh(), x.abs().add(1).acosh(), x.div(7).atanh(), x.erf()], 0)],
    ["neg, abs, sign, floor, ceil, round, relu, sigmoid, tanh", (x) => tg.stack([x.neg(), x.abs(), x.sign(), x.floor(), x.ceil(), x.mul(2).round(), x.relu(), x.sigmoid(), x.tanh()], 0)],
    ["clamp, clip, clampMin, clampMax, maximum, minimum", (x) => x.clamp(-1, 2).add(x.clip(null, 0.5)).add(x.clampMin(-0.5)).add(x.clampMax(1)).add(x.maximum(x.flip(1))).add(x.minimum(tg.zeros([4])))],
    ["comparisons, where, maskedFill, logical ops, casts", (x) => {
      const m = mask(x).logicalAnd(x.lt(2)).logicalOr(x.eq(x)).logicalXor(x.ge(1)).logicalNot().logicalOr(x.ne(0).logicalAnd(x.le(-3)));
      return tg.where(m, x, x.mul(-2)).add(x.maskedFill(x.gt(1), 7)).add(m.float()).add(x.gt(0).int().to("float32"));
    }],
    ["sum, mean, amax, amin, prod, logsumexp over dims, keepdim", (x) => x.sum(1, true).add(x.mean(-1, true)).add(x.amax(1, true)).add(x.amin([1], true)).add(x.div(4).prod(1, true)).add(x.logsumexp(1, true)).add(x.sum())],
    ["var, std (correction 0 and 1), norm", (x) => tg.stack([x.var(1), x.std(1, { correction: 0 }), x.norm(2, 1), x.norm(1, 1)], 1)],
    ["argmax, argmin, max, min (all and over a dim)", (x) => [x.argmax(1), x.argmin(1, true), x.max(), x.min(0), x.argmax()]],
    ["softmax, logSoftmax over dims", (x) => x.softmax(1).add(x.logSoftmax(0)).add(x.softmax(-1).log())],
    ["cumsum", (x) => x.cumsum(1)],
    ["matmul (batched, broadcast), mm, bmm, F.linear", (x) => {
      const y = x.matmul(w).add(x.mm(w)).add(tg.nn.F.linear(x, w.T, tg.ones([3])));
      const b = x.unsqueeze(1);
      return [y, b.bmm(b.transpose(1, 2)), x.reshape(-1, 2, 2).matmul(w2)];
    }],
    ["reshape/view (batch kept), flatten, unflatten, viewAs", (x) => x.reshape(-1, 2, 2).view(x.shape[0], 4).unflatten(1, [2, 2]).flatten(1).add(x.reshape(x.shape[0], 2, 2).flatten(1)).viewAs(x)],
    ["permute, transpose, T, mT, t, movedim, swapaxes", (x) => {
      const y = x.reshape(x.shape[0], 2, 2);
      return [y.permute(2, 0, 1), y.transpose(0, 2).swapaxes(1, 2), x.T, y.mT, x.t(), y.movedim(0, 2)];
    }],
    ["squeeze, unsqueeze, expand, expandAs, broadcastTo", (x) => {
      const y = x.unsqueeze(1).unsqueeze(-1);
      return [y.squeeze(1), x.sum(0, true).unsqueeze(-1).squeeze(), y.expand(-1, 3, 4, 2), x.unsqueeze(1).expandAs(tg.zeros([x.shape[0], 2, 4])), x.sum(1, true).broadcastTo(x.shape)];
    }],
    ["index with integers, slices (negative, stepped), null and ...", (x) => {
      const y = x.reshape(x.shape[0], 2, 2);
      return [y.index("...", 1), y.index(tg.slice(), null, tg.slice(-1)), x.index(tg.slice(), tg.slice(null, null, 2)), y.index(tg.slice(), 0, tg.slice(0, 1)), x.index(tg.slice(), tg.tensor([3, 0, 0], { dtype: "int32" }))];
    }],
    ["narrow, select, split, chunk, unbind, cat, stack", (x) => {
      const [a, b] = x.split([1, 3], 1);
      const parts = x.chunk(2, 1);
      return [x.narrow(1, 1, 2), x.select(1, -1), tg.cat([b, a], 1), tg.stack(parts, 2), ...x.unbind(1)];
    }],
    ["gather, indexSelect, flip, tile, repeat, tril, triu", (x) => {
      const idx = tg.cat([x.abs().argmax(1, true), x.argmin(1, true)], 1); // live indices
      const sq = x.reshape(-1, 2, 2);
      return [x.gather(1, idx), x.indexSelect(1, tg.tensor([2, 2, 0], { dtype: "int32" })), x.flip(1), x.tile(1, 2), x.repeat(2, 1).reshape(2, -1), sq.tril(), sq.triu(1)];
    }],
    ["F.conv1d, F.conv2d (\"same\", groups), F.convTranspose1d in a custom forward", (x) => {
      const seq = x.reshape(-1, 2, 2);
      return [tg.nn.F.conv1d(seq, k1, null, { padding: "same" }), tg.nn.F.conv2d(x.reshape(-1, 2, 1, 2), k2, tg.ones([4]), { groups: 2, padding: [0, 1] }), tg.nn.F.convTranspose1d(seq, k1.transpose(0, 1), null, { stride: 2 })];
    }],
    ["F.pad: constant with a value, negative (crops), reflect, replicate", (x) => {
      const y = x.reshape(-1, 1, 4);
      return [tg.nn.F.pad(x, [1, 2], { value: -3 }), tg.nn.F.pad(x, [-1, 1]), tg.nn.F.pad(y, [2, 1], "reflect"), tg.nn.F.pad(y, [0, 3, 1, 0], { mode: "replicate" })];
    }],
    ["topk (largest, smallest), sort (ascending, descending), argsort", (x) => [x.topk(2), x.topk(3, 1, { largest: false }), x.sort(), x.sort(1, { descending: true }), x.argsort(-1, true)]],
    ["a bool mask: x.index(mask), maskedSelect (a data-dependent size)", (x) => [x.index(x.gt(0)), x.maskedSelect(x.lt(1)), x.reshape(-1, 2, 2).index(x.reshape(-1, 2, 2).sum(-1).gt(0))]],
    ["constants made in forward: a mask from arange, a weight reshaped", (x) => x.mul(tg.arange(4).lt(2).float()).add(tg.linspace(0, 1, 4).reshape(1, 4))],
  ];
  for (const [name, fn, features] of OPS) {
    it(`ops: ${name}`, async () => {
      tg.manualSeed(11);
      const model = custom((_, x) => fn(x));
      const shape = features ?? [4];
      const bytes = exportOnnx(model, tg.zeros([2, ...shape]), undefined, { dynamicAxes: { input: { 0: "batch" } } });
      // A model with fixed-size reads (expand to [x.shape[0], ...]) still runs on other batches: the kept dims stay symbolic.
      await expectSameOutputs(model, bytes, batches(shape), name);
    });
  }

  it("every opset from 13 to 21: the ops whose ONNX form changed (reductions, HardSwish, LayerNorm, Split, Pad)", async () => {
    tg.manualSeed(15);
    const model = custom((m, x) => {
      const h = (m.norm.forward(x) as tg.Tensor).add(x.mean(1, true)).sub(x.amax(1, true)).add(x.logsumexp(-1, true));
      const [a, b] = tg.nn.F.hardswish(h).chunk(2, 1);
      return tg.nn.F.pad(a.mul(b).unsqueeze(1), [1, 0]).squeeze(1).sum(1);
    }, { norm: new nn.LayerNorm(4) });
    for (let opset = 13; opset <= 21; opset++) {
      await expectSameOutputs(model, exportOnnx(model, tg.zeros([2, 4]), undefined, { ...DYNAMIC, opset }), batches([4]), `opset ${opset}`);
    }
    expect(() => exportOnnx(custom((_, x) => x.tril()), tg.zeros([2, 2]), undefined, { opset: 13 })).toThrow(/cannot export "tril" below opset 14 \(at the model\)/);
  });

  it("a float64 model (DOUBLE in ONNX) returning a plain object of outputs", async () => {
    tg.manualSeed(17);
    const model = custom((m, x) => {
      const h = (m.fc.forward(x) as tg.Tensor).tanh();
      return { h, total: h.sum(1) };
    }, { fc: new nn.Linear(3, 4) }).double();
    const bytes = exportOnnx(model, tg.zeros([2, 3], { dtype: "float64" }), undefined, { dynamicAxes: { input: { 0: "batch" } } });
    const session = await ort.InferenceSession.create(bytes);
    expect(session.outputNames).toEqual(["output_0", "output_1"]);
    await expectSameOutputs(model, bytes, [1, 4, 9].map((n) => [uniform([n, 3]).double()]), "float64");
  });

  it("a model that is the identity, custom names, opset 21", async () => {
    const model = new nn.Sequential(new nn.Identity());
    const bytes = exportOnnx(model, tg.zeros([3]), undefined, { inputNames: ["x"], outputNames: ["y"], opset: 21 });
    await expectSameOutputs(model, bytes, [[tg.tensor([1, -2, 3])]], "identity", { inputs: ["x"] });
  });

  it("dims not named in dynamicAxes are fixed, as in PyTorch: ONNX Runtime refuses another batch size", async () => {
    const model = new nn.Sequential(new nn.Linear(2, 1));
    const session = await ort.InferenceSession.create(exportOnnx(model, tg.zeros([4, 2])));
    expect(session.inputNames).toEqual(["input"]);
    await expect(session.run({ input: new ort.Tensor("float32", new Float32Array(6), [3, 2]) })).rejects.toThrow(/[Gg]ot invalid dimensions|Expected: 4/);
  });
});

describe("exportOnnx: what it cannot export", () => {
  it("an op without an ONNX form, named with the module path", () => {
    const attn = custom((_, x) => x.cummax(1).values);
    const model = custom((m, x) => m.encoder.forward(x), { encoder: new nn.Sequential(new nn.Linear(4, 4), custom((m, x) => m.attn.forward(x), { attn })) });
    expect(() => exportOnnx(model, tg.zeros([2, 4]))).toThrow(/^exportOnnx: cannot export "cummax" \(at encoder\.1\.attn\): no ONNX form for this op$/);
    expect(() => exportOnnx(custom((_, x) => x.lgamma()), tg.zeros([2]))).toThrow(/cannot export "lgamma" \(at the model\)/);
  });

  it("an op the tracer does not see (a functional kernel) is caught by autograd and named by its gradFn", () => {
    const model = new nn.Sequential(new nn.Linear(3, 3), custom((_, x) => tg.nn.F.layerNorm(x, [3])));
    expect(() => exportOnnx(model, tg.zeros([2, 3]))).toThrow(/^exportOnnx: cannot export "nativeLayerNorm" \(at 1\): the op is not traced/);
  });

  it("in-place ops on traced values, layer options ONNX cannot express", () => {
    expect(() => exportOnnx(custom((_, x) => x.mul(2).add_(1)), tg.zeros([2]))).toThrow(/cannot export "add_" \(at the model\): in-place/);
    expect(() => exportOnnx(custom((_, x) => (x.sum().item() > 0 ? x : x.neg())), tg.zeros([2]))).toThrow(/cannot export "item" \(at the model\): the forward reads the values/);
    expect(() => exportOnnx(new nn.Sequential(new nn.AvgPool2d(2, { divisorOverride: 3 })), tg.zeros([1, 1, 4, 4]))).toThrow(/cannot export AvgPool2d with divisorOverride \(at 0\)/);
    expect(() => exportOnnx(new nn.Sequential(new nn.Conv2d(1, 1, 3, { padding: 1, paddingMode: "circular" })), tg.zeros([1, 1, 4, 4]))).toThrow(/cannot export "pad" with mode "circular" \(at 0\): ONNX's Pad wraps from opset 19/);
    expect(() => exportOnnx(new nn.AdaptiveAvgPool2d(3), tg.zeros([1, 1, 4, 4]))).toThrow(/cannot export AdaptiveAvgPool2d from \[4,4\] to \[3,3\]/);
    expect(() => exportOnnx(new nn.LSTM(2, 3, { projSize: 2 }), tg.zeros([3, 1, 2]))).toThrow(/cannot export LSTM with projSize/);
    expect(() => exportOnnx(custom((_, x) => x.index(tg.slice(), x.gt(0).index(0))), tg.zeros([3, 3]))).toThrow(/cannot export "index" \(at the model\): index a bool tensor is not exported here/);
    expect(() => exportOnnx(custom((_, x) => x.maskedSelect(x.gt(0).index(0))), tg.zeros([3, 3]))).toThrow(/cannot export "maskedSelect" with a mask of shape \[3\] \(at the model\)/);
  });

  it("bad arguments and options", () => {
    const lin = new nn.Linear(1, 1);
    expect(() => exportOnnx(lin, tg.zeros([1, 1]), undefined, { opset_version: 17 } as ExportOnnxOptions)).toThrow(/exportOnnx: unknown option "opset_version"/);
    expect(() => exportOnnx(lin, tg.zeros([1, 1]), undefined, { opset: 12 })).toThrow(/exportOnnx: opset must be in \[13, 21\], got 12/);
    expect(() => exportOnnx(lin, tg.zeros([1, 1]), undefined, { inputNames: ["a", "b"] })).toThrow(/exportOnnx: inputNames must be an array of 1 non-empty name/);
    expect(() => exportOnnx(lin, tg.zeros([1, 1]), undefined, { outputNames: ["a", "b"] })).toThrow(/exportOnnx: outputNames must be an array of 1 non-empty name/);
    expect(() => exportOnnx(lin, tg.zeros([1, 1]), undefined, { dynamicAxes: { x: { 0: "n" } } })).toThrow(/exportOnnx: dynamicAxes names "x", which is neither an input \(input\) nor an output \(output\)/);
    expect(() => exportOnnx(lin, [1] as unknown as tg.Tensor)).toThrow(/exportOnnx: exampleInput must be a Tensor, got/);
    expect(() => exportOnnx({} as tg.nn.Module, tg.zeros([1]))).toThrow(/exportOnnx: expected a Module/);
    expect(() => exportOnnx(custom(() => 3), tg.zeros([1]))).toThrow(/exportOnnx: the model's forward returned no tensor/);
  });

  it("removes the tracer after a failed export: Tensor methods, getters, forwards and the core hook as before", () => {
    const { add } = tg.Tensor.prototype;
    const T = Object.getOwnPropertyDescriptor(tg.Tensor.prototype, "T")!.get;
    const inner = new nn.Linear(2, 2);
    const model = new nn.Sequential(inner, custom((_, x) => x.T.cummax(0)));
    expect(() => exportOnnx(model, tg.zeros([2, 2]))).toThrow(/cannot export "cummax" \(at 1\)/);
    expect(tg.Tensor.prototype.add).toBe(add);
    expect(Object.getOwnPropertyDescriptor(tg.Tensor.prototype, "T")!.get).toBe(T);
    expect(Object.hasOwn(inner, "forward") || Object.hasOwn(model, "forward")).toBe(false);
    expect(tg.setTraceHook(null)).toBe(null);
    expect(inner.weight.requiresGrad).toBe(true);
  });
});
