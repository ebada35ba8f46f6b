/** Reductions: sum, prod, mean, amax/amin, max/min with indices, argmax/argmin, var, norm — forward and backward together. */
import { Tensor } from "../tensor.js";
import { ValuesIndices } from "../values-indices.js";
import { INT32_MAX, INT32_MIN, allocate, isFloatingPoint, type DType } from "../dtype.js";
import { normalizeDims, normalizeDim, fmtShape } from "../shape.js";
import { isRecording, record } from "../autograd/node.js";
import { splitAt, sumAxis, prodAxis, extremeAxis } from "../kernels/reduce.js";
import { checkFloat, mapUnary, scalarTensor } from "./helpers.js";
import { where } from "./indexing.js";
import { cat } from "./shape.js";
import { noGrad } from "../autograd/grad-mode.js";
import { describeValue } from "../options.js";

type Dims = number | readonly number[] | null | undefined;

/** The dims a reduction covers: all when `dim` is null/undefined (or an empty list, as PyTorch). */
export function reductionDims(op: string, x: Tensor, dim: Dims): number[] {
  if (dim === null || dim === undefined) return x.shape.map((_, i) => i);
  const list = typeof dim === "number" ? [dim] : dim;
  if (!Array.isArray(list)) throw new TypeError(`${op}: dim must be an integer or a list of integers, got ${describeValue(dim)}`);
  if (list.length === 0) return x.shape.map((_, i) => i);
  if (x.ndim === 0) {
    for (const d of list) normalizeDim(op, d, 0);
    return [];
  }
  return normalizeDims(op, list, x.ndim);
}

/** `x`'s shape with `dims` set to 1 (keepdim) or removed. */
export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  shape.forEach((s, i) => {
    if (!dims.includes(i)) out.push(s);
    else if (keepdim) out.push(1);
  });
  return out;
}

/** A gradient of a reduction's output shape, broadcast back over the input's shape. */
export function expandReduced(g: Tensor, inputShape: readonly number[], dims: readonly number[]): Tensor {
  return g.reshape(reducedShape(inputShape, dims, true)).expand(inputShape);
}

// Reduces each dim in turn (highest first, keepdim) with a kernel over [outer, r, inner].
function reduceDims(x: Tensor, dims: readonly number[], dtype: DType, step: (x: Tensor, d: number, out: Tensor) => void): Tensor {
  if (dims.length === 0) return mapUnary(x, "x", dtype);
  let cur = x.contiguous();
  for (let j = dims.length - 1; j >= 0; j--) {
    const d = dims[j];
    const shape = cur.shape.map((s, i) => (i === d ? 1 : s));
    const out = new Tensor(allocate(dtype, shape.reduce((p, s) => p * s, 1)), shape, dtype);
    step(cur, d, out);
    cur = out;
  }
  return cur;
}

/**
 * The kernel's reduction of `x` over `dims` (to x's shape reduced per `keepdim`): floating-point
 * inputs keep their dtype; bool and integer inputs are reduced in float64 and returned as int32,
 * throwing where a result does not fit.
 */
function reduceExact(op: string, x: Tensor, dims: readonly number[], keepdim: boolean, kernel: typeof sumAxis): Tensor {
  const float = isFloatingPoint(x.dtype);
  const reduced = reduceDims(x, dims, float ? x.dtype : "float64", (cur, d, out) => {
    const [outer, r, inner] = splitAt(cur.shape, d);
    kernel(out.data, cur.data, cur.offset, outer, r, inner);
  });
  return (float ? reduced : int32Results(op, reduced, x)).reshape(reducedShape(x.shape, dims, keepdim));
}

/**
 * `x` cast to `dtype` first, as the `dtype` option of PyTorch's sum, prod and cumsum does (the
 * gradient flows back through the cast to a floating-point dtype).
 */
export function withDType(x: Tensor, dtype: DType): Tensor {
  return x.to(dtype);
}

/**
 * Sum over `dim` (all by default); d/dx = 1 broadcast back. Bool/int sums are int32: PyTorch
 * widens them to int64, which tsgrad lacks, so they are summed exactly in float64 and a sum
 * outside int32 throws instead of wrapping around. With `dtype`, x is cast to it first.
 */
export function sum(x: Tensor, dim?: Dims, keepdim = false, dtype?: DType): Tensor {
  if (dtype !== undefined) return sum(withDType(x, dtype), dim, keepdim);
  const dims = reductionDims("sum", x, dim);
  const out = reduceExact("sum", x, dims, keepdim, sumAxis);
  if (!isRecording(x)) return out;
  return record(out, "SumBackward1", [x], (g) => [expandReduced(g, x.shape, dims)], []);
}

/**
 * The float64 results of an integer reduction or scan of `x` (sum, prod, cumsum, cumprod) as
 * int32, or a RangeError naming `op` where one does not fit.
 */
export function int32Results(op: string, values: Tensor, x: Tensor): Tensor {
  const c = values.contiguous();
  const out = new Int32Array(c.numel());
  for (let i = 0; i < out.length; i++) {
    const v = c.data[c.offset + i];
    if (v < INT32_MIN || v > INT32_MAX) {
      throw new RangeError(
        `${op}: the result ${v} of the ${x.dtype} tensor of shape ${fmtShape(x.shape)} overflows int32 (PyTorch computes integers in int64, which tsgrad lacks); compute in float64 with x.to("float64").${op}(...) or the dtype option`,
      );
    }
    out[i] = v;
  }
  return new Tensor(out, c.shape, "int32");
}

/**
 * The product over `dim` (all elements by default), optionally after casting to `dtype`; bool
 * and integer inputs give int32 (PyTorch's int64; a product outside int32 throws). Backward,
 * PyTorch's prod_backward: `g·y/x` when x has no zero; otherwise the exclusive products
 * `Π_{j≠i} x_j` (a running product from each side), which gives the one zero of a slice its
 * cofactor and 0 to everything else (and 0 everywhere for two or more zeros).
 */
export function prod(x: Tensor, dim?: number | null, keepdim = false, dtype?: DType): Tensor {
  if (dtype !== undefined) return prod(withDType(x, dtype), dim, keepdim);
  if (dim !== undefined && dim !== null && typeof dim !== "number") {
    throw new TypeError(`prod: dim must be an integer (one dim, as in PyTorch), got ${describeValue(dim)}`);
  }
  const dims = reductionDims("prod", x, dim);
  const out = reduceExact("prod", x, dims, keepdim, prodAxis);
  return record(out, "ProdBackward0", [x], (g) => {
    if (x.ndim === 0) return [g];
    const gk = expandReduced(g, x.shape, dims);
    if (!hasZero(x)) return [gk.mul(expandReduced(out, x.shape, dims).div(x))];
    if (dims.length > 1) return [gk.mul(exclusiveProducts(x.reshape(-1), 0).reshape(x.shape))];
    return [gk.mul(exclusiveProducts(x, dims[0]))];
  });
}

/** True when some element of `x` is 0 (the branch of prod's and cumprod's backward). */
export function hasZero(x: Tensor): boolean {
  const c = x.detach().contiguous();
  for (let i = 0; i < c.numel(); i++) if (c.data[c.offset + i] === 0) return true;
  return false;
}

/** `Π_{j≠i} x_j` along `d` for every i, from running products on both sides (prod_safe_zeros_backward). */
function exclusiveProducts(x: Tensor, d: number): Tensor {
  const n = x.shape[d];
  if (x.numel() === 0) return x;
  const ones = scalarTensor(1, x.dtype).expand(x.shape.map((s, i) => (i === d ? 1 : s)));
  const before = cat([ones, x.narrow(d, 0, n - 1)], d).cumprod(d);
  const after = cat([ones, x.narrow(d, 1, n - 1).flip(d)], d).cumprod(d).flip(d);
  return before.mul(after);
}

/** Number of elements a reduction over `dims` folds into each output. */
function reductionCount(x: Tensor, dims: readonly number[]): number {
  return dims.reduce((p, d) => p * x.shape[d], 1);
}

/** Mean over `dim` (all by default); floating-point input only. */
export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  checkFloat("mean", x);
  const dims = reductionDims("mean", x, dim);
  return sum(x, dims.length ? dims : null, keepdim).div(reductionCount(x, dims));
}

// `name` is the op as the user called it (max() and min() without a dim come here too).
function extreme(op: "amax" | "amin", x: Tensor, dim?: Dims, keepdim = false, name: string = op): Tensor {
  if (x.dtype === "bool") return extreme(op, x.to("int32"), dim, keepdim, name).to("bool"); // stays bool, as in PyTorch
  const dims = reductionDims(name, x, dim);
  for (const d of dims) {
    if (x.shape[d] === 0) throw new RangeError(`${name}: cannot reduce over dim ${d} of size 0 in shape ${fmtShape(x.shape)} (no identity for ${name})`);
  }
  const sign = op === "amax" ? 1 : -1;
  const kept = reduceDims(x, dims, x.dtype, (cur, d, out) => {
    const [outer, r, inner] = splitAt(cur.shape, d);
    extremeAxis(out.data, null, cur.data, cur.offset, outer, r, inner, sign);
  });
  const out = kept.reshape(reducedShape(x.shape, dims, keepdim));
  // Ties share the gradient equally, as PyTorch's amax/amin backward does.
  return record(out, op === "amax" ? "AmaxBackward0" : "AminBackward0", [x], (g) => {
    const mask = x.eq(kept.expand(x.shape)).to(g.dtype);
    const count = mask.sum(dims, true);
    return [expandReduced(g, x.shape, dims).mul(mask).div(count)];
  });
}

/** Max over `dim` (all by default); ties share the gradient equally. */
export const amax = (x: Tensor, dim?: Dims, keepdim = false, name = "amax"): Tensor => extreme("amax", x, dim, keepdim, name);
/** Min over `dim` (all by default); ties share the gradient equally. */
export const amin = (x: Tensor, dim?: Dims, keepdim = false, name = "amin"): Tensor => extreme("amin", x, dim, keepdim, name);

/**
 * Max/min along one dim with the index of the first extreme; the gradient goes to that index only.
 * `name` is the op as the user called it, for messages (argmax and argmin come here too).
 */
export function maxAlong(x: Tensor, dim: number, keepdim: boolean, op: "max" | "min", name: string = op): ValuesIndices {
  if (x.dtype === "bool") { // values stay bool, as in PyTorch
    const { values, indices } = maxAlong(x.to("int32"), dim, keepdim, op, name);
    return new ValuesIndices(op, values.to("bool"), indices);
  }
  const d = normalizeDim(name, dim, x.ndim);
  if (x.ndim > 0 && x.shape[d] === 0) throw new RangeError(`${name}: cannot reduce over dim ${d} of size 0 in shape ${fmtShape(x.shape)}`);
  const c = x.contiguous();
  const [outer, r, inner] = x.ndim === 0 ? [1, 1, 1] : splitAt(c.shape, d);
  const keptShape = x.ndim === 0 ? [] : x.shape.map((s, i) => (i === d ? 1 : s));
  const values = allocate(x.dtype, outer * inner);
  const indices = new Int32Array(outer * inner);
  extremeAxis(values, indices, c.data, c.offset, outer, r, inner, op === "max" ? 1 : -1);
  const outShape = keepdim || x.ndim === 0 ? keptShape : keptShape.filter((_, i) => i !== d);
  const idxKept = new Tensor(indices, keptShape, "int32");
  const vals = record(new Tensor(values, outShape, x.dtype), op === "max" ? "MaxBackward0" : "MinBackward0", [x], (g) => {
    if (x.ndim === 0) return [g];
    const zeros = new Tensor(allocate(g.dtype, x.numel()), x.shape, g.dtype);
    return [zeros.scatterAdd(d, idxKept, g.reshape(keptShape))];
  }, []);
  return new ValuesIndices(op, vals, idxKept.reshape(outShape));
}

/** argmax/argmin over the flattened tensor, or along `dim`; first index at ties; int32. */
export function argReduce(x: Tensor, dim: number | undefined, keepdim: boolean, op: "argmax" | "argmin"): Tensor {
  const which = op === "argmax" ? "max" : "min";
  if (dim === undefined) {
    if (x.numel() === 0) throw new RangeError(`${op}: cannot take the ${op} of an empty tensor`);
    const flat = maxAlong(x.reshape(-1), 0, false, which, op).indices;
    return keepdim ? flat.reshape(x.shape.map(() => 1)) : flat;
  }
  return maxAlong(x, dim, keepdim, which, op).indices;
}

/**
 * Variance `Σ(x − mean)² / max(N − correction, 0)` over `dim`. Backward, PyTorch's rule:
 * `dx = g · 2/(N − correction) · (x − mean)`, also when N − correction ≤ 0 (then the value is
 * inf or NaN and the gradient ±inf, NaN or a sign-flipped finite value, as in PyTorch).
 */
export function variance(x: Tensor, dim: Dims, correction: number, keepdim: boolean): Tensor {
  checkFloat("var", x);
  const dims = reductionDims("var", x, dim);
  const axes = dims.length ? dims : null;
  const dof = reductionCount(x, dims) - correction;
  const centered = (): Tensor => x.sub(x.mean(axes, true));
  const out = noGrad(() => centered().square().sum(axes, keepdim).div(Math.max(dof, 0)));
  return record(out, "VarBackward0", [x], (g) => [expandReduced(g, x.shape, dims).mul(2 / dof).mul(centered())]);
}

/**
 * Standard deviation `√var` over `dim`. Backward: `dvar = g / (2·std)`, 0 where std is 0 (PyTorch),
 * so an infinite std passes 0 on rather than ∞/∞ = NaN.
 */
export function std(x: Tensor, dim: Dims, correction: number, keepdim: boolean): Tensor {
  checkFloat("std", x);
  const v = variance(x, dim, correction, keepdim);
  const out = noGrad(() => v.sqrt());
  return record(out, "StdBackward0", [v], (g) => [where(out.eq(0), 0, g.div(out.mul(2)))]);
}

/**
 * The p-norm `(Σ|x|^p)^(1/p)` over `dim` (all by default); p = Infinity gives max |x|, p = −Infinity
 * min |x|, and p = 0 counts the nonzero elements (no gradient), as PyTorch. The backward is
 * PyTorch's (norm_backward), branch by branch, so zeros, NaN, inf and an overflowed norm give its
 * gradients: with n the norm, `sign(x)·g` for p = 1; `g·x/n` (0 where n = 0) for p = 2; for
 * p = ±inf, g shared among the elements where |x| = n or is NaN, times sign(x); otherwise
 * `sign(x)·|x|^(p−1)·g·n^(1−p)` (p < 1, 0 at x = 0) or `x·|x|^(p−2)·g/n^(p−1)` (0 where n = 0).
 */
export function norm(x: Tensor, p: number, dim: Dims, keepdim: boolean): Tensor {
  checkFloat("norm", x);
  const dims = reductionDims("norm", x, dim);
  const over = dims.length ? dims : null;
  const out = noGrad(() => {
    if (p === Infinity) return x.abs().amax(over, keepdim);
    if (p === -Infinity) return x.abs().amin(over, keepdim);
    if (p === 0) return x.ne(0).to(x.dtype).sum(over, keepdim);
    if (p === 1) return x.abs().sum(over, keepdim);
    if (p === 2) return x.square().sum(over, keepdim).sqrt();
    return x.abs().pow(p).sum(over, keepdim).pow(1 / p);
  });
  return record(out, "LinalgVectorNormBackward0", [x], (g) => {
    if (p === 0) return [null];
    const kept = reducedShape(x.shape, dims, true);
    const [gk, n] = [g.reshape(kept), out.reshape(kept)];
    if (p === 1) return [x.sign().mul(gk)];
    if (p === 2) return [gk.mul(where(n.eq(0), 0, x.div(n)))];
    if (!Number.isFinite(p)) {
      const ax = x.abs();
      const mask = ax.eq(n).logicalOr(ax.isnan()).to(x.dtype);
      return [x.sign().mul(gk.div(mask.sum(over, true)).mul(mask))];
    }
    if (p < 1) return [x.sign().mul(where(x.eq(0), 0, x.abs().pow(p - 1))).mul(gk).mul(n.pow(1 - p))];
    const scale = where(n.eq(0), 0, gk.div(n.pow(p - 1)));
    return [(p < 2 ? x.sign().mul(x.abs().pow(p - 1)) : x.mul(x.abs().pow(p - 2))).mul(scale)];
  });
}
