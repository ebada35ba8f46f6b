/**
 * Bitwise ops on integer and bool tensors (two's complement, like PyTorch): and, or, xor, not
 * and the shifts. Floating-point operands throw, naming the op and the dtype. Not
 * differentiable (their results are never floating point).
 */
import { Tensor, type TensorLike } from "../tensor.js";
import { type DType, isFloatingPoint } from "../dtype.js";
import { binaryOperands, mapBinary, mapUnary } from "./helpers.js";

function checkIntegral(op: string, x: Tensor, dtype: DType, noBool: boolean): void {
  if (isFloatingPoint(dtype)) {
    throw new TypeError(`${op}: not supported for ${dtype} tensors (got ${x.dtype}); bitwise ops take integer and bool tensors`);
  }
  if (noBool && dtype === "bool") throw new TypeError(`${op}: not supported for bool tensors (PyTorch has no bool shift); cast with .int() first`);
}

function bitwise(op: string, a: Tensor, b: TensorLike, expr: string, boolExpr: string | null): Tensor {
  const [x, y, dtype] = binaryOperands(op, a, b);
  if (typeof b === "number" && !Number.isInteger(b)) throw new TypeError(`${op}: other must be an integer or a bool tensor, got ${b}`);
  checkIntegral(op, x, isFloatingPoint(x.dtype) ? x.dtype : dtype, boolExpr === null);
  return mapBinary(op, x, y, dtype === "bool" ? boolExpr! : expr, dtype, BITS[dtype] ?? 0);
}

// The width in bits of each integer dtype: a shift by that much or more is out of range.
const BITS: Record<string, number> = { int32: 32, int16: 16, int8: 8, uint8: 8 };

/** `a & b` elementwise (logical and for bool), broadcasting. */
export const bitwiseAnd = (a: Tensor, b: TensorLike): Tensor => bitwise("bitwiseAnd", a, b, "x & y", "x & y");
/** `a | b` elementwise (logical or for bool), broadcasting. */
export const bitwiseOr = (a: Tensor, b: TensorLike): Tensor => bitwise("bitwiseOr", a, b, "x | y", "x | y");
/** `a ^ b` elementwise (logical xor for bool), broadcasting. */
export const bitwiseXor = (a: Tensor, b: TensorLike): Tensor => bitwise("bitwiseXor", a, b, "x ^ y", "x ^ y");
/**
 * `a << b` elementwise, broadcasting; a shift by a negative amount or by the bit width or more
 * gives 0 (PyTorch ≥ 2.1's definition; in 1.13 that was undefined behaviour).
 */
export const bitwiseLeftShift = (a: Tensor, b: TensorLike): Tensor =>
  bitwise("bitwiseLeftShift", a, b, "y < 0 || y >= p ? 0 : x << y", null);
/**
 * `a >> b` elementwise (arithmetic: the sign fills in), broadcasting; a shift by a negative
 * amount or by the bit width or more gives the sign fill (0 or −1), as PyTorch.
 */
export const bitwiseRightShift = (a: Tensor, b: TensorLike): Tensor =>
  bitwise("bitwiseRightShift", a, b, "y < 0 || y >= p ? (x < 0 ? -1 : 0) : x >> y", null);

/** `~a` elementwise (logical not for bool). */
export function bitwiseNot(a: Tensor): Tensor {
  if (!(a instanceof Tensor)) throw new TypeError(`bitwiseNot: expected a Tensor, got ${a === null ? "null" : typeof a}`);
  checkIntegral("bitwiseNot", a, a.dtype, false);
  return mapUnary(a, a.dtype === "bool" ? "x ? 0 : 1" : "~x", a.dtype);
}
