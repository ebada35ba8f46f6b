import {
  Tensor, RemovableHandle, describeValue, noGrad, zeroGrads, isFloatingPoint, inspectCustom, typeNameOf, optionChecks, resolveOptions,
  type DType, type ZeroGradOptions,
} from "@tsgrad/core";
import {
  installHooks, type ModuleHooks, type ForwardPreHook, type ForwardHook, type FullBackwardHook, type FullBackwardPreHook, type HookOptions,
} from "./hooks.js";

const MEMBER_OPTIONS = { prefix: "", recurse: true };
const MEMBER_OPTION_CHECKS = { prefix: optionChecks.string, recurse: optionChecks.boolean };
const RECURSE_OPTION = { recurse: true };
const HOOK_OPTIONS = { prepend: false };
const HOOK_OPTION_CHECKS = { prepend: optionChecks.boolean };

/**
 * A tensor that is a module's learnable weight: a leaf with `requiresGrad = true`, like
 * PyTorch's `nn.Parameter`. It shares the data of the tensor it wraps (no copy), and
 * {@link Module.parameters} finds it by walking the module's fields.
 *
 * Ops on a parameter return plain tensors; only the parameter itself is a `Parameter`.
 * Pass `requiresGrad = false` for a frozen weight that is still listed by `parameters()`.
 *
 * @example
 * ```ts
 * class Scale extends Module {
 *   s = new Parameter(ones([3]));
 *   forward(x: Tensor) { return x.mul(this.s); }
 * }
 * new Scale().parameters().length; // 1
 * ```
 * @group Containers
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) {
      throw new TypeError(`Parameter: expected a Tensor to wrap, got ${describeValue(data)}`);
    }
    super(data.data, data.shape, data.dtype, data.strides, data.offset);
    this.requiresGrad_(requiresGrad);
  }

  /** PyTorch's print: `Parameter containing:` followed by the tensor. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

/**
 * Returned by {@link Module.loadStateDict}: the keys that did not line up, like PyTorch's
 * `_IncompatibleKeys` (`missing_keys`, `unexpected_keys`). Both are empty after a strict load.
 *
 * @example
 * ```ts
 * const net = new Linear(2, 1);
 * const r = net.loadStateDict({ weight: zeros([1, 2]), extra: zeros([1]) }, { strict: false });
 * r.missingKeys;    // → ["bias"]
 * r.unexpectedKeys; // → ["extra"]
 * ```
 * @group Containers
 */
export interface LoadStateDictResult {
  /** Keys this module expects that the state dict lacks. */
  missingKeys: string[];
  /** Keys of the state dict that this module does not have. */
  unexpectedKeys: string[];
}

/**
 * Options of {@link Module.registerBuffer}: whether the buffer is saved.
 *
 * - `persistent` (default `true`; PyTorch `persistent`): listed by {@link Module.stateDict}.
 *   A non-persistent buffer (a cache, a mask) still moves with {@link Module.to} and is listed by
 *   {@link Module.buffers}.
 *
 * @example
 * ```ts
 * class Masked extends Module {
 *   mask = this.registerBuffer("mask", ones([3]), { persistent: false });
 *   forward(x: Tensor) { return x.mul(this.mask); }
 * }
 * const m = new Masked();
 * Object.keys(m.stateDict()); // → []
 * m.buffers().length;         // → 1
 * ```
 * @group Containers
 */
export interface BufferOptions {
  /** Whether the buffer is part of {@link Module.stateDict} (default true, as PyTorch). */
  persistent?: boolean;
}

/** A state dict: dotted names to tensors, in module order (a plain object or a Map). @group Containers */
export type StateDict = Record<string, Tensor>;

/**
 * Base class of every layer and model, like PyTorch's `nn.Module`.
 *
 * Subclasses define `forward(...)` and hold their weights in ordinary fields. There are no
 * registration calls and no Proxy: `parameters()`, `children()`, `stateDict()` and the rest find
 * everything by **walking the module's own fields** (`Object.keys(this)`, i.e. in field definition
 * order, base-class fields first) and taking every value that is
 * - a {@link Parameter} (named by its field, e.g. `weight`),
 * - a `Module` (a child, named by its field, e.g. `encoder`), or
 * - an array of them (named `field.0`, `field.1`, ...; other elements are ignored).
 *
 * Plain `Tensor` fields are not parameters even when they require grad (as in PyTorch); keep
 * non-learnable state in a buffer ({@link Module.registerBuffer}). ES `#private` fields and
 * getters are not walked. A parameter or module reachable under two names (weight tying, a
 * shared layer) is listed once by `parameters()` / `modules()`, under its first name.
 *
 * Names are PyTorch's dotted paths: `"0.weight"` in a {@link Sequential}, `"encoder.fc1.bias"`.
 *
 * `toString()` and error messages name a module by its class's static `typeName` (every built-in
 * layer declares one, so names survive minification), falling back to `constructor.name`; see
 * {@link typeNameOf}. `console.log(model)` prints `toString()`.
 *
 * @example
 * ```ts
 * class Residual extends Module {
 *   fc = new Linear(4, 4);
 *   forward(x: Tensor) { return x.add(this.fc.forward(x).relu()); }
 * }
 * const m = new Residual();
 * m.namedParameters().map(([n]) => n); // ["fc.weight", "fc.bias"]
 * const y = m.forward(randn([8, 4]));
 * ```
 * @group Containers
 */
export abstract class Module {
  /**
   * The name `toString()` and error messages use for this class (e.g. `"Linear"`), read from the
   * class itself, not inherited: a subclass without its own `typeName` is named by
   * `constructor.name`. Declare it (`static override readonly typeName = "MyNet"`) if you minify your code.
   */
  declare static readonly typeName?: string;

  /**
   * The names under which fields appear in `namedParameters()`, `namedBuffers()` and `stateDict()`
   * when they differ from the field's own, declared once per class: field name → PyTorch's name.
   * BatchNorm declares `{ runningMean: "running_mean", runningVar: "running_var",
   * numBatchesTracked: "num_batches_tracked" }`, so its state dict has PyTorch's keys while its
   * fields stay camelCase. Subclasses inherit the map (a subclass's own map replaces it).
   *
   * @example
   * ```ts
   * class Stats extends Module {
   *   static override readonly stateDictNames = { runningMean: "running_mean" };
   *   runningMean = this.registerBuffer("runningMean", zeros([2]));
   *   forward(x: Tensor) { return x.sub(this.runningMean); }
   * }
   * Object.keys(new Stats().stateDict()); // ["running_mean"]
   * ```
   */
  static readonly stateDictNames: Readonly<Record<string, string>> = {};

  /**
   * An empty module in training mode. A subclass calls `super()` and declares its parameters,
   * submodules and buffers as fields; nothing needs registering.
   *
   * PyTorch: `torch.nn.Module.__init__`.
   */
  constructor() {}

  /** True in training mode (the default), false after {@link Module.eval}. Dropout reads it. */
  training = true;
  // Names of fields registered as buffers, with whether they are saved in the state dict.
  private readonly _bufferNames = new Map<string, boolean>();
  // Forward and backward hooks, created with the first one (see registerForwardHook).
  private _hooks: ModuleHooks | null = null;

  /**
   * The computation of this module. Call it directly (`m.forward(x)`) or via {@link Module.call}.
   * A subclass defines it with the inputs it takes.
   *
   * PyTorch: `torch.nn.Module.forward`.
   *
   * @example
   * ```ts
   * class Double extends Module {
   *   forward(x: Tensor) { return x.mul(2); }
   * }
   * new Double().forward(tensor([1, 2])); // → [2, 4]
   * ```
   */
  abstract forward(...args: any[]): any;

  /**
   * Same as `forward(...args)`, for code that reads better as a call (PyTorch's `module(x)`,
   * `torch.nn.Module.__call__`).
   *
   * @example
   * ```ts
   * const relu = new ReLU();
   * relu.call(tensor([-1, 2])); // → [0, 2]
   * ```
   */
  call(...args: Parameters<this["forward"]>): ReturnType<this["forward"]> {
    return this.forward(...args);
  }

  // ---------------------------------------------------------------- field walk

  /**
   * This module's direct parameters, buffers and children as found in its fields, in field
   * order, without de-duplication. Everything else is built on this one walk.
   */
  private ownMembers(): { params: Array<[string, Parameter]>; buffers: Array<[string, Tensor | null, boolean]>; children: Array<[string, Module]> } {
    const params: Array<[string, Parameter]> = [];
    const buffers: Array<[string, Tensor | null, boolean]> = [];
    const children: Array<[string, Module]> = [];
    const fields = this as unknown as Record<string, unknown>;
    const names = (this.constructor as typeof Module).stateDictNames;
    for (const key of this.fieldOrder()) {
      const value = fields[key];
      const name = Object.hasOwn(names, key) ? names[key] : key;
      const persistent = this._bufferNames.get(key);
      if (persistent !== undefined) {
        buffers.push([name, value instanceof Tensor ? value : null, persistent]);
      } else if (value instanceof Parameter) {
        params.push([name, value]);
      } else if (value instanceof Module) {
        children.push([name, value]);
      } else if (Array.isArray(value)) {
        value.forEach((item: unknown, i) => {
          if (item instanceof Parameter) params.push([`${name}.${i}`, item]);
          else if (item instanceof Module) children.push([`${name}.${i}`, item]);
        });
      }
    }
    return { params, buffers, children };
  }

  /**
   * The order in which the field walk visits this module's fields: `Object.keys(this)`, i.e.
   * definition order with integer-like names first. A container whose keys are its users' (like
   * `ModuleDict`) overrides it to keep insertion order.
   */
  protected fieldOrder(): string[] {
    return Object.keys(this);
  }

  /**
   * `[name, module]` for this module and every descendant, pre-order (self first, named `prefix`),
   * each module once.
   *
   * PyTorch: `torch.nn.Module.named_modules`.
   *
   * @example
   * ```ts
   * const net = new Sequential(new Linear(2, 4), new ReLU());
   * net.namedModules().map(([name]) => name); // → ["", "0", "1"]
   * ```
   */
  namedModules(prefix = ""): Array<[string, Module]> {
    const out: Array<[string, Module]> = [];
    const seen = new Set<Module>();
    const stack: Array<[string, Module]> = [[prefix, this]];
    while (stack.length > 0) {
      const [name, module] = stack.pop()!;
      if (seen.has(module)) continue;
      seen.add(module);
      out.push([name, module]);
      const children = module.ownMembers().children;
      for (let i = children.length - 1; i >= 0; i--) {
        const [childName, child] = children[i];
        stack.push([name ? `${name}.${childName}` : childName, child]);
      }
    }
    return out;
  }

  /**
   * This module and every descendant, pre-order, each once.
   *
   * PyTorch: `torch.nn.Module.modules`.
   *
   * @example
   * ```ts
   * const net = new Sequential(new Linear(2, 4), new ReLU());
   * net.modules().map((m) => typeNameOf(m)); // → ["Sequential", "Linear", "ReLU"]
   * ```
   */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * `[name, child]` for the direct submodules, in field order, each once.
   *
   * PyTorch: `torch.nn.Module.named_children`.
   *
   * @example
   * ```ts
   * class Net extends Module {
   *   encoder = new Linear(4, 2);
   *   decoder = new Linear(2, 4);
   *   forward(x: Tensor) { return this.decoder.forward(this.encoder.forward(x)); }
   * }
   * new Net().namedChildren().map(([name]) => name); // → ["encoder", "decoder"]
   * ```
   */
  namedChildren(): Array<[string, Module]> {
    const seen = new Set<Module>();
    return this.ownMembers().children.filter(([, child]) => !seen.has(child) && Boolean(seen.add(child)));
  }

  /**
   * The direct submodules, in field order, each once (not their descendants: see {@link Module.modules}).
   *
   * PyTorch: `torch.nn.Module.children`.
   *
   * @example
   * ```ts
   * const net = new Sequential(new Sequential(new Linear(2, 2)), new ReLU());
   * net.children().length; // → 2
   * ```
   */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /**
   * `[dottedName, parameter]` for every parameter of this module and its descendants (only this
   * module's own with `recurse: false`), each parameter once: `"fc1.weight"`, `"0.bias"`.
   * `prefix` (default `""`) is put before every name.
   *
   * PyTorch: `torch.nn.Module.named_parameters`.
   *
   * @example
   * ```ts
   * const net = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 1));
   * net.namedParameters().map(([name, p]) => `${name} ${p.shape}`); // → ["0.weight 4,2", "0.bias 4", "2.weight 1,4", "2.bias 1"]
   * net.namedParameters({ prefix: "model" })[0][0];                 // → "model.0.weight"
   * ```
   */
  namedParameters(options: { prefix?: string; recurse?: boolean } = {}): Array<[string, Parameter]> {
    return this.namedMembers(resolveOptions("namedParameters", options, MEMBER_OPTIONS, MEMBER_OPTION_CHECKS), (m) => m.ownMembers().params) as Array<[string, Parameter]>;
  }

  /**
   * Every parameter, each once, in the order of {@link Module.namedParameters}: what an optimizer
   * takes. `recurse: false` lists only this module's own.
   *
   * PyTorch: `torch.nn.Module.parameters`.
   *
   * @example
   * ```ts
   * const model = new Linear(3, 2);
   * model.parameters().map((p) => p.numel()); // → [6, 2]
   * const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
   * ```
   */
  parameters(options: { recurse?: boolean } = {}): Parameter[] {
    return this.namedParameters(resolveOptions("parameters", options, RECURSE_OPTION, MEMBER_OPTION_CHECKS)).map(([, p]) => p);
  }

  /**
   * `[dottedName, tensor]` for every registered (non-null) buffer of this module and its
   * descendants (only this module's own with `recurse: false`), each once; `prefix` is put before every name.
   *
   * PyTorch: `torch.nn.Module.named_buffers`.
   *
   * @example
   * ```ts
   * class Counter extends Module {
   *   steps = this.registerBuffer("steps", zeros([1]));
   *   forward(x: Tensor) { return x; }
   * }
   * const net = new Sequential(new Counter());
   * net.namedBuffers().map(([name]) => name); // → ["0.steps"]
   * ```
   */
  namedBuffers(options: { prefix?: string; recurse?: boolean } = {}): Array<[string, Tensor]> {
    return this.namedMembers(resolveOptions("namedBuffers", options, MEMBER_OPTIONS, MEMBER_OPTION_CHECKS), (m) => m.ownMembers().buffers);
  }

  /**
   * Every registered (non-null) buffer, each once, in the order of {@link Module.namedBuffers}.
   *
   * PyTorch: `torch.nn.Module.buffers`.
   *
   * @example
   * ```ts
   * class Counter extends Module {
   *   steps = this.registerBuffer("steps", zeros([1]));
   *   forward(x: Tensor) { return x; }
   * }
   * new Counter().buffers(); // → [[0]]
   * ```
   */
  buffers(options: { recurse?: boolean } = {}): Tensor[] {
    return this.namedBuffers(resolveOptions("buffers", options, RECURSE_OPTION, MEMBER_OPTION_CHECKS)).map(([, b]) => b);
  }

  private namedMembers(
    { prefix, recurse }: { prefix: string; recurse: boolean },
    members: (m: Module) => ReadonlyArray<readonly [string, Tensor | null, ...unknown[]]>,
  ): Array<[string, Tensor]> {
    const modules: Array<[string, Module]> = recurse ? this.namedModules(prefix) : [[prefix, this]];
    const out: Array<[string, Tensor]> = [];
    const seen = new Set<Tensor>();
    for (const [moduleName, module] of modules) {
      for (const [name, t] of members(module)) {
        if (t === null || seen.has(t)) continue;
        seen.add(t);
        out.push([moduleName ? `${moduleName}.${name}` : name, t]);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- buffers

  /**
   * Declares the field `name` a buffer: state that is not learned but belongs to the module and
   * its state dict (like BatchNorm's running mean). Sets `this[name] = tensor` and returns the
   * tensor, so it can initialize a field: `runningMean = this.registerBuffer("runningMean", zeros([4]))`.
   * Reassigning the field later replaces the buffer. `persistent: false` keeps it out of `stateDict()`.
   * A `null` buffer is declared but absent (skipped by `buffers()` and `stateDict()`).
   *
   * PyTorch: `torch.nn.Module.register_buffer`.
   *
   * @example
   * ```ts
   * class RunningMean extends Module {
   *   mean = this.registerBuffer("mean", zeros([2]));
   *   forward(x: Tensor) {
   *     if (this.training) noGrad(() => this.mean.mul_(0.9).add_(x.mean(0).mul(0.1)));
   *     return x.sub(this.mean);
   *   }
   * }
   * const m = new RunningMean();
   * m.forward(tensor([[1, 2], [3, 4]]));
   * m.mean;                     // → [0.2, 0.3]
   * Object.keys(m.stateDict()); // → ["mean"]
   * ```
   */
  registerBuffer<T extends Tensor | null>(name: string, tensor: T, options: BufferOptions = {}): T {
    const { persistent } = resolveOptions("registerBuffer", options, { persistent: true }, { persistent: optionChecks.boolean });
    if (typeof name !== "string" || name === "" || name.includes(".")) {
      throw new TypeError(`registerBuffer: buffer name must be a non-empty string without "." (got ${JSON.stringify(name)})`);
    }
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`registerBuffer: buffer "${name}" must be a Tensor or null, got ${describeValue(tensor)}`);
    }
    const fields = this as unknown as Record<string, unknown>;
    const existing = fields[name];
    if (!this._bufferNames.has(name) && (existing instanceof Parameter || existing instanceof Module)) {
      throw new TypeError(`registerBuffer: "${name}" is already a ${existing instanceof Parameter ? "parameter" : "submodule"} of ${typeNameOf(this)}`);
    }
    this._bufferNames.set(name, persistent);
    fields[name] = tensor;
    return tensor;
  }

  /**
   * Sets the field `name` to the parameter `param` (or `null`, a declared but absent parameter),
   * the explicit form of declaring a `Parameter` field, for names computed at run time. Returns
   * `param`. Throws if `name` is empty, contains ".", or is already a buffer, a submodule or
   * another member of the module.
   *
   * PyTorch: `torch.nn.Module.register_parameter`.
   *
   * @example
   * ```ts
   * class Scales extends Module {
   *   constructor(n: number) {
   *     super();
   *     for (let i = 0; i < n; i++) this.registerParameter(`s${i}`, new Parameter(ones([1])));
   *   }
   *   forward(x: Tensor) { return x; }
   * }
   * Object.keys(new Scales(2).stateDict()); // → ["s0", "s1"]
   * ```
   */
  registerParameter<T extends Parameter | null>(name: string, param: T): T {
    this.checkNewMember("registerParameter", "parameter", name, (v) => v instanceof Parameter);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`registerParameter: cannot assign ${describeValue(param)} to parameter "${name}" (a Parameter or null is required; wrap a tensor in new Parameter(t))`);
    }
    (this as unknown as Record<string, unknown>)[name] = param;
    return param;
  }

  /**
   * Sets the field `name` to the submodule `module` (or `null`), the explicit form of declaring a
   * `Module` field, for names computed at run time. Returns `module`. Throws like
   * {@link Module.registerParameter}.
   *
   * PyTorch: `torch.nn.Module.register_module`.
   *
   * @example
   * ```ts
   * class Tower extends Module {
   *   constructor(depth: number) {
   *     super();
   *     for (let i = 0; i < depth; i++) this.registerModule(`layer${i}`, new Linear(4, 4));
   *   }
   *   forward(x: Tensor) { return x; }
   * }
   * new Tower(2).namedChildren().map(([n]) => n); // → ["layer0", "layer1"]
   * ```
   */
  registerModule<T extends Module | null>(name: string, module: T): T {
    this.checkNewMember("registerModule", "module", name, (v) => v instanceof Module);
    if (module !== null && !(module instanceof Module)) {
      throw new TypeError(`registerModule: "${name}" must be a Module or null, got ${describeValue(module)}`);
    }
    (this as unknown as Record<string, unknown>)[name] = module;
    return module;
  }

  /**
   * {@link Module.registerModule} under its older name.
   *
   * PyTorch: `torch.nn.Module.add_module`.
   *
   * @example
   * ```ts
   * class Net extends Module {
   *   forward(x: Tensor) { return x; }
   * }
   * const net = new Net();
   * net.addModule("head", new Linear(2, 1));
   * net.getSubmodule("head").toString(); // → "Linear(inFeatures=2, outFeatures=1, bias=true)"
   * ```
   */
  addModule<T extends Module | null>(name: string, module: T): T {
    return this.registerModule(name, module);
  }

  // Member names are PyTorch's: non-empty, no "."; an existing field may only be replaced in kind.
  private checkNewMember(op: string, kind: string, name: string, sameKind: (value: unknown) => boolean): void {
    if (typeof name !== "string") throw new TypeError(`${op}: ${kind} name should be a string, got ${describeValue(name)}`);
    if (name === "" || name.includes(".")) throw new RangeError(`${op}: ${kind} name must be non-empty and contain no "." (got ${JSON.stringify(name)})`);
    const existing = (this as unknown as Record<string, unknown>)[name];
    if (this._bufferNames.has(name) || (name in this && existing !== null && !sameKind(existing))) {
      throw new RangeError(`${op}: ${typeNameOf(this)} already has a member "${name}" that is not a ${kind}`);
    }
  }

  /**
   * The submodule at the dotted path `target` (`""` is this module), as named by
   * {@link Module.namedModules}: `"encoder.layers.0"`. Throws a RangeError naming the first part
   * of the path that is not a submodule.
   *
   * PyTorch: `torch.nn.Module.get_submodule`.
   *
   * @example
   * ```ts
   * const net = new Sequential(new Linear(2, 4), new Sequential(new ReLU(), new Linear(4, 1)));
   * net.getSubmodule("1.1").toString(); // → "Linear(inFeatures=4, outFeatures=1, bias=true)"
   * net.getSubmodule("1.5");            // throws RangeError: getSubmodule: Sequential has no submodule "5" …
   * ```
   */
  getSubmodule(target: string): Module {
    if (typeof target !== "string") throw new TypeError(`getSubmodule: target must be a dotted path string, got ${describeValue(target)}`);
    return this.walkPath("getSubmodule", target === "" ? [] : target.split("."));
  }

  /**
   * The parameter at the dotted path `target` (`"encoder.fc.weight"`), like
   * {@link Module.getSubmodule} followed by the parameter's name.
   *
   * PyTorch: `torch.nn.Module.get_parameter`.
   *
   * @example
   * ```ts
   * const net = new Sequential(new Linear(2, 4), new ReLU());
   * net.getParameter("0.bias").shape; // → [4]
   * net.getParameter("0.scale");      // throws RangeError: getParameter: Linear has no parameter "scale" …
   * ```
   */
  getParameter(target: string): Parameter {
    return this.getMember("getParameter", "parameter", target, (m) => m.ownMembers().params) as Parameter;
  }

  /**
   * The buffer (persistent or not) at the dotted path `target` (`"0.running_mean"`), like
   * {@link Module.getSubmodule} followed by the buffer's name; `null` for a buffer registered as null.
   *
   * PyTorch: `torch.nn.Module.get_buffer`.
   *
   * @example
   * ```ts
   * const net = new Sequential(new BatchNorm1d(3));
   * net.getBuffer("0.running_var"); // → [1, 1, 1]
   * ```
   */
  getBuffer(target: string): Tensor | null {
    return this.getMember("getBuffer", "buffer", target, (m) => m.ownMembers().buffers);
  }

  private getMember(op: string, kind: string, target: string, members: (m: Module) => ReadonlyArray<readonly [string, Tensor | null, ...unknown[]]>): Tensor | null {
    if (typeof target !== "string" || target === "") throw new TypeError(`${op}: target must be a non-empty dotted path, got ${describeValue(target)}`);
    const parts = target.split(".");
    // The member's own name may hold a dot (an array field: "weights.0"), so try both splits.
    for (const take of [1, 2]) {
      if (parts.length < take) continue;
      let module: Module;
      try {
        module = this.walkPath(op, parts.slice(0, parts.length - take));
      } catch {
        continue;
      }
      const name = parts.slice(parts.length - take).join(".");
      const found = members(module).find(([n]) => n === name);
      if (found) return found[1];
    }
    const owner = this.walkPath(op, parts.slice(0, -1));
    const names = members(owner).map(([n]) => n);
    throw new RangeError(`${op}: ${typeNameOf(owner)} has no ${kind} "${parts[parts.length - 1]}" (its ${kind}s: ${names.length ? names.join(", ") : "none"})`);
  }

  // Follows child names along `parts`; a child's name may itself hold one dot (array fields).
  private walkPath(op: string, parts: readonly string[]): Module {
    let module: Module = this;
    let i = 0;
    while (i < parts.length) {
      const children = module.ownMembers().children;
      const one = children.find(([n]) => n === parts[i]);
      const two = i + 1 < parts.length ? children.find(([n]) => n === `${parts[i]}.${parts[i + 1]}`) : undefined;
      const next = one ?? two;
      if (!next) {
        throw new RangeError(`${op}: ${typeNameOf(module)} has no submodule "${parts[i]}" (its submodules: ${children.length ? children.map(([n]) => n).join(", ") : "none"})`);
      }
      module = next[1];
      i += one ? 1 : 2;
    }
    return module;
  }

  // ---------------------------------------------------------------- modes and grads

  /**
   * Sets training mode on this module and all descendants (`mode = false` is {@link Module.eval});
   * returns this. Layers such as `Dropout` read {@link Module.training}.
   *
   * PyTorch: `torch.nn.Module.train`.
   *
   * @example
   * ```ts
   * const net = new Sequential(new Linear(2, 2), new Dropout(0.5));
   * net.eval();
   * net.train().modules().every((m) => m.training); // → true
   * ```
   */
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new TypeError(`${typeNameOf(this)}.train: mode must be a boolean, got ${describeValue(mode)}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /**
   * Evaluation mode: `train(false)`. Dropout becomes the identity. Returns this.
   *
   * PyTorch: `torch.nn.Module.eval`.
   *
   * @example
   * ```ts
   * const drop = new Dropout(0.5).eval();
   * drop.training;                    // → false
   * drop.forward(ones([4])).toArray(); // → [1, 1, 1, 1]
   * ```
   */
  eval(): this {
    return this.train(false);
  }

  // ---------------------------------------------------------------- dtype

  /**
   * Casts every floating-point parameter (and its `.grad`) and buffer of this module and its
   * descendants to `dtype`, like PyTorch's `module.to(dtype)`; returns this. Parameters are
   * replaced by new ones in their fields (a tied weight stays tied), so build the optimizer after
   * the cast. Integer and bool buffers are left alone.
   *
   * @example
   * ```ts
   * const model = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 1)).to("float64");
   * gradcheck((x) => model.forward(x), [randn([4, 2], { dtype: "float64", requiresGrad: true })]);
   * ```
   */
  to(dtype: DType): this {
    const converted = new Map<Tensor, Tensor>();
    const cast = (t: Tensor): Tensor => {
      if (!isFloatingPoint(t.dtype) || t.dtype === dtype) return t;
      let c = converted.get(t);
      if (c === undefined) {
        const values = noGrad(() => t.detach().to(dtype));
        c = t instanceof Parameter ? new Parameter(values, t.requiresGrad) : values;
        c.grad = t.grad && noGrad(() => t.grad!.detach().to(dtype));
        converted.set(t, c);
      }
      return c;
    };
    for (const module of this.modules()) {
      const fields = module as unknown as Record<string, unknown>;
      for (const key of module.fieldOrder()) {
        const value = fields[key];
        if (value instanceof Parameter || (value instanceof Tensor && module._bufferNames.has(key))) {
          fields[key] = cast(value);
        } else if (Array.isArray(value)) {
          value.forEach((item: unknown, i) => {
            if (item instanceof Parameter) value[i] = cast(item);
          });
        }
      }
    }
    return this;
  }

  /**
   * `to("float64")`: casts parameters and buffers to double precision (for `gradcheck`, say).
   *
   * PyTorch: `torch.nn.Module.double`.
   *
   * @example
   * ```ts
   * new Linear(2, 1).double().weight.dtype; // → "float64"
   * ```
   */
  double(): this {
    return this.to("float64");
  }

  /**
   * `to("float32")`: casts parameters and buffers to single precision, the default dtype.
   *
   * PyTorch: `torch.nn.Module.float`.
   *
   * @example
   * ```ts
   * new Linear(2, 1).double().float().bias!.dtype; // → "float32"
   * ```
   */
  float(): this {
    return this.to("float32");
  }

  /**
   * Clears the gradients of all parameters: sets `.grad = null` (default, as PyTorch 2), or with
   * `setToNone: false` fills the existing gradients with zeros.
   *
   * PyTorch: `torch.nn.Module.zero_grad`.
   *
   * @example
   * ```ts
   * const model = new Linear(2, 1);
   * model.forward(ones([1, 2])).sum().backward();
   * model.zeroGrad({ setToNone: false });
   * model.weight.grad;   // → [[0, 0]]
   * model.zeroGrad();
   * model.weight.grad;   // → null
   * ```
   */
  zeroGrad(options: ZeroGradOptions = {}): void {
    zeroGrads(this.parameters(), resolveOptions("zeroGrad", options, { setToNone: true }, { setToNone: optionChecks.boolean }));
  }

  /**
   * Sets `requiresGrad` on every parameter of this module and its descendants (default true),
   * e.g. to freeze a pretrained part; returns this.
   *
   * PyTorch: `torch.nn.Module.requires_grad_`.
   *
   * @example
   * ```ts
   * const net = new Sequential(new Linear(2, 4), new Linear(4, 1));
   * net.at(0).requiresGrad_(false); // freeze the first layer
   * net.parameters().map((p) => p.requiresGrad); // → [false, false, true, true]
   * ```
   */
  requiresGrad_(requiresGrad = true): this {
    if (typeof requiresGrad !== "boolean") throw new TypeError(`${typeNameOf(this)}.requiresGrad_: requiresGrad must be a boolean, got ${describeValue(requiresGrad)}`);
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  // ---------------------------------------------------------------- hooks

  /**
   * Registers `hook(module, args)`, run before every forward call. It may return new arguments (an
   * array, or one value standing for a single argument); returning nothing keeps them. Hooks run
   * in registration order (`prepend: true` puts this one first), each seeing the previous one's
   * arguments. Returns a handle whose `remove()` unregisters the hook.
   *
   * Hooks run whether the module is called through `forward(...)` or `call(...)`: in tsgrad,
   * `forward` is how modules call each other (PyTorch runs hooks only through `module(x)`).
   *
   * PyTorch: `torch.nn.Module.register_forward_pre_hook`.
   *
   * @example
   * ```ts
   * const fc = new Linear(2, 1);
   * const handle = fc.registerForwardPreHook((_m, [x]) => (x as Tensor).unsqueeze(0)); // batch an unbatched input
   * fc.forward(ones([2])).shape; // → [1, 1]
   * handle.remove();
   * fc.forward(ones([2])).shape; // → [1]
   * ```
   */
  registerForwardPreHook(hook: ForwardPreHook<this>, options: HookOptions = {}): RemovableHandle {
    return this.addHook("registerForwardPreHook", "forwardPre", hook, options);
  }

  /**
   * Registers `hook(module, args, output)`, run after every forward call with the arguments
   * forward received (after the pre-hooks) and its output. It may return a replacement output;
   * returning nothing keeps it. Order and handle as {@link Module.registerForwardPreHook}.
   *
   * PyTorch: `torch.nn.Module.register_forward_hook`.
   *
   * @example
   * ```ts
   * const net = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
   * const activations: Record<string, Tensor> = {};
   * for (const [name, m] of net.namedChildren()) {
   *   m.registerForwardHook((_m, _args, out) => void (activations[name] = out as Tensor));
   * }
   * net.forward(ones([5, 2]));
   * Object.keys(activations);  // → ["0", "1", "2"]
   * activations["1"].shape;    // → [5, 3]
   * ```
   */
  registerForwardHook(hook: ForwardHook<this>, options: HookOptions = {}): RemovableHandle {
    return this.addHook("registerForwardHook", "forward", hook, options);
  }

  /**
   * Registers `hook(module, gradOutput)`, run during backward when the gradients of the module's
   * outputs are known, before they flow into the module; it may return replacements (an array with
   * one entry per output). Outputs are the forward result if it is a Tensor, or the tensors of a
   * returned array. Order and handle as {@link Module.registerForwardPreHook}.
   *
   * PyTorch: `torch.nn.Module.register_full_backward_pre_hook` (PyTorch 2).
   *
   * @example
   * ```ts
   * const act = new Tanh();
   * act.registerFullBackwardPreHook((_m, [g]) => [g!.mul(0)]); // block the gradient
   * const x = ones([2]).requiresGrad_();
   * act.forward(x).sum().backward();
   * x.grad; // → [0, 0]
   * ```
   */
  registerFullBackwardPreHook(hook: FullBackwardPreHook<this>, options: HookOptions = {}): RemovableHandle {
    return this.addHook("registerFullBackwardPreHook", "backwardPre", hook, options);
  }

  /**
   * Registers `hook(module, gradInput, gradOutput)`, run once per backward pass when the gradients
   * of the module's inputs are computed: one entry of `gradInput` per forward argument (null for
   * non-tensors, zeros for tensors that need no gradient), one of `gradOutput` per output. It may return
   * replacements for `gradInput` (an array of the same length), which flow on to the inputs. If no
   * input requires grad, it runs with all-null `gradInput` when the output gradients are known and
   * must return nothing. Hooks are installed on the tensors of a call made with grad mode on.
   * Order and handle as {@link Module.registerForwardPreHook}.
   *
   * PyTorch: `torch.nn.Module.register_full_backward_hook`.
   *
   * @example
   * ```ts
   * const fc = new Linear(3, 2);
   * const norms: number[] = [];
   * fc.registerFullBackwardHook((_m, [gIn], [gOut]) => void norms.push(gIn!.norm().item(), gOut!.norm().item()));
   * const x = ones([4, 3]).requiresGrad_();
   * fc.forward(x).sum().backward();
   * norms.length; // → 2
   * ```
   */
  registerFullBackwardHook(hook: FullBackwardHook<this>, options: HookOptions = {}): RemovableHandle {
    return this.addHook("registerFullBackwardHook", "backward", hook, options);
  }

  private addHook(op: string, kind: keyof ModuleHooks, hook: unknown, options: HookOptions): RemovableHandle {
    const { prepend } = resolveOptions(op, options, HOOK_OPTIONS, HOOK_OPTION_CHECKS);
    if (typeof hook !== "function") throw new TypeError(`${typeNameOf(this)}.${op}: expected a function, got ${describeValue(hook)}`);
    if (this._hooks === null) {
      // The hooks run in an own forward installed with the first one; modules without hooks never pay for them.
      this._hooks = { forwardPre: new Map(), forward: new Map(), backwardPre: new Map(), backward: new Map() };
      installHooks(this, this._hooks);
    }
    return new RemovableHandle(this._hooks[kind], hook, prepend);
  }

  /**
   * Calls `fn` on every descendant and then on this module (children first, as PyTorch), e.g. to
   * initialize weights; returns this.
   *
   * PyTorch: `torch.nn.Module.apply`.
   *
   * @example
   * ```ts
   * const net = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 1));
   * net.apply((m) => {
   *   if (m instanceof Linear) init.zeros_(m.weight);
   * });
   * net.forward(ones([1, 2])).shape; // → [1, 1]
   * (net.modules()[1] as Linear).weight.abs().sum().item(); // → 0
   * ```
   */
  apply(fn: (module: Module) => void): this {
    if (typeof fn !== "function") throw new TypeError(`${typeNameOf(this)}.apply: expected a function to call on each module, got ${describeValue(fn)}`);
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  // ---------------------------------------------------------------- state dict

  /**
   * The module's state: every parameter and persistent buffer under its dotted name (module
   * pre-order, own parameters then buffers then children), as tensors detached from the graph that
   * **share** the module's data, like PyTorch. Tied weights appear under each of their names.
   * Clone the values to snapshot them.
   *
   * PyTorch: `torch.nn.Module.state_dict`.
   *
   * @example
   * ```ts
   * const net = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 1));
   * Object.keys(net.stateDict()); // → ["0.weight", "0.bias", "2.weight", "2.bias"]
   * const snapshot = Object.fromEntries(Object.entries(net.stateDict()).map(([k, v]) => [k, v.clone()]));
   * ```
   */
  stateDict(): StateDict {
    // Collected in a Map and defined as own properties: a field named "__proto__" stays a key.
    const out = new Map<string, Tensor>();
    const visit = (module: Module, prefix: string): void => {
      const own = module.ownMembers();
      for (const [name, p] of own.params) out.set(prefix + name, p.detach());
      for (const [name, b, persistent] of own.buffers) {
        if (b !== null && persistent) out.set(prefix + name, b.detach());
      }
      for (const [name, child] of own.children) visit(child, `${prefix}${name}.`);
    };
    visit(this, "");
    return Object.fromEntries(out);
  }

  /**
   * Copies the tensors of `stateDict` into this module's parameters and buffers (in place, cast to
   * their dtype). A shape mismatch always throws (as PyTorch); with `strict` (default true)
   * missing or unexpected keys throw too, all listed in one `RangeError`. Returns the keys that
   * did not line up.
   *
   * @example
   * ```ts
   * const net = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 1));
   * const other = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 1));
   * other.loadStateDict(net.stateDict());          // same architecture: an exact copy
   * const partial = { "0.weight": net.stateDict()["0.weight"] };
   * other.loadStateDict(partial, { strict: false }); // → { missingKeys: ["0.bias", "2.weight", "2.bias"], unexpectedKeys: [] }
   * ```
   */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, options: { strict?: boolean } = {}): LoadStateDictResult {
    const { strict } = resolveOptions("loadStateDict", options, { strict: true }, { strict: optionChecks.boolean });
    if (typeof stateDict !== "object" || stateDict === null) {
      throw new TypeError(`loadStateDict: expected an object of tensors, got ${describeValue(stateDict)}`);
    }
    const given = stateDict instanceof Map ? stateDict : new Map(Object.entries(stateDict));
    for (const [key, value] of given) {
      if (!(value instanceof Tensor)) throw new TypeError(`loadStateDict: "${key}" is ${describeValue(value)}, expected a Tensor`);
    }
    const targets = this.stateDict();
    const missingKeys = Object.keys(targets).filter((k) => !given.has(k));
    // Own-property test: keys such as "constructor" or "__proto__" are data, not Object.prototype's.
    const unexpectedKeys = [...given.keys()].filter((k) => !Object.hasOwn(targets, k));
    const mismatches: string[] = [];
    for (const [key, target] of Object.entries(targets)) {
      const source = given.get(key);
      if (source === undefined) continue;
      if (!sameShape(source.shape, target.shape)) {
        mismatches.push(`size mismatch for ${key}: copying a tensor of shape [${source.shape.join(", ")}], the shape in this module is [${target.shape.join(", ")}]`);
      }
    }
    const problems: string[] = [];
    if (strict && missingKeys.length > 0) problems.push(`missing keys: ${quoteAll(missingKeys)}`);
    if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${quoteAll(unexpectedKeys)}`);
    problems.push(...mismatches);
    if (problems.length > 0) {
      throw new RangeError(`loadStateDict: error(s) loading state dict for ${typeNameOf(this)}:\n  ${problems.join("\n  ")}`);
    }
    noGrad(() => {
      for (const [key, target] of Object.entries(targets)) {
        const source = given.get(key);
        if (source !== undefined) target.copy_(source);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  // ---------------------------------------------------------------- printing

  /**
   * The constructor options shown inside the parentheses by {@link Module.toString}, like
   * PyTorch's `extra_repr` (`inFeatures=2, outFeatures=32, bias=true`). Override in layers.
   *
   * @example
   * ```ts
   * class Scale extends Module {
   *   constructor(readonly factor: number) { super(); }
   *   forward(x: Tensor) { return x.mul(this.factor); }
   *   override extraRepr() { return `factor=${this.factor}`; }
   * }
   * new Scale(3).toString(); // → "Scale(factor=3)"
   * new Linear(2, 3).extraRepr(); // → "inFeatures=2, outFeatures=3, bias=true"
   * ```
   */
  extraRepr(): string {
    return "";
  }

  /**
   * The module tree like PyTorch's `print(model)`:
   * ```text
   * Sequential(
   *   (0): Linear(inFeatures=2, outFeatures=32, bias=true)
   *   (1): ReLU()
   * )
   * ```
   */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split("\n") : [];
    const childLines = this.ownMembers().children.map(([name, child]) => `(${name}): ${indent(child.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let body = "";
    if (extraLines.length === 1 && childLines.length === 0) body = extraLines[0];
    else if (lines.length > 0) body = `\n  ${lines.join("\n  ")}\n`;
    return `${typeNameOf(this)}(${body})`;
  }

  /** What `console.log` prints: `toString()`, the module tree. */
  [inspectCustom](): string {
    return this.toString();
  }
}

// `forward` is abstract, so TypeScript subclasses must define it; this fallback on the prototype
// turns a JavaScript subclass without one into a clear error instead of "forward is not a function".
Object.defineProperty(Module.prototype, "forward", {
  configurable: true,
  writable: true,
  value: function missingForward(this: Module): never {
    throw new TypeError(`${typeNameOf(this)}: forward is not implemented; a Module subclass must define forward(...inputs)`);
  },
});

function indent(text: string, spaces: number): string {
  return text.split("\n").join(`\n${" ".repeat(spaces)}`);
}

function quoteAll(keys: readonly string[]): string {
  return keys.map((k) => `"${k}"`).join(", ");
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
