/** Regression losses on the difference `d = input − target`: MSE, L1, Huber and smooth L1. */
import { where, type Tensor } from "@tsgrad/core";
import { reduce } from "./reduction.js";
import { resolveOptions, REDUCTION_DEFAULTS, type ReductionOptions } from "./options.js";
import { checkFloatInput, sameShapeTarget } from "./checks.js";

/**
 * Options of {@link huberLoss} and `HuberLoss`: where the loss turns linear, and the reduction.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `delta` | `1` | `delta` |
 * | `reduction` | `"mean"` | `reduction` |
 *
 * @example
 * ```ts
 * const d = tensor([0.5, 3]);
 * losses.huberLoss(d, zeros([2]), { delta: 2, reduction: "none" }); // → [0.125, 4]
 * new losses.HuberLoss({ delta: 2 }).forward(d, zeros([2]));        // → 2.0625
 * ```
 */
export interface HuberLossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear; finite and > 0 (default 1). */
  delta?: number;
}

/**
 * Options of {@link smoothL1Loss} and `SmoothL1Loss`: where the loss turns linear, and the reduction.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `beta` | `1` | `beta` |
 * | `reduction` | `"mean"` | `reduction` |
 *
 * @example
 * ```ts
 * const d = tensor([0.5, 3]);
 * losses.smoothL1Loss(d, zeros([2]), { beta: 2, reduction: "none" }); // → [0.0625, 2]
 * new losses.SmoothL1Loss({ beta: 0 }).forward(d, zeros([2]));        // → 1.75 (the L1 loss)
 * ```
 */
export interface SmoothL1LossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear; finite and >= 0, 0 gives the L1 loss (default 1). */
  beta?: number;
}

/** @internal Defaults of the regression losses, shared with their Module classes. */
export const HUBER_DEFAULTS = { ...REDUCTION_DEFAULTS, delta: 1 };
/** @internal */
export const SMOOTH_L1_DEFAULTS = { ...REDUCTION_DEFAULTS, beta: 1 };

// d = input − target after the shared checks (same shape, float input).
function difference(op: string, input: Tensor, target: Tensor): Tensor {
  checkFloatInput(op, "input", input);
  return input.sub(sameShapeTarget(op, input, target));
}

/**
 * Quadratic `slope·d²/(2·threshold)` for |d| < threshold, linear `slope·(|d| − threshold/2)`
 * beyond: continuous with a continuous derivative (`slope·d/threshold` inside, `slope·sign(d)`
 * outside), which is what PyTorch's huber/smooth-L1 backward computes at |d| = threshold too.
 */
function quadraticThenLinear(d: Tensor, threshold: number, slope: number): Tensor {
  const a = d.abs();
  return where(a.lt(threshold), d.square().mul(slope / (2 * threshold)), a.sub(threshold / 2).mul(slope));
}

/**
 * Mean squared error (L2 loss), PyTorch's `F.mse_loss`: `loss_i = (input_i − target_i)²`, then
 * reduced. `input` and `target` must have the same shape (no silent broadcasting; a `[N, 1]`
 * prediction against a `[N]` target throws instead of averaging an N×N matrix).
 *
 * Gradient: `2·(input − target)` per element (divided by the count for `"mean"`).
 *
 * @param input - predictions, any shape, floating point
 * @param target - the same shape as `input`
 * @returns a 0-d tensor, or `input`'s shape for `reduction: "none"`
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const loss = mseLoss(model.forward(randn([4, 2])), randn([4, 1])); // mean over all elements
 * mseLoss(tensor([1, 2]), tensor([1, 4]), { reduction: "sum" }).item(); // 4
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  const { reduction } = resolveOptions("mseLoss", options, REDUCTION_DEFAULTS);
  return reduce(difference("mseLoss", input, target).square(), reduction);
}

/**
 * Mean absolute error (L1 loss), PyTorch's `F.l1_loss`: `loss_i = |input_i − target_i|`.
 * Same shapes required. Gradient `sign(input − target)`, 0 where input equals target (PyTorch's
 * subgradient at the kink).
 *
 * @returns a 0-d tensor, or `input`'s shape for `reduction: "none"`
 *
 * @example
 * ```ts
 * l1Loss(tensor([1, 2, 3]), tensor([1, 0, 4])).item(); // (0 + 2 + 1) / 3 = 1
 * ```
 */
export function l1Loss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  const { reduction } = resolveOptions("l1Loss", options, REDUCTION_DEFAULTS);
  return reduce(difference("l1Loss", input, target).abs(), reduction);
}

/**
 * Huber loss, PyTorch's `F.huber_loss`: with `d = input − target`,
 * ```text
 * loss_i = 0.5·d²                 if |d| < delta
 *          delta·(|d| − delta/2)   otherwise
 * ```
 * Quadratic near 0, linear (robust to outliers) beyond `delta`; gradient `d` inside and
 * `delta·sign(d)` outside (both equal `±delta` at |d| = delta). Same shapes required.
 * Equals `delta · smoothL1Loss(input, target, { beta: delta })`.
 *
 * @returns a 0-d tensor, or `input`'s shape for `reduction: "none"`
 *
 * @example
 * ```ts
 * huberLoss(tensor([0.5, 3]), tensor([0, 0]), { reduction: "none" }); // [0.125, 2.5]
 * huberLoss(tensor([0.5, 3]), tensor([0, 0]), { delta: 2 }).item(); // 2.0625 (the mean of 0.125 and 4)
 * ```
 */
export function huberLoss(input: Tensor, target: Tensor, options?: HuberLossOptions): Tensor {
  const { reduction, delta } = resolveOptions("huberLoss", options, HUBER_DEFAULTS);
  return reduce(quadraticThenLinear(difference("huberLoss", input, target), delta, delta), reduction);
}

/**
 * Smooth L1 loss, PyTorch's `F.smooth_l1_loss`: with `d = input − target`,
 * ```text
 * loss_i = 0.5·d²/beta       if |d| < beta
 *          |d| − beta/2       otherwise
 * ```
 * Gradient `d/beta` inside, `sign(d)` outside. `beta = 0` is exactly {@link l1Loss} (gradient
 * 0 at d = 0), as PyTorch's reference implementation and PyTorch 2 compute it; PyTorch 1.13's
 * native backward returns −1 there. Same shapes required.
 *
 * @returns a 0-d tensor, or `input`'s shape for `reduction: "none"`
 *
 * @example
 * ```ts
 * smoothL1Loss(tensor([0.5, 3]), tensor([0, 0]), { reduction: "none" }); // [0.125, 2.5]
 * smoothL1Loss(tensor([0.5, 3]), tensor([0, 0]), { beta: 0.1 }).item(); // 1.7 (mean of 0.45 and 2.95)
 * ```
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options?: SmoothL1LossOptions): Tensor {
  const { reduction, beta } = resolveOptions("smoothL1Loss", options, SMOOTH_L1_DEFAULTS);
  const d = difference("smoothL1Loss", input, target);
  return reduce(beta === 0 ? d.abs() : quadraticThenLinear(d, beta, 1), reduction);
}
