/**
 * Resampling, as torch/nn/modules/upsampling.py and `F.interpolate`: nearest, nearest-exact,
 * (bi/tri)linear and bicubic interpolation of 1, 2 or 3 spatial dims, and area (adaptive average
 * pooling).
 *
 * Every mode but area is separable: along each spatial dim, output position `o` reads `k` input
 * positions with weights (nearest 1, linear 2, cubic 4), computed by PyTorch's rules in PyTorch's
 * precision (`float` arithmetic for float32 inputs, as its `opmath` type, so that nearest's floor
 * picks the same pixel), and the output is the nested weighted sum over the dims' taps, computed
 * as one pass per dim (nearest, whose taps are single copies, as one pass over all dims that
 * copies runs and repeated blocks). One kernel pair serves every mode: the forward and its adjoint
 * (a scatter of the gradient through the same taps); each is the other's backward, so gradients
 * of every order exist.
 */
import { Tensor, describeValue, optionChecks, record, resolveOptions, type DType } from "@tsgrad/core";
import { Module } from "./module.js";
import { adaptiveAvgPool1d, adaptiveAvgPool2d } from "./pooling.js";
import { checkTensor, pyFloat } from "./util.js";

type FloatArray = Float32Array | Float64Array;

/** The interpolation modes of {@link interpolate}. */
export type InterpolateMode = "nearest" | "nearest-exact" | "linear" | "bilinear" | "bicubic" | "trilinear" | "area";

/**
 * Options of {@link interpolate}: give exactly one of `size` and `scaleFactor`.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `size` | — | `size` |
 * | `scaleFactor` | — | `scale_factor` |
 * | `mode` | `"nearest"` | `mode` |
 * | `alignCorners` | `false` for the interpolating modes | `align_corners` |
 * | `recomputeScaleFactor` | `false` | `recompute_scale_factor` |
 * | `antialias` | `false` (only false: left out) | `antialias` |
 *
 * @example
 * ```ts
 * const opts: InterpolateOptions = { scaleFactor: 2, mode: "bilinear", alignCorners: true };
 * F.interpolate(zeros([1, 1, 3, 3]), opts).shape; // → [1, 1, 6, 6]
 * ```
 */
export interface InterpolateOptions {
  /** The output's spatial size: one integer for every dim, or one per dim. */
  size?: number | readonly number[];
  /** The factor of every spatial dim (or one per dim): output size `floor(in · scaleFactor)`. */
  scaleFactor?: number | readonly number[];
  /** The interpolation (default `"nearest"`). */
  mode?: InterpolateMode;
  /**
   * For linear, bilinear, bicubic and trilinear: `true` maps the corner pixels' centres onto each
   * other (source `o · (in − 1)/(out − 1)`); `false` (default) maps the pixels' outer edges
   * (source `(o + ½)·in/out − ½`, using `1/scaleFactor` for `in/out` when a scale factor is given).
   * Not allowed for nearest, nearest-exact and area.
   */
  alignCorners?: boolean;
  /**
   * With `scaleFactor`: `true` computes the output size and then interpolates with `in/out`
   * (as if that size had been given) instead of `1/scaleFactor`.
   */
  recomputeScaleFactor?: boolean;
  /** Anti-aliased downsampling: not implemented (only `false` is accepted). */
  antialias?: boolean;
}

/** Along one dim of size `n`: for each output position `o`, `k` input positions `index[o·k + j]` and their weights. */
interface Taps {
  readonly n: number;
  readonly out: number;
  readonly k: number;
  readonly index: Int32Array;
  readonly weight: Float64Array;
}

/** The rounding of PyTorch's `opmath` type: float arithmetic for float32 inputs, double for float64. */
type Round = (v: number) => number;
const roundOf = (dtype: DType): Round => (dtype === "float64" ? (v) => v : Math.fround);

/**
 * PyTorch's `area_pixel_compute_scale`: the input step per output step. `(in − 1)/(out − 1)` with
 * alignCorners, else `1/scaleFactor` when given, else `in/out`.
 */
function pixelScale(r: Round, n: number, out: number, alignCorners: boolean, scale: number | undefined): number {
  if (alignCorners) return out > 1 ? r((n - 1) / (out - 1)) : 0;
  return scale !== undefined && scale > 0 ? r(1 / scale) : r(n / out);
}

/** PyTorch's `area_pixel_compute_source_index`: the source coordinate of output `o` (clamped at 0 unless cubic). */
function sourceIndex(r: Round, scale: number, o: number, alignCorners: boolean, cubic: boolean): number {
  if (alignCorners) return r(scale * o);
  const src = r(scale * (o + 0.5) - 0.5);
  return !cubic && src < 0 ? 0 : src;
}

/** `floorf` of C: PyTorch floors source indices in float, also for float64 inputs. */
const floorf = (v: number): number => Math.floor(Math.fround(v));

/**
 * Nearest: source `min(floor(o · scale), in − 1)` (PyTorch's legacy, OpenCV's INTER_NEAREST);
 * nearest-exact: `min(floor((o + ½) · scale), in − 1)` (Pillow's and scikit-image's).
 */
function nearestTaps(r: Round, n: number, out: number, scale: number | undefined, exact: boolean): Taps {
  const s = pixelScale(r, n, out, false, scale);
  const index = new Int32Array(out);
  for (let o = 0; o < out; o++) index[o] = Math.min(floorf(exact ? (o + 0.5) * s : r(o * s)), n - 1);
  return { n, out, k: 1, index, weight: new Float64Array(out).fill(1) };
}

/** Linear: the two neighbours of the source coordinate, weighted by distance; a copy when out = in (PyTorch's shortcut). */
function linearTaps(r: Round, n: number, out: number, alignCorners: boolean, scale: number | undefined): Taps {
  const s = pixelScale(r, n, out, alignCorners, scale);
  const index = new Int32Array(2 * out);
  const weight = new Float64Array(2 * out);
  for (let o = 0; o < out; o++) {
    let i0 = o;
    let lambda1 = 0;
    if (out !== n) {
      const real = sourceIndex(r, s, o, alignCorners, false);
      i0 = Math.trunc(real);
      lambda1 = Math.min(Math.max(r(real - i0), 0), 1);
    }
    index[2 * o] = i0;
    index[2 * o + 1] = i0 < n - 1 && out !== n ? i0 + 1 : i0;
    weight[2 * o] = r(1 - lambda1);
    weight[2 * o + 1] = lambda1;
  }
  return { n, out, k: 2, index, weight };
}

/** Keys' cubic convolution with PyTorch's `A = −0.75`, at the four neighbours of the source coordinate (indices clamped to the border). */
function cubicTaps(r: Round, n: number, out: number, alignCorners: boolean, scale: number | undefined): Taps {
  const A = -0.75;
  const near = (x: number): number => r(r(r(r(r((A + 2) * x) - (A + 3)) * x) * x) + 1);
  const far = (x: number): number => r(r(r(r(r(r(A * x) - 5 * A) * x) + 8 * A) * x) - 4 * A);
  const s = pixelScale(r, n, out, alignCorners, scale);
  const index = new Int32Array(4 * out);
  const weight = new Float64Array(4 * out);
  for (let o = 0; o < out; o++) {
    const real = sourceIndex(r, s, o, alignCorners, true);
    const i = floorf(real);
    const t = r(real - i);
    const u = r(1 - t);
    const w = [far(r(t + 1)), near(t), near(u), far(r(u + 1))];
    for (let j = 0; j < 4; j++) {
      index[4 * o + j] = Math.max(0, Math.min(i + j - 1, n - 1));
      weight[4 * o + j] = w[j];
    }
  }
  return { n, out, k: 4, index, weight };
}

// ------------------------------------------------------------------------------ kernels

/**
 * One dim's pass over `src` viewed as `[outer, t.n, inner]`: `dst[p, o, i] = Σ_j w[o, j] · src[p, idx[o, j], i]`
 * into `[outer, t.out, inner]`; or, `adjoint`, the scatter of `src` (`[outer, t.out, inner]`) back
 * into `[outer, t.n, inner]`. Resampling is these passes from the last dim to the first: the same
 * sums, in the same order and precision, as PyTorch's nested `Σ_a wH_a Σ_b wW_b x[iH_a, iW_b]`, at
 * a cost linear, not multiplicative, in the taps.
 */
function pass(src: FloatArray, srcOffset: number, outer: number, inner: number, t: Taps, adjoint: boolean, dst: FloatArray): void {
  if (adjoint) passAdjoint(src, srcOffset, outer, inner, t, dst);
  else if (inner === 1) passLastDim(src, srcOffset, outer, t, dst);
  else passOuterDim(src, srcOffset, outer, inner, t, dst);
}

function passLastDim(src: FloatArray, srcOffset: number, outer: number, t: Taps, dst: FloatArray): void {
  const { n, out, k, index, weight } = t;
  for (let p = 0; p < outer; p++) {
    const sBase = srcOffset + p * n;
    const dBase = p * out;
    if (k === 2) {
      for (let o = 0; o < out; o++) dst[dBase + o] = weight[2 * o] * src[sBase + index[2 * o]] + weight[2 * o + 1] * src[sBase + index[2 * o + 1]];
      continue;
    }
    for (let o = 0; o < out; o++) {
      let sum = 0;
      for (let j = o * k, end = j + k; j < end; j++) sum += weight[j] * src[sBase + index[j]];
      dst[dBase + o] = sum;
    }
  }
}

// Rows of `inner` elements at once; the taps are summed in order, as in passLastDim (0 + a = a).
function passOuterDim(src: FloatArray, srcOffset: number, outer: number, inner: number, t: Taps, dst: FloatArray): void {
  const { n, out, k, index, weight } = t;
  for (let p = 0; p < outer; p++) {
    const sBase = srcOffset + p * n * inner;
    for (let o = 0; o < out; o++) {
      const d = (p * out + o) * inner;
      const j = o * k;
      const s0 = sBase + index[j] * inner;
      const w0 = weight[j];
      if (k === 1 && w0 === 1 && inner >= 32) {
        dst.set(src.subarray(s0, s0 + inner), d); // nearest: a row copy (memcpy), x·1 being x
      } else if (k === 1) {
        for (let i = 0; i < inner; i++) dst[d + i] = w0 * src[s0 + i];
      } else if (k === 2) {
        const s1 = sBase + index[j + 1] * inner;
        const w1 = weight[j + 1];
        for (let i = 0; i < inner; i++) dst[d + i] = w0 * src[s0 + i] + w1 * src[s1 + i];
      } else {
        for (let i = 0; i < inner; i++) dst[d + i] = w0 * src[s0 + i];
        for (let jj = j + 1; jj < j + k; jj++) {
          const s1 = sBase + index[jj] * inner;
          const w1 = weight[jj];
          for (let i = 0; i < inner; i++) dst[d + i] += w1 * src[s1 + i];
        }
      }
    }
  }
}

function passAdjoint(src: FloatArray, srcOffset: number, outer: number, inner: number, t: Taps, dst: FloatArray): void {
  const { n, out, k, index, weight } = t;
  for (let p = 0; p < outer; p++) {
    const sBase = srcOffset + p * out * inner;
    const dBase = p * n * inner;
    if (inner === 1) {
      for (let o = 0; o < out; o++) {
        const g = src[sBase + o];
        for (let j = o * k, end = j + k; j < end; j++) dst[dBase + index[j]] += weight[j] * g;
      }
      continue;
    }
    for (let o = 0; o < out; o++) {
      const s = sBase + o * inner;
      for (let j = o * k, end = j + k; j < end; j++) {
        const w = weight[j];
        const d = dBase + index[j] * inner;
        for (let i = 0; i < inner; i++) dst[d + i] += w * src[s + i];
      }
    }
  }
}

/** Whether a dim's taps each pick one input position with weight 1 (nearest and nearest-exact). */
const isNearest = (t: Taps): boolean => t.k === 1 && t.weight.every((w) => w === 1);

/**
 * Nearest resampling of the trailing dims of `[planes, ...sizes]` in one pass, without the
 * separable passes' intermediates: each output row gathers its input row through the last dim's
 * indices (a plain copy where they are the identity), and along the outer dims an output block
 * whose source index repeats the previous block's is a copy of that block (`copyWithin`, a
 * memcpy; an upsampling ×2 builds half its rows). x·1 being x, the values are the passes' exactly.
 */
function nearestKernel(src: FloatArray, srcOffset: number, planes: number, taps: readonly Taps[], dst: FloatArray): void {
  const dims = taps.length;
  // Elements per index of each dim, in the input and in the output.
  const inBlock = new Int32Array(dims);
  const outBlock = new Int32Array(dims);
  let inSize = 1;
  let outSize = 1;
  for (let d = dims - 1; d >= 0; d--) {
    inBlock[d] = inSize;
    outBlock[d] = outSize;
    inSize *= taps[d].n;
    outSize *= taps[d].out;
  }
  const last = taps[dims - 1];
  const plan: NearestPlan = {
    taps, inBlock, outBlock,
    lastCopy: last.n === last.out && last.index.every((i, o) => i === o) ? last.n : 0,
    ...indexRuns(last.index),
  };
  for (let p = 0; p < planes; p++) nearestBlock(src, srcOffset + p * inSize, dst, p * outSize, 0, plan);
}

/** What {@link nearestBlock} reads: the taps, the block sizes, and the last dim as runs. */
interface NearestPlan {
  taps: readonly Taps[];
  inBlock: Int32Array;
  outBlock: Int32Array;
  /** The last dim's length when its taps are the identity (a plain copy), else 0. */
  lastCopy: number;
  runSource: Int32Array;
  runEnd: Int32Array;
}

// The output block of dim d at `o` from the input block at `s`. Top-level functions, not
// closures, so that V8 keeps one optimized copy across calls.
function nearestBlock(src: FloatArray, s: number, dst: FloatArray, o: number, d: number, plan: NearestPlan): void {
  if (d === plan.taps.length - 1) {
    if (plan.lastCopy > 0) dst.set(src.subarray(s, s + plan.lastCopy), o);
    else nearestRow(src, s, dst, o, plan.runSource, plan.runEnd);
    return;
  }
  const { index, out } = plan.taps[d];
  const block = plan.outBlock[d];
  const step = plan.inBlock[d];
  for (let i = 0; i < out; i++) {
    const at = o + i * block;
    if (i > 0 && index[i] === index[i - 1]) dst.copyWithin(at, at - block, at);
    else nearestBlock(src, s + index[i] * step, dst, at, d + 1, plan);
  }
}

// The last dim as runs of equal indices (nearest's are non-decreasing): run r writes input
// runSource[r] to the outputs up to runEnd[r], one read per run (×2 reads each input once).
function nearestRow(src: FloatArray, s: number, dst: FloatArray, o: number, runSource: Int32Array, runEnd: Int32Array): void {
  for (let r = 0, k = o, runs = runSource.length; r < runs; r++) {
    const v = src[s + runSource[r]];
    for (const end = o + runEnd[r]; k < end; k++) dst[k] = v;
  }
}

/** The runs of equal values of `index`: each run's value and the position after its end. */
function indexRuns(index: Int32Array): { runSource: Int32Array; runEnd: Int32Array } {
  const source: number[] = [];
  const end: number[] = [];
  for (let o = 0; o < index.length; o++) {
    if (o > 0 && index[o] === index[o - 1]) end[end.length - 1] = o + 1;
    else {
      source.push(index[o]);
      end.push(o + 1);
    }
  }
  return { runSource: Int32Array.from(source), runEnd: Int32Array.from(end) };
}

/** Whether a dim's taps copy it unchanged (nearest at the same size): its pass can be skipped. */
const isIdentity = (t: Taps): boolean => t.k === 1 && t.n === t.out && t.index.every((i, o) => i === o) && t.weight.every((w) => w === 1);

/**
 * The resampling of the trailing dims of a contiguous `[planes, ...sizes]` array through `taps`
 * (one per trailing dim), or its adjoint; the result in `dtype`.
 */
function resampleKernel(src: FloatArray, srcOffset: number, planes: number, taps: readonly Taps[], adjoint: boolean, dtype: DType): FloatArray {
  if (!adjoint && taps.every(isNearest)) {
    const total = planes * taps.reduce((a, t) => a * t.out, 1);
    const dst = dtype === "float64" ? new Float64Array(total) : new Float32Array(total);
    nearestKernel(src, srcOffset, planes, taps, dst);
    return dst;
  }
  const sizes = taps.map((t) => (adjoint ? t.out : t.n));
  const order = taps.map((_, d) => d).filter((d) => !isIdentity(taps[d]));
  if (!adjoint) order.reverse(); // forward: last dim first; adjoint: the transposed passes, first dim first
  let cur = src;
  let offset = srcOffset;
  for (let step = 0; step < order.length; step++) {
    const d = order[step];
    const outer = planes * sizes.slice(0, d).reduce((a, b) => a * b, 1);
    const inner = sizes.slice(d + 1).reduce((a, b) => a * b, 1);
    sizes[d] = adjoint ? taps[d].n : taps[d].out;
    const size = outer * sizes[d] * inner;
    // In the input's precision, as PyTorch's opmath partial sums (float for float32).
    const dst = dtype === "float32" ? new Float32Array(size) : new Float64Array(size);
    pass(cur, offset, outer, inner, taps[d], adjoint, dst);
    cur = dst;
    offset = 0;
  }
  if (order.length > 0) return cur;
  // Every dim an identity: a copy of the source.
  const total = planes * sizes.reduce((a, b) => a * b, 1);
  const out = dtype === "float64" ? new Float64Array(total) : new Float32Array(total);
  out.set(src.subarray(srcOffset, srcOffset + total));
  return out;
}

/** Differentiable resampling of the trailing dims of `x` (`lead` the other dims) through `taps`. */
function resample(x: Tensor, taps: readonly Taps[], lead: readonly number[], node: string): Tensor {
  const X = x.detach().contiguous();
  const planes = lead.reduce((a, b) => a * b, 1);
  const y = new Tensor(resampleKernel(X.data as FloatArray, X.offset, planes, taps, false, x.dtype), [...lead, ...taps.map((t) => t.out)], x.dtype);
  return record(y, node, [x], (g) => [resampleAdjoint(g, taps, lead, node)], []);
}

/** The adjoint of {@link resample}: the gradient scattered back to the input's shape. */
function resampleAdjoint(g: Tensor, taps: readonly Taps[], lead: readonly number[], node: string): Tensor {
  const G = g.detach().contiguous();
  const planes = lead.reduce((a, b) => a * b, 1);
  const y = new Tensor(resampleKernel(G.data as FloatArray, G.offset, planes, taps, true, g.dtype), [...lead, ...taps.map((t) => t.n)], g.dtype);
  return record(y, node.replace(/Backward1$/, "BackwardBackward0"), [g], (gg) => [resample(gg, taps, lead, node)], []);
}

// ---------------------------------------------------------------------------- interpolate

const MODES: readonly InterpolateMode[] = ["nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area"];
/** The input rank each interpolating mode needs (the others take 3-D to 5-D). */
const MODE_RANK: Partial<Record<InterpolateMode, number>> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };
/** PyTorch's grad_fn names. */
const NODE_PREFIX: Record<Exclude<InterpolateMode, "area">, string> = {
  nearest: "UpsampleNearest", "nearest-exact": "UpsampleNearestExact", linear: "UpsampleLinear",
  bilinear: "UpsampleBilinear", bicubic: "UpsampleBicubic", trilinear: "UpsampleTrilinear",
};

/** The options {@link interpolate} and {@link Upsample} share, with their defaults and checks. */
const UPSAMPLE_DEFAULTS = {
  size: undefined as number | readonly number[] | undefined,
  scaleFactor: undefined as number | readonly number[] | undefined,
  mode: "nearest" as InterpolateMode,
  alignCorners: undefined as boolean | undefined,
  recomputeScaleFactor: undefined as boolean | undefined,
};
const UPSAMPLE_CHECKS = { mode: optionChecks.oneOf(MODES), alignCorners: optionChecks.boolean, recomputeScaleFactor: optionChecks.boolean };

const sizeList = (op: string, name: string, v: unknown, dims: number, integer: boolean): number[] => {
  const list = typeof v === "number" ? new Array<number>(dims).fill(v) : v;
  if (!Array.isArray(list) || list.some((s) => typeof s !== "number")) {
    throw new TypeError(`${op}: ${name} must be a number or an array of numbers, got ${describeValue(v)}`);
  }
  if (list.length !== dims) {
    throw new RangeError(`${op}: ${name} [${list.join(", ")}] must have one entry per spatial dim (${dims} for this input)`);
  }
  for (const s of list as number[]) {
    const ok = integer ? Number.isSafeInteger(s) && s > 0 : Number.isFinite(s) && s > 0;
    if (!ok) throw new RangeError(`${op}: ${name} must hold ${integer ? "positive integers" : "finite numbers > 0"}, got ${typeof v === "number" ? v : `[${list.join(", ")}]`}`);
  }
  return list as number[];
};

/**
 * Resizes the spatial dims of `input` — `(N, C, W)`, `(N, C, H, W)` or `(N, C, D, H, W)` — to
 * `size`, or by `scaleFactor` (output size `floor(in · scaleFactor)`), like PyTorch's
 * `F.interpolate`. Modes:
 * - `"nearest"` (default): output `o` copies input `min(floor(o · s), in − 1)`, with `s = 1/scaleFactor`
 *   if given, else `in/out` (PyTorch's legacy rule; it shifts the image by up to half a pixel);
 * - `"nearest-exact"`: input `min(floor((o + ½) · s), in − 1)`, the pixel whose area holds o's centre;
 * - `"linear"` (3-D), `"bilinear"` (4-D), `"trilinear"` (5-D): the distance-weighted mean of the two
 *   neighbours of the source coordinate along each dim (see `alignCorners`), with the coordinate
 *   clamped at 0 and the right neighbour at the border;
 * - `"bicubic"` (4-D): Keys' cubic convolution with `A = −0.75` over 4 × 4 neighbours, the indices
 *   clamped to the border (the result can overshoot the input's range);
 * - `"area"` (3-D, 4-D): adaptive average pooling to the output size.
 *
 * Index and weight arithmetic follows PyTorch's, in its precision (float for float32 inputs), so
 * the same pixels are picked. Differentiable in every mode, to any order. Inputs must be float32
 * or float64 and have non-empty spatial dims.
 *
 * Note: PyTorch 1.13's nearest backward takes shortcuts (a copy when out = in, `o >> 1` when
 * out = 2·in), and its bicubic backward copies when out = in, which the forwards do not take
 * with a scale factor that rounds to those sizes (1.1 on 5 pixels); there PyTorch's gradient is
 * not its forward's derivative. tsgrad's gradient is always the forward's.
 *
 * @example
 * ```ts
 * const x = tensor([[[1, 2, 3]]]);
 * F.interpolate(x, { size: 6 }).toArray();                         // → [[[1, 1, 2, 2, 3, 3]]]
 * F.interpolate(x, { scaleFactor: 2, mode: "linear" }).toArray();  // → [[[1, 1.25, 1.75, 2.25, 2.75, 3]]]
 * F.interpolate(x, { size: 5, mode: "linear", alignCorners: true }).toArray(); // → [[[1, 1.5, 2, 2.5, 3]]]
 * F.interpolate(zeros([2, 3, 8, 8]), { size: [4, 6], mode: "bicubic" }).shape; // → [2, 3, 4, 6]
 * ```
 * PyTorch: `torch.nn.functional.interpolate` (without `antialias`).
 */
export function interpolate(input: Tensor, options: InterpolateOptions): Tensor {
  const op = "interpolate";
  checkTensor(op, input);
  const o = resolveOptions(op, options, { ...UPSAMPLE_DEFAULTS, antialias: false }, { ...UPSAMPLE_CHECKS, antialias: optionChecks.boolean });
  const { mode } = o;
  if (o.antialias) throw new RangeError(`${op}: antialias is not implemented in tsgrad (mode "${mode}")`);
  const interpolating = mode in MODE_RANK;
  if (!interpolating && o.alignCorners !== undefined) {
    throw new RangeError(`${op}: alignCorners can only be set with the interpolating modes linear, bilinear, bicubic and trilinear, not "${mode}"`);
  }
  const alignCorners = o.alignCorners ?? false;
  if (input.dtype !== "float32" && input.dtype !== "float64") throw new TypeError(`${op}: expected a float32 or float64 input, got ${input.dtype}`);
  if (input.ndim < 3 || input.ndim > 5) {
    throw new RangeError(`${op}: expected a 3-D (N, C, W), 4-D (N, C, H, W) or 5-D (N, C, D, H, W) input, got ${input.ndim}-D input of shape [${input.shape.join(", ")}] (mode "${mode}")`);
  }
  const rank = MODE_RANK[mode];
  if ((rank !== undefined && input.ndim !== rank) || (mode === "area" && input.ndim === 5)) {
    const need = mode === "area" ? "a 3-D or 4-D" : `a ${rank}-D`;
    throw new RangeError(`${op}: mode "${mode}" needs ${need} input, got ${input.ndim}-D input of shape [${input.shape.join(", ")}]`);
  }
  const dims = input.ndim - 2;
  const inSp = input.shape.slice(2);
  if ((o.size === undefined) === (o.scaleFactor === undefined)) {
    throw new RangeError(`${op}: give exactly one of size and scaleFactor, got ${o.size === undefined ? "neither" : "both"}`);
  }
  if (o.recomputeScaleFactor && o.size !== undefined) throw new RangeError(`${op}: recomputeScaleFactor is not meaningful with an explicit size`);
  let outSp: number[];
  let scales: Array<number | undefined>;
  if (o.size !== undefined) {
    outSp = sizeList(op, "size", o.size, dims, true);
    scales = new Array<number | undefined>(dims).fill(undefined);
  } else {
    const factors = sizeList(op, "scaleFactor", o.scaleFactor, dims, false);
    // PyTorch converts in·factor (a double) to an integer: truncation.
    outSp = inSp.map((n, d) => Math.trunc(n * factors[d]));
    scales = o.recomputeScaleFactor || mode === "area" ? factors.map(() => undefined) : factors;
  }
  if (inSp.some((n) => n <= 0) || outSp.some((n) => n <= 0)) {
    throw new RangeError(`${op}: input and output sizes should be greater than 0, got input [${inSp.join(", ")}] and output [${outSp.join(", ")}] (input shape [${input.shape.join(", ")}])`);
  }
  if (mode === "area") return dims === 1 ? adaptiveAvgPool1d(input, outSp[0]) : adaptiveAvgPool2d(input, outSp as [number, number]);
  const r = roundOf(input.dtype);
  const taps = inSp.map((n, d): Taps => {
    const [out, scale] = [outSp[d], scales[d]];
    if (mode === "nearest" || mode === "nearest-exact") return nearestTaps(r, n, out, scale, mode === "nearest-exact");
    if (mode === "bicubic") return cubicTaps(r, n, out, alignCorners, scale);
    return linearTaps(r, n, out, alignCorners, scale);
  });
  return resample(input, taps, input.shape.slice(0, 2), `${NODE_PREFIX[mode]}${dims}DBackward1`);
}

// ---------------------------------------------------------------------------------- layers

/**
 * Options of {@link Upsample}: {@link InterpolateOptions} without `antialias`.
 *
 * @example
 * ```ts
 * const opts: UpsampleOptions = { size: [4, 6], mode: "bicubic", alignCorners: true };
 * new Upsample(opts).forward(zeros([1, 1, 2, 3])).shape; // → [1, 1, 4, 6]
 * ```
 */
export type UpsampleOptions = Omit<InterpolateOptions, "antialias">;

const tupleRepr = (v: number | readonly number[], fmt: (n: number) => string): string =>
  typeof v === "number" ? fmt(v) : `(${v.map(fmt).join(", ")}${v.length === 1 ? "," : ""})`;

/**
 * Upsamples (or downsamples) `(N, C, W)`, `(N, C, H, W)` or `(N, C, D, H, W)` inputs to `size` or
 * by `scaleFactor`, with any mode of {@link interpolate}: the layer form of `F.interpolate`.
 *
 * @example
 * ```ts
 * const up = new Upsample({ scaleFactor: 2, mode: "bilinear" });
 * up.forward(zeros([1, 3, 16, 16])).shape; // → [1, 3, 32, 32]
 * String(up);                              // → 'Upsample(scaleFactor=2.0, mode="bilinear")'
 * ```
 * PyTorch: `torch.nn.Upsample`.
 * @group Resampling
 */
export class Upsample extends Module {
  static override readonly typeName: string = "Upsample";
  /** The output size, if given. */
  readonly size: number | readonly number[] | undefined;
  /** The scale factor, if given. */
  readonly scaleFactor: number | readonly number[] | undefined;
  /** The interpolation mode. */
  readonly mode: InterpolateMode;
  /** See {@link InterpolateOptions.alignCorners}. */
  readonly alignCorners: boolean | undefined;
  /** See {@link InterpolateOptions.recomputeScaleFactor}. */
  readonly recomputeScaleFactor: boolean | undefined;

  constructor(options: UpsampleOptions = {}) {
    super();
    const op = typeNameOfCtor(new.target);
    const o = resolveOptions(op, options, UPSAMPLE_DEFAULTS, UPSAMPLE_CHECKS);
    if ((o.size === undefined) === (o.scaleFactor === undefined)) {
      throw new RangeError(`${op}: give exactly one of size and scaleFactor, got ${o.size === undefined ? "neither" : "both"}`);
    }
    this.size = typeof o.size === "number" ? o.size : o.size && [...o.size];
    this.scaleFactor = typeof o.scaleFactor === "number" ? o.scaleFactor : o.scaleFactor && [...o.scaleFactor];
    this.mode = o.mode;
    this.alignCorners = o.alignCorners;
    this.recomputeScaleFactor = o.recomputeScaleFactor;
  }

  /** {@link interpolate} with this layer's options. */
  forward(x: Tensor): Tensor {
    try {
      return interpolate(x, {
        size: this.size, scaleFactor: this.scaleFactor, mode: this.mode, alignCorners: this.alignCorners,
        recomputeScaleFactor: this.recomputeScaleFactor,
      });
    } catch (e) {
      if (e instanceof RangeError || e instanceof TypeError) throw new (e.constructor as ErrorConstructor)(`${typeNameOfCtor(this.constructor)}: ${e.message}`);
      throw e;
    }
  }

  override extraRepr(): string {
    const what = this.scaleFactor !== undefined ? `scaleFactor=${tupleRepr(this.scaleFactor, pyFloat)}` : `size=${tupleRepr(this.size!, String)}`;
    return `${what}, mode="${this.mode}"`;
  }
}

const typeNameOfCtor = (ctor: unknown): string => (ctor as { typeName?: string }).typeName ?? "Upsample";

/**
 * Options of {@link UpsamplingNearest2d} and {@link UpsamplingBilinear2d}: give one of them.
 *
 * @example
 * ```ts
 * new UpsamplingNearest2d({ size: [3, 2] }).forward(ones([1, 1, 1, 1])).shape; // → [1, 1, 3, 2]
 * ```
 */
export interface UpsamplingOptions {
  /** The output's spatial size (one integer for both dims, or `[H, W]`). */
  size?: number | readonly number[];
  /** The factor of both spatial dims, or `[h, w]`. */
  scaleFactor?: number | readonly number[];
}

/**
 * Nearest upsampling of `(N, C, H, W)`: `Upsample` with mode `"nearest"` (PyTorch keeps it for
 * compatibility; prefer {@link Upsample}).
 *
 * @example
 * ```ts
 * new UpsamplingNearest2d({ scaleFactor: 2 }).forward(tensor([[[[1, 2]]]])).toArray(); // → [[[[1, 1, 2, 2], [1, 1, 2, 2]]]]
 * ```
 * PyTorch: `torch.nn.UpsamplingNearest2d`.
 * @group Resampling
 */
export class UpsamplingNearest2d extends Upsample {
  static override readonly typeName: string = "UpsamplingNearest2d";
  constructor(options: UpsamplingOptions = {}) {
    super({ ...resolveOptions("UpsamplingNearest2d", options, { size: undefined as UpsamplingOptions["size"], scaleFactor: undefined as UpsamplingOptions["scaleFactor"] }), mode: "nearest" });
  }
}

/**
 * Bilinear upsampling of `(N, C, H, W)` with `alignCorners: true`: `Upsample` with mode
 * `"bilinear"` (PyTorch keeps it for compatibility; prefer {@link Upsample}).
 *
 * @example
 * ```ts
 * new UpsamplingBilinear2d({ size: [1, 3] }).forward(tensor([[[[0, 4]]]])).toArray(); // → [[[[0, 2, 4]]]]
 * ```
 * PyTorch: `torch.nn.UpsamplingBilinear2d`.
 * @group Resampling
 */
export class UpsamplingBilinear2d extends Upsample {
  static override readonly typeName: string = "UpsamplingBilinear2d";
  constructor(options: UpsamplingOptions = {}) {
    super({ ...resolveOptions("UpsamplingBilinear2d", options, { size: undefined as UpsamplingOptions["size"], scaleFactor: undefined as UpsamplingOptions["scaleFactor"] }), mode: "bilinear", alignCorners: true });
  }
}
