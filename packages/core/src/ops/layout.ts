/**
 * Layout ops: strided views that share data (diagonal, unfold, movedim, t/mT, unbind), the copies
 * that reorder or mask elements (flip, roll, rot90, tril/triu, repeat, tile, repeatInterleave,
 * diagEmbed), the splits (tensorSplit, unflatten) and meshgrid/oneHot. Linear ops are recorded as
 * adjoint pairs: the backward of a view embeds the gradient into zeros, and the backward of that
 * embedding is the view again, so `createGraph` gives gradients of any order.
 */
import { addIntoStrided, copyStrided } from "../kernels/strided.js";
import { Tensor } from "../tensor.js";
import { allocate, allocateUninitialized } from "../dtype.js";
import { fmtShape, normalizeDim, numelOf } from "../shape.js";
import { record } from "../autograd/node.js";
import { resolveOptions, optionChecks, describeValue } from "../options.js";
import { cat, narrow, permute, slice, transpose, contiguous } from "./shape.js";

/** Where a view lies in its storage. */
interface Geometry {
  shape: number[];
  strides: number[];
  offset: number;
}

/** The geometry of a view of a tensor laid out as `g` (the same rule for any input strides). */
type ViewRule = (g: Geometry) => Geometry;

function geometryOf(x: Tensor): Geometry {
  return { shape: [...x.shape], strides: [...x.strides], offset: x.offset };
}

function viewWith(data: Tensor, v: Geometry): Tensor {
  return new Tensor(data.data, v.shape, data.dtype, v.strides, v.offset);
}

/** The view `rule` of `x`; backward adds the gradient into zeros of x's shape through the same view. */
function linearView(x: Tensor, rule: ViewRule, node: string, adjointNode: string): Tensor {
  return record(viewWith(x, rule(geometryOf(x))), node, [x], (g) => [embedThroughView(g, x.shape, rule, adjointNode, node)], []);
}

/**
 * The adjoint of {@link linearView}: zeros of `shape` with `g` added through the view `rule` of
 * them (windows that overlap, as unfold's do, add up). Backward: the view of the gradient.
 */
function embedThroughView(g: Tensor, shape: readonly number[], rule: ViewRule, node: string, viewNode: string): Tensor {
  const out = new Tensor(allocate(g.dtype, numelOf(shape)), shape, g.dtype);
  const target = viewWith(out, rule(geometryOf(out)));
  addIntoStrided(target, g);
  return record(out, node, [g], (gg) => [linearView(gg, rule, viewNode, node)], []);
}

// ---------------------------------------------------------------- diagonals and triangles

function diagonalRule(offset: number, d1: number, d2: number): ViewRule {
  return ({ shape, strides, offset: start }) => {
    const length = Math.max(0, offset >= 0 ? Math.min(shape[d1], shape[d2] - offset) : Math.min(shape[d1] + offset, shape[d2]));
    const keep = shape.map((_, i) => i).filter((i) => i !== d1 && i !== d2);
    const shift = length === 0 ? 0 : offset >= 0 ? offset * strides[d2] : -offset * strides[d1];
    return {
      shape: [...keep.map((i) => shape[i]), length],
      strides: [...keep.map((i) => strides[i]), strides[d1] + strides[d2]],
      offset: start + shift,
    };
  };
}

function diagonalDims(op: string, ndim: number, offset: number, dim1: number, dim2: number): [number, number] {
  if (!Number.isInteger(offset)) throw new RangeError(`${op}: offset must be an integer, got ${offset}`);
  if (ndim < 2) throw new RangeError(`${op}: expected a tensor of at least 2 dims, got ${ndim}`);
  const d1 = normalizeDim(op, dim1, ndim);
  const d2 = normalizeDim(op, dim2, ndim);
  if (d1 === d2) throw new RangeError(`${op}: dim1 and dim2 cannot be the same dim (both ${d1})`);
  return [d1, d2];
}

/** The `offset`-th diagonal of the `dim1`×`dim2` planes, as a last dim (a view). Backward: diagEmbed. */
export function diagonal(x: Tensor, offset: number, dim1: number, dim2: number): Tensor {
  const [d1, d2] = diagonalDims("diagonal", x.ndim, offset, dim1, dim2);
  return linearView(x, diagonalRule(offset, d1, d2), "DiagonalBackward0", "DiagEmbedBackward0");
}

/** A tensor whose `dim1`×`dim2` planes hold x's last dim on their `offset`-th diagonal, zeros elsewhere. */
export function diagEmbed(x: Tensor, offset: number, dim1: number, dim2: number): Tensor {
  if (x.ndim === 0) throw new RangeError("diagEmbed: expected a tensor of at least 1 dim, got a 0-d tensor");
  const ndim = x.ndim + 1;
  const [d1, d2] = diagonalDims("diagEmbed", ndim, offset, dim1, dim2);
  const n = x.shape[x.ndim - 1] + Math.abs(offset);
  const batch = x.shape.slice(0, -1);
  const shape: number[] = [];
  for (let i = 0, b = 0; i < ndim; i++) shape.push(i === d1 || i === d2 ? n : batch[b++]);
  return embedThroughView(x, shape, diagonalRule(offset, d1, d2), "DiagEmbedBackward0", "DiagonalBackward0");
}

/** 1-D: the square matrix with x on its `k`-th diagonal; 2-D: a copy of the `k`-th diagonal. */
export function diag(x: Tensor, k: number): Tensor {
  if (x.ndim === 1) return diagEmbed(x, k, 0, 1);
  if (x.ndim === 2) return diagonal(x, k, 0, 1).clone();
  throw new RangeError(`diag: expected a 1-D or 2-D tensor, got ${x.ndim}-D ${fmtShape(x.shape)}`);
}

/** Sum of the main diagonal of a matrix. */
export function trace(x: Tensor): Tensor {
  if (x.ndim !== 2) throw new RangeError(`trace: expected a matrix (2-D), got ${x.ndim}-D ${fmtShape(x.shape)}`);
  return diagonal(x, 0, 0, 1).sum();
}

/** Keeps the elements on and below (tril) or above (triu) the `k`-th diagonal of the last two dims. */
export function triangle(x: Tensor, k: number, which: "tril" | "triu"): Tensor {
  if (x.ndim < 2) throw new RangeError(`${which}: expected a tensor of at least 2 dims, got ${x.ndim}-D ${fmtShape(x.shape)}`);
  if (!Number.isInteger(k)) throw new RangeError(`${which}: diagonal must be an integer, got ${k}`);
  const [rows, cols] = x.shape.slice(-2);
  const keep = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) keep[i * cols + j] = (which === "tril" ? j - i <= k : j - i >= k) ? 1 : 0;
  }
  const c = contiguous(x.detach());
  const out = new Tensor(allocateUninitialized(x.dtype, x.numel()), x.shape, x.dtype);
  const plane = rows * cols;
  for (let p = 0; p < out.data.length; p++) out.data[p] = keep[p % plane] ? c.data[c.offset + p] : 0;
  return record(out, which === "tril" ? "TrilBackward0" : "TriuBackward0", [x], (g) => [triangle(g, k, which)], []);
}

// ---------------------------------------------------------------- reordering

/** A copy with the order of the elements reversed along each of `dims`. Backward: flip again. */
export function flip(x: Tensor, dims: readonly number[], op = "flip"): Tensor {
  const ds = dims.map((d) => normalizeDim(op, d, x.ndim));
  if (new Set(ds).size !== ds.length) throw new RangeError(`${op}: dim appears more than once in [${dims.join(", ")}]`);
  const v = geometryOf(x);
  for (const d of ds) {
    if (x.ndim === 0 || v.shape[d] === 0) continue;
    v.offset += (v.shape[d] - 1) * v.strides[d];
    v.strides[d] = -v.strides[d];
  }
  const out = new Tensor(allocateUninitialized(x.dtype, x.numel()), x.shape, x.dtype);
  copyStrided(out, viewWith(x, v));
  return record(out, "FlipBackward0", [x], (g) => [flip(g, ds)], []);
}

/** Flips the columns (dim 1, left-right) of a tensor of at least 2 dims. */
export function fliplr(x: Tensor): Tensor {
  if (x.ndim < 2) throw new RangeError(`fliplr: expected a tensor of at least 2 dims, got ${x.ndim}-D ${fmtShape(x.shape)}`);
  return flip(x, [1], "fliplr");
}

/** Flips the rows (dim 0, up-down) of a tensor of at least 1 dim. */
export function flipud(x: Tensor): Tensor {
  if (x.ndim < 1) throw new RangeError("flipud: expected a tensor of at least 1 dim, got a 0-d tensor");
  return flip(x, [0], "flipud");
}

/** Rolls the elements `shifts` places along `dims` (wrapping around); over the flattened tensor when no dims. */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  const s = typeof shifts === "number" ? [shifts] : [...shifts];
  if (dims === undefined || (Array.isArray(dims) && dims.length === 0)) {
    if (s.length !== 1) throw new RangeError(`roll: without dims, shifts must be one number, got [${s.join(", ")}]`);
    return roll(x.flatten(), s, 0).reshape(x.shape);
  }
  if (x.ndim === 0) throw new RangeError("roll: a 0-d tensor has no dims to roll along; omit dims");
  const ds = typeof dims === "number" ? [dims] : [...(dims as readonly number[])];
  if (s.length !== ds.length) throw new RangeError(`roll: shifts [${s.join(", ")}] and dims [${ds.join(", ")}] must have the same length`);
  let out = x;
  s.forEach((shift, k) => {
    if (!Number.isInteger(shift)) throw new RangeError(`roll: shifts must be integers, got ${shift}`);
    const d = normalizeDim("roll", ds[k], x.ndim);
    const n = x.shape[d];
    if (n === 0) return;
    const r = ((shift % n) + n) % n;
    out = cat([narrow(out, d, n - r, r), narrow(out, d, 0, n - r)], d);
  });
  return out === x ? x.clone() : out;
}

/** Rotates by 90° `k` times in the plane `dims`, from the first dim towards the second. */
export function rot90(x: Tensor, k: number, dims: readonly number[]): Tensor {
  if (!Number.isInteger(k)) throw new RangeError(`rot90: k must be an integer, got ${k}`);
  if (dims.length !== 2) throw new RangeError(`rot90: dims must list 2 dims, got [${dims.join(", ")}]`);
  if (x.ndim < 2) throw new RangeError(`rot90: expected a tensor of at least 2 dims, got ${x.ndim}-D ${fmtShape(x.shape)}`);
  const [a, b] = dims.map((d) => normalizeDim("rot90", d, x.ndim));
  if (a === b) throw new RangeError(`rot90: the two dims must differ, got [${dims.join(", ")}]`);
  switch (((k % 4) + 4) % 4) {
    case 1: return transpose(flip(x, [b], "rot90"), a, b);
    case 2: return flip(x, [a, b], "rot90");
    case 3: return transpose(flip(x, [a], "rot90"), a, b);
    default: return x.clone();
  }
}

/** Moves dims `source` to positions `destination`, the others keeping their order (a view). */
export function movedim(x: Tensor, source: number | readonly number[], destination: number | readonly number[], op = "movedim"): Tensor {
  const src = typeof source === "number" ? [source] : [...source];
  const dst = typeof destination === "number" ? [destination] : [...destination];
  if (src.length !== dst.length) {
    throw new RangeError(`${op}: source [${src.join(", ")}] and destination [${dst.join(", ")}] must have the same number of dims`);
  }
  const from = src.map((d) => normalizeDim(op, d, x.ndim));
  const to = dst.map((d) => normalizeDim(op, d, x.ndim));
  if (new Set(from).size !== from.length) throw new RangeError(`${op}: repeated dim in source [${src.join(", ")}]`);
  if (new Set(to).size !== to.length) throw new RangeError(`${op}: repeated dim in destination [${dst.join(", ")}]`);
  if (x.ndim === 0) return x;
  const perm = new Array<number>(x.ndim).fill(-1);
  to.forEach((t, k) => (perm[t] = from[k]));
  const rest = x.shape.map((_, i) => i).filter((i) => !from.includes(i));
  for (let i = 0, r = 0; i < x.ndim; i++) if (perm[i] < 0) perm[i] = rest[r++];
  return permute(x, perm);
}

/** The transpose of a matrix; a 0-d or 1-d tensor as it is (a view). */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new RangeError(`t: expects a tensor of at most 2 dims, got ${x.ndim}-D ${fmtShape(x.shape)}; use transpose(dim0, dim1) or mT`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

/** The last two dims swapped (a view). */
export function matrixTranspose(x: Tensor): Tensor {
  if (x.ndim < 2) throw new RangeError(`mT: expects a tensor of at least 2 dims (matrices or batches of them), got ${x.ndim}-D ${fmtShape(x.shape)}`);
  return transpose(x, -2, -1);
}

// ---------------------------------------------------------------- repeating

function checkCounts(op: string, counts: readonly number[]): void {
  for (const c of counts) {
    if (!Number.isInteger(c) || c < 0) throw new RangeError(`${op}: repeats must be non-negative integers, got [${counts.join(", ")}]`);
  }
}

/** A copy with the data repeated `repeats[d]` times along each dim (extra leading repeats add dims). */
export function repeat(x: Tensor, repeats: readonly number[], op = "repeat"): Tensor {
  checkCounts(op, repeats);
  if (repeats.length < x.ndim) {
    throw new RangeError(`${op}: got ${repeats.length} repeats [${repeats.join(", ")}] for a ${x.ndim}-D tensor ${fmtShape(x.shape)} (need at least ${x.ndim})`);
  }
  const shape = [...new Array<number>(repeats.length - x.ndim).fill(1), ...x.shape];
  const split = shape.flatMap((s) => [1, s]);
  const expanded = shape.flatMap((s, i) => [repeats[i], s]);
  const out = x.reshape(split).expand(expanded).reshape(shape.map((s, i) => s * repeats[i]));
  return out.data === x.data ? out.clone() : out;
}

/** Like repeat, but with fewer `dims` than x has dims, the leading ones count as 1 (PyTorch's tile). */
export function tile(x: Tensor, dims: readonly number[]): Tensor {
  const full = dims.length < x.ndim ? [...new Array<number>(x.ndim - dims.length).fill(1), ...dims] : dims;
  return repeat(x, full, "tile");
}

/** Each element (slice along `dim`) repeated `repeats` times (or `repeats[i]` times), in place; flattened when no dim. */
export function repeatInterleave(x: Tensor, repeats: number | Tensor, dim?: number | null, options?: { outputSize?: number }): Tensor {
  const { outputSize } = resolveOptions("repeatInterleave", options, { outputSize: undefined as number | undefined }, { outputSize: optionChecks.intAtLeast(0) });
  if (dim === undefined || dim === null) return repeatInterleave(x.flatten(), repeats, 0, options);
  const d = normalizeDim("repeatInterleave", dim, x.ndim);
  const src = x.ndim === 0 ? x.reshape([1]) : x;
  const n = src.shape[d];
  let counts: number[];
  if (typeof repeats === "number") {
    checkCounts("repeatInterleave", [repeats]);
    counts = new Array<number>(n).fill(repeats);
  } else if (repeats instanceof Tensor) {
    if (repeats.dtype !== "int32") throw new TypeError(`repeatInterleave: repeats must be an int32 tensor or a number, got dtype ${repeats.dtype}`);
    if (repeats.ndim > 1) throw new RangeError(`repeatInterleave: repeats must be 0-d or 1-d, got shape ${fmtShape(repeats.shape)}`);
    const values = Array.from(repeats.dataSync());
    if (values.length !== 1 && values.length !== n) {
      throw new RangeError(`repeatInterleave: repeats has ${values.length} entries but dim ${d} of ${fmtShape(x.shape)} has size ${n}`);
    }
    checkCounts("repeatInterleave", values);
    counts = values.length === 1 ? new Array<number>(n).fill(values[0]) : values;
  } else {
    throw new TypeError(`repeatInterleave: repeats must be a number or an int32 tensor, got ${describeValue(repeats)}`);
  }
  const total = counts.reduce((a, b) => a + b, 0);
  if (outputSize !== undefined && outputSize !== total) {
    throw new RangeError(`repeatInterleave: outputSize ${outputSize} does not match the repeats' total ${total}`);
  }
  const index = new Int32Array(total);
  for (let i = 0, p = 0; i < n; i++) for (let r = 0; r < counts[i]; r++) index[p++] = i;
  return src.indexSelect(d, new Tensor(index, [total], "int32"));
}

// ---------------------------------------------------------------- splitting and reshaping

/** Splits into `sections` nearly equal views, or at the listed indices, along `dim` (NumPy's array_split). */
export function tensorSplit(x: Tensor, indicesOrSections: number | readonly number[] | Tensor, dim: number): Tensor[] {
  if (x.ndim === 0) throw new RangeError("tensorSplit: expected a tensor of at least 1 dim, got a 0-d tensor");
  const d = normalizeDim("tensorSplit", dim, x.ndim);
  let spec = indicesOrSections;
  if (spec instanceof Tensor) {
    if (spec.dtype !== "int32") throw new TypeError(`tensorSplit: indicesOrSections must be an int32 tensor, got dtype ${spec.dtype}`);
    if (spec.ndim > 1) throw new RangeError(`tensorSplit: indicesOrSections must be 0-d or 1-d, got shape ${fmtShape(spec.shape)}`);
    spec = spec.ndim === 0 ? spec.item() : Array.from(spec.dataSync());
  }
  const n = x.shape[d];
  if (typeof spec === "number") {
    if (!Number.isInteger(spec) || spec <= 0) throw new RangeError(`tensorSplit: the number of sections must be a positive integer, got ${spec}`);
    const [size, extra] = [Math.floor(n / spec), n % spec];
    const pieces: Tensor[] = [];
    for (let k = 0, start = 0; k < spec; k++) {
      const len = size + (k < extra ? 1 : 0);
      pieces.push(narrow(x, d, start, len));
      start += len;
    }
    return pieces;
  }
  if (!Array.isArray(spec)) throw new TypeError(`tensorSplit: indicesOrSections must be a number, an array of indices or an int32 tensor, got ${describeValue(spec)}`);
  const bounds = [undefined, ...spec, undefined] as Array<number | undefined>;
  for (const b of spec) if (!Number.isInteger(b)) throw new RangeError(`tensorSplit: indices must be integers, got [${spec.join(", ")}]`);
  return bounds.slice(1).map((end, k) => slice(x, d, bounds[k], end));
}

/** The slices along `dim`, each with that dim removed (views). */
export function unbind(x: Tensor, dim: number): Tensor[] {
  if (x.ndim === 0) throw new RangeError("unbind: a 0-d tensor has no dim to unbind");
  const d = normalizeDim("unbind", dim, x.ndim);
  return Array.from({ length: x.shape[d] }, (_, i) => x.select(d, i));
}

/** Splits dim `dim` into the dims `sizes` (one may be -1); a view when the input allows. */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  if (x.ndim === 0) throw new RangeError("unflatten: a 0-d tensor has no dim to unflatten");
  const d = normalizeDim("unflatten", dim, x.ndim);
  if (sizes.length === 0) throw new RangeError("unflatten: sizes must not be empty");
  const inferred = sizes.filter((s) => s === -1).length;
  const known = sizes.filter((s) => s !== -1).reduce((a, b) => a * b, 1);
  const n = x.shape[d];
  if (inferred > 1 || sizes.some((s) => !Number.isInteger(s) || s < -1) || (inferred === 0 ? known !== n : known === 0 || n % known !== 0)) {
    throw new RangeError(`unflatten: sizes [${sizes.join(", ")}] don't multiply up to the size ${n} of dim ${d} (shape ${fmtShape(x.shape)})`);
  }
  return x.reshape([...x.shape.slice(0, d), ...sizes, ...x.shape.slice(d + 1)]);
}

/** The sliding windows of `size` elements, `step` apart, along `dim`, as a new last dim (a view). */
export function unfold(x: Tensor, dim: number, size: number, step: number): Tensor {
  const d = normalizeDim("unfold", dim, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`unfold: step must be a positive integer, got ${step}`);
  if (!Number.isInteger(size) || size < 0 || size > n) {
    throw new RangeError(`unfold: size ${size} must be in [0, ${n}], the size of dim ${d} (shape ${fmtShape(x.shape)})`);
  }
  const rule: ViewRule = ({ shape, strides, offset }) => {
    if (shape.length === 0) return { shape: [size], strides: [1], offset };
    const s = [...shape];
    const st = [...strides];
    s[d] = Math.floor((shape[d] - size) / step) + 1;
    st[d] = strides[d] * step;
    return { shape: [...s, size], strides: [...st, strides[d]], offset };
  };
  return linearView(x, rule, "UnfoldBackward0", "UnfoldBackwardBackward0");
}

function checkSameNumel(op: string, x: Tensor, other: unknown): asserts other is Tensor {
  if (!(other instanceof Tensor)) throw new TypeError(`${op}: other must be a Tensor, got ${describeValue(other)}`);
  if (other.numel() !== x.numel()) {
    throw new RangeError(`${op}: cannot give the ${x.numel()} elements of ${fmtShape(x.shape)} the shape ${fmtShape(other.shape)} of other`);
  }
}

/** Views `x` with `other`'s shape (view rules: x must be contiguous). */
export function viewAs(x: Tensor, other: Tensor): Tensor {
  checkSameNumel("viewAs", x, other);
  if (!x.isContiguous()) {
    throw new RangeError(`viewAs: a tensor of shape ${fmtShape(x.shape)} with strides ${fmtShape(x.strides)} is not contiguous; use reshapeAs() (which copies)`);
  }
  return x.view(other.shape);
}

/** `x` reshaped to `other`'s shape. */
export function reshapeAs(x: Tensor, other: Tensor): Tensor {
  checkSameNumel("reshapeAs", x, other);
  return x.reshape(other.shape);
}

// ---------------------------------------------------------------- grids and one-hot

/**
 * Options of {@link meshgrid}: matrix or Cartesian indexing.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `indexing` | `"ij"` | `indexing` |
 *
 * @example
 * ```ts
 * const [gx, gy] = meshgrid(tensor([1, 2, 3]), tensor([4, 5]), { indexing: "xy" });
 * gx; // → [[1, 2, 3], [1, 2, 3]]
 * gy; // → [[4, 4, 4], [5, 5, 5]]
 * meshgrid(tensor([1, 2, 3]), tensor([4, 5]))[0].shape; // → [3, 2]
 * ```
 * @group Creation
 */
export interface MeshgridOptions {
  /** `"ij"` (matrix indexing, the default): output dim i follows input i. `"xy"`: the first two swapped, like NumPy's default. */
  indexing?: "ij" | "xy";
}

/**
 * Coordinate grids from 1-D tensors: with inputs of sizes n₁…n_k, k tensors of shape
 * [n₁, …, n_k] (`"ij"`), where output i holds input i's values along dim i:
 * `out_i[j₁, …, j_k] = t_i[j_i]`. With `indexing: "xy"` the first two dims are swapped
 * (shape [n₂, n₁, …]). The outputs are expanded views of the inputs (gradients sum back).
 * Takes the tensors as arguments or as one array, optionally followed by the options.
 *
 * @example
 * ```ts
 * const [ys, xs] = meshgrid(tensor([0, 1, 2]), tensor([10, 20]));
 * ys.toArray(); // [[0, 0], [1, 1], [2, 2]]
 * xs.toArray(); // [[10, 20], [10, 20], [10, 20]]
 * meshgrid([tensor([0, 1, 2]), tensor([10, 20])], { indexing: "xy" })[0].shape; // [2, 3]
 * ```
 * @group Creation
 */
export function meshgrid(tensors: readonly Tensor[], options?: MeshgridOptions): Tensor[];
export function meshgrid(...tensors: Tensor[]): Tensor[];
export function meshgrid(...args: [...Tensor[], MeshgridOptions]): Tensor[];
export function meshgrid(...args: unknown[]): Tensor[] {
  let list: unknown[] = args;
  let options: unknown;
  if (args.length > 0 && !(args.at(-1) instanceof Tensor) && !Array.isArray(args.at(-1))) {
    list = args.slice(0, -1);
    options = args.at(-1);
  }
  if (list.length === 1 && Array.isArray(list[0])) list = [...(list[0] as unknown[])];
  const { indexing } = resolveOptions("meshgrid", options, { indexing: "ij" as "ij" | "xy" }, { indexing: optionChecks.oneOf(["ij", "xy"]) });
  if (list.length === 0) throw new RangeError("meshgrid: expected at least one tensor");
  const ts = list.map((v, i) => {
    if (!(v instanceof Tensor)) throw new TypeError(`meshgrid: argument ${i} must be a Tensor, got ${describeValue(v)}`);
    if (v.ndim > 1) throw new RangeError(`meshgrid: expected 0-d or 1-d tensors, but tensor ${i} has shape ${fmtShape(v.shape)}`);
    if (v.dtype !== (list[0] as Tensor).dtype) throw new TypeError(`meshgrid: all tensors must have the same dtype, but tensor ${i} is ${v.dtype} and tensor 0 is ${(list[0] as Tensor).dtype}`);
    return v;
  });
  const swap = indexing === "xy" && ts.length >= 2;
  if (swap) [ts[0], ts[1]] = [ts[1], ts[0]];
  const shape = ts.map((v) => v.numel());
  // unsqueeze, not reshape: a view even of a strided 1-d input, as PyTorch's
  const grids = ts.map((v, i) => {
    let g = v.ndim === 0 ? v.reshape([1]) : v;
    for (let j = 0; j < i; j++) g = g.unsqueeze(0);
    for (let j = i + 1; j < shape.length; j++) g = g.unsqueeze(-1);
    return g.expand(shape);
  });
  if (swap) [grids[0], grids[1]] = [grids[1], grids[0]];
  return grids;
}

/**
 * One-hot encoding of class indices: an int32 tensor of shape [...indices.shape, numClasses] with
 * `out[..., c] = indices[...] === c ? 1 : 0`. `numClasses` -1 (the default) means `max + 1`.
 * Like PyTorch's `F.one_hot` (int32 where PyTorch gives int64); not differentiable.
 *
 * @example
 * ```ts
 * oneHot(tensor([0, 2], { dtype: "int32" }), 3).toArray(); // [[1, 0, 0], [0, 0, 1]]
 * ```
 * @group Indexing
 */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  if (!(indices instanceof Tensor)) throw new TypeError(`oneHot: indices must be an int32 Tensor, got ${describeValue(indices)}`);
  if (indices.dtype !== "int32") throw new TypeError(`oneHot: indices must be an int32 tensor of class indices, got dtype ${indices.dtype}`);
  if (!Number.isInteger(numClasses) || numClasses < -1) throw new RangeError(`oneHot: numClasses must be -1 or a non-negative integer, got ${numClasses}`);
  const values = Array.from(indices.dataSync());
  let classes = numClasses;
  if (classes === -1) {
    if (values.length === 0) throw new RangeError(`oneHot: cannot infer numClasses from an empty tensor (shape ${fmtShape(indices.shape)}); pass numClasses`);
    classes = values.reduce((m, v) => Math.max(m, v), 0) + 1;
  }
  const out = new Int32Array(values.length * classes);
  values.forEach((v, p) => {
    if (v < 0 || v >= classes) throw new RangeError(`oneHot: class index ${v} is out of range for numClasses ${classes} (expected [0, ${classes - 1}])`);
    out[p * classes + v] = 1;
  });
  return new Tensor(out, [...indices.shape, classes], "int32");
}
