/**
 * Convolution (`torch.convolution`: plain and transposed, 1-d to 3-d, strided, padded, dilated,
 * grouped) and im2col / col2im, over the column kernels of kernels/im2col.ts and the WASM matmul.
 *
 * Three bilinear primitives carry everything, each the others' adjoint:
 * - `convForward(x, w)`: y = conv(x, w), per sample and group `W_g · im2col(x)`;
 * - `convInput(g, w)`: the adjoint in x (the transposed convolution), `col2im(W_gᵀ · g)`;
 * - `convWeight(x, g)`: the adjoint in w, `Σ_n g · im2col(x)ᵀ`.
 * Each backward rule is written with the other two, so gradients of every order exist (PyTorch's
 * double backward of convolution). A call lays the batch's columns side by side ([K, N·L], in
 * chunks of samples past COL_BUDGET elements) and multiplies once per group; the forward keeps its
 * columns for the weight gradient when they fit KEEP_BUDGET. Stride-1 convolutions use "wide"
 * columns (kernels/im2col.ts wideCols): a few more of them, each buffer row one copy of the input.
 */
import { Tensor } from "../tensor.js";
import { traceHook } from "../trace-hook.js";
import { allocate, type DType, type TypedArray } from "../dtype.js";
import { fmtShape, numelOf } from "../shape.js";
import { record } from "../autograd/node.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { recycleScratch } from "../autograd/recycle.js";
import { describeValue, optionChecks, resolveOptions } from "../options.js";
import { gemm } from "../kernels/matmul.js";
import {
  col2im as col2imKernel, colCols, colRows, copyRun, im2col as im2colKernel, im2colWide, padPlanes, wideCols, type WindowGeometry,
} from "../kernels/im2col.js";

type Triple = [number, number, number];

/** The full geometry of one convolution: channels, groups and the per-group window. */
interface ConvGeometry {
  /** Spatial rank (1, 2 or 3). */
  readonly nd: number;
  readonly groups: number;
  /** Channels of the convolution's input (x) and output (y): weight is [outChannels, inChannels / groups, ...kernel]. */
  readonly inChannels: number;
  readonly outChannels: number;
  readonly window: WindowGeometry;
}

const spatial = (g: ConvGeometry, t: readonly number[]): number[] => t.slice(3 - g.nd);

// The sizes every kernel below works in: column rows K and columns L, output channels per group,
// and the elements of one input channel.
function sizes(geo: ConvGeometry): { K: number; L: number; ocg: number; plane: number } {
  return { K: colRows(geo.window), L: colCols(geo.window), ocg: geo.outChannels / geo.groups, plane: numelOf(geo.window.input) };
}

// Elements of column buffer one call may hold: the whole batch's columns when they fit (one
// matrix product per group for the batch), else chunks of samples that do.
const COL_BUDGET = 1 << 22;

// Elements of columns a forward may keep for its weight gradient (8 MB of float32), held until
// the backward pass: past it, the weight gradient takes im2col again.
const KEEP_BUDGET = 1 << 21;

// Samples per column buffer for rows K and columns L per sample.
const chunkOf = (n: number, K: number, L: number): number => Math.max(1, Math.min(n, Math.floor(COL_BUDGET / (K * L))));

/**
 * Where a column buffer's columns sit: `width` columns per sample, and `runs` (triples: first
 * column, first output position, length) taking each sample's columns to its outputs.
 */
interface ColumnLayout {
  readonly width: number;
  readonly runs: Int32Array;
}

/**
 * A layout and the im2col that writes it: rows of group gi of samples [s0, s0 + m) at `at`,
 * m·width apart; `scratch`, a buffer of its own to give back (recycleScratch) once filled for good.
 */
interface Columns extends ColumnLayout {
  fill(cols: TypedArray, at: number, s0: number, m: number, gi: number): void;
  readonly scratch: TypedArray | null;
}

const compactLayout = (geo: ConvGeometry): ColumnLayout => ({ width: sizes(geo).L, runs: Int32Array.of(0, 0, sizes(geo).L) });

// Column l is output position l.
function compactColumns(X: Tensor, geo: ConvGeometry): Columns {
  const { L, plane } = sizes(geo);
  const { inChannels: C, window } = geo;
  return {
    ...compactLayout(geo),
    scratch: null,
    fill: (cols, at, s0, m, gi) => im2colKernel(X.data, X.offset + (s0 * C + gi * window.channels) * plane, window, cols, at, m * L, m, C * plane),
  };
}

// For stride 1: the input zero-padded once, then wide columns (kernels/im2col.ts wideCols), each
// buffer row one run of it per sample; null where they would cost more than twice the products.
function wideColumns(X: Tensor, geo: ConvGeometry): Columns | null {
  const w = geo.window;
  if (w.stride.some((v) => v !== 1)) return null;
  const { L } = sizes(geo);
  const [OD, OH, OW] = w.output;
  const padded = w.output.map((o, i) => o + (w.kernel[i] - 1) * w.dilation[i]) as Triple;
  const pg: WindowGeometry = { ...w, input: padded, padding: [0, 0, 0] };
  const Lw = wideCols(pg);
  if (Lw > 2 * L) return null;
  const { inChannels: C } = geo;
  const n = X.shape[0];
  const unpadded = w.padding.every((v) => v === 0);
  const planeP = numelOf(padded);
  const scratch = unpadded ? null : allocate(X.dtype, n * C * planeP, "conv");
  if (scratch) padPlanes(X.data, X.offset, n * C, w.input, w.padding, padded, scratch);
  const src = scratch ?? X.data;
  const off = scratch ? 0 : X.offset;
  const [, Hp, Wp] = padded;
  const runs = new Int32Array(OD * OH * 3);
  for (let od = 0, r = 0; od < OD; od++) {
    for (let oh = 0; oh < OH; oh++, r += 3) {
      runs[r] = (od * Hp + oh) * Wp;
      runs[r + 1] = (od * OH + oh) * OW;
      runs[r + 2] = OW;
    }
  }
  return {
    width: Lw,
    runs,
    scratch,
    fill: (cols, at, s0, m, gi) => im2colWide(src, off + (s0 * C + gi * w.channels) * planeP, pg, cols, at, m * Lw, m, C * planeP),
  };
}

/**
 * The columns a forward pass kept for the weight gradient: per group [K, N·width] at
 * `gi·K·N·width`. Wide ones only when the input is finite: their unused columns meet zero
 * gradients there, and 0·∞ would be NaN.
 */
type KeptColumns = { readonly cols: TypedArray; readonly layout: ColumnLayout } | null;

function allFinite(a: TypedArray, off: number, n: number): boolean {
  for (let i = off; i < off + n; i++) {
    const v = a[i];
    if (v - v !== 0) return false;
  }
  return true;
}

// Copies group gi of samples [s0, s0 + m) of y [N, OC, L] into buf [ocg, m·width] through the
// layout's runs; buf's other columns are left as they are.
function packGroup(y: TypedArray, yOff: number, buf: TypedArray, s0: number, m: number, gi: number, geo: ConvGeometry, layout: ColumnLayout): void {
  const { L, ocg } = sizes(geo);
  const { width, runs } = layout;
  for (let o = 0; o < ocg; o++) {
    for (let s = 0; s < m; s++) {
      const at = yOff + ((s0 + s) * geo.outChannels + gi * ocg + o) * L;
      const b = (o * m + s) * width;
      for (let r = 0; r < runs.length; r += 3) copyRun(buf, b + runs[r], y, at + runs[r + 1], runs[r + 2]);
    }
  }
}

// packGroup's inverse for the forward's product, adding the bias on the way: y[s0 + s, gi·ocg + o]
// = prod[o, s·width + ...] + bias[gi·ocg + o].
function unpackProduct(y: TypedArray, prod: TypedArray, s0: number, m: number, gi: number, geo: ConvGeometry, layout: ColumnLayout, bias: Tensor | null): void {
  const { L, ocg } = sizes(geo);
  const { width, runs } = layout;
  for (let o = 0; o < ocg; o++) {
    const v = bias ? bias.data[bias.offset + gi * ocg + o] : 0;
    for (let s = 0; s < m; s++) {
      const at = ((s0 + s) * geo.outChannels + gi * ocg + o) * L;
      const b = (o * m + s) * width;
      for (let r = 0; r < runs.length; r += 3) {
        const d = at + runs[r + 1], p = b + runs[r], len = runs[r + 2];
        if (bias) for (let i = 0; i < len; i++) y[d + i] = prod[p + i] + v;
        else copyRun(y, d, prod, p, len);
      }
    }
  }
}

// x [N, C, ...in] → y [N, OC, ...out], plus an optional bias [OC]; per group one product
// W_g [ocg, K] · cols [K, N·width] for the batch. With `keep`, also the columns (for convWeightKernel).
function convForwardKernel(x: Tensor, w: Tensor, bias: Tensor | null, geo: ConvGeometry, keep: boolean): { y: Tensor; kept: KeptColumns } {
  const X = x.contiguous();
  const Wt = w.contiguous();
  const n = x.shape[0];
  const { groups, inChannels: C, outChannels: OC, window } = geo;
  const { K, L, ocg, plane } = sizes(geo);
  const out = allocate(x.dtype, n * OC * L, "conv");
  const shape = [n, OC, ...spatial(geo, window.output)];
  if (n === 0) return { y: new Tensor(out, shape, x.dtype), kept: null };
  const b = bias ? bias.contiguous() : null;
  const wide = wideColumns(X, geo);
  const columns = wide ?? compactColumns(X, geo);
  const cw = columns.width;
  const chunk = chunkOf(n, K, cw);
  // Within KEEP_BUDGET, the whole batch is one chunk.
  const kept = keep && groups * K * n * cw <= KEEP_BUDGET && (!wide || allFinite(X.data, X.offset, n * C * plane));
  const cols = allocate(x.dtype, kept ? groups * K * n * cw : K * chunk * cw, "conv");
  const prod = allocate(x.dtype, ocg * chunk * cw, "conv");
  for (let s0 = 0; s0 < n; s0 += chunk) {
    const m = Math.min(chunk, n - s0);
    for (let gi = 0; gi < groups; gi++) {
      const at = kept ? gi * K * n * cw : 0;
      columns.fill(cols, at, s0, m, gi);
      gemm(prod, 0, Wt.data, Wt.offset + gi * ocg * K, cols, at, ocg, K, m * cw, "kn");
      unpackProduct(out, prod, s0, m, gi, geo, columns, b);
    }
  }
  // The next step's same-sized buffers come from these (autograd/recycle.ts).
  recycleScratch(prod);
  if (columns.scratch) recycleScratch(columns.scratch);
  if (!kept) recycleScratch(cols);
  // Only the layout goes with the kept columns: `columns.fill` reads the recycled padded input.
  return { y: new Tensor(out, shape, x.dtype), kept: kept ? { cols, layout: { width: cw, runs: columns.runs } } : null };
}

// g [N, OC, ...out] → dx [N, C, ...in]: col2im(W_gᵀ · g_g) per group, the batch side by side.
function convInputKernel(g: Tensor, w: Tensor, geo: ConvGeometry): Tensor {
  const G = g.contiguous();
  const n = g.shape[0];
  const { groups, inChannels: C, window } = geo;
  const { K, L, ocg, plane } = sizes(geo);
  const out = allocate(g.dtype, n * C * plane, "convTranspose");
  const shape = [n, C, ...spatial(geo, window.input)];
  if (n === 0) return new Tensor(out, shape, g.dtype);
  // The kernel's A operand is W_gᵀ [K, ocg]: W_g [ocg, K] as it lies, transposed ("km").
  const wc = w.contiguous();
  const layout = compactLayout(geo);
  const chunk = chunkOf(n, K, L);
  const col = allocate(g.dtype, K * chunk * L, "convTranspose");
  const gs = allocate(g.dtype, ocg * chunk * L, "convTranspose");
  for (let s0 = 0; s0 < n; s0 += chunk) {
    const m = Math.min(chunk, n - s0);
    for (let gi = 0; gi < groups; gi++) {
      packGroup(G.data, G.offset, gs, s0, m, gi, geo, layout);
      gemm(col, 0, wc.data, wc.offset + gi * ocg * K, gs, 0, K, ocg, m * L, "kn", "km");
      col2imKernel(col, 0, window, out, (s0 * C + gi * window.channels) * plane, m * L, m, C * plane);
    }
  }
  recycleScratch(col);
  recycleScratch(gs);
  return new Tensor(out, shape, g.dtype);
}

// x [N, C, ...in], g [N, OC, ...out] → dw [OC, C / groups, ...kernel]: per group g_g [ocg, N·width] ·
// colsᵀ, over the forward's kept columns when given (else compact ones, im2col again).
function convWeightKernel(x: Tensor, g: Tensor, geo: ConvGeometry, kept: KeptColumns): Tensor {
  const G = g.contiguous();
  const n = x.shape[0];
  const { groups, outChannels: OC, window } = geo;
  const { K, ocg } = sizes(geo);
  const out = allocate(x.dtype, OC * K, "conv");
  const shape = [OC, window.channels, ...spatial(geo, window.kernel)];
  if (n === 0) return new Tensor(out, shape, x.dtype);
  const columns = kept ? null : compactColumns(x.contiguous(), geo);
  const layout = kept?.layout ?? columns!;
  const cw = layout.width;
  const chunk = kept ? n : chunkOf(n, K, cw);
  const cols = kept?.cols ?? allocate(x.dtype, K * chunk * cw, "conv");
  // Zeros in the columns no output owns, for good: packGroup writes only the runs.
  const gs = allocate(x.dtype, ocg * chunk * cw, "conv");
  const part = allocate(x.dtype, K * ocg, "conv");
  for (let s0 = 0; s0 < n; s0 += chunk) {
    const m = Math.min(chunk, n - s0);
    for (let gi = 0; gi < groups; gi++) {
      const at = kept ? gi * K * n * cw : 0;
      columns?.fill(cols, 0, s0, m, gi);
      packGroup(G.data, G.offset, gs, s0, m, gi, geo, layout);
      // dw_gᵀ [K, ocg] = cols [K, m·width] · g_gᵀ, g_g [ocg, m·width] being the kernel's "nk" (Bᵀ)
      // operand: measured 15-20% faster than g_g · colsᵀ on LeNet's shapes (WASM kernel, 1 thread).
      gemm(part, 0, cols, at, gs, 0, K, m * cw, ocg, "nk");
      const to = gi * ocg * K;
      for (let o = 0; o < ocg; o++) {
        for (let r = 0; r < K; r++) out[to + o * K + r] += part[r * ocg + o];
      }
    }
  }
  recycleScratch(gs);
  recycleScratch(part);
  if (!kept) recycleScratch(cols);
  return new Tensor(out, shape, x.dtype);
}

const NODE = "ConvolutionBackward0";

/** y = conv(x, w) + b, differentiable to every order. */
function convForward(x: Tensor, w: Tensor, bias: Tensor | null, geo: ConvGeometry): Tensor {
  // The columns are kept for the weight gradient; x is saved, so an in-place write to it before
  // backward is an error, as in PyTorch, and they cannot go stale.
  const keep = w.requiresGrad && isGradEnabled();
  const { y, kept } = convForwardKernel(x.detach(), w.detach(), bias?.detach() ?? null, geo, keep);
  const inputs = bias ? [x, w, bias] : [x, w];
  return record(y, NODE, inputs, (g) => [
    x.requiresGrad ? convInput(g, w, geo) : null,
    w.requiresGrad ? convWeight(x, g, geo, kept) : null,
    bias?.requiresGrad ? g.sum([0, ...spatialDims(geo)]) : null,
  ], [x, w]);
}

/** The adjoint of conv in x (the transposed convolution): ⟨conv(x, w), g⟩ = ⟨x, convInput(g, w)⟩. */
function convInput(g: Tensor, w: Tensor, geo: ConvGeometry): Tensor {
  const dx = convInputKernel(g.detach(), w.detach(), geo);
  return record(dx, NODE, [g, w], (gx) => [
    g.requiresGrad ? convForward(gx, w, null, geo) : null,
    w.requiresGrad ? convWeight(gx, g, geo) : null,
  ], [g, w]);
}

/** The adjoint of conv in w: ⟨conv(x, w), g⟩ = ⟨w, convWeight(x, g)⟩. */
function convWeight(x: Tensor, g: Tensor, geo: ConvGeometry, kept: KeptColumns = null): Tensor {
  const dw = convWeightKernel(x.detach(), g.detach(), geo, kept);
  return record(dw, NODE, [x, g], (gw) => [
    x.requiresGrad ? convInput(g, gw, geo) : null,
    g.requiresGrad ? convForward(x, gw, null, geo) : null,
  ], [x, g]);
}

function spatialDims(geo: ConvGeometry): number[] {
  return Array.from({ length: geo.nd }, (_, i) => i + 2);
}

// ------------------------------------------------------------------------------------ public API

/**
 * Options of {@link convolution}: per spatial dim, a number (every dim) or an array (one per dim).
 * @example `convolution(ones([1, 2, 5, 5]), ones([2, 1, 3, 3]), null, { stride: [2, 1], groups: 2 })`
 * @group Convolution
 */
export interface ConvolutionOptions {
  /** Step of the window (default 1). */
  stride?: number | readonly number[];
  /** Zeros added on both sides of each spatial dim (default 0). */
  padding?: number | readonly number[];
  /** Spacing between kernel taps (default 1). */
  dilation?: number | readonly number[];
  /** The transposed convolution (the adjoint of the plain one in its input; default false). */
  transposed?: boolean;
  /** Transposed only: extra size added to one side of each output dim (default 0), < stride or dilation. */
  outputPadding?: number | readonly number[];
  /** Blocked connections: input and output channels split into this many groups (default 1). */
  groups?: number;
}

const CONVOLUTION_DEFAULTS: Required<ConvolutionOptions> = {
  stride: 1, padding: 0, dilation: 1, transposed: false, outputPadding: 0, groups: 1,
};

/**
 * Reads a per-dim size argument: a number for every dim or an array of `nd` integers ≥ `min`.
 * Throws a TypeError/RangeError naming `op` and `name`.
 *
 * @example
 * ```ts
 * convTuple("conv2d", "stride", 2, 2); // → [2, 2]
 * ```
 * @group Convolution
 */
export function convTuple(op: string, name: string, value: unknown, nd: number, min = 0): number[] {
  const list = typeof value === "number" ? new Array<number>(nd).fill(value) : value;
  if (!Array.isArray(list)) {
    throw new TypeError(`${op}: ${name} must be an integer or an array of ${nd} integers, got ${describeValue(value)}`);
  }
  if (list.length !== nd) {
    throw new RangeError(`${op}: ${name} must be an integer or an array of ${nd} integers, got [${list.join(", ")}]`);
  }
  for (const v of list as unknown[]) {
    if (typeof v !== "number") throw new TypeError(`${op}: ${name} must hold integers, got ${describeValue(v)}`);
    if (!Number.isSafeInteger(v) || v < min) {
      throw new RangeError(`${op}: ${name} must hold integers >= ${min}, got ${typeof value === "number" ? value : `[${list.join(", ")}]`}`);
    }
  }
  return list as number[];
}

const pad3 = (v: readonly number[], fill: number): Triple => {
  const t: Triple = [fill, fill, fill];
  for (let i = 0; i < v.length; i++) t[3 - v.length + i] = v[i];
  return t;
};

function checkFloatSame(op: string, ts: ReadonlyArray<readonly [string, Tensor | null]>): DType {
  const dtype = ts[0][1]!.dtype;
  for (const [what, t] of ts) {
    if (!t) continue;
    if (t.dtype !== "float32" && t.dtype !== "float64") throw new TypeError(`${op}: expected floating-point tensors, got ${what} of dtype ${t.dtype}`);
    if (t.dtype !== dtype) throw new TypeError(`${op}: input, weight and bias must have the same dtype, got ${ts.map(([w, u]) => (u ? `${w} ${u.dtype}` : "")).filter(Boolean).join(", ")}`);
  }
  return dtype;
}

/**
 * N-dimensional convolution or transposed convolution with PyTorch's `torch.convolution`
 * semantics, the op behind `F.conv1d/2d/3d` and `F.convTranspose1d/2d/3d`; batched inputs only.
 *
 * - plain: `input` (N, C_in, *in), `weight` (C_out, C_in / groups, *k), `bias` (C_out), output
 *   (N, C_out, *out) with `out = ⌊(in + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1`;
 *   `y[n, o] = b[o] + Σ_c Σ_taps w[o, c, tap] · x[n, g·C_in/groups + c, out·stride − padding + tap·dilation]`.
 * - transposed: `input` (N, C_in, *in), `weight` (C_in, C_out / groups, *k), output (N, C_out, *out)
 *   with `out = (in − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1`: the gradient of
 *   the plain convolution with respect to its input.
 *
 * Through im2col and the matrix-multiply kernel, the batch in one matrix product per group.
 * Backward gives the input, weight and bias gradients; its rules are convolutions themselves, so
 * double backward works.
 *
 * @example
 * ```ts
 * const x = ones([1, 1, 3, 3]);
 * const w = ones([1, 1, 2, 2]);
 * convolution(x, w, null, { padding: 1 }).shape;                  // [1, 1, 4, 4]
 * convolution(x, w, null, { stride: 2 }).toArray();               // [[[[4]]]]
 * convolution(x, w, null, { transposed: true }).shape;            // [1, 1, 4, 4]
 * ```
 * @group Convolution
 */
export function convolution(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvolutionOptions = {}): Tensor {
  return convolutionAs("convolution", input, weight, bias ?? null, options);
}

const CONVOLUTION_CHECKS = { transposed: optionChecks.boolean, groups: optionChecks.intAtLeast(1) };

/**
 * {@link convolution} with its errors named `op` (`conv2d`, `convTranspose1d`, ...): what nn's
 * functional forms call.
 *
 * @example
 * ```ts
 * convolutionAs("conv1d", ones([1, 2, 5]), ones([3, 2, 3]), null, { stride: 2 }).shape; // [1, 3, 2]
 * ```
 * @group Convolution
 */
export function convolutionAs(op: string, input: Tensor, weight: Tensor, bias: Tensor | null, options: ConvolutionOptions = {}): Tensor {
  if (traceHook !== null) return traceHook("convolution", convolutionAs, [op, input, weight, bias, options]) as Tensor;
  const { stride, padding, dilation, transposed, outputPadding, groups } = resolveOptions(op, options, CONVOLUTION_DEFAULTS, CONVOLUTION_CHECKS);
  for (const [what, t] of [["input", input], ["weight", weight]] as const) {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected ${what} to be a Tensor, got ${describeValue(t)}`);
  }
  if (bias !== null && !(bias instanceof Tensor)) throw new TypeError(`${op}: expected bias to be a Tensor or null, got ${describeValue(bias)}`);
  const nd = weight.ndim - 2;
  if (nd < 1 || nd > 3) throw new RangeError(`${op}: weight must be 3-D, 4-D or 5-D [out, in / groups, ...kernel], got shape ${fmtShape(weight.shape)}`);
  if (input.ndim !== nd + 2) {
    throw new RangeError(`${op}: expected a ${nd + 2}-D input (N, C, ${["L", "H, W", "D, H, W"][nd - 1]}) for weight of shape ${fmtShape(weight.shape)}, got input of shape ${fmtShape(input.shape)}`);
  }
  checkFloatSame(op, [["input", input], ["weight", weight], ["bias", bias]]);
  const s = convTuple(op, "stride", stride, nd, 1);
  const p = convTuple(op, "padding", padding, nd, 0);
  const d = convTuple(op, "dilation", dilation, nd, 1);
  const op_ = convTuple(op, "outputPadding", outputPadding, nd, 0);
  const k = weight.shape.slice(2);
  const inSp = input.shape.slice(2);
  const cIn = input.shape[1];
  // The plain convolution's view: x has xC channels, y has yC, weight is [yC, xC / groups, ...k].
  let xC: number;
  let yC: number;
  let xSp: number[];
  let ySp: number[];
  if (!transposed) {
    if (weight.shape[0] % groups !== 0) throw new RangeError(`${op}: out channels ${weight.shape[0]} (weight ${fmtShape(weight.shape)}) must be divisible by groups ${groups}`);
    if (cIn !== weight.shape[1] * groups) {
      throw new RangeError(`${op}: input of shape ${fmtShape(input.shape)} has ${cIn} channels, weight of shape ${fmtShape(weight.shape)} with groups=${groups} expects ${weight.shape[1] * groups}`);
    }
    xC = cIn;
    yC = weight.shape[0];
    xSp = inSp;
    ySp = inSp.map((n, i) => Math.floor((n + 2 * p[i] - d[i] * (k[i] - 1) - 1) / s[i]) + 1);
    const padded = inSp.map((n, i) => n + 2 * p[i]);
    if (ySp.some((n) => n < 1)) {
      const eff = k.map((kk, i) => d[i] * (kk - 1) + 1);
      throw new RangeError(`${op}: input of shape ${fmtShape(input.shape)} (padded size [${padded.join(", ")}]) is smaller than the kernel (dilated size [${eff.join(", ")}]) with stride [${s.join(", ")}], padding [${p.join(", ")}], dilation [${d.join(", ")}]`);
    }
  } else {
    if (weight.shape[0] !== cIn) {
      throw new RangeError(`${op}: input of shape ${fmtShape(input.shape)} has ${cIn} channels, weight of shape ${fmtShape(weight.shape)} expects ${weight.shape[0]} ([in, out / groups, ...kernel])`);
    }
    if (cIn % groups !== 0) throw new RangeError(`${op}: in channels ${cIn} must be divisible by groups ${groups}`);
    for (let i = 0; i < nd; i++) {
      if (op_[i] >= s[i] && op_[i] >= d[i]) {
        throw new RangeError(`${op}: outputPadding [${op_.join(", ")}] must be smaller than either stride [${s.join(", ")}] or dilation [${d.join(", ")}]`);
      }
    }
    yC = cIn;
    xC = weight.shape[1] * groups;
    ySp = inSp;
    xSp = inSp.map((n, i) => (n - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + op_[i] + 1);
    if (xSp.some((n) => n < 1)) {
      throw new RangeError(`${op}: input of shape ${fmtShape(input.shape)} gives a non-positive output size [${xSp.join(", ")}] with stride [${s.join(", ")}], padding [${p.join(", ")}], dilation [${d.join(", ")}], outputPadding [${op_.join(", ")}]`);
    }
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== (transposed ? xC : yC))) {
    throw new RangeError(`${op}: bias must have shape [${transposed ? xC : yC}], got ${fmtShape(bias.shape)}`);
  }
  const geo: ConvGeometry = {
    nd, groups, inChannels: xC, outChannels: yC,
    window: {
      channels: xC / groups, input: pad3(xSp, 1), kernel: pad3(k, 1), stride: pad3(s, 1),
      padding: pad3(p, 0), dilation: pad3(d, 1), output: pad3(ySp, 1),
    },
  };
  if (!transposed) return convForward(input, weight, bias, geo);
  const y = convInput(input, weight, geo);
  return bias ? y.add(bias.reshape([xC, ...new Array<number>(nd).fill(1)])) : y;
}

/**
 * The output size of a transposed convolution that PyTorch picks for a requested `outputSize`:
 * the `outputPadding` (per dim) that turns the minimal size into it, or a RangeError naming `op`
 * when it is out of reach (`outputSize` must lie in [min, min + max(stride, dilation) − 1]).
 *
 * @example
 * ```ts
 * convTransposeOutputPadding("convTranspose2d", [5, 5], [10, 10], [3, 3], [2, 2], [1, 1], [1, 1]); // → [1, 1]
 * ```
 * @group Convolution
 */
export function convTransposeOutputPadding(
  op: string, inSize: readonly number[], outputSize: readonly number[], kernel: readonly number[],
  stride: readonly number[], padding: readonly number[], dilation: readonly number[],
): number[] {
  return inSize.map((n, i) => {
    const min = (n - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + 1;
    const max = min + Math.max(stride[i], dilation[i]) - 1;
    if (!Number.isSafeInteger(outputSize[i]) || outputSize[i] < min || outputSize[i] > max) {
      throw new RangeError(`${op}: requested outputSize [${outputSize.join(", ")}] is out of reach: dim ${i} must be in [${min}, ${max}] for input size [${inSize.join(", ")}]`);
    }
    return outputSize[i] - min;
  });
}

// ------------------------------------------------------------------------------ im2col / col2im

/**
 * Options of {@link im2col} and {@link col2im} (PyTorch's `F.unfold` / `F.fold`): pairs or one number.
 * @example `im2col(ones([1, 1, 5, 5]), 3, { stride: 2, padding: [1, 0] })`
 * @group Convolution
 */
export interface Im2colOptions {
  /** Spacing between kernel taps (default 1). */
  dilation?: number | readonly number[];
  /** Zeros added on both sides of each spatial dim (default 0). */
  padding?: number | readonly number[];
  /** Step of the window (default 1). */
  stride?: number | readonly number[];
}

const IM2COL_DEFAULTS: Required<Im2colOptions> = { dilation: 1, padding: 0, stride: 1 };

function windowOf(op: string, channels: number, inSp: readonly number[], kernelSize: unknown, options: Im2colOptions): WindowGeometry {
  const opts = resolveOptions(op, options, IM2COL_DEFAULTS);
  const k = convTuple(op, "kernelSize", kernelSize, 2, 1);
  const d = convTuple(op, "dilation", opts.dilation, 2, 1);
  const p = convTuple(op, "padding", opts.padding, 2, 0);
  const s = convTuple(op, "stride", opts.stride, 2, 1);
  const out = inSp.map((n, i) => Math.floor((n + 2 * p[i] - d[i] * (k[i] - 1) - 1) / s[i]) + 1);
  if (out.some((n) => n < 1)) {
    throw new RangeError(`${op}: spatial size [${inSp.join(", ")}] with padding [${p.join(", ")}] is smaller than the kernel [${k.join(", ")}] (dilation [${d.join(", ")}]): no sliding block fits`);
  }
  return { channels, input: pad3(inSp, 1), kernel: pad3(k, 1), stride: pad3(s, 1), padding: pad3(p, 0), dilation: pad3(d, 1), output: pad3(out, 1) };
}

// The two directions as one pair of linear ops, each the other's backward.
function im2colOp(x: Tensor, w: WindowGeometry): Tensor {
  const X = x.detach().contiguous();
  const n = x.shape[0];
  const K = colRows(w);
  const L = colCols(w);
  const out = allocate(x.dtype, n * K * L, "im2col");
  const plane = numelOf(w.input) * w.channels;
  for (let s = 0; s < n; s++) im2colKernel(X.data, X.offset + s * plane, w, out, s * K * L);
  return record(new Tensor(out, [n, K, L], x.dtype), "Im2ColBackward0", [x], (g) => [col2imOp(g, w)], []);
}

function col2imOp(cols: Tensor, w: WindowGeometry): Tensor {
  const C = cols.detach().contiguous();
  const n = cols.shape[0];
  const K = colRows(w);
  const L = colCols(w);
  const plane = numelOf(w.input) * w.channels;
  const out = allocate(cols.dtype, n * plane, "col2im");
  for (let s = 0; s < n; s++) col2imKernel(C.data, C.offset + s * K * L, w, out, s * plane);
  const y = new Tensor(out, [n, w.channels, w.input[1], w.input[2]], cols.dtype);
  return record(y, "Col2ImBackward0", [cols], (g) => [im2colOp(g, w)], []);
}

/**
 * Extracts sliding local blocks (PyTorch's `F.unfold`, im2col): `input` (N, C, H, W) to
 * (N, C·kH·kW, L) where L is the number of block positions, `⌊(H + 2·padding − dilation·(kH − 1) − 1) / stride⌋ + 1`
 * times the same for W. Row `c·kH·kW + i·kW + j` holds tap (i, j) of channel c. Backward: {@link col2im}.
 *
 * @example
 * ```ts
 * const x = arange(9).reshape(1, 1, 3, 3);
 * im2col(x, 2).toArray()[0]; // [[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]]
 * ```
 * @group Convolution
 */
export function im2col(input: Tensor, kernelSize: number | readonly number[], options: Im2colOptions = {}): Tensor {
  if (!(input instanceof Tensor)) throw new TypeError(`unfold: expected input to be a Tensor, got ${describeValue(input)}`);
  if (input.ndim !== 4) throw new RangeError(`unfold: expected a 4-D input (N, C, H, W), got shape ${fmtShape(input.shape)}`);
  if (input.dtype === "bool") throw new TypeError("unfold: bool tensors are not supported; cast with .int() or .float()");
  return im2colOp(input, windowOf("unfold", input.shape[1], input.shape.slice(2), kernelSize, options));
}

/**
 * Sums sliding local blocks back into a tensor (PyTorch's `F.fold`, col2im), the adjoint of
 * {@link im2col}: `input` (N, C·kH·kW, L) to (N, C, outputSize[0], outputSize[1]); overlapping
 * entries add up and padding is dropped. Backward: {@link im2col}.
 *
 * @example
 * ```ts
 * col2im(ones([1, 4, 4]), [3, 3], 2).toArray(); // [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]
 * ```
 * @group Convolution
 */
export function col2im(input: Tensor, outputSize: number | readonly number[], kernelSize: number | readonly number[], options: Im2colOptions = {}): Tensor {
  if (!(input instanceof Tensor)) throw new TypeError(`fold: expected input to be a Tensor, got ${describeValue(input)}`);
  if (input.ndim !== 3) throw new RangeError(`fold: expected a 3-D input (N, C·kH·kW, L), got shape ${fmtShape(input.shape)}`);
  if (input.dtype === "bool") throw new TypeError("fold: bool tensors are not supported; cast with .int() or .float()");
  const size = convTuple("fold", "outputSize", outputSize, 2, 1);
  const k = convTuple("fold", "kernelSize", kernelSize, 2, 1);
  const taps = k[0] * k[1];
  if (input.shape[1] % taps !== 0) {
    throw new RangeError(`fold: input of shape ${fmtShape(input.shape)}: dim 1 (${input.shape[1]}) must be divisible by the kernel's ${taps} taps [${k.join(", ")}]`);
  }
  const w = windowOf("fold", input.shape[1] / taps, size, k, options);
  if (colCols(w) !== input.shape[2]) {
    throw new RangeError(`fold: input of shape ${fmtShape(input.shape)} has ${input.shape[2]} blocks, outputSize [${size.join(", ")}] with kernel [${k.join(", ")}] gives ${colCols(w)}`);
  }
  return col2imOp(input, w);
}
