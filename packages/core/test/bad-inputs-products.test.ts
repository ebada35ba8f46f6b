/**
 * Bad inputs of the products and einsum: each throws a TypeError (wrong kind or dtype) or a
 * RangeError (bad shape, size or equation) whose message starts with the op's name and names the
 * offending shapes, dtypes, letters or sizes.
 */
import { describe, it } from "vitest";
import { zeros, tensor, einsum, tensordot, linalgCross, type Tensor } from "@tsgrad/core";
import * as tg from "tsgrad";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

const v3 = zeros([3]);
const v4 = zeros([4]);
const m23 = zeros([2, 3]);
const m34 = zeros([3, 4]);
const m43 = zeros([4, 3]);
const b234 = zeros([2, 3, 4]);
const d3 = zeros([3], { dtype: "float64" });
const bools = tensor([[true, false]]);
const ints = tensor([[1, 2], [3, 4]], { dtype: "int32" });
const untyped = (v: unknown): never => v as never;
const eq = (equation: string, ...ops: Tensor[]): Tensor => einsum(equation, ...ops);

const ROWS: BadInputRow[] = [
  // vector products
  { what: "dot of a matrix", call: () => m23.dot(v3), error: RangeError, op: "dot", names: ["1-D", "[2, 3]", "[3]"] },
  { what: "dot of different sizes", call: () => v3.dot(v4), error: RangeError, op: "dot", names: ["[3]", "[4]"] },
  { what: "dot of mixed dtypes", call: () => v3.dot(d3), error: TypeError, op: "dot", names: ["float32", "float64"] },
  { what: "dot of a non-tensor", call: () => v3.dot(untyped([1, 2, 3])), error: TypeError, op: "dot", names: ["other", "an array of length 3"] },
  { what: "vdot of different sizes", call: () => v3.vdot(v4), error: RangeError, op: "vdot", names: ["[3]", "[4]"] },
  { what: "outer of a matrix", call: () => v3.outer(m23), error: RangeError, op: "outer", names: ["1-D", "[2, 3]"] },
  { what: "ger of a matrix", call: () => m23.ger(v3), error: RangeError, op: "ger", names: ["[2, 3]"] },

  // matrix products: strict shapes and dtypes
  { what: "mm with mismatched inner dims", call: () => m23.mm(m43), error: RangeError, op: "mm", names: ["2x3", "4x3", "3 != 4"] },
  { what: "mm of a vector", call: () => m23.mm(v3), error: RangeError, op: "mm", names: ["mat2", "2-D", "[3]"] },
  { what: "mm of a batch (no broadcasting)", call: () => b234.mm(m43), error: RangeError, op: "mm", names: ["mat1", "[2, 3, 4]"] },
  { what: "mm of mixed dtypes", call: () => m23.mm(zeros([3, 4], { dtype: "float64" })), error: TypeError, op: "mm", names: ["float32", "float64"] },
  { what: "mm of bool", call: () => bools.mm(bools.T), error: TypeError, op: "mm", names: ["bool"] },
  { what: "mv with mismatched sizes", call: () => m23.mv(v4), error: RangeError, op: "mv", names: ["[2, 3]", "[4]", "3 != 4"] },
  { what: "mv of a matrix vec", call: () => m23.mv(m34), error: RangeError, op: "mv", names: ["vec", "1-D", "[3, 4]"] },
  { what: "bmm with different batches", call: () => b234.bmm(zeros([1, 4, 2])), error: RangeError, op: "bmm", names: ["[2, 3, 4]", "[1, 4, 2]", "[2, 4, *]"] },
  { what: "bmm with mismatched inner dims", call: () => b234.bmm(zeros([2, 3, 2])), error: RangeError, op: "bmm", names: ["[2, 3, 2]"] },
  { what: "bmm of a matrix", call: () => b234.bmm(m43), error: RangeError, op: "bmm", names: ["batch2", "3-D", "[4, 3]"] },

  // beta * input + alpha * product
  { what: "addmm input that does not broadcast", call: () => zeros([3, 3]).addmm(m23, m34), error: RangeError, op: "addmm", names: ["[3, 3]", "[2, 4]"] },
  { what: "addmm input that would need to grow the result", call: () => zeros([2, 2, 4]).addmm(m23, m34), error: RangeError, op: "addmm", names: ["[2, 2, 4]", "[2, 4]"] },
  { what: "addmm with mismatched inner dims", call: () => zeros([2, 4]).addmm(m23, m43), error: RangeError, op: "addmm", names: ["2x3", "4x3"] },
  { what: "addmm input of another dtype", call: () => zeros([2, 4], { dtype: "float64" }).addmm(m23, m34), error: TypeError, op: "addmm", names: ["input", "float64", "float32"] },
  { what: "addmm beta not a number", call: () => zeros([2, 4]).addmm(m23, m34, untyped({ beta: "1" })), error: TypeError, op: "addmm", names: ["beta", '"1"'] },
  { what: "addmm unknown option", call: () => zeros([2, 4]).addmm(m23, m34, untyped({ gamma: 1 })), error: TypeError, op: "addmm", names: ['"gamma"'] },
  { what: "addmm fractional alpha on int32", call: () => ints.addmm(ints, ints, { alpha: 0.5 }), error: TypeError, op: "addmm", names: ["alpha", "integer", "0.5"] },
  { what: "addmv input that does not broadcast", call: () => v3.addmv(m23, v3), error: RangeError, op: "addmv", names: ["[3]", "[2]"] },
  { what: "addmv with mismatched sizes", call: () => zeros([2]).addmv(m23, v4), error: RangeError, op: "addmv", names: ["[2, 3]", "[4]"] },
  { what: "baddbmm input that does not broadcast", call: () => zeros([3, 3]).baddbmm(b234, zeros([2, 4, 2])), error: RangeError, op: "baddbmm", names: ["[3, 3]", "[2, 3, 2]"] },
  { what: "baddbmm with different batches", call: () => zeros([1]).baddbmm(b234, zeros([3, 4, 2])), error: RangeError, op: "baddbmm", names: ["[3, 4, 2]"] },
  { what: "addbmm input that does not broadcast", call: () => zeros([2, 3, 2]).addbmm(b234, zeros([2, 4, 2])), error: RangeError, op: "addbmm", names: ["[2, 3, 2]", "[3, 2]"] },
  { what: "addbmm of matrices", call: () => zeros([1]).addbmm(m23, m34), error: RangeError, op: "addbmm", names: ["batch1", "3-D", "[2, 3]"] },

  // cross, kron, tensordot
  { what: "cross with no dim of size 3", call: () => zeros([4, 2]).cross(zeros([4, 2])), error: RangeError, op: "cross", names: ["size 3", "[4, 2]"] },
  { what: "cross along a dim of size 4", call: () => m34.cross(m34, 1), error: RangeError, op: "cross", names: ["dim 1", "size 3", "[3, 4]"] },
  { what: "cross dim out of range", call: () => m34.cross(m34, 2), error: RangeError, op: "cross", names: ["2"] },
  { what: "cross of different ranks", call: () => zeros([2, 3]).cross(v3), error: RangeError, op: "cross", names: ["same number of dims", "[2, 3]", "[3]"] },
  { what: "cross of shapes that do not broadcast", call: () => zeros([2, 3]).cross(zeros([4, 3])), error: RangeError, op: "cross", names: ["[2, 3]", "[4, 3]"] },
  { what: "cross of mixed dtypes", call: () => v3.cross(d3), error: TypeError, op: "cross", names: ["float32", "float64"] },
  { what: "linalgCross along a dim of size 2", call: () => linalgCross(zeros([3, 2]), zeros([3, 2])), error: RangeError, op: "linalgCross", names: ["dim -1", "[3, 2]"] },
  { what: "kron of a non-tensor", call: () => tg.kron(v3, untyped(2)), error: TypeError, op: "kron", names: ["other", "number 2"] },
  { what: "tensordot with mismatched sizes", call: () => tensordot(m23, m34, [[1], [1]]), error: RangeError, op: "tensordot", names: ["size 3 in dim 1", "size 4 in dim 1", "[2, 3]", "[3, 4]"] },
  { what: "tensordot of more dims than there are", call: () => tensordot(m23, v3, 2), error: RangeError, op: "tensordot", names: ["2 dims", "[2, 3]", "[3]"] },
  { what: "tensordot negative dims", call: () => tensordot(m23, m34, -1), error: RangeError, op: "tensordot", names: ["-1"] },
  { what: "tensordot lists of different lengths", call: () => tensordot(m23, m34, [[1], [0, 1]]), error: RangeError, op: "tensordot", names: ["[1]", "[0, 1]"] },
  { what: "tensordot repeated dim", call: () => tensordot(m23, zeros([3, 3]), [[1, 1], [0, 1]]), error: RangeError, op: "tensordot", names: ["[1, 1]", "repeats"] },
  { what: "tensordot dims not a pair", call: () => tensordot(m23, m34, untyped([1])), error: TypeError, op: "tensordot", names: ["pair"] },
  { what: "tensordot dim out of range", call: () => tensordot(m23, m34, [[2], [0]]), error: RangeError, op: "tensordot", names: ["2"] },

  // einsum: the equation, the operand and the letter
  { what: "einsum mismatched letter sizes", call: () => eq("ij,jk->ik", zeros([2, 2]), zeros([3, 2])), error: RangeError, op: "einsum", names: ['"ij,jk->ik"', "subscript j", "size 3", "operand 1", "[3, 2]", "size 2"] },
  { what: "einsum repeated letter of two sizes", call: () => eq("ii->i", m23), error: RangeError, op: "einsum", names: ['"ii->i"', "subscript i", "operand 0", "2 != 3"] },
  { what: "einsum repeated output letter", call: () => eq("ij->ii", m23), error: RangeError, op: "einsum", names: ["output subscript i", "more than once"] },
  { what: "einsum output letter of no operand", call: () => eq("ij->k", m23), error: RangeError, op: "einsum", names: ["output subscript k", "does not appear"] },
  { what: "einsum too few subscripts", call: () => eq("ij", b234), error: RangeError, op: "einsum", names: ['"ij"', "operand 0", "[2, 3, 4]", "2 subscripts", "no ellipsis"] },
  { what: "einsum too many subscripts for the ellipsis", call: () => eq("...ijk", m23), error: RangeError, op: "einsum", names: ["operand 0", "[2, 3]", "3 subscripts besides the ellipsis"] },
  { what: "einsum fewer operands than terms", call: () => eq("ij,jk", m23), error: RangeError, op: "einsum", names: ["2 operands in the equation but 1 given"] },
  { what: "einsum more operands than terms", call: () => eq("ij", m23, m34), error: RangeError, op: "einsum", names: ["1 operands in the equation but 2 given"] },
  { what: "einsum invalid subscript", call: () => eq("i1", m23), error: RangeError, op: "einsum", names: ['"1"', "index 1", "[a-zA-Z]"] },
  { what: "einsum stray dot", call: () => eq("..i", v3), error: RangeError, op: "einsum", names: ["'.'", "operand 0", "ellipsis"] },
  { what: "einsum two ellipses", call: () => eq("......", v3), error: RangeError, op: "einsum", names: ["'.'", "ellipsis"] },
  { what: "einsum stray dot in the output", call: () => eq("i->..", v3), error: RangeError, op: "einsum", names: ["the output"] },
  { what: "einsum two arrows", call: () => eq("ij->j->i", zeros([2, 2])), error: RangeError, op: "einsum", names: ["more than one '->'"] },
  { what: "einsum mixed dtypes", call: () => eq("i,i", v3, d3), error: TypeError, op: "einsum", names: ["float32 (operand 0)", "float64 (operand 1)"] },
  { what: "einsum bool", call: () => eq("ij", bools), error: TypeError, op: "einsum", names: ["bool", "operand 0"] },
  { what: "einsum no operands", call: () => eq("i"), error: RangeError, op: "einsum", names: ["at least one operand"] },
  { what: "einsum non-tensor operand", call: () => eq("i,i", v3, untyped([1, 2, 3])), error: TypeError, op: "einsum", names: ["operand 1", "an array of length 3"] },
  { what: "einsum equation not a string", call: () => einsum(untyped(3), v3), error: TypeError, op: "einsum", names: ["number 3"] },
];

describe("bad inputs: products and einsum", () => {
  for (const row of ROWS) it(row.what, () => expectBadInput(row));
});
