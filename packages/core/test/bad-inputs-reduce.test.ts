/**
 * Bad inputs of the reductions, scans and sorting ops: each throws a TypeError (wrong kind or
 * dtype) or a RangeError (bad value, shape or dim) whose message starts with the op's name and
 * names the offending value.
 */
import { describe, it } from "vitest";
import { zeros, tensor, type Tensor } from "@tsgrad/core";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

const x2 = zeros([3, 5]);
const ints = (v: number[]): Tensor => tensor(v, { dtype: "int32" });
const untyped = (v: unknown): never => v as never;

const ROWS: BadInputRow[] = [
  // prod and the dtype option of sum / prod / cumsum / cumprod
  { what: "prod over a list of dims", call: () => x2.prod(untyped([0, 1])), error: TypeError, op: "prod", names: ["one dim", "an array of length 2"] },
  { what: "prod dim out of range", call: () => x2.prod(2), error: RangeError, op: "prod", names: ["dim 2", "2 dims"] },
  { what: "prod of int32 overflowing", call: () => ints([65536, 65536]).prod(), error: RangeError, op: "prod", names: ["4294967296", "int32", "[2]"] },
  { what: "sum with an unknown dtype", call: () => x2.sum(0, false, untyped({ dtype: "int64" })), error: TypeError, op: "sum", names: ['"int64"'] },
  { what: "sum with a dtype that is not a string", call: () => x2.sum(0, false, untyped({ dtype: 3 })), error: TypeError, op: "sum", names: ["dtype", "number 3"] },
  { what: "prod with snake_case option", call: () => x2.prod(0, false, untyped({ keep_dim: true })), error: TypeError, op: "prod", names: ['"keep_dim"'] },
  { what: "cumsum with an unknown dtype", call: () => x2.cumsum(0, untyped({ dtype: "half" })), error: TypeError, op: "cumsum", names: ['"half"'] },
  { what: "cumprod with an unknown option", call: () => x2.cumprod(0, untyped({ out: x2 })), error: TypeError, op: "cumprod", names: ['"out"'] },

  // scans
  { what: "cumsum without a dim", call: () => x2.cumsum(untyped(undefined)), error: TypeError, op: "cumsum", names: ["dim"] },
  { what: "cumsum dim out of range", call: () => x2.cumsum(2), error: RangeError, op: "cumsum", names: ["dim 2", "2 dims"] },
  { what: "cumsum of int32 overflowing", call: () => ints([2 ** 30, 2 ** 30]).cumsum(0), error: RangeError, op: "cumsum", names: ["2147483648", "int32"] },
  { what: "cumprod fractional dim", call: () => x2.cumprod(0.5), error: RangeError, op: "cumprod", names: ["dim 0.5"] },
  { what: "logcumsumexp of int32", call: () => ints([1, 2]).logcumsumexp(0), error: TypeError, op: "logcumsumexp", names: ["int32"] },
  { what: "logcumsumexp dim out of range", call: () => x2.logcumsumexp(-3), error: RangeError, op: "logcumsumexp", names: ["dim -3"] },
  { what: "cummax dim out of range", call: () => x2.cummax(5), error: RangeError, op: "cummax", names: ["dim 5"] },
  { what: "cummin dim not a number", call: () => x2.cummin(untyped("0")), error: TypeError, op: "cummin", names: ['"0"'] },
];

describe("bad inputs of the reductions, scans and sorting ops", () => {
  for (const row of ROWS) it(row.what, () => expectBadInput(row));
});
