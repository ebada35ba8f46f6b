/** dtype casts and clone. */
import { Tensor } from "../tensor.js";
import { type DType, checkInt32Values, isFloatingPoint } from "../dtype.js";
import { record } from "../autograd/node.js";
import { mapUnary } from "./helpers.js";

const CAST_EXPR: Record<DType, string> = {
  float32: "x",
  float64: "x",
  // Int32Array stores truncate toward zero, as a C cast does.
  int32: "x",
  // The small integers' stores truncate and wrap around (300.5 → uint8 44), as PyTorch's casts do
  // on x86 for values within int32 (beyond, PyTorch's result is undefined).
  int16: "x",
  int8: "x",
  uint8: "x",
  bool: "x !== 0 ? 1 : 0",
};

/**
 * `x` converted to `dtype` (x itself when it already has it). Float→int truncates toward zero;
 * a float that int32 cannot hold (NaN, ±Infinity, beyond ±2³¹) throws, where PyTorch's result is
 * undefined; anything → bool is "nonzero". The gradient is cast back; casts to int/bool leave the
 * graph.
 */
export function to(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  if (dtype === "int32" && isFloatingPoint(x.dtype)) {
    const c = x.detach().contiguous();
    checkInt32Values("to", c.data, c.offset, c.numel());
  }
  const y = mapUnary(x, CAST_EXPR[dtype], dtype);
  if (!isFloatingPoint(dtype)) return y;
  return record(y, "ToCopyBackward0", [x], (g) => [g.to(x.dtype)], []);
}

/** A contiguous copy; the gradient passes through unchanged. */
export function clone(x: Tensor): Tensor {
  return record(mapUnary(x, "x"), "CloneBackward0", [x], (g) => [g], []);
}
