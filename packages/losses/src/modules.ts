/**
 * The loss Modules, like `torch.nn.MSELoss` and friends: each holds its options as fields and its
 * `forward` calls the functional form, which does all the work.
 */
import { Tensor, typeNameOf, type OptionCheck } from "@tsgrad/core";
import { Module } from "@tsgrad/nn";
import type { Reduction } from "./reduction.js";
import { resolveOptions, REDUCTION_DEFAULTS, type ReductionOptions } from "./options.js";
import { mseLoss, l1Loss, huberLoss, smoothL1Loss, HUBER_DEFAULTS, SMOOTH_L1_DEFAULTS, type HuberLossOptions, type SmoothL1LossOptions } from "./regression.js";
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, BCE_DEFAULTS, BCE_WITH_LOGITS_DEFAULTS,
  type BCELossOptions, type BCEWithLogitsLossOptions,
} from "./binary-cross-entropy.js";
import { crossEntropy, nllLoss, CROSS_ENTROPY_DEFAULTS, NLL_DEFAULTS, type CrossEntropyLossOptions, type NLLLossOptions } from "./cross-entropy.js";
import {
  hingeLoss, perceptronLoss, multiMarginLoss, HINGE_DEFAULTS, MULTI_MARGIN_DEFAULTS,
  type HingeLossOptions, type MultiMarginLossOptions,
  multilabelMarginLoss, multilabelSoftMarginLoss, softMarginLoss, MULTILABEL_SOFT_MARGIN_DEFAULTS, type MultiLabelSoftMarginLossOptions,
} from "./margin.js";
import {
  klDiv, poissonNllLoss, gaussianNllLoss, KL_DIV_DEFAULTS, KL_DIV_CHECKS, POISSON_NLL_DEFAULTS, GAUSSIAN_NLL_DEFAULTS,
  type KLDivLossOptions, type KLDivReduction, type PoissonNLLLossOptions, type GaussianNLLLossOptions,
} from "./probabilistic.js";
import {
  hingeEmbeddingLoss, cosineEmbeddingLoss, marginRankingLoss, tripletMarginLoss, tripletMarginWithDistanceLoss,
  HINGE_EMBEDDING_DEFAULTS, PAIR_MARGIN_DEFAULTS, TRIPLET_MARGIN_DEFAULTS, TRIPLET_DISTANCE_DEFAULTS, TRIPLET_CHECKS,
  type MarginLossOptions, type TripletMarginLossOptions, type TripletMarginWithDistanceLossOptions, type DistanceFunction,
} from "./embedding.js";
import { ctcLoss, CTC_DEFAULTS, type CTCLossOptions, type Lengths } from "./ctc.js";

function formatOption(value: unknown): string {
  if (value instanceof Tensor) return `<${value.dtype} [${value.shape.join(", ")}]>`;
  if (typeof value === "function") return `<function ${value.name || "anonymous"}>`;
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * A functional loss form: its tensor arguments `A` (by default `(input, target)`), then its
 * options: `(input, target, options) => loss`.
 */
export type LossFunction<O, A extends unknown[] = [Tensor, Tensor]> = (...args: [...A, O]) => Tensor;

/**
 * Base class of the loss Modules (PyTorch's `_Loss`): it holds a functional form and its options
 * and does nothing else. The constructor validates the options, fills in the defaults and stores
 * each option as a field of the same name (`reduction`, `weight`, `ignoreIndex`, ...), which may
 * be reassigned later; `forward(input, target)` calls the functional form with them. Weight
 * tensors are registered as buffers, so they appear in `stateDict()` as in PyTorch. `toString()`
 * lists the options that differ from the defaults: `CrossEntropyLoss(labelSmoothing=0.1)`.
 *
 * Subclass it for a custom loss with options:
 *
 * @example
 * ```ts
 * const cubeLoss = (x: Tensor, y: Tensor, o: { reduction: Reduction }) => reduce(x.sub(y).abs().pow(3), o.reduction);
 * class CubeLoss extends Loss<{ reduction: Reduction }> {
 *   constructor(options?: ReductionOptions) { super(cubeLoss, options, { reduction: "mean" }); }
 * }
 * new CubeLoss({ reduction: "sum" }).forward(tensor([1, 2]), tensor([0, 0])).item(); // 9
 * ```
 */
export abstract class Loss<O extends { reduction?: Reduction | KLDivReduction }, A extends unknown[] = [Tensor, Tensor]> extends Module {
  /** How the per-element losses are combined (default "mean"). */
  declare reduction: NonNullable<O["reduction"]>;
  readonly #lossFunction: LossFunction<O, A>;
  readonly #defaults: O;

  /** `checks` replaces the shared check of an option whose range differs in this loss. */
  protected constructor(
    lossFunction: LossFunction<O, A>, options: Partial<O> | undefined, defaults: O, checks?: Readonly<Record<string, OptionCheck>>,
  ) {
    super();
    this.#lossFunction = lossFunction;
    this.#defaults = defaults;
    Object.assign(this, resolveOptions(typeNameOf(this), options, defaults, checks));
    for (const name of ["weight", "posWeight"]) {
      const value = (this as Record<string, unknown>)[name];
      if (value instanceof Tensor) this.registerBuffer(name, value);
    }
  }

  /** The current option values, as an options object for the functional form. */
  get options(): O {
    const fields = this as unknown as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(this.#defaults)) out[key] = fields[key] ?? undefined;
    return out as O;
  }

  /**
   * The loss of `input` against `target` (or of the loss's own tensor arguments, such as
   * `(input1, input2, target)`): the functional form called with {@link Loss.options}.
   */
  forward(...args: A): Tensor {
    return this.#lossFunction(...args, this.options);
  }

  /** The options that differ from the defaults, e.g. `reduction="sum", delta=0.5`. */
  override extraRepr(): string {
    const defaults = this.#defaults as Record<string, unknown>;
    const current = this.options as Record<string, unknown>;
    return Object.keys(defaults)
      .filter((key) => current[key] !== defaults[key])
      .map((key) => `${key}=${formatOption(current[key])}`)
      .join(", ");
  }
}

/**
 * Mean squared error as a Module; see {@link mseLoss}.
 *
 * @example
 * ```ts
 * const criterion = new MSELoss();
 * const model = new nn.Linear(2, 1);
 * const loss = criterion.forward(model.forward(randn([4, 2])), randn([4, 1]));
 * loss.backward();
 * ```
 */
export class MSELoss extends Loss<ReductionOptions> {
  static override readonly typeName: string = "MSELoss";
  constructor(options?: ReductionOptions) {
    super(mseLoss, options, REDUCTION_DEFAULTS);
  }
}

/**
 * Mean absolute error as a Module; see {@link l1Loss}.
 *
 * @example
 * ```ts
 * const criterion = new L1Loss({ reduction: "sum" });
 * criterion.forward(tensor([1, 2]), tensor([0, 4])).item(); // 3
 * ```
 */
export class L1Loss extends Loss<ReductionOptions> {
  static override readonly typeName: string = "L1Loss";
  constructor(options?: ReductionOptions) {
    super(l1Loss, options, REDUCTION_DEFAULTS);
  }
}

/**
 * Huber loss as a Module; see {@link huberLoss}.
 *
 * @example
 * ```ts
 * const criterion = new HuberLoss({ delta: 0.5 });
 * criterion.toString(); // "HuberLoss(delta=0.5)"
 * ```
 */
export class HuberLoss extends Loss<HuberLossOptions> {
  static override readonly typeName: string = "HuberLoss";
  /** Where the loss turns from quadratic to linear (default 1). */
  declare delta: number;
  constructor(options?: HuberLossOptions) {
    super(huberLoss, options, HUBER_DEFAULTS);
  }
}

/**
 * Smooth L1 loss as a Module; see {@link smoothL1Loss}.
 *
 * @example
 * ```ts
 * const criterion = new SmoothL1Loss({ beta: 0.1 });
 * ```
 */
export class SmoothL1Loss extends Loss<SmoothL1LossOptions> {
  static override readonly typeName: string = "SmoothL1Loss";
  /** Where the loss turns from quadratic to linear; 0 gives L1 (default 1). */
  declare beta: number;
  constructor(options?: SmoothL1LossOptions) {
    super(smoothL1Loss, options, SMOOTH_L1_DEFAULTS);
  }
}

/**
 * Binary cross-entropy on probabilities as a Module (PyTorch's `BCELoss`); see
 * {@link binaryCrossEntropy}. On raw scores use {@link BCEWithLogitsLoss}.
 *
 * @example
 * ```ts
 * const criterion = new BCELoss();
 * criterion.forward(tensor([0.9, 0.2]), tensor([1, 0])).item(); // ≈ 0.1643 (probabilities, float 0/1 labels)
 * ```
 */
export class BCELoss extends Loss<BCELossOptions> {
  static override readonly typeName: string = "BCELoss";
  /** Per-element rescaling weight broadcast to the input (a buffer), or undefined. */
  declare weight: Tensor | undefined;
  constructor(options?: BCELossOptions) {
    super(binaryCrossEntropy, options, BCE_DEFAULTS);
  }
}

/**
 * Sigmoid + binary cross-entropy, fused and stable, as a Module (PyTorch's `BCEWithLogitsLoss`);
 * see {@link binaryCrossEntropyWithLogits}.
 *
 * @example
 * ```ts
 * const criterion = new BCEWithLogitsLoss({ posWeight: tensor([3]) });
 * const model = new nn.Linear(2, 1);
 * const loss = criterion.forward(model.forward(randn([4, 2])), tensor([[1], [0], [0], [1]])); // logits and 0/1 labels, [N, 1]
 * loss.backward();
 * ```
 */
export class BCEWithLogitsLoss extends Loss<BCEWithLogitsLossOptions> {
  static override readonly typeName: string = "BCEWithLogitsLoss";
  /** Per-element rescaling weight broadcast to the input (a buffer), or undefined. */
  declare weight: Tensor | undefined;
  /** Weight of the positive term, broadcast over the input, typically `[C]` (a buffer), or undefined. */
  declare posWeight: Tensor | undefined;
  constructor(options?: BCEWithLogitsLossOptions) {
    super(binaryCrossEntropyWithLogits, options, BCE_WITH_LOGITS_DEFAULTS);
  }
}

/**
 * Cross-entropy on logits as a Module; see {@link crossEntropy} (int32 class indices: sparse
 * categorical cross-entropy; float probabilities of the input's shape: categorical).
 *
 * @example
 * ```ts
 * const criterion = new CrossEntropyLoss({ labelSmoothing: 0.1 });
 * const model = new nn.Linear(2, 3);
 * const loss = criterion.forward(model.forward(randn([4, 2])), tensor([0, 2, 1, 2], { dtype: "int32" })); // (N, C) logits, int32 (N) labels
 * loss.backward();
 * ```
 */
export class CrossEntropyLoss extends Loss<CrossEntropyLossOptions> {
  static override readonly typeName: string = "CrossEntropyLoss";
  /** One weight per class `[C]` (a buffer), or undefined. */
  declare weight: Tensor | undefined;
  /** Target value that is ignored (default -100). */
  declare ignoreIndex: number;
  /** Amount of uniform distribution mixed into the target, in [0, 1] (default 0). */
  declare labelSmoothing: number;
  constructor(options?: CrossEntropyLossOptions) {
    super(crossEntropy, options, CROSS_ENTROPY_DEFAULTS);
  }
}

/**
 * Negative log-likelihood on log-probabilities as a Module; see {@link nllLoss}.
 *
 * @example
 * ```ts
 * const criterion = new NLLLoss({ weight: tensor([1, 2, 1]) });
 * const logProbs = tensor([[2, 0.5, -1], [0.1, 0.2, 3]]).logSoftmax(1);
 * criterion.forward(logProbs, tensor([1, 2], { dtype: "int32" })).item(); // ≈ 1.1974 (the weighted mean)
 * ```
 */
export class NLLLoss extends Loss<NLLLossOptions> {
  static override readonly typeName: string = "NLLLoss";
  /** One weight per class `[C]` (a buffer), or undefined. */
  declare weight: Tensor | undefined;
  /** Target value that is ignored (default -100). */
  declare ignoreIndex: number;
  constructor(options?: NLLLossOptions) {
    super(nllLoss, options, NLL_DEFAULTS);
  }
}

/**
 * The article's binary hinge loss `max(0, margin − y·ŷ)` on ±1 labels as a Module; see
 * {@link hingeLoss} (not a PyTorch built-in; PyTorch's `HingeEmbeddingLoss` is a different loss).
 *
 * @example
 * ```ts
 * const criterion = new HingeLoss();
 * criterion.forward(tensor([2, 0.5, -1]), tensor([1, 1, 1])).item(); // ≈ 0.8333 (labels of ±1)
 * ```
 */
export class HingeLoss extends Loss<HingeLossOptions> {
  static override readonly typeName: string = "HingeLoss";
  /** The margin (default 1). */
  declare margin: number;
  constructor(options?: HingeLossOptions) {
    super(hingeLoss, options, HINGE_DEFAULTS);
  }
}

/**
 * The multi-class hinge loss as a Module (PyTorch's `MultiMarginLoss`); see {@link multiMarginLoss}.
 *
 * @example
 * ```ts
 * const criterion = new MultiMarginLoss({ p: 2, margin: 0.5 });
 * const scores = tensor([[0.1, 0.2, 0.4, 0.8]]);                         // (N, C)
 * const loss = criterion.forward(scores, tensor([3], { dtype: "int32" })); // int32 (N) labels
 * ```
 */
export class MultiMarginLoss extends Loss<MultiMarginLossOptions> {
  static override readonly typeName: string = "MultiMarginLoss";
  /** 1 (hinge) or 2 (squared hinge); default 1. */
  declare p: 1 | 2;
  /** The margin (default 1). */
  declare margin: number;
  /** One weight per class `[C]` (a buffer), or undefined. */
  declare weight: Tensor | undefined;
  constructor(options?: MultiMarginLossOptions) {
    super(multiMarginLoss, options, MULTI_MARGIN_DEFAULTS);
  }
}

/**
 * The perceptron criterion `max(0, −y·ŷ)` on ±1 labels as a Module; see {@link perceptronLoss}.
 *
 * @example
 * ```ts
 * const criterion = new PerceptronLoss();
 * criterion.forward(tensor([2, -1]), tensor([1, 1])).item(); // 0.5 (labels of ±1)
 * ```
 */
export class PerceptronLoss extends Loss<ReductionOptions> {
  static override readonly typeName: string = "PerceptronLoss";
  constructor(options?: ReductionOptions) {
    super(perceptronLoss, options, REDUCTION_DEFAULTS);
  }
}

/**
 * The Kullback-Leibler divergence as a Module (PyTorch's `KLDivLoss`); see {@link klDiv}. Use
 * `reduction: "batchmean"` for the divergence per sample; the default `"mean"` warns, as PyTorch.
 *
 * PyTorch: torch.nn.KLDivLoss
 *
 * @example
 * ```ts
 * const criterion = new KLDivLoss({ reduction: "batchmean", logTarget: true });
 * const logQ = randn([4, 3]).logSoftmax(1), logP = randn([4, 3]).logSoftmax(1);
 * criterion.forward(logQ, logP).item() >= 0; // true
 * ```
 */
export class KLDivLoss extends Loss<KLDivLossOptions> {
  static override readonly typeName: string = "KLDivLoss";
  /** Whether the target holds log-probabilities (default false). */
  declare logTarget: boolean;
  constructor(options?: KLDivLossOptions) {
    super(klDiv, options, KL_DIV_DEFAULTS, KL_DIV_CHECKS);
  }
}

/**
 * The Poisson negative log-likelihood as a Module (PyTorch's `PoissonNLLLoss`); see {@link poissonNllLoss}.
 *
 * PyTorch: torch.nn.PoissonNLLLoss
 *
 * @example
 * ```ts
 * const criterion = new PoissonNLLLoss({ full: true });
 * criterion.toString(); // "PoissonNLLLoss(full=true)"
 * ```
 */
export class PoissonNLLLoss extends Loss<PoissonNLLLossOptions> {
  static override readonly typeName: string = "PoissonNLLLoss";
  /** Whether the input is the log of the rate (default true). */
  declare logInput: boolean;
  /** Whether the Stirling term is added (default false). */
  declare full: boolean;
  /** Added to the rate before its log when `logInput` is false (default 1e-8). */
  declare eps: number;
  constructor(options?: PoissonNLLLossOptions) {
    super(poissonNllLoss, options, POISSON_NLL_DEFAULTS);
  }
}

/**
 * The Gaussian negative log-likelihood as a Module (PyTorch's `GaussianNLLLoss`); see
 * {@link gaussianNllLoss}. `forward(input, target, variance)`.
 *
 * PyTorch: torch.nn.GaussianNLLLoss
 *
 * @example
 * ```ts
 * const criterion = new GaussianNLLLoss({ eps: 1e-4 });
 * criterion.forward(tensor([0, 1]), tensor([0.5, 1]), tensor([1, 0.25])).item(); // ≈ -0.2841
 * ```
 */
export class GaussianNLLLoss extends Loss<GaussianNLLLossOptions, [Tensor, Tensor, Tensor]> {
  static override readonly typeName: string = "GaussianNLLLoss";
  /** Whether the constant ½·log(2π) is added (default false). */
  declare full: boolean;
  /** The lower clamp of the variance (default 1e-6). */
  declare eps: number;
  constructor(options?: GaussianNLLLossOptions) {
    super(gaussianNllLoss, options, GAUSSIAN_NLL_DEFAULTS);
  }
}

/**
 * The hinge embedding loss on distances as a Module (PyTorch's `HingeEmbeddingLoss`); see
 * {@link hingeEmbeddingLoss}.
 *
 * PyTorch: torch.nn.HingeEmbeddingLoss
 *
 * @example
 * ```ts
 * const criterion = new HingeEmbeddingLoss({ margin: 2 });
 * criterion.forward(tensor([0.5, 1.5]), tensor([1, -1])).item(); // → 0.5
 * ```
 */
export class HingeEmbeddingLoss extends Loss<MarginLossOptions> {
  static override readonly typeName: string = "HingeEmbeddingLoss";
  /** The margin for dissimilar pairs (default 1). */
  declare margin: number;
  constructor(options?: MarginLossOptions) {
    super(hingeEmbeddingLoss, options, HINGE_EMBEDDING_DEFAULTS);
  }
}

/**
 * The multi-label hinge loss as a Module (PyTorch's `MultiLabelMarginLoss`); see {@link multilabelMarginLoss}.
 *
 * PyTorch: torch.nn.MultiLabelMarginLoss
 *
 * @example
 * ```ts
 * const criterion = new MultiLabelMarginLoss({ reduction: "none" });
 * criterion.forward(tensor([[0.1, 0.2, 0.4, 0.8]]), tensor([[3, 0, -1, 1]], { dtype: "int32" })); // ≈ [0.85]
 * ```
 */
export class MultiLabelMarginLoss extends Loss<ReductionOptions> {
  static override readonly typeName: string = "MultiLabelMarginLoss";
  constructor(options?: ReductionOptions) {
    super(multilabelMarginLoss, options, REDUCTION_DEFAULTS);
  }
}

/**
 * The multi-label one-versus-all logistic loss as a Module (PyTorch's `MultiLabelSoftMarginLoss`);
 * see {@link multilabelSoftMarginLoss}.
 *
 * PyTorch: torch.nn.MultiLabelSoftMarginLoss
 *
 * @example
 * ```ts
 * const criterion = new MultiLabelSoftMarginLoss({ weight: tensor([1, 2, 1]) });
 * const loss = criterion.forward(randn([4, 3]), tensor([[1, 0, 1], [0, 0, 1], [1, 1, 1], [0, 0, 0]]));
 * ```
 */
export class MultiLabelSoftMarginLoss extends Loss<MultiLabelSoftMarginLossOptions> {
  static override readonly typeName: string = "MultiLabelSoftMarginLoss";
  /** One weight per class `[C]` (a buffer), or undefined. */
  declare weight: Tensor | undefined;
  constructor(options?: MultiLabelSoftMarginLossOptions) {
    super(multilabelSoftMarginLoss, options, MULTILABEL_SOFT_MARGIN_DEFAULTS);
  }
}

/**
 * The two-class logistic loss on ±1 labels as a Module (PyTorch's `SoftMarginLoss`); see {@link softMarginLoss}.
 *
 * PyTorch: torch.nn.SoftMarginLoss
 *
 * @example
 * ```ts
 * new SoftMarginLoss().forward(tensor([0, 0]), tensor([1, -1])).item(); // ≈ 0.6931 (log 2)
 * ```
 */
export class SoftMarginLoss extends Loss<ReductionOptions> {
  static override readonly typeName: string = "SoftMarginLoss";
  constructor(options?: ReductionOptions) {
    super(softMarginLoss, options, REDUCTION_DEFAULTS);
  }
}

/**
 * The cosine embedding loss as a Module (PyTorch's `CosineEmbeddingLoss`); see
 * {@link cosineEmbeddingLoss}. `forward(input1, input2, target)`.
 *
 * PyTorch: torch.nn.CosineEmbeddingLoss
 *
 * @example
 * ```ts
 * const criterion = new CosineEmbeddingLoss({ margin: 0.2 });
 * criterion.forward(tensor([[1, 0]]), tensor([[0, 1]]), tensor([1])).item(); // → 1
 * ```
 */
export class CosineEmbeddingLoss extends Loss<MarginLossOptions, [Tensor, Tensor, Tensor]> {
  static override readonly typeName: string = "CosineEmbeddingLoss";
  /** The cosine below which dissimilar pairs cost nothing (default 0). */
  declare margin: number;
  constructor(options?: MarginLossOptions) {
    super(cosineEmbeddingLoss, options, PAIR_MARGIN_DEFAULTS);
  }
}

/**
 * The margin ranking loss as a Module (PyTorch's `MarginRankingLoss`); see
 * {@link marginRankingLoss}. `forward(input1, input2, target)`.
 *
 * PyTorch: torch.nn.MarginRankingLoss
 *
 * @example
 * ```ts
 * const criterion = new MarginRankingLoss({ margin: 0.5 });
 * criterion.forward(tensor([1, 2]), tensor([2, 0]), tensor([1, 1])).item(); // → 0.75
 * ```
 */
export class MarginRankingLoss extends Loss<MarginLossOptions, [Tensor, Tensor, Tensor]> {
  static override readonly typeName: string = "MarginRankingLoss";
  /** How far `x1` must rank above `x2` (default 0). */
  declare margin: number;
  constructor(options?: MarginLossOptions) {
    super(marginRankingLoss, options, PAIR_MARGIN_DEFAULTS);
  }
}

/**
 * The triplet margin loss as a Module (PyTorch's `TripletMarginLoss`); see
 * {@link tripletMarginLoss}. `forward(anchor, positive, negative)`.
 *
 * PyTorch: torch.nn.TripletMarginLoss
 *
 * @example
 * ```ts
 * const criterion = new TripletMarginLoss({ margin: 0.5, p: 1, swap: true });
 * const anchor = randn([8, 16]);
 * const loss = criterion.forward(anchor, anchor.add(0.1), randn([8, 16]));
 * ```
 */
export class TripletMarginLoss extends Loss<TripletMarginLossOptions, [Tensor, Tensor, Tensor]> {
  static override readonly typeName: string = "TripletMarginLoss";
  /** The wanted gap between the distances (default 1). */
  declare margin: number;
  /** The norm degree (default 2). */
  declare p: number;
  /** Added to the differences before the norm (default 1e-6). */
  declare eps: number;
  /** Whether the positive-negative distance may replace the anchor-negative one (default false). */
  declare swap: boolean;
  constructor(options?: TripletMarginLossOptions) {
    super(tripletMarginLoss, options, TRIPLET_MARGIN_DEFAULTS, TRIPLET_CHECKS);
  }
}

/**
 * The triplet loss with any distance as a Module (PyTorch's `TripletMarginWithDistanceLoss`); see
 * {@link tripletMarginWithDistanceLoss}. `forward(anchor, positive, negative)`. Unset, the
 * distance is the euclidean pairwise distance (PyTorch stores a `PairwiseDistance()` module).
 *
 * PyTorch: torch.nn.TripletMarginWithDistanceLoss
 *
 * @example
 * ```ts
 * const criterion = new TripletMarginWithDistanceLoss({ distanceFunction: (a, b) => a.sub(b).abs().sum(-1) });
 * criterion.toString(); // "TripletMarginWithDistanceLoss(distanceFunction=<function distanceFunction>)"
 * ```
 */
export class TripletMarginWithDistanceLoss extends Loss<TripletMarginWithDistanceLossOptions, [Tensor, Tensor, Tensor]> {
  static override readonly typeName: string = "TripletMarginWithDistanceLoss";
  /** The distance, or undefined for the euclidean pairwise distance. */
  declare distanceFunction: DistanceFunction | undefined;
  /** The wanted gap between the distances (default 1). */
  declare margin: number;
  /** Whether the positive-negative distance may replace the anchor-negative one (default false). */
  declare swap: boolean;
  constructor(options?: TripletMarginWithDistanceLossOptions) {
    super(tripletMarginWithDistanceLoss, options, TRIPLET_DISTANCE_DEFAULTS);
  }
}

/**
 * The CTC loss as a Module (PyTorch's `CTCLoss`); see {@link ctcLoss}.
 * `forward(logProbs, targets, inputLengths, targetLengths)`.
 *
 * PyTorch: torch.nn.CTCLoss
 *
 * @example
 * ```ts
 * const criterion = new CTCLoss({ blank: 0, zeroInfinity: true });
 * const logProbs = randn([10, 2, 6]).logSoftmax(2);                       // (T, N, C)
 * const targets = tensor([1, 2, 3, 4, 5], { dtype: "int32" });              // concatenated
 * const loss = criterion.forward(logProbs, targets, [10, 8], [3, 2]);
 * ```
 */
export class CTCLoss extends Loss<CTCLossOptions, [Tensor, Tensor, Lengths, Lengths]> {
  static override readonly typeName: string = "CTCLoss";
  /** The class index of the blank label (default 0). */
  declare blank: number;
  /** Whether infinite losses and their gradients become 0 (default false). */
  declare zeroInfinity: boolean;
  constructor(options?: CTCLossOptions) {
    super(ctcLoss, options, CTC_DEFAULTS);
  }
}
