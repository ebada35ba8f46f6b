/** Splitting a dataset into random, non-overlapping {@link Subset}s, like `torch.utils.data.random_split`. */
import { Generator, describeValue, getDefaultGenerator } from "@tsgrad/core";
import { type Dataset, Subset, isMapDataset } from "./dataset.js";
import { permutation } from "./random-state.js";
import { resolveDataOptions } from "./validate.js";

/**
 * Options of {@link randomSplit}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `generator` | the global generator | `generator` |
 *
 * @example
 * ```ts
 * const [a, b] = randomSplit(new TensorDataset(arange(4)), [2, 2], { generator: new Generator(0) });
 * a.length + b.length; // → 4
 * ```
 */
export interface RandomSplitOptions {
  /** Source of the permutation (default: the global generator). */
  generator?: Generator;
}

// Python's math.isclose(a, b) with its default rel_tol=1e-9 (abs_tol=0).
const isClose = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

/**
 * The split lengths {@link randomSplit} uses for a dataset of `n` items, by PyTorch's rule:
 * `lengths` that sum to 1 (within 1e-9, and not above 1) are fractions, each split getting
 * `floor(n · fraction)` items and the remaining items handed out one at a time round-robin from
 * the first split; anything else must be integer lengths summing to `n`.
 *
 * @example
 * ```ts
 * splitLengths(10, [0.33, 0.33, 0.34]); // → [4, 3, 3]
 * splitLengths(10, [3, 7]);             // → [3, 7]
 * ```
 */
export function splitLengths(n: number, lengths: readonly number[]): number[] {
  const op = "randomSplit";
  if (!Array.isArray(lengths) || lengths.length === 0) throw new TypeError(`${op}: lengths must be a non-empty array of lengths or fractions, got ${describeValue(lengths)}`);
  lengths.forEach((l, i) => {
    if (typeof l !== "number" || Number.isNaN(l)) throw new TypeError(`${op}: lengths[${i}] must be a number, got ${describeValue(l)}`);
  });
  const sum = lengths.reduce((a, b) => a + b, 0);
  let out = [...lengths];
  if (isClose(sum, 1) && sum <= 1) {
    out = lengths.map((frac, i) => {
      if (frac < 0 || frac > 1) throw new RangeError(`${op}: fraction at index ${i} is not between 0 and 1, got ${frac}`);
      return Math.floor(n * frac);
    });
    const remainder = n - out.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) out[i % out.length]++;
    out.forEach((len, i) => {
      if (len === 0) globalThis.console?.warn?.(`UserWarning: randomSplit: length of split at index ${i} is 0. This might result in an empty dataset.`);
    });
  } else {
    out.forEach((l, i) => {
      if (!Number.isSafeInteger(l) || l < 0) throw new RangeError(`${op}: lengths[${i}] must be a non-negative integer length (or all lengths fractions summing to 1), got ${l}`);
    });
  }
  const total = out.reduce((a, b) => a + b, 0);
  if (total !== n) throw new RangeError(`${op}: sum of input lengths (${total}, from [${lengths.join(", ")}]) does not equal the length of the input dataset (${n})`);
  return out;
}

/**
 * Splits a map-style dataset into non-overlapping random {@link Subset}s of the given lengths,
 * or of the given fractions (see {@link splitLengths} for PyTorch's rounding rule). Like PyTorch,
 * it draws one permutation `p = randperm(n, { generator })` and gives split `k` the indices
 * `p[offset_k], ..., p[offset_k + length_k - 1]`, `offset_k` the sum of the earlier lengths. The
 * lengths and this assignment are PyTorch's; the permutation itself is not PyTorch's for the
 * same seed (tsgrad's generator is xoshiro128**, PyTorch's mt19937).
 *
 * PyTorch: `torch.utils.data.random_split`.
 *
 * @example
 * ```ts
 * const ds = new TensorDataset(arange(10));
 * const [train, val] = randomSplit(ds, [0.8, 0.2], { generator: new Generator(42) });
 * [train.length, val.length]; // → [8, 2]
 * ```
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], options: RandomSplitOptions = {}): Subset<T>[] {
  if (!isMapDataset(dataset)) throw new TypeError(`randomSplit: dataset must be a Dataset (a numeric length and get(i)), got ${describeValue(dataset)}`);
  const { generator } = resolveDataOptions("randomSplit", options, { generator: undefined as Generator | undefined });
  const sizes = splitLengths(dataset.length, lengths);
  const perm = Array.from(permutation(dataset.length, generator ?? getDefaultGenerator()));
  let offset = 0;
  return sizes.map((len) => new Subset(dataset, perm.slice(offset, (offset += len))));
}
