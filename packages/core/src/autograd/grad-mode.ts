/** Global grad mode: whether ops record a graph. */
let enabled = true;

/**
 * True when ops on tensors that require grad record a graph (the default).
 *
 * @example
 * ```ts
 * isGradEnabled();                  // true
 * noGrad(() => isGradEnabled());    // false
 * ```
 * @group Autograd
 */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Sets grad mode and returns the previous mode. Prefer {@link noGrad} / {@link enableGrad}. */
export function setGradEnabled(mode: boolean): boolean {
  if (typeof mode !== "boolean") throw new TypeError(`setGradEnabled: mode must be a boolean, got ${typeof mode} ${String(mode)}`);
  const prev = enabled;
  enabled = mode;
  return prev;
}

function withGradMode<T>(op: string, mode: boolean, fn: () => T): T {
  if (typeof fn !== "function") {
    throw new TypeError(`${op}: expected a function to run, got ${fn === null ? "null" : typeof fn} (write ${op}(() => ...))`);
  }
  const prev = setGradEnabled(mode);
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/**
 * Runs `fn` without recording a graph, like `with torch.no_grad():`. Results of ops inside do not
 * require grad, and in-place ops on parameters are allowed (this is how optimizers update weights).
 *
 * @example
 * ```ts
 * const w = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => w.mul(2)); // inference: no graph kept
 * y.requiresGrad; // → false
 * ```
 * @group Autograd
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode("noGrad", false, fn);
}

/**
 * Runs `fn` with graph recording on, even inside {@link noGrad}, like `torch.enable_grad()`.
 *
 * @example
 * ```ts
 * const x = tensor([1, 2], { requiresGrad: true });
 * noGrad(() => enableGrad(() => x.mul(2))).requiresGrad; // → true
 * ```
 * @group Autograd
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode("enableGrad", true, fn);
}
