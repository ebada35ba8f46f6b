/** The one `Reduction` type and `reduce` helper every loss shares. */
import { optionChecks, type OptionCheck, type Tensor } from "@tsgrad/core";

/**
 * How a loss combines its per-element values, PyTorch's `reduction`:
 * - `"mean"` (the default everywhere): the average; for losses with class weights and index
 *   targets (`nllLoss`, `crossEntropy`) the weighted average `Σ loss / Σ weight[target]`;
 * - `"sum"`: the total;
 * - `"none"`: the unreduced per-element (or per-sample) losses.
 *
 * @example
 * ```ts
 * mseLoss(tensor([1, 2]), tensor([0, 0]), { reduction: "sum" }).item(); // 5
 * ```
 */
export type Reduction = "mean" | "sum" | "none";

/**
 * The valid {@link Reduction} values, in documentation order.
 *
 * @example
 * ```ts
 * REDUCTIONS.includes("sum"); // true
 * ```
 */
export const REDUCTIONS: readonly Reduction[] = ["mean", "sum", "none"];

/**
 * Applies `reduction` to a tensor of per-element losses. With `weights` (a tensor of per-element
 * weights, or their precomputed sum), `"mean"` divides the sum by `Σ weights` instead of by the
 * element count: PyTorch's weighted mean for class-weighted index targets. No elements, or a
 * zero weight sum, give NaN, as in PyTorch. `"none"` returns `loss` itself.
 *
 * Use it to write a custom loss with the same semantics as the built-in ones.
 *
 * @example
 * ```ts
 * const perElement = tensor([1, 2]).sub(tensor([0, 0])).abs().pow(3);
 * const loss = reduce(perElement, "mean");   // a 0-d tensor
 * loss.item(); // 4.5
 * ```
 */
export function reduce(loss: Tensor, reduction: Reduction, weights?: Tensor | number): Tensor {
  switch (reduction) {
    case "none":
      return loss;
    case "sum":
      return loss.sum();
    case "mean":
      if (weights === undefined) return loss.mean();
      return loss.sum().div(typeof weights === "number" ? weights : weights.sum());
    default:
      reductionCheck("reduce", "reduction", reduction); // throws: no other value reaches here
      return loss;
  }
}

/** @internal The check of a `reduction` option: one of {@link REDUCTIONS}. */
export const reductionCheck: OptionCheck = optionChecks.oneOf(REDUCTIONS);
