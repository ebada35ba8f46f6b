/**
 * The products (ops/products.ts) and einsum (ops/einsum.ts) against PyTorch: every case of
 * tools/fixtures/gen_core_products.py, once, as the tsgrad expression that should reproduce it.
 * Each row runs forward and backward against the fixture (float64 and float32), a float64
 * gradcheck and, where flagged, a gradgradcheck. Then: einsum goes through the matmul kernel.
 */
import { describe, it, expect } from "vitest";
import { Tensor, einsum, tensordot, linalgCross, randn, Generator, zeros } from "@tsgrad/core";
import * as tg from "tsgrad";
import { describeFixtureCases, type OpCase, type OpFn } from "./op-table.js";
import { loadFixture } from "../../../tools/test-utils.js";

const CASES = loadFixture<{ cases: OpCase[] }>(new URL("./fixtures/core-products.json", import.meta.url)).cases;

/** The einsum cases: case name (without "einsum_") → equation, as in gen_core_products.py. */
const EINSUM: Record<string, string> = {
  matmul: "ij,jk->ik",
  matmul_implicit: "ij,jk",
  bmm: "bij,bjk->bik",
  bmm_transposed_b: "bij,bkj->bik",
  attention_scores: "bhqd,bhkd->bhqk",
  trace: "ii",
  diagonal: "ii->i",
  diagonal_3d: "iij->ji",
  diagonal_triple: "iii->i",
  batched_diagonal: "...ii->...i",
  inner: "i,i->",
  inner_implicit: "i,i",
  outer: "i,j->ij",
  outer_implicit: "i,j",
  outer_reversed: "i,j->ji",
  transpose: "ij->ji",
  permute_3d: "ijk->kij",
  sum_all: "ij->",
  sum_rows: "ij->j",
  hadamard: "ij,ij->ij",
  hadamard_sum: "ij,ij->",
  batch_inner: "bi,bi->b",
  ellipsis_matmul: "...ij,...jk",
  ellipsis_broadcast: "...ij,...jk->...ik",
  ellipsis_transpose: "...ij->...ji",
  ellipsis_summed: "...ij->ij",
  ellipsis_leading: "i...->...",
  ellipsis_middle: "i...j,j...k->i...k",
  ellipsis_empty: "...i,...i->...",
  three_operands: "bn,anm,bm->ba",
  three_chain: "ij,jk,kl->il",
  three_elementwise: "i,i,i->i",
  independent_sums: "ab,cd->",
  sum_before_contract: "ab,bc->c",
  broadcast_size1: "ij,jk->ik",
  broadcast_size1_kept: "i,i->i",
  broadcast_size1_batch: "bij,bjk->bik",
  uppercase_implicit: "Ba,aB",
  uppercase_order: "bA,a->Aab",
  spaces: " i j , j -> i ",
  scalar_times_vector: ",i->i",
  scalars: ",->",
  scalar_ellipsis: "...",
  scalar_identity: "",
  empty_contraction: "ij,jk->ik",
  empty_rows: "ij,jk->ik",
  empty_sum: "i->",
  empty_diagonal: "ii->i",
  contract_two_indices: "ijk,jkl->il",
  repeated_across_and_within: "ii,ij->j",
};

/** Case name → the tsgrad expression. Names match gen_core_products.py, which has the PyTorch side. */
const PRODUCTS: Record<string, OpFn> = {
  // vector products
  dot: (a, b) => a.dot(b),
  dot_empty: (a, b) => tg.dot(a, b),
  dot_int: (a, b) => a.dot(b),
  vdot: (a, b) => a.vdot(b),
  outer: (a, b) => a.outer(b),
  outer_empty: (a, b) => tg.outer(a, b),
  ger: (a, b) => a.ger(b),

  // matrix products
  mv: (m, v) => m.mv(v),
  mv_transposed: (m, v) => tg.mv(m.T, v),
  mv_empty: (m, v) => m.mv(v),
  mm: (a, b) => a.mm(b),
  mm_large: (a, b) => a.mm(b),
  mm_transposed: (a, b) => a.T.mm(b.T),
  mm_expanded: (a, b) => a.expand(3, 4).mm(b),
  mm_empty_inner: (a, b) => tg.mm(a, b),
  mm_empty_rows: (a, b) => a.mm(b),
  mm_int: (a, b) => a.mm(b),
  bmm: (a, b) => a.bmm(b),
  bmm_transposed: (a, b) => a.transpose(1, 2).bmm(b),
  bmm_empty_batch: (a, b) => tg.bmm(a, b),

  // beta * input + alpha * product
  addmm: (i, a, b) => i.addmm(a, b),
  addmm_broadcast_row: (i, a, b) => tg.addmm(i, a, b),
  addmm_0d_input: (i, a, b) => i.addmm(a, b),
  addmm_beta_alpha: (i, a, b) => i.addmm(a, b, { beta: 0.5, alpha: -2 }),
  addmm_beta0_nan: (i, a, b) => i.addmm(a, b, { beta: 0 }),
  addmm_alpha0: (i, a, b) => i.addmm(a, b, { alpha: 0 }),
  addmm_int: (i, a, b) => i.addmm(a, b, { beta: 2, alpha: 3 }),
  addmv: (i, a, b) => i.addmv(a, b),
  addmv_beta_alpha: (i, a, b) => tg.addmv(i, a, b, { beta: -1, alpha: 0.25 }),
  addmv_beta0_nan: (i, a, b) => i.addmv(a, b, { beta: 0 }),
  baddbmm: (i, a, b) => i.baddbmm(a, b),
  baddbmm_broadcast: (i, a, b) => tg.baddbmm(i, a, b, { beta: 2, alpha: 0.5 }),
  baddbmm_beta0_nan: (i, a, b) => i.baddbmm(a, b, { beta: 0 }),
  addbmm: (i, a, b) => i.addbmm(a, b),
  addbmm_beta_alpha: (i, a, b) => tg.addbmm(i, a, b, { beta: 1.5, alpha: -1 }),
  addbmm_empty_batch: (i, a, b) => i.addbmm(a, b),

  // cross, kron, tensordot
  cross_default_dim: (a, b) => a.cross(b),
  cross_default_first_3: (a, b) => tg.cross(a, b),
  cross_dim: (a, b) => a.cross(b, 1),
  cross_negative_dim: (a, b) => a.cross(b, -1),
  cross_broadcast: (a, b) => a.cross(b, -1),
  cross_broadcast_two_dims: (a, b) => a.cross(b),
  linalg_cross: (a, b) => linalgCross(a, b),
  linalg_cross_dim: (a, b) => linalgCross(a, b, 0),
  kron: (a, b) => a.kron(b),
  kron_1d: (a, b) => tg.kron(a, b),
  kron_mixed_rank: (a, b) => a.kron(b),
  kron_0d: (a, b) => a.kron(b),
  kron_empty: (a, b) => a.kron(b),
  kron_int: (a, b) => a.kron(b),
  tensordot: (a, b) => tensordot(a, b),
  tensordot_one: (a, b) => tensordot(a, b, 1),
  tensordot_zero: (a, b) => tensordot(a, b, 0),
  tensordot_lists: (a, b) => tensordot(a, b, [[2, 0], [0, 1]]),
  tensordot_negative: (a, b) => tensordot(a, b, [[-1], [-2]]),
  tensordot_empty: (a, b) => tensordot(a, b, 1),

  // einsum
  ...Object.fromEntries(Object.entries(EINSUM).map(([name, eq]) => [`einsum_${name}`, (...xs: Tensor[]) => einsum(eq, ...xs)])),
  einsum_transposed_input: (a, b) => einsum("ij,jk->ik", a.T, b),
  einsum_expanded_input: (a, b) => einsum("bij,bjk->bik", a.expand(3, 2, 4), b),
  einsum_list_operands: (a, b) => einsum("i,i->", [a, b]),
  einsum_int: (a, b) => einsum("ij,jk->ik", a, b),
};

describeFixtureCases("products", CASES, PRODUCTS);

describe("einsum contracts through matmul", () => {
  const gen = new Generator(3);
  it('"bij,bjk->bik" is one MmBackward0 node over the inputs (no elementwise product)', () => {
    const a = randn([2, 3, 4], { generator: gen, requiresGrad: true });
    const b = randn([2, 4, 5], { generator: gen, requiresGrad: true });
    const y = einsum("bij,bjk->bik", a, b);
    expect(y.gradFn?.name).toBe("MmBackward0");
    expect(y.dataSync()).toEqual(a.matmul(b).dataSync());
  });
  it("an outer product is a broadcast mul, a contraction of two letters one matmul", () => {
    const a = randn([3, 4, 5], { generator: gen, requiresGrad: true });
    expect(einsum("ijk,l->ijkl", a, randn([2], { generator: gen })).gradFn?.name).toBe("MulBackward0");
    const y = einsum("ijk,jkl->il", a, randn([4, 5, 2], { generator: gen }));
    expect(y.shape).toEqual([3, 2]);
  });
  it("returns a fresh tensor for an identity equation", () => {
    const x = zeros([2, 3]);
    expect(einsum("ij->ij", x)).not.toBe(x);
  });
});
