/** Activation checkpointing, PyTorch's `torch.utils.checkpoint.checkpoint`. */
import { Tensor } from "../tensor.js";
import { describeValue } from "../options.js";
import { getDefaultGenerator } from "../random.js";
import { enableGrad, isGradEnabled, noGrad } from "./grad-mode.js";
import { record } from "./node.js";

/**
 * Runs `fn(...inputs)` without keeping its intermediate results for backward, and runs it again
 * during backward to get them: activation checkpointing, like
 * `torch.utils.checkpoint.checkpoint(fn, *inputs)` (its reentrant form). The graph keeps one node
 * holding only `inputs` instead of every activation inside `fn`, trading one more forward pass
 * for memory. Gradients are the same as without checkpointing, for the inputs and for the
 * parameters `fn` uses (they accumulate into their `.grad` when the recomputation is
 * backpropagated). The global generator's state is saved and restored around the recomputation
 * (PyTorch's `preserve_rng_state=True`), so dropout inside `fn` draws the same mask twice.
 *
 * `fn` must return one Tensor. Like PyTorch's reentrant checkpoint it works with `backward()`
 * but not with `grad()` (the recomputation's parameters get `.grad`, not a captured result),
 * nor with `createGraph`.
 *
 * PyTorch: `torch.utils.checkpoint.checkpoint`.
 *
 * @example
 * ```ts
 * const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const x = tensor([[1, 1]], { requiresGrad: true });
 * const block = (h: Tensor) => h.matmul(w).tanh().matmul(w).relu();
 * checkpoint(block, x).sum().backward(); // block runs twice: forward, and again in backward
 * x.grad!.shape; // → [1, 2]
 * w.grad!.shape; // → [2, 2]
 * ```
 * @group Autograd
 */
export function checkpoint(fn: (...inputs: Tensor[]) => Tensor, ...inputs: Tensor[]): Tensor {
  const op = "checkpoint";
  if (typeof fn !== "function") throw new TypeError(`${op}: fn must be a function of tensors, got ${describeValue(fn)}`);
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: input ${i} must be a Tensor, got ${describeValue(t)}`);
  });
  const rngState = getDefaultGenerator().getState();
  const out = noGrad(() => fn(...inputs));
  if (!(out instanceof Tensor)) throw new TypeError(`${op}: fn must return a single Tensor, got ${describeValue(out)}`);
  if (!isGradEnabled()) return out;
  // Leaves cut from the caller's graph, so the recomputation's backward stops at them.
  const rule = (gradOut: Tensor): Array<Tensor | null> => {
    if (isGradEnabled()) throw new Error(`${op}: checkpointed backward with createGraph is not supported (PyTorch's reentrant checkpoint does not support it either)`);
    const leaves = inputs.map((t) => t.detach().requiresGrad_(t.requiresGrad));
    const generator = getDefaultGenerator();
    const stateNow = generator.getState();
    generator.setState(rngState);
    let again: Tensor;
    try {
      again = enableGrad(() => fn(...leaves));
    } finally {
      generator.setState(stateNow);
    }
    if (again.requiresGrad) again.backward(gradOut);
    return leaves.map((l, i) => (inputs[i].requiresGrad ? l.grad : null));
  };
  return record(out.detach(), "CheckpointFunctionBackward", inputs, rule, inputs);
}
