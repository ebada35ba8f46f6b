/**
 * The key Node's `util.inspect` (and so `console.log`) looks up for a custom print, taken from
 * the global symbol registry so that no Node module is imported: the same code runs in browsers,
 * where the symbol is simply never looked up.
 *
 * tsgrad's printable classes (Tensor, pair results, Generator, Module, optimizers, schedulers)
 * define a method under this key that returns their `toString()`, so `console.log(model)` prints
 * the module tree rather than the object's internals. Give your own classes the same method to
 * get the same behaviour.
 *
 * @example
 * ```ts
 * class Point {
 *   constructor(readonly x: number, readonly y: number) {}
 *   toString() { return `Point(${this.x}, ${this.y})`; }
 *   [inspectCustom]() { return this.toString(); }
 * }
 * console.log(new Point(1, 2)); // Point(1, 2)
 * ```
 * @group Utilities
 */
export const inspectCustom: unique symbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * The name of `value`'s class for printing and error messages: the class's **own** static
 * `typeName` when it declares one, else `constructor.name`. Built-in classes (modules, optimizers,
 * schedulers) declare `static override readonly typeName: string = "Linear"`, so their names
 * survive a minifying bundler, which renames classes (`constructor.name` becomes `"Si"`). The
 * own-property test means a user's `class MyLinear extends Linear` prints as `MyLinear`, not as
 * its base; declare `typeName` on your own classes too if you minify them.
 *
 * @example
 * ```ts
 * class Residual extends nn.Module {
 *   static override readonly typeName = "Residual";
 *   forward(x: Tensor) { return x; }
 * }
 * typeNameOf(new Residual()); // "Residual", minified or not
 * typeNameOf(new nn.Linear(2, 3)); // "Linear"
 * ```
 * @group Utilities
 */
export function typeNameOf(value: object): string {
  const ctor = (value as { constructor?: unknown }).constructor;
  if (typeof ctor !== "function") return "Object";
  const own = Object.getOwnPropertyDescriptor(ctor, "typeName");
  if (own && typeof own.value === "string") return own.value;
  return ctor.name || "anonymous";
}
