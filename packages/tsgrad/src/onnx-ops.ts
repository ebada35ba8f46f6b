/**
 * ONNX forms of the core ops the tracer records (onnx-trace.ts): one row per Tensor method or
 * traced free function, keyed by its name. A row gets the call's arguments (`args[0]` is the
 * tensor of a method) and its result, and returns the ONNX value name of each output tensor.
 * Shapes are read from the traced tensors; a dim that the model keeps from its input (a batch dim
 * in `reshape`, `expand`, `flatten`) stays symbolic (ONNX's 0 in Reshape, 1 in Expand), so an
 * export with `dynamicAxes` runs on other sizes.
 */
import { Slice, Tensor, promoteTypes, type DType, type TensorLike } from "@tsgrad/core";
import { INT64_MAX, intAttr, intsAttr, stringAttr, type Graph } from "./onnx-graph.js";
import type { Trace } from "./onnx-trace.js";
import { ACTIVATIONS } from "./onnx-activations.js";

/** One recorded call. */
export interface OpCall {
  readonly trace: Trace;
  readonly g: Graph;
  /** The arguments; a method's tensor first. */
  readonly args: readonly unknown[];
  /** What the call returned. */
  readonly out: unknown;
  /** The op's name. */
  readonly name: string;
}

/** How an op becomes ONNX nodes: the value name of each output tensor, in order. */
export type OpEmitter = (c: OpCall) => string | string[];

const normDim = (d: number, ndim: number): number => (d < 0 ? d + ndim : d);
const outTensor = (c: OpCall): Tensor => c.out as Tensor;
const self = (c: OpCall): Tensor => c.args[0] as Tensor;

/** The value of `x` as `dtype`: a number becomes a constant, a tensor of another dtype is cast. */
export function operand(c: { trace: Trace; g: Graph }, x: TensorLike, dtype: DType): string {
  if (typeof x === "number") return c.g.scalar(x, dtype);
  const name = c.trace.value(x);
  return x.dtype === dtype ? name : c.g.cast(name, dtype);
}

/** The size arguments of `reshape(2, 3)` / `reshape([2, 3])`. */
function sizeArgs(args: readonly unknown[]): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? [...(args[0] as number[])] : (args as number[]);
}

/**
 * The Reshape spec taking `from` to `to`: dims kept from the input at the front are 0 (copied, so
 * they may vary), the dim the caller left to inference (−1) stays −1, the rest are literal.
 */
export function reshapeSpec(from: readonly number[], to: readonly number[], inferred = -1): number[] {
  const spec = [...to];
  let i = 0;
  for (; i < Math.min(from.length, to.length) && from[i] === to[i] && to[i] !== 0; i++) spec[i] = 0;
  if (inferred >= i && inferred < to.length) spec[inferred] = -1;
  return spec;
}

/** The Reshape spec of `x.flatten(startDim, …)` to `to`: the dims before it kept (0), the flattened one inferred. */
export function flattenSpec(x: Tensor, to: readonly number[], startDim: number): number[] {
  if (x.ndim === 0) return [1];
  const start = normDim(startDim, x.ndim);
  return to.map((s, i) => (i < start ? 0 : i === start ? -1 : s));
}

const unary = (op: string): OpEmitter => (c) => c.g.node(op, [operand(c, self(c), outTensor(c).dtype)]);
const binary = (op: string): OpEmitter => (c) => {
  const dtype = outTensor(c).dtype;
  return c.g.node(op, [operand(c, c.args[0] as TensorLike, dtype), operand(c, c.args[1] as TensorLike, dtype)]);
};

/** `a ± alpha·b`. */
const addLike = (op: "Add" | "Sub"): OpEmitter => (c) => {
  const dtype = outTensor(c).dtype;
  const alpha = (c.args[2] as { alpha?: number } | undefined)?.alpha ?? 1;
  let b = operand(c, c.args[1] as TensorLike, dtype);
  if (alpha !== 1) b = c.g.node("Mul", [b, c.g.scalar(alpha, dtype)]);
  return c.g.node(op, [operand(c, self(c), dtype), b]);
};

/** A binary op composed of nodes on both operands (cast to the output's dtype). */
const composedBinary = (f: (g: Graph, a: string, b: string, dtype: DType) => string): OpEmitter => (c) => {
  const dtype = outTensor(c).dtype;
  return f(c.g, operand(c, c.args[0] as TensorLike, dtype), operand(c, c.args[1] as TensorLike, dtype), dtype);
};

/** addcmul / addcdiv: `x + value·(t1 op t2)`. */
const addc = (op: "Mul" | "Div"): OpEmitter => (c) => {
  const dtype = outTensor(c).dtype;
  const [x, t1, t2] = [0, 1, 2].map((i) => operand(c, c.args[i] as Tensor, dtype));
  const value = (c.args[3] as { value?: number } | undefined)?.value ?? 1;
  let p = c.g.node(op, [t1, t2]);
  if (value !== 1) p = c.g.node("Mul", [p, c.g.scalar(value, dtype)]);
  return c.g.node("Add", [x, p]);
};

/**
 * MatMul with 1-d operands made 2-d (and the result squeezed back): ONNX Runtime's extended
 * optimizations fuse Transpose + MatMul into FusedMatMul, which gives wrong values for a 1-d
 * operand (ORT 1.20: `x.T.mv(v)`).
 */
function matmulNode(c: OpCall, a: Tensor, b: Tensor): string {
  const dtype = outTensor(c).dtype;
  let av = operand(c, a, dtype);
  let bv = operand(c, b, dtype);
  if (a.ndim === 1) av = c.g.unsqueeze(av, [0]);
  if (b.ndim === 1) bv = c.g.unsqueeze(bv, [1]);
  const y = c.g.node("MatMul", [av, bv]);
  const rank = Math.max(a.ndim === 1 ? 2 : a.ndim, b.ndim === 1 ? 2 : b.ndim);
  const drop = [...(a.ndim === 1 ? [rank - 2] : []), ...(b.ndim === 1 ? [rank - 1] : [])];
  return drop.length > 0 ? c.g.squeeze(y, drop) : y;
}
const matmulOp: OpEmitter = (c) => matmulNode(c, c.args[0] as Tensor, c.args[1] as Tensor);

/** A comparison, its operands promoted to a common dtype; `negate` for ne. */
const compare = (op: string, negate = false): OpEmitter => (c) => {
  const a = self(c);
  const b = c.args[1] as TensorLike;
  const dtype = b instanceof Tensor ? promoteTypes(a.dtype, b.dtype) : a.dtype === "bool" ? "float32" : a.dtype;
  const y = c.g.node(op, [operand(c, a, dtype), operand(c, b, dtype)]);
  return negate ? c.g.node("Not", [y]) : y;
};

const logical = (op: string): OpEmitter => (c) => c.g.node(op, c.args.slice(0, op === "Not" ? 1 : 2).map((t) => operand(c, t as TensorLike, "bool")));

/** A unary op composed of nodes on `x` (already of the output dtype). */
const composed = (f: (g: Graph, x: string, dtype: DType) => string): OpEmitter => (c) => {
  const dtype = outTensor(c).dtype;
  return f(c.g, operand(c, self(c), dtype), dtype);
};

const identity: OpEmitter = (c) => c.trace.value(self(c));
const cast: OpEmitter = (c) => operand(c, self(c), outTensor(c).dtype);

/** The dims a reduction's `dim` argument names (null: all). */
function reduceAxes(dim: unknown, ndim: number): number[] | null {
  if (dim === undefined || dim === null) return null;
  const dims = Array.isArray(dim) ? (dim as number[]) : [dim as number];
  return dims.map((d) => normDim(d, ndim));
}

const reduction = (op: string): OpEmitter => (c) => {
  const x = self(c);
  const dtype = outTensor(c).dtype;
  const keepdim = c.args[2] === true;
  const axes = reduceAxes(c.args[1], x.ndim);
  return c.g.reduce(op, operand(c, x, dtype), axes, keepdim);
};

/** max/min: over everything a tensor; over `dim` the values and (int32) indices. */
const extremum = (reduce: string, arg: string): OpEmitter => (c) => {
  const x = self(c);
  const xv = c.trace.value(x);
  if (c.args[1] === undefined) return c.g.reduce(reduce, xv, null, false);
  const dim = normDim(c.args[1] as number, x.ndim);
  const keep = c.args[2] === true;
  const indices = c.g.node(arg, [xv], [intAttr("axis", dim), intAttr("keepdims", keep ? 1 : 0)]);
  return [c.g.reduce(reduce, xv, [dim], keep), c.g.cast(indices, "int32")];
};

const argReduce = (op: string): OpEmitter => (c) => {
  const x = self(c);
  let xv = c.trace.value(x);
  let dim = 0;
  const keep = c.args[2] === true;
  if (c.args[1] === undefined || c.args[1] === null) xv = c.g.reshape(xv, [-1]);
  else dim = normDim(c.args[1] as number, x.ndim);
  const y = c.g.node(op, [xv], [intAttr("axis", dim), intAttr("keepdims", keep && c.args[1] != null ? 1 : 0)]);
  return c.g.cast(y, "int32");
};

/** var / std: the mean of squared deviations over the dims, divided by (n − correction). */
const variance = (root: boolean): OpEmitter => (c) => {
  const x = self(c);
  const dtype = outTensor(c).dtype;
  const o = (c.args[2] ?? {}) as { correction?: number; keepdim?: boolean };
  const axes = reduceAxes(c.args[1], x.ndim) ?? x.shape.map((_, i) => i);
  const n = axes.reduce((p, a) => p * x.shape[a], 1);
  const xv = operand(c, x, dtype);
  const d = c.g.node("Sub", [xv, c.g.reduce("ReduceMean", xv, axes, true)]);
  const s = c.g.reduce("ReduceSum", c.g.node("Mul", [d, d]), axes, o.keepdim === true);
  const v = c.g.node("Div", [s, c.g.scalar(Math.max(n - (o.correction ?? 1), 0), dtype)]);
  return root ? c.g.node("Sqrt", [v]) : v;
};

/** A permutation of `x`'s dims. */
const permuted = (perm: (c: OpCall, ndim: number) => number[]): OpEmitter => (c) => {
  const x = self(c);
  const p = perm(c, x.ndim);
  return p.every((d, i) => d === i) ? c.trace.value(x) : c.g.transpose(c.trace.value(x), p);
};

function swap(ndim: number, a: number, b: number): number[] {
  const p = Array.from({ length: ndim }, (_, i) => i);
  [p[normDim(a, ndim)], p[normDim(b, ndim)]] = [p[normDim(b, ndim)], p[normDim(a, ndim)]];
  return p;
}

const transposeOp = permuted((c, n) => swap(n, c.args[1] as number, c.args[2] as number));

/** `x` broadcast to the output's shape: a dim the input already has is 1 in Expand's shape (it keeps the input's, also when that varies). */
const expandOp: OpEmitter = (c) => {
  const x = self(c);
  const to = outTensor(c).shape;
  const lead = to.length - x.ndim;
  const shape = to.map((s, i) => (i >= lead && x.shape[i - lead] === s ? 1 : s));
  return c.g.node("Expand", [c.trace.value(x), c.g.int64s(shape)]);
};

/** A split into the output tensors' sizes along `dim`. */
function splitInto(c: OpCall, dim: number): string[] {
  const x = self(c);
  const parts = c.out as Tensor[];
  const d = normDim(dim, x.ndim);
  return c.g.nodeN("Split", [c.trace.value(x), c.g.int64s(parts.map((p) => p.shape[d]))], parts.length, [intAttr("axis", d)]);
}

/** `x.index(...)` with integers, slices, null, "..." and one int32 index tensor. */
const indexOp: OpEmitter = (c) => {
  const x = self(c);
  const raw = c.args.slice(1);
  const fail = (why: string): never => {
    throw c.trace.error('"index"', why);
  };
  const consumes = (i: unknown): number => (i === null || i === "..." ? 0 : i instanceof Tensor ? (i.dtype === "bool" ? i.ndim : 1) : 1);
  const used = raw.reduce<number>((s, i) => s + consumes(i), 0);
  const entries: unknown[] = [];
  for (const i of raw) {
    if (i === "...") for (let k = 0; k < x.ndim - used; k++) entries.push(new Slice());
    else entries.push(i);
  }
  while (entries.filter((e) => e !== null).length < x.ndim) entries.push(new Slice());
  const slices: { starts: number[]; ends: number[]; axes: number[]; steps: number[] } = { starts: [], ends: [], axes: [], steps: [] };
  const ints: Array<[number, number]> = [];
  const news: number[] = [];
  let tensorIndex: [number, Tensor] | null = null;
  let axis = 0;
  let outPos = 0;
  for (const e of entries) {
    if (e === null) {
      news.push(outPos++);
    } else if (typeof e === "number") {
      ints.push([axis++, e]);
    } else if (e instanceof Slice) {
      if (e.start !== null || e.stop !== null || e.step !== 1) {
        slices.axes.push(axis);
        slices.starts.push(e.start ?? 0);
        slices.ends.push(e.stop ?? INT64_MAX);
        slices.steps.push(e.step);
      }
      axis++;
      outPos++;
    } else if (e instanceof Tensor && e.dtype === "bool" && raw.length === 1) {
      return selectByMask(c, e);
    } else if (e instanceof Tensor && e.dtype === "int32") {
      if (tensorIndex !== null) fail("only one index tensor is exported");
      tensorIndex = [axis++, e];
      outPos += e.ndim;
    } else {
      fail(`index ${e instanceof Tensor ? `a ${e.dtype} tensor` : JSON.stringify(e)} is not exported here (integers, slices, null, "...", one int32 tensor, or a bool mask alone are)`);
    }
  }
  if (tensorIndex !== null && ints.length > 0) fail("an index tensor together with integer indices is not exported");
  let y = c.trace.value(x);
  if (slices.axes.length > 0) y = c.g.slice(y, slices.starts, slices.ends, slices.axes, slices.steps);
  if (tensorIndex !== null) y = c.g.node("Gather", [y, c.trace.value(tensorIndex[1])], [intAttr("axis", tensorIndex[0])]);
  for (const [a, i] of ints.reverse()) y = c.g.node("Gather", [y, c.g.int64s([i], true)], [intAttr("axis", a)]);
  if (news.length > 0) y = c.g.unsqueeze(y, news);
  return y;
};

/** tril / triu: ONNX's Trilu, from opset 14. */
const triangle = (upper: 0 | 1): OpEmitter => (c) => {
  if (c.g.opset < 14) throw c.trace.error(`"${c.name}" below opset 14`, "ONNX's Trilu is opset 14");
  return c.g.node("Trilu", [c.trace.value(self(c)), c.g.int64s([(c.args[1] as number | undefined) ?? 0], true)], [intAttr("upper", upper)]);
};

/** The largest (or smallest) `k` along `dim` with their int32 indices: ONNX's TopK. */
function topK(c: OpCall, dim: number, k: number, largest: boolean): [string, string] {
  const x = self(c);
  const d = normDim(dim, x.ndim);
  const [values, indices] = c.g.nodeN("TopK", [c.trace.value(x), c.g.int64s([k])], 2, [intAttr("axis", d), intAttr("largest", largest ? 1 : 0), intAttr("sorted", 1)]);
  return [values, c.g.cast(indices, "int32")];
}

/** sort / argsort's descending flag (a boolean or `{ descending }`). */
const descending = (o: unknown): boolean => (typeof o === "boolean" ? o : (o as { descending?: boolean } | undefined)?.descending === true);

/** `x.index(mask)` / `maskedSelect(mask)` with a mask over x's leading dims: the selected rows (ONNX's Compress; a data-dependent size). */
function selectByMask(c: OpCall, mask: Tensor): string {
  const x = self(c);
  if (mask.ndim > x.ndim || mask.shape.some((s, i) => s !== x.shape[i])) {
    throw c.trace.error(`"${c.name}" with a mask of shape ${JSON.stringify(mask.shape)}`, `exported for a mask of x's leading dims (${JSON.stringify(x.shape)})`);
  }
  const rows = c.g.reshape(c.trace.value(x), [-1, ...x.shape.slice(mask.ndim)]);
  return c.g.node("Compress", [rows, c.g.reshape(operand(c, mask, "bool"), [-1])], [intAttr("axis", 0)]);
}

/** Concat of `tensors` along `dim`, each cast to the output's dtype. */
function concat(c: OpCall, tensors: readonly Tensor[], axis: number): string {
  const dtype = outTensor(c).dtype;
  return c.g.node("Concat", tensors.map((t) => operand(c, t, dtype)), [intAttr("axis", axis)]);
}

const ln = (g: Graph, x: string, dtype: DType, base: number): string => g.node("Div", [g.node("Log", [x]), g.scalar(Math.log(base), dtype)]);

const tuple = (v: number | readonly number[] | undefined, nd: number, fill: number): number[] =>
  v === undefined ? new Array<number>(nd).fill(fill) : typeof v === "number" ? new Array<number>(nd).fill(v) : [...v];

/** Core's convolution (`convolutionAs(op, input, weight, bias, options)`, what nn's conv layers and F.conv* call): Conv or ConvTranspose. */
const convolution: OpEmitter = (c) => {
  const [, input, weight, bias, o] = c.args as [string, Tensor, Tensor, Tensor | null, { stride?: number | number[]; padding?: number | number[]; dilation?: number | number[]; transposed?: boolean; outputPadding?: number | number[]; groups?: number }];
  const nd = weight.ndim - 2;
  const dtype = outTensor(c).dtype;
  const pads = tuple(o.padding, nd, 0);
  const attrs = [
    intsAttr("kernel_shape", weight.shape.slice(2)), intsAttr("strides", tuple(o.stride, nd, 1)), intsAttr("dilations", tuple(o.dilation, nd, 1)),
    intAttr("group", o.groups ?? 1), intsAttr("pads", [...pads, ...pads]),
  ];
  const inputs = [operand(c, input, dtype), operand(c, weight, dtype), ...(bias ? [operand(c, bias, dtype)] : [])];
  if (o.transposed) return c.g.node("ConvTranspose", inputs, [...attrs, intsAttr("output_padding", tuple(o.outputPadding, nd, 0))]);
  return c.g.node("Conv", inputs, attrs);
};

const PAD_MODES: Readonly<Record<string, string>> = { constant: "constant", reflect: "reflect", replicate: "edge", circular: "wrap" };

/** Core's pad (`pad(x, [left, right, top, bottom, …], mode)`, last dim first): ONNX's Pad, begins then ends for every dim. */
const padOp: OpEmitter = (c) => {
  const [x, pad, options] = c.args as [Tensor, number[], { mode?: string; value?: number } | string | undefined];
  const { mode = "constant", value = 0 } = typeof options === "string" ? { mode: options } : options ?? {};
  if (mode === "circular" && c.g.opset < 19) throw c.trace.error('"pad" with mode "circular"', "ONNX's Pad wraps from opset 19");
  const begins = new Array<number>(x.ndim).fill(0);
  const ends = new Array<number>(x.ndim).fill(0);
  for (let k = 0; k < pad.length / 2; k++) {
    begins[x.ndim - 1 - k] = pad[2 * k];
    ends[x.ndim - 1 - k] = pad[2 * k + 1];
  }
  const inputs = [c.trace.value(x), c.g.int64s([...begins, ...ends])];
  if (mode === "constant") inputs.push(c.g.scalar(value, x.dtype));
  return c.g.node("Pad", inputs, [stringAttr("mode", PAD_MODES[mode])]);
};

/** The table: op name → its ONNX form. */
export const OPS: Readonly<Record<string, OpEmitter>> = {
  // arithmetic
  add: addLike("Add"),
  sub: addLike("Sub"),
  mul: binary("Mul"),
  div: (c) => {
    if ((c.args[2] as { roundingMode?: unknown } | undefined)?.roundingMode != null) throw c.trace.error('"div" with a roundingMode');
    return binary("Div")(c);
  },
  pow: binary("Pow"),
  maximum: binary("Max"),
  minimum: binary("Min"),
  square: composed((g, x) => g.node("Mul", [x, x])),
  // compositions of arithmetic
  floorDivide: composedBinary((g, a, b) => g.node("Floor", [g.node("Div", [a, b])])),
  // Python's %: a − floor(a / b)·b (the divisor's sign); fmod keeps the dividend's.
  remainder: composedBinary((g, a, b) => g.node("Sub", [a, g.node("Mul", [g.node("Floor", [g.node("Div", [a, b])]), b])])),
  fmod: composedBinary((g, a, b) => g.node("Mod", [a, b], [intAttr("fmod", 1)])),
  hypot: composedBinary((g, a, b) => g.node("Sqrt", [g.node("Add", [g.node("Mul", [a, a]), g.node("Mul", [b, b])])])),
  // x > 0: 1, x < 0: 0, x = 0: values.
  heaviside: composedBinary((g, x, v, dtype) => g.node("Where", [g.node("Equal", [x, g.scalar(0, dtype)]), v, g.cast(g.node("Greater", [x, g.scalar(0, dtype)]), dtype)])),
  lerp: (c) => {
    const dtype = outTensor(c).dtype;
    const [a, b, w] = [0, 1, 2].map((i) => operand(c, c.args[i] as TensorLike, dtype));
    return c.g.node("Add", [a, c.g.node("Mul", [w, c.g.node("Sub", [b, a])])]);
  },
  addcmul: addc("Mul"),
  addcdiv: addc("Div"),
  dot: (c) => c.g.reduce("ReduceSum", binary("Mul")(c) as string, null, false),
  mv: matmulOp,
  outer: (c) => {
    const dtype = outTensor(c).dtype;
    return c.g.node("Mul", [c.g.unsqueeze(operand(c, self(c), dtype), [1]), c.g.unsqueeze(operand(c, c.args[1] as Tensor, dtype), [0])]);
  },
  ger: (c) => OPS.outer(c),
  // unary math
  neg: unary("Neg"), exp: unary("Exp"), log: unary("Log"), sqrt: unary("Sqrt"), abs: unary("Abs"), sign: unary("Sign"),
  reciprocal: unary("Reciprocal"), sin: unary("Sin"), cos: unary("Cos"), tan: unary("Tan"), asin: unary("Asin"),
  acos: unary("Acos"), atan: unary("Atan"), sinh: unary("Sinh"), cosh: unary("Cosh"), asinh: unary("Asinh"),
  acosh: unary("Acosh"), atanh: unary("Atanh"), erf: unary("Erf"), sigmoid: unary("Sigmoid"), tanh: unary("Tanh"),
  relu: unary("Relu"), floor: unary("Floor"), ceil: unary("Ceil"),
  round: (c) => {
    if (((c.args[1] as { decimals?: number } | undefined)?.decimals ?? 0) !== 0) throw c.trace.error('"round" with decimals');
    return unary("Round")(c);
  },
  rsqrt: composed((g, x) => g.node("Reciprocal", [g.node("Sqrt", [x])])),
  log1p: composed((g, x, dt) => g.node("Log", [g.node("Add", [x, g.scalar(1, dt)])])),
  expm1: composed((g, x, dt) => g.node("Sub", [g.node("Exp", [x]), g.scalar(1, dt)])),
  log2: composed((g, x, dt) => ln(g, x, dt, 2)),
  log10: composed((g, x, dt) => ln(g, x, dt, 10)),
  exp2: composed((g, x, dt) => g.node("Pow", [g.scalar(2, dt), x])),
  isnan: (c) => c.g.node("IsNaN", [c.trace.value(self(c))]),
  isinf: (c) => c.g.node("IsInf", [c.trace.value(self(c))]),
  clamp: (c) => {
    const dtype = outTensor(c).dtype;
    let y = operand(c, self(c), dtype);
    const [lo, hi] = [c.args[1], c.args[2]] as Array<TensorLike | null | undefined>;
    if (lo != null) y = c.g.node("Max", [y, operand(c, lo, dtype)]);
    if (hi != null) y = c.g.node("Min", [y, operand(c, hi, dtype)]);
    return y;
  },
  clip: (c) => OPS.clamp(c),
  clampMin: binary("Max"),
  clampMax: binary("Min"),
  // comparisons and logic
  eq: compare("Equal"), ne: compare("Equal", true), lt: compare("Less"), le: compare("LessOrEqual"),
  gt: compare("Greater"), ge: compare("GreaterOrEqual"),
  logicalNot: logical("Not"), logicalAnd: logical("And"), logicalOr: logical("Or"), logicalXor: logical("Xor"),
  where: (c) => {
    const dtype = outTensor(c).dtype;
    return c.g.node("Where", [operand(c, c.args[0] as Tensor, "bool"), operand(c, c.args[1] as TensorLike, dtype), operand(c, c.args[2] as TensorLike, dtype)]);
  },
  maskedFill: (c) => {
    const dtype = outTensor(c).dtype;
    return c.g.node("Where", [operand(c, c.args[1] as Tensor, "bool"), operand(c, c.args[2] as TensorLike, dtype), operand(c, self(c), dtype)]);
  },
  // casts and copies
  to: cast, float: cast, double: cast, int: cast, bool: cast,
  contiguous: identity, clone: identity, detach: identity,
  // reductions
  sum: reduction("ReduceSum"), mean: reduction("ReduceMean"), amax: reduction("ReduceMax"), amin: reduction("ReduceMin"),
  prod: (c) => {
    const x = self(c);
    return c.g.reduce("ReduceProd", operand(c, x, outTensor(c).dtype), reduceAxes(c.args[1], x.ndim), c.args[2] === true);
  },
  logsumexp: reduction("ReduceLogSumExp"),
  max: extremum("ReduceMax", "ArgMax"),
  min: extremum("ReduceMin", "ArgMin"),
  argmax: argReduce("ArgMax"),
  argmin: argReduce("ArgMin"),
  var: variance(false),
  std: variance(true),
  norm: (c) => {
    const x = self(c);
    const p = c.args[1] ?? 2;
    if (p !== 2 && p !== 1 && p !== "fro") throw c.trace.error(`"norm" with p = ${String(p)}`, "p = 1, 2 and \"fro\" are exported");
    return c.g.reduce(p === 1 ? "ReduceL1" : "ReduceL2", c.trace.value(x), reduceAxes(c.args[2], x.ndim), c.args[3] === true);
  },
  softmax: (c) => c.g.node("Softmax", [c.trace.value(self(c))], [intAttr("axis", normDim(c.args[1] as number, self(c).ndim))]),
  logSoftmax: (c) => c.g.node("LogSoftmax", [c.trace.value(self(c))], [intAttr("axis", normDim(c.args[1] as number, self(c).ndim))]),
  cumsum: (c) => c.g.node("CumSum", [operand(c, self(c), outTensor(c).dtype), c.g.int64s([normDim(c.args[1] as number, self(c).ndim)], true)]),
  // products
  matmul: matmulOp, mm: matmulOp, bmm: matmulOp,
  linear: (c) => {
    const [x, w, b] = c.args as [Tensor, Tensor, Tensor | null | undefined];
    const dtype = outTensor(c).dtype;
    const [xv, wv] = [operand(c, x, dtype), operand(c, w, dtype)];
    const bias = b ? [operand(c, b, dtype)] : [];
    if (x.ndim <= 2) {
      // Gemm (x·wᵀ + b); a 1-d input as one row (see matmulNode on 1-d operands).
      const y = c.g.node("Gemm", [x.ndim === 1 ? c.g.unsqueeze(xv, [0]) : xv, wv, ...bias], [intAttr("transB", 1)]);
      return x.ndim === 1 ? c.g.squeeze(y, [0]) : y;
    }
    const y = c.g.node("MatMul", [xv, c.g.transpose(wv, [1, 0])]);
    return b ? c.g.node("Add", [y, bias[0]]) : y;
  },
  // shape
  reshape: (c) => {
    const req = sizeArgs(c.args.slice(1));
    return c.g.reshape(c.trace.value(self(c)), reshapeSpec(self(c).shape, outTensor(c).shape, req.indexOf(-1)));
  },
  view: (c) => OPS.reshape(c),
  viewAs: (c) => c.g.reshape(c.trace.value(self(c)), reshapeSpec(self(c).shape, outTensor(c).shape)),
  reshapeAs: (c) => c.g.reshape(c.trace.value(self(c)), reshapeSpec(self(c).shape, outTensor(c).shape)),
  unflatten: (c) => c.g.reshape(c.trace.value(self(c)), reshapeSpec(self(c).shape, outTensor(c).shape)),
  flatten: (c) => c.g.reshape(c.trace.value(self(c)), flattenSpec(self(c), outTensor(c).shape, (c.args[1] as number | undefined) ?? 0)),
  squeeze: (c) => {
    const x = self(c);
    const dim = c.args[1] as number | undefined;
    const axes = dim === undefined ? x.shape.flatMap((s, i) => (s === 1 ? [i] : [])) : x.shape[normDim(dim, x.ndim)] === 1 ? [normDim(dim, x.ndim)] : [];
    return axes.length === 0 ? c.trace.value(x) : c.g.squeeze(c.trace.value(x), axes);
  },
  unsqueeze: (c) => c.g.unsqueeze(c.trace.value(self(c)), [normDim(c.args[1] as number, self(c).ndim + 1)]),
  transpose: transposeOp,
  swapaxes: transposeOp,
  swapdims: transposeOp,
  permute: permuted((c, n) => sizeArgs(c.args.slice(1)).map((d) => normDim(d, n))),
  T: permuted((_, n) => Array.from({ length: n }, (__, i) => n - 1 - i)),
  mT: permuted((_, n) => swap(n, -1, -2)),
  t: permuted((_, n) => (n < 2 ? Array.from({ length: n }, (__, i) => i) : swap(n, 0, 1))),
  movedim: permuted((c, n) => {
    const src = ([] as number[]).concat(c.args[1] as number | number[]).map((d) => normDim(d, n));
    const dst = ([] as number[]).concat(c.args[2] as number | number[]).map((d) => normDim(d, n));
    const perm = new Array<number>(n).fill(-1);
    src.forEach((s, i) => (perm[dst[i]] = s));
    const rest = Array.from({ length: n }, (_, i) => i).filter((d) => !src.includes(d));
    return perm.map((p) => (p === -1 ? rest.shift()! : p));
  }),
  expand: expandOp, expandAs: expandOp, broadcastTo: expandOp,
  narrow: (c) => {
    const x = self(c);
    const [dim, start, length] = c.args.slice(1) as [number, number | Tensor, number];
    if (start instanceof Tensor) throw c.trace.error('"narrow" with a tensor start');
    const d = normDim(dim, x.ndim);
    const s = normDim(start, x.shape[d]);
    return c.g.slice(c.trace.value(x), [s], [s + length], [d]);
  },
  select: (c) => {
    const x = self(c);
    return c.g.node("Gather", [c.trace.value(x), c.g.int64s([c.args[2] as number], true)], [intAttr("axis", normDim(c.args[1] as number, x.ndim))]);
  },
  split: (c) => splitInto(c, (c.args[2] as number | undefined) ?? 0),
  chunk: (c) => splitInto(c, (c.args[2] as number | undefined) ?? 0),
  unbind: (c) => {
    const x = self(c);
    const d = normDim((c.args[1] as number | undefined) ?? 0, x.ndim);
    const n = x.shape[d];
    return c.g.nodeN("Split", [c.trace.value(x), c.g.int64s(new Array<number>(n).fill(1))], n, [intAttr("axis", d)]).map((part) => c.g.squeeze(part, [d]));
  },
  index: indexOp,
  flip: (c) => {
    const x = self(c);
    const dims = sizeArgs(c.args.slice(1)).map((d) => normDim(d, x.ndim));
    return c.g.slice(c.trace.value(x), dims.map(() => -1), dims.map(() => -INT64_MAX), dims, dims.map(() => -1));
  },
  tile: (c) => {
    const x = self(c);
    const reps = sizeArgs(c.args.slice(1));
    const n = Math.max(reps.length, x.ndim);
    const full = [...new Array<number>(n - reps.length).fill(1), ...reps];
    const xv = x.ndim < n ? c.g.reshape(c.trace.value(x), [...new Array<number>(n - x.ndim).fill(1), ...x.shape]) : c.trace.value(x);
    return c.g.node("Tile", [xv, c.g.int64s(full)]);
  },
  repeat: (c) => OPS.tile(c),
  tril: triangle(0),
  triu: triangle(1),
  cat: (c) => {
    const ts = c.args[0] as Tensor[];
    return concat(c, ts, normDim((c.args[1] as number | undefined) ?? 0, ts[0].ndim));
  },
  stack: (c) => {
    const ts = c.args[0] as Tensor[];
    const d = normDim((c.args[1] as number | undefined) ?? 0, ts[0].ndim + 1);
    const dtype = outTensor(c).dtype;
    return c.g.node("Concat", ts.map((t) => c.g.unsqueeze(operand(c, t, dtype), [d])), [intAttr("axis", d)]);
  },
  // convolution and padding (core's convolutionAs and pad)
  convolution,
  pad: padOp,
  // nn's functional activations (the fused ops of elementwiseOp, reported as name(x, p, q))
  ...Object.fromEntries(Object.entries(ACTIVATIONS).map(([name, form]): [string, OpEmitter] => [name, (c) => {
    const dtype = outTensor(c).dtype;
    return form(c.g, operand(c, self(c), dtype), dtype, c.args[1] as number, c.args[2] as number);
  }])),
  // sorting
  topk: (c) => {
    const o = (c.args[3] ?? {}) as { largest?: boolean };
    return topK(c, (c.args[2] as number | undefined) ?? -1, c.args[1] as number, o.largest !== false);
  },
  sort: (c) => {
    const dim = (c.args[1] as number | undefined) ?? -1;
    return topK(c, dim, self(c).shape[normDim(dim, self(c).ndim)], descending(c.args[2]));
  },
  argsort: (c) => {
    const dim = (c.args[1] as number | undefined) ?? -1;
    return topK(c, dim, self(c).shape[normDim(dim, self(c).ndim)], descending(c.args[2]))[1];
  },
  maskedSelect: (c) => {
    const mask = c.args[1] as Tensor;
    // maskedSelect broadcasts the mask from the trailing dims: exported when it has x's shape.
    if (mask.ndim !== self(c).ndim) throw c.trace.error(`"maskedSelect" with a mask of shape ${JSON.stringify(mask.shape)}`, `exported for a mask of x's shape (${JSON.stringify(self(c).shape)})`);
    return selectByMask(c, mask);
  },
  // indexing
  gather: (c) => c.g.node("GatherElements", [c.trace.value(self(c)), c.trace.value(c.args[2] as Tensor)], [intAttr("axis", normDim(c.args[1] as number, self(c).ndim))]),
  indexSelect: (c) => c.g.node("Gather", [c.trace.value(self(c)), c.trace.value(c.args[2] as Tensor)], [intAttr("axis", normDim(c.args[1] as number, self(c).ndim))]),
};
