import type { Tensor } from "../tensor.js";
import { optionChecks, resolveOptions } from "../options.js";

/**
 * Options of {@link zeroGrads}, `Module.zeroGrad` and `Optimizer.zeroGrad`: clear or zero.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `setToNone` | `true` | `set_to_none` |
 *
 * @example
 * ```ts
 * const w = tensor([1, 2], { requiresGrad: true });
 * w.sum().backward();
 * zeroGrads([w], { setToNone: false });
 * w.grad; // → [0, 0]
 * ```
 * @group Autograd
 */
export interface ZeroGradOptions {
  /** Set `.grad` to null (default, as PyTorch 2) instead of filling it with zeros. */
  setToNone?: boolean;
}

/**
 * Clears the gradients of `params`: sets `.grad` to null, or with `setToNone: false` fills the
 * existing gradients with zeros in place (detaching one that carries a graph first). This is what
 * `Module.zeroGrad` and `Optimizer.zeroGrad` do.
 *
 * @example
 * ```ts
 * const w = tensor([1, 2], { requiresGrad: true });
 * w.sum().backward();
 * zeroGrads([w]);
 * w.grad; // → null
 * ```
 * @group Autograd
 */
export function zeroGrads(params: Iterable<Tensor>, options: ZeroGradOptions = {}): void {
  const { setToNone } = resolveOptions("zeroGrads", options, { setToNone: true }, { setToNone: optionChecks.boolean });
  for (const p of params) {
    if (p.grad === null) continue;
    if (setToNone) {
      p.grad = null;
    } else {
      if (p.grad.requiresGrad) p.grad = p.grad.detach();
      p.grad.zero_();
    }
  }
}
