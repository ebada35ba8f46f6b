/**
 * The one hook tracing needs inside core. A tracer (tsgrad/node's `exportOnnx`) sees Tensor
 * methods by wrapping `Tensor.prototype` for the length of a trace; the free functions that are
 * not methods — `cat`, `stack`, `where`, `matmul`, `linear`, `convolution`, `pad`, and the fused ops `elementwiseOp`
 * builds (nn's functional activations, reported under their spec name with `[x, p, q]`) — cannot
 * be wrapped from outside an ES module, so each starts with
 * `if (traceHook !== null) return traceHook("cat", cat, [tensors, dim])`.
 * The hook records the call and runs `fn` with the hook cleared (so it does not see itself).
 * Outside a trace it is null: one comparison per call.
 */

/**
 * A trace hook: called with the function's name, the function itself and its arguments; returns
 * what the function returns (running it with the hook cleared).
 *
 * @example
 * ```ts
 * const log: TraceHook = (name, fn, args) => fn(...args);
 * ```
 * @group Autograd
 */
export type TraceHook = (name: string, fn: (...args: never[]) => unknown, args: unknown[]) => unknown;

/** The active hook, or null outside a trace. Read it through the live import; set it with {@link setTraceHook}. */
export let traceHook: TraceHook | null = null;

/**
 * Installs `hook` (null to remove it) and returns the previous one. For tracers only: while a hook
 * is installed, `cat`, `stack`, `where`, `matmul`, `linear`, `convolution`, `pad` and the ops made by `elementwiseOp`
 * call it instead of running.
 *
 * @example
 * ```ts
 * const names: string[] = [];
 * const previous = setTraceHook((name, fn, args) => {
 *   names.push(name);
 *   const outer = setTraceHook(null);
 *   try { return fn(...(args as never[])); } finally { setTraceHook(outer); }
 * });
 * cat([ones([1]), zeros([1])]).toArray(); // → [1, 0]
 * setTraceHook(previous);
 * names; // → ["cat"]
 * ```
 * @group Autograd
 */
export function setTraceHook(hook: TraceHook | null): TraceHook | null {
  const previous = traceHook;
  traceHook = hook;
  return previous;
}
