/** Seeds and generators for the data helpers, and the small numeric helpers the generators share. */
import { Generator, getDefaultGenerator, randperm } from "@tsgrad/core";

/**
 * Where a data helper draws its randomness, like scikit-learn's `random_state`: a seed (a fresh
 * {@link Generator} seeded with it, so the same seed gives the same result on every machine), a
 * Generator (its stream continues), or nothing (the global generator, see `manualSeed`).
 */
export type RandomState = number | Generator;

/** The generator a `randomState` option stands for. */
export function resolveRandomState(op: string, state: RandomState | undefined): Generator {
  if (state === undefined) return getDefaultGenerator();
  if (state instanceof Generator) return state;
  if (!Number.isSafeInteger(state) || state < 0) {
    throw new RangeError(`${op}: randomState must be a non-negative integer seed or a Generator, got ${String(state)}`);
  }
  return new Generator(state);
}

/** A random permutation of 0..n−1 drawn from `gen`. */
export function permutation(n: number, gen: Generator): Int32Array {
  return randperm(n, { generator: gen }).data as Int32Array;
}

/** `k` counts summing to `n`, as equal as possible, the first `n mod k` one larger (scikit-learn's split). */
export function splitEvenly(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}

/** NumPy's `linspace(start, stop, num, endpoint)`: `start + i·step`, the last point exactly `stop`. */
export function linspace(start: number, stop: number, num: number, endpoint = true): Float64Array {
  const out = new Float64Array(num);
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  if (endpoint && num > 1) out[num - 1] = stop;
  return out;
}
