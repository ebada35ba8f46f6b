/** dtype casts and clone. */
import { Tensor } from "../tensor.js";
import { type DType, isFloatingPoint } from "../dtype.js";
import { record } from "../autograd/node.js";
import { mapUnary } from "./helpers.js";

const CAST_EXPR: Record<DType, string> = {
  float32: "x",
  float64: "x",
  // Int32Array stores truncate toward zero, as a C cast does.
  int32: "x",
  bool: "x !== 0 ? 1 : 0",
};

/**
 * `x` converted to `dtype` (x itself when it already has it). Float→int truncates toward zero;
 * anything → bool is "nonzero". The gradient is cast back; casts to int/bool leave the graph.
 */
export function to(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const y = mapUnary(x, CAST_EXPR[dtype], dtype);
  if (!isFloatingPoint(dtype)) return y;
  return record(y, "ToCopyBackward0", [x], (g) => [g.to(x.dtype)], []);
}

/** A contiguous copy; the gradient passes through unchanged. */
export function clone(x: Tensor): Tensor {
  return record(mapUnary(x, "x"), "CloneBackward0", [x], (g) => [g], []);
}
