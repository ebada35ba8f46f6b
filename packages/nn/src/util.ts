/** Small argument checks shared by the nn files (not exported from the package). */
import { Tensor, typeNameOf } from "@tsgrad/core";

/** A short description of an unexpected value for error messages: `a Map`, `number 3`, `null`. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") {
    const name = typeNameOf(value);
    return name === "Object" ? "a plain object" : `a ${name}`;
  }
  return `${typeof value} ${String(value)}`;
}

/** Throws a TypeError naming `op` unless `t` is a Tensor. */
export function checkTensor(op: string, t: unknown, what = "input"): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected ${what} to be a Tensor, got ${describe(t)}`);
}

/** Throws a TypeError naming `op` unless `value` is a finite number. */
export function checkNumber(op: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`${op}: ${name} must be a finite number, got ${describe(value)}`);
  }
}
