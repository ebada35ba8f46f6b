/**
 * PyTorch's `torch.linalg` names that tsgrad has, read as `tg.linalg.svd(A)`: the singular value
 * decomposition (`svd`, `svdvals`) and the norms (`matrixNorm` with "fro", "nuc", ±1, ±2,
 * ±Infinity; `vectorNorm`; `norm`, which picks one of the two as PyTorch's `linalg.norm` does),
 * plus `cross` (also top-level as `linalgCross`) and `matmul` (the top-level one).
 *
 * The SVD is one-sided Jacobi (Hestenes) in float64 over each matrix of the batch, accurate to
 * float64 rounding in every singular value, small ones included; float32 inputs are decomposed in
 * float64 and rounded once.
 *
 * @example
 * ```ts
 * const A = tensor([[3, 0], [4, 5]]);
 * linalg.svdvals(A);            // ≈ [6.7082, 2.2361] (√45 and √5)
 * linalg.matrixNorm(A, "nuc");  // ≈ 8.9443 (their sum)
 * ```
 * @module linalg
 */
export { svd, svdvals, matrixNorm, vectorNorm, norm, type SvdResult, type SvdOptions, type MatrixNormOrd } from "./ops/linalg.js";
export { linalgCross as cross } from "./ops/products.js";
export { matmul } from "./ops/matmul.js";
