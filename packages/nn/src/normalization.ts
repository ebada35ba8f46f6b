/**
 * Normalization layers, PyTorch's `torch.nn.modules.batchnorm` / `instancenorm` / `normalization`:
 * `BatchNorm1d/2d/3d`, `InstanceNorm1d/2d`, `LayerNorm`, `GroupNorm`, `RMSNorm` and
 * `LocalResponseNorm`, with their functional forms `F.batchNorm`, `F.instanceNorm`, `F.layerNorm`,
 * `F.groupNorm`, `F.rmsNorm`, `F.localResponseNorm` and `F.normalize`.
 *
 * batchNorm and layerNorm are fused ops (see `norm-kernels.ts`); groupNorm and instanceNorm reuse
 * them on a reshaped view; rmsNorm, localResponseNorm and normalize are compositions of core ops.
 *
 * State dicts are PyTorch's: `weight`, `bias`, `running_mean`, `running_var`,
 * `num_batches_tracked`, in that order (the fields are camelCase, mapped by
 * {@link Module.stateDictNames}). tsgrad has no int64, so `num_batches_tracked` is an **int32**
 * buffer (PyTorch's is int64); a PyTorch state dict loads into it (values are copied and cast),
 * and it counts up to 2³¹ − 1 batches.
 */
import {
  Tensor, describeValue, noGrad, ones, optionChecks, resolveOptions, typeNameOf, zeros, pad,
  type OptionCheck,
} from "@tsgrad/core";
import { Module, Parameter } from "./module.js";
import { ones_, zeros_ } from "./init.js";
import { fusedBatchNorm, fusedLayerNorm } from "./norm-kernels.js";
import { checkTensor, pyFloat } from "./util.js";

// ------------------------------------------------------------------ shared checks

const fmt = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

function checkFloatInput(op: string, x: unknown): asserts x is Tensor {
  checkTensor(op, x);
  if (x.dtype !== "float32" && x.dtype !== "float64") {
    throw new TypeError(`${op}: expected a floating-point input, got dtype ${x.dtype}`);
  }
}

/** Checks an optional per-feature tensor (weight, bias, running stats): a tensor of `shape` and x's dtype. */
function checkFeatureTensor(op: string, what: string, t: unknown, shape: readonly number[], x: Tensor): asserts t is Tensor | null {
  if (t === null || t === undefined) return;
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor or null, got ${describeValue(t)}`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new RangeError(`${op}: ${what} of shape ${fmt(t.shape)} does not match the input ${fmt(x.shape)}: expected ${fmt(shape)}`);
  }
  if (t.dtype !== x.dtype) throw new TypeError(`${op}: ${what} has dtype ${t.dtype} but the input has ${x.dtype}; cast one of them`);
}

const tensorOrNull: OptionCheck = (op, name, value) => {
  if (value !== null && value !== undefined && !(value instanceof Tensor)) {
    throw new TypeError(`${op}: ${name} must be a Tensor or null, got ${describeValue(value)}`);
  }
};

/** A `normalizedShape` argument (a size or a list of sizes) as a list. */
function normalizedShapeOf(op: string, shape: unknown): number[] {
  const list = typeof shape === "number" ? [shape] : shape;
  if (!Array.isArray(list) || list.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new TypeError(`${op}: normalizedShape must be a size or an array of sizes, got ${describeValue(shape)}`);
  }
  return [...(list as number[])];
}

function checkTrailingShape(op: string, x: Tensor, shape: readonly number[]): void {
  const k = shape.length;
  const ok = x.ndim >= k && shape.every((d, i) => x.shape[x.ndim - k + i] === d);
  if (!ok) {
    throw new RangeError(`${op}: given normalizedShape=${fmt(shape)}, expected input with shape [*, ${shape.join(", ")}], but got input of shape ${fmt(x.shape)}`);
  }
}

/** Per-channel view `[1, C, 1, ...]` of a `[C]` tensor against an input of `ndim` dims. */
function perChannel(t: Tensor, ndim: number): Tensor {
  return t.reshape(Array.from({ length: ndim }, (_, d) => (d === 1 ? t.numel() : 1)));
}

function float64Of(t: Tensor): Float64Array {
  return Float64Array.from(t.detach().contiguous().dataSync());
}

/** In place, without a graph: `stat ← (1 − m)·stat + m·value`. */
function updateRunning(stat: Tensor, value: Float64Array, momentum: number): void {
  noGrad(() => {
    const v = new Tensor(stat.dtype === "float64" ? value : Float32Array.from(value), stat.shape, stat.dtype);
    stat.mul_(1 - momentum).add_(v.mul(momentum));
  });
}

// ------------------------------------------------------------------ F.batchNorm

/**
 * Options of {@link batchNorm}.
 *
 * @example
 * ```ts
 * F.batchNorm(randn([4, 3]), null, null, { training: true, eps: 1e-3 }).shape; // [4, 3]
 * ```
 */
export interface BatchNormOptions {
  /** Per-channel scale `[C]` (default none: 1). */
  weight?: Tensor | null;
  /** Per-channel shift `[C]` (default none: 0). */
  bias?: Tensor | null;
  /** Normalize with the batch's statistics and update the running ones (default false, as PyTorch). */
  training?: boolean;
  /** Weight of the new batch in the running-statistics update (default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

const BATCH_NORM_OPTIONS: Required<BatchNormOptions> = { weight: null, bias: null, training: false, momentum: 0.1, eps: 1e-5 };
const BATCH_NORM_CHECKS = {
  weight: tensorOrNull, bias: tensorOrNull, training: optionChecks.boolean, momentum: optionChecks.finite, eps: optionChecks.nonNegative,
};

/**
 * Batch normalization, PyTorch's `F.batch_norm`: for an input `(N, C, *)` (`(N, C)`, `(N, C, L)`,
 * `(N, C, H, W)`, `(N, C, D, H, W)`), per channel c,
 * `y = (x − mean_c) / √(var_c + eps) · weight_c + bias_c`.
 *
 * With `training: true` the mean and (biased) variance are the batch's, over N and the trailing
 * dims, and `runningMean` / `runningVar` (when given, shape `[C]`) are updated in place:
 * `running ← (1 − momentum)·running + momentum·stat`, with the **unbiased** variance
 * (`var·M/(M − 1)`, M = N·∏spatial) as PyTorch. With `training: false` (the default) the running
 * statistics are used, and required.
 *
 * A fused op: one pass for the statistics and one for the output; its backward is one fused pass
 * (Tensor ops under `createGraph`, so it is twice differentiable).
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 6]]);
 * const rm = zeros([2]);
 * const rv = ones([2]);
 * F.batchNorm(x, rm, rv, { training: true }).toArray(); // [[-0.99999…, -0.99999…], [0.99999…, 0.99999…]]
 * rm.toArray(); // [0.2, 0.4]
 * rv.toArray(); // [1.1, 1.7]
 * ```
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions = {}): Tensor {
  const op = "batchNorm";
  const { weight, bias, training, momentum, eps } = resolveOptions(op, options, BATCH_NORM_OPTIONS, BATCH_NORM_CHECKS);
  checkFloatInput(op, input);
  if (input.ndim < 2) throw new RangeError(`${op}: expected an input of at least 2 dims (N, C, *), got shape ${fmt(input.shape)}`);
  const c = input.shape[1];
  checkFeatureTensor(op, "runningMean", runningMean, [c], input);
  checkFeatureTensor(op, "runningVar", runningVar, [c], input);
  checkFeatureTensor(op, "weight", weight, [c], input);
  checkFeatureTensor(op, "bias", bias, [c], input);
  if ((runningMean == null) !== (runningVar == null)) {
    throw new TypeError(`${op}: runningMean and runningVar must both be given or both be null`);
  }
  const m = input.numel() / Math.max(c, 1);
  if (training) {
    if (m === 1) throw new RangeError(`${op}: expected more than 1 value per channel when training, got input of shape ${fmt(input.shape)}`);
    const { out, mean, variance } = fusedBatchNorm(input, weight, bias, eps, null);
    if (runningMean && runningVar && m > 0) {
      updateRunning(runningMean, mean, momentum);
      updateRunning(runningVar, variance.map((v) => (v * m) / (m - 1)), momentum);
    }
    return out;
  }
  if (!runningMean || !runningVar) {
    throw new TypeError(`${op}: runningMean and runningVar are required when not training (or pass training: true to use the batch statistics)`);
  }
  return fusedBatchNorm(input, weight, bias, eps, { mean: float64Of(runningMean), variance: float64Of(runningVar) }).out;
}

// ------------------------------------------------------------------ F.instanceNorm

/**
 * Options of {@link instanceNorm}.
 *
 * @example
 * ```ts
 * F.instanceNorm(randn([2, 3, 5]), { eps: 1e-3 }).shape; // [2, 3, 5]
 * ```
 */
export interface InstanceNormOptions {
  /** Running mean `[C]` to update (with `useInputStats`) or to normalize with (without). */
  runningMean?: Tensor | null;
  /** Running variance `[C]`, as `runningMean`. */
  runningVar?: Tensor | null;
  /** Per-channel scale `[C]` (default none). */
  weight?: Tensor | null;
  /** Per-channel shift `[C]` (default none). */
  bias?: Tensor | null;
  /** Normalize each instance with its own statistics (default true); false uses the running ones. */
  useInputStats?: boolean;
  /** Weight of the new statistics in the running update (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

const INSTANCE_NORM_OPTIONS: Required<InstanceNormOptions> = {
  runningMean: null, runningVar: null, weight: null, bias: null, useInputStats: true, momentum: 0.1, eps: 1e-5,
};
const INSTANCE_NORM_CHECKS = {
  runningMean: tensorOrNull, runningVar: tensorOrNull, weight: tensorOrNull, bias: tensorOrNull,
  useInputStats: optionChecks.boolean, momentum: optionChecks.finite, eps: optionChecks.nonNegative,
};

/**
 * Instance normalization, PyTorch's `F.instance_norm`: for an input `(N, C, *)`, each instance n
 * and channel c is normalized over its own trailing dims,
 * `y = (x − mean_nc) / √(var_nc + eps) · weight_c + bias_c`.
 *
 * With `useInputStats` (the default) the running statistics, when given, are updated with the
 * mean over N of the per-instance statistics (unbiased variance, as PyTorch); with
 * `useInputStats: false` they are what the input is normalized with.
 *
 * @example
 * ```ts
 * const x = tensor([[[1, 3], [2, 2.5]]]); // (N=1, C=2, L=2)
 * F.instanceNorm(x).toArray(); // [[[-0.99999…, 0.99999…], [-0.99992…, 0.99992…]]]
 * ```
 */
export function instanceNorm(input: Tensor, options: InstanceNormOptions = {}): Tensor {
  const op = "instanceNorm";
  const o = resolveOptions(op, options, INSTANCE_NORM_OPTIONS, INSTANCE_NORM_CHECKS);
  checkFloatInput(op, input);
  if (input.ndim < 3) throw new RangeError(`${op}: expected an input of at least 3 dims (N, C, *), got shape ${fmt(input.shape)}`);
  const [n, c] = input.shape;
  for (const [what, t] of [["runningMean", o.runningMean], ["runningVar", o.runningVar], ["weight", o.weight], ["bias", o.bias]] as const) {
    checkFeatureTensor(op, what, t, [c], input);
  }
  if ((o.runningMean == null) !== (o.runningVar == null)) throw new TypeError(`${op}: runningMean and runningVar must both be given or both be null`);
  let y: Tensor;
  if (o.useInputStats) {
    const s = input.numel() / Math.max(n * c, 1);
    if (s === 1) throw new RangeError(`${op}: expected more than 1 spatial element when training, got input of shape ${fmt(input.shape)}`);
    // Each (n, c) is a channel of a batch of one.
    const folded = fusedBatchNorm(input.reshape([1, n * c, ...input.shape.slice(2)]), null, null, o.eps, null);
    y = folded.out.reshape(input.shape);
    if (o.runningMean && o.runningVar && input.numel() > 0) {
      const meanOverN = (v: Float64Array, scale: number): Float64Array => {
        const r = new Float64Array(c);
        for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) r[j] += (v[i * c + j] * scale) / n;
        return r;
      };
      updateRunning(o.runningMean, meanOverN(folded.mean, 1), o.momentum);
      updateRunning(o.runningVar, meanOverN(folded.variance, s / (s - 1)), o.momentum);
    }
  } else {
    if (!o.runningMean || !o.runningVar) throw new TypeError(`${op}: useInputStats: false needs runningMean and runningVar`);
    y = fusedBatchNorm(input, null, null, o.eps, { mean: float64Of(o.runningMean), variance: float64Of(o.runningVar) }).out;
  }
  if (o.weight) y = y.mul(perChannel(o.weight, input.ndim));
  if (o.bias) y = y.add(perChannel(o.bias, input.ndim));
  return y;
}

// ------------------------------------------------------------------ F.layerNorm, groupNorm, rmsNorm

/**
 * Options of {@link layerNorm}.
 *
 * @example
 * ```ts
 * F.layerNorm(randn([2, 4]), [4], { weight: ones([4]), eps: 1e-6 }).shape; // [2, 4]
 * ```
 */
export interface LayerNormOptions {
  /** Elementwise scale of shape `normalizedShape` (default none). */
  weight?: Tensor | null;
  /** Elementwise shift of shape `normalizedShape` (default none). */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

const LAYER_NORM_OPTIONS: Required<LayerNormOptions> = { weight: null, bias: null, eps: 1e-5 };
const LAYER_NORM_CHECKS = { weight: tensorOrNull, bias: tensorOrNull, eps: optionChecks.nonNegative };

/**
 * Layer normalization, PyTorch's `F.layer_norm`: normalizes over the last
 * `normalizedShape.length` dims, `y = (x − mean) / √(var + eps) · weight + bias`, with the
 * (biased) mean and variance of each `[*, ...normalizedShape]` slice; `weight` and `bias` have
 * shape `normalizedShape`. A fused op with a fused backward (Tensor ops under `createGraph`).
 *
 * @example
 * ```ts
 * F.layerNorm(tensor([[1, 2, 3], [2, 2, 2]]), [3]).toArray(); // [[-1.22474…, 0, 1.22474…], [0, 0, 0]]
 * ```
 */
export function layerNorm(input: Tensor, normalizedShape: number | readonly number[], options: LayerNormOptions = {}): Tensor {
  const op = "layerNorm";
  const { weight, bias, eps } = resolveOptions(op, options, LAYER_NORM_OPTIONS, LAYER_NORM_CHECKS);
  checkFloatInput(op, input);
  const shape = normalizedShapeOf(op, normalizedShape);
  checkTrailingShape(op, input, shape);
  checkFeatureTensor(op, "weight", weight, shape, input);
  checkFeatureTensor(op, "bias", bias, shape, input);
  return fusedLayerNorm(input, shape.length, weight, bias, eps).out;
}

/**
 * Options of {@link groupNorm}.
 *
 * @example
 * ```ts
 * F.groupNorm(randn([2, 4, 3]), 2, { bias: zeros([4]) }).shape; // [2, 4, 3]
 * ```
 */
export interface GroupNormOptions {
  /** Per-channel scale `[C]` (default none). */
  weight?: Tensor | null;
  /** Per-channel shift `[C]` (default none). */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Group normalization, PyTorch's `F.group_norm`: the C channels of an input `(N, C, *)` are split
 * into `numGroups` groups, each `(n, group)` normalized over its channels and trailing dims, then
 * scaled and shifted per channel: `y = (x − mean_ng) / √(var_ng + eps) · weight_c + bias_c`.
 * C must be divisible by `numGroups`.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 3, 10, 20]]);   // (N=1, C=4)
 * F.groupNorm(x, 2).toArray();          // [[-0.99999…, 0.99999…, -0.99999…, 0.99999…]]
 * ```
 */
export function groupNorm(input: Tensor, numGroups: number, options: GroupNormOptions = {}): Tensor {
  const op = "groupNorm";
  const { weight, bias, eps } = resolveOptions(op, options, LAYER_NORM_OPTIONS, LAYER_NORM_CHECKS);
  checkFloatInput(op, input);
  optionChecks.intAtLeast(1)(op, "numGroups", numGroups);
  if (input.ndim < 2) throw new RangeError(`${op}: expected an input of at least 2 dims (N, C, *), got shape ${fmt(input.shape)}`);
  const [n, c] = input.shape;
  if (c % numGroups !== 0) {
    throw new RangeError(`${op}: expected the number of channels to be divisible by numGroups, but got input of shape ${fmt(input.shape)} and numGroups=${numGroups}`);
  }
  checkFeatureTensor(op, "weight", weight, [c], input);
  checkFeatureTensor(op, "bias", bias, [c], input);
  const perGroup = (c / numGroups) * input.shape.slice(2).reduce((p, d) => p * d, 1);
  let y = fusedLayerNorm(input.reshape([n, numGroups, perGroup]), 1, null, null, eps).out.reshape(input.shape);
  if (weight) y = y.mul(perChannel(weight, input.ndim));
  if (bias) y = y.add(perChannel(bias, input.ndim));
  return y;
}

/**
 * Options of {@link rmsNorm}.
 *
 * @example
 * ```ts
 * F.rmsNorm(randn([2, 4]), [4], { eps: 1e-6 }).shape; // [2, 4]
 * ```
 */
export interface RMSNormOptions {
  /** Elementwise scale of shape `normalizedShape` (default none). */
  weight?: Tensor | null;
  /** Added to the mean square; null (default) is the dtype's machine epsilon, as PyTorch 2.4. */
  eps?: number | null;
}

const RMS_NORM_OPTIONS: Required<RMSNormOptions> = { weight: null, eps: null };
const RMS_NORM_CHECKS = { weight: tensorOrNull, eps: optionChecks.nullable(optionChecks.nonNegative) };

/** `torch.finfo(dtype).eps`. */
function machineEps(dtype: "float32" | "float64"): number {
  return dtype === "float64" ? Number.EPSILON : 2 ** -23;
}

/**
 * Root-mean-square normalization, PyTorch's `F.rms_norm` (PyTorch ≥ 2.4): over the last
 * `normalizedShape.length` dims, `y = x / √(mean(x²) + eps) · weight`. `eps = null` (the default)
 * uses the dtype's machine epsilon (`2⁻²³` in float32, `2⁻⁵²` in float64). A composition of core ops.
 *
 * @example
 * ```ts
 * F.rmsNorm(tensor([[3, 4]], { dtype: "float64" }), [2]).toArray(); // [[0.8485…, 1.1313…]]
 * ```
 */
export function rmsNorm(input: Tensor, normalizedShape: number | readonly number[], options: RMSNormOptions = {}): Tensor {
  const op = "rmsNorm";
  const { weight, eps } = resolveOptions(op, options, RMS_NORM_OPTIONS, RMS_NORM_CHECKS);
  checkFloatInput(op, input);
  const shape = normalizedShapeOf(op, normalizedShape);
  checkTrailingShape(op, input, shape);
  checkFeatureTensor(op, "weight", weight, shape, input);
  const dims = shape.map((_, i) => input.ndim - shape.length + i);
  const e = eps ?? machineEps(input.dtype as "float32" | "float64");
  const y = dims.length === 0 ? input.mul(input.square().add(e).rsqrt()) : input.mul(input.square().mean(dims, true).add(e).rsqrt());
  return weight ? y.mul(weight) : y;
}

// ------------------------------------------------------------------ F.localResponseNorm, normalize

/**
 * Options of {@link localResponseNorm} and {@link LocalResponseNorm}.
 *
 * @example
 * ```ts
 * new LocalResponseNorm(3, { alpha: 1e-3, beta: 0.5, k: 2 }).forward(randn([1, 4, 2])).shape; // [1, 4, 2]
 * ```
 * @group Normalization
 */
export interface LocalResponseNormOptions {
  /** Multiplicative factor (default 1e-4). */
  alpha?: number;
  /** Exponent (default 0.75). */
  beta?: number;
  /** Additive factor (default 1). */
  k?: number;
}

const LRN_OPTIONS: Required<LocalResponseNormOptions> = { alpha: 1e-4, beta: 0.75, k: 1 };
const LRN_CHECKS = { alpha: optionChecks.finite, beta: optionChecks.finite, k: optionChecks.finite };

/**
 * Local response normalization across channels, PyTorch's `F.local_response_norm`: for an input
 * `(N, C, *)` (at least 3 dims),
 * `y_c = x_c / (k + alpha/size · Σ_{c' ∈ window(c)} x_{c'}²)^beta`, the window being the `size`
 * channels from `c − ⌊size/2⌋` to `c + ⌊(size − 1)/2⌋`, zero past the edges (the average always
 * divides by `size`, as PyTorch's zero-padded average pool).
 *
 * @example
 * ```ts
 * const x = tensor([[[1], [2], [3]]]);     // (N=1, C=3, L=1)
 * F.localResponseNorm(x, 2, { alpha: 1, beta: 1, k: 1 }).toArray(); // [[[0.6666…], [0.5714…], [0.4]]]
 * ```
 */
export function localResponseNorm(input: Tensor, size: number, options: LocalResponseNormOptions = {}): Tensor {
  const op = "localResponseNorm";
  const { alpha, beta, k } = resolveOptions(op, options, LRN_OPTIONS, LRN_CHECKS);
  checkFloatInput(op, input);
  optionChecks.intAtLeast(1)(op, "size", size);
  if (input.ndim < 3) throw new RangeError(`${op}: expected an input of 3 or more dims (N, C, *), got shape ${fmt(input.shape)}`);
  if (input.numel() === 0) return input;
  const c = input.shape[1];
  // Zero-pad the squares along the channel dim (moved last for pad), then sum `size` shifted windows.
  const last = input.ndim - 1;
  const before = Math.floor(size / 2);
  const after = Math.floor((size - 1) / 2);
  const padded = pad(input.square().transpose(1, last), [before, after]).transpose(1, last);
  let window = padded.narrow(1, 0, c);
  for (let j = 1; j < size; j++) window = window.add(padded.narrow(1, j, c));
  return input.div(window.mul(alpha / size).add(k).pow(beta));
}

/**
 * Options of {@link normalize}.
 *
 * @example
 * ```ts
 * F.normalize(tensor([[3, 4]]), { p: 1 }).toArray(); // [[0.42857…, 0.57142…]]
 * ```
 */
export interface NormalizeOptions {
  /** The exponent of the norm (default 2). */
  p?: number;
  /** The dim to normalize along (default 1). */
  dim?: number;
  /** Lower bound of the divisor (default 1e-12). */
  eps?: number;
}

const NORMALIZE_OPTIONS: Required<NormalizeOptions> = { p: 2, dim: 1, eps: 1e-12 };
const NORMALIZE_CHECKS = { p: optionChecks.number, dim: optionChecks.integer, eps: optionChecks.nonNegative };

/**
 * Lp normalization along a dim, PyTorch's `F.normalize`: `y = x / max(‖x‖_p, eps)`, the norm
 * taken along `dim` (default 1) and broadcast back.
 *
 * @example
 * ```ts
 * F.normalize(tensor([[3, 4], [0, 0]])).toArray(); // [[0.6, 0.8], [0, 0]]
 * ```
 */
export function normalize(input: Tensor, options: NormalizeOptions = {}): Tensor {
  const op = "normalize";
  const { p, dim, eps } = resolveOptions(op, options, NORMALIZE_OPTIONS, NORMALIZE_CHECKS);
  checkFloatInput(op, input);
  return input.div(input.norm(p, dim, true).clamp(eps, null));
}

// ------------------------------------------------------------------ layers

/**
 * Options of the batch-norm layers ({@link BatchNorm1d}, ...) and the instance-norm layers.
 *
 * @example
 * ```ts
 * new BatchNorm1d(8, { momentum: null, affine: false, dtype: "float64" }).weight; // null
 * ```
 * @group Normalization
 */
export interface BatchNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of a new batch in the running statistics (default 0.1); null: a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel `weight` and `bias` (default true for batch norm, false for instance norm). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true for batch norm, false for instance norm). */
  trackRunningStats?: boolean;
  /** dtype of the parameters and running statistics (default float32). */
  dtype?: "float32" | "float64";
}

const NORM_LAYER_CHECKS = {
  eps: optionChecks.nonNegative, momentum: optionChecks.nullable(optionChecks.finite), affine: optionChecks.boolean,
  trackRunningStats: optionChecks.boolean, dtype: optionChecks.floatDType,
};

/**
 * What batch norm and instance norm share, PyTorch's `_NormBase`: the per-channel `weight` and
 * `bias` (with `affine`), the running statistics `runningMean`, `runningVar` and
 * `numBatchesTracked` (with `trackRunningStats`), saved as PyTorch's `weight`, `bias`,
 * `running_mean`, `running_var`, `num_batches_tracked`. `numBatchesTracked` is an int32 buffer
 * (tsgrad has no int64; see the file's notes).
 *
 * @example
 * ```ts
 * const bn: NormBase = new BatchNorm1d(3);
 * Object.keys(bn.stateDict()); // ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
 * ```
 * @group Normalization
 */
export abstract class NormBase extends Module {
  static override readonly typeName: string = "NormBase";
  static override readonly stateDictNames: Readonly<Record<string, string>> = {
    runningMean: "running_mean", runningVar: "running_var", numBatchesTracked: "num_batches_tracked",
  };
  /** Number of channels C. */
  readonly numFeatures: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Weight of a new batch in the running statistics; null for a cumulative average. */
  readonly momentum: number | null;
  /** Whether `weight` and `bias` are learned. */
  readonly affine: boolean;
  /** Whether running statistics are kept. */
  readonly trackRunningStats: boolean;
  /** Per-channel scale `[C]` (ones at first), or null without `affine`. */
  weight: Parameter | null;
  /** Per-channel shift `[C]` (zeros at first), or null without `affine`. */
  bias: Parameter | null;
  /** Running mean `[C]` (zeros at first), or null without `trackRunningStats`. */
  runningMean: Tensor | null;
  /** Running (unbiased) variance `[C]` (ones at first), or null without `trackRunningStats`. */
  runningVar: Tensor | null;
  /** Number of training batches seen, a 0-d int32 tensor, or null without `trackRunningStats`. */
  numBatchesTracked: Tensor | null;

  /** `defaults` are the subclass family's; errors name the concrete class (its `typeName`). */
  protected constructor(numFeatures: number, options: BatchNormLayerOptions, defaults: Required<BatchNormLayerOptions>) {
    super();
    const op = typeNameOf(this);
    const o = resolveOptions(op, options, defaults, NORM_LAYER_CHECKS);
    optionChecks.intAtLeast(0)(op, "numFeatures", numFeatures);
    this.numFeatures = numFeatures;
    this.eps = o.eps;
    this.momentum = o.momentum;
    this.affine = o.affine;
    this.trackRunningStats = o.trackRunningStats;
    this.weight = o.affine ? new Parameter(ones([numFeatures], { dtype: o.dtype })) : null;
    this.bias = o.affine ? new Parameter(zeros([numFeatures], { dtype: o.dtype })) : null;
    const track = o.trackRunningStats;
    this.runningMean = this.registerBuffer("runningMean", track ? zeros([numFeatures], { dtype: o.dtype }) : null);
    this.runningVar = this.registerBuffer("runningVar", track ? ones([numFeatures], { dtype: o.dtype }) : null);
    this.numBatchesTracked = this.registerBuffer("numBatchesTracked", track ? zeros([], { dtype: "int32" }) : null);
  }

  /**
   * Running statistics back to mean 0, variance 1 and 0 batches.
   *
   * @example
   * ```ts
   * const bn = new BatchNorm1d(2);
   * bn.forward(randn([4, 2]));
   * bn.resetRunningStats();
   * bn.numBatchesTracked!.item(); // 0
   * ```
   */
  resetRunningStats(): void {
    noGrad(() => {
      this.runningMean?.zero_();
      this.runningVar?.fill_(1);
      this.numBatchesTracked?.zero_();
    });
  }

  /**
   * Running statistics reset, `weight` ones and `bias` zeros (PyTorch's default init).
   *
   * @example
   * ```ts
   * const bn = new BatchNorm1d(2);
   * bn.resetParameters();
   * bn.runningVar!.toArray(); // [1, 1]
   * ```
   */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  /** The input dims this layer takes, e.g. `[2, 3]` for BatchNorm1d. */
  protected abstract readonly inputDims: readonly number[];
  /** The input layout named in errors, e.g. `"(N, C, H, W)"`. */
  protected abstract readonly layout: string;

  protected checkInput(x: unknown): asserts x is Tensor {
    checkTensor(typeNameOf(this), x);
    if (!this.inputDims.includes(x.ndim)) {
      throw new RangeError(`${typeNameOf(this)}: expected ${this.inputDims.map((d) => `${d}D`).join(" or ")} input ${this.layout}, got ${x.ndim}D input of shape ${fmt(x.shape)}`);
    }
  }

  override extraRepr(): string {
    const momentum = this.momentum === null ? "null" : pyFloat(this.momentum);
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

const BATCH_NORM_DEFAULTS: Required<BatchNormLayerOptions> = { eps: 1e-5, momentum: 0.1, affine: true, trackRunningStats: true, dtype: "float32" };

/**
 * What the batch-norm layers share, PyTorch's `_BatchNorm`: {@link batchNorm} with this layer's
 * statistics. In training mode (or without running statistics) it normalizes with the batch's
 * statistics and, with `trackRunningStats`, updates the running ones and counts the batch; with
 * `momentum: null` the running statistics are the cumulative average (the factor is
 * `1 / numBatchesTracked`). In eval mode it normalizes with the running statistics.
 *
 * @example
 * ```ts
 * const layers: BatchNorm[] = [new BatchNorm1d(3), new BatchNorm2d(3)];
 * layers.map((l) => l.numFeatures); // [3, 3]
 * ```
 * @group Normalization
 */
export abstract class BatchNorm extends NormBase {
  static override readonly typeName: string = "BatchNorm";

  /** See the concrete layers for the options and their defaults. */
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, BATCH_NORM_DEFAULTS);
  }

  /** Normalizes `x` (see the class), channel dim 1. */
  forward(x: Tensor): Tensor {
    this.checkInput(x);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.numBatchesTracked) {
      noGrad(() => this.numBatchesTracked!.add_(1));
      if (this.momentum === null) factor = 1 / this.numBatchesTracked.item();
    }
    const useBatch = this.training || (this.runningMean === null && this.runningVar === null);
    const keep = !this.training || this.trackRunningStats;
    return batchNorm(x, keep ? this.runningMean : null, keep ? this.runningVar : null, {
      weight: this.weight, bias: this.bias, training: useBatch, momentum: factor, eps: this.eps,
    });
  }
}

/**
 * Batch normalization over a 2D or 3D input `(N, C)` or `(N, C, L)`, PyTorch's `nn.BatchNorm1d`:
 * `y = (x − E[x]) / √(Var[x] + eps) · weight + bias` per channel (see {@link BatchNorm} for
 * train/eval and {@link batchNorm} for the formula). Defaults as PyTorch: `eps = 1e-5`,
 * `momentum = 0.1`, `affine = true`, `trackRunningStats = true`; `weight` ones, `bias` zeros.
 *
 * @example
 * ```ts
 * const bn = new BatchNorm1d(2);
 * const y = bn.forward(tensor([[1, 10], [3, 30], [5, 50]]));
 * y.mean(0).toArray();      // ≈ [0, 0]
 * bn.runningMean!.toArray(); // [0.3, 3]
 * bn.numBatchesTracked!.item(); // 1
 * String(bn); // "BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=true, trackRunningStats=true)"
 * ```
 * @group Normalization
 */
export class BatchNorm1d extends BatchNorm {
  static override readonly typeName: string = "BatchNorm1d";
  protected readonly inputDims = [2, 3];
  protected readonly layout = "(N, C) or (N, C, L)";
}

/**
 * Batch normalization over a 4D input `(N, C, H, W)`, PyTorch's `nn.BatchNorm2d`: per channel
 * over N, H and W (see {@link BatchNorm1d} for the defaults and {@link BatchNorm} for train/eval).
 *
 * @example
 * ```ts
 * const bn = new BatchNorm2d(3, { momentum: null }); // cumulative average of the batch statistics
 * bn.forward(randn([4, 3, 5, 5]));
 * bn.eval().forward(randn([1, 3, 5, 5])).shape; // [1, 3, 5, 5]
 * ```
 * @group Normalization
 */
export class BatchNorm2d extends BatchNorm {
  static override readonly typeName: string = "BatchNorm2d";
  protected readonly inputDims = [4];
  protected readonly layout = "(N, C, H, W)";
}

/**
 * Batch normalization over a 5D input `(N, C, D, H, W)`, PyTorch's `nn.BatchNorm3d` (see
 * {@link BatchNorm1d} for the defaults and {@link BatchNorm} for train/eval).
 *
 * @example
 * ```ts
 * new BatchNorm3d(2, { affine: false }).forward(randn([2, 2, 3, 3, 3])).shape; // [2, 2, 3, 3, 3]
 * ```
 * @group Normalization
 */
export class BatchNorm3d extends BatchNorm {
  static override readonly typeName: string = "BatchNorm3d";
  protected readonly inputDims = [5];
  protected readonly layout = "(N, C, D, H, W)";
}

const INSTANCE_NORM_DEFAULTS: Required<BatchNormLayerOptions> = { eps: 1e-5, momentum: 0.1, affine: false, trackRunningStats: false, dtype: "float32" };

/**
 * What the instance-norm layers share, PyTorch's `_InstanceNorm`: {@link instanceNorm} with this
 * layer's parameters. Takes a batched `(N, C, *)` or an unbatched `(C, *)` input. In training
 * mode (or without running statistics) each instance is normalized with its own statistics and
 * the running ones, if kept, are updated; in eval mode with `trackRunningStats` the running ones
 * are used. As PyTorch, `numBatchesTracked` is saved but not counted, and `momentum` must be a number.
 *
 * @example
 * ```ts
 * const layers: InstanceNorm[] = [new InstanceNorm1d(3), new InstanceNorm2d(3)];
 * layers.map((l) => l.affine); // [false, false]
 * ```
 * @group Normalization
 */
export abstract class InstanceNorm extends NormBase {
  static override readonly typeName: string = "InstanceNorm";

  /** See the concrete layers for the options and their defaults. */
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, INSTANCE_NORM_DEFAULTS);
    if (this.momentum === null) throw new TypeError(`${typeNameOf(this)}: momentum must be a number (instance norm has no cumulative average), got null`);
  }

  /** Normalizes `x` (see the class), channel dim 1 (dim 0 when unbatched). */
  forward(x: Tensor): Tensor {
    this.checkInput(x);
    const unbatched = x.ndim === this.inputDims[0];
    const input = unbatched ? x.unsqueeze(0) : x;
    if ((this.affine || this.trackRunningStats) && input.shape[1] !== this.numFeatures) {
      throw new RangeError(`${typeNameOf(this)}: expected input's size at dim ${unbatched ? 0 : 1} to match numFeatures (${this.numFeatures}), but got input of shape ${fmt(x.shape)}`);
    }
    const y = instanceNorm(input, {
      runningMean: this.runningMean, runningVar: this.runningVar, weight: this.weight, bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats, momentum: this.momentum!, eps: this.eps,
    });
    return unbatched ? y.squeeze(0) : y;
  }
}

/**
 * Instance normalization over `(N, C, L)` or unbatched `(C, L)`, PyTorch's `nn.InstanceNorm1d`:
 * each instance and channel normalized over L (see {@link InstanceNorm}, {@link instanceNorm}).
 * Defaults as PyTorch: `eps = 1e-5`, `momentum = 0.1`, `affine = false`, `trackRunningStats = false`.
 *
 * @example
 * ```ts
 * const norm = new InstanceNorm1d(2, { affine: true });
 * norm.forward(randn([4, 2, 8])).mean(-1).abs().max().item(); // ≈ 0
 * String(norm); // "InstanceNorm1d(2, eps=1e-05, momentum=0.1, affine=true, trackRunningStats=false)"
 * ```
 * @group Normalization
 */
export class InstanceNorm1d extends InstanceNorm {
  static override readonly typeName: string = "InstanceNorm1d";
  protected readonly inputDims = [2, 3];
  protected readonly layout = "(C, L) or (N, C, L)";
}

/**
 * Instance normalization over `(N, C, H, W)` or unbatched `(C, H, W)`, PyTorch's
 * `nn.InstanceNorm2d` (see {@link InstanceNorm1d} for the defaults).
 *
 * @example
 * ```ts
 * new InstanceNorm2d(3, { trackRunningStats: true }).forward(randn([2, 3, 4, 4])).shape; // [2, 3, 4, 4]
 * ```
 * @group Normalization
 */
export class InstanceNorm2d extends InstanceNorm {
  static override readonly typeName: string = "InstanceNorm2d";
  protected readonly inputDims = [3, 4];
  protected readonly layout = "(C, H, W) or (N, C, H, W)";
}

/**
 * Options of {@link LayerNorm}.
 *
 * @example
 * ```ts
 * Object.keys(new LayerNorm(4, { bias: false }).stateDict()); // ["weight"]
 * ```
 * @group Normalization
 */
export interface LayerNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn an elementwise `weight` (and `bias`) of shape `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
  /** With `elementwiseAffine`, also learn the `bias` (default true; PyTorch ≥ 2.1). */
  bias?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: "float32" | "float64";
}

/**
 * Layer normalization over the last dims, PyTorch's `nn.LayerNorm`: for an input
 * `(*, ...normalizedShape)`, {@link layerNorm} with a learned elementwise `weight` (ones) and
 * `bias` (zeros) of shape `normalizedShape`. The statistics are always the input's own (no
 * running statistics, the same in train and eval). Defaults as PyTorch: `eps = 1e-5`,
 * `elementwiseAffine = true`, `bias = true`.
 *
 * @example
 * ```ts
 * const ln = new LayerNorm(4);
 * ln.forward(randn([2, 3, 4])).shape; // [2, 3, 4]
 * String(ln); // "LayerNorm([4], eps=1e-05, elementwiseAffine=true)"
 * ```
 * @group Normalization
 */
export class LayerNorm extends Module {
  static override readonly typeName: string = "LayerNorm";
  /** The trailing shape normalized over. */
  readonly normalizedShape: readonly number[];
  /** Added to the variance. */
  readonly eps: number;
  /** Whether `weight` (and `bias`) are learned. */
  readonly elementwiseAffine: boolean;
  /** Elementwise scale of shape `normalizedShape`, or null. */
  weight: Parameter | null;
  /** Elementwise shift of shape `normalizedShape`, or null. */
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormLayerOptions = {}) {
    super();
    const o = resolveOptions("LayerNorm", options, { eps: 1e-5, elementwiseAffine: true, bias: true, dtype: "float32" as "float32" | "float64" }, {
      eps: optionChecks.nonNegative, elementwiseAffine: optionChecks.boolean, bias: optionChecks.boolean, dtype: optionChecks.floatDType,
    });
    this.normalizedShape = normalizedShapeOf("LayerNorm", normalizedShape);
    this.eps = o.eps;
    this.elementwiseAffine = o.elementwiseAffine;
    this.weight = o.elementwiseAffine ? new Parameter(ones(this.normalizedShape, { dtype: o.dtype })) : null;
    this.bias = o.elementwiseAffine && o.bias ? new Parameter(zeros(this.normalizedShape, { dtype: o.dtype })) : null;
  }

  /**
   * `weight` ones and `bias` zeros (PyTorch's default init).
   *
   * @example
   * ```ts
   * const ln = new LayerNorm(3);
   * ln.resetParameters();
   * ln.weight!.toArray(); // [1, 1, 1]
   * ```
   */
  resetParameters(): void {
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  /** {@link layerNorm} of `x` `(*, ...normalizedShape)`. */
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(", ")}], eps=${pyFloat(this.eps)}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}

/**
 * Options of {@link GroupNorm}.
 *
 * @example
 * ```ts
 * new GroupNorm(2, 4, { affine: false }).parameters().length; // 0
 * ```
 * @group Normalization
 */
export interface GroupNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-channel `weight` and `bias` (default true). */
  affine?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: "float32" | "float64";
}

/**
 * Group normalization, PyTorch's `nn.GroupNorm`: {@link groupNorm} of an input `(N, C, *)` with
 * `numGroups` groups and a learned per-channel `weight` (ones) and `bias` (zeros) of shape `[C]`.
 * `numChannels` must be divisible by `numGroups`. Defaults: `eps = 1e-5`, `affine = true`.
 *
 * @example
 * ```ts
 * const gn = new GroupNorm(2, 4);
 * gn.forward(randn([3, 4, 5, 5])).shape; // [3, 4, 5, 5]
 * String(gn); // "GroupNorm(2, 4, eps=1e-05, affine=true)"
 * ```
 * @group Normalization
 */
export class GroupNorm extends Module {
  static override readonly typeName: string = "GroupNorm";
  /** Number of groups the channels are split into. */
  readonly numGroups: number;
  /** Number of channels C. */
  readonly numChannels: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Whether `weight` and `bias` are learned. */
  readonly affine: boolean;
  /** Per-channel scale `[C]`, or null. */
  weight: Parameter | null;
  /** Per-channel shift `[C]`, or null. */
  bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, options: GroupNormLayerOptions = {}) {
    super();
    const o = resolveOptions("GroupNorm", options, { eps: 1e-5, affine: true, dtype: "float32" as "float32" | "float64" }, {
      eps: optionChecks.nonNegative, affine: optionChecks.boolean, dtype: optionChecks.floatDType,
    });
    optionChecks.intAtLeast(1)("GroupNorm", "numGroups", numGroups);
    optionChecks.intAtLeast(0)("GroupNorm", "numChannels", numChannels);
    if (numChannels % numGroups !== 0) throw new RangeError(`GroupNorm: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = o.eps;
    this.affine = o.affine;
    this.weight = o.affine ? new Parameter(ones([numChannels], { dtype: o.dtype })) : null;
    this.bias = o.affine ? new Parameter(zeros([numChannels], { dtype: o.dtype })) : null;
  }

  /**
   * `weight` ones and `bias` zeros (PyTorch's default init).
   *
   * @example
   * ```ts
   * const gn = new GroupNorm(1, 2);
   * gn.resetParameters();
   * gn.bias!.toArray(); // [0, 0]
   * ```
   */
  resetParameters(): void {
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  /** {@link groupNorm} of `x` `(N, C, *)`. */
  forward(x: Tensor): Tensor {
    checkTensor("GroupNorm", x);
    if (x.ndim >= 2 && x.shape[1] !== this.numChannels) {
      throw new RangeError(`GroupNorm: expected input with ${this.numChannels} channels (dim 1), got input of shape ${fmt(x.shape)}`);
    }
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${this.affine}`;
  }
}

/**
 * Options of {@link RMSNorm}.
 *
 * @example
 * ```ts
 * String(new RMSNorm(4, { eps: 1e-6 })); // "RMSNorm([4], eps=1e-06, elementwiseAffine=true)"
 * ```
 * @group Normalization
 */
export interface RMSNormLayerOptions {
  /** Added to the mean square; null (default): the input dtype's machine epsilon. */
  eps?: number | null;
  /** Learn an elementwise `weight` of shape `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
  /** dtype of the weight (default float32). */
  dtype?: "float32" | "float64";
}

/**
 * Root-mean-square normalization over the last dims, PyTorch's `nn.RMSNorm` (PyTorch ≥ 2.4):
 * {@link rmsNorm} of an input `(*, ...normalizedShape)` with a learned elementwise `weight`
 * (ones). Defaults: `eps = null` (machine epsilon), `elementwiseAffine = true`.
 *
 * @example
 * ```ts
 * const norm = new RMSNorm([4]);
 * norm.forward(randn([2, 4])).square().mean(-1).toArray(); // ≈ [1, 1]
 * String(norm); // "RMSNorm([4], eps=null, elementwiseAffine=true)"
 * ```
 * @group Normalization
 */
export class RMSNorm extends Module {
  static override readonly typeName: string = "RMSNorm";
  /** The trailing shape normalized over. */
  readonly normalizedShape: readonly number[];
  /** Added to the mean square, or null for the dtype's machine epsilon. */
  readonly eps: number | null;
  /** Whether `weight` is learned. */
  readonly elementwiseAffine: boolean;
  /** Elementwise scale of shape `normalizedShape`, or null. */
  weight: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: RMSNormLayerOptions = {}) {
    super();
    const o = resolveOptions("RMSNorm", options, { eps: null as number | null, elementwiseAffine: true, dtype: "float32" as "float32" | "float64" }, {
      eps: optionChecks.nullable(optionChecks.nonNegative), elementwiseAffine: optionChecks.boolean, dtype: optionChecks.floatDType,
    });
    this.normalizedShape = normalizedShapeOf("RMSNorm", normalizedShape);
    this.eps = o.eps;
    this.elementwiseAffine = o.elementwiseAffine;
    this.weight = o.elementwiseAffine ? new Parameter(ones(this.normalizedShape, { dtype: o.dtype })) : null;
  }

  /**
   * `weight` ones (PyTorch's default init).
   *
   * @example
   * ```ts
   * const norm = new RMSNorm(2);
   * norm.resetParameters();
   * norm.weight!.toArray(); // [1, 1]
   * ```
   */
  resetParameters(): void {
    if (this.weight) ones_(this.weight);
  }

  /** {@link rmsNorm} of `x` `(*, ...normalizedShape)`. */
  forward(x: Tensor): Tensor {
    return rmsNorm(x, this.normalizedShape, { weight: this.weight, eps: this.eps });
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(", ")}], eps=${this.eps === null ? "null" : pyFloat(this.eps)}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}

/**
 * Local response normalization across channels, PyTorch's `nn.LocalResponseNorm`:
 * {@link localResponseNorm} of an input `(N, C, *)` over windows of `size` channels. No
 * parameters. Defaults as PyTorch: `alpha = 1e-4`, `beta = 0.75`, `k = 1`.
 *
 * @example
 * ```ts
 * const lrn = new LocalResponseNorm(2);
 * lrn.forward(randn([1, 4, 3, 3])).shape; // [1, 4, 3, 3]
 * String(lrn); // "LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)"
 * ```
 * @group Normalization
 */
export class LocalResponseNorm extends Module {
  static override readonly typeName: string = "LocalResponseNorm";
  /** Number of neighbouring channels summed over. */
  readonly size: number;
  /** Multiplicative factor. */
  readonly alpha: number;
  /** Exponent. */
  readonly beta: number;
  /** Additive factor. */
  readonly k: number;

  constructor(size: number, options: LocalResponseNormOptions = {}) {
    super();
    const o = resolveOptions("LocalResponseNorm", options, LRN_OPTIONS, LRN_CHECKS);
    optionChecks.intAtLeast(1)("LocalResponseNorm", "size", size);
    this.size = size;
    this.alpha = o.alpha;
    this.beta = o.beta;
    this.k = o.k;
  }

  /** {@link localResponseNorm} of `x` `(N, C, *)`. */
  forward(x: Tensor): Tensor {
    return localResponseNorm(x, this.size, { alpha: this.alpha, beta: this.beta, k: this.k });
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}
