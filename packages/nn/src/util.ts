/** Small argument checks shared by the nn files (not exported from the package). */
import { Tensor, Generator, describeValue, optionChecks } from "@tsgrad/core";
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from "./init.js";

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

/**
 * PyTorch's default initialisation of Linear and convolution layers: `kaimingUniform_(weight,
 * { a: √5 })`, i.e. U(−1/√fanIn, 1/√fanIn), and the bias (if any) U(−1/√fanIn, 1/√fanIn).
 */
export function resetAffine(weight: Tensor, bias: Tensor | null, generator: Generator | undefined): void {
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias) {
    const [fanIn] = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound, { generator });
  }
}
