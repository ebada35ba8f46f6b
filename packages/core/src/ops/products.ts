/**
 * Vector and matrix products with PyTorch's strict shape rules (`dot`, `vdot`, `outer`, `mv`, `mm`,
 * `bmm`), the fused scale-and-add forms (`addmm`, `addmv`, `baddbmm`, `addbmm`), `cross`, `kron`
 * and `tensordot`. The products run through `matmul` (so through the WASM GEMM kernel and its
 * `MmBackward0` rule); the rest are compositions of differentiable ops, so every order of
 * gradient works without a rule of their own.
 */
import { Tensor } from "../tensor.js";
import { broadcastShapes, fmtShape, normalizeExistingDim, numelOf, sameShape } from "../shape.js";
import { describeValue, optionChecks, resolveOptions } from "../options.js";
import { matmul } from "./matmul.js";

function checkTensor(op: string, what: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected ${what} to be a Tensor, got ${describeValue(t)}`);
}

function checkRank(op: string, what: string, t: Tensor, ndim: number): void {
  if (t.ndim !== ndim) throw new RangeError(`${op}: expected ${what} to be ${ndim}-D, got shape ${fmtShape(t.shape)}`);
}

/**
 * PyTorch's products want one dtype and no bool (unlike `matmul`'s promotion): throws a TypeError
 * naming the op and the dtypes otherwise.
 */
export function checkProductDTypes(op: string, tensors: ReadonlyArray<readonly [string, Tensor]>): void {
  const [firstName, first] = tensors[0];
  for (const [what, t] of tensors) {
    if (t.dtype === "bool") throw new TypeError(`${op}: bool tensors are not supported (${what} is bool); cast with .int() or .float()`);
    if (t.dtype !== first.dtype) {
      throw new TypeError(`${op}: expected ${firstName} and ${what} to have the same dtype, got ${first.dtype} and ${t.dtype}`);
    }
  }
}

/**
 * Dot product of two 1-D tensors of the same size and dtype: `Σᵢ aᵢ·bᵢ`, a 0-d tensor.
 * Shapes: `(N)·(N) → ()`. Unlike `matmul`, other ranks throw. Backward: `da = g·b`, `db = g·a`.
 *
 * PyTorch: `torch.dot`.
 *
 * @example
 * ```ts
 * dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item(); // 32
 * ```
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  return dotOf("dot", a, b);
}

function dotOf(op: string, a: Tensor, b: Tensor): Tensor {
  checkTensor(op, "input", a);
  checkTensor(op, "other", b);
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new RangeError(`${op}: expected 1-D tensors, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new RangeError(`${op}: expected both vectors to have the same number of elements, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  checkProductDTypes(op, [["input", a], ["other", b]]);
  return matmul(a, b);
}

/**
 * Dot product `Σᵢ conj(aᵢ)·bᵢ`; tsgrad's tensors are real, so it is {@link dot} (same rules).
 * Shapes: `(N)·(N) → ()`.
 *
 * PyTorch: `torch.vdot`.
 *
 * @example
 * ```ts
 * vdot(tensor([1, 2]), tensor([3, -1])).item(); // 1
 * ```
 */
export function vdot(a: Tensor, b: Tensor): Tensor {
  return dotOf("vdot", a, b);
}

/**
 * Outer product of two 1-D tensors, `out[i][j] = a[i]·b[j]`, with type promotion.
 * Shapes: `(N)·(M) → (N, M)`.
 *
 * PyTorch: `torch.outer` (alias `torch.ger`).
 *
 * @example
 * ```ts
 * outer(tensor([1, 2]), tensor([1, 10, 100])).toArray(); // [[1, 10, 100], [2, 20, 200]]
 * ```
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  return outerOf("outer", a, b);
}

function outerOf(op: string, a: Tensor, b: Tensor): Tensor {
  checkTensor(op, "input", a);
  checkTensor(op, "vec2", b);
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new RangeError(`${op}: expected 1-D tensors, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  return a.unsqueeze(1).mul(b.unsqueeze(0));
}

/**
 * {@link outer} under its older name. Shapes: `(N)·(M) → (N, M)`.
 *
 * PyTorch: `torch.ger`.
 *
 * @example
 * ```ts
 * ger(tensor([1, 2]), tensor([3])).toArray(); // [[3], [6]]
 * ```
 */
export function ger(a: Tensor, b: Tensor): Tensor {
  return outerOf("ger", a, b);
}

function checkMm(op: string, a: Tensor, b: Tensor, names: readonly [string, string] = ["mat1", "mat2"]): void {
  checkTensor(op, names[0], a);
  checkTensor(op, names[1], b);
  checkRank(op, names[0], a, 2);
  checkRank(op, names[1], b, 2);
  if (a.shape[1] !== b.shape[0]) {
    throw new RangeError(`${op}: ${names[0]} and ${names[1]} shapes cannot be multiplied (${a.shape.join("x")} and ${b.shape.join("x")}): inner dims ${a.shape[1]} != ${b.shape[0]}`);
  }
}

function checkMv(op: string, m: Tensor, v: Tensor): void {
  checkTensor(op, "mat", m);
  checkTensor(op, "vec", v);
  checkRank(op, "mat", m, 2);
  checkRank(op, "vec", v, 1);
  if (m.shape[1] !== v.shape[0]) {
    throw new RangeError(`${op}: cannot multiply mat of shape ${fmtShape(m.shape)} by vec of shape ${fmtShape(v.shape)} (${m.shape[1]} != ${v.shape[0]})`);
  }
}

function checkBmm(op: string, a: Tensor, b: Tensor): void {
  checkTensor(op, "batch1", a);
  checkTensor(op, "batch2", b);
  checkRank(op, "batch1", a, 3);
  checkRank(op, "batch2", b, 3);
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new RangeError(`${op}: batch1 of shape ${fmtShape(a.shape)} and batch2 of shape ${fmtShape(b.shape)} do not multiply: expected batch2 to be [${a.shape[0]}, ${a.shape[2]}, *] (no batch broadcasting)`);
  }
}

/**
 * Matrix product of two 2-D tensors of one dtype, `C[i][j] = Σₖ A[i][k]·B[k][j]`.
 * Shapes: `(N, K)·(K, M) → (N, M)`; unlike `matmul` nothing broadcasts. Backward:
 * `dA = g·Bᵀ`, `dB = Aᵀ·g`.
 *
 * PyTorch: `torch.mm`.
 *
 * @example
 * ```ts
 * mm(tensor([[1, 2], [3, 4]]), tensor([[1], [1]])).toArray(); // [[3], [7]]
 * ```
 */
export function mm(a: Tensor, b: Tensor): Tensor {
  checkMm("mm", a, b);
  checkProductDTypes("mm", [["mat1", a], ["mat2", b]]);
  return matmul(a, b);
}

/**
 * Matrix-vector product `y[i] = Σₖ A[i][k]·v[k]`. Shapes: `(N, K)·(K) → (N)`.
 *
 * PyTorch: `torch.mv`.
 *
 * @example
 * ```ts
 * mv(tensor([[1, 2], [3, 4]]), tensor([1, -1])).toArray(); // [-1, -1]
 * ```
 */
export function mv(m: Tensor, v: Tensor): Tensor {
  checkMv("mv", m, v);
  checkProductDTypes("mv", [["mat", m], ["vec", v]]);
  return matmul(m, v);
}

/**
 * Batched matrix product of two 3-D tensors with equal batch sizes (no broadcasting):
 * `C[b] = A[b]·B[b]`. Shapes: `(B, N, K)·(B, K, M) → (B, N, M)`.
 *
 * PyTorch: `torch.bmm`.
 *
 * @example
 * ```ts
 * bmm(ones([4, 2, 3]), ones([4, 3, 5])).shape; // [4, 2, 5]
 * ```
 */
export function bmm(a: Tensor, b: Tensor): Tensor {
  checkBmm("bmm", a, b);
  checkProductDTypes("bmm", [["batch1", a], ["batch2", b]]);
  return matmul(a, b);
}

/**
 * The `beta` and `alpha` of the `add*` products: `out = beta·input + alpha·(product)`.
 *
 * @example
 * ```ts
 * const opts: AddProductOptions = { beta: 0, alpha: 2 };
 * addmv(tensor([NaN]), tensor([[1, 2]]), tensor([1, 1]), opts).toArray(); // [6]
 * ```
 * @group Linear algebra
 */
export interface AddProductOptions {
  /** The factor of `input`; 0 ignores `input` entirely (NaN and Infinity in it do not propagate). Default 1. */
  beta?: number;
  /** The factor of the product. Default 1. */
  alpha?: number;
}

const ADD_PRODUCT_DEFAULTS = { beta: 1, alpha: 1 };
const ADD_PRODUCT_CHECKS = { beta: optionChecks.number, alpha: optionChecks.number };

// beta·input + alpha·product, with input broadcast to the product's shape (never the other way).
function scaleAndAdd(op: string, input: Tensor, product: Tensor, options: AddProductOptions | undefined): Tensor {
  const { beta, alpha } = resolveOptions(op, options, ADD_PRODUCT_DEFAULTS, ADD_PRODUCT_CHECKS);
  if (input.dtype === "int32") {
    for (const [name, v] of [["beta", beta], ["alpha", alpha]] as const) {
      if (!Number.isInteger(v)) throw new TypeError(`${op}: for integer tensors ${name} must be an integer, got ${v}`);
    }
  }
  const target = product.shape;
  let broadcast: number[] | null;
  try {
    broadcast = broadcastShapes(op, input.shape, target);
  } catch {
    broadcast = null;
  }
  if (broadcast === null || !sameShape(broadcast, target)) {
    throw new RangeError(`${op}: input of shape ${fmtShape(input.shape)} does not broadcast to the product's shape ${fmtShape(target)}`);
  }
  const scaled = alpha === 1 ? product : product.mul(alpha);
  if (beta === 0) return scaled;
  return (beta === 1 ? input : input.mul(beta)).add(scaled);
}

/**
 * `beta·input + alpha·(mat1·mat2)`, `input` broadcast to the product's shape.
 * Shapes: `input` broadcastable to `(N, M)`, `(N, K)·(K, M) → (N, M)`. With `beta = 0` the
 * input is ignored, NaN included, as in PyTorch.
 *
 * PyTorch: `torch.addmm(input, mat1, mat2, beta=1, alpha=1)`.
 *
 * @example
 * ```ts
 * addmm(tensor([10, 20]), tensor([[1, 2]]), tensor([[1, 0], [0, 1]]), { alpha: 2 }).toArray(); // [[12, 24]]
 * ```
 */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, options?: AddProductOptions): Tensor {
  checkTensor("addmm", "input", input);
  checkMm("addmm", mat1, mat2);
  checkProductDTypes("addmm", [["input", input], ["mat1", mat1], ["mat2", mat2]]);
  return scaleAndAdd("addmm", input, matmul(mat1, mat2), options);
}

/**
 * `beta·input + alpha·(mat·vec)`. Shapes: `input` broadcastable to `(N)`, `(N, K)·(K) → (N)`.
 *
 * PyTorch: `torch.addmv(input, mat, vec, beta=1, alpha=1)`.
 *
 * @example
 * ```ts
 * addmv(tensor([1, 1]), tensor([[1, 2], [3, 4]]), tensor([1, 1]), { beta: 0.5 }).toArray(); // [3.5, 7.5]
 * ```
 */
export function addmv(input: Tensor, mat: Tensor, vec: Tensor, options?: AddProductOptions): Tensor {
  checkTensor("addmv", "input", input);
  checkMv("addmv", mat, vec);
  checkProductDTypes("addmv", [["input", input], ["mat", mat], ["vec", vec]]);
  return scaleAndAdd("addmv", input, matmul(mat, vec), options);
}

/**
 * `beta·input + alpha·bmm(batch1, batch2)`. Shapes: `input` broadcastable to `(B, N, M)`,
 * `(B, N, K)·(B, K, M) → (B, N, M)`.
 *
 * PyTorch: `torch.baddbmm(input, batch1, batch2, beta=1, alpha=1)`.
 *
 * @example
 * ```ts
 * baddbmm(zeros([2, 1]), ones([3, 2, 4]), ones([3, 4, 1])).toArray(); // [[[4], [4]], [[4], [4]], [[4], [4]]]
 * ```
 */
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, options?: AddProductOptions): Tensor {
  checkTensor("baddbmm", "input", input);
  checkBmm("baddbmm", batch1, batch2);
  checkProductDTypes("baddbmm", [["input", input], ["batch1", batch1], ["batch2", batch2]]);
  return scaleAndAdd("baddbmm", input, matmul(batch1, batch2), options);
}

/**
 * `beta·input + alpha·Σ_b batch1[b]·batch2[b]`: the batch of products summed into one matrix.
 * Shapes: `input` broadcastable to `(N, M)`, `(B, N, K)·(B, K, M) → (N, M)`. The sum over `b` is
 * one product `(N, B·K)·(B·K, M)`.
 *
 * PyTorch: `torch.addbmm(input, batch1, batch2, beta=1, alpha=1)`.
 *
 * @example
 * ```ts
 * addbmm(zeros([2, 1]), ones([3, 2, 4]), ones([3, 4, 1])).toArray(); // [[12], [12]]
 * ```
 */
export function addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, options?: AddProductOptions): Tensor {
  checkTensor("addbmm", "input", input);
  checkBmm("addbmm", batch1, batch2);
  checkProductDTypes("addbmm", [["input", input], ["batch1", batch1], ["batch2", batch2]]);
  const [b, n, k] = batch1.shape;
  const m = batch2.shape[2];
  // Σ_b A[b]·B[b] = [A[0] … A[B-1]] (side by side, N×BK) · [B[0]; …; B[B-1]] (stacked, BK×M).
  const left = batch1.permute(1, 0, 2).reshape(n, b * k);
  const right = batch2.reshape(b * k, m);
  return scaleAndAdd("addbmm", input, matmul(left, right), options);
}

function crossOf(op: string, a: Tensor, b: Tensor, dim: number | undefined): Tensor {
  checkTensor(op, "input", a);
  checkTensor(op, "other", b);
  checkProductDTypes(op, [["input", a], ["other", b]]);
  if (a.ndim !== b.ndim) {
    throw new RangeError(`${op}: input and other must have the same number of dims, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  let shape: number[];
  try {
    shape = broadcastShapes(op, a.shape, b.shape);
  } catch {
    throw new RangeError(`${op}: input of shape ${fmtShape(a.shape)} and other of shape ${fmtShape(b.shape)} do not broadcast`);
  }
  let d: number;
  if (dim === undefined) {
    d = shape.indexOf(3);
    if (d < 0) throw new RangeError(`${op}: no dim of size 3 in the broadcast shape ${fmtShape(shape)} of ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  } else {
    d = normalizeExistingDim(op, dim, shape);
    if (shape[d] !== 3) {
      throw new RangeError(`${op}: dim ${dim} must have size 3, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} (broadcast ${fmtShape(shape)})`);
    }
  }
  const ae = sameShape(a.shape, shape) ? a : a.expand(shape);
  const be = sameShape(b.shape, shape) ? b : b.expand(shape);
  // roll(-1) is (a₁, a₂, a₀), roll(-2) is (a₂, a₀, a₁): c = (a₁b₂ − a₂b₁, a₂b₀ − a₀b₂, a₀b₁ − a₁b₀).
  return ae.roll(-1, d).mul(be.roll(-2, d)).sub(ae.roll(-2, d).mul(be.roll(-1, d)));
}

/**
 * Cross product of 3-vectors along `dim`: `c = (a₁b₂ − a₂b₁, a₂b₀ − a₀b₂, a₀b₁ − a₁b₀)`,
 * `input` and `other` broadcast against each other (same rank, one dtype). Shapes: `(*, 3, *)` both,
 * size 3 at `dim`. Without `dim`, the first dim of size 3 of the broadcast shape is used: that is
 * `torch.cross`'s deprecated default in PyTorch 1.13 (which warns); {@link linalgCross} defaults to
 * the last dim, as `torch.linalg.cross` does. Pass `dim` to get the same answer from both.
 *
 * PyTorch: `torch.cross`.
 *
 * @example
 * ```ts
 * cross(tensor([1, 0, 0]), tensor([0, 1, 0])).toArray(); // [0, 0, 1]
 * cross(tensor([[1, 0], [0, 1], [0, 0]]), tensor([[0, 0], [1, 0], [0, 1]])).toArray(); // [[0, 1], [0, 0], [1, 0]] (dim 0)
 * ```
 */
export function cross(input: Tensor, other: Tensor, dim?: number): Tensor {
  return crossOf("cross", input, other, dim);
}

/**
 * Cross product along `dim` (default the last dim), with broadcasting; the same formula as
 * {@link cross}. Shapes: `(*, 3)` both for the default `dim = -1`.
 *
 * PyTorch: `torch.linalg.cross`.
 *
 * @example
 * ```ts
 * linalgCross(tensor([[1, 0, 0], [0, 1, 0]]), tensor([[0, 0, 1]])).toArray(); // [[0, -1, 0], [1, 0, 0]]
 * ```
 * @group Linear algebra
 */
export function linalgCross(input: Tensor, other: Tensor, dim = -1): Tensor {
  return crossOf("linalgCross", input, other, dim);
}

/**
 * Kronecker product: block `(i₀, i₁, …)` of the result is `a[i₀][i₁]… · b`, i.e.
 * `out[i·s + j] = a[i]·b[j]` per dim, with `s = b.shape`; the lower-rank operand gets leading 1s.
 * Shapes: `(a₀, a₁, …)⊗(b₀, b₁, …) → (a₀b₀, a₁b₁, …)`. Types promote.
 *
 * PyTorch: `torch.kron`.
 *
 * @example
 * ```ts
 * kron(tensor([1, 10]), tensor([1, 2, 3])).toArray(); // [1, 2, 3, 10, 20, 30]
 * ```
 */
export function kron(a: Tensor, b: Tensor): Tensor {
  checkTensor("kron", "input", a);
  checkTensor("kron", "other", b);
  const nd = Math.max(a.ndim, b.ndim);
  const as = [...new Array<number>(nd - a.ndim).fill(1), ...a.shape];
  const bs = [...new Array<number>(nd - b.ndim).fill(1), ...b.shape];
  const aExpanded = a.reshape(as.flatMap((s) => [s, 1]));
  const bExpanded = b.reshape(bs.flatMap((s) => [1, s]));
  return aExpanded.mul(bExpanded).reshape(as.map((s, i) => s * bs[i]));
}

/**
 * Contraction of `a`'s dims `dims[0]` with `b`'s dims `dims[1]` (sizes must match), the rest of
 * `a`'s dims then the rest of `b`'s in order: `out[i, j] = Σₖ a[i, k]·b[k, j]` with multi-indices.
 * A number `n` means `a`'s last `n` dims with `b`'s first `n`. One `mm` after a permute and reshape.
 * Shapes: e.g. `(N, C, K)·(C, K, M)` with `dims = 2 → (N, M)`.
 *
 * PyTorch: `torch.tensordot(a, b, dims=2)`.
 *
 * @example
 * ```ts
 * tensordot(ones([2, 3, 4]), ones([3, 4, 5])).shape;         // [2, 5]
 * tensordot(ones([2, 3]), ones([4, 3]), [[1], [1]]).shape; // [2, 4]
 * ```
 * @group Linear algebra
 */
export function tensordot(a: Tensor, b: Tensor, dims: number | readonly [readonly number[], readonly number[]] = 2): Tensor {
  const op = "tensordot";
  checkTensor(op, "a", a);
  checkTensor(op, "b", b);
  checkProductDTypes(op, [["a", a], ["b", b]]);
  let da: number[];
  let db: number[];
  if (typeof dims === "number") {
    if (!Number.isInteger(dims) || dims < 0) throw new RangeError(`${op}: dims must be a non-negative integer, got ${dims}`);
    if (dims > a.ndim || dims > b.ndim) {
      throw new RangeError(`${op}: cannot contract ${dims} dims of shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
    }
    da = Array.from({ length: dims }, (_, i) => a.ndim - dims + i);
    db = Array.from({ length: dims }, (_, i) => i);
  } else {
    if (!Array.isArray(dims) || dims.length !== 2 || !Array.isArray(dims[0]) || !Array.isArray(dims[1])) {
      throw new TypeError(`${op}: dims must be a number or a pair of dim lists, got ${describeValue(dims)}`);
    }
    if (dims[0].length !== dims[1].length) {
      throw new RangeError(`${op}: both dim lists must have the same length, got ${fmtShape(dims[0])} and ${fmtShape(dims[1])}`);
    }
    da = dims[0].map((d) => normalizeExistingDim(op, d, a.shape));
    db = dims[1].map((d) => normalizeExistingDim(op, d, b.shape));
    for (const [list, t] of [[da, a], [db, b]] as const) {
      if (new Set(list).size !== list.length) throw new RangeError(`${op}: dim list ${fmtShape(list)} of shape ${fmtShape(t.shape)} repeats a dim`);
    }
  }
  da.forEach((d, i) => {
    if (a.shape[d] !== b.shape[db[i]]) {
      throw new RangeError(`${op}: contracted dims must match, but a has size ${a.shape[d]} in dim ${d} and b has size ${b.shape[db[i]]} in dim ${db[i]} (shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)})`);
    }
  });
  const freeA = a.shape.map((_, i) => i).filter((i) => !da.includes(i));
  const freeB = b.shape.map((_, i) => i).filter((i) => !db.includes(i));
  const k = numelOf(da.map((d) => a.shape[d]));
  const left = a.permute([...freeA, ...da]).reshape(numelOf(freeA.map((d) => a.shape[d])), k);
  const right = b.permute([...db, ...freeB]).reshape(k, numelOf(freeB.map((d) => b.shape[d])));
  return matmul(left, right).reshape([...freeA.map((d) => a.shape[d]), ...freeB.map((d) => b.shape[d])]);
}
