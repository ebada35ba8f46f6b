/**
 * Broadcasting binary math with float results: atan2, hypot, logaddexp, logaddexp2, xlogy,
 * copysign, nextafter and heaviside, each forward kernel beside its backward rule (PyTorch's
 * formulas from derivatives.yaml, so the values at 0, ±∞ and NaN are PyTorch's too).
 */
import { Tensor, type TensorLike } from "../tensor.js";
import { type DType, isFloatingPoint } from "../dtype.js";
import { record } from "../autograd/node.js";
import { binaryOperands, mapBinary, gradFor, notDifferentiable } from "./helpers.js";
import { where } from "./indexing.js";
import { zerosLike } from "../creation.js";

/**
 * The operands and result dtype of a float-valued binary op. `"float"`: integer and bool
 * operands give float32 (atan2, xlogy, copysign); `"floatOnly"`: PyTorch has no integer kernel,
 * so the promoted dtype must already be floating point (hypot, logaddexp, nextafter).
 */
function floatOperands(op: string, a: Tensor, b: TensorLike, kind: "float" | "floatOnly"): [Tensor, Tensor, DType] {
  const [x, y, promoted] = binaryOperands(op, a, b);
  if (isFloatingPoint(promoted)) return [x, y, promoted];
  if (kind === "floatOnly") {
    throw new TypeError(`${op}: not implemented for ${promoted} tensors (got ${x.dtype} and ${y.dtype}); cast to a floating-point dtype first`);
  }
  return [x, y, "float32"];
}

/**
 * `atan2(a, b)`: the angle of the point (b, a), in (−π, π]. d/da = b/(a² + b²), d/db = −a/(a² + b²)
 * (NaN at the origin, as PyTorch).
 */
export function atan2(a: Tensor, b: TensorLike): Tensor {
  const [x, y, dtype] = floatOperands("atan2", a, b, "float");
  const out = mapBinary("atan2", x, y, "Math.atan2(x, y)", dtype);
  return record(out, "Atan2Backward0", [x, y], (g) => {
    const recip = x.mul(x).add(y.mul(y)).reciprocal();
    return [gradFor(g.mul(y).mul(recip), x), gradFor(g.mul(x.neg()).mul(recip), y)];
  }, [x, y]);
}

/** `√(a² + b²)` without overflow; d/da = a/hypot, d/db = b/hypot. */
export function hypot(a: Tensor, b: TensorLike): Tensor {
  const [x, y, dtype] = floatOperands("hypot", a, b, "floatOnly");
  const out = mapBinary("hypot", x, y, "Math.hypot(x, y)", dtype);
  return record(out, "HypotBackward0", [x, y], (g) => [gradFor(g.mul(x).div(out), x), gradFor(g.mul(y).div(out), y)]);
}

// logaddexp (base e) and logaddexp2: max + log(1 + base^(−|a − b|)), and a itself when a = b = ±∞.
// d/da = 1/(1 + base^(b − a)), d/db = 1/(1 + base^(a − b)).
function logAddExpIn(op: "logaddexp" | "logaddexp2", a: Tensor, b: TensorLike): Tensor {
  const [x, y, dtype] = floatOperands(op, a, b, "floatOnly");
  const tail = op === "logaddexp" ? "Math.log1p(Math.exp(-Math.abs(x - y)))" : "Math.log1p(Math.pow(2, -Math.abs(x - y))) * 1.4426950408889634";
  const out = mapBinary(op, x, y, `x === y && (x === Infinity || x === -Infinity) ? x : (x < y ? y : x) + ${tail}`, dtype);
  const power = (e: Tensor): Tensor => (op === "logaddexp" ? e.exp() : e.exp2());
  return record(out, op === "logaddexp" ? "LogaddexpBackward0" : "Logaddexp2Backward0", [x, y], (g) => [
    gradFor(g.div(power(y.sub(x)).add(1)), x),
    gradFor(g.div(power(x.sub(y)).add(1)), y),
  ], [x, y]);
}

/**
 * `ln(eᵃ + eᵇ)`, computed as `max + ln(1 + e^(−|a − b|))` so it stays finite for large inputs (and
 * is a when a = b = ±∞). d/da = 1/(1 + e^(b − a)), d/db = 1/(1 + e^(a − b)).
 */
export function logaddexp(a: Tensor, b: TensorLike): Tensor {
  return logAddExpIn("logaddexp", a, b);
}

/** `log₂(2ᵃ + 2ᵇ)`, computed like logaddexp. d/da = 1/(1 + 2^(b − a)), d/db = 1/(1 + 2^(a − b)). */
export function logaddexp2(a: Tensor, b: TensorLike): Tensor {
  return logAddExpIn("logaddexp2", a, b);
}

/**
 * `a · ln b`, with 0 where a = 0 (even for b = 0) and NaN where b is NaN. d/da = ln b (0 where
 * a = 0 and b ≤ 0), d/db = a/b, as PyTorch.
 */
export function xlogy(a: Tensor, b: TensorLike): Tensor {
  const [x, y, dtype] = floatOperands("xlogy", a, b, "float");
  const out = mapBinary("xlogy", x, y, "y !== y ? NaN : x === 0 ? 0 : x * Math.log(y)", dtype);
  return record(out, "XlogyBackward0", [x, y], (g) => [
    x.requiresGrad ? gradFor(where(x.eq(0).logicalAnd(y.le(0)), 0, xlogy(g, y)), x) : null,
    y.requiresGrad ? gradFor(g.mul(x).div(y), y) : null,
  ], [x, y]);
}

/**
 * `|a|` with the sign of `b` (−0 counts as negative). d/da = copysign(a, b)/a (0 at a = 0); b gets
 * a zero gradient.
 */
export function copysign(a: Tensor, b: TensorLike): Tensor {
  const [x, y, dtype] = floatOperands("copysign", a, b, "float");
  const out = mapBinary("copysign", x, y, "copysign(x, y)", dtype);
  return record(out, "CopysignBackward0", [x, y], (g) => [
    x.requiresGrad ? gradFor(where(x.eq(0), 0, g.mul(out.div(x))), x) : null,
    y.requiresGrad ? zerosLike(y) : null,
  ], [x, out]);
}

/**
 * The next representable value after `a` towards `b`, in the result's precision (float32 steps
 * one float32 ulp). Not differentiable (backward throws, as in PyTorch).
 */
export function nextafter(a: Tensor, b: TensorLike): Tensor {
  const [x, y, dtype] = floatOperands("nextafter", a, b, "floatOnly");
  const out = mapBinary("nextafter", x, y, dtype === "float32" ? "nextafter32(x, y)" : "nextafter(x, y)", dtype);
  return notDifferentiable("nextafter", out, [x, y]);
}

/**
 * The Heaviside step: 0 where a < 0 (and at NaN), `values` where a = 0, 1 where a > 0. Both
 * tensors must have the same dtype, as in PyTorch. Not differentiable.
 */
export function heaviside(a: Tensor, values: TensorLike): Tensor {
  if (!(a instanceof Tensor)) throw new TypeError(`heaviside: expected a Tensor, got ${typeof a}`);
  if (!(values instanceof Tensor)) throw new TypeError(`heaviside: values must be a Tensor, got ${typeof values}`);
  if (values.dtype !== a.dtype) {
    throw new TypeError(`heaviside: the input (${a.dtype}) and values (${values.dtype}) must have the same dtype, as PyTorch requires`);
  }
  const out = mapBinary("heaviside", a, values, "x === 0 ? y : x > 0 ? 1 : 0", a.dtype);
  return isFloatingPoint(a.dtype) ? notDifferentiable("heaviside", out, [a, values]) : out;
}
