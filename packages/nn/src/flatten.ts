/** The `Flatten` and `Unflatten` layers. */
import { Tensor, describeValue } from "@tsgrad/core";
import { Module } from "./module.js";
import { checkTensor } from "./util.js";

/**
 * Flattens dims `startDim..endDim` into one (PyTorch's defaults keep the batch dim: startDim 1,
 * endDim −1), e.g. `[N, C, H, W]` → `[N, C·H·W]`.
 *
 * @example
 * ```ts
 * new Flatten().forward(zeros([8, 1, 28, 28])).shape; // [8, 784]
 * ```
 * @group Flatten & reshape
 */
export class Flatten extends Module {
  static override readonly typeName: string = "Flatten";
  constructor(
    /** First dim to flatten (default 1, keeping the batch dim). */
    readonly startDim = 1,
    /** Last dim to flatten, inclusive (default −1). */
    readonly endDim = -1,
  ) {
    super();
  }

  /** `x.flatten(startDim, endDim)`. */
  forward(x: Tensor): Tensor {
    checkTensor("Flatten", x);
    return x.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/**
 * Unflattens dim `dim` into the shape `unflattenedSize` (one entry may be −1, inferred), the
 * inverse of {@link Flatten}: `(N, C·H·W)` with `Unflatten(1, [C, H, W])` → `(N, C, H, W)`.
 * Negative `dim` counts from the end. A view where the input allows (core's `unflatten`).
 *
 * @example
 * ```ts
 * new Unflatten(1, [2, 5, 5]).forward(zeros([8, 50])).shape; // → [8, 2, 5, 5]
 * new Unflatten(-1, [-1, 4]).forward(zeros([3, 8])).shape;   // → [3, 2, 4]
 * ```
 * PyTorch: `torch.nn.Unflatten` (integer sizes; named-tensor sizes are left out).
 * @group Flatten & reshape
 */
export class Unflatten extends Module {
  static override readonly typeName: string = "Unflatten";
  /** The sizes that dim `dim` splits into. */
  readonly unflattenedSize: readonly number[];

  constructor(
    /** The dim to unflatten. */
    readonly dim: number,
    unflattenedSize: readonly number[],
  ) {
    super();
    if (!Number.isSafeInteger(dim)) throw new TypeError(`Unflatten: dim must be an integer, got ${describeValue(dim)}`);
    if (!Array.isArray(unflattenedSize) || unflattenedSize.length === 0 || unflattenedSize.some((s) => !Number.isSafeInteger(s) || s < -1)) {
      throw new TypeError(`Unflatten: unflattenedSize must be a non-empty array of sizes (integers >= 0, or one -1), got ${Array.isArray(unflattenedSize) ? `[${unflattenedSize.join(", ")}]` : describeValue(unflattenedSize)}`);
    }
    this.unflattenedSize = [...unflattenedSize];
  }

  /** `x.unflatten(dim, unflattenedSize)`. */
  forward(x: Tensor): Tensor {
    checkTensor("Unflatten", x);
    try {
      return x.unflatten(this.dim, this.unflattenedSize);
    } catch (e) {
      if (e instanceof RangeError) throw new RangeError(`Unflatten: ${e.message}`);
      throw e;
    }
  }

  override extraRepr(): string {
    const s = this.unflattenedSize;
    return `dim=${this.dim}, unflattenedSize=(${s.join(", ")}${s.length === 1 ? "," : ""})`;
  }
}
