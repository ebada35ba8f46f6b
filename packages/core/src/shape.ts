/** Shape utilities shared by every op: size arguments, broadcasting, strides, dim normalisation. */
import { describeValue, isPlainObject } from "./options.js";

/** Formats a shape the way error messages print it: `[3, 4]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Number of elements of a shape (1 for a 0-d shape). */
export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Row-major (C-contiguous) strides of a shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

function checkDimType(op: string, dim: unknown): asserts dim is number {
  if (typeof dim !== "number") throw new TypeError(`${op}: dim must be an integer, got ${describeValue(dim)}`);
}

/**
 * Wraps a possibly negative dim into [0, ndim), or throws naming the op: a TypeError for a
 * non-number, a RangeError for a non-integer or out-of-range dim. As in PyTorch, a 0-d tensor
 * takes dim 0 or -1 (ops that reduce or keep it as it is); ops that need a real dim use
 * {@link normalizeExistingDim}.
 */
export function normalizeDim(op: string, dim: number, ndim: number): number {
  checkDimType(op, dim);
  const rank = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -rank || dim >= rank) {
    throw new RangeError(`${op}: dim ${dim} is out of range for a tensor of ${ndim} dims (expected [${-rank}, ${rank - 1}])`);
  }
  return dim < 0 ? dim + rank : dim;
}

/**
 * {@link normalizeDim} for ops that index into a dim that must exist (select, narrow, slice,
 * size, split): on a 0-d tensor it throws "cannot be applied to a 0-d tensor", as PyTorch does.
 */
export function normalizeExistingDim(op: string, dim: number, shape: readonly number[]): number {
  checkDimType(op, dim);
  if (shape.length === 0) throw new RangeError(`${op}: cannot be applied to a 0-d tensor (shape [], dim ${dim}); it has no dims`);
  return normalizeDim(op, dim, shape.length);
}

/** The position a new dim takes when inserted at `dim` (in [−ndim−1, ndim]), as unsqueeze and stack use it. */
export function normalizeInsertDim(op: string, dim: number, ndim: number): number {
  checkDimType(op, dim);
  if (!Number.isInteger(dim) || dim < -ndim - 1 || dim > ndim) {
    throw new RangeError(`${op}: dim ${dim} is out of range for inserting a dim into a tensor of ${ndim} dims (expected [${-ndim - 1}, ${ndim}])`);
  }
  return dim < 0 ? dim + ndim + 1 : dim;
}

/** Normalises a list of dims, rejecting repeats. Returns them sorted ascending. */
export function normalizeDims(op: string, dims: readonly number[], ndim: number): number[] {
  const out = dims.map((d) => normalizeDim(op, d, ndim));
  const sorted = [...out].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new RangeError(`${op}: dim ${sorted[i]} appears more than once in [${dims.join(", ")}]`);
  }
  return sorted;
}

/**
 * The NumPy/PyTorch broadcast of two shapes, or a RangeError naming the op and both shapes.
 *
 * @example
 * ```ts
 * broadcastShapes("add", [3, 1], [4]); // [3, 4]
 * ```
 * @group Shape & view
 */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together (dim ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides that read a tensor of `shape`/`strides` as if it had the broadcast shape `target`:
 * stride 0 along every broadcast dim, so no data is copied.
 */
export function broadcastStrides(shape: readonly number[], strides: readonly number[], target: readonly number[]): number[] {
  const lead = target.length - shape.length;
  const out = new Array<number>(target.length);
  for (let i = 0; i < target.length; i++) {
    out[i] = i < lead || shape[i - lead] === 1 ? 0 : strides[i - lead];
  }
  return out;
}

/** True when two shapes are equal element by element. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Size arguments as PyTorch takes them: varargs `(2, 3)` or one array `([2, 3])`. */
export type SizeArgs = ReadonlyArray<number | readonly number[]>;

/**
 * Reads PyTorch-style size arguments, varargs `(2, 3)` or one array `([2, 3])`, into one array of
 * numbers. Anything else (a string, a nested array, numbers mixed with an array) throws a
 * TypeError naming `op`. The values are not range-checked here: {@link checkSizes} does that for
 * new tensors, and reshape/expand/permute check their own (-1 and negative dims are valid there).
 * `what` names the list in messages ("size", "dims").
 *
 * @example
 * ```ts
 * sizeArgs("zeros", [2, 3]);   // [2, 3]
 * sizeArgs("zeros", [[2, 3]]); // [2, 3]
 * ```
 */
export function sizeArgs(op: string, args: readonly unknown[], what = "size"): number[] {
  const list: readonly unknown[] = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== "number") {
      const form = `${op}(2, 3) or ${op}([2, 3])`;
      throw new TypeError(`${op}: ${what} must be numbers, as in ${form}; element ${i} is ${describeValue(list[i])}`);
    }
  }
  return [...(list as number[])];
}

/**
 * Checks the sizes of a tensor about to be allocated: every size a non-negative integer and the
 * element count a safe integer. Throws a RangeError naming `op`, the shape and the bad size.
 * Returns a copy of the shape.
 *
 * @example
 * ```ts
 * checkSizes("zeros", [2, -1]); // RangeError: zeros: size -1 at dim 1 of [2, -1] is not a non-negative integer
 * ```
 */
export function checkSizes(op: string, shape: readonly number[]): number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${op}: a shape must be an array of sizes like [2, 3], got ${describeValue(shape)}`);
  shape.forEach((s, i) => {
    if (typeof s !== "number") throw new TypeError(`${op}: size at dim ${i} must be a number, got ${describeValue(s)}`);
    if (!Number.isInteger(s) || s < 0) {
      throw new RangeError(`${op}: size ${s} at dim ${i} of ${fmtShape(shape)} is not a non-negative integer`);
    }
  });
  const n = numelOf(shape);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${op}: shape ${fmtShape(shape)} has ${n} elements, too many to allocate`);
  return [...shape];
}

/**
 * The size arguments of {@link zeros}, {@link ones}, {@link empty}, {@link rand} and {@link randn},
 * as PyTorch takes them: varargs `(2, 3)` or one array `([2, 3])`, optionally followed by an
 * options object: `zeros(2, 3, { dtype })`, `zeros([2, 3], { dtype })`. `zeros([])` is 0-d.
 * @group Creation
 */
export type SizeAndOptions<O> = [size: readonly number[], options?: O] | number[] | [...size: number[], options: O];

/**
 * Splits `(...size, options?)` / `(size[], options?)` arguments into the checked size and the
 * trailing options object (a plain object). Every creation function that takes sizes reads them
 * here, so `zeros(2, 3)`, `zeros([2, 3])` and `randn(2, 3, { generator })` mean what they mean in
 * PyTorch, and a negative, fractional, NaN or non-number size, or a size too large to allocate,
 * throws naming `op`.
 *
 * @example
 * ```ts
 * readSizeAndOptions("zeros", [2, 3, { dtype: "float64" }]); // [[2, 3], { dtype: "float64" }]
 * ```
 */
export function readSizeAndOptions<O>(op: string, args: readonly unknown[]): [number[], O | undefined] {
  let sizes = args;
  let options: O | undefined;
  const last = args[args.length - 1];
  if (args.length > 1 && last === undefined) sizes = args.slice(0, -1);
  else if (isPlainObject(last)) {
    sizes = args.slice(0, -1);
    options = last as O;
  }
  if (sizes.length === 0) throw new TypeError(`${op}: expected a size, as in ${op}(2, 3) or ${op}([2, 3]) (${op}([]) is 0-d)`);
  return [checkSizes(op, sizeArgs(op, sizes)), options];
}
