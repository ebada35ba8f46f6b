/**
 * Distances and similarities between tensors: dist, cdist, pairwiseDistance, cosineSimilarity,
 * composed from the p-norm (so their gradients are norm's, which is PyTorch's norm_backward), plus
 * countNonzero and the std/var-with-mean pairs.
 */
import { Tensor } from "../tensor.js";
import { fmtShape } from "../shape.js";
import { record } from "../autograd/node.js";
import { noGrad } from "../autograd/grad-mode.js";
import { describeValue, optionChecks, resolveOptions } from "../options.js";
import { checkFloat } from "./helpers.js";

function checkTensor(op: string, x: unknown, what: string): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${describeValue(x)}`);
}

function checkP(op: string, p: unknown): number {
  if (typeof p !== "number") throw new TypeError(`${op}: p must be a number, got ${describeValue(p)}`);
  if (!(p >= 0)) throw new RangeError(`${op}: p must be >= 0 (or Infinity), got ${p}`);
  return p;
}

/**
 * The p-norm of `x − y` over all elements (broadcasting), `‖x − y‖_p`; p = 2 by default, any
 * p ≥ 0 or Infinity. Backward: norm's (PyTorch's dist_backward is norm_backward of the difference).
 *
 * PyTorch: `torch.dist`.
 */
export function dist(x: Tensor, y: Tensor, p = 2): Tensor {
  checkTensor("dist", y, "other");
  checkFloat("dist", x);
  return x.sub(y).norm(checkP("dist", p));
}

/**
 * The options of {@link cdist}.
 *
 * @example
 * ```ts
 * const opts: CdistOptions = { p: 1 };
 * cdist(tensor([[0, 0]]), tensor([[3, 4]]), opts).toArray(); // → [[7]]
 * ```
 * @group Reduction
 */
export interface CdistOptions {
  /** The norm's p (default 2): any p ≥ 0 or Infinity. */
  p?: number;
}

/**
 * The p-norm distance between every row of `x1` ([..., P, M]) and every row of `x2` ([..., R, M]),
 * `out[..., i, j] = ‖x1[..., i, :] − x2[..., j, :]‖_p`, shape [..., P, R] (batch dims broadcast).
 * Computed directly (PyTorch's compute_mode "donot_use_mm_for_euclid_dist"; PyTorch switches to a
 * matmul form for p = 2 beyond 25 rows, which agrees to rounding). Backward: the norm's.
 *
 * PyTorch: `torch.cdist`.
 *
 * @example
 * ```ts
 * const a = tensor([[0, 0], [3, 4]]);
 * const b = tensor([[0, 0], [1, 0]]);
 * cdist(a, b).toArray();                // → [[0, 1], [5, 4.4721360206604]]
 * cdist(a, b, { p: 1 }).toArray();      // → [[0, 1], [7, 6]]
 * ```
 * @group Reduction
 */
export function cdist(x1: Tensor, x2: Tensor, options?: CdistOptions): Tensor {
  const { p } = resolveOptions("cdist", options, { p: 2 }, { p: optionChecks.atLeast(0) });
  checkTensor("cdist", x1, "x1");
  checkTensor("cdist", x2, "x2");
  checkFloat("cdist", x1);
  checkFloat("cdist", x2);
  if (x1.ndim < 2 || x2.ndim < 2) {
    throw new RangeError(`cdist: x1 and x2 must have at least 2 dims ([..., rows, features]), got shapes ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)}`);
  }
  if (x1.shape[x1.ndim - 1] !== x2.shape[x2.ndim - 1]) {
    throw new RangeError(`cdist: x1 ${fmtShape(x1.shape)} and x2 ${fmtShape(x2.shape)} must have the same number of features (last dim)`);
  }
  return x1.unsqueeze(-2).sub(x2.unsqueeze(-3)).norm(p, -1);
}

/**
 * The options of {@link pairwiseDistance}.
 *
 * @example
 * ```ts
 * const opts: PairwiseDistanceOptions = { p: 1, eps: 0, keepdim: true };
 * pairwiseDistance(tensor([[0, 0]]), tensor([[3, 4]]), opts).toArray(); // → [[7]]
 * ```
 * @group Reduction
 */
export interface PairwiseDistanceOptions {
  /** The norm's p (default 2). */
  p?: number;
  /** Added to the difference before the norm (default 1e-6), as PyTorch. */
  eps?: number;
  /** Keep the reduced last dim as size 1 (default false). */
  keepdim?: boolean;
}

/**
 * `‖x1 − x2 + eps‖_p` along the last dim (broadcasting), PyTorch's pairwise_distance; p = 2,
 * eps = 1e-6 by default. Backward: the norm's. Also `nn.F.pairwiseDistance`.
 *
 * PyTorch: `torch.nn.functional.pairwise_distance`.
 *
 * @example
 * ```ts
 * pairwiseDistance(tensor([[0, 0], [3, 4]]), tensor([[0, 0], [0, 0]]), { eps: 0 }).toArray(); // → [0, 5]
 * ```
 * @group Reduction
 */
export function pairwiseDistance(x1: Tensor, x2: Tensor, options?: PairwiseDistanceOptions): Tensor {
  const { p, eps, keepdim } = resolveOptions("pairwiseDistance", options, { p: 2, eps: 1e-6, keepdim: false }, {
    p: optionChecks.atLeast(0), eps: optionChecks.finite, keepdim: optionChecks.boolean,
  });
  checkTensor("pairwiseDistance", x1, "x1");
  checkTensor("pairwiseDistance", x2, "x2");
  checkFloat("pairwiseDistance", x1);
  const d = x1.sub(x2).add(eps);
  return d.ndim === 0 ? d.norm(p, null, keepdim) : d.norm(p, -1, keepdim);
}

/**
 * The options of {@link cosineSimilarity}.
 *
 * @example
 * ```ts
 * const opts: CosineSimilarityOptions = { dim: 0 };
 * cosineSimilarity(tensor([1, 0]), tensor([2, 0]), opts).item(); // → 1
 * ```
 * @group Reduction
 */
export interface CosineSimilarityOptions {
  /** The dim along which to compare (default 1). */
  dim?: number;
  /** The lower bound of each norm (default 1e-8). */
  eps?: number;
}

/**
 * `Σ (x1 / max(‖x1‖, eps)) · (x2 / max(‖x2‖, eps))` along `dim` (default 1; broadcasting), PyTorch's
 * cosine_similarity. As PyTorch, each norm is clamped in place of a differentiable max: its
 * backward is `x·g / max(‖x‖, eps)` also where the clamp applies. Also `nn.F.cosineSimilarity`.
 *
 * PyTorch: `torch.nn.functional.cosine_similarity`.
 *
 * @example
 * ```ts
 * cosineSimilarity(tensor([[1, 0], [1, 1]]), tensor([[0, 1], [2, 2]])).toArray(); // ≈ [0, 1]
 * ```
 * @group Reduction
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, options?: CosineSimilarityOptions): Tensor {
  const { dim, eps } = resolveOptions("cosineSimilarity", options, { dim: 1, eps: 1e-8 }, { dim: optionChecks.integer, eps: optionChecks.finite });
  checkTensor("cosineSimilarity", x1, "x1");
  checkTensor("cosineSimilarity", x2, "x2");
  checkFloat("cosineSimilarity", x1);
  const shape = x1.add(x2).shape; // the broadcast shape, with its error naming both shapes
  const [a, b] = [x1.expand(shape), x2.expand(shape)];
  return a.div(clampedNorm(a, dim, eps)).mul(b.div(clampedNorm(b, dim, eps))).sum(dim);
}

// ‖x‖₂ along dim (keepdim), clamped below at eps, with norm's backward x·g/n on the clamped n.
function clampedNorm(x: Tensor, dim: number, eps: number): Tensor {
  const n = noGrad(() => x.norm(2, dim, true).clamp(eps));
  return record(n, "LinalgVectorNormBackward0", [x], (g) => [x.mul(g).div(n)]);
}

/**
 * The number of nonzero elements over `dim` (all by default; a dim or a list), int32 (PyTorch: int64).
 *
 * PyTorch: `torch.count_nonzero`.
 */
export function countNonzero(x: Tensor, dim?: number | readonly number[] | null): Tensor {
  return x.ne(0).sum(dim ?? null);
}

/**
 * The options of {@link stdMean} and {@link varMean}: `correction` (default 1) and `keepdim`.
 *
 * @example
 * ```ts
 * const opts: VarMeanOptions = { correction: 0, keepdim: true };
 * varMean(tensor([1, 3]), 0, opts)[0].toArray(); // → [1]
 * ```
 * @group Reduction
 */
export interface VarMeanOptions {
  /** Subtracted from N in the divisor (default 1, Bessel's correction). */
  correction?: number;
  /** Keep the reduced dims as size 1 (default false). */
  keepdim?: boolean;
}

const VAR_MEAN_DEFAULTS = { correction: 1, keepdim: false };
const VAR_MEAN_CHECKS = { correction: optionChecks.finite, keepdim: optionChecks.boolean };

/**
 * `[var, mean]` over `dim` (all by default) in one call, as `torch.var_mean`; each with its own
 * gradient (var's and mean's).
 *
 * PyTorch: `torch.var_mean`.
 *
 * @example
 * ```ts
 * const [v, m] = varMean(tensor([1, 2, 3, 4]));
 * v.item(); // ≈ 1.6667
 * m.item(); // → 2.5
 * ```
 * @group Reduction
 */
export function varMean(x: Tensor, dim?: number | readonly number[] | null, options?: VarMeanOptions): [Tensor, Tensor] {
  const { correction, keepdim } = resolveOptions("varMean", options, VAR_MEAN_DEFAULTS, VAR_MEAN_CHECKS);
  return [x.var(dim, { correction, keepdim }), x.mean(dim, keepdim)];
}

/**
 * `[std, mean]` over `dim` (all by default) in one call, as `torch.std_mean`.
 *
 * PyTorch: `torch.std_mean`.
 *
 * @example
 * ```ts
 * const [s, m] = stdMean(tensor([[1, 2], [3, 5]]), 1, { correction: 0 });
 * s.toArray(); // → [0.5, 1]
 * m.toArray(); // → [1.5, 4]
 * ```
 * @group Reduction
 */
export function stdMean(x: Tensor, dim?: number | readonly number[] | null, options?: VarMeanOptions): [Tensor, Tensor] {
  const { correction, keepdim } = resolveOptions("stdMean", options, VAR_MEAN_DEFAULTS, VAR_MEAN_CHECKS);
  return [x.std(dim, { correction, keepdim }), x.mean(dim, keepdim)];
}
