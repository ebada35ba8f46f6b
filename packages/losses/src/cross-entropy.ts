/**
 * Multi-class losses over a class dim: cross-entropy (with index or probability targets, class
 * weights, ignoreIndex and label smoothing) and the negative log-likelihood it is built on.
 */
import { where, isFloatingPoint, type Tensor } from "@tsgrad/core";
import { reduce, type Reduction } from "./reduction.js";
import { resolveOptions, REDUCTION_DEFAULTS, type ReductionOptions } from "./options.js";
import { checkClassWeight, checkFloatInput, checkTensor, classTargets, formatShape, sameShape } from "./checks.js";

/** Options of {@link nllLoss} / `NLLLoss`. */
export interface NLLLossOptions extends ReductionOptions {
  /** One rescaling weight per class, shape `[C]`; `"mean"` then divides by the targets' total weight. */
  weight?: Tensor;
  /** A target value that contributes neither loss nor gradient (nor weight to the mean); default -100. */
  ignoreIndex?: number;
}

/** Options of {@link crossEntropy} / `CrossEntropyLoss`. */
export interface CrossEntropyLossOptions extends NLLLossOptions {
  /**
   * In [0, 1] (default 0): the target becomes `(1 − labelSmoothing)·target + labelSmoothing/C`,
   * mixing in the uniform distribution, as PyTorch 1.10+ does.
   */
  labelSmoothing?: number;
}

/** @internal */
export const NLL_DEFAULTS = { ...REDUCTION_DEFAULTS, weight: undefined as Tensor | undefined, ignoreIndex: -100 };
/** @internal */
export const CROSS_ENTROPY_DEFAULTS = { ...NLL_DEFAULTS, labelSmoothing: 0 };

interface ClassLayout {
  /** 0 for an unbatched `(C)` input, else 1: `(N, C)` or `(N, C, d1, ...)`. */
  classDim: number;
  /** C. */
  classes: number;
  /** The shape class-index targets must have: `()`, `(N)` or `(N, d1, ...)`. */
  indexShape: number[];
}

function classLayout(op: string, input: Tensor, target: Tensor, weight: Tensor | undefined): ClassLayout {
  checkFloatInput(op, "input", input);
  checkTensor(op, "target", target);
  if (input.ndim === 0) {
    throw new RangeError(`${op}: input must have a class dim, shape (C), (N, C) or (N, C, d1, ...); got a 0-d tensor`);
  }
  const classDim = input.ndim === 1 ? 0 : 1;
  const classes = input.shape[classDim];
  if (weight) checkClassWeight(op, weight, classes);
  const indexShape = input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  return { classDim, classes, indexShape };
}

// Class-index targets: int32 with the input's shape minus the class dim.
function checkIndexTarget(op: string, input: Tensor, target: Tensor, layout: ClassLayout, acceptsProbabilities: boolean): void {
  const indexShape = formatShape(layout.indexShape);
  if (sameShape(target.shape, layout.indexShape)) {
    if (target.dtype === "int32") return;
    const alternative = acceptsProbabilities ? `; class probabilities would be floating point with the input's shape ${formatShape(input.shape)}` : "";
    throw new TypeError(`${op}: a target of shape ${indexShape} holds class indices, which must be int32, got dtype ${target.dtype} (use target.to("int32"))${alternative}`);
  }
  if (acceptsProbabilities && sameShape(target.shape, input.shape)) {
    throw new TypeError(`${op}: a target with the input's shape ${formatShape(input.shape)} holds class probabilities, which must be floating point, got dtype ${target.dtype} (class indices have shape ${indexShape})`);
  }
  const probabilities = acceptsProbabilities ? ` or class probabilities (floating point) of shape ${formatShape(input.shape)}` : "";
  throw new RangeError(`${op}: target shape ${formatShape(target.shape)} does not match input shape ${formatShape(input.shape)}: expected class indices (int32) of shape ${indexShape}${probabilities}`);
}

// weight [C] shaped to broadcast along the class dim of an `ndim`-dim input.
function alongClassDim(weight: Tensor, ndim: number, classDim: number): Tensor {
  const shape = new Array<number>(ndim).fill(1);
  shape[classDim] = weight.shape[0];
  return weight.reshape(shape);
}

interface Likelihood {
  /** Per-sample `−weight[t]·logProbs[t]`, 0 where ignored; the target's shape. */
  loss: Tensor;
  /** What `"mean"` divides by when it is not the plain count: the kept targets' weights. */
  meanWeights: Tensor | undefined;
  /** Where the target is not ignored (null when nothing is). */
  keep: Tensor | null;
}

function negativeLogLikelihood(
  op: string, logProbs: Tensor, target: Tensor, layout: ClassLayout, weight: Tensor | undefined, ignoreIndex: number,
): Likelihood {
  const { classDim } = layout;
  const { indices, keep } = classTargets(op, target, layout.classes, ignoreIndex);
  let loss = logProbs.gather(classDim, indices.unsqueeze(classDim)).squeeze(classDim).neg();
  let meanWeights = weight?.indexSelect(0, indices.reshape(-1)).reshape(target.shape);
  if (meanWeights) loss = loss.mul(meanWeights);
  if (keep) {
    // where, not a multiply by 0: an ignored entry's log-probability may be -Infinity.
    loss = where(keep, loss, 0);
    meanWeights = meanWeights ? where(keep, meanWeights, 0) : keep.to(loss.dtype);
  }
  return { loss, meanWeights, keep };
}

/**
 * Negative log-likelihood loss on log-probabilities, PyTorch's `F.nll_loss`: for each sample n
 * with target class `t_n`,
 * ```text
 * loss_n = −weight[t_n]·logProbs[n, t_n]     (0 when t_n = ignoreIndex)
 * "mean" = Σ_n loss_n / Σ_n weight[t_n]      (over non-ignored n; NaN when all are ignored)
 * ```
 * Pair it with `logSoftmax(x, 1)`; {@link crossEntropy} does both in one call.
 *
 * Shapes: `logProbs` `(N, C)` with target `(N)`, `(N, C, d1, ...)` with `(N, d1, ...)`, or
 * unbatched `(C)` with a 0-d target. Targets are int32 class indices in [0, C) (or ignoreIndex).
 *
 * @returns a 0-d tensor, or the target's shape for `reduction: "none"`
 *
 * @example
 * ```ts
 * const logProbs = model.forward(x).logSoftmax(1);          // [N, C]
 * const loss = nllLoss(logProbs, labels);                  // labels: int32 [N]
 * ```
 */
export function nllLoss(input: Tensor, target: Tensor, options?: NLLLossOptions): Tensor {
  const op = "nllLoss";
  const { weight, ignoreIndex, reduction } = resolveOptions(op, options, NLL_DEFAULTS);
  const layout = classLayout(op, input, target, weight);
  checkIndexTarget(op, input, target, layout, false);
  const { loss, meanWeights } = negativeLogLikelihood(op, input, target, layout, weight, ignoreIndex);
  return reduce(loss, reduction, meanWeights);
}

function probabilityCrossEntropy(
  logProbs: Tensor, target: Tensor, layout: ClassLayout, weight: Tensor | undefined, labelSmoothing: number, reduction: Reduction,
): Tensor {
  const { classDim, classes } = layout;
  const q = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
  let terms = logProbs.mul(q);
  if (weight) terms = terms.mul(alongClassDim(weight, logProbs.ndim, classDim));
  // "mean" averages over samples (N·d1·...), not over the weights, as PyTorch does for probabilities.
  return reduce(terms.sum(classDim).neg(), reduction);
}

/**
 * Cross-entropy between logits and targets, PyTorch's `F.cross_entropy`: `logSoftmax` over the
 * class dim (max-shifted, so logits of ±1000 are fine) followed by the negative log-likelihood.
 * The target's dtype says what it holds:
 *
 * - **int32 class indices** — the article's *sparse categorical cross-entropy*. Shapes as in
 *   {@link nllLoss}: input `(N, C)` with target `(N)`, `(N, C, d1, ...)` with `(N, d1, ...)`,
 *   or unbatched `(C)` with a 0-d target. `loss_n = −weight[t_n]·log softmax(x_n)[t_n]`;
 *   `ignoreIndex` targets count for nothing; `"mean"` divides by `Σ weight[t_n]` over the kept
 *   targets (all ignored gives NaN, as PyTorch).
 * - **floating-point class probabilities** of the input's shape (e.g. one-hot rows) — the
 *   article's *categorical cross-entropy*. `loss_n = −Σ_c weight[c]·p_nc·log softmax(x_n)_c`;
 *   `"mean"` divides by the number of samples. `ignoreIndex` is not supported (PyTorch neither).
 *
 * With `labelSmoothing = ε` the target is mixed with the uniform distribution:
 * `(1 − ε)·target + ε/C`. For index targets this is PyTorch's
 * `(1 − ε)·nll + (ε/C)·Σ_c −weight[c]·log softmax(x)_c`, reduced like nll (ignored targets
 * excluded, the weighted mean dividing by the same `Σ weight[t_n]`).
 *
 * Gradient with respect to the logits: `softmax(x) − target` (one-hot for indices), scaled by
 * the weights and the reduction.
 *
 * @returns a 0-d tensor, or the per-sample losses (`(N)`, `(N, d1, ...)` or 0-d) for `"none"`
 *
 * @example Sparse categorical cross-entropy (class indices)
 * ```ts
 * const logits = tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]]);
 * const labels = tensor([0, 2], { dtype: "int32" });
 * crossEntropy(logits, labels);                             // ≈ 0.1755
 * crossEntropy(logits, labels, { labelSmoothing: 0.1, weight: tensor([1, 1, 2]) });
 * ```
 *
 * @example Categorical cross-entropy (one-hot or soft probabilities)
 * ```ts
 * const oneHot = tensor([[1, 0, 0], [0, 0, 1]]);            // float32: probabilities
 * crossEntropy(logits, oneHot);                             // same value as with the labels above
 * ```
 */
export function crossEntropy(input: Tensor, target: Tensor, options?: CrossEntropyLossOptions): Tensor {
  const op = "crossEntropy";
  const { weight, ignoreIndex, reduction, labelSmoothing } = resolveOptions(op, options, CROSS_ENTROPY_DEFAULTS);
  const layout = classLayout(op, input, target, weight);
  if (isFloatingPoint(target.dtype) && sameShape(target.shape, input.shape)) {
    if (ignoreIndex >= 0) {
      throw new TypeError(`${op}: ignoreIndex (${ignoreIndex}) is not supported for class-probability (floating-point) targets`);
    }
    const logProbs = input.logSoftmax(layout.classDim);
    return probabilityCrossEntropy(logProbs, target.to(input.dtype), layout, weight, labelSmoothing, reduction);
  }
  checkIndexTarget(op, input, target, layout, true);
  const logProbs = input.logSoftmax(layout.classDim);
  const { loss, meanWeights, keep } = negativeLogLikelihood(op, logProbs, target, layout, weight, ignoreIndex);
  const nll = reduce(loss, reduction, meanWeights);
  if (labelSmoothing === 0) return nll;
  const weighted = weight ? logProbs.mul(alongClassDim(weight, logProbs.ndim, layout.classDim)) : logProbs;
  let uniform = weighted.sum(layout.classDim).neg();
  if (keep) uniform = where(keep, uniform, 0);
  const smooth = reduce(uniform, reduction, meanWeights);
  return nll.mul(1 - labelSmoothing).add(smooth.mul(labelSmoothing / layout.classes));
}
