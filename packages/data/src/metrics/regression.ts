/** Regression metrics on float tensors, with `sklearn.metrics` semantics (uniform average over outputs). */
import { Tensor, noGrad } from "@tsgrad/core";
import { checkTensor, fmtShape } from "../validate.js";

// Both inputs as float64 [n, k] (a 1-D input is one output column).
function checkValues(op: string, yTrue: Tensor, yPred: Tensor): [Tensor, Tensor] {
  checkTensor(op, "yTrue", yTrue);
  checkTensor(op, "yPred", yPred);
  if (yTrue.ndim < 1 || yTrue.ndim > 2 || yTrue.shape[0] === 0) {
    throw new RangeError(`${op}: yTrue must be [n] or [n, nOutputs] with n >= 1, got shape ${fmtShape(yTrue.shape)}`);
  }
  if (yTrue.shape.length !== yPred.shape.length || yTrue.shape.some((s, i) => s !== yPred.shape[i])) {
    throw new RangeError(`${op}: yTrue and yPred must have the same shape, got ${fmtShape(yTrue.shape)} and ${fmtShape(yPred.shape)}`);
  }
  const asColumns = (t: Tensor) => (t.ndim === 1 ? t.unsqueeze(1) : t).detach().to("float64");
  return [asColumns(yTrue), asColumns(yPred)];
}

/**
 * Mean absolute error `mean |y − ŷ|`, like `sklearn.metrics.mean_absolute_error` (for
 * [n, k] inputs, the mean of the k per-output errors).
 *
 * @returns a number ≥ 0
 * @example
 * ```ts
 * meanAbsoluteError(tensor([3, -0.5, 2]), tensor([2.5, 0, 2])); // ≈ 0.3333
 * ```
 */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): number {
  const [t, p] = checkValues("meanAbsoluteError", yTrue, yPred);
  return noGrad(() => t.sub(p).abs().mean().item());
}

/**
 * Mean squared error `mean (y − ŷ)²`, like `sklearn.metrics.mean_squared_error`.
 *
 * @returns a number ≥ 0
 * @example
 * ```ts
 * meanSquaredError(tensor([3, -0.5, 2]), tensor([2.5, 0, 2])); // ≈ 0.1667
 * ```
 */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): number {
  const [t, p] = checkValues("meanSquaredError", yTrue, yPred);
  return noGrad(() => t.sub(p).square().mean().item());
}

/**
 * Root mean squared error `sqrt(mean (y − ŷ)²)`; for [n, k] inputs the mean of the k per-output
 * RMSEs, like `sklearn.metrics.mean_squared_error(squared=False)`.
 *
 * @returns a number ≥ 0, in the units of y
 * @example
 * ```ts
 * rootMeanSquaredError(tensor([3, -0.5, 2]), tensor([2.5, 0, 2])); // ≈ 0.4082
 * ```
 */
export function rootMeanSquaredError(yTrue: Tensor, yPred: Tensor): number {
  const [t, p] = checkValues("rootMeanSquaredError", yTrue, yPred);
  return noGrad(() => t.sub(p).square().mean(0).sqrt().mean().item());
}

/**
 * Coefficient of determination `R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²`, like
 * `sklearn.metrics.r2_score`: 1 is a perfect fit, 0 is as good as predicting the mean, and it
 * can be negative. For a constant `y` it is 1 if the predictions are exact, else 0. For [n, k]
 * inputs, the mean of the k per-output scores.
 *
 * @returns a number ≤ 1
 * @example
 * ```ts
 * r2Score(tensor([3, -0.5, 2, 7]), tensor([2.5, 0, 2, 8])); // ≈ 0.9486
 * ```
 */
export function r2Score(yTrue: Tensor, yPred: Tensor): number {
  const [t, p] = checkValues("r2Score", yTrue, yPred);
  const [residual, total] = noGrad(() => [t.sub(p).square().sum(0).dataSync(), t.sub(t.mean(0, true)).square().sum(0).dataSync()]);
  let score = 0;
  for (let k = 0; k < residual.length; k++) {
    score += total[k] === 0 ? (residual[k] === 0 ? 1 : 0) : 1 - residual[k] / total[k];
  }
  return score / residual.length;
}
