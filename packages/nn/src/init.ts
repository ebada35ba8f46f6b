/**
 * Weight initialisers, PyTorch's `torch.nn.init` with the same formulas. Each fills its tensor in
 * place without recording a graph (so it works on parameters), takes an optional seeded
 * `Generator`, and returns the tensor.
 */
import {
  Tensor, Generator, noGrad, uniformFill_, normalFill_, isFloatingPoint, optionChecks, resolveOptions, randperm, zeros, tensor,
} from "@tsgrad/core";
import { checkTensor, checkNumber, generatorCheck } from "./util.js";

/** Nonlinearity names accepted by {@link calculateGain} (PyTorch's, camelCased). @group Initialization */
export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "convTranspose1d" | "convTranspose2d" | "convTranspose3d"
  | "sigmoid" | "tanh" | "relu" | "leakyRelu" | "selu";

/** Which fan {@link kaimingUniform_} / {@link kaimingNormal_} scale by. @group Initialization */
export type FanMode = "fanIn" | "fanOut";

/**
 * Options of the Xavier (Glorot) initialisers {@link xavierUniform_} and {@link xavierNormal_}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `gain` | `1` | `gain` |
 * | `generator` | the global generator | `generator` |
 *
 * @example
 * ```ts
 * const w = empty([3, 5]);
 * init.xavierUniform_(w, { gain: init.calculateGain("tanh"), generator: new Generator(0) });
 * w.abs().max().item() <= (5 / 3) * Math.sqrt(6 / 8); // → true
 * ```
 * @group Initialization
 */
export interface XavierOptions {
  /** Scale factor (default 1), e.g. `calculateGain("tanh")`. */
  gain?: number;
  /** Source of randomness (the global generator by default). */
  generator?: Generator;
}

/**
 * Options of the Kaiming (He) initialisers {@link kaimingUniform_} and {@link kaimingNormal_}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `a` | `0` | `a` |
 * | `mode` | `"fanIn"` | `mode` (`"fan_in"`, `"fan_out"`) |
 * | `nonlinearity` | `"leakyRelu"` | `nonlinearity` (`"leaky_relu"`) |
 * | `generator` | the global generator | `generator` |
 *
 * @example
 * ```ts
 * const w = empty([256, 128]);
 * init.kaimingNormal_(w, { mode: "fanOut", nonlinearity: "relu" });
 * w.std().item(); // ≈ 0.09 (√(2 / 256) = 0.088)
 * ```
 * @group Initialization
 */
export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (default 0; only used with `"leakyRelu"`). */
  a?: number;
  /** `"fanIn"` (default) keeps the forward pass's variance, `"fanOut"` the backward pass's. */
  mode?: FanMode;
  /** The nonlinearity that follows (default `"leakyRelu"`, as PyTorch; with a = 0 that is ReLU's gain √2). */
  nonlinearity?: Nonlinearity;
  /** Source of randomness (the global generator by default). */
  generator?: Generator;
}

const GENERATOR_OPTION = { generator: undefined as Generator | undefined };
const XAVIER_OPTIONS = { gain: 1, ...GENERATOR_OPTION };
const KAIMING_OPTIONS: KaimingOptions = { a: 0, mode: "fanIn", nonlinearity: "leakyRelu", ...GENERATOR_OPTION };
const INIT_OPTION_CHECKS = {
  gain: optionChecks.finite, a: optionChecks.finite, mode: optionChecks.oneOf(["fanIn", "fanOut"]),
  nonlinearity: optionChecks.string, generator: generatorCheck,
};

const UNIT_GAIN = new Set<Nonlinearity>(["linear", "conv1d", "conv2d", "conv3d", "convTranspose1d", "convTranspose2d", "convTranspose3d", "sigmoid"]);

/**
 * The recommended gain for a nonlinearity, PyTorch's `calculate_gain`: 1 for linear, conv and
 * sigmoid; 5/3 for tanh; √2 for relu; `√(2 / (1 + slope²))` for leakyRelu (slope = `param`,
 * default 0.01); 3/4 for selu.
 *
 * @example
 * ```ts
 * init.calculateGain("relu");           // 1.4142135623730951
 * init.calculateGain("leakyRelu", 0.2); // 1.3867504905630728
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (UNIT_GAIN.has(nonlinearity)) return 1;
  switch (nonlinearity) {
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leakyRelu": {
      const slope = param ?? 0.01;
      checkNumber("calculateGain", "the negative slope", slope);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new RangeError(
        `calculateGain: unsupported nonlinearity ${JSON.stringify(nonlinearity)} (expected one of ${[...UNIT_GAIN, "tanh", "relu", "leakyRelu", "selu"].join(", ")})`,
      );
  }
}

/**
 * `[fanIn, fanOut]` of a weight of shape `[out, in, ...kernel]`: `in·k` and `out·k`, where `k` is
 * the product of the kernel dims (1 for a Linear weight `[out, in]`). Needs at least 2 dims.
 *
 * @example
 * ```ts
 * init.calculateFanInAndFanOut(new Linear(3, 5).weight); // [3, 5]
 * ```
 */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  checkTensor("calculateFanInAndFanOut", t);
  if (t.ndim < 2) {
    throw new RangeError(`calculateFanInAndFanOut: fan in and fan out can not be computed for a tensor with fewer than 2 dims (shape [${t.shape.join(", ")}])`);
  }
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

/**
 * Fills `t` with samples of U(a, b) in place (default U(0, 1)).
 *
 * @example
 * ```ts
 * const w = zeros([3, 4]);
 * init.uniform_(w, -0.1, 0.1, { generator: new Generator(0) });
 * w.abs().max().item() <= 0.1; // true
 * ```
 */
export function uniform_(t: Tensor, a = 0, b = 1, options: { generator?: Generator } = {}): Tensor {
  const { generator } = resolveOptions("uniform_", options, GENERATOR_OPTION, INIT_OPTION_CHECKS);
  checkTensor("uniform_", t);
  if (!(a <= b)) throw new RangeError(`uniform_: expected a <= b, got a=${a}, b=${b}`);
  return fill("uniform_", t, () => uniformFill_(t, a, b, generator));
}

/**
 * Fills `t` with samples of N(mean, std²) in place (default N(0, 1)).
 *
 * @example
 * ```ts
 * const w = zeros([64, 32]);
 * init.normal_(w, 0, 0.02);
 * w.std().item(); // ≈ 0.02
 * ```
 */
export function normal_(t: Tensor, mean = 0, std = 1, options: { generator?: Generator } = {}): Tensor {
  const { generator } = resolveOptions("normal_", options, GENERATOR_OPTION, INIT_OPTION_CHECKS);
  checkTensor("normal_", t);
  if (!(std >= 0)) throw new RangeError(`normal_: std must be non-negative, got ${std}`);
  return fill("normal_", t, () => normalFill_(t, mean, std, generator));
}

/**
 * Fills `t` with `value` in place.
 *
 * @example
 * ```ts
 * const linear = new Linear(3, 2);
 * init.constant_(linear.bias!, 0.1);
 * linear.bias!.toArray(); // [0.1, 0.1]
 * ```
 */
export function constant_(t: Tensor, value: number): Tensor {
  checkTensor("constant_", t);
  if (typeof value !== "number") throw new TypeError(`constant_: value must be a number, got ${typeof value}`);
  return noGrad(() => t.fill_(value));
}

/** Fills `t` with zeros in place. @example `init.zeros_(new Linear(2, 3).bias!)` */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills `t` with ones in place. @example `init.ones_(zeros([3]))` */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/**
 * Xavier/Glorot uniform: U(−a, a) with `a = gain·√(6 / (fanIn + fanOut))`, in place.
 *
 * @example
 * ```ts
 * const linear = new Linear(4, 3);
 * init.xavierUniform_(linear.weight, { gain: init.calculateGain("tanh") }); // U(±(5/3)·√(6 / 7))
 * ```
 */
export function xavierUniform_(t: Tensor, options: XavierOptions = {}): Tensor {
  const { gain, generator } = resolveOptions("xavierUniform_", options, XAVIER_OPTIONS, INIT_OPTION_CHECKS);
  const bound = Math.sqrt(3) * xavierStd("xavierUniform_", t, gain);
  return fill("xavierUniform_", t, () => uniformFill_(t, -bound, bound, generator));
}

/**
 * Xavier/Glorot normal: N(0, std²) with `std = gain·√(2 / (fanIn + fanOut))`, in place.
 *
 * @example
 * ```ts
 * const linear = new Linear(4, 3);
 * init.xavierNormal_(linear.weight);
 * ```
 */
export function xavierNormal_(t: Tensor, options: XavierOptions = {}): Tensor {
  const { gain, generator } = resolveOptions("xavierNormal_", options, XAVIER_OPTIONS, INIT_OPTION_CHECKS);
  const std = xavierStd("xavierNormal_", t, gain);
  return fill("xavierNormal_", t, () => normalFill_(t, 0, std, generator));
}

/**
 * Kaiming/He uniform: U(−bound, bound) with `bound = gain·√(3 / fan)`, `gain =
 * calculateGain(nonlinearity, a)` and `fan` the fanIn (default) or fanOut, in place. PyTorch's
 * defaults: `a = 0`, `mode = "fanIn"`, `nonlinearity = "leakyRelu"`. Linear's default weight init is
 * `kaimingUniform_(w, { a: √5 })`, i.e. U(−1/√fanIn, 1/√fanIn).
 *
 * @example
 * ```ts
 * const linear = new Linear(4, 3);
 * init.kaimingUniform_(linear.weight, { nonlinearity: "relu" });
 * ```
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const resolved = resolveOptions("kaimingUniform_", options, KAIMING_OPTIONS, INIT_OPTION_CHECKS);
  const bound = Math.sqrt(3) * kaimingStd("kaimingUniform_", t, resolved);
  return fill("kaimingUniform_", t, () => uniformFill_(t, -bound, bound, resolved.generator));
}

/**
 * Kaiming/He normal: N(0, std²) with `std = gain / √fan` (see {@link kaimingUniform_}), in place.
 *
 * @example
 * ```ts
 * const linear = new Linear(4, 3);
 * init.kaimingNormal_(linear.weight, { mode: "fanOut", nonlinearity: "relu" });
 * ```
 */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const resolved = resolveOptions("kaimingNormal_", options, KAIMING_OPTIONS, INIT_OPTION_CHECKS);
  const std = kaimingStd("kaimingNormal_", t, resolved);
  return fill("kaimingNormal_", t, () => normalFill_(t, 0, std, resolved.generator));
}

/**
 * Fills `t` in place with samples of N(mean, std²) truncated to [a, b] (defaults: N(0, 1) on
 * [−2, 2]), PyTorch's inverse-CDF method: `u ~ U(2·Φ(α) − 1, 2·Φ(β) − 1)` with
 * `α = (a − mean)/std`, `β = (b − mean)/std`, then `mean + std·√2·erfinv(u)`, clamped to [a, b].
 * Values are exact for a mean within 2 std of [a, b]; further out (PyTorch warns) the samples pile
 * up at the bound.
 *
 * PyTorch: `torch.nn.init.trunc_normal_`.
 *
 * @example
 * ```ts
 * const w = zeros([1000]);
 * init.truncNormal_(w, 0, 0.02, -0.04, 0.04, { generator: new Generator(0) });
 * w.abs().max().item() <= 0.04; // → true
 * ```
 */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2, options: { generator?: Generator } = {}): Tensor {
  const { generator } = resolveOptions("truncNormal_", options, GENERATOR_OPTION, INIT_OPTION_CHECKS);
  checkTensor("truncNormal_", t);
  for (const [name, v] of [["mean", mean], ["std", std], ["a", a], ["b", b]] as const) checkNumber("truncNormal_", name, v);
  if (!(std > 0)) throw new RangeError(`truncNormal_: std must be positive, got ${std}`);
  if (!(a < b)) throw new RangeError(`truncNormal_: expected a < b, got a=${a}, b=${b}`);
  const cdf = (x: number): number => (1 + tensor(x / Math.SQRT2, { dtype: "float64" }).erf().item()) / 2;
  const lo = cdf((a - mean) / std);
  const hi = cdf((b - mean) / std);
  return fill("truncNormal_", t, () => {
    uniformFill_(t, 2 * lo - 1, 2 * hi - 1, generator);
    return t.copy_(t.erfinv().mul(std * Math.SQRT2).add(mean).clamp(a, b));
  });
}

/**
 * Fills `t` (2 or more dims) in place with a (semi-)orthogonal matrix times `gain`, PyTorch's
 * method (Saxe et al., 2013): `t` is viewed as `[rows, cols]` with `rows = shape[0]`; a matrix of
 * N(0, 1) samples (transposed if rows < cols) is factored as QR, and Q with each column's sign set
 * so that R has a positive diagonal is the result. Its rows (if rows ≤ cols) or columns are
 * orthonormal: `W·Wᵀ = gain²·I` or `Wᵀ·W = gain²·I`. An empty tensor is left alone.
 *
 * PyTorch: `torch.nn.init.orthogonal_`.
 *
 * @example
 * ```ts
 * const w = zeros([3, 5]);
 * init.orthogonal_(w, 2);
 * w.matmul(w.T).sub(eye(3).mul(4)).abs().max().item() < 1e-5; // → true
 * ```
 */
export function orthogonal_(t: Tensor, gain = 1, options: { generator?: Generator } = {}): Tensor {
  const { generator } = resolveOptions("orthogonal_", options, GENERATOR_OPTION, INIT_OPTION_CHECKS);
  checkTensor("orthogonal_", t);
  checkNumber("orthogonal_", "gain", gain);
  if (t.ndim < 2) throw new RangeError(`orthogonal_: only tensors with 2 or more dimensions are supported (got shape [${t.shape.join(", ")}])`);
  return fill("orthogonal_", t, () => {
    const rows = t.shape[0];
    const cols = t.numel() / rows;
    const [m, n] = rows < cols ? [cols, rows] : [rows, cols];
    const samples = normalFill_(zeros([m, n], { dtype: "float64" }), 0, 1, generator);
    let q = new Tensor(positiveQ(samples.data as Float64Array, m, n), [m, n], "float64");
    if (rows < cols) q = q.T;
    return t.copy_(q.reshape(t.shape).mul(gain));
  });
}

/**
 * The Q of the QR factorisation of the row-major m×n matrix `a` (m ≥ n) whose R has a positive
 * diagonal (Householder, then each column of Q times the sign of R's diagonal entry, as PyTorch
 * does after `linalg.qr`).
 */
function positiveQ(a: Float64Array, m: number, n: number): Float64Array {
  const r = Float64Array.from(a);
  const reflectors: Float64Array[] = [];
  const diagonal: number[] = [];
  for (let k = 0; k < n; k++) {
    const v = new Float64Array(m - k);
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    const alpha = r[k * n + k] > 0 ? -norm : norm;
    diagonal.push(alpha);
    for (let i = k; i < m; i++) v[i - k] = r[i * n + k];
    v[0] -= alpha;
    const vNorm = Math.hypot(...v);
    if (vNorm > 0) for (let i = 0; i < v.length; i++) v[i] /= vNorm;
    reflectors.push(v);
    reflect(r, v, k, n, k);
  }
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) reflect(q, reflectors[k], k, n, 0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q[i * n + j] *= Math.sign(diagonal[j]);
  return q;
}

// Applies I − 2vvᵀ to rows k.. and columns c.. of the row-major matrix x (n columns).
function reflect(x: Float64Array, v: Float64Array, k: number, n: number, c: number): void {
  for (let j = c; j < n; j++) {
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += v[i] * x[(k + i) * n + j];
    for (let i = 0; i < v.length; i++) x[(k + i) * n + j] -= 2 * dot * v[i];
  }
}

/**
 * Fills the 2-D `t` in place as a sparse matrix (Martens, 2010): N(0, std²) samples (default
 * std 0.01), then in every column `⌈sparsity·rows⌉` entries, at rows drawn by a random
 * permutation, set to zero.
 *
 * PyTorch: `torch.nn.init.sparse_`.
 *
 * @example
 * ```ts
 * const w = zeros([10, 4]);
 * init.sparse_(w, 0.3);
 * w.eq(0).sum(0).toArray(); // → [3, 3, 3, 3]
 * ```
 */
export function sparse_(t: Tensor, sparsity: number, std = 0.01, options: { generator?: Generator } = {}): Tensor {
  const { generator } = resolveOptions("sparse_", options, GENERATOR_OPTION, INIT_OPTION_CHECKS);
  checkTensor("sparse_", t);
  checkNumber("sparse_", "sparsity", sparsity);
  checkNumber("sparse_", "std", std);
  if (t.ndim !== 2) throw new RangeError(`sparse_: only tensors with 2 dimensions are supported (got shape [${t.shape.join(", ")}])`);
  if (sparsity < 0 || sparsity > 1) throw new RangeError(`sparse_: sparsity must be in [0, 1], got ${sparsity}`);
  if (!(std >= 0)) throw new RangeError(`sparse_: std must be non-negative, got ${std}`);
  const [rows, cols] = t.shape;
  const numZeros = Math.ceil(sparsity * rows);
  return fill("sparse_", t, () => {
    const values = normalFill_(zeros([rows, cols], { dtype: "float64" }), 0, std, generator);
    const data = values.data as Float64Array;
    for (let col = 0; col < cols; col++) {
      const order = randperm(rows, { generator }).data;
      for (let i = 0; i < numZeros; i++) data[order[i] * cols + col] = 0;
    }
    return t.copy_(values);
  });
}

/**
 * Fills the 3-, 4- or 5-D `t` (a conv weight `[out, in, ...kernel]`) in place with the Dirac
 * delta: zeros except `t[g·outPerGroup + d, d, centre] = 1` for every group `g` and
 * `d < min(outPerGroup, in)`, where `outPerGroup = out / groups` and the centre is `⌊k/2⌋` in each
 * kernel dim. A convolution with it (and `groups`) passes its input channels through.
 *
 * PyTorch: `torch.nn.init.dirac_`.
 *
 * @example
 * ```ts
 * const conv = new Conv1d(2, 2, 3, { padding: 1, bias: false });
 * init.dirac_(conv.weight);
 * const x = tensor([[[1, 2, 3], [4, 5, 6]]]);
 * conv.forward(x).toArray(); // → [[[1, 2, 3], [4, 5, 6]]]
 * ```
 */
export function dirac_(t: Tensor, groups = 1): Tensor {
  checkTensor("dirac_", t);
  if (t.ndim < 3 || t.ndim > 5) throw new RangeError(`dirac_: only tensors with 3, 4, or 5 dimensions are supported (got shape [${t.shape.join(", ")}])`);
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`dirac_: groups must be a positive integer, got ${groups}`);
  if (t.shape[0] % groups !== 0) throw new RangeError(`dirac_: dim 0 (${t.shape[0]}) must be divisible by groups (${groups})`);
  const outPerGroup = t.shape[0] / groups;
  const minDim = Math.min(outPerGroup, t.shape[1]);
  const strides = contiguousStridesOf(t.shape);
  const centre = t.shape.slice(2).reduce((acc, k, i) => acc + Math.floor(k / 2) * strides[i + 2], 0);
  const values = new Float64Array(t.numel());
  for (let g = 0; g < groups; g++) {
    for (let d = 0; d < minDim; d++) values[(g * outPerGroup + d) * strides[0] + d * strides[1] + centre] = 1;
  }
  return fill("dirac_", t, () => t.copy_(new Tensor(values, t.shape, "float64")));
}

/**
 * Fills the 2-D `t` in place with the identity matrix (ones on the main diagonal, zeros
 * elsewhere; rectangular shapes too), so a Linear layer with it passes its first inputs through.
 *
 * PyTorch: `torch.nn.init.eye_`.
 *
 * @example
 * ```ts
 * init.eye_(zeros([2, 3])).toArray(); // → [[1, 0, 0], [0, 1, 0]]
 * ```
 */
export function eye_(t: Tensor): Tensor {
  checkTensor("eye_", t);
  if (t.ndim !== 2) throw new RangeError(`eye_: only 2-dimensional tensors are supported (got shape [${t.shape.join(", ")}])`);
  const [rows, cols] = t.shape;
  const values = new Float64Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) values[i * cols + i] = 1;
  return fill("eye_", t, () => t.copy_(new Tensor(values, t.shape, "float64")));
}

function contiguousStridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

function xavierStd(op: string, t: Tensor, gain = 1): number {
  checkTensor(op, t);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return gain * Math.sqrt(2 / (fanIn + fanOut));
}

function kaimingStd(op: string, t: Tensor, options: KaimingOptions): number {
  checkTensor(op, t);
  const mode = options.mode ?? "fanIn";
  if (t.numel() === 0) return 0;
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const gain = calculateGain(options.nonlinearity ?? "leakyRelu", options.a ?? 0);
  return gain / Math.sqrt(mode === "fanIn" ? fanIn : fanOut);
}

// Runs a sampler on `t` without a graph; a tensor with no elements is left alone, as PyTorch.
function fill(op: string, t: Tensor, sample: () => Tensor): Tensor {
  if (t.numel() === 0) return t;
  if (!isFloatingPoint(t.dtype)) throw new TypeError(`${op}: expected a floating-point tensor, got dtype ${t.dtype}`);
  noGrad(sample);
  return t;
}
