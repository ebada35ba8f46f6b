/**
 * unique and uniqueConsecutive: the distinct values of a tensor (or its distinct slices along a
 * dim), with the int32 inverse indices and counts. Not differentiable, as in PyTorch: a backward
 * through the values throws naming the op.
 */
import { Tensor } from "../tensor.js";
import { allocate } from "../dtype.js";
import { fmtShape, normalizeDim } from "../shape.js";
import { optionChecks, resolveOptions } from "../options.js";
import { sortAxis } from "../kernels/sort.js";
import { notDifferentiable } from "./helpers.js";
import { compareNanLast } from "./sort.js";

/**
 * Options of {@link Tensor.unique}. With `returnInverse` and `returnCounts` false (the defaults) it
 * returns the values alone; otherwise `[values, inverse]`, `[values, counts]` or
 * `[values, inverse, counts]`, in PyTorch's order.
 *
 * @example
 * ```ts
 * const [values, counts] = tensor([3, 1, 3, 3]).unique({ returnCounts: true });
 * counts.toArray(); // → [1, 3]
 * ```
 * @group Scan & sort
 */
export interface UniqueOptions {
  /** Accepted for PyTorch's signature: the values always come sorted (PyTorch leaves the order of `sorted: false` unspecified). Default true. */
  sorted?: boolean;
  /** Also return, for each element (or slice along `dim`), the index of its value in the output. Default false. */
  returnInverse?: boolean;
  /** Also return how often each value occurs. Default false. */
  returnCounts?: boolean;
  /** Compare whole slices along this dim instead of elements; null (the default) flattens. */
  dim?: number | null;
}

/**
 * Options of {@link Tensor.uniqueConsecutive}: those of {@link UniqueOptions} but `sorted`.
 *
 * @example
 * ```ts
 * const [values, inverse] = tensor([1, 1, 2, 1]).uniqueConsecutive({ returnInverse: true });
 * inverse.toArray(); // → [0, 0, 1, 2]
 * ```
 * @group Scan & sort
 */
export type UniqueConsecutiveOptions = Omit<UniqueOptions, "sorted">;

const CONSECUTIVE_DEFAULTS = { returnInverse: false, returnCounts: false, dim: null as number | null };
const CONSECUTIVE_CHECKS = { returnInverse: optionChecks.boolean, returnCounts: optionChecks.boolean, dim: optionChecks.nullable(optionChecks.integer) };
const UNIQUE_DEFAULTS = { sorted: true, ...CONSECUTIVE_DEFAULTS };
const UNIQUE_CHECKS = { sorted: optionChecks.boolean, ...CONSECUTIVE_CHECKS };

/**
 * The runs of equal neighbours in `order` (slice indices in output order): each run's first slice,
 * the run index of every slice, and the run lengths. NaN equals nothing, so each NaN is its own
 * value (as in PyTorch 2; PyTorch 1.13's CPU kernel misplaces NaNs).
 */
function runsOf(order: ArrayLike<number>, same: (a: number, b: number) => boolean): { first: number[]; inverse: Int32Array; counts: number[] } {
  const inverse = new Int32Array(order.length);
  const first: number[] = [];
  const counts: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (k === 0 || !same(order[k - 1], i)) {
      first.push(i);
      counts.push(0);
    }
    inverse[i] = first.length - 1;
    counts[counts.length - 1]++;
  }
  return { first, inverse, counts };
}

function distinct(op: string, x: Tensor, dim: number | null, sort: boolean, returnInverse: boolean, returnCounts: boolean): Tensor | Tensor[] {
  let values: Tensor;
  let runs: ReturnType<typeof runsOf>;
  let inverseShape: number[];
  if (dim === null) {
    const c = x.contiguous();
    const n = c.numel();
    const data = c.data.subarray(c.offset, c.offset + n);
    let order: ArrayLike<number> = Int32Array.from({ length: n }, (_, i) => i);
    if (sort && n > 0) {
      const idx = new Int32Array(n);
      sortAxis(allocate(x.dtype, n, op), idx, c.data, c.offset, 1, n, 1, false);
      order = idx;
    }
    runs = runsOf(order, (a, b) => data[a] === data[b]);
    const out = allocate(x.dtype, runs.first.length, op);
    runs.first.forEach((i, k) => (out[k] = data[i]));
    values = new Tensor(out, [runs.first.length], x.dtype);
    inverseShape = [...x.shape];
  } else {
    if (x.ndim === 0) throw new RangeError(`${op}: dim ${dim} was given, but the input is 0-d`);
    const d = normalizeDim(op, dim, x.ndim);
    if (x.shape.some((size, i) => size === 0 && i !== d)) {
      throw new RangeError(`${op}: shape ${fmtShape(x.shape)} has a dim of size 0 other than dim ${d}, so there are no slices to compare (as in PyTorch)`);
    }
    // Slices along d become rows of a contiguous [size_d, rest] view. PyTorch swaps d with dim 0
    // (transpose, not movedim), which sets the order its lexicographic sort compares elements in.
    const rows = x.transpose(d, 0).contiguous();
    const n = x.shape[d];
    const width = n === 0 ? 0 : rows.numel() / n;
    const data = rows.data;
    const at = (row: number, j: number): number => data[rows.offset + row * width + j] as number;
    const compareRows = (a: number, b: number): number => {
      for (let j = 0; j < width; j++) {
        const c = compareNanLast(at(a, j), at(b, j));
        if (c !== 0) return c;
      }
      return 0;
    };
    const order = Array.from({ length: n }, (_, i) => i);
    if (sort) order.sort(compareRows); // Array.prototype.sort is stable
    runs = runsOf(order, (a, b) => {
      for (let j = 0; j < width; j++) if (at(a, j) !== at(b, j)) return false;
      return true;
    });
    const out = allocate(x.dtype, runs.first.length * width, op);
    runs.first.forEach((row, k) => out.set(data.subarray(rows.offset + row * width, rows.offset + (row + 1) * width), k * width));
    values = new Tensor(out, [runs.first.length, ...rows.shape.slice(1)], x.dtype).transpose(0, d).contiguous();
    inverseShape = [n];
  }
  const result = [notDifferentiable(op, values, [x])];
  if (returnInverse) result.push(new Tensor(runs.inverse, inverseShape, "int32"));
  if (returnCounts) result.push(new Tensor(Int32Array.from(runs.counts), [runs.counts.length], "int32"));
  return result.length === 1 ? result[0] : result;
}

/** {@link Tensor.unique}'s implementation: sorted distinct values, or rows along `dim`. */
export function unique(x: Tensor, options: UniqueOptions | undefined): Tensor | Tensor[] {
  const { dim, returnInverse, returnCounts } = resolveOptions("unique", options, UNIQUE_DEFAULTS, UNIQUE_CHECKS);
  return distinct("unique", x, dim, true, returnInverse, returnCounts);
}

/** {@link Tensor.uniqueConsecutive}'s implementation: runs of equal neighbours, in input order. */
export function uniqueConsecutive(x: Tensor, options: UniqueConsecutiveOptions | undefined): Tensor | Tensor[] {
  const { dim, returnInverse, returnCounts } = resolveOptions("uniqueConsecutive", options, CONSECUTIVE_DEFAULTS, CONSECUTIVE_CHECKS);
  return distinct("uniqueConsecutive", x, dim, false, returnInverse, returnCounts);
}
