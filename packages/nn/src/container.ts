/**
 * Containers, PyTorch's `container.py`: `Sequential`, `ModuleList` and `ParameterList` keep their
 * members in numbered fields `"0"`, `"1"`, ...; `ModuleDict` and `ParameterDict` under their keys,
 * in insertion order. The field walk of {@link Module} then names their parameters `"0.weight"`,
 * `"encoder.bias"`, `"3"` as PyTorch does.
 */
import { Tensor, describeValue, typeNameOf } from "@tsgrad/core";
import { Module, Parameter } from "./module.js";

/** Holds members in numbered fields; the shared part of ModuleList, Sequential and ParameterList. */
abstract class Numbered<T> extends Module {
  /** The member at position `index` (also `list.at(index)`). */
  [index: number]: T;
  private count = 0;

  constructor(members: Iterable<unknown>) {
    super();
    this.extend(members as Iterable<T>);
  }

  /** What this container holds, for messages ("modules", "parameters"). */
  protected abstract readonly memberKind: string;
  /** Checks (and converts) a member on its way in. */
  protected abstract accept(op: string, value: unknown): T;

  /** Number of members held. */
  get length(): number {
    return this.count;
  }

  /** The member at `index` (negative counts from the end); throws a RangeError when out of range. */
  at(index: number): T {
    return this[this.position("at", index)];
  }

  /** Replaces the member at `index` (negative counts from the end); returns this. */
  set(index: number, value: T): this {
    this[this.position("set", index)] = this.accept(`${typeNameOf(this)}.set`, value);
    return this;
  }

  private position(op: string, index: number): number {
    if (typeof index !== "number") throw new TypeError(`${typeNameOf(this)}: index must be an integer, got ${describeValue(index)} (in ${op})`);
    const i = index < 0 ? index + this.count : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.count) {
      throw new RangeError(`${typeNameOf(this)}: index ${index} is out of range for ${this.count} ${this.memberKind}`);
    }
    return i;
  }

  /** Adds `value` at the end; returns this (as PyTorch's `append`). */
  append(value: T): this {
    this[this.count] = this.accept(`${typeNameOf(this)}.append`, value);
    this.count++;
    return this;
  }

  /** Adds each of `values` at the end; returns this (as PyTorch's `extend`). */
  extend(values: Iterable<T>): this {
    if (values == null || typeof (values as Partial<Iterable<T>>)[Symbol.iterator] !== "function") {
      throw new TypeError(`${typeNameOf(this)}.extend: expected an iterable of ${this.memberKind}, got ${describeValue(values)}`);
    }
    for (const v of values) this.append(v);
    return this;
  }

  /**
   * Inserts `value` before position `index` (−length ≤ index ≤ length; negative counts from the
   * end, as Python's `list.insert`), renumbering the members after it; returns this.
   *
   * @example
   * ```ts
   * const seq = new Sequential(new Linear(2, 4), new Linear(4, 1));
   * seq.insert(1, new ReLU()).at(1).toString(); // → "ReLU()"
   * ```
   */
  insert(index: number, value: T): this {
    const op = `${typeNameOf(this)}.insert`;
    if (typeof index !== "number" || !Number.isInteger(index)) throw new TypeError(`${op}: index must be an integer, got ${describeValue(index)}`);
    if (index < -this.count || index > this.count) throw new RangeError(`${op}: index ${index} is out of range for ${this.count} ${this.memberKind}`);
    const at = index < 0 ? index + this.count : index;
    const member = this.accept(op, value);
    for (let i = this.count; i > at; i--) this[i] = this[i - 1];
    this[at] = member;
    this.count++;
    return this;
  }

  /**
   * Removes and returns the member at `index` (default −1, the last; negative counts from the
   * end), renumbering the members after it, as PyTorch's `pop`.
   *
   * @example
   * ```ts
   * const layers = new ModuleList([new Linear(2, 2), new ReLU(), new Tanh()]);
   * layers.pop(0).toString(); // → "Linear(inFeatures=2, outFeatures=2, bias=true)"
   * layers.length;           // → 2
   * layers.at(0).toString(); // → "ReLU()"
   * ```
   */
  pop(index = -1): T {
    const at = this.position("pop", index);
    const member = this[at];
    for (let i = at; i < this.count - 1; i++) this[i] = this[i + 1];
    this.count--;
    delete this[this.count];
    return member;
  }

  /**
   * A new container of the same class holding the members from `start` up to, not including,
   * `end` (negative counts from the end; out-of-range bounds are clamped), like PyTorch's
   * `ml[start:end]`. The members are shared, not copied.
   *
   * @example
   * ```ts
   * const layers = new ModuleList([new Linear(2, 2), new ReLU(), new Tanh(), new Sigmoid()]);
   * const mid = layers.slice(1, 3);
   * [mid.length, mid.at(0) === layers.at(1)]; // → [2, true]
   * layers.slice(-1).at(0).toString();        // → "Sigmoid()"
   * ```
   */
  slice(start?: number, end?: number): this {
    for (const [name, v] of [["start", start], ["end", end]] as const) {
      if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v))) {
        throw new TypeError(`${typeNameOf(this)}.slice: ${name} must be an integer, got ${describeValue(v)}`);
      }
    }
    // PyTorch's self.__class__(...): the same class, built empty, then filled.
    const out = new (this.constructor as new () => this)();
    return out.extend([...this].slice(start, end));
  }

  /** Iterates over the members in order. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this[i];
  }
}

/** Holds modules in numbered fields; the shared part of ModuleList and Sequential. */
abstract class NumberedModules extends Numbered<Module> {
  protected readonly memberKind = "modules";
  protected accept(op: string, value: unknown): Module {
    if (!(value instanceof Module)) throw new TypeError(`${op}: expected a Module, got ${describeValue(value)}`);
    return value;
  }
}

/**
 * A list of modules whose parameters are part of the owner's, like PyTorch's `nn.ModuleList`
 * (a plain array field `layers = [...]` works too and names them `layers.0`, ...). It has no
 * forward of its own: iterate over it.
 *
 * @example
 * ```ts
 * class Deep extends Module {
 *   layers = new ModuleList(Array.from({ length: 3 }, () => new Linear(8, 8)));
 *   forward(x: Tensor) { for (const l of this.layers) x = l.forward(x).relu(); return x; }
 * }
 * ```
 * @group Containers
 */
export class ModuleList extends NumberedModules {
  static override readonly typeName: string = "ModuleList";
  constructor(modules: Iterable<Module> = []) {
    super([...modules]);
  }

  /** Throws: a ModuleList only holds modules. */
  forward(): never {
    throw new TypeError(`${typeNameOf(this)}: forward is not implemented; a ModuleList only holds modules, so iterate over it and call theirs`);
  }
}

/**
 * Runs its modules in order, each one's output the next one's input, like PyTorch's
 * `nn.Sequential`. Modules are indexable (`seq[0]`, `seq.at(-1)`) and named `"0"`, `"1"`, ...
 *
 * @example
 * ```ts
 * const mlp = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 1));
 * mlp.forward(randn([16, 2])).shape;        // [16, 1]
 * mlp.namedParameters()[0][0];              // "0.weight"
 * ```
 * @group Containers
 */
export class Sequential extends NumberedModules {
  static override readonly typeName: string = "Sequential";
  constructor(...modules: Module[]) {
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} is ${describeValue(m)}, expected a Module`);
    });
    super(modules);
  }

  /** Feeds `x` through every module in order and returns the last output. */
  forward(x: Tensor): Tensor {
    let out = x;
    for (const m of this) out = m.forward(out);
    return out;
  }
}

/**
 * A list of parameters that are part of the owner's, like PyTorch's `nn.ParameterList`: named
 * `"0"`, `"1"`, ... in the state dict (`"weights.0"` as a field `weights`). A tensor that is not a
 * `Parameter` is wrapped in one (as PyTorch). Prints each entry as PyTorch does:
 * `(0): Parameter containing: [float32 of size 2x3]`.
 *
 * @example
 * ```ts
 * class Mixture extends Module {
 *   weights = new ParameterList([ones([3]), zeros([2, 3])]);
 *   forward(x: Tensor) { return x.mul(this.weights.at(0)); }
 * }
 * const m = new Mixture();
 * Object.keys(m.stateDict()); // → ["weights.0", "weights.1"]
 * m.weights.at(1) instanceof Parameter; // → true
 * ```
 * @group Containers
 */
export class ParameterList extends Numbered<Parameter> {
  static override readonly typeName: string = "ParameterList";
  protected readonly memberKind = "parameters";

  constructor(parameters: Iterable<Tensor> = []) {
    super(parameters);
  }

  protected accept(op: string, value: unknown): Parameter {
    return asParameter(op, "a list entry", value);
  }

  /** Throws: a ParameterList only holds parameters. */
  forward(): never {
    throw new TypeError(`${typeNameOf(this)}: forward is not implemented; a ParameterList only holds parameters`);
  }

  /** One line per parameter, `(0): Parameter containing: [float32 of size 2x3]`, as PyTorch. */
  override extraRepr(): string {
    return [...this].map((p, i) => `  (${i}): ${describeParameter(p, p.dtype)}`).join("\n");
  }
}

/** Holds members as fields named by their keys, in insertion order: ModuleDict and ParameterDict. */
abstract class Keyed<T> extends Module {
  private readonly keyOrder = new Set<string>();

  /** Checks (and converts) a member on its way in. */
  protected abstract accept(op: string, value: unknown): T;

  protected override fieldOrder(): string[] {
    return [...this.keyOrder, ...Object.keys(this).filter((k) => !this.keyOrder.has(k))];
  }

  /** Number of entries. */
  get length(): number {
    return this.keyOrder.size;
  }

  /** The entry under `key`; throws a RangeError listing the keys when there is none. */
  get(key: string): T {
    if (!this.has(key)) throw new RangeError(`${typeNameOf(this)}: no key ${JSON.stringify(key)} (keys: ${[...this.keyOrder].join(", ") || "none"})`);
    return (this as unknown as Record<string, T>)[key];
  }

  /** Puts `value` under `key` (a new key goes last, an existing one keeps its place); returns this. */
  set(key: string, value: T): this {
    const op = `${typeNameOf(this)}.set`;
    if (typeof key !== "string") throw new TypeError(`${op}: key must be a string, got ${describeValue(key)}`);
    if (key === "" || key.includes(".")) throw new RangeError(`${op}: key must be non-empty and contain no "." (got ${JSON.stringify(key)})`);
    if (!this.keyOrder.has(key) && key in this) throw new RangeError(`${op}: key ${JSON.stringify(key)} is taken by a property of ${typeNameOf(this)}`);
    const accepted = this.accept(op, value);
    this.keyOrder.add(key);
    (this as unknown as Record<string, T>)[key] = accepted;
    return this;
  }

  /** Whether `key` is present (PyTorch's `key in d`). */
  has(key: string): boolean {
    return this.keyOrder.has(key);
  }

  /** Removes `key` if present; returns whether it was (PyTorch's `del d[key]`, which throws instead). */
  delete(key: string): boolean {
    if (!this.keyOrder.delete(key)) return false;
    delete (this as unknown as Record<string, T>)[key];
    return true;
  }

  /** Removes and returns the entry under `key`; throws like `get` when there is none. */
  pop(key: string): T {
    const value = this.get(key);
    this.delete(key);
    return value;
  }

  /** Removes every entry. */
  clear(): void {
    for (const key of [...this.keyOrder]) this.delete(key);
  }

  /** The keys, in insertion order. */
  keys(): string[] {
    return [...this.keyOrder];
  }

  /** The entries' values, in insertion order. */
  values(): T[] {
    return this.keys().map((k) => this.get(k));
  }

  /** `[key, value]` pairs, in insertion order. */
  items(): Array<[string, T]> {
    return this.keys().map((k) => [k, this.get(k)]);
  }

  /**
   * Adds or replaces entries from a Map, an iterable of `[key, value]` pairs or another container
   * of this kind (in their order), or a plain object (in its key order); returns this.
   */
  update(entries: Iterable<readonly [string, T]> | Readonly<Record<string, T>>): this {
    for (const [k, v] of toEntries<T>(`${typeNameOf(this)}.update`, entries)) this.set(k, v);
    return this;
  }

  /** Iterates over the keys, as PyTorch's `iter(d)`. */
  *[Symbol.iterator](): IterableIterator<string> {
    yield* this.keys();
  }
}

function toEntries<T>(op: string, entries: unknown): Array<readonly [string, T]> {
  if (entries instanceof Keyed) return entries.items() as Array<[string, T]>;
  if (entries instanceof Map || Array.isArray(entries)) {
    return [...(entries as Iterable<unknown>)].map((e, i) => {
      if (!Array.isArray(e) || e.length !== 2) throw new TypeError(`${op}: entry ${i} must be a [key, value] pair, got ${describeValue(e)}`);
      return e as unknown as readonly [string, T];
    });
  }
  if (typeof entries === "object" && entries !== null && !(entries instanceof Module) && !(entries instanceof Tensor)) {
    return Object.entries(entries) as Array<[string, T]>;
  }
  throw new TypeError(`${op}: expected a Map, an array of [key, value] pairs or an object, got ${describeValue(entries)}`);
}

/**
 * Modules under string keys, like PyTorch's `nn.ModuleDict`: each is a child named by its key
 * (`"encoder.weight"` in the state dict), in insertion order. Keys must not contain "." nor name a
 * property of the container (`keys`, `training`, ...). It has no forward: look modules up. Build it
 * from a Map or `[key, module]` pairs to choose the order freely: a JavaScript object literal lists
 * integer-like keys (`"2"`) first, whatever the order they were written in.
 *
 * @example
 * ```ts
 * class Heads extends Module {
 *   heads = new ModuleDict({ cls: new Linear(8, 3), box: new Linear(8, 4) });
 *   forward(x: Tensor, task: string) { return this.heads.get(task).forward(x); }
 * }
 * const m = new Heads();
 * m.forward(ones([2, 8]), "box").shape; // → [2, 4]
 * Object.keys(m.stateDict());           // → ["heads.cls.weight", "heads.cls.bias", "heads.box.weight", "heads.box.bias"]
 * m.heads.keys();                       // → ["cls", "box"]
 * ```
 * @group Containers
 */
export class ModuleDict<T extends Module = Module> extends Keyed<T> {
  static override readonly typeName: string = "ModuleDict";

  constructor(modules: Iterable<readonly [string, T]> | Readonly<Record<string, T>> = {}) {
    super();
    this.update(modules);
  }

  protected accept(op: string, value: unknown): T {
    if (!(value instanceof Module)) throw new TypeError(`${op}: expected a Module, got ${describeValue(value)}`);
    return value as T;
  }

  /** Throws: a ModuleDict only holds modules. */
  forward(): never {
    throw new TypeError(`${typeNameOf(this)}: forward is not implemented; a ModuleDict only holds modules, so look them up with get(key)`);
  }
}

/**
 * Parameters under string keys, like PyTorch's `nn.ParameterDict`: each named by its key in the
 * state dict, in insertion order. A tensor that is not a `Parameter` is wrapped in one. Built from
 * a plain object, the entries are sorted by key (PyTorch sorts a plain `dict`); from a Map or an
 * array of pairs, they keep their order. Prints each entry as PyTorch does:
 * `(bias): Parameter containing: [FloatTensor of size 4]` (the tensor type, where `ParameterList`
 * prints the dtype).
 *
 * @example
 * ```ts
 * const scales = new ParameterDict({ b: ones([2]), a: zeros([1]) });
 * scales.keys();                       // → ["a", "b"]
 * scales.set("c", new Parameter(ones([3])));
 * Object.keys(scales.stateDict());     // → ["a", "b", "c"]
 * scales.get("b").requiresGrad;        // → true
 * scales.get("z", null);               // → null
 * ```
 * @group Containers
 */
export class ParameterDict extends Keyed<Parameter> {
  static override readonly typeName: string = "ParameterDict";

  constructor(parameters: Iterable<readonly [string, Tensor]> | Readonly<Record<string, Tensor>> = {}) {
    super();
    const entries = toEntries<Tensor>("ParameterDict", parameters);
    const plainObject = !(parameters instanceof Map || Array.isArray(parameters) || parameters instanceof Keyed);
    if (plainObject) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [k, v] of entries) this.set(k, v as Parameter);
  }

  protected accept(op: string, value: unknown): Parameter {
    return asParameter(op, "a value", value);
  }

  /** The parameter under `key`, or `defaultValue` when there is none (PyTorch's `get(key, default)`); without one it throws. */
  override get(key: string): Parameter;
  override get<D>(key: string, defaultValue: D): Parameter | D;
  override get<D>(key: string, ...defaultValue: [D?]): Parameter | D {
    if (defaultValue.length > 0 && !this.has(key)) return defaultValue[0] as D;
    return super.get(key);
  }

  /**
   * The parameter under `key`; when there is none, `value` is put there first (PyTorch's `setdefault`).
   *
   * @example
   * ```ts
   * const d = new ParameterDict();
   * d.setdefault("w", ones([2])).shape;  // → [2]
   * d.setdefault("w", zeros([5])).shape; // → [2] (already there)
   * ```
   */
  setdefault(key: string, value: Tensor): Parameter {
    if (!this.has(key)) this.set(key, value as Parameter);
    return this.get(key);
  }

  /**
   * A new ParameterDict holding the same parameters (not copies), as PyTorch's `copy()`.
   *
   * @example
   * ```ts
   * const d = new ParameterDict({ w: ones([2]) });
   * d.copy().get("w") === d.get("w"); // → true
   * ```
   */
  copy(): ParameterDict {
    return new ParameterDict(this.items());
  }

  /** Throws: a ParameterDict only holds parameters. */
  forward(): never {
    throw new TypeError(`${typeNameOf(this)}: forward is not implemented; a ParameterDict only holds parameters`);
  }

  /** One line per parameter, `(key): Parameter containing: [FloatTensor of size 2x3]`, as PyTorch. */
  override extraRepr(): string {
    return this.items().map(([k, p]) => `  (${k}): ${describeParameter(p, TENSOR_TYPES[p.dtype] ?? p.dtype)}`).join("\n");
  }
}

// torch.typename of a CPU tensor, by dtype (what ParameterDict prints).
const TENSOR_TYPES: Readonly<Record<string, string>> = {
  float32: "FloatTensor", float64: "DoubleTensor", int32: "IntTensor", int16: "ShortTensor", int8: "CharTensor",
  uint8: "ByteTensor", bool: "BoolTensor",
};

function describeParameter(p: Parameter, type: string): string {
  return `Parameter containing: [${type} of size ${p.shape.join("x")}]`;
}

function asParameter(op: string, what: string, value: unknown): Parameter {
  if (value instanceof Parameter) return value;
  if (value instanceof Tensor) return new Parameter(value);
  throw new TypeError(`${op}: ${what} must be a Tensor or Parameter, got ${describeValue(value)}`);
}
