import { describe, it, expect } from "vitest";
import { Generator, Tensor, arange, tensor } from "@tsgrad/core";
import { splitSizes, trainTestSplit } from "@tsgrad/data";
import { loadFixture } from "../../../tools/test-utils.js";

interface Fixture {
  splitSizes: Array<{ n: number; testSize: number | null; trainSize: number | null; nTrain: number; nTest: number }>;
  stratified: Array<{ counts: number[]; testSize: number; trainCounts: number[]; testCounts: number[] }>;
}
const fx = loadFixture<Fixture>(new URL("./fixtures/data.json", import.meta.url));

const values = (t: Tensor) => t.toArray() as number[];
const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
const classCounts = (y: Tensor, k: number) => values(y).reduce((c, l) => (c[l]++, c), new Array<number>(k).fill(0));

describe("trainTestSplit", () => {
  it("computes train/test sizes exactly like sklearn", () => {
    for (const row of fx.splitSizes) {
      const opts = { testSize: row.testSize ?? undefined, trainSize: row.trainSize ?? undefined, randomState: 0 };
      const [aTrain, aTest] = trainTestSplit(arange(row.n), opts);
      expect([aTrain.shape[0], aTest.shape[0]], JSON.stringify(row)).toEqual([row.nTrain, row.nTest]);
      expect(splitSizes(row.n, opts.testSize, opts.trainSize)).toEqual([row.nTrain, row.nTest]);
    }
  });

  it("splits every array with the same indices and returns [aTrain, aTest, bTrain, bTest]", () => {
    const X = arange(20).reshape(10, 2);
    const y = arange(10).to("int32");
    const names = Array.from({ length: 10 }, (_, i) => `s${i}`);
    const [xTrain, xTest, yTrain, yTest, nTrain, nTest] = trainTestSplit(X, y, names, { testSize: 0.3, randomState: 1 });
    expect(xTrain.shape).toEqual([7, 2]);
    expect(xTest.shape).toEqual([3, 2]);
    expect(yTrain.dtype).toBe("int32");
    expect(xTrain.toArray()).toEqual(values(yTrain).map((i) => [2 * i, 2 * i + 1]));
    expect(xTest.toArray()).toEqual(values(yTest).map((i) => [2 * i, 2 * i + 1]));
    expect(nTrain).toEqual(values(yTrain).map((i) => `s${i}`));
    expect(nTest).toEqual(values(yTest).map((i) => `s${i}`));
    expect(sorted([...values(yTrain), ...values(yTest)])).toEqual([...Array(10).keys()]);
  });

  it("is reproducible per seed, differs across seeds, and shuffle: false takes the first samples for training", () => {
    const x = arange(50);
    expect(trainTestSplit(x, { randomState: 3 }).map(values)).toEqual(trainTestSplit(x, { randomState: 3 }).map(values));
    expect(values(trainTestSplit(x, { randomState: 3 })[1])).not.toEqual(values(trainTestSplit(x, { randomState: 4 })[1]));
    expect(values(trainTestSplit(x, { randomState: new Generator(3) })[1])).toEqual(values(trainTestSplit(x, { randomState: 3 })[1]));
    const [train, test] = trainTestSplit(arange(8), { shuffle: false, testSize: 0.25 });
    expect(values(train)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(values(test)).toEqual([6, 7]);
    const [train2, test2] = trainTestSplit(arange(10), { shuffle: false, testSize: 2, trainSize: 5 });
    expect([values(train2), values(test2)]).toEqual([[0, 1, 2, 3, 4], [5, 6]]);
  });

  it("stratify keeps sklearn's per-class counts in both sets", () => {
    for (const row of fx.stratified) {
      const y = tensor(row.counts.flatMap((c, k) => new Array<number>(c).fill(k)), { dtype: "int32" });
      for (const seed of [0, 1, 2]) {
        const [yTrain, yTest] = trainTestSplit(y, { testSize: row.testSize, randomState: seed, stratify: y });
        expect(classCounts(yTrain, row.counts.length), JSON.stringify(row)).toEqual(row.trainCounts);
        expect(classCounts(yTest, row.counts.length), JSON.stringify(row)).toEqual(row.testCounts);
      }
    }
  });

  it("stratify keeps proportions within one sample when sklearn breaks ties at random", () => {
    const y = tensor([...new Array(50).fill(0), ...new Array(30).fill(1), ...new Array(20).fill(2)], { dtype: "int32" });
    const X = arange(100);
    for (const seed of [0, 1, 2, 3]) {
      const [xTrain, xTest, yTrain, yTest] = trainTestSplit(X, y, { testSize: 0.25, randomState: seed, stratify: values(y) });
      expect(yTest.shape[0]).toBe(25);
      const test = classCounts(yTest, 3);
      [12.5, 7.5, 5].forEach((expected, k) => expect(Math.abs(test[k] - expected)).toBeLessThanOrEqual(0.5));
      expect(values(yTrain)).toEqual(values(xTrain).map((i) => values(y)[i]));
      expect(values(yTest)).toEqual(values(xTest).map((i) => values(y)[i]));
      expect(sorted([...values(xTrain), ...values(xTest)])).toEqual([...Array(100).keys()]);
    }
  });

  it("rejects mismatched lengths, sizes out of range and impossible stratification", () => {
    expect(() => trainTestSplit(arange(10), arange(9))).toThrow(
      "trainTestSplit: found input variables with inconsistent numbers of samples: shape [10], shape [9]",
    );
    expect(() => trainTestSplit(arange(10), [1, 2])).toThrow(/shape \[10\], length 2/);
    for (const bad of [0, 1.5, -0.1, 10, 11]) {
      expect(() => trainTestSplit(arange(10), { testSize: bad })).toThrow(
        `trainTestSplit: testSize=${bad} should be either a fraction in (0, 1) or an integer count in [1, 9] (n = 10 samples)`,
      );
    }
    expect(() => trainTestSplit(arange(10), { trainSize: 0 })).toThrow(/trainSize=0/);
    expect(() => trainTestSplit(arange(10), { testSize: 0.6, trainSize: 0.5 })).toThrow(/testSize \+ trainSize = 1.1 should be at most 1/);
    expect(() => trainTestSplit(arange(10), { testSize: 6, trainSize: 5 })).toThrow(/11 samples, more than the 10 available/);
    expect(() => trainTestSplit(arange(3), { testSize: 0.9 })).toThrow(/train set would be empty/);
    const y = tensor([0, 0, 0, 1], { dtype: "int32" });
    expect(() => trainTestSplit(y, { stratify: y, testSize: 2 })).toThrow(/label 1\) has only 1 member/);
    expect(() => trainTestSplit(arange(4), { stratify: [0, 1] })).toThrow(/stratify must be 1-D with one label per sample \(\[4\]\), got shape \[2\]/);
    expect(() => trainTestSplit(arange(6), { stratify: [0, 0, 1, 1, 2, 2], testSize: 2 })).toThrow(/at least one sample per class \(3 classes\)/);
    expect(() => trainTestSplit(arange(4), { stratify: [0, 0, 1, 1], shuffle: false })).toThrow(/needs shuffle: true/);
    expect(() => trainTestSplit()).toThrow(/at least one array/);
    expect(() => trainTestSplit(tensor(3))).toThrow(/0-d tensor/);
  });
});
