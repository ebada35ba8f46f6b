/**
 * The reductions, scans and sorting ops (ops/reduce.ts, ops/scan.ts, ops/sort.ts) against PyTorch:
 * every case of tools/fixtures/gen_core_reduce.py, once, as the tsgrad expression that should
 * reproduce it. Each row runs forward and backward against the fixture (float64, and float32
 * where the case keeps its input's dtype), a float64 gradcheck and, where flagged, a
 * gradgradcheck.
 */
import { describe, it, expect } from "vitest";
import { Tensor, grad, tensor } from "@tsgrad/core";
import * as tg from "tsgrad";
import { F } from "@tsgrad/nn";
import { describeFixtureCases, type OpCase, type OpFn } from "./op-table.js";
import { loadFixture } from "../../../tools/test-utils.js";

const CASES = loadFixture<{ cases: OpCase[] }>(new URL("./fixtures/core-reduce.json", import.meta.url)).cases;
/** A number as Python's str(float) writes it in a case name: 0.0, 1.5, inf, -inf. */
const pyFloat = (p: number): string => (p === Infinity ? "inf" : p === -Infinity ? "-inf" : Number.isInteger(p) ? `${p}.0` : String(p));
const pair = (r: { values: Tensor; indices: Tensor }): Tensor[] => [r.values, r.indices];

/** Case name → the tsgrad expression. Names match gen_core_reduce.py, which has the PyTorch side. */
const REDUCE: Record<string, OpFn> = {
  // prod
  prod_all: (x) => x.prod(),
  prod_dim: (x) => x.prod(1),
  prod_keepdim_negative: (x) => x.prod(-2, true),
  prod_one_zero_all: (x) => x.prod(),
  prod_two_zeros_all: (x) => tg.prod(x),
  prod_zeros_dim: (x) => x.prod(1),
  prod_zeros_dim0_keepdim: (x) => tg.prod(x, 0, true),
  prod_0d: (x) => x.prod(),
  prod_0d_dim: (x) => x.prod(0),
  prod_empty: (x) => x.prod(),
  prod_empty_dim: (x) => x.prod(0),
  prod_transposed: (x) => x.T.prod(1),
  prod_expanded: (x) => x.expand(3, 4).prod(0),
  prod_int: (x) => x.prod(1),
  prod_bool: (x) => x.prod(),
  prod_dtype: (x) => x.prod(null, false, { dtype: "float64" }),
  prod_dtype_float: (x) => x.to("float32").prod(0, false, { dtype: "float64" }),
  prod_nan_inf: (x) => x.prod(1),

  // sum with dtype
  sum_dtype_int: (x) => x.sum(null, false, { dtype: "float64" }),
  sum_dtype_dim: (x) => x.to("float32").sum(1, false, { dtype: "float64" }),
  sum_dtype_to_int: (x) => x.detach().sum(0, false, { dtype: "int32" }),

  // cumsum
  cumsum: (x) => x.cumsum(0),
  cumsum_dim1: (x) => tg.cumsum(x, 1),
  cumsum_negative_dim: (x) => x.cumsum(-2),
  cumsum_0d: (x) => x.cumsum(0),
  cumsum_empty: (x) => x.cumsum(1),
  cumsum_size1: (x) => x.cumsum(0),
  cumsum_transposed: (x) => x.T.cumsum(1),
  cumsum_expanded: (x) => x.expand(3, 4).cumsum(0),
  cumsum_int: (x) => x.cumsum(0),
  cumsum_bool: (x) => x.cumsum(1),
  cumsum_dtype: (x) => x.cumsum(0, { dtype: "float64" }),
  cumsum_dtype_float: (x) => x.to("float32").cumsum(1, { dtype: "float64" }),
  cumsum_nan_inf: (x) => x.cumsum(0),

  // cumprod
  cumprod: (x) => x.cumprod(0),
  cumprod_dim1: (x) => tg.cumprod(x, 1),
  cumprod_negative_dim: (x) => x.cumprod(-1),
  cumprod_one_zero: (x) => x.cumprod(0),
  cumprod_first_zero: (x) => x.cumprod(0),
  cumprod_last_zero: (x) => x.cumprod(0),
  cumprod_two_zeros: (x) => x.cumprod(0),
  cumprod_zeros_dim0: (x) => x.cumprod(0),
  cumprod_zeros_dim1: (x) => x.cumprod(1),
  cumprod_0d: (x) => x.cumprod(0),
  cumprod_empty: (x) => x.cumprod(0),
  cumprod_size1: (x) => x.cumprod(1),
  cumprod_transposed: (x) => x.T.cumprod(0),
  cumprod_int: (x) => x.cumprod(0),
  cumprod_dtype: (x) => x.cumprod(0, { dtype: "float64" }),

  // logcumsumexp
  logcumsumexp: (x) => x.logcumsumexp(0),
  logcumsumexp_dim1: (x) => tg.logcumsumexp(x, 1),
  logcumsumexp_large: (x) => x.logcumsumexp(0),
  logcumsumexp_inf: (x) => x.logcumsumexp(0),
  logcumsumexp_nan: (x) => x.logcumsumexp(0),
  logcumsumexp_0d: (x) => x.logcumsumexp(0),
  logcumsumexp_empty: (x) => x.logcumsumexp(0),
  logcumsumexp_transposed: (x) => x.T.logcumsumexp(-1),

  // cummax / cummin
  cummax: (x) => pair(x.cummax(0)),
  cummax_dim1: (x) => pair(tg.cummax(x, 1)),
  cummax_ties: (x) => pair(x.cummax(0)),
  cummax_nan: (x) => pair(x.cummax(0)),
  cummin: (x) => pair(x.cummin(-1)),
  cummin_ties: (x) => pair(x.cummin(0)),
  cummin_nan: (x) => pair(x.cummin(0)),
  cummax_0d: (x) => pair(x.cummax(0)),
  cummax_empty: (x) => pair(x.cummax(0)),
  cummin_transposed: (x) => pair(tg.cummin(x.T, 0)),
  cummax_int: (x) => pair(x.cummax(0)),
  cummin_bool: (x) => pair(x.cummin(0)),

  // sort, argsort, msort
  sort: (x) => pair(x.sort()),
  sort_dim0_descending: (x) => pair(x.sort(0, { descending: true })),
  sort_stable_ties: (x) => pair(x.sort(-1, { stable: true })),
  sort_ties_descending: (x) => pair(tg.sort(x, -1, { descending: true, stable: true })),
  sort_nan_inf: (x) => pair(x.sort()),
  sort_nan_descending: (x) => pair(x.sort(-1, true)),
  sort_0d: (x) => pair(x.sort()),
  sort_empty: (x) => pair(x.sort(0)),
  sort_transposed: (x) => pair(x.T.sort(1)),
  sort_expanded: (x) => pair(x.expand(2, 4).sort(0, { descending: true })),
  sort_int: (x) => pair(x.sort()),
  sort_bool: (x) => pair(x.sort(-1, { stable: true })),
  sort_long_ties: (x) => pair(x.sort(-1, { stable: true })),
  argsort: (x) => x.argsort(),
  argsort_descending: (x) => tg.argsort(x, 0, true),
  msort: (x) => tg.msort(x),

  // topk
  topk: (x) => pair(x.topk(2)),
  topk_smallest_dim0: (x) => pair(tg.topk(x, 3, 0, { largest: false })),
  topk_all: (x) => pair(x.topk(4)),
  topk_zero: (x) => pair(x.topk(0)),
  topk_nan: (x) => pair(x.topk(2)),
  topk_0d: (x) => pair(x.topk(1)),
  topk_transposed: (x) => pair(x.T.topk(2, 0)),

  // kthvalue, median, nanmedian, mode
  kthvalue: (x) => pair(x.kthvalue(2)),
  kthvalue_dim0_keepdim: (x) => pair(tg.kthvalue(x, 3, 0, true)),
  kthvalue_ties: (x) => pair(x.kthvalue(3)),
  kthvalue_ties_long: (x) => pair(x.kthvalue(11)),
  kthvalue_nan: (x) => pair(x.kthvalue(3)),
  kthvalue_0d: (x) => pair(x.kthvalue(1)),
  median_all: (x) => x.median(),
  median_all_even: (x) => tg.median(x),
  median_all_ties: (x) => x.median(),
  median_all_nan: (x) => x.median(),
  median_all_empty: (x) => x.median(),
  median_dim: (x) => pair(x.median(1)),
  median_dim_keepdim: (x) => pair(x.median(0, true)),
  median_dim_ties: (x) => pair(x.median(1)),
  median_dim_nan: (x) => pair(x.median(1)),
  median_0d: (x) => pair(x.median(0)),
  median_transposed: (x) => pair(x.T.median(0)),
  nanmedian_all: (x) => x.nanmedian(),
  nanmedian_all_nan: (x) => tg.nanmedian(x),
  nanmedian_dim: (x) => pair(x.nanmedian(1)),
  mode: (x) => pair(x.mode()),
  mode_dim0: (x) => pair(tg.mode(x, 0)),
  mode_unique: (x) => pair(x.mode()),
  mode_keepdim: (x) => pair(x.mode(1, true)),
  mode_0d: (x) => pair(x.mode(0)),
  mode_int: (x) => pair(x.mode()),

  // quantile
  ...Object.fromEntries((["linear", "lower", "higher", "midpoint", "nearest"] as const).flatMap((m) => [
    [`quantile_${m}`, (x: Tensor) => x.quantile(0.4, null, false, { interpolation: m })],
    [`quantile_${m}_tensor_dim`, (x: Tensor, q: Tensor) => tg.quantile(x, q, 1, false, { interpolation: m })],
    [`quantile_${m}_exact_levels`, (x: Tensor, q: Tensor) => x.quantile(q, 0, false, { interpolation: m })],
  ])),
  quantile_keepdim: (x) => x.quantile(0.3, 0, true),
  quantile_all_keepdim: (x, q) => x.quantile(q, null, true),
  quantile_0d_q: (x, q) => x.quantile(q, -1),
  quantile_nearest_half: (x, q) => x.quantile(q, null, false, { interpolation: "nearest" }),
  quantile_nan: (x) => x.quantile(0.5, 1),
  quantile_single: (x) => x.quantile(0.7),

  // nansum, nanmean
  nansum_dtype: (x) => x.to("float32").nansum(1, false, { dtype: "float64" }),
  nansum_dtype_int: (x) => tg.nansum(x, null, false, { dtype: "float64" }),
  nanmean_dtype: (x) => x.to("float32").nanmean(0, false, { dtype: "float64" }),
  nansum: (x) => x.nansum(),
  nansum_dim: (x) => tg.nansum(x, 1),
  nansum_smooth: (x) => x.nansum([0, 2], true),
  nansum_int: (x) => x.nansum(0),
  nanmean: (x) => x.nanmean(),
  nanmean_dim: (x) => tg.nanmean(x, 1),
  nanmean_smooth: (x) => x.nanmean(-1),

  // norm p, dist, cdist, pairwiseDistance, cosineSimilarity
  ...Object.fromEntries([0, 0.5, 1, 1.5, 2, 3, Infinity, -Infinity].map((p) => [`norm_p${pyFloat(p)}`, (x: Tensor) => x.norm(p, 1)])),
  norm_fro: (x) => x.norm("fro"),
  norm_fro_dims: (x) => x.norm("fro", [0, 2], true),
  dist: (x, y) => tg.dist(x, y),
  dist_p1: (x, y) => x.dist(y, 1),
  dist_p3: (x, y) => x.dist(y, 3),
  dist_inf: (x, y) => x.dist(y, Infinity),
  dist_zero: (x, y) => x.dist(y, 0),
  cdist: (a, b) => tg.cdist(a, b),
  cdist_p1: (a, b) => tg.cdist(a, b, { p: 1 }),
  cdist_p3: (a, b) => tg.cdist(a, b, { p: 3 }),
  cdist_inf: (a, b) => tg.cdist(a, b, { p: Infinity }),
  cdist_batched: (a, b) => tg.cdist(a, b),
  cdist_broadcast_batch: (a, b) => tg.cdist(a, b),
  pairwise_distance: (a, b) => F.pairwiseDistance(a, b),
  pairwise_distance_p1_keepdim: (a, b) => tg.pairwiseDistance(a, b, { p: 1, keepdim: true }),
  pairwise_distance_eps: (a, b) => F.pairwiseDistance(a, b, { eps: 0.1 }),
  pairwise_distance_same: (a) => F.pairwiseDistance(a, a),
  cosine_similarity: (a, b) => F.cosineSimilarity(a, b),
  cosine_similarity_dim0_broadcast: (a, b) => tg.cosineSimilarity(a, b, { dim: 0 }),
  cosine_similarity_dim_last: (a, b) => F.cosineSimilarity(a, b, { dim: -1 }),
  cosine_similarity_tiny: (a, b) => F.cosineSimilarity(a, b),
  cosine_similarity_eps: (a, b) => F.cosineSimilarity(a, b, { eps: 0.5 }),

  // countNonzero, varMean, stdMean
  count_nonzero: (x) => tg.countNonzero(x),
  count_nonzero_dim: (x) => x.countNonzero(1),
  count_nonzero_dims: (x) => x.countNonzero([0, 1]),
  var_mean: (x) => tg.varMean(x),
  var_mean_dim: (x) => tg.varMean(x, 1, { correction: 0, keepdim: true }),
  std_mean: (x) => tg.stdMean(x, [0, 1]),
  std_mean_dim: (x) => tg.stdMean(x, -1),
};

/**
 * Cases a float32 run does not apply to: the result dtype is set by a `dtype` argument, or (the
 * last) the gradient cancels values of size 1000, so float32 keeps only about 4 of its digits
 * (PyTorch's float32 loses them the same way).
 */
const NOT_FLOAT32 = new Set([
  "prod_dtype", "prod_dtype_float", "sum_dtype_int", "sum_dtype_dim", "cumsum_dtype", "cumsum_dtype_float", "cumprod_dtype",
  "logcumsumexp_large", "nansum_dtype", "nansum_dtype_int", "nanmean_dtype",
]);

describeFixtureCases("reduce", CASES, REDUCE, NOT_FLOAT32);

describe("products with zeros", () => {
  it("cumprod's first-order O(n) rule and its createGraph O(n²) rule agree", () => {
    const x = tensor([[1.5, 0, 2, 0, 3], [0, 0, 1, 2, -1], [2, 3, 0.5, -1, 4]], { dtype: "float64", requiresGrad: true });
    const g = tensor([[0.3, -1, 2, 0.5, 1], [1, 2, 3, 4, 5], [-1, 0.5, 2, 1, 3]], { dtype: "float64" });
    const [plain] = grad([x.cumprod(1)], [x], { gradOutputs: [g] });
    const [graph] = grad([x.cumprod(1)], [x], { gradOutputs: [g], createGraph: true });
    expect(graph!.requiresGrad).toBe(true);
    expect(graph!.toArray()).toEqual(plain!.toArray());
  });

  it("an int32 product outside int32 throws instead of wrapping", () => {
    expect(() => tensor([65536, 65536], { dtype: "int32" }).prod()).toThrow(/prod: the result 4294967296/);
    expect(() => tensor([2 ** 30, 2 ** 30], { dtype: "int32" }).cumsum(0)).toThrow(/cumsum: the result 2147483648/);
  });
});
