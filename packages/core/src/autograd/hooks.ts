import type { Tensor } from "../tensor.js";
import { fmtShape, sameShape } from "../shape.js";
import { describeValue } from "../options.js";

/**
 * A gradient hook registered with {@link Tensor.registerHook}: called with the gradient of the
 * tensor during backward; returning a tensor (same shape and dtype) replaces the gradient, returning
 * nothing keeps it. It should not modify `grad` in place.
 *
 * @example
 * ```ts
 * const double: TensorHook = (g) => g.mul(2);
 * const x = tensor([1, 2], { requiresGrad: true });
 * x.registerHook(double);
 * x.sum().backward();
 * x.grad; // → [2, 2]
 * ```
 * @group Autograd
 */
export type TensorHook = (grad: Tensor) => Tensor | null | undefined | void;

let nextHookId = 0;

/**
 * What every `register...Hook` returns, like PyTorch's `torch.utils.hooks.RemovableHandle`:
 * `remove()` unregisters the hook (calling it again does nothing).
 *
 * @example
 * ```ts
 * const x = tensor([1, 2], { requiresGrad: true });
 * const handle = x.registerHook((g) => g.mul(10));
 * handle.remove();
 * x.sum().backward();
 * x.grad; // → [1, 1]
 * ```
 * @group Autograd
 */
export class RemovableHandle {
  /** A number unique to this registration, PyTorch's `handle.id`. */
  readonly id = nextHookId++;

  /**
   * Adds `hook` at the end of `hooks` (or at the front with `prepend`) under a fresh id. Code that
   * keeps its own hook table calls it; users get handles from the `register...Hook` methods.
   */
  constructor(private readonly hooks: Map<number, unknown>, hook: unknown, prepend = false) {
    if (prepend) {
      const rest = [...hooks];
      hooks.clear();
      hooks.set(this.id, hook);
      for (const [id, h] of rest) hooks.set(id, h);
    } else {
      hooks.set(this.id, hook);
    }
  }

  /**
   * Unregisters the hook; a second call does nothing.
   *
   * PyTorch: `torch.utils.hooks.RemovableHandle.remove`.
   *
   * @example
   * ```ts
   * const handle = tensor([1], { requiresGrad: true }).registerHook((g) => g);
   * handle.remove();
   * handle.remove(); // no effect
   * ```
   */
  remove(): void {
    this.hooks.delete(this.id);
  }
}

// Hooks of leaf tensors, kept beside the tensor rather than on every Tensor object; a non-leaf's
// hooks live on its gradFn node, where backward meets its gradient.
const leafHooks = new WeakMap<Tensor, Map<number, TensorHook>>();

/** @internal The hook table of `t`: its node's for a non-leaf, the side table's for a leaf. */
export function tensorHooksOf(t: Tensor, create: true): Map<number, TensorHook>;
export function tensorHooksOf(t: Tensor, create?: false): Map<number, TensorHook> | undefined;
export function tensorHooksOf(t: Tensor, create = false): Map<number, TensorHook> | undefined {
  const node = t.gradFn;
  if (node) {
    if (create) node.tensorHooks ??= new Map();
    return node.tensorHooks ?? undefined;
  }
  let hooks = leafHooks.get(t);
  if (!hooks && create) leafHooks.set(t, (hooks = new Map()));
  return hooks;
}

/**
 * @internal Runs `hooks` in registration order, each on the previous one's result, and checks that
 * a replacement keeps the gradient's shape and dtype (PyTorch: "hook has changed the size of value").
 */
export function runTensorHooks(hooks: Map<number, TensorHook> | null | undefined, grad: Tensor): Tensor {
  if (!hooks || hooks.size === 0) return grad;
  for (const hook of [...hooks.values()]) {
    const out = hook(grad);
    if (out === undefined || out === null) continue;
    if (typeof out !== "object" || typeof (out as Tensor).dtype !== "string") {
      throw new TypeError(`backward: a tensor hook (${hookName(hook)}) must return a Tensor or nothing, got ${describeValue(out)}`);
    }
    if (!sameShape(out.shape, grad.shape)) {
      throw new RangeError(`backward: a tensor hook (${hookName(hook)}) changed the gradient's shape from ${fmtShape(grad.shape)} to ${fmtShape(out.shape)}`);
    }
    if (out.dtype !== grad.dtype) {
      throw new TypeError(`backward: a tensor hook (${hookName(hook)}) changed the gradient's dtype from ${grad.dtype} to ${out.dtype}`);
    }
    grad = out;
  }
  return grad;
}

function hookName(hook: (...a: never[]) => unknown): string {
  return hook.name ? `"${hook.name}"` : "anonymous";
}
