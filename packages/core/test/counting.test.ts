/**
 * The counting and bucketing ops (ops/unique.ts, ops/bucketize.ts, Tensor.aminmax) against
 * PyTorch: every case of tools/fixtures/gen_core_counting.py, as the tsgrad expression that should
 * reproduce it; then what the fixture cannot show (backward refusals, NaN order, errors).
 */
import { describe, expect, it } from "vitest";
import { Tensor, tensor, searchsorted, bucketize } from "@tsgrad/core";
import * as tg from "tsgrad";
import { describeFixtureCases, type OpCase, type OpFn } from "./op-table.js";
import { loadFixture } from "../../../tools/test-utils.js";

const CASES = loadFixture<{ cases: OpCase[] }>(new URL("./fixtures/core-counting.json", import.meta.url)).cases;
const list = (r: Tensor | Tensor[]): Tensor[] => (r instanceof Tensor ? [r] : r);
const minmax = (r: { min: Tensor; max: Tensor }): Tensor[] => [r.min, r.max];

/** Case name → the tsgrad expression. Names match gen_core_counting.py, which has the PyTorch side. */
const COUNTING: Record<string, OpFn> = {
  unique: (x) => x.detach().unique(),
  unique_inverse_counts: (x) => x.detach().unique({ returnInverse: true, returnCounts: true }),
  unique_inverse: (x) => tg.unique(x.detach(), { returnInverse: true }),
  unique_counts: (x) => x.unique({ returnCounts: true }),
  unique_sorted_false: (x) => x.unique({ sorted: false, returnCounts: true }),
  unique_bool: (x) => x.unique({ returnInverse: true }),
  unique_inf: (x) => x.detach().unique({ returnCounts: true }),
  unique_dim0: (x) => x.unique({ dim: 0, returnInverse: true, returnCounts: true }),
  unique_dim1: (x) => x.detach().unique({ dim: 1, returnInverse: true }),
  unique_dim_negative: (x) => x.detach().unique({ dim: -1, returnCounts: true }),
  unique_dim1_3d: (x) => x.detach().unique({ dim: 1, returnInverse: true, returnCounts: true }),
  unique_dim_empty: (x) => x.detach().unique({ dim: 0, returnInverse: true, returnCounts: true }),
  unique_0d: (x) => x.detach().unique({ returnInverse: true, returnCounts: true }),
  unique_empty: (x) => x.detach().unique({ returnInverse: true, returnCounts: true }),
  unique_transposed: (x) => x.detach().T.unique({ returnInverse: true }),
  unique_random_long: (x) => x.detach().unique({ returnInverse: true, returnCounts: true }),

  unique_consecutive: (x) => x.uniqueConsecutive({ returnInverse: true, returnCounts: true }),
  unique_consecutive_float: (x) => tg.uniqueConsecutive(x.detach()),
  unique_consecutive_dim0: (x) => x.uniqueConsecutive({ dim: 0, returnInverse: true, returnCounts: true }),
  unique_consecutive_dim1: (x) => x.detach().uniqueConsecutive({ dim: 1, returnCounts: true }),
  unique_consecutive_0d: (x) => x.detach().uniqueConsecutive({ returnInverse: true }),
  unique_consecutive_empty: (x) => x.detach().uniqueConsecutive({ returnCounts: true }),

  bincount: (x) => x.bincount(),
  bincount_minlength: (x) => tg.bincount(x, null, 6),
  bincount_minlength_short: (x) => x.bincount(null, 2),
  bincount_weights: (x, w) => x.bincount(w.detach()),
  bincount_weights_float32: (x, w) => x.bincount(w.detach().to("float32")),
  bincount_weights_int: (x, w) => x.bincount(w),
  bincount_empty: (x) => x.bincount(),
  bincount_empty_minlength: (x) => x.bincount(null, 3),
  bincount_uint8: (x) => x.bincount(),

  histc_default: (x) => x.histc(),
  histc_range: (x) => x.histc(4, 0, 3),
  histc_data_range: (x) => tg.histc(x, 3),
  histc_one_value: (x) => x.histc(4),
  histc_edges: (x) => x.histc(10, 0, 1),
  histc_float32: (x) => x.to("float32").histc(7, -1.3, 1.1),
  histc_float32_edges: (x) => x.to("float32").histc(3, 0.1, 0.7),
  histc_empty: (x) => x.histc(5),
  histc_2d: (x) => x.histc(5, -1, 1),

  searchsorted: (s, v) => searchsorted(s, v),
  searchsorted_right: (s, v) => searchsorted(s, v, { right: true }),
  searchsorted_side_right: (s, v) => tg.searchsorted(s, v, { side: "right" }),
  searchsorted_nd: (s, v) => searchsorted(s, v),
  searchsorted_nd_right: (s, v) => searchsorted(s, v, { right: true }),
  searchsorted_nan: (s, v) => searchsorted(s, v),
  searchsorted_sorter: (s, v, k) => searchsorted(s, v, { sorter: k }),
  searchsorted_scalar: (s) => searchsorted(s, 6),
  searchsorted_mixed_dtypes: (s, v) => searchsorted(s, v),
  searchsorted_empty_values: (s, v) => searchsorted(s, v),
  searchsorted_empty_sequence: (s, v) => searchsorted(s, v),
  searchsorted_ties: (s, v) => searchsorted(s, v),
  searchsorted_ties_right: (s, v) => searchsorted(s, v, { right: true, outInt32: true }),
  bucketize: (v, b) => bucketize(v, b),
  bucketize_right: (v, b) => tg.bucketize(v, b, { right: true }),
  bucketize_float: (v, b) => bucketize(v, b),
  bucketize_scalar: (b) => bucketize(6, b),

  aminmax: (x) => minmax(x.aminmax()),
  aminmax_dim: (x) => minmax(x.aminmax({ dim: 1 })),
  aminmax_dim_keepdim: (x) => minmax(tg.aminmax(x, { dim: 0, keepdim: true })),
  aminmax_negative_dim: (x) => minmax(x.aminmax({ dim: -1 })),
  aminmax_ties: (x) => minmax(x.aminmax()),
  aminmax_ties_dim: (x) => minmax(x.aminmax({ dim: 1 })),
  aminmax_0d: (x) => minmax(x.aminmax()),
  aminmax_int: (x) => minmax(x.aminmax({ dim: 0 })),
  aminmax_transposed: (x) => minmax(x.aminmax({ dim: 0 })),
};
for (const [name, fn] of Object.entries(COUNTING)) COUNTING[name] = (...xs) => list(fn(...xs));

/**
 * Cases a float32 run does not apply to: histc's bins of float64 values that sit on (or within a
 * float32 rounding of) a bin edge move when the values are rounded to float32 (the float32 cases
 * run in float32 on both sides); integer weights give a float64 bincount whatever the run.
 */
const NOT_FLOAT32 = new Set(["histc_edges", "histc_default", "histc_range", "histc_data_range", "histc_one_value", "histc_2d", "bincount_weights_int"]);

describeFixtureCases("counting", CASES, COUNTING, NOT_FLOAT32);

describe("unique, uniqueConsecutive and bincount are not differentiable", () => {
  const x = tensor([2, 1, 2], { requiresGrad: true });
  it.each([
    ["unique", () => x.unique()],
    ["uniqueConsecutive", () => x.uniqueConsecutive()],
    ["bincount", () => tensor([0, 1, 1], { dtype: "int32" }).bincount(x)],
  ])("a backward through %s throws naming it", (op, run) => {
    const out = run();
    expect(out.requiresGrad).toBe(true);
    expect(() => out.sum().backward()).toThrow(new RegExp(`${op}: the derivative for '${op}' is not implemented`));
  });

  it("histc's result is not in the graph, as in PyTorch", () => {
    expect(x.histc(3).requiresGrad).toBe(false);
  });
});

describe("NaN", () => {
  it("each NaN is its own value and sorts last (PyTorch 2; 1.13's CPU kernel misplaces them)", () => {
    const [values, inverse, counts] = tensor([3, 1, NaN, 1, NaN, 2]).unique({ returnInverse: true, returnCounts: true });
    expect(values.toArray()).toEqual([1, 2, 3, NaN, NaN]);
    expect(inverse.toArray()).toEqual([2, 0, 3, 0, 4, 1]);
    expect(counts.toArray()).toEqual([2, 1, 1, 1, 1]);
  });

  it("histc skips NaN in an explicit range and refuses a NaN data range", () => {
    expect(tensor([1, NaN, 2]).histc(3, 0, 3).toArray()).toEqual([0, 1, 1]);
    expect(() => tensor([1, NaN, 2]).histc(3)).toThrow(/histc: the range \[NaN, NaN\] is not finite/);
  });
});

describe("aminmax", () => {
  it("reads by name and by position, and is frozen", () => {
    const r = tensor([[1, 5], [3, 2]]).aminmax({ dim: 1 });
    const [min, max] = r;
    expect(min).toBe(r.min);
    expect(max).toBe(r[1]);
    expect(Object.isFrozen(r)).toBe(true);
  });
});

describe("bad inputs name the op and the values", () => {
  const seq = tensor([1, 3, 5]);
  it.each([
    ["unique dim on a 0-d input", () => tensor(5).unique({ dim: 0 }), /unique: dim 0 was given, but the input is 0-d/],
    ["unique with empty slices", () => tg.zeros([3, 0]).unique({ dim: 0 }), /unique: shape \[3, 0\] has a dim of size 0 other than dim 0/],
    ["unique dim out of range", () => tg.zeros([2, 2]).unique({ dim: 2 }), /unique: dim 2 is out of range/],
    ["unique unknown option", () => tensor([1]).unique({ return_counts: true } as never), /unique: unknown option "return_counts" \(did you mean "returnCounts"\?\)/],
    ["uniqueConsecutive takes no sorted", () => tensor([1]).uniqueConsecutive({ sorted: true } as never), /uniqueConsecutive: unknown option "sorted"/],
    ["bincount of floats", () => tensor([0, 1]).bincount(), /bincount: expected the input with an integer dtype, got dtype float32/],
    ["bincount of 2-D", () => tensor([[0, 1]], { dtype: "int32" }).bincount(), /bincount: expected a 1-D input, got shape \[1, 2\]/],
    ["bincount negative", () => tensor([0, -2], { dtype: "int32" }).bincount(), /bincount: the input must be non-negative, got -2 at index 1/],
    ["bincount weights shape", () => tensor([0, 1], { dtype: "int32" }).bincount(tensor([1, 2, 3])), /bincount: weights of shape \[3\] must have the input's shape \[2\]/],
    ["bincount minlength", () => tensor([0], { dtype: "int32" }).bincount(null, -1), /bincount: minlength must be an integer >= 0, got number -1/],
    ["histc of ints", () => tensor([1, 2], { dtype: "int32" }).histc(), /histc: expected a floating-point tensor, got dtype int32/],
    ["histc bins", () => tensor([1, 2]).histc(0), /histc: bins must be an integer >= 1, got number 0/],
    ["histc min > max", () => tensor([1, 2]).histc(3, 2, 1), /histc: max must be larger than min, got min 2 and max 1/],
    ["histc infinite range", () => tensor([1, Infinity]).histc(3), /histc: the range \[1, Infinity\] is not finite/],
    ["searchsorted side/right", () => searchsorted(seq, tensor([1]), { side: "left", right: true }), /searchsorted: side "left" and right: true are opposites/],
    ["searchsorted side value", () => searchsorted(seq, tensor([1]), { side: "middle" as never }), /searchsorted: .*side/],
    ["searchsorted 0-d sequence", () => searchsorted(tensor(1), tensor([1])), /searchsorted: the sorted sequence must be a tensor of at least 1 dim, got a 0-d tensor/],
    ["searchsorted leading dims", () => searchsorted(tg.zeros([2, 3]), tg.zeros([3, 1])), /searchsorted: an N-D sorted sequence needs values with the same leading dims: sequence \[2, 3\], values \[3, 1\]/],
    ["searchsorted scalar with N-D", () => searchsorted(tg.zeros([2, 3]), 1), /searchsorted: an N-D sorted sequence needs values with the same leading dims: sequence \[2, 3\], values \[\]/],
    ["searchsorted sorter shape", () => searchsorted(seq, tensor([1]), { sorter: tensor([0, 1], { dtype: "int32" }) }), /searchsorted: sorter of shape \[2\] must have the sequence's shape \[3\]/],
    ["searchsorted sorter range", () => searchsorted(seq, tensor([1]), { sorter: tensor([0, 1, 3], { dtype: "int32" }) }), /searchsorted: sorter index 3 is out of range for a last dim of size 3/],
    ["searchsorted bool", () => searchsorted(tensor([false, true]), tensor([true])), /searchsorted: bool tensors are not supported/],
    ["bucketize 2-D boundaries", () => bucketize(tensor([1]), tg.zeros([2, 2])), /bucketize: boundaries must be a 1-D tensor, got shape \[2, 2\]/],
    ["bucketize sorter", () => bucketize(tensor([1]), seq, { sorter: null } as never), /bucketize: unknown option "sorter"/],
    ["aminmax dim list", () => tg.zeros([2, 2]).aminmax({ dim: [0, 1] as never }), /aminmax: .*dim/],
  ])("%s", (_what, run, message) => {
    expect(run).toThrow(message);
  });
});
