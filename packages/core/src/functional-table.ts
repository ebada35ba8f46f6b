/**
 * The dual-method table: every Tensor method that PyTorch also has as `torch.X(input, ...)`.
 * tools/gen-functional.ts reads it (with the methods' signatures in tensor.ts) and writes
 * functional.generated.ts, one typed `X(input, ...args)` per row that calls `input.X(...args)`,
 * so the method and the function cannot drift apart. test/functional.test.ts checks the file is
 * up to date and runs each row both ways on the sample tensors below.
 *
 * A row's `args` are the arguments after `input` in the doc example and the test: the strings
 * naming a sample (`"x"`, `"y"`, `"w"`, `"index"`, `"rows"`, `"mask"`) stand for it, anything else
 * is passed as written. The input is `x` unless `input` names another sample.
 */
import type { Tensor } from "./tensor.js";

/** The sample tensors the examples and the test use: name → [values, dtype]. */
export const SAMPLES = {
  x: [[[0.5, 1.5, 2], [3, 0.25, 1]], "float32"],
  y: [[[1, 0.5, 2], [-1, 2, 0.75]], "float32"],
  w: [[[1, 2], [0.5, -1], [3, 0]], "float32"],
  index: [[[0, 1, 1], [1, 0, 0]], "int32"],
  rows: [[1, 0], "int32"],
  mask: [[[true, false, true], [false, false, true]], "bool"],
  v: [[1, -2], "float32"],
  m: [[[1, 2], [0.5, -1]], "float32"],
  batch: [[[[1, 2], [0, -1]], [[0.5, 1], [2, 0]]], "float32"],
} as const;

/** A sample's name. */
export type SampleName = keyof typeof SAMPLES;

/** One dual method: the example arguments, and `standalone` when core already has the function. */
export interface DualRow {
  /** The arguments after `input` (sample names or literal values). */
  readonly args: readonly unknown[];
  /** The first argument, `x` by default. */
  readonly input?: SampleName;
  /** The function is written by hand elsewhere in core (the method calls it); not generated. */
  readonly standalone?: true;
}

/** Method name → its row. A name that is not a Tensor method does not compile. */
export const DUAL_METHODS = {
  // elementwise arithmetic
  add: { args: ["y"] },
  sub: { args: ["y"] },
  mul: { args: ["y"] },
  div: { args: ["y"] },
  pow: { args: [2] },
  maximum: { args: ["y"] },
  minimum: { args: ["y"] },

  // unary math
  neg: { args: [] },
  exp: { args: [] },
  log: { args: [] },
  log1p: { args: [] },
  expm1: { args: [] },
  sqrt: { args: [] },
  rsqrt: { args: [] },
  square: { args: [] },
  reciprocal: { args: [] },
  abs: { args: [] },
  sign: { args: [] },
  sin: { args: [] },
  cos: { args: [] },
  erf: { args: [] },
  sigmoid: { args: [] },
  tanh: { args: [] },
  relu: { args: [] },
  clamp: { args: [0.5, 2] },
  floor: { args: [] },
  ceil: { args: [] },
  round: { args: [] },
  trunc: { args: [] },
  fix: { args: [] },
  frac: { args: [] },
  tan: { args: [] },
  asin: { input: "y", args: [] },
  acos: { input: "y", args: [] },
  atan: { args: [] },
  sinh: { args: [] },
  cosh: { args: [] },
  asinh: { args: [] },
  acosh: { args: [] },
  atanh: { input: "y", args: [] },
  log2: { args: [] },
  log10: { args: [] },
  exp2: { args: [] },
  sinc: { args: [] },
  erfc: { args: [] },
  erfinv: { input: "y", args: [] },
  lgamma: { args: [] },
  digamma: { args: [] },
  i0: { args: [] },
  logit: { args: [0.25] },

  // binary math, rounding division
  divide: { args: ["y", { roundingMode: "floor" }] },
  floorDivide: { args: ["y"] },
  remainder: { args: ["y"] },
  fmod: { args: ["y"] },
  atan2: { args: ["y"] },
  arctan2: { args: ["y"] },
  hypot: { args: ["y"] },
  logaddexp: { args: ["y"] },
  logaddexp2: { args: ["y"] },
  xlogy: { args: ["y"] },
  copysign: { args: ["y"] },
  nextafter: { args: ["y"] },
  heaviside: { args: ["y"] },
  lerp: { args: ["y", 0.25] },
  addcmul: { args: ["y", "x", { value: 0.5 }] },
  addcdiv: { args: ["y", "x", { value: 2 }] },
  clip: { args: [0.5, 2] },
  clampMin: { args: ["y"] },
  clampMax: { args: [1] },
  nanToNum: { args: [] },

  // comparisons and logic
  eq: { args: ["y"] },
  ne: { args: ["y"] },
  lt: { args: ["y"] },
  le: { args: ["y"] },
  gt: { args: ["y"] },
  ge: { args: ["y"] },
  logicalNot: { input: "mask", args: [] },
  logicalAnd: { input: "mask", args: ["x"] },
  logicalOr: { input: "mask", args: ["x"] },
  isnan: { args: [] },
  isinf: { args: [] },
  isposinf: { args: [] },
  isneginf: { args: [] },
  isfinite: { args: [] },
  signbit: { args: [] },
  isclose: { args: ["y"] },
  equal: { args: ["y"] },
  logicalXor: { input: "mask", args: ["x"] },
  bitwiseAnd: { input: "index", args: [6] },
  bitwiseOr: { input: "index", args: ["index"] },
  bitwiseXor: { input: "mask", args: ["mask"] },
  bitwiseNot: { input: "index", args: [] },
  bitwiseLeftShift: { input: "index", args: [3] },
  bitwiseRightShift: { input: "index", args: [1] },
  all: { input: "mask", args: [] },
  any: { input: "mask", args: [1] },
  allclose: { args: ["y"] },

  // reductions
  sum: { args: [1] },
  mean: { args: [] },
  amax: { args: [0] },
  amin: { args: [1, true] },
  max: { args: [1] },
  min: { args: [] },
  argmax: { args: [1] },
  argmin: { args: [] },
  logsumexp: { args: [1] },
  var: { args: [1, { correction: 0 }] },
  std: { args: [] },
  norm: { args: [1] },
  prod: { args: [1] },
  softmax: { args: [1] },
  logSoftmax: { args: [-1] },
  matmul: { args: ["w"], standalone: true },

  // scans
  cumsum: { args: [1] },
  cumprod: { args: [0] },
  logcumsumexp: { args: [1] },
  cummax: { args: [1] },
  cummin: { args: [0] },

  // products
  dot: { input: "v", args: ["v"] },
  vdot: { input: "v", args: ["v"] },
  outer: { input: "v", args: ["v"] },
  ger: { input: "v", args: ["v"] },
  mv: { input: "w", args: ["v"] },
  mm: { args: ["w"] },
  bmm: { input: "batch", args: ["batch"] },
  addmm: { input: "m", args: ["x", "w", { beta: 0.5, alpha: 2 }] },
  addmv: { input: "v", args: ["m", "v"] },
  baddbmm: { input: "m", args: ["batch", "batch", { alpha: -1 }] },
  addbmm: { input: "m", args: ["batch", "batch"] },
  cross: { args: ["y"] },
  kron: { args: ["y"] },
  // sorting and order statistics
  sort: { args: [1] },
  argsort: { args: [1, true] },
  msort: { args: [] },
  topk: { args: [2] },
  kthvalue: { args: [2, 1] },
  unique: { args: [{ returnCounts: true }] },
  uniqueConsecutive: { args: [] },
  aminmax: { args: [{ dim: 1 }] },
  bincount: { args: [], input: "rows" },
  histc: { args: [4, 0, 3] },
  median: { args: [] },
  nanmedian: { args: [1] },
  mode: { args: [0] },
  quantile: { args: [0.25, 1] },
  nansum: { args: [1] },
  nanmean: { args: [] },
  dist: { args: ["y"] },
  countNonzero: { args: [1] },

  // shape
  reshape: { args: [[3, 2]] },
  flatten: { args: [] },
  transpose: { args: [0, 1] },
  permute: { args: [[1, 0]] },
  squeeze: { args: [] },
  unsqueeze: { args: [0] },
  narrow: { args: [1, 0, 2] },
  select: { args: [0, 1] },
  split: { args: [2, 1] },
  chunk: { args: [2, 1] },
  tensorSplit: { args: [[1], 1] },
  unbind: { args: [1] },
  unflatten: { args: [1, [3, 1]] },
  movedim: { args: [0, 1] },
  moveaxis: { args: [0, 1] },
  swapaxes: { args: [0, 1] },
  swapdims: { args: [0, 1] },
  t: { args: [] },
  broadcastTo: { args: [[2, 2, 3]] },

  // layout
  diagonal: { args: [1] },
  diagEmbed: { args: [] },
  diag: { args: [] },
  trace: { args: [] },
  tril: { args: [] },
  triu: { args: [1] },
  flip: { args: [[0, 1]] },
  fliplr: { args: [] },
  flipud: { args: [] },
  roll: { args: [1, 1] },
  rot90: { args: [1, [0, 1]] },
  tile: { args: [[2, 1]] },
  repeatInterleave: { args: [2, 1] },

  // indexing
  gather: { args: [0, "index"] },
  scatterAdd: { args: [0, "index", "y"] },
  indexSelect: { args: [0, "rows"] },
  indexAdd: { args: [0, "rows", "y"] },
  maskedFill: { args: ["mask", 0] },
  indexPut: { args: [[[1, 0]], 0] },
  take: { args: ["index"] },
  takeAlongDim: { args: ["index", 1] },
  maskedSelect: { args: ["mask"] },
  maskedScatter: { args: ["mask", "y"] },
  nonzero: { args: [] },
  argwhere: { args: [] },
  scatter: { args: [0, "index", "y"] },
  scatterReduce: { args: [0, "index", "y", "amax"] },
  indexCopy: { args: [0, "rows", "y"] },
  indexFill: { args: [1, "rows", 0] },

  // copies and metadata
  clone: { args: [] },
  detach: { args: [] },
  numel: { args: [] },
} as const satisfies { readonly [K in Exclude<keyof Tensor, "toString">]?: DualRow };

/**
 * Tensor methods whose snake_case name PyTorch also has as a function, kept method-only, with
 * the reason. In-place methods (`add_`, `fill_`, ...) are method-only by rule: `torch.add_` and
 * friends exist but are not documented API.
 */
export const METHOD_ONLY: { readonly [K in Exclude<keyof Tensor, "toString">]?: string } = {
  polygamma: "torch.polygamma(n, input) takes n first; core exports a hand-written polygamma(n, input) in that order",
};
