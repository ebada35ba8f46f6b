/**
 * Sorting and order statistics: sort, argsort, msort, topk, kthvalue, median/nanmedian, mode,
 * quantile, and the NaN-skipping nansum/nanmean — forward kernels with PyTorch's backward rules.
 * A value picked from the input (sort, topk, kthvalue, median(dim), mode) sends its gradient back to
 * the position it came from; a global median shares it among the elements equal to it.
 */
import { Tensor } from "../tensor.js";
import { ValuesIndices } from "../values-indices.js";
import { allocate, isFloatingPoint } from "../dtype.js";
import { fmtShape, normalizeDim } from "../shape.js";
import { record } from "../autograd/node.js";
import { describeValue } from "../options.js";
import { sortAxis, quickSelect } from "../kernels/sort.js";
import { checkFloat, scalarTensor } from "./helpers.js";
import { where } from "./indexing.js";
import { reductionDims, expandReduced } from "./reduce.js";
import { noGrad } from "../autograd/grad-mode.js";
import { stack } from "./shape.js";
import { lines } from "./scan.js";

/**
 * `values` taken from x at `indices` along `d` (both of shape `shape`, a gradient's shape),
 * recorded with PyTorch's value_selecting_reduction_backward: the gradient added into zeros of
 * x's shape at those indices (so it is itself differentiable, through gather).
 */
export function selectedValues(node: string, x: Tensor, values: Tensor, indices: Tensor, d: number): Tensor {
  return record(values, node, [x], (g) => {
    if (x.ndim === 0) return [g.reshape([])];
    return [new Tensor(allocate(g.dtype, x.numel()), x.shape, g.dtype).scatterAdd(d, indices, g.reshape(indices.shape))];
  }, []);
}

/** A pair whose indices were computed with keepdim: values recorded, both squeezed unless `keepdim`. */
function selectedPair(op: string, node: string, x: Tensor, valuesData: Tensor, idxKept: Tensor, d: number, keepdim: boolean): ValuesIndices {
  const shape = keepdim || x.ndim === 0 ? idxKept.shape : idxKept.shape.filter((_, i) => i !== d);
  const values = selectedValues(node, x, valuesData.reshape(shape), idxKept, d);
  return new ValuesIndices(op, values, idxKept.reshape(shape));
}

/**
 * Sorts along `dim` (default −1): values and their int32 indices. Ascending puts NaN last,
 * descending puts it first; equal values keep their input order (so `stable` changes nothing:
 * PyTorch's CPU sort keeps that order too for up to 16 elements, beyond that only with stable).
 * Backward: the gradient goes back to the positions the values came from.
 */
export function sort(x: Tensor, dim: number, descending: boolean, op = "sort"): ValuesIndices {
  const { c, d, outer, r, inner } = lines(op, x, dim);
  const values = allocate(x.dtype, c.numel(), op);
  const indices = new Int32Array(c.numel());
  sortAxis(values, indices, c.data, c.offset, outer, r, inner, descending);
  const idx = new Tensor(indices, x.shape, "int32");
  return new ValuesIndices(op, selectedValues("SortBackward0", x, new Tensor(values, x.shape, x.dtype), idx, d), idx);
}

/**
 * The `k` largest (or smallest) elements along `dim` and their indices, in sorted order (also
 * with `sorted: false`, where PyTorch leaves the order unspecified). Ties are taken in input
 * order. Backward: to the chosen positions.
 */
export function topk(x: Tensor, k: number, dim: number, largest: boolean): ValuesIndices {
  const d = normalizeDim("topk", dim, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new RangeError(`topk: k must be an integer in [0, ${n}] (the size of dim ${d} of shape ${fmtShape(x.shape)}), got ${k}`);
  }
  const sorted = noGradSort(x, d, largest);
  const idx = x.ndim === 0 ? sorted.indices : sorted.indices.narrow(d, 0, k).contiguous();
  const vals = x.ndim === 0 ? sorted.values : sorted.values.narrow(d, 0, k).contiguous();
  return new ValuesIndices("topk", selectedValues("TopkBackward0", x, vals, idx, d), idx);
}

// The sorted values and indices of x without a graph (the callers record their own node).
function noGradSort(x: Tensor, d: number, descending: boolean): ValuesIndices {
  return sort(x.detach(), d, descending);
}

/** The k-th smallest (1-based) along `dim`, with PyTorch's quickselect choosing among ties. */
export function kthvalue(x: Tensor, k: number, dim: number, keepdim: boolean): ValuesIndices {
  const { c, d, outer, r, inner } = lines("kthvalue", x, dim);
  if (!Number.isInteger(k) || k < 1 || k > r) {
    throw new RangeError(`kthvalue: k must be an integer in [1, ${r}] (the size of dim ${d} of shape ${fmtShape(x.shape)}), got ${k}`);
  }
  return pickAlong("kthvalue", "KthvalueBackward0", x, c, d, outer, r, inner, keepdim, (vals, idx) => {
    quickSelect(vals, idx, k - 1);
    return k - 1;
  });
}

// Runs `pick` on a copy of each line (values and positions); it returns where the chosen element is.
function pickAlong(
  op: string, node: string, x: Tensor, c: Tensor, d: number, outer: number, r: number, inner: number, keepdim: boolean,
  pick: (vals: Float64Array, idx: Int32Array) => number,
): ValuesIndices {
  const keptShape = x.ndim === 0 ? [] : x.shape.map((s, i) => (i === d ? 1 : s));
  const values = allocate(x.dtype, outer * inner, op);
  const indices = new Int32Array(outer * inner);
  const vals = new Float64Array(r);
  const idx = new Int32Array(r);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = c.offset + o * r * inner + i;
      for (let k = 0; k < r; k++) {
        vals[k] = c.data[start + k * inner];
        idx[k] = k;
      }
      const at = pick(vals, idx);
      values[o * inner + i] = vals[at];
      indices[o * inner + i] = idx[at];
    }
  }
  return selectedPair(op, node, x, new Tensor(values, keptShape, x.dtype), new Tensor(indices, keptShape, "int32"), d, keepdim);
}

/** PyTorch's ascending order of two numbers, NaN last: negative, 0 (equal, or both NaN) or positive. */
export function compareNanLast(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : 0;
}

// Sorts one line copy ascending in place (NaN last, ties by position), keeping idx aligned.
function sortLine(vals: Float64Array, idx: Int32Array): void {
  const order = Int32Array.from(idx.keys()).sort((a, b) => compareNanLast(vals[a], vals[b]) || a - b);
  const v = Float64Array.from(order, (k) => vals[k]);
  const p = Int32Array.from(order, (k) => idx[k]);
  vals.set(v);
  idx.set(p);
}

function countNan(vals: Float64Array): number {
  let n = 0;
  for (const v of vals) if (v !== v) n++;
  return n;
}

/**
 * The lower median along `dim` (`median`), or of the non-NaN elements (`nanmedian`), and its
 * index. median returns the first NaN of a line holding one; otherwise both pick element
 * ⌊(m−1)/2⌋ of the line sorted by (value, index), as PyTorch's nth_element does.
 */
export function medianAlong(x: Tensor, dim: number, keepdim: boolean, op: "median" | "nanmedian"): ValuesIndices {
  const { c, d, outer, r, inner } = lines(op, x, dim);
  if (r === 0) throw new RangeError(`${op}: cannot take the ${op} over dim ${d} of size 0 in shape ${fmtShape(x.shape)}`);
  return pickAlong(op, op === "median" ? "MedianBackward1" : "NanmedianBackward1", x, c, d, outer, r, inner, keepdim, (vals, idx) => {
    const nans = countNan(vals);
    if (op === "median" && nans > 0) {
      for (let k = 0; k < r; k++) if (vals[k] !== vals[k]) return k;
    }
    sortLine(vals, idx);
    return Math.max(0, Math.trunc((r - (op === "nanmedian" ? nans : 0) - 1) / 2));
  });
}

/**
 * The lower median of all elements (`median`; NaN when one is NaN) or of the non-NaN ones
 * (`nanmedian`); NaN for an empty tensor. Backward (evenly_distribute_backward): the gradient
 * shared among the elements equal to the result (the NaNs, when it is NaN).
 */
export function medianAll(x: Tensor, op: "median" | "nanmedian"): Tensor {
  const flat = x.detach().reshape(-1);
  const out = scalarTensor(NaN, x.dtype);
  if (flat.numel() > 0) out.data[0] = medianAlong(flat, 0, false, op).values.item();
  return record(out, op === "median" ? "MedianBackward0" : "NanmedianBackward0", [x], (g) => {
    const mask = out.isnan().item() ? x.isnan() : x.eq(out);
    const m = mask.to(g.dtype);
    return [m.mul(g.div(m.sum()))];
  });
}

/**
 * The most frequent value along `dim` (the smallest of equally frequent ones) and the index of
 * its last occurrence, as PyTorch's CPU kernel finds them. Backward: to that index.
 */
export function mode(x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  const { c, d, outer, r, inner } = lines("mode", x, dim);
  if (r === 0) throw new RangeError(`mode: cannot take the mode over dim ${d} of size 0 in shape ${fmtShape(x.shape)}`);
  return pickAlong("mode", "ModeBackward0", x, c, d, outer, r, inner, keepdim, (vals, idx) => {
    sortLine(vals, idx);
    let best = 0;
    let bestFreq = 0;
    let freq = 0;
    for (let k = 0; k < r; k++) {
      freq++;
      if (k === r - 1 || vals[k] !== vals[k + 1]) {
        if (freq > bestFreq) {
          best = k;
          bestFreq = freq;
        }
        freq = 0;
      }
    }
    return best;
  });
}

/**
 * The interpolation modes of {@link quantile}, PyTorch's.
 * @group Reduction
 */
export type QuantileInterpolation = "linear" | "lower" | "higher" | "midpoint" | "nearest";

/**
 * The q-th quantiles over `dim` (all elements when null), PyTorch's quantile: with the line
 * sorted (NaN last) and `rank = q·(n−1)`, "linear" interpolates between the values at ⌊rank⌋ and
 * ⌈rank⌉ (PyTorch's lerp), "lower"/"higher"/"nearest" take the value at ⌊rank⌋, ⌈rank⌉ or rank
 * rounded half to even, "midpoint" their mean; a line holding NaN gives NaN. A tensor `q` (0-d
 * or 1-D) puts its dim first in the result. Backward: through the sort and the interpolation.
 */
export function quantile(x: Tensor, q: number | Tensor, dim: number | null | undefined, keepdim: boolean, interpolation: QuantileInterpolation): Tensor {
  checkFloat("quantile", x);
  const qs = quantileLevels(x, q);
  const all = dim === null || dim === undefined;
  const d = all ? 0 : normalizeDim("quantile", dim, x.ndim);
  if (x.numel() === 0) throw new RangeError(`quantile: cannot take a quantile of an empty tensor of shape ${fmtShape(x.shape)}`);
  const src = all ? x.reshape(-1) : x.ndim === 0 ? x.reshape([1]) : x.movedim(d, -1);
  const sorted = src.sort(-1).values;
  const n = sorted.shape[sorted.ndim - 1];
  const last = n - 1;
  const hasNan = sorted.isnan().any(-1, true);
  const round = x.dtype === "float32" ? Math.fround : (v: number) => v;
  const results = qs.values.map((qv, j) => {
    let rank = round(qv * last);
    if (interpolation === "lower") rank = Math.floor(rank);
    else if (interpolation === "higher") rank = Math.ceil(rank);
    else if (interpolation === "nearest") rank = roundHalfEven(rank);
    const below = Math.trunc(rank);
    const lo = sorted.narrow(-1, below, 1);
    let value = lo;
    if (interpolation === "linear" || interpolation === "midpoint") {
      const hi = sorted.narrow(-1, Math.ceil(rank), 1);
      const w = interpolation === "midpoint" ? 0.5 : round(rank - below);
      // linear's weight is rank − ⌊rank⌋ with rank = q·(n−1): differentiable in a tensor q
      const weight = interpolation === "linear" && q instanceof Tensor ? q.reshape(-1).select(0, j).mul(last).sub(below) : w;
      value = w < 0.5 ? lo.add(hi.sub(lo).mul(weight)) : hi.sub(hi.sub(lo).mul(typeof weight === "number" ? 1 - weight : weight.neg().add(1)));
    }
    return where(hasNan, sorted.narrow(-1, last, 1), value);
  });
  // each result is [..., 1] over the kept dims with the reduced dim last
  let out = stack(results, 0).squeeze(-1);
  if (keepdim) {
    out = all || x.ndim === 0 ? out.reshape([out.shape[0], ...x.shape.map(() => 1)]) : out.unsqueeze(d + 1);
  } else if (all) out = out.reshape([out.shape[0]]);
  return qs.scalar ? out.squeeze(0) : out;
}

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const diff = v - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function quantileLevels(x: Tensor, q: number | Tensor): { values: number[]; scalar: boolean } {
  let values: number[];
  let scalar: boolean;
  if (typeof q === "number") {
    values = [q];
    scalar = true;
  } else if (q instanceof Tensor) {
    if (q.ndim > 1) throw new RangeError(`quantile: q must be a number, a 0-d or a 1-D tensor, got shape ${fmtShape(q.shape)}`);
    if (q.dtype !== x.dtype) throw new TypeError(`quantile: q must have the input's dtype ${x.dtype}, got ${q.dtype}`);
    values = Array.from(q.detach().contiguous().dataSync() as ArrayLike<number>);
    scalar = q.ndim === 0;
  } else {
    throw new TypeError(`quantile: q must be a number or a Tensor, got ${describeValue(q)}`);
  }
  for (const v of values) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`quantile: q values must be in [0, 1], got ${v}`);
  }
  return { values, scalar };
}

/**
 * Sum over `dim` with NaN counted as 0. Backward (PyTorch's): `g · (x is not NaN)`, so an
 * infinite upstream gradient gives NaN at a NaN input, as in PyTorch's nanmean of an all-NaN line.
 */
export function nansum(x: Tensor, dim: number | readonly number[] | null | undefined, keepdim: boolean): Tensor {
  const dims = reductionDims("nansum", x, dim);
  const over = dims.length ? dims : null;
  if (!isFloatingPoint(x.dtype)) return x.sum(over, keepdim);
  const out = noGrad(() => where(x.isnan(), 0, x).sum(over, keepdim));
  return record(out, "NansumBackward0", [x], (g) => [expandReduced(g, x.shape, dims).mul(x.isnan().logicalNot().to(g.dtype))]);
}

/** Mean of the non-NaN elements over `dim` (PyTorch's nanmean: nansum / count of non-NaN). */
export function nanmean(x: Tensor, dim: number | readonly number[] | null | undefined, keepdim: boolean): Tensor {
  checkFloat("nanmean", x);
  const dims = reductionDims("nanmean", x, dim);
  const over = dims.length ? dims : null;
  return nansum(x, over, keepdim).div(x.isnan().logicalNot().sum(over, keepdim));
}

