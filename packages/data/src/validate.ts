/** Argument checks shared by the data package; each throws a RangeError naming the op. */
import { Tensor } from "@tsgrad/core";

/** `[3, 4]`, the way core prints shapes in its errors. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Throws unless `value` is an integer ≥ `min`; returns it. */
export function checkInteger(op: string, name: string, value: unknown, min = 0): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${op}: ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** Throws unless `value` is a finite number ≥ 0; returns it. */
export function checkNonNegative(op: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${op}: ${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

/** Throws a TypeError unless `value` is a Tensor. */
export function checkTensor(op: string, name: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a Tensor, got ${value === null ? "null" : typeof value}`);
  return value;
}
