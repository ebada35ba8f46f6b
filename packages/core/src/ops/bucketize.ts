/**
 * Counting and bucketing: bincount, histc, searchsorted and bucketize. None is differentiable in
 * PyTorch: bincount's weighted result is in the graph and throws on backward, histc's result is
 * not in the graph, and the indices of searchsorted and bucketize are integers.
 */
import { Tensor } from "../tensor.js";
import { allocate, isIntegral } from "../dtype.js";
import { fmtShape, sameShape } from "../shape.js";
import { describeValue, optionChecks, resolveOptions } from "../options.js";
import { notDifferentiable } from "./helpers.js";

/**
 * Options of {@link searchsorted} and {@link bucketize}.
 *
 * @example
 * ```ts
 * searchsorted(tensor([1, 3, 5]), tensor([3]), { right: true }).toArray(); // → [2]
 * ```
 * @group Scan & sort
 */
export interface SearchsortedOptions {
  /** Take the last suitable index instead of the first: `seq[i-1] <= v < seq[i]`. Default false. */
  right?: boolean;
  /** `"left"` or `"right"`, the same as `right` (PyTorch prefers it); `"left"` with `right: true` throws. */
  side?: "left" | "right" | null;
  /** Accepted for PyTorch's signature: the indices are int32 either way (PyTorch's default is int64). */
  outInt32?: boolean;
  /** int32 indices that sort `sortedSequence` along its last dim, when it is not sorted itself. */
  sorter?: Tensor | null;
}

const SEARCH_DEFAULTS = { right: false, side: null as "left" | "right" | null, outInt32: false, sorter: null as Tensor | null };
const SEARCH_CHECKS = {
  right: optionChecks.boolean,
  side: optionChecks.nullable(optionChecks.oneOf(["left", "right"])),
  outInt32: optionChecks.boolean,
  // Tensor is not yet defined when this module loads (tensor.ts imports it): checked when called.
  sorter: optionChecks.nullable((op, name, value) => optionChecks.instanceOf(Tensor, "a Tensor")(op, name, value)),
};

function checkIntegerTensor(op: string, what: string, t: Tensor): void {
  if (!isIntegral(t.dtype)) throw new TypeError(`${op}: expected ${what} with an integer dtype, got dtype ${t.dtype}`);
}

/**
 * {@link Tensor.bincount}'s implementation: `out[v] += weight` for each value `v` of the 1-D
 * non-negative integer `x`; length `max(max(x) + 1, minlength)`.
 */
export function bincount(x: Tensor, weights: Tensor | null, minlength: number): Tensor {
  const op = "bincount";
  checkIntegerTensor(op, "the input", x);
  if (x.ndim !== 1) throw new RangeError(`${op}: expected a 1-D input, got shape ${fmtShape(x.shape)}`);
  if (!Number.isSafeInteger(minlength) || minlength < 0) throw new RangeError(`${op}: minlength must be an integer >= 0, got ${describeValue(minlength)}`);
  if (weights !== null && !sameShape(weights.shape, x.shape)) {
    throw new RangeError(`${op}: weights of shape ${fmtShape(weights.shape)} must have the input's shape ${fmtShape(x.shape)}`);
  }
  const values = x.contiguous();
  let length = minlength;
  for (let i = 0; i < values.numel(); i++) {
    const v = values.data[values.offset + i] as number;
    if (v < 0) throw new RangeError(`${op}: the input must be non-negative, got ${v} at index ${i}`);
    length = Math.max(length, v + 1);
  }
  // PyTorch: int64 counts without weights; float32 weights stay float32, any other weights give float64.
  const dtype = weights === null ? "int32" : weights.dtype === "float32" ? "float32" : "float64";
  const out = allocate(dtype, length, op);
  const w = weights?.contiguous();
  for (let i = 0; i < values.numel(); i++) {
    out[values.data[values.offset + i] as number] += w ? (w.data[w.offset + i] as number) : 1;
  }
  const counts = new Tensor(out, [length], dtype);
  return weights === null ? counts : notDifferentiable(op, counts, [weights]);
}

/**
 * {@link Tensor.histc}'s implementation: `bins` equal-width bins over `[min, max]` (the data's
 * range when `min == max`, widened by 1 each side when that is one value). An element `v` in the
 * range falls in bin `⌊(v − min)·bins / (max − min)⌋`, the last bin including `max`; elements
 * outside the range, and NaN, are not counted. Computed in the input's precision, as PyTorch does.
 */
export function histc(x: Tensor, bins: number, min: number, max: number): Tensor {
  const op = "histc";
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new TypeError(`${op}: expected a floating-point tensor, got dtype ${x.dtype}`);
  if (!Number.isSafeInteger(bins) || bins < 1) throw new RangeError(`${op}: bins must be an integer >= 1, got ${describeValue(bins)}`);
  const round = x.dtype === "float32" ? Math.fround : (v: number) => v;
  const c = x.contiguous();
  const n = c.numel();
  let lo = round(min);
  let hi = round(max);
  if (lo === hi && n > 0) {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = c.data[c.offset + i] as number;
      // NaN poisons the data's range, as in PyTorch (min/max propagate it).
      lo = Number.isNaN(v) || Number.isNaN(lo) ? NaN : Math.min(lo, v);
      hi = Number.isNaN(v) || Number.isNaN(hi) ? NaN : Math.max(hi, v);
    }
  }
  if (lo === hi) {
    lo = round(lo - 1);
    hi = round(hi + 1);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`${op}: the range [${lo}, ${hi}] is not finite`);
  if (lo > hi) throw new RangeError(`${op}: max must be larger than min, got min ${min} and max ${max}`);
  const out = allocate(x.dtype, bins, op);
  const width = round(hi - lo);
  for (let i = 0; i < n; i++) {
    const v = c.data[c.offset + i] as number;
    if (!(v >= lo && v <= hi)) continue;
    out[Math.min(Math.trunc(round(round(round(v - lo) * bins) / width)), bins - 1)] += 1;
  }
  return new Tensor(out, [bins], x.dtype);
}

/**
 * The index at which each value of `input` would be inserted into `sortedSequence` along its last
 * dim to keep it sorted: the first `i` with `seq[i] >= v` (with `right`, `seq[i] > v`), as int32.
 * A 1-D sequence serves every value; an N-D one has one row per leading index of `input`, whose
 * leading dims must match. `sorter` gives the order of an unsorted sequence. The comparisons are
 * PyTorch's, so NaN values go past the end and a NaN in the sequence sorts last.
 *
 * Shapes: `sortedSequence` `(*, M)`, `input` `(*, K)` (or any shape, or a number, with a 1-D
 * sequence); the result has `input`'s shape (0-d for a number).
 *
 * PyTorch: `torch.searchsorted`.
 *
 * @example
 * ```ts
 * const seq = tensor([1, 3, 5, 7, 9]);
 * searchsorted(seq, tensor([3, 6, 9])).toArray();                // → [1, 3, 4]
 * searchsorted(seq, tensor([3, 6, 9]), { right: true }).toArray(); // → [2, 3, 5]
 * searchsorted(tensor([[1, 3, 5], [2, 4, 6]]), tensor([[3], [3]])).toArray(); // → [[1], [1]]
 * ```
 * @group Scan & sort
 */
export function searchsorted(sortedSequence: Tensor, input: Tensor | number, options?: SearchsortedOptions): Tensor {
  return search("searchsorted", sortedSequence, input, options);
}

/**
 * The bucket of each value of `input` among `boundaries` (1-D, sorted): `i` such that
 * `boundaries[i-1] < v <= boundaries[i]`, or with `right` `boundaries[i-1] <= v < boundaries[i]`;
 * 0 below the first boundary and `boundaries.length` past the last. int32, of `input`'s shape.
 *
 * PyTorch: `torch.bucketize`.
 *
 * @example
 * ```ts
 * const boundaries = tensor([1, 3, 5, 7, 9]);
 * bucketize(tensor([[3, 6, 9], [3, 6, 9]]), boundaries).toArray();              // → [[1, 3, 4], [1, 3, 4]]
 * bucketize(tensor([3, 6, 9]), boundaries, { right: true }).toArray();         // → [2, 3, 5]
 * ```
 * @group Scan & sort
 */
export function bucketize(input: Tensor | number, boundaries: Tensor, options?: Omit<SearchsortedOptions, "side" | "sorter">): Tensor {
  if (!(boundaries instanceof Tensor) || boundaries.ndim !== 1) {
    throw new RangeError(`bucketize: boundaries must be a 1-D tensor, got ${boundaries instanceof Tensor ? `shape ${fmtShape(boundaries.shape)}` : describeValue(boundaries)}`);
  }
  const { right, outInt32 } = resolveOptions("bucketize", options, { right: false, outInt32: false }, { right: optionChecks.boolean, outInt32: optionChecks.boolean });
  return search("bucketize", boundaries, input, { right, outInt32 });
}

function search(op: string, seq: Tensor, input: Tensor | number, options: SearchsortedOptions | undefined): Tensor {
  const { right, side, sorter } = resolveOptions(op, options, SEARCH_DEFAULTS, SEARCH_CHECKS);
  if (side === "left" && right) throw new RangeError(`${op}: side "left" and right: true are opposites; pass one of them`);
  const upper = side === "right" || right;
  if (!(seq instanceof Tensor) || seq.ndim === 0) throw new RangeError(`${op}: the sorted sequence must be a tensor of at least 1 dim, got ${seq instanceof Tensor ? "a 0-d tensor" : describeValue(seq)}`);
  if (typeof input !== "number" && !(input instanceof Tensor)) throw new TypeError(`${op}: expected the values as a Tensor or a number, got ${describeValue(input)}`);
  if (seq.dtype === "bool" || (input instanceof Tensor && input.dtype === "bool")) throw new TypeError(`${op}: bool tensors are not supported (as in PyTorch)`);
  const values = typeof input === "number" ? new Tensor(Float64Array.of(input), [], "float64") : input.contiguous();
  const m = seq.shape[seq.ndim - 1];
  if (seq.ndim > 1) {
    const lead = seq.shape.slice(0, -1);
    if (values.ndim !== seq.ndim || !sameShape(values.shape.slice(0, -1), lead)) {
      throw new RangeError(
        `${op}: an N-D sorted sequence needs values with the same leading dims: sequence ${fmtShape(seq.shape)}, values ${fmtShape(values.shape)}`,
      );
    }
  }
  const s = seq.contiguous();
  let order: Tensor | null = null;
  if (sorter !== null) {
    checkIntegerTensor(op, "sorter", sorter);
    if (!sameShape(sorter.shape, seq.shape)) throw new RangeError(`${op}: sorter of shape ${fmtShape(sorter.shape)} must have the sequence's shape ${fmtShape(seq.shape)}`);
    order = sorter.contiguous();
    for (let i = 0; i < order.numel(); i++) {
      const k = order.data[order.offset + i] as number;
      if (k < 0 || k >= m) throw new RangeError(`${op}: sorter index ${k} is out of range for a last dim of size ${m}`);
    }
  }
  const at = order
    ? (row: number, j: number): number => s.data[s.offset + row * m + (order!.data[order!.offset + row * m + j] as number)] as number
    : (row: number, j: number): number => s.data[s.offset + row * m + j] as number;
  const n = values.numel();
  const perRow = seq.ndim === 1 ? n || 1 : values.shape[values.ndim - 1] || 1;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values.data[values.offset + i] as number;
    const row = seq.ndim === 1 ? 0 : Math.floor(i / perRow);
    // PyTorch's lower/upper bound: the negated comparisons send NaN past every element.
    let start = 0;
    let end = m;
    while (start < end) {
      const mid = start + ((end - start) >> 1);
      const x = at(row, mid);
      if (upper ? !(x > v) : !(x >= v)) start = mid + 1;
      else end = mid;
    }
    out[i] = start;
  }
  return new Tensor(out, [...values.shape], "int32");
}
