import { describe, it, expect } from "vitest";
import { Generator, Tensor, tensor } from "@tsgrad/core";
import { makeBlobs, makeCircles, makeMoons, makeRegression, makeSpiral } from "@tsgrad/data";
import { expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface Labelled {
  X: EncodedTensor;
  y: EncodedTensor;
}
const fx = loadFixture<{ toy: { moons7: Labelled; moons10: Labelled; circles9: Labelled & { factor: number } } }>(
  new URL("./fixtures/data.json", import.meta.url),
).toy;

const rows = (X: Tensor) => X.toArray() as number[][];
const labels = (y: Tensor) => y.toArray() as number[];
const counts = (y: Tensor, k: number) => labels(y).reduce((c, l) => (c[l]++, c), new Array<number>(k).fill(0));

function expectSameData(a: { X: Tensor; y: Tensor }, b: { X: Tensor; y: Tensor }): void {
  expect(a.X.dataSync()).toEqual(b.X.dataSync());
  expect(a.y.dataSync()).toEqual(b.y.dataSync());
}

// Standard deviation of the distance of each point from its ideal curve, which must be ≈ noise.
function residualStd(residuals: number[]): number {
  return Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / residuals.length);
}

describe("makeMoons", () => {
  it("without noise or shuffle, matches sklearn's make_moons point for point", () => {
    for (const [n, ref] of [[7, fx.moons7], [10, fx.moons10]] as const) {
      const { X, y } = makeMoons({ nSamples: n, shuffle: false, dtype: "float64" });
      expectClose(X, ref.X, `moons ${n} X`, 1e-12, 1e-15);
      expect(y.dtype).toBe("int32");
      expect(y.dataSync()).toEqual(Int32Array.from(ref.y.data as number[]));
    }
  });

  it("puts points near the two unit half circles, balanced, with noise of the requested scale", () => {
    const { X, y } = makeMoons({ nSamples: 2000, noise: 0.05, randomState: 0 });
    expect(X.shape).toEqual([2000, 2]);
    expect(X.dtype).toBe("float32");
    expect(counts(y, 2)).toEqual([1000, 1000]);
    // upper moon: centered at (0, 0); lower moon: centered at (1, 0.5)
    const centers = [[0, 0], [1, 0.5]];
    const ys = labels(y);
    const radial = rows(X).map(([a, b], i) => Math.hypot(a - centers[ys[i]][0], b - centers[ys[i]][1]) - 1);
    const std = residualStd(radial);
    expect(std).toBeGreaterThan(0.04);
    expect(std).toBeLessThan(0.06);
    // upper moon above its center line, lower moon below (allowing the noise)
    rows(X).forEach(([, b], i) => {
      if (ys[i] === 0) expect(b).toBeGreaterThan(-0.25);
      else expect(b).toBeLessThan(0.75);
    });
    expect(labels(y).slice(0, 20)).not.toEqual(new Array(20).fill(0)); // shuffled
  });

  it("is deterministic per seed and differs across seeds", () => {
    expectSameData(makeMoons({ noise: 0.1, randomState: 42 }), makeMoons({ noise: 0.1, randomState: 42 }));
    expect(makeMoons({ noise: 0.1, randomState: 1 }).X.dataSync()).not.toEqual(makeMoons({ noise: 0.1, randomState: 2 }).X.dataSync());
    const g = new Generator(5);
    const first = makeMoons({ randomState: g });
    expect(makeMoons({ randomState: g }).y.dataSync()).not.toEqual(first.y.dataSync()); // a Generator's stream continues
  });

  it("accepts a pair of sizes and rejects bad sizes, noise and seeds", () => {
    expect(counts(makeMoons({ nSamples: [3, 5], randomState: 0 }).y, 2)).toEqual([3, 5]);
    expect(() => makeMoons({ nSamples: 2.5 })).toThrow("makeMoons: nSamples must be an integer >= 0, got 2.5");
    expect(() => makeMoons({ nSamples: [1, 2, 3] as unknown as [number, number] })).toThrow(/pair/);
    expect(() => makeMoons({ noise: -0.1 })).toThrow("makeMoons: noise must be a finite number >= 0, got -0.1");
    expect(() => makeMoons({ randomState: -1 })).toThrow(/randomState must be a non-negative integer seed or a Generator/);
  });
});

describe("makeCircles", () => {
  it("without noise or shuffle, matches sklearn's make_circles", () => {
    const { X, y } = makeCircles({ nSamples: 9, shuffle: false, factor: fx.circles9.factor, dtype: "float64" });
    expectClose(X, fx.circles9.X, "circles X", 1e-12, 1e-15);
    expect(Array.from(y.dataSync())).toEqual(fx.circles9.y.data);
  });

  it("puts class 0 on the unit circle and class 1 on radius factor", () => {
    const { X, y } = makeCircles({ nSamples: 1000, noise: 0.02, factor: 0.3, randomState: 3 });
    expect(counts(y, 2)).toEqual([500, 500]);
    const ys = labels(y);
    const radial = rows(X).map(([a, b], i) => Math.hypot(a, b) - (ys[i] === 0 ? 1 : 0.3));
    const std = residualStd(radial);
    expect(std).toBeGreaterThan(0.015);
    expect(std).toBeLessThan(0.025);
  });

  it("is deterministic per seed and checks factor", () => {
    expectSameData(makeCircles({ noise: 0.1, randomState: 9 }), makeCircles({ noise: 0.1, randomState: 9 }));
    expect(() => makeCircles({ factor: 1 })).toThrow("makeCircles: factor must be a number in [0, 1), got 1");
    expect(() => makeCircles({ factor: -0.5 })).toThrow(RangeError);
  });
});

describe("makeBlobs", () => {
  it("draws each blob around its center with the requested std", () => {
    const { X, y, centers } = makeBlobs({ nSamples: 3000, centers: 3, nFeatures: 4, clusterStd: 0.5, randomState: 0 });
    expect(X.shape).toEqual([3000, 4]);
    expect(centers.shape).toEqual([3, 4]);
    expect(counts(y, 3)).toEqual([1000, 1000, 1000]);
    const c = rows(centers);
    for (const v of c.flat()) expect(Math.abs(v)).toBeLessThanOrEqual(10);
    const ys = labels(y);
    const offsets = rows(X).flatMap((p, i) => p.map((v, k) => v - c[ys[i]][k]));
    const std = residualStd(offsets);
    expect(std).toBeGreaterThan(0.48);
    expect(std).toBeLessThan(0.52);
    expect(Math.abs(offsets.reduce((s, v) => s + v, 0) / offsets.length)).toBeLessThan(0.02);
  });

  it("takes fixed centers, per-blob counts, per-blob stds and a center box", () => {
    const fixed = makeBlobs({ centers: [[0, 0], [100, 100]], nSamples: [5, 3], clusterStd: [0.1, 2], randomState: 1 });
    expect(counts(fixed.y, 2)).toEqual([5, 3]);
    expect(fixed.centers.toArray()).toEqual([[0, 0], [100, 100]]);
    const ys = labels(fixed.y);
    rows(fixed.X).forEach((p, i) => {
      const center = ys[i] === 0 ? 0 : 100;
      for (const v of p) expect(Math.abs(v - center)).toBeLessThan(ys[i] === 0 ? 1 : 20);
    });
    expect(counts(makeBlobs({ nSamples: 10, centers: 3, randomState: 0 }).y, 3)).toEqual([4, 3, 3]); // sklearn's split
    const boxed = makeBlobs({ centers: 5, centerBox: [2, 3], randomState: 0 }).centers;
    for (const v of boxed.dataSync()) expect(v >= 2 && v <= 3).toBe(true);
    expect(makeBlobs({ centers: tensor([[1, 2, 3]]), nSamples: 4 }).X.shape).toEqual([4, 3]);
  });

  it("is deterministic per seed and rejects inconsistent options", () => {
    expectSameData(makeBlobs({ randomState: 4 }), makeBlobs({ randomState: 4 }));
    expect(() => makeBlobs({ centers: 2, clusterStd: [1, 2, 3] })).toThrow("makeBlobs: clusterStd has 3 values but there are 2 centers");
    expect(() => makeBlobs({ nSamples: [1, 2], centers: [[0, 0]] })).toThrow(/1 centers do not match the 2 per-blob counts/);
    expect(() => makeBlobs({ centers: 0 })).toThrow(/centers must be an integer >= 1/);
    expect(() => makeBlobs({ centers: [1, 2] as unknown as number[][] })).toThrow(/\[k, nFeatures\].*\[2\]/);
  });
});

describe("makeSpiral", () => {
  it("winds nClasses arms from the origin to the unit circle (CS231n's spiral)", () => {
    const { X, y } = makeSpiral({ nSamples: 300, nClasses: 3, noise: 0, shuffle: false });
    expect(X.shape).toEqual([300, 2]);
    expect(counts(y, 3)).toEqual([100, 100, 100]);
    const pts = rows(X);
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 100; i++) {
        const [a, b] = pts[100 * j + i];
        const r = i / 99;
        const t = 4 * j + (4 * i) / 99;
        expect(Math.hypot(a, b)).toBeCloseTo(r, 5);
        expect(a).toBeCloseTo(r * Math.sin(t), 5);
        expect(b).toBeCloseTo(r * Math.cos(t), 5);
      }
    }
  });

  it("jitters the angle by noise, keeps radii, and is deterministic per seed", () => {
    const clean = rows(makeSpiral({ nSamples: 3000, noise: 0, shuffle: false }).X);
    const noisy = makeSpiral({ nSamples: 3000, noise: 0.2, shuffle: false, randomState: 0 });
    const angleErr: number[] = [];
    rows(noisy.X).forEach(([a, b], i) => {
      const [c, d] = clean[i];
      const r = Math.hypot(c, d);
      expect(Math.hypot(a, b)).toBeCloseTo(r, 5);
      if (r > 0.1) angleErr.push(Math.atan2(a * d - b * c, a * c + b * d));
    });
    const std = residualStd(angleErr);
    expect(std).toBeGreaterThan(0.18);
    expect(std).toBeLessThan(0.22);
    expectSameData(makeSpiral({ randomState: 3 }), makeSpiral({ randomState: 3 }));
    expect(counts(makeSpiral({ nSamples: 10, nClasses: 4, randomState: 0 }).y, 4)).toEqual([3, 3, 2, 2]);
    expect(() => makeSpiral({ nClasses: 0 })).toThrow("makeSpiral: nClasses must be an integer >= 1, got 0");
  });
});

describe("makeRegression", () => {
  it("gives y = X·coef + bias exactly without noise, with nInformative nonzero coefficients", () => {
    const { X, y, coef, outliers } = makeRegression({ nSamples: 50, nFeatures: 8, nInformative: 3, bias: 2.5, randomState: 0, dtype: "float64" });
    expect(X.shape).toEqual([50, 8]);
    expect(y.shape).toEqual([50]);
    expect(coef.shape).toEqual([8]);
    const c = coef.toArray() as number[];
    expect(c.filter((v) => v !== 0).length).toBe(3);
    for (const v of c) expect(v >= 0 && v < 100).toBe(true);
    expectClose(y, X.matmul(coef).add(2.5), "y", 1e-12, 1e-10);
    expect(outliers.any().item()).toBe(0);
  });

  it("adds noise of the requested scale and uses a given coef", () => {
    const { X, y, coef } = makeRegression({ nSamples: 4000, nFeatures: 2, coef: [3, -1], noise: 0.5, randomState: 1, dtype: "float64" });
    expect(coef.toArray()).toEqual([3, -1]);
    const residuals = y.sub(X.matmul(coef)).toArray() as number[];
    const std = residualStd(residuals);
    expect(std).toBeGreaterThan(0.48);
    expect(std).toBeLessThan(0.52);
  });

  it("injects large outliers into the requested fraction of targets", () => {
    const { X, y, coef, outliers } = makeRegression({ nSamples: 200, nFeatures: 1, noise: 1, outlierFraction: 0.1, outlierScale: 50, randomState: 2, dtype: "float64" });
    const mask = Array.from(outliers.dataSync());
    expect(mask.filter(Boolean).length).toBe(20);
    const residuals = y.sub(X.matmul(coef)).toArray() as number[];
    residuals.forEach((r, i) => {
      if (mask[i]) expect(Math.abs(r)).toBeGreaterThan(45);
      else expect(Math.abs(r)).toBeLessThan(5);
    });
    const defaultScale = makeRegression({ nSamples: 100, nFeatures: 1, coef: [1], outlierFraction: 0.05, randomState: 0 });
    expect(defaultScale.outliers.sum().item()).toBe(5);
  });

  it("is deterministic per seed and rejects bad options", () => {
    const a = makeRegression({ nFeatures: 5, noise: 1, randomState: 7 });
    const b = makeRegression({ nFeatures: 5, noise: 1, randomState: 7 });
    expect(a.X.dataSync()).toEqual(b.X.dataSync());
    expect(a.y.dataSync()).toEqual(b.y.dataSync());
    expect(a.coef.dataSync()).toEqual(b.coef.dataSync());
    expect(() => makeRegression({ nFeatures: 2, coef: [1, 2, 3] })).toThrow("makeRegression: coef must have one value per feature (shape [2]), got shape [3]");
    expect(() => makeRegression({ outlierFraction: 1.5 })).toThrow("makeRegression: outlierFraction must be a number in [0, 1], got 1.5");
    expect(() => makeRegression({ nFeatures: 0 })).toThrow(/nFeatures must be an integer >= 1/);
  });
});
