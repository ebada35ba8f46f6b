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
import {
  Tensor, Generator, elementwiseOp, full, getDefaultGenerator, noGrad, optionChecks, record, resolveOptions, where, zerosLike, typeNameOf,
} from "@tsgrad/core";
import { Module, Parameter } from "./module.js";
import { checkNumber, checkTensor, generatorCheck, pyFloat } from "./util.js";

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
 * @group Activations
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
 * @group Activations
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

// ------------------------------------------------------------------ the remaining activations
// Fused elementwise ops (one pass forward, one backward; `grad` in Tensor ops for createGraph),
// with PyTorch's derivative at each kink (derivatives.yaml / its CPU kernels).

const hardtanhOp = elementwiseOp({
  name: "hardtanh",
  node: "HardtanhBackward0",
  expr: "x < p ? p : x > q ? q : x",
  grad: (g, x, _y, lo, hi) => where(x.gt(lo).logicalAnd(x.lt(hi)), g, 0),
  backward: "x > p && x < q ? g : 0",
});

/**
 * `clamp(x, minVal, maxVal)` (defaults −1, 1), PyTorch's `F.hardtanh`. Gradient 1 strictly
 * inside, 0 outside and at both kinks, as PyTorch.
 *
 * @example
 * ```ts
 * F.hardtanh(tensor([-2, 0.5, 3])).toArray(); // [-1, 0.5, 1]
 * ```
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  checkTensor("hardtanh", x);
  checkBounds("hardtanh", minVal, maxVal);
  return hardtanhOp(x, minVal, maxVal);
}

function checkBounds(op: string, minVal: number, maxVal: number): void {
  checkNumber(op, "minVal", minVal);
  checkNumber(op, "maxVal", maxVal);
  if (minVal > maxVal) throw new RangeError(`${op}: minVal (${minVal}) must not be greater than maxVal (${maxVal})`);
}

/**
 * `min(max(x, 0), 6)`, PyTorch's `F.relu6` (hardtanh on [0, 6]; gradient 0 at 0 and 6).
 *
 * @example
 * ```ts
 * F.relu6(tensor([-1, 3, 8])).toArray(); // [0, 3, 6]
 * ```
 */
export function relu6(x: Tensor): Tensor {
  checkTensor("relu6", x);
  return hardtanhOp(x, 0, 6);
}

const hardsigmoidOp = elementwiseOp({
  name: "hardsigmoid",
  node: "HardsigmoidBackward0",
  expr: "x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5",
  grad: (g, x) => where(x.gt(-3).logicalAnd(x.lt(3)), g.div(6), 0),
  backward: "x > -3 && x < 3 ? g / 6 : 0",
});

/**
 * `relu6(x + 3) / 6`, PyTorch's `F.hardsigmoid`: 0 below −3, 1 above 3, linear between
 * (gradient 1/6 strictly inside, 0 at ±3).
 *
 * @example
 * ```ts
 * F.hardsigmoid(tensor([-4, 0, 1.5])).toArray(); // [0, 0.5, 0.75]
 * ```
 */
export function hardsigmoid(x: Tensor): Tensor {
  checkTensor("hardsigmoid", x);
  return hardsigmoidOp(x);
}

const hardswishOp = elementwiseOp({
  name: "hardswish",
  node: "HardswishBackward0",
  expr: "x <= -3 ? 0 : x >= 3 ? x : x * (x + 3) / 6",
  grad: (g, x) => where(x.lt(-3), 0, where(x.le(3), g.mul(x.div(3).add(0.5)), g)),
  backward: "x < -3 ? 0 : x <= 3 ? g * (x / 3 + 0.5) : g",
});

/**
 * `x · relu6(x + 3) / 6`, PyTorch's `F.hardswish`. Gradient `x/3 + 1/2` on [−3, 3] (so −1/2 at
 * −3 and 3/2 at 3, PyTorch's choice at the kinks), 0 below, 1 above.
 *
 * @example
 * ```ts
 * F.hardswish(tensor([-4, 1, 4])).toArray(); // [0, 0.6666…, 4]
 * ```
 */
export function hardswish(x: Tensor): Tensor {
  checkTensor("hardswish", x);
  return hardswishOp(x);
}

const mishOp = elementwiseOp({
  name: "mish",
  node: "MishBackward0",
  expr: "x * Math.tanh(Math.log1p(Math.exp(x)))",
  grad: (g, x) => {
    const t = softplusOp(x, 1, 20).tanh();
    return g.mul(t.add(x.mul(x.sigmoid()).mul(t.square().neg().add(1))));
  },
  backward: "(t = Math.tanh(Math.log1p(Math.exp(x))), g * (t + x * (1 / (1 + Math.exp(-x))) * (1 - t * t)))",
});

/**
 * `x · tanh(softplus(x))`, PyTorch's `F.mish`. Gradient `tanh(sp) + x·σ(x)·(1 − tanh²(sp))`.
 *
 * @example
 * ```ts
 * F.mish(tensor([0, 1])).toArray(); // [0, 0.8650…]
 * ```
 */
export function mish(x: Tensor): Tensor {
  checkTensor("mish", x);
  return mishOp(x);
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

// p = scale, q = alpha: scale·x for x > 0, scale·alpha·(eˣ − 1) else; d/dx at x ≤ 0 is scale·alpha·eˣ.
const scaledEluOp = elementwiseOp({
  name: "selu",
  node: "EluBackward0",
  expr: "x > 0 ? p * x : p * q * Math.expm1(x)",
  grad: (g, x, _y, scale, alpha) => where(x.gt(0), g.mul(scale), g.mul(x.clamp(null, 0).exp()).mul(scale * alpha)),
  backward: "x > 0 ? g * p : g * p * q * Math.exp(x)",
});

/**
 * Scaled ELU, PyTorch's `F.selu`: `scale·x` for x > 0, else `scale·alpha·(eˣ − 1)`, with
 * PyTorch's alpha ≈ 1.6733 and scale ≈ 1.0507. Gradient at 0: `scale·alpha`, as PyTorch.
 *
 * @example
 * ```ts
 * F.selu(tensor([-1, 0, 1])).toArray(); // [-1.1113…, 0, 1.0507…]
 * ```
 */
export function selu(x: Tensor): Tensor {
  checkTensor("selu", x);
  return scaledEluOp(x, SELU_SCALE, SELU_ALPHA);
}

const celuOp = elementwiseOp({
  name: "celu",
  node: "CeluBackward0",
  expr: "x > 0 ? x : p * Math.expm1(x / p)",
  grad: (g, x, _y, alpha) => where(x.gt(0), g, g.mul(x.clamp(null, 0).div(alpha).exp())),
  backward: "x > 0 ? g : g * Math.exp(x / p)",
});

/**
 * Continuously differentiable ELU, PyTorch's `F.celu`: `x` for x > 0, else
 * `alpha·(e^(x/alpha) − 1)` (default alpha 1). Gradient 1 at 0.
 *
 * @example
 * ```ts
 * F.celu(tensor([-1, 2]), 2).toArray(); // [-0.7869…, 2]
 * ```
 */
export function celu(x: Tensor, alpha = 1): Tensor {
  checkTensor("celu", x);
  checkCeluAlpha("celu", alpha);
  return celuOp(x, alpha);
}

function checkCeluAlpha(op: string, alpha: number): void {
  checkNumber(op, "alpha", alpha);
  if (alpha === 0) throw new RangeError(`${op}: alpha must not be 0 (it divides x)`);
}

const softsignOp = elementwiseOp({
  name: "softsign",
  node: "SoftsignBackward0",
  expr: "x / (1 + Math.abs(x))",
  grad: (g, x) => g.div(x.abs().add(1).square()),
  backward: "(t = 1 + Math.abs(x), g / (t * t))",
});

/**
 * `x / (1 + |x|)`, PyTorch's `F.softsign`. Gradient `1 / (1 + |x|)²`.
 *
 * @example
 * ```ts
 * F.softsign(tensor([-3, 1])).toArray(); // [-0.75, 0.5]
 * ```
 */
export function softsign(x: Tensor): Tensor {
  checkTensor("softsign", x);
  return softsignOp(x);
}

const logsigmoidOp = elementwiseOp({
  name: "logsigmoid",
  node: "LogSigmoidBackward0",
  expr: "Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)))",
  grad: (g, x) => g.mul(x.neg().sigmoid()),
  backward: "(t = Math.exp(-Math.abs(x)), x < 0 ? g * (1 - t / (1 + t)) : g * (t / (1 + t)))",
});

/**
 * `log σ(x) = −softplus(−x)`, PyTorch's `F.logsigmoid`, computed stably
 * (`min(x, 0) − log1p(e^−|x|)`). Gradient `σ(−x)`.
 *
 * @example
 * ```ts
 * F.logsigmoid(tensor([0, -1000])).toArray(); // [-0.6931…, -1000]
 * ```
 */
export function logsigmoid(x: Tensor): Tensor {
  checkTensor("logsigmoid", x);
  return logsigmoidOp(x);
}

/**
 * `softmax(−x)` along `dim`, PyTorch's `F.softmin`.
 *
 * @example
 * ```ts
 * F.softmin(tensor([[0, Math.log(3)]]), 1).toArray(); // [[0.75, 0.25]]
 * ```
 */
export function softmin(x: Tensor, dim: number): Tensor {
  checkTensor("softmin", x);
  checkNumber("softmin", "dim", dim);
  return x.neg().softmax(dim);
}

const tanhshrinkOp = elementwiseOp({
  name: "tanhshrink",
  node: "TanhshrinkBackward0",
  expr: "x - Math.tanh(x)",
  grad: (g, x) => g.mul(x.tanh().square()),
  backward: "(t = Math.tanh(x), g * t * t)",
});

/**
 * `x − tanh(x)`, PyTorch's `F.tanhshrink`. Gradient `tanh²(x)`.
 *
 * @example
 * ```ts
 * F.tanhshrink(tensor([0, 1])).toArray(); // [0, 0.2384…]
 * ```
 */
export function tanhshrink(x: Tensor): Tensor {
  checkTensor("tanhshrink", x);
  return tanhshrinkOp(x);
}

const hardshrinkOp = elementwiseOp({
  name: "hardshrink",
  node: "HardshrinkBackward0",
  expr: "x >= -p && x <= p ? 0 : x",
  grad: (g, x, _y, lambd) => where(x.ge(-lambd).logicalAnd(x.le(lambd)), 0, g),
  backward: "x >= -p && x <= p ? 0 : g",
});

function checkLambd(op: string, lambd: number): void {
  checkNumber(op, "lambd", lambd);
  if (lambd < 0) throw new RangeError(`${op}: lambd must be >= 0, got ${lambd}`);
}

/**
 * `x` where `|x| > lambd`, else 0 (default lambd 0.5), PyTorch's `F.hardshrink`. Gradient 0 on
 * [−lambd, lambd] (kinks included), 1 outside.
 *
 * @example
 * ```ts
 * F.hardshrink(tensor([-1, 0.3, 0.5, 2])).toArray(); // [-1, 0, 0, 2]
 * ```
 */
export function hardshrink(x: Tensor, lambd = 0.5): Tensor {
  checkTensor("hardshrink", x);
  checkLambd("hardshrink", lambd);
  return hardshrinkOp(x, lambd);
}

const softshrinkOp = elementwiseOp({
  name: "softshrink",
  node: "SoftshrinkBackward0",
  expr: "x > p ? x - p : x < -p ? x + p : 0",
  grad: (g, x, _y, lambd) => where(x.ge(-lambd).logicalAnd(x.le(lambd)), 0, g),
  backward: "x >= -p && x <= p ? 0 : g",
});

/**
 * Shrinks toward 0 by `lambd` (default 0.5), PyTorch's `F.softshrink`: `x − lambd` above
 * lambd, `x + lambd` below −lambd, else 0. Gradient 0 on [−lambd, lambd], 1 outside.
 *
 * @example
 * ```ts
 * F.softshrink(tensor([-1, 0.3, 2])).toArray(); // [-0.5, 0, 1.5]
 * ```
 */
export function softshrink(x: Tensor, lambd = 0.5): Tensor {
  checkTensor("softshrink", x);
  checkLambd("softshrink", lambd);
  return softshrinkOp(x, lambd);
}

const thresholdOp = elementwiseOp({
  name: "threshold",
  node: "ThresholdBackward0",
  expr: "x > p ? x : q",
  grad: (g, x, _y, t) => where(x.gt(t), g, 0),
  backward: "x > p ? g : 0",
});

/**
 * `x` where `x > threshold`, else `value`, PyTorch's `F.threshold`. Gradient 0 at and below the
 * threshold.
 *
 * @example
 * ```ts
 * F.threshold(tensor([-1, 0.5, 2]), 0.5, -9).toArray(); // [-9, -9, 2]
 * ```
 */
export function threshold(x: Tensor, threshold: number, value: number): Tensor {
  checkTensor("threshold", x);
  checkNumber("threshold", "threshold", threshold);
  checkNumber("threshold", "value", value);
  return thresholdOp(x, threshold, value);
}

/**
 * Gated linear unit, PyTorch's `F.glu`: splits `x` in halves `a`, `b` along `dim` (default −1)
 * and returns `a · σ(b)`; the size along `dim` must be even.
 *
 * @example
 * ```ts
 * F.glu(tensor([[1, 2, 0, 0]])).toArray(); // [[0.5, 1]]
 * ```
 */
export function glu(x: Tensor, dim = -1): Tensor {
  checkTensor("glu", x);
  checkNumber("glu", "dim", dim);
  if (x.ndim === 0) throw new RangeError("glu: does not support 0-d (scalar) tensors");
  const d = dim < 0 ? dim + x.ndim : dim;
  if (!Number.isInteger(d) || d < 0 || d >= x.ndim) throw new RangeError(`glu: dim ${dim} is out of range for a tensor of ${x.ndim} dims`);
  const n = x.shape[d];
  if (n % 2 !== 0) throw new RangeError(`glu: halving dimension must be even, but dimension ${dim} of shape [${x.shape.join(", ")}] is size ${n}`);
  return x.narrow(d, 0, n / 2).mul(x.narrow(d, n / 2, n / 2).sigmoid());
}

/**
 * Options of {@link rrelu} and {@link RReLU}.
 *
 * @example
 * ```ts
 * F.rrelu(tensor([-1, 1]), { lower: 0.2, upper: 0.4, training: true, generator: new Generator(0) }).toArray()[1]; // 1
 * ```
 * @group Activations
 */
export interface RReLUOptions {
  /** Lower bound of the random negative slope (default 1/8). */
  lower?: number;
  /** Upper bound of the random negative slope (default 1/3). */
  upper?: number;
  /** Draw random slopes (default false for `F.rrelu`, as PyTorch); false uses their mean. */
  training?: boolean;
  /** Source of randomness for the slopes (the global generator by default). */
  generator?: Generator;
}

const RRELU_OPTIONS = { lower: 1 / 8, upper: 1 / 3, training: false, generator: undefined as Generator | undefined };
const RRELU_CHECKS = { lower: optionChecks.finite, upper: optionChecks.finite, training: optionChecks.boolean, generator: generatorCheck };

/**
 * Randomized leaky ReLU, PyTorch's `F.rrelu`: `x` for x > 0 (kept as is), else `a·x`. In training
 * every element x ≤ 0 draws its own slope `a ~ U(lower, upper)` from the generator (and its
 * gradient is that slope); otherwise `a = (lower + upper) / 2`, a leaky ReLU.
 *
 * @example
 * ```ts
 * F.rrelu(tensor([-8, 2]), { lower: 0.25, upper: 0.75 }).toArray(); // [-4, 2]
 * ```
 */
export function rrelu(x: Tensor, options: RReLUOptions = {}): Tensor {
  checkTensor("rrelu", x);
  const { lower, upper, training, generator } = resolveOptions("rrelu", options, RRELU_OPTIONS, RRELU_CHECKS);
  if (lower > upper) throw new RangeError(`rrelu: lower (${lower}) must not be greater than upper (${upper})`);
  if (!training) return leakyReluOp(x, (lower + upper) / 2);
  const gen = generator ?? getDefaultGenerator();
  const dtype = x.dtype === "float64" ? "float64" : "float32";
  const values = x.detach().contiguous().dataSync();
  const slopes = dtype === "float64" ? new Float64Array(values.length) : new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) slopes[i] = values[i] > 0 ? 1 : lower + (upper - lower) * gen.random();
  return x.mul(new Tensor(slopes, x.shape, dtype));
}

// ------------------------------------------------------------------ layers

/** Layer form of {@link relu}. @example `new ReLU().forward(tensor([-1, 2]))` @group Activations */
export class ReLU extends Module {
  static override readonly typeName: string = "ReLU";
  forward(x: Tensor): Tensor { return relu(x); }
}

/** Layer form of {@link leakyRelu} (default negativeSlope 0.01). @example `new LeakyReLU(0.2)` @group Activations */
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
  override extraRepr(): string { return `negativeSlope=${pyFloat(this.negativeSlope)}`; }
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
 * @group Activations
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
 * @group Activations
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

/** Layer form of {@link elu} (default alpha 1). @example `new ELU(0.5)` @group Activations */
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
  override extraRepr(): string { return `alpha=${pyFloat(this.alpha)}`; }
}

/** Layer form of {@link silu}, `x·σ(x)`. @example `new SiLU()` @group Activations */
export class SiLU extends Module {
  static override readonly typeName: string = "SiLU";
  forward(x: Tensor): Tensor { return silu(x); }
}

/** Alias of {@link SiLU} (prints as `SiLU()`). @example `new Swish()` @group Activations */
export const Swish = SiLU;
/** Alias of {@link SiLU}. @group Activations */
export type Swish = SiLU;

/** Layer form of {@link gelu}. @example `new GELU({ approximate: "tanh" })` @group Activations */
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

/** Layer form of {@link sigmoid}. @example `new Sigmoid()` @group Activations */
export class Sigmoid extends Module {
  static override readonly typeName: string = "Sigmoid";
  forward(x: Tensor): Tensor { return sigmoid(x); }
}

/** Layer form of {@link tanh}. @example `new Tanh()` @group Activations */
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

/** Layer form of {@link softmax} along `dim`. @example `new Softmax(1)` @group Activations */
export class Softmax extends AlongDim {
  static override readonly typeName: string = "Softmax";
  forward(x: Tensor): Tensor { return softmax(x, this.dim); }
}

/** Layer form of {@link logSoftmax} along `dim`. @example `new LogSoftmax(1)` @group Activations */
export class LogSoftmax extends AlongDim {
  static override readonly typeName: string = "LogSoftmax";
  forward(x: Tensor): Tensor { return logSoftmax(x, this.dim); }
}

/** Layer form of {@link softplus} (β = 1, threshold = 20 by default). @example `new Softplus({ beta: 2 })` @group Activations */
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

/** Layer form of {@link step} (Heaviside; zero gradient, see there). @example `new Step()` @group Activations */
export class Step extends Module {
  static override readonly typeName: string = "Step";
  forward(x: Tensor): Tensor { return step(x); }
}

/** Layer form of {@link hardtanh} (defaults minVal −1, maxVal 1). @example `new Hardtanh(-2, 2)` @group Activations */
export class Hardtanh extends Module {
  static override readonly typeName: string = "Hardtanh";
  constructor(
    /** Lower bound. */
    readonly minVal = -1,
    /** Upper bound. */
    readonly maxVal = 1,
  ) {
    super();
    checkBounds("Hardtanh", minVal, maxVal);
  }
  forward(x: Tensor): Tensor { return hardtanh(x, this.minVal, this.maxVal); }
  override extraRepr(): string { return `minVal=${pyFloat(this.minVal)}, maxVal=${pyFloat(this.maxVal)}`; }
}

/** Layer form of {@link relu6}. @example `new ReLU6()` @group Activations */
export class ReLU6 extends Module {
  static override readonly typeName: string = "ReLU6";
  forward(x: Tensor): Tensor { return relu6(x); }
}

/** Layer form of {@link hardsigmoid}. @example `new Hardsigmoid()` @group Activations */
export class Hardsigmoid extends Module {
  static override readonly typeName: string = "Hardsigmoid";
  forward(x: Tensor): Tensor { return hardsigmoid(x); }
}

/** Layer form of {@link hardswish}. @example `new Hardswish()` @group Activations */
export class Hardswish extends Module {
  static override readonly typeName: string = "Hardswish";
  forward(x: Tensor): Tensor { return hardswish(x); }
}

/** Layer form of {@link mish}. @example `new Mish()` @group Activations */
export class Mish extends Module {
  static override readonly typeName: string = "Mish";
  forward(x: Tensor): Tensor { return mish(x); }
}

/** Layer form of {@link selu}. @example `new SELU()` @group Activations */
export class SELU extends Module {
  static override readonly typeName: string = "SELU";
  forward(x: Tensor): Tensor { return selu(x); }
}

/** Layer form of {@link celu} (default alpha 1). @example `new CELU(0.5)` @group Activations */
export class CELU extends Module {
  static override readonly typeName: string = "CELU";
  constructor(
    /** Scale of the negative part. */
    readonly alpha = 1,
  ) {
    super();
    checkCeluAlpha("CELU", alpha);
  }
  forward(x: Tensor): Tensor { return celu(x, this.alpha); }
  override extraRepr(): string { return `alpha=${pyFloat(this.alpha)}`; }
}

/** Layer form of {@link softsign}. @example `new Softsign()` @group Activations */
export class Softsign extends Module {
  static override readonly typeName: string = "Softsign";
  forward(x: Tensor): Tensor { return softsign(x); }
}

/** Layer form of {@link logsigmoid}. @example `new LogSigmoid()` @group Activations */
export class LogSigmoid extends Module {
  static override readonly typeName: string = "LogSigmoid";
  forward(x: Tensor): Tensor { return logsigmoid(x); }
}

/** Layer form of {@link tanhshrink}. @example `new Tanhshrink()` @group Activations */
export class Tanhshrink extends Module {
  static override readonly typeName: string = "Tanhshrink";
  forward(x: Tensor): Tensor { return tanhshrink(x); }
}

/** Layer form of {@link hardshrink} (default lambd 0.5). @example `new Hardshrink(0.25)` @group Activations */
export class Hardshrink extends Module {
  static override readonly typeName: string = "Hardshrink";
  constructor(
    /** Half-width of the zeroed band. */
    readonly lambd = 0.5,
  ) {
    super();
    checkLambd("Hardshrink", lambd);
  }
  forward(x: Tensor): Tensor { return hardshrink(x, this.lambd); }
  override extraRepr(): string { return pyFloat(this.lambd); }
}

/** Layer form of {@link softshrink} (default lambd 0.5). @example `new Softshrink(0.25)` @group Activations */
export class Softshrink extends Module {
  static override readonly typeName: string = "Softshrink";
  constructor(
    /** How far values shrink toward 0. */
    readonly lambd = 0.5,
  ) {
    super();
    checkLambd("Softshrink", lambd);
  }
  forward(x: Tensor): Tensor { return softshrink(x, this.lambd); }
  override extraRepr(): string { return pyFloat(this.lambd); }
}

/** Layer form of {@link threshold}. @example `new Threshold(0.1, 20)` @group Activations */
export class Threshold extends Module {
  static override readonly typeName: string = "Threshold";
  constructor(
    /** Values at or below this are replaced. */
    readonly threshold: number,
    /** What they are replaced with. */
    readonly value: number,
  ) {
    super();
    checkNumber("Threshold", "threshold", threshold);
    checkNumber("Threshold", "value", value);
  }
  forward(x: Tensor): Tensor { return threshold(x, this.threshold, this.value); }
  override extraRepr(): string { return `threshold=${this.threshold}, value=${this.value}`; }
}

/** Layer form of {@link glu} (default dim −1). @example `new GLU(1)` @group Activations */
export class GLU extends Module {
  static override readonly typeName: string = "GLU";
  constructor(
    /** The dim split in halves. */
    readonly dim = -1,
  ) {
    super();
    checkNumber("GLU", "dim", dim);
  }
  forward(x: Tensor): Tensor { return glu(x, this.dim); }
  override extraRepr(): string { return `dim=${this.dim}`; }
}

/** Layer form of {@link softmin} along `dim`. @example `new Softmin(1)` @group Activations */
export class Softmin extends AlongDim {
  static override readonly typeName: string = "Softmin";
  forward(x: Tensor): Tensor { return softmin(x, this.dim); }
}

/**
 * Softmax over the channels of each spatial location, PyTorch's `nn.Softmax2d`: for an input
 * `(N, C, H, W)` or `(C, H, W)`, softmax along dim −3.
 *
 * @example
 * ```ts
 * new Softmax2d().forward(randn([2, 3, 4, 4])).sum(1).mean().item(); // ≈ 1
 * ```
 * @group Activations
 */
export class Softmax2d extends Module {
  static override readonly typeName: string = "Softmax2d";
  forward(x: Tensor): Tensor {
    checkTensor("Softmax2d", x);
    if (x.ndim !== 3 && x.ndim !== 4) throw new RangeError(`Softmax2d: expected a 3D (C, H, W) or 4D (N, C, H, W) input, got shape [${x.shape.join(", ")}]`);
    return x.softmax(-3);
  }
}

/** Options of {@link RReLU}. @group Activations */
export type RReLULayerOptions = Omit<RReLUOptions, "training">;

/**
 * Layer form of {@link rrelu} (defaults lower 1/8, upper 1/3): random slopes in training mode,
 * their mean `(lower + upper) / 2` after `eval()`.
 *
 * @example
 * ```ts
 * const act = new RReLU({ lower: 0.1, upper: 0.3, generator: new Generator(0) });
 * act.forward(tensor([-1, 1])).toArray()[1]; // 1
 * act.eval().forward(tensor([-1])).toArray(); // [-0.2]
 * ```
 * @group Activations
 */
export class RReLU extends Module {
  static override readonly typeName: string = "RReLU";
  /** Lower bound of the slopes. */
  readonly lower: number;
  /** Upper bound of the slopes. */
  readonly upper: number;
  private readonly generator: Generator | undefined;
  constructor(options: RReLULayerOptions = {}) {
    super();
    const { lower, upper, generator } = resolveOptions("RReLU", options, { lower: RRELU_OPTIONS.lower, upper: RRELU_OPTIONS.upper, generator: undefined as Generator | undefined }, {
      lower: RRELU_CHECKS.lower, upper: RRELU_CHECKS.upper, generator: RRELU_CHECKS.generator,
    });
    if (lower > upper) throw new RangeError(`RReLU: lower (${lower}) must not be greater than upper (${upper})`);
    this.lower = lower;
    this.upper = upper;
    this.generator = generator;
  }
  forward(x: Tensor): Tensor { return rrelu(x, { lower: this.lower, upper: this.upper, training: this.training, generator: this.generator }); }
  override extraRepr(): string { return `lower=${pyFloat(this.lower)}, upper=${pyFloat(this.upper)}`; }
}
