/**
 * Shape ops: views that share data (reshape of contiguous tensors, transpose, permute, squeeze,
 * unsqueeze, expand, narrow/select/slice) and copies (contiguous, cat), each with its backward.
 */
import { copyStrided } from "../kernels/strided.js";
import { Tensor } from "../tensor.js";
import { traceHook } from "../trace-hook.js";
import { allocate, allocateUninitialized, promoteTypes } from "../dtype.js";
import { contiguousStrides, fmtShape, normalizeDim, normalizeExistingDim, normalizeInsertDim, numelOf, broadcastStrides, sameShape } from "../shape.js";
import { isRecording, record } from "../autograd/node.js";
import { sumToShape } from "./helpers.js";

function view(x: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  return new Tensor(x.data, shape, x.dtype, strides, offset);
}

/** Copies `src` (broadcast to dst's shape) into the strided view `dst`. */
export function assignInto(dst: Tensor, src: Tensor): void {
  const strides = broadcastStrides(src.shape, src.strides, dst.shape);
  copyStrided(dst, { data: src.data, offset: src.offset, strides, shape: dst.shape });
}

function resolveShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  const n = x.numel();
  let infer = -1;
  let known = 1;
  shape.forEach((s, i) => {
    if (s === -1) {
      if (infer >= 0) throw new RangeError(`${op}: only one dimension can be inferred (-1) in ${fmtShape(shape)}`);
      infer = i;
    } else if (!Number.isInteger(s) || s < 0) {
      throw new RangeError(`${op}: invalid size ${s} in shape ${fmtShape(shape)}`);
    } else {
      known *= s;
    }
  });
  const out = [...shape];
  if (infer >= 0) {
    if (known === 0 || n % known !== 0) throw new RangeError(`${op}: shape ${fmtShape(shape)} is invalid for input of size ${n}`);
    out[infer] = n / known;
  } else if (known !== n) {
    throw new RangeError(`${op}: shape ${fmtShape(shape)} is invalid for input of size ${n} (shape ${fmtShape(x.shape)})`);
  }
  return out;
}

/** Same elements, new shape: a view of a contiguous tensor, else (reshape only) a copy. */
export function reshape(x: Tensor, shape: readonly number[], op: "reshape" | "view"): Tensor {
  const target = resolveShape(op, x, shape);
  if (sameShape(target, x.shape)) return x;
  let src = x;
  if (!x.isContiguous()) {
    if (op === "view") {
      throw new RangeError(`view: a tensor of shape ${fmtShape(x.shape)} with strides ${fmtShape(x.strides)} is not contiguous; use reshape() (which copies) or call contiguous() first`);
    }
    src = contiguous(x.detach());
  }
  const out = view(src, target, contiguousStrides(target), src.offset);
  if (!isRecording(x)) return out;
  return record(out, op === "view" ? "ViewBackward0" : "ReshapeAliasBackward0", [x], (g) => [g.reshape(x.shape)], []);
}

/** Flattens dims `startDim..endDim` into one. */
export function flatten(x: Tensor, startDim: number, endDim: number): Tensor {
  const s = normalizeDim("flatten", startDim, x.ndim);
  const e = normalizeDim("flatten", endDim, x.ndim);
  if (x.ndim === 0) return x.reshape([1]);
  if (s > e) throw new RangeError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const size = x.shape.slice(s, e + 1).reduce((p, v) => p * v, 1);
  return x.reshape([...x.shape.slice(0, s), size, ...x.shape.slice(e + 1)]);
}

/** Reorders dims; a view. Backward applies the inverse permutation. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw new RangeError(`permute: got ${dims.length} dims [${dims.join(", ")}] for a tensor of ${x.ndim} dims`);
  }
  const perm = dims.map((d) => normalizeDim("permute", d, x.ndim));
  if (new Set(perm).size !== perm.length) throw new RangeError(`permute: repeated dim in [${dims.join(", ")}]`);
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  const out = view(x, perm.map((p) => x.shape[p]), perm.map((p) => x.strides[p]), x.offset);
  if (!isRecording(x)) return out;
  return record(out, "PermuteBackward0", [x], (g) => [g.permute(inverse)], []);
}

/** Swaps two dims; a view. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim("transpose", dim0, x.ndim);
  const b = normalizeDim("transpose", dim1, x.ndim);
  if (x.ndim === 0) return x;
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** Removes size-1 dims (all of them, or `dim` if it has size 1); a view. */
export function squeeze(x: Tensor, dim?: number): Tensor {
  const d = dim === undefined ? -1 : normalizeDim("squeeze", dim, x.ndim);
  if (x.ndim === 0) return x;
  const keep = x.shape.map((s, i) => !(s === 1 && (d === -1 || d === i)));
  if (keep.every(Boolean)) return x;
  const out = view(x, x.shape.filter((_, i) => keep[i]), x.strides.filter((_, i) => keep[i]), x.offset);
  if (!isRecording(x)) return out;
  return record(out, "SqueezeBackward0", [x], (g) => [g.reshape(x.shape)], []);
}

/** Inserts a size-1 dim at `dim` (in [−ndim−1, ndim]); a view. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeInsertDim("unsqueeze", dim, x.ndim);
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x.ndim ? x.strides[d] * x.shape[d] : 1);
  const out = view(x, shape, strides, x.offset);
  if (!isRecording(x)) return out;
  return record(out, "UnsqueezeBackward0", [x], (g) => [g.reshape(x.shape)], []);
}

/** Broadcasts to `shape` without copying (stride 0 on new and size-1 dims); -1 keeps a size. `op` names it in errors (broadcastTo). */
export function expand(x: Tensor, shape: readonly number[], op = "expand"): Tensor {
  if (shape.length < x.ndim) {
    throw new RangeError(`${op}: the target shape ${fmtShape(shape)} has fewer dims than the tensor's ${fmtShape(x.shape)}`);
  }
  const lead = shape.length - x.ndim;
  const target = shape.map((s, i) => {
    const own = i < lead ? undefined : x.shape[i - lead];
    if (s === -1) {
      if (own === undefined) throw new RangeError(`${op}: -1 is not allowed for the new leading dim ${i} in ${fmtShape(shape)}`);
      return own;
    }
    if (!Number.isInteger(s) || s < 0) {
      throw new RangeError(`${op}: size ${s} at dim ${i} of ${fmtShape(shape)} is not valid (sizes are non-negative integers, or -1 to keep a size)`);
    }
    if (own !== undefined && own !== 1 && own !== s) {
      throw new RangeError(
        `${op}: the expanded size ${s} must match the existing size ${own} at non-singleton dim ${i} (target ${fmtShape(shape)}, tensor ${fmtShape(x.shape)})`,
      );
    }
    return s;
  });
  if (sameShape(target, x.shape)) return x;
  const out = view(x, target, broadcastStrides(x.shape, x.strides, target), x.offset);
  if (!isRecording(x)) return out;
  return record(out, "ExpandBackward0", [x], (g) => [sumToShape(g, x.shape)], []);
}

/** `x` itself if contiguous, else a row-major copy (gradient passes through). */
export function contiguous(x: Tensor): Tensor {
  if (x.isContiguous()) return x;
  const out = new Tensor(allocateUninitialized(x.dtype, x.numel()), x.shape, x.dtype);
  assignInto(out, x);
  return record(out, "CloneBackward0", [x], (g) => [g], []);
}

/** The strided slice `start, start + step, …` (`length` entries) along `dim`: a view. */
function sliceView(x: Tensor, d: number, start: number, length: number, step: number): Tensor {
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape[d] = length;
  strides[d] = x.strides[d] * step;
  const out = view(x, shape, strides, x.offset + start * x.strides[d]);
  return record(out, "SliceBackward0", [x], (g) => [sliceBackward(g, x.shape, d, start, length, step)], []);
}

// The adjoint of sliceView: zeros of the input's shape with `g` written into the slice.
function sliceBackward(g: Tensor, shape: readonly number[], d: number, start: number, length: number, step: number): Tensor {
  const out = new Tensor(allocate(g.dtype, numelOf(shape)), shape, g.dtype);
  if (length > 0) assignInto(sliceView(out.detach(), d, start, length, step), g);
  return record(out, "SliceBackwardBackward0", [g], (gg) => [sliceView(gg, d, start, length, step)], []);
}

// narrow's start: a number or, as in PyTorch, a 0-d integer tensor.
function startValue(start: number | Tensor): number {
  if (typeof start === "number") return start;
  if (start instanceof Tensor && start.ndim === 0 && start.dtype === "int32") return start.item();
  throw new TypeError(`narrow: start must be an integer or a 0-d int32 tensor, got ${start instanceof Tensor ? `a ${start.dtype} tensor of shape ${fmtShape(start.shape)}` : typeof start}`);
}

/** The slice `start .. start + length` along `dim`; a view. */
export function narrow(x: Tensor, dim: number, start: number | Tensor, length: number): Tensor {
  const d = normalizeExistingDim("narrow", dim, x.shape);
  const size = x.shape[d];
  const first = startValue(start);
  const s = first < 0 ? first + size : first;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > size) {
    throw new RangeError(`narrow: start ${start} and length ${length} are out of range for dim ${d} of size ${size} (shape ${fmtShape(x.shape)})`);
  }
  return sliceView(x, d, s, length, 1);
}

/** The entry `index` along `dim`, that dim removed; a view. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normalizeExistingDim("select", dim, x.shape);
  const size = x.shape[d];
  const i = index < 0 ? index + size : index;
  if (!Number.isInteger(i) || i < 0 || i >= size) {
    throw new RangeError(`select: index ${index} is out of range for dim ${d} of size ${size} (shape ${fmtShape(x.shape)})`);
  }
  return sliceView(x, d, i, 1, 1).squeeze(d);
}

/** Python-style `start:end:step` along `dim` (positive step; out-of-range bounds clipped); a view. */
export function slice(x: Tensor, dim: number, start?: number, end?: number, step = 1): Tensor {
  const d = normalizeExistingDim("slice", dim, x.shape);
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`slice: step must be a positive integer, got ${step}`);
  const size = x.shape[d];
  const clip = (v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    const w = v < 0 ? v + size : v;
    return Math.min(Math.max(w, 0), size);
  };
  const s = clip(start, 0);
  const e = clip(end, size);
  const length = e > s ? Math.ceil((e - s) / step) : 0;
  return sliceView(x, d, s, length, step);
}

/** Splits along `dim` into pieces of `splitSize` (the last may be smaller) or of the listed sizes. */
export function split(x: Tensor, splitSize: number | readonly number[], dim: number): Tensor[] {
  const d = normalizeExistingDim("split", dim, x.shape);
  const size = x.shape[d];
  let sizes: number[];
  if (typeof splitSize === "number") {
    if (!Number.isInteger(splitSize) || splitSize <= 0) throw new RangeError(`split: splitSize must be a positive integer, got ${splitSize}`);
    sizes = [];
    for (let s = 0; s < size; s += splitSize) sizes.push(Math.min(splitSize, size - s));
    if (size === 0) sizes.push(0); // PyTorch: an empty dim still splits into one (empty) piece
  } else {
    sizes = [...splitSize];
    if (sizes.some((s) => !Number.isInteger(s) || s < 0)) throw new RangeError(`split: sizes must be non-negative integers, got [${sizes.join(", ")}]`);
    const total = sizes.reduce((p, v) => p + v, 0);
    if (total !== size) throw new RangeError(`split: sizes [${sizes.join(", ")}] sum to ${total}, but dim ${d} has size ${size}`);
  }
  let start = 0;
  return sizes.map((len) => {
    const piece = narrow(x, d, start, len);
    start += len;
    return piece;
  });
}

/** Splits into `chunks` pieces of size ⌈n/chunks⌉ along `dim` (fewer when n is small; `chunks` empty pieces when n is 0). */
export function chunk(x: Tensor, chunks: number, dim: number): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new RangeError(`chunk: chunks must be a positive integer, got ${chunks}`);
  const d = normalizeExistingDim("chunk", dim, x.shape);
  if (x.shape[d] === 0) return split(x, new Array<number>(chunks).fill(0), d);
  return split(x, Math.ceil(x.shape[d] / chunks), d);
}

// A 1-D tensor of size 0, which PyTorch's cat skips whatever the other shapes (legacy behaviour).
const isLegacyEmpty = (t: Tensor): boolean => t.ndim === 1 && t.shape[0] === 0;

/**
 * Concatenates tensors along `dim`; all must have the same rank and the same sizes off `dim`,
 * except that 1-D empty tensors are skipped, as in PyTorch. Dtypes promote. Backward hands each
 * input its slice of the gradient.
 *
 * @example
 * ```ts
 * cat([zeros([2, 3]), ones([1, 3])], 0).shape; // [3, 3]
 * ```
 * @group Shape & view
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (traceHook !== null) return traceHook("cat", cat, [tensors, dim]) as Tensor;
  if (!Array.isArray(tensors) || tensors.length === 0) throw new RangeError("cat: expected a non-empty array of tensors");
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`cat: element ${i} is not a Tensor`);
    if (t.ndim === 0) throw new RangeError(`cat: zero-dimensional tensor (at position ${i}, shape []) cannot be concatenated; use stack()`);
  });
  const skipped = tensors.map((t) => isLegacyEmpty(t) && !tensors.every(isLegacyEmpty));
  const firstIndex = skipped.indexOf(false);
  const first = tensors[firstIndex];
  const d = normalizeDim("cat", dim, first.ndim);
  let dtype = first.dtype;
  let total = 0;
  tensors.forEach((t, i) => {
    dtype = promoteTypes(dtype, t.dtype);
    if (skipped[i]) return;
    if (t.ndim !== first.ndim) {
      throw new RangeError(`cat: tensor ${i} has ${t.ndim} dims (shape ${fmtShape(t.shape)}) but tensor ${firstIndex} has ${first.ndim} (shape ${fmtShape(first.shape)})`);
    }
    t.shape.forEach((s: number, j: number) => {
      if (j !== d && s !== first.shape[j]) {
        throw new RangeError(`cat: sizes must match except in dim ${d}; tensor ${i} has shape ${fmtShape(t.shape)}, tensor ${firstIndex} has ${fmtShape(first.shape)}`);
      }
    });
    total += t.shape[d];
  });
  const shape = [...first.shape];
  shape[d] = total;
  const out = new Tensor(allocateUninitialized(dtype, numelOf(shape), "cat"), shape, dtype);
  const offsets: number[] = [];
  let start = 0;
  tensors.forEach((t, i) => {
    offsets.push(start);
    if (skipped[i]) return;
    if (t.shape[d] > 0) assignInto(narrow(out, d, start, t.shape[d]), t.dtype === dtype ? t : t.detach().to(dtype));
    start += t.shape[d];
  });
  return record(out, "CatBackward0", tensors, (g) =>
    tensors.map((t, i) => {
      if (!t.requiresGrad) return null;
      return skipped[i] ? new Tensor(allocate(t.dtype, 0), [0], t.dtype) : narrow(g, d, offsets[i], t.shape[d]).to(t.dtype);
    }),
  [],
  );
}

/**
 * Stacks same-shape tensors along a new dim `dim`.
 *
 * @example
 * ```ts
 * stack([tensor([1, 2]), tensor([3, 4])], 0).toArray(); // [[1, 2], [3, 4]]
 * ```
 * @group Shape & view
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (traceHook !== null) return traceHook("stack", stack, [tensors, dim]) as Tensor;
  if (!Array.isArray(tensors) || tensors.length === 0) throw new RangeError("stack: expected a non-empty array of tensors");
  const first = tensors[0];
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`stack: element ${i} is not a Tensor`);
    if (!sameShape(t.shape, first.shape)) {
      throw new RangeError(`stack: expects each tensor to be the same shape, but tensor ${i} has ${fmtShape(t.shape)} and tensor 0 has ${fmtShape(first.shape)}`);
    }
  });
  const d = normalizeInsertDim("stack", dim, first.ndim);
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}
