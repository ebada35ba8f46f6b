/**
 * Image transforms on tensors, like torchvision's `transforms` (tensor path): thin classes over
 * {@link functional}, each with a `forward(img)`, chained by {@link Compose}. Random transforms
 * take an optional `generator` (torchvision draws from the global generator, which is the
 * default here too).
 *
 * @example
 * ```ts
 * import { transforms } from "@tsgrad/data";
 * import { zeros } from "tsgrad";
 * const augment = new transforms.Compose([
 *   new transforms.ToTensor(),
 *   new transforms.RandomCrop(28, { padding: 4 }),
 *   new transforms.RandomHorizontalFlip(),
 *   new transforms.Normalize([0.1307], [0.3081]),
 * ]);
 * augment.forward(zeros([28, 28, 1], { dtype: "uint8" })).shape; // → [1, 28, 28]
 * ```
 * @module transforms
 */
import { Generator, Tensor, describeValue, getDefaultGenerator } from "@tsgrad/core";
import { fmtShape, resolveDataOptions } from "../validate.js";
import * as functional from "./functional.js";
import type { ImageDataLike, NormalizeOptions, PaddingMode } from "./functional.js";
import { type Padding, parsePadding } from "./padding.js";

export { functional };
export type { ImageDataLike, NormalizeOptions, Padding, PaddingMode, PadOptions } from "./functional.js";

/** A step of {@link Compose}: a function, or an object with `forward` (every transform here). */
export type TransformLike<I = Tensor, O = Tensor> = ((x: I) => O) | { forward(x: I): O };

/**
 * Applies transforms one after another: `forward(x)` is `tN(...t2(t1(x)))`. Steps are transform
 * objects or plain functions (torchvision's `Lambda`).
 *
 * PyTorch: `torchvision.transforms.Compose`.
 *
 * @example
 * ```ts
 * const t = new transforms.Compose([(x: Tensor) => x.mul(2), new transforms.RandomHorizontalFlip(1)]);
 * t.forward(tensor([[[1, 2]]])).toArray(); // → [[[4, 2]]]
 * ```
 */
export class Compose<I = Tensor, O = Tensor> {
  /** The steps, in order. */
  readonly transforms: readonly TransformLike<unknown, unknown>[];

  /** Chains `transforms` (functions or objects with `forward`). */
  constructor(transforms: readonly TransformLike<never, unknown>[]) {
    if (!Array.isArray(transforms)) throw new TypeError(`Compose: transforms must be an array, got ${describeValue(transforms)}`);
    transforms.forEach((t, i) => {
      if (typeof t !== "function" && typeof (t as { forward?: unknown } | null)?.forward !== "function") {
        throw new TypeError(`Compose: transforms[${i}] must be a function or have a forward method, got ${describeValue(t)}`);
      }
    });
    this.transforms = transforms as readonly TransformLike<unknown, unknown>[];
  }

  /**
   * Runs every step on `x`, in order.
   *
   * @example
   * ```ts
   * new transforms.Compose<number, number>([(x: number) => x + 1, (x: number) => 2 * x]).forward(3); // → 8
   * ```
   */
  forward(x: I): O {
    let out: unknown = x;
    for (const t of this.transforms) out = typeof t === "function" ? t(out) : t.forward(out);
    return out as O;
  }
}

/**
 * A uint8 `(H, W, C)` image (or an `ImageData`) to a float32 `(C, H, W)` tensor in `[0, 1]`:
 * {@link functional.toTensor}.
 *
 * PyTorch: `torchvision.transforms.ToTensor`.
 *
 * @example
 * ```ts
 * new transforms.ToTensor().forward(full([2, 2, 3], 255, { dtype: "uint8" })).shape; // → [3, 2, 2]
 * ```
 */
export class ToTensor {
  /** Takes no arguments, like torchvision's. */
  constructor() {}

  /**
   * Converts `pic`.
   *
   * @example
   * ```ts
   * new transforms.ToTensor().forward(tensor([[51]], { dtype: "uint8" })).toArray(); // → [[[0.20000000298023224]]]
   * ```
   */
  forward(pic: Tensor | ImageDataLike): Tensor {
    return functional.toTensor(pic);
  }
}

/**
 * `(x[c] − mean[c]) / std[c]` per channel of a float `(..., C, H, W)` image:
 * {@link functional.normalize}.
 *
 * PyTorch: `torchvision.transforms.Normalize`.
 *
 * @example
 * ```ts
 * new transforms.Normalize([0.5], [0.5]).forward(ones([1, 2, 2])).toArray(); // → [[[1, 1], [1, 1]]]
 * ```
 */
export class Normalize {
  /** Per-channel means (or one for all). */
  readonly mean: number | readonly number[];
  /** Per-channel standard deviations (or one for all). */
  readonly std: number | readonly number[];
  /** Whether the input is overwritten. */
  readonly inplace: boolean;

  /** Holds `mean`, `std` and `{ inplace }` (default false). */
  constructor(mean: number | readonly number[], std: number | readonly number[], options: NormalizeOptions = {}) {
    this.inplace = resolveDataOptions("Normalize", options, { inplace: false }).inplace;
    this.mean = mean;
    this.std = std;
  }

  /**
   * Normalizes `x`.
   *
   * @example
   * ```ts
   * new transforms.Normalize(1, 2).forward(full([1, 1, 1], 5)).item(); // → 2
   * ```
   */
  forward(x: Tensor): Tensor {
    return functional.normalize(x, this.mean, this.std, { inplace: this.inplace });
  }
}

/**
 * Options of {@link RandomHorizontalFlip}.
 *
 * @example
 * ```ts
 * new transforms.RandomHorizontalFlip(0.5, { generator: new Generator(0) }).p; // → 0.5
 * ```
 */
export interface RandomOptions {
  /** Source of the randomness (default: the global generator). */
  generator?: Generator;
}

/**
 * Flips an image left to right with probability `p` (default 0.5): one uniform draw `u` per
 * call, flipped when `u < p`, as torchvision's `torch.rand(1) < p`.
 *
 * PyTorch: `torchvision.transforms.RandomHorizontalFlip`.
 *
 * @example
 * ```ts
 * new transforms.RandomHorizontalFlip(1).forward(tensor([[[1, 2, 3]]])).toArray(); // → [[[3, 2, 1]]]
 * new transforms.RandomHorizontalFlip(0).forward(tensor([[[1, 2, 3]]])).toArray(); // → [[[1, 2, 3]]]
 * ```
 */
export class RandomHorizontalFlip {
  /** The probability of a flip. */
  readonly p: number;
  /** The generator given in the options, if any. */
  readonly generator: Generator | undefined;

  /** Flips with probability `p` in [0, 1]. */
  constructor(p = 0.5, options: RandomOptions = {}) {
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new RangeError(`RandomHorizontalFlip: p must be a probability in [0, 1], got ${describeValue(p)}`);
    this.p = p;
    this.generator = resolveDataOptions("RandomHorizontalFlip", options, { generator: undefined as Generator | undefined }).generator;
  }

  /**
   * `img` flipped, or `img` itself.
   *
   * @example
   * ```ts
   * new transforms.RandomHorizontalFlip(1).forward(tensor([[[1, 2]]])).toArray(); // → [[[2, 1]]]
   * ```
   */
  forward(img: Tensor): Tensor {
    return (this.generator ?? getDefaultGenerator()).random() < this.p ? functional.hflip(img) : img;
  }
}

/**
 * Options of {@link RandomCrop}, torchvision's keyword arguments.
 *
 * | option | default | torchvision |
 * |---|---|---|
 * | `padding` | none | `padding` |
 * | `padIfNeeded` | `false` | `pad_if_needed` |
 * | `fill` | `0` | `fill` |
 * | `paddingMode` | `"constant"` | `padding_mode` |
 * | `generator` | the global generator | (none; torchvision uses the global one) |
 *
 * @example
 * ```ts
 * new transforms.RandomCrop(32, { padding: 4, paddingMode: "reflect" }).size; // → [32, 32]
 * ```
 */
export interface RandomCropOptions extends RandomOptions {
  /** Padding applied first, in {@link functional.pad}'s forms. */
  padding?: Padding;
  /** Pad an image smaller than `size`: by the width deficit on the left and the right, then by the height deficit on top and bottom. */
  padIfNeeded?: boolean;
  /** The value of `"constant"` padding (default 0). */
  fill?: number;
  /** How padding fills: `"constant"` (default), `"edge"`, `"reflect"` or `"symmetric"`. */
  paddingMode?: PaddingMode;
}

/**
 * A random `size` window of an image, like torchvision's `RandomCrop`, step by step as it does:
 * pad by `padding` if given; with `padIfNeeded`, if the width `w` is below the crop width `tw`,
 * pad `tw − w` on both left and right (so the width becomes `2·tw − w`), then the same for the
 * height (measured before the width padding, as torchvision); then draw the top `i` uniform in
 * `[0, h − th]` and the left `j` in `[0, w − tw]` (`randint`, `i` first) and crop. A window
 * larger than the padded image throws (torchvision lets one row or column too many through, and
 * then fails in `randint`).
 *
 * PyTorch: `torchvision.transforms.RandomCrop`.
 *
 * @example
 * ```ts
 * const crop = new transforms.RandomCrop([2, 2], { generator: new Generator(0) });
 * crop.forward(arange(16).reshape(1, 4, 4)).shape; // → [1, 2, 2]
 * ```
 */
export class RandomCrop {
  /** The crop's `[height, width]`. */
  readonly size: [number, number];
  /** Padding applied before cropping, if any. */
  readonly padding: Padding | undefined;
  /** Whether a too-small image is padded up to `size`. */
  readonly padIfNeeded: boolean;
  /** The fill of constant padding. */
  readonly fill: number;
  /** The padding mode. */
  readonly paddingMode: PaddingMode;
  /** The generator given in the options, if any. */
  readonly generator: Generator | undefined;

  /** Crops `size` (`s` for `s × s`, `[s]`, or `[height, width]`). */
  constructor(size: number | readonly number[], options: RandomCropOptions = {}) {
    const op = "RandomCrop";
    const list = typeof size === "number" ? [size, size] : Array.isArray(size) && size.length === 1 ? [size[0], size[0]] : size;
    if (!Array.isArray(list) || list.length !== 2 || list.some((s) => !Number.isSafeInteger(s) || s < 1)) {
      throw new RangeError(`${op}: size must be a positive integer or [height, width] of positive integers, got ${describeValue(size)}`);
    }
    const o = resolveDataOptions(op, options, {
      padding: undefined as Padding | undefined, padIfNeeded: false, fill: 0, paddingMode: "constant" as PaddingMode, generator: undefined as Generator | undefined,
    });
    if (o.padding !== undefined) parsePadding(op, o.padding);
    this.size = [list[0], list[1]];
    this.padding = o.padding;
    this.padIfNeeded = o.padIfNeeded;
    this.fill = o.fill;
    this.paddingMode = o.paddingMode;
    this.generator = o.generator;
  }

  /**
   * The window `[top, left, height, width]` to crop from `img`: `[0, 0, h, w]` when the sizes
   * match, else a random top-left corner (top drawn first).
   *
   * @example
   * ```ts
   * transforms.RandomCrop.getParams(zeros([1, 5, 5]), [5, 5]); // → [0, 0, 5, 5]
   * ```
   */
  static getParams(img: Tensor, outputSize: readonly [number, number], generator?: Generator): [number, number, number, number] {
    const [h, w] = img.shape.slice(-2);
    const [th, tw] = outputSize;
    if (h < th || w < tw) throw new RangeError(`RandomCrop: required crop size [${th}, ${tw}] is larger than the input image size [${h}, ${w}] (image ${fmtShape(img.shape)})`);
    if (h === th && w === tw) return [0, 0, h, w];
    const gen = generator ?? getDefaultGenerator();
    const i = gen.integer(0, h - th + 1);
    const j = gen.integer(0, w - tw + 1);
    return [i, j, th, tw];
  }

  // The image padded as the options say, before the crop (deterministic).
  private padded(img: Tensor): Tensor {
    const padOpts = { fill: this.fill, paddingMode: this.paddingMode };
    let out = this.padding === undefined ? img : functional.pad(img, this.padding, padOpts);
    const [h, w] = out.shape.slice(-2);
    const [th, tw] = this.size;
    if (this.padIfNeeded && w < tw) out = functional.pad(out, [tw - w, 0], padOpts);
    if (this.padIfNeeded && h < th) out = functional.pad(out, [0, th - h], padOpts);
    return out;
  }

  /**
   * A random `size` crop of `img` (padded first as configured).
   *
   * @example
   * ```ts
   * new transforms.RandomCrop(3, { padding: 1 }).forward(ones([1, 3, 3])).shape; // → [1, 3, 3]
   * ```
   */
  forward(img: Tensor): Tensor {
    const out = this.padded(img);
    const [i, j, th, tw] = RandomCrop.getParams(out, this.size, this.generator);
    return functional.crop(out, i, j, th, tw);
  }
}
