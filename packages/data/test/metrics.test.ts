import { describe, it, expect } from "vitest";
import { Tensor, tensor } from "@tsgrad/core";
import {
  accuracy, confusionMatrix, f1, meanAbsoluteError, meanSquaredError, precision, r2Score, recall, rootMeanSquaredError,
  type ClassificationScoreOptions,
} from "@tsgrad/data";
import { decode, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface Prf {
  precision: number;
  recall: number;
  f1: number;
}
interface LabelCase {
  yTrue: number[];
  yPred: number[];
  accuracy: number;
  macro: Prf;
  micro: Prf;
  weighted: Prf;
  confusion: EncodedTensor;
}
interface RegressionCase {
  yTrue: EncodedTensor;
  yPred: EncodedTensor;
  mae: number;
  mse: number;
  rmse: number;
  r2: number;
}
interface Fixture {
  classification: {
    binary: LabelCase & { pos1: Prf; pos0: Prf };
    multiclass: LabelCase & {
      macroZeroDivision1: Prf;
      macroLabels013: Prf & { labels: number[] };
      confusionLabels: { labels: number[]; matrix: EncodedTensor };
    };
  };
  regression: {
    vector: RegressionCase;
    matrix: RegressionCase;
    constant: { yTrue: EncodedTensor; yPredExact: EncodedTensor; yPredOff: EncodedTensor; r2Exact: number; r2Off: number };
  };
}
const fx = loadFixture<Fixture>(new URL("./fixtures/data.json", import.meta.url));
const labels = (v: number[]) => tensor(v, { dtype: "int32" });

// Every number within 1e-6 relative of sklearn's.
function expectNear(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs sklearn ${expected}`).toBeLessThanOrEqual(1e-12 + 1e-6 * Math.abs(expected));
}

function expectScores(yTrue: Tensor, yPred: Tensor, options: ClassificationScoreOptions, ref: Prf, what: string): void {
  expectNear(precision(yTrue, yPred, options), ref.precision, `${what} precision`);
  expectNear(recall(yTrue, yPred, options), ref.recall, `${what} recall`);
  expectNear(f1(yTrue, yPred, options), ref.f1, `${what} f1`);
}

describe("classification metrics vs sklearn", () => {
  const bin = fx.classification.binary;
  const multi = fx.classification.multiclass;
  const [bt, bp, mt, mp] = [bin.yTrue, bin.yPred, multi.yTrue, multi.yPred].map(labels);

  it("accuracy", () => {
    expectNear(accuracy(bt, bp), bin.accuracy, "binary");
    expectNear(accuracy(mt, mp), multi.accuracy, "multiclass");
    expect(accuracy(bt.to("bool"), bp.to("bool"))).toBeCloseTo(bin.accuracy, 12);
  });

  it("binary precision / recall / f1 for posLabel 1 (default) and 0", () => {
    expectScores(bt, bp, {}, bin.pos1, "pos 1");
    expectScores(bt, bp, { posLabel: 0 }, bin.pos0, "pos 0");
  });

  it("macro, micro and weighted averages, on binary and multiclass labels with empty classes", () => {
    for (const average of ["macro", "micro", "weighted"] as const) {
      expectScores(bt, bp, { average }, bin[average], `binary ${average}`);
      expectScores(mt, mp, { average }, multi[average], `multiclass ${average}`);
    }
    expectScores(mt, mp, { average: "macro", zeroDivision: 1 }, multi.macroZeroDivision1, "zeroDivision 1");
    const sub = multi.macroLabels013;
    expectScores(mt, mp, { average: "macro", labels: sub.labels }, sub, "labels [0, 1, 3]");
  });

  it("confusionMatrix: rows true, columns predicted, int32; labels pick and order the classes", () => {
    const cm = confusionMatrix(mt, mp);
    expect(cm.dtype).toBe("int32");
    expect(cm).toEqual(decode(multi.confusion));
    expect(confusionMatrix(bt, bp)).toEqual(decode(bin.confusion));
    expect(confusionMatrix(mt, mp, { labels: multi.confusionLabels.labels })).toEqual(decode(multi.confusionLabels.matrix));
  });

  it("handles perfect and all-wrong predictions and classes never predicted", () => {
    const y = labels([0, 1, 1, 0]);
    expect([accuracy(y, y), precision(y, y), recall(y, y), f1(y, y)]).toEqual([1, 1, 1, 1]);
    const flipped = labels([1, 0, 0, 1]);
    expect([accuracy(y, flipped), precision(y, flipped), recall(y, flipped), f1(y, flipped)]).toEqual([0, 0, 0, 0]);
    const none = labels([0, 0, 0, 0]);
    expect(precision(y, none)).toBe(0);
    expect(precision(y, none, { zeroDivision: 1 })).toBe(1);
    expect(recall(none, none, { zeroDivision: 1 })).toBe(1);
  });

  it("rejects float labels, shape mismatches, multiclass with average binary and bad options", () => {
    expect(() => accuracy(tensor([0, 1]), labels([0, 1]))).toThrow(
      "accuracy: yTrue must hold class labels (int32 or bool), got dtype float32; turn scores into labels first, e.g. logits.argmax(1)",
    );
    expect(() => accuracy(labels([0, 1]), labels([0, 1, 1]))).toThrow("accuracy: yTrue and yPred must have the same length, got shapes [2] and [3]");
    expect(() => f1(labels([0, 1]).reshape(2, 1), labels([0, 1]).reshape(2, 1))).toThrow("f1: yTrue must be 1-D [n], got shape [2, 1]");
    expect(() => precision(mt, mp)).toThrow(/precision: the labels hold 5 classes \(0, 1, 2, 3, 4\) but average is "binary"/);
    expect(() => recall(labels([2, 3]), labels([3, 2]))).toThrow("recall: posLabel=1 is not a valid label; it should be one of 2, 3");
    expect(() => f1(bt, bp, { average: "samples" as never })).toThrow('f1: average must be one of "binary", "macro", "micro", "weighted", got "samples"');
    expect(() => f1(bt, bp, { zeroDivision: 2 as never })).toThrow(/zeroDivision must be one of 0, 1, got/);
    expect(() => confusionMatrix(bt, bp, { labels: [1, 1] })).toThrow(/labels must be a non-empty list of distinct integers/);
  });
});

describe("regression metrics vs sklearn", () => {
  for (const name of ["vector", "matrix"] as const) {
    it(`mae, mse, rmse and r2 on ${name} targets`, () => {
      const ref = fx.regression[name];
      const [t, p] = [decode(ref.yTrue), decode(ref.yPred)];
      expectNear(meanAbsoluteError(t, p), ref.mae, "mae");
      expectNear(meanSquaredError(t, p), ref.mse, "mse");
      expectNear(rootMeanSquaredError(t, p), ref.rmse, "rmse");
      expectNear(r2Score(t, p), ref.r2, "r2");
    });
  }

  it("r2 of a constant target: 1 when exact, 0 otherwise (sklearn's forceFinite)", () => {
    const c = fx.regression.constant;
    expect(r2Score(decode(c.yTrue), decode(c.yPredExact))).toBe(c.r2Exact);
    expect(r2Score(decode(c.yTrue), decode(c.yPredOff))).toBe(c.r2Off);
  });

  it("accepts float32 inputs and returns plain numbers", () => {
    const t = tensor([3, -0.5, 2, 7]);
    const p = tensor([2.5, 0, 2, 8]);
    expect(typeof meanSquaredError(t, p)).toBe("number");
    expect(meanSquaredError(t, p)).toBeCloseTo(0.375, 12);
    expect(meanAbsoluteError(t, p)).toBeCloseTo(0.5, 12);
    expect(r2Score(t, p)).toBeCloseTo(0.9486081370449679, 12);
  });

  it("rejects shape mismatches and empty or scalar inputs", () => {
    expect(() => meanSquaredError(tensor([1, 2]), tensor([[1], [2]]))).toThrow(
      "meanSquaredError: yTrue and yPred must have the same shape, got [2] and [2, 1]",
    );
    expect(() => r2Score(tensor(1), tensor(1))).toThrow("r2Score: yTrue must be [n] or [n, nOutputs] with n >= 1, got shape []");
    expect(() => meanAbsoluteError(tensor([]), tensor([]))).toThrow(/n >= 1, got shape \[0\]/);
    expect(() => rootMeanSquaredError([1] as never, tensor([1]))).toThrow(TypeError);
  });
});
