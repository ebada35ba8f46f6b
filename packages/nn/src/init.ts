/**
 * Weight initialisers, PyTorch's `torch.nn.init` with the same formulas. Each fills its tensor in
 * place without recording a graph (so it works on parameters), takes an optional seeded
 * `Generator`, and returns the tensor.
 */
import { Tensor, Generator, noGrad, uniformFill_, normalFill_, isFloatingPoint, optionChecks, resolveOptions } from "@tsgrad/core";
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
