/**
 * Elementwise predicates and value cleanup: isinf, isposinf, isneginf, isfinite, signbit (bool
 * results), isclose / allclose / equal, and nanToNum (differentiable: gradient 1 where finite).
 */
import { Tensor } from "../tensor.js";
import { isFloatingPoint } from "../dtype.js";
import { record } from "../autograd/node.js";
import { mapUnary, mapBinary, scalarTensor } from "./helpers.js";
import { optionChecks, resolveOptions } from "../options.js";
import { sameShape } from "../shape.js";

function checkTensor(op: string, x: unknown, what = "input"): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected ${what} to be a Tensor, got ${x === null ? "null" : typeof x}`);
}

// A bool-valued test of each element: `float` for floating-point tensors, `integer` for the others.
function predicate(op: string, x: Tensor, float: string, integer: string): Tensor {
  checkTensor(op, x);
  return mapUnary(x, isFloatingPoint(x.dtype) ? float : integer, "bool");
}

/** True where the element is +∞ or −∞ (never for integer and bool tensors). */
export const isinf = (x: Tensor): Tensor => predicate("isinf", x, "x === Infinity || x === -Infinity ? 1 : 0", "0");
/** True where the element is +∞. */
export const isposinf = (x: Tensor): Tensor => predicate("isposinf", x, "x === Infinity ? 1 : 0", "0");
/** True where the element is −∞. */
export const isneginf = (x: Tensor): Tensor => predicate("isneginf", x, "x === -Infinity ? 1 : 0", "0");
/** True where the element is neither NaN nor ±∞ (always for integer and bool tensors). */
export const isfinite = (x: Tensor): Tensor => predicate("isfinite", x, "x === x && x !== Infinity && x !== -Infinity ? 1 : 0", "1");
/** True where the sign bit is set: negative numbers and −0 (C's signbit). */
export const signbit = (x: Tensor): Tensor => predicate("signbit", x, "signbit(x) ? 1 : 0", "x < 0 ? 1 : 0");

/** Options of {@link isclose} and {@link allclose}. */
export interface IscloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** Whether NaN equals NaN (default false). */
  equalNan?: boolean;
}

const ISCLOSE_OPTIONS = { rtol: 1e-5, atol: 1e-8, equalNan: false };
const ISCLOSE_CHECKS = { rtol: optionChecks.atLeast(0), atol: optionChecks.atLeast(0), equalNan: optionChecks.boolean };

/**
 * `a == b || (|a − b| finite and ≤ atol + |rtol·b|)` elementwise, broadcasting (PyTorch's
 * isclose): ∞ is close only to the same ∞, and NaN to NaN only with `equalNan`. The tolerance
 * is computed in the tensors' precision (float32 for float32 and integer tensors), as PyTorch
 * does; both must have the same dtype.
 */
export function isclose(a: Tensor, b: Tensor, options?: IscloseOptions, op = "isclose"): Tensor {
  checkTensor(op, a);
  checkTensor(op, b, "other");
  if (a.dtype !== b.dtype) throw new TypeError(`${op}: the tensors must have the same dtype, got ${a.dtype} and ${b.dtype}`);
  const { rtol, atol, equalNan } = resolveOptions(op, options, ISCLOSE_OPTIONS, ISCLOSE_CHECKS);
  const nan = equalNan && isFloatingPoint(a.dtype) ? " || (x !== x && y !== y)" : "";
  const f = a.dtype === "float64" ? (e: string): string => e : (e: string): string => `Math.fround(${e})`;
  const allowed = f(`p + Math.abs(${f("q * y")})`);
  const actual = `Math.abs(${f("x - y")})`;
  const within = rtol === 0 && atol === 0 ? "" : ` || ((t = ${actual}) - t === 0 && t <= ${allowed})`;
  const [p, q] = a.dtype === "float64" ? [atol, rtol] : [Math.fround(atol), Math.fround(rtol)];
  return mapBinary(op, a, b, `x === y${nan}${within} ? 1 : 0`, "bool", p, q);
}

/** True when {@link isclose} holds everywhere (broadcasting), like `torch.allclose`. */
export function allclose(a: Tensor, b: Tensor, options?: IscloseOptions): boolean {
  return isclose(a, b, options, "allclose").data.every((v) => v === 1);
}

/**
 * True when both tensors have the same shape and equal elements (NaN is unequal to itself),
 * like `torch.equal`; the dtypes may differ (values are compared as numbers).
 */
export function equal(a: Tensor, b: Tensor): boolean {
  checkTensor("equal", a);
  checkTensor("equal", b, "other");
  if (!sameShape(a.shape, b.shape)) return false;
  return mapBinary("equal", a, b, "x === y ? 1 : 0", "bool").data.every((v) => v === 1);
}

/** Options of {@link nanToNum}: the replacements (default 0, the dtype's largest and lowest finite values). */
export interface NanToNumOptions {
  /** What NaN becomes (default 0). */
  nan?: number;
  /** What +∞ becomes (default the dtype's largest finite value). */
  posinf?: number | null;
  /** What −∞ becomes (default the dtype's lowest finite value). */
  neginf?: number | null;
}

const FINITE_MAX: Record<string, number> = { float32: 3.4028234663852886e38, float64: Number.MAX_VALUE };
const NAN_TO_NUM_OPTIONS: { nan: number; posinf: number | null; neginf: number | null } = { nan: 0, posinf: null, neginf: null };
const NAN_TO_NUM_CHECKS = { nan: optionChecks.number, posinf: optionChecks.nullable(optionChecks.number), neginf: optionChecks.nullable(optionChecks.number) };

/**
 * NaN, +∞ and −∞ replaced by `nan` (0), `posinf` and `neginf` (the dtype's largest and lowest
 * finite values by default); integer and bool tensors are copied. Gradient: 1 where x is finite, 0
 * elsewhere (PyTorch's `grad * isfinite(x)`).
 */
export function nanToNum(x: Tensor, options?: NanToNumOptions): Tensor {
  checkTensor("nanToNum", x);
  const o = resolveOptions("nanToNum", options, NAN_TO_NUM_OPTIONS, NAN_TO_NUM_CHECKS);
  if (!isFloatingPoint(x.dtype)) return mapUnary(x, "x");
  const max = FINITE_MAX[x.dtype];
  // posinf and neginf as the kernel's parameters, the NaN replacement as a float64 0-d operand.
  const y = mapBinary(
    "nanToNum", x, scalarTensor(o.nan, "float64"),
    "x !== x ? y : x === Infinity ? p : x === -Infinity ? q : x", x.dtype, o.posinf ?? max, o.neginf ?? -max,
  );
  return record(y, "NanToNumBackward0", [x], (g) => [g.mul(isfinite(x))], [x]);
}
