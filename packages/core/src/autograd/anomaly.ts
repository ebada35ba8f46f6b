/**
 * Anomaly detection, PyTorch's `torch.autograd.detect_anomaly`: while enabled, every graph node
 * remembers where its op was called (the JS stack) and its inputs' shapes, and backward checks
 * each gradient a node returns, throwing at the first NaN or infinite one with all of that. While
 * disabled, the cost is one boolean test per recorded op and per backward node.
 */
import type { Tensor } from "../tensor.js";
import { fmtShape } from "../shape.js";
import { resolveOptions, optionChecks } from "../options.js";
import type { Node } from "./node.js";

/** @internal Read on the hot paths (record, the backward loop): a property load when off. */
export const anomalyMode = { enabled: false, checkNan: true };

interface Creation {
  readonly inputShapes: readonly (readonly number[])[];
  readonly stack: string;
}
const creations = new WeakMap<Node, Creation>();

// The JS stack of the op's call, without the frames of the Error itself and of this bookkeeping.
function forwardStack(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40; // the op's own frames would use up V8's default of 10
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  const lines = stack.split("\n").slice(1);
  const firstOutside = lines.findIndex((l) => !/autograd[\\/](anomaly|node)\.[tj]s/.test(l));
  return lines.slice(Math.max(firstOutside, 0)).join("\n");
}

/** @internal Called by `record` when anomaly mode is on: remembers the op's call stack and input shapes. */
export function noteForward(node: Node, inputs: readonly Tensor[]): void {
  creations.set(node, { inputShapes: inputs.map((t) => [...t.shape]), stack: forwardStack() });
}

/** @internal Called by the backward loop when anomaly mode is on: throws at the first NaN or ±Inf gradient `node` returned. */
export function checkGradients(node: Node, grads: ReadonlyArray<Tensor | null | undefined>): void {
  if (!anomalyMode.checkNan) return;
  grads.forEach((g, i) => {
    if (!g || (g.dtype !== "float32" && g.dtype !== "float64") || g.isfinite().all().item()) return;
    const kind = g.isnan().any().item() ? "nan" : "inf";
    const created = creations.get(node);
    const where = created
      ? ` (input shapes ${created.inputShapes.map(fmtShape).join(", ")}; gradient ${i} has shape ${fmtShape(g.shape)}).\n` +
        `Traceback of forward call that caused the error:\n${created.stack}`
      : ` (gradient ${i} has shape ${fmtShape(g.shape)}).\n` +
        "No forward pass information available. Enable detect anomaly during forward pass for more information.";
    throw new Error(`detectAnomaly: Function '${node.name}' returned ${kind} values in its ${i}th output${where}`);
  });
}

/**
 * Options of {@link detectAnomaly} and {@link setDetectAnomaly}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `checkNan` | `true` | `check_nan` |
 *
 * @example
 * ```ts
 * setDetectAnomaly(true, { checkNan: false }); // record forward stacks only
 * setDetectAnomaly(false);
 * ```
 * @group Autograd
 */
export interface AnomalyOptions {
  /** Throw when a backward function returns NaN or ±Inf (default true); false only records the forward stacks. */
  checkNan?: boolean;
}

const ANOMALY_CHECKS = { checkNan: optionChecks.boolean };

/**
 * Turns anomaly detection on or off for every later op and backward, like
 * `torch.autograd.set_detect_anomaly(mode)`; returns the previous setting. While on, ops record
 * the stack of their call (slow: use it to debug, not to train), and backward throws an Error
 * at the first node whose backward returns a NaN or infinite gradient, naming the node's
 * `gradFn` name, the op's input shapes and the forward call that created it. PyTorch 1.13 checks
 * NaN only; tsgrad also stops at ±Inf, which turns into NaN a step later.
 *
 * PyTorch: `torch.autograd.set_detect_anomaly`.
 *
 * @example
 * ```ts
 * setDetectAnomaly(true);
 * const x = tensor([-1, 4], { requiresGrad: true });
 * const y = x.sqrt().sum(); // sqrt(-1) = NaN: its gradient is NaN too
 * y.backward();             // throws Error: detectAnomaly: Function 'SqrtBackward0' returned nan values in its 0th output …
 * setDetectAnomaly(false);
 * ```
 * @group Autograd
 */
export function setDetectAnomaly(mode: boolean, options: AnomalyOptions = {}): boolean {
  if (typeof mode !== "boolean") throw new TypeError(`setDetectAnomaly: mode must be a boolean, got ${typeof mode} ${String(mode)}`);
  const { checkNan } = resolveOptions("setDetectAnomaly", options, { checkNan: true }, ANOMALY_CHECKS);
  const prev = anomalyMode.enabled;
  anomalyMode.enabled = mode;
  anomalyMode.checkNan = checkNan;
  return prev;
}

/**
 * True while anomaly detection is on.
 *
 * PyTorch: `torch.is_anomaly_enabled`.
 *
 * @example
 * ```ts
 * isAnomalyEnabled();                              // → false
 * detectAnomaly(() => isAnomalyEnabled());         // → true
 * ```
 * @group Autograd
 */
export function isAnomalyEnabled(): boolean {
  return anomalyMode.enabled;
}

/**
 * Runs `fn` with anomaly detection on (see {@link setDetectAnomaly}), like
 * `with torch.autograd.detect_anomaly():`, and restores the previous setting after; returns
 * what `fn` returns. Put both the forward and the backward inside, so the error can show where
 * the failing op was called.
 *
 * PyTorch: `torch.autograd.detect_anomaly`.
 *
 * @example
 * ```ts
 * const x = tensor([0, 1], { requiresGrad: true });
 * detectAnomaly(() => x.div(x).sum().backward()); // throws Error: detectAnomaly: Function 'DivBackward0' returned inf values in its 0th output (input shapes [2], [2]; …
 * ```
 * @group Autograd
 */
export function detectAnomaly<T>(fn: () => T, options: AnomalyOptions = {}): T {
  if (typeof fn !== "function") throw new TypeError(`detectAnomaly: expected a function to run, got ${fn === null ? "null" : typeof fn} (write detectAnomaly(() => ...))`);
  const { checkNan } = resolveOptions("detectAnomaly", options, { checkNan: true }, ANOMALY_CHECKS);
  const prev = { ...anomalyMode };
  anomalyMode.enabled = true;
  anomalyMode.checkNan = checkNan;
  try {
    return fn();
  } finally {
    Object.assign(anomalyMode, prev);
  }
}
