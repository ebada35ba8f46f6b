// Every bad input gets its own clear error: the op, the offending option, shape, dtype or value.
import { describe, it, expect } from "vitest";
import { tensor, zeros, type Tensor } from "@tsgrad/core";
import * as L from "@tsgrad/losses";

const logits = zeros([3, 4]);
const labels = tensor([0, 3, 1], { dtype: "int32" });
const probs = tensor([0.2, 0.9, 0.5]);
const ones3 = tensor([1, 1, 1]);
const bad = (options: unknown) => options as L.CrossEntropyLossOptions;

interface ErrorCase {
  what: string;
  run: () => unknown;
  type: typeof TypeError | typeof RangeError;
  message: string | RegExp;
}

const CASES: ErrorCase[] = [
  // options
  { what: "unknown reduction", run: () => L.mseLoss(ones3, ones3, { reduction: "avg" as L.Reduction }), type: RangeError, message: 'mseLoss: reduction must be one of "mean", "sum", "none", got "avg"' },
  { what: "reduction of the wrong type", run: () => L.l1Loss(ones3, ones3, bad({ reduction: 1 })), type: TypeError, message: 'l1Loss: reduction must be one of "mean", "sum", "none", got number 1' },
  { what: "reduce() with an unknown reduction", run: () => L.reduce(ones3, "max" as L.Reduction), type: RangeError, message: 'reduce: reduction must be one of "mean", "sum", "none", got "max"' },
  { what: "snake_case option", run: () => L.crossEntropy(logits, labels, bad({ ignore_index: 1 })), type: TypeError, message: 'crossEntropy: unknown option "ignore_index" (did you mean "ignoreIndex"?); known options: reduction, weight, ignoreIndex, labelSmoothing' },
  { what: "legacy size_average", run: () => L.mseLoss(ones3, ones3, bad({ size_average: false })), type: TypeError, message: 'mseLoss: unknown option "size_average" (did you mean "reduction"?); known options: reduction' },
  { what: "options that are not an object", run: () => L.mseLoss(ones3, ones3, bad("sum")), type: TypeError, message: 'mseLoss: options must be an object, got "sum"' },
  { what: "delta 0", run: () => L.huberLoss(ones3, ones3, { delta: 0 }), type: RangeError, message: "huberLoss: delta must be a finite number > 0, got 0" },
  { what: "negative beta", run: () => L.smoothL1Loss(ones3, ones3, { beta: -1 }), type: RangeError, message: "smoothL1Loss: beta must be a finite number >= 0, got -1" },
  { what: "labelSmoothing above 1", run: () => L.crossEntropy(logits, labels, { labelSmoothing: 1.5 }), type: RangeError, message: "crossEntropy: labelSmoothing must be a number in [0, 1], got 1.5" },
  { what: "fractional ignoreIndex", run: () => L.nllLoss(logits, labels, { ignoreIndex: 0.5 }), type: RangeError, message: "nllLoss: ignoreIndex must be an integer, got 0.5" },
  { what: "p = 3", run: () => L.multiMarginLoss(logits, labels, { p: 3 as 1 }), type: RangeError, message: "multiMarginLoss: p must be one of 1, 2, got number 3" },
  { what: "NaN margin", run: () => L.hingeLoss(ones3, ones3, { margin: NaN }), type: RangeError, message: "hingeLoss: margin must be a finite number, got NaN" },
  { what: "weight that is not a tensor", run: () => L.crossEntropy(logits, labels, bad({ weight: [1, 2, 3, 4] })), type: TypeError, message: "crossEntropy: weight must be a Tensor, got an array of length 4" },
  { what: "options of a Module, named by the class", run: () => new L.HuberLoss({ delta: -2 }), type: RangeError, message: "HuberLoss: delta must be a finite number > 0, got -2" },
  { what: "unknown reduction of a Module", run: () => new L.CrossEntropyLoss({ reduction: "avg" as L.Reduction }), type: RangeError, message: 'CrossEntropyLoss: reduction must be one of "mean", "sum", "none", got "avg"' },

  // inputs
  { what: "input that is not a tensor", run: () => L.mseLoss([1, 2] as unknown as Tensor, ones3), type: TypeError, message: "mseLoss: input must be a Tensor (got object)" },
  { what: "integer input", run: () => L.mseLoss(labels, labels), type: TypeError, message: "mseLoss: input must be floating point (float32 or float64), got dtype int32" },
  { what: "target that is not a tensor", run: () => L.l1Loss(ones3, 1 as unknown as Tensor), type: TypeError, message: "l1Loss: target must be a Tensor (got number)" },
  { what: "[N, 1] prediction against [N] target", run: () => L.mseLoss(zeros([3, 1]), zeros([3])), type: RangeError, message: "mseLoss: target shape [3] does not match input shape [3, 1]" },
  { what: "BCE shape mismatch", run: () => L.binaryCrossEntropy(probs, zeros([3, 1])), type: RangeError, message: "binaryCrossEntropy: target shape [3, 1] does not match input shape [3]" },
  { what: "BCE input above 1", run: () => L.binaryCrossEntropy(tensor([0.5, 1.5]), tensor([0, 1])), type: RangeError, message: "binaryCrossEntropy: every input element must be between 0 and 1, got 1.5 at flat index 1 of shape [2]" },
  { what: "BCE negative input", run: () => L.binaryCrossEntropy(tensor([[-0.25]]), tensor([[0]])), type: RangeError, message: "binaryCrossEntropy: every input element must be between 0 and 1, got -0.25 at flat index 0 of shape [1, 1]" },
  { what: "BCE NaN input", run: () => L.binaryCrossEntropy(tensor([NaN]), tensor([0])), type: RangeError, message: /between 0 and 1, got NaN at flat index 0/ },
  { what: "BCE weight that does not broadcast", run: () => L.binaryCrossEntropy(zeros([2, 3]), zeros([2, 3]), { weight: ones3.reshape(3, 1) }), type: RangeError, message: "binaryCrossEntropy: weight of shape [3, 1] does not broadcast to the input shape [2, 3]" },
  { what: "BCE weight that would enlarge the loss", run: () => L.binaryCrossEntropy(probs, probs, { weight: zeros([2, 3]) }), type: RangeError, message: "binaryCrossEntropy: weight of shape [2, 3] does not broadcast to the input shape [3]" },
  { what: "posWeight of the wrong length", run: () => L.binaryCrossEntropyWithLogits(zeros([2, 3]), zeros([2, 3]), { posWeight: zeros([2]) }), type: RangeError, message: "binaryCrossEntropyWithLogits: posWeight of shape [2] does not broadcast to the input shape [2, 3]" },

  // class targets
  { what: "class index = C", run: () => L.crossEntropy(logits, tensor([0, 4, 1], { dtype: "int32" })), type: RangeError, message: "crossEntropy: target 4 is out of bounds: class indices must be in [0, 4) (or ignoreIndex -100)" },
  { what: "negative class index other than ignoreIndex", run: () => L.nllLoss(logits, tensor([0, -1, 1], { dtype: "int32" })), type: RangeError, message: "nllLoss: target -1 is out of bounds: class indices must be in [0, 4) (or ignoreIndex -100)" },
  { what: "multiMargin class index out of range", run: () => L.multiMarginLoss(logits, tensor([0, 7, 1], { dtype: "int32" })), type: RangeError, message: "multiMarginLoss: target 7 is out of bounds: class indices must be in [0, 4)" },
  { what: "float class indices", run: () => L.crossEntropy(logits, tensor([0, 3, 1])), type: TypeError, message: 'crossEntropy: a target of shape [3] holds class indices, which must be int32, got dtype float32 (use target.to("int32")); class probabilities would be floating point with the input\'s shape [3, 4]' },
  { what: "float indices for nllLoss", run: () => L.nllLoss(logits, tensor([0, 3, 1])), type: TypeError, message: 'nllLoss: a target of shape [3] holds class indices, which must be int32, got dtype float32 (use target.to("int32"))' },
  { what: "int32 where probabilities are needed", run: () => L.crossEntropy(logits, zeros([3, 4], { dtype: "int32" })), type: TypeError, message: "crossEntropy: a target with the input's shape [3, 4] holds class probabilities, which must be floating point, got dtype int32 (class indices have shape [3])" },
  { what: "float multiMargin targets", run: () => L.multiMarginLoss(logits, tensor([0, 3, 1])), type: TypeError, message: "multiMarginLoss: target holds class indices, which must be int32, got dtype float32" },
  { what: "crossEntropy target of neither shape", run: () => L.crossEntropy(logits, tensor([0, 1], { dtype: "int32" })), type: RangeError, message: "crossEntropy: target shape [2] does not match input shape [3, 4]: expected class indices (int32) of shape [3] or class probabilities (floating point) of shape [3, 4]" },
  { what: "K-dim target with the wrong spatial size", run: () => L.crossEntropy(zeros([2, 3, 5]), zeros([2, 4], { dtype: "int32" })), type: RangeError, message: "crossEntropy: target shape [2, 4] does not match input shape [2, 3, 5]: expected class indices (int32) of shape [2, 5] or class probabilities (floating point) of shape [2, 3, 5]" },
  { what: "nllLoss target of the wrong shape", run: () => L.nllLoss(logits, zeros([3, 4], { dtype: "int32" })), type: RangeError, message: "nllLoss: target shape [3, 4] does not match input shape [3, 4]: expected class indices (int32) of shape [3]" },
  { what: "0-d logits", run: () => L.crossEntropy(tensor(1), tensor(0, { dtype: "int32" })), type: RangeError, message: "crossEntropy: input must have a class dim, shape (C), (N, C) or (N, C, d1, ...); got a 0-d tensor" },
  { what: "class weight of the wrong length", run: () => L.crossEntropy(logits, labels, { weight: ones3 }), type: RangeError, message: "crossEntropy: weight must have one entry per class (shape [4]), got shape [3]" },
  { what: "nllLoss weight of the wrong rank", run: () => L.nllLoss(logits, labels, { weight: zeros([1, 4]) }), type: RangeError, message: "nllLoss: weight must have one entry per class (shape [4]), got shape [1, 4]" },
  { what: "multiMargin weight of the wrong length", run: () => L.multiMarginLoss(logits, labels, { weight: ones3 }), type: RangeError, message: "multiMarginLoss: weight must have one entry per class (shape [4]), got shape [3]" },
  { what: "ignoreIndex with probability targets", run: () => L.crossEntropy(logits, zeros([3, 4]), { ignoreIndex: 0 }), type: TypeError, message: "crossEntropy: ignoreIndex (0) is not supported for class-probability (floating-point) targets" },
  { what: "multiMargin 3-D input", run: () => L.multiMarginLoss(zeros([2, 3, 4]), labels), type: RangeError, message: "multiMarginLoss: input must be (C) or (N, C) scores, got shape [2, 3, 4]" },
  { what: "multiMargin target of the wrong length", run: () => L.multiMarginLoss(logits, tensor([0, 1], { dtype: "int32" })), type: RangeError, message: "multiMarginLoss: target shape [2] does not match input shape [3, 4]: expected class indices of shape [3]" },

  // ±1 targets
  { what: "hinge 0/1 labels", run: () => L.hingeLoss(ones3, tensor([1, 0, 1])), type: RangeError, message: "hingeLoss: every target element must be -1 or +1, got 0 at flat index 1 of shape [3]" },
  { what: "perceptron label 2", run: () => L.perceptronLoss(ones3, tensor([2, 1, -1])), type: RangeError, message: "perceptronLoss: every target element must be -1 or +1, got 2 at flat index 0 of shape [3]" },
  { what: "hinge shape mismatch", run: () => L.hingeLoss(zeros([3, 1]), ones3), type: RangeError, message: "hingeLoss: target shape [3] does not match input shape [3, 1]" },

  // zero-one
  { what: "zeroOne shapes that do not line up", run: () => L.zeroOneLoss(zeros([3, 4, 2]), labels), type: RangeError, message: "zeroOneLoss: pred shape [3, 4, 2] does not match target shape [3]: expected labels of the target's shape or scores with a class dim" },
];

describe("errors name the op and the offending value", () => {
  it.each(CASES.map((c) => [c.what, c] as const))("%s", (_what, c) => {
    let thrown: unknown;
    try {
      c.run();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(c.type);
    const message = (thrown as Error).message;
    if (typeof c.message === "string") expect(message).toBe(c.message);
    else expect(message).toMatch(c.message);
  });
});
