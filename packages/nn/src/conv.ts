/**
 * Convolution layers, as torch/nn/modules/conv.py: `F.conv1d/2d/3d`, `F.convTranspose1d/2d/3d`,
 * `F.unfold` / `F.fold`, and the layers `Conv1d/2d/3d`, `ConvTranspose1d/2d/3d`. The work is core's
 * {@link convolution} (im2col into the matrix-multiply kernel, double-differentiable).
 */
import {
  Tensor, Generator, col2im, convTransposeOutputPadding, convTuple, convolutionAs, empty, im2col, optionChecks,
  pad, resolveOptions, type OptionCheck, type PadMode,
} from "@tsgrad/core";
import { Module, Parameter } from "./module.js";
import { resetAffine } from "./linear.js";
import { checkTensor, generatorCheck } from "./util.js";

import type { Im2colOptions as CoreIm2colOptions } from "@tsgrad/core";

/** Options of `F.unfold` / `F.fold` (core's `Im2colOptions`); an alias so the bundled .d.ts keeps it a type. */
export type Im2colOptions = CoreIm2colOptions;

/** A per-dim size: one number for every spatial dim, or one per dim. */
export type SizeN = number | readonly number[];

/**
 * Options of `F.conv1d`, `F.conv2d` and `F.conv3d`.
 * @example `F.conv2d(ones([1, 4, 8, 8]), ones([4, 2, 3, 3]), null, { stride: 2, padding: "valid", groups: 2 })`
 */
export interface ConvOptions {
  /** Step of the kernel (default 1). */
  stride?: SizeN;
  /**
   * Implicit zeros on both sides (default 0); `"valid"` is 0, `"same"` keeps the input size (stride 1
   * only; for an even `dilation·(kernel − 1)` the extra zero goes after, as in PyTorch).
   */
  padding?: SizeN | "same" | "valid";
  /** Spacing between kernel taps (default 1). */
  dilation?: SizeN;
  /** Blocked connections: channels split into this many groups (default 1). */
  groups?: number;
}

/**
 * Options of `F.convTranspose1d`, `F.convTranspose2d` and `F.convTranspose3d`.
 * @example `F.convTranspose2d(ones([1, 2, 4, 4]), ones([2, 3, 3, 3]), null, { stride: 2, outputPadding: 1 })`
 */
export interface ConvTransposeOptions {
  /** Step of the kernel (default 1). */
  stride?: SizeN;
  /** `dilation·(kernel − 1) − padding` zeros are added to both sides of the input (default 0). */
  padding?: SizeN;
  /** Extra size added to one side of each output dim (default 0); smaller than stride or dilation. */
  outputPadding?: SizeN;
  /** Blocked connections (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: SizeN;
}

const sizeCheck: OptionCheck = (op, name, value) => {
  if (typeof value !== "number" && !Array.isArray(value)) {
    throw new TypeError(`${op}: ${name} must be an integer or an array of integers, got ${typeof value === "string" ? JSON.stringify(value) : String(value)}`);
  }
};
const paddingCheck: OptionCheck = (op, name, value) => {
  if (typeof value === "string") optionChecks.oneOf(["same", "valid"])(op, name, value);
  else sizeCheck(op, name, value);
};

const CONV_DEFAULTS: Required<ConvOptions> = { stride: 1, padding: 0, dilation: 1, groups: 1 };
const CONV_CHECKS = { stride: sizeCheck, padding: paddingCheck, dilation: sizeCheck, groups: optionChecks.intAtLeast(1) };
const CONVT_DEFAULTS: Required<ConvTransposeOptions> = { stride: 1, padding: 0, outputPadding: 0, groups: 1, dilation: 1 };
const CONVT_CHECKS = { stride: sizeCheck, padding: sizeCheck, outputPadding: sizeCheck, groups: optionChecks.intAtLeast(1), dilation: sizeCheck };

const SHAPES = ["(C, L) or (N, C, L)", "(C, H, W) or (N, C, H, W)", "(C, D, H, W) or (N, C, D, H, W)"];

// Runs `fn` on a batched input: an unbatched one ((C, ...spatial), as PyTorch accepts) gets N = 1.
function batched(op: string, input: unknown, nd: number, fn: (x: Tensor) => Tensor): Tensor {
  checkTensor(op, input);
  if (input.ndim === nd + 2) return fn(input);
  if (input.ndim === nd + 1) return fn(input.unsqueeze(0)).squeeze(0);
  throw new RangeError(`${op}: expected a ${nd + 1}-D (unbatched) or ${nd + 2}-D (batched) input ${SHAPES[nd - 1]}, got shape [${input.shape.join(", ")}]`);
}

/**
 * The padding `"same"` needs, before and after each spatial dim: `dilation·(k − 1)` split with the
 * smaller half first (PyTorch's split).
 */
function samePadding(kernel: readonly number[], dilation: readonly number[]): Array<[number, number]> {
  return kernel.map((k, i) => {
    const total = dilation[i] * (k - 1);
    const before = Math.floor(total / 2);
    return [before, total - before];
  });
}

function convNd(op: string, nd: number, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, options: ConvOptions | undefined): Tensor {
  const { stride, padding, dilation, groups } = resolveOptions(op, options, CONV_DEFAULTS, CONV_CHECKS);
  checkTensor(op, weight, "weight");
  if (bias !== undefined && bias !== null) checkTensor(op, bias, "bias");
  return batched(op, input, nd, (x) => {
    if (padding === "valid") return convolutionAs(op, x, weight, bias ?? null, { stride, padding: 0, dilation, groups });
    if (padding !== "same") return convolutionAs(op, x, weight, bias ?? null, { stride, padding, dilation, groups });
    const s = convTuple(op, "stride", stride, nd, 1);
    if (s.some((v) => v !== 1)) throw new RangeError(`${op}: padding "same" is not supported for strided convolutions, got stride [${s.join(", ")}]`);
    const d = convTuple(op, "dilation", dilation, nd, 1);
    const split = samePadding(weight.shape.slice(2), d);
    const sym = split.map(([b]) => b);
    // An odd total: the one extra zero after, by an explicit pad (the last dim first).
    const extra = split.map(([b, a]) => a - b);
    const xp = extra.some((e) => e > 0) ? pad(x, [...extra].reverse().flatMap((e) => [0, e])) : x;
    return convolutionAs(op, xp, weight, bias ?? null, { stride: s, padding: sym, dilation: d, groups });
  });
}

function convTransposeNd(
  op: string, nd: number, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, options: ConvTransposeOptions | undefined,
): Tensor {
  const o = resolveOptions(op, options, CONVT_DEFAULTS, CONVT_CHECKS);
  checkTensor(op, weight, "weight");
  if (bias !== undefined && bias !== null) checkTensor(op, bias, "bias");
  return batched(op, input, nd, (x) => convolutionAs(op, x, weight, bias ?? null, { ...o, transposed: true }));
}

/**
 * 1-d convolution (PyTorch's `F.conv1d`): `input` (N, C_in, L) or unbatched (C_in, L), `weight`
 * (C_out, C_in / groups, k), `bias` (C_out); output (N, C_out, L_out) with
 * `L_out = ⌊(L + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1`. Cross-correlation, as in PyTorch:
 * `y[n, o, l] = b[o] + Σ_c Σ_j w[o, c, j] · x[n, c, l·stride − padding + j·dilation]`.
 *
 * @example
 * ```ts
 * F.conv1d(tensor([[[1, 2, 3, 4]]]), tensor([[[1, -1]]])).toArray(); // [[[-1, -1, -1]]]
 * ```
 */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvOptions): Tensor {
  return convNd("conv1d", 1, input, weight, bias, options);
}

/**
 * 2-d convolution (PyTorch's `F.conv2d`): `input` (N, C_in, H, W) or unbatched (C_in, H, W),
 * `weight` (C_out, C_in / groups, kH, kW), `bias` (C_out); output (N, C_out, H_out, W_out) with
 * `H_out = ⌊(H + 2·padding[0] − dilation[0]·(kH − 1) − 1) / stride[0]⌋ + 1` (W likewise). Options:
 * `stride` (1), `padding` (0, a pair, `"same"` or `"valid"`), `dilation` (1), `groups` (1).
 * Runs as im2col plus one matrix product per sample and group; backward and double backward are
 * convolutions too.
 *
 * @example
 * ```ts
 * const x = ones([1, 1, 4, 4]);
 * const w = ones([2, 1, 3, 3]);
 * F.conv2d(x, w).shape;                       // [1, 2, 2, 2]
 * F.conv2d(x, w, null, { padding: "same" }).shape; // [1, 2, 4, 4]
 * F.conv2d(x, w, tensor([0, 1]), { stride: 2, padding: 1 }).toArray()[0][1]; // [[5, 7], [7, 10]]
 * ```
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvOptions): Tensor {
  return convNd("conv2d", 2, input, weight, bias, options);
}

/**
 * 3-d convolution (PyTorch's `F.conv3d`): `input` (N, C_in, D, H, W) or unbatched, `weight`
 * (C_out, C_in / groups, kD, kH, kW), `bias` (C_out); output (N, C_out, D_out, H_out, W_out), each
 * size as in {@link conv2d}.
 *
 * @example
 * ```ts
 * F.conv3d(ones([1, 2, 3, 3, 3]), ones([4, 2, 2, 2, 2])).shape; // [1, 4, 2, 2, 2]
 * ```
 */
export function conv3d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvOptions): Tensor {
  return convNd("conv3d", 3, input, weight, bias, options);
}

/**
 * 1-d transposed convolution (PyTorch's `F.conv_transpose1d`, sometimes called deconvolution), the
 * gradient of {@link conv1d} with respect to its input: `input` (N, C_in, L) or unbatched, `weight`
 * (C_in, C_out / groups, k), `bias` (C_out); output (N, C_out, L_out) with
 * `L_out = (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1`.
 *
 * @example
 * ```ts
 * F.convTranspose1d(tensor([[[1, 2]]]), tensor([[[1, 1, 1]]]), null, { stride: 2 }).toArray(); // [[[1, 1, 3, 2, 2]]]
 * ```
 */
export function convTranspose1d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvTransposeOptions): Tensor {
  return convTransposeNd("convTranspose1d", 1, input, weight, bias, options);
}

/**
 * 2-d transposed convolution (PyTorch's `F.conv_transpose2d`): `input` (N, C_in, H, W) or
 * unbatched, `weight` (C_in, C_out / groups, kH, kW), `bias` (C_out); output (N, C_out, H_out, W_out)
 * with `H_out = (H − 1)·stride[0] − 2·padding[0] + dilation[0]·(kH − 1) + outputPadding[0] + 1`.
 *
 * @example
 * ```ts
 * F.convTranspose2d(ones([1, 3, 4, 4]), ones([3, 2, 3, 3]), null, { stride: 2, padding: 1, outputPadding: 1 }).shape; // [1, 2, 8, 8]
 * ```
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvTransposeOptions): Tensor {
  return convTransposeNd("convTranspose2d", 2, input, weight, bias, options);
}

/**
 * 3-d transposed convolution (PyTorch's `F.conv_transpose3d`): `input` (N, C_in, D, H, W) or
 * unbatched, `weight` (C_in, C_out / groups, kD, kH, kW); sizes as in {@link convTranspose2d}.
 *
 * @example
 * ```ts
 * F.convTranspose3d(ones([1, 1, 2, 2, 2]), ones([1, 1, 2, 2, 2]), null, { stride: 2 }).shape; // [1, 1, 4, 4, 4]
 * ```
 */
export function convTranspose3d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvTransposeOptions): Tensor {
  return convTransposeNd("convTranspose3d", 3, input, weight, bias, options);
}

/**
 * Extracts sliding local blocks (PyTorch's `F.unfold`, im2col): `input` (N, C, H, W) or unbatched
 * (C, H, W) to (N, C·kH·kW, L), L the number of block positions. Options `dilation`, `padding`,
 * `stride` (defaults 1, 0, 1). Backward: {@link fold}.
 *
 * @example
 * ```ts
 * F.unfold(arange(16).reshape(1, 1, 4, 4), 2, { stride: 2 }).toArray()[0][0]; // [0, 2, 8, 10]
 * ```
 */
export function unfold(input: Tensor, kernelSize: SizeN, options?: Im2colOptions): Tensor {
  checkTensor("unfold", input);
  if (input.ndim === 3) return im2col(input.unsqueeze(0), kernelSize, options).squeeze(0);
  return im2col(input, kernelSize, options);
}

/**
 * Combines sliding local blocks into a tensor, summing overlaps (PyTorch's `F.fold`, col2im, the
 * adjoint of {@link unfold}): `input` (N, C·kH·kW, L) or unbatched (C·kH·kW, L) to
 * (N, C, outputSize[0], outputSize[1]).
 *
 * @example
 * ```ts
 * const x = ones([1, 1, 3, 3]);
 * F.fold(F.unfold(x, 2), [3, 3], 2).toArray(); // [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]
 * ```
 */
export function fold(input: Tensor, outputSize: SizeN, kernelSize: SizeN, options?: Im2colOptions): Tensor {
  checkTensor("fold", input);
  if (input.ndim === 2) return col2im(input.unsqueeze(0), outputSize, kernelSize, options).squeeze(0);
  return col2im(input, outputSize, kernelSize, options);
}

// ------------------------------------------------------------------------------------- layers

/** `"zeros"` (the default) or one of core's `pad` modes, as PyTorch's `padding_mode`. @group Convolution */
export type ConvPaddingMode = "zeros" | "reflect" | "replicate" | "circular";

/**
 * Options of `Conv1d`, `Conv2d` and `Conv3d` (PyTorch's constructor arguments after kernel_size).
 * @example `new Conv2d(3, 16, 3, { padding: 1, paddingMode: "reflect", bias: false })`
 * @group Convolution
 */
export interface ConvLayerOptions extends ConvOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** How the input is padded: `"zeros"` (default), `"reflect"`, `"replicate"` or `"circular"`. */
  paddingMode?: ConvPaddingMode;
  /** dtype of the weight and bias (default float32). */
  dtype?: "float32" | "float64";
  /** Source of randomness for the initial weights (the global generator by default). */
  generator?: Generator;
}

/**
 * Options of `ConvTranspose1d`, `ConvTranspose2d` and `ConvTranspose3d`.
 * @example `new ConvTranspose2d(16, 3, 4, { stride: 2, padding: 1 })`
 * @group Convolution
 */
export interface ConvTransposeLayerOptions extends ConvTransposeOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Only `"zeros"` (the default), as in PyTorch. */
  paddingMode?: "zeros";
  /** dtype of the weight and bias (default float32). */
  dtype?: "float32" | "float64";
  /** Source of randomness for the initial weights (the global generator by default). */
  generator?: Generator;
}

const LAYER_DEFAULTS: Required<Omit<ConvLayerOptions, "generator">> & { generator: Generator | undefined } = {
  ...CONV_DEFAULTS, bias: true, paddingMode: "zeros", dtype: "float32", generator: undefined,
};
const LAYER_CHECKS = {
  ...CONV_CHECKS, bias: optionChecks.boolean, paddingMode: optionChecks.oneOf(["zeros", "reflect", "replicate", "circular"]),
  dtype: optionChecks.floatDType, generator: generatorCheck,
};
const TLAYER_DEFAULTS: Required<Omit<ConvTransposeLayerOptions, "generator">> & { generator: Generator | undefined } = {
  ...CONVT_DEFAULTS, bias: true, paddingMode: "zeros", dtype: "float32", generator: undefined,
};
const TLAYER_CHECKS = { ...CONVT_CHECKS, bias: optionChecks.boolean, paddingMode: optionChecks.oneOf(["zeros"]), dtype: optionChecks.floatDType, generator: generatorCheck };

const tuple = (v: readonly number[]): string => `(${v.join(", ")}${v.length === 1 ? "," : ""})`;

/**
 * The shared base of the convolution layers (PyTorch's `_ConvNd`): holds the options, the `weight`
 * (`[outChannels, inChannels / groups, ...kernelSize]`, or `[inChannels, outChannels / groups, ...]`
 * when transposed) and `bias` (`[outChannels]` or null), PyTorch's default initialisation
 * (`kaimingUniform_(weight, { a: √5 })`, bias U(−1/√fanIn, 1/√fanIn)) and PyTorch's printed form.
 *
 * @example
 * ```ts
 * const conv: ConvNd = new Conv2d(3, 8, 3);
 * conv.weight.shape; // [8, 3, 3, 3]
 * ```
 * @group Convolution
 */
export abstract class ConvNd extends Module {
  static override readonly typeName: string = "ConvNd";
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** Kernel size per spatial dim. */
  readonly kernelSize: number[];
  /** Stride per spatial dim. */
  readonly stride: number[];
  /** Padding per spatial dim, or `"same"` / `"valid"`. */
  readonly padding: number[] | "same" | "valid";
  /** Dilation per spatial dim. */
  readonly dilation: number[];
  /** True for the transposed convolutions. */
  readonly transposed: boolean;
  /** Output padding per spatial dim (zeros unless transposed). */
  readonly outputPadding: number[];
  /** Number of blocked groups. */
  readonly groups: number;
  /** How the input is padded. */
  readonly paddingMode: ConvPaddingMode;
  /** Learned filters. */
  weight: Parameter;
  /** Learned bias `[outChannels]`, or null when built with `bias: false`. */
  bias: Parameter | null;
  private readonly generator: Generator | undefined;

  protected constructor(
    name: string, nd: number, transposed: boolean, inChannels: number, outChannels: number, kernelSize: SizeN,
    o: {
      stride: SizeN; padding: SizeN | "same" | "valid"; dilation: SizeN; outputPadding: SizeN; groups: number;
      bias: boolean; paddingMode: ConvPaddingMode; dtype: "float32" | "float64"; generator: Generator | undefined;
    },
  ) {
    super();
    for (const [what, v] of [["inChannels", inChannels], ["outChannels", outChannels]] as const) optionChecks.intAtLeast(1)(name, what, v);
    if (inChannels % o.groups !== 0) throw new RangeError(`${name}: inChannels (${inChannels}) must be divisible by groups (${o.groups})`);
    if (outChannels % o.groups !== 0) throw new RangeError(`${name}: outChannels (${outChannels}) must be divisible by groups (${o.groups})`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = convTuple(name, "kernelSize", kernelSize, nd, 1);
    this.stride = convTuple(name, "stride", o.stride, nd, 1);
    this.dilation = convTuple(name, "dilation", o.dilation, nd, 1);
    if (typeof o.padding === "string") {
      if (o.padding === "same" && this.stride.some((s) => s !== 1)) {
        throw new RangeError(`${name}: padding "same" is not supported for strided convolutions, got stride ${tuple(this.stride)}`);
      }
      this.padding = o.padding;
    } else {
      this.padding = convTuple(name, "padding", o.padding, nd, 0);
    }
    this.transposed = transposed;
    this.outputPadding = convTuple(name, "outputPadding", o.outputPadding, nd, 0);
    this.groups = o.groups;
    this.paddingMode = o.paddingMode;
    const shape = transposed ? [inChannels, outChannels / o.groups, ...this.kernelSize] : [outChannels, inChannels / o.groups, ...this.kernelSize];
    this.weight = new Parameter(empty(shape, { dtype: o.dtype }));
    this.bias = o.bias ? new Parameter(empty([outChannels], { dtype: o.dtype })) : null;
    this.generator = o.generator;
    this.resetParameters();
  }

  /**
   * Draws the weight and bias again with PyTorch's default initialisation (see the class).
   * @example `new Conv2d(1, 4, 3).resetParameters(new Generator(0))`
   */
  resetParameters(generator = this.generator): void {
    resetAffine(this.weight, this.bias, generator);
  }

  /**
   * The explicit `pad` list (last dim first, before/after pairs) of a non-zeros `paddingMode`,
   * PyTorch's `_reversed_padding_repeated_twice`.
   */
  protected reversedPadding(): number[] {
    const pairs: Array<[number, number]> = this.padding === "same"
      ? samePadding(this.kernelSize, this.dilation)
      : this.padding === "valid" ? this.kernelSize.map(() => [0, 0]) : this.padding.map((p) => [p, p]);
    return pairs.reverse().flat();
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${tuple(this.kernelSize)}, stride=${tuple(this.stride)}`;
    if (typeof this.padding === "string") s += `, padding="${this.padding}"`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${tuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${tuple(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0)) s += `, outputPadding=${tuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=false";
    if (this.paddingMode !== "zeros") s += `, paddingMode="${this.paddingMode}"`;
    return s;
  }
}

abstract class ConvLayer extends ConvNd {
  private readonly nd: number;
  private readonly fn: typeof conv2d;
  protected constructor(name: string, nd: number, fn: typeof conv2d, inChannels: number, outChannels: number, kernelSize: SizeN, options: ConvLayerOptions) {
    const o = resolveOptions(name, options, LAYER_DEFAULTS, LAYER_CHECKS);
    super(name, nd, false, inChannels, outChannels, kernelSize, { ...o, outputPadding: 0 });
    this.nd = nd;
    this.fn = fn;
  }

  /** The convolution of `x` ((N, C_in, ...spatial) or unbatched (C_in, ...spatial)). */
  forward(x: Tensor): Tensor {
    const common = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode === "zeros") return this.fn(x, this.weight, this.bias, { ...common, padding: this.padding });
    checkTensor(`conv${this.nd}d`, x);
    const padded = pad(x, this.reversedPadding(), { mode: this.paddingMode as PadMode });
    return this.fn(padded, this.weight, this.bias, { ...common, padding: 0 });
  }
}

/**
 * 1-d convolution layer (PyTorch's `nn.Conv1d`): input (N, C_in, L) or (C_in, L), output
 * (N, C_out, L_out), see {@link conv1d}. `weight` `[outChannels, inChannels / groups, k]`, `bias`
 * `[outChannels]`; options `stride` (1), `padding` (0, `"same"`, `"valid"`), `dilation` (1),
 * `groups` (1), `bias` (true), `paddingMode` ("zeros"), `dtype`, `generator`.
 *
 * @example
 * ```ts
 * const conv = new Conv1d(4, 8, 3, { padding: 1 });
 * conv.forward(randn([2, 4, 10])).shape; // [2, 8, 10]
 * String(conv); // "Conv1d(4, 8, kernelSize=(3,), stride=(1,), padding=(1,))"
 * ```
 * @group Convolution
 */
export class Conv1d extends ConvLayer {
  static override readonly typeName: string = "Conv1d";
  constructor(inChannels: number, outChannels: number, kernelSize: SizeN, options: ConvLayerOptions = {}) {
    super("Conv1d", 1, conv1d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * 2-d convolution layer (PyTorch's `nn.Conv2d`): input (N, C_in, H, W) or (C_in, H, W), output
 * (N, C_out, H_out, W_out), see {@link conv2d}. `weight` `[outChannels, inChannels / groups, kH, kW]`,
 * `bias` `[outChannels]`; options `stride` (1), `padding` (0, a pair, `"same"`, `"valid"`),
 * `dilation` (1), `groups` (1), `bias` (true), `paddingMode` ("zeros", "reflect", "replicate",
 * "circular"), `dtype`, `generator`. PyTorch's default init (see {@link ConvNd}).
 *
 * @example
 * ```ts
 * const conv = new Conv2d(1, 6, 5);
 * conv.forward(randn([64, 1, 28, 28])).shape; // [64, 6, 24, 24]
 * String(conv); // "Conv2d(1, 6, kernelSize=(5, 5), stride=(1, 1))"
 * Object.keys(conv.stateDict()); // ["weight", "bias"]
 * ```
 * @group Convolution
 */
export class Conv2d extends ConvLayer {
  static override readonly typeName: string = "Conv2d";
  constructor(inChannels: number, outChannels: number, kernelSize: SizeN, options: ConvLayerOptions = {}) {
    super("Conv2d", 2, conv2d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * 3-d convolution layer (PyTorch's `nn.Conv3d`): input (N, C_in, D, H, W) or unbatched, output
 * (N, C_out, D_out, H_out, W_out), see {@link conv3d}; options as {@link Conv2d}.
 *
 * @example
 * ```ts
 * new Conv3d(2, 4, 3, { padding: "same" }).forward(randn([1, 2, 5, 5, 5])).shape; // [1, 4, 5, 5, 5]
 * ```
 * @group Convolution
 */
export class Conv3d extends ConvLayer {
  static override readonly typeName: string = "Conv3d";
  constructor(inChannels: number, outChannels: number, kernelSize: SizeN, options: ConvLayerOptions = {}) {
    super("Conv3d", 3, conv3d, inChannels, outChannels, kernelSize, options);
  }
}

abstract class ConvTransposeLayer extends ConvNd {
  private readonly nd: number;
  private readonly fn: typeof convTranspose2d;
  private readonly op: string;
  protected constructor(name: string, nd: number, fn: typeof convTranspose2d, inChannels: number, outChannels: number, kernelSize: SizeN, options: ConvTransposeLayerOptions) {
    const o = resolveOptions(name, options, TLAYER_DEFAULTS, TLAYER_CHECKS);
    super(name, nd, true, inChannels, outChannels, kernelSize, o);
    this.nd = nd;
    this.fn = fn;
    this.op = `${name}.forward`;
  }

  /**
   * The transposed convolution of `x` ((N, C_in, ...spatial) or unbatched). `outputSize` (the
   * output's spatial sizes, or its full shape) picks the output padding that reaches it, as
   * PyTorch's `forward(input, output_size)` does.
   */
  forward(x: Tensor, outputSize?: readonly number[]): Tensor {
    let outputPadding: number[] = this.outputPadding;
    if (outputSize !== undefined) {
      checkTensor(this.op, x);
      if (!Array.isArray(outputSize)) throw new TypeError(`${this.op}: outputSize must be an array of integers, got ${String(outputSize)}`);
      const size = outputSize.length > this.nd ? outputSize.slice(outputSize.length - this.nd) : outputSize;
      if (size.length !== this.nd) throw new RangeError(`${this.op}: outputSize must have ${this.nd} (or ${this.nd + 1}, ${this.nd + 2}) entries, got [${outputSize.join(", ")}]`);
      const pads = this.padding as number[];
      outputPadding = convTransposeOutputPadding(this.op, x.shape.slice(x.ndim - this.nd), size, this.kernelSize, this.stride, pads, this.dilation);
    }
    return this.fn(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding as number[], outputPadding, groups: this.groups, dilation: this.dilation,
    });
  }
}

/**
 * 1-d transposed convolution layer (PyTorch's `nn.ConvTranspose1d`): input (N, C_in, L) or
 * unbatched, output (N, C_out, L_out), see {@link convTranspose1d}. `weight`
 * `[inChannels, outChannels / groups, k]`, `bias` `[outChannels]`; options `stride` (1), `padding`
 * (0), `outputPadding` (0), `groups` (1), `bias` (true), `dilation` (1), `dtype`, `generator`.
 *
 * @example
 * ```ts
 * const up = new ConvTranspose1d(4, 2, 4, { stride: 2, padding: 1 });
 * up.forward(randn([1, 4, 8])).shape; // [1, 2, 16]
 * ```
 * @group Convolution
 */
export class ConvTranspose1d extends ConvTransposeLayer {
  static override readonly typeName: string = "ConvTranspose1d";
  constructor(inChannels: number, outChannels: number, kernelSize: SizeN, options: ConvTransposeLayerOptions = {}) {
    super("ConvTranspose1d", 1, convTranspose1d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * 2-d transposed convolution layer (PyTorch's `nn.ConvTranspose2d`): input (N, C_in, H, W) or
 * unbatched, output (N, C_out, H_out, W_out), see {@link convTranspose2d}. `weight`
 * `[inChannels, outChannels / groups, kH, kW]`, `bias` `[outChannels]`; options as
 * {@link ConvTranspose1d}. `forward(x, outputSize)` picks the output padding for a requested size.
 *
 * @example
 * ```ts
 * const up = new ConvTranspose2d(8, 4, 3, { stride: 2, padding: 1 });
 * const x = randn([1, 8, 5, 5]);
 * up.forward(x).shape;            // [1, 4, 9, 9]
 * up.forward(x, [10, 10]).shape;  // [1, 4, 10, 10]
 * String(up); // "ConvTranspose2d(8, 4, kernelSize=(3, 3), stride=(2, 2), padding=(1, 1))"
 * ```
 * @group Convolution
 */
export class ConvTranspose2d extends ConvTransposeLayer {
  static override readonly typeName: string = "ConvTranspose2d";
  constructor(inChannels: number, outChannels: number, kernelSize: SizeN, options: ConvTransposeLayerOptions = {}) {
    super("ConvTranspose2d", 2, convTranspose2d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * 3-d transposed convolution layer (PyTorch's `nn.ConvTranspose3d`), see {@link convTranspose3d};
 * options as {@link ConvTranspose1d}.
 *
 * @example
 * ```ts
 * new ConvTranspose3d(2, 1, 2, { stride: 2 }).forward(randn([1, 2, 3, 3, 3])).shape; // [1, 1, 6, 6, 6]
 * ```
 * @group Convolution
 */
export class ConvTranspose3d extends ConvTransposeLayer {
  static override readonly typeName: string = "ConvTranspose3d";
  constructor(inChannels: number, outChannels: number, kernelSize: SizeN, options: ConvTransposeLayerOptions = {}) {
    super("ConvTranspose3d", 3, convTranspose3d, inChannels, outChannels, kernelSize, options);
  }
}
