/** Index ops: gather/scatterAdd, indexSelect/indexAdd (each the other's adjoint) and where. */
import { Tensor, type TensorLike } from "../tensor.js";
import { allocate, promoteTypes, promoteTensorTypes, promoteWithScalar, type DType } from "../dtype.js";
import { fmtShape, normalizeDim, sameShape } from "../shape.js";
import { record } from "../autograd/node.js";
import { splitAt } from "../kernels/reduce.js";
import { mapTernary, scalarTensor, gradFor } from "./helpers.js";

function checkIndex(op: string, index: Tensor): void {
  if (!(index instanceof Tensor)) throw new TypeError(`${op}: index must be a Tensor`);
  if (index.dtype !== "int32") throw new TypeError(`${op}: index must be an int32 tensor, got dtype ${index.dtype}`);
}

function outOfRange(op: string, value: number, d: number, size: number): RangeError {
  return new RangeError(`${op}: index ${value} is out of bounds for dim ${d} with size ${size}`);
}

// For every position of `index` (row-major), the offset in x's storage of the same coordinates
// with `dim` taken from the index value. One tight pass; gather and scatterAdd then loop over it.
function indexedOffsets(op: string, x: Tensor, d: number, index: Tensor): Int32Array {
  const idx = index.contiguous();
  const nd = idx.ndim;
  const n = idx.numel();
  const offsets = new Int32Array(n);
  const coord = new Int32Array(nd);
  const size = x.shape[d];
  const stride = x.strides[d];
  let base = x.offset;
  for (let p = 0; p < n; p++) {
    const v = idx.data[idx.offset + p];
    if (v < 0 || v >= size) throw outOfRange(op, v, d, size);
    offsets[p] = base + v * stride;
    for (let k = nd - 1; k >= 0; k--) {
      if (k !== d) base += x.strides[k];
      if (++coord[k] < idx.shape[k]) break;
      if (k !== d) base -= x.strides[k] * idx.shape[k];
      coord[k] = 0;
    }
  }
  return offsets;
}

function checkGatherShapes(op: string, x: Tensor, d: number, index: Tensor): void {
  if (index.ndim !== x.ndim) {
    throw new RangeError(`${op}: index ${fmtShape(index.shape)} must have as many dims as the input ${fmtShape(x.shape)}`);
  }
  index.shape.forEach((s, k) => {
    if (k !== d && s > x.shape[k]) {
      throw new RangeError(`${op}: index ${fmtShape(index.shape)} is larger than the input ${fmtShape(x.shape)} in dim ${k}`);
    }
  });
}

/** `out[i][j] = x[index[i][j]][j]` (dim 0) / `x[i][index[i][j]]` (dim 1); out has index's shape. Backward: scatterAdd. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndex("gather", index);
  const d = normalizeDim("gather", dim, x.ndim);
  checkGatherShapes("gather", x, d, index);
  const out = allocate(x.dtype, index.numel());
  const offsets = indexedOffsets("gather", x, d, index);
  const src = x.data;
  for (let p = 0; p < offsets.length; p++) out[p] = src[offsets[p]];
  const y = new Tensor(out, index.shape, x.dtype);
  return record(y, "GatherBackward0", [x], (g) => {
    const zeros = new Tensor(allocate(g.dtype, x.numel()), x.shape, g.dtype);
    return [zeros.scatterAdd(d, index, g)];
  }, [index]);
}

/** A copy of `x` with `src[i][j]` added at `[index[i][j]][j]` (dim 0). `src` has index's shape. */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  checkIndex("scatterAdd", index);
  const d = normalizeDim("scatterAdd", dim, x.ndim);
  checkGatherShapes("scatterAdd", x, d, index);
  if (!sameShape(src.shape, index.shape)) {
    throw new RangeError(`scatterAdd: src ${fmtShape(src.shape)} must have the index's shape ${fmtShape(index.shape)}`);
  }
  const dtype = promoteTypes(x.dtype, src.dtype);
  const out = x.detach().to(dtype).contiguous().clone();
  const s = src.contiguous();
  const offsets = indexedOffsets("scatterAdd", out, d, index);
  const dst = out.data;
  for (let p = 0; p < offsets.length; p++) dst[offsets[p]] += s.data[s.offset + p];
  return record(out.detach(), "ScatterAddBackward0", [x, src], (g) => [
    x.requiresGrad ? g.to(x.dtype) : null,
    src.requiresGrad ? g.gather(d, index).to(src.dtype) : null,
  ], [index]);
}

function checkIndexVector(op: string, x: Tensor, d: number, index: Tensor): Int32Array {
  checkIndex(op, index);
  if (index.ndim > 1) throw new RangeError(`${op}: index must be 0-d or 1-d, got shape ${fmtShape(index.shape)}`);
  const values = index.dataSync() as Int32Array;
  const size = x.ndim === 0 ? 1 : x.shape[d];
  for (const v of values) if (v < 0 || v >= size) throw outOfRange(op, v, d, size);
  return values;
}

/** Entries `index` (1-D int32) of `x` along `dim`. Backward: indexAdd into zeros. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim("indexSelect", dim, x.ndim);
  const values = checkIndexVector("indexSelect", x, d, index);
  const c = x.contiguous();
  const [outer, r, inner] = x.ndim === 0 ? [1, 1, 1] : splitAt(c.shape, d);
  const m = values.length;
  const out = allocate(x.dtype, outer * m * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const from = c.offset + (o * r + values[j]) * inner;
      out.set(c.data.subarray(from, from + inner), (o * m + j) * inner);
    }
  }
  const shape = x.ndim === 0 ? [] : x.shape.map((s, i) => (i === d ? m : s));
  const y = new Tensor(out, shape, x.dtype);
  return record(y, "IndexSelectBackward0", [x], (g) => {
    const zeros = new Tensor(allocate(g.dtype, x.numel()), x.shape, g.dtype);
    return [zeros.indexAdd(d, index, g)];
  }, [index]);
}

/** A copy of `x` with slice j of `src` added at position `index[j]` along `dim`. Backward: indexSelect. */
export function indexAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = normalizeDim("indexAdd", dim, x.ndim);
  const values = checkIndexVector("indexAdd", x, d, index);
  const expected = x.ndim === 0 ? [] : x.shape.map((s, i) => (i === d ? values.length : s));
  if (!sameShape(src.shape, expected)) {
    throw new RangeError(`indexAdd: src ${fmtShape(src.shape)} must have shape ${fmtShape(expected)} for input ${fmtShape(x.shape)} and ${values.length} indices`);
  }
  const dtype = promoteTypes(x.dtype, src.dtype);
  const out = x.detach().to(dtype).contiguous().clone();
  const s = src.contiguous();
  const [outer, r, inner] = x.ndim === 0 ? [1, 1, 1] : splitAt(out.shape, d);
  const m = values.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const to = (o * r + values[j]) * inner;
      const from = s.offset + (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out.data[to + i] += s.data[from + i];
    }
  }
  return record(out.detach(), "IndexAddBackward0", [x, src], (g) => [
    x.requiresGrad ? g.to(x.dtype) : null,
    src.requiresGrad ? g.indexSelect(d, index).to(src.dtype) : null,
  ], [index]);
}

function whereDType(a: TensorLike, b: TensorLike): DType {
  if (a instanceof Tensor && b instanceof Tensor) return promoteTensorTypes(a.dtype, a.ndim === 0, b.dtype, b.ndim === 0);
  if (a instanceof Tensor) return promoteWithScalar(a.dtype, b as number);
  if (b instanceof Tensor) return promoteWithScalar(b.dtype, a as number);
  return "float32";
}

/**
 * `cond ? a : b` elementwise, all three broadcast together (cond bool; a, b tensors or numbers).
 * Backward: the gradient goes to `a` where cond holds and to `b` elsewhere.
 *
 * @example
 * ```ts
 * where(tensor([1, -2]).gt(0), tensor([1, -2]), 0).toArray(); // [1, 0]
 * ```
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (!(cond instanceof Tensor) || cond.dtype !== "bool") {
    throw new TypeError(`where: condition must be a bool tensor, got ${cond instanceof Tensor ? `dtype ${cond.dtype}` : typeof cond}`);
  }
  for (const [name, v] of [["input", a], ["other", b]] as const) {
    if (!(v instanceof Tensor) && typeof v !== "number") throw new TypeError(`where: ${name} must be a Tensor or a number`);
  }
  const dtype = whereDType(a, b);
  const x = a instanceof Tensor ? a : scalarTensor(a, dtype);
  const y = b instanceof Tensor ? b : scalarTensor(b, dtype);
  const out = mapTernary("where", cond, x, y, "c !== 0 ? x : y", dtype);
  return record(out, "WhereBackward0", [x, y], (g) => [
    x.requiresGrad ? gradFor(where(cond, g, 0), x) : null,
    y.requiresGrad ? gradFor(where(cond, 0, g), y) : null,
  ], [cond]);
}
