/**
 * Padding layers, as torch/nn/modules/padding.py: zero, constant, reflection, replication and
 * circular padding of 1, 2 or 3 trailing dims. Each layer holds its padding tuple and calls core's
 * `pad` (`F.pad`), which does the work and the gradient; the layer adds PyTorch's argument forms
 * (one integer for every side, or a tuple), its input-rank check and its printed form.
 */
import { Tensor, describeValue, pad, typeNameOf, type PadMode } from "@tsgrad/core";
import { Module } from "./module.js";
import { checkNumber, checkTensor } from "./util.js";

/**
 * A padding argument: one integer for every side, or `2·d` integers
 * `[left, right, (top, bottom, (front, back))]`, last dim first as in {@link F.pad}.
 *
 * @example
 * ```ts
 * const both: PaddingSize = 2;                  // every side gets 2
 * const sides: PaddingSize = [1, 0, 2, 3];      // left, right, top, bottom
 * new ZeroPad2d(sides).padding;                 // → [1, 0, 2, 3]
 * new ZeroPad2d(both).padding;                  // → [2, 2, 2, 2]
 * ```
 */
export type PaddingSize = number | readonly number[];

/**
 * The shared base of the padding layers (PyTorch's `_ConstantPadNd`, `_ReflectionPadNd`, ...):
 * pads the last `dims` dims of the input with `mode` through core's `pad`.
 *
 * Inputs: `(N, C, *)` or `(C, *)` with `*` the `dims` padded dims, for every mode but constant
 * (which pads any input with at least `dims` dims). Negative amounts crop, as in PyTorch.
 *
 * @example
 * ```ts
 * const layer = new ReflectionPad1d(1);
 * layer instanceof PadNd;                        // → true
 * layer.forward(tensor([[1, 2, 3]])).toArray();  // → [[2, 1, 2, 3, 2]]
 * ```
 * @group Padding
 */
export abstract class PadNd extends Module {
  static override readonly typeName: string = "PadNd";
  /** The amounts, `2·dims` of them, last dim first: `[left, right, top, bottom, front, back]`. */
  readonly padding: readonly number[];
  /** How the border is filled. */
  readonly mode: PadMode;
  /** The fill of constant padding (0 for the other modes). */
  readonly value: number;
  /** The number of trailing dims padded: 1, 2 or 3. */
  readonly dims: number;

  protected constructor(dims: number, padding: PaddingSize, mode: PadMode, value = 0) {
    super();
    const op = typeNameOf(this);
    this.dims = dims;
    this.mode = mode;
    this.padding = paddingTuple(op, padding, dims);
    if (mode === "constant") checkNumber(op, "value", value);
    this.value = value;
  }

  /** Pads `x` (shapes: see the class). */
  forward(x: Tensor): Tensor {
    const op = typeNameOf(this);
    checkTensor(op, x);
    const d = this.dims;
    if (this.mode !== "constant" && x.ndim !== d + 1 && x.ndim !== d + 2) {
      throw new RangeError(`${op}: expected a ${d + 1}-D (unbatched) or ${d + 2}-D (batched) input, got ${x.ndim}-D input of shape [${x.shape.join(", ")}]`);
    }
    if (this.mode === "constant" && x.ndim < d) {
      throw new RangeError(`${op}: expected an input with at least ${d} dims, got ${x.ndim}-D input of shape [${x.shape.join(", ")}]`);
    }
    // Core pads circular only the batched form (PyTorch 1.13); an unbatched input gets a batch of one (PyTorch 2's rule).
    const unbatched = this.mode === "circular" && x.ndim === d + 1;
    try {
      const y = pad(unbatched ? x.unsqueeze(0) : x, this.padding, this.mode === "constant" ? { value: this.value } : this.mode);
      return unbatched ? y.squeeze(0) : y;
    } catch (e) {
      if (e instanceof RangeError) throw new RangeError(`${op}: ${e.message}`);
      throw e;
    }
  }

  override extraRepr(): string {
    const t = `(${this.padding.join(", ")})`;
    // PyTorch prints the value of ConstantPadNd only (ZeroPadNd prints the tuple alone).
    return typeNameOf(this).startsWith("Constant") ? `padding=${t}, value=${this.value}` : t;
  }
}

function paddingTuple(op: string, padding: unknown, dims: number): number[] {
  const list = typeof padding === "number" ? new Array<number>(2 * dims).fill(padding) : padding;
  if (!Array.isArray(list) || list.length !== 2 * dims || list.some((p) => !Number.isSafeInteger(p))) {
    throw new TypeError(`${op}: padding must be an integer or an array of ${2 * dims} integers, got ${Array.isArray(padding) ? `[${padding.join(", ")}]` : describeValue(padding)}`);
  }
  return list as number[];
}

/**
 * Pads the last dim with zeros: `(N, C, W)` → `(N, C, W + left + right)` (any input with ≥ 1 dim).
 *
 * @example
 * ```ts
 * new ZeroPad1d([1, 2]).forward(tensor([[1, 2]])).toArray(); // → [[0, 1, 2, 0, 0]]
 * ```
 * PyTorch: `torch.nn.ZeroPad1d` (PyTorch ≥ 2.1).
 * @group Padding
 */
export class ZeroPad1d extends PadNd {
  static override readonly typeName: string = "ZeroPad1d";
  constructor(padding: PaddingSize) { super(1, padding, "constant"); }
}

/**
 * Pads the last two dims with zeros: `(N, C, H, W)` → `(N, C, H + top + bottom, W + left + right)`.
 *
 * @example
 * ```ts
 * new ZeroPad2d([1, 0, 0, 1]).forward(ones([1, 1, 1, 1])).toArray(); // → [[[[0, 1], [0, 0]]]]
 * ```
 * PyTorch: `torch.nn.ZeroPad2d`.
 * @group Padding
 */
export class ZeroPad2d extends PadNd {
  static override readonly typeName: string = "ZeroPad2d";
  constructor(padding: PaddingSize) { super(2, padding, "constant"); }
}

/**
 * Pads the last three dims with zeros: `(N, C, D, H, W)` → `(N, C, D + front + back, H + top + bottom, W + left + right)`.
 *
 * @example
 * ```ts
 * new ZeroPad3d(1).forward(ones([1, 1, 1, 1, 1])).shape; // → [1, 1, 3, 3, 3]
 * ```
 * PyTorch: `torch.nn.ZeroPad3d` (PyTorch ≥ 2.1).
 * @group Padding
 */
export class ZeroPad3d extends PadNd {
  static override readonly typeName: string = "ZeroPad3d";
  constructor(padding: PaddingSize) { super(3, padding, "constant"); }
}

/**
 * Pads the last dim with `value`: `(N, C, W)` → `(N, C, W + left + right)`.
 *
 * @example
 * ```ts
 * new ConstantPad1d(1, 3.5).forward(tensor([[1, 2]])).toArray(); // → [[3.5, 1, 2, 3.5]]
 * ```
 * PyTorch: `torch.nn.ConstantPad1d`.
 * @group Padding
 */
export class ConstantPad1d extends PadNd {
  static override readonly typeName: string = "ConstantPad1d";
  constructor(padding: PaddingSize, value: number) { super(1, padding, "constant", value); }
}

/**
 * Pads the last two dims with `value`: `(N, C, H, W)` → `(N, C, H + top + bottom, W + left + right)`.
 *
 * @example
 * ```ts
 * new ConstantPad2d([0, 1, 1, 0], -1).forward(ones([1, 1, 1])).toArray(); // → [[[-1, -1], [1, -1]]]
 * ```
 * PyTorch: `torch.nn.ConstantPad2d`.
 * @group Padding
 */
export class ConstantPad2d extends PadNd {
  static override readonly typeName: string = "ConstantPad2d";
  constructor(padding: PaddingSize, value: number) { super(2, padding, "constant", value); }
}

/**
 * Pads the last three dims with `value`: `(N, C, D, H, W)` → `(N, C, D + front + back, H + top + bottom, W + left + right)`.
 *
 * @example
 * ```ts
 * new ConstantPad3d([1, 0, 0, 0, 0, 0], 7).forward(ones([1, 1, 1])).toArray(); // → [[[7, 1]]]
 * ```
 * PyTorch: `torch.nn.ConstantPad3d`.
 * @group Padding
 */
export class ConstantPad3d extends PadNd {
  static override readonly typeName: string = "ConstantPad3d";
  constructor(padding: PaddingSize, value: number) { super(3, padding, "constant", value); }
}

/**
 * Pads the last dim with its mirror image, the edge not repeated (`c b | a b c d`):
 * `(N, C, W)` or `(C, W)` → `W + left + right`; each amount must be less than `W`.
 *
 * @example
 * ```ts
 * new ReflectionPad1d([2, 1]).forward(tensor([[1, 2, 3]])).toArray(); // → [[3, 2, 1, 2, 3, 2]]
 * ```
 * PyTorch: `torch.nn.ReflectionPad1d`.
 * @group Padding
 */
export class ReflectionPad1d extends PadNd {
  static override readonly typeName: string = "ReflectionPad1d";
  constructor(padding: PaddingSize) { super(1, padding, "reflect"); }
}

/**
 * Reflection padding of the last two dims: `(N, C, H, W)` or `(C, H, W)` → `(…, H + top + bottom, W + left + right)`.
 *
 * @example
 * ```ts
 * new ReflectionPad2d(1).forward(tensor([[[1, 2], [3, 4]]])).toArray(); // → [[[4, 3, 4, 3], [2, 1, 2, 1], [4, 3, 4, 3], [2, 1, 2, 1]]]
 * ```
 * PyTorch: `torch.nn.ReflectionPad2d`.
 * @group Padding
 */
export class ReflectionPad2d extends PadNd {
  static override readonly typeName: string = "ReflectionPad2d";
  constructor(padding: PaddingSize) { super(2, padding, "reflect"); }
}

/**
 * Reflection padding of the last three dims: `(N, C, D, H, W)` or `(C, D, H, W)`.
 *
 * @example
 * ```ts
 * new ReflectionPad3d(1).forward(ones([1, 2, 2, 2])).shape; // → [1, 4, 4, 4]
 * ```
 * PyTorch: `torch.nn.ReflectionPad3d`.
 * @group Padding
 */
export class ReflectionPad3d extends PadNd {
  static override readonly typeName: string = "ReflectionPad3d";
  constructor(padding: PaddingSize) { super(3, padding, "reflect"); }
}

/**
 * Pads the last dim by repeating its edge values (`a a | a b c d`): `(N, C, W)` or `(C, W)`.
 *
 * @example
 * ```ts
 * new ReplicationPad1d([2, 1]).forward(tensor([[1, 2, 3]])).toArray(); // → [[1, 1, 1, 2, 3, 3]]
 * ```
 * PyTorch: `torch.nn.ReplicationPad1d`.
 * @group Padding
 */
export class ReplicationPad1d extends PadNd {
  static override readonly typeName: string = "ReplicationPad1d";
  constructor(padding: PaddingSize) { super(1, padding, "replicate"); }
}

/**
 * Replication padding of the last two dims: `(N, C, H, W)` or `(C, H, W)`.
 *
 * @example
 * ```ts
 * new ReplicationPad2d([1, 0, 0, 1]).forward(tensor([[[1, 2]]])).toArray(); // → [[[1, 1, 2], [1, 1, 2]]]
 * ```
 * PyTorch: `torch.nn.ReplicationPad2d`.
 * @group Padding
 */
export class ReplicationPad2d extends PadNd {
  static override readonly typeName: string = "ReplicationPad2d";
  constructor(padding: PaddingSize) { super(2, padding, "replicate"); }
}

/**
 * Replication padding of the last three dims: `(N, C, D, H, W)` or `(C, D, H, W)`.
 *
 * @example
 * ```ts
 * new ReplicationPad3d([1, 1, 0, 0, 0, 0]).forward(ones([1, 1, 1, 1])).shape; // → [1, 1, 1, 3]
 * ```
 * PyTorch: `torch.nn.ReplicationPad3d`.
 * @group Padding
 */
export class ReplicationPad3d extends PadNd {
  static override readonly typeName: string = "ReplicationPad3d";
  constructor(padding: PaddingSize) { super(3, padding, "replicate"); }
}

/**
 * Pads the last dim by wrapping around (`c d | a b c d`): `(N, C, W)` or `(C, W)`; each amount at
 * most `W`.
 *
 * @example
 * ```ts
 * new CircularPad1d([2, 1]).forward(tensor([[1, 2, 3]])).toArray(); // → [[2, 3, 1, 2, 3, 1]]
 * ```
 * PyTorch: `torch.nn.CircularPad1d` (PyTorch ≥ 2.1; `F.pad(x, p, mode="circular")` before).
 * @group Padding
 */
export class CircularPad1d extends PadNd {
  static override readonly typeName: string = "CircularPad1d";
  constructor(padding: PaddingSize) { super(1, padding, "circular"); }
}

/**
 * Circular padding of the last two dims: `(N, C, H, W)` or `(C, H, W)`.
 *
 * @example
 * ```ts
 * new CircularPad2d([1, 0, 1, 0]).forward(tensor([[[1, 2], [3, 4]]])).toArray(); // → [[[4, 3, 4], [2, 1, 2], [4, 3, 4]]]
 * ```
 * PyTorch: `torch.nn.CircularPad2d` (PyTorch ≥ 2.1).
 * @group Padding
 */
export class CircularPad2d extends PadNd {
  static override readonly typeName: string = "CircularPad2d";
  constructor(padding: PaddingSize) { super(2, padding, "circular"); }
}

/**
 * Circular padding of the last three dims: `(N, C, D, H, W)` or `(C, D, H, W)`.
 *
 * @example
 * ```ts
 * new CircularPad3d(1).forward(ones([1, 2, 2, 2])).shape; // → [1, 4, 4, 4]
 * ```
 * PyTorch: `torch.nn.CircularPad3d` (PyTorch ≥ 2.1).
 * @group Padding
 */
export class CircularPad3d extends PadNd {
  static override readonly typeName: string = "CircularPad3d";
  constructor(padding: PaddingSize) { super(3, padding, "circular"); }
}
