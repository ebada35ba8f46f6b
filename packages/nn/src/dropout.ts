/**
 * Dropout, as torch/nn/modules/dropout.py: element-wise inverted dropout, channel-wise ("feature")
 * dropout for 1-d, 2-d and 3-d feature maps, and alpha dropout for SELU networks, with their
 * functional forms. Each draws a keep-mask from the generator (one draw per element, or per
 * `(n, c)` channel), then is a multiply (and, for alpha dropout, an add) by constants, so core's
 * `mul` gives the gradient: the same mask and scale.
 */
import { Tensor, Generator, getDefaultGenerator, resolveOptions } from "@tsgrad/core";
import { Module } from "./module.js";
import { checkTensor, generatorCheck } from "./util.js";

function checkProbability(op: string, p: unknown): asserts p is number {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new RangeError(`${op}: dropout probability has to be between 0 and 1, but got ${String(p)}`);
  }
}

/** SELU's `λ·α`: alpha dropout sets dropped activations to `−λα`, SELU's saturation value. */
const SELU_SATURATION = 1.7580993408473766;

/**
 * The keep-mask (1 kept, 0 dropped, each kept with probability `1 − p`) of `x` in x's float dtype:
 * one draw per element, or per `(n, c)` channel (shape `[N, C, 1, …]`) when `perChannel`.
 */
function keepMask(op: string, x: Tensor, p: number, perChannel: boolean, generator: Generator | undefined): Tensor {
  if (perChannel && x.ndim < 2) throw new RangeError(`${op}: channel-wise dropout needs an input with at least 2 dims (N, C, *), got shape [${x.shape.join(", ")}]`);
  const shape = perChannel ? x.shape.map((n, d) => (d < 2 ? n : 1)) : x.shape;
  const gen = generator ?? getDefaultGenerator();
  const dtype = x.dtype === "float64" ? "float64" : "float32";
  const size = shape.reduce((a, b) => a * b, 1);
  const mask = dtype === "float64" ? new Float64Array(size) : new Float32Array(size);
  const keep = 1 - p;
  for (let i = 0; i < size; i++) mask[i] = gen.random() < keep ? 1 : 0;
  return new Tensor(mask, shape, dtype);
}

/** `x · mask / (1 − p)`: inverted dropout with an element or channel mask. */
function invertedDropout(op: string, x: Tensor, p: number, training: boolean, perChannel: boolean, generator: Generator | undefined): Tensor {
  checkTensor(op, x);
  checkProbability(op, p);
  if (!training || p === 0 || x.numel() === 0) return x;
  if (p === 1) return x.mul(0);
  return x.mul(keepMask(op, x, p, perChannel, generator).mul(1 / (1 - p)));
}

/**
 * Alpha dropout's affine map (PyTorch's `_dropout_impl`): with `a = 1 / √((α²p + 1)(1 − p))` and
 * `α = λα_SELU`, kept entries become `a·x + a·α·p` and dropped ones `a·α·(p − 1)`, which keeps a
 * zero-mean unit-variance input so.
 */
function alphaDropoutImpl(op: string, x: Tensor, p: number, training: boolean, perChannel: boolean, generator: Generator | undefined): Tensor {
  checkTensor(op, x);
  checkProbability(op, p);
  if (!training || p === 0 || x.numel() === 0) return x;
  if (p === 1) return x.mul(0);
  const mask = keepMask(op, x, p, perChannel, generator);
  const a = 1 / Math.sqrt((SELU_SATURATION * SELU_SATURATION * p + 1) * (1 - p));
  const shift = mask.sub(1).mul(SELU_SATURATION * a).add(SELU_SATURATION * a * p);
  return x.mul(mask.mul(a)).add(shift);
}

/**
 * Inverted dropout: while `training`, zeroes each element independently with probability `p` and
 * scales the survivors by `1 / (1 − p)`, so the expected value is unchanged and evaluation needs
 * no rescaling. With `training = false` (or p = 0) it returns `x` itself; p = 1 gives zeros.
 * Gradient: the same mask and scale. Defaults as PyTorch: p = 0.5, training = true.
 *
 * @example
 * ```ts
 * F.dropout(ones([4]), 0.5, true, new Generator(0)).toArray(); // e.g. [2, 0, 2, 2]
 * ```
 * PyTorch: `torch.nn.functional.dropout`.
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  return invertedDropout("dropout", x, p, training, false, generator);
}

/**
 * Channel-wise dropout of 1-d feature maps: while `training`, zeroes each whole channel `x[n, c, :]`
 * of `(N, C, L)` (or `x[c, :]` of an unbatched `(C, L)`) with probability `p` and scales the others
 * by `1 / (1 − p)`. Use it after convolutions, whose neighbouring activations are correlated.
 *
 * @example
 * ```ts
 * const y = F.dropout1d(ones([2, 3, 4]), 0.5, true, new Generator(0));
 * y.amax(-1).toArray(); // e.g. [[2, 0, 2], [2, 2, 0]]: each row of 4 is all 0 or all 2
 * ```
 * PyTorch: `torch.nn.functional.dropout1d`.
 */
export function dropout1d(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  checkTensor("dropout1d", x);
  if (x.ndim !== 2 && x.ndim !== 3) {
    throw new RangeError(`dropout1d: expected a 2-D (C, L) or 3-D (N, C, L) input, got ${x.ndim}-D input of shape [${x.shape.join(", ")}]`);
  }
  return unbatchedAsBatch(x, x.ndim === 2, (b) => invertedDropout("dropout1d", b, p, training, true, generator));
}

/**
 * Channel-wise dropout of 2-d feature maps: zeroes each whole channel `x[n, c, :, :]` of
 * `(N, C, H, W)` with probability `p` while `training`, scaling the others by `1 / (1 − p)`.
 *
 * A 3-D input is read as `(N, C, L)`, as PyTorch (1.13 to 2.x) does with a warning, not as an
 * unbatched `(C, H, W)`: each `x[n, c, :]` is one channel. Use {@link dropout1d} for that shape,
 * or unsqueeze an unbatched `(C, H, W)` to `(1, C, H, W)`. Other ranks throw (PyTorch deprecates them).
 *
 * @example
 * ```ts
 * const y = F.dropout2d(ones([1, 4, 2, 2]), 0.5, true, new Generator(1));
 * y.amax([2, 3]).toArray(); // e.g. [[2, 2, 0, 2]]
 * ```
 * PyTorch: `torch.nn.functional.dropout2d`.
 */
export function dropout2d(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  checkTensor("dropout2d", x);
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new RangeError(`dropout2d: expected a 4-D (N, C, H, W) input (or 3-D, read as (N, C, L)), got ${x.ndim}-D input of shape [${x.shape.join(", ")}]`);
  }
  return invertedDropout("dropout2d", x, p, training, true, generator);
}

/**
 * Channel-wise dropout of 3-d feature maps: zeroes each whole channel `x[n, c, :, :, :]` of
 * `(N, C, D, H, W)` (or `x[c]` of an unbatched `(C, D, H, W)`) with probability `p` while
 * `training`, scaling the others by `1 / (1 − p)`.
 *
 * @example
 * ```ts
 * F.dropout3d(ones([2, 3, 1, 2, 2]), 0.5, false).sum().item(); // → 24 (identity when not training)
 * ```
 * PyTorch: `torch.nn.functional.dropout3d`.
 */
export function dropout3d(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  checkTensor("dropout3d", x);
  if (x.ndim !== 4 && x.ndim !== 5) {
    throw new RangeError(`dropout3d: expected a 4-D (C, D, H, W) or 5-D (N, C, D, H, W) input, got ${x.ndim}-D input of shape [${x.shape.join(", ")}]`);
  }
  return unbatchedAsBatch(x, x.ndim === 4, (b) => invertedDropout("dropout3d", b, p, training, true, generator));
}

/** `fn` on `x` with a batch dim of one added (and removed again) when `unbatched`. */
function unbatchedAsBatch(x: Tensor, unbatched: boolean, fn: (batched: Tensor) => Tensor): Tensor {
  if (!unbatched) return fn(x);
  const batched = x.unsqueeze(0);
  const y = fn(batched);
  return y === batched ? x : y.squeeze(0);
}

/**
 * Alpha dropout, for self-normalizing (SELU) networks: while `training`, sets each element with
 * probability `p` to SELU's saturation value `−λα` (λα ≈ 1.7581) instead of 0, then applies the
 * affine map `a·y + b` that restores a zero mean and unit variance: with
 * `a = ((1 − p)(1 + p·(λα)²))^(−1/2)`, kept entries are `a·x + a·λα·p`, dropped ones `−a·λα·(1 − p)`.
 * Identity when not training — note PyTorch's default here is `training = false`.
 *
 * @example
 * ```ts
 * const x = randn([100000], { generator: new Generator(0) });
 * const y = F.alphaDropout(x, 0.2, true, new Generator(1));
 * [y.mean().item(), y.std().item()]; // ≈ [0, 1]
 * ```
 * PyTorch: `torch.nn.functional.alpha_dropout`.
 */
export function alphaDropout(x: Tensor, p = 0.5, training = false, generator?: Generator): Tensor {
  return alphaDropoutImpl("alphaDropout", x, p, training, false, generator);
}

/**
 * Channel-wise {@link alphaDropout}: each whole channel `x[n, c, …]` of `(N, C, *)` is dropped (to
 * `−a·λα·(1 − p)`) or kept (`a·x + a·λα·p`) together. Identity when not training (the default, as
 * PyTorch's).
 *
 * @example
 * ```ts
 * const y = F.featureAlphaDropout(zeros([2, 3, 4]), 0.5, true, new Generator(0));
 * y.amax(-1).sub(y.amin(-1)).abs().max().item(); // → 0 (each channel is constant)
 * ```
 * PyTorch: `torch.nn.functional.feature_alpha_dropout`.
 */
export function featureAlphaDropout(x: Tensor, p = 0.5, training = false, generator?: Generator): Tensor {
  return alphaDropoutImpl("featureAlphaDropout", x, p, training, true, generator);
}

/**
 * Options of the dropout layers.
 *
 * @example
 * ```ts
 * const a = new Dropout2d(0.2, { generator: new Generator(7) });
 * const b = new Dropout2d(0.2, { generator: new Generator(7) });
 * a.forward(ones([2, 8, 3, 3])).toArray().join() === b.forward(ones([2, 8, 3, 3])).toArray().join(); // → true
 * ```
 */
export interface DropoutOptions {
  /** The random source of the masks (default: the global generator, seeded by `manualSeed`). */
  generator?: Generator;
}

/**
 * The shared base of the dropout layers (PyTorch's `_DropoutNd`): holds `p` and the generator and
 * calls its functional form with `this.training`.
 *
 * @example
 * ```ts
 * const layers: DropoutNd[] = [new Dropout(0.1), new Dropout2d(0.2), new AlphaDropout(0.05)];
 * layers.map((l) => l.p); // → [0.1, 0.2, 0.05]
 * ```
 * @group Dropout
 */
export abstract class DropoutNd extends Module {
  static override readonly typeName: string = "DropoutNd";
  /** Probability of dropping an element (or a channel). */
  readonly p: number;
  /** The random source of the masks, or undefined for the global generator. */
  protected readonly generator: Generator | undefined;

  protected constructor(op: string, p: number, options: DropoutOptions) {
    super();
    const { generator } = resolveOptions(op, options, { generator: undefined as Generator | undefined }, { generator: generatorCheck });
    checkProbability(op, p);
    this.p = p;
    this.generator = generator;
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/**
 * Layer form of {@link dropout}: active in training mode, the identity after `eval()`.
 * Shapes: any, `(*)` → `(*)`.
 *
 * @example
 * ```ts
 * const x = ones([1000]);
 * const drop = new Dropout(0.2);
 * const y = drop.forward(x); // about 20% zeros, the rest × 1.25
 * y.eq(0).float().mean().item(); // ≈ 0.2
 * y.max().item();                // 1.25
 * drop.eval().forward(x) === x;  // true (identity in eval mode)
 * ```
 * PyTorch: `torch.nn.Dropout`.
 * @group Dropout
 */
export class Dropout extends DropoutNd {
  static override readonly typeName: string = "Dropout";
  constructor(p = 0.5, options: DropoutOptions = {}) { super("Dropout", p, options); }
  /** {@link dropout} with this layer's `p`, active only while `training`. */
  forward(x: Tensor): Tensor { return dropout(x, this.p, this.training, this.generator); }
}

/**
 * Layer form of {@link dropout1d}: zeroes whole channels of `(N, C, L)` or `(C, L)` while training.
 *
 * @example
 * ```ts
 * const y = new Dropout1d(0.5, { generator: new Generator(0) }).forward(ones([4, 8, 16]));
 * y.amax(-1).sub(y.amin(-1)).abs().max().item(); // → 0 (each channel is all 0 or all 2)
 * ```
 * PyTorch: `torch.nn.Dropout1d`.
 * @group Dropout
 */
export class Dropout1d extends DropoutNd {
  static override readonly typeName: string = "Dropout1d";
  constructor(p = 0.5, options: DropoutOptions = {}) { super("Dropout1d", p, options); }
  /** {@link dropout1d} with this layer's `p`, active only while `training`. */
  forward(x: Tensor): Tensor { return dropout1d(x, this.p, this.training, this.generator); }
}

/**
 * Layer form of {@link dropout2d}: zeroes whole channels of `(N, C, H, W)` while training (a 3-D
 * input is read as `(N, C, L)`, as in PyTorch).
 *
 * @example
 * ```ts
 * new Dropout2d(0.3).eval().forward(ones([1, 2, 3, 3])).sum().item(); // → 18
 * ```
 * PyTorch: `torch.nn.Dropout2d`.
 * @group Dropout
 */
export class Dropout2d extends DropoutNd {
  static override readonly typeName: string = "Dropout2d";
  constructor(p = 0.5, options: DropoutOptions = {}) { super("Dropout2d", p, options); }
  /** {@link dropout2d} with this layer's `p`, active only while `training`. */
  forward(x: Tensor): Tensor { return dropout2d(x, this.p, this.training, this.generator); }
}

/**
 * Layer form of {@link dropout3d}: zeroes whole channels of `(N, C, D, H, W)` or `(C, D, H, W)`.
 *
 * @example
 * ```ts
 * new Dropout3d(0.5).forward(ones([2, 4, 2, 2, 2])).shape; // → [2, 4, 2, 2, 2]
 * ```
 * PyTorch: `torch.nn.Dropout3d`.
 * @group Dropout
 */
export class Dropout3d extends DropoutNd {
  static override readonly typeName: string = "Dropout3d";
  constructor(p = 0.5, options: DropoutOptions = {}) { super("Dropout3d", p, options); }
  /** {@link dropout3d} with this layer's `p`, active only while `training`. */
  forward(x: Tensor): Tensor { return dropout3d(x, this.p, this.training, this.generator); }
}

/**
 * Layer form of {@link alphaDropout}, for SELU networks: keeps a zero-mean unit-variance input so
 * while training; the identity after `eval()`. Shapes: any.
 *
 * @example
 * ```ts
 * const drop = new AlphaDropout(0.1, { generator: new Generator(0) });
 * const y = drop.forward(randn([50000], { generator: new Generator(1) }));
 * y.mean().item(); // ≈ 0
 * ```
 * PyTorch: `torch.nn.AlphaDropout`.
 * @group Dropout
 */
export class AlphaDropout extends DropoutNd {
  static override readonly typeName: string = "AlphaDropout";
  constructor(p = 0.5, options: DropoutOptions = {}) { super("AlphaDropout", p, options); }
  /** {@link alphaDropout} with this layer's `p`, active only while `training`. */
  forward(x: Tensor): Tensor { return alphaDropout(x, this.p, this.training, this.generator); }
}

/**
 * Layer form of {@link featureAlphaDropout}: alpha dropout of whole channels of `(N, C, *)`.
 *
 * @example
 * ```ts
 * new FeatureAlphaDropout(0.2).eval().forward(ones([2, 3, 4])).sum().item(); // → 24
 * ```
 * PyTorch: `torch.nn.FeatureAlphaDropout`.
 * @group Dropout
 */
export class FeatureAlphaDropout extends DropoutNd {
  static override readonly typeName: string = "FeatureAlphaDropout";
  constructor(p = 0.5, options: DropoutOptions = {}) { super("FeatureAlphaDropout", p, options); }
  /** {@link featureAlphaDropout} with this layer's `p`, active only while `training`. */
  forward(x: Tensor): Tensor { return featureAlphaDropout(x, this.p, this.training, this.generator); }
}
