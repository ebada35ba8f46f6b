/**
 * @tsgrad/core — tensors, ops and reverse-mode autograd with PyTorch semantics.
 *
 * @example
 * ```ts
 * import { tensor } from "@tsgrad/core";
 * const w = tensor([1, 2], { requiresGrad: true });
 * w.mul(w).sum().backward();
 * w.grad!.toArray(); // [2, 4]
 * ```
 * @packageDocumentation
 * @module tg
 */
export { Tensor, type TensorLike, type NestedArray, type StorageView } from "./tensor.js";
export { ValuesIndices, type MinMax } from "./values-indices.js";
export { inspectCustom, typeNameOf } from "./inspect.js";
export { type DType, type TypedArray, DTYPES, isFloatingPoint, promoteTypes } from "./dtype.js";
export { broadcastShapes, type SizeAndOptions } from "./shape.js";
export { resolveOptions, checkOptionKeys, optionChecks, describeValue, unknownOptionError, isPlainObject, type OptionCheck } from "./options.js";
export {
  tensor, zeros, ones, empty, full, zerosLike, onesLike, fullLike, arange, linspace, eye,
  type TensorOptions, type TensorDataOptions,
} from "./creation.js";
export {
  Generator, manualSeed, getDefaultGenerator, rand, randn, randint, randperm, uniformFill_, normalFill_,
  type RandomOptions, type RandintOptions, type RandintArgs,
} from "./random.js";
export { cat, stack } from "./ops/shape.js";
export { meshgrid, oneHot, type MeshgridOptions } from "./ops/layout.js";
export { pad, type PadOptions, type PadMode } from "./ops/pad.js";
export { serialize, deserialize, type Savable } from "./serialize.js";
export { encodeSafetensors, decodeSafetensors, safetensorsMetadata, type SafetensorsOptions } from "./safetensors.js";
export { decodeTorch } from "./torch-load.js";
export { saveToIndexedDB, loadFromIndexedDB, deleteFromIndexedDB, downloadBytes, type IndexedDBOptions } from "./browser-storage.js";
export { where, slice, Slice, type Index, type IndexArray } from "./ops/indexing.js";
export { type ScatterReduction } from "./ops/scatter.js";
export { type QuantileInterpolation } from "./ops/sort.js";
export { type UniqueOptions, type UniqueConsecutiveOptions } from "./ops/unique.js";
export { searchsorted, bucketize, type SearchsortedOptions } from "./ops/bucketize.js";
export {
  cdist, pairwiseDistance, cosineSimilarity, varMean, stdMean,
  type CdistOptions, type PairwiseDistanceOptions, type CosineSimilarityOptions, type VarMeanOptions,
} from "./ops/distance.js";
export { elementwiseOp, polygamma, type ElementwiseOpSpec } from "./ops/unary.js";
export { type RoundingMode } from "./ops/arith.js";
export { setKernelMode, getKernelMode, type KernelMode } from "./kernels/elementwise.js";
export { setNumThreads, getNumThreads } from "./kernels/threads.js";
export { matmul, linear } from "./ops/matmul.js";
export {
  convolution, convolutionAs, convTuple, convTransposeOutputPadding, im2col, col2im,
  type ConvolutionOptions, type Im2colOptions,
} from "./ops/conv.js";
export { tensordot, linalgCross, type AddProductOptions } from "./ops/products.js";
export { einsum } from "./ops/einsum.js";
export * as linalg from "./linalg.js";
// exp(x), sum(x, 1), ...: the functional forms of the dual Tensor methods (see functional-table.ts).
export * from "./functional.generated.js";
export { sumToShape } from "./ops/helpers.js";
export { noGrad, enableGrad, isGradEnabled } from "./autograd/grad-mode.js";
export { setTraceHook, type TraceHook } from "./trace-hook.js";
export { grad, type BackwardOptions, type GradOptions } from "./autograd/engine.js";
export { zeroGrads, type ZeroGradOptions } from "./autograd/zero-grad.js";
export { Node, record, type BackwardRule, type Edge } from "./autograd/node.js";
export { RemovableHandle, type TensorHook } from "./autograd/hooks.js";
export { AutogradFunction, FunctionCtx } from "./autograd/function.js";
export { gradcheck, gradgradcheck, type GradcheckOptions } from "./autograd/gradcheck.js";
export { detectAnomaly, setDetectAnomaly, isAnomalyEnabled, type AnomalyOptions } from "./autograd/anomaly.js";
export { checkpoint } from "./autograd/checkpoint.js";
export * as autograd from "./autograd/namespace.js";
export type { FunctionalInputs, TensorFunction, JacobianOptions, ProductOptions } from "./autograd/functional.js";
