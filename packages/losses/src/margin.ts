/**
 * Margin losses for classifiers: the binary hinge and perceptron losses on ±1 labels, the
 * multi-class hinge (PyTorch's multi_margin_loss), and the 0-1 loss as a metric.
 */
import { Tensor, noGrad } from "@tsgrad/core";
import { F } from "@tsgrad/nn";
import { reduce, type Reduction } from "./reduction.js";
import { resolveOptions, REDUCTION_DEFAULTS, type ReductionOptions } from "./options.js";
import { checkBroadcastsTo, checkClassWeight, checkFloatInput, checkSigns, checkTensor, classTargets, formatShape, sameShape, sameShapeTarget } from "./checks.js";

/**
 * Options of {@link hingeLoss} and `HingeLoss`: the margin and the reduction. (PyTorch has no
 * binary hinge loss of this form; `margin` is named as in `torch.nn.MultiMarginLoss`.)
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `margin` | `1` | `margin` |
 * | `reduction` | `"mean"` | `reduction` |
 *
 * @example
 * ```ts
 * const scores = tensor([0.5, -2]), labels = tensor([1, -1]);
 * losses.hingeLoss(scores, labels, { reduction: "none" });            // → [0.5, 0]
 * losses.hingeLoss(scores, labels, { margin: 2, reduction: "none" }); // → [1.5, 0]
 * new losses.HingeLoss({ margin: 2 }).forward(scores, labels);        // → 0.75
 * ```
 */
export interface HingeLossOptions extends ReductionOptions {
  /** The margin the score must clear on the right side (default 1). */
  margin?: number;
}

/**
 * Options of {@link multiMarginLoss} and `MultiMarginLoss`: the power, the margin, class weights
 * and the reduction.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `p` | `1` | `p` |
 * | `margin` | `1` | `margin` |
 * | `weight` | none (every class 1) | `weight` |
 * | `reduction` | `"mean"` | `reduction` |
 *
 * @example
 * ```ts
 * const scores = tensor([[0.1, 0.2, 0.4]]);
 * const target = tensor([2], { dtype: "int32" });
 * losses.multiMarginLoss(scores, target);           // ≈ 0.5 ((0.7 + 0.8) / 3)
 * losses.multiMarginLoss(scores, target, { p: 2 }); // ≈ 0.3767 ((0.49 + 0.64) / 3)
 * new losses.MultiMarginLoss({ margin: 0.1 }).forward(scores, target); // → 0
 * ```
 */
export interface MultiMarginLossOptions extends ReductionOptions {
  /** 1 (hinge) or 2 (squared hinge); default 1. */
  p?: 1 | 2;
  /** Default 1. */
  margin?: number;
  /** One weight per class `[C]`, applied by the target class. */
  weight?: Tensor;
}

/** @internal */
export const HINGE_DEFAULTS = { ...REDUCTION_DEFAULTS, margin: 1 };
/** @internal */
export const MULTI_MARGIN_DEFAULTS = { ...REDUCTION_DEFAULTS, p: 1 as 1 | 2, margin: 1, weight: undefined as Tensor | undefined };

// max(0, margin − y·ŷ) with clamp's subgradient: the gradient −y still flows where y·ŷ equals
// the margin exactly (how `torch.clamp(margin - y * x, min=0)` differentiates), so a perceptron
// started at w = 0 (every score 0) still learns.
function signedMarginLoss(op: string, input: Tensor, target: Tensor, margin: number, reduction: Reduction): Tensor {
  checkFloatInput(op, "input", input);
  const y = sameShapeTarget(op, input, target);
  checkSigns(op, "target", target);
  return reduce(input.mul(y).neg().add(margin).clamp(0), reduction);
}

/**
 * The article's (binary, SVM) hinge loss on labels `y ∈ {−1, +1}` and raw scores `ŷ`:
 * ```text
 * loss_i = max(0, margin − y_i·ŷ_i)
 * ```
 * Zero once a sample is on the right side by at least `margin`; gradient `−y` while it is not,
 * including exactly at the margin (the subgradient of `torch.clamp(margin − y·ŷ, min=0)`).
 *
 * This is not a PyTorch built-in; in PyTorch one writes `torch.clamp(1 - y * out, min=0).mean()`.
 * Note that PyTorch's `HingeEmbeddingLoss` is a different loss (`x` for y = 1, `max(0, margin − x)`
 * for y = −1, on distances), and `MultiMarginLoss` ({@link multiMarginLoss}) is the multi-class
 * hinge. Targets other than ±1 (such as 0/1 labels) throw; map them with `y.mul(2).sub(1)`.
 *
 * @param input - scores, any shape, floating point
 * @param target - the same shape, every element −1 or +1 (any dtype)
 * @returns a 0-d tensor, or `input`'s shape for `reduction: "none"`
 *
 * @example
 * ```ts
 * const linear = new nn.Linear(2, 1);
 * const scores = linear.forward(randn([4, 2])).squeeze(1); // [N]
 * const loss = hingeLoss(scores, tensor([1, -1, -1, 1]));  // labels: [N] of ±1
 * hingeLoss(tensor([2, 0.5, -1]), tensor([1, 1, 1]), { reduction: "none" }); // [0, 0.5, 2]
 * ```
 */
export function hingeLoss(input: Tensor, target: Tensor, options?: HingeLossOptions): Tensor {
  const { reduction, margin } = resolveOptions("hingeLoss", options, HINGE_DEFAULTS);
  return signedMarginLoss("hingeLoss", input, target, margin, reduction);
}

/**
 * The perceptron criterion on labels `y ∈ {−1, +1}` and scores `ŷ`: `loss_i = max(0, −y_i·ŷ_i)`,
 * the hinge loss with margin 0. Its gradient `−y·x` on misclassified samples (and on samples
 * exactly on the boundary, `ŷ = 0`) is Rosenblatt's update rule. Not a PyTorch built-in.
 *
 * @returns a 0-d tensor, or `input`'s shape for `reduction: "none"`
 *
 * @example
 * ```ts
 * perceptronLoss(tensor([2, -1]), tensor([1, 1]), { reduction: "none" }); // [0, 1]
 * ```
 */
export function perceptronLoss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  const { reduction } = resolveOptions("perceptronLoss", options, REDUCTION_DEFAULTS);
  return signedMarginLoss("perceptronLoss", input, target, 0, reduction);
}

// Scores (N, C) or (C) with int32 targets (N) or 0-d: the batch as (N, C) and the targets as (N).
function checkMultiClass(op: string, input: Tensor, target: Tensor): { scores: Tensor; labels: Tensor } {
  checkFloatInput(op, "input", input);
  checkTensor(op, "target", target);
  if (input.ndim !== 1 && input.ndim !== 2) {
    throw new RangeError(`${op}: input must be (C) or (N, C) scores, got shape ${formatShape(input.shape)}`);
  }
  const batch = input.ndim === 2 ? input.shape[0] : 1;
  const expected = input.ndim === 2 ? [batch] : [];
  if (!sameShape(target.shape, expected) && !(input.ndim === 1 && sameShape(target.shape, [1]))) {
    throw new RangeError(`${op}: target shape ${formatShape(target.shape)} does not match input shape ${formatShape(input.shape)}: expected class indices of shape ${formatShape(expected)}`);
  }
  if (target.dtype !== "int32") {
    throw new TypeError(`${op}: target holds class indices, which must be int32, got dtype ${target.dtype}`);
  }
  return { scores: input.reshape(batch, -1), labels: target.reshape(batch) };
}

/**
 * The multi-class hinge loss, PyTorch's `F.multi_margin_loss`: for scores `x` `(N, C)` and
 * int32 targets `y` `(N)`,
 * ```text
 * loss_n = Σ_{i ≠ y_n} weight[y_n]·max(0, margin − x[n, y_n] + x[n, i])^p / C
 * ```
 * with `p` 1 or 2. As in PyTorch, an `i` exactly at the margin (`margin − x[y] + x[i] = 0`)
 * passes no gradient. An unbatched `(C)` input takes a 0-d (or one-element) target.
 *
 * @returns a 0-d tensor, or `(N)` for `reduction: "none"` (unbatched: the target's shape, 0-d or `(1)`)
 *
 * @example
 * ```ts
 * multiMarginLoss(tensor([[0.1, 0.2, 0.4, 0.8]]), tensor([3], { dtype: "int32" })); // ≈ 0.3250
 * ```
 */
export function multiMarginLoss(input: Tensor, target: Tensor, options?: MultiMarginLossOptions): Tensor {
  const op = "multiMarginLoss";
  const { p, margin, weight, reduction } = resolveOptions(op, options, MULTI_MARGIN_DEFAULTS);
  const { scores, labels } = checkMultiClass(op, input, target);
  const [batch, classes] = scores.shape;
  if (weight) checkClassWeight(op, weight, classes);
  const { indices } = classTargets(op, labels, classes);
  // 1 for every class but the target's: the sum runs over i ≠ y.
  const otherClass = input.dtype === "float64" ? new Float64Array(batch * classes) : new Float32Array(batch * classes);
  otherClass.fill(1);
  const label = indices.data;
  for (let n = 0; n < batch; n++) otherClass[n * classes + label[n]] = 0;
  const mask = new Tensor(otherClass, [batch, classes], input.dtype);
  const targetScore = scores.gather(1, indices.reshape(batch, 1));
  // relu: its zero gradient at 0 is PyTorch's `z > 0` test at the kink.
  const violation = scores.sub(targetScore).add(margin).relu();
  let perSample = (p === 2 ? violation.square() : violation).mul(mask).sum(1);
  if (weight) perSample = perSample.mul(weight.indexSelect(0, indices));
  perSample = perSample.div(classes);
  // PyTorch's shape: (N) for a batch, and for an unbatched input the target's shape (0-d or (1)).
  return reduce(input.ndim === 1 ? perSample.reshape(target.shape) : perSample, reduction);
}

/**
 * The 0-1 loss as a metric: the fraction of misclassified samples (`"mean"`, the default), their
 * count (`"sum"`) or a 0/1 flag per sample (`"none"`). It counts errors, like scikit-learn's
 * `zero_one_loss`; it is not a training loss.
 *
 * Why it cannot be trained by gradient descent: as a function of the model's scores it is a step
 * function, constant almost everywhere, so its gradient is 0 wherever it exists (and undefined
 * at the decision boundary); gradients carry no signal on how to move a misclassified point.
 * The surrogate losses above (hinge, perceptron, cross-entropy) are convex upper bounds that do.
 * So the result never requires grad, whatever the inputs.
 *
 * `pred` is either predicted labels of the target's shape (compared elementwise, e.g. class
 * indices or ±1 signs), or class scores with one more dim (class dim 1, or 0 for a single
 * sample), whose argmax is the prediction.
 *
 * @returns float (float64 for float64 scores, else float32): a 0-d tensor, or the target's shape for `"none"`
 *
 * @example
 * ```ts
 * const logits = tensor([[2, 0], [0, 1], [1, 3]]);
 * zeroOneLoss(logits, tensor([0, 0, 1], { dtype: "int32" })).item(); // ≈ 0.3333 (error rate from [N, C] scores)
 * const scores = tensor([0.5, -2, 1]);
 * zeroOneLoss(scores.sign(), tensor([1, 1, -1]), { reduction: "sum" }).item(); // 2 (misclassified, ±1 labels)
 * ```
 */
export function zeroOneLoss(pred: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  const op = "zeroOneLoss";
  const { reduction } = resolveOptions(op, options, REDUCTION_DEFAULTS);
  checkTensor(op, "pred", pred);
  checkTensor(op, "target", target);
  return noGrad(() => {
    let predicted = pred;
    if (pred.ndim === target.ndim + 1) {
      predicted = pred.argmax(pred.ndim === 1 ? 0 : 1);
    }
    if (!sameShape(predicted.shape, target.shape)) {
      throw new RangeError(`${op}: pred shape ${formatShape(pred.shape)} does not match target shape ${formatShape(target.shape)}: expected labels of the target's shape or scores with a class dim`);
    }
    const wrong = predicted.ne(target).to(pred.dtype === "float64" ? "float64" : "float32");
    return reduce(wrong, reduction);
  });
}

/**
 * The multi-label hinge loss, PyTorch's `F.multilabel_margin_loss`: each sample has a set of
 * target classes, listed in `target` before the first −1 (the rest is padding), and every target
 * class `j` should score at least 1 above every non-target class `i`:
 * ```text
 * loss_n = Σ_{j ∈ targets_n} Σ_{i ∉ targets_n} max(0, 1 − (x[n, j] − x[n, i])) / C
 * ```
 * A class listed twice counts twice, as in PyTorch. Like PyTorch, a pair exactly at the margin
 * passes no gradient.
 *
 * @param input - scores `(N, C)` or unbatched `(C)`, floating point
 * @param target - int32 of the input's shape: class indices, then −1 padding (every value in [−1, C))
 * @returns a 0-d tensor, or `(N)` for `reduction: "none"` (0-d when unbatched)
 *
 * PyTorch: torch.nn.functional.multilabel_margin_loss
 *
 * @example
 * ```ts
 * const scores = tensor([[0.1, 0.2, 0.4, 0.8]]);
 * const target = tensor([[3, 0, -1, 1]], { dtype: "int32" }); // classes 3 and 0; the 1 after −1 is padding
 * multilabelMarginLoss(scores, target).item();               // ≈ 0.85
 * ```
 */
export function multilabelMarginLoss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  const op = "multilabelMarginLoss";
  const { reduction } = resolveOptions(op, options, REDUCTION_DEFAULTS);
  checkFloatInput(op, "input", input);
  checkTensor(op, "target", target);
  if (input.ndim > 2) throw new RangeError(`${op}: input must be (C) or (N, C) scores, got shape ${formatShape(input.shape)}`);
  if (!sameShape(target.shape, input.shape)) {
    throw new RangeError(`${op}: target shape ${formatShape(target.shape)} does not match input shape ${formatShape(input.shape)}`);
  }
  if (target.dtype !== "int32") throw new TypeError(`${op}: target holds class indices, which must be int32, got dtype ${target.dtype}`);
  const batch = input.ndim === 2 ? input.shape[0] : 1;
  const classes = input.ndim === 0 ? 1 : input.shape[input.ndim - 1];
  const labels = target.contiguous().dataSync();
  // Per sample: the listed classes (as gather indices, padded with class 0), which of those
  // slots are real, and which classes are not targets.
  const slots = new Int32Array(batch * classes);
  const real = new Float64Array(batch * classes);
  const other = new Float64Array(batch * classes).fill(1);
  for (let n = 0; n < batch; n++) {
    let listed = true;
    for (let j = 0; j < classes; j++) {
      const v = labels[n * classes + j];
      if (v < -1 || v >= classes) {
        throw new RangeError(`${op}: target ${v} is out of range: values must be class indices in [0, ${classes}) or -1 (the end of the list)`);
      }
      if (v === -1) listed = false;
      if (!listed) continue;
      slots[n * classes + j] = v;
      real[n * classes + j] = 1;
      other[n * classes + v] = 0;
    }
  }
  const scores = input.reshape(batch, classes);
  const mask = (data: Float64Array, shape: number[]) => new Tensor(data, [batch, classes], "float64").to(input.dtype).reshape(shape);
  const targetScore = scores.gather(1, new Tensor(slots, [batch, classes], "int32")).unsqueeze(2); // (N, J, 1)
  const violation = scores.unsqueeze(1).sub(targetScore).add(1).relu();                          // (N, J, I)
  const perSample = violation.mul(mask(real, [batch, classes, 1])).mul(mask(other, [batch, 1, classes])).sum([1, 2]).div(classes);
  return reduce(input.ndim === 2 ? perSample : perSample.reshape([]), reduction);
}

/**
 * Options of {@link multilabelSoftMarginLoss} and `MultiLabelSoftMarginLoss`: class weights and
 * the reduction.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `weight` | none (every class 1) | `weight` |
 * | `reduction` | `"mean"` | `reduction` |
 *
 * @example
 * ```ts
 * const logits = tensor([[2, -1]]), labels = tensor([[1, 0]]);
 * losses.multilabelSoftMarginLoss(logits, labels);                                  // ≈ 0.2200
 * new losses.MultiLabelSoftMarginLoss({ weight: tensor([1, 3]) }).forward(logits, labels); // ≈ 0.5334
 * ```
 */
export interface MultiLabelSoftMarginLossOptions extends ReductionOptions {
  /** A rescaling weight per class `(C)` (anything broadcastable to the input). */
  weight?: Tensor;
}

/** @internal */
export const MULTILABEL_SOFT_MARGIN_DEFAULTS = { ...REDUCTION_DEFAULTS, weight: undefined as Tensor | undefined };

/**
 * The multi-label one-versus-all logistic loss, PyTorch's `F.multilabel_soft_margin_loss`: a
 * binary cross-entropy on logits per class, averaged over the classes (the last dim):
 * ```text
 * loss_n = −Σ_c weight_c·(y[n, c]·log σ(x[n, c]) + (1 − y[n, c])·log σ(−x[n, c])) / C
 * ```
 * computed with a stable `logsigmoid` (logits of ±1000 are fine). Gradient `weight·(σ(x) − y)/C`.
 *
 * @param input - logits `(N, C)` or unbatched `(C)`, floating point
 * @param target - labels in [0, 1] broadcastable to `input` (floating point)
 * @returns a 0-d tensor, or `(N)` for `reduction: "none"` (0-d when unbatched)
 *
 * PyTorch: torch.nn.functional.multilabel_soft_margin_loss
 *
 * @example
 * ```ts
 * const logits = tensor([[2, -1, 0.5], [0, 1, -2]]);
 * const labels = tensor([[1, 0, 1], [0, 1, 0]]);
 * multilabelSoftMarginLoss(logits, labels, { reduction: "none" }); // ≈ [0.3048, 0.3778]
 * ```
 */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, options?: MultiLabelSoftMarginLossOptions): Tensor {
  const op = "multilabelSoftMarginLoss";
  const { reduction, weight } = resolveOptions(op, options, MULTILABEL_SOFT_MARGIN_DEFAULTS);
  checkFloatInput(op, "input", input);
  if (input.ndim === 0) throw new RangeError(`${op}: input must be (C) or (N, C) logits, got a 0-d tensor`);
  checkTensor(op, "target", target);
  checkBroadcastsTo(op, "target", target, input.shape);
  const y = target.to(input.dtype);
  let loss = y.mul(F.logsigmoid(input)).add(y.neg().add(1).mul(F.logsigmoid(input.neg()))).neg();
  if (weight) {
    checkBroadcastsTo(op, "weight", weight, input.shape);
    loss = loss.mul(weight);
  }
  return reduce(loss.sum(-1).div(input.shape[input.ndim - 1]), reduction);
}

/**
 * The two-class logistic loss on ±1 labels, PyTorch's `F.soft_margin_loss`:
 * `loss_i = log(1 + exp(−y_i·x_i))`, a smooth hinge. Computed as `−logsigmoid(y·x)`, so it is
 * finite for any score (PyTorch 1.13's `log1p(exp(·))` overflows to ∞, with a NaN gradient, once
 * `−y·x` exceeds ~88 in float32 or ~709 in float64). Gradient `−y·σ(−y·x)`.
 *
 * @param input - scores, any shape, floating point
 * @param target - −1 or +1, broadcastable to `input`
 * @returns a 0-d tensor, or `input`'s shape for `reduction: "none"`
 *
 * PyTorch: torch.nn.functional.soft_margin_loss
 *
 * @example
 * ```ts
 * softMarginLoss(tensor([2, -0.5]), tensor([1, 1]), { reduction: "none" }); // ≈ [0.1269, 0.9741]
 * ```
 */
export function softMarginLoss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  const op = "softMarginLoss";
  const { reduction } = resolveOptions(op, options, REDUCTION_DEFAULTS);
  checkFloatInput(op, "input", input);
  checkTensor(op, "target", target);
  checkBroadcastsTo(op, "target", target, input.shape);
  checkSigns(op, "target", target);
  return reduce(F.logsigmoid(input.mul(target.to(input.dtype))).neg(), reduction);
}
