/**
 * Embeddings, PyTorch's `torch.nn.modules.sparse`: `Embedding` and `EmbeddingBag`, with their
 * functional forms `F.embedding` and `F.embeddingBag`.
 *
 * Both are compositions of core's `indexSelect` (whose backward adds rows back into the weight)
 * and, for the bags, `indexAdd` / `gather`, plus one small op of their own, a gradient mask: the
 * identity forward, and a backward that scales each looked-up row's gradient (0 for `paddingIdx`,
 * `1/count` with `scaleGradByFreq`). Everything stays differentiable to any order.
 *
 * Gradients are dense (`sparse: false` only; `sparse: true` throws): tsgrad has no sparse tensors.
 */
import {
  Tensor, Generator, describeValue, empty, noGrad, optionChecks, record, resolveOptions, tensor, zeros, type OptionCheck,
} from "@tsgrad/core";
import { Module, Parameter } from "./module.js";
import { normal_ } from "./init.js";
import { checkTensor, generatorCheck, pyFloat } from "./util.js";

const fmt = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

const sparseFalse: OptionCheck = (op, name, value) => {
  optionChecks.boolean(op, name, value);
  if (value === true) throw new TypeError(`${op}: sparse: true is not supported (tsgrad has no sparse tensors; gradients are dense)`);
};

const tensorOrNull: OptionCheck = (op, name, value) => {
  if (value !== null && value !== undefined && !(value instanceof Tensor)) {
    throw new TypeError(`${op}: ${name} must be a Tensor or null, got ${describeValue(value)}`);
  }
};

/** Checks `weight` is a float 2-D tensor; returns its row count. */
function checkWeight(op: string, weight: unknown): asserts weight is Tensor {
  checkTensor(op, weight, "weight");
  if (weight.ndim !== 2 || (weight.dtype !== "float32" && weight.dtype !== "float64")) {
    throw new RangeError(`${op}: weight must be a 2-D floating-point tensor (numEmbeddings, embeddingDim), got shape ${fmt(weight.shape)} (${weight.dtype})`);
  }
}

/** The int32 indices of `input` as an array, each checked against the weight's `rows`. */
function readIndices(op: string, input: unknown, rows: number, what = "input"): Int32Array {
  checkTensor(op, input, what);
  if (input.dtype !== "int32") throw new TypeError(`${op}: ${what} must hold int32 indices, got dtype ${input.dtype} (use ${what}.to("int32"))`);
  const idx = Int32Array.from(input.contiguous().dataSync());
  for (const i of idx) {
    if (i < 0 || i >= rows) throw new RangeError(`${op}: index ${i} is out of range for a weight of ${rows} rows`);
  }
  return idx;
}

/** `paddingIdx` in [−rows, rows), as a non-negative row (or null). */
function paddingRow(op: string, paddingIdx: number | null, rows: number): number | null {
  if (paddingIdx === null) return null;
  if (!Number.isSafeInteger(paddingIdx) || paddingIdx < -rows || paddingIdx >= rows) {
    throw new RangeError(`${op}: paddingIdx must be an integer within [${-rows}, ${rows}) (the number of embeddings), got ${paddingIdx}`);
  }
  return paddingIdx < 0 ? paddingIdx + rows : paddingIdx;
}

/**
 * In place and without a graph, PyTorch's `embedding_renorm_`: each row of `weight` that `idx`
 * looks up and whose `normType`-norm exceeds `maxNorm` is scaled by `maxNorm / (norm + 1e-7)`.
 */
function renorm(weight: Tensor, idx: Int32Array, maxNorm: number, normType: number): void {
  noGrad(() => {
    for (const row of new Set(idx)) {
      const r = weight.narrow(0, row, 1);
      const norm = r.norm(normType).item();
      if (norm > maxNorm) r.mul_(maxNorm / (norm + 1e-7));
    }
  });
}

/** Identity forward; backward multiplies row k of the gradient by `scale[k]` (a constant `[K, 1]`). */
function maskGrad(rows: Tensor, scale: Tensor): Tensor {
  const out = rows.detach();
  return record(out, "EmbeddingBackward0", [rows], (g) => [g.mul(scale)], []);
}

/** The per-lookup gradient scales: 0 at `pad`, `1/count` of the index with `byFreq`; null when all are 1. */
function gradScales(idx: Int32Array, pad: number | null, byFreq: boolean, dtype: "float32" | "float64"): Tensor | null {
  if (pad === null && !byFreq) return null;
  const counts = new Map<number, number>();
  if (byFreq) for (const i of idx) counts.set(i, (counts.get(i) ?? 0) + 1);
  const s = Array.from(idx, (i) => (i === pad ? 0 : byFreq ? 1 / counts.get(i)! : 1));
  return tensor(s, { dtype }).reshape([idx.length, 1]);
}

// ------------------------------------------------------------------ F.embedding

/**
 * Options of {@link embedding} and {@link Embedding}.
 *
 * @example
 * ```ts
 * F.embedding(tensor([0, 1], { dtype: "int32" }), ones([3, 2]), { paddingIdx: 0, maxNorm: 1 }).shape; // [2, 2]
 * ```
 */
export interface EmbeddingOptions {
  /** Row whose gradient is always zero (negative counts from the end; default none). */
  paddingIdx?: number | null;
  /** Renormalize each looked-up row whose norm exceeds this, in place (default none). */
  maxNorm?: number | null;
  /** The p of the norm for `maxNorm` (default 2). */
  normType?: number;
  /** Scale each row's gradient by 1 / (its count in the input) (default false). */
  scaleGradByFreq?: boolean;
  /** Only `false` (the default): tsgrad's gradients are dense. */
  sparse?: boolean;
}

const EMBEDDING_OPTIONS: Required<EmbeddingOptions> = { paddingIdx: null, maxNorm: null, normType: 2, scaleGradByFreq: false, sparse: false };
const EMBEDDING_CHECKS = {
  paddingIdx: optionChecks.nullable(optionChecks.integer), maxNorm: optionChecks.nullable(optionChecks.positive),
  normType: optionChecks.positive, scaleGradByFreq: optionChecks.boolean, sparse: sparseFalse,
};

/**
 * A lookup table, PyTorch's `F.embedding`: `out[..., :] = weight[input[...], :]` for int32
 * indices `input` of any shape `(*)` and `weight` `(numEmbeddings, embeddingDim)`; the result
 * has shape `(*, embeddingDim)`. The weight's gradient adds each output row's gradient back into
 * its row (zero for `paddingIdx`; divided by the index's count with `scaleGradByFreq`). With
 * `maxNorm`, the looked-up rows of `weight` are first renormalized **in place**, as PyTorch.
 *
 * @example
 * ```ts
 * const weight = tensor([[0, 0], [1, 2], [3, 4]]);
 * F.embedding(tensor([[2, 1]], { dtype: "int32" }), weight).toArray(); // [[[3, 4], [1, 2]]]
 * ```
 */
export function embedding(input: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  const op = "embedding";
  const o = resolveOptions(op, options, EMBEDDING_OPTIONS, EMBEDDING_CHECKS);
  checkWeight(op, weight);
  const [rows, dim] = weight.shape;
  const idx = readIndices(op, input, rows);
  const pad = paddingRow(op, o.paddingIdx, rows);
  if (o.maxNorm !== null) renorm(weight, idx, o.maxNorm, o.normType);
  let looked = weight.indexSelect(0, tensor(idx, { dtype: "int32" }));
  const scale = gradScales(idx, pad, o.scaleGradByFreq, weight.dtype as "float32" | "float64");
  if (scale && weight.requiresGrad) looked = maskGrad(looked, scale);
  return looked.reshape([...input.shape, dim]);
}

// ------------------------------------------------------------------ F.embeddingBag

/** How {@link embeddingBag} reduces a bag. */
export type EmbeddingBagMode = "sum" | "mean" | "max";

/**
 * Options of {@link embeddingBag}.
 *
 * @example
 * ```ts
 * F.embeddingBag(tensor([0, 1, 2], { dtype: "int32" }), ones([3, 2]), { offsets: tensor([0, 1], { dtype: "int32" }), mode: "sum" }).toArray(); // [[1, 1], [2, 2]]
 * ```
 */
export interface EmbeddingBagOptions {
  /** Start of each bag in a 1-D `input` (int32 `[B]`, or `[B + 1]` with `includeLastOffset`); none for a 2-D input. */
  offsets?: Tensor | null;
  /** Renormalize each looked-up row whose norm exceeds this, in place (default none). */
  maxNorm?: number | null;
  /** The p of the norm for `maxNorm` (default 2). */
  normType?: number;
  /** Scale each row's gradient by 1 / (its count in the input) (default false; not with "max"). */
  scaleGradByFreq?: boolean;
  /** `"mean"` (default), `"sum"` or `"max"`. */
  mode?: EmbeddingBagMode;
  /** Only `false` (the default). */
  sparse?: boolean;
  /** A weight per entry of `input` (its shape), multiplying its row before the sum; `"sum"` only. */
  perSampleWeights?: Tensor | null;
  /** `offsets` has B + 1 entries, the last one the end of the input (default false). */
  includeLastOffset?: boolean;
  /** Entries equal to this index are left out of their bag (and of its count; default none). */
  paddingIdx?: number | null;
}

const BAG_OPTIONS: Required<EmbeddingBagOptions> = {
  offsets: null, maxNorm: null, normType: 2, scaleGradByFreq: false, mode: "mean", sparse: false,
  perSampleWeights: null, includeLastOffset: false, paddingIdx: null,
};
const BAG_CHECKS = {
  ...EMBEDDING_CHECKS, offsets: tensorOrNull, mode: optionChecks.oneOf(["sum", "mean", "max"]), perSampleWeights: tensorOrNull,
  includeLastOffset: optionChecks.boolean,
};

/** Bag boundaries `[start, end)` of each bag of a 1-D input of `n` entries. */
function bagRanges(op: string, offsets: Tensor | null, n: number, includeLast: boolean, input: Tensor): Array<[number, number]> {
  if (input.ndim === 2) {
    if (offsets) throw new TypeError(`${op}: offsets must be null for a 2-D input (each row is a bag), got offsets of shape ${fmt(offsets.shape)}`);
    const [b, len] = input.shape;
    return Array.from({ length: b }, (_, i) => [i * len, (i + 1) * len]);
  }
  if (input.ndim !== 1) throw new RangeError(`${op}: input must be 1-D (with offsets) or 2-D (B, N), got shape ${fmt(input.shape)}`);
  if (!offsets) throw new TypeError(`${op}: a 1-D input needs offsets (the start of each bag)`);
  if (offsets.ndim !== 1) throw new RangeError(`${op}: offsets must be 1-D, got shape ${fmt(offsets.shape)}`);
  const starts = Array.from(readIndices(op, offsets, n + 1, "offsets"));
  if (starts.length > 0 && starts[0] !== 0) throw new RangeError(`${op}: offsets[0] must be 0, got ${starts[0]}`);
  for (let i = 1; i < starts.length; i++) {
    if (starts[i] < starts[i - 1]) throw new RangeError(`${op}: offsets must be non-decreasing, got ${starts[i - 1]} then ${starts[i]}`);
  }
  const bounds = includeLast ? starts : [...starts, n];
  if (includeLast && starts.length === 0) throw new RangeError(`${op}: with includeLastOffset, offsets needs at least one entry`);
  return bounds.slice(0, -1).map((s, i) => [s, Math.min(bounds[i + 1], n)]);
}

/**
 * Sums, means or maxima of bags of embeddings without materializing them per entry, PyTorch's
 * `F.embedding_bag`. `input` is a 2-D int32 `(B, N)` (B bags of N) or a 1-D int32 `(L)` with
 * `offsets` marking where each bag starts; the result is `(B, embeddingDim)`. Entries equal to
 * `paddingIdx` are left out; an empty bag gives zeros. `perSampleWeights` (same shape as `input`)
 * scales each entry before the sum (`mode: "sum"` only). In `"max"` mode the gradient goes to
 * the row that gave each maximum.
 *
 * @example
 * ```ts
 * const weight = tensor([[1, 2], [3, 4], [5, 6]]);
 * const input = tensor([0, 2, 1, 2], { dtype: "int32" });
 * const offsets = tensor([0, 2], { dtype: "int32" }); // bags [0, 2] and [1, 2]
 * F.embeddingBag(input, weight, { offsets, mode: "sum" }).toArray(); // [[6, 8], [8, 10]]
 * ```
 */
export function embeddingBag(input: Tensor, weight: Tensor, options: EmbeddingBagOptions = {}): Tensor {
  const op = "embeddingBag";
  const o = resolveOptions(op, options, BAG_OPTIONS, BAG_CHECKS);
  checkWeight(op, weight);
  const [rows, dim] = weight.shape;
  const idx = readIndices(op, input, rows);
  const ranges = bagRanges(op, o.offsets, idx.length, o.includeLastOffset, input);
  const pad = paddingRow(op, o.paddingIdx, rows);
  const psw = o.perSampleWeights;
  if (psw) {
    if (o.mode !== "sum") throw new TypeError(`${op}: perSampleWeights is only supported for mode "sum", got mode "${o.mode}"`);
    if (psw.shape.length !== input.shape.length || psw.shape.some((d, i) => d !== input.shape[i])) {
      throw new RangeError(`${op}: perSampleWeights of shape ${fmt(psw.shape)} must have the input's shape ${fmt(input.shape)}`);
    }
    if (psw.dtype !== weight.dtype) throw new TypeError(`${op}: perSampleWeights has dtype ${psw.dtype} but the weight has ${weight.dtype}`);
  }
  if (o.scaleGradByFreq && o.mode === "max") throw new TypeError(`${op}: scaleGradByFreq is not supported with mode "max"`);
  if (o.maxNorm !== null) renorm(weight, idx, o.maxNorm, o.normType);
  const dtype = weight.dtype as "float32" | "float64";
  // The kept entries (not padding), each with its bag.
  const kept: number[] = [];
  const bagOf: number[] = [];
  const counts = new Array<number>(ranges.length).fill(0);
  ranges.forEach(([s, e], b) => {
    for (let k = s; k < e; k++) {
      if (idx[k] === pad) continue;
      kept.push(k);
      bagOf.push(b);
      counts[b]++;
    }
  });
  const keptIdx = Int32Array.from(kept, (k) => idx[k]);
  const bags = ranges.length;
  if (o.mode === "max") {
    // Per bag and feature, the row holding the maximum (first one on ties, as PyTorch's CPU kernel).
    const w = weight.detach().contiguous().dataSync();
    const sel = new Int32Array(bags * dim);
    const filled = new Array<number>(bags * dim).fill(0);
    const best = new Float64Array(bags * dim).fill(-Infinity);
    kept.forEach((k, j) => {
      const b = bagOf[j];
      const row = idx[k];
      for (let d = 0; d < dim; d++) {
        const v = w[row * dim + d];
        if (v > best[b * dim + d] || Number.isNaN(v)) {
          best[b * dim + d] = v;
          sel[b * dim + d] = row;
          filled[b * dim + d] = 1;
        }
      }
    });
    const gathered = weight.gather(0, new Tensor(sel, [bags, dim], "int32"));
    return counts.some((c) => c === 0) ? gathered.mul(tensor(filled, { dtype }).reshape([bags, dim])) : gathered;
  }
  let looked = weight.indexSelect(0, tensor(keptIdx, { dtype: "int32" }));
  const scale = gradScales(keptIdx, null, o.scaleGradByFreq, dtype);
  if (scale && weight.requiresGrad) looked = maskGrad(looked, scale);
  if (psw) looked = looked.mul(psw.reshape([-1]).indexSelect(0, tensor(Int32Array.from(kept), { dtype: "int32" })).reshape([-1, 1]));
  const summed = zeros([bags, dim], { dtype }).indexAdd(0, tensor(Int32Array.from(bagOf), { dtype: "int32" }), looked);
  if (o.mode === "sum") return summed;
  return summed.div(tensor(counts.map((c) => Math.max(c, 1)), { dtype }).reshape([bags, 1]));
}

// ------------------------------------------------------------------ layers

/**
 * Options of {@link Embedding}: those of {@link embedding}, the dtype and a generator for the init.
 *
 * @example
 * ```ts
 * new Embedding(5, 2, { dtype: "float64", generator: new Generator(0) }).weight.dtype; // "float64"
 * ```
 * @group Embedding
 */
export interface EmbeddingLayerOptions extends EmbeddingOptions {
  /** dtype of the weight (default float32). */
  dtype?: "float32" | "float64";
  /** Source of randomness for the initial weight (the global generator by default). */
  generator?: Generator;
}

/**
 * Options of {@link Embedding.fromPretrained}.
 *
 * @example
 * ```ts
 * Embedding.fromPretrained(ones([3, 2]), { freeze: false }).weight.requiresGrad; // true
 * ```
 * @group Embedding
 */
export interface FromPretrainedOptions extends EmbeddingOptions {
  /** Keep the weight fixed (`requiresGrad = false`; default true). */
  freeze?: boolean;
}

const LAYER_EXTRA = { dtype: "float32" as "float32" | "float64", generator: undefined as Generator | undefined };
const LAYER_EXTRA_CHECKS = { dtype: optionChecks.floatDType, generator: generatorCheck };

/** The tail of PyTorch's embedding reprs: the options that differ from their defaults. */
function optionRepr(o: { paddingIdx: number | null; maxNorm: number | null; normType: number; scaleGradByFreq: boolean }): string {
  let s = "";
  if (o.paddingIdx !== null) s += `, paddingIdx=${o.paddingIdx}`;
  if (o.maxNorm !== null) s += `, maxNorm=${pyFloat(o.maxNorm)}`;
  if (o.normType !== 2) s += `, normType=${pyFloat(o.normType)}`;
  if (o.scaleGradByFreq) s += ", scaleGradByFreq=true";
  return s;
}

/** What Embedding and EmbeddingBag share: the weight `(numEmbeddings, embeddingDim)` and its init. */
abstract class EmbeddingBase extends Module {
  /** Size of the dictionary. */
  readonly numEmbeddings: number;
  /** Size of each embedding vector. */
  readonly embeddingDim: number;
  /** The padding row (non-negative), or null. */
  readonly paddingIdx: number | null;
  /** Renormalization bound of looked-up rows, or null. */
  readonly maxNorm: number | null;
  /** The p of the norm for `maxNorm`. */
  readonly normType: number;
  /** Whether gradients are scaled by inverse index frequency. */
  readonly scaleGradByFreq: boolean;
  /** The table `(numEmbeddings, embeddingDim)`, initialized N(0, 1) with the padding row zero. */
  weight: Parameter;
  private readonly generator: Generator | undefined;

  constructor(op: string, numEmbeddings: number, embeddingDim: number, o: Required<EmbeddingOptions> & typeof LAYER_EXTRA, weight: Tensor | null) {
    super();
    optionChecks.intAtLeast(0)(op, "numEmbeddings", numEmbeddings);
    optionChecks.intAtLeast(0)(op, "embeddingDim", embeddingDim);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = paddingRow(op, o.paddingIdx, numEmbeddings);
    this.maxNorm = o.maxNorm;
    this.normType = o.normType;
    this.scaleGradByFreq = o.scaleGradByFreq;
    this.generator = o.generator;
    this.weight = new Parameter(weight ?? empty([numEmbeddings, embeddingDim], { dtype: o.dtype }));
    if (!weight) this.resetParameters();
  }

  /** PyTorch's default init: N(0, 1), then the padding row (if any) zeroed. */
  resetParameters(generator = this.generator): void {
    normal_(this.weight, 0, 1, { generator });
    if (this.paddingIdx !== null) noGrad(() => this.weight.narrow(0, this.paddingIdx!, 1).zero_());
  }
}

function pretrainedWeight(op: string, embeddings: unknown): Tensor {
  checkWeight(op, embeddings);
  return embeddings;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, PyTorch's `nn.Embedding`:
 * {@link embedding} of int32 indices `(*)` into the learned `weight`, giving `(*, embeddingDim)`.
 * Init: N(0, 1), with the `paddingIdx` row zeros (and its gradient always zero).
 *
 * @example
 * ```ts
 * const emb = new Embedding(10, 3, { paddingIdx: 0 });
 * emb.forward(tensor([[1, 2, 0]], { dtype: "int32" })).shape; // [1, 3, 3]
 * String(emb); // "Embedding(10, 3, paddingIdx=0)"
 * ```
 * @group Embedding
 */
export class Embedding extends EmbeddingBase {
  static override readonly typeName: string = "Embedding";

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingLayerOptions = {}) {
    super("Embedding", numEmbeddings, embeddingDim, resolveOptions("Embedding", options, { ...EMBEDDING_OPTIONS, ...LAYER_EXTRA }, { ...EMBEDDING_CHECKS, ...LAYER_EXTRA_CHECKS }), null);
  }

  /**
   * An Embedding whose weight is `embeddings` (shared, not copied), PyTorch's
   * `Embedding.from_pretrained`; frozen (`requiresGrad = false`) unless `freeze: false`.
   *
   * @example
   * ```ts
   * const emb = Embedding.fromPretrained(tensor([[1, 2], [3, 4]]));
   * emb.forward(tensor([1], { dtype: "int32" })).toArray(); // [[3, 4]]
   * emb.weight.requiresGrad; // false
   * ```
   */
  static fromPretrained(embeddings: Tensor, options: FromPretrainedOptions = {}): Embedding {
    const { freeze, ...rest } = resolveOptions("Embedding.fromPretrained", options, { ...EMBEDDING_OPTIONS, freeze: true }, { ...EMBEDDING_CHECKS, freeze: optionChecks.boolean });
    const weight = pretrainedWeight("Embedding.fromPretrained", embeddings);
    return withWeight(new Embedding(weight.shape[0], weight.shape[1], { ...rest, ...scratchInit(weight) }), weight, freeze);
  }

  /** {@link embedding} of `input` (int32 indices, any shape) into `weight`. */
  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, {
      paddingIdx: this.paddingIdx, maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq,
    });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${optionRepr(this)}`;
  }
}

/**
 * Options of {@link EmbeddingBag}.
 *
 * @example
 * ```ts
 * new EmbeddingBag(5, 2, { mode: "max", includeLastOffset: true }).mode; // "max"
 * ```
 * @group Embedding
 */
export interface EmbeddingBagLayerOptions extends EmbeddingLayerOptions {
  /** `"mean"` (default), `"sum"` or `"max"`. */
  mode?: EmbeddingBagMode;
  /** `offsets` has B + 1 entries, the last one the end of the input (default false). */
  includeLastOffset?: boolean;
}

/**
 * Options of {@link EmbeddingBag.fromPretrained}.
 *
 * @example
 * ```ts
 * EmbeddingBag.fromPretrained(ones([3, 2]), { mode: "sum" }).forward(tensor([[0, 2]], { dtype: "int32" })).toArray(); // [[2, 2]]
 * ```
 * @group Embedding
 */
export interface EmbeddingBagFromPretrainedOptions extends FromPretrainedOptions {
  /** `"mean"` (default), `"sum"` or `"max"`. */
  mode?: EmbeddingBagMode;
  /** `offsets` has B + 1 entries (default false). */
  includeLastOffset?: boolean;
}

const BAG_LAYER_EXTRA = { mode: "mean" as EmbeddingBagMode, includeLastOffset: false };
const BAG_LAYER_EXTRA_CHECKS = { mode: BAG_CHECKS.mode, includeLastOffset: optionChecks.boolean };

/**
 * Sums, means or maxima of bags of embeddings, PyTorch's `nn.EmbeddingBag`: {@link embeddingBag}
 * with the learned `weight` `(numEmbeddings, embeddingDim)` (init N(0, 1), padding row zero).
 * `forward(input, offsets?, perSampleWeights?)` takes a 2-D `(B, N)` input or a 1-D one with
 * offsets, and returns `(B, embeddingDim)`.
 *
 * @example
 * ```ts
 * const bag = new EmbeddingBag(10, 3, { mode: "sum" });
 * const input = tensor([1, 2, 4, 5, 4, 3, 2, 9], { dtype: "int32" });
 * bag.forward(input, tensor([0, 4], { dtype: "int32" })).shape; // [2, 3]
 * String(bag); // "EmbeddingBag(10, 3, mode=sum)"
 * ```
 * @group Embedding
 */
export class EmbeddingBag extends EmbeddingBase {
  static override readonly typeName: string = "EmbeddingBag";
  /** How a bag is reduced. */
  readonly mode: EmbeddingBagMode;
  /** Whether `offsets` includes the end of the input. */
  readonly includeLastOffset: boolean;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingBagLayerOptions = {}) {
    const o = resolveOptions("EmbeddingBag", options, { ...EMBEDDING_OPTIONS, ...LAYER_EXTRA, ...BAG_LAYER_EXTRA }, { ...EMBEDDING_CHECKS, ...LAYER_EXTRA_CHECKS, ...BAG_LAYER_EXTRA_CHECKS });
    super("EmbeddingBag", numEmbeddings, embeddingDim, o, null);
    this.mode = o.mode;
    this.includeLastOffset = o.includeLastOffset;
  }

  /**
   * An EmbeddingBag whose weight is `embeddings` (shared), PyTorch's `EmbeddingBag.from_pretrained`;
   * frozen unless `freeze: false`.
   *
   * @example
   * ```ts
   * const bag = EmbeddingBag.fromPretrained(tensor([[1, 2], [3, 4]]), { mode: "max" });
   * bag.forward(tensor([[0, 1]], { dtype: "int32" })).toArray(); // [[3, 4]]
   * ```
   */
  static fromPretrained(embeddings: Tensor, options: EmbeddingBagFromPretrainedOptions = {}): EmbeddingBag {
    const { freeze, mode, includeLastOffset, ...rest } = resolveOptions("EmbeddingBag.fromPretrained", options, { ...EMBEDDING_OPTIONS, ...BAG_LAYER_EXTRA, freeze: true }, {
      ...EMBEDDING_CHECKS, ...BAG_LAYER_EXTRA_CHECKS, freeze: optionChecks.boolean,
    });
    const weight = pretrainedWeight("EmbeddingBag.fromPretrained", embeddings);
    return withWeight(new EmbeddingBag(weight.shape[0], weight.shape[1], { ...rest, mode, includeLastOffset, ...scratchInit(weight) }), weight, freeze);
  }

  /** {@link embeddingBag} of `input` with this layer's options. */
  forward(input: Tensor, offsets: Tensor | null = null, perSampleWeights: Tensor | null = null): Tensor {
    return embeddingBag(input, this.weight, {
      offsets, perSampleWeights, mode: this.mode, includeLastOffset: this.includeLastOffset, paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq,
    });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${optionRepr({ ...this, paddingIdx: null })}, mode=${this.mode}${this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : ""}`;
  }
}

/**
 * Options that build a layer of `weight`'s dtype whose own random init is thrown away (drawn from
 * a scratch generator, so fromPretrained leaves the global random state alone).
 */
function scratchInit(weight: Tensor): { dtype: "float32" | "float64"; generator: Generator } {
  return { dtype: weight.dtype as "float32" | "float64", generator: new Generator(0) };
}

/** `layer` with `weight` (shared, not copied) as its table, trainable unless `freeze`. */
function withWeight<T extends EmbeddingBase>(layer: T, weight: Tensor, freeze: boolean): T {
  layer.weight = new Parameter(weight, !freeze);
  return layer;
}
