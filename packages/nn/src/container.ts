/**
 * Containers: `ModuleList` (an indexable list of modules) and `Sequential` (a list whose forward
 * chains them). Both keep their modules in numbered fields `"0"`, `"1"`, ..., so the field walk of
 * {@link Module} names their parameters `"0.weight"`, `"1.bias"` as PyTorch does.
 */
import { describeValue, typeNameOf, type Tensor } from "@tsgrad/core";
import { Module } from "./module.js";

/** Holds modules in numbered fields; the shared part of ModuleList and Sequential. */
abstract class NumberedModules extends Module {
  /** The module at position `index` (also `list.at(index)`). */
  [index: number]: Module;
  private count = 0;

  constructor(modules: readonly Module[]) {
    super();
    this.extend(modules);
  }

  /** Number of modules held. */
  get length(): number {
    return this.count;
  }

  /** The module at `index` (negative counts from the end); throws a RangeError when out of range. */
  at(index: number): Module {
    if (typeof index !== "number") throw new TypeError(`${typeNameOf(this)}: index must be an integer, got ${describeValue(index)}`);
    const i = index < 0 ? index + this.count : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.count) {
      throw new RangeError(`${typeNameOf(this)}: index ${index} is out of range for ${this.count} modules`);
    }
    return this[i];
  }

  /** Adds `module` at the end; returns this. */
  append(module: Module): this {
    if (!(module instanceof Module)) {
      throw new TypeError(`${typeNameOf(this)}.append: expected a Module, got ${describeValue(module)}`);
    }
    this[this.count++] = module;
    return this;
  }

  /** Adds each of `modules` at the end; returns this. */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Iterates over the modules in order. */
  *[Symbol.iterator](): IterableIterator<Module> {
    for (let i = 0; i < this.count; i++) yield this[i];
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
