/** The `Flatten` layer. */
import { Tensor } from "@tsgrad/core";
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
