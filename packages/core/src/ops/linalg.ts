/**
 * Linear algebra, PyTorch's `torch.linalg` (exported as the `linalg` namespace by
 * `../linalg.ts`): the singular value decomposition by one-sided Jacobi in float64, its backward
 * rules (PyTorch's svd_backward, one rule per output), and the norms built on it.
 */
import { Tensor } from "../tensor.js";
import { allocate } from "../dtype.js";
import { fmtShape, numelOf, normalizeDim } from "../shape.js";
import { record } from "../autograd/node.js";
import { noGrad } from "../autograd/grad-mode.js";
import { describeValue, optionChecks, resolveOptions } from "../options.js";
import { checkFloat } from "./helpers.js";
import { eye } from "../creation.js";
import * as reduce from "./reduce.js";

const EPS = 2 ** -52;
const MAX_SWEEPS = 100;

/**
 * One-sided Jacobi SVD of a tall matrix (m ≥ n), in place: `w` holds its n columns (column j at
 * `w[j·m …]`, scaled so that no square overflows); on return column j of `w` is σⱼ·uⱼ and column j
 * of `v` (n × n, same layout) is vⱼ. Each rotation zeroes the inner product of a pair of columns;
 * sweeps over all pairs repeat until every pair is orthogonal to rounding.
 */
function jacobi(w: Float64Array, m: number, n: number, v: Float64Array): void {
  const tol = Math.max(m, 1) * EPS;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        const op = p * m;
        const oq = q * m;
        for (let i = 0; i < m; i++) {
          const a = w[op + i];
          const b = w[oq + i];
          alpha += a * a;
          beta += b * b;
          gamma += a * b;
        }
        if (gamma === 0 || !(Math.abs(gamma) > tol * Math.sqrt(alpha) * Math.sqrt(beta))) continue;
        rotated = true;
        // The rotation [c s; −s c] that makes columns p and q orthogonal (Rutishauser's smaller angle).
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const a = w[op + i];
          const b = w[oq + i];
          w[op + i] = c * a - s * b;
          w[oq + i] = s * a + c * b;
        }
        for (let i = 0, vp = p * n, vq = q * n; i < n; i++) {
          const a = v[vp + i];
          const b = v[vq + i];
          v[vp + i] = c * a - s * b;
          v[vq + i] = s * a + c * b;
        }
      }
    }
    if (!rotated) return;
  }
}

/**
 * Extends the orthonormal columns `cols[0 … have)` of `basis` (column j at `basis[j·m …]`, m rows)
 * to `want` orthonormal columns, filling the zero columns listed in `fill` and then `have … want`:
 * Gram–Schmidt (twice, for orthogonality to rounding) of the unit vectors e₀, e₁, … in turn, keeping
 * those with a large enough remainder.
 */
function complete(basis: Float64Array, m: number, done: boolean[], want: number): void {
  const r = new Float64Array(m);
  let candidate = 0;
  for (let j = 0; j < want; j++) {
    if (done[j]) continue;
    for (;;) {
      if (candidate >= m) throw new Error("linalg.svd: internal error: cannot complete the orthonormal basis");
      r.fill(0);
      r[candidate++] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let k = 0; k < want; k++) {
          if (!done[k]) continue;
          let dot = 0;
          for (let i = 0; i < m; i++) dot += basis[k * m + i] * r[i];
          for (let i = 0; i < m; i++) r[i] -= dot * basis[k * m + i];
        }
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += r[i] * r[i];
      norm = Math.sqrt(norm);
      if (norm > 0.5) {
        for (let i = 0; i < m; i++) basis[j * m + i] = r[i] / norm;
        done[j] = true;
        break;
      }
    }
  }
}

/**
 * The SVD of one tall matrix `a` (m × n, m ≥ n, row-major, finite): `u` (m × cols, column-major
 * as in {@link jacobi}, cols = n or m for the full basis), `s` (n, descending) and `v` (n × n,
 * column-major). Zero singular values get unit vectors completing the basis.
 */
function svdTall(a: Float64Array, m: number, n: number, full: boolean): { u: Float64Array; s: Float64Array; v: Float64Array } {
  let amax = 0;
  for (let i = 0; i < a.length; i++) amax = Math.max(amax, Math.abs(a[i]));
  // Scale by a power of two (exact) so the column norms neither overflow nor underflow.
  const scale = amax > 0 && Number.isFinite(amax) ? 2 ** -Math.round(Math.log2(amax)) : 1;
  const w = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[j * m + i] = a[i * n + j] * scale;
  const v0 = new Float64Array(n * n);
  for (let j = 0; j < n; j++) v0[j * n + j] = 1;
  jacobi(w, m, n, v0);
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let sq = 0;
    for (let i = 0; i < m; i++) sq += w[j * m + i] * w[j * m + i];
    norms[j] = Math.sqrt(sq);
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => norms[y] - norms[x] || x - y);
  const cols = full ? m : n;
  const u = new Float64Array(m * cols);
  const v = new Float64Array(n * n);
  const s = new Float64Array(n);
  const done = new Array<boolean>(cols).fill(false);
  order.forEach((j, k) => {
    s[k] = norms[j] / scale;
    v.set(v0.subarray(j * n, j * n + n), k * n);
    if (norms[j] === 0) return;
    for (let i = 0; i < m; i++) u[k * m + i] = w[j * m + i] / norms[j];
    done[k] = true;
  });
  complete(u, m, done, cols);
  return { u, s, v };
}

/** The SVD of every matrix of `a` ([…, m, n]) as float64 arrays: U […, m, ku], S […, k], Vh […, kv, n]. */
function svdForward(op: string, a: Tensor, full: boolean): { U: Tensor; S: Tensor; Vh: Tensor } {
  checkMatrix(op, a);
  const m = a.shape[a.ndim - 2];
  const n = a.shape[a.ndim - 1];
  const k = Math.min(m, n);
  const batch = a.shape.slice(0, -2);
  const count = numelOf(batch);
  const [ku, kv] = full ? [m, n] : [k, k];
  const U = allocate(a.dtype, count * m * ku);
  const S = allocate(a.dtype, count * k);
  const Vh = allocate(a.dtype, count * kv * n);
  const src = noGrad(() => a.detach().contiguous());
  const data = src.data;
  const wide = m < n;
  const [rows, colsIn] = wide ? [n, m] : [m, n]; // the tall matrix decomposed: A, or Aᵀ when wide
  const mat = new Float64Array(m * n);
  for (let b = 0; b < count; b++) {
    const off = src.offset + b * m * n;
    let finite = true;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const x = data[off + i * n + j];
        if (x !== x) throw new RangeError(`${op}: the algorithm failed to converge because the input matrix contained non-finite values (NaN in matrix ${b} of the batch, input ${fmtShape(a.shape)})`);
        if (!Number.isFinite(x)) finite = false;
        mat[wide ? j * m + i : i * n + j] = x;
      }
    }
    if (!finite) {
      // PyTorch (LAPACK) returns NaN throughout for an infinite entry.
      U.fill(NaN, b * m * ku, (b + 1) * m * ku);
      S.fill(NaN, b * k, (b + 1) * k);
      Vh.fill(NaN, b * kv * n, (b + 1) * kv * n);
      continue;
    }
    const { u, s, v } = svdTall(mat, rows, colsIn, full);
    S.set(s, b * k);
    // Tall: A = u·diag(s)·vᵀ, U[i, j] = u col j, Vh[j, c] = v col j. Wide: Aᵀ = u·diag(s)·vᵀ, so
    // U = v (m × m, k = m) and Vh = uᵀ.
    const uOut = b * m * ku;
    const vOut = b * kv * n;
    if (!wide) {
      for (let i = 0; i < m; i++) for (let j = 0; j < ku; j++) U[uOut + i * ku + j] = u[j * m + i];
      for (let j = 0; j < kv; j++) for (let c = 0; c < n; c++) Vh[vOut + j * n + c] = v[j * n + c];
    } else {
      for (let i = 0; i < m; i++) for (let j = 0; j < ku; j++) U[uOut + i * ku + j] = v[j * m + i];
      for (let j = 0; j < kv; j++) for (let c = 0; c < n; c++) Vh[vOut + j * n + c] = u[j * n + c];
    }
  }
  return {
    U: new Tensor(U, [...batch, m, ku], a.dtype),
    S: new Tensor(S, [...batch, k], a.dtype),
    Vh: new Tensor(Vh, [...batch, kv, n], a.dtype),
  };
}

function checkMatrix(op: string, a: unknown): asserts a is Tensor {
  if (!(a instanceof Tensor)) throw new TypeError(`${op}: A must be a Tensor, got ${describeValue(a)}`);
  if (a.ndim < 2) throw new RangeError(`${op}: the input A must have at least 2 dims (a matrix or a batch of them), got shape ${fmtShape(a.shape)}`);
  checkFloat(op, a);
}

/**
 * The result of {@link svd}, PyTorch's named tuple `(U, S, Vh)`: read it by name (`.U`, `.S`,
 * `.Vh`) or destructure it (`const [U, S, Vh] = linalg.svd(A)`).
 *
 * @example
 * ```ts
 * const { U, S, Vh } = linalg.svd(tensor([[2, 0], [0, 1]]));
 * const [U2, S2, Vh2] = linalg.svd(tensor([[2, 0], [0, 1]]));
 * S.toArray(); // → [2, 1]
 * ```
 * @group Linear algebra
 */
export type SvdResult = readonly [U: Tensor, S: Tensor, Vh: Tensor] & { readonly U: Tensor; readonly S: Tensor; readonly Vh: Tensor };

/**
 * Options of {@link svd}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `fullMatrices` | `true` | `full_matrices` |
 *
 * @example
 * ```ts
 * linalg.svd(zeros([4, 2]), { fullMatrices: false }).U.shape; // → [4, 2]
 * ```
 * @group Linear algebra
 */
export interface SvdOptions {
  /** `true` (default): U is m × m and Vh n × n (bases completed); `false`: the reduced U (m × k), Vh (k × n), k = min(m, n). */
  fullMatrices?: boolean;
}

// The backward rules of the three outputs, PyTorch's svd_backward split by the output it starts
// from (the rule is linear in gU, gS, gVh, and PyTorch skips the terms of an unused output, so a
// sum of one rule per used output is exactly its gradient). U and Vh are the reduced factors
// (m × k, k × n); E[i, j] = σⱼ² − σᵢ² (1 on the diagonal).
interface Factors { U: Tensor; S: Tensor; Vh: Tensor; m: number; n: number; k: number }

const skew = (x: Tensor): Tensor => x.sub(x.mT);

function gap(S: Tensor, k: number): Tensor {
  const S2 = S.square();
  return S2.unsqueeze(-2).sub(S2.unsqueeze(-1)).add(eye(k, k, { dtype: S.dtype }));
}

/** gA from gS: U·diag(gS)·Vh. */
function backwardS(f: Factors, gS: Tensor): Tensor {
  return f.U.mul(gS.unsqueeze(-2)).matmul(f.Vh);
}

/** gA from gU (m × k): U·(skew(Uᵀ·gU)·σⱼ / E)·Vh, plus (I − U·Uᵀ)·gU·S⁻¹·Vh when m > k. */
function backwardU(f: Factors, gU: Tensor): Tensor {
  const { U, S, Vh } = f;
  let gA = U.matmul(skew(U.mT.matmul(gU)).mul(S.unsqueeze(-2).div(gap(S, f.k))));
  if (f.m > f.k) {
    const gUSinv = gU.div(S.unsqueeze(-2));
    gA = gA.add(gUSinv).sub(U.matmul(U.mT.matmul(gUSinv)));
  }
  return gA.matmul(Vh);
}

/** gA from gVh (k × n): U·(σᵢ·skew(Vh·gVhᵀ) / E)·Vh, plus U·S⁻¹·gVh·(I − Vhᵀ·Vh) when n > k. */
function backwardVh(f: Factors, gVh: Tensor): Tensor {
  const { U, S, Vh } = f;
  let gA = S.unsqueeze(-1).mul(skew(Vh.matmul(gVh.mT))).div(gap(S, f.k)).matmul(Vh);
  if (f.n > f.k) {
    const SinvgVh = gVh.div(S.unsqueeze(-1));
    gA = gA.add(SinvgVh).sub(SinvgVh.matmul(Vh.mT).matmul(Vh));
  }
  return U.matmul(gA);
}

/**
 * The singular value decomposition `A = U · diag(S) · Vh` of a matrix or a batch of them
 * (A: […, m, n], float32 or float64), like PyTorch's `torch.linalg.svd`: S […, k] descending
 * (k = min(m, n)); U […, m, m] and Vh […, n, n] with `fullMatrices` (the default), or the reduced
 * U […, m, k] and Vh […, k, n]. The columns of U and the rows of Vh are orthonormal. Each pair
 * (uⱼ, vⱼ) is determined only up to a common sign (and, for repeated singular values, up to a
 * rotation among them), so compare products such as `U·diag(S)·Vh` rather than U or Vh across
 * libraries. The extra columns of a full U (rows of a full Vh) are an arbitrary completion.
 *
 * Differentiable (PyTorch's svd_backward): the gradient is well defined when the loss depends on
 * U and Vh only through sign-invariant quantities, and when the singular values are distinct;
 * with repeated singular values, a gradient through U or Vh divides by σᵢ² − σⱼ² = 0 and is
 * inf/NaN, as in PyTorch (a gradient through S alone, as of {@link svdvals} or the nuclear norm,
 * is always finite). With full matrices, the completion columns get no gradient. A NaN entry
 * throws (PyTorch's "failed to converge"); an infinite one gives NaN factors.
 *
 * @example
 * ```ts
 * const A = tensor([[1, 2], [3, 4], [5, 6]]);
 * const { U, S, Vh } = linalg.svd(A, { fullMatrices: false });
 * U.shape;                                // → [3, 2]
 * U.mul(S.unsqueeze(0)).matmul(Vh);       // A again, to rounding
 * ```
 * @group Linear algebra
 */
export function svd(A: Tensor, options?: SvdOptions): SvdResult {
  const { fullMatrices } = resolveOptions("linalg.svd", options, { fullMatrices: true }, { fullMatrices: optionChecks.boolean });
  const { U, S, Vh } = decompose("linalg.svd", A, fullMatrices);
  return Object.freeze(Object.assign([U, S, Vh] as [Tensor, Tensor, Tensor], { U, S, Vh }));
}

/** The factors of {@link svd}, each recorded with its own backward rule. */
function decompose(op: string, A: Tensor, fullMatrices: boolean): { U: Tensor; S: Tensor; Vh: Tensor } {
  const { U, S, Vh } = svdForward(op, A, fullMatrices);
  const m = A.shape[A.ndim - 2];
  const n = A.shape[A.ndim - 1];
  const k = Math.min(m, n);
  const reduced = (): Factors => ({
    U: fullMatrices && m > k ? U.narrow(-1, 0, k) : U,
    S,
    Vh: fullMatrices && n > k ? Vh.narrow(-2, 0, k) : Vh,
    m, n, k,
  });
  const saves = [U, S, Vh];
  record(S, "LinalgSvdBackward0", [A], (g) => [backwardS(reduced(), g)], saves);
  record(U, "LinalgSvdBackward0", [A], (g) => [backwardU(reduced(), fullMatrices && m > k ? g.narrow(-1, 0, k) : g)], saves);
  record(Vh, "LinalgSvdBackward0", [A], (g) => [backwardVh(reduced(), fullMatrices && n > k ? g.narrow(-2, 0, k) : g)], saves);
  return { U, S, Vh };
}

/**
 * The singular values of a matrix or a batch of them (A: […, m, n] → […, min(m, n)], descending),
 * like PyTorch's `torch.linalg.svdvals`. Backward: gA = U·diag(gS)·Vh, finite even where singular
 * values repeat (PyTorch's svd_backward with only gS).
 *
 * @example
 * ```ts
 * linalg.svdvals(tensor([[3, 0], [0, -4]])).toArray(); // → [4, 3]
 * ```
 * @group Linear algebra
 */
export function svdvals(A: Tensor): Tensor {
  // U and Vh are recorded too, so that the gradient U·diag(gS)·Vh can be differentiated again.
  return decompose("linalg.svdvals", A, false).S;
}

/** The `ord` of {@link matrixNorm}: "fro", "nuc", ±1 (column sums), ±2 (singular values), ±Infinity (row sums). @group Linear algebra */
export type MatrixNormOrd = "fro" | "nuc" | number;

const MATRIX_ORDS = ["fro", "nuc", 1, -1, 2, -2, Infinity, -Infinity];

/**
 * A matrix norm over the two dims `dim` (default the last two) of A, like PyTorch's
 * `torch.linalg.matrix_norm`:
 * - `"fro"` (default): `√(Σ aᵢⱼ²)`;
 * - `"nuc"`: the nuclear norm, the sum of the singular values; its gradient is U·Vh;
 * - `2` / `-2`: the largest / smallest singular value;
 * - `1` / `-1`: the largest / smallest column sum of |aᵢⱼ|;
 * - `Infinity` / `-Infinity`: the largest / smallest row sum of |aᵢⱼ|.
 *
 * The result has A's shape without `dim` (kept as size 1 with `keepdim`). Ties in a max or min
 * share the gradient equally, as in PyTorch.
 *
 * @example
 * ```ts
 * const A = tensor([[1, -2], [3, 4]]);
 * linalg.matrixNorm(A).item();            // ≈ 5.4772 (√30)
 * linalg.matrixNorm(A, 1).item();         // → 6 (column |−2| + |4|)
 * linalg.matrixNorm(A, Infinity).item();  // → 7 (row |3| + |4|)
 * linalg.matrixNorm(A, "nuc").item();     // ≈ 7.0711 (√50)
 * ```
 * @group Linear algebra
 */
export function matrixNorm(A: Tensor, ord: MatrixNormOrd = "fro", dim: readonly [number, number] = [-2, -1], keepdim = false, op = "linalg.matrixNorm"): Tensor {
  checkMatrix(op, A);
  if (!MATRIX_ORDS.includes(ord)) {
    throw new RangeError(`${op}: order ${typeof ord === "number" ? ord : describeValue(ord)} is not supported; use "fro", "nuc", 1, -1, 2, -2, Infinity or -Infinity`);
  }
  if (!Array.isArray(dim) || dim.length !== 2) {
    throw new RangeError(`${op}: dim must be a pair of dims [d0, d1], got ${describeValue(dim)}`);
  }
  const d0 = normalizeDim(op, dim[0], A.ndim);
  const d1 = normalizeDim(op, dim[1], A.ndim);
  if (d0 === d1) throw new RangeError(`${op}: the two dims must be different, got [${dim.join(", ")}] (both dim ${d0} of ${fmtShape(A.shape)})`);
  if (ord === "fro") return reduce.norm(A, 2, [d0, d1], keepdim);
  const kept = (x: Tensor): Tensor => (keepdim ? x : x.squeeze(Math.max(d0, d1)).squeeze(Math.min(d0, d1)));
  if (ord === "nuc" || Math.abs(ord as number) === 2) {
    const s = svdvals(A.movedim([d0, d1], [-2, -1]));
    let out = ord === "nuc" ? s.sum(-1) : ord === 2 ? s.amax(-1) : s.amin(-1);
    if (keepdim) out = out.unsqueeze(Math.min(d0, d1)).unsqueeze(Math.max(d0, d1));
    return out;
  }
  // ±1: sum over the rows (d0), extreme over the columns; ±inf: the other way round.
  const [summed, over] = Math.abs(ord as number) === 1 ? [d0, d1] : [d1, d0];
  const sums = A.abs().sum(summed, true);
  return kept((ord as number) > 0 ? sums.amax(over, true) : sums.amin(over, true));
}

/**
 * The vector p-norm `(Σ|x|^ord)^(1/ord)` of all elements of x, or over `dim`, like PyTorch's
 * `torch.linalg.vector_norm`: any ord ≥ 0 (0 counts nonzeros) or ±Infinity (max / min |x|); the
 * same as {@link Tensor.norm} with a number.
 *
 * @example
 * ```ts
 * linalg.vectorNorm(tensor([3, -4])).item();            // → 5
 * linalg.vectorNorm(tensor([[1, 2], [3, 4]]), 1, 1);    // → [3, 7]
 * linalg.vectorNorm(tensor([3, -4]), Infinity).item();  // → 4
 * ```
 * @group Linear algebra
 */
export function vectorNorm(x: Tensor, ord = 2, dim?: number | readonly number[] | null, keepdim = false): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`linalg.vectorNorm: x must be a Tensor, got ${describeValue(x)}`);
  if (typeof ord !== "number" || Number.isNaN(ord)) throw new TypeError(`linalg.vectorNorm: ord must be a number, got ${describeValue(ord)}`);
  return reduce.norm(x, ord, dim, keepdim);
}

/**
 * PyTorch's `torch.linalg.norm`: a matrix norm ({@link matrixNorm}) when `ord` is a string or
 * `dim` is a pair of dims, or when `ord` is given and `dim` is not for a 2-D input; otherwise a
 * vector norm ({@link vectorNorm}; with neither, the 2-norm of all elements flattened).
 *
 * @example
 * ```ts
 * const A = tensor([[3, 0], [0, 4]]);
 * linalg.norm(A).item();          // → 5 (all elements)
 * linalg.norm(A, "nuc").item();   // → 7
 * linalg.norm(A, 2).item();       // → 4 (largest singular value: a matrix norm, A is 2-D)
 * linalg.norm(A, 1, 0).toArray(); // → [3, 4] (a vector norm along dim 0)
 * ```
 * @group Linear algebra
 */
export function norm(A: Tensor, ord?: MatrixNormOrd | null, dim?: number | readonly number[] | null, keepdim = false): Tensor {
  if (!(A instanceof Tensor)) throw new TypeError(`linalg.norm: A must be a Tensor, got ${describeValue(A)}`);
  const pair = Array.isArray(dim) && dim.length === 2;
  if (typeof ord === "string" || pair) {
    if (dim !== undefined && dim !== null && !pair) throw new RangeError(`linalg.norm: a matrix norm needs dim to be a pair of dims, got ${describeValue(dim)}`);
    if (!pair && A.ndim !== 2) throw new RangeError(`linalg.norm: ord ${describeValue(ord)} without dim needs a 2-D input, got shape ${fmtShape(A.shape)}`);
    return matrixNorm(A, ord ?? "fro", pair ? (dim as [number, number]) : [-2, -1], keepdim, "linalg.norm");
  }
  if (ord !== undefined && ord !== null && (dim === undefined || dim === null)) {
    if (A.ndim === 2) return matrixNorm(A, ord, [-2, -1], keepdim, "linalg.norm");
    if (A.ndim !== 1) throw new RangeError(`linalg.norm: ord ${ord} without dim needs a 1-D or 2-D input, got shape ${fmtShape(A.shape)}`);
  }
  return vectorNorm(A, ord ?? 2, dim, keepdim);
}

/**
 * `x.norm("nuc", dim, keepdim)`: the nuclear norm of a 2-D x, or over the pair of dims `dim`
 * (PyTorch's torch.norm with p = "nuc").
 */
export function nuclearNorm(x: Tensor, dim: number | readonly number[] | null | undefined, keepdim: boolean): Tensor {
  if (dim === undefined || dim === null) {
    if (!(x instanceof Tensor) || x.ndim !== 2) {
      throw new RangeError(`norm: "nuc" without dim needs a 2-D input, got shape ${x instanceof Tensor ? fmtShape(x.shape) : describeValue(x)}; pass a pair of dims to reduce over`);
    }
    return matrixNorm(x, "nuc", [-2, -1], keepdim, "norm");
  }
  if (!Array.isArray(dim) || dim.length !== 2) throw new RangeError(`norm: "nuc" needs dim to be a pair of dims, got ${describeValue(dim)}`);
  return matrixNorm(x, "nuc", dim as [number, number], keepdim, "norm");
}
