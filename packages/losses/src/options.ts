/**
 * Option handling shared by every loss: core's `resolveOptions` (defaults, unknown-key rejection
 * with a hint, so a snake_case `ignore_index` or a legacy `size_average` fails loudly) with one
 * check per option name.
 */
import { Tensor, optionChecks, resolveOptions as resolveWith, type OptionCheck } from "@tsgrad/core";
import { reductionCheck, type Reduction } from "./reduction.js";

/**
 * Options every loss takes: how the per-element losses become the result.
 *
 * - `reduction` (default `"mean"`; PyTorch `reduction`): `"mean"` averages them, `"sum"` adds
 *   them up, `"none"` returns them with the input's shape. PyTorch's legacy `size_average` and
 *   `reduce` are not accepted.
 *
 * @example
 * ```ts
 * const input = tensor([1, 2]), target = zeros([2]);
 * losses.mseLoss(input, target);                        // → 2.5
 * losses.mseLoss(input, target, { reduction: "sum" });  // → 5
 * losses.mseLoss(input, target, { reduction: "none" }); // → [1, 4]
 * new losses.L1Loss({ reduction: "sum" }).forward(input, target); // → 3
 * ```
 */
export interface ReductionOptions {
  /** How per-element losses are combined (default `"mean"`). */
  reduction?: Reduction;
}

// One check per option name; the same name means the same thing in every loss.
const CHECKS: Readonly<Record<string, OptionCheck>> = {
  reduction: reductionCheck,
  weight: optionChecks.instanceOf(Tensor, "a Tensor"),
  posWeight: optionChecks.instanceOf(Tensor, "a Tensor"),
  delta: optionChecks.positive,
  beta: optionChecks.nonNegative,
  margin: optionChecks.finite,
  p: optionChecks.oneOf([1, 2]),
  ignoreIndex: optionChecks.integer,
  labelSmoothing: optionChecks.probability,
  logTarget: optionChecks.boolean,
  logInput: optionChecks.boolean,
  full: optionChecks.boolean,
  eps: optionChecks.nonNegative,
  swap: optionChecks.boolean,
  distanceFunction: (op, name, value) => { if (value !== undefined) optionChecks.function(op, name, value); },
  blank: optionChecks.intAtLeast(0),
  zeroInfinity: optionChecks.boolean,
};

/**
 * `options` over `defaults`, every given value checked and every key not in `defaults` rejected
 * (core's `resolveOptions` with the losses' checks). `undefined` values keep the default. A custom
 * loss's own option names are not in the table: they are its own to check. `overrides` replaces
 * the check of a name whose range differs in one loss (the norm degree `p` of the triplet loss,
 * `klDiv`'s `"batchmean"`).
 */
export function resolveOptions<D extends object>(
  op: string, options: Partial<D> | undefined, defaults: D, overrides?: Readonly<Record<string, OptionCheck>>,
): D {
  const checks = overrides ? { ...CHECKS, ...overrides } : CHECKS;
  return resolveWith(op, options, defaults, checks as { [K in keyof D]?: OptionCheck });
}

/** The default of {@link ReductionOptions}. */
export const REDUCTION_DEFAULTS = { reduction: "mean" as Reduction };
