/**
 * Channel rearrangements, as torch/nn/modules/pixelshuffle.py and channelshuffle.py: pixel
 * shuffle (depth to space), pixel unshuffle (space to depth) and channel shuffle. Each is a
 * reshape, a permute and a reshape, so core's view ops give the gradient.
 */
import { Tensor, describeValue } from "@tsgrad/core";
import { Module } from "./module.js";
import { checkTensor } from "./util.js";

function checkFactor(op: string, name: string, r: unknown): asserts r is number {
  if (typeof r !== "number" || !Number.isSafeInteger(r) || r < 1) throw new RangeError(`${op}: ${name} must be a positive integer, got ${describeValue(r)}`);
}

function checkRank(op: string, x: Tensor): void {
  if (x.ndim < 3) throw new RangeError(`${op}: expected an input with at least 3 dims (*, C, H, W), got ${x.ndim}-D input of shape [${x.shape.join(", ")}]`);
}

/**
 * Depth to space: moves blocks of `r × r` channels into `r × r` spatial blocks,
 * `(*, C·r², H, W)` → `(*, C, H·r, W·r)`, with `out[c, h·r + i, w·r + j] = x[c·r² + i·r + j, h, w]`.
 *
 * @example
 * ```ts
 * F.pixelShuffle(arange(4).reshape([4, 1, 1]), 2).toArray(); // → [[[0, 1], [2, 3]]]
 * ```
 * PyTorch: `torch.nn.functional.pixel_shuffle`.
 */
export function pixelShuffle(input: Tensor, upscaleFactor: number): Tensor {
  checkTensor("pixelShuffle", input);
  checkFactor("pixelShuffle", "upscaleFactor", upscaleFactor);
  checkRank("pixelShuffle", input);
  const r = upscaleFactor;
  const lead = input.shape.slice(0, -3);
  const [c, h, w] = input.shape.slice(-3);
  if (c % (r * r) !== 0) {
    throw new RangeError(`pixelShuffle: the channel dim (size ${c}) of input [${input.shape.join(", ")}] must be divisible by upscaleFactor² = ${r * r}`);
  }
  const b = lead.length;
  const perm = [...lead.keys(), b, b + 3, b + 1, b + 4, b + 2];
  return input.reshape([...lead, c / (r * r), r, r, h, w]).permute(perm).reshape([...lead, c / (r * r), h * r, w * r]);
}

/**
 * Space to depth, the inverse of {@link pixelShuffle}: `(*, C, H·r, W·r)` → `(*, C·r², H, W)`.
 *
 * @example
 * ```ts
 * F.pixelUnshuffle(arange(4).reshape([1, 2, 2]), 2).reshape([4]).toArray(); // → [0, 1, 2, 3]
 * ```
 * PyTorch: `torch.nn.functional.pixel_unshuffle`.
 */
export function pixelUnshuffle(input: Tensor, downscaleFactor: number): Tensor {
  checkTensor("pixelUnshuffle", input);
  checkFactor("pixelUnshuffle", "downscaleFactor", downscaleFactor);
  checkRank("pixelUnshuffle", input);
  const r = downscaleFactor;
  const lead = input.shape.slice(0, -3);
  const [c, h, w] = input.shape.slice(-3);
  if (h % r !== 0 || w % r !== 0) {
    throw new RangeError(`pixelUnshuffle: height ${h} and width ${w} of input [${input.shape.join(", ")}] must be divisible by downscaleFactor ${r}`);
  }
  const b = lead.length;
  const perm = [...lead.keys(), b, b + 2, b + 4, b + 1, b + 3];
  return input.reshape([...lead, c, h / r, r, w / r, r]).permute(perm).reshape([...lead, c * r * r, h / r, w / r]);
}

/**
 * Splits the channels of `(N, C, *)` into `groups` groups and interleaves them: channel `g·(C/g) + k`
 * moves to `k·groups + g` (a `(groups, C/groups)` transpose). ShuffleNet's channel shuffle.
 *
 * @example
 * ```ts
 * F.channelShuffle(arange(6).reshape([1, 6, 1]), 2).reshape([6]).toArray(); // → [0, 3, 1, 4, 2, 5]
 * ```
 * PyTorch: `torch.nn.functional.channel_shuffle` (PyTorch 1.13 gives it no gradient; tsgrad does).
 */
export function channelShuffle(input: Tensor, groups: number): Tensor {
  checkTensor("channelShuffle", input);
  checkFactor("channelShuffle", "groups", groups);
  if (input.ndim < 3) throw new RangeError(`channelShuffle: expected an input with at least 3 dims (N, C, *), got ${input.ndim}-D input of shape [${input.shape.join(", ")}]`);
  const [n, c, ...rest] = input.shape;
  if (c % groups !== 0) throw new RangeError(`channelShuffle: the ${c} channels of input [${input.shape.join(", ")}] must be divisible by groups ${groups}`);
  return input.reshape([n, groups, c / groups, ...rest]).transpose(1, 2).reshape(input.shape);
}

/**
 * Layer form of {@link pixelShuffle}: `(*, C·r², H, W)` → `(*, C, H·r, W·r)` with `r` the upscale
 * factor (sub-pixel convolution's upsampling).
 *
 * @example
 * ```ts
 * new PixelShuffle(3).forward(zeros([1, 18, 4, 4])).shape; // → [1, 2, 12, 12]
 * ```
 * PyTorch: `torch.nn.PixelShuffle`.
 * @group Resampling
 */
export class PixelShuffle extends Module {
  static override readonly typeName: string = "PixelShuffle";
  constructor(
    /** The factor `r` by which height and width grow. */
    readonly upscaleFactor: number,
  ) {
    super();
    checkFactor("PixelShuffle", "upscaleFactor", upscaleFactor);
  }

  /** {@link pixelShuffle} by this layer's factor. */
  forward(x: Tensor): Tensor {
    return pixelShuffle(x, this.upscaleFactor);
  }

  override extraRepr(): string {
    return `upscaleFactor=${this.upscaleFactor}`;
  }
}

/**
 * Layer form of {@link pixelUnshuffle}: `(*, C, H·r, W·r)` → `(*, C·r², H, W)`.
 *
 * @example
 * ```ts
 * new PixelUnshuffle(2).forward(zeros([1, 3, 8, 6])).shape; // → [1, 12, 4, 3]
 * ```
 * PyTorch: `torch.nn.PixelUnshuffle`.
 * @group Resampling
 */
export class PixelUnshuffle extends Module {
  static override readonly typeName: string = "PixelUnshuffle";
  constructor(
    /** The factor `r` by which height and width shrink. */
    readonly downscaleFactor: number,
  ) {
    super();
    checkFactor("PixelUnshuffle", "downscaleFactor", downscaleFactor);
  }

  /** {@link pixelUnshuffle} by this layer's factor. */
  forward(x: Tensor): Tensor {
    return pixelUnshuffle(x, this.downscaleFactor);
  }

  override extraRepr(): string {
    return `downscaleFactor=${this.downscaleFactor}`;
  }
}

/**
 * Layer form of {@link channelShuffle}: `(N, C, *)` → `(N, C, *)` with the channels of the
 * `groups` groups interleaved.
 *
 * @example
 * ```ts
 * new ChannelShuffle(3).forward(arange(6).reshape([1, 6, 1])).reshape([6]).toArray(); // → [0, 2, 4, 1, 3, 5]
 * ```
 * PyTorch: `torch.nn.ChannelShuffle`.
 * @group Resampling
 */
export class ChannelShuffle extends Module {
  static override readonly typeName: string = "ChannelShuffle";
  constructor(
    /** The number of channel groups to interleave. */
    readonly groups: number,
  ) {
    super();
    checkFactor("ChannelShuffle", "groups", groups);
  }

  /** {@link channelShuffle} with this layer's groups. */
  forward(x: Tensor): Tensor {
    return channelShuffle(x, this.groups);
  }

  override extraRepr(): string {
    return `groups=${this.groups}`;
  }
}
