/** Small argument checks shared by the nn files (not exported from the package). */
import { Tensor, Generator, describeValue, optionChecks } from "@tsgrad/core";

/** The check of a `generator` option. */
export const generatorCheck = optionChecks.instanceOf(Generator, "a Generator");

/** Throws a TypeError naming `op` unless `t` is a Tensor. */
export function checkTensor(op: string, t: unknown, what = "input"): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected ${what} to be a Tensor, got ${describeValue(t)}`);
}

/** Throws a TypeError naming `op` unless `value` is a finite number. */
export function checkNumber(op: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`${op}: ${name} must be a finite number, got ${describeValue(value)}`);
  }
}

