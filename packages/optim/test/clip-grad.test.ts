/** clipGradNorm_ / clipGradValue_ against PyTorch 1.13, plus their edge cases and errors. */
import { describe, expect, it } from "vitest";
import { Tensor, tensor, zeros } from "@tsgrad/core";
import { clipGradNorm_, clipGradValue_ } from "@tsgrad/optim";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface Fixture {
  grads: EncodedTensor[];
  norm: Array<{ normType: number | "inf"; maxNorm: number; totalNorm: number; clipped: EncodedTensor[] }>;
  value: Array<{ clipValue: number; clipped: EncodedTensor[] }>;
}
const fx = loadFixture<Fixture>(new URL("./fixtures/clip.json", import.meta.url));

/** Fresh float64 parameters whose grads are the fixture's gradients. */
function paramsWithGrads(): Tensor[] {
  return fx.grads.map((e) => {
    const g = decode(e);
    const p = zeros(g.shape, { dtype: "float64", requiresGrad: true });
    p.grad = g;
    return p;
  });
}

describe("clipGradNorm_ matches PyTorch", () => {
  for (const c of fx.norm) {
    it(`normType ${c.normType}, maxNorm ${c.maxNorm}`, () => {
      const params = paramsWithGrads();
      const total = clipGradNorm_(params, c.maxNorm, c.normType === "inf" ? Infinity : c.normType);
      expect(total.shape).toEqual([]);
      expect(total.dtype).toBe("float64");
      expectClose(total, tensor(c.totalNorm, { dtype: "float64" }), "total norm", 1e-12);
      params.forEach((p, i) => expectClose(p.grad!, c.clipped[i], `clipped grad ${i}`, 1e-12));
    });
  }

  it("leaves gradients alone when their norm is below maxNorm, and ignores params without grad", () => {
    const a = tensor([3, 4], { dtype: "float64", requiresGrad: true });
    const b = tensor([1, 1], { dtype: "float64", requiresGrad: true });
    a.grad = tensor([0.3, 0.4], { dtype: "float64" });
    expect(clipGradNorm_([a, b], 1).item()).toBeCloseTo(0.5, 15);
    expect(a.grad.toArray()).toEqual([0.3, 0.4]);
    expect(b.grad).toBeNull();
  });

  it("takes a single tensor, returns 0 when nothing has a gradient, and keeps float32 grads float32", () => {
    const w = tensor([[3, 0], [0, 4]], { requiresGrad: true });
    expect(clipGradNorm_(w, 1).item()).toBe(0);
    w.grad = tensor([[3, 0], [0, 4]]);
    const total = clipGradNorm_(w, 1);
    expect(total.dtype).toBe("float32");
    expect(total.item()).toBe(5);
    expectClose(w.grad, tensor([[0.6, 0], [0, 0.8]]), "float32 grad scaled by 1/(5 + 1e-6)", 1e-6);
  });

  it("clips a non-contiguous gradient too", () => {
    const w = zeros([2, 3], { dtype: "float64", requiresGrad: true });
    w.grad = tensor([[0, 6], [0, 0], [8, 0]], { dtype: "float64" }).T;
    clipGradNorm_([w], 5);
    expectClose(w.grad, tensor([[0, 0, 4], [3, 0, 0]], { dtype: "float64" }), "scaled transpose", 1e-6);
  });

  it("rejects bad arguments with clear errors", () => {
    const w = zeros([2], { requiresGrad: true });
    expect(() => clipGradNorm_([w], -1)).toThrow(RangeError);
    expect(() => clipGradNorm_([w], -1)).toThrow(/clipGradNorm_: maxNorm must be a number >= 0, got -1/);
    expect(() => clipGradNorm_([w], 1, 0)).toThrow(/clipGradNorm_: normType must be a number > 0 or Infinity, got 0/);
    expect(() => clipGradNorm_([w], 1, -Infinity)).toThrow(RangeError);
    expect(() => clipGradNorm_([w, 3 as never], 1)).toThrow(/clipGradNorm_: params must be Tensors, got number 3/);
    expect(() => clipGradNorm_(5 as never, 1)).toThrow(TypeError);
  });
});

describe("clipGradValue_ matches PyTorch", () => {
  for (const c of fx.value) {
    it(`clipValue ${c.clipValue}`, () => {
      const params = paramsWithGrads();
      clipGradValue_(params, c.clipValue);
      params.forEach((p, i) => expectClose(p.grad!, c.clipped[i], `clipped grad ${i}`, 0, 0));
    });
  }

  it("keeps NaN, clips ±Infinity, and rejects a negative clipValue", () => {
    const w = zeros([3], { dtype: "float64", requiresGrad: true });
    w.grad = tensor([NaN, Infinity, -Infinity], { dtype: "float64" });
    clipGradValue_(w, 2);
    expect(w.grad.toArray()).toEqual([NaN, 2, -2]);
    expect(() => clipGradValue_(w, -1)).toThrow(/clipGradValue_: clipValue must be a number >= 0, got -1/);
  });
});
