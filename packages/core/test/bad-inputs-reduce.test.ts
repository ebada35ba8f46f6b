/**
 * Bad inputs of the reductions, scans and sorting ops: each throws a TypeError (wrong kind or
 * dtype) or a RangeError (bad value, shape or dim) whose message starts with the op's name and
 * names the offending value.
 */
import { describe, it } from "vitest";
import { zeros, tensor, cdist, pairwiseDistance, cosineSimilarity, varMean, stdMean, type Tensor } from "@tsgrad/core";
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

  // sorting and order statistics
  { what: "sort dim out of range", call: () => x2.sort(2), error: RangeError, op: "sort", names: ["dim 2", "2 dims"] },
  { what: "sort descending not a boolean", call: () => x2.sort(0, untyped({ descending: 1 })), error: TypeError, op: "sort", names: ["descending", "number 1"] },
  { what: "argsort with snake_case option", call: () => x2.argsort(0, untyped({ is_stable: true })), error: TypeError, op: "argsort", names: ['"is_stable"'] },
  { what: "sort of a 0-d tensor along dim 1", call: () => tensor(1).sort(1), error: RangeError, op: "sort", names: ["dim 1"] },
  { what: "topk k larger than the dim", call: () => x2.topk(6), error: RangeError, op: "topk", names: ["[0, 5]", "dim 1", "[3, 5]", "got 6"] },
  { what: "topk negative k", call: () => x2.topk(-1, 0), error: RangeError, op: "topk", names: ["[0, 3]", "got -1"] },
  { what: "topk largest not a boolean", call: () => x2.topk(1, 0, untyped({ largest: "yes" })), error: TypeError, op: "topk", names: ["largest", '"yes"'] },
  { what: "kthvalue k = 0", call: () => x2.kthvalue(0), error: RangeError, op: "kthvalue", names: ["[1, 5]", "got 0"] },
  { what: "kthvalue k past the dim", call: () => x2.kthvalue(4, 0), error: RangeError, op: "kthvalue", names: ["[1, 3]", "[3, 5]", "got 4"] },
  { what: "kthvalue fractional k", call: () => x2.kthvalue(1.5), error: RangeError, op: "kthvalue", names: ["got 1.5"] },
  { what: "median over an empty dim", call: () => zeros([2, 0]).median(1), error: RangeError, op: "median", names: ["dim 1", "size 0", "[2, 0]"] },
  { what: "nanmedian dim out of range", call: () => x2.nanmedian(-3), error: RangeError, op: "nanmedian", names: ["dim -3"] },
  { what: "mode over an empty dim", call: () => zeros([0, 2]).mode(0), error: RangeError, op: "mode", names: ["dim 0", "[0, 2]"] },
  { what: "quantile of an int tensor", call: () => ints([1, 2]).quantile(0.5), error: TypeError, op: "quantile", names: ["int32"] },
  { what: "quantile q above 1", call: () => x2.quantile(1.5), error: RangeError, op: "quantile", names: ["[0, 1]", "1.5"] },
  { what: "quantile q NaN", call: () => x2.quantile(NaN), error: RangeError, op: "quantile", names: ["NaN"] },
  { what: "quantile q a 2-D tensor", call: () => x2.quantile(zeros([1, 1])), error: RangeError, op: "quantile", names: ["[1, 1]"] },
  { what: "quantile q of another dtype", call: () => x2.quantile(tensor([0.5], { dtype: "float64" })), error: TypeError, op: "quantile", names: ["float32", "float64"] },
  { what: "quantile q a string", call: () => x2.quantile(untyped("0.5")), error: TypeError, op: "quantile", names: ['"0.5"'] },
  { what: "quantile of an empty tensor", call: () => zeros([0]).quantile(0.5), error: RangeError, op: "quantile", names: ["empty", "[0]"] },
  { what: "quantile unknown interpolation", call: () => x2.quantile(0.5, null, false, untyped({ interpolation: "cubic" })), error: RangeError, op: "quantile", names: ['"cubic"', '"linear"'] },
  { what: "nanmean of int32", call: () => ints([1, 2]).nanmean(), error: TypeError, op: "nanmean", names: ["int32"] },
  { what: "nansum dim out of range", call: () => x2.nansum(4), error: RangeError, op: "nansum", names: ["dim 4"] },

  // norm, distances, countNonzero, varMean / stdMean
  { what: "norm unknown p", call: () => x2.norm(untyped("max")), error: TypeError, op: "norm", names: ['"max"', '"fro"', '"nuc"'] },
  { what: "norm nuc of a 3-D tensor without dim", call: () => zeros([2, 3, 4]).norm("nuc"), error: RangeError, op: "norm", names: ['"nuc"', "2-D", "[2, 3, 4]"] },
  { what: "dist of a non-tensor", call: () => x2.dist(untyped([1, 2])), error: TypeError, op: "dist", names: ["other", "an array of length 2"] },
  { what: "dist negative p", call: () => x2.dist(x2, -1), error: RangeError, op: "dist", names: ["p", "-1"] },
  { what: "dist of int32", call: () => ints([1, 2]).dist(ints([1, 2])), error: TypeError, op: "dist", names: ["int32"] },
  { what: "cdist of vectors", call: () => cdist(zeros([3]), zeros([3])), error: RangeError, op: "cdist", names: ["2 dims", "[3]"] },
  { what: "cdist feature mismatch", call: () => cdist(zeros([2, 3]), zeros([4, 2])), error: RangeError, op: "cdist", names: ["[2, 3]", "[4, 2]", "features"] },
  { what: "cdist negative p", call: () => cdist(x2, x2, { p: -2 }), error: RangeError, op: "cdist", names: ["p", "-2"] },
  { what: "cdist batch mismatch", call: () => cdist(zeros([2, 3, 4]), zeros([3, 3, 4])), error: RangeError, op: "sub", names: ["[2, 3, 1, 4]"] },
  { what: "pairwiseDistance shape mismatch", call: () => pairwiseDistance(zeros([2, 3]), zeros([2, 4])), error: RangeError, op: "sub", names: ["[2, 3]", "[2, 4]"] },
  { what: "pairwiseDistance x2 not a tensor", call: () => pairwiseDistance(x2, untyped(1)), error: TypeError, op: "pairwiseDistance", names: ["x2", "number 1"] },
  { what: "cosineSimilarity dim out of range", call: () => cosineSimilarity(x2, x2, { dim: 2 }), error: RangeError, op: "norm", names: ["dim 2"] },
  { what: "cosineSimilarity shape mismatch", call: () => cosineSimilarity(zeros([2, 3]), zeros([3, 2])), error: RangeError, op: "add", names: ["[2, 3]", "[3, 2]"] },
  { what: "cosineSimilarity of int32", call: () => cosineSimilarity(ints([1, 2]), ints([1, 2])), error: TypeError, op: "cosineSimilarity", names: ["int32"] },
  { what: "countNonzero dim out of range", call: () => x2.countNonzero(3), error: RangeError, op: "sum", names: ["dim 3"] },
  { what: "varMean unknown option", call: () => varMean(x2, 0, untyped({ unbiased: false })), error: TypeError, op: "varMean", names: ['"unbiased"'] },
  { what: "stdMean of int32", call: () => stdMean(ints([1, 2])), error: TypeError, op: "std", names: ["int32"] },
];

describe("bad inputs of the reductions, scans and sorting ops", () => {
  for (const row of ROWS) it(row.what, () => expectBadInput(row));
});
