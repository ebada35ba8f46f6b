/**
 * An optimizer's state dict in PyTorch's own layout, so that state moves between tsgrad and
 * `torch.optim` in both directions: PyTorch's `optimizer.state_dict()` (read from a `.pt` file by
 * `loadTorch`) loads into the matching tsgrad optimizer, and tsgrad's saves (with `saveTorch`) into
 * a file PyTorch's `optimizer.load_state_dict(torch.load(path))` takes.
 *
 * The two layouts hold the same things under different spellings: tsgrad's `paramGroups` and
 * camelCase names (`weightDecay`, `expAvgSq`, `initialLr`) are PyTorch's `param_groups` and
 * snake_case names (`weight_decay`, `exp_avg_sq`, `initial_lr`), one for one. Beyond the spelling:
 * - PyTorch leaves out a buffer an option does not use (`max_exp_avg_sq` without `amsgrad`), where
 *   tsgrad keeps it as null; PyTorch 1.12+ keeps `step` as a 0-d tensor, tsgrad as a number.
 * - PyTorch's groups also hold options about how a step runs, not what it computes (`foreach`,
 *   `capturable`, `differentiable`, `fused`): they are dropped on the way in, and PyTorch's
 *   `load_state_dict` fills in its defaults for them on the way out.
 */
import { Tensor, describeValue } from "@tsgrad/core";

/**
 * An optimizer's state dict in PyTorch's layout, as `torch.optim.Optimizer.state_dict()` returns
 * it: per-parameter state under snake_case names keyed by parameter index, and `param_groups`
 * whose `params` are index lists. What `Optimizer.stateDict({ layout: "pytorch" })` returns and
 * `Optimizer.loadStateDict` also takes.
 *
 * @example
 * ```ts
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new Adam([w], { lr: 0.1 });
 * w.square().sum().backward();
 * opt.step();
 * const sd = opt.stateDict({ layout: "pytorch" });
 * Object.keys(sd.state[0]);           // → ["step", "exp_avg", "exp_avg_sq"]
 * sd.param_groups[0].weight_decay;    // → 0
 * ```
 */
export interface TorchOptimizerStateDict {
  /** Per-parameter state (`step`, `exp_avg`, `momentum_buffer`, ...), keyed by parameter index. */
  state: Record<number, Record<string, unknown>>;
  /** The groups' options under PyTorch's names, with `params` as lists of parameter indices. */
  param_groups: Array<Record<string, unknown> & { params: number[] }>;
}

/** PyTorch's group options about how a step runs (not what it computes), which tsgrad has no use for. */
const RUNTIME_OPTIONS: readonly string[] = ["foreach", "capturable", "differentiable", "fused"];

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Tensor);
}

/** An object with `rename`d keys, as own properties (a "__proto__" key stays data). */
function renamed(object: Record<string, unknown>, rename: (key: string) => string, value: (key: string, v: unknown) => unknown = (_, v) => v, skip: (key: string, v: unknown) => boolean = () => false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(object)) {
    if (skip(key, v)) continue;
    Object.defineProperty(out, rename(key), { value: value(key, v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Whether `stateDict` is in PyTorch's layout (`param_groups`) rather than tsgrad's (`paramGroups`). */
export function isTorchLayout(stateDict: unknown): stateDict is TorchOptimizerStateDict {
  return isRecord(stateDict) && Object.hasOwn(stateDict, "param_groups") && !Object.hasOwn(stateDict, "paramGroups");
}

/** tsgrad's state dict (`stateDict()`'s copies) in PyTorch's layout. */
export function toTorchLayout(state: Record<number, object>, paramGroups: readonly object[]): TorchOptimizerStateDict {
  return {
    state: Object.fromEntries(Object.entries(state).map(([i, s]) => [i, renamed(s as Record<string, unknown>, snake, undefined, (_, v) => v === null || v === undefined)])),
    param_groups: paramGroups.map((g) => renamed(g as Record<string, unknown>, snake) as TorchOptimizerStateDict["param_groups"][number]),
  };
}

/**
 * PyTorch's layout in tsgrad's names, for `op` (`Adam.loadStateDict`): groups without PyTorch's
 * runtime options, state fields renamed; `step` and the buffers left out stay for the optimizer's
 * checks to fill in ({@link fillTorchState}).
 */
export function fromTorchLayout(op: string, stateDict: TorchOptimizerStateDict): { state: Record<string, unknown>; paramGroups: unknown[] } {
  const { state, param_groups: groups } = stateDict;
  if (!Array.isArray(groups) || !isRecord(state)) {
    throw new TypeError(`${op}: a PyTorch optimizer state dict has a "state" dict and a "param_groups" list, got ${describeValue(state)} and ${describeValue(groups)}`);
  }
  const paramGroups = groups.map((g, i) => {
    if (!isRecord(g)) throw new TypeError(`${op}: PyTorch's param_groups[${i}] must be a dict, got ${describeValue(g)}`);
    return renamed(g, camel, undefined, (key) => RUNTIME_OPTIONS.includes(key));
  });
  const renamedState = renamed(state, (k) => k, (key, s) => {
    if (!isRecord(s)) throw new TypeError(`${op}: the state of parameter ${key} must be a dict, got ${describeValue(s)}`);
    return renamed(s, camel);
  });
  return { state: renamedState, paramGroups };
}

/**
 * One parameter's state from PyTorch's layout, completed against `fresh` (the optimizer's state
 * before a first step): a buffer PyTorch left out, where `fresh` has null, is null; a 0-d tensor
 * where `fresh` has a number (`step`) is that number, which must be a whole number of steps.
 */
export function fillTorchState(op: string, saved: Record<string, unknown>, fresh: Record<string, unknown>, key: string): Record<string, unknown> {
  const out = { ...saved };
  for (const [name, expected] of Object.entries(fresh)) {
    const value = Object.hasOwn(saved, name) ? saved[name] : undefined;
    if (value === undefined && expected === null) out[name] = null;
    if (value instanceof Tensor && typeof expected === "number") {
      if (value.numel() !== 1) throw new RangeError(`${op}: ${snake(name)} of parameter ${key} must be a number or a one-element tensor, got a tensor of shape [${value.shape.join(", ")}]`);
      out[name] = value.item();
    }
  }
  return out;
}
