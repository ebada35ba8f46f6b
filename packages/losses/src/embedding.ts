/**
 * Losses for learning embeddings and rankings from pairs and triplets: the hinge embedding loss
 * on distances, the cosine embedding loss, the margin ranking loss and the triplet losses.
 */
import { Tensor, broadcastShapes, where } from "@tsgrad/core";
import { reduce } from "./reduction.js";
import { resolveOptions, REDUCTION_DEFAULTS, type ReductionOptions } from "./options.js";
import { checkBroadcastsTo, checkFloatInput, checkSigns, checkTensor, formatShape } from "./checks.js";

/**
 * Options of the pair losses {@link hingeEmbeddingLoss}, {@link cosineEmbeddingLoss} and
 * {@link marginRankingLoss} (and their classes): the margin and the reduction.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `margin` | `1` for `hingeEmbeddingLoss`, `0` for the other two | `margin` |
 * | `reduction` | `"mean"` | `reduction` |
 *
 * @example
 * ```ts
 * const d = tensor([0.3, 2]), y = tensor([-1, -1]);
 * losses.hingeEmbeddingLoss(d, y, { reduction: "none" });             // → [0.7, 0]
 * losses.hingeEmbeddingLoss(d, y, { margin: 3, reduction: "sum" });   // ≈ 3.7
 * new losses.MarginRankingLoss({ margin: 1 }).forward(tensor([2]), tensor([1.5]), tensor([1])); // → 0.5
 * ```
 */
export interface MarginLossOptions extends ReductionOptions {
  /** How far apart the pair must be before it costs nothing. */
  margin?: number;
}

/**
 * Options of {@link tripletMarginLoss} and `TripletMarginLoss`.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `margin` | `1` | `margin` |
 * | `p` | `2` | `p` (the norm degree of the pairwise distance) |
 * | `eps` | `1e-6` | `eps` (added to the difference before the norm) |
 * | `swap` | `false` | `swap` |
 * | `reduction` | `"mean"` | `reduction` |
 *
 * @example
 * ```ts
 * const a = tensor([[0, 0]]), pos = tensor([[0, 1]]), neg = tensor([[1, 1]]);
 * losses.tripletMarginLoss(a, pos, neg);                     // ≈ 0.5858 (1 + 1 − √2)
 * losses.tripletMarginLoss(a, pos, neg, { p: 1, swap: true }); // → 1 (min(2, 1) as the negative distance)
 * new losses.TripletMarginLoss({ margin: 0.1 }).forward(a, pos, neg); // → 0
 * ```
 */
export interface TripletMarginLossOptions extends ReductionOptions {
  /** The gap wanted between the negative and the positive distance (default 1). */
  margin?: number;
  /** The degree of the norm `‖a − b + eps‖_p` (default 2; any number, ±Infinity included). */
  p?: number;
  /** Added to every difference before its norm, so equal points have a gradient (default 1e-6). */
  eps?: number;
  /** Also measure the negative from the positive, and use the smaller distance (default false). */
  swap?: boolean;
}

/** The distance of {@link tripletMarginWithDistanceLoss}: two batches of points to their distances. */
export type DistanceFunction = (x1: Tensor, x2: Tensor) => Tensor;

/**
 * Options of {@link tripletMarginWithDistanceLoss} and `TripletMarginWithDistanceLoss`.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `distanceFunction` | the euclidean pairwise distance (`‖a − b + 1e-6‖₂`) | `distance_function` |
 * | `margin` | `1` | `margin` |
 * | `swap` | `false` | `swap` |
 * | `reduction` | `"mean"` | `reduction` |
 *
 * @example
 * ```ts
 * const cosineDistance = (x: Tensor, y: Tensor) => x.mul(y).sum(-1).div(x.norm(2, -1).mul(y.norm(2, -1))).neg().add(1);
 * const a = tensor([[1, 0]]), pos = tensor([[1, 1]]), neg = tensor([[0, 1]]);
 * losses.tripletMarginWithDistanceLoss(a, pos, neg, { distanceFunction: cosineDistance }); // ≈ 0.2929
 * ```
 */
export interface TripletMarginWithDistanceLossOptions extends ReductionOptions {
  /** A non-negative distance between corresponding points (default the euclidean pairwise distance). */
  distanceFunction?: DistanceFunction;
  /** The gap wanted between the negative and the positive distance (default 1). */
  margin?: number;
  /** Also measure the negative from the positive, and use the smaller distance (default false). */
  swap?: boolean;
}

/** @internal */
export const HINGE_EMBEDDING_DEFAULTS = { ...REDUCTION_DEFAULTS, margin: 1 };
/** @internal */
export const PAIR_MARGIN_DEFAULTS = { ...REDUCTION_DEFAULTS, margin: 0 };
/** @internal */
export const TRIPLET_MARGIN_DEFAULTS = { ...REDUCTION_DEFAULTS, margin: 1, p: 2, eps: 1e-6, swap: false };
/** @internal */
export const TRIPLET_DISTANCE_DEFAULTS = {
  ...REDUCTION_DEFAULTS, distanceFunction: undefined as DistanceFunction | undefined, margin: 1, swap: false,
};
/** @internal The norm degree of the triplet loss: any number but NaN (PyTorch's `p`). */
export const TRIPLET_CHECKS = {
  p: (op: string, name: string, value: unknown) => {
    if (typeof value !== "number" || Number.isNaN(value)) throw new TypeError(`${op}: ${name} must be a number (the norm degree), got ${String(value)}`);
  },
};

// PyTorch's rule for the pair and triplet losses: the tensors have the same number of dims.
function checkSameRank(op: string, tensors: Readonly<Record<string, Tensor>>): void {
  const entries = Object.entries(tensors);
  if (entries.every(([, t]) => t.ndim === entries[0][1].ndim)) return;
  const names = entries.map(([name]) => name);
  const shapes = entries.map(([, t]) => formatShape(t.shape));
  throw new RangeError(
    `${op}: ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]} must have the same number of dims, ` +
    `got shapes ${shapes.slice(0, -1).join(", ")} and ${shapes[shapes.length - 1]}`,
  );
}

// The ±1 labels of a pair loss, in the inputs' dtype.
function pairLabels(op: string, input: Tensor, target: unknown): Tensor {
  checkTensor(op, "target", target);
  checkSigns(op, "target", target);
  return target.to(input.dtype);
}

/**
 * The hinge embedding loss, PyTorch's `F.hinge_embedding_loss`, on distances `x` (e.g. the L1
 * distance between two embeddings) and labels `y` (1: similar, −1: dissimilar):
 * ```text
 * loss_i = x_i                         if y_i = 1
 *          max(0, margin − x_i)        if y_i = −1
 * ```
 * At `x = margin` exactly a dissimilar pair still gets the gradient −1 (PyTorch's `clamp_min`).
 * Not the binary SVM hinge: that is {@link hingeLoss}.
 *
 * @param input - distances, any shape, floating point
 * @param target - −1 or +1, broadcastable to `input`
 * @returns a 0-d tensor, or `input`'s shape for `reduction: "none"`
 *
 * PyTorch: torch.nn.functional.hinge_embedding_loss
 *
 * @example
 * ```ts
 * const distance = tensor([0.2, 0.4, 1.5]);
 * hingeEmbeddingLoss(distance, tensor([1, -1, -1]), { reduction: "none" }); // ≈ [0.2, 0.6, 0]
 * ```
 */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, options?: MarginLossOptions): Tensor {
  const op = "hingeEmbeddingLoss";
  const { reduction, margin } = resolveOptions(op, options, HINGE_EMBEDDING_DEFAULTS);
  checkFloatInput(op, "input", input);
  checkTensor(op, "target", target);
  checkBroadcastsTo(op, "target", target, input.shape);
  const y = pairLabels(op, input, target);
  return reduce(where(y.eq(1), input, input.neg().add(margin).clamp(0)), reduction);
}

// PyTorch's EPSILON of cosine_embedding_loss is a float constant: 1e-12 rounded to float32.
const COSINE_EPSILON = Math.fround(1e-12);

/**
 * The cosine embedding loss, PyTorch's `F.cosine_embedding_loss`: with `cos` the cosine
 * similarity of `x1[n]` and `x2[n]` (over the last dim),
 * ```text
 * loss_n = 1 − cos_n                   if y_n = 1
 *          max(0, cos_n − margin)      if y_n = −1
 * ```
 * `cos = Σ x1·x2 / √((Σ x1² + ε)·(Σ x2² + ε))` with ε = 1e-12 (as a float32), PyTorch's formula, so a zero vector gives 0
 * and not NaN. The margin is in [−1, 1]; 0 to 0.5 is typical.
 *
 * @param input1 - `(N, D)` or unbatched `(D)`, floating point
 * @param input2 - broadcastable to `input1` (same rank)
 * @param target - `(N)` (or 0-d when unbatched) of −1 or +1
 * @returns a 0-d tensor, or `(N)` for `reduction: "none"` (0-d when unbatched)
 *
 * PyTorch: torch.nn.functional.cosine_embedding_loss
 *
 * @example
 * ```ts
 * const a = tensor([[1, 0], [1, 1]]), b = tensor([[1, 1], [-1, -1]]);
 * cosineEmbeddingLoss(a, b, tensor([1, -1]), { reduction: "none" }); // ≈ [0.2929, 0]
 * ```
 */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, options?: MarginLossOptions): Tensor {
  const op = "cosineEmbeddingLoss";
  const { reduction, margin } = resolveOptions(op, options, PAIR_MARGIN_DEFAULTS);
  checkFloatInput(op, "input1", input1);
  checkFloatInput(op, "input2", input2);
  checkTensor(op, "target", target);
  if (target.ndim > 1) throw new RangeError(`${op}: target must be (N) or 0-d, got shape ${formatShape(target.shape)}`);
  const rank = target.ndim + 1;
  if (input1.ndim !== rank || input2.ndim !== rank) {
    throw new RangeError(
      `${op}: a ${target.ndim === 1 ? "(N) target expects (N, D)" : "0-d target expects (D)"} inputs, got input1 ` +
      `${formatShape(input1.shape)} and input2 ${formatShape(input2.shape)}`,
    );
  }
  const dim = rank - 1;
  const batch = broadcastShapes(op, input1.shape, input2.shape).slice(0, dim);
  checkBroadcastsTo(op, "target", target, batch);
  const y = pairLabels(op, input1, target);
  const dot = input1.mul(input2).sum(dim);
  const squares1 = input1.mul(input1).sum(dim).add(COSINE_EPSILON);
  const squares2 = input2.mul(input2).sum(dim).add(COSINE_EPSILON);
  const cos = dot.div(squares1.mul(squares2).sqrt());
  return reduce(where(y.eq(1), cos.neg().add(1), cos.sub(margin).clamp(0)), reduction);
}

/**
 * The margin ranking loss, PyTorch's `F.margin_ranking_loss`: `y = 1` says `x1` should rank
 * higher than `x2` (by at least `margin`), `y = −1` the opposite:
 * ```text
 * loss_i = max(0, −y_i·(x1_i − x2_i) + margin)
 * ```
 * The three tensors have the same rank and broadcast together.
 *
 * @param input1 - scores, floating point
 * @param input2 - scores, same rank as `input1`
 * @param target - −1 or +1, same rank
 * @returns a 0-d tensor, or the broadcast shape for `reduction: "none"`
 *
 * PyTorch: torch.nn.functional.margin_ranking_loss
 *
 * @example
 * ```ts
 * marginRankingLoss(tensor([2, 1]), tensor([1, 3]), tensor([1, 1]), { reduction: "none" }); // → [0, 2]
 * ```
 */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, options?: MarginLossOptions): Tensor {
  const op = "marginRankingLoss";
  const { reduction, margin } = resolveOptions(op, options, PAIR_MARGIN_DEFAULTS);
  checkFloatInput(op, "input1", input1);
  checkFloatInput(op, "input2", input2);
  checkTensor(op, "target", target);
  checkSameRank(op, { input1, input2, target });
  broadcastShapes(op, broadcastShapes(op, input1.shape, input2.shape), target.shape);
  const y = pairLabels(op, input1, target);
  return reduce(y.neg().mul(input1.sub(input2)).add(margin).clamp(0), reduction);
}

// PyTorch's pairwise_distance: ‖x1 − x2 + eps‖_p over the last dim.
function pairwiseDistance(x1: Tensor, x2: Tensor, p: number, eps: number): Tensor {
  const d = x1.sub(x2).add(eps);
  return d.ndim === 0 ? d.norm(p) : d.norm(p, -1);
}

function checkTriplet(op: string, anchor: Tensor, positive: Tensor, negative: Tensor): void {
  checkFloatInput(op, "anchor", anchor);
  checkFloatInput(op, "positive", positive);
  checkFloatInput(op, "negative", negative);
  checkSameRank(op, { anchor, positive, negative });
}

/**
 * The triplet margin loss, PyTorch's `F.triplet_margin_loss`: an anchor should be closer to its
 * positive than to its negative by at least `margin`:
 * ```text
 * loss_n = max(0, margin + d(a_n, p_n) − d(a_n, n_n)),   d(x, y) = ‖x − y + eps‖_p (over the last dim)
 * ```
 * With `swap`, the negative distance is `min(d(a, n), d(p, n))` (Balntas et al., 2016), whose
 * gradient is shared half and half at a tie, as PyTorch's `min`.
 *
 * @param anchor - `(N, D)` or unbatched `(D)`, floating point
 * @param positive - same rank as `anchor`, broadcastable to it
 * @param negative - same rank as `anchor`, broadcastable to it
 * @returns a 0-d tensor, or `(N)` for `reduction: "none"` (0-d when unbatched)
 *
 * PyTorch: torch.nn.functional.triplet_margin_loss
 *
 * @example
 * ```ts
 * const anchor = randn([8, 16], { requiresGrad: true });
 * const loss = tripletMarginLoss(anchor, anchor.add(0.1), randn([8, 16]), { margin: 0.5 });
 * loss.backward();
 * ```
 */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, options?: TripletMarginLossOptions): Tensor {
  const op = "tripletMarginLoss";
  const { reduction, margin, p, eps, swap } = resolveOptions(op, options, TRIPLET_MARGIN_DEFAULTS, TRIPLET_CHECKS);
  checkTriplet(op, anchor, positive, negative);
  const positiveDistance = pairwiseDistance(anchor, positive, p, eps);
  let negativeDistance = pairwiseDistance(anchor, negative, p, eps);
  if (swap) negativeDistance = negativeDistance.minimum(pairwiseDistance(positive, negative, p, eps));
  return reduce(positiveDistance.add(margin).sub(negativeDistance).clamp(0), reduction);
}

/**
 * The triplet loss with any distance, PyTorch's `F.triplet_margin_with_distance_loss`:
 * ```text
 * loss_n = max(0, d(a_n, p_n) − d(a_n, n_n) + margin)
 * ```
 * with `d` the `distanceFunction` (default the euclidean pairwise distance, `‖x − y + 1e-6‖₂`
 * over the last dim) and, with `swap`, `min(d(a, n), d(p, n))` as the negative distance. The
 * distance function is called on the tensors as given, so any shapes it accepts work.
 *
 * @param anchor - the anchors, e.g. `(N, D)` or unbatched `(D)`
 * @param positive - the positives, one per anchor
 * @param negative - the negatives, one per anchor
 * @returns a 0-d tensor, or the distances' shape for `reduction: "none"`
 *
 * PyTorch: torch.nn.functional.triplet_margin_with_distance_loss
 *
 * @example
 * ```ts
 * const l1 = (x: Tensor, y: Tensor) => x.sub(y).abs().sum(-1);
 * const a = tensor([[0, 0]]), pos = tensor([[0.5, 0]]), neg = tensor([[1, 1]]);
 * tripletMarginWithDistanceLoss(a, pos, neg, { distanceFunction: l1, margin: 2 }).item(); // → 0.5 (0.5 − 2 + 2)
 * ```
 */
export function tripletMarginWithDistanceLoss(
  anchor: Tensor, positive: Tensor, negative: Tensor, options?: TripletMarginWithDistanceLossOptions,
): Tensor {
  const op = "tripletMarginWithDistanceLoss";
  const { reduction, distanceFunction, margin, swap } = resolveOptions(op, options, TRIPLET_DISTANCE_DEFAULTS);
  checkTensor(op, "anchor", anchor);
  checkTensor(op, "positive", positive);
  checkTensor(op, "negative", negative);
  const distance: DistanceFunction = distanceFunction ?? ((x1, x2) => pairwiseDistance(x1, x2, 2, 1e-6));
  const positiveDistance = distance(anchor, positive);
  let negativeDistance = distance(anchor, negative);
  if (swap) negativeDistance = negativeDistance.minimum(distance(positive, negative));
  return reduce(positiveDistance.sub(negativeDistance).add(margin).clamp(0), reduction);
}
