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

/**
 * A number as Python's `repr(float)` writes it, for `extraRepr` strings that match PyTorch's:
 * `1e-05`, `0.1`, `1.0`, `1e+20`.
 *
 * @example
 * ```ts
 * [pyFloat(1e-5), pyFloat(0.1), pyFloat(1), pyFloat(1e-4)]; // ["1e-05", "0.1", "1.0", "0.0001"]
 * ```
 */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [mantissa, exponent] = x.toExponential().split("e");
    const sign = exponent.startsWith("-") ? "-" : "+";
    const digits = exponent.replace(/^[+-]/, "").padStart(2, "0");
    return `${mantissa}e${sign}${digits}`;
  }
  const s = String(x);
  return Number.isInteger(x) ? `${s}.0` : s;
}

/** A float tensor's storage, as the fused kernels (norm-kernels.ts, rnn-kernels.ts) read and write it. */
export type FloatArray = Float32Array | Float64Array;

/** A zeroed storage of `n` elements of `dtype`. */
export function alloc(dtype: "float32" | "float64", n: number): FloatArray {
  return dtype === "float64" ? new Float64Array(n) : new Float32Array(n);
}

/** The values of `t` in row-major order (detached), read without copying when they already are. */
export function flat(t: Tensor): { data: FloatArray; offset: number } {
  const c = t.detach().contiguous();
  return { data: c.data as FloatArray, offset: c.offset };
}
