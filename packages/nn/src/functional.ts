/**
 * The functional API, imported as `F` (or `functional`), like `torch.nn.functional`: the
 * functions that do the work of the layers.
 *
 * @example
 * ```ts
 * import { F } from "@tsgrad/nn";
 * import { tensor } from "@tsgrad/core";
 * const x = tensor([[1, 2]]);
 * const w = tensor([[1, -1], [0, 1]]);
 * const b = tensor([0, 1]);
 * F.relu(F.linear(x, w, b)).toArray(); // [[0, 3]]
 * ```
 * @module
 */
export {
  relu, leakyRelu, elu, prelu, silu, swish, gelu, softplus, sigmoid, tanh, softmax, logSoftmax, step,
  hardtanh, relu6, hardsigmoid, hardswish, mish, selu, celu, softsign, logsigmoid, softmin, tanhshrink, hardshrink,
  softshrink, threshold, glu, rrelu,
  type GeluOptions, type SoftplusOptions, type RReLUOptions,
} from "./activation.js";
import type {
  PadOptions as CorePadOptions, PadMode as CorePadMode,
  CosineSimilarityOptions as CoreCosineSimilarityOptions, PairwiseDistanceOptions as CorePairwiseDistanceOptions,
} from "@tsgrad/core";
// The affine map is core's fused op (one kernel, one graph node), shared with Linear.
export { linear } from "@tsgrad/core";
// Padding and one-hot encoding are core ops (torch.nn.functional's pad and one_hot).
export { pad, oneHot } from "@tsgrad/core";
// Aliases, not re-exports: a type re-exported from another package inside a namespace (F) comes
// out of the .d.ts bundler as a value (`declare const PadMode: typeof PadMode`), which tsc rejects.
/** Options of `F.pad` (core's `PadOptions`). */
export type PadOptions = CorePadOptions;
/** The modes of `F.pad` (core's `PadMode`). */
export type PadMode = CorePadMode;
// Distances are core ops too (torch.nn.functional's cosine_similarity and pairwise_distance).
export { cosineSimilarity, pairwiseDistance } from "@tsgrad/core";
/** Options of `F.cosineSimilarity` (core's `CosineSimilarityOptions`). */
export type CosineSimilarityOptions = CoreCosineSimilarityOptions;
/** Options of `F.pairwiseDistance` (core's `PairwiseDistanceOptions`). */
export type PairwiseDistanceOptions = CorePairwiseDistanceOptions;
export { dropout, dropout1d, dropout2d, dropout3d, alphaDropout, featureAlphaDropout } from "./dropout.js";
export { interpolate, type InterpolateOptions, type InterpolateMode } from "./upsampling.js";
export { pixelShuffle, pixelUnshuffle, channelShuffle } from "./pixelshuffle.js";
export {
  conv1d, conv2d, conv3d, convTranspose1d, convTranspose2d, convTranspose3d, unfold, fold,
  type ConvOptions, type ConvTransposeOptions, type Im2colOptions, type SizeN,
} from "./conv.js";
export {
  batchNorm, instanceNorm, layerNorm, groupNorm, rmsNorm, localResponseNorm, normalize,
  type BatchNormOptions, type InstanceNormOptions, type LayerNormOptions, type GroupNormOptions, type RMSNormOptions,
  type LocalResponseNormOptions, type NormalizeOptions,
} from "./normalization.js";
export {
  embedding, embeddingBag, type EmbeddingOptions, type EmbeddingBagOptions, type EmbeddingBagMode,
} from "./sparse.js";
export {
  maxPool1d, maxPool2d, avgPool1d, avgPool2d, adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveMaxPool1d, adaptiveMaxPool2d,
  lpPool1d, lpPool2d, maxUnpool1d, maxUnpool2d,
  type MaxPoolOptions, type AvgPoolOptions, type AdaptiveMaxPoolOptions, type AdaptiveSize, type LPPoolOptions, type MaxUnpoolOptions,
} from "./pooling.js";
export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from "./transformer.js";
