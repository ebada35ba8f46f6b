/** Binary cross-entropy on probabilities and on logits, each with its backward rule. */
import { Tensor, record } from "@tsgrad/core";
import { allocFloat, contiguousData, fusedGradient } from "./fused.js";
import { reduce } from "./reduction.js";
import { resolveOptions, REDUCTION_DEFAULTS, type ReductionOptions } from "./options.js";
import { checkBroadcastsTo, checkFloatInput, checkProbabilities, sameShapeTarget } from "./checks.js";

/**
 * Options of {@link binaryCrossEntropy} and `BCELoss`: per-element weights and the reduction.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `weight` | none (every element 1) | `weight` |
 * | `reduction` | `"mean"` | `reduction` |
 *
 * @example
 * ```ts
 * const p = tensor([0.5, 0.5]), y = tensor([1, 0]);
 * losses.binaryCrossEntropy(p, y, { weight: tensor([2, 0]), reduction: "sum" }); // ≈ 1.3863 (2·ln 2)
 * new losses.BCELoss({ weight: tensor([2, 0]) }).forward(p, y);                  // ≈ 0.6931
 * ```
 */
export interface BCELossOptions extends ReductionOptions {
  /** Rescales each element's loss; must broadcast to the input's shape (e.g. `[C]` per class). */
  weight?: Tensor;
}

/**
 * Options of {@link binaryCrossEntropyWithLogits} and `BCEWithLogitsLoss`: per-element weights,
 * the positive class's weight, and the reduction.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `weight` | none (every element 1) | `weight` |
 * | `posWeight` | none (1) | `pos_weight` |
 * | `reduction` | `"mean"` | `reduction` |
 *
 * @example
 * ```ts
 * const logits = zeros([2]), y = tensor([1, 0]);
 * losses.binaryCrossEntropyWithLogits(logits, y, { posWeight: tensor([3]), reduction: "sum" }); // ≈ 2.7726 (3·ln 2 + ln 2)
 * new losses.BCEWithLogitsLoss({ posWeight: tensor([3]) }).forward(logits, y);                  // ≈ 1.3863
 * ```
 */
export interface BCEWithLogitsLossOptions extends BCELossOptions {
  /**
   * Weight of the positive term, broadcast over the input (typically `[C]`, one per class of a
   * multi-label problem): `posWeight = negatives / positives` balances a rare class.
   */
  posWeight?: Tensor;
}

/** @internal */
export const BCE_DEFAULTS = { ...REDUCTION_DEFAULTS, weight: undefined as Tensor | undefined };
/** @internal */
export const BCE_WITH_LOGITS_DEFAULTS = { ...BCE_DEFAULTS, posWeight: undefined as Tensor | undefined };

// PyTorch clamps the logs at −100, so p = 0 or 1 gives a finite loss, and bounds the gradient's
// denominator p·(1 − p) below by 1e-12, so the gradient there is finite (±1e12·(p − y)) too.
const LOG_FLOOR = -100;
const GRAD_EPSILON = 1e-12;

/**
 * Fused `−(y·max(log p, −100) + (1 − y)·max(log(1 − p), −100))` per element with PyTorch's
 * backward `(p − y) / max(p·(1 − p), 1e-12)`; composing `clamp(log p)` would give NaN (0·∞) at
 * p = 0. `log(1 − p)` rather than `log1p(−p)`: PyTorch 1.13's formula, matched to the last bits.
 */
function binaryCrossEntropyElements(p: Tensor, y: Tensor): Tensor {
  const pd = contiguousData(p);
  const yd = contiguousData(y);
  const out = allocFloat(p.dtype, pd.length);
  for (let i = 0; i < pd.length; i++) {
    const pv = pd[i];
    const yv = yd[i];
    out[i] = (yv - 1) * Math.max(Math.log(1 - pv), LOG_FLOOR) - yv * Math.max(Math.log(pv), LOG_FLOOR);
  }
  const loss = new Tensor(out, p.shape, p.dtype);
  return record(loss, "BinaryCrossEntropyBackward0", [p, y], (g) => [
    p.requiresGrad ? fusedGradient(
      () => {
        const gd = contiguousData(g);
        const dp = allocFloat(p.dtype, pd.length);
        for (let i = 0; i < pd.length; i++) dp[i] = (gd[i] * (pd[i] - yd[i])) / Math.max(pd[i] * (1 - pd[i]), GRAD_EPSILON);
        return new Tensor(dp, p.shape, p.dtype);
      },
      () => g.mul(p.sub(y)).div(p.mul(p.neg().add(1)).clamp(GRAD_EPSILON)),
    ) : null,
    y.requiresGrad ? g.mul(p.neg().add(1).log().clamp(LOG_FLOOR).sub(p.log().clamp(LOG_FLOOR))) : null,
  ]);
}

/** `softplus(−x) = log(1 + e^(−x)) = max(−x, 0) + log1p(e^(−|x|))` in Tensor ops (for gradients of y). */
const softplusOfNegative = (x: Tensor): Tensor => x.neg().relu().add(x.abs().neg().exp().log1p());

/**
 * Fused `(1 − y)·x + (1 − y + pwy)·softplus(−x)` per element, `pwy = posWeight·y` (taken as y
 * without posWeight, so the factor is 1), with softplus(−x) = max(−x, 0) + log1p(e^(−|x|)):
 * exact and finite for logits of ±1000. Backward: PyTorch's `(1 − y + pwy)·σ(x) − pwy` for x,
 * also at x = 0 (where composing relu and abs would pass the wrong subgradient).
 */
function logitBinaryCrossEntropyElements(x: Tensor, y: Tensor, pwy: Tensor | undefined): Tensor {
  const xd = contiguousData(x);
  const yd = contiguousData(y);
  const pd = pwy ? contiguousData(pwy) : yd;
  const weighted = pwy !== undefined;
  const out = allocFloat(x.dtype, xd.length);
  for (let i = 0; i < xd.length; i++) {
    const xv = xd[i];
    const yv = yd[i];
    const softplusWeight = weighted ? 1 - yv + pd[i] : 1;
    out[i] = (1 - yv) * xv + softplusWeight * (Math.max(-xv, 0) + Math.log1p(Math.exp(-Math.abs(xv))));
  }
  const loss = new Tensor(out, x.shape, x.dtype);
  const inputs = pwy ? [x, y, pwy] : [x, y];
  return record(loss, "BinaryCrossEntropyWithLogitsBackward0", inputs, (g) => [
    x.requiresGrad ? fusedGradient(
      () => {
        const gd = contiguousData(g);
        const dx = allocFloat(x.dtype, xd.length);
        for (let i = 0; i < xd.length; i++) {
          const xv = xd[i];
          const e = Math.exp(-Math.abs(xv));
          const sigmoid = xv >= 0 ? 1 / (1 + e) : e / (1 + e);
          const softplusWeight = weighted ? 1 - yd[i] + pd[i] : 1;
          dx[i] = gd[i] * (softplusWeight * sigmoid - pd[i]);
        }
        return new Tensor(dx, x.shape, x.dtype);
      },
      () => g.mul((pwy ? y.neg().add(1).add(pwy).mul(x.sigmoid()) : x.sigmoid()).sub(pwy ?? y)),
    ) : null,
    y.requiresGrad ? g.mul(pwy ? x.add(softplusOfNegative(x)).neg() : x.neg()) : null,
    pwy?.requiresGrad ? g.mul(softplusOfNegative(x)) : null,
  ]);
}

// Checks the shared options of both forms before any work.
function checkBinaryInputs(op: string, input: Tensor, target: Tensor, weights: Record<string, Tensor | undefined>): Tensor {
  checkFloatInput(op, "input", input);
  const y = sameShapeTarget(op, input, target);
  for (const [name, w] of Object.entries(weights)) if (w) checkBroadcastsTo(op, name, w, input.shape);
  return y;
}

const applyWeight = (loss: Tensor, weight: Tensor | undefined): Tensor => (weight ? loss.mul(weight) : loss);

/**
 * Binary cross-entropy between predicted probabilities `p` and targets `y`, PyTorch's
 * `F.binary_cross_entropy`:
 * ```text
 * loss_i = −weight_i·(y_i·log p_i + (1 − y_i)·log(1 − p_i))
 * ```
 * with each log clamped at −100 as PyTorch does, so `p = 0` or `p = 1` gives a finite loss (up to
 * 100) and PyTorch's finite gradient `weight·(p − y) / max(p·(1 − p), 1e-12)`. Inputs outside
 * [0, 1] throw. Feed it `sigmoid` outputs; on raw scores prefer
 * {@link binaryCrossEntropyWithLogits}, which is more accurate and cannot saturate.
 *
 * @param input - probabilities in [0, 1], any shape
 * @param target - the same shape; usually 0/1 labels (soft labels in [0, 1] work too)
 * @returns a 0-d tensor, or `input`'s shape for `reduction: "none"`
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const p = model.forward(randn([4, 2])).sigmoid();  // probabilities, [N, 1]
 * const y = tensor([[1], [0], [0], [1]]);            // float 0/1 labels, [N, 1]
 * const loss = binaryCrossEntropy(p, y);
 * binaryCrossEntropy(tensor([0.9, 0.2]), tensor([1, 0])).item(); // ≈ 0.1643 ((−log 0.9 − log 0.8) / 2)
 * ```
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options?: BCELossOptions): Tensor {
  const op = "binaryCrossEntropy";
  const { weight, reduction } = resolveOptions(op, options, BCE_DEFAULTS);
  const y = checkBinaryInputs(op, input, target, { weight });
  checkProbabilities(op, "input", input);
  return reduce(applyWeight(binaryCrossEntropyElements(input, y), weight), reduction);
}

/**
 * Binary cross-entropy on logits `x` (sigmoid and BCE fused), PyTorch's
 * `F.binary_cross_entropy_with_logits`:
 * ```text
 * loss_i = −weight_i·(posWeight·y_i·log σ(x_i) + (1 − y_i)·log(1 − σ(x_i)))
 *        =  weight_i·((1 − y_i)·x_i + (1 + (posWeight − 1)·y_i)·softplus(−x_i))
 * ```
 * The second (log-sum-exp) form is what is computed, so logits of ±100 or ±1000 give exact
 * finite losses and gradients. Gradient: `weight·((1 + (posWeight − 1)·y)·σ(x) − posWeight·y)`,
 * i.e. `σ(x) − y` without posWeight.
 *
 * For multi-label classification, `input` and `target` are `[N, C]` (one independent yes/no per
 * class) and `posWeight` is `[C]`, broadcast over the class dim.
 *
 * @param input - logits (any real numbers), any shape
 * @param target - the same shape, 0/1 labels or probabilities
 * @returns a 0-d tensor, or `input`'s shape for `reduction: "none"`
 *
 * @example
 * ```ts
 * const logits = tensor([[2, -1, 0.5], [-0.5, 1, -2]]); // [N, 3]: three independent labels
 * const labels = tensor([[1, 0, 1], [0, 1, 0]]);
 * const loss = binaryCrossEntropyWithLogits(logits, labels, { posWeight: tensor([1, 4, 10]) });
 * ```
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options?: BCEWithLogitsLossOptions): Tensor {
  const op = "binaryCrossEntropyWithLogits";
  const { weight, posWeight, reduction } = resolveOptions(op, options, BCE_WITH_LOGITS_DEFAULTS);
  const y = checkBinaryInputs(op, input, target, { weight, posWeight });
  const loss = logitBinaryCrossEntropyElements(input, y, posWeight?.mul(y));
  return reduce(applyWeight(loss, weight), reduction);
}
