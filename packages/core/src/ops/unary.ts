/**
 * Unary math: one table row per op with its kernel expression and its backward rule side by
 * side. The table's type requires a `grad` for every row, so an op without a gradient rule
 * does not compile.
 */
import { Tensor, type TensorLike } from "../tensor.js";
import { traceHook } from "../trace-hook.js";
import { type DType, allocateUninitialized, isFloatingPoint, isIntegral } from "../dtype.js";
import { ownedGradient, record } from "../autograd/node.js";
import { mapUnary, mapBinary, mapTernary, mapGradient, floatResult, checkFloat, gradFor, operand, resultTypeOf } from "./helpers.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { consumeGradient } from "../autograd/recycle.js";
import { where } from "./indexing.js";
import { unaryKernel, gradientKernel, reluFloat32, reluGradFloat32 } from "../kernels/elementwise.js";

interface UnarySpec {
  /** PyTorch's grad_fn name. */
  readonly node: string;
  /** JS expression over the element `x` (and scalar parameters `p`, `q`). */
  readonly expr: string;
  /**
   * "float": int/bool inputs give float32; "same": keep the input dtype (bool throws);
   * "floatOnly": floating-point inputs only, as PyTorch has no integer kernel (frac, round(decimals)).
   */
  readonly result: "float" | "same" | "floatOnly";
  /**
   * Gradient of the input from the output gradient `g`, the input `x`, the output `y` and the
   * parameters, written with Tensor ops (so it can be differentiated again).
   */
  readonly grad: (g: Tensor, x: Tensor, y: Tensor, p: number, q: number) => Tensor;
  /**
   * The same gradient as one JS expression over `g`, `x`, `y`, `p`, `q` (scratch variables `t`,
   * `u`), run as a single fused pass when no graph of the gradient is wanted (plain backward).
   */
  readonly backward?: string;
  /** Kernels for contiguous float32 data that replace `expr` and `backward` there (relu: branch-free). */
  readonly float32?: {
    forward(out: Float32Array, x: Float32Array, xOff: number): void;
    backward(out: Float32Array, g: Float32Array, gOff: number, y: Float32Array, yOff: number): void;
  };
}

/**
 * What {@link elementwiseOp} needs to build a fused elementwise op: its name, the forward as one
 * JavaScript expression, and the gradient (with Tensor ops, and optionally as a fused expression).
 *
 * @example
 * ```ts
 * const softsign = elementwiseOp({
 *   name: "softsign",
 *   expr: "x / (1 + Math.abs(x))",
 *   grad: (g, x) => g.div(x.abs().add(1).square()),
 *   backward: "(t = 1 + Math.abs(x), g / (t * t))",
 * });
 * const x = tensor([-1, 0, 3], { requiresGrad: true });
 * softsign(x);        // → [-0.5, 0, 0.75]
 * softsign(x).sum().backward();
 * x.grad;             // → [0.25, 1, 0.0625]
 * ```
 * @group Autograd
 */
export interface ElementwiseOpSpec {
  /** The op's name, used in error messages (and for the gradFn name unless `node` is given). */
  name: string;
  /** The gradFn name printed by `toString()`; default `<Name>Backward`. */
  node?: string;
  /**
   * A JavaScript expression of the element `x` and the op's two scalar parameters `p` and `q`,
   * compiled once into a loop (it may call `Math.*`). Example: `"x > 0 ? x : p * x"`.
   */
  expr: string;
  /** `"float"` (default): int/bool inputs give float32; `"same"`: keep the input's dtype. */
  result?: "float" | "same";
  /** The input's gradient from `g`, `x`, the output `y` and `p`, `q`, written with Tensor ops. */
  grad: (g: Tensor, x: Tensor, y: Tensor, p: number, q: number) => Tensor;
  /**
   * Optional: the same gradient as one JS expression of the element's output gradient `g`, input
   * `x`, output `y` and `p`, `q` (with scratch variables `t`, `u` for reused values), e.g.
   * `"x > 0 ? g : g * p"`. A plain `backward()` then runs it as one fused pass; `grad` is still
   * used when a graph of the gradient is recorded (`createGraph: true`). Keep the two in agreement.
   */
  backward?: string;
}

const zeroGrad = (g: Tensor): Tensor => mapUnary(g, "0");

// d/dx I₁ = I₀ − I₁/x, ½ at 0; PyTorch (i1_backward) uses ½ wherever |x| ≤ machine epsilon.
const I1: UnarySpec = {
  node: "SpecialI1Backward0", expr: "i1(x)", result: "float",
  grad: (g, x, y) => {
    const eps = x.dtype === "float64" ? 2 ** -52 : 2 ** -23;
    const notTiny = x.abs().gt(eps);
    const safe = where(notTiny, x, eps);
    return g.mul(where(notTiny, safe.i0().sub(y.mul(safe.reciprocal())), 0.5));
  },
};

// I₁, for i0's gradient (PyTorch's torch.special.i1).
function i1(x: Tensor): Tensor {
  return applySpec("i1", I1, x);
}

const UNARY = {
  neg: { node: "NegBackward0", expr: "-x", result: "same", grad: (g) => g.neg() },
  exp: { node: "ExpBackward0", expr: "Math.exp(x)", result: "float", grad: (g, _x, y) => g.mul(y) },
  log: { node: "LogBackward0", expr: "Math.log(x)", result: "float", grad: (g, x) => g.div(x) },
  log1p: { node: "Log1PBackward0", expr: "Math.log1p(x)", result: "float", grad: (g, x) => g.div(x.add(1)), backward: "g / (1 + x)" },
  expm1: { node: "Expm1Backward0", expr: "Math.expm1(x)", result: "float", grad: (g, _x, y) => g.mul(y.add(1)), backward: "g * (y + 1)" },
  sqrt: { node: "SqrtBackward0", expr: "Math.sqrt(x)", result: "float", grad: (g, _x, y) => g.div(y.mul(2)), backward: "g / (2 * y)" },
  rsqrt: { node: "RsqrtBackward0", expr: "1 / Math.sqrt(x)", result: "float", grad: (g, _x, y) => g.mul(y.pow(3)).mul(-0.5), backward: "-0.5 * g * y * y * y" },
  square: { node: "PowBackward0", expr: "x * x", result: "same", grad: (g, x) => g.mul(x).mul(2), backward: "2 * g * x" },
  // Integer squares wrap as PyTorch's int arithmetic does: the exact low 32 bits from Math.imul
  // (x * x in float64 has lost them once |x| > 2^26.5). No gradient flows to integers.
  squareInt: { node: "PowBackward0", expr: "Math.imul(x, x)", result: "same", grad: zeroGrad },
  reciprocal: { node: "ReciprocalBackward0", expr: "1 / x", result: "float", grad: (g, _x, y) => g.neg().mul(y.mul(y)), backward: "-g * y * y" },
  abs: { node: "AbsBackward0", expr: "Math.abs(x)", result: "same", grad: (g, x) => g.mul(x.sign()), backward: "g * (x > 0 ? 1 : x < 0 ? -1 : 0)" },
  // PyTorch's sign is (0 < x) − (x < 0): +0 at ±0 and 0 at NaN.
  sign: { node: "SignBackward0", expr: "x > 0 ? 1 : x < 0 ? -1 : 0", result: "same", grad: zeroGrad },
  sin: { node: "SinBackward0", expr: "Math.sin(x)", result: "float", grad: (g, x) => g.mul(x.cos()), backward: "g * Math.cos(x)" },
  cos: { node: "CosBackward0", expr: "Math.cos(x)", result: "float", grad: (g, x) => g.mul(x.sin()).neg(), backward: "-g * Math.sin(x)" },
  erf: {
    node: "ErfBackward0", expr: "erf(x)", result: "float",
    grad: (g, x) => g.mul(x.square().neg().exp().mul(2 / Math.sqrt(Math.PI))),
    backward: "g * 1.1283791670955126 * Math.exp(-x * x)",
  },
  // exp of a negative argument only, so sigmoid(±800) is exactly 0 or 1 without overflow.
  sigmoid: {
    node: "SigmoidBackward0", expr: "x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))", result: "float",
    grad: (g, _x, y) => g.mul(y.mul(y.neg().add(1))),
    backward: "g * y * (1 - y)",
  },
  tanh: { node: "TanhBackward0", expr: "Math.tanh(x)", result: "float", grad: (g, _x, y) => g.mul(y.square().neg().add(1)), backward: "g * (1 - y * y)" },
  // NaN passes through, as in PyTorch; the kink at 0 gets gradient 0.
  relu: {
    node: "ReluBackward0", expr: "Math.max(x, 0)", result: "same", grad: (g, _x, y) => where(y.gt(0), g, 0), backward: "y > 0 ? g : 0",
    float32: { forward: reluFloat32, backward: reluGradFloat32 },
  },
  tan: { node: "TanBackward0", expr: "Math.tan(x)", result: "float", grad: (g, _x, y) => g.mul(y.square().add(1)), backward: "g * (1 + y * y)" },
  asin: { node: "AsinBackward0", expr: "Math.asin(x)", result: "float", grad: (g, x) => g.mul(x.square().neg().add(1).rsqrt()), backward: "g / Math.sqrt(1 - x * x)" },
  acos: { node: "AcosBackward0", expr: "Math.acos(x)", result: "float", grad: (g, x) => g.mul(x.square().neg().add(1).rsqrt().neg()), backward: "-g / Math.sqrt(1 - x * x)" },
  atan: { node: "AtanBackward0", expr: "Math.atan(x)", result: "float", grad: (g, x) => g.div(x.square().add(1)), backward: "g / (x * x + 1)" },
  sinh: { node: "SinhBackward0", expr: "Math.sinh(x)", result: "float", grad: (g, x) => g.mul(x.cosh()), backward: "g * Math.cosh(x)" },
  cosh: { node: "CoshBackward0", expr: "Math.cosh(x)", result: "float", grad: (g, x) => g.mul(x.sinh()), backward: "g * Math.sinh(x)" },
  asinh: { node: "AsinhBackward0", expr: "Math.asinh(x)", result: "float", grad: (g, x) => g.mul(x.square().add(1).rsqrt()), backward: "g / Math.sqrt(x * x + 1)" },
  acosh: { node: "AcoshBackward0", expr: "Math.acosh(x)", result: "float", grad: (g, x) => g.mul(x.square().sub(1).rsqrt()), backward: "g / Math.sqrt(x * x - 1)" },
  atanh: { node: "AtanhBackward0", expr: "Math.atanh(x)", result: "float", grad: (g, x) => g.div(x.square().neg().add(1)), backward: "g / (1 - x * x)" },
  log2: { node: "Log2Backward0", expr: "Math.log2(x)", result: "float", grad: (g, x) => g.div(x.mul(Math.LN2)), backward: "g / (x * 0.6931471805599453)" },
  log10: { node: "Log10Backward0", expr: "Math.log10(x)", result: "float", grad: (g, x) => g.div(x.mul(Math.LN10)), backward: "g / (x * 2.302585092994046)" },
  exp2: { node: "Exp2Backward0", expr: "Math.pow(2, x)", result: "float", grad: (g, _x, y) => g.mul(y).mul(Math.LN2), backward: "g * y * 0.6931471805599453" },
  // sin(πx)/(πx), 1 at 0; the gradient is 0 where x·x·π underflows to 0 (PyTorch's sinc_backward).
  sinc: {
    node: "SincBackward0", expr: "x === 0 ? 1 : (t = Math.PI * x, Math.sin(t) / t)", result: "float",
    grad: (g, x) => {
      const t = x.mul(Math.PI);
      const u = x.mul(x).mul(Math.PI);
      return where(u.eq(0), 0, g.mul(t.mul(t.cos()).sub(t.sin())).div(u));
    },
    backward: "(t = Math.PI * x, u = x * x * Math.PI, u === 0 ? 0 : g * (t * Math.cos(t) - Math.sin(t)) / u)",
  },
  erfc: {
    node: "ErfcBackward0", expr: "erfc(x)", result: "float",
    grad: (g, x) => x.square().neg().exp().mul(-2 / Math.sqrt(Math.PI)).mul(g),
    backward: "-1.1283791670955126 * Math.exp(-x * x) * g",
  },
  erfinv: {
    node: "ErfinvBackward0", expr: "erfinv(x)", result: "float",
    grad: (g, _x, y) => y.square().exp().mul(Math.sqrt(Math.PI) / 2).mul(g),
    backward: "0.886226925452758 * Math.exp(y * y) * g",
  },
  lgamma: { node: "LgammaBackward0", expr: "lgamma(x)", result: "float", grad: (g, x) => g.mul(x.digamma()), backward: "g * digamma(x)" },
  digamma: { node: "DigammaBackward0", expr: "digamma(x)", result: "float", grad: (g, x) => g.mul(x.polygamma(1)), backward: "g * trigamma(x)" },
  polygamma: { node: "PolygammaBackward0", expr: "polygamma(p, x)", result: "float", grad: (g, x, _y, n) => g.mul(polygamma(n + 1, x)), backward: "g * polygamma(p + 1, x)" },
  i0: { node: "I0Backward0", expr: "i0(x)", result: "float", grad: (g, x) => g.mul(i1(x)), backward: "g * i1(x)" },
  // logit: p is eps (< 0: none), q = 1 − eps, both in the tensor's precision.
  logit: {
    node: "LogitBackward0", expr: "(t = p < 0 ? x : x < p ? p : x > q ? q : x, Math.log(t / (1 - t)))", result: "float",
    grad: (g, x, _y, lo, hi) => {
      const inside = g.div(x.mul(x.neg().add(1)));
      return lo < 0 ? where(x.lt(0).logicalOr(x.gt(1)), NaN, inside) : where(x.ge(lo).logicalAnd(x.le(hi)), inside, 0);
    },
    backward: "p < 0 ? (x < 0 || x > 1 ? NaN : g / (x * (1 - x))) : (x >= p && x <= q ? g / (x * (1 - x)) : 0)",
  },
  trunc: { node: "TruncBackward0", expr: "Math.trunc(x)", result: "same", grad: zeroGrad },
  frac: { node: "FracBackward0", expr: "x - Math.trunc(x)", result: "floatOnly", grad: (g) => g },
  // round(x, decimals): p = 10^|decimals| in the tensor's precision; q = 1 scales up (decimals > 0).
  roundDecimals: {
    node: "RoundBackward1", expr: "q === 1 ? roundHalfEven(x * p) / p : roundHalfEven(x / p) * p", result: "floatOnly", grad: zeroGrad,
  },
  roundDecimals32: {
    node: "RoundBackward1", expr: "q === 1 ? roundHalfEven(Math.fround(x * p)) / p : roundHalfEven(Math.fround(x / p)) * p", result: "floatOnly", grad: zeroGrad,
  },
  floor: { node: "FloorBackward0", expr: "Math.floor(x)", result: "same", grad: zeroGrad },
  ceil: { node: "CeilBackward0", expr: "Math.ceil(x)", result: "same", grad: zeroGrad },
  round: { node: "RoundBackward0", expr: "roundHalfEven(x)", result: "same", grad: zeroGrad },
} satisfies Record<string, UnarySpec>;

type UnaryName = keyof typeof UNARY;

function resultOf(name: string, spec: UnarySpec, x: Tensor): DType {
  if (spec.result === "float") return floatResult(x);
  if (spec.result === "floatOnly") checkFloat(name, x);
  if (x.dtype === "bool") throw new TypeError(`${name}: not supported for bool tensors`);
  return x.dtype;
}

function applySpec(name: string, spec: UnarySpec, x: Tensor, p = 0, q = 0): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${name}: expected a Tensor, got ${typeof x}`);
  const f32 = x.dtype === "float32" ? spec.float32 : undefined;
  let y: Tensor;
  if (f32 !== undefined && x.isContiguous()) {
    const out = allocateUninitialized("float32", x.numel()) as Float32Array;
    f32.forward(out, x.data as Float32Array, x.offset);
    y = new Tensor(out, x.shape, "float32");
  } else {
    y = mapUnary(x, spec.expr, resultOf(name, spec, x), p, q);
  }
  if (!x.requiresGrad || !isGradEnabled()) return y; // nothing to record: no closure to build
  const fused = spec.backward;
  // Plain backward runs with grad mode off: one fused pass. With createGraph, the Tensor-op rule.
  const rule = (g: Tensor): Tensor[] => {
    if (fused === undefined || isGradEnabled()) return [spec.grad(g, x, y, p, q)];
    let gx: Tensor;
    if (f32 !== undefined && g.dtype === "float32" && g.isContiguous()) {
      const out = allocateUninitialized("float32", g.numel()) as Float32Array;
      f32.backward(out, g.data as Float32Array, g.offset, y.data as Float32Array, y.offset); // y is contiguous: made above
      gx = ownedGradient(new Tensor(out, g.shape, "float32"));
    } else {
      gx = mapGradient(g, x, y, fused, p, q);
    }
    consumeGradient(g, g.data); // read in full: its buffer may serve the next allocation
    return [gx];
  };
  // A rule that takes only the gradient (neg, sign, floor, ...) reads no saved value.
  return record(y, spec.node, [x], rule, spec.grad.length <= 1 ? [] : [x, y]);
}

function applyUnary(name: UnaryName, x: Tensor, p = 0, q = 0, op: string = name): Tensor {
  return applySpec(op, UNARY[name], x, p, q);
}

/**
 * Builds a fused elementwise op: one compiled pass forward (no per-element closure) and the
 * backward rule you give, recorded like any core op. This is how tsgrad's own activations (ELU,
 * SiLU, GELU, ...) avoid a chain of several passes, and how you add yours. The returned function
 * takes the input and the two optional scalar parameters `p` and `q` (default 0).
 *
 * @example
 * ```ts
 * const softsign = elementwiseOp({
 *   name: "softsign",
 *   expr: "x / (1 + Math.abs(x))",
 *   grad: (g, x) => g.div(x.abs().add(1).square()),
 * });
 * softsign(tensor([-1, 3])).toArray(); // [-0.5, 0.75]
 * ```
 * @group Autograd
 */
export function elementwiseOp(spec: ElementwiseOpSpec): (x: Tensor, p?: number, q?: number) => Tensor {
  const { name, expr, grad } = spec ?? ({} as ElementwiseOpSpec);
  if (typeof name !== "string" || name === "") throw new TypeError("elementwiseOp: spec.name must be a non-empty string");
  if (typeof expr !== "string") throw new TypeError(`elementwiseOp: ${name}: spec.expr must be a string expression of x, p and q`);
  if (typeof grad !== "function") throw new TypeError(`elementwiseOp: ${name}: spec.grad must be a function (g, x, y, p, q) => Tensor`);
  const compiles = (what: string, source: string, kernel: (s: string) => unknown): void => {
    try {
      kernel(source);
    } catch (e) {
      throw new TypeError(`elementwiseOp: ${name}: the ${what} expression ${JSON.stringify(source)} does not compile (${(e as Error).message})`);
    }
  };
  compiles("forward", expr, unaryKernel);
  if (spec.backward !== undefined) compiles("backward", spec.backward, gradientKernel);
  const unary: UnarySpec = {
    node: spec.node ?? `${name[0].toUpperCase()}${name.slice(1)}Backward`,
    expr,
    result: spec.result ?? "float",
    grad,
    backward: spec.backward,
  };
  const op = (x: Tensor, p = 0, q = 0): Tensor => {
    if (traceHook !== null) return traceHook(name, op, [x, p, q]) as Tensor;
    return applySpec(name, unary, x, p, q);
  };
  return op;
}

/** `−x`. */
export const neg = (x: Tensor): Tensor => applyUnary("neg", x);
/** `eˣ`; d/dx = eˣ. */
export const exp = (x: Tensor): Tensor => applyUnary("exp", x);
/** `ln x`; d/dx = 1/x. */
export const log = (x: Tensor): Tensor => applyUnary("log", x);
/** `ln(1 + x)`; d/dx = 1/(1 + x). */
export const log1p = (x: Tensor): Tensor => applyUnary("log1p", x);
/** `eˣ − 1`; d/dx = eˣ. */
export const expm1 = (x: Tensor): Tensor => applyUnary("expm1", x);
/** `√x`; d/dx = 1/(2√x). */
export const sqrt = (x: Tensor): Tensor => applyUnary("sqrt", x);
/** `1/√x`; d/dx = −½x^(−3/2). */
export const rsqrt = (x: Tensor): Tensor => applyUnary("rsqrt", x);
/** `x²`; d/dx = 2x. */
export const square = (x: Tensor): Tensor => applyUnary(x instanceof Tensor && isIntegral(x.dtype) ? "squareInt" : "square", x, 0, 0, "square");
/** `1/x`; d/dx = −1/x². */
export const reciprocal = (x: Tensor): Tensor => applyUnary("reciprocal", x);
/** `|x|`; d/dx = sign(x) (0 at 0). */
export const abs = (x: Tensor): Tensor => applyUnary("abs", x);
/** sign(x) ∈ {−1, 0, 1}, 0 at NaN (PyTorch); zero gradient. */
export const sign = (x: Tensor): Tensor => applyUnary("sign", x);
/** `sin x`. */
export const sin = (x: Tensor): Tensor => applyUnary("sin", x);
/** `cos x`. */
export const cos = (x: Tensor): Tensor => applyUnary("cos", x);
/** The error function; d/dx = 2/√π·e^(−x²). */
export const erf = (x: Tensor): Tensor => applyUnary("erf", x);
/** `σ(x) = 1/(1 + e^(−x))`; d/dx = σ(x)(1 − σ(x)). */
export const sigmoid = (x: Tensor): Tensor => applyUnary("sigmoid", x);
/** `tanh x`; d/dx = 1 − tanh² x. */
export const tanh = (x: Tensor): Tensor => applyUnary("tanh", x);
/** `max(x, 0)`; d/dx = 1 if x > 0 else 0. */
export const relu = (x: Tensor): Tensor => applyUnary("relu", x);
/** Round toward −∞; zero gradient. */
export const floor = (x: Tensor): Tensor => applyUnary("floor", x);
/** Round toward +∞; zero gradient. */
export const ceil = (x: Tensor): Tensor => applyUnary("ceil", x);
/**
 * Round half to even (PyTorch's `round`), to `decimals` places: `round(x·10ᵈ)/10ᵈ`, or
 * `round(x/10⁻ᵈ)·10⁻ᵈ` for negative d, in the tensor's precision as PyTorch computes it. Zero gradient.
 */
export function round(x: Tensor, decimals = 0): Tensor {
  if (!Number.isInteger(decimals)) throw new RangeError(`round: decimals must be an integer, got ${decimals}`);
  if (decimals === 0) return applyUnary("round", x);
  if (!(x instanceof Tensor)) throw new TypeError(`round: expected a Tensor, got ${typeof x}`);
  const f32 = x.dtype === "float32";
  const scale = f32 ? Math.fround(10 ** Math.abs(decimals)) : 10 ** Math.abs(decimals);
  return applyUnary(f32 ? "roundDecimals32" : "roundDecimals", x, scale, decimals > 0 ? 1 : 0, "round");
}
/** Rounds toward zero; zero gradient. */
export const trunc = (x: Tensor): Tensor => applyUnary("trunc", x);
/** `x − trunc(x)`, the fractional part with x's sign (floating-point only); gradient 1. */
export const frac = (x: Tensor): Tensor => applyUnary("frac", x);
/** `tan x`; d/dx = 1 + tan² x. */
export const tan = (x: Tensor): Tensor => applyUnary("tan", x);
/** `arcsin x`; d/dx = 1/√(1 − x²). */
export const asin = (x: Tensor): Tensor => applyUnary("asin", x);
/** `arccos x`; d/dx = −1/√(1 − x²). */
export const acos = (x: Tensor): Tensor => applyUnary("acos", x);
/** `arctan x`; d/dx = 1/(1 + x²). */
export const atan = (x: Tensor): Tensor => applyUnary("atan", x);
/** `sinh x`; d/dx = cosh x. */
export const sinh = (x: Tensor): Tensor => applyUnary("sinh", x);
/** `cosh x`; d/dx = sinh x. */
export const cosh = (x: Tensor): Tensor => applyUnary("cosh", x);
/** `arsinh x`; d/dx = 1/√(x² + 1). */
export const asinh = (x: Tensor): Tensor => applyUnary("asinh", x);
/** `arcosh x`; d/dx = 1/√(x² − 1). */
export const acosh = (x: Tensor): Tensor => applyUnary("acosh", x);
/** `artanh x`; d/dx = 1/(1 − x²). */
export const atanh = (x: Tensor): Tensor => applyUnary("atanh", x);
/** `log₂ x`; d/dx = 1/(x ln 2). */
export const log2 = (x: Tensor): Tensor => applyUnary("log2", x);
/** `log₁₀ x`; d/dx = 1/(x ln 10). */
export const log10 = (x: Tensor): Tensor => applyUnary("log10", x);
/** `2ˣ`; d/dx = 2ˣ ln 2. */
export const exp2 = (x: Tensor): Tensor => applyUnary("exp2", x);
/** The normalized sinc `sin(πx)/(πx)`, 1 at 0. */
export const sinc = (x: Tensor): Tensor => applyUnary("sinc", x);
/** `1 − erf x`, accurate where erf x is near 1; d/dx = −2/√π·e^(−x²). */
export const erfc = (x: Tensor): Tensor => applyUnary("erfc", x);
/** The inverse of erf on (−1, 1) (±∞ at ±1, NaN outside); d/dx = √π/2·e^(erfinv(x)²). */
export const erfinv = (x: Tensor): Tensor => applyUnary("erfinv", x);
/** `ln |Γ(x)|`; d/dx = ψ(x). */
export const lgamma = (x: Tensor): Tensor => applyUnary("lgamma", x);
/** ψ(x) = d/dx ln Γ(x); d/dx = ψ′(x). */
export const digamma = (x: Tensor): Tensor => applyUnary("digamma", x);
/** I₀(x), the modified Bessel function of the first kind of order 0; d/dx = I₁(x). */
export const i0 = (x: Tensor): Tensor => applyUnary("i0", x);

/**
 * `ψ⁽ⁿ⁾(x)`, the n-th derivative of the digamma function (n a non-negative integer: 0 is
 * digamma, 1 trigamma, n ≥ 2 `(−1)ⁿ⁺¹ n! ζ(n + 1, x)`); gradient `ψ⁽ⁿ⁺¹⁾(x)`. PyTorch:
 * `torch.polygamma(n, input)`, n first as there (the method is `x.polygamma(n)`). Shape: as the input.
 *
 * @example
 * ```ts
 * polygamma(1, tensor([1], { dtype: "float64" })).item(); // ≈ 1.64493406764 (π²/6 to 9 digits, as PyTorch)
 * ```
 * @group Pointwise math
 */
export function polygamma(n: number, x: Tensor): Tensor {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new RangeError(`polygamma: n must be a non-negative integer, got ${typeof n === "number" ? n : typeof n}`);
  }
  return applyUnary("polygamma", x, n);
}

/**
 * `ln(x / (1 − x))`, with x first clamped into [eps, 1 − eps] when `eps` is given. Gradient
 * `1/(x(1 − x))`: NaN outside [0, 1] without eps, 0 outside [eps, 1 − eps] with it (PyTorch).
 */
export function logit(x: Tensor, eps?: number | null): Tensor {
  if (eps != null && (typeof eps !== "number" || !(eps >= 0 && eps <= 1))) {
    throw new RangeError(`logit: eps must be a number in [0, 1] or null, got ${typeof eps === "number" ? eps : typeof eps}`);
  }
  if (!(x instanceof Tensor)) throw new TypeError(`logit: expected a Tensor, got ${typeof x}`);
  if (eps == null) return applyUnary("logit", x, -1, 0);
  const f32 = x.dtype !== "float64";
  const lo = f32 ? Math.fround(eps) : eps;
  return applyUnary("logit", x, lo, f32 ? Math.fround(1 - lo) : 1 - lo);
}

/**
 * Clamps into [min, max]: `min(max(x, min), max)` (all `max` when min > max, as PyTorch). Each
 * bound is a number, a Tensor (broadcast with x; NaN in a bound gives NaN), or null/undefined
 * for none. The gradient to x is 1 where min ≤ x ≤ max (closed interval), else 0; a tensor min
 * gets it where x < min (and min < max), a tensor max where x > max (or max < min).
 */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null, op = "clamp"): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${x === null ? "null" : typeof x}`);
  if (min == null && max == null) throw new TypeError(`${op}: at least one of min or max must be given`);
  for (const [name, v] of [["min", min], ["max", max]] as const) {
    if (v != null && typeof v !== "number" && !(v instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a number or a Tensor, got ${typeof v}`);
  }
  if (min instanceof Tensor || max instanceof Tensor) return clampByTensors(op, x, min ?? null, max ?? null);
  const lo = (min as number | null) ?? -Infinity;
  const hi = (max as number | null) ?? Infinity;
  const floatBound = !Number.isInteger(lo) && Number.isFinite(lo) || !Number.isInteger(hi) && Number.isFinite(hi);
  const dtype: DType = x.dtype === "bool" || (floatBound && !isFloatingPoint(x.dtype)) ? "float32" : x.dtype;
  const y = mapUnary(x, "x !== x ? x : Math.min(Math.max(x, p), q)", dtype, lo, hi);
  return record(y, "ClampBackward1", [x], (g) => [
    isGradEnabled() ? where(mapUnary(x, "x >= p && x <= q ? 1 : 0", "bool", lo, hi), g, 0) : mapGradient(g, x, y, "x >= p && x <= q ? g : 0", lo, hi),
  ], [x]);
}

// clamp with a tensor bound: PyTorch's clamp_backward and clamp_backward_min_max.
function clampByTensors(op: string, x: Tensor, min: TensorLike | null, max: TensorLike | null): Tensor {
  const dtype = resultTypeOf([x, ...(min === null ? [] : [min]), ...(max === null ? [] : [max])]);
  if (dtype === "bool") throw new TypeError(`${op}: not supported for bool tensors`);
  const lo = min === null ? null : operand(min, dtype);
  const hi = max === null ? null : operand(max, dtype);
  if (lo && hi) {
    const y = mapTernary(op, x, lo, hi, "Math.min(Math.max(c, x), y)", dtype);
    return record(y, "ClampBackward0", [x, lo, hi], (g) => [
      gradFor(where(x.ge(lo).logicalAnd(x.le(hi)), g, 0), x),
      gradFor(where(x.lt(lo).logicalAnd(lo.lt(hi)), g, 0), lo),
      gradFor(where(x.gt(hi).logicalOr(hi.lt(lo)), g, 0), hi),
    ], [x, lo, hi]);
  }
  const bound = (lo ?? hi)!;
  const isMin = lo !== null;
  const y = mapBinary(op, x, bound, isMin ? "Math.max(x, y)" : "Math.min(x, y)", dtype);
  return record(y, "ClampBackward0", [x, bound], (g) => [
    gradFor(where(isMin ? x.ge(bound) : x.le(bound), g, 0), x),
    gradFor(where(isMin ? x.lt(bound) : x.gt(bound), g, 0), bound),
  ], [x, bound]);
}

/** `max(x, min)` elementwise with PyTorch's NaN propagation: {@link clamp} with only a lower bound. */
export const clampMin = (x: Tensor, min: TensorLike): Tensor => clamp(x, min, null, "clampMin");
/** `min(x, max)` elementwise: {@link clamp} with only an upper bound. */
export const clampMax = (x: Tensor, max: TensorLike): Tensor => clamp(x, null, max, "clampMax");
