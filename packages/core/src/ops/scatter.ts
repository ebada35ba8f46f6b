/**
 * Scatter ops, the writes along one dim: scatter / scatterReduce / scatterAdd (an index tensor of
 * the input's rank, the adjoints of gather) and indexAdd / indexCopy / indexFill (a 1-D index of
 * whole slices, the adjoints of indexSelect). Each is out of place; the Tensor's `_` methods write
 * the result back with {@link inPlaceFrom}.
 */
import { Tensor, type TensorLike } from "../tensor.js";
import { INTEGER_RANGES, isIntegral, type DType } from "../dtype.js";
import { fmtShape, normalizeDim, sameShape } from "../shape.js";
import { record } from "../autograd/node.js";
import { noGrad } from "../autograd/grad-mode.js";
import { splitAt } from "../kernels/reduce.js";
import { resolveOptions, optionChecks, describeValue } from "../options.js";
import { full } from "../creation.js";
import {
  Slice, checkGatherShapes, checkIndex, checkIndexVector, fillValue, indexPut, indexedOffsets, index as indexTensor, where, zerosOf,
} from "./indexing.js";

/** The reductions of {@link Tensor.scatterReduce}: `"sum"`, `"prod"`, `"mean"`, `"amax"`, `"amin"`. @group Indexing */
export type ScatterReduction = "sum" | "prod" | "mean" | "amax" | "amin";

const REDUCTIONS: readonly ScatterReduction[] = ["sum", "prod", "mean", "amax", "amin"];

function checkSource(op: string, x: Tensor, src: unknown, name: string): asserts src is Tensor {
  if (!(src instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a Tensor, got ${describeValue(src)}`);
  if (src.dtype !== x.dtype) throw new TypeError(`${op}: ${name} must have the tensor's dtype ${x.dtype}, got ${src.dtype}`);
}

/** Checks a gather-style scatter's arguments (index int32 of x's rank, no larger than src) and returns the dim. */
function scatterArgs(op: string, x: Tensor, dim: number, index: Tensor, src: Tensor | null): number {
  checkIndex(op, index);
  const d = normalizeDim(op, dim, x.ndim);
  checkGatherShapes(op, x, d, index);
  if (src) {
    if (src.ndim !== index.ndim && !(src.ndim <= 1 && index.ndim <= 1)) {
      throw new RangeError(`${op}: index ${fmtShape(index.shape)} and src ${fmtShape(src.shape)} must have the same number of dims`);
    }
    const srcShape = src.ndim === 0 ? [1] : src.shape;
    index.shape.forEach((s, k) => {
      if (s > srcShape[k]) throw new RangeError(`${op}: index ${fmtShape(index.shape)} is larger than src ${fmtShape(src.shape)} in dim ${k}`);
    });
  }
  return d;
}

/** The part of `src` under index's shape (its leading corner), contiguous and without a graph. */
function cornerValues(src: Tensor, shape: readonly number[]): Tensor {
  const s = src.ndim === 0 && shape.length === 1 ? src.reshape([1]) : src;
  const strides = shape.length === 0 ? [] : s.strides;
  return noGrad(() => new Tensor(s.data, shape, s.dtype, strides, s.offset).contiguous());
}

/** The leading corner of `src` of `shape`, as a differentiable view. */
function corner(src: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(src.shape, shape)) return src;
  if (src.ndim === 0) return src.reshape(shape);
  return indexTensor(src, shape.map((n) => new Slice(0, n)));
}

/** `g` (of a corner's shape) placed in the leading corner of zeros of `shape`: corner's adjoint. */
function embedCorner(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  if (shape.length === 0) return g.reshape([]);
  return indexPut(zerosOf(shape, g.dtype), g.shape.map((n) => new Slice(0, n)), g);
}

function cloneOf(x: Tensor): Tensor {
  return noGrad(() => x.detach().clone());
}

/**
 * A copy of `x` with `src[i][j]` written at `[index[i][j]][j]` (dim 0) / `[i][index[i][j]]` (dim 1),
 * or `value` at those positions. index has x's rank and is no larger than src (only src's leading
 * corner of index's shape is read) nor than x off `dim`. With `reduce: "add" | "multiply"` the
 * values are added / multiplied in instead (PyTorch 1.13's scatter reduce; prefer
 * {@link scatterReduce}). Backward (no reduce): to x, the gradient with the written positions
 * zeroed; to src, the gradient gathered at index.
 *
 * @example
 * ```ts
 * zeros([2, 3]).scatter(1, tensor([[2], [0]], { dtype: "int32" }), tensor([[5], [6]])).toArray(); // → [[0, 0, 5], [6, 0, 0]]
 * ```
 */
export function scatter(
  x: Tensor, dim: number, index: Tensor, src: TensorLike, options?: { reduce?: "add" | "multiply" }, op = "scatter",
): Tensor {
  const { reduce } = resolveOptions(op, options, { reduce: undefined as "add" | "multiply" | undefined }, {
    reduce: optionChecks.oneOf(["add", "multiply"]),
  });
  if (typeof src !== "number") checkSource(op, x, src, "src");
  const d = scatterArgs(op, x, dim, index, typeof src === "number" ? null : src);
  if (reduce !== undefined) {
    const s = typeof src === "number" ? full([...index.shape], src, { dtype: x.dtype }) : src;
    return scatterReduceImpl(op, x, d, index, s, reduce === "add" ? "sum" : "prod", true, "ScatterReduceBackward0");
  }
  const out = cloneOf(x);
  const offsets = indexedOffsets(op, out, d, index);
  const dst = out.data;
  if (typeof src === "number") {
    for (let p = 0; p < offsets.length; p++) dst[offsets[p]] = src;
    return record(out, "ScatterBackward1", [x], (g) => [g.scatter(d, index, 0)], [index]);
  }
  const v = cornerValues(src, index.shape);
  for (let p = 0; p < offsets.length; p++) dst[offsets[p]] = v.data[v.offset + p];
  return record(out, "ScatterBackward0", [x, src], (g) => [
    x.requiresGrad ? g.scatter(d, index, 0) : null,
    src.requiresGrad ? embedCorner(g.gather(d, index), src.shape) : null,
  ], [index]);
}

function identityOf(reduce: ScatterReduction, dtype: DType): number {
  if (reduce === "sum" || reduce === "mean") return 0;
  if (reduce === "prod") return 1;
  const range = isIntegral(dtype) ? INTEGER_RANGES[dtype] : [-Infinity, Infinity];
  return reduce === "amax" ? range[0] : range[1];
}

/** The forward kernel of scatterReduce on a contiguous copy `out` of x. */
function reduceInto(op: string, out: Tensor, d: number, index: Tensor, src: Tensor, reduce: ScatterReduction, includeSelf: boolean): void {
  const offsets = indexedOffsets(op, out, d, index);
  const v = cornerValues(src, index.shape);
  const dst = out.data;
  const sv = v.data;
  const so = v.offset;
  if (!includeSelf) {
    const id = identityOf(reduce, out.dtype);
    for (let p = 0; p < offsets.length; p++) dst[offsets[p]] = id;
  }
  if (reduce === "sum" || reduce === "mean") {
    for (let p = 0; p < offsets.length; p++) dst[offsets[p]] += sv[so + p];
  } else if (reduce === "prod") {
    for (let p = 0; p < offsets.length; p++) dst[offsets[p]] *= sv[so + p];
  } else if (reduce === "amax") {
    for (let p = 0; p < offsets.length; p++) {
      const s = sv[so + p], o = offsets[p];
      if (s !== s || dst[o] < s) dst[o] = s; // NaN propagates, as PyTorch's
    }
  } else {
    for (let p = 0; p < offsets.length; p++) {
      const s = sv[so + p], o = offsets[p];
      if (s !== s || s < dst[o]) dst[o] = s;
    }
  }
  if (reduce === "mean") {
    const counts = new Int32Array(out.numel());
    if (includeSelf) counts.fill(1);
    for (let p = 0; p < offsets.length; p++) counts[offsets[p] - out.offset]++;
    const floor = isIntegral(out.dtype);
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] > 1 || (!includeSelf && counts[i] > 0)) {
        const q = dst[out.offset + i] / counts[i];
        dst[out.offset + i] = floor ? Math.floor(q) : q;
      }
    }
  }
}

function scatterReduceImpl(
  op: string, x: Tensor, d: number, index: Tensor, src: Tensor, reduce: ScatterReduction, includeSelf: boolean, name: string,
): Tensor {
  if (x.dtype === "bool") throw new TypeError(`${op}: bool tensors are not supported; convert with .to("int32")`);
  const out = cloneOf(x);
  reduceInto(op, out, d, index, src, reduce, includeSelf);
  const y = out;
  const reads = reduce === "sum" || reduce === "mean" ? [index] : [x, src, index, y];
  return record(y, name, [x, src], (g) => {
    const [gSelf, gSrc] = scatterReduceGrads(op, g, x, d, index, src, reduce, includeSelf, y);
    return [
      x.requiresGrad ? (includeSelf ? gSelf : gSelf.scatter(d, index, 0)) : null,
      src.requiresGrad ? embedCorner(gSrc, src.shape) : null,
    ];
  }, reads);
}

// PyTorch's scatter_reduce_backward (FunctionsManual.cpp), written with Tensor ops.
function scatterReduceGrads(
  op: string, g: Tensor, x: Tensor, d: number, index: Tensor, src: Tensor, reduce: ScatterReduction, includeSelf: boolean, result: Tensor,
): [Tensor, Tensor] {
  const s = corner(src, index.shape);
  if (reduce === "sum") return [g, g.gather(d, index)];
  if (reduce === "mean") {
    let n = full([...g.shape], includeSelf ? 1 : 0, { dtype: g.dtype }).scatterAdd(d, index, full([...index.shape], 1, { dtype: g.dtype }));
    n = n.maskedFill(n.eq(0), 1);
    return [g.div(n), g.gather(d, index).div(n.gather(d, index))];
  }
  if (reduce === "prod") {
    // exclusive products where self or src holds a zero, so the zero does not wipe the gradient
    const maskedSelf = x.maskedFill(x.eq(0), 1);
    const maskedSelfResult = scatterReduceImpl(op, maskedSelf, d, index, src, "prod", includeSelf, "ScatterReduceBackward0");
    const gSelf = g.mul(maskedSelfResult).div(maskedSelf);
    const srcZero = s.eq(0);
    const srcZeros = zerosOf(x.shape, x.dtype).scatterAdd(d, index, srcZero.to(x.dtype)).gather(d, index);
    const singleZero = srcZero.logicalAnd(srcZeros.eq(1));
    const maskedSrcResult = scatterReduceImpl(op, x, d, index, s.maskedFill(singleZero, 1), "prod", includeSelf, "ScatterReduceBackward0");
    const gSrc = where(
      singleZero,
      g.mul(maskedSrcResult).gather(d, index),
      g.mul(result).gather(d, index).div(s.maskedFill(srcZero, 1)),
    );
    return [gSelf, gSrc];
  }
  // amax / amin: the gradient is shared evenly between the elements equal to the result
  const value = result.gather(d, index);
  const selfIsResult = x.eq(result).to(g.dtype);
  const srcIsResult = s.eq(value).to(g.dtype);
  const shared = g.div(selfIsResult.scatterAdd(d, index, srcIsResult));
  return [selfIsResult.mul(shared), srcIsResult.mul(shared.gather(d, index))];
}

/**
 * A copy of `x` where each `src[i][j]` is reduced into `[index[i][j]][j]` (dim 0) with `reduce`:
 * "sum", "prod", "mean", "amax" or "amin". With `includeSelf` (default true) x's value takes part;
 * without it, scattered positions are reduced over src alone (positions no index hits keep x's
 * value either way). "mean" divides by the count (floor division for int32). Gradients are
 * PyTorch's: for prod, exclusive products where zeros occur; for amax/amin, shared evenly between
 * ties.
 *
 * @example
 * ```ts
 * const i = tensor([0, 1, 0, 1], { dtype: "int32" });
 * tensor([10, 20, 30]).scatterReduce(0, i, tensor([1, 2, 3, 4]), "amax", { includeSelf: false }).toArray(); // → [3, 4, 30]
 * ```
 */
export function scatterReduce(
  x: Tensor, dim: number, index: Tensor, src: Tensor, reduce: ScatterReduction, options?: { includeSelf?: boolean }, op = "scatterReduce",
): Tensor {
  const { includeSelf } = resolveOptions(op, options, { includeSelf: true }, { includeSelf: optionChecks.boolean });
  if (!REDUCTIONS.includes(reduce)) {
    throw new RangeError(`${op}: reduce must be one of ${REDUCTIONS.map((r) => `"${r}"`).join(", ")}, got ${describeValue(reduce)}`);
  }
  checkSource(op, x, src, "src");
  const d = scatterArgs(op, x, dim, index, src);
  return scatterReduceImpl(op, x, d, index, src, reduce, includeSelf, "ScatterReduceBackward0");
}

/**
 * A copy of `x` with `src[i][j]` added at `[index[i][j]][j]` (dim 0); duplicates add up. The
 * adjoint of gather. Backward: the gradient to x, the gradient gathered at index to src.
 *
 * @example
 * ```ts
 * zeros([3]).scatterAdd(0, tensor([0, 0, 2], { dtype: "int32" }), tensor([1, 2, 3])).toArray(); // → [3, 0, 3]
 * ```
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor, op = "scatterAdd"): Tensor {
  checkSource(op, x, src, "src");
  const d = scatterArgs(op, x, dim, index, src);
  return scatterReduceImpl(op, x, d, index, src, "sum", true, "ScatterAddBackward0");
}

// ---------------------------------------------------------------- whole slices: indexAdd, indexCopy, indexFill

function checkSliceSource(op: string, x: Tensor, d: number, m: number, source: Tensor): void {
  const expected = x.ndim === 0 ? [] : x.shape.map((s, i) => (i === d ? m : s));
  if (!sameShape(source.shape, expected) && !(x.ndim === 0 && source.numel() === 1 && m === 1)) {
    throw new RangeError(`${op}: source ${fmtShape(source.shape)} must have shape ${fmtShape(expected)} for input ${fmtShape(x.shape)} and ${m} indices`);
  }
}

/** indexAdd's and indexCopy's checked arguments: the dim, the index values, a copy of x to write and the contiguous source. */
function sliceSourceArgs(op: string, x: Tensor, dim: number, index: Tensor, source: Tensor): { d: number; values: Int32Array; out: Tensor; s: Tensor } {
  const d = normalizeDim(op, dim, x.ndim);
  const values = checkIndexVector(op, x, d, index);
  checkSource(op, x, source, "source");
  checkSliceSource(op, x, d, values.length, source);
  return { d, values, out: cloneOf(x), s: noGrad(() => source.contiguous()) };
}

/** For each (outer block o, index j): the start of slice `values[j]` in `out` and of slice j in the source. */
function forEachSlice(out: Tensor, d: number, values: Int32Array, fn: (to: number, from: number, inner: number) => void): void {
  const [outer, r, inner] = out.ndim === 0 ? [1, 1, 1] : splitAt(out.shape, d);
  const m = values.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) fn(out.offset + (o * r + values[j]) * inner, (o * m + j) * inner, inner);
  }
}

/**
 * A copy of `x` with `alpha · source[j]` added to slice `index[j]` along `dim` (index 1-D int32;
 * source has x's shape with `dim` of index's length); duplicates add up. The adjoint of
 * indexSelect. Backward: the gradient to x, `alpha ·` the gradient's selected slices to source.
 *
 * @example
 * ```ts
 * zeros([3, 2]).indexAdd(0, tensor([2, 0], { dtype: "int32" }), ones([2, 2]), { alpha: 2 }).toArray(); // → [[2, 2], [0, 0], [2, 2]]
 * ```
 */
export function indexAdd(x: Tensor, dim: number, index: Tensor, source: Tensor, options?: { alpha?: number }, op = "indexAdd"): Tensor {
  const { alpha } = resolveOptions(op, options, { alpha: 1 }, { alpha: optionChecks.finite });
  const { d, values, out, s } = sliceSourceArgs(op, x, dim, index, source);
  const dst = out.data;
  const src = s.data;
  forEachSlice(out, d, values, (to, from, inner) => {
    for (let i = 0; i < inner; i++) dst[to + i] += alpha * src[s.offset + from + i];
  });
  return record(out, "IndexAddBackward0", [x, source], (g) => {
    const gs = g.indexSelect(d, index).reshape(source.shape);
    return [x.requiresGrad ? g : null, source.requiresGrad ? (alpha === 1 ? gs : gs.mul(alpha)) : null];
  }, [index]);
}

/**
 * A copy of `x` with slice `index[j]` along `dim` replaced by `source[j]` (shapes as
 * {@link indexAdd}). Backward: to x the gradient with those slices zeroed, to source the
 * gradient's selected slices.
 *
 * @example
 * ```ts
 * zeros([3]).indexCopy(0, tensor([2, 0], { dtype: "int32" }), tensor([5, 6])).toArray(); // → [6, 0, 5]
 * ```
 */
export function indexCopy(x: Tensor, dim: number, index: Tensor, source: Tensor, op = "indexCopy"): Tensor {
  const { d, values, out, s } = sliceSourceArgs(op, x, dim, index, source);
  forEachSlice(out, d, values, (to, from, inner) => out.data.set(s.data.subarray(s.offset + from, s.offset + from + inner), to));
  return record(out, "IndexCopyBackward0", [x, source], (g) => [
    x.requiresGrad ? g.indexFill(d, index, 0) : null,
    source.requiresGrad ? g.indexSelect(d, index).reshape(source.shape) : null,
  ], [index]);
}

/**
 * A copy of `x` with the slices `index` (1-D int32, negative counts from the end) along `dim` set
 * to `value` (a number or a 0-d tensor). Backward: to x the gradient with those slices zeroed; to
 * a tensor value, the sum of the gradient over the (distinct) filled slices.
 *
 * @example
 * ```ts
 * zeros([2, 3]).indexFill(1, tensor([-1], { dtype: "int32" }), 7).toArray(); // → [[0, 0, 7], [0, 0, 7]]
 * ```
 */
export function indexFill(x: Tensor, dim: number, index: Tensor, value: TensorLike, op = "indexFill"): Tensor {
  const d = normalizeDim(op, dim, x.ndim);
  const values = checkIndexVector(op, x, d, index, true);
  const v = fillValue(op, value, x.dtype);
  const out = cloneOf(x);
  const fill = v.item();
  forEachSlice(out, d, values, (to, _from, inner) => out.data.fill(fill, to, to + inner));
  const wrapped = new Tensor(values, [values.length], "int32");
  return record(out, "IndexFillBackward0", [x, v], (g) => {
    const unique = Int32Array.from(new Set(values));
    const distinct = new Tensor(unique, [unique.length], "int32");
    return [
      x.requiresGrad ? g.indexFill(d, wrapped, 0) : null,
      v.requiresGrad ? g.indexSelect(d, distinct).sum().to(v.dtype) : null,
    ];
  }, [v]);
}
