/**
 * Losses between distributions and likelihood losses: the Kullback-Leibler divergence, and the
 * negative log-likelihoods of a Poisson and of a Gaussian with a predicted variance.
 */
import { Tensor, noGrad, optionChecks, record, where } from "@tsgrad/core";
import { reduce, type Reduction } from "./reduction.js";
import { resolveOptions, REDUCTION_DEFAULTS, type ReductionOptions } from "./options.js";
import { checkBroadcastsTo, checkFloatInput, checkTensor, formatShape, sameShape } from "./checks.js";

/** The reductions of {@link klDiv}: PyTorch's three and `"batchmean"`. */
export type KLDivReduction = Reduction | "batchmean";

/**
 * Options of {@link klDiv} and `KLDivLoss`.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `reduction` | `"mean"` | `reduction` (`"batchmean"` too) |
 * | `logTarget` | `false` | `log_target` |
 *
 * @example
 * ```ts
 * const logQ = tensor([[0.25, 0.75]]).log(), p = tensor([[0.5, 0.5]]);
 * losses.klDiv(logQ, p, { reduction: "batchmean" });                          // ≈ 0.1438
 * losses.klDiv(logQ, p.log(), { reduction: "sum", logTarget: true });        // ≈ 0.1438
 * new losses.KLDivLoss({ reduction: "none" }).forward(logQ, p);              // ≈ [[0.3466, -0.2027]]
 * ```
 */
export interface KLDivLossOptions {
  /**
   * `"batchmean"` (the KL divergence per sample: the sum divided by the batch size `input.shape[0]`),
   * `"sum"`, `"none"`, or `"mean"` (the default, as in PyTorch: the sum divided by the number of
   * elements, which is not the KL divergence; it warns once, as PyTorch warns).
   */
  reduction?: KLDivReduction;
  /** Whether `target` holds log-probabilities (default false: probabilities). */
  logTarget?: boolean;
}

/**
 * Options of {@link poissonNllLoss} and `PoissonNLLLoss`.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `logInput` | `true` | `log_input` |
 * | `full` | `false` | `full` |
 * | `eps` | `1e-8` | `eps` |
 * | `reduction` | `"mean"` | `reduction` |
 *
 * @example
 * ```ts
 * const logRate = tensor([0, 1]), counts = tensor([1, 3]);
 * losses.poissonNllLoss(logRate, counts, { reduction: "none" });               // ≈ [1, -0.2817]
 * losses.poissonNllLoss(logRate.exp(), counts, { logInput: false, full: true }); // ≈ 1.2412
 * new losses.PoissonNLLLoss({ reduction: "sum" }).forward(logRate, counts);    // ≈ 0.7183
 * ```
 */
export interface PoissonNLLLossOptions extends ReductionOptions {
  /** `true`: the input is the log of the rate (`exp(input) − target·input`); `false`: the rate itself. */
  logInput?: boolean;
  /** Adds the Stirling approximation of `log(target!)` where target > 1 (default false). */
  full?: boolean;
  /** Added to the rate before its log when `logInput` is false, so a rate of 0 is finite (default 1e-8). */
  eps?: number;
}

/**
 * Options of {@link gaussianNllLoss} and `GaussianNLLLoss`.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `full` | `false` | `full` |
 * | `eps` | `1e-6` | `eps` |
 * | `reduction` | `"mean"` | `reduction` |
 *
 * @example
 * ```ts
 * const mean = tensor([0, 1]), target = tensor([0.5, 1]), variance = tensor([1, 0.25]);
 * losses.gaussianNllLoss(mean, target, variance, { reduction: "none" }); // ≈ [0.125, -0.6931]
 * new losses.GaussianNLLLoss({ full: true }).forward(mean, target, variance); // ≈ 0.6349
 * ```
 */
export interface GaussianNLLLossOptions extends ReductionOptions {
  /** Adds the constant `½·log(2π)` (default false). */
  full?: boolean;
  /** The variance is clamped to at least `eps` (default 1e-6), without stopping its gradient. */
  eps?: number;
}

/** @internal */
export const KL_DIV_DEFAULTS = { reduction: "mean" as KLDivReduction, logTarget: false };
/** @internal */
export const POISSON_NLL_DEFAULTS = { ...REDUCTION_DEFAULTS, logInput: true, full: false, eps: 1e-8 };
/** @internal */
export const GAUSSIAN_NLL_DEFAULTS = { ...REDUCTION_DEFAULTS, full: false, eps: 1e-6 };
/** @internal The check of klDiv's reduction, which also takes "batchmean". */
export const KL_DIV_CHECKS = { reduction: optionChecks.oneOf(["mean", "batchmean", "sum", "none"]) };

// PyTorch's targets broadcast to the input; one that would enlarge the loss is a mistake.
function broadcastTarget(op: string, input: Tensor, target: unknown): Tensor {
  checkTensor(op, "target", target);
  checkBroadcastsTo(op, "target", target, input.shape);
  return target.to(input.dtype);
}

let warnedKLMean = false;

/**
 * The Kullback-Leibler divergence `KL(target ‖ input)`, PyTorch's `F.kl_div`, with `input` the
 * log-probabilities of the model's distribution q and `target` the distribution p:
 * ```text
 * loss_i = target_i·(log target_i − input_i)          (logTarget false; 0 where target_i = 0)
 * loss_i = exp(target_i)·(target_i − input_i)          (logTarget true: target holds log p)
 * ```
 * `reduction: "batchmean"` gives the divergence per sample (the sum over every element divided
 * by `input.shape[0]`; a 0-d input is not divided); `"mean"`, PyTorch's default, divides by the
 * element count instead and warns once (`console.warn`), as PyTorch does. Gradient with respect to
 * the input: `−target` (`−exp(target)` with `logTarget`). The target may broadcast to the input's
 * shape (a fixed prior `(C)` against `(N, C)`).
 *
 * @param input - log-probabilities `(*)`, floating point (e.g. a `logSoftmax` output)
 * @param target - probabilities (or log-probabilities with `logTarget`) broadcastable to `input`
 * @returns a 0-d tensor, or `input`'s shape for `reduction: "none"`
 *
 * PyTorch: torch.nn.functional.kl_div
 *
 * @example
 * ```ts
 * const logQ = tensor([[2, 0, -1]]).logSoftmax(1);           // (N, C)
 * const p = tensor([[0.7, 0.2, 0.1]]);
 * klDiv(logQ, p, { reduction: "batchmean" }).item();           // ≈ 0.0680
 * ```
 */
export function klDiv(input: Tensor, target: Tensor, options?: KLDivLossOptions): Tensor {
  const op = "klDiv";
  const { reduction, logTarget } = resolveOptions(op, options, KL_DIV_DEFAULTS, KL_DIV_CHECKS);
  checkFloatInput(op, "input", input);
  const t = broadcastTarget(op, input, target);
  if (reduction === "mean" && !warnedKLMean) {
    warnedKLMean = true;
    globalThis.console?.warn?.(
      "UserWarning: klDiv: reduction: 'mean' divides the total loss by both the batch size and the support size. " +
      "'batchmean' divides only by the batch size, and aligns with the KL div math definition. " +
      "'mean' will be changed to behave the same as 'batchmean' in the next major release of PyTorch.",
    );
  }
  const loss = logTarget ? t.exp().mul(t.sub(input)) : t.xlogy(t).sub(t.mul(input));
  if (reduction !== "batchmean") return reduce(loss, reduction);
  const total = loss.sum();
  return input.ndim === 0 ? total : total.div(input.shape[0]);
}

/**
 * The negative log-likelihood of a Poisson distribution, PyTorch's `F.poisson_nll_loss`, for a
 * predicted rate λ and observed counts `target`, up to the constant `log(target!)`:
 * ```text
 * loss_i = exp(input_i) − target_i·input_i             (logInput: input = log λ)
 * loss_i = input_i − target_i·log(input_i + eps)        (logInput false: input = λ)
 * ```
 * With `full`, the Stirling approximation `t·log t − t + ½·log(2π·t)` of `log(t!)` is added where
 * `t > 1` (0 elsewhere). The target may broadcast to the input's shape.
 *
 * @param input - the log-rate (or the rate with `logInput: false`), any shape, floating point
 * @param target - counts, broadcastable to `input`
 * @returns a 0-d tensor, or `input`'s shape for `reduction: "none"`
 *
 * PyTorch: torch.nn.functional.poisson_nll_loss
 *
 * @example
 * ```ts
 * const logRate = tensor([0.5, 1, 2], { requiresGrad: true });
 * const loss = poissonNllLoss(logRate, tensor([1, 3, 6]));  // gradient: exp(input) − target
 * loss.backward();
 * logRate.grad!.toArray(); // ≈ [0.2162, -0.0939, 0.4630]
 * ```
 */
export function poissonNllLoss(input: Tensor, target: Tensor, options?: PoissonNLLLossOptions): Tensor {
  const op = "poissonNllLoss";
  const { reduction, logInput, full, eps } = resolveOptions(op, options, POISSON_NLL_DEFAULTS);
  checkFloatInput(op, "input", input);
  const t = broadcastTarget(op, input, target);
  let loss = logInput ? input.exp().sub(t.mul(input)) : input.sub(t.mul(input.add(eps).log()));
  if (full) {
    const stirling = t.mul(t.log()).sub(t).add(t.mul(2 * Math.PI).log().mul(0.5));
    loss = loss.add(where(t.le(1), 0, stirling));
  }
  return reduce(loss, reduction);
}

// `clamped` as the value with the gradient of an identity in `x`: PyTorch's `var.clone()` followed
// by an in-place `clamp_` under no_grad.
function clampedWithoutGradStop(x: Tensor, min: number): Tensor {
  const clamped = noGrad(() => x.clamp(min));
  return record(clamped, "CloneBackward0", [x], (g) => [g]);
}

/**
 * PyTorch's admissible shapes of the variance: the input's; the input's with the last dim dropped
 * (one variance per sample, unsqueezed to broadcast); or the input's with a last dim of 1.
 */
function varianceLike(op: string, input: Tensor, variance: Tensor): Tensor {
  if (sameShape(variance.shape, input.shape)) return variance;
  const lead = input.shape.slice(0, -1);
  if (sameShape(variance.shape, lead)) return variance.unsqueeze(-1);
  if (variance.ndim > 0 && sameShape(variance.shape.slice(0, -1), lead) && variance.shape[variance.ndim - 1] === 1) return variance;
  throw new RangeError(
    `${op}: variance of shape ${formatShape(variance.shape)} does not fit the input shape ${formatShape(input.shape)}: ` +
    `expected ${formatShape(input.shape)}, ${formatShape(lead)} or ${formatShape([...lead, 1])}`,
  );
}

/**
 * The negative log-likelihood of a Gaussian with predicted mean `input` and predicted variance,
 * PyTorch's `F.gaussian_nll_loss` (heteroscedastic regression):
 * ```text
 * loss_i = ½·(log max(var_i, eps) + (input_i − target_i)² / max(var_i, eps))  [+ ½·log(2π) with full]
 * ```
 * The clamp to `eps` is PyTorch's: it changes the value but not the gradient path (the variance
 * still gets the gradient of the formula at the clamped value, even below `eps`). The variance
 * has the input's shape, or one value per sample: the input's shape without the last dim, or with
 * a last dim of 1 (so for an unbatched `(D)` input a 0-d or `(1)` variance). A negative variance
 * throws. The target broadcasts to the input's shape.
 *
 * @param input - the predicted means `(N, *)` or `(*)`, floating point
 * @param target - the observations, broadcastable to `input`
 * @param variance - the predicted variances, >= 0 (PyTorch's `var`)
 * @returns a 0-d tensor, or `input`'s shape for `reduction: "none"`
 *
 * PyTorch: torch.nn.functional.gaussian_nll_loss
 *
 * @example
 * ```ts
 * const model = new nn.Linear(3, 2);                        // predicts a mean and a log-variance
 * const [mean, logVar] = model.forward(randn([8, 3])).unbind(1);
 * const loss = gaussianNllLoss(mean, randn([8]), logVar.exp());
 * loss.backward();
 * ```
 */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, options?: GaussianNLLLossOptions): Tensor {
  const op = "gaussianNllLoss";
  const { reduction, full, eps } = resolveOptions(op, options, GAUSSIAN_NLL_DEFAULTS);
  checkFloatInput(op, "input", input);
  const t = broadcastTarget(op, input, target);
  checkTensor(op, "variance", variance);
  const v = varianceLike(op, input, variance.to(input.dtype));
  const values = v.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0) throw new RangeError(`${op}: variance must be >= 0 everywhere, got ${values[i]} at flat index ${i} of shape ${formatShape(v.shape)}`);
  }
  const clamped = clampedWithoutGradStop(v, eps);
  let loss = clamped.log().add(input.sub(t).square().div(clamped)).mul(0.5);
  if (full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return reduce(loss, reduction);
}
