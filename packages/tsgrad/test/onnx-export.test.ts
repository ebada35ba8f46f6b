/**
 * ONNX export (issue 12, first step): each exported model is loaded by the real engine,
 * onnxruntime-node (its CPU binary ships in the npm package; the install script is disabled in
 * pnpm-workspace.yaml), and its outputs for batches of several sizes match tsgrad's to 1e-5.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import * as tg from "tsgrad";
import { exportOnnx, type ExportOnnxOptions } from "tsgrad/node";

const { nn } = tg;
const dir = mkdtempSync(join(tmpdir(), "tsgrad-onnx-"));
const DYNAMIC: ExportOnnxOptions = { dynamicAxes: { input: { 0: "batch" }, output: { 0: "batch" } } };

/** Runs the exported bytes in ONNX Runtime on `x` and compares with tsgrad's eval-mode output. */
async function expectSameOutputs(model: tg.nn.Module, bytes: Uint8Array, inputs: tg.Tensor[], what: string): Promise<void> {
  const session = await ort.InferenceSession.create(bytes);
  model.eval();
  for (const x of inputs) {
    const result = await session.run({ input: new ort.Tensor("float32", x.contiguous().dataSync() as Float32Array, x.shape) });
    const got = result.output;
    const want = tg.noGrad(() => model.forward(x)) as tg.Tensor;
    expect(got.dims, `${what}: output shape for input ${JSON.stringify(x.shape)}`).toEqual(want.shape);
    const w = want.dataSync();
    const g = got.data as Float32Array;
    w.forEach((v, i) => {
      if (!(Math.abs(v - g[i]) <= 1e-5 * (1 + Math.abs(v)))) expect.fail(`${what}, batch ${x.shape[0]}: element ${i} is ${g[i]} in ONNX Runtime, ${v} in tsgrad`);
    });
  }
}

// Inputs over [-6, 6), so thresholds and clips (Softplus's 20/β, Hardtanh, ReLU6) are crossed on both sides.
const batches = (features: number[]): tg.Tensor[] => [1, 4, 9].map((n) => tg.rand([n, ...features]).mul(12).sub(6));

const ACTIVATIONS: Array<[string, () => tg.nn.Module]> = [
  ["ReLU", () => new nn.ReLU()], ["LeakyReLU(0.2)", () => new nn.LeakyReLU(0.2)], ["ELU(0.5)", () => new nn.ELU(0.5)],
  ["CELU(2)", () => new nn.CELU(2)], ["SELU", () => new nn.SELU()], ["Sigmoid", () => new nn.Sigmoid()], ["Tanh", () => new nn.Tanh()],
  ["Softsign", () => new nn.Softsign()], ["SiLU", () => new nn.SiLU()], ["Mish", () => new nn.Mish()], ["LogSigmoid", () => new nn.LogSigmoid()],
  ["Tanhshrink", () => new nn.Tanhshrink()], ["Softplus", () => new nn.Softplus()], ["Softplus(β 2, threshold 3)", () => new nn.Softplus({ beta: 2, threshold: 3 })],
  ["GELU", () => new nn.GELU()], ["GELU(tanh)", () => new nn.GELU({ approximate: "tanh" })], ["Hardtanh(-0.5, 0.7)", () => new nn.Hardtanh(-0.5, 0.7)],
  ["ReLU6", () => new nn.ReLU6()], ["Hardsigmoid", () => new nn.Hardsigmoid()], ["Hardswish", () => new nn.Hardswish()],
  ["Softmax(1)", () => new nn.Softmax(1)], ["LogSoftmax(1)", () => new nn.LogSoftmax(1)],
];

describe("exportOnnx, run by ONNX Runtime", () => {
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
    await expectSameOutputs(model, bytes, batches([2, 3]), "nested");
  });

  it("a model that is the identity, custom names, opset 21", async () => {
    const model = new nn.Sequential(new nn.Identity());
    const bytes = exportOnnx(model, tg.zeros([3]), undefined, { inputNames: ["input"], outputNames: ["output"], opset: 21 });
    await expectSameOutputs(model, bytes, [tg.tensor([1, -2, 3])], "identity");
  });

  it("dims not named in dynamicAxes are fixed, as in PyTorch: ONNX Runtime refuses another batch size", async () => {
    const model = new nn.Sequential(new nn.Linear(2, 1));
    const session = await ort.InferenceSession.create(exportOnnx(model, tg.zeros([4, 2])));
    expect(session.inputNames).toEqual(["input"]);
    await expect(session.run({ input: new ort.Tensor("float32", new Float32Array(6), [3, 2]) })).rejects.toThrow(/[Gg]ot invalid dimensions|Expected: 4/);
  });

  it("names the module it cannot export, its path and type, and bad options", () => {
    class Custom extends nn.Module {
      forward(x: tg.Tensor): tg.Tensor {
        return x.mul(2);
      }
    }
    expect(() => exportOnnx(new nn.Sequential(new nn.Linear(4, 4), new nn.Sequential(new nn.ReLU(), new nn.Conv1d(1, 1, 1))), tg.zeros([1, 4]))).toThrow(/exportOnnx: cannot export module 1\.1 \(Conv1d\)/);
    expect(() => exportOnnx(new Custom(), tg.zeros([1]))).toThrow(/exportOnnx: cannot export module \(the model\) \(Custom\)/);
    expect(() => exportOnnx(new nn.Sequential(new nn.Flatten(2)), tg.zeros([1, 2, 3, 4]))).toThrow(/exportOnnx: module 0 \(Flatten\) with startDim 2/);
    expect(() => exportOnnx(new nn.Linear(1, 1), tg.zeros([1, 1]), undefined, { opset_version: 17 } as ExportOnnxOptions)).toThrow(/exportOnnx: unknown option "opset_version"/);
    expect(() => exportOnnx(new nn.Linear(1, 1), tg.zeros([1, 1]), undefined, { opset: 12 })).toThrow(/exportOnnx: opset must be in \[13, 21\], got 12/);
    expect(() => exportOnnx(new nn.Linear(1, 1), tg.zeros([1, 1]), undefined, { inputNames: ["a", "b"] })).toThrow(/exportOnnx: inputNames must be an array of one name/);
  });
});
