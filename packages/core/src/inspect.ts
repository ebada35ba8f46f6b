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
 */
export const inspectCustom: unique symbol = Symbol.for("nodejs.util.inspect.custom");
