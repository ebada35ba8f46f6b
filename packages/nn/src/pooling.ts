/**
 * Pooling layers, as torch/nn/modules/pooling.py: max, average, adaptive, power-average pooling
 * and max unpooling, 1-d and 2-d, with their functional forms (`F.maxPool2d`, ...).
 *
 * Every window is a product of per-dim tap lists (the input positions one output position reads
 * along that dim), so one pair of fused kernels serves plain, strided, dilated, padded, ceil-mode
 * and adaptive windows. Max pooling keeps PyTorch's pick: the first maximum in the window (row
 * by row), except that a NaN wins (the last one seen); indices are flat within each plane
 * (`h·W + w`), as PyTorch's. The backward rules are the kernels' adjoints (a scatter of the
 * gradient to the argmax, a spread of it over the window), each the other's backward, so
 * gradients of every order exist.
 */
import { Tensor, ValuesIndices, convTuple, describeValue, optionChecks, record, resolveOptions, type DType } from "@tsgrad/core";
import { Module } from "./module.js";
import { checkTensor } from "./util.js";
import type { SizeN } from "./conv.js";

type FloatArray = Float32Array | Float64Array;

const allocate = (dtype: DType, n: number): FloatArray => (dtype === "float64" ? new Float64Array(n) : new Float32Array(n));

/** The input positions each output position reads along one dim, and the divisor factor. */
interface DimTaps {
  /** taps[o]: the in-range input indices of output position o along this dim. */
  readonly taps: Int32Array[];
  /** For average pooling, this dim's factor of the divisor at o. */
  readonly div: Float64Array;
}

/** A pooling geometry over planes: input sizes [D, H, W] (leading 1s for lower ranks) and taps per dim. */
interface PoolGeometry {
  readonly input: readonly [number, number, number];
  readonly dims: readonly [DimTaps, DimTaps, DimTaps];
}

const SINGLE: DimTaps = { taps: [Int32Array.of(0)], div: Float64Array.of(1) };

const outSizes = (g: PoolGeometry): [number, number, number] => [g.dims[0].taps.length, g.dims[1].taps.length, g.dims[2].taps.length];
const numel = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

// ------------------------------------------------------------------------------------- kernels

/** Max over each window of each plane: values and flat in-plane indices (PyTorch's pick). */
function maxKernel(x: Tensor, planes: number, g: PoolGeometry): { values: Tensor; indices: Int32Array } {
  const X = x.contiguous();
  const [, H, W] = g.input;
  const inPlane = numel(g.input);
  const [OD, OH, OW] = outSizes(g);
  const outPlane = OD * OH * OW;
  const values = allocate(x.dtype, planes * outPlane);
  const indices = new Int32Array(planes * outPlane);
  const [td, th, tw] = [g.dims[0].taps, g.dims[1].taps, g.dims[2].taps];
  const data = X.data;
  if (g.input[0] === 1 && pairs(th) && pairs(tw)) {
    max2x2(data as FloatArray, X.offset, planes, H, W, OH, OW, values, indices);
    return { values: new Tensor(values, [planes * outPlane], x.dtype), indices };
  }
  for (let p = 0; p < planes; p++) {
    const base = X.offset + p * inPlane;
    let o = p * outPlane;
    for (let od = 0; od < OD; od++) {
      const ds = td[od];
      for (let oh = 0; oh < OH; oh++) {
        const hs = th[oh];
        for (let ow = 0; ow < OW; ow++, o++) {
          const ws = tw[ow];
          let best = -Infinity;
          // The first tap, where PyTorch's maxindex starts (kept for an all -Infinity window).
          let at = ds.length && hs.length && ws.length ? (ds[0] * H + hs[0]) * W + ws[0] : 0;
          for (let a = 0; a < ds.length; a++) {
            for (let b = 0; b < hs.length; b++) {
              const row = (ds[a] * H + hs[b]) * W;
              for (let c = 0; c < ws.length; c++) {
                const v = data[base + row + ws[c]];
                if (v > best || v !== v) { best = v; at = row + ws[c]; }
              }
            }
          }
          values[o] = best;
          indices[o] = at;
        }
      }
    }
  }
  return { values: new Tensor(values, [planes * outPlane], x.dtype), indices };
}

// True when window o reads exactly input positions 2o and 2o + 1 (kernel 2, stride 2, no padding).
function pairs(taps: readonly Int32Array[]): boolean {
  for (let o = 0; o < taps.length; o++) {
    const t = taps[o];
    if (t.length !== 2 || t[0] !== 2 * o || t[1] !== 2 * o + 1) return false;
  }
  return true;
}

/**
 * maxKernel for 2×2 windows at stride 2 (LeNet's pooling), the four taps unrolled: the same pick
 * as the general loop (its -∞ start and first tap are the first tap's value and index).
 */
function max2x2(
  data: FloatArray, off: number, planes: number, H: number, W: number, OH: number, OW: number, values: FloatArray, indices: Int32Array,
): void {
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = off + p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const top = 2 * oh * W;
      for (let ow = 0; ow < OW; ow++, o++) {
        const i0 = top + 2 * ow;
        const i2 = i0 + W;
        let best = data[base + i0];
        let at = i0;
        let v = data[base + i0 + 1];
        if (v > best || v !== v) { best = v; at = i0 + 1; }
        v = data[base + i2];
        if (v > best || v !== v) { best = v; at = i2; }
        v = data[base + i2 + 1];
        if (v > best || v !== v) { best = v; at = i2 + 1; }
        values[o] = best;
        indices[o] = at;
      }
    }
  }
}

/** out[p, i] = x[p, idx[p, o]] summed into plane positions: the scatter that max pooling's backward is. */
function scatterKernel(g: Tensor, idx: Int32Array, inPlane: number, outPlane: number, planes: number, add: boolean): FloatArray {
  const G = g.contiguous();
  const out = allocate(g.dtype, planes * inPlane);
  for (let p = 0; p < planes; p++) {
    const to = p * inPlane;
    const from = p * outPlane;
    for (let o = 0; o < outPlane; o++) {
      if (add) out[to + idx[from + o]] += G.data[G.offset + from + o];
      else out[to + idx[from + o]] = G.data[G.offset + from + o];
    }
  }
  return out;
}

function gatherKernel(x: Tensor, idx: Int32Array, inPlane: number, outPlane: number, planes: number): FloatArray {
  const X = x.contiguous();
  const out = allocate(x.dtype, planes * outPlane);
  for (let p = 0; p < planes; p++) {
    const from = X.offset + p * inPlane;
    for (let o = 0; o < outPlane; o++) out[p * outPlane + o] = X.data[from + idx[p * outPlane + o]];
  }
  return out;
}

/**
 * The windowed mean (or sum / divisor) of each plane, and its adjoint: `adjoint` spreads each
 * output entry, divided by its divisor, over its window. `constDiv` replaces the per-dim divisor.
 */
function meanKernel(x: Tensor, planes: number, g: PoolGeometry, constDiv: number | null, adjoint: boolean): FloatArray {
  const X = x.contiguous();
  const [, H, W] = g.input;
  const inPlane = numel(g.input);
  const [OD, OH, OW] = outSizes(g);
  const outPlane = OD * OH * OW;
  const out = allocate(x.dtype, planes * (adjoint ? inPlane : outPlane));
  const [d0, d1, d2] = g.dims;
  const data = X.data;
  for (let p = 0; p < planes; p++) {
    const imgBase = p * inPlane;
    let o = p * outPlane;
    for (let od = 0; od < OD; od++) {
      const ds = d0.taps[od];
      for (let oh = 0; oh < OH; oh++) {
        const hs = d1.taps[oh];
        for (let ow = 0; ow < OW; ow++, o++) {
          const ws = d2.taps[ow];
          const div = constDiv ?? d0.div[od] * d1.div[oh] * d2.div[ow];
          if (adjoint) {
            const v = div > 0 ? data[X.offset + o] / div : 0;
            for (let a = 0; a < ds.length; a++) {
              for (let b = 0; b < hs.length; b++) {
                const row = imgBase + (ds[a] * H + hs[b]) * W;
                for (let c = 0; c < ws.length; c++) out[row + ws[c]] += v;
              }
            }
          } else {
            let s = 0;
            for (let a = 0; a < ds.length; a++) {
              for (let b = 0; b < hs.length; b++) {
                const row = X.offset + imgBase + (ds[a] * H + hs[b]) * W;
                for (let c = 0; c < ws.length; c++) s += data[row + ws[c]];
              }
            }
            out[o] = ds.length && hs.length && ws.length ? s / div : 0;
          }
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- differentiable plane ops

// Shapes: x [..planes, ...in], results [..planes, ...out]; `lead` are the non-spatial dims.
function planeGather(x: Tensor, idx: Int32Array, lead: readonly number[], inSp: readonly number[], outSp: readonly number[]): Tensor {
  const planes = numel(lead);
  const y = new Tensor(gatherKernel(x.detach(), idx, numel(inSp), numel(outSp), planes), [...lead, ...outSp], x.dtype);
  return record(y, "MaxPoolBackward0", [x], (g) => [planeScatter(g, idx, lead, inSp, outSp, true)], []);
}

function planeScatter(g: Tensor, idx: Int32Array, lead: readonly number[], inSp: readonly number[], outSp: readonly number[], add: boolean): Tensor {
  const planes = numel(lead);
  const y = new Tensor(scatterKernel(g.detach(), idx, numel(inSp), numel(outSp), planes, add), [...lead, ...inSp], g.dtype);
  return record(y, add ? "MaxPoolBackwardBackward0" : "MaxUnpoolBackward0", [g], (gy) => [planeGather(gy, idx, lead, inSp, outSp)], []);
}

function windowMean(x: Tensor, geo: PoolGeometry, constDiv: number | null, lead: readonly number[], inSp: readonly number[], outSp: readonly number[], name: string): Tensor {
  const y = new Tensor(meanKernel(x.detach(), numel(lead), geo, constDiv, false), [...lead, ...outSp], x.dtype);
  return record(y, name, [x], (g) => [windowMeanAdjoint(g, geo, constDiv, lead, inSp, outSp, name)], []);
}

function windowMeanAdjoint(g: Tensor, geo: PoolGeometry, constDiv: number | null, lead: readonly number[], inSp: readonly number[], outSp: readonly number[], name: string): Tensor {
  const y = new Tensor(meanKernel(g.detach(), numel(lead), geo, constDiv, true), [...lead, ...inSp], g.dtype);
  return record(y, `${name.replace(/0$/, "")}Backward0`, [g], (gy) => [windowMean(gy, geo, constDiv, lead, inSp, outSp, name)], []);
}

// ------------------------------------------------------------------------------ geometries

/** PyTorch's pooling_output_shape: floor or ceil, and a last window must start inside the input or left padding. */
function pooledSize(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = size + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0);
  let out = Math.floor(span / s) + 1;
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

/** Taps of a sliding window: start o·s − p, k taps d apart, the in-range ones; div for avg pooling. */
function slidingTaps(size: number, out: number, k: number, s: number, p: number, d: number, countIncludePad: boolean): DimTaps {
  const taps: Int32Array[] = [];
  const div = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    const start = o * s - p;
    const list: number[] = [];
    for (let j = 0; j < k; j++) {
      const i = start + j * d;
      if (i >= 0 && i < size) list.push(i);
    }
    taps.push(Int32Array.from(list));
    // PyTorch's avg_pool: the padded window [start, min(start + k, size + p)) or its in-range part.
    const end = Math.min(start + k, size + p);
    div[o] = countIncludePad ? end - start : Math.min(end, size) - Math.max(start, 0);
  }
  return { taps, div };
}

/** Adaptive windows: [⌊o·in/out⌋, ⌈(o + 1)·in/out⌉). */
function adaptiveTaps(size: number, out: number): DimTaps {
  const taps: Int32Array[] = [];
  const div = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    const start = Math.floor((o * size) / out);
    const end = Math.ceil(((o + 1) * size) / out);
    taps.push(Int32Array.from({ length: end - start }, (_, j) => start + j));
    div[o] = end - start;
  }
  return { taps, div };
}

const pad3 = <T>(v: readonly T[], fill: T): [T, T, T] => {
  const t: [T, T, T] = [fill, fill, fill];
  for (let i = 0; i < v.length; i++) t[3 - v.length + i] = v[i];
  return t;
};

const SHAPES = ["(C, L) or (N, C, L)", "(C, H, W) or (N, C, H, W)"];

/** Checks a pooling input of rank nd + 1 (unbatched) or nd + 2; returns its lead (non-spatial) dims and spatial sizes. */
function poolInput(op: string, input: unknown, nd: number): { x: Tensor; lead: number[]; sp: number[] } {
  checkTensor(op, input);
  if (input.ndim !== nd + 1 && input.ndim !== nd + 2) {
    throw new RangeError(`${op}: expected a ${nd + 1}-D (unbatched) or ${nd + 2}-D (batched) input ${SHAPES[nd - 1]}, got shape [${input.shape.join(", ")}]`);
  }
  if (input.dtype !== "float32" && input.dtype !== "float64") throw new TypeError(`${op}: expected a floating-point input, got dtype ${input.dtype}`);
  const sp = input.shape.slice(input.ndim - nd);
  const lead = input.shape.slice(0, input.ndim - nd);
  // PyTorch rejects empty planes but allows an empty batch or channel dim.
  if (sp.some((n) => n === 0)) throw new RangeError(`${op}: expected non-empty spatial dims, got input of shape [${input.shape.join(", ")}]`);
  return { x: input, lead, sp };
}

interface SlidingArgs { k: number[]; s: number[]; p: number[]; d: number[]; out: number[] }

function slidingArgs(
  op: string, nd: number, sp: readonly number[], shape: readonly number[], kernelSize: unknown, stride: unknown, padding: unknown, dilation: unknown, ceil: boolean,
): SlidingArgs {
  const k = convTuple(op, "kernelSize", kernelSize, nd, 1);
  const s = stride === null || (Array.isArray(stride) && stride.length === 0) ? k : convTuple(op, "stride", stride, nd, 1);
  const p = convTuple(op, "padding", padding, nd, 0);
  const d = convTuple(op, "dilation", dilation, nd, 1);
  for (let i = 0; i < nd; i++) {
    if (2 * p[i] > k[i]) throw new RangeError(`${op}: padding [${p.join(", ")}] must be at most half the kernel size [${k.join(", ")}]`);
  }
  const out = sp.map((n, i) => pooledSize(n, k[i], s[i], p[i], d[i], ceil));
  if (out.some((n) => n < 1)) {
    throw new RangeError(`${op}: input of shape [${shape.join(", ")}] is too small for kernel [${k.join(", ")}] (stride [${s.join(", ")}], padding [${p.join(", ")}], dilation [${d.join(", ")}]): output size [${out.join(", ")}]`);
  }
  return { k, s, p, d, out };
}

// ---------------------------------------------------------------------------- functional forms

/**
 * Options of `F.maxPool1d` / `F.maxPool2d` and the MaxPool layers.
 * @example `F.maxPool2d(ones([1, 1, 5, 5]), 3, { stride: 2, padding: 1, ceilMode: true })`
 */
export interface MaxPoolOptions {
  /** Step of the window (default: the kernel size). */
  stride?: SizeN | null;
  /** Implicit −∞ on both sides (default 0), at most half the kernel size. */
  padding?: SizeN;
  /** Spacing between window taps (default 1). */
  dilation?: SizeN;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Also return the argmax indices, flat within each plane (default false). */
  returnIndices?: boolean;
}

const MAX_DEFAULTS: Required<Omit<MaxPoolOptions, "stride">> & { stride: SizeN | null } = {
  stride: null, padding: 0, dilation: 1, ceilMode: false, returnIndices: false,
};
const MAX_CHECKS = { ceilMode: optionChecks.boolean, returnIndices: optionChecks.boolean };

function maxPoolNd(op: string, nd: number, input: Tensor, kernelSize: SizeN, options: MaxPoolOptions | undefined): Tensor | ValuesIndices {
  const o = resolveOptions(op, options, MAX_DEFAULTS, MAX_CHECKS);
  const { x, lead, sp } = poolInput(op, input, nd);
  const a = slidingArgs(op, nd, sp, x.shape, kernelSize, o.stride, o.padding, o.dilation, o.ceilMode);
  const geo: PoolGeometry = {
    input: pad3(sp, 1),
    dims: pad3(sp.map((n, i) => slidingTaps(n, a.out[i], a.k[i], a.s[i], a.p[i], a.d[i], false)), SINGLE),
  };
  return maxResult(op, x, lead, sp, a.out, geo, o.returnIndices);
}

function maxResult(op: string, x: Tensor, lead: number[], sp: number[], out: number[], geo: PoolGeometry, returnIndices: boolean): Tensor | ValuesIndices {
  const planes = numel(lead);
  const { values, indices } = maxKernel(x.detach(), planes, geo);
  const y = record(values.reshape([...lead, ...out]), "MaxPool2DWithIndicesBackward0", [x], (g) => [planeScatter(g, indices, lead, sp, out, true)], []);
  if (!returnIndices) return y;
  return new ValuesIndices(op, y, new Tensor(indices, [...lead, ...out], "int32"));
}

/**
 * 1-d max pooling (PyTorch's `F.max_pool1d`): `input` (N, C, L) or (C, L) to (N, C, L_out) with
 * `L_out = ⌊(L + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1` (⌈⌉ with `ceilMode`);
 * `y[n, c, l] = max_j x[n, c, l·stride − padding + j·dilation]`. Options: `stride` (the kernel
 * size), `padding` (0), `dilation` (1), `ceilMode` (false), `returnIndices` (false: with true, a
 * `ValuesIndices` pair of the output and the argmax positions along L). The gradient goes to the
 * argmax (the first maximum; a NaN wins).
 *
 * @example
 * ```ts
 * F.maxPool1d(tensor([[[1, 3, 2, 5, 4]]]), 2).toArray(); // [[[3, 5]]]
 * F.maxPool1d(tensor([[[1, 3, 2, 5, 4]]]), 2, { stride: 1, returnIndices: true }).indices.toArray(); // [[[1, 1, 3, 3]]]
 * ```
 */
export function maxPool1d(input: Tensor, kernelSize: SizeN, options?: MaxPoolOptions & { returnIndices?: false }): Tensor;
export function maxPool1d(input: Tensor, kernelSize: SizeN, options: MaxPoolOptions & { returnIndices: true }): ValuesIndices;
export function maxPool1d(input: Tensor, kernelSize: SizeN, options?: MaxPoolOptions): Tensor | ValuesIndices {
  return maxPoolNd("maxPool1d", 1, input, kernelSize, options);
}

/**
 * 2-d max pooling (PyTorch's `F.max_pool2d`): `input` (N, C, H, W) or (C, H, W) to
 * (N, C, H_out, W_out) with `H_out = ⌊(H + 2·padding − dilation·(kH − 1) − 1) / stride⌋ + 1`
 * (⌈⌉ with `ceilMode`, W likewise). Options as {@link maxPool1d}; the indices are flat within
 * each H×W plane (`h·W + w`), as PyTorch's, for {@link maxUnpool2d}.
 *
 * @example
 * ```ts
 * const x = arange(16).reshape(1, 1, 4, 4).float();
 * F.maxPool2d(x, 2).toArray();                                   // [[[[5, 7], [13, 15]]]]
 * F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }).shape; // [1, 1, 3, 3]
 * F.maxPool2d(x, 2, { returnIndices: true }).indices.toArray();  // [[[[5, 7], [13, 15]]]]
 * ```
 */
export function maxPool2d(input: Tensor, kernelSize: SizeN, options?: MaxPoolOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(input: Tensor, kernelSize: SizeN, options: MaxPoolOptions & { returnIndices: true }): ValuesIndices;
export function maxPool2d(input: Tensor, kernelSize: SizeN, options?: MaxPoolOptions): Tensor | ValuesIndices {
  return maxPoolNd("maxPool2d", 2, input, kernelSize, options);
}

/**
 * Options of `F.avgPool1d` / `F.avgPool2d` and the AvgPool layers.
 * @example `F.avgPool2d(ones([1, 1, 5, 5]), 3, { padding: 1, countIncludePad: false })`
 */
export interface AvgPoolOptions {
  /** Step of the window (default: the kernel size). */
  stride?: SizeN | null;
  /** Implicit zeros on both sides (default 0), at most half the kernel size. */
  padding?: SizeN;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the padding zeros in the divisor (default true). */
  countIncludePad?: boolean;
  /** 2-d only: divide every window sum by this instead (default null). */
  divisorOverride?: number | null;
}

const AVG_DEFAULTS = { stride: null as SizeN | null, padding: 0 as SizeN, ceilMode: false, countIncludePad: true, divisorOverride: null as number | null };
const AVG_CHECKS = { ceilMode: optionChecks.boolean, countIncludePad: optionChecks.boolean, divisorOverride: optionChecks.nullable(optionChecks.intAtLeast(1)) };

function avgPoolNd(op: string, nd: number, input: Tensor, kernelSize: SizeN, options: AvgPoolOptions | undefined): Tensor {
  const o = resolveOptions(op, options, AVG_DEFAULTS, AVG_CHECKS);
  if (nd === 1 && o.divisorOverride !== null) throw new TypeError(`${op}: divisorOverride is a 2-d option (PyTorch's avg_pool1d has none)`);
  const { x, lead, sp } = poolInput(op, input, nd);
  const a = slidingArgs(op, nd, sp, x.shape, kernelSize, o.stride, o.padding, 1, o.ceilMode);
  const geo: PoolGeometry = {
    input: pad3(sp, 1),
    dims: pad3(sp.map((n, i) => slidingTaps(n, a.out[i], a.k[i], a.s[i], a.p[i], 1, o.countIncludePad)), SINGLE),
  };
  return windowMean(x, geo, o.divisorOverride, lead, sp, a.out, "AvgPool2DBackward0");
}

/**
 * 1-d average pooling (PyTorch's `F.avg_pool1d`): `input` (N, C, L) or (C, L) to (N, C, L_out),
 * sizes as {@link maxPool1d} without dilation; each output is the window's sum over its divisor:
 * the kernel size with `countIncludePad` (default true), else the in-range taps. Options `stride`,
 * `padding` (0), `ceilMode` (false), `countIncludePad` (true).
 *
 * @example
 * ```ts
 * F.avgPool1d(tensor([[[1, 2, 3, 4]]]), 2).toArray(); // [[[1.5, 3.5]]]
 * F.avgPool1d(tensor([[[1, 2, 3, 4]]]), 2, { padding: 1, countIncludePad: false }).toArray(); // [[[1, 2.5, 4]]]
 * ```
 */
export function avgPool1d(input: Tensor, kernelSize: SizeN, options?: AvgPoolOptions): Tensor {
  return avgPoolNd("avgPool1d", 1, input, kernelSize, options);
}

/**
 * 2-d average pooling (PyTorch's `F.avg_pool2d`): `input` (N, C, H, W) or (C, H, W) to
 * (N, C, H_out, W_out), sizes as {@link maxPool2d} without dilation. Options as {@link avgPool1d}
 * plus `divisorOverride` (divide every window sum by it).
 *
 * @example
 * ```ts
 * F.avgPool2d(ones([1, 1, 4, 4]), 2).toArray();   // [[[[1, 1], [1, 1]]]]
 * F.avgPool2d(ones([1, 1, 4, 4]), 2, { divisorOverride: 1 }).toArray(); // [[[[4, 4], [4, 4]]]]
 * ```
 */
export function avgPool2d(input: Tensor, kernelSize: SizeN, options?: AvgPoolOptions): Tensor {
  return avgPoolNd("avgPool2d", 2, input, kernelSize, options);
}

/** An adaptive pooling's output size: one number for every dim, or one per dim (null keeps the input's). */
export type AdaptiveSize = number | null | ReadonlyArray<number | null>;

function adaptiveGeometry(op: string, nd: number, sp: readonly number[], outputSize: unknown): { geo: PoolGeometry; out: number[] } {
  const list = outputSize === null || typeof outputSize === "number" ? new Array<unknown>(nd).fill(outputSize) : outputSize;
  if (!Array.isArray(list)) throw new TypeError(`${op}: outputSize must be an integer, null or an array of ${nd}, got ${describeValue(outputSize)}`);
  if (list.length !== nd) throw new RangeError(`${op}: outputSize must have ${nd} entries, got [${list.join(", ")}]`);
  const out = list.map((v: unknown, i) => {
    if (v === null) return sp[i];
    if (typeof v !== "number") throw new TypeError(`${op}: outputSize must hold integers or null, got ${describeValue(v)}`);
    if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`${op}: outputSize must hold integers >= 1, got [${list.join(", ")}]`);
    return v;
  });
  return { geo: { input: pad3(sp, 1), dims: pad3(sp.map((n, i) => adaptiveTaps(n, out[i])), SINGLE) }, out };
}

/**
 * 1-d adaptive average pooling (PyTorch's `F.adaptive_avg_pool1d`): (N, C, L) or (C, L) to
 * (N, C, outputSize); output `o` averages `x[⌊o·L/out⌋ … ⌈(o + 1)·L/out⌉)`.
 *
 * @example
 * ```ts
 * F.adaptiveAvgPool1d(tensor([[[1, 2, 3, 4, 5]]]), 2).toArray(); // [[[2, 4]]]
 * ```
 */
export function adaptiveAvgPool1d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  const { x, lead, sp } = poolInput("adaptiveAvgPool1d", input, 1);
  const { geo, out } = adaptiveGeometry("adaptiveAvgPool1d", 1, sp, outputSize);
  return windowMean(x, geo, null, lead, sp, out, "AdaptiveAvgPool2DBackward0");
}

/**
 * 2-d adaptive average pooling (PyTorch's `F.adaptive_avg_pool2d`): (N, C, H, W) or (C, H, W) to
 * (N, C, outH, outW), windows as {@link adaptiveAvgPool1d} per dim; `null` keeps that dim's size.
 *
 * @example
 * ```ts
 * F.adaptiveAvgPool2d(randn([2, 8, 7, 5]), 1).shape;          // [2, 8, 1, 1]
 * F.adaptiveAvgPool2d(randn([8, 7, 5]), [3, null]).shape;     // [8, 3, 5]
 * ```
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  const { x, lead, sp } = poolInput("adaptiveAvgPool2d", input, 2);
  const { geo, out } = adaptiveGeometry("adaptiveAvgPool2d", 2, sp, outputSize);
  return windowMean(x, geo, null, lead, sp, out, "AdaptiveAvgPool2DBackward0");
}

/**
 * Options of `F.adaptiveMaxPool1d` / `2d` and the AdaptiveMaxPool layers.
 * @example `F.adaptiveMaxPool2d(ones([1, 1, 5, 5]), 2, { returnIndices: true })`
 */
export interface AdaptiveMaxPoolOptions {
  /** Also return the argmax indices, flat within each plane (default false). */
  returnIndices?: boolean;
}

function adaptiveMaxNd(op: string, nd: number, input: Tensor, outputSize: AdaptiveSize, options: AdaptiveMaxPoolOptions | undefined): Tensor | ValuesIndices {
  const { returnIndices } = resolveOptions(op, options, { returnIndices: false }, { returnIndices: optionChecks.boolean });
  const { x, lead, sp } = poolInput(op, input, nd);
  const { geo, out } = adaptiveGeometry(op, nd, sp, outputSize);
  return maxResult(op, x, lead, sp, out, geo, returnIndices);
}

/**
 * 1-d adaptive max pooling (PyTorch's `F.adaptive_max_pool1d`): (N, C, L) or (C, L) to
 * (N, C, outputSize), windows as {@link adaptiveAvgPool1d}; `returnIndices` as {@link maxPool1d}.
 *
 * @example
 * ```ts
 * F.adaptiveMaxPool1d(tensor([[[1, 5, 2, 4, 3]]]), 2).toArray(); // [[[5, 4]]]
 * ```
 */
export function adaptiveMaxPool1d(input: Tensor, outputSize: AdaptiveSize, options?: AdaptiveMaxPoolOptions & { returnIndices?: false }): Tensor;
export function adaptiveMaxPool1d(input: Tensor, outputSize: AdaptiveSize, options: AdaptiveMaxPoolOptions & { returnIndices: true }): ValuesIndices;
export function adaptiveMaxPool1d(input: Tensor, outputSize: AdaptiveSize, options?: AdaptiveMaxPoolOptions): Tensor | ValuesIndices {
  return adaptiveMaxNd("adaptiveMaxPool1d", 1, input, outputSize, options);
}

/**
 * 2-d adaptive max pooling (PyTorch's `F.adaptive_max_pool2d`): (N, C, H, W) or (C, H, W) to
 * (N, C, outH, outW); `returnIndices` gives flat in-plane indices as {@link maxPool2d}.
 *
 * @example
 * ```ts
 * F.adaptiveMaxPool2d(arange(16).reshape(1, 4, 4).float(), 2).toArray(); // [[[5, 7], [13, 15]]]
 * ```
 */
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize, options?: AdaptiveMaxPoolOptions & { returnIndices?: false }): Tensor;
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize, options: AdaptiveMaxPoolOptions & { returnIndices: true }): ValuesIndices;
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize, options?: AdaptiveMaxPoolOptions): Tensor | ValuesIndices {
  return adaptiveMaxNd("adaptiveMaxPool2d", 2, input, outputSize, options);
}

/**
 * Options of `F.lpPool1d` / `F.lpPool2d` and the LPPool layers.
 * @example `F.lpPool2d(ones([1, 1, 5, 5]), 2, 2, { stride: 1, ceilMode: true })`
 */
export interface LPPoolOptions {
  /** Step of the window (default: the kernel size). */
  stride?: SizeN | null;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
}

function lpPoolNd(op: string, nd: number, input: Tensor, normType: number, kernelSize: SizeN, options: LPPoolOptions | undefined): Tensor {
  const { stride, ceilMode } = resolveOptions(op, options, { stride: null as SizeN | null, ceilMode: false }, { ceilMode: optionChecks.boolean });
  optionChecks.positive(op, "normType", normType);
  checkTensor(op, input);
  const k = convTuple(op, "kernelSize", kernelSize, nd, 1);
  const avg = avgPoolNd(op, nd, input.pow(normType), k, { stride, ceilMode });
  // PyTorch's composition, so the gradient at 0 is PyTorch's too.
  return avg.sign().mul(avg.abs().relu()).mul(numel(k)).pow(1 / normType);
}

/**
 * 1-d power-average pooling (PyTorch's `F.lp_pool1d`): `(Σ_window x^p)^(1/p)` over windows of
 * `kernelSize` (no padding); p = ∞ is max pooling, p = 1 sum pooling. (N, C, L) or (C, L) in,
 * sizes as {@link avgPool1d}. Options `stride` (the kernel size), `ceilMode` (false).
 *
 * @example
 * ```ts
 * F.lpPool1d(tensor([[[3, 4, 1, 1]]]), 2, 2).toArray(); // [[[5, 1.4142135…]]]
 * ```
 */
export function lpPool1d(input: Tensor, normType: number, kernelSize: SizeN, options?: LPPoolOptions): Tensor {
  return lpPoolNd("lpPool1d", 1, input, normType, kernelSize, options);
}

/**
 * 2-d power-average pooling (PyTorch's `F.lp_pool2d`): `(Σ_window x^p)^(1/p)` over kH×kW windows;
 * (N, C, H, W) or (C, H, W) in, sizes as {@link avgPool2d}.
 *
 * @example
 * ```ts
 * F.lpPool2d(ones([1, 1, 4, 4]), 1, 2).toArray(); // [[[[4, 4], [4, 4]]]]
 * ```
 */
export function lpPool2d(input: Tensor, normType: number, kernelSize: SizeN, options?: LPPoolOptions): Tensor {
  return lpPoolNd("lpPool2d", 2, input, normType, kernelSize, options);
}

/**
 * Options of `F.maxUnpool1d` / `F.maxUnpool2d`.
 * @example `F.maxUnpool1d(ones([1, 1, 2]), tensor([[[0, 3]]], { dtype: "int32" }), 2, { outputSize: [5] })`
 */
export interface MaxUnpoolOptions {
  /** The pooling's stride (default: the kernel size). */
  stride?: SizeN | null;
  /** The pooling's padding (default 0). */
  padding?: SizeN;
  /** The output's spatial size (or full shape) where the default `(in − 1)·stride − 2·padding + k` is ambiguous. */
  outputSize?: readonly number[] | null;
}

function maxUnpoolNd(op: string, nd: number, input: Tensor, indices: Tensor, kernelSize: SizeN, options: MaxUnpoolOptions | undefined): Tensor {
  const o = resolveOptions(op, options, { stride: null as SizeN | null, padding: 0 as SizeN, outputSize: null as readonly number[] | null });
  const { x, lead, sp } = poolInput(op, input, nd);
  checkTensor(op, indices, "indices");
  if (indices.dtype !== "int32") throw new TypeError(`${op}: indices must be int32 (as max pooling returns them), got dtype ${indices.dtype}`);
  if (indices.shape.join() !== x.shape.join()) {
    throw new RangeError(`${op}: indices of shape [${indices.shape.join(", ")}] must have the input's shape [${x.shape.join(", ")}]`);
  }
  const k = convTuple(op, "kernelSize", kernelSize, nd, 1);
  const s = o.stride === null ? k : convTuple(op, "stride", o.stride, nd, 1);
  const p = convTuple(op, "padding", o.padding, nd, 0);
  let out = sp.map((n, i) => (n - 1) * s[i] - 2 * p[i] + k[i]);
  if (o.outputSize !== null) {
    if (!Array.isArray(o.outputSize)) throw new TypeError(`${op}: outputSize must be an array of integers, got ${describeValue(o.outputSize)}`);
    const size = o.outputSize.slice(Math.max(0, o.outputSize.length - nd));
    if (size.length !== nd) throw new RangeError(`${op}: outputSize must have ${nd} (or more) entries, got [${o.outputSize.join(", ")}]`);
    for (let i = 0; i < nd; i++) {
      const min = out[i] - s[i];
      const max = out[i] + s[i];
      if (!Number.isSafeInteger(size[i]) || size[i] <= min || size[i] >= max) {
        throw new RangeError(`${op}: outputSize [${o.outputSize.join(", ")}]: dim ${i} must lie strictly between ${min} and ${max}`);
      }
    }
    out = size;
  }
  const plane = numel(out);
  const idx = indices.contiguous().dataSync() as Int32Array;
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0 || idx[i] >= plane) {
      throw new RangeError(`${op}: index ${idx[i]} is out of range for an output plane of ${plane} elements (output size [${out.join(", ")}])`);
    }
  }
  return planeScatter(x, idx, lead, out, sp, false);
}

/**
 * The partial inverse of {@link maxPool1d} (PyTorch's `F.max_unpool1d`): puts each input value at
 * the position its index names and zeros elsewhere; (N, C, L) or (C, L) to (N, C, L_out),
 * `L_out = (L − 1)·stride − 2·padding + k` unless `outputSize` says otherwise.
 *
 * @example
 * ```ts
 * const { values, indices } = F.maxPool1d(tensor([[[1, 3, 2, 5]]]), 2, { returnIndices: true });
 * F.maxUnpool1d(values, indices, 2).toArray(); // [[[0, 3, 0, 5]]]
 * ```
 */
export function maxUnpool1d(input: Tensor, indices: Tensor, kernelSize: SizeN, options?: MaxUnpoolOptions): Tensor {
  return maxUnpoolNd("maxUnpool1d", 1, input, indices, kernelSize, options);
}

/**
 * The partial inverse of {@link maxPool2d} (PyTorch's `F.max_unpool2d`): (N, C, H, W) or
 * (C, H, W) values and their flat in-plane indices to (N, C, H_out, W_out) with zeros elsewhere.
 *
 * @example
 * ```ts
 * const x = arange(16).reshape(1, 1, 4, 4).float();
 * const { values, indices } = F.maxPool2d(x, 2, { returnIndices: true });
 * F.maxUnpool2d(values, indices, 2).toArray()[0][0][1]; // [0, 5, 0, 7]
 * ```
 */
export function maxUnpool2d(input: Tensor, indices: Tensor, kernelSize: SizeN, options?: MaxUnpoolOptions): Tensor {
  return maxUnpoolNd("maxUnpool2d", 2, input, indices, kernelSize, options);
}

// ------------------------------------------------------------------------------------- layers

// Sizes as PyTorch prints them: numbers as they are, tuples in parentheses, None as null.
const show = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? `(${v.map(show).join(", ")}${v.length === 1 ? "," : ""})` : String(v);

/**
 * 1-d max pooling layer (PyTorch's `nn.MaxPool1d`), see {@link maxPool1d}: (N, C, L) or (C, L) to
 * (N, C, L_out). Options `stride` (the kernel size), `padding` (0), `dilation` (1), `ceilMode`
 * (false), `returnIndices` (false: forward then returns a `ValuesIndices` pair).
 *
 * @example
 * ```ts
 * const pool = new MaxPool1d(2);
 * pool.forward(randn([4, 3, 10])).shape; // [4, 3, 5]
 * String(pool); // "MaxPool1d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)"
 * ```
 * @group Pooling
 */
export class MaxPool1d extends Module {
  static override readonly typeName: string = "MaxPool1d";
  /** Window size. */
  readonly kernelSize: SizeN;
  /** Window step (the kernel size by default). */
  readonly stride: SizeN;
  /** Implicit −∞ padding. */
  readonly padding: SizeN;
  /** Spacing between taps. */
  readonly dilation: SizeN;
  /** Round output sizes up. */
  readonly ceilMode: boolean;
  /** Return (output, indices) pairs. */
  readonly returnIndices: boolean;
  protected readonly nd: number = 1;

  constructor(kernelSize: SizeN, options: MaxPoolOptions = {}) {
    super();
    const o = resolveOptions(this.typeLabel(), options, MAX_DEFAULTS, MAX_CHECKS);
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding;
    this.dilation = o.dilation;
    this.ceilMode = o.ceilMode;
    this.returnIndices = o.returnIndices;
  }

  /** The layer's name in messages. */
  protected typeLabel(): string { return "MaxPool1d"; }

  /** The pooled input (and the indices, with `returnIndices`). */
  forward(x: Tensor): Tensor | ValuesIndices {
    return maxPoolNd(this.nd === 1 ? "maxPool1d" : "maxPool2d", this.nd, x, this.kernelSize, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode, returnIndices: this.returnIndices,
    });
  }

  override extraRepr(): string {
    return `kernelSize=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}, dilation=${show(this.dilation)}, ceilMode=${this.ceilMode}`;
  }
}

/**
 * 2-d max pooling layer (PyTorch's `nn.MaxPool2d`), see {@link maxPool2d}: (N, C, H, W) or
 * (C, H, W) to (N, C, H_out, W_out); options as {@link MaxPool1d}.
 *
 * @example
 * ```ts
 * const pool = new MaxPool2d(2);
 * pool.forward(randn([64, 6, 24, 24])).shape; // [64, 6, 12, 12]
 * String(new MaxPool2d([3, 2], { stride: 1, ceilMode: true })); // "MaxPool2d(kernelSize=(3, 2), stride=1, padding=0, dilation=1, ceilMode=true)"
 * ```
 * @group Pooling
 */
export class MaxPool2d extends MaxPool1d {
  static override readonly typeName: string = "MaxPool2d";
  protected override readonly nd: number = 2;
  protected override typeLabel(): string { return "MaxPool2d"; }
}

/**
 * 1-d average pooling layer (PyTorch's `nn.AvgPool1d`), see {@link avgPool1d}. Options `stride`
 * (the kernel size), `padding` (0), `ceilMode` (false), `countIncludePad` (true).
 *
 * @example
 * ```ts
 * const pool = new AvgPool1d(3, { stride: 2 });
 * pool.forward(randn([2, 4, 9])).shape; // [2, 4, 4]
 * String(pool); // "AvgPool1d(kernelSize=(3,), stride=(2,), padding=(0,))"
 * ```
 * @group Pooling
 */
export class AvgPool1d extends Module {
  static override readonly typeName: string = "AvgPool1d";
  /** Window size. */
  readonly kernelSize: SizeN;
  /** Window step (the kernel size by default). */
  readonly stride: SizeN;
  /** Implicit zero padding. */
  readonly padding: SizeN;
  /** Round output sizes up. */
  readonly ceilMode: boolean;
  /** Count padding zeros in the divisor. */
  readonly countIncludePad: boolean;
  /** A fixed divisor (2-d only), or null. */
  readonly divisorOverride: number | null;
  protected readonly nd: number = 1;

  constructor(kernelSize: SizeN, options: AvgPoolOptions = {}) {
    super();
    const o = resolveOptions(this.typeLabel(), options, AVG_DEFAULTS, AVG_CHECKS);
    if (this.typeLabel() === "AvgPool1d" && o.divisorOverride !== null) throw new TypeError("AvgPool1d: divisorOverride is a 2-d option (PyTorch's AvgPool1d has none)");
    // PyTorch's AvgPool1d keeps its sizes as 1-tuples, AvgPool2d as given.
    const one = (v: SizeN): SizeN => (this.typeLabel() === "AvgPool1d" && typeof v === "number" ? [v] : v);
    this.kernelSize = one(kernelSize);
    this.stride = one(o.stride ?? kernelSize);
    this.padding = one(o.padding);
    this.ceilMode = o.ceilMode;
    this.countIncludePad = o.countIncludePad;
    this.divisorOverride = o.divisorOverride;
  }

  /** The layer's name in messages. */
  protected typeLabel(): string { return "AvgPool1d"; }

  /** The average-pooled input. */
  forward(x: Tensor): Tensor {
    return avgPoolNd(this.nd === 1 ? "avgPool1d" : "avgPool2d", this.nd, x, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    });
  }

  override extraRepr(): string {
    return `kernelSize=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}`;
  }
}

/**
 * 2-d average pooling layer (PyTorch's `nn.AvgPool2d`), see {@link avgPool2d}; options as
 * {@link AvgPool1d} plus `divisorOverride`.
 *
 * @example
 * ```ts
 * const pool = new AvgPool2d(2);
 * pool.forward(ones([1, 3, 4, 4])).shape; // [1, 3, 2, 2]
 * String(pool); // "AvgPool2d(kernelSize=2, stride=2, padding=0)"
 * ```
 * @group Pooling
 */
export class AvgPool2d extends AvgPool1d {
  static override readonly typeName: string = "AvgPool2d";
  protected override readonly nd: number = 2;
  protected override typeLabel(): string { return "AvgPool2d"; }
}

/**
 * 1-d adaptive average pooling layer (PyTorch's `nn.AdaptiveAvgPool1d`), see {@link adaptiveAvgPool1d}.
 *
 * @example
 * ```ts
 * const pool = new AdaptiveAvgPool1d(4);
 * pool.forward(randn([2, 3, 10])).shape; // [2, 3, 4]
 * String(pool); // "AdaptiveAvgPool1d(outputSize=4)"
 * ```
 * @group Pooling
 */
export class AdaptiveAvgPool1d extends Module {
  static override readonly typeName: string = "AdaptiveAvgPool1d";
  /** The output's spatial size. */
  readonly outputSize: AdaptiveSize;
  constructor(outputSize: AdaptiveSize) {
    super();
    this.outputSize = outputSize;
  }
  /** The pooled input. */
  forward(x: Tensor): Tensor { return adaptiveAvgPool1d(x, this.outputSize); }
  override extraRepr(): string { return `outputSize=${show(this.outputSize)}`; }
}

/**
 * 2-d adaptive average pooling layer (PyTorch's `nn.AdaptiveAvgPool2d`), see {@link adaptiveAvgPool2d}.
 *
 * @example
 * ```ts
 * const pool = new AdaptiveAvgPool2d([1, 1]);
 * pool.forward(randn([2, 16, 7, 7])).shape; // [2, 16, 1, 1]
 * String(pool); // "AdaptiveAvgPool2d(outputSize=(1, 1))"
 * ```
 * @group Pooling
 */
export class AdaptiveAvgPool2d extends AdaptiveAvgPool1d {
  static override readonly typeName: string = "AdaptiveAvgPool2d";
  override forward(x: Tensor): Tensor { return adaptiveAvgPool2d(x, this.outputSize); }
}

/**
 * 1-d adaptive max pooling layer (PyTorch's `nn.AdaptiveMaxPool1d`), see {@link adaptiveMaxPool1d};
 * option `returnIndices` (false).
 *
 * @example
 * ```ts
 * new AdaptiveMaxPool1d(3).forward(randn([2, 4, 10])).shape; // [2, 4, 3]
 * ```
 * @group Pooling
 */
export class AdaptiveMaxPool1d extends Module {
  static override readonly typeName: string = "AdaptiveMaxPool1d";
  /** The output's spatial size. */
  readonly outputSize: AdaptiveSize;
  /** Return (output, indices) pairs. */
  readonly returnIndices: boolean;
  protected readonly nd: number = 1;
  constructor(outputSize: AdaptiveSize, options: AdaptiveMaxPoolOptions = {}) {
    super();
    this.returnIndices = resolveOptions(this.typeLabel(), options, { returnIndices: false }, { returnIndices: optionChecks.boolean }).returnIndices;
    this.outputSize = outputSize;
  }
  /** The layer's name in messages. */
  protected typeLabel(): string { return "AdaptiveMaxPool1d"; }
  /** The pooled input (and the indices, with `returnIndices`). */
  forward(x: Tensor): Tensor | ValuesIndices {
    return adaptiveMaxNd(this.nd === 1 ? "adaptiveMaxPool1d" : "adaptiveMaxPool2d", this.nd, x, this.outputSize, { returnIndices: this.returnIndices });
  }
  override extraRepr(): string { return `outputSize=${show(this.outputSize)}`; }
}

/**
 * 2-d adaptive max pooling layer (PyTorch's `nn.AdaptiveMaxPool2d`), see {@link adaptiveMaxPool2d}.
 *
 * @example
 * ```ts
 * const pool = new AdaptiveMaxPool2d([2, 2], { returnIndices: true });
 * const { values, indices } = pool.forward(randn([1, 3, 6, 6])) as ValuesIndices;
 * values.shape; // [1, 3, 2, 2]
 * ```
 * @group Pooling
 */
export class AdaptiveMaxPool2d extends AdaptiveMaxPool1d {
  static override readonly typeName: string = "AdaptiveMaxPool2d";
  protected override readonly nd: number = 2;
  protected override typeLabel(): string { return "AdaptiveMaxPool2d"; }
}

/**
 * 1-d power-average pooling layer (PyTorch's `nn.LPPool1d`), see {@link lpPool1d}. Options
 * `stride` (the kernel size), `ceilMode` (false).
 *
 * @example
 * ```ts
 * const pool = new LPPool1d(2, 3);
 * pool.forward(randn([2, 4, 9])).shape; // [2, 4, 3]
 * String(pool); // "LPPool1d(normType=2, kernelSize=3, stride=null, ceilMode=false)"
 * ```
 * @group Pooling
 */
export class LPPool1d extends Module {
  static override readonly typeName: string = "LPPool1d";
  /** The power p. */
  readonly normType: number;
  /** Window size. */
  readonly kernelSize: SizeN;
  /** Window step, or null for the kernel size. */
  readonly stride: SizeN | null;
  /** Round output sizes up. */
  readonly ceilMode: boolean;
  protected readonly nd: number = 1;
  constructor(normType: number, kernelSize: SizeN, options: LPPoolOptions = {}) {
    super();
    const o = resolveOptions(this.typeLabel(), options, { stride: null as SizeN | null, ceilMode: false }, { ceilMode: optionChecks.boolean });
    optionChecks.positive(this.typeLabel(), "normType", normType);
    this.normType = normType;
    this.kernelSize = kernelSize;
    this.stride = o.stride;
    this.ceilMode = o.ceilMode;
  }
  /** The layer's name in messages. */
  protected typeLabel(): string { return "LPPool1d"; }
  /** The pooled input. */
  forward(x: Tensor): Tensor {
    return lpPoolNd(this.nd === 1 ? "lpPool1d" : "lpPool2d", this.nd, x, this.normType, this.kernelSize, { stride: this.stride, ceilMode: this.ceilMode });
  }
  override extraRepr(): string {
    return `normType=${this.normType}, kernelSize=${show(this.kernelSize)}, stride=${show(this.stride)}, ceilMode=${this.ceilMode}`;
  }
}

/**
 * 2-d power-average pooling layer (PyTorch's `nn.LPPool2d`), see {@link lpPool2d}.
 *
 * @example
 * ```ts
 * new LPPool2d(2, 2).forward(ones([1, 1, 4, 4])).toArray(); // [[[[2, 2], [2, 2]]]]
 * ```
 * @group Pooling
 */
export class LPPool2d extends LPPool1d {
  static override readonly typeName: string = "LPPool2d";
  protected override readonly nd: number = 2;
  protected override typeLabel(): string { return "LPPool2d"; }
}

/**
 * Options of the MaxUnpool layers.
 * @example `new MaxUnpool2d(3, { stride: 2, padding: 1 })`
 * @group Pooling
 */
export interface MaxUnpoolLayerOptions {
  /** The pooling's stride (default: the kernel size). */
  stride?: SizeN | null;
  /** The pooling's padding (default 0). */
  padding?: SizeN;
}

/**
 * 1-d max unpooling layer (PyTorch's `nn.MaxUnpool1d`), see {@link maxUnpool1d}:
 * `forward(values, indices, outputSize?)`.
 *
 * @example
 * ```ts
 * const pool = new MaxPool1d(2, { returnIndices: true });
 * const unpool = new MaxUnpool1d(2);
 * const { values, indices } = pool.forward(tensor([[[1, 3, 2, 5]]])) as ValuesIndices;
 * unpool.forward(values, indices).toArray(); // [[[0, 3, 0, 5]]]
 * String(unpool); // "MaxUnpool1d(kernelSize=(2,), stride=(2,), padding=(0,))"
 * ```
 * @group Pooling
 */
export class MaxUnpool1d extends Module {
  static override readonly typeName: string = "MaxUnpool1d";
  /** The pooling's window size. */
  readonly kernelSize: number[];
  /** The pooling's stride. */
  readonly stride: number[];
  /** The pooling's padding. */
  readonly padding: number[];
  protected readonly nd: number = 1;
  constructor(kernelSize: SizeN, options: MaxUnpoolLayerOptions = {}) {
    super();
    const name = this.typeLabel();
    const nd = name === "MaxUnpool1d" ? 1 : 2;
    const o = resolveOptions(name, options, { stride: null as SizeN | null, padding: 0 as SizeN });
    this.kernelSize = convTuple(name, "kernelSize", kernelSize, nd, 1);
    this.stride = o.stride === null ? this.kernelSize : convTuple(name, "stride", o.stride, nd, 1);
    this.padding = convTuple(name, "padding", o.padding, nd, 0);
  }
  /** The layer's name in messages. */
  protected typeLabel(): string { return "MaxUnpool1d"; }
  /** Places `x`'s values at `indices` in a zero output (of `outputSize`, if given). */
  forward(x: Tensor, indices: Tensor, outputSize?: readonly number[]): Tensor {
    return maxUnpoolNd(this.nd === 1 ? "maxUnpool1d" : "maxUnpool2d", this.nd, x, indices, this.kernelSize, {
      stride: this.stride, padding: this.padding, outputSize: outputSize ?? null,
    });
  }
  override extraRepr(): string {
    return `kernelSize=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}`;
  }
}

/**
 * 2-d max unpooling layer (PyTorch's `nn.MaxUnpool2d`), see {@link maxUnpool2d}.
 *
 * @example
 * ```ts
 * const unpool = new MaxUnpool2d(2);
 * const { values, indices } = F.maxPool2d(randn([1, 2, 4, 4]), 2, { returnIndices: true });
 * unpool.forward(values, indices).shape; // [1, 2, 4, 4]
 * String(unpool); // "MaxUnpool2d(kernelSize=(2, 2), stride=(2, 2), padding=(0, 0))"
 * ```
 * @group Pooling
 */
export class MaxUnpool2d extends MaxUnpool1d {
  static override readonly typeName: string = "MaxUnpool2d";
  protected override readonly nd: number = 2;
  protected override typeLabel(): string { return "MaxUnpool2d"; }
}

