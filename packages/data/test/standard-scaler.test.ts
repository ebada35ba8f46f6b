import { describe, it, expect } from "vitest";
import { gradcheck, tensor } from "@tsgrad/core";
import { StandardScaler } from "@tsgrad/data";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface Fit {
  mean: EncodedTensor | null;
  var: EncodedTensor | null;
  scale: EncodedTensor | null;
  transform: EncodedTensor;
  inverse: EncodedTensor;
}
interface Fixture {
  scaler: { X: EncodedTensor; Xnew: EncodedTensor; default: Fit; noMean: Fit; noStd: Fit };
}
const fx = loadFixture<Fixture>(new URL("./fixtures/data.json", import.meta.url)).scaler;
const X = decode(fx.X);
const Xnew = decode(fx.Xnew);

describe("StandardScaler", () => {
  const cases = [
    ["default", {}, fx.default],
    ["withMean: false", { withMean: false }, fx.noMean],
    ["withStd: false", { withStd: false }, fx.noStd],
  ] as const;
  for (const [name, options, ref] of cases) {
    it(`matches sklearn (${name}): mean_, var_, scale_, transform, inverseTransform`, () => {
      const s = new StandardScaler(options).fit(X);
      for (const key of ["mean", "var", "scale"] as const) {
        const ours = s[`${key}_`];
        if (ref[key] === null) expect(ours, key).toBeNull();
        else expectClose(ours!, ref[key]!, `${name} ${key}_`);
      }
      expectClose(s.transform(Xnew), ref.transform, `${name} transform`);
      expectClose(s.inverseTransform(Xnew), ref.inverse, `${name} inverseTransform`);
      expect(s.nSamplesSeen_).toBe(6);
      expect(s.nFeaturesIn_).toBe(5);
    });
  }

  it("gives constant features (even a huge constant) scale 1 and maps them to 0", () => {
    const s = new StandardScaler();
    const Z = s.fitTransform(X);
    const cols = (Z.toArray() as number[][]).map((r) => [r[2], r[3]]);
    for (const [a, b] of cols) expect([a, b]).toEqual([0, 0]);
    expect((s.scale_!.toArray() as number[]).slice(2, 4)).toEqual([1, 1]);
  });

  it("fitTransform gives zero mean and unit population std; inverseTransform round-trips; dtypes are kept", () => {
    const x = tensor([[1, 10], [2, 20], [4, 40], [7, 70]]);
    const s = new StandardScaler();
    const z = s.fitTransform(x);
    expect(z.dtype).toBe("float32");
    expectClose(z.mean(0), tensor([0, 0]), "mean", 0, 1e-6);
    expectClose(z.std(0, { correction: 0 }), tensor([1, 1]), "std", 1e-6);
    expectClose(s.inverseTransform(z), x, "round trip", 1e-6, 1e-5);
    expect(s.mean_!.dtype).toBe("float64");
    expect(new StandardScaler().fitTransform(tensor([[1], [3]], { dtype: "int32" })).toArray()).toEqual([[-1], [1]]);
  });

  it("is differentiable in its input (float64 gradcheck)", () => {
    // columns 0, 1 and 4 (column 3 is a constant 1e10, whose ulp would swamp finite differences)
    const s = new StandardScaler().fit(X.indexSelect(1, tensor([0, 1, 4], { dtype: "int32" })));
    const x = tensor([[0.5, -1, 2], [1, 2, 3]], { dtype: "float64", requiresGrad: true });
    expect(gradcheck((t) => s.transform(t).square().sum(), [x])).toBe(true);
    expect(gradcheck((t) => s.inverseTransform(t).square().sum(), [x])).toBe(true);
  });

  it("rejects use before fit, non-2-D inputs, feature-count mismatches and empty inputs", () => {
    expect(() => new StandardScaler().transform(X)).toThrow("StandardScaler.transform: this StandardScaler is not fitted yet; call fit(X) first");
    expect(() => new StandardScaler().fit(tensor([1, 2, 3]))).toThrow("StandardScaler.fit: expected a 2-D [nSamples, nFeatures] tensor, got shape [3]");
    const s = new StandardScaler().fit(X);
    expect(() => s.transform(tensor([[1, 2]]))).toThrow("StandardScaler.transform: X has 2 features (shape [1, 2]), but the scaler was fitted on 5");
    expect(() => s.inverseTransform(tensor([[1, 2]]))).toThrow(/inverseTransform: X has 2 features/);
    expect(() => new StandardScaler().fit(tensor(new Float32Array(0), { shape: [0, 3] }))).toThrow(/at least one sample, got shape \[0, 3\]/);
    expect(() => new StandardScaler().fit([[1]] as never)).toThrow(TypeError);
  });
});
