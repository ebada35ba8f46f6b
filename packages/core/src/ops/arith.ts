/** Broadcasting arithmetic: add, sub, mul, div, pow, maximum, minimum — forward kernels with their backward rules. */
import { Tensor, type TensorLike } from "../tensor.js";
import { isRecording, record } from "../autograd/node.js";
import { binaryOperands, mapBinary, mapTernary, gradFor, notDifferentiable, checkFloat } from "./helpers.js";
import { type DType, isFloatingPoint, isIntegral } from "../dtype.js";
import { optionChecks, resolveOptions } from "../options.js";
import { where } from "./indexing.js";

const prepare = binaryOperands;

/** `a + alpha·b`, broadcasting; d/da = 1, d/db = alpha. */
export function add(a: Tensor, b: TensorLike, alpha = 1): Tensor {
  const [x, y, dtype] = prepare("add", a, b);
  const out = mapBinary("add", x, y, alpha === 1 ? "x + y" : "x + p * y", dtype, alpha);
  if (!isRecording(x, y)) return out;
  return record(out, "AddBackward0", [x, y], (g) => [gradFor(g, x), gradFor(alpha === 1 ? g : g.mul(alpha), y)], []);
}

/** `a − alpha·b`, broadcasting; d/da = 1, d/db = −alpha. */
export function sub(a: Tensor, b: TensorLike, alpha = 1): Tensor {
  const [x, y, dtype] = prepare("sub", a, b);
  if (dtype === "bool") throw new TypeError("sub: subtraction of bool tensors is not supported; use logicalXor or cast with .int()");
  const out = mapBinary("sub", x, y, alpha === 1 ? "x - y" : "x - p * y", dtype, alpha);
  if (!isRecording(x, y)) return out;
  return record(out, "SubBackward0", [x, y], (g) => [gradFor(g, x), gradFor(g.mul(-alpha), y)], []);
}

/** `a · b`, broadcasting; d/da = b, d/db = a. */
export function mul(a: Tensor, b: TensorLike): Tensor {
  const [x, y, dtype] = prepare("mul", a, b);
  // int32 products through Math.imul: the exact low 32 bits (PyTorch's wrap-around), where a
  // float64 product of two large int32s has already lost them.
  const out = mapBinary("mul", x, y, dtype === "bool" ? "x & y" : dtype === "int32" ? "Math.imul(x, y)" : "x * y", dtype);
  if (!isRecording(x, y)) return out;
  return record(out, "MulBackward0", [x, y], (g) => [
    x.requiresGrad ? gradFor(g.mul(y), x) : null,
    y.requiresGrad ? gradFor(g.mul(x), y) : null,
  ], [x, y]);
}

/** `a / b` (true division; integer inputs give float32), broadcasting; d/da = 1/b, d/db = −a/b². */
export function div(a: Tensor, b: TensorLike): Tensor {
  const [x, y, promoted] = prepare("div", a, b);
  const dtype = promoted === "float64" ? "float64" : "float32";
  const out = mapBinary("div", x, y, "x / y", dtype);
  if (!isRecording(x, y)) return out;
  return record(out, "DivBackward0", [x, y], (g) => [
    x.requiresGrad ? gradFor(g.div(y), x) : null,
    y.requiresGrad ? gradFor(g.neg().mul(x).div(y.mul(y)), y) : null,
  ], [x, y]);
}

/**
 * `a ** b`, broadcasting. d/da = b·a^(b−1) (0 where b = 0), d/db = a^b·ln a (0 where a = 0 and
 * b ≥ 0), PyTorch's conventions at those points.
 */
export function pow(a: Tensor, b: TensorLike): Tensor {
  if (typeof b === "number" && Number.isInteger(b) && b < 0 && (isIntegral(a.dtype) || a.dtype === "bool")) {
    throw new RangeError(`pow: Integers to negative integer powers are not allowed (${a.dtype} tensor to the power ${b}); cast the tensor to float first`);
  }
  const [x, y, dtype] = prepare("pow", a, b);
  // Integer powers wrap like PyTorch's int arithmetic: square-and-multiply with Math.imul (powInt).
  const out = mapBinary("pow", x, y, isIntegral(dtype) ? "powInt(x, y)" : "Math.pow(x, y)", dtype);
  return record(out, "PowBackward", [x, y], (g) => {
    let gx: Tensor | null = null;
    let gy: Tensor | null = null;
    if (x.requiresGrad) {
      const d = where(y.eq(0), 0, y.mul(x.pow(y.sub(1))));
      gx = gradFor(g.mul(d), x);
    }
    if (y.requiresGrad) {
      const d = where(x.eq(0).logicalAnd(y.ge(0)), 0, out.mul(x.log()));
      gy = gradFor(g.mul(d), y);
    }
    return [gx, gy];
  });
}

function extremum(op: "maximum" | "minimum", a: Tensor, b: TensorLike): Tensor {
  const [x, y, dtype] = prepare(op, a, b);
  const pick = op === "maximum" ? ">" : "<";
  // NaN propagates, as in PyTorch.
  const out = mapBinary(op, x, y, `(x !== x || y !== y) ? NaN : (x ${pick} y ? x : y)`, dtype);
  // PyTorch's rule: each input gets g, halved at ties, and 0 where it lost. Where either side is
  // NaN neither lost (every comparison is false), so both get the whole gradient.
  return record(out, op === "maximum" ? "MaximumBackward0" : "MinimumBackward0", [x, y], (g) => {
    const shared = where(x.eq(y), g.div(2), g);
    const xLost = op === "maximum" ? x.lt(y) : x.gt(y);
    const yLost = op === "maximum" ? y.lt(x) : y.gt(x);
    return [
      x.requiresGrad ? gradFor(where(xLost, 0, shared), x) : null,
      y.requiresGrad ? gradFor(where(yLost, 0, shared), y) : null,
    ];
  });
}

/** Elementwise maximum, broadcasting; NaN wins. At ties each input gets half the gradient, and where either is NaN both get all of it (PyTorch). */
export function maximum(a: Tensor, b: TensorLike): Tensor {
  return extremum("maximum", a, b);
}

/** Elementwise minimum, broadcasting; NaN wins. At ties each input gets half the gradient, and where either is NaN both get all of it (PyTorch). */
export function minimum(a: Tensor, b: TensorLike): Tensor {
  return extremum("minimum", a, b);
}

/** How {@link divide} rounds the quotient: `"trunc"` toward zero, `"floor"` toward −∞ (null: true division). @group Pointwise math */
export type RoundingMode = "trunc" | "floor";

// Integer division by zero has no value: PyTorch raises ZeroDivisionError, and so do these.
function checkIntegerDivisor(op: string, y: Tensor, dtype: DType): void {
  if (dtype === "bool") throw new TypeError(`${op}: not implemented for bool tensors; cast with .int() first`);
  if (!isIntegral(dtype)) return;
  const values = y.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 0) throw new RangeError(`${op}: ZeroDivisionError: integer division by zero (the ${y.dtype} divisor has a 0 at flat index ${i})`);
  }
}

// The kernel expression of a rounded division in each precision (float32 computes as float32 does).
function roundedQuotient(mode: RoundingMode, dtype: string): string {
  if (mode === "trunc") return dtype === "float32" ? "Math.trunc(Math.fround(x / y))" : "Math.trunc(x / y)";
  if (dtype === "float64") return "divFloor(x, y)";
  return dtype === "float32" ? "divFloor32(x, y)" : "Math.floor(x / y)";
}

/**
 * `a / b` rounded as `roundingMode` says: `"trunc"` toward zero (C's integer division),
 * `"floor"` toward −∞ (Python's `//`); null or omitted is true division ({@link div}). Integer
 * operands stay integer with a rounding mode and throw on a zero divisor. Zero gradient, as PyTorch.
 */
export function divide(a: Tensor, b: TensorLike, roundingMode: RoundingMode | null = null, op = "div"): Tensor {
  if (roundingMode === null) return div(a, b);
  const [x, y, out] = roundedDivision(op, a, b, roundingMode);
  return record(out, "DivBackward3", [x, y], (g) => [gradFor(g.mul(0), x), gradFor(g.mul(0), y)], []);
}

function roundedDivision(op: string, a: Tensor, b: TensorLike, roundingMode: RoundingMode): [Tensor, Tensor, Tensor] {
  const [x, y, dtype] = prepare(op, a, b);
  checkIntegerDivisor(op, y, dtype);
  return [x, y, mapBinary(op, x, y, roundedQuotient(roundingMode, dtype), dtype)];
}

/**
 * `⌊a / b⌋`, Python's `//` (PyTorch 1.13+ floors, it no longer truncates). Not differentiable:
 * backward through it throws, as in PyTorch (use `div(b, { roundingMode: "floor" })` for a zero gradient).
 */
export function floorDivide(a: Tensor, b: TensorLike): Tensor {
  const [x, y, out] = roundedDivision("floorDivide", a, b, "floor");
  return notDifferentiable("floorDivide", out, [x, y]);
}

// remainder and fmod: the quotient rounded by `mode`, then a − b·q; d/da = 1, d/db = −q.
function modulus(op: "remainder" | "fmod", a: Tensor, b: TensorLike, expr: string, mode: RoundingMode): Tensor {
  const [x, y, dtype] = prepare(op, a, b);
  checkIntegerDivisor(op, y, dtype);
  const out = mapBinary(op, x, y, expr, dtype);
  return record(out, op === "remainder" ? "RemainderBackward0" : "FmodBackward0", [x, y], (g) => [
    gradFor(g, x),
    y.requiresGrad ? gradFor(g.neg().mul(divide(x, y, mode)), y) : null,
  ], [x, y]);
}

/**
 * Python's modulus `a − b·⌊a/b⌋`: the result has the sign of the divisor (`remainder(-3, 2) = 1`).
 * d/da = 1, d/db = −⌊a/b⌋. Integer operands throw on a zero divisor.
 */
export function remainder(a: Tensor, b: TensorLike): Tensor {
  return modulus("remainder", a, b, "(t = x % y, t !== 0 && (y < 0) !== (t < 0) ? t + y : t)", "floor");
}

/**
 * C's fmod `a − b·trunc(a/b)`: the result has the sign of the dividend (`fmod(-3, 2) = -1`).
 * d/da = 1, d/db = −trunc(a/b). Integer operands throw on a zero divisor.
 */
export function fmod(a: Tensor, b: TensorLike): Tensor {
  return modulus("fmod", a, b, "x % y", "trunc");
}

/**
 * `start + weight·(end − start)` elementwise, broadcasting; PyTorch's two-sided form
 * (`end − (end − start)·(1 − weight)` for |weight| ≥ ½, so weight 1 gives exactly end), in the
 * tensors' precision. start, end (and a tensor weight) must share one floating-point dtype.
 * Gradients: start `1 − weight`, end `weight`, a tensor weight `end − start`.
 */
export function lerp(start: Tensor, end: Tensor, weight: TensorLike): Tensor {
  if (!(start instanceof Tensor)) throw new TypeError(`lerp: expected a Tensor, got ${start === null ? "null" : typeof start}`);
  if (!(end instanceof Tensor)) throw new TypeError(`lerp: end must be a Tensor, got ${end === null ? "null" : typeof end}`);
  checkFloat("lerp", start);
  if (end.dtype !== start.dtype) throw new TypeError(`lerp: expected dtype ${start.dtype} for end but got dtype ${end.dtype}`);
  const f32 = start.dtype === "float32";
  // names: c start, x end, y weight (or p for a number); float32 rounds every step as float32 does
  const r = f32 ? (e: string): string => `Math.fround(${e})` : (e: string): string => `(${e})`;
  const formula = (w: string, s: string, e: string): string =>
    `Math.abs(${w}) < 0.5 ? ${r(`${s} + ${r(`${w} * ${r(`${e} - ${s}`)}`)}`)} : ${r(`${e} - ${r(`${r(`${e} - ${s}`)} * ${r(`1 - ${w}`)}`)}`)}`;
  if (typeof weight === "number") {
    const w = f32 ? Math.fround(weight) : weight;
    const out = mapBinary("lerp", start, end, formula("p", "x", "y"), start.dtype, w);
    return record(out, "LerpBackward0", [start, end], (g) => [gradFor(g.mul(1 - weight), start), gradFor(g.mul(weight), end)], []);
  }
  if (!(weight instanceof Tensor)) throw new TypeError(`lerp: weight must be a number or a Tensor, got ${weight === null ? "null" : typeof weight}`);
  if (weight.dtype !== start.dtype) throw new TypeError(`lerp: expected dtype ${start.dtype} for weight but got dtype ${weight.dtype}`);
  const out = mapTernary("lerp", start, end, weight, formula("y", "c", "x"), start.dtype);
  return record(out, "LerpBackward1", [start, end, weight], (g) => [
    gradFor(g.mul(weight.neg().add(1)), start),
    gradFor(g.mul(weight), end),
    weight.requiresGrad ? gradFor(g.mul(end.sub(start)), weight) : null,
  ], [start, end, weight]);
}

/** Options of {@link addcmul} and {@link addcdiv}. */
export interface AddcOptions {
  /** The scale of the product or quotient (default 1). */
  value?: number;
}

const ADDC_OPTIONS = { value: 1 };
const ADDC_CHECKS = { value: optionChecks.number };

/**
 * `input + value·t1·t2` elementwise, broadcasting all three (PyTorch's addcmul, computed as
 * `(value·t1)·t2` then added). Gradients: input 1, t1 `value·t2`, t2 `value·t1`.
 */
export function addcmul(input: Tensor, t1: Tensor, t2: Tensor, options?: AddcOptions): Tensor {
  const { value } = resolveOptions("addcmul", options, ADDC_OPTIONS, ADDC_CHECKS);
  checkTensors("addcmul", [input, t1, t2]);
  return add(input, mul(value === 1 ? t1 : mul(t1, value), t2));
}

/**
 * `input + value·t1/t2` elementwise, broadcasting all three (PyTorch's addcdiv, computed as
 * `(value·t1)/t2` then added); t1 and t2 may not both be integer tensors (PyTorch dropped integer
 * addcdiv). Gradients: input 1, t1 `value/t2`, t2 `−value·t1/t2²`.
 */
export function addcdiv(input: Tensor, t1: Tensor, t2: Tensor, options?: AddcOptions): Tensor {
  const { value } = resolveOptions("addcdiv", options, ADDC_OPTIONS, ADDC_CHECKS);
  checkTensors("addcdiv", [input, t1, t2]);
  if (!isFloatingPoint(t1.dtype) && !isFloatingPoint(t2.dtype)) {
    throw new TypeError(`addcdiv: integer division with addcdiv is not supported (tensor1 ${t1.dtype}, tensor2 ${t2.dtype}), as in PyTorch; cast one to a floating-point dtype`);
  }
  return add(input, div(value === 1 ? t1 : mul(t1, value), t2));
}

function checkTensors(op: string, ts: readonly unknown[]): void {
  const names = ["input", "tensor1", "tensor2"];
  ts.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${names[i]} must be a Tensor, got ${t === null ? "null" : typeof t}`);
  });
}
