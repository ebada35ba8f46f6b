/**
 * ONNX forms of the nn layers the tracer records as single nodes (onnx-trace.ts), keyed by type
 * name: when a module of one of these types is entered, its forward runs untraced and its row
 * writes the nodes. Exported in eval mode: dropout is the identity, batch norm uses its running
 * statistics. Linear, the activation and the conv layers need no row: their forwards call Tensor
 * methods, nn's fused functional activations (onnx-activations.ts) and core's linear, convolution
 * and pad, which the tracer records (onnx-ops.ts).
 *
 * The recurrent layers use ONNX's LSTM, GRU and RNN ops, one node per layer (both directions in
 * it). Their gates are reordered: PyTorch's LSTM rows are i, f, g, o and ONNX's i, o, f, c; GRU's
 * r, z, n and ONNX's z, r, h, with `linear_before_reset = 1` (PyTorch applies the reset gate after
 * the hidden-hidden product).
 */
import { Tensor, cat, noGrad, ones, typeNameOf, zeros, type DType } from "@tsgrad/core";
import * as nn from "@tsgrad/nn";
import { floatAttr, intAttr, intsAttr, stringAttr, stringsAttr, type Graph } from "./onnx-graph.js";
import { flattenSpec, operand } from "./onnx-ops.js";
import { tensorsIn, type Trace } from "./onnx-trace.js";

/** One recorded layer call. */
export interface LayerCall {
  readonly trace: Trace;
  readonly g: Graph;
  readonly module: nn.Module;
  readonly args: readonly unknown[];
  readonly out: unknown;
  readonly path: string;
}

/** How a layer becomes ONNX nodes: the value name of each output tensor, in order. */
export type LayerEmitter = (c: LayerCall) => string | string[];

const input = (c: LayerCall): Tensor => c.args[0] as Tensor;
const x = (c: LayerCall): string => c.trace.value(input(c));
const dtypeOf = (c: LayerCall): DType => input(c).dtype;
const fail = (c: LayerCall, what: string, why = ""): never => {
  throw c.trace.error(what, why);
};
/** A size given as one number or per dim, as `nd` numbers. */
const tupleOf = (v: number | readonly number[], nd: number): number[] => (typeof v === "number" ? new Array<number>(nd).fill(v) : [...v]);
/** The spatial dims of a 1d/2d/3d layer, from its type name. */
const spatialDims = (m: nn.Module): number => Number(/(\d)d$/.exec(typeNameOf(m))?.[1] ?? 2);

/**
 * A batched-only ONNX op applied to `(C, ...)` or `(N, C, ...)`: an unbatched input gets a batch
 * dim for the op and loses it after.
 */
function batched(c: LayerCall, nd: number, op: (v: string) => string): string {
  if (input(c).ndim === nd + 2) return op(x(c));
  return c.g.squeeze(op(c.g.unsqueeze(x(c), [0])), [0]);
}

/**
 * Pooling windows as PyTorch sizes them (ceil mode drops a last window that starts in the right
 * padding), written for ONNX with ceil_mode 0 and the end padding that gives the same count.
 */
function poolWindows(inSizes: readonly number[], k: number[], s: number[], p: number[], d: number[], ceil: boolean): { outs: number[]; endPads: number[] } {
  const outs = inSizes.map((n, i) => {
    const span = n + 2 * p[i] - d[i] * (k[i] - 1) - 1;
    let o = (ceil ? Math.ceil(span / s[i]) : Math.floor(span / s[i])) + 1;
    if (ceil && (o - 1) * s[i] >= n + p[i]) o--;
    return o;
  });
  const endPads = inSizes.map((n, i) => Math.max(p[i], (outs[i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 - n - p[i]));
  return { outs, endPads };
}

const maxPool: LayerEmitter = (c) => {
  const m = c.module as nn.MaxPool1d;
  const nd = spatialDims(m);
  if (m.returnIndices) fail(c, `${typeNameOf(m)} with returnIndices`);
  const [k, s, p, d] = [m.kernelSize, m.stride, m.padding, m.dilation].map((v) => tupleOf(v, nd));
  const { endPads } = poolWindows(input(c).shape.slice(-nd), k, s, p, d, m.ceilMode);
  return batched(c, nd, (v) => c.g.node("MaxPool", [v], [intsAttr("kernel_shape", k), intsAttr("strides", s), intsAttr("dilations", d), intsAttr("pads", [...p, ...endPads])]));
};

const avgPool: LayerEmitter = (c) => {
  const m = c.module as nn.AvgPool1d;
  const nd = spatialDims(m);
  if (m.divisorOverride !== null) fail(c, `${typeNameOf(m)} with divisorOverride`);
  const [k, s, p] = [m.kernelSize, m.stride, m.padding].map((v) => tupleOf(v, nd));
  const sizes = input(c).shape.slice(-nd);
  const ones1 = new Array<number>(nd).fill(1);
  const { outs, endPads } = poolWindows(sizes, k, s, p, ones1, m.ceilMode);
  const overhang = endPads.some((e, i) => e > p[i]);
  const attrs = [intsAttr("kernel_shape", k), intsAttr("strides", s), intsAttr("pads", [...p, ...endPads])];
  if (!m.countIncludePad || !overhang) {
    return batched(c, nd, (v) => c.g.node("AveragePool", [v], [...attrs, intAttr("count_include_pad", m.countIncludePad ? 1 : 0)]));
  }
  // Ceil mode past the padding: PyTorch divides by the window clipped to input + padding, which
  // ONNX cannot say; average over the valid taps and rescale by valid / PyTorch's divisor.
  const ratio = noGrad(() => {
    const perDim = sizes.map((n, i) => Array.from({ length: outs[i] }, (_, o) => {
      const start = o * s[i] - p[i];
      const end = Math.min(start + k[i], n + p[i]);
      return (Math.min(end, n) - Math.max(start, 0)) / (end - start);
    }));
    let r = new Tensor(Float64Array.from(perDim[0]), [outs[0]], "float64");
    for (let i = 1; i < nd; i++) r = r.unsqueeze(-1).mul(new Tensor(Float64Array.from(perDim[i]), [outs[i]], "float64"));
    return r.to(dtypeOf(c));
  });
  return batched(c, nd, (v) => c.g.node("Mul", [c.g.node("AveragePool", [v], [...attrs, intAttr("count_include_pad", 0)]), c.g.tensor(ratio)]));
};

/** Adaptive pooling: global, or windows of input / output when the sizes divide (`global` and `windowed` are the ONNX ops). */
const adaptivePool = (global: string, windowed: string): LayerEmitter => (c) => {
  const m = c.module as nn.AdaptiveAvgPool1d | nn.AdaptiveMaxPool1d;
  const nd = spatialDims(m);
  if ("returnIndices" in m && m.returnIndices) fail(c, `${typeNameOf(m)} with returnIndices`);
  const sizes = input(c).shape.slice(-nd);
  const outs = tensorsIn(c.out)[0].shape.slice(-nd);
  if (outs.every((o) => o === 1)) return batched(c, nd, (v) => c.g.node(global, [v]));
  if (sizes.some((n, i) => n % outs[i] !== 0)) {
    fail(c, `${typeNameOf(m)} from ${JSON.stringify(sizes)} to ${JSON.stringify(outs)}`, "exported when each input size is a multiple of the output size (or the output is 1)");
  }
  const k = sizes.map((n, i) => n / outs[i]);
  return batched(c, nd, (v) => c.g.node(windowed, [v], [intsAttr("kernel_shape", k), intsAttr("strides", k)]));
};

/** `t`, or a constant of `fill` shaped `[n]` when it is null. */
const orFill = (c: LayerCall, t: Tensor | null | undefined, n: number, fill: 0 | 1): string =>
  t ? operand(c, t, dtypeOf(c)) : c.g.tensor(noGrad(() => (fill === 1 ? ones([n], { dtype: dtypeOf(c) }) : zeros([n], { dtype: dtypeOf(c) }))));

const batchNorm: LayerEmitter = (c) => {
  const m = c.module as nn.BatchNorm1d;
  if (m.runningMean === null || m.runningVar === null) fail(c, `${typeNameOf(m)} without running statistics`, "exported in eval mode, it needs trackRunningStats");
  const n = m.numFeatures;
  return c.g.node("BatchNormalization", [x(c), orFill(c, m.weight, n, 1), orFill(c, m.bias, n, 0), c.trace.value(m.runningMean!), c.trace.value(m.runningVar!)], [floatAttr("epsilon", m.eps)]);
};

/** InstanceNorm: running statistics in eval when it tracks them (as batch norm), else each sample's own. */
const instanceNorm: LayerEmitter = (c) => {
  const m = c.module as nn.InstanceNorm1d;
  const nd = spatialDims(m);
  const n = m.numFeatures;
  if (m.trackRunningStats && m.runningMean && m.runningVar) {
    return batched(c, nd, (v) => c.g.node("BatchNormalization", [v, orFill(c, m.weight, n, 1), orFill(c, m.bias, n, 0), c.trace.value(m.runningMean!), c.trace.value(m.runningVar!)], [floatAttr("epsilon", m.eps)]));
  }
  // Without affine parameters numFeatures need not match the channels: size them from the input.
  const channels = input(c).shape[input(c).ndim - nd - 1];
  return batched(c, nd, (v) => c.g.node("InstanceNormalization", [v, orFill(c, m.weight, channels, 1), orFill(c, m.bias, channels, 0)], [floatAttr("epsilon", m.eps)]));
};

/** (v − mean) / √(var + eps) over `axes` (keeping them). */
function normalize(g: Graph, v: string, axes: number[], eps: number, dtype: DType): string {
  const d = g.node("Sub", [v, g.reduce("ReduceMean", v, axes, true)]);
  const variance = g.reduce("ReduceMean", g.node("Mul", [d, d]), axes, true);
  return g.node("Div", [d, g.node("Sqrt", [g.node("Add", [variance, g.scalar(eps, dtype)])])]);
}

const layerNorm: LayerEmitter = (c) => {
  const m = c.module as nn.LayerNorm;
  const k = m.normalizedShape.length;
  const dtype = dtypeOf(c);
  const n = m.normalizedShape.reduce((a, b) => a * b, 1);
  const shaped = (t: Tensor | null, fill: 0 | 1): string => (t ? c.trace.value(t) : c.g.reshape(orFill(c, null, n, fill), [...m.normalizedShape]));
  if (c.g.opset >= 17) {
    return c.g.node("LayerNormalization", [x(c), shaped(m.weight, 1), ...(m.bias ? [c.trace.value(m.bias)] : [])], [intAttr("axis", -k), floatAttr("epsilon", m.eps)]);
  }
  const nd = input(c).ndim;
  let y = normalize(c.g, x(c), Array.from({ length: k }, (_, i) => nd - k + i), m.eps, dtype);
  if (m.weight) y = c.g.node("Mul", [y, c.trace.value(m.weight)]);
  if (m.bias) y = c.g.node("Add", [y, c.trace.value(m.bias)]);
  return y;
};

/** RMSNorm: x / √(mean(x²) + eps) · weight over the normalized dims; eps defaults to the dtype's machine epsilon. */
const rmsNorm: LayerEmitter = (c) => {
  const m = c.module as nn.RMSNorm;
  const dtype = dtypeOf(c);
  const nd = input(c).ndim;
  const k = m.normalizedShape.length;
  const eps = m.eps ?? (dtype === "float64" ? 2 ** -52 : 2 ** -23);
  const v = x(c);
  const ms = c.g.reduce("ReduceMean", c.g.node("Mul", [v, v]), Array.from({ length: k }, (_, i) => nd - k + i), true);
  const y = c.g.node("Div", [v, c.g.node("Sqrt", [c.g.node("Add", [ms, c.g.scalar(eps, dtype)])])]);
  return m.weight ? c.g.node("Mul", [y, c.trace.value(m.weight)]) : y;
};

/** GroupNorm decomposed (ONNX's GroupNormalization changed meaning in opset 21): groups normalized, then the per-channel affine. */
const groupNorm: LayerEmitter = (c) => {
  const m = c.module as nn.GroupNorm;
  const nd = input(c).ndim;
  const grouped = c.g.reshape(x(c), [0, m.numGroups, -1]);
  let y = c.g.node("Reshape", [normalize(c.g, grouped, [2], m.eps, dtypeOf(c)), c.g.node("Shape", [x(c)])]);
  const perChannel = (t: Tensor): string => c.g.reshape(c.trace.value(t), [m.numChannels, ...new Array<number>(nd - 2).fill(1)]);
  if (m.weight) y = c.g.node("Mul", [y, perChannel(m.weight)]);
  if (m.bias) y = c.g.node("Add", [y, perChannel(m.bias)]);
  return y;
};

const embedding: LayerEmitter = (c) => {
  const m = c.module as nn.Embedding;
  if (m.maxNorm !== null) fail(c, "Embedding with maxNorm", "it renormalizes the weight in place during forward");
  return c.g.node("Gather", [c.trace.value(m.weight), x(c)], [intAttr("axis", 0)]);
};

/** EmbeddingBag over a 2-D input (one bag per row): the rows gathered, then summed, averaged or maxed. */
const embeddingBag: LayerEmitter = (c) => {
  const m = c.module as nn.EmbeddingBag;
  const [ids, offsets, weights] = c.args as [Tensor, Tensor | null | undefined, Tensor | null | undefined];
  if (ids.ndim !== 2 || offsets) fail(c, "EmbeddingBag with offsets", "exported for a 2-D input, one bag per row");
  if (m.maxNorm !== null || m.paddingIdx !== null) fail(c, `EmbeddingBag with ${m.maxNorm !== null ? "maxNorm" : "paddingIdx"}`);
  let rows = c.g.node("Gather", [c.trace.value(m.weight), x(c)], [intAttr("axis", 0)]);
  if (weights) rows = c.g.node("Mul", [rows, c.g.unsqueeze(operand(c, weights, m.weight.dtype), [2])]);
  return c.g.reduce({ sum: "ReduceSum", mean: "ReduceMean", max: "ReduceMax" }[m.mode], rows, [1], false);
};

/**
 * Upsample (and UpsamplingNearest2d / UpsamplingBilinear2d): ONNX's Resize with PyTorch's
 * coordinate mapping. A scale factor is passed as Resize's scales (PyTorch maps by it too); a size,
 * or `recomputeScaleFactor`, as sizes (mapping by input / output), its batch and channels read
 * from the input so they may vary.
 */
const upsample: LayerEmitter = (c) => {
  const m = c.module as nn.Upsample;
  const g = c.g;
  const spatial = input(c).ndim - 2;
  const linear = m.mode === "linear" || m.mode === "bilinear" || m.mode === "trilinear";
  const modes: Record<string, ReturnType<typeof stringAttr>[]> = {
    nearest: [stringAttr("mode", "nearest"), stringAttr("coordinate_transformation_mode", "asymmetric"), stringAttr("nearest_mode", "floor")],
    "nearest-exact": [stringAttr("mode", "nearest"), stringAttr("coordinate_transformation_mode", "half_pixel"), stringAttr("nearest_mode", "round_prefer_ceil")],
    linear: [stringAttr("mode", "linear"), stringAttr("coordinate_transformation_mode", m.alignCorners ? "align_corners" : "pytorch_half_pixel")],
    bicubic: [stringAttr("mode", "cubic"), floatAttr("cubic_coeff_a", -0.75), stringAttr("coordinate_transformation_mode", m.alignCorners ? "align_corners" : "pytorch_half_pixel")],
  };
  const attrs = modes[linear ? "linear" : m.mode];
  if (attrs === undefined) fail(c, `Upsample with mode "${m.mode}"`, "nearest, nearest-exact, linear, bilinear, trilinear and bicubic are exported");
  if (m.scaleFactor !== undefined && m.recomputeScaleFactor !== true) {
    const scales = tupleOf(m.scaleFactor, spatial);
    return g.node("Resize", [x(c), "", g.tensor(new Tensor(Float32Array.from([1, 1, ...scales]), [spatial + 2], "float32"))], attrs);
  }
  const outs = (c.out as Tensor).shape.slice(2);
  const sizes = g.node("Concat", [g.slice(g.node("Shape", [x(c)]), [0], [2], [0]), g.int64s(outs)], [intAttr("axis", 0)]);
  return g.node("Resize", [x(c), "", "", sizes], attrs);
};

/** Rows of `w` (gate blocks of `h`) in the order `order` of PyTorch's block indices. */
const regate = (w: Tensor, h: number, order: readonly number[]): Tensor => cat(order.map((i) => w.narrow(0, i * h, h)), 0);

const RECURRENT: Readonly<Record<string, { op: string; order: readonly number[]; attrs: (m: nn.RNNBase, dirs: number) => ReturnType<typeof intAttr>[] }>> = {
  LSTM: { op: "LSTM", order: [0, 3, 1, 2], attrs: () => [] },
  GRU: { op: "GRU", order: [1, 0, 2], attrs: () => [intAttr("linear_before_reset", 1)] },
  RNN: {
    op: "RNN", order: [0],
    attrs: (m, dirs) => [stringsAttr("activations", new Array<string>(dirs).fill((m as nn.RNN).nonlinearity === "relu" ? "Relu" : "Tanh"))],
  },
};

/**
 * RNN, LSTM, GRU: one ONNX node per layer on `(L, N, ·)`; `batchFirst` and unbatched inputs are
 * transposed / given a batch dim around them. Outputs `[output, hN]` (LSTM `[output, hN, cN]`).
 */
const recurrent: LayerEmitter = (c) => {
  const m = c.module as nn.RNNBase;
  const spec = RECURRENT[typeNameOf(m)];
  if (m.projSize > 0) fail(c, "LSTM with projSize", "ONNX's LSTM has no projection");
  const dirs = m.bidirectional ? 2 : 1;
  const h = m.hiddenSize;
  const g = c.g;
  const unbatched = input(c).ndim === 2;
  let seq = x(c);
  if (unbatched) seq = g.unsqueeze(seq, [1]);
  else if (m.batchFirst) seq = g.transpose(seq, [1, 0, 2]);
  const states = tensorsOf(c.args[1]).map((t) => (unbatched ? g.unsqueeze(c.trace.value(t), [1]) : c.trace.value(t)));
  const finals: string[][] = states.length > 0 ? states.map(() => []) : spec.op === "LSTM" ? [[], []] : [[]];
  const weights = m.allWeights;
  const dtype = dtypeOf(c);
  for (let layer = 0; layer < m.numLayers; layer++) {
    const per = weights.slice(layer * dirs, (layer + 1) * dirs);
    const stacked = (k: number): Tensor => noGrad(() => cat(per.map((w) => regate(w[k], h, spec.order).unsqueeze(0)), 0).to(dtype));
    const W = g.tensor(stacked(0), `${c.path ? `${c.path}.` : ""}W_l${layer}`);
    const R = g.tensor(stacked(1), `${c.path ? `${c.path}.` : ""}R_l${layer}`);
    const B = m.bias ? g.tensor(noGrad(() => cat(per.map((w) => cat([regate(w[2], h, spec.order), regate(w[3], h, spec.order)], 0).unsqueeze(0)), 0).to(dtype)), `${c.path ? `${c.path}.` : ""}B_l${layer}`) : "";
    const initial = states.map((s) => g.slice(s, [layer * dirs], [(layer + 1) * dirs], [0]));
    const inputs = [seq, W, R, B, "", ...initial];
    const outs = g.nodeN(spec.op, inputs, spec.op === "LSTM" ? 3 : 2, [
      intAttr("hidden_size", h), stringAttr("direction", dirs === 2 ? "bidirectional" : "forward"), ...spec.attrs(m, dirs),
    ]);
    // Y (L, D, N, H) → (L, N, D·H), the next layer's input.
    seq = g.reshape(g.transpose(outs[0], [0, 2, 1, 3]), [0, 0, -1]);
    finals.forEach((f, i) => f.push(outs[1 + i]));
  }
  const joined = finals.map((f) => (f.length === 1 ? f[0] : g.node("Concat", f, [intAttr("axis", 0)])));
  if (unbatched) return [g.squeeze(seq, [1]), ...joined.map((s) => g.squeeze(s, [1]))];
  return [m.batchFirst ? g.transpose(seq, [1, 0, 2]) : seq, ...joined];
};

function tensorsOf(v: unknown): Tensor[] {
  if (v instanceof Tensor) return [v];
  if (Array.isArray(v)) return v.filter((t): t is Tensor => t instanceof Tensor);
  return [];
}

const flatten: LayerEmitter = (c) => c.g.reshape(x(c), flattenSpec(input(c), (c.out as Tensor).shape, (c.module as nn.Flatten).startDim));

const identity: LayerEmitter = (c) => x(c);

/** The table: layer type name → its ONNX form. */
export const LAYERS: Readonly<Record<string, LayerEmitter>> = {
  Flatten: flatten,
  Identity: identity,
  Dropout: identity, Dropout1d: identity, Dropout2d: identity, Dropout3d: identity, AlphaDropout: identity, FeatureAlphaDropout: identity,
  MaxPool1d: maxPool, MaxPool2d: maxPool,
  AvgPool1d: avgPool, AvgPool2d: avgPool,
  AdaptiveAvgPool1d: adaptivePool("GlobalAveragePool", "AveragePool"), AdaptiveAvgPool2d: adaptivePool("GlobalAveragePool", "AveragePool"),
  AdaptiveMaxPool1d: adaptivePool("GlobalMaxPool", "MaxPool"), AdaptiveMaxPool2d: adaptivePool("GlobalMaxPool", "MaxPool"),
  BatchNorm1d: batchNorm, BatchNorm2d: batchNorm, BatchNorm3d: batchNorm,
  InstanceNorm1d: instanceNorm, InstanceNorm2d: instanceNorm,
  LayerNorm: layerNorm,
  GroupNorm: groupNorm,
  RMSNorm: rmsNorm,
  Upsample: upsample, UpsamplingNearest2d: upsample, UpsamplingBilinear2d: upsample,
  Embedding: embedding,
  EmbeddingBag: embeddingBag,
  RNN: recurrent, LSTM: recurrent, GRU: recurrent,
};
