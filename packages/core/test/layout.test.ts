/**
 * The shape and layout ops (ops/layout.ts, ops/pad.ts) against PyTorch: every case of
 * tools/fixtures/gen_core_layout.py, once, as the tsgrad expression that should reproduce it. Each
 * row runs forward and backward against the fixture (float64 and float32), a float64 gradcheck
 * and, where flagged, a gradgradcheck. Then: which results are views, and higher-order gradients.
 */
import { describe, it, expect } from "vitest";
import { Tensor, grad, meshgrid, oneHot, pad, randn, Generator, tensor, arange } from "@tsgrad/core";
import { F } from "@tsgrad/nn";
import * as tg from "tsgrad";
import { describeFixtureCases, type OpCase, type OpFn } from "./op-table.js";
import { loadFixture } from "../../../tools/test-utils.js";

const CASES = loadFixture<{ cases: OpCase[] }>(new URL("./fixtures/core-layout.json", import.meta.url)).cases;

/** Case name → the tsgrad expression. Names match gen_core_layout.py, which has the PyTorch side. */
const LAYOUT: Record<string, OpFn> = {
  // pad: constant
  pad_constant_last: (x) => pad(x, [1, 2]),
  pad_constant_value: (x) => pad(x, [1, 1, 2, 0], { value: 1.5 }),
  pad_constant_three_dims: (x) => pad(x, [1, 0, 0, 1, 1, 1]),
  pad_constant_negative: (x) => pad(x, [-1, 2, 0, -1]),
  pad_constant_crop_to_empty: (x) => pad(x, [-3, -1]),
  pad_constant_crop_whole_dim: (x) => pad(x, [-4, 2]),
  pad_constant_0d: (x) => pad(x, []),
  pad_constant_empty: (x) => pad(x, [1, 1]),
  pad_constant_empty_dim_padded: (x) => pad(x, [0, 0, 2, 1], { mode: "constant", value: -1 }),
  pad_constant_transposed: (x) => pad(x.transpose(0, 1), [1, 1, 1, 1]),
  pad_constant_expanded: (x) => F.pad(x.expand(3, 4), [1, 1]),

  // pad: reflect / replicate / circular
  pad_reflect_2d: (x) => pad(x, [2, 1], { mode: "reflect" }),
  pad_reflect_3d: (x) => pad(x, [2, 3], "reflect"),
  pad_reflect_two_dims_3d: (x) => pad(x, [1, 2, 2, 1], { mode: "reflect" }),
  pad_reflect_4d: (x) => pad(x, [1, 2, 2, 1], { mode: "reflect" }),
  pad_reflect_5d: (x) => pad(x, [1, 1, 1, 0, 0, 2], { mode: "reflect" }),
  pad_reflect_size_minus_one: (x) => pad(x, [4, 4], { mode: "reflect" }),
  pad_reflect_negative: (x) => pad(x, [-1, 2], { mode: "reflect" }),
  pad_reflect_transposed: (x) => pad(x.transpose(1, 2), [1, 1], { mode: "reflect" }),
  pad_reflect_empty_batch: (x) => pad(x, [1, 1], { mode: "reflect" }),
  pad_replicate_3d: (x) => pad(x, [2, 3], { mode: "replicate" }),
  pad_replicate_wider_than_dim: (x) => pad(x, [6, 0], { mode: "replicate" }),
  pad_replicate_4d: (x) => pad(x, [1, 1, 2, 0], { mode: "replicate" }),
  pad_replicate_5d: (x) => pad(x, [1, 0, 0, 1, 1, 1], { mode: "replicate" }),
  pad_replicate_negative: (x) => pad(x, [1, -2], { mode: "replicate" }),
  pad_replicate_expanded: (x) => pad(x.expand(2, 3, 4), [1, 1], { mode: "replicate" }),
  pad_circular_3d: (x) => pad(x, [2, 1], { mode: "circular" }),
  pad_circular_full_size: (x) => pad(x, [4, 4], { mode: "circular" }),
  pad_circular_4d: (x) => pad(x, [1, 2, 1, 0], { mode: "circular" }),
  pad_circular_5d: (x) => pad(x, [1, 1, 1, 1, 1, 1], { mode: "circular" }),
  pad_circular_negative: (x) => pad(x, [-1, 2], { mode: "circular" }),

  // diagonals, trace, triangles
  diagonal: (x) => x.diagonal(),
  diagonal_offset: (x) => x.diagonal(1),
  diagonal_negative_offset: (x) => x.diagonal(-1),
  diagonal_offset_past_edge: (x) => x.diagonal(5),
  diagonal_dims: (x) => tg.diagonal(x, 0, 2, 0),
  diagonal_negative_dims: (x) => tg.diagonal(x, 1, -1, -2),
  diagonal_transposed: (x) => x.transpose(0, 1).diagonal(1),
  diagonal_empty: (x) => x.diagonal(),
  diag_embed: (x) => tg.diagEmbed(x),
  diag_embed_batch_offset: (x) => tg.diagEmbed(x, 1),
  diag_embed_dims: (x) => tg.diagEmbed(x, -2, 0, 2),
  diag_embed_empty: (x) => tg.diagEmbed(x),
  diag_vector: (x) => tg.diag(x),
  diag_vector_offset: (x) => tg.diag(x, -1),
  diag_matrix: (x) => tg.diag(x),
  diag_matrix_offset: (x) => tg.diag(x, 2),
  trace: (x) => x.trace(),
  trace_empty: (x) => x.trace(),
  trace_transposed: (x) => x.T.trace(),
  tril: (x) => x.tril(),
  tril_above: (x) => x.tril(1),
  tril_below: (x) => x.tril(-1),
  tril_transposed: (x) => x.transpose(0, 1).tril(),
  tril_empty: (x) => x.tril(),
  triu: (x) => x.triu(),
  triu_batched_below: (x) => x.triu(-1),
  triu_past_edge: (x) => x.triu(5),
  triu_expanded: (x) => x.expand(2, 3, 3).triu(),

  // flip, roll, rot90
  flip_dim0: (x) => x.flip(0),
  flip_both: (x) => x.flip(0, 1),
  flip_negative_dim: (x) => x.flip(-1),
  flip_transposed: (x) => x.T.flip(0),
  flip_expanded: (x) => x.expand(3, 4).flip([0, 1]),
  flip_empty: (x) => x.flip(0, 1),
  flip_no_dims: (x) => x.flip([]),
  flip_0d: (x) => x.flip(0),
  fliplr: (x) => x.fliplr(),
  flipud: (x) => x.flipud(),
  roll_flat: (x) => x.roll(1),
  roll_dim: (x) => x.roll(2, 1),
  roll_negative: (x) => x.roll(-1, 0),
  roll_two_dims: (x) => x.roll([1, -2], [0, 1]),
  roll_past_size: (x) => x.roll(7, -1),
  roll_transposed: (x) => x.T.roll(1, 0),
  roll_empty: (x) => x.roll(1, 0),
  roll_0d: (x) => x.roll(1),
  rot90: (x) => x.rot90(),
  rot90_twice: (x) => x.rot90(2),
  rot90_three: (x) => x.rot90(3),
  rot90_negative: (x) => x.rot90(-1),
  rot90_full_turn: (x) => x.rot90(4),
  rot90_dims: (x) => x.rot90(1, [2, 1]),
  rot90_empty: (x) => x.rot90(),

  // repeat, tile, repeatInterleave
  repeat: (x) => x.repeat(2, 3),
  repeat_new_dims: (x) => x.repeat(2, 1, 2),
  repeat_zero: (x) => x.repeat([0, 2]),
  repeat_0d: (x) => x.repeat(3),
  repeat_ones: (x) => x.repeat(1, 1),
  repeat_expanded: (x) => x.expand(2, 3).repeat(2, 1),
  tile_fewer_dims: (x) => tg.tile(x, [2]),
  tile_more_dims: (x) => x.tile(2, 1, 2),
  tile_no_dims: (x) => x.tile([]),
  tile_0d: (x) => x.tile(2),
  repeat_interleave_flat: (x) => x.repeatInterleave(2),
  repeat_interleave_dim: (x) => x.repeatInterleave(3, 1),
  repeat_interleave_tensor: (x, r) => x.repeatInterleave(r, 1),
  repeat_interleave_negative_dim: (x, r) => x.repeatInterleave(r, -2),
  repeat_interleave_one_count: (x, r) => x.repeatInterleave(r, 0, { outputSize: 6 }),
  repeat_interleave_zero: (x) => x.repeatInterleave(0, 0),
  repeat_interleave_0d: (x) => x.repeatInterleave(3),

  // splits
  split_empty_dim: (x) => x.split(2, 0),
  split_sizes_with_zero: (x) => x.split([2, 0, 1], 1),
  chunk_empty_dim: (x) => x.chunk(3, 0),
  chunk_more_than_size: (x) => x.chunk(5, 1),
  chunk_negative_dim: (x) => x.chunk(2, -1),
  tensor_split_sections: (x) => x.tensorSplit(3, 1),
  tensor_split_more_sections: (x) => x.tensorSplit(5),
  tensor_split_indices: (x) => x.tensorSplit([1, 4], 1),
  tensor_split_indices_out_of_range: (x) => x.tensorSplit([-2, 10], 1),
  tensor_split_indices_decreasing: (x) => x.tensorSplit([3, 1], 0),
  tensor_split_index_tensor: (x, i) => tg.tensorSplit(x, i, 1),
  tensor_split_empty_dim: (x) => x.tensorSplit(2),
  tensor_split_sections_tensor: (x, n) => x.tensorSplit(n),
  unbind: (x) => x.unbind(1),
  unbind_negative_dim: (x) => tg.unbind(x, -1),
  unflatten: (x) => x.unflatten(1, [2, 3]),
  unflatten_infer: (x) => x.unflatten(-1, [-1, 2]),
  unflatten_transposed: (x) => x.T.unflatten(0, [2, 2]),

  // dim moves, transposes, broadcast and views
  movedim: (x) => x.movedim(0, 2),
  movedim_two: (x) => x.movedim([0, 1], [2, 0]),
  movedim_negative: (x) => x.movedim(-1, 0),
  moveaxis: (x) => tg.moveaxis(x, 1, -1),
  swapaxes: (x) => x.swapaxes(0, 2),
  swapdims: (x) => x.swapdims(-1, 0),
  t: (x) => x.t(),
  t_1d: (x) => x.t(),
  t_0d: (x) => tg.t(x),
  mT: (x) => x.mT,
  broadcast_to: (x) => x.broadcastTo(2, 3, 4),
  broadcast_to_keep: (x) => tg.broadcastTo(x, [3, -1]),
  view_as: (x, y) => x.viewAs(y),
  reshape_as: (x, y) => x.T.reshapeAs(y),
  unfold_overlapping: (x) => x.unfold(1, 2, 1),
  unfold_gaps: (x) => x.unfold(0, 2, 3),
  unfold_whole_dim: (x) => x.unfold(1, 5, 1),
  unfold_negative_dim: (x) => x.unfold(-1, 3, 2),
  unfold_transposed: (x) => x.T.unfold(0, 2, 2),
  unfold_0d: (x) => x.unfold(0, 1, 1),
  unfold_size_zero: (x) => x.unfold(0, 0, 2),

  // meshgrid, oneHot
  meshgrid_ij: (a, b) => meshgrid(a, b, { indexing: "ij" }),
  meshgrid_xy: (a, b, c) => meshgrid([a, b, c], { indexing: "xy" }),
  meshgrid_0d: (a, b) => meshgrid(a, b),
  meshgrid_one: (a) => meshgrid([a], { indexing: "xy" }),
  meshgrid_empty: (a, b) => meshgrid(a, b),
  one_hot: (i) => oneHot(i, 4),
  one_hot_inferred: (i) => F.oneHot(i),
  one_hot_empty: (i) => oneHot(i, 3),
  one_hot_0d: (i) => oneHot(i, 3),
};

describeFixtureCases("layout", CASES, LAYOUT);

describe("views and copies as in PyTorch", () => {
  const x = randn([3, 4, 5], { generator: new Generator(1) });
  const views: Record<string, (x: Tensor) => Tensor | Tensor[]> = {
    diagonal: (x) => x.diagonal(0, 1, 2),
    unfold: (x) => x.unfold(2, 2, 1),
    movedim: (x) => x.movedim(0, -1),
    swapaxes: (x) => x.swapaxes(0, 1),
    t: (x) => x.select(0, 0).t(),
    mT: (x) => x.mT,
    unbind: (x) => x.unbind(1),
    tensorSplit: (x) => x.tensorSplit(2, 2),
    unflatten: (x) => x.unflatten(2, [5, 1]),
    broadcastTo: (x) => x.broadcastTo(2, 3, 4, 5),
    viewAs: (x) => x.viewAs(x.flatten()),
    meshgrid: (x) => meshgrid(x.select(0, 0).select(0, 0), x.select(1, 0).select(1, 0)),
  };
  const copies: Record<string, (x: Tensor) => Tensor> = {
    flip: (x) => x.flip(0),
    roll: (x) => x.roll(0, 0),
    rot90: (x) => x.rot90(4),
    tril: (x) => x.tril(),
    repeat: (x) => x.repeat(1, 1, 1),
    tile: (x) => x.tile(1),
    repeatInterleave: (x) => x.repeatInterleave(1, 0),
    diag: (x) => x.select(0, 0).diag(),
    diagEmbed: (x) => x.diagEmbed(),
    pad: (x) => pad(x, [0, 0]),
    padReflect: (x) => pad(x, [0, 0], { mode: "reflect" }),
  };
  for (const [name, fn] of Object.entries(views)) {
    it(`${name} shares the input's storage`, () => {
      const out = fn(x);
      for (const o of Array.isArray(out) ? out : [out]) expect(o.data).toBe(x.data);
    });
  }
  for (const [name, fn] of Object.entries(copies)) {
    it(`${name} copies (even when it changes nothing)`, () => expect(fn(x).data).not.toBe(x.data));
  }
});


describe("pad keeps its plan (maps and row tables) between calls", () => {
  // The reference: out[i, j, k] = x[i - 1, j - 2, k - 1] inside, `value` outside (pad [1, 2, 2, 0, 1, 1]).
  function naive(x: Tensor, value: number): number[][][] {
    const xs = x.toArray() as number[][][];
    const [a, b, c] = x.shape;
    return Array.from({ length: a + 2 }, (_, i) => Array.from({ length: b + 2 }, (_, j) => Array.from({ length: c + 3 }, (_, k) => {
      const [p, q, r] = [i - 1, j - 2, k - 1];
      return p >= 0 && p < a && q >= 0 && q < b && r >= 0 && r < c ? xs[p][q][r] : value;
    })));
  }
  // One shape, [3, 4, 5], in three layouts: each call must read through its own row table.
  const gen = new Generator(3);
  const layouts: Record<string, Tensor> = {
    contiguous: randn([3, 4, 5], { generator: gen, dtype: "float64" }),
    transposed: randn([3, 5, 4], { generator: gen, dtype: "float64" }).transpose(1, 2),
    offset: randn([5, 4, 5], { generator: gen, dtype: "float64" }).narrow(0, 2, 3),
  };
  // Where each input element lands in the output (row-major), the gradient of sum(out * positions).
  const positions = (naive(arange(0, 60, 1, { dtype: "float64" }).reshape(3, 4, 5), -1).flat(2) as number[])
    .flatMap((v, i) => (v < 0 ? [] : [i]));
  it("gives each layout and offset of one shape its own rows, forward and backward, call after call", () => {
    for (let call = 0; call < 2; call++) {
      for (const [name, x] of Object.entries(layouts)) {
        const leaf = x.detach().requiresGrad_(true);
        const out = pad(leaf, [1, 2, 2, 0, 1, 1], { value: call });
        expect(out.toArray(), `${name}, call ${call}`).toEqual(naive(x, call));
        out.mul(arange(0, out.numel(), 1, { dtype: "float64" }).reshape(out.shape)).sum().backward();
        expect(Array.from(leaf.grad!.contiguous().data), `${name} gradient, call ${call}`).toEqual(positions);
      }
    }
  });
});

describe("higher-order gradients through the adjoint pairs", () => {
  it("the gradient of unfold's gradient is unfold again (createGraph)", () => {
    const x = arange(6, undefined, 1, { dtype: "float64" }).requiresGrad_(true);
    const [g] = grad([x.unfold(0, 3, 1).square().sum()], [x], { createGraph: true });
    // d/dx Σ_windows Σ x² = 2x·(windows covering x): [1, 2, 3, 3, 2, 1]
    expect(g!.toArray()).toEqual([0, 4, 12, 18, 16, 10]);
    const [gg] = grad([g!.sum()], [x]);
    expect(gg!.toArray()).toEqual([2, 4, 6, 6, 4, 2]);
  });

  it("third-order gradients of pad(reflect) and diagonal stay in the graph", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64", requiresGrad: true });
    const y = pad(x.unsqueeze(0), [2, 1], { mode: "reflect" }).pow(3).sum().add(x.diagonal().pow(3).sum());
    const [g1] = grad([y], [x], { createGraph: true });
    const [g2] = grad([g1!.sum()], [x], { createGraph: true });
    const [g3] = grad([g2!.sum()], [x]);
    // reflect [2, 1] turns a row a b c into c b a b c b (a once, b three times, c twice), and the
    // diagonal adds (0, 0) and (1, 1) once more: d³/dx³ Σ c·x³ = 6c.
    expect(g3!.toArray()).toEqual([[12, 18, 12], [6, 24, 12]]);
  });
});
