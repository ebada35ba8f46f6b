/**
 * Activation functions and their layers. The functions do the work; each layer class only holds
 * its options and calls its function.
 *
 * The activations with several terms (leakyRelu, elu, silu, gelu, softplus) are fused elementwise
 * ops built with core's `elementwiseOp`: one compiled pass forward instead of a chain of 4-6, and a
 * backward rule written with Tensor ops, so `createGraph` still gives higher derivatives. The rest
 * are compositions of core ops. All match PyTorch exactly at the kinks (relu'(0) = 0,
 * leakyRelu'(0) = negativeSlope, elu'(0) = alpha, prelu'(0) = weight) and stay finite at the
 * extremes: branches that would overflow (`exp(800)`) are clamped first, so an unselected branch
 * never turns a zero gradient into `0·∞ = NaN`.
 */
import { Tensor, elementwiseOp, full, noGrad, optionChecks, record, resolveOptions, where, zerosLike, typeNameOf } from "@tsgrad/core";
import { Module, Parameter } from "./module.js";
import { checkNumber, checkTensor } from "./util.js";

// ------------------------------------------------------------------ functional

/**
 * Rectified linear unit `max(x, 0)`. Gradient 1 for x > 0, else 0 (0 at the kink, as PyTorch).
 *
 * @example
 * ```ts
 * F.relu(tensor([-1, 0, 2])).toArray(); // [0, 0, 2]
 * ```
 */
export function relu(x: Tensor): Tensor {
  checkTensor("relu", x);
  return x.relu();
}

/**
 * Leaky ReLU: `x` for x > 0, else `negativeSlope·x` (default slope 0.01, as PyTorch). The
 * gradient at 0 is `negativeSlope`, as PyTorch.
 *
 * @example
 * ```ts
 * F.leakyRelu(tensor([-2, 3]), 0.1).toArray(); // [-0.2, 3]
 * ```
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  checkTensor("leakyRelu", x);
  checkNumber("leakyRelu", "negativeSlope", negativeSlope);
  return leakyReluOp(x, negativeSlope);
}

const leakyReluOp = elementwiseOp({
  name: "leakyRelu",
  node: "LeakyReluBackward0",
  expr: "x > 0 ? x : p * x",
  grad: (g, x, _y, slope) => where(x.gt(0), g, g.mul(slope)),
  backward: "x > 0 ? g : g * p",
});

/**
 * Exponential linear unit: `x` for x > 0, else `alpha·(eˣ − 1)` (default alpha 1). The gradient
 * at 0 is `alpha`, as PyTorch (`alpha·e^min(x,0)` for x ≤ 0), finite for any x.
 *
 * @example
 * ```ts
 * F.elu(tensor([-1, 0, 2])).toArray(); // [-0.632…, 0, 2]
 * ```
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkTensor("elu", x);
  checkNumber("elu", "alpha", alpha);
  return eluOp(x, alpha);
}

const eluOp = elementwiseOp({
  name: "elu",
  node: "EluBackward0",
  expr: "x > 0 ? x : p * Math.expm1(x)",
  grad: (g, x, _y, alpha) => where(x.gt(0), g, g.mul(x.clamp(null, 0).exp()).mul(alpha)),
  backward: "x > 0 ? g : g * p * Math.exp(x)",
});

/**
 * Parametric ReLU: `x` for x > 0, else `weight·x`, with a learned `weight` of 1 value (shared) or
 * C values applied along dim 1 (the channel dim of an `[N, C, ...]` input). Gradient with respect
 * to the weight: `x` where x ≤ 0, summed; the input's gradient at 0 is `weight`, as PyTorch.
 *
 * @example
 * ```ts
 * F.prelu(tensor([[-1, 2], [-3, 4]]), tensor([0.1, 0.5])).toArray(); // [[-0.1, 2], [-0.3, 4]] (one weight per channel, dim 1)
 * ```
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  checkTensor("prelu", x);
  checkTensor("prelu", weight, "weight");
  const n = weight.numel();
  if (n === 1) return where(x.gt(0), x, x.mul(weight.reshape([])));
  const channels = x.ndim >= 2 ? x.shape[1] : 1;
  if (weight.ndim !== 1 || n !== channels) {
    throw new RangeError(
      `prelu: weight of shape [${weight.shape.join(", ")}] needs 1 value or one per channel, but the input [${x.shape.join(", ")}] has ${channels} channel(s) (dim 1)`,
    );
  }
  const perChannel = weight.reshape(x.shape.map((_, d) => (d === 1 ? n : 1)));
  return where(x.gt(0), x, x.mul(perChannel));
}

/**
 * Sigmoid linear unit (swish): `x·σ(x)`.
 *
 * @example
 * ```ts
 * F.silu(tensor([0, 1])).toArray(); // [0, 0.7310…]
 * ```
 */
export function silu(x: Tensor): Tensor {
  checkTensor("silu", x);
  return siluOp(x);
}

// d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x))), PyTorch's silu_backward.
const siluOp = elementwiseOp({
  name: "silu",
  node: "SiluBackward0",
  expr: "x / (1 + Math.exp(-x))",
  grad: (g, x) => {
    const s = x.sigmoid();
    return g.mul(s.mul(x.mul(s.neg().add(1)).add(1)));
  },
  backward: "(t = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)), g * t * (1 + x * (1 - t)))",
});

/** Alias of {@link silu}: `x·σ(x)`. @example `F.swish(tensor([1, -1]))` */
export const swish = silu;

/**
 * Options of {@link gelu} and {@link GELU}: which formula computes the Gaussian CDF.
 *
 * - `approximate` (default `"none"`; PyTorch `approximate`): `"none"` is the exact erf form,
 *   `"tanh"` the tanh approximation (GPT-2's, faster in some frameworks, slightly different values).
 *
 * @example
 * ```ts
 * F.gelu(tensor([1]), { approximate: "tanh" }).item(); // ≈ 0.8412
 * new GELU({ approximate: "tanh" }).toString();        // → 'GELU(approximate="tanh")'
 * ```
 */
export interface GeluOptions {
  /** `"none"` (default): the exact erf form; `"tanh"`: the tanh approximation. */
  approximate?: "none" | "tanh";
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_OPTIONS: Required<GeluOptions> = { approximate: "none" };
const GELU_OPTION_CHECKS = { approximate: optionChecks.oneOf(["none", "tanh"]) };

/**
 * Gaussian error linear unit. Exact (default): `x·Φ(x) = ½x(1 + erf(x/√2))`; with
 * `approximate: "tanh"`: `½x(1 + tanh(√(2/π)(x + 0.044715x³)))`, as PyTorch.
 *
 * @example
 * ```ts
 * F.gelu(tensor([1])).item();                          // 0.8413…
 * F.gelu(tensor([1]), { approximate: "tanh" }).item(); // 0.8411…
 * ```
 */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  const { approximate } = resolveOptions("gelu", options, GELU_OPTIONS, GELU_OPTION_CHECKS);
  checkTensor("gelu", x);
  if (approximate === "none") return geluOp(x);
  // x + 0.044715·x³ as x·(1 + 0.044715·x²): square is a much cheaper kernel than pow(3).
  const inner = x.square().mul(0.044715 * SQRT_2_OVER_PI).add(SQRT_2_OVER_PI).mul(x);
  return x.mul(inner.tanh().add(1)).mul(0.5);
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

// d/dx x·Φ(x) = Φ(x) + x·φ(x), PyTorch's gelu_backward.
const geluOp = elementwiseOp({
  name: "gelu",
  node: "GeluBackward0",
  expr: "0.5 * x * (1 + erf(x * Math.SQRT1_2))",
  grad: (g, x) => {
    const cdf = x.mul(Math.SQRT1_2).erf().add(1).mul(0.5);
    const pdf = x.square().mul(-0.5).exp().mul(INV_SQRT_2PI);
    return g.mul(cdf.add(x.mul(pdf)));
  },
  backward: `(t = 0.5 * (1 + erf(x * Math.SQRT1_2)), g * (t + x * Math.exp(-0.5 * x * x) * ${INV_SQRT_2PI}))`,
});

/**
 * Options of {@link softplus} and {@link Softplus}: how sharp the curve is, and where it turns linear.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `beta` | `1` | `beta` |
 * | `threshold` | `20` | `threshold` |
 *
 * @example
 * ```ts
 * F.softplus(tensor([0]), { beta: 2 }).item();                  // ≈ 0.3466 (ln 2 / 2)
 * new Softplus({ beta: 2, threshold: 10 }).toString();          // → "Softplus(beta=2, threshold=10)"
 * ```
 */
export interface SoftplusOptions {
  /** Sharpness β (default 1). */
  beta?: number;
  /** Above `β·x > threshold` the function is linear, `x` (default 20, as PyTorch). */
  threshold?: number;
}

const SOFTPLUS_OPTIONS: Required<SoftplusOptions> = { beta: 1, threshold: 20 };
const SOFTPLUS_OPTION_CHECKS = { beta: optionChecks.finite, threshold: optionChecks.finite };

/**
 * Softplus, a smooth ReLU: `log(1 + e^(βx)) / β`, and `x` itself where `βx > threshold` (PyTorch's
 * defaults β = 1, threshold = 20). Gradient `σ(βx)`, or 1 above the threshold. Finite for any x.
 *
 * @example
 * ```ts
 * F.softplus(tensor([0])).item(); // 0.6931… (ln 2)
 * ```
 */
export function softplus(x: Tensor, options: SoftplusOptions = {}): Tensor {
  const { beta, threshold } = resolveOptions("softplus", options, SOFTPLUS_OPTIONS, SOFTPLUS_OPTION_CHECKS);
  checkTensor("softplus", x);
  return softplusOp(x, beta, threshold);
}

// Gradient σ(βx) below the threshold, 1 above, as PyTorch's softplus_backward.
const softplusOp = elementwiseOp({
  name: "softplus",
  node: "SoftplusBackward0",
  expr: "x * p > q ? x : Math.log1p(Math.exp(x * p)) / p",
  grad: (g, x, _y, beta, threshold) => {
    const bx = x.mul(beta);
    return where(bx.gt(threshold), g, g.mul(bx.sigmoid()));
  },
  backward: "x * p > q ? g : g / (1 + Math.exp(-x * p))",
});

/**
 * Logistic sigmoid `σ(x) = 1 / (1 + e^(−x))`, exactly 0 or 1 (not NaN) at ±800.
 *
 * @example
 * ```ts
 * F.sigmoid(tensor([0])).item(); // 0.5
 * ```
 */
export function sigmoid(x: Tensor): Tensor {
  checkTensor("sigmoid", x);
  return x.sigmoid();
}

/**
 * Hyperbolic tangent.
 *
 * @example
 * ```ts
 * F.tanh(tensor([0])).item(); // 0
 * ```
 */
export function tanh(x: Tensor): Tensor {
  checkTensor("tanh", x);
  return x.tanh();
}

/**
 * Softmax along `dim`: `exp(xᵢ − max) / Σⱼ exp(xⱼ − max)`, finite for logits of ±1000.
 *
 * @example
 * ```ts
 * F.softmax(tensor([[0, 0]]), 1).toArray(); // [[0.5, 0.5]]
 * ```
 */
export function softmax(x: Tensor, dim: number): Tensor {
  checkTensor("softmax", x);
  checkNumber("softmax", "dim", dim);
  return x.softmax(dim);
}

/**
 * Log-softmax along `dim`: `xᵢ − logsumexp(x)`, finite for logits of ±1000.
 *
 * @example
 * ```ts
 * F.logSoftmax(tensor([[0, 0]]), 1).toArray(); // [[-0.693…, -0.693…]]
 * ```
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  checkTensor("logSoftmax", x);
  checkNumber("logSoftmax", "dim", dim);
  return x.logSoftmax(dim);
}

/**
 * Heaviside step, the perceptron's activation: 1 for x > 0, else 0 (also for NaN, as PyTorch's
 * `heaviside(x, 0)`). Integer inputs give float32.
 *
 * Its gradient is **zero everywhere** (the step is flat except at 0, where it jumps). It is
 * recorded, so `backward()` through it works, but every parameter before it gets a zero
 * gradient: this is why a perceptron cannot be trained by gradient descent on its own output, and
 * the perceptron learning rule (or a surrogate such as the hinge / perceptron loss on the
 * pre-activation) is used instead.
 *
 * @example
 * ```ts
 * F.step(tensor([-1, 0, 2])).toArray(); // [0, 0, 1]
 * ```
 */
export function step(x: Tensor): Tensor {
  checkTensor("step", x);
  const y = x.gt(0).to(x.dtype === "float64" ? "float64" : "float32");
  return record(y, "StepBackward0", [x], (g) => [noGrad(() => zerosLike(g))]);
}

// ------------------------------------------------------------------ layers

/** Layer form of {@link relu}. @example `new ReLU().forward(tensor([-1, 2]))` */
export class ReLU extends Module {
  static override readonly typeName: string = "ReLU";
  forward(x: Tensor): Tensor { return relu(x); }
}

/** Layer form of {@link leakyRelu} (default negativeSlope 0.01). @example `new LeakyReLU(0.2)` */
export class LeakyReLU extends Module {
  static override readonly typeName: string = "LeakyReLU";
  constructor(
    /** Slope for x ≤ 0. */
    readonly negativeSlope = 0.01,
  ) {
    super();
    checkNumber("LeakyReLU", "negativeSlope", negativeSlope);
  }
  forward(x: Tensor): Tensor { return leakyRelu(x, this.negativeSlope); }
  override extraRepr(): string { return `negativeSlope=${this.negativeSlope}`; }
}

/**
 * Options of {@link PReLU}: how many slopes it learns, their initial value and dtype.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `numParameters` | `1` | `num_parameters` |
 * | `init` | `0.25` | `init` |
 * | `dtype` | `"float32"` | `dtype` |
 *
 * @example
 * ```ts
 * const act = new PReLU({ numParameters: 3, init: 0.1 });
 * act.weight;                                    // → [0.1, 0.1, 0.1]
 * act.forward(full([1, 3, 2], -1)).shape;        // → [1, 3, 2]
 * ```
 */
export interface PReLUOptions {
  /** 1 (one slope shared by all channels, default) or the number of channels C (dim 1). */
  numParameters?: number;
  /** Initial slope (default 0.25, as PyTorch). */
  init?: number;
  /** dtype of the weight (default float32). */
  dtype?: "float32" | "float64";
}

/**
 * Layer form of {@link prelu} with a learned `weight` Parameter of shape `[numParameters]`,
 * initialised to `init` (PyTorch: 1 parameter, 0.25).
 *
 * @example
 * ```ts
 * const act = new PReLU({ numParameters: 16 }); // one slope per channel of [N, 16, ...]
 * ```
 */
export class PReLU extends Module {
  static override readonly typeName: string = "PReLU";
  /** Number of learned slopes: 1 or the channel count. */
  readonly numParameters: number;
  /** Initial slope. */
  readonly init: number;
  /** The learned slopes, `[numParameters]`. */
  weight: Parameter;
  constructor(options: PReLUOptions = {}) {
    super();
    const { numParameters, init, dtype } = resolveOptions("PReLU", options, { numParameters: 1, init: 0.25, dtype: "float32" as PReLUOptions["dtype"] }, {
      numParameters: optionChecks.intAtLeast(1), init: optionChecks.finite, dtype: optionChecks.floatDType,
    });
    this.numParameters = numParameters;
    this.init = init;
    this.weight = new Parameter(full([this.numParameters], this.init, { dtype }));
  }
  /**
   * Refills the weight with `init`.
   *
   * PyTorch: `torch.nn.PReLU.reset_parameters`.
   *
   * @example
   * ```ts
   * const act = new PReLU();
   * noGrad(() => act.weight.fill_(3));
   * act.resetParameters();
   * act.weight; // → [0.25]
   * ```
   */
  resetParameters(): void {
    noGrad(() => this.weight.fill_(this.init));
  }
  forward(x: Tensor): Tensor { return prelu(x, this.weight); }
  override extraRepr(): string { return `numParameters=${this.numParameters}`; }
}

/** Layer form of {@link elu} (default alpha 1). @example `new ELU(0.5)` */
export class ELU extends Module {
  static override readonly typeName: string = "ELU";
  constructor(
    /** Scale of the negative part, its limit as x → −∞ being −alpha. */
    readonly alpha = 1,
  ) {
    super();
    checkNumber("ELU", "alpha", alpha);
  }
  forward(x: Tensor): Tensor { return elu(x, this.alpha); }
  override extraRepr(): string { return `alpha=${this.alpha}`; }
}

/** Layer form of {@link silu}, `x·σ(x)`. @example `new SiLU()` */
export class SiLU extends Module {
  static override readonly typeName: string = "SiLU";
  forward(x: Tensor): Tensor { return silu(x); }
}

/** Alias of {@link SiLU} (prints as `SiLU()`). @example `new Swish()` */
export const Swish = SiLU;
/** Alias of {@link SiLU}. */
export type Swish = SiLU;

/** Layer form of {@link gelu}. @example `new GELU({ approximate: "tanh" })` */
export class GELU extends Module {
  static override readonly typeName: string = "GELU";
  /** `"none"` for the exact erf form, `"tanh"` for the approximation. */
  readonly approximate: "none" | "tanh";
  constructor(options: GeluOptions = {}) {
    super();
    this.approximate = resolveOptions("GELU", options, GELU_OPTIONS, GELU_OPTION_CHECKS).approximate;
  }
  forward(x: Tensor): Tensor { return gelu(x, { approximate: this.approximate }); }
  override extraRepr(): string { return `approximate="${this.approximate}"`; }
}

/** Layer form of {@link sigmoid}. @example `new Sigmoid()` */
export class Sigmoid extends Module {
  static override readonly typeName: string = "Sigmoid";
  forward(x: Tensor): Tensor { return sigmoid(x); }
}

/** Layer form of {@link tanh}. @example `new Tanh()` */
export class Tanh extends Module {
  static override readonly typeName: string = "Tanh";
  forward(x: Tensor): Tensor { return tanh(x); }
}

/** A layer that normalises along one dim: holds `dim` for Softmax and LogSoftmax. */
abstract class AlongDim extends Module {
  constructor(
    /** The dim normalised over. */
    readonly dim: number,
  ) {
    super();
    checkNumber(typeNameOf(this), "dim", dim);
  }
  override extraRepr(): string { return `dim=${this.dim}`; }
}

/** Layer form of {@link softmax} along `dim`. @example `new Softmax(1)` */
export class Softmax extends AlongDim {
  static override readonly typeName: string = "Softmax";
  forward(x: Tensor): Tensor { return softmax(x, this.dim); }
}

/** Layer form of {@link logSoftmax} along `dim`. @example `new LogSoftmax(1)` */
export class LogSoftmax extends AlongDim {
  static override readonly typeName: string = "LogSoftmax";
  forward(x: Tensor): Tensor { return logSoftmax(x, this.dim); }
}

/** Layer form of {@link softplus} (β = 1, threshold = 20 by default). @example `new Softplus({ beta: 2 })` */
export class Softplus extends Module {
  static override readonly typeName: string = "Softplus";
  /** Sharpness β. */
  readonly beta: number;
  /** Above `β·x > threshold` the layer is the identity. */
  readonly threshold: number;
  constructor(options: SoftplusOptions = {}) {
    super();
    ({ beta: this.beta, threshold: this.threshold } = resolveOptions("Softplus", options, SOFTPLUS_OPTIONS, SOFTPLUS_OPTION_CHECKS));
  }
  forward(x: Tensor): Tensor { return softplus(x, { beta: this.beta, threshold: this.threshold }); }
  override extraRepr(): string { return `beta=${this.beta}, threshold=${this.threshold}`; }
}

/** Layer form of {@link step} (Heaviside; zero gradient, see there). @example `new Step()` */
export class Step extends Module {
  static override readonly typeName: string = "Step";
  forward(x: Tensor): Tensor { return step(x); }
}
