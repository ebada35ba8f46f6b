/**
 * The indexing ops against PyTorch, one row per case of tools/fixtures/gen_core_indexing.py:
 * outputs and input gradients match (float64, 1e-6 relative), floating-point cases pass a
 * finite-difference gradcheck and the flagged ones gradgradcheck. Then what a fixture cannot
 * show: views share storage, advanced indices copy, in-place forms equal their out-of-place
 * results, and the autograd rules for in-place writes.
 */
import { describe, it, expect } from "vitest";
import {
  Tensor, tensor, zeros, ones, arange, randn, slice, noGrad, grad, gradcheck, gradgradcheck, Generator,
} from "@tsgrad/core";
import { loadFixture } from "../../../tools/test-utils.js";
import { checkAgainstReference, caseInputs, runCase, type OpCase, type OpFn } from "./op-table.js";

const CASES = loadFixture<{ cases: OpCase[] }>(new URL("./fixtures/core-indexing.json", import.meta.url)).cases;
const all = slice();
const int32 = (v: number[] | number[][]): Tensor => tensor(v, { dtype: "int32" });

/** Case name → the tsgrad expression; gen_core_indexing.py has the PyTorch side. */
const OPS: Record<string, OpFn> = {
  // x[...]: basic indices
  index_int: (x) => x.index(1),
  index_neg_ints: (x) => x.index(-1, 2),
  index_slice: (x) => x.index(slice(1, 3)),
  index_slice_step: (x) => x.index(all, slice(null, null, 2)),
  index_slice_start_step: (x) => x.index(all, slice(1, null, 3)),
  index_slice_clamped: (x) => x.index(slice(-100, 100), slice(1, 100)),
  index_slice_empty: (x) => x.index(all, slice(5, 1)),
  index_slice_neg_bounds: (x) => x.index(all, slice(-3, -1)),
  index_none: (x) => x.index(null, all, null),
  index_ellipsis: (x) => x.index("...", 1),
  index_ellipsis_mid: (x) => x.index(0, "...", null, slice(1)),
  index_0d_int_tensor: (x, k) => x.index(k),
  index_true: (x) => x.index(true),
  index_false: (x) => x.index(false),
  index_0d_mask_tensor: (x, m) => x.index(m),
  index_0d_ellipsis: (x) => x.index("..."),
  index_0d_none: (x) => x.index(null),
  index_noncontiguous_basic: (x) => x.T.index(slice(1), 0),

  // x[...]: advanced indices
  index_tensor: (x, k) => x.index(k),
  index_tensor_2d: (x, k) => x.index(k),
  index_adjacent: (x, j, k) => x.index(all, j, k),
  index_separated: (x, j, k) => x.index(j, all, k),
  index_int_then_tensor: (x, k) => x.index(0, all, k),
  index_broadcast: (x, j, k) => x.index(j, k),
  index_tensor_slice: (x, k) => x.index(k, slice(1, 3)),
  index_slice_tensor_slice: (x, k) => x.index(all, k, all),
  index_list: (x) => x.index([0, 2]),
  index_nested_list: (x) => x.index([[0], [2]], [1, 3]),
  index_empty_list: (x) => x.index([]),
  index_none_tensor: (x, k) => x.index(all, null, k),
  index_tensor_none_tensor: (x, j, k) => x.index(j, null, k),
  index_tensor_ellipsis: (x, k) => x.index("...", k, all),
  index_noncontiguous: (x, k) => x.T.index(k, slice(1)),
  index_expanded: (x) => x.expand(3, 4).index([0, 2], [1, 1]),
  index_empty_input: (x) => x.index(all, [0, 2]),
  index_size1: (x) => x.index(0, [0, 0]),
  index_long_rows: (x, k) => x.index(k),
  index_mask: (x, m) => x.index(m),
  index_mask_rows: (x, m) => x.index(m),
  index_slice_mask: (x, m) => x.index(all, m),
  index_mask2d_then_int: (x, m) => x.index(m, 1),
  index_bool_list: (x) => x.index([true, false, true]),
  index_mask_and_tensor: (x, m, k) => x.index(m, all, k),
  index_mask_all_false: (x, m) => x.index(m),

  // x[...] = v
  index_put: (x, k, v) => x.indexPut([k], v),
  index_put_last_wins: (x, k, v) => x.indexPut([k], v),
  index_put_accumulate: (x, k, v) => x.indexPut([k], v, { accumulate: true }),
  index_put_accumulate_2d: (x, j, k, v) => x.indexPut([j, k], v, { accumulate: true }),
  index_put_bcast_values: (x, k, v) => x.indexPut([k], v),
  index_put_0d_values: (x, k, v) => x.indexPut([k], v),
  index_put_mask: (x, m, v) => x.indexPut([m], v),
  index_put_slices: (x, v) => x.indexPut([all, slice(1, 3)], v),
  index_put_slices_accumulate: (x, v) => x.indexPut([all, slice(1, 3)], v, { accumulate: true }),
  index_put_int_slice_tensor: (x, k, v) => x.indexPut([0, all, k], v),
  index_put_separated: (x, j, k, v) => x.indexPut([j, all, k], v),
  index_put_leading_ones: (x, k, v) => x.indexPut([k], v),
  index_put_noncontiguous: (x, k, v) => x.T.indexPut([k], v),
  index_put_empty: (x, k, v) => x.indexPut([k], v),
  index_put_0d_self: (x, v) => x.indexPut(["..."], v),

  // masks, nonzero
  masked_fill_0d_value: (x, m, v) => x.maskedFill(m, v),
  masked_fill_bcast_self: (x, m) => x.maskedFill(m, 0.5),
  masked_fill_0d: (x, m) => x.maskedFill(m, 2),
  masked_select: (x, m) => x.maskedSelect(m),
  masked_select_bcast: (x, m) => x.maskedSelect(m),
  masked_select_0d: (x, m) => x.maskedSelect(m),
  masked_select_noncontiguous: (x, m) => x.T.maskedSelect(m),
  masked_scatter: (x, m, s) => x.maskedScatter(m, s),
  masked_scatter_bcast: (x, m, s) => x.maskedScatter(m, s),
  masked_scatter_none_true: (x, m, s) => x.maskedScatter(m, s),
  nonzero: (x) => x.nonzero(),
  nonzero_tuple: (x) => x.nonzero({ asTuple: true }),
  nonzero_bool: (m) => m.nonzero(),
  nonzero_0d: (x) => [x.nonzero(), ...x.nonzero({ asTuple: true })],
  nonzero_empty: (x) => x.nonzero(),
  argwhere: (x) => x.argwhere(),

  // take, takeAlongDim
  take: (x, k) => x.take(k),
  take_noncontiguous: (x, k) => x.T.take(k),
  take_0d_index: (x, k) => x.take(k),
  take_along_dim: (x, k) => x.takeAlongDim(k, 1),
  take_along_dim_bcast_index: (x, k) => x.takeAlongDim(k, 1),
  take_along_dim_bcast_self: (x, k) => x.takeAlongDim(k, 1),
  take_along_dim_neg_dim: (x, k) => x.takeAlongDim(k, -2),
  take_along_dim_flat: (x, k) => x.takeAlongDim(k),
  take_along_dim_argmax: (x) => x.takeAlongDim(x.argmax(1, true), 1),

  // scatter
  scatter: (x, k, s) => x.scatter(0, k, s),
  scatter_dim1: (x, k, s) => x.scatter(1, k, s),
  scatter_neg_dim: (x, k, s) => x.scatter(-1, k, s),
  scatter_src_larger: (x, k, s) => x.scatter(0, k, s),
  scatter_value: (x, k) => x.scatter(1, k, 2.5),
  scatter_0d: (x, k, s) => x.scatter(0, k, s),
  scatter_empty_index: (x, k, s) => x.scatter(0, k, s),
  scatter_noncontiguous: (x, k, s) => x.T.scatter(0, k, s),
  scatter_reduce_add: (x, k, s) => x.scatter(0, k, s, { reduce: "add" }),
  scatter_reduce_multiply: (x, k, s) => x.scatter(0, k, s, { reduce: "multiply" }),
  scatter_value_multiply: (x, k) => x.scatter(1, k, 3, { reduce: "multiply" }),
  scatter_add_src_larger: (x, k, s) => x.scatterAdd(0, k, s),
  scatter_add_0d: (x, k, s) => x.scatterAdd(0, k, s),

  // scatterReduce (the loop in the generator)
  ...Object.fromEntries((["sum", "prod", "mean", "amax", "amin"] as const).flatMap((r) => [
    [`scatter_reduce_${r}`, (x: Tensor, k: Tensor, s: Tensor) => x.scatterReduce(0, k, s, r)],
    [`scatter_reduce_${r}_exclude_self`, (x: Tensor, k: Tensor, s: Tensor) => x.scatterReduce(0, k, s, r, { includeSelf: false })],
  ])),
  scatter_reduce_dim1: (x, k, s) => x.scatterReduce(1, k, s, "mean"),
  scatter_reduce_prod_zeros: (x, k, s) => x.scatterReduce(0, k, s, "prod"),
  scatter_reduce_prod_zeros_exclude_self: (x, k, s) => x.scatterReduce(0, k, s, "prod", { includeSelf: false }),
  scatter_reduce_amax_ties: (x, k, s) => x.scatterReduce(0, k, s, "amax"),
  scatter_reduce_amin_ties_exclude_self: (x, k, s) => x.scatterReduce(0, k, s, "amin", { includeSelf: false }),
  scatter_reduce_mean_int: (x, k, s) => x.scatterReduce(0, k, s, "mean"),
  scatter_reduce_src_larger: (x, k, s) => x.scatterReduce(1, k, s, "amax", { includeSelf: false }),

  // indexAdd, indexCopy, indexFill
  index_add_alpha: (x, k, s) => x.indexAdd(0, k, s, { alpha: 2.5 }),
  index_add_neg_dim: (x, k, s) => x.indexAdd(-1, k, s),
  index_add_0d: (x, k, s) => x.indexAdd(0, k, s),
  index_add_noncontiguous: (x, k, s) => x.T.indexAdd(1, k, s),
  index_copy: (x, k, s) => x.indexCopy(0, k, s),
  index_copy_dim1: (x, k, s) => x.indexCopy(1, k, s),
  index_copy_0d: (x, k, s) => x.indexCopy(0, k, s),
  index_fill: (x, k) => x.indexFill(1, k, -1.5),
  index_fill_tensor_value: (x, k, v) => x.indexFill(0, k, v),
  index_fill_neg_dim: (x, k) => x.indexFill(-2, k, 0),
  index_fill_empty_index: (x, k) => x.indexFill(0, k, 1),

  // narrow, select, slice
  narrow_tensor_start: (x) => x.narrow(1, tensor(-2, { dtype: "int32" }), 2),
  narrow_first_dim_neg: (x) => x.narrow(-3, -1, 1),
  narrow_empty: (x) => x.narrow(2, 4, 0),
  select_last_dim_neg: (x) => x.select(-1, -2),
  select_middle: (x) => x.select(1, 0),
  slice_step3: (x) => x.slice(1, 1, undefined, 3),
  slice_out_of_range: (x) => x.slice(1, -10, 10),
  slice_neg_dim_step: (x) => x.slice(-1, undefined, undefined, 2),
};

describe("indexing op table", () => {
  it("lists exactly the fixture's cases", () => {
    expect(Object.keys(OPS).sort()).toEqual(CASES.map((c) => c.name).sort());
  });
});

describe("indexing: forward and backward match PyTorch", () => {
  for (const c of CASES) it(c.name, () => checkAgainstReference(c, {}, OPS));
});

describe("indexing: float32 inputs give float32 results close to PyTorch's", () => {
  for (const c of CASES.filter((c) => c.name.startsWith("index_") || c.name.startsWith("scatter"))) {
    it(c.name, () => checkAgainstReference(c, { dtype: "float32", rtol: 1e-5, atol: 1e-6 }, OPS));
  }
});

const fnOf = (name: string) => (...xs: Tensor[]): Tensor[] => runCase(name, xs, OPS);

describe("indexing: gradcheck", () => {
  for (const c of CASES.filter((c) => c.gradcheck && c.inputs.some((e) => e.dtype === "float64"))) {
    it(c.name, () => expect(gradcheck(fnOf(c.name), caseInputs(c))).toBe(true));
  }
});

describe("indexing: gradgradcheck", () => {
  const cases = CASES.filter((c) => c.gradgrad);
  it("covers every op family", () => expect(cases.length).toBeGreaterThanOrEqual(15));
  for (const c of cases) it(c.name, () => expect(gradgradcheck(fnOf(c.name), caseInputs(c))).toBe(true));
});

describe("views and copies", () => {
  it("basic indices give views that share storage", () => {
    const x = zeros([3, 4]);
    const v = x.index(1, slice(null, null, 2));
    expect(v.data).toBe(x.data);
    noGrad(() => v.fill_(7));
    expect(x.toArray()).toEqual([[0, 0, 0, 0], [7, 0, 7, 0], [0, 0, 0, 0]]);
    expect(x.index("...").data).toBe(x.data);
    expect(x.index(tensor(2, { dtype: "int32" })).data).toBe(x.data);
  });

  it("advanced indices and masks copy", () => {
    const x = zeros([3, 4]);
    for (const y of [x.index([0, 1]), x.index(x.eq(0)), x.take(int32([0])), x.maskedSelect(x.eq(0))]) {
      expect(y.data).not.toBe(x.data);
    }
  });

  it("indexPut_ writes through views and reads overlapping values before writing", () => {
    const x = arange(6).reshape(2, 3);
    const row = x.index(1);
    x.indexPut_([slice(), [0, 2]], tensor([[-1, -2], [-3, -4]], { dtype: "int32" }));
    expect(row.toArray()).toEqual([-3, 4, -4]);
    const y = arange(5);
    y.indexPut_([slice(1)], y.index(slice(null, 4)));
    expect(y.toArray()).toEqual([0, 0, 1, 2, 3]);
  });

  it("accumulate sums duplicate positions, and writes bump the version counter", () => {
    const x = zeros([3]);
    const before = x.version;
    x.indexPut_([[0, 0, 2, 0]], 1, { accumulate: true });
    expect(x.toArray()).toEqual([3, 0, 1]);
    expect(x.version).toBe(before + 1);
  });
});

describe("in-place forms equal their out-of-place results", () => {
  const gen = new Generator(8);
  const x = randn([3, 4], { generator: gen });
  const k = int32([[0, 2, 1, 0], [2, 1, 0, 1]]);
  const s = randn([2, 4], { generator: gen });
  const m = x.gt(0);
  const rows = int32([2, 0]);
  const pairs: Array<[string, (t: Tensor) => Tensor, (t: Tensor) => Tensor]> = [
    ["indexPut_", (t) => t.indexPut([rows], s), (t) => t.indexPut_([rows], s)],
    ["maskedFill_", (t) => t.maskedFill(m, 2), (t) => t.maskedFill_(m, 2)],
    ["maskedScatter_", (t) => t.maskedScatter(m, randn([12], { generator: new Generator(1) })),
      (t) => t.maskedScatter_(m, randn([12], { generator: new Generator(1) }))],
    ["scatter_", (t) => t.scatter(0, k, s), (t) => t.scatter_(0, k, s)],
    ["scatterAdd_", (t) => t.scatterAdd(0, k, s), (t) => t.scatterAdd_(0, k, s)],
    ["scatterReduce_", (t) => t.scatterReduce(0, k, s, "amax"), (t) => t.scatterReduce_(0, k, s, "amax")],
    ["indexAdd_", (t) => t.indexAdd(0, rows, s, { alpha: -1 }), (t) => t.indexAdd_(0, rows, s, { alpha: -1 })],
    ["indexCopy_", (t) => t.indexCopy(0, rows, s), (t) => t.indexCopy_(0, rows, s)],
    ["indexFill_", (t) => t.indexFill(1, rows, 5), (t) => t.indexFill_(1, rows, 5)],
  ];
  for (const [name, outOfPlace, inPlace] of pairs) {
    it(name, () => {
      const expected = outOfPlace(x);
      const target = x.clone();
      expect(inPlace(target)).toBe(target);
      expect(target.toArray()).toEqual(expected.toArray());
      const transposed = x.T.contiguous().T; // non-contiguous target
      inPlace(transposed);
      expect(transposed.toArray()).toEqual(expected.toArray());
    });
  }
});

describe("autograd rules for in-place writes", () => {
  it("refuses a leaf that requires grad, as PyTorch does, and allows it under noGrad", () => {
    const w = zeros([3], { requiresGrad: true });
    expect(() => w.indexPut_([0], 1)).toThrow("indexPut_: a leaf tensor that requires grad is being used in an in-place operation");
    expect(() => w.scatter_(0, int32([0]), 1)).toThrow("scatter_: a leaf tensor that requires grad");
    noGrad(() => w.indexPut_([0], 1));
    expect(w.toArray()).toEqual([1, 0, 0]);
  });

  it("refuses values that require grad (the write records no graph)", () => {
    const v = ones([1], { requiresGrad: true });
    expect(() => zeros([3]).indexPut_([[0]], v)).toThrow("indexPut_: values requires grad");
    expect(() => zeros([3]).indexCopy_(0, int32([0]), v)).toThrow("indexCopy_: source requires grad");
  });

  it("makes a saved tensor's backward refuse after an in-place write", () => {
    const w = ones([3], { requiresGrad: true });
    const h = noGrad(() => zeros([3]).add(2));
    const y = w.mul(h).sum();
    h.indexPut_([0], 5);
    expect(() => y.backward()).toThrow("modified by an in-place operation");
  });

  it("the gradient of index is indexPut with accumulate, differentiable again (createGraph)", () => {
    const x = randn([4], { dtype: "float64", requiresGrad: true, generator: new Generator(3) });
    const y = x.index([[1, 1, 3]]).square().sum();
    const g = grad([y], [x], { createGraph: true })[0]!;
    const xs = x.detach().dataSync();
    expect(Array.from(g.detach().dataSync())).toEqual([0, 4 * xs[1], 0, 2 * xs[3]]);
    const gg = grad([g.sum()], [x])[0]!;
    expect(Array.from(gg.dataSync())).toEqual([0, 4, 0, 2]);
  });
});
