/**
 * Linear algebra (ops/linalg.ts, the `linalg` namespace) against PyTorch: every case of
 * tools/fixtures/gen_core_linalg.py, as the tsgrad expression that should reproduce it (SVD cases
 * compare gauge-invariant quantities: U and Vh are sign-ambiguous); then what a fixture cannot
 * show: orthonormality of full bases, the result's forms, and the errors.
 */
import { describe, expect, it } from "vitest";
import { Tensor, eye, linalg, randn, manualSeed, tensor, zeros } from "@tsgrad/core";
import * as tg from "tsgrad";
import { describeFixtureCases, type OpCase, type OpFn } from "./op-table.js";
import { expectClose, loadFixture } from "../../../tools/test-utils.js";

const CASES = loadFixture<{ cases: OpCase[] }>(new URL("./fixtures/core-linalg.json", import.meta.url)).cases;

const reduced = (a: Tensor) => linalg.svd(a, { fullMatrices: false });
function reconstruct(a: Tensor, fullMatrices = false): Tensor {
  const { U, S, Vh } = linalg.svd(a, { fullMatrices });
  const k = S.shape[S.ndim - 1];
  return U.narrow(-1, 0, k).mul(S.unsqueeze(-2)).matmul(Vh.narrow(-2, 0, k));
}
function gauge(a: Tensor, fullMatrices = false): Tensor[] {
  const { U, S, Vh } = linalg.svd(a, { fullMatrices });
  const k = S.shape[S.ndim - 1];
  return [U.narrow(-1, 0, k).square(), S, Vh.narrow(-2, 0, k).square()];
}
const ORDS: Record<string, "fro" | "nuc" | number> = { fro: "fro", nuc: "nuc", 1: 1, neg1: -1, 2: 2, neg2: -2, inf: Infinity, neginf: -Infinity };

/** Case name → the tsgrad expression. Names match gen_core_linalg.py, which has the PyTorch side. */
const LINALG: Record<string, OpFn> = {
  svdvals_tall: (a) => linalg.svdvals(a),
  svdvals_wide: (a) => linalg.svdvals(a),
  svdvals_square: (a) => linalg.svdvals(a),
  svdvals_batch: (a) => linalg.svdvals(a),
  svdvals_1x1: (a) => linalg.svdvals(a),
  svdvals_row: (a) => linalg.svdvals(a),
  svdvals_transposed: (a) => linalg.svdvals(a.mT),
  svdvals_expanded: (a) => linalg.svdvals(a.expand(2, 3, 3)),
  svdvals_empty_rows: (a) => linalg.svdvals(a),
  svdvals_empty_batch: (a) => linalg.svdvals(a),
  svdvals_rank_one: (a) => linalg.svdvals(a).narrow(-1, 0, 1),
  svdvals_rank_one_values: (a) => linalg.svdvals(a.detach()),
  svdvals_zero_matrix: (a) => linalg.svdvals(a),
  svdvals_tiny_and_huge: (a) => linalg.svdvals(a),
  svdvals_graded: (a) => linalg.svdvals(a),

  svd_reconstruct_tall: (a) => reconstruct(a),
  svd_reconstruct_wide: (a) => reconstruct(a),
  svd_reconstruct_full: (a) => reconstruct(a, true),
  svd_reconstruct_batch: (a) => reconstruct(a),
  svd_gauge_tall: (a) => gauge(a),
  svd_gauge_wide: (a) => gauge(a),
  svd_gauge_square: (a) => gauge(a),
  svd_gauge_full_tall: (a) => gauge(a, true),
  svd_gauge_full_wide: (a) => gauge(a, true),
  svd_projectors: (a) => {
    const { U, Vh } = reduced(a);
    return [U.matmul(U.mT), Vh.mT.matmul(Vh)];
  },
  svd_weighted: (a, w) => {
    const [U, , Vh] = reduced(a);
    return U.mul(w).matmul(Vh);
  },
  svd_transposed: (a) => gauge(a.mT),
  svd_1x1: (a) => gauge(a),
  svd_repeated_values: (a) => [linalg.svdvals(a).narrow(0, 0, 2).sum(), linalg.svdvals(a).select(0, 2)],
  svd_repeated_through_u: (a) => reduced(a).U.matmul(reduced(a).Vh),
  svd_empty_full: (a) => [...linalg.svd(a)],
  svd_empty_reduced: (a) => [...reduced(a)],

  matrix_norm_1_ties: (a) => linalg.matrixNorm(a, 1),
  matrix_norm_inf_ties: (a) => linalg.matrixNorm(a, Infinity),
  matrix_norm_nuc_empty: (a) => linalg.matrixNorm(a, "nuc"),
  matrix_norm_nuc_repeated: (a) => linalg.matrixNorm(a, "nuc"),
  norm_nuc: (a) => a.norm("nuc"),
  norm_nuc_dims: (a) => tg.norm(a, "nuc", [0, 2]),
  norm_nuc_dims_keepdim: (a) => a.norm("nuc", [-1, 0], true),
  linalg_norm_default: (a) => linalg.norm(a),
  linalg_norm_matrix_2: (a) => linalg.norm(a, 2),
  linalg_norm_vector_1d: (a) => linalg.norm(a, 3),
  linalg_norm_dim: (a) => linalg.norm(a, 1, 1),
  linalg_norm_nuc_dims: (a) => linalg.norm(a, "nuc", [0, 1]),
  vector_norm: (a) => linalg.vectorNorm(a),
  vector_norm_dims: (a) => linalg.vectorNorm(a, 3, [0, 2], true),
  vector_norm_inf: (a) => linalg.vectorNorm(a, -Infinity, -1),
};
for (const [label, ord] of Object.entries(ORDS)) {
  LINALG[`matrix_norm_${label}`] = (a) => linalg.matrixNorm(a, ord);
  LINALG[`matrix_norm_${label}_dims_keepdim`] = (a) => linalg.matrixNorm(a, ord, [2, 0], true);
}

/**
 * Cases a float32 run does not apply to: the extreme magnitudes do not fit float32, the graded
 * matrix's 1e-16 singular value is below float32 resolution, the NaN gradient at repeated
 * singular values depends on exact zeros of σᵢ² − σⱼ², and svd_transposed's gradient through U
 * and Vh divides by σᵢ² − σⱼ² of close singular values, which amplifies the float32 rounding of
 * the backward's products past 1e-5 (3e-5 measured).
 */
const NOT_FLOAT32 = new Set(["svdvals_tiny_and_huge", "svdvals_graded", "svd_repeated_through_u", "svd_transposed"]);

describeFixtureCases("linalg", CASES, LINALG, NOT_FLOAT32);

describe("svd", () => {
  manualSeed(3);
  it.each([[5, 3], [3, 5], [4, 4], [1, 3], [6, 1]])("a full U and Vh of a %i × %i batch are orthogonal matrices", (m, n) => {
    const A = randn([2, m, n], { dtype: "float64" });
    const { U, Vh } = linalg.svd(A);
    expect(U.shape).toEqual([2, m, m]);
    expect(Vh.shape).toEqual([2, n, n]);
    expectClose(U.mT.matmul(U), eye(m, m, { dtype: "float64" }).expand(2, m, m), "UᵀU", 0, 1e-14);
    expectClose(Vh.matmul(Vh.mT), eye(n, n, { dtype: "float64" }).expand(2, n, n), "Vh·Vhᵀ", 0, 1e-14);
  });

  it("completes U of a rank-deficient matrix to an orthonormal basis", () => {
    const A = tensor([[1, 2], [2, 4], [3, 6]], { dtype: "float64" });
    const { U, S, Vh } = linalg.svd(A, { fullMatrices: false });
    expect(S.dataSync()[1]).toBe(0);
    expectClose(U.mT.matmul(U), eye(2, 2, { dtype: "float64" }), "UᵀU", 0, 1e-14);
    expectClose(U.mul(S).matmul(Vh), A, "U·diag(S)·Vh", 0, 1e-14);
  });

  it("reads by name and by position, and is frozen", () => {
    const r = linalg.svd(tensor([[2, 0], [0, 1]]));
    const [U, S, Vh] = r;
    expect([U, S, Vh]).toEqual([r.U, r.S, r.Vh]);
    expect(r.length).toBe(3);
    expect(Object.isFrozen(r)).toBe(true);
    expect(S.dtype).toBe("float32");
  });

  it("gives NaN factors for an infinite entry, as PyTorch", () => {
    const { U, S, Vh } = linalg.svd(tensor([[1, Infinity], [0, 1]]));
    for (const t of [U, S, Vh]) expect(t.dataSync().every(Number.isNaN)).toBe(true);
  });
});

describe("linalg errors name the op and the input", () => {
  it.each([
    ["svd of a vector", () => linalg.svd(tensor([1, 2])), /linalg\.svd: the input A must have at least 2 dims \(a matrix or a batch of them\), got shape \[2\]/],
    ["svd of a 0-d tensor", () => linalg.svdvals(tensor(1)), /linalg\.svdvals: the input A must have at least 2 dims .*got shape \[\]/],
    ["svd of an int tensor", () => linalg.svd(zeros([2, 2], { dtype: "int32" })), /linalg\.svd: expected a floating-point tensor, got dtype int32/],
    ["svd with NaN", () => linalg.svd(tensor([[1, NaN], [0, 1]])), /linalg\.svd: the algorithm failed to converge because the input matrix contained non-finite values/],
    ["an unknown svd option", () => linalg.svd(zeros([2, 2]), { full_matrices: false } as never), /linalg\.svd.*full_matrices/],
    ["matrixNorm of a vector", () => linalg.matrixNorm(tensor([1, 2]), "nuc"), /linalg\.matrixNorm: the input A must have at least 2 dims/],
    ["matrixNorm order 3", () => linalg.matrixNorm(zeros([2, 2]), 3), /linalg\.matrixNorm: order 3 is not supported; use "fro", "nuc", 1, -1, 2, -2, Infinity or -Infinity/],
    ["matrixNorm on one dim twice", () => linalg.matrixNorm(zeros([2, 2]), "fro", [1, -1]), /linalg\.matrixNorm: the two dims must be different, got \[1, -1\]/],
    ["matrixNorm with a dim out of range", () => linalg.matrixNorm(zeros([2, 2]), "nuc", [0, 2]), /linalg\.matrixNorm: dim 2 is out of range/],
    ["norm nuc of a 3-D tensor without dim", () => zeros([2, 3, 4]).norm("nuc"), /norm: "nuc" without dim needs a 2-D input, got shape \[2, 3, 4\]; pass a pair of dims/],
    ["norm nuc over one dim", () => zeros([2, 3, 4]).norm("nuc", 1), /norm: "nuc" needs dim to be a pair of dims, got number 1/],
    ["norm with an unknown p", () => zeros([2, 2]).norm("max" as never), /norm: p must be a number, "fro" or "nuc", got "max"/],
    ["linalg.norm string ord of a 3-D tensor", () => linalg.norm(zeros([2, 3, 4]), "fro"), /linalg\.norm: ord "fro" without dim needs a 2-D input, got shape \[2, 3, 4\]/],
    ["linalg.norm numeric ord of a 3-D tensor", () => linalg.norm(zeros([2, 3, 4]), 2), /linalg\.norm: ord 2 without dim needs a 1-D or 2-D input/],
    ["vectorNorm with a string ord", () => linalg.vectorNorm(zeros([2]), "fro" as never), /linalg\.vectorNorm: ord must be a number, got "fro"/],
  ])("%s", (_, run, message) => {
    expect(run).toThrow(message);
  });
});
