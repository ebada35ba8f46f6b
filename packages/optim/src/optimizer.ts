/**
 * The `Optimizer` base class, like `torch.optim.Optimizer`: it resolves and validates options,
 * keeps parameter groups and per-parameter state, and saves/restores both. The algorithms
 * (sgd.ts, adam.ts, ...) add only their option checks, their state layout and a call to a pure
 * update function that works in place on typed arrays.
 */
import {
  Tensor, describeValue as describe, enableGrad, isFloatingPoint, optionChecks, resolveOptions, tensor, zeros, full, zeroGrads,
  typeNameOf, inspectCustom,
  type ZeroGradOptions,
} from "@tsgrad/core";
import { fillTorchState, fromTorchLayout, isTorchLayout, toTorchLayout, type TorchOptimizerStateDict } from "./torch-state.js";

const ZERO_GRAD_DEFAULTS = { setToNone: true };
const ZERO_GRAD_CHECKS = { setToNone: optionChecks.boolean };

/** The typed arrays a floating-point tensor is stored in (what the update functions work on). */
export type FloatArray = Float32Array | Float64Array;

/**
 * The option every optimizer has: the learning rate `lr` (PyTorch `lr`), which each parameter
 * group holds and LR schedulers change. The algorithms' options extend it ({@link SGDOptions},
 * {@link AdamOptions}, ...).
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * for (const group of opt.paramGroups) group.lr *= 0.5; // what a scheduler does
 * opt.paramGroups[0].lr; // → 0.05
 * ```
 */
export interface OptimizerOptions {
  /** Learning rate. */
  lr: number;
}

/**
 * A parameter group as stored in {@link Optimizer.paramGroups}: its parameters and every option,
 * resolved against the optimizer's defaults. Options may be changed between steps (this is how
 * LR schedulers set `lr`).
 */
export type ParamGroup<O extends OptimizerOptions = OptimizerOptions> = O & {
  /** The parameters this group's options apply to. */
  params: Tensor[];
  /** The group's lr when the first LR scheduler was attached (PyTorch's `initial_lr`). */
  initialLr?: number;
};

/** A parameter group as given to an optimizer: parameters plus options that override the defaults. */
export type ParamGroupInput<O extends OptimizerOptions = OptimizerOptions> = Partial<O> & {
  /** The parameters (a single tensor or an ordered collection). */
  params: Tensor | Iterable<Tensor>;
  /** The lr when the first LR scheduler was attached (PyTorch's `initial_lr`), as in {@link ParamGroup}. */
  initialLr?: number;
};

/** What an optimizer optimizes: parameters (one group) or a list of parameter groups. */
export type Params<O extends OptimizerOptions = OptimizerOptions> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/**
 * One parameter's optimizer state: step counts and buffers shaped like the parameter (and, for
 * LBFGS, lists of them: its history).
 */
export type ParamState = { [key: string]: number | Tensor | null | undefined | Array<number | Tensor> };

/**
 * An optimizer's saved state, as returned by {@link Optimizer.stateDict} and taken by
 * {@link Optimizer.loadStateDict} (PyTorch's `state_dict()` with `state` and `param_groups`).
 * Parameters are referred to by their index in the order of the groups' `params` (like PyTorch),
 * and the buffers are copies, so the dict does not change when training goes on.
 *
 * @example
 * ```ts
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
 * w.square().sum().backward();
 * opt.step();
 * const sd = opt.stateDict();
 * sd.paramGroups[0].params;   // → [0]
 * sd.paramGroups[0].momentum; // → 0.9
 * sd.state[0].momentumBuffer; // → [2, 4]
 * ```
 */
export interface OptimizerStateDict<O extends OptimizerOptions = OptimizerOptions> {
  /** Per-parameter state, keyed by parameter index. */
  state: Record<number, ParamState>;
  /** The groups' options, with `params` as lists of parameter indices. */
  paramGroups: Array<O & { params: number[]; initialLr?: number }>;
}

/**
 * Base class of the optimizers, like `torch.optim.Optimizer`.
 *
 * It resolves options (the constructor's options override the algorithm's defaults; a group's
 * options override those), validates them, and keeps `paramGroups` and per-parameter `state`.
 * `step()` visits every parameter that has a gradient and hands its data, its gradient and its
 * state to the algorithm's update function, which writes the new values in place (no graph is
 * recorded). Parameters whose `.grad` is null are skipped, and their state does not advance.
 *
 * To write a new optimizer, extend this class and implement `validate` (throw on bad options),
 * `initState` (a parameter's state before its first step) and `updateParam` (the update). Error
 * messages name the optimizer by its class name (override the `name` getter to change it).
 *
 * @example
 * ```ts
 * const first = new nn.Linear(2, 4);
 * const second = new nn.Linear(4, 1);
 * const opt = new SGD([
 *   { params: first.parameters() },                // uses the defaults below
 *   { params: second.parameters(), lr: 0.01 },     // overrides lr
 * ], { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad();
 * const loss = second.forward(first.forward(randn([8, 2]))).square().mean();
 * loss.backward();
 * opt.step();
 * opt.paramGroups.map((g) => g.lr); // [0.1, 0.01]
 * ```
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions, S extends ParamState = ParamState> {
  /** The resolved default options that groups fall back on. */
  readonly defaults: Readonly<O>;
  /** The parameter groups, each with its resolved options (mutable: schedulers change `lr`). */
  paramGroups: Array<ParamGroup<O>> = [];
  /** Per-parameter state, created on a parameter's first step. */
  state = new Map<Tensor, S>();
  /**
   * How many times `step()` has run since an LR scheduler was last attached (PyTorch's
   * `_step_count`): a scheduler that steps before its optimizer has warns, as PyTorch's does.
   */
  stepCount = 0;

  /**
   * The name error messages use for this class (e.g. `"SGD"`), read from the class itself, not
   * inherited; a subclass without its own is named by `constructor.name` (see `typeNameOf`).
   */
  declare static readonly typeName?: string;

  /** The optimizer's name in error messages, e.g. "SGD" (its class's `typeName` unless overridden). */
  protected get name(): string {
    return typeNameOf(this);
  }

  /**
   * Builds the parameter groups: `params` is one list of parameters (one group) or a list of
   * groups, each `{ params, ...options }`; a group's options override `options`, which override the
   * algorithm's `defaults`. Every option is validated here. Subclasses call it as
   * `super(params, DEFAULTS, options)`.
   *
   * @param params The parameters, or parameter groups (objects with `params` and option overrides).
   * @param defaults Every option's default value for this algorithm.
   * @param options The user's options, overriding `defaults`.
   */
  constructor(params: Params<O>, defaults: O, options: Partial<O> = {}) {
    // initialLr is a group's, set by the schedulers (or a group given with it), never a default.
    this.defaults = this.resolveOptions(defaults, options, this.name, false);
    // A model passed where its parameters belong (Sequential is iterable, so it would get further).
    if (params !== null && typeof params === "object" && typeof (params as { parameters?: unknown }).parameters === "function") {
      throw new TypeError(`${this.name}: got a module (${describe(params)}), not its parameters; pass model.parameters()`);
    }
    if (params instanceof Tensor || params === null || typeof params !== "object" || !(Symbol.iterator in params)) {
      throw new TypeError(
        `${this.name}: params must be an array of Tensors or of parameter groups, got ${params instanceof Tensor ? "a single Tensor (wrap it in an array)" : describe(params)}`,
      );
    }
    const list = [...(params as Iterable<Tensor | ParamGroupInput<O>>)];
    if (list.length === 0) throw new RangeError(`${this.name}: got an empty parameter list`);
    const groups = list[0] instanceof Tensor ? [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>] : (list as ParamGroupInput<O>[]);
    for (const group of groups) this.addParamGroup(group);
  }

  /** Throws a RangeError/TypeError naming the option when `options` are invalid for this algorithm. */
  protected abstract validate(options: O): void;

  /**
   * The state of `param` before its first update. Its fields are the state's layout:
   * `loadStateDict` accepts exactly these fields, each of the same kind (a field that starts as
   * null, like a lazily created buffer, may hold a buffer).
   */
  protected abstract initState(param: Tensor, group: ParamGroup<O>): S;

  /** Updates `param`'s data in place from `grad` (its elements, same length), advancing `state`. */
  protected abstract updateParam(param: Tensor, grad: FloatArray, state: S, group: ParamGroup<O>): void;

  /**
   * Adds a parameter group, e.g. to start training layers that were frozen. Its options override
   * the optimizer's defaults. Every parameter must be a contiguous floating-point leaf tensor that
   * requires grad and is not already in a group.
   *
   * PyTorch: `torch.optim.Optimizer.add_param_group`.
   *
   * @example
   * ```ts
   * const backbone = new nn.Linear(2, 4), head = new nn.Linear(4, 1);
   * const opt = new SGD(head.parameters(), { lr: 0.1 });
   * opt.addParamGroup({ params: backbone.parameters(), lr: 0.01 }); // fine-tune it more slowly
   * opt.paramGroups.map((g) => g.lr); // → [0.1, 0.01]
   * ```
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (group === null || typeof group !== "object" || !("params" in group)) {
      throw new TypeError(`${this.name}: a parameter group must be an object with a params field, got ${describe(group)}`);
    }
    const params = this.checkParams(group.params);
    const { params: _params, ...options } = group;
    const resolved = this.resolveOptions(this.defaults, options as Partial<O>, `${this.name}: parameter group ${this.paramGroups.length}`);
    this.paramGroups.push({ ...resolved, params } as ParamGroup<O>);
  }

  /**
   * The groups and their options like PyTorch's print of an optimizer (options sorted by name):
   * ```text
   * SGD (
   * Parameter Group 0
   *     lr: 0.1
   *     momentum: 0.9
   * )
   * ```
   */
  toString(): string {
    const groups = this.paramGroups.map((group, i) => {
      const options = Object.keys(group).filter((key) => key !== "params").sort();
      const values = group as unknown as Record<string, unknown>;
      return [`Parameter Group ${i}`, ...options.map((key) => `    ${key}: ${formatOptionValue(values[key])}`)].join("\n");
    });
    return `${this.name} (\n${groups.join("\n\n")}\n)`;
  }

  /** What `console.log` prints: `toString()`. */
  [inspectCustom](): string {
    return this.toString();
  }

  /**
   * Clears the gradients of every parameter: sets `.grad` to null (the default, like PyTorch 2)
   * or, with `setToNone: false`, fills them with zeros.
   *
   * PyTorch: `torch.optim.Optimizer.zero_grad`.
   *
   * @example
   * ```ts
   * const w = tensor([1, 2], { requiresGrad: true });
   * const opt = new SGD([w], { lr: 0.1 });
   * w.sum().backward();
   * opt.zeroGrad({ setToNone: false });
   * w.grad; // → [0, 0]
   * opt.zeroGrad();
   * w.grad; // → null
   * ```
   */
  zeroGrad(options: ZeroGradOptions = {}): void {
    const resolved = resolveOptions(`${this.name}.zeroGrad`, options, ZERO_GRAD_DEFAULTS, ZERO_GRAD_CHECKS);
    for (const group of this.paramGroups) zeroGrads(group.params, resolved);
  }

  /**
   * Performs one optimization step on every parameter that has a gradient.
   *
   * @param closure Optional: re-evaluates the model and returns the loss (run with grad enabled).
   * @returns What `closure` returned, or undefined without one.
   *
   * PyTorch: `torch.optim.Optimizer.step`.
   *
   * @example
   * ```ts
   * const w = tensor([1, 2], { requiresGrad: true });
   * const opt = new SGD([w], { lr: 0.1 });
   * w.square().sum().backward(); // grad 2w = [2, 4]
   * opt.step();
   * w; // → [0.8, 1.6]
   * const loss = opt.step(() => {
   *   opt.zeroGrad();
   *   const l = w.square().sum();
   *   l.backward();
   *   return l;
   * });
   * loss!.item(); // ≈ 3.2 (the loss before this step)
   * w;            // → [0.64, 1.28]
   * ```
   */
  step<L>(closure?: () => L): L | undefined {
    if (closure !== undefined && typeof closure !== "function") {
      throw new TypeError(`${this.name}.step: closure must be a function that re-evaluates the loss, got ${describe(closure)}`);
    }
    const loss = closure ? enableGrad(closure) : undefined;
    this.stepCount += 1;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        let state = this.state.get(p);
        if (state === undefined) {
          state = this.initState(p, group);
          this.state.set(p, state);
        }
        this.updateParam(p, this.gradData(p), state, group);
        // The update wrote p.data directly: graphs that saved the old values must not reuse them.
        p.markModified();
      }
    }
    return loss;
  }

  /**
   * The optimizer's state: per-parameter state keyed by parameter index (copies of the buffers)
   * and the groups' options with `params` as index lists, like PyTorch's `state_dict()`.
   * See {@link OptimizerStateDict}. With `{ layout: "pytorch" }`, the same state in PyTorch's own
   * layout and names ({@link TorchOptimizerStateDict}: `param_groups`, `weight_decay`, `exp_avg`,
   * buffers an option does not use left out), which `saveTorch` writes to a `.pt` file that
   * PyTorch's `optimizer.load_state_dict(torch.load(path))` takes.
   *
   * PyTorch: `torch.optim.Optimizer.state_dict`.
   *
   * @example
   * ```ts
   * const model = new nn.Linear(2, 1);
   * const opt = new Adam(model.parameters(), { lr: 0.01 });
   * model.forward(ones([1, 2])).sum().backward();
   * opt.step();
   * const sd = opt.stateDict();
   * Object.keys(sd.state);  // → ["0", "1"]
   * sd.state[0].step;       // → 1
   * sd.paramGroups[0].lr;   // → 0.01
   * opt.stateDict({ layout: "pytorch" }).param_groups[0].weight_decay; // → 0
   * ```
   */
  stateDict(options?: { layout?: "tsgrad" }): OptimizerStateDict<O>;
  stateDict(options: { layout: "pytorch" }): TorchOptimizerStateDict;
  stateDict(options: { layout?: "tsgrad" | "pytorch" } = {}): OptimizerStateDict<O> | TorchOptimizerStateDict {
    const { layout } = resolveOptions(`${this.name}.stateDict`, options, { layout: "tsgrad" as "tsgrad" | "pytorch" }, { layout: optionChecks.oneOf(["tsgrad", "pytorch"]) });
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => {
      const { params, ...options } = group;
      const ids = params.map((p) => {
        if (!index.has(p)) index.set(p, index.size);
        return index.get(p)!;
      });
      return { ...(copyValue(options) as O), params: ids };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = copyState(s);
    }
    return layout === "pytorch" ? toTorchLayout(state, paramGroups) : { state, paramGroups };
  }

  /**
   * Restores a state saved by {@link Optimizer.stateDict} (from this optimizer or one built the same way over
   * other parameters). The groups must have the same sizes; buffers are copied and cast to their
   * parameter's dtype. Continuing from a loaded state gives the same trajectory as never stopping.
   * The dict may come from an untrusted file: it is checked before anything changes (parameter
   * indices, each state's fields against a fresh state's, the buffers' sizes), and its keys are
   * data, so `__proto__` or `constructor` is an unknown field like any other.
   *
   * It also takes PyTorch's layout ({@link TorchOptimizerStateDict}, told apart by its
   * `param_groups`), such as `loadTorch("optimizer.pt")` of what `torch.save(optimizer.state_dict())`
   * wrote: names are translated (`exp_avg_sq` → `expAvgSq`), a 0-d `step` tensor becomes a number,
   * a buffer PyTorch left out is null, and PyTorch's options about how a step runs (`foreach`,
   * `capturable`, `differentiable`, `fused`) are dropped; the same checks follow. Training
   * continues as it would in PyTorch.
   *
   * PyTorch: `torch.optim.Optimizer.load_state_dict`.
   *
   * @example
   * ```ts
   * const w = tensor([1, 2], { requiresGrad: true });
   * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
   * w.square().sum().backward();
   * opt.step();
   * const resumed = new SGD([w], { lr: 0.5, momentum: 0.9 });
   * resumed.loadStateDict(opt.stateDict());
   * resumed.paramGroups[0].lr;                  // → 0.1 (the saved group's)
   * resumed.state.get(w)!.momentumBuffer;       // → [2, 4]
   * resumed.loadStateDict(opt.stateDict({ layout: "pytorch" })); // PyTorch's layout loads too
   * ```
   */
  loadStateDict(stateDict: OptimizerStateDict<O> | TorchOptimizerStateDict): void {
    const op = `${this.name}.loadStateDict`;
    const fromTorch = isTorchLayout(stateDict);
    if (fromTorch) stateDict = fromTorchLayout(op, stateDict as TorchOptimizerStateDict) as unknown as OptimizerStateDict<O>;
    if (!isRecord(stateDict) || !Array.isArray(ownField(stateDict, "paramGroups")) || !isRecord(ownField(stateDict, "state"))) {
      throw new TypeError(`${op}: expected an object with state and paramGroups, got ${describe(stateDict)}`);
    }
    const saved = stateDict.paramGroups as unknown[];
    if (saved.length !== this.paramGroups.length) {
      throw new RangeError(`${op}: the state has ${saved.length} parameter groups, the optimizer has ${this.paramGroups.length}`);
    }
    // Saved parameter index -> the parameter it restores and the group it belongs to.
    const byIndex = new Map<number, { param: Tensor; group: ParamGroup<O> }>();
    const groups = this.paramGroups.map((group, g) => {
      const savedGroup = saved[g];
      if (!isRecord(savedGroup)) throw new TypeError(`${op}: saved parameter group ${g} must be an object, got ${describe(savedGroup)}`);
      const { params: ids, ...options } = savedGroup as Record<string, unknown>;
      if (!Array.isArray(ids) || ids.length !== group.params.length) {
        throw new RangeError(
          `${op}: saved parameter group ${g} has ${Array.isArray(ids) ? ids.length : "no"} parameters, the optimizer's has ${group.params.length}`,
        );
      }
      if (Object.hasOwn(options, "initialLr") && typeof options.initialLr !== "number") {
        throw new TypeError(`${op}: initialLr of saved parameter group ${g} must be a number, got ${describe(options.initialLr)}`);
      }
      const resolved = this.resolveOptions(this.defaults, copyValue(options) as Partial<O>, `${op}: saved parameter group ${g}`);
      const restored = { ...resolved, params: group.params } as ParamGroup<O>;
      ids.forEach((id: unknown, k) => {
        if (!Number.isSafeInteger(id) || (id as number) < 0) {
          throw new TypeError(`${op}: saved parameter group ${g} lists ${describe(id)} at params[${k}], not a parameter index`);
        }
        if (byIndex.has(id as number)) throw new RangeError(`${op}: parameter index ${id} appears more than once in the saved parameter groups`);
        byIndex.set(id as number, { param: group.params[k], group: restored });
      });
      return restored;
    });
    const state = new Map<Tensor, S>();
    // Each group's state layout, from a fresh state of an empty stand-in (no buffers allocated).
    const layouts = new Map<ParamGroup<O>, ParamState>();
    for (const [key, value] of Object.entries(stateDict.state)) {
      // Only canonical index keys: "1.0", " 1" or "__proto__" name no parameter.
      const isIndex = /^(0|[1-9]\d*)$/.test(key);
      const entry = isIndex ? byIndex.get(Number(key)) : undefined;
      if (entry === undefined) {
        throw new RangeError(`${op}: the state refers to parameter ${isIndex ? key : JSON.stringify(key)}, which is in no saved parameter group`);
      }
      let layout = layouts.get(entry.group);
      if (layout === undefined) {
        layout = this.initState(zeros([0], { dtype: entry.param.dtype }), entry.group);
        layouts.set(entry.group, layout);
      }
      const saved = fromTorch && isRecord(value) ? fillTorchState(op, value, layout, key) : value;
      state.set(entry.param, this.castState(saved, entry.param, layout, key));
    }
    this.paramGroups = groups;
    this.state = state;
  }

  /**
   * Merges `options` over `base` with core's `resolveOptions` (undefined entries keep the base
   * value, unknown names throw as `op`, e.g. "SGD" or "SGD: parameter group 1"), then validates.
   */
  private resolveOptions(base: O, options: Partial<O>, op: string, allowInitialLr = true): O {
    const known = allowInitialLr ? { ...base, initialLr: undefined as number | undefined } : { ...base };
    const { initialLr, ...merged } = resolveOptions(op, options, known as O & { initialLr?: number }, {
      initialLr: optionChecks.atLeast(0),
    } as never);
    const resolved = copyValue(merged) as O & { initialLr?: number }; // groups must not share arrays such as betas
    if (initialLr !== undefined) resolved.initialLr = initialLr;
    this.validate(resolved);
    return resolved;
  }

  /** The list of a group's parameters, after checking each one can be optimized. */
  private checkParams(params: Tensor | Iterable<Tensor>): Tensor[] {
    if (params instanceof Set) {
      throw new TypeError(`${this.name}: parameters must be an ordered collection (an array), not a Set, so that their order is the same in every run`);
    }
    const list = params instanceof Tensor ? [params] : params !== null && typeof params === "object" && Symbol.iterator in params ? [...params] : null;
    if (list === null) throw new TypeError(`${this.name}: a group's params must be a Tensor or an array of Tensors, got ${describe(params)}`);
    const seen = new Set<Tensor>(this.paramGroups.flatMap((g) => g.params));
    const offset = seen.size;
    list.forEach((p, k) => {
      const what = `parameter ${offset + k}`;
      if (!(p instanceof Tensor)) throw new TypeError(`${this.name}: can only optimize Tensors, but ${what} is ${describe(p)}`);
      const desc = `${what} (shape [${p.shape.join(", ")}], ${p.dtype})`;
      if (!p.isLeaf) {
        throw new TypeError(`${this.name}: can't optimize a non-leaf tensor: ${desc} was computed by an op; optimize the leaves it came from`);
      }
      // A float leaf with requiresGrad false is accepted, as in PyTorch: a frozen layer's
      // parameters get no gradient and step() skips them until they are unfrozen.
      if (!isFloatingPoint(p.dtype)) {
        throw new TypeError(`${this.name}: can only optimize floating-point tensors, but ${desc} is not`);
      }
      if (!p.isContiguous()) {
        throw new TypeError(`${this.name}: ${desc} is not contiguous; optimizers update parameters in place, so make it contiguous before it becomes a parameter`);
      }
      if (seen.has(p)) throw new RangeError(`${this.name}: ${desc} appears more than once across the parameter groups`);
      seen.add(p);
    });
    return list;
  }

  /** The gradient's elements as an array of the parameter's type, after checking its shape. */
  private gradData(p: Tensor): FloatArray {
    const g = p.grad!;
    if (g.shape.length !== p.shape.length || g.shape.some((d, i) => d !== p.shape[i])) {
      throw new RangeError(`${this.name}.step: a parameter of shape [${p.shape.join(", ")}] has a gradient of shape [${g.shape.join(", ")}]`);
    }
    return g.dtype === p.dtype && g.isContiguous() ? floatData(g) : (g.detach().to(p.dtype).dataSync() as FloatArray);
  }

  /**
   * A copy of a saved parameter state with its buffers cast to the parameter's dtype, after
   * checking it has exactly the fields of a fresh state `fresh` ({@link Optimizer.initState}), each of the
   * same kind: a number where a number is, a tensor of the parameter's size where a buffer is
   * (or may be: a field that starts as null holds null or a buffer).
   */
  private castState(saved: unknown, param: Tensor, fresh: ParamState, key: string): S {
    const op = `${this.name}.loadStateDict`;
    if (!isRecord(saved)) throw new TypeError(`${op}: the state of parameter ${key} must be an object, got ${describe(saved)}`);
    const fields = Object.keys(fresh);
    for (const name of Object.keys(saved)) {
      if (!Object.hasOwn(fresh, name)) {
        throw new TypeError(`${op}: unexpected field ${JSON.stringify(name)} in the state of parameter ${key} (${this.name} keeps ${fields.join(", ")})`);
      }
    }
    const entries = fields.map((name): [string, unknown] => {
      if (!Object.hasOwn(saved, name)) throw new TypeError(`${op}: the state of parameter ${key} has no field ${JSON.stringify(name)}`);
      const value = saved[name];
      const expected = fresh[name];
      if (Array.isArray(expected)) {
        if (!Array.isArray(value)) throw new TypeError(`${op}: ${name} of parameter ${key} must be an array, got ${describe(value)}`);
        return [name, value.map((item, i) => {
          if (item instanceof Tensor) return this.castBuffer(item, param, `${name}[${i}]`, key);
          if (typeof item !== "number") throw new TypeError(`${op}: ${name}[${i}] of parameter ${key} must be a number or a Tensor, got ${describe(item)}`);
          return item;
        })];
      }
      if (value instanceof Tensor) {
        if (!(expected instanceof Tensor || expected === null)) {
          throw new TypeError(`${op}: ${name} of parameter ${key} must be ${describeKind(expected)}, got ${describe(value)}`);
        }
        return [name, this.castBuffer(value, param, name, key)];
      }
      const sameKind = expected === null || expected === undefined ? value === null || value === undefined : !(expected instanceof Tensor) && typeof value === typeof expected;
      if (!sameKind) throw new TypeError(`${op}: ${name} of parameter ${key} must be ${describeKind(expected)}, got ${describe(value)}`);
      return [name, value];
    });
    return Object.fromEntries(entries) as S;
  }

  /** A copy of the saved buffer `value` shaped like {@link Optimizer.stateBufferShape} and typed like `param`. */
  private castBuffer(value: Tensor, param: Tensor, name: string, key: string): Tensor {
    const shape = this.stateBufferShape(param);
    if (value.numel() !== shape.reduce((a, b) => a * b, 1)) {
      const what = shape.length === param.shape.length && shape.every((d, i) => d === param.shape[i]) ? "the parameter has" : "the state's buffers have";
      throw new RangeError(`${this.name}.loadStateDict: ${name} of parameter ${key} has shape [${value.shape.join(", ")}], but ${what} shape [${shape.join(", ")}]`);
    }
    return copyTensor(value.reshape(shape), param);
  }

  /** The shape of `param`'s state buffers: the parameter's own (LBFGS's are flat over all its parameters). */
  protected stateBufferShape(param: Tensor): number[] {
    return [...param.shape];
  }
}

/** Whether `v` is a non-null object that is not an array (what a state dict's records are). */
function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** `object[key]` if it is the object's own property (never one inherited from its prototype). */
function ownField(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** What kind of value a fresh state field is, for messages: "a number", "a Tensor", "null or a Tensor". */
function describeKind(expected: unknown): string {
  if (expected instanceof Tensor) return "a Tensor";
  if (Array.isArray(expected)) return "an array";
  if (expected === null || expected === undefined) return "null or a Tensor";
  return `a ${typeof expected}`;
}

/** The contiguous elements of `t`: its data itself, or a view of the part it spans (not a copy). */
export function floatData(t: Tensor): FloatArray {
  const n = t.numel();
  // The whole array as it is when the tensor spans it (a parameter, a state buffer): a subarray
  // view per tensor per step costs more than many small updates themselves.
  if (t.offset === 0 && t.data.length === n) return t.data as FloatArray;
  return t.data.subarray(t.offset, t.offset + n) as FloatArray;
}

/** A zero buffer shaped and typed like `param` (for optimizer state). */
export function zeroBuffer(param: Tensor): Tensor {
  return zeros(param.shape, { dtype: param.dtype });
}

/** A buffer shaped and typed like `param`, filled with `value`. */
export function filledBuffer(param: Tensor, value: number): Tensor {
  return full(param.shape, value, { dtype: param.dtype });
}

/** A copy of `t` with `like`'s dtype, detached and contiguous. */
function copyTensor(t: Tensor, like: Tensor): Tensor {
  return tensor(t, { dtype: like.dtype }); // one copy, cast on the way
}

function copyState(s: ParamState): ParamState {
  const copy = (value: unknown): unknown => (value instanceof Tensor ? copyTensor(value, value) : Array.isArray(value) ? value.map(copy) : value);
  return Object.fromEntries(Object.entries(s).map(([key, value]) => [key, copy(value)])) as ParamState;
}

/** A deep copy of plain option values (arrays such as `betas` are copied). */
function copyValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyValue);
  if (v !== null && typeof v === "object" && !(v instanceof Tensor)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyValue(x)]));
  }
  return v;
}

function formatOptionValue(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(", ")}]` : String(value);
}

// ---------------------------------------------------------------- option checks

/**
 * Checks a resolved options object with core's `optionChecks`: each option in `nonNegative` a
 * number >= 0 (Infinity allowed, NaN not), each in `flags` a boolean.
 */
export function checkOptions<O extends object>(op: string, options: O, nonNegative: ReadonlyArray<keyof O & string>, flags: ReadonlyArray<keyof O & string>): void {
  for (const key of nonNegative) optionChecks.atLeast(0)(op, key, options[key]);
  for (const key of flags) optionChecks.boolean(op, key, options[key]);
}

/** The value of a required option (`lr` of SGD, `stepSize` of StepLR, ...), or a TypeError saying it is missing. */
export function requiredOption<T>(op: string, name: string, value: T | undefined, example: string): T {
  if (value === undefined) throw new TypeError(`${op}: ${name} is required, e.g. ${example}`);
  return value;
}
