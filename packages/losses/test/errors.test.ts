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

  // the rest of PyTorch's losses
  { what: "klDiv unknown reduction", run: () => L.klDiv(ones3, ones3, { reduction: "batchsum" as L.KLDivReduction }), type: RangeError, message: 'klDiv: reduction must be one of "mean", "batchmean", "sum", "none", got "batchsum"' },
  { what: "batchmean is klDiv's alone", run: () => L.mseLoss(ones3, ones3, { reduction: "batchmean" as L.Reduction }), type: RangeError, message: 'mseLoss: reduction must be one of "mean", "sum", "none", got "batchmean"' },
  { what: "klDiv snake_case log_target", run: () => L.klDiv(ones3, ones3, bad({ log_target: true })), type: TypeError, message: 'klDiv: unknown option "log_target" (did you mean "logTarget"?); known options: reduction, logTarget' },
  { what: "klDiv target that would enlarge the input", run: () => L.klDiv(ones3, zeros([2, 3])), type: RangeError, message: "klDiv: target of shape [2, 3] does not broadcast to the input shape [3]" },
  { what: "poissonNll logInput not a boolean", run: () => L.poissonNllLoss(ones3, ones3, { logInput: 1 as unknown as boolean }), type: TypeError, message: "poissonNllLoss: logInput must be a boolean, got number 1" },
  { what: "poissonNll negative eps", run: () => new L.PoissonNLLLoss({ eps: -1 }), type: RangeError, message: "PoissonNLLLoss: eps must be a finite number >= 0, got -1" },
  { what: "gaussianNll variance of the wrong shape", run: () => L.gaussianNllLoss(zeros([3, 4]), zeros([3, 4]), zeros([4])), type: RangeError, message: "gaussianNllLoss: variance of shape [4] does not fit the input shape [3, 4]: expected [3, 4], [3] or [3, 1]" },
  { what: "gaussianNll negative variance", run: () => L.gaussianNllLoss(ones3, ones3, tensor([1, -0.5, 1])), type: RangeError, message: "gaussianNllLoss: variance must be >= 0 everywhere, got -0.5 at flat index 1 of shape [3]" },
  { what: "gaussianNll variance that is a number", run: () => L.gaussianNllLoss(ones3, ones3, 0.5 as unknown as Tensor), type: TypeError, message: "gaussianNllLoss: variance must be a Tensor (got number)" },
  { what: "hingeEmbedding 0/1 labels", run: () => L.hingeEmbeddingLoss(ones3, tensor([1, 0, 1])), type: RangeError, message: "hingeEmbeddingLoss: every target element must be -1 or +1, got 0 at flat index 1 of shape [3]" },
  { what: "softMargin label 2", run: () => L.softMarginLoss(ones3, tensor([1, 2, 1])), type: RangeError, message: "softMarginLoss: every target element must be -1 or +1, got 2 at flat index 1 of shape [3]" },
  { what: "multilabelMargin target out of range", run: () => L.multilabelMarginLoss(logits, tensor([[0, 4, -1, 0], [0, 0, 0, 0], [1, -1, 0, 0]], { dtype: "int32" })), type: RangeError, message: "multilabelMarginLoss: target 4 is out of range: values must be class indices in [0, 4) or -1 (the end of the list)" },
  { what: "multilabelMargin target of class indices only", run: () => L.multilabelMarginLoss(logits, labels), type: RangeError, message: "multilabelMarginLoss: target shape [3] does not match input shape [3, 4]" },
  { what: "multilabelMargin float target", run: () => L.multilabelMarginLoss(logits, zeros([3, 4])), type: TypeError, message: "multilabelMarginLoss: target holds class indices, which must be int32, got dtype float32" },
  { what: "multilabelMargin 3-D input", run: () => L.multilabelMarginLoss(zeros([2, 3, 4]), zeros([2, 3, 4], { dtype: "int32" })), type: RangeError, message: "multilabelMarginLoss: input must be (C) or (N, C) scores, got shape [2, 3, 4]" },
  { what: "multilabelSoftMargin weight that does not broadcast", run: () => L.multilabelSoftMarginLoss(logits, zeros([3, 4]), { weight: ones3 }), type: RangeError, message: "multilabelSoftMarginLoss: weight of shape [3] does not broadcast to the input shape [3, 4]" },
  { what: "multilabelSoftMargin 0-d input", run: () => L.multilabelSoftMarginLoss(tensor(1), tensor(1)), type: RangeError, message: "multilabelSoftMarginLoss: input must be (C) or (N, C) logits, got a 0-d tensor" },
  { what: "cosineEmbedding 2-D target", run: () => L.cosineEmbeddingLoss(logits, logits, zeros([3, 1])), type: RangeError, message: "cosineEmbeddingLoss: target must be (N) or 0-d, got shape [3, 1]" },
  { what: "cosineEmbedding (N) target with 1-D inputs", run: () => L.cosineEmbeddingLoss(ones3, ones3, tensor([1])), type: RangeError, message: "cosineEmbeddingLoss: a (N) target expects (N, D) inputs, got input1 [3] and input2 [3]" },
  { what: "cosineEmbedding target of the wrong length", run: () => L.cosineEmbeddingLoss(logits, logits, tensor([1, -1])), type: RangeError, message: "cosineEmbeddingLoss: target of shape [2] does not broadcast to the input shape [3]" },
  { what: "marginRanking ranks differ", run: () => L.marginRankingLoss(ones3, zeros([1, 3]), ones3), type: RangeError, message: "marginRankingLoss: input1, input2 and target must have the same number of dims, got shapes [3], [1, 3] and [3]" },
  { what: "marginRanking shapes that do not broadcast", run: () => L.marginRankingLoss(ones3, tensor([1, 1]), tensor([1, 1])), type: RangeError, message: "marginRankingLoss: shapes [3] and [2] cannot be broadcast together (dim 0: 3 vs 2)" },
  { what: "tripletMargin ranks differ", run: () => L.tripletMarginLoss(logits, ones3, logits), type: RangeError, message: "tripletMarginLoss: anchor, positive and negative must have the same number of dims, got shapes [3, 4], [3] and [3, 4]" },
  { what: "tripletMargin NaN p", run: () => new L.TripletMarginLoss({ p: NaN }), type: TypeError, message: "TripletMarginLoss: p must be a number (the norm degree), got NaN" },
  { what: "tripletMargin swap not a boolean", run: () => L.tripletMarginLoss(logits, logits, logits, { swap: "yes" as unknown as boolean }), type: TypeError, message: 'tripletMarginLoss: swap must be a boolean, got "yes"' },
  { what: "tripletMarginWithDistance distance that is not a function", run: () => L.tripletMarginWithDistanceLoss(logits, logits, logits, { distanceFunction: 2 as unknown as L.DistanceFunction }), type: TypeError, message: "tripletMarginWithDistanceLoss: distanceFunction must be a function, got number 2" },
  { what: "ctc 4-D logProbs", run: () => L.ctcLoss(zeros([2, 2, 2, 2]), labels, [2], [1]), type: RangeError, message: "ctcLoss: logProbs must be (T, N, C) or unbatched (T, C), got shape [2, 2, 2, 2]" },
  { what: "ctc blank out of range", run: () => L.ctcLoss(zeros([5, 1, 3]), tensor([[1]], { dtype: "int32" }), [5], [1], { blank: 3 }), type: RangeError, message: "ctcLoss: blank (3) must be a class index in [0, 3)" },
  { what: "ctc negative blank", run: () => new L.CTCLoss({ blank: -1 }), type: RangeError, message: "CTCLoss: blank must be an integer >= 0, got -1" },
  { what: "ctc input length above T", run: () => L.ctcLoss(zeros([5, 2, 3]), tensor([[1], [2]], { dtype: "int32" }), [6, 5], [1, 1]), type: RangeError, message: "ctcLoss: inputLengths must be in [0, 5] (T), got 6 for sample 0" },
  { what: "ctc lengths per sample", run: () => L.ctcLoss(zeros([5, 2, 3]), tensor([[1], [2]], { dtype: "int32" }), [5], [1, 1]), type: RangeError, message: "ctcLoss: inputLengths must have one entry per sample (2), got 1" },
  { what: "ctc float lengths", run: () => L.ctcLoss(zeros([5, 1, 3]), tensor([[1]], { dtype: "int32" }), tensor([5]), [1]), type: TypeError, message: "ctcLoss: inputLengths must be integral (an int32 tensor or an array of integers), got dtype float32" },
  { what: "ctc negative target length", run: () => L.ctcLoss(zeros([5, 1, 3]), tensor([[1]], { dtype: "int32" }), [5], [-1]), type: RangeError, message: "ctcLoss: targetLengths must be >= 0, got -1 for sample 0" },
  { what: "ctc padded targets too short", run: () => L.ctcLoss(zeros([5, 2, 3]), tensor([[1], [2]], { dtype: "int32" }), [5, 5], [2, 1]), type: RangeError, message: "ctcLoss: padded targets must be (N, S) with N = 2 and S >= the longest target (2), got shape [2, 1]" },
  { what: "ctc concatenated targets of the wrong total", run: () => L.ctcLoss(zeros([5, 2, 3]), tensor([1, 2, 1], { dtype: "int32" }), [5, 5], [2, 2]), type: RangeError, message: "ctcLoss: concatenated targets must hold sum(targetLengths) = 4 labels, got shape [3]" },
  { what: "ctc label out of range", run: () => L.ctcLoss(zeros([5, 1, 3]), tensor([[1, 3]], { dtype: "int32" }), [5], [2]), type: RangeError, message: "ctcLoss: target 3 of sample 0 is out of bounds: class indices must be in [0, 3)" },
  { what: "ctc float targets", run: () => L.ctcLoss(zeros([5, 1, 3]), tensor([[1, 2]]), [5], [2]), type: TypeError, message: "ctcLoss: targets hold class indices, which must be int32, got dtype float32" },

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
