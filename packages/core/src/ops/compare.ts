/** Comparisons and logical ops: bool results, never part of the graph. */
import { Tensor, type TensorLike } from "../tensor.js";
import { checkOperand, resultDType, operand, mapBinary, mapUnary } from "./helpers.js";
import { normalizeDim } from "../shape.js";

function comparison(op: string, symbol: string, a: Tensor, b: TensorLike): Tensor {
  checkOperand(op, b, "other");
  const y = operand(b, resultDType(a, b));
  return mapBinary(op, a, y, `x ${symbol} y ? 1 : 0`, "bool");
}

/** Elementwise `a == b` (bool), broadcasting. */
export const eq = (a: Tensor, b: TensorLike): Tensor => comparison("eq", "===", a, b);
/** Elementwise `a != b` (bool), broadcasting; NaN != NaN is true. */
export const ne = (a: Tensor, b: TensorLike): Tensor => comparison("ne", "!==", a, b);
/** Elementwise `a < b` (bool), broadcasting. */
export const lt = (a: Tensor, b: TensorLike): Tensor => comparison("lt", "<", a, b);
/** Elementwise `a <= b` (bool), broadcasting. */
export const le = (a: Tensor, b: TensorLike): Tensor => comparison("le", "<=", a, b);
/** Elementwise `a > b` (bool), broadcasting. */
export const gt = (a: Tensor, b: TensorLike): Tensor => comparison("gt", ">", a, b);
/** Elementwise `a >= b` (bool), broadcasting. */
export const ge = (a: Tensor, b: TensorLike): Tensor => comparison("ge", ">=", a, b);

/** Elementwise logical not: true where the element is zero. */
export const logicalNot = (a: Tensor): Tensor => mapUnary(a, "x === 0 ? 1 : 0", "bool");
/** Elementwise logical and of nonzero-ness, broadcasting. */
export const logicalAnd = (a: Tensor, b: Tensor): Tensor => mapBinary("logicalAnd", a, b, "x !== 0 && y !== 0 ? 1 : 0", "bool");
/** Elementwise logical or of nonzero-ness, broadcasting. */
export const logicalOr = (a: Tensor, b: Tensor): Tensor => mapBinary("logicalOr", a, b, "x !== 0 || y !== 0 ? 1 : 0", "bool");
/** Elementwise logical xor of nonzero-ness, broadcasting. */
export const logicalXor = (a: Tensor, b: Tensor): Tensor => mapBinary("logicalXor", a, b, "(x !== 0) !== (y !== 0) ? 1 : 0", "bool");
/** True where the element is NaN. */
export const isnan = (a: Tensor): Tensor => mapUnary(a, "x !== x ? 1 : 0", "bool");

function truthReduce(op: "all" | "any", a: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  const nonzero = mapUnary(a, "x !== 0 ? 1 : 0", "int32");
  if (dim === undefined) {
    const flat = nonzero.data;
    let result = op === "all" ? 1 : 0;
    for (let i = 0; i < flat.length; i++) {
      if (op === "all" && flat[i] === 0) { result = 0; break; }
      if (op === "any" && flat[i] !== 0) { result = 1; break; }
    }
    return new Tensor(new Uint8Array([result]), [], "bool");
  }
  const d = normalizeDim(op, dim, a.ndim);
  if (a.shape[d] === 0) {
    const shape = keepdim ? a.shape.map((s, i) => (i === d ? 1 : s)) : a.shape.filter((_, i) => i !== d);
    const out = new Uint8Array(shape.reduce((p, s) => p * s, 1)).fill(op === "all" ? 1 : 0);
    return new Tensor(out, shape, "bool");
  }
  const r = op === "all" ? nonzero.amin(d, keepdim) : nonzero.amax(d, keepdim);
  return r.to("bool");
}

/** True where every element (over `dim`, or all) is nonzero. */
export const all = (a: Tensor, dim?: number, keepdim = false): Tensor => truthReduce("all", a, dim, keepdim);
/** True where any element (over `dim`, or all) is nonzero. */
export const any = (a: Tensor, dim?: number, keepdim = false): Tensor => truthReduce("any", a, dim, keepdim);
