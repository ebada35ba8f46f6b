/** matmul with NumPy/PyTorch rules (1-D, 2-D, batched, batch-broadcast) and its backward. */
import { Tensor } from "../tensor.js";
import { traceHook } from "../trace-hook.js";
import { allocate, allocateUninitialized, promoteTypes } from "../dtype.js";
import { broadcastShapes, broadcastStrides, fmtShape, numelOf } from "../shape.js";
import type { DType, TypedArray } from "../dtype.js";
import { isRecording, ownedGradient, record } from "../autograd/node.js";
import { gemm, wasmGemmApplies } from "../kernels/matmul.js";
import { sumToShape } from "./helpers.js";
import { describeValue } from "../options.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { sumAxis } from "../kernels/reduce.js";
import { consumeGradient, recycleScratch } from "../autograd/recycle.js";

// True when the last two dims of `t` are laid out row-major (size-1 dims may have any stride).
function rowMajorMatrices(t: Tensor): boolean {
  const nd = t.ndim;
  const rows = t.shape[nd - 2];
  const cols = t.shape[nd - 1];
  return (t.strides[nd - 1] === 1 || cols === 1) && (t.strides[nd - 2] === cols || rows === 1);
}

// Batched, broadcasting product of two tensors of rank ≥ 2: [..., m, k] @ [..., k, n].
function matmulBatched(a: Tensor, b: Tensor): Tensor {
  const m = a.shape[a.ndim - 2];
  const k = a.shape[a.ndim - 1];
  const n = b.shape[b.ndim - 1];
  const batch = broadcastShapes("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2));
  const dtype = promoteTypes(a.dtype, b.dtype);
  // Only the values are read here; the graph node below is recorded against a and b themselves.
  // The JS kernel wants A's matrices row-major and B's transposed (Bᵀ row-major): W.T in a linear
  // layer already is; anything else costs one O(size) copy, small beside the O(m·k·n) product.
  // The WASM kernel takes either operand row-major or transposed as it lies (a backward's aᵀ·g
  // and g·bᵀ among them), which saves those copies.
  const wasm = wasmGemmApplies(dtype, m, k, n);
  const A0 = a.detach().to(dtype);
  const aLayout = wasm && !rowMajorMatrices(A0) && rowMajorMatrices(A0.transpose(-1, -2)) ? "km" : "mk";
  let A = aLayout === "km" ? A0.transpose(-1, -2) : A0;
  if (!rowMajorMatrices(A)) A = A.contiguous();
  const B = b.detach().to(dtype);
  const bLayout = wasm && rowMajorMatrices(B) ? "kn" : "nk";
  let Bop = bLayout === "kn" ? B : B.transpose(-1, -2);
  if (!rowMajorMatrices(Bop)) Bop = Bop.contiguous();
  const aBatchStrides = broadcastStrides(A.shape.slice(0, -2), A.strides.slice(0, -2), batch);
  const bBatchStrides = broadcastStrides(Bop.shape.slice(0, -2), Bop.strides.slice(0, -2), batch);
  const nBatch = numelOf(batch);
  const out = allocateUninitialized(dtype, nBatch * m * n, "matmul");
  const idx = new Array<number>(batch.length).fill(0);
  for (let bi = 0; bi < nBatch; bi++) {
    let aOff = A.offset;
    let bOff = Bop.offset;
    for (let d = 0; d < batch.length; d++) {
      aOff += idx[d] * aBatchStrides[d];
      bOff += idx[d] * bBatchStrides[d];
    }
    gemm(out, bi * m * n, A.data, aOff, Bop.data, bOff, m, k, n, bLayout, aLayout);
    for (let d = batch.length - 1; d >= 0; d--) {
      if (++idx[d] < batch[d]) break;
      idx[d] = 0;
    }
  }
  const y = new Tensor(out, [...batch, m, n], dtype);
  return record(y, "MmBackward0", [a, b], (g) => [
    a.requiresGrad ? sumToShape(g.matmul(b.transpose(-1, -2)), a.shape).to(a.dtype) : null,
    b.requiresGrad ? sumToShape(a.transpose(-1, -2).matmul(g), b.shape).to(b.dtype) : null,
  ], [a, b]);
}

/**
 * Matrix product with `torch.matmul` semantics: 1-D·1-D is a dot product; a 1-D first operand
 * is a row vector, a 1-D second operand a column vector (the added dim removed again); rank ≥ 3
 * operands are stacks of matrices whose batch dims broadcast.
 * Backward: `dA = dC · Bᵀ`, `dB = Aᵀ · dC`, summed over broadcast batch dims.
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]).matmul(tensor([1, 1])).toArray(); // [3, 7]
 * ```
 * @group Linear algebra
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (traceHook !== null) return traceHook("matmul", matmul, [a, b]) as Tensor;
  if (!(b instanceof Tensor)) throw new TypeError(`matmul: expected a Tensor operand, got ${typeof b}`);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(`matmul: both arguments need at least 1 dim, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  if (a.dtype === "bool" || b.dtype === "bool") throw new TypeError("matmul: bool tensors are not supported; cast with .int() or .float()");
  const ka = a.shape[a.ndim - 1];
  const kb = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
  if (ka !== kb) {
    throw new RangeError(`matmul: cannot multiply ${fmtShape(a.shape)} by ${fmtShape(b.shape)} (inner dims ${ka} != ${kb})`);
  }
  const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
  const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
  let y = matmulBatched(a2, b2);
  // Remove the added row dim first: with both operands 1-D, y is [1, 1] and -2 must still exist.
  if (a.ndim === 1) y = y.squeeze(-2);
  if (b.ndim === 1) y = y.squeeze(-1);
  return y;
}

// A TypeError naming linear's argument `what` unless `t` is a Tensor (or, if `optional`, absent).
function checkLinearTensor(what: string, t: unknown, optional: boolean): void {
  if ((t !== undefined || !optional) && !(t instanceof Tensor)) throw new TypeError(`linear: expected ${what} to be a Tensor, got ${describeValue(t)}`);
}

// A TypeError unless `t` (if given) is float32 or float64.
function checkLinearFloat(t: Tensor | null | undefined): void {
  if (t && t.dtype !== "float32" && t.dtype !== "float64") throw new TypeError(`linear: expected floating-point tensors, got dtype ${t.dtype}`);
}

// Plain calls rather than loops over arrays of tuples: linear runs once per layer per step.
function checkLinearArgs(x: Tensor, weight: Tensor, bias: Tensor | null | undefined): void {
  checkLinearTensor("input", x, false);
  checkLinearTensor("weight", weight, false);
  checkLinearTensor("bias", bias ?? undefined, true);
  if (weight.ndim !== 2) throw new RangeError(`linear: weight must be 2-D [out, in], got shape ${fmtShape(weight.shape)}`);
  const [outFeatures, inFeatures] = weight.shape;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inFeatures) {
    throw new RangeError(`linear: input of shape ${fmtShape(x.shape)} does not match weight [${outFeatures}, ${inFeatures}] (last dim must be ${inFeatures})`);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outFeatures)) {
    throw new RangeError(`linear: bias must have shape [${outFeatures}], got ${fmtShape(bias.shape)}`);
  }
  checkLinearFloat(x);
  checkLinearFloat(weight);
  checkLinearFloat(bias);
}

// The values of `t` as a contiguous `dtype` tensor to read (no graph): t itself when it already is one.
function contiguousValues(t: Tensor, dtype: DType): Tensor {
  return t.dtype === dtype && t.isContiguous() ? t : t.detach().to(dtype).contiguous();
}

/**
 * The affine map `y = x·Wᵀ + b` as one fused op (PyTorch's `F.linear` / `addmm`): `x` `[..., in]`,
 * `weight` `[out, in]`, `bias` `[out]` (optional), `y` `[..., out]`. The weight is read in place as
 * the kernel's transposed operand and the bias is added in the same output buffer, so a layer
 * costs one allocation and one graph node. Backward: `dx = dy·W`, `dW = dyᵀ·x`, `db = Σ dy` over
 * the leading dims.
 *
 * @example
 * ```ts
 * linear(tensor([[1, 2]]), tensor([[1, 0], [0, 1], [1, 1]]), tensor([0, 0, 1])).toArray(); // [[1, 2, 4]]
 * ```
 * @group Linear algebra
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (traceHook !== null) return traceHook("linear", linear, [x, weight, bias]) as Tensor;
  checkLinearArgs(x, weight, bias);
  const [outFeatures, inFeatures] = weight.shape;
  let dtype: DType = promoteTypes(x.dtype, weight.dtype);
  if (bias) dtype = promoteTypes(dtype, bias.dtype);
  // The leading dims' product, not numel / inFeatures: with inFeatures = 0 that would be 0 / 0.
  const rows = numelOf(x.shape.slice(0, -1));
  const X = contiguousValues(x, dtype);
  const W = contiguousValues(weight, dtype);
  const out = allocateUninitialized(dtype, rows * outFeatures, "linear");
  gemm(out, 0, X.data, X.offset, W.data, W.offset, rows, inFeatures, outFeatures);
  if (bias) {
    const b = contiguousValues(bias, dtype);
    for (let r = 0; r < rows; r++) {
      const o = r * outFeatures;
      for (let j = 0; j < outFeatures; j++) out[o + j] += b.data[b.offset + j];
    }
  }
  const y = new Tensor(out, [...x.shape.slice(0, -1), outFeatures], dtype);
  if (!isRecording(x, weight, bias)) return y;
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(y, bias ? "AddmmBackward0" : "MmBackward0", inputs, (g) => {
    if (!isGradEnabled() && x.ndim === 2 && sameDTypes(dtype, g, x, weight, bias)) return linearGrads(g, x, weight, bias);
    const g2 = g.reshape(rows, outFeatures);
    return [
      x.requiresGrad ? g.matmul(weight).to(x.dtype) : null,
      weight.requiresGrad ? g2.T.matmul(x.reshape(rows, inFeatures)).to(weight.dtype) : null,
      bias?.requiresGrad ? g2.sum(0).to(bias.dtype) : null,
    ];
  }, [x, weight]);
}

// True when every tensor given has `dtype` (the linear's compute dtype): no cast on the way back.
function sameDTypes(dtype: DType, ...ts: ReadonlyArray<Tensor | null | undefined>): boolean {
  for (const t of ts) if (t && t.dtype !== dtype) return false;
  return true;
}

// The rows × cols row-major matrix of `t` (a 2-D tensor of any strides) transposed: cols × rows.
function transposedData(t: Tensor): TypedArray {
  const [rows, cols] = t.shape;
  const [rs, cs] = t.strides;
  const src = t.data;
  const out = allocateUninitialized(t.dtype, rows * cols, "linear");
  for (let j = 0; j < cols; j++) {
    let from = t.offset + j * cs;
    const to = j * rows;
    for (let i = 0; i < rows; i++, from += rs) out[to + i] = src[from];
  }
  return out;
}

// A 2-D tensor's elements row-major: its own data when already so, else a copy.
function rowMajorData(t: Tensor): [TypedArray, number] {
  return rowMajorMatrices(t) ? [t.data, t.offset] : [transposedData(t.T), 0];
}

/**
 * linear's backward for a 2-D input with grad mode off (a first-order backward) and no dtype
 * casts: the three results straight from `gemm` and `sumAxis`, the kernels the Tensor-op rule
 * reaches through matmul, transpose and sum, called with the same operands and layouts (so the
 * same bits), without the views, copies and graph bookkeeping in between. The results are fresh
 * and held by nothing else, so a parameter may keep one as its `.grad` without a copy.
 */
function linearGrads(g: Tensor, x: Tensor, weight: Tensor, bias: Tensor | null | undefined): Array<Tensor | null> {
  const [rows, inFeatures] = x.shape;
  const outFeatures = weight.shape[0];
  const dtype = g.dtype;
  const [gData, gOff] = rowMajorData(g);
  let dx: Tensor | null = null;
  if (x.requiresGrad) {
    // dx = g · W, W [out, in] being B itself ("kn") where the WASM kernel takes it, else Bᵀ.
    const out = allocate(dtype, rows * inFeatures, "linear");
    if (wasmGemmApplies(dtype, rows, outFeatures, inFeatures) && rowMajorMatrices(weight)) {
      gemm(out, 0, gData, gOff, weight.data, weight.offset, rows, outFeatures, inFeatures, "kn");
    } else {
      const wt = transposedData(weight);
      gemm(out, 0, gData, gOff, wt, 0, rows, outFeatures, inFeatures, "nk");
      recycleScratch(wt);
    }
    dx = ownedGradient(new Tensor(out, [rows, inFeatures], dtype));
  }
  let dw: Tensor | null = null;
  if (weight.requiresGrad) {
    // dW = gᵀ · x: for the WASM kernel g as it lies (Aᵀ, "km") and x as it lies ("kn"); for JS
    // gᵀ and xᵀ copied row-major.
    const out = allocate(dtype, outFeatures * inFeatures, "linear");
    if (wasmGemmApplies(dtype, outFeatures, rows, inFeatures) && rowMajorMatrices(x)) {
      gemm(out, 0, gData, gOff, x.data, x.offset, outFeatures, rows, inFeatures, "kn", "km");
    } else {
      const [gt, xt] = [transposedData(g), transposedData(x)];
      gemm(out, 0, gt, 0, xt, 0, outFeatures, rows, inFeatures, "nk");
      recycleScratch(xt);
      recycleScratch(gt);
    }
    dw = ownedGradient(new Tensor(out, [outFeatures, inFeatures], dtype));
  }
  let db: Tensor | null = null;
  if (bias?.requiresGrad) {
    const out = allocate(dtype, outFeatures, "linear");
    sumAxis(out, gData, gOff, 1, rows, outFeatures);
    db = ownedGradient(new Tensor(out, [outFeatures], dtype));
  }
  if (gData !== g.data) recycleScratch(gData);
  consumeGradient(g, g.data); // read in full: its buffer may serve the next allocation
  return [dx, dw, db];
}
