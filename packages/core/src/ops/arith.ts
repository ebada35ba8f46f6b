/** Broadcasting arithmetic: add, sub, mul, div, pow, maximum, minimum — forward kernels with their backward rules. */
import { Tensor, type TensorLike } from "../tensor.js";
import { record } from "../autograd/node.js";
import { checkOperand, resultDType, operand, mapBinary, gradFor } from "./helpers.js";
import { where } from "./indexing.js";

function prepare(op: string, a: Tensor, b: TensorLike): [Tensor, Tensor, ReturnType<typeof resultDType>] {
  checkOperand(op, b, "other");
  const dtype = resultDType(a, b);
  return [a, operand(b, dtype), dtype];
}

/** `a + alpha·b`, broadcasting; d/da = 1, d/db = alpha. */
export function add(a: Tensor, b: TensorLike, alpha = 1): Tensor {
  const [x, y, dtype] = prepare("add", a, b);
  const out = mapBinary("add", x, y, alpha === 1 ? "x + y" : "x + p * y", dtype, alpha);
  return record(out, "AddBackward0", [x, y], (g) => [gradFor(g, x), gradFor(alpha === 1 ? g : g.mul(alpha), y)], []);
}

/** `a − alpha·b`, broadcasting; d/da = 1, d/db = −alpha. */
export function sub(a: Tensor, b: TensorLike, alpha = 1): Tensor {
  const [x, y, dtype] = prepare("sub", a, b);
  if (dtype === "bool") throw new TypeError("sub: subtraction of bool tensors is not supported; use logicalXor or cast with .int()");
  const out = mapBinary("sub", x, y, alpha === 1 ? "x - y" : "x - p * y", dtype, alpha);
  return record(out, "SubBackward0", [x, y], (g) => [gradFor(g, x), gradFor(g.mul(-alpha), y)], []);
}

/** `a · b`, broadcasting; d/da = b, d/db = a. */
export function mul(a: Tensor, b: TensorLike): Tensor {
  const [x, y, dtype] = prepare("mul", a, b);
  const out = mapBinary("mul", x, y, dtype === "bool" ? "x & y" : "x * y", dtype);
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
  if (typeof b === "number" && Number.isInteger(b) && b < 0 && (a.dtype === "int32" || a.dtype === "bool")) {
    throw new RangeError(`pow: Integers to negative integer powers are not allowed (${a.dtype} tensor to the power ${b}); cast the tensor to float first`);
  }
  const [x, y, dtype] = prepare("pow", a, b);
  const out = mapBinary("pow", x, y, "Math.pow(x, y)", dtype);
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
