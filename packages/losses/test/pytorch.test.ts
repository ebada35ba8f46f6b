// Every loss, option and reduction against PyTorch 1.13 (tools/fixtures/gen_losses.py): the loss
// and its gradient with respect to the input, in float64 to 1e-6 relative, through both the
// functional form and the Module class.
import { describe, it, expect } from "vitest";
import { Tensor } from "@tsgrad/core";
import * as L from "@tsgrad/losses";
import { decode, loadFixture, expectClose, type EncodedTensor } from "../../../tools/test-utils.js";

interface LossCase {
  name: string;
  fn: keyof typeof FORMS;
  input: EncodedTensor;
  target: EncodedTensor;
  options: Record<string, unknown>;
  out: EncodedTensor;
  gradOutput: EncodedTensor | null;
  gradInput: EncodedTensor;
}

interface ZeroOneCase {
  name: string;
  pred: EncodedTensor;
  target: EncodedTensor;
  options: L.ReductionOptions;
  out: EncodedTensor;
}

const fixture = loadFixture<{ cases: LossCase[]; zeroOne: ZeroOneCase[] }>(new URL("./fixtures/losses.json", import.meta.url));

type LossFn = (input: Tensor, target: Tensor, options?: any) => Tensor;
type LossClass = new (options?: any) => L.Loss<any>;

// Each functional form with its Module class.
const FORMS = {
  mseLoss: [L.mseLoss, L.MSELoss],
  l1Loss: [L.l1Loss, L.L1Loss],
  huberLoss: [L.huberLoss, L.HuberLoss],
  smoothL1Loss: [L.smoothL1Loss, L.SmoothL1Loss],
  binaryCrossEntropy: [L.binaryCrossEntropy, L.BCELoss],
  binaryCrossEntropyWithLogits: [L.binaryCrossEntropyWithLogits, L.BCEWithLogitsLoss],
  crossEntropy: [L.crossEntropy, L.CrossEntropyLoss],
  nllLoss: [L.nllLoss, L.NLLLoss],
  hingeLoss: [L.hingeLoss, L.HingeLoss],
  perceptronLoss: [L.perceptronLoss, L.PerceptronLoss],
  multiMarginLoss: [L.multiMarginLoss, L.MultiMarginLoss],
} satisfies Record<string, [LossFn, LossClass]>;

function decodeOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    out[key] = typeof value === "object" && value !== null ? decode(value as EncodedTensor) : value;
  }
  return out;
}

describe("losses match PyTorch (loss and input gradient, float64)", () => {
  it("covers every functional form", () => {
    expect(new Set(fixture.cases.map((c) => c.fn))).toEqual(new Set(Object.keys(FORMS)));
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const [fn, LossModule] = FORMS[c.fn] as [LossFn, LossClass];
    const options = decodeOptions(c.options);
    const target = decode(c.target);

    const input = decode(c.input, { requiresGrad: true });
    const out = fn(input, target, options);
    expectClose(out, c.out, `${c.name}: loss`);
    out.backward(c.gradOutput ? decode(c.gradOutput) : undefined);
    expectClose(input.grad!, c.gradInput, `${c.name}: input gradient`);

    const viaModule = new LossModule(options).forward(decode(c.input), target);
    expectClose(viaModule, c.out, `${c.name}: loss via ${LossModule.name}`);
  });
});

describe("zeroOneLoss matches the PyTorch reference", () => {
  it.each(fixture.zeroOne.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const pred = decode(c.pred, { requiresGrad: c.pred.dtype === "float64" });
    const out = L.zeroOneLoss(pred, decode(c.target), c.options);
    expectClose(out, c.out, c.name);
    expect(out.requiresGrad).toBe(false);
  });
});
