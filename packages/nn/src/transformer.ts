/**
 * Attention and transformers, as `torch.nn.functional.scaled_dot_product_attention`,
 * `torch.nn.MultiheadAttention` and `torch/nn/modules/transformer.py`: the functional attention,
 * the multi-head layer with PyTorch's packed `in_proj_weight`, the encoder and decoder layers,
 * their stacks and the full `Transformer`. Everything is composed of core ops, so autograd (and
 * `createGraph`) goes through it without rules of its own.
 *
 * Masks come in PyTorch's two conventions, which differ: for {@link scaledDotProductAttention} a
 * bool mask says where to **attend** (true = keep), for the layers it says where **not** to attend
 * (true = masked out). A float mask is added to the scores in both (`-Infinity` masks out).
 */
import {
  Tensor, Generator, cat, describeValue, empty, full, isFloatingPoint, isPlainObject, linear, noGrad, optionChecks, pad, resolveOptions,
  zeros, type DType, type OptionCheck,
} from "@tsgrad/core";
import { Module, Parameter } from "./module.js";
import { Linear } from "./linear.js";
import { Dropout, dropout as dropoutFn } from "./dropout.js";
import { LayerNorm } from "./normalization.js";
import { ModuleList } from "./container.js";
import { gelu, relu } from "./activation.js";
import { constant_, xavierNormal_, xavierUniform_ } from "./init.js";
import { checkTensor, generatorCheck } from "./util.js";
import { installHooks, type ModuleHooks } from "./hooks.js";

type FloatDType = "float32" | "float64";
const tensorCheck = optionChecks.instanceOf(Tensor, "a Tensor");
const maskCheck = optionChecks.nullable(tensorCheck);
const fmt = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

// ---------------------------------------------------------------- scaled dot-product attention

/**
 * Options of {@link scaledDotProductAttention}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `attnMask` | `null` | `attn_mask`: bool (true = attend) or float (added to the scores), broadcastable to `(..., L, S)` |
 * | `dropoutP` | `0` | `dropout_p`: dropout on the attention weights (always applied when > 0, as PyTorch) |
 * | `isCausal` | `false` | `is_causal`: query i attends to keys 0..i (the top-left causal mask); excludes `attnMask` |
 * | `scale` | `null` (1/√E) | `scale` (PyTorch ≥ 2.1) |
 * | `generator` | the global generator | (none: the dropout's randomness) |
 *
 * @example
 * ```ts
 * const q = randn([1, 3, 4]);
 * F.scaledDotProductAttention(q, q, q, { isCausal: true, scale: 0.5 }).shape; // → [1, 3, 4]
 * ```
 * @group Transformer
 */
export interface ScaledDotProductAttentionOptions {
  /** Bool (true = attend) or float (added to the scores) mask broadcastable to `(..., L, S)`. */
  attnMask?: Tensor | null;
  /** Probability of zeroing an attention weight (default 0). */
  dropoutP?: number;
  /** Apply the causal mask `j <= i` (default false); cannot be combined with `attnMask`. */
  isCausal?: boolean;
  /** Factor on `q·kᵀ` (default `1/√E`, E the query's last dim). */
  scale?: number | null;
  /** Source of the dropout's randomness (the global generator by default). */
  generator?: Generator;
}

const SDPA_OPTIONS: ScaledDotProductAttentionOptions = { attnMask: null, dropoutP: 0, isCausal: false, scale: null, generator: undefined };
const SDPA_CHECKS = {
  attnMask: maskCheck, dropoutP: optionChecks.probability, isCausal: optionChecks.boolean,
  scale: optionChecks.nullable(optionChecks.finite), generator: generatorCheck,
};

/**
 * The attention shared by {@link scaledDotProductAttention} and {@link MultiheadAttention}:
 * `softmax(q·scale·kᵀ + mask)`, dropped out, times `v`. `mask` is additive (float) or null.
 * Returns the output and the attention weights.
 */
function attend(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, scale: number, dropoutP: number, generator?: Generator): [Tensor, Tensor] {
  let scores = q.mul(scale).matmul(k.transpose(-2, -1));
  if (mask !== null) scores = scores.add(mask);
  const weights = dropoutFn(scores.softmax(-1), dropoutP, dropoutP > 0, generator);
  return [weights.matmul(v), weights];
}

/** A bool "mask out where true" mask as an additive float one: 0 where false, −∞ where true. */
function maskedOutToAdditive(mask: Tensor, dtype: DType): Tensor {
  return zeros(mask.shape, { dtype }).maskedFill(mask, -Infinity);
}

/** The `(L, S)` additive causal mask: −∞ where key j lies after query i (j > i), else 0. */
function causalMask(l: number, s: number, dtype: DType): Tensor {
  return full([l, s], -Infinity, { dtype }).triu(1);
}

function checkFloatTensor(op: string, t: unknown, what: string, minDims: number): asserts t is Tensor {
  checkTensor(op, t, what);
  if (!isFloatingPoint(t.dtype)) throw new TypeError(`${op}: ${what} must be float32 or float64, got ${t.dtype}`);
  if (t.ndim < minDims) throw new RangeError(`${op}: ${what} must have at least ${minDims} dims, got shape ${fmt(t.shape)}`);
}

/** Throws unless `mask` is a bool or floating-point tensor. */
function checkMaskDType(op: string, what: string, mask: Tensor): void {
  if (mask.dtype !== "bool" && !isFloatingPoint(mask.dtype)) {
    throw new TypeError(`${op}: ${what} must be a bool or floating-point tensor, got ${mask.dtype}`);
  }
}

/** Throws unless `mask` is bool or floating point and broadcasts to `target`. */
function checkMask(op: string, what: string, mask: Tensor, target: readonly number[]): void {
  checkMaskDType(op, what, mask);
  const fits = mask.ndim <= target.length && mask.shape.every((d, i) => d === 1 || d === target[target.length - mask.ndim + i]);
  if (!fits) throw new RangeError(`${op}: ${what} of shape ${fmt(mask.shape)} does not broadcast to the attention scores' shape ${fmt(target)}`);
}

/**
 * Scaled dot-product attention:
 * `softmax(q·kᵀ·scale + mask)·v`, with `scale = 1/√E` by default and dropout (probability
 * `dropoutP`) on the attention weights. A bool `attnMask` keeps the scores where it is **true**
 * (the others become −∞); a float one is added to them. `isCausal` masks out the keys after each
 * query (the top-left triangle `j <= i`, also for L ≠ S). A row with every key masked out has no
 * weights to share and gives NaN, as PyTorch's reference formula does.
 *
 * Shapes: query `(..., L, E)`, key `(..., S, E)`, value `(..., S, Ev)` with broadcastable leading
 * dims; returns `(..., L, Ev)`.
 *
 * PyTorch: `torch.nn.functional.scaled_dot_product_attention` (2.x; `enable_gqa` is not supported).
 *
 * @example
 * ```ts
 * const q = tensor([[[1, 0], [0, 1]]]);   // (N=1, L=2, E=2)
 * const k = tensor([[[1, 0], [0, 1]]]);
 * const v = tensor([[[10, 0], [0, 10]]]);
 * const keep = tensor([[true, false], [true, true]]);
 * F.scaledDotProductAttention(q, k, v, { attnMask: keep }).toArray()[0][0]; // → [10, 0] (query 0 sees key 0 only)
 * F.scaledDotProductAttention(q, k, v, { isCausal: true }).toArray()[0][0]; // → [10, 0] (the same, as a causal mask)
 * ```
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, options: ScaledDotProductAttentionOptions = {}): Tensor {
  const op = "scaledDotProductAttention";
  const { attnMask, dropoutP, isCausal, scale, generator } = resolveOptions(op, options, SDPA_OPTIONS, SDPA_CHECKS);
  checkFloatTensor(op, query, "query", 2);
  checkFloatTensor(op, key, "key", 2);
  checkFloatTensor(op, value, "value", 2);
  if (key.dtype !== query.dtype || value.dtype !== query.dtype) {
    throw new TypeError(`${op}: query, key and value must have the same dtype, got ${query.dtype}, ${key.dtype} and ${value.dtype}`);
  }
  const [l, e] = query.shape.slice(-2);
  const [s, ek] = key.shape.slice(-2);
  if (ek !== e) throw new RangeError(`${op}: key's last dim ${ek} must equal query's ${e} (query ${fmt(query.shape)}, key ${fmt(key.shape)})`);
  if (value.shape.at(-2) !== s) {
    throw new RangeError(`${op}: value must have as many rows as key (S = ${s}), got value ${fmt(value.shape)} and key ${fmt(key.shape)}`);
  }
  let mask: Tensor | null = null;
  if (isCausal) {
    if (attnMask) throw new TypeError(`${op}: attnMask must not be given with isCausal: true (the causal mask is the attention mask)`);
    mask = causalMask(l, s, query.dtype);
  } else if (attnMask) {
    checkMask(op, "attnMask", attnMask, [...query.shape.slice(0, -1), s]);
    mask = attnMask.dtype === "bool" ? maskedOutToAdditive(attnMask.logicalNot(), query.dtype) : attnMask.to(query.dtype);
  }
  return attend(query, key, value, mask, scale ?? 1 / Math.sqrt(e), dropoutP ?? 0, generator)[0];
}

// ---------------------------------------------------------------- MultiheadAttention

/**
 * Options of {@link MultiheadAttention}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `dropout` | `0` | `dropout`: on the attention weights, in training mode |
 * | `bias` | `true` | `bias`: `in_proj_bias` and `out_proj.bias` |
 * | `addBiasKv` | `false` | `add_bias_kv`: learned `bias_k`, `bias_v` appended to the keys and values |
 * | `addZeroAttn` | `false` | `add_zero_attn`: a zero key and value appended per head |
 * | `kdim`, `vdim` | `embedDim` | `kdim`, `vdim`: feature sizes of key and value |
 * | `batchFirst` | `false` | `batch_first`: `(N, L, E)` instead of `(L, N, E)` |
 * | `dtype` | `"float32"` | `dtype` |
 * | `generator` | the global generator | (none): initial weights and dropout |
 *
 * @example
 * ```ts
 * const mha = new nn.MultiheadAttention(8, 2, { kdim: 3, vdim: 5, batchFirst: true });
 * Object.keys(mha.stateDict()); // → ["q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]
 * ```
 * @group Transformer
 */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights while training (default 0). */
  dropout?: number;
  /** Learn the input and output projection biases (default true). */
  bias?: boolean;
  /** Learn a key and a value vector appended to every sequence (default false). */
  addBiasKv?: boolean;
  /** Append a zero key and value to every sequence and head (default false). */
  addZeroAttn?: boolean;
  /** Features of the key (default `embedDim`). */
  kdim?: number | null;
  /** Features of the value (default `embedDim`). */
  vdim?: number | null;
  /** Inputs and outputs are `(N, L, E)` (default false: `(L, N, E)`). */
  batchFirst?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: FloatDType;
  /** Source of the initial weights' and the dropout's randomness (the global generator by default). */
  generator?: Generator;
}

/**
 * Options of {@link MultiheadAttention.forward}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `keyPaddingMask` | `null` | `key_padding_mask` `(N, S)` (or `(S)` unbatched): bool (true = ignore that key) or float (added) |
 * | `needWeights` | `true` | `need_weights`: also return the attention weights |
 * | `attnMask` | `null` | `attn_mask` `(L, S)` or `(N·numHeads, L, S)`: bool (true = not allowed) or float (added) |
 * | `averageAttnWeights` | `true` | `average_attn_weights`: weights averaged over the heads, else per head |
 *
 * @example
 * ```ts
 * const mha = new nn.MultiheadAttention(4, 2);
 * const x = randn([3, 1, 4]); // (L, N, E)
 * const [, w] = mha.forward(x, x, x, { averageAttnWeights: false });
 * w!.shape; // → [1, 2, 3, 3]
 * ```
 * @group Transformer
 */
export interface MultiheadAttentionForwardOptions {
  /** Keys to ignore per batch element: bool `(N, S)` true = padding, or float (added). */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights too (default true). */
  needWeights?: boolean;
  /** `(L, S)` or `(N·numHeads, L, S)` mask: bool true = not allowed, or float (added). */
  attnMask?: Tensor | null;
  /** Average the returned weights over the heads (default true). */
  averageAttnWeights?: boolean;
}

const MHA_OPTIONS: Required<Omit<MultiheadAttentionOptions, "generator">> & { generator: Generator | undefined } = {
  dropout: 0, bias: true, addBiasKv: false, addZeroAttn: false, kdim: null, vdim: null, batchFirst: false, dtype: "float32", generator: undefined,
};
const MHA_CHECKS = {
  dropout: optionChecks.probability, bias: optionChecks.boolean, addBiasKv: optionChecks.boolean, addZeroAttn: optionChecks.boolean,
  kdim: optionChecks.nullable(optionChecks.intAtLeast(1)), vdim: optionChecks.nullable(optionChecks.intAtLeast(1)),
  batchFirst: optionChecks.boolean, dtype: optionChecks.floatDType, generator: generatorCheck,
};
const MHA_FORWARD_OPTIONS: Required<MultiheadAttentionForwardOptions> = { keyPaddingMask: null, needWeights: true, attnMask: null, averageAttnWeights: true };
const MHA_FORWARD_CHECKS = { keyPaddingMask: maskCheck, needWeights: optionChecks.boolean, attnMask: maskCheck, averageAttnWeights: optionChecks.boolean };

/**
 * Multi-head attention: the query, key and value are projected (`q·W_qᵀ + b_q`, ...), split into
 * `numHeads` heads of `embedDim / numHeads` features, each head attends
 * (`softmax(q_h·k_hᵀ/√d + mask)·v_h`, {@link scaledDotProductAttention}), and the heads,
 * concatenated, go through `outProj`.
 *
 * Shapes (`batchFirst: false`, PyTorch's default): query `(L, N, E)`, key `(S, N, kdim)`,
 * value `(S, N, vdim)`; with `batchFirst` the batch comes first, `(N, L, E)`; unbatched inputs are
 * `(L, E)`, `(S, kdim)`, `(S, vdim)`. {@link MultiheadAttention.forward} returns
 * `[output, weights]`: output shaped like the query; weights `(N, L, S)` (averaged over the heads)
 * or `(N, numHeads, L, S)`, without N unbatched, or null with `needWeights: false`.
 *
 * Parameters and state-dict keys are PyTorch's: `in_proj_weight` `[3E, E]` (q, k, v stacked) when
 * `kdim = vdim = embedDim`, else `q_proj_weight` `[E, E]`, `k_proj_weight` `[E, kdim]`,
 * `v_proj_weight` `[E, vdim]`; `in_proj_bias` `[3E]`; `bias_k`, `bias_v` `[1, 1, E]`;
 * `out_proj.weight` `[E, E]`, `out_proj.bias` `[E]`. Init as PyTorch: xavier-uniform projection
 * weights, zero biases, xavier-normal `bias_k`/`bias_v`, `out_proj` as a {@link Linear}.
 *
 * PyTorch: `torch.nn.MultiheadAttention`.
 *
 * @example
 * ```ts
 * const mha = new MultiheadAttention(8, 2, { batchFirst: true });
 * const x = randn([4, 5, 8]); // (N, L, E)
 * const [out, weights] = mha.forward(x, x, x, { attnMask: Transformer.generateSquareSubsequentMask(5) });
 * out.shape;      // → [4, 5, 8]
 * weights!.shape; // → [4, 5, 5]
 * Object.keys(mha.stateDict()); // → ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]
 * ```
 * @group Transformer
 */
export class MultiheadAttention extends Module {
  static override readonly typeName: string = "MultiheadAttention";
  static override readonly stateDictNames = {
    inProjWeight: "in_proj_weight", qProjWeight: "q_proj_weight", kProjWeight: "k_proj_weight", vProjWeight: "v_proj_weight",
    inProjBias: "in_proj_bias", biasK: "bias_k", biasV: "bias_v", outProj: "out_proj",
  };
  /** Features of the query and the output (E). */
  readonly embedDim: number;
  /** Features of the key. */
  readonly kdim: number;
  /** Features of the value. */
  readonly vdim: number;
  /** Number of heads. */
  readonly numHeads: number;
  /** Features per head, `embedDim / numHeads`. */
  readonly headDim: number;
  /** Dropout probability on the attention weights while training. */
  readonly dropout: number;
  /** Whether inputs are `(N, L, E)`. */
  readonly batchFirst: boolean;
  /** Whether a zero key and value are appended. */
  readonly addZeroAttn: boolean;
  /** `[3·embedDim, embedDim]`, the stacked q, k, v projections (null when kdim or vdim differ). */
  inProjWeight: Parameter | null;
  /** `[embedDim, embedDim]` (only when kdim or vdim differ from embedDim). */
  qProjWeight: Parameter | null;
  /** `[embedDim, kdim]` (only when kdim or vdim differ from embedDim). */
  kProjWeight: Parameter | null;
  /** `[embedDim, vdim]` (only when kdim or vdim differ from embedDim). */
  vProjWeight: Parameter | null;
  /** `[3·embedDim]`, the q, k, v projection biases (null with `bias: false`). */
  inProjBias: Parameter | null;
  /** `[1, 1, embedDim]`, appended to the keys (with `addBiasKv`). */
  biasK: Parameter | null;
  /** `[1, 1, embedDim]`, appended to the values (with `addBiasKv`). */
  biasV: Parameter | null;
  /** The output projection `embedDim → embedDim`. */
  outProj: Linear;
  private readonly generator: Generator | undefined;

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    const op = "MultiheadAttention";
    const o = resolveOptions(op, options, MHA_OPTIONS, MHA_CHECKS);
    optionChecks.intAtLeast(1)(op, "embedDim", embedDim);
    optionChecks.intAtLeast(1)(op, "numHeads", numHeads);
    if (embedDim % numHeads !== 0) throw new RangeError(`${op}: embedDim must be divisible by numHeads, got embedDim ${embedDim} and numHeads ${numHeads}`);
    this.embedDim = embedDim;
    this.kdim = o.kdim ?? embedDim;
    this.vdim = o.vdim ?? embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.dropout = o.dropout;
    this.batchFirst = o.batchFirst;
    this.addZeroAttn = o.addZeroAttn;
    const dtype = o.dtype;
    const param = (shape: number[]): Parameter => new Parameter(empty(shape, { dtype }));
    const packed = this.kdim === embedDim && this.vdim === embedDim;
    this.inProjWeight = packed ? param([3 * embedDim, embedDim]) : null;
    this.qProjWeight = packed ? null : param([embedDim, embedDim]);
    this.kProjWeight = packed ? null : param([embedDim, this.kdim]);
    this.vProjWeight = packed ? null : param([embedDim, this.vdim]);
    this.inProjBias = o.bias ? param([3 * embedDim]) : null;
    this.biasK = o.addBiasKv ? param([1, 1, embedDim]) : null;
    this.biasV = o.addBiasKv ? param([1, 1, embedDim]) : null;
    this.outProj = new Linear(embedDim, embedDim, { bias: o.bias, dtype, generator: o.generator });
    this.generator = o.generator;
    this.resetParameters();
  }

  /**
   * Draws the parameters again as PyTorch's `_reset_parameters`: xavier-uniform projection weights,
   * zero `in_proj_bias` and `out_proj.bias`, xavier-normal `bias_k` and `bias_v` (`out_proj.weight`
   * keeps its Linear init), from `generator` (default: the constructor's, else the global one).
   *
   * PyTorch: `torch.nn.MultiheadAttention._reset_parameters`.
   *
   * @example
   * ```ts
   * const mha = new MultiheadAttention(4, 2);
   * mha.resetParameters(new Generator(0));
   * mha.inProjBias!.abs().sum().item(); // → 0
   * ```
   */
  resetParameters(generator = this.generator): void {
    for (const w of [this.inProjWeight, this.qProjWeight, this.kProjWeight, this.vProjWeight]) if (w) xavierUniform_(w, { generator });
    if (this.inProjBias) {
      constant_(this.inProjBias, 0);
      constant_(this.outProj.bias!, 0);
    }
    for (const b of [this.biasK, this.biasV]) if (b) xavierNormal_(b, { generator });
  }

  /**
   * Attends from `query` to `key`/`value` (see the class for the formula and shapes); returns
   * `[output, weights]`, weights null with `needWeights: false`. Masks: `attnMask` `(L, S)` or
   * `(N·numHeads, L, S)` and `keyPaddingMask` `(N, S)`, bool true = not allowed, float = added.
   *
   * @example
   * ```ts
   * const mha = new MultiheadAttention(4, 1);
   * const x = randn([1, 3, 4]).transpose(0, 1); // (L=3, N=1, E=4)
   * const padding = tensor([[false, false, true]]); // the third key is padding
   * const [, w] = mha.forward(x, x, x, { keyPaddingMask: padding });
   * w!.toArray()[0].map((row) => row[2]); // → [0, 0, 0]
   * ```
   */
  forward(query: Tensor, key: Tensor, value: Tensor, options: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const op = "MultiheadAttention.forward";
    const o = resolveOptions(op, options, MHA_FORWARD_OPTIONS, MHA_FORWARD_CHECKS);
    return this.attention(op, query, key, value, o);
  }

  private attention(op: string, query: Tensor, key: Tensor, value: Tensor, o: Required<MultiheadAttentionForwardOptions>): [Tensor, Tensor | null] {
    checkFloatTensor(op, query, "query", 2);
    checkFloatTensor(op, key, "key", 2);
    checkFloatTensor(op, value, "value", 2);
    const batched = query.ndim === 3;
    if (query.ndim > 3 || key.ndim !== query.ndim || value.ndim !== query.ndim) {
      throw new RangeError(`${op}: query, key and value must all be 3-D (batched) or 2-D (unbatched), got ${fmt(query.shape)}, ${fmt(key.shape)} and ${fmt(value.shape)}`);
    }
    // Work batch first: (N, L, E).
    const toBatchFirst = (t: Tensor): Tensor => (!batched ? t.unsqueeze(0) : this.batchFirst ? t : t.transpose(0, 1));
    const [q0, k0, v0] = [query, key, value].map(toBatchFirst);
    const [n, l, e] = q0.shape;
    const s = k0.shape[1];
    const layout = !batched ? "(L, E)" : this.batchFirst ? "(N, L, E)" : "(L, N, E)";
    if (e !== this.embedDim) throw new RangeError(`${op}: query ${layout} must have E = embedDim = ${this.embedDim} features, got ${fmt(query.shape)}`);
    if (k0.shape[2] !== this.kdim || v0.shape[2] !== this.vdim) {
      throw new RangeError(`${op}: key and value must have kdim = ${this.kdim} and vdim = ${this.vdim} features, got key ${fmt(key.shape)} and value ${fmt(value.shape)}`);
    }
    if (k0.shape[0] !== n || v0.shape[0] !== n || v0.shape[1] !== s) {
      throw new RangeError(`${op}: key and value must have the query's batch size and the same length S, got query ${fmt(query.shape)}, key ${fmt(key.shape)} and value ${fmt(value.shape)}`);
    }
    const h = this.numHeads;
    const dtype = q0.dtype;
    const [q, k, v] = this.inProjection(q0, k0, v0, query === key, key === value);
    // Additive float masks of shape (L, S), (N, H, L, S) or (N, 1, 1, S), PyTorch's bool masks as −∞.
    const additive = (m: Tensor): Tensor => (m.dtype === "bool" ? maskedOutToAdditive(m, dtype) : m.to(dtype));
    let attnMask = o.attnMask && additive(this.checkedAttnMask(op, o.attnMask, n, l, s, batched));
    let paddingMask = o.keyPaddingMask && additive(this.checkedPaddingMask(op, o.keyPaddingMask, n, s, batched));
    const padKeys = (): void => {
      attnMask = attnMask && pad(attnMask, [0, 1]);
      paddingMask = paddingMask && pad(paddingMask, [0, 1]);
    };
    let kk = k;
    let vv = v;
    if (this.biasK && this.biasV) {
      kk = cat([kk, this.biasK.expand(n, 1, e)], 1);
      vv = cat([vv, this.biasV.expand(n, 1, e)], 1);
      padKeys();
    }
    const heads = (t: Tensor): Tensor => t.reshape([n, t.shape[1], h, this.headDim]).transpose(1, 2); // (N, H, len, d)
    let qh = heads(q);
    let kh = heads(kk);
    let vh = heads(vv);
    if (this.addZeroAttn) {
      const zero = zeros([n, h, 1, this.headDim], { dtype });
      kh = cat([kh, zero], 2);
      vh = cat([vh, zero], 2);
      padKeys();
    }
    const mask = attnMask && paddingMask ? attnMask.add(paddingMask.reshape([n, 1, 1, -1])) : attnMask ?? paddingMask?.reshape([n, 1, 1, -1]) ?? null;
    const p = this.training ? this.dropout : 0;
    // PyTorch divides q by √d (not times 1/√d): the same rounding.
    qh = qh.div(Math.sqrt(this.headDim));
    const [outHeads, weights] = attend(qh, kh, vh, mask, 1, p, this.generator);
    const merged = outHeads.transpose(1, 2).reshape([n, l, e]);
    let out = this.outProj.forward(merged);
    out = !batched ? out.squeeze(0) : this.batchFirst ? out : out.transpose(0, 1);
    if (!o.needWeights) return [out, null];
    let w = o.averageAttnWeights ? weights.sum(1).div(h) : weights;
    if (!batched) w = w.squeeze(0);
    return [out, w];
  }

  /** q, k, v projected, as PyTorch's `_in_projection_packed`: one linear for self-attention, two when key is value. */
  private inProjection(q: Tensor, k: Tensor, v: Tensor, queryIsKey: boolean, keyIsValue: boolean): [Tensor, Tensor, Tensor] {
    const e = this.embedDim;
    const b = this.inProjBias;
    const rows = (t: Tensor | null, start: number, count: number): Tensor | null => t && t.narrow(0, start, count);
    const w = this.inProjWeight;
    if (w === null) {
      return [
        linear(q, this.qProjWeight!, rows(b, 0, e)),
        linear(k, this.kProjWeight!, rows(b, e, e)),
        linear(v, this.vProjWeight!, rows(b, 2 * e, e)),
      ];
    }
    if (keyIsValue && queryIsKey) {
      const [pq, pk, pv] = linear(q, w, b).chunk(3, -1);
      return [pq, pk, pv];
    }
    if (keyIsValue) {
      const [pk, pv] = linear(k, rows(w, e, 2 * e)!, rows(b, e, 2 * e)).chunk(2, -1);
      return [linear(q, rows(w, 0, e)!, rows(b, 0, e)), pk, pv];
    }
    return [0, 1, 2].map((i) => linear([q, k, v][i], rows(w, i * e, e)!, rows(b, i * e, e))) as [Tensor, Tensor, Tensor];
  }

  /** `attnMask` as `(L, S)` or `(N, H, L, S)`, after checking PyTorch's shapes. */
  private checkedAttnMask(op: string, mask: Tensor, n: number, l: number, s: number, batched: boolean): Tensor {
    checkMaskDType(op, "attnMask", mask);
    const h = this.numHeads;
    if (mask.ndim === 2 && mask.shape[0] === l && mask.shape[1] === s) return mask;
    if (mask.ndim === 3 && mask.shape[0] === n * h && mask.shape[1] === l && mask.shape[2] === s) return mask.reshape([n, h, l, s]);
    const three = batched ? `(N·numHeads, L, S) = [${n * h}, ${l}, ${s}]` : `(numHeads, L, S) = [${h}, ${l}, ${s}]`;
    throw new RangeError(`${op}: attnMask must be (L, S) = [${l}, ${s}] or ${three}, got ${fmt(mask.shape)}`);
  }

  /** `keyPaddingMask` as `(N, S)`, after checking its shape. */
  private checkedPaddingMask(op: string, mask: Tensor, n: number, s: number, batched: boolean): Tensor {
    checkMaskDType(op, "keyPaddingMask", mask);
    const expected = batched ? [n, s] : [s];
    if (mask.ndim !== expected.length || mask.shape.some((d, i) => d !== expected[i])) {
      throw new RangeError(`${op}: keyPaddingMask must be ${batched ? "(N, S)" : "(S)"} = ${fmt(expected)}, got ${fmt(mask.shape)}`);
    }
    return batched ? mask : mask.unsqueeze(0);
  }
}

// ---------------------------------------------------------------- encoder and decoder layers

/** What {@link TransformerLayerOptions.activation} takes: a name ("relu", "gelu"), a function or a layer. @group Transformer */
export type TransformerActivation = "relu" | "gelu" | ((x: Tensor) => Tensor) | Module;

/**
 * Options of {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer} (and of the
 * layers {@link Transformer} builds).
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `dimFeedforward` | `2048` | `dim_feedforward`: hidden size of the feed-forward block |
 * | `dropout` | `0.1` | `dropout`: on the attention weights, after each block, inside the feed-forward block |
 * | `activation` | `"relu"` | `activation`: `"relu"`, `"gelu"`, a function or a Module |
 * | `layerNormEps` | `1e-5` | `layer_norm_eps` |
 * | `batchFirst` | `false` | `batch_first`: `(N, L, E)` instead of `(L, N, E)` |
 * | `normFirst` | `false` | `norm_first`: LayerNorm before each block (pre-norm) instead of after |
 * | `bias` | `true` | `bias` (PyTorch ≥ 2.1): biases in the attention, the linears and the LayerNorms |
 * | `dtype` | `"float32"` | `dtype` |
 * | `generator` | the global generator | (none): initial weights and dropout |
 *
 * @example
 * ```ts
 * const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, activation: "gelu", normFirst: true });
 * layer.linear1.outFeatures; // → 16
 * ```
 * @group Transformer
 */
export interface TransformerLayerOptions {
  /** Hidden features of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout probability (default 0.1). */
  dropout?: number;
  /** The feed-forward block's activation (default "relu"). */
  activation?: TransformerActivation;
  /** LayerNorm's eps (default 1e-5). */
  layerNormEps?: number;
  /** Inputs and outputs are `(N, L, E)` (default false: `(L, N, E)`). */
  batchFirst?: boolean;
  /** Normalize before each block instead of after (default false). */
  normFirst?: boolean;
  /** Learn the biases of the attention, the linears and the LayerNorms (default true). */
  bias?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: FloatDType;
  /** Source of the initial weights' and the dropout's randomness (the global generator by default). */
  generator?: Generator;
}

const activationCheck: OptionCheck = (op, name, value) => {
  if (value !== "relu" && value !== "gelu" && typeof value !== "function" && !(value instanceof Module)) {
    const got = typeof value === "string" ? RangeError : TypeError;
    throw new got(`${op}: ${name} must be "relu", "gelu", a function or a Module, got ${describeValue(value)}`);
  }
};
const LAYER_OPTIONS = {
  dimFeedforward: 2048, dropout: 0.1, activation: "relu" as TransformerActivation, layerNormEps: 1e-5, batchFirst: false, normFirst: false,
  bias: true, dtype: "float32" as FloatDType, generator: undefined as Generator | undefined,
};
const LAYER_CHECKS = {
  dimFeedforward: optionChecks.intAtLeast(1), dropout: optionChecks.probability, activation: activationCheck,
  layerNormEps: optionChecks.nonNegative, batchFirst: optionChecks.boolean, normFirst: optionChecks.boolean,
  bias: optionChecks.boolean, dtype: optionChecks.floatDType, generator: generatorCheck,
};
type LayerSettings = typeof LAYER_OPTIONS;

/** Checks `dModel` and `nhead` (positive integers) for the layer `op`. */
function checkModelSizes(op: string, dModel: number, nhead: number): void {
  optionChecks.intAtLeast(1)(op, "dModel", dModel);
  optionChecks.intAtLeast(1)(op, "nhead", nhead);
}

/**
 * The part the encoder and decoder layers share: the feed-forward block `linear2(dropout(act(linear1(x))))`,
 * its dropouts and norms. PyTorch keeps the field order self_attn, (multihead_attn,) linear1,
 * dropout, linear2, norm1, norm2, (norm3,) dropout1, ..., which the subclasses' fields follow.
 */
abstract class TransformerLayerBase extends Module {
  static override readonly stateDictNames: Readonly<Record<string, string>> = { selfAttn: "self_attn", multiheadAttn: "multihead_attn" };
  /** Whether LayerNorm comes before each block (pre-norm). */
  readonly normFirst: boolean;
  /** Whether inputs are `(N, L, E)`. */
  readonly batchFirst: boolean;
  /** The activation as a function (null when it is a Module, the `activation` child). */
  protected readonly activationFn: ((x: Tensor) => Tensor) | null;
  /** The activation, when it is a Module (PyTorch then has it as the child `activation`, after the others). */
  abstract activation: Module | null;

  protected constructor(settings: LayerSettings) {
    super();
    this.normFirst = settings.normFirst;
    this.batchFirst = settings.batchFirst;
    const a = settings.activation;
    this.activationFn = a === "relu" ? relu : a === "gelu" ? gelu : a instanceof Module ? null : a;
  }

  /** The feed-forward block before its dropout. */
  protected feedForward(x: Tensor, linear1: Linear, dropout: Dropout, linear2: Linear): Tensor {
    const hidden = linear1.forward(x);
    return linear2.forward(dropout.forward(this.activation ? (this.activation.forward(hidden) as Tensor) : this.activationFn!(hidden)));
  }
}

/** The attention layer, feed-forward linears and norms of an encoder or decoder layer. */
function layerParts(op: string, dModel: number, nhead: number, settings: LayerSettings) {
  checkModelSizes(op, dModel, nhead);
  const { dtype, generator, dropout, dimFeedforward, layerNormEps: eps, bias } = settings;
  return {
    attention: () => new MultiheadAttention(dModel, nhead, { dropout, bias, batchFirst: settings.batchFirst, dtype, generator }),
    linear1: () => new Linear(dModel, dimFeedforward, { bias, dtype, generator }),
    linear2: () => new Linear(dimFeedforward, dModel, { bias, dtype, generator }),
    norm: () => new LayerNorm(dModel, { eps, bias, dtype }),
    dropout: () => new Dropout(dropout, { generator }),
  };
}

/**
 * Options of {@link TransformerEncoderLayer.forward}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `srcMask` | `null` | `src_mask` `(S, S)` or `(N·nhead, S, S)`: bool true = not allowed, or float (added) |
 * | `srcKeyPaddingMask` | `null` | `src_key_padding_mask` `(N, S)`: bool true = padding, or float |
 *
 * @example
 * ```ts
 * const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
 * const mask = nn.Transformer.generateSquareSubsequentMask(3);
 * layer.forward(randn([3, 2, 4]), { srcMask: mask }).shape; // → [3, 2, 4]
 * ```
 * @group Transformer
 */
export interface TransformerEncoderLayerForwardOptions {
  /** Attention mask over the source positions. */
  srcMask?: Tensor | null;
  /** Padding keys per batch element. */
  srcKeyPaddingMask?: Tensor | null;
}
const ENCODER_FORWARD_OPTIONS = { srcMask: null as Tensor | null, srcKeyPaddingMask: null as Tensor | null };
const ENCODER_FORWARD_CHECKS = { srcMask: maskCheck, srcKeyPaddingMask: maskCheck };

/**
 * One transformer encoder layer: self-attention, then a feed-forward block, each with a residual
 * connection, dropout and LayerNorm. Post-norm (PyTorch's default):
 * `x = norm1(x + dropout1(selfAttn(x)))`, `x = norm2(x + dropout2(linear2(dropout(act(linear1(x))))))`;
 * with `normFirst`: `x = x + dropout1(selfAttn(norm1(x)))`, `x = x + dropout2(ff(norm2(x)))`.
 *
 * Shapes: src `(S, N, E)`, `(N, S, E)` with `batchFirst`, or `(S, E)` unbatched; the output has the
 * same shape. State-dict keys are PyTorch's: `self_attn.in_proj_weight`, ..., `linear1.weight`,
 * `linear1.bias`, `linear2.weight`, `linear2.bias`, `norm1.weight`, ..., `norm2.bias`.
 *
 * PyTorch: `torch.nn.TransformerEncoderLayer`.
 *
 * @example
 * ```ts
 * const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 32, batchFirst: true });
 * layer.forward(randn([4, 6, 8])).shape; // → [4, 6, 8]
 * Object.keys(layer.stateDict()).slice(0, 3); // → ["self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight"]
 * ```
 * @group Transformer
 */
export class TransformerEncoderLayer extends TransformerLayerBase {
  static override readonly typeName: string = "TransformerEncoderLayer";
  /** Multi-head self-attention. */
  selfAttn: MultiheadAttention;
  /** Feed-forward `dModel → dimFeedforward`. */
  linear1: Linear;
  /** Dropout inside the feed-forward block. */
  dropout: Dropout;
  /** Feed-forward `dimFeedforward → dModel`. */
  linear2: Linear;
  /** LayerNorm of the self-attention block. */
  norm1: LayerNorm;
  /** LayerNorm of the feed-forward block. */
  norm2: LayerNorm;
  /** Dropout after the self-attention. */
  dropout1: Dropout;
  /** Dropout after the feed-forward block. */
  dropout2: Dropout;
  /** The activation, when it is a Module (PyTorch then has it as the child `activation`). */
  override activation: Module | null;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    const settings = resolveOptions("TransformerEncoderLayer", options, LAYER_OPTIONS, LAYER_CHECKS);
    super(settings);
    const parts = layerParts("TransformerEncoderLayer", dModel, nhead, settings);
    this.selfAttn = parts.attention();
    this.linear1 = parts.linear1();
    this.dropout = parts.dropout();
    this.linear2 = parts.linear2();
    this.norm1 = parts.norm();
    this.norm2 = parts.norm();
    this.dropout1 = parts.dropout();
    this.dropout2 = parts.dropout();
    this.activation = settings.activation instanceof Module ? settings.activation : null;
  }

  /** The layer on `src` (see the class); returns the same shape. */
  forward(src: Tensor, options: TransformerEncoderLayerForwardOptions = {}): Tensor {
    const o = resolveOptions("TransformerEncoderLayer.forward", options, ENCODER_FORWARD_OPTIONS, ENCODER_FORWARD_CHECKS);
    const selfAttention = (x: Tensor): Tensor =>
      this.dropout1.forward(this.selfAttn.forward(x, x, x, { attnMask: o.srcMask, keyPaddingMask: o.srcKeyPaddingMask, needWeights: false })[0]);
    const ff = (x: Tensor): Tensor => this.dropout2.forward(this.feedForward(x, this.linear1, this.dropout, this.linear2));
    let x = src;
    if (this.normFirst) {
      x = x.add(selfAttention(this.norm1.forward(x)));
      return x.add(ff(this.norm2.forward(x)));
    }
    x = this.norm1.forward(x.add(selfAttention(x)));
    return this.norm2.forward(x.add(ff(x)));
  }
}

/**
 * Options of {@link TransformerDecoderLayer.forward}, {@link TransformerDecoder.forward}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `tgtMask` | `null` | `tgt_mask` `(T, T)` or `(N·nhead, T, T)` (usually {@link Transformer.generateSquareSubsequentMask}) |
 * | `memoryMask` | `null` | `memory_mask` `(T, S)` or `(N·nhead, T, S)` |
 * | `tgtKeyPaddingMask` | `null` | `tgt_key_padding_mask` `(N, T)` |
 * | `memoryKeyPaddingMask` | `null` | `memory_key_padding_mask` `(N, S)` |
 *
 * Bool masks: true = not allowed; float masks are added to the scores.
 *
 * @example
 * ```ts
 * const layer = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 8 });
 * const tgt = randn([3, 1, 4]);
 * const memory = randn([5, 1, 4]);
 * layer.forward(tgt, memory, { tgtMask: nn.Transformer.generateSquareSubsequentMask(3) }).shape; // → [3, 1, 4]
 * ```
 * @group Transformer
 */
export interface TransformerDecoderForwardOptions {
  /** Self-attention mask over the target positions. */
  tgtMask?: Tensor | null;
  /** Cross-attention mask from target to memory positions. */
  memoryMask?: Tensor | null;
  /** Padding target positions per batch element. */
  tgtKeyPaddingMask?: Tensor | null;
  /** Padding memory positions per batch element. */
  memoryKeyPaddingMask?: Tensor | null;
}
const DECODER_FORWARD_OPTIONS = {
  tgtMask: null as Tensor | null, memoryMask: null as Tensor | null, tgtKeyPaddingMask: null as Tensor | null, memoryKeyPaddingMask: null as Tensor | null,
};
const DECODER_FORWARD_CHECKS = { tgtMask: maskCheck, memoryMask: maskCheck, tgtKeyPaddingMask: maskCheck, memoryKeyPaddingMask: maskCheck };

/**
 * One transformer decoder layer: self-attention over the target, cross-attention from the target
 * to the encoder's output (`memory`), and a feed-forward block, each with a residual connection,
 * dropout and LayerNorm. Post-norm (default): `x = norm1(x + dropout1(selfAttn(x)))`,
 * `x = norm2(x + dropout2(multiheadAttn(x, memory)))`, `x = norm3(x + dropout3(ff(x)))`; with
 * `normFirst` the norms are applied to each block's input instead (`x = x + block(norm(x))`).
 *
 * Shapes: tgt `(T, N, E)`, memory `(S, N, E)` (batch first with `batchFirst`, no N unbatched);
 * returns tgt's shape. State-dict keys: `self_attn.*`, `multihead_attn.*`, `linear1.*`,
 * `linear2.*`, `norm1.*`, `norm2.*`, `norm3.*`, as PyTorch.
 *
 * PyTorch: `torch.nn.TransformerDecoderLayer`.
 *
 * @example
 * ```ts
 * const layer = new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
 * const out = layer.forward(randn([5, 2, 8]), randn([7, 2, 8]), { tgtMask: Transformer.generateSquareSubsequentMask(5) });
 * out.shape; // → [5, 2, 8]
 * ```
 * @group Transformer
 */
export class TransformerDecoderLayer extends TransformerLayerBase {
  static override readonly typeName: string = "TransformerDecoderLayer";
  /** Multi-head self-attention over the target. */
  selfAttn: MultiheadAttention;
  /** Multi-head attention from the target to the memory. */
  multiheadAttn: MultiheadAttention;
  /** Feed-forward `dModel → dimFeedforward`. */
  linear1: Linear;
  /** Dropout inside the feed-forward block. */
  dropout: Dropout;
  /** Feed-forward `dimFeedforward → dModel`. */
  linear2: Linear;
  /** LayerNorm of the self-attention block. */
  norm1: LayerNorm;
  /** LayerNorm of the cross-attention block. */
  norm2: LayerNorm;
  /** LayerNorm of the feed-forward block. */
  norm3: LayerNorm;
  /** Dropout after the self-attention. */
  dropout1: Dropout;
  /** Dropout after the cross-attention. */
  dropout2: Dropout;
  /** Dropout after the feed-forward block. */
  dropout3: Dropout;
  /** The activation, when it is a Module (PyTorch then has it as the child `activation`). */
  override activation: Module | null;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    const settings = resolveOptions("TransformerDecoderLayer", options, LAYER_OPTIONS, LAYER_CHECKS);
    super(settings);
    const parts = layerParts("TransformerDecoderLayer", dModel, nhead, settings);
    this.selfAttn = parts.attention();
    this.multiheadAttn = parts.attention();
    this.linear1 = parts.linear1();
    this.dropout = parts.dropout();
    this.linear2 = parts.linear2();
    this.norm1 = parts.norm();
    this.norm2 = parts.norm();
    this.norm3 = parts.norm();
    this.dropout1 = parts.dropout();
    this.dropout2 = parts.dropout();
    this.dropout3 = parts.dropout();
    this.activation = settings.activation instanceof Module ? settings.activation : null;
  }

  /** The layer on `tgt` attending to `memory` (see the class); returns tgt's shape. */
  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderForwardOptions = {}): Tensor {
    const o = resolveOptions("TransformerDecoderLayer.forward", options, DECODER_FORWARD_OPTIONS, DECODER_FORWARD_CHECKS);
    checkTensor("TransformerDecoderLayer.forward", memory, "memory");
    const selfAttention = (x: Tensor): Tensor =>
      this.dropout1.forward(this.selfAttn.forward(x, x, x, { attnMask: o.tgtMask, keyPaddingMask: o.tgtKeyPaddingMask, needWeights: false })[0]);
    const crossAttention = (x: Tensor): Tensor =>
      this.dropout2.forward(this.multiheadAttn.forward(x, memory, memory, { attnMask: o.memoryMask, keyPaddingMask: o.memoryKeyPaddingMask, needWeights: false })[0]);
    const ff = (x: Tensor): Tensor => this.dropout3.forward(this.feedForward(x, this.linear1, this.dropout, this.linear2));
    let x = tgt;
    if (this.normFirst) {
      x = x.add(selfAttention(this.norm1.forward(x)));
      x = x.add(crossAttention(this.norm2.forward(x)));
      return x.add(ff(this.norm3.forward(x)));
    }
    x = this.norm1.forward(x.add(selfAttention(x)));
    x = this.norm2.forward(x.add(crossAttention(x)));
    return this.norm3.forward(x.add(ff(x)));
  }
}

// ---------------------------------------------------------------- stacks

/**
 * A deep copy of a module, as PyTorch's `copy.deepcopy` in `_get_clones`: new parameters and
 * buffers with the same values, new submodules, arrays, Maps and plain objects; other field values
 * (numbers, functions, generators) shared. Only the enumerable own fields are copied. Registered
 * hooks are carried over as deepcopy carries PyTorch's hook dicts: each copy runs the hook
 * functions of its original (with itself as the module), and a handle of the original removes
 * the hook from the original only.
 */
function cloneModule<M extends Module>(module: M): M {
  const copies = new Map<unknown, unknown>();
  const copy = (value: unknown): unknown => {
    if (copies.has(value)) return copies.get(value);
    let out: unknown = value;
    if (value instanceof Parameter) out = new Parameter(noGrad(() => value.detach().clone()), value.requiresGrad);
    else if (value instanceof Tensor) out = noGrad(() => value.detach().clone());
    else if (Array.isArray(value)) out = value.map(copy);
    else if (value instanceof Map) out = new Map([...value].map(([k, v]) => [k, copy(v)]));
    else if (isPlainObject(value)) out = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)]));
    else if (value instanceof Module) {
      const fields = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
      copies.set(value, fields);
      for (const [k, v] of Object.entries(value)) fields[k] = copy(v);
      const hooks = fields._hooks as ModuleHooks | null; // Module's hook tables (module.ts), copied above
      if (hooks) installHooks(fields as unknown as Module, hooks);
      out = fields;
    }
    copies.set(value, out);
    return out;
  };
  return copy(module) as M;
}

/**
 * Options of {@link TransformerEncoder} and {@link TransformerDecoder}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `norm` | `null` | `norm`: a layer applied to the last layer's output (a {@link LayerNorm}, say) |
 *
 * @example
 * ```ts
 * const encoder = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 1, { dimFeedforward: 8 }), 2, { norm: new nn.LayerNorm(4) });
 * Object.keys(encoder.stateDict()).at(-1); // → "norm.bias"
 * ```
 * @group Transformer
 */
export interface TransformerStackOptions {
  /** Applied to the output of the last layer (default none). */
  norm?: Module | null;
}
const STACK_OPTIONS = { norm: null as Module | null };
const STACK_CHECKS = { norm: optionChecks.nullable(optionChecks.instanceOf(Module, "a Module")) };

/** The part TransformerEncoder and TransformerDecoder share: `numLayers` deep copies of a layer and a final norm. */
abstract class TransformerStack extends Module {
  /** The layers, in order. */
  layers: ModuleList;
  /** Applied to the last layer's output, or null. */
  norm: Module | null;
  /** Number of layers. */
  readonly numLayers: number;

  protected constructor(op: string, layer: unknown, numLayers: number, options: TransformerStackOptions, cls: abstract new (...args: never[]) => Module) {
    super();
    const { norm } = resolveOptions(op, options, STACK_OPTIONS, STACK_CHECKS);
    if (!(layer instanceof cls)) throw new TypeError(`${op}: expected a ${cls.name} to copy, got ${describeValue(layer)}`);
    optionChecks.intAtLeast(0)(op, "numLayers", numLayers);
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => cloneModule(layer)));
    this.norm = norm;
    this.numLayers = numLayers;
  }

  /** `x` through `norm`, if there is one. */
  protected finish(x: Tensor): Tensor {
    return this.norm ? (this.norm.forward(x) as Tensor) : x;
  }
}

/**
 * Options of {@link TransformerEncoder.forward}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `mask` | `null` | `mask` `(S, S)` or `(N·nhead, S, S)`: bool true = not allowed, or float (added) |
 * | `srcKeyPaddingMask` | `null` | `src_key_padding_mask` `(N, S)` |
 *
 * @example
 * ```ts
 * const encoder = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 }), 2);
 * encoder.forward(randn([3, 4]), { mask: nn.Transformer.generateSquareSubsequentMask(3) }).shape; // → [3, 4]
 * ```
 * @group Transformer
 */
export interface TransformerEncoderForwardOptions {
  /** Attention mask over the source positions. */
  mask?: Tensor | null;
  /** Padding keys per batch element. */
  srcKeyPaddingMask?: Tensor | null;
}
const ENCODER_STACK_FORWARD_OPTIONS = { mask: null as Tensor | null, srcKeyPaddingMask: null as Tensor | null };
const ENCODER_STACK_FORWARD_CHECKS = { mask: maskCheck, srcKeyPaddingMask: maskCheck };

/**
 * A stack of `numLayers` copies of an encoder layer (deep copies: equal initial weights, as
 * PyTorch), each feeding the next, then the optional `norm`. Keys: `layers.0.self_attn.in_proj_weight`,
 * ..., `norm.weight`.
 *
 * Shapes: those of the layer, `(S, N, E)` (or `(N, S, E)`, `(S, E)`); the output has the same.
 *
 * PyTorch: `torch.nn.TransformerEncoder` (the nested-tensor fast path is not needed: the result is the same).
 *
 * @example
 * ```ts
 * const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
 * const encoder = new TransformerEncoder(layer, 3);
 * encoder.layers.length; // → 3
 * encoder.forward(randn([5, 2, 8])).shape; // → [5, 2, 8]
 * ```
 * @group Transformer
 */
export class TransformerEncoder extends TransformerStack {
  static override readonly typeName: string = "TransformerEncoder";

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, options: TransformerStackOptions = {}) {
    super("TransformerEncoder", encoderLayer, numLayers, options, TransformerEncoderLayer);
  }

  /** `src` through every layer (with the same masks), then `norm`. */
  forward(src: Tensor, options: TransformerEncoderForwardOptions = {}): Tensor {
    const o = resolveOptions("TransformerEncoder.forward", options, ENCODER_STACK_FORWARD_OPTIONS, ENCODER_STACK_FORWARD_CHECKS);
    let x = src;
    for (const layer of this.layers) x = (layer as TransformerEncoderLayer).forward(x, { srcMask: o.mask, srcKeyPaddingMask: o.srcKeyPaddingMask });
    return this.finish(x);
  }
}

/**
 * A stack of `numLayers` copies of a decoder layer, each attending to the same `memory`, then the
 * optional `norm`. Keys: `layers.0.self_attn.in_proj_weight`, ..., `layers.0.multihead_attn.*`, ...,
 * `norm.weight`.
 *
 * Shapes: tgt `(T, N, E)`, memory `(S, N, E)` (batch first with `batchFirst`); returns tgt's shape.
 *
 * PyTorch: `torch.nn.TransformerDecoder`.
 *
 * @example
 * ```ts
 * const decoder = new TransformerDecoder(new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 }), 2);
 * decoder.forward(randn([4, 1, 8]), randn([6, 1, 8])).shape; // → [4, 1, 8]
 * ```
 * @group Transformer
 */
export class TransformerDecoder extends TransformerStack {
  static override readonly typeName: string = "TransformerDecoder";

  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, options: TransformerStackOptions = {}) {
    super("TransformerDecoder", decoderLayer, numLayers, options, TransformerDecoderLayer);
  }

  /** `tgt` through every layer, each attending to `memory` (with the same masks), then `norm`. */
  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderForwardOptions = {}): Tensor {
    const o = resolveOptions("TransformerDecoder.forward", options, DECODER_FORWARD_OPTIONS, DECODER_FORWARD_CHECKS);
    let x = tgt;
    for (const layer of this.layers) x = (layer as TransformerDecoderLayer).forward(x, memory, o);
    return this.finish(x);
  }
}

// ---------------------------------------------------------------- Transformer

/**
 * Options of {@link Transformer}: those of its layers ({@link TransformerLayerOptions}) and
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `numEncoderLayers` | `6` | `num_encoder_layers` |
 * | `numDecoderLayers` | `6` | `num_decoder_layers` |
 * | `customEncoder` | `null` | `custom_encoder`: used instead of the built encoder |
 * | `customDecoder` | `null` | `custom_decoder`: used instead of the built decoder |
 *
 * @example
 * ```ts
 * const model = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16 });
 * model.encoder.layers.length; // → 1
 * ```
 * @group Transformer
 */
export interface TransformerOptions extends TransformerLayerOptions {
  /** Features of the inputs and outputs (default 512). */
  dModel?: number;
  /** Number of attention heads (default 8). */
  nhead?: number;
  /** Layers of the encoder (default 6). */
  numEncoderLayers?: number;
  /** Layers of the decoder (default 6). */
  numDecoderLayers?: number;
  /** An encoder to use instead of the built one. */
  customEncoder?: Module | null;
  /** A decoder to use instead of the built one. */
  customDecoder?: Module | null;
}
const TRANSFORMER_OPTIONS = {
  dModel: 512, nhead: 8, numEncoderLayers: 6, numDecoderLayers: 6, ...LAYER_OPTIONS,
  customEncoder: null as Module | null, customDecoder: null as Module | null,
};
const TRANSFORMER_CHECKS = {
  dModel: optionChecks.intAtLeast(1), nhead: optionChecks.intAtLeast(1), numEncoderLayers: optionChecks.intAtLeast(0),
  numDecoderLayers: optionChecks.intAtLeast(0), ...LAYER_CHECKS,
  customEncoder: STACK_CHECKS.norm, customDecoder: STACK_CHECKS.norm,
};

/**
 * Options of {@link Transformer.forward}: the masks of the encoder and decoder.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `srcMask` | `null` | `src_mask` `(S, S)` |
 * | `tgtMask` | `null` | `tgt_mask` `(T, T)`, usually {@link Transformer.generateSquareSubsequentMask} |
 * | `memoryMask` | `null` | `memory_mask` `(T, S)` |
 * | `srcKeyPaddingMask` | `null` | `src_key_padding_mask` `(N, S)` |
 * | `tgtKeyPaddingMask` | `null` | `tgt_key_padding_mask` `(N, T)` |
 * | `memoryKeyPaddingMask` | `null` | `memory_key_padding_mask` `(N, S)` |
 *
 * @example
 * ```ts
 * const model = new nn.Transformer({ dModel: 4, nhead: 1, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8 });
 * const tgtMask = nn.Transformer.generateSquareSubsequentMask(2);
 * model.forward(randn([3, 1, 4]), randn([2, 1, 4]), { tgtMask }).shape; // → [2, 1, 4]
 * ```
 * @group Transformer
 */
export interface TransformerForwardOptions extends TransformerDecoderForwardOptions {
  /** Encoder self-attention mask. */
  srcMask?: Tensor | null;
  /** Padding source positions per batch element. */
  srcKeyPaddingMask?: Tensor | null;
}
const TRANSFORMER_FORWARD_OPTIONS = { ...DECODER_FORWARD_OPTIONS, srcMask: null as Tensor | null, srcKeyPaddingMask: null as Tensor | null };
const TRANSFORMER_FORWARD_CHECKS = { ...DECODER_FORWARD_CHECKS, srcMask: maskCheck, srcKeyPaddingMask: maskCheck };

/**
 * The encoder-decoder transformer of "Attention Is All You Need": a {@link TransformerEncoder} of
 * `numEncoderLayers` layers with a final LayerNorm reads `src` into `memory`, and a
 * {@link TransformerDecoder} of `numDecoderLayers` layers with a final LayerNorm attends from `tgt`
 * to it. Every parameter with more than one dim is then drawn xavier-uniform, as PyTorch's
 * `_reset_parameters`. There are no embeddings or positional encodings: inputs are feature vectors.
 *
 * The options are one object (PyTorch's positional `d_model=512, nhead=8, ...` as `dModel`, `nhead`, ...).
 * Shapes: src `(S, N, E)`, tgt `(T, N, E)` (batch first with `batchFirst`, no N unbatched); returns `(T, N, E)`.
 * State-dict keys: `encoder.layers.0.self_attn.in_proj_weight`, ..., `encoder.norm.weight`,
 * `decoder.layers.0.multihead_attn.in_proj_weight`, ..., `decoder.norm.bias`, as PyTorch.
 *
 * PyTorch: `torch.nn.Transformer`.
 *
 * @example
 * ```ts
 * const model = new Transformer({ dModel: 16, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 32 });
 * const src = randn([10, 3, 16]); // (S, N, E)
 * const tgt = randn([7, 3, 16]);  // (T, N, E)
 * model.forward(src, tgt, { tgtMask: Transformer.generateSquareSubsequentMask(7) }).shape; // → [7, 3, 16]
 * ```
 * @group Transformer
 */
export class Transformer extends Module {
  static override readonly typeName: string = "Transformer";
  /** Reads the source into the memory. */
  encoder: Module;
  /** Attends from the target to the memory. */
  decoder: Module;
  /** Features of the inputs and outputs. */
  readonly dModel: number;
  /** Number of attention heads. */
  readonly nhead: number;
  /** Whether inputs are `(N, L, E)`. */
  readonly batchFirst: boolean;

  constructor(options: TransformerOptions = {}) {
    super();
    const op = "Transformer";
    const o = resolveOptions(op, options, TRANSFORMER_OPTIONS, TRANSFORMER_CHECKS);
    const { dModel, nhead, numEncoderLayers, numDecoderLayers, customEncoder, customDecoder, ...layerOptions } = o;
    const norm = (): LayerNorm => new LayerNorm(dModel, { eps: o.layerNormEps, bias: o.bias, dtype: o.dtype });
    this.encoder = customEncoder ?? new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, layerOptions), numEncoderLayers, { norm: norm() });
    this.decoder = customDecoder ?? new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, layerOptions), numDecoderLayers, { norm: norm() });
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = o.batchFirst;
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p, { generator: o.generator });
  }

  /**
   * `decoder(tgt, encoder(src))` with the given masks (see {@link TransformerForwardOptions});
   * returns `(T, N, E)` (or `(N, T, E)`, `(T, E)`).
   */
  forward(src: Tensor, tgt: Tensor, options: TransformerForwardOptions = {}): Tensor {
    const op = "Transformer.forward";
    const o = resolveOptions(op, options, TRANSFORMER_FORWARD_OPTIONS, TRANSFORMER_FORWARD_CHECKS);
    checkTensor(op, src, "src");
    checkTensor(op, tgt, "tgt");
    if (src.ndim !== tgt.ndim || (src.ndim !== 2 && src.ndim !== 3)) {
      throw new RangeError(`${op}: src and tgt must both be 3-D (batched) or 2-D (unbatched), got ${fmt(src.shape)} and ${fmt(tgt.shape)}`);
    }
    const batchDim = this.batchFirst ? 0 : 1;
    if (src.ndim === 3 && src.shape[batchDim] !== tgt.shape[batchDim]) {
      throw new RangeError(`${op}: the batch number of src and tgt must be equal, got ${fmt(src.shape)} and ${fmt(tgt.shape)}`);
    }
    if (src.shape.at(-1) !== this.dModel || tgt.shape.at(-1) !== this.dModel) {
      throw new RangeError(`${op}: the feature number of src and tgt must be equal to dModel = ${this.dModel}, got ${fmt(src.shape)} and ${fmt(tgt.shape)}`);
    }
    const memory = this.encoder.forward(src, { mask: o.srcMask, srcKeyPaddingMask: o.srcKeyPaddingMask }) as Tensor;
    return this.decoder.forward(tgt, memory, {
      tgtMask: o.tgtMask, memoryMask: o.memoryMask, tgtKeyPaddingMask: o.tgtKeyPaddingMask, memoryKeyPaddingMask: o.memoryKeyPaddingMask,
    }) as Tensor;
  }

  /**
   * The `(sz, sz)` causal mask for `tgtMask`: 0 on and below the diagonal, −∞ above (position i
   * may attend to positions 0..i).
   *
   * PyTorch: `torch.nn.Transformer.generate_square_subsequent_mask`.
   *
   * @example
   * ```ts
   * Transformer.generateSquareSubsequentMask(3).toArray(); // → [[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]
   * ```
   */
  static generateSquareSubsequentMask(sz: number, options: { dtype?: FloatDType } = {}): Tensor {
    const op = "Transformer.generateSquareSubsequentMask";
    const { dtype } = resolveOptions(op, options, { dtype: "float32" as FloatDType }, { dtype: optionChecks.floatDType });
    optionChecks.intAtLeast(0)(op, "sz", sz);
    return causalMask(sz, sz, dtype);
  }
}
