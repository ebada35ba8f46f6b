/**
 * The loss Modules, like `torch.nn.MSELoss` and friends: each holds its options as fields and its
 * `forward` calls the functional form, which does all the work.
 */
import { Tensor, typeNameOf } from "@tsgrad/core";
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
} from "./margin.js";

function formatOption(value: unknown): string {
  if (value instanceof Tensor) return `<${value.dtype} [${value.shape.join(", ")}]>`;
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** A functional loss form: `(input, target, options) => loss`. */
export type LossFunction<O> = (input: Tensor, target: Tensor, options: O) => Tensor;

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
export abstract class Loss<O extends ReductionOptions> extends Module {
  /** How the per-element losses are combined (default "mean"). */
  declare reduction: Reduction;
  readonly #lossFunction: LossFunction<O>;
  readonly #defaults: O;

  protected constructor(lossFunction: LossFunction<O>, options: Partial<O> | undefined, defaults: O) {
    super();
    this.#lossFunction = lossFunction;
    this.#defaults = defaults;
    Object.assign(this, resolveOptions(typeNameOf(this), options, defaults));
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

  /** The loss of `input` against `target`: the functional form called with {@link Loss.options}. */
  forward(input: Tensor, target: Tensor): Tensor {
    return this.#lossFunction(input, target, this.options);
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
