/**
 * @tsgrad/losses — loss functions in PyTorch's functional form (`mseLoss`, `crossEntropy`, ...)
 * and as Modules (`MSELoss`, `CrossEntropyLoss`, ...) that hold options and call them.
 * Every loss takes `reduction: "mean" | "sum" | "none"` (default `"mean"`) with PyTorch's
 * semantics; options use PyTorch's names in camelCase (`ignoreIndex`, `labelSmoothing`, `posWeight`).
 *
 * @example
 * ```ts
 * import { crossEntropy, CrossEntropyLoss } from "@tsgrad/losses";
 * import { tensor } from "tsgrad";
 * const logits = tensor([[2, 0.5, -1], [0.1, 0.2, 3]], { requiresGrad: true }); // [N, C]
 * const labels = tensor([0, 2], { dtype: "int32" });                             // int32 [N]
 * const loss = crossEntropy(logits, labels);
 * const criterion = new CrossEntropyLoss({ labelSmoothing: 0.1 });
 * criterion.forward(logits, labels).backward();
 * ```
 * @packageDocumentation
 * @module tg.losses
 */
export { type Reduction, REDUCTIONS, reduce } from "./reduction.js";
export { type ReductionOptions } from "./options.js";
export { mseLoss, l1Loss, huberLoss, smoothL1Loss, type HuberLossOptions, type SmoothL1LossOptions } from "./regression.js";
export {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, type BCELossOptions, type BCEWithLogitsLossOptions,
} from "./binary-cross-entropy.js";
export { crossEntropy, nllLoss, type CrossEntropyLossOptions, type NLLLossOptions } from "./cross-entropy.js";
export {
  hingeLoss, perceptronLoss, multiMarginLoss, zeroOneLoss, multilabelMarginLoss, multilabelSoftMarginLoss, softMarginLoss,
  type HingeLossOptions, type MultiMarginLossOptions, type MultiLabelSoftMarginLossOptions,
} from "./margin.js";
export {
  klDiv, poissonNllLoss, gaussianNllLoss,
  type KLDivReduction, type KLDivLossOptions, type PoissonNLLLossOptions, type GaussianNLLLossOptions,
} from "./probabilistic.js";
export {
  hingeEmbeddingLoss, cosineEmbeddingLoss, marginRankingLoss, tripletMarginLoss, tripletMarginWithDistanceLoss,
  type MarginLossOptions, type TripletMarginLossOptions, type TripletMarginWithDistanceLossOptions, type DistanceFunction,
} from "./embedding.js";
export { ctcLoss, type CTCLossOptions, type Lengths } from "./ctc.js";
export {
  Loss, type LossFunction, MSELoss, L1Loss, HuberLoss, SmoothL1Loss, BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss,
  HingeLoss, MultiMarginLoss, PerceptronLoss, KLDivLoss, PoissonNLLLoss, GaussianNLLLoss, HingeEmbeddingLoss,
  MultiLabelMarginLoss, MultiLabelSoftMarginLoss, SoftMarginLoss, CosineEmbeddingLoss, MarginRankingLoss,
  TripletMarginLoss, TripletMarginWithDistanceLoss, CTCLoss,
} from "./modules.js";
