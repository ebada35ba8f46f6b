/**
 * Module hooks, PyTorch's `_call_impl`: forward pre-hooks, forward hooks, and the full backward
 * (pre-)hooks, which see the gradients of a module's inputs and outputs. Registering a hook gives
 * the module an own `forward` that runs the hooks around the class's `forward`; a module without
 * hooks runs its `forward` untouched.
 *
 * The backward hooks use PyTorch's `BackwardHookFunction`: the tensor inputs and outputs of the
 * call are replaced by aliases whose gradients are gathered, over one backward pass, by one
 * graph node, so the hooks run once per pass with all of them.
 */
import { Node, Tensor, describeValue, isGradEnabled, typeNameOf, zerosLike } from "@tsgrad/core";
import type { Module } from "./module.js";

/**
 * A hook run before `forward` ({@link Module.registerForwardPreHook}) with the module and its
 * arguments. Returning an array replaces the arguments; returning another value replaces them by
 * that one value; returning nothing keeps them.
 *
 * @example
 * ```ts
 * const halve: ForwardPreHook = (_module, [x]) => (x as Tensor).mul(0.5);
 * const relu = new ReLU();
 * relu.registerForwardPreHook(halve);
 * relu.forward(tensor([2, -2])); // → [1, 0]
 * ```
 * @group Containers
 */
export type ForwardPreHook<M extends Module = Module> = (module: M, args: unknown[]) => unknown;

/**
 * A hook run after `forward` ({@link Module.registerForwardHook}) with the module, its arguments
 * and its output. Returning a value replaces the output; returning nothing keeps it.
 *
 * @example
 * ```ts
 * const shapes: number[][] = [];
 * const record: ForwardHook = (_module, _args, output) => void shapes.push([...(output as Tensor).shape]);
 * const fc = new Linear(3, 2);
 * fc.registerForwardHook(record);
 * fc.forward(ones([4, 3]));
 * shapes; // → [[4, 2]]
 * ```
 * @group Containers
 */
export type ForwardHook<M extends Module = Module> = (module: M, args: unknown[], output: unknown) => unknown;

/**
 * A hook run during backward ({@link Module.registerFullBackwardHook}) once the gradients of the
 * module's inputs are computed: `gradInput` has one entry per forward argument (null for a
 * non-tensor; zeros for a tensor that needs no gradient or got none, as PyTorch), `gradOutput` one
 * per output (null for an output that got no gradient). Returning an array of the same length
 * replaces `gradInput`.
 *
 * @example
 * ```ts
 * const clip: FullBackwardHook = (_module, gradInput) => gradInput.map((g) => g && g.clamp(-1, 1));
 * const fc = new Linear(2, 2);
 * fc.registerFullBackwardHook(clip);
 * ```
 * @group Containers
 */
export type FullBackwardHook<M extends Module = Module> = (
  module: M,
  gradInput: Array<Tensor | null>,
  gradOutput: Array<Tensor | null>,
) => ReadonlyArray<Tensor | null> | null | undefined | void;

/**
 * A hook run during backward ({@link Module.registerFullBackwardPreHook}) when the gradients of
 * the module's outputs are known, before they flow into the module: `gradOutput` has one entry
 * per output. Returning an array of the same length replaces `gradOutput`.
 *
 * @example
 * ```ts
 * const scale: FullBackwardPreHook = (_module, gradOutput) => gradOutput.map((g) => g && g.mul(0.1));
 * new Tanh().registerFullBackwardPreHook(scale);
 * ```
 * @group Containers
 */
export type FullBackwardPreHook<M extends Module = Module> = (
  module: M,
  gradOutput: Array<Tensor | null>,
) => ReadonlyArray<Tensor | null> | null | undefined | void;

/**
 * Options of the `register...Hook` methods of {@link Module}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `prepend` | `false` | `prepend` (PyTorch 2) |
 *
 * @example
 * ```ts
 * const m = new Identity();
 * const order: string[] = [];
 * m.registerForwardHook(() => void order.push("first"));
 * m.registerForwardHook(() => void order.push("before it"), { prepend: true });
 * m.forward(ones([1]));
 * order; // → ["before it", "first"]
 * ```
 * @group Containers
 */
export interface HookOptions {
  /** Run this hook before the ones already registered (default false: after them). */
  prepend?: boolean;
}

/** @internal The hook tables of one module, by handle id, in call order. */
export interface ModuleHooks {
  forwardPre: Map<number, ForwardPreHook>;
  forward: Map<number, ForwardHook>;
  backwardPre: Map<number, FullBackwardPreHook>;
  backward: Map<number, FullBackwardHook>;
}

type Grads = Array<Tensor | null>;
// What a gathered alias hands its join node: the engine only needs some gradient to run it.
const TOKEN = new Tensor(new Float32Array(1), [], "float32");

/**
 * Identity aliases of `values` (other values pass unchanged) whose gradients, gathered over one
 * backward pass, go through `onGrads` once; what it returns flows on into the originals.
 * Returns null when no tensor among `values` requires grad (then nothing is hooked).
 */
function gather(values: readonly unknown[], onGrads: (grads: Grads) => Grads): unknown[] | null {
  const positions = values.flatMap((v, i) => (v instanceof Tensor && v.requiresGrad ? [i] : []));
  if (positions.length === 0) return null;
  const originals = positions.map((i) => values[i] as Tensor);
  const slots: Grads = originals.map(() => null);
  const join = new Node("BackwardHookFunctionBackward", originals.map((t) => t.gradFn ?? t), () => {
    const grads = onGrads(slots.slice());
    slots.fill(null);
    return grads;
  });
  const out = [...values];
  originals.forEach((t, k) => {
    const alias = new Tensor(t.data, t.shape, t.dtype, t.strides, t.offset);
    alias._setGradFn(new Node("BackwardHookFunctionBackward", [join], (g) => {
      slots[k] = g;
      return [TOKEN];
    }));
    out[positions[k]] = alias;
  });
  return out;
}

/**
 * Puts the gradients of the hooked tensors at their positions, null for non-tensors. With
 * `materialize` (the inputs' side, as PyTorch's BackwardHookFunction) a tensor that got no
 * gradient, or needs none, gets zeros; otherwise null.
 */
function spread(grads: Grads, values: readonly unknown[], materialize: boolean): Grads {
  let k = 0;
  return values.map((v) => {
    if (!(v instanceof Tensor)) return null;
    const g = v.requiresGrad ? grads[k++] : null;
    return g ?? (materialize ? zerosLike(v) : null);
  });
}

/** The inverse of spread, checking what a hook returned against the values it stands for. */
function collect(op: string, module: Module, grads: ReadonlyArray<Tensor | null>, values: readonly unknown[]): Grads {
  const out: Grads = [];
  values.forEach((v, i) => {
    if (!(v instanceof Tensor && v.requiresGrad)) return;
    const g = grads[i];
    if (g != null && !(g instanceof Tensor)) throw new TypeError(`${typeNameOf(module)}: ${op} returned ${describeValue(g)} at position ${i}, expected a Tensor or null`);
    if (g && (g.shape.length !== v.shape.length || g.shape.some((d, j) => d !== v.shape[j]))) {
      throw new RangeError(`${typeNameOf(module)}: ${op} returned a gradient of shape [${g.shape.join(", ")}] at position ${i}, expected [${v.shape.join(", ")}]`);
    }
    out.push(g ?? null);
  });
  return out;
}

function runGradHooks<H extends (module: Module, grads: Grads, ...rest: Grads[]) => unknown>(
  op: string, module: Module, hooks: readonly H[], grads: Grads, ...rest: Grads[]
): Grads {
  for (const hook of hooks) {
    const out = hook(module, grads, ...rest);
    if (out === undefined || out === null) continue;
    if (!Array.isArray(out) || out.length !== grads.length) {
      throw new RangeError(`${typeNameOf(module)}: ${op} returned ${describeValue(out)}, expected an array of ${grads.length} gradients (or nothing)`);
    }
    grads = out as Grads;
  }
  return grads;
}

/**
 * Gives `module` an own, non-enumerable `forward` (invisible to the field walk) that runs `hooks`
 * around the forward it has now (its class's). A module gets it with its first hook, and a deep
 * copy that carries its original's hooks over (the Transformer stacks' clones) gets it too.
 */
export function installHooks(module: Module, hooks: ModuleHooks): void {
  const plain = module.forward as (...args: unknown[]) => unknown;
  Object.defineProperty(module, "forward", {
    configurable: true,
    writable: true,
    enumerable: false,
    value: (...args: unknown[]) => callWithHooks(module, plain, hooks, args),
  });
}

/**
 * Runs `forward` (the class's) on `args` with the module's hooks around it, in PyTorch's order:
 * forward pre-hooks, the backward hooks' input aliases, forward, forward hooks, output aliases.
 */
export function callWithHooks(module: Module, forward: (...args: unknown[]) => unknown, hooks: ModuleHooks, args: unknown[]): unknown {
  for (const hook of [...hooks.forwardPre.values()]) {
    const out = hook(module, args);
    if (out !== undefined && out !== null) args = Array.isArray(out) ? out : [out];
  }
  const backwardHooks = [...hooks.backward.values()];
  const backwardPreHooks = [...hooks.backwardPre.values()];
  const hookBackward = (backwardHooks.length > 0 || backwardPreHooks.length > 0) && isGradEnabled();
  // Set when the output gradients arrive and cleared when the input hook has used them, so a
  // gradient reaching the inputs without passing the outputs (double backward) runs no hook.
  let gradOutput: Grads | null = null;
  let inputsHooked = false;
  if (hookBackward) {
    const inputs = args;
    const wrapped = gather(inputs, (grads) => {
      if (gradOutput === null || backwardHooks.length === 0) return grads;
      const gradInput = runGradHooks("a full backward hook", module, backwardHooks, spread(grads, inputs, true), gradOutput);
      gradOutput = null;
      return collect("a full backward hook", module, gradInput, inputs);
    });
    if (wrapped) {
      args = wrapped;
      inputsHooked = true;
    }
  }
  let result = forward.apply(module, args);
  for (const hook of [...hooks.forward.values()]) {
    const out = hook(module, args, result);
    if (out !== undefined && out !== null) result = out;
  }
  if (!hookBackward) return result;
  const outputs = Array.isArray(result) ? result : [result];
  const wrapped = gather(outputs, (grads) => {
    let gradOut = runGradHooks("a full backward pre-hook", module, backwardPreHooks, spread(grads, outputs, false));
    if (inputsHooked) {
      gradOutput = gradOut;
    } else {
      // No input needs a gradient: PyTorch calls the hooks here, with nulls for every input.
      const none: Grads = args.map(() => null);
      for (const hook of backwardHooks) {
        const out = hook(module, none, gradOut);
        if (out != null && !(Array.isArray(out) && out.every((g) => g == null))) {
          throw new Error(`${typeNameOf(module)}: a full backward hook of a module where no input requires grad must return nothing (or only nulls)`);
        }
      }
    }
    gradOut = collect("a full backward pre-hook", module, gradOut, outputs);
    return gradOut;
  });
  if (!wrapped) return result;
  return Array.isArray(result) ? wrapped : wrapped[0];
}
