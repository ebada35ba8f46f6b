/**
 * @tsgrad/nn — Module, Parameter, layers, activations, init and the functional API (F).
 *
 * @example
 * ```ts
 * import { Module, Linear } from "@tsgrad/nn";
 * class Net extends Module {
 *   fc = new Linear(2, 1);
 *   forward(x: Tensor) { return this.fc.forward(x); }
 * }
 * ```
 * @packageDocumentation
 * @module @tsgrad/nn
 */
export { Module, Parameter, type StateDict, type LoadStateDictResult, type BufferOptions } from "./module.js";
