/**
 * @tsgrad/nn — Module, Parameter, layers, activations, init and the functional API (F).
 *
 * @example
 * ```ts
 * import { Module, Linear, F } from "@tsgrad/nn";
 * class Net extends Module {
 *   fc1 = new Linear(2, 32);
 *   fc2 = new Linear(32, 1);
 *   forward(x: Tensor) { return this.fc2.forward(F.relu(this.fc1.forward(x))); }
 * }
 * ```
 * @packageDocumentation
 * @module tg.nn
 */
export { Module, Parameter, type StateDict, type LoadStateDictResult, type BufferOptions } from "./module.js";
export type { ForwardPreHook, ForwardHook, FullBackwardHook, FullBackwardPreHook, HookOptions } from "./hooks.js";
export { ModuleDict, ParameterList, ParameterDict } from "./container.js";
export { Linear, Identity, type LinearOptions } from "./linear.js";
export { Sequential, ModuleList } from "./container.js";
export { Flatten, Unflatten } from "./flatten.js";
export { DropoutNd, Dropout, Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout, type DropoutOptions } from "./dropout.js";
export {
  PadNd, ZeroPad1d, ZeroPad2d, ZeroPad3d, ConstantPad1d, ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d,
  ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, CircularPad1d, CircularPad2d, CircularPad3d,
  type PaddingSize,
} from "./padding.js";
export {
  Upsample, UpsamplingNearest2d, UpsamplingBilinear2d, type UpsampleOptions, type UpsamplingOptions, type InterpolateMode,
  type InterpolateOptions,
} from "./upsampling.js";
export { PixelShuffle, PixelUnshuffle, ChannelShuffle } from "./pixelshuffle.js";
export {
  ReLU, LeakyReLU, PReLU, ELU, SiLU, Swish, GELU, Sigmoid, Tanh, Softmax, LogSoftmax, Softplus, Step,
  Hardtanh, ReLU6, Hardsigmoid, Hardswish, Mish, SELU, CELU, Softsign, LogSigmoid, Tanhshrink, Hardshrink, Softshrink,
  Threshold, GLU, Softmin, Softmax2d, RReLU,
  type PReLUOptions, type GeluOptions, type SoftplusOptions, type RReLUOptions, type RReLULayerOptions,
} from "./activation.js";
export {
  ConvNd, Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d,
  type ConvLayerOptions, type ConvTransposeLayerOptions, type ConvPaddingMode,
} from "./conv.js";
export {
  NormBase, BatchNorm, BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm, InstanceNorm1d, InstanceNorm2d,
  LayerNorm, GroupNorm, RMSNorm, LocalResponseNorm,
  type BatchNormLayerOptions, type LayerNormLayerOptions, type GroupNormLayerOptions, type RMSNormLayerOptions,
  type LocalResponseNormOptions,
} from "./normalization.js";
export {
  Embedding, EmbeddingBag,
  type EmbeddingLayerOptions, type FromPretrainedOptions, type EmbeddingBagLayerOptions, type EmbeddingBagFromPretrainedOptions,
} from "./sparse.js";
export {
  MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d,
  LPPool1d, LPPool2d, MaxUnpool1d, MaxUnpool2d, type MaxUnpoolLayerOptions,
} from "./pooling.js";
export {
  MultiheadAttention, TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder, TransformerDecoder, Transformer,
  type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions, type TransformerActivation, type TransformerLayerOptions,
  type TransformerEncoderLayerForwardOptions, type TransformerDecoderForwardOptions, type TransformerStackOptions,
  type TransformerEncoderForwardOptions, type TransformerOptions, type TransformerForwardOptions,
} from "./transformer.js";
export {
  RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell,
  type RNNBaseOptions, type RNNOptions, type LSTMOptions, type RNNCellBaseOptions, type RNNCellOptions,
} from "./rnn.js";
export * as F from "./functional.js";
export * as functional from "./functional.js";
export * as init from "./init.js";
export type { Nonlinearity, FanMode, XavierOptions, KaimingOptions } from "./init.js";
