// The rest of PyTorch's losses against PyTorch 1.13 (tools/fixtures/gen_losses_more.py): the loss and
// the gradient of every argument PyTorch differentiates, in float64 to 1e-10 and in float32 to 1e-5
// (relative), through the functional form, and the loss through the Module class.
import { describe, it, expect } from "vitest";
import { Tensor, type DType } from "@tsgrad/core";
import * as L from "@tsgrad/losses";
import { decode, loadFixture, expectClose, type EncodedTensor } from "../../../tools/test-utils.js";

interface Run {
  out: EncodedTensor;
  grads: Array<EncodedTensor | null>;
}

interface LossCase {
  name: string;
  fn: keyof typeof FORMS;
  args: EncodedTensor[];
  options: Record<string, unknown>;
  gradOutput: EncodedTensor | null;
  float64: Run;
  float32: Run;
}

const fixture = loadFixture<{ cases: LossCase[] }>(new URL("./fixtures/losses-more.json", import.meta.url));

type AnyLoss = (...args: any[]) => Tensor;
type LossClass = new (options?: any) => { forward(...args: any[]): Tensor };

const FORMS = {
  klDiv: [L.klDiv, L.KLDivLoss],
  poissonNllLoss: [L.poissonNllLoss, L.PoissonNLLLoss],
  gaussianNllLoss: [L.gaussianNllLoss, L.GaussianNLLLoss],
  hingeEmbeddingLoss: [L.hingeEmbeddingLoss, L.HingeEmbeddingLoss],
  multilabelMarginLoss: [L.multilabelMarginLoss, L.MultiLabelMarginLoss],
  multilabelSoftMarginLoss: [L.multilabelSoftMarginLoss, L.MultiLabelSoftMarginLoss],
  softMarginLoss: [L.softMarginLoss, L.SoftMarginLoss],
  cosineEmbeddingLoss: [L.cosineEmbeddingLoss, L.CosineEmbeddingLoss],
  marginRankingLoss: [L.marginRankingLoss, L.MarginRankingLoss],
  tripletMarginLoss: [L.tripletMarginLoss, L.TripletMarginLoss],
  tripletMarginWithDistanceLoss: [L.tripletMarginWithDistanceLoss, L.TripletMarginWithDistanceLoss],
  ctcLoss: [L.ctcLoss, L.CTCLoss],
  multiMarginLoss: [L.multiMarginLoss, L.MultiMarginLoss],
} satisfies Record<string, [AnyLoss, LossClass]>;

// The generator's named distances, written the same way.
const DISTANCES: Record<string, L.DistanceFunction> = {
  l1: (x, y) => x.sub(y).abs().sum(-1),
  // 1 − F.cosine_similarity(x, y, dim=-1): x·y / max(‖x‖·‖y‖, 1e-8)
  cosine: (x, y) => x.mul(y).sum(-1).div(x.norm(2, -1).mul(y.norm(2, -1)).clampMin(1e-8)).neg().add(1),
};

const TOLERANCE: Record<"float64" | "float32", [number, number]> = { float64: [1e-10, 1e-12], float32: [1e-5, 1e-6] };
// A CTC gradient is a difference of O(1) terms, exp(lp) − occupancy, so float32 resolves it to an
// absolute ~T·2⁻²⁴: PyTorch's own float32 gradient is 4e-6 off its float64 one in "ctc logits x6", 1.3e-5 in
// "ctc large logits".
const CTC_FLOAT32: [number, number] = [1e-5, 1e-5];

function decodeOptions(options: Record<string, unknown>, dtype: DType): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === "distanceFunction") out[key] = DISTANCES[value as string];
    else if (value === "inf") out[key] = Infinity;
    else out[key] = typeof value === "object" && value !== null ? decode(value as EncodedTensor, { dtype }) : value;
  }
  return out;
}

const floating = (e: EncodedTensor) => e.dtype === "float64" || e.dtype === "float32";

describe("the rest of PyTorch's losses match it (loss and gradients)", () => {
  it("covers every new functional form", () => {
    expect(new Set(fixture.cases.map((c) => c.fn))).toEqual(new Set(Object.keys(FORMS)));
  });

  const rows = fixture.cases.flatMap((c) => (["float64", "float32"] as const).map((dtype) => [c.name, dtype, c] as const));
  it.each(rows)("%s (%s)", (_name, dtype, c) => {
    const [fn, LossModule] = FORMS[c.fn] as [AnyLoss, LossClass];
    const expected = c[dtype];
    const [rtol, atol] = c.fn === "ctcLoss" && dtype === "float32" ? CTC_FLOAT32 : TOLERANCE[dtype];
    const options = decodeOptions(c.options, dtype);
    const args = c.args.map((a, i) => decode(a, floating(a) ? { dtype, requiresGrad: expected.grads[i] !== null } : {}));
    const warn = console.warn; // klDiv's "mean" warning (checked in warnings.test.ts) is not this test's output
    console.warn = () => {};
    try {
      const out = fn(...args, options);
      expect(out.dtype).toBe(dtype);
      expectClose(out, expected.out, `${c.name}: loss`, rtol, atol);
      if (out.requiresGrad) {
        out.backward(c.gradOutput ? decode(c.gradOutput, { dtype }) : undefined);
        expected.grads.forEach((g, i) => {
          if (g) expectClose(args[i].grad!, g, `${c.name}: gradient of argument ${i}`, rtol, atol);
        });
      }
      // The Module, with CTC's lengths as plain arrays this time.
      const plain = c.args.map((a, i) => (c.fn === "ctcLoss" && i >= 2 ? (decode(a).toArray() as number[] | number) : decode(a, floating(a) ? { dtype } : {})));
      const lengths = plain.map((a) => (typeof a === "number" ? [a] : a));
      expectClose(new LossModule(options).forward(...lengths), expected.out, `${c.name}: loss via ${LossModule.name}`, rtol, atol);
    } finally {
      console.warn = warn;
    }
  });
});
