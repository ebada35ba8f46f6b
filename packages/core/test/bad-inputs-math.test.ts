/**
 * Bad inputs of the pointwise math library: each throws a TypeError (wrong kind or dtype) or a
 * RangeError (bad value, or an integer division by zero) whose message starts with the op's
 * name and names the offending value or dtype.
 */
import { describe, it } from "vitest";
import { tensor, polygamma, type Tensor } from "@tsgrad/core";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

const f = (): Tensor => tensor([1.5, -2]);
const i = (v: number[] = [3, -4]): Tensor => tensor(v, { dtype: "int32" });
const b = (): Tensor => tensor([true, false]);
const untyped = (v: unknown): never => v as never;

const ROWS: BadInputRow[] = [
  // float-only kernels (PyTorch has none for integers)
  { what: "hypot of int32 tensors", call: () => i().hypot(i()), error: TypeError, op: "hypot", names: ["int32"] },
  { what: "logaddexp of bool tensors", call: () => b().logaddexp(b()), error: TypeError, op: "logaddexp", names: ["bool"] },
  { what: "logaddexp2 of int32 and a number", call: () => i().logaddexp2(2), error: TypeError, op: "logaddexp2", names: ["int32"] },
  { what: "nextafter of int32 tensors", call: () => i().nextafter(i()), error: TypeError, op: "nextafter", names: ["int32"] },
  { what: "frac of an int32 tensor", call: () => i().frac(), error: TypeError, op: "frac", names: ["int32"] },
  { what: "round with decimals of an int32 tensor", call: () => i().round({ decimals: 1 }), error: TypeError, op: "round", names: ["int32"] },
  { what: "trunc of a bool tensor", call: () => b().trunc(), error: TypeError, op: "trunc", names: ["bool"] },

  // operands
  { what: "atan2 with a string", call: () => f().atan2(untyped("1")), error: TypeError, op: "atan2", names: ["other", "string"] },
  { what: "heaviside with a number", call: () => f().heaviside(untyped(0.5)), error: TypeError, op: "heaviside", names: ["values", "number"] },
  { what: "heaviside of float32 and float64", call: () => f().heaviside(f().double()), error: TypeError, op: "heaviside", names: ["float32", "float64"] },
  { what: "atan2 of unbroadcastable shapes", call: () => f().atan2(tensor([1, 2, 3])), error: RangeError, op: "atan2", names: ["[2]", "[3]"] },

  // options and parameters
  { what: "fractional decimals", call: () => f().round({ decimals: 1.5 }), error: RangeError, op: "round", names: ["decimals", "1.5"] },
  { what: "decimals as a string", call: () => f().round({ decimals: untyped("2") }), error: TypeError, op: "round", names: ["decimals", '"2"'] },
  { what: "unknown rounding mode", call: () => f().div(2, { roundingMode: untyped("ceil") }), error: RangeError, op: "div", names: ["roundingMode", '"ceil"', '"floor"'] },
  { what: "polygamma of a negative order", call: () => polygamma(-1, f()), error: RangeError, op: "polygamma", names: ["-1"] },
  { what: "polygamma of a fractional order", call: () => f().polygamma(1.5), error: RangeError, op: "polygamma", names: ["1.5"] },
  { what: "logit eps above 1", call: () => f().logit(2), error: RangeError, op: "logit", names: ["eps", "2"] },
  { what: "logit eps as a string", call: () => f().logit(untyped("0.1")), error: RangeError, op: "logit", names: ["eps", "string"] },

  // integer division by zero (PyTorch's ZeroDivisionError)
  { what: "remainder of int32 by a zero tensor", call: () => i().remainder(i([2, 0])), error: RangeError, op: "remainder", names: ["ZeroDivisionError", "index 1"] },
  { what: "fmod of int32 by 0", call: () => i().fmod(0), error: RangeError, op: "fmod", names: ["ZeroDivisionError"] },
  { what: "floorDivide of int32 by 0", call: () => i().floorDivide(0), error: RangeError, op: "floorDivide", names: ["ZeroDivisionError"] },
  { what: "trunc division of int32 by 0", call: () => i().div(i([0, 1]), { roundingMode: "trunc" }), error: RangeError, op: "div", names: ["ZeroDivisionError"] },
  { what: "remainder of bool tensors", call: () => b().remainder(b()), error: TypeError, op: "remainder", names: ["bool"] },

  // clamp, lerp, addcmul / addcdiv
  { what: "clamp with a string bound", call: () => f().clamp(untyped("1")), error: TypeError, op: "clamp", names: ["min", "string"] },
  { what: "clamp with no bound", call: () => f().clamp(null, null), error: TypeError, op: "clamp", names: ["min or max"] },
  { what: "clampMin of bool by a tensor", call: () => b().clampMin(b()), error: TypeError, op: "clampMin", names: ["bool"] },
  { what: "lerp of int32 tensors", call: () => i().lerp(i(), 0.5), error: TypeError, op: "lerp", names: ["int32"] },
  { what: "lerp of float32 towards float64", call: () => f().lerp(f().double(), 0.5), error: TypeError, op: "lerp", names: ["float32", "float64"] },
  { what: "lerp with a float64 weight", call: () => f().lerp(f(), f().double()), error: TypeError, op: "lerp", names: ["weight", "float64"] },
  { what: "lerp with a string weight", call: () => f().lerp(f(), untyped("0.5")), error: TypeError, op: "lerp", names: ["weight", "string"] },
  { what: "addcdiv of two int32 tensors", call: () => f().addcdiv(i(), i()), error: TypeError, op: "addcdiv", names: ["int32"] },
  { what: "addcmul with a number tensor1", call: () => f().addcmul(untyped(2), f()), error: TypeError, op: "addcmul", names: ["tensor1", "number"] },
  { what: "addcmul value as a string", call: () => f().addcmul(f(), f(), { value: untyped("2") }), error: TypeError, op: "addcmul", names: ["value", '"2"'] },

  // predicates
  { what: "isclose of float32 and float64", call: () => f().isclose(f().double()), error: TypeError, op: "isclose", names: ["float32", "float64"] },
  { what: "allclose of float32 and int32", call: () => f().allclose(i()), error: TypeError, op: "allclose", names: ["float32", "int32"] },
  { what: "isclose with a negative atol", call: () => f().isclose(f(), { atol: -1 }), error: RangeError, op: "isclose", names: ["atol", "-1"] },
  { what: "nanToNum posinf as a string", call: () => f().nanToNum({ posinf: untyped("9") }), error: TypeError, op: "nanToNum", names: ["posinf", '"9"'] },
  { what: "equal with a number", call: () => f().equal(untyped(1)), error: TypeError, op: "equal", names: ["other", "number"] },

  // bitwise ops take integer and bool tensors
  { what: "bitwiseAnd of float32 tensors", call: () => f().bitwiseAnd(f()), error: TypeError, op: "bitwiseAnd", names: ["float32"] },
  { what: "bitwiseOr of int32 and float64", call: () => i().bitwiseOr(f().double()), error: TypeError, op: "bitwiseOr", names: ["float64"] },
  { what: "bitwiseXor with a fractional number", call: () => i().bitwiseXor(1.5), error: TypeError, op: "bitwiseXor", names: ["1.5"] },
  { what: "bitwiseNot of a float32 tensor", call: () => f().bitwiseNot(), error: TypeError, op: "bitwiseNot", names: ["float32"] },
  { what: "bitwiseLeftShift of bool tensors", call: () => b().bitwiseLeftShift(b()), error: TypeError, op: "bitwiseLeftShift", names: ["bool"] },
  { what: "bitwiseRightShift of a float64 tensor", call: () => f().double().bitwiseRightShift(1), error: TypeError, op: "bitwiseRightShift", names: ["float64"] },
];

describe("bad inputs of the math library", () => {
  for (const row of ROWS) it(row.what, () => expectBadInput(row));
});
