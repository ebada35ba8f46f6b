/**
 * Multi-class losses over a class dim: cross-entropy (with index or probability targets, class
 * weights, ignoreIndex and label smoothing) and the negative log-likelihood it is built on.
 */
import { Tensor, tensor, where, isFloatingPoint, isGradEnabled, record } from "@tsgrad/core";
import { reduce } from "./reduction.js";
import { resolveOptions, REDUCTION_DEFAULTS, type ReductionOptions } from "./options.js";
import { checkClassWeight, checkFloatInput, checkTensor, classTargets, formatShape, outOfBounds, sameShape } from "./checks.js";
import { allocFloat, contiguousData, fusedGradient, splitAt } from "./fused.js";

/**
 * Options of {@link nllLoss} and `NLLLoss`: class weights, an ignored target value, and the reduction.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `weight` | none (every class 1) | `weight` |
 * | `ignoreIndex` | `-100` | `ignore_index` |
 * | `reduction` | `"mean"` | `reduction` |
 *
 * @example
 * ```ts
 * const logProbs = tensor([[-1, -2], [-3, -4]]);
 * const target = tensor([0, 1], { dtype: "int32" });
 * losses.nllLoss(logProbs, target, { weight: tensor([2, 1]) }); // → 2 ((2·1 + 1·4) / (2 + 1))
 * losses.nllLoss(logProbs, target, { ignoreIndex: 1 });         // → 1
 * new losses.NLLLoss({ reduction: "none" }).forward(logProbs, target); // → [1, 4]
 * ```
 */
export interface NLLLossOptions extends ReductionOptions {
  /** One rescaling weight per class, shape `[C]`; `"mean"` then divides by the targets' total weight. */
  weight?: Tensor;
  /** A target value that contributes neither loss nor gradient (nor weight to the mean); default -100. */
  ignoreIndex?: number;
}

/**
 * Options of {@link crossEntropy} and `CrossEntropyLoss`: those of {@link NLLLossOptions} and
 * label smoothing.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `weight` | none (every class 1) | `weight` |
 * | `ignoreIndex` | `-100` | `ignore_index` |
 * | `labelSmoothing` | `0` | `label_smoothing` |
 * | `reduction` | `"mean"` | `reduction` |
 *
 * @example
 * ```ts
 * const logits = tensor([[2, 0]]);
 * const target = tensor([0], { dtype: "int32" });
 * losses.crossEntropy(logits, target);                          // ≈ 0.1269
 * losses.crossEntropy(logits, target, { labelSmoothing: 0.2 }); // ≈ 0.3269 (target [0.9, 0.1])
 * const criterion = new losses.CrossEntropyLoss({ ignoreIndex: 0 });
 * criterion.forward(logits, target).item();                     // → NaN (every target ignored: 0 / 0, as PyTorch)
 * ```
 */
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

/**
 * Per-sample `−weight[t]·logProbs[t]` (0 where ignored; the target's shape) and what `"mean"`
 * divides by when it is not the plain count: the kept targets' weights.
 */
function negativeLogLikelihood(
  op: string, logProbs: Tensor, target: Tensor, layout: ClassLayout, weight: Tensor | undefined, ignoreIndex: number,
): { loss: Tensor; meanWeights: Tensor | undefined } {
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
  return { loss, meanWeights };
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
 * const logProbs = tensor([[2, 0.5, -1], [0.1, 0.2, 3]]).logSoftmax(1); // [N, C]
 * const labels = tensor([0, 2], { dtype: "int32" });                 // int32 [N]
 * nllLoss(logProbs, labels).item(); // ≈ 0.1755 (the same as crossEntropy on the logits)
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

/**
 * Fused `loss = Σ_c q_c·(logsumexp(x) − x_c)` along `classDim`: the cross-entropy of logits `x`
 * against target weights `q` (x's shape) in one max-shifted pass, finite for logits of ±1000.
 * Every cross-entropy variant is this with a different `q`. Backward:
 * `dx = g·(softmax(x)·Σ_c q_c − q)` and `dq = −g·logSoftmax(x)`.
 */
function softmaxCrossEntropy(x: Tensor, q: Tensor, classDim: number): Tensor {
  const [outer, classes, inner] = splitAt(x.shape, classDim);
  const xd = contiguousData(x);
  const qd = contiguousData(q);
  const loss = allocFloat(x.dtype, outer * inner);
  // The softmax is kept for the backward kernel (exp dominates the cost) only when a graph is recorded.
  const softmax = x.requiresGrad && isGradEnabled() ? allocFloat(x.dtype, xd.length) : null;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * classes * inner + i;
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, xd[base + c * inner]);
      let sum = 0;
      for (let c = 0; c < classes; c++) {
        const e = Math.exp(xd[base + c * inner] - max);
        if (softmax) softmax[base + c * inner] = e;
        sum += e;
      }
      const lse = max + Math.log(sum);
      let acc = 0;
      for (let c = 0; c < classes; c++) {
        const k = base + c * inner;
        if (softmax) softmax[k] /= sum;
        if (qd[k] !== 0) acc += qd[k] * (lse - xd[k]); // skips 0·∞ for a −∞ logit nobody targets
      }
      loss[o * inner + i] = acc;
    }
  }
  const shape = x.shape.filter((_, d) => d !== classDim);
  return record(new Tensor(loss, shape, x.dtype), "CrossEntropyLossBackward", [x, q], (g) => [
    x.requiresGrad ? fusedGradient(
      () => {
        const p = softmax!;
        const gd = contiguousData(g);
        const dx = allocFloat(x.dtype, xd.length);
        for (let o = 0; o < outer; o++) {
          for (let i = 0; i < inner; i++) {
            const base = o * classes * inner + i;
            const gv = gd[o * inner + i];
            let total = 0;
            for (let c = 0; c < classes; c++) total += qd[base + c * inner];
            // A row with no target weight (an ignored target) gets exactly 0, even for g = ∞.
            if (total === 0) continue;
            for (let c = 0; c < classes; c++) {
              const k = base + c * inner;
              dx[k] = gv * (p[k] * total - qd[k]);
            }
          }
        }
        return new Tensor(dx, x.shape, x.dtype);
      },
      () => x.softmax(classDim).mul(q.sum(classDim, true)).sub(q).mul(g.unsqueeze(classDim)),
    ) : null,
    q.requiresGrad ? x.logSoftmax(classDim).mul(g.unsqueeze(classDim)).neg() : null,
  ]);
}

/**
 * The unweighted `q` of {@link softmaxCrossEntropy} for class-index targets, built in one pass that
 * also validates them: `1 − ε + ε/C` at the target class and `ε/C` elsewhere (label smoothing
 * ε), a zero row for an ignored target. Also returns the denominator of PyTorch's mean,
 * `Σ weight[t]` over the kept targets (their count without weight; a tensor when the weight
 * requires grad, so its gradient includes the denominator's).
 */
function smoothedOneHot(
  op: string, input: Tensor, target: Tensor, layout: ClassLayout, weight: Tensor | undefined, ignoreIndex: number, labelSmoothing: number,
): { q: Tensor; total: number | Tensor } {
  const [outer, classes, inner] = splitAt(input.shape, layout.classDim);
  const t = contiguousData(target);
  const w = weight ? contiguousData(weight) : null;
  const q = allocFloat(input.dtype, outer * classes * inner);
  const uniform = labelSmoothing / classes;
  const kept: number[] | null = weight?.requiresGrad ? [] : null;
  let total = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const v = t[o * inner + i];
      if (v === ignoreIndex) continue;
      if (v < 0 || v >= classes) throw outOfBounds(op, v, classes, ignoreIndex);
      kept?.push(v);
      total += w ? w[v] : 1;
      const base = o * classes * inner + i;
      if (uniform !== 0) for (let c = 0; c < classes; c++) q[base + c * inner] = uniform;
      q[base + v * inner] += 1 - labelSmoothing;
    }
  }
  const differentiableTotal = kept && weight!.indexSelect(0, tensor(kept, { dtype: "int32" })).sum();
  return { q: new Tensor(q, input.shape, input.dtype), total: differentiableTotal ?? total };
}

/**
 * Cross-entropy between logits and targets, PyTorch's `F.cross_entropy`: `logSoftmax` over the
 * class dim followed by the negative log-likelihood, fused into one max-shifted pass (logits of
 * ±1000 are fine) with a one-pass backward. The target's dtype says what it holds:
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
 * Gradient with respect to the logits: `softmax(x)·Σ_c q_c − q`, where `q` is the (smoothed,
 * weighted) target distribution — `softmax(x) − onehot(t)` in the plain case — scaled by the
 * reduction. Probability targets get a gradient too (`−logSoftmax(x)`).
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
 * const logits = tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]]);
 * const oneHot = tensor([[1, 0, 0], [0, 0, 1]]);            // float32: probabilities
 * crossEntropy(logits, oneHot).item();                      // ≈ 0.1755 (as with the labels above)
 * ```
 */
export function crossEntropy(input: Tensor, target: Tensor, options?: CrossEntropyLossOptions): Tensor {
  const op = "crossEntropy";
  const { weight, ignoreIndex, reduction, labelSmoothing } = resolveOptions(op, options, CROSS_ENTROPY_DEFAULTS);
  const layout = classLayout(op, input, target, weight);
  const { classDim, classes } = layout;
  const probabilities = isFloatingPoint(target.dtype) && sameShape(target.shape, input.shape);
  let q: Tensor;
  let total: number | Tensor | undefined;
  if (probabilities) {
    if (ignoreIndex >= 0) {
      throw new TypeError(`${op}: ignoreIndex (${ignoreIndex}) is not supported for class-probability (floating-point) targets`);
    }
    q = target.to(input.dtype);
    if (labelSmoothing > 0) q = q.mul(1 - labelSmoothing).add(labelSmoothing / classes);
  } else {
    checkIndexTarget(op, input, target, layout, true);
    ({ q, total } = smoothedOneHot(op, input, target, layout, weight, ignoreIndex, labelSmoothing));
  }
  // Class weights scale the whole target distribution: for index targets this is PyTorch's
  // weight[t] on the nll term and weight[c] on each smoothing term.
  if (weight) q = q.mul(alongClassDim(weight, input.ndim, classDim));
  const loss = softmaxCrossEntropy(input, q, classDim);
  // Index targets, all ignored: PyTorch's mean is 0/0 = NaN with a zero gradient (nothing contributes).
  if (reduction === "mean" && total === 0) return loss.sum().mul(0).add(NaN);
  // Probability targets average over samples (N·d1·...), index targets over Σ weight[t].
  return reduce(loss, reduction, total);
}
