/**
 * The fused batch-norm and layer-norm ops behind `F.batchNorm`, `F.layerNorm`, `F.groupNorm` and
 * `F.instanceNorm`: one pass for the statistics, one for the output, and on a plain `backward()`
 * one fused pass per gradient, in place of the 8-10 graph nodes of the composition
 * `(x − mean)·(var + ε)^(−1/2)·w + b`. Under `createGraph` the backward is written with Tensor ops
 * instead (the same formula, differentiable again), so higher-order gradients work.
 *
 * Both are "normalize groups of M elements, then scale and shift": batch norm's group is a channel
 * of an `(N, C, S)` view (elements `n·C·S + c·S + s`), layer norm's is a contiguous row of M.
 * Statistics and sums are accumulated in float64 for either dtype.
 */
import { Tensor, isGradEnabled, record, sumToShape } from "@tsgrad/core";
import { alloc, flat, type FloatArray } from "./util.js";

/**
 * Where the groups are: `groups` groups of `outer · inner` elements each; run `i` of group `g`
 * is the `inner` contiguous elements from `i·outerStride + g·groupStride`. Batch norm's channel c
 * of `(N, C, S)` is N runs of S (strides C·S and S); layer norm's row r is one run of M.
 */
interface Layout {
  groups: number;
  outer: number;
  inner: number;
  outerStride: number;
  groupStride: number;
  /** Elements per group (outer · inner). */
  size: number;
}

function channelLayout(n: number, c: number, s: number): Layout {
  return { groups: c, outer: n, inner: s, outerStride: c * s, groupStride: s, size: n * s };
}

function rowLayout(rows: number, m: number): Layout {
  return { groups: rows, outer: 1, inner: m, outerStride: 0, groupStride: m, size: m };
}

/** Per-group mean and biased variance, two-pass in float64. */
function groupStats(x: FloatArray, xo: number, L: Layout): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(L.groups);
  const variance = new Float64Array(L.groups);
  for (let g = 0; g < L.groups; g++) {
    let sum = 0;
    for (let i = 0; i < L.outer; i++) {
      const start = xo + i * L.outerStride + g * L.groupStride;
      for (let j = start, end = start + L.inner; j < end; j++) sum += x[j];
    }
    const m = L.size > 0 ? sum / L.size : NaN;
    let sq = 0;
    for (let i = 0; i < L.outer; i++) {
      const start = xo + i * L.outerStride + g * L.groupStride;
      for (let j = start, end = start + L.inner; j < end; j++) {
        const d = x[j] - m;
        sq += d * d;
      }
    }
    mean[g] = m;
    variance[g] = L.size > 0 ? sq / L.size : NaN;
  }
  return { mean, variance };
}

/** The affine parameters as float64 arrays of one value per group or per element (1 and 0 when absent). */
function affineArrays(weight: Tensor | null, bias: Tensor | null, n: number): { w: Float64Array; b: Float64Array } {
  const read = (t: Tensor | null, fill: number): Float64Array => (t ? Float64Array.from(t.detach().contiguous().dataSync()) : new Float64Array(n).fill(fill));
  return { w: read(weight, 1), b: read(bias, 0) };
}

/** Where the affine weight of an element is: one per group (batch norm) or one per element of a group (layer norm). */
type AffineIndex = "group" | "element";

/** Statistics an op normalizes with: computed from the batch (differentiable) or given (constants). */
export interface NormStats {
  mean: Float64Array;
  invstd: Float64Array;
  /** True when mean and invstd were computed from the input itself (so they depend on it). */
  fromInput: boolean;
}

/** The result of a fused normalization: the output, and the batch statistics it used. */
export interface NormResult {
  out: Tensor;
  /** Per-group mean and biased variance of the input (only when computed from it). */
  mean: Float64Array;
  variance: Float64Array;
}

/**
 * One fused normalization. `x` is read as `layout`; `weight` / `bias` (or null) hold one value per
 * group (`affine = "group"`) or per element of a group (`"element"`); `given` supplies constant
 * statistics (batch norm in eval mode) instead of the input's. `bshape` is the shape `weight`
 * broadcasts to against `x` and `dims` the dims a group spans, for the Tensor-op backward.
 */
interface NormSpec {
  x: Tensor;
  weight: Tensor | null;
  bias: Tensor | null;
  eps: number;
  layout: Layout;
  affine: AffineIndex;
  dims: readonly number[];
  bshape: readonly number[];
  given: { mean: Float64Array; variance: Float64Array } | null;
}

/** The shared fused op (see {@link NormSpec}), recorded as `name`. */
function fusedNorm(name: string, spec: NormSpec): NormResult {
  const { x, weight, bias, eps, layout, affine, given } = spec;
  const dtype = x.dtype as "float32" | "float64";
  const { data: xd, offset: xo } = flat(x);
  const stats = given ?? groupStats(xd, xo, layout);
  const invstd = stats.variance.map((v) => 1 / Math.sqrt(v + eps));
  const L = layout;
  const perGroup = affine === "group";
  const { w, b } = affineArrays(weight, bias, perGroup ? L.groups : L.size);
  const out = alloc(dtype, x.numel());
  for (let g = 0; g < L.groups; g++) {
    const m = stats.mean[g];
    const is = invstd[g];
    for (let i = 0; i < L.outer; i++) {
      const start = i * L.outerStride + g * L.groupStride;
      if (perGroup) {
        const scale = is * w[g];
        const shift = b[g] - m * scale;
        for (let j = start, end = start + L.inner; j < end; j++) out[j] = xd[xo + j] * scale + shift;
      } else {
        for (let j = 0; j < L.inner; j++) out[start + j] = (xd[xo + start + j] - m) * is * w[j] + b[j];
      }
    }
  }
  const y = new Tensor(out, x.shape, dtype);
  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null);
  const rule = (gOut: Tensor): Array<Tensor | null> => {
    const grads = isGradEnabled()
      ? composedBackward(gOut, spec)
      : fusedBackward(gOut, xd, xo, weight, layout, affine, { mean: stats.mean, invstd, fromInput: given === null });
    const result: Array<Tensor | null> = [x.requiresGrad ? grads.dx : null];
    if (weight) result.push(weight.requiresGrad ? grads.dw : null);
    if (bias) result.push(bias.requiresGrad ? grads.db.reshape(bias.shape) : null);
    return result;
  };
  record(y, name, inputs, rule, inputs);
  return { out: y, mean: stats.mean, variance: stats.variance };
}

interface NormGrads {
  dx: Tensor;
  /** Null without a weight. */
  dw: Tensor | null;
  /** Summed to the broadcast shape of the weight (reshaped to the weight's shape when there is one). */
  db: Tensor;
}

/**
 * One pass per group: with xhat = (x − mean)·invstd and ĝ = g·w,
 * dx = invstd·(ĝ − mean(ĝ) − xhat·mean(ĝ·xhat)) when the statistics come from x (else ĝ·invstd),
 * dw = Σ g·xhat, db = Σ g over everything a weight element scales.
 */
function fusedBackward(
  gOut: Tensor,
  xd: FloatArray,
  xo: number,
  weight: Tensor | null,
  L: Layout,
  affine: AffineIndex,
  stats: NormStats,
): NormGrads {
  const dtype = gOut.dtype as "float32" | "float64";
  const { data: gd, offset: go } = flat(gOut);
  const perGroup = affine === "group";
  const nw = perGroup ? L.groups : L.size;
  const { w } = affineArrays(weight, null, nw);
  const dw = new Float64Array(nw);
  const db = new Float64Array(nw);
  const dx = alloc(dtype, gOut.numel());
  const inv = L.size > 0 ? 1 / L.size : 0;
  for (let g = 0; g < L.groups; g++) {
    const m = stats.mean[g];
    const is = stats.invstd[g];
    // Σ g and Σ g·(x − mean) per weight element, then Σ ĝ and Σ ĝ·xhat over the group.
    let sumG = 0;
    let sumGX = 0;
    for (let i = 0; i < L.outer; i++) {
      const start = i * L.outerStride + g * L.groupStride;
      if (perGroup) {
        let sg = 0;
        let sgx = 0;
        for (let j = start, end = start + L.inner; j < end; j++) {
          const gv = gd[go + j];
          sg += gv;
          sgx += gv * (xd[xo + j] - m);
        }
        db[g] += sg;
        dw[g] += sgx * is;
        sumG += sg * w[g];
        sumGX += sgx * is * w[g];
      } else {
        for (let j = 0; j < L.inner; j++) {
          const gv = gd[go + start + j];
          const xhat = (xd[xo + start + j] - m) * is;
          db[j] += gv;
          dw[j] += gv * xhat;
          sumG += gv * w[j];
          sumGX += gv * w[j] * xhat;
        }
      }
    }
    const meanG = sumG * inv;
    const meanGX = sumGX * inv;
    for (let i = 0; i < L.outer; i++) {
      const start = i * L.outerStride + g * L.groupStride;
      for (let j = 0; j < L.inner; j++) {
        const k = start + j;
        const gh = gd[go + k] * (perGroup ? w[g] : w[j]);
        dx[k] = stats.fromInput ? is * (gh - meanG - (xd[xo + k] - m) * is * meanGX) : gh * is;
      }
    }
  }
  const wshape = weight ? weight.shape : [nw];
  return {
    dx: new Tensor(dx, gOut.shape, dtype),
    dw: new Tensor(dtype === "float64" ? dw : Float32Array.from(dw), wshape, dtype),
    db: new Tensor(dtype === "float64" ? db : Float32Array.from(db), wshape, dtype),
  };
}

/** The same gradients as {@link fusedBackward}, written with Tensor ops (differentiable again). */
function composedBackward(gOut: Tensor, { x, weight, eps, dims, bshape, given }: NormSpec): NormGrads {
  const dtype = x.dtype as "float32" | "float64";
  let xhat: Tensor;
  let invstd: Tensor;
  if (given) {
    const constant = (v: Float64Array): Tensor => new Tensor(dtype === "float64" ? v : Float32Array.from(v), bshape, dtype);
    invstd = constant(given.variance.map((v) => 1 / Math.sqrt(v + eps)));
    xhat = x.sub(constant(given.mean)).mul(invstd);
  } else {
    const centered = x.sub(x.mean(dims, true));
    invstd = centered.square().mean(dims, true).add(eps).rsqrt();
    xhat = centered.mul(invstd);
  }
  const gh = weight ? gOut.mul(weight.reshape(bshape)) : gOut;
  const dx = given
    ? gh.mul(invstd)
    : invstd.mul(gh.sub(gh.mean(dims, true)).sub(xhat.mul(gh.mul(xhat).mean(dims, true))));
  if (!weight) return { dx, dw: null, db: sumToShape(gOut, bshape) };
  return {
    dx,
    dw: sumToShape(gOut.mul(xhat), bshape).reshape(weight.shape),
    db: sumToShape(gOut, bshape).reshape(weight.shape),
  };
}

/**
 * Batch normalization of `x` `(N, C, *)` over N and the trailing dims per channel, with `weight`
 * and `bias` of shape `[C]`; `given` holds constant per-channel statistics (eval mode).
 */
export function fusedBatchNorm(
  x: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
  given: { mean: Float64Array; variance: Float64Array } | null,
): NormResult {
  const [n, c] = x.shape;
  const s = x.shape.slice(2).reduce((p, d) => p * d, 1);
  const dims = x.shape.map((_, d) => d).filter((d) => d !== 1);
  const bshape = x.shape.map((d, i) => (i === 1 ? d : 1));
  return fusedNorm("NativeBatchNormBackward0", { x, weight, bias, eps, layout: channelLayout(n, c, s), affine: "group", dims, bshape, given });
}

/**
 * Layer normalization of `x` over its last `k` dims, with `weight` and `bias` of those dims' shape.
 */
export function fusedLayerNorm(x: Tensor, k: number, weight: Tensor | null, bias: Tensor | null, eps: number): NormResult {
  const m = x.shape.slice(x.ndim - k).reduce((p, d) => p * d, 1);
  const rows = m > 0 ? x.numel() / m : x.shape.slice(0, x.ndim - k).reduce((p, d) => p * d, 1);
  const dims = x.shape.map((_, d) => d).filter((d) => d >= x.ndim - k);
  const bshape = x.shape.map((d, i) => (i >= x.ndim - k ? d : 1));
  return fusedNorm("NativeLayerNormBackward0", { x, weight, bias, eps, layout: rowLayout(rows, m), affine: "element", dims, bshape, given: null });
}
