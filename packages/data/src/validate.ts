/**
 * Argument checks shared by the data package, built on core's `optionChecks`: each throws a
 * TypeError (wrong kind) or RangeError (bad value) naming the op, and the options of every data
 * helper are read through {@link resolveDataOptions}.
 */
import { Generator, Tensor, describeValue, optionChecks, resolveOptions, type OptionCheck } from "@tsgrad/core";

/** `[3, 4]`, the way core prints shapes in its errors. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Throws unless `value` is an integer ≥ `min`; returns it. */
export function checkInteger(op: string, name: string, value: unknown, min = 0): number {
  optionChecks.intAtLeast(min)(op, name, value);
  return value as number;
}

/** Throws unless `value` is a finite number ≥ 0; returns it. */
export function checkNonNegative(op: string, name: string, value: unknown): number {
  optionChecks.nonNegative(op, name, value);
  return value as number;
}

/** Throws a TypeError unless `value` is a Tensor. */
export function checkTensor(op: string, name: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a Tensor, got ${describeValue(value)}`);
  return value;
}

const iterableCheck = (what: string): OptionCheck => (op, name, value) => {
  if (value === null || typeof (value as Partial<Iterable<unknown>> | undefined)?.[Symbol.iterator] !== "function") {
    throw new TypeError(`${op}: ${name} must be ${what}, got ${describeValue(value)}`);
  }
};

const randomStateCheck: OptionCheck = (op, name, value) => {
  if (value instanceof Generator) return;
  if (typeof value !== "number") throw new TypeError(`${op}: ${name} must be a non-negative integer seed or a Generator, got ${describeValue(value)}`);
};

// One check per option name; the same name means the same thing in every data helper. Values
// that need more context (nSamples as a count or per-group list, centers, coef, ...) are checked
// where they are used.
const DATA_OPTION_CHECKS: Readonly<Record<string, OptionCheck>> = {
  batchSize: optionChecks.nullable(optionChecks.intAtLeast(1)),
  replacement: optionChecks.boolean,
  numSamples: optionChecks.intAtLeast(1),
  sampler: iterableCheck("an iterable of indices (a Sampler or an array)"),
  batchSampler: iterableCheck("an iterable of index lists (a BatchSampler or an array of arrays)"),
  prefetchFactor: optionChecks.intAtLeast(1),
  inplace: optionChecks.boolean,
  fill: optionChecks.number,
  paddingMode: optionChecks.oneOf(["constant", "edge", "reflect", "symmetric"]),
  padIfNeeded: optionChecks.boolean,
  shuffle: optionChecks.boolean,
  dropLast: optionChecks.boolean,
  generator: optionChecks.instanceOf(Generator, "a Generator"),
  collateFn: optionChecks.function,
  randomState: randomStateCheck,
  dtype: optionChecks.floatDType,
  noise: optionChecks.nonNegative,
  nFeatures: optionChecks.intAtLeast(1),
  nClasses: optionChecks.intAtLeast(1),
  nInformative: optionChecks.intAtLeast(0),
  bias: optionChecks.finite,
  outlierFraction: optionChecks.probability,
  outlierScale: optionChecks.nonNegative,
  factor: optionChecks.inHalfOpenRange(0, 1),
  testSize: optionChecks.number,
  trainSize: optionChecks.number,
  withMean: optionChecks.boolean,
  withStd: optionChecks.boolean,
  average: optionChecks.oneOf(["binary", "macro", "micro", "weighted"]),
  posLabel: optionChecks.number,
  zeroDivision: optionChecks.oneOf([0, 1]),
};

/**
 * Core's `resolveOptions` with the data package's checks: unknown keys throw with a hint
 * (`batch_size` → "did you mean batchSize?"), every given value is checked by its name.
 */
export function resolveDataOptions<D extends object>(op: string, options: unknown, defaults: D): D {
  return resolveOptions(op, options, defaults, DATA_OPTION_CHECKS as { [K in keyof D]?: OptionCheck });
}
