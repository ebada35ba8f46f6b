/**
 * Unary math: one table row per op with its kernel expression and its backward rule side by
 * side. The table's type requires a `grad` for every row, so an op without a gradient rule
 * does not compile.
 */
import { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import { record } from "../autograd/node.js";
import { mapUnary, mapGradient, floatResult } from "./helpers.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { where } from "./indexing.js";
import { unaryKernel, gradientKernel } from "../kernels/elementwise.js";

interface UnarySpec {
  /** PyTorch's grad_fn name. */
  readonly node: string;
  /** JS expression over the element `x` (and scalar parameters `p`, `q`). */
  readonly expr: string;
  /** "float": int/bool inputs give float32; "same": keep the input dtype. */
  readonly result: "float" | "same";
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
}

/** What {@link elementwiseOp} needs to build a fused elementwise op. */
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

const UNARY = {
  neg: { node: "NegBackward0", expr: "-x", result: "same", grad: (g) => g.neg() },
  exp: { node: "ExpBackward0", expr: "Math.exp(x)", result: "float", grad: (g, _x, y) => g.mul(y) },
  log: { node: "LogBackward0", expr: "Math.log(x)", result: "float", grad: (g, x) => g.div(x) },
  log1p: { node: "Log1PBackward0", expr: "Math.log1p(x)", result: "float", grad: (g, x) => g.div(x.add(1)), backward: "g / (1 + x)" },
  expm1: { node: "Expm1Backward0", expr: "Math.expm1(x)", result: "float", grad: (g, _x, y) => g.mul(y.add(1)), backward: "g * (y + 1)" },
  sqrt: { node: "SqrtBackward0", expr: "Math.sqrt(x)", result: "float", grad: (g, _x, y) => g.div(y.mul(2)), backward: "g / (2 * y)" },
  rsqrt: { node: "RsqrtBackward0", expr: "1 / Math.sqrt(x)", result: "float", grad: (g, _x, y) => g.mul(y.pow(3)).mul(-0.5), backward: "-0.5 * g * y * y * y" },
  square: { node: "PowBackward0", expr: "x * x", result: "same", grad: (g, x) => g.mul(x).mul(2), backward: "2 * g * x" },
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
  relu: { node: "ReluBackward0", expr: "x > 0 ? x : (x !== x ? x : 0)", result: "same", grad: (g, _x, y) => where(y.gt(0), g, 0), backward: "y > 0 ? g : 0" },
  floor: { node: "FloorBackward0", expr: "Math.floor(x)", result: "same", grad: zeroGrad },
  ceil: { node: "CeilBackward0", expr: "Math.ceil(x)", result: "same", grad: zeroGrad },
  round: { node: "RoundBackward0", expr: "roundHalfEven(x)", result: "same", grad: zeroGrad },
} satisfies Record<string, UnarySpec>;

type UnaryName = keyof typeof UNARY;

function resultOf(name: string, spec: UnarySpec, x: Tensor): DType {
  if (spec.result === "float") return floatResult(x);
  if (x.dtype === "bool") throw new TypeError(`${name}: not supported for bool tensors`);
  return x.dtype;
}

function applySpec(name: string, spec: UnarySpec, x: Tensor, p = 0, q = 0): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${name}: expected a Tensor, got ${typeof x}`);
  const y = mapUnary(x, spec.expr, resultOf(name, spec, x), p, q);
  const fused = spec.backward;
  // Plain backward runs with grad mode off: one fused pass. With createGraph, the Tensor-op rule.
  const rule = (g: Tensor): Tensor => (fused !== undefined && !isGradEnabled() ? mapGradient(g, x, y, fused, p, q) : spec.grad(g, x, y, p, q));
  // A rule that takes only the gradient (neg, sign, floor, ...) reads no saved value.
  return record(y, spec.node, [x], (g) => [rule(g)], spec.grad.length <= 1 ? [] : [x, y]);
}

function applyUnary(name: UnaryName, x: Tensor): Tensor {
  return applySpec(name, UNARY[name], x);
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
  return (x, p = 0, q = 0) => applySpec(name, unary, x, p, q);
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
export const square = (x: Tensor): Tensor => applyUnary("square", x);
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
/** Round half to even; zero gradient. */
export const round = (x: Tensor): Tensor => applyUnary("round", x);

/**
 * Clamps into [min, max]: `min(max(x, min), max)` (all `max` when min > max, as PyTorch).
 * The gradient is 1 where min ≤ x ≤ max (closed interval), else 0.
 */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  if (min === undefined && max === undefined) throw new TypeError("clamp: at least one of min or max must be given");
  for (const [name, v] of [["min", min], ["max", max]] as const) {
    if (v !== undefined && typeof v !== "number") throw new TypeError(`clamp: ${name} must be a number, got ${typeof v}`);
  }
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  const floatBound = !Number.isInteger(lo) && Number.isFinite(lo) || !Number.isInteger(hi) && Number.isFinite(hi);
  const dtype: DType = x.dtype === "bool" || (floatBound && x.dtype === "int32") ? "float32" : x.dtype;
  const y = mapUnary(x, "x !== x ? x : Math.min(Math.max(x, p), q)", dtype, lo, hi);
  return record(y, "ClampBackward1", [x], (g) => [
    isGradEnabled() ? where(mapUnary(x, "x >= p && x <= q ? 1 : 0", "bool", lo, hi), g, 0) : mapGradient(g, x, y, "x >= p && x <= q ? g : 0", lo, hi),
  ], [x]);
}
