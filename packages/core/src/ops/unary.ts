/**
 * Unary math: one table row per op with its kernel expression and its backward rule side by
 * side. The table's type requires a `grad` for every row, so an op without a gradient rule
 * does not compile.
 */
import { Tensor } from "../tensor.js";
import type { DType } from "../dtype.js";
import { record } from "../autograd/node.js";
import { mapUnary, floatResult } from "./helpers.js";
import { where } from "./indexing.js";

interface UnarySpec {
  /** PyTorch's grad_fn name. */
  readonly node: string;
  /** JS expression over the element `x` (and scalar parameters `p`, `q`). */
  readonly expr: string;
  /** "float": int/bool inputs give float32; "same": keep the input dtype. */
  readonly result: "float" | "same";
  /** Gradient of the input from the output gradient `g`, the input `x` and the output `y`. */
  readonly grad: (g: Tensor, x: Tensor, y: Tensor) => Tensor;
}

const zeroGrad = (g: Tensor): Tensor => mapUnary(g, "0");

const UNARY = {
  neg: { node: "NegBackward0", expr: "-x", result: "same", grad: (g) => g.neg() },
  exp: { node: "ExpBackward0", expr: "Math.exp(x)", result: "float", grad: (g, _x, y) => g.mul(y) },
  log: { node: "LogBackward0", expr: "Math.log(x)", result: "float", grad: (g, x) => g.div(x) },
  log1p: { node: "Log1PBackward0", expr: "Math.log1p(x)", result: "float", grad: (g, x) => g.div(x.add(1)) },
  expm1: { node: "Expm1Backward0", expr: "Math.expm1(x)", result: "float", grad: (g, _x, y) => g.mul(y.add(1)) },
  sqrt: { node: "SqrtBackward0", expr: "Math.sqrt(x)", result: "float", grad: (g, _x, y) => g.div(y.mul(2)) },
  rsqrt: { node: "RsqrtBackward0", expr: "1 / Math.sqrt(x)", result: "float", grad: (g, _x, y) => g.mul(y.pow(3)).mul(-0.5) },
  square: { node: "PowBackward0", expr: "x * x", result: "same", grad: (g, x) => g.mul(x).mul(2) },
  reciprocal: { node: "ReciprocalBackward0", expr: "1 / x", result: "float", grad: (g, _x, y) => g.neg().mul(y.mul(y)) },
  abs: { node: "AbsBackward0", expr: "Math.abs(x)", result: "same", grad: (g, x) => g.mul(x.sign()) },
  sign: { node: "SignBackward0", expr: "x > 0 ? 1 : x < 0 ? -1 : 0 * x", result: "same", grad: zeroGrad },
  sin: { node: "SinBackward0", expr: "Math.sin(x)", result: "float", grad: (g, x) => g.mul(x.cos()) },
  cos: { node: "CosBackward0", expr: "Math.cos(x)", result: "float", grad: (g, x) => g.mul(x.sin()).neg() },
  erf: {
    node: "ErfBackward0", expr: "erf(x)", result: "float",
    grad: (g, x) => g.mul(x.square().neg().exp().mul(2 / Math.sqrt(Math.PI))),
  },
  // exp of a negative argument only, so sigmoid(±800) is exactly 0 or 1 without overflow.
  sigmoid: {
    node: "SigmoidBackward0", expr: "x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))", result: "float",
    grad: (g, _x, y) => g.mul(y.mul(y.neg().add(1))),
  },
  tanh: { node: "TanhBackward0", expr: "Math.tanh(x)", result: "float", grad: (g, _x, y) => g.mul(y.square().neg().add(1)) },
  // NaN passes through, as in PyTorch; the kink at 0 gets gradient 0.
  relu: { node: "ReluBackward0", expr: "x > 0 ? x : (x !== x ? x : 0)", result: "same", grad: (g, _x, y) => where(y.gt(0), g, 0) },
  floor: { node: "FloorBackward0", expr: "Math.floor(x)", result: "same", grad: zeroGrad },
  ceil: { node: "CeilBackward0", expr: "Math.ceil(x)", result: "same", grad: zeroGrad },
  round: { node: "RoundBackward0", expr: "roundHalfEven(x)", result: "same", grad: zeroGrad },
} satisfies Record<string, UnarySpec>;

type UnaryName = keyof typeof UNARY;

function resultOf(spec: UnarySpec, x: Tensor): DType {
  if (spec.result === "float") return floatResult(x);
  if (x.dtype === "bool") throw new TypeError(`${spec.node.replace(/Backward\d*$/, "").toLowerCase()}: not supported for bool tensors`);
  return x.dtype;
}

function applyUnary(name: UnaryName, x: Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${name}: expected a Tensor, got ${typeof x}`);
  const spec: UnarySpec = UNARY[name];
  const y = mapUnary(x, spec.expr, resultOf(spec, x));
  // A rule that takes only the gradient (neg, sign, floor, ...) reads no saved value.
  return record(y, spec.node, [x], (g) => [spec.grad(g, x, y)], spec.grad.length <= 1 ? [] : [x, y]);
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
/** sign(x) ∈ {−1, 0, 1}; zero gradient. */
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
  return record(y, "ClampBackward1", [x], (g) => [where(mapUnary(x, "x >= p && x <= q ? 1 : 0", "bool", lo, hi), g, 0)], [x]);
}
