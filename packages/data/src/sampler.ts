/**
 * Samplers, like `torch.utils.data.sampler`: iterables of dataset indices (or, for
 * {@link BatchSampler}, of index batches) that decide the order a {@link DataLoader} visits a
 * map-style dataset in.
 */
import { Generator, Tensor, describeValue, getDefaultGenerator, randint } from "@tsgrad/core";
import { permutation } from "./random-state.js";
import { checkInteger, fmtShape, resolveDataOptions } from "./validate.js";

/**
 * Anything with a length: a dataset, an array, a sampler (PyTorch's `Sized`), what
 * {@link SequentialSampler} and {@link RandomSampler} sample from.
 *
 * @example
 * ```ts
 * const source: Sized = { length: 3 };
 * [...new SequentialSampler(source)]; // → [0, 1, 2]
 * ```
 */
export interface Sized {
  /** The number of items. */
  readonly length: number;
}

function sizeOf(op: string, source: Sized): number {
  const n: unknown = source.length;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${op}: the data source's length must be a non-negative integer, got ${describeValue(n)}`);
  }
  return n;
}

function checkSized(op: string, source: unknown): void {
  if (source === null || typeof source !== "object" || typeof (source as Sized).length !== "number") {
    throw new TypeError(`${op}: dataSource must have a numeric length (a Dataset or an array), got ${describeValue(source)}`);
  }
}

/**
 * The base of every sampler, like `torch.utils.data.Sampler`: an iterable of indices, read anew
 * at every epoch. A subclass implements `[Symbol.iterator]` and, when it knows it, a `length`
 * (a {@link DataLoader}'s `length` needs one). Any `Iterable<number>` (an array, a generator
 * object) works as a DataLoader's `sampler` as well.
 *
 * PyTorch: `torch.utils.data.Sampler`.
 *
 * @example
 * ```ts
 * class Backwards extends Sampler {
 *   constructor(readonly length: number) { super(); }
 *   *[Symbol.iterator]() {
 *     for (let i = this.length - 1; i >= 0; i--) yield i;
 *   }
 * }
 * [...new Backwards(3)]; // → [2, 1, 0]
 * ```
 */
export abstract class Sampler<T = number> implements Iterable<T> {
  /**
   * An empty base: a subclass calls `super()`.
   *
   * @example
   * ```ts
   * class Twice extends Sampler {
   *   readonly length = 2;
   *   *[Symbol.iterator]() { yield* [0, 0]; }
   * }
   * [...new Twice()]; // → [0, 0]
   * ```
   */
  constructor() {}

  /** This epoch's indices. */
  abstract [Symbol.iterator](): Iterator<T>;
}

/**
 * Indices `0, 1, ..., n - 1` in order, `n` the data source's length at the start of each epoch.
 *
 * PyTorch: `torch.utils.data.SequentialSampler`.
 *
 * @example
 * ```ts
 * [...new SequentialSampler([7, 8, 9])]; // → [0, 1, 2]
 * ```
 */
export class SequentialSampler extends Sampler {
  /** What is sampled (its `length` is read each epoch). */
  readonly dataSource: Sized;

  /** Samples `dataSource` (anything with a length) in order. */
  constructor(dataSource: Sized) {
    super();
    checkSized("SequentialSampler", dataSource);
    this.dataSource = dataSource;
  }

  /** The data source's length. */
  get length(): number {
    return sizeOf("SequentialSampler", this.dataSource);
  }

  /** `0, 1, ..., length - 1`. */
  *[Symbol.iterator](): Iterator<number> {
    const n = this.length;
    for (let i = 0; i < n; i++) yield i;
  }
}

/**
 * Options of {@link RandomSampler}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `replacement` | `false` | `replacement` |
 * | `numSamples` | the data source's length | `num_samples` |
 * | `generator` | the global generator | `generator` |
 *
 * @example
 * ```ts
 * const s = new RandomSampler([1, 2, 3], { replacement: true, numSamples: 10, generator: new Generator(0) });
 * s.length; // → 10
 * ```
 */
export interface RandomSamplerOptions {
  /** Draw each index independently (uniform over `[0, n)`) instead of from a permutation (default false). */
  replacement?: boolean;
  /** Indices per epoch (default: the data source's length, read each epoch). */
  numSamples?: number;
  /** Source of the randomness (default: the global generator, drawn from at each epoch). */
  generator?: Generator;
}

/**
 * Random indices, like `torch.utils.data.RandomSampler`, the sampler of `shuffle: true`. Without
 * replacement an epoch is a permutation of `0..n-1` from `randperm(n, { generator })`, as in
 * PyTorch; `numSamples > n` chains `floor(numSamples / n)` permutations and the head of one more.
 * With replacement every index is uniform over `[0, n)` (`randint`). `numSamples` (default `n`)
 * must be positive, so a RandomSampler over an empty dataset throws, as PyTorch's does. Without a
 * generator each epoch draws from the global one (`manualSeed` makes it reproducible); PyTorch
 * seeds a fresh generator from it instead. The indices are not PyTorch's for the same seed:
 * tsgrad's generator is xoshiro128**, not PyTorch's mt19937.
 *
 * PyTorch: `torch.utils.data.RandomSampler`.
 *
 * @example
 * ```ts
 * const order = [...new RandomSampler([10, 20, 30, 40], { generator: new Generator(0) })];
 * [...order].sort(); // → [0, 1, 2, 3]
 * [...new RandomSampler([10, 20], { replacement: true, numSamples: 5 })].length; // → 5
 * ```
 */
export class RandomSampler extends Sampler {
  /** What is sampled. */
  readonly dataSource: Sized;
  /** Whether indices are drawn with replacement. */
  readonly replacement: boolean;
  /** The generator given in the options, if any. */
  readonly generator: Generator | undefined;
  private readonly numSamplesOption: number | undefined;

  /** Samples `dataSource` randomly; throws unless `numSamples` (or the length) is a positive integer. */
  constructor(dataSource: Sized, options: RandomSamplerOptions = {}) {
    super();
    checkSized("RandomSampler", dataSource);
    const { replacement, numSamples, generator } = resolveDataOptions("RandomSampler", options, {
      replacement: false, numSamples: undefined as number | undefined, generator: undefined as Generator | undefined,
    });
    this.dataSource = dataSource;
    this.replacement = replacement;
    this.generator = generator;
    this.numSamplesOption = numSamples;
    if (numSamples === undefined && sizeOf("RandomSampler", dataSource) === 0) {
      throw new RangeError("RandomSampler: numSamples should be a positive integer, but got numSamples=0 (the data source is empty)");
    }
  }

  /** Indices per epoch: the `numSamples` option, else the data source's length. */
  get numSamples(): number {
    return this.numSamplesOption ?? sizeOf("RandomSampler", this.dataSource);
  }

  /** The same as `numSamples`. */
  get length(): number {
    return this.numSamples;
  }

  /** One epoch of `numSamples` random indices. */
  *[Symbol.iterator](): Iterator<number> {
    const n = sizeOf("RandomSampler", this.dataSource);
    const count = this.numSamples;
    const gen = this.generator ?? getDefaultGenerator();
    if (n === 0) throw new RangeError(`RandomSampler: cannot draw ${count} samples from an empty data source`);
    if (this.replacement) {
      yield* randint(0, n, [count], { generator: gen }).data as Int32Array;
      return;
    }
    for (let done = 0; done < count; done += n) {
      const perm = permutation(n, gen);
      yield* count - done >= n ? perm : perm.subarray(0, count - done);
    }
  }
}

/**
 * Options of {@link SubsetRandomSampler} and {@link WeightedRandomSampler}: where the randomness
 * comes from (default: the global generator).
 *
 * @example
 * ```ts
 * const opts: GeneratorOptions = { generator: new Generator(1) };
 * [...new SubsetRandomSampler([4, 5], opts)].length; // → 2
 * ```
 */
export interface GeneratorOptions {
  /** Source of the randomness (default: the global generator). */
  generator?: Generator;
}

/** @internal An index list from an array, a typed array or a 1-D integer tensor, each an integer (TypeError naming `op` otherwise). */
export function checkIndexList(op: string, name: string, indices: unknown): number[] {
  if (indices instanceof Tensor) {
    if (indices.ndim !== 1 || (indices.dtype !== "int32" && indices.dtype !== "int16" && indices.dtype !== "int8" && indices.dtype !== "uint8")) {
      throw new TypeError(`${op}: ${name} must be a 1-D integer tensor, got ${indices.dtype} of shape ${fmtShape(indices.shape)}`);
    }
    return Array.from(indices.dataSync() as ArrayLike<number>);
  }
  if (indices === null || typeof indices !== "object" || typeof (indices as ArrayLike<number>).length !== "number") {
    throw new TypeError(`${op}: ${name} must be an array of integers, got ${describeValue(indices)}`);
  }
  const list = Array.from(indices as ArrayLike<number>);
  list.forEach((i, k) => {
    if (!Number.isSafeInteger(i)) throw new TypeError(`${op}: ${name}[${k}] must be an integer, got ${describeValue(i)}`);
  });
  return list;
}

/**
 * The given indices in a random order, a new permutation (`randperm`) every epoch, like
 * `torch.utils.data.SubsetRandomSampler`: a train/validation split of one dataset without
 * copying it.
 *
 * PyTorch: `torch.utils.data.SubsetRandomSampler`.
 *
 * @example
 * ```ts
 * const s = new SubsetRandomSampler([0, 2, 4, 6], { generator: new Generator(0) });
 * [...s].sort(); // → [0, 2, 4, 6]
 * s.length;      // → 4
 * ```
 */
export class SubsetRandomSampler extends Sampler {
  /** The indices sampled from. */
  readonly indices: readonly number[];
  /** The generator given in the options, if any. */
  readonly generator: Generator | undefined;

  /** Samples `indices` (integers: an array or a 1-D integer tensor) without replacement. */
  constructor(indices: ArrayLike<number> | Tensor, options: GeneratorOptions = {}) {
    super();
    this.indices = checkIndexList("SubsetRandomSampler", "indices", indices);
    this.generator = resolveDataOptions("SubsetRandomSampler", options, { generator: undefined as Generator | undefined }).generator;
  }

  /** The number of indices. */
  get length(): number {
    return this.indices.length;
  }

  /** `indices[p[0]], indices[p[1]], ...` for a fresh permutation `p`. */
  *[Symbol.iterator](): Iterator<number> {
    for (const i of permutation(this.indices.length, this.generator ?? getDefaultGenerator())) yield this.indices[i];
  }
}

/**
 * Options of {@link WeightedRandomSampler}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `replacement` | `true` | `replacement` |
 * | `generator` | the global generator | `generator` |
 *
 * @example
 * ```ts
 * const s = new WeightedRandomSampler([1, 1, 2], 2, { replacement: false, generator: new Generator(0) });
 * new Set(s).size; // → 2 (no index twice)
 * ```
 */
export interface WeightedRandomSamplerOptions extends GeneratorOptions {
  /** Whether an index may be drawn again (default true). */
  replacement?: boolean;
}

/**
 * `numSamples` indices in `[0, weights.length)`, index `i` with probability
 * `weights[i] / Σ weights`, like `torch.utils.data.WeightedRandomSampler` (which calls
 * `torch.multinomial`): the usual fix for an imbalanced training set (weight each sample by one
 * over its class's count). With replacement the draws are independent (inverse CDF of one uniform
 * each). Without replacement, index `i` gets the key `weights[i] / E_i` with `E_i ~ Exp(1)` and the
 * largest `numSamples` keys win, in order: PyTorch 1.13's algorithm, the same distribution as
 * drawing one at a time in proportion to the remaining weights. As in PyTorch, zero-weight indices
 * fill up a draw without replacement that asks for more than the non-zero ones. Weights are read
 * in float64; negative, NaN or infinite weights, or a zero sum, throw.
 *
 * PyTorch: `torch.utils.data.WeightedRandomSampler`.
 *
 * @example
 * ```ts
 * const s = new WeightedRandomSampler([0, 0, 1], 4, { generator: new Generator(0) });
 * [...s]; // → [2, 2, 2, 2]
 * ```
 */
export class WeightedRandomSampler extends Sampler {
  /** The weights, as float64. */
  readonly weights: Float64Array;
  /** Indices per epoch. */
  readonly numSamples: number;
  /** Whether indices are drawn with replacement. */
  readonly replacement: boolean;
  /** The generator given in the options, if any. */
  readonly generator: Generator | undefined;

  /** Samples `numSamples` (a positive integer) indices weighted by `weights` (a list of numbers or a 1-D tensor). */
  constructor(weights: ArrayLike<number> | Tensor, numSamples: number, options: WeightedRandomSamplerOptions = {}) {
    super();
    const op = "WeightedRandomSampler";
    if (weights instanceof Tensor) {
      if (weights.ndim !== 1) throw new RangeError(`${op}: weights should be a 1-D sequence, but the given weights have shape ${fmtShape(weights.shape)}`);
      weights = Array.from(weights.dataSync() as ArrayLike<number>, Number);
    }
    if (weights === null || typeof weights !== "object" || typeof weights.length !== "number") {
      throw new TypeError(`${op}: weights should be a 1-D list of numbers, got ${describeValue(weights)}`);
    }
    const list = Array.from(weights as ArrayLike<unknown>);
    list.forEach((w, i) => {
      if (typeof w !== "number") throw new TypeError(`${op}: weights should be a 1-D list of numbers, but weights[${i}] is ${describeValue(w)}`);
      if (!(w >= 0) || w === Infinity) throw new RangeError(`${op}: invalid multinomial distribution: weights[${i}] = ${w} (weights must be finite and >= 0)`);
    });
    checkInteger(op, "numSamples", numSamples, 1);
    const { replacement, generator } = resolveDataOptions(op, options, { replacement: true, generator: undefined as Generator | undefined });
    this.weights = Float64Array.from(list as number[]);
    if (!(this.weights.reduce((a, b) => a + b, 0) > 0)) throw new RangeError(`${op}: invalid multinomial distribution (sum of weights <= 0), weights [${list.join(", ")}]`);
    if (!replacement && numSamples > list.length) {
      throw new RangeError(`${op}: cannot draw numSamples=${numSamples} > ${list.length} weights without replacement`);
    }
    this.numSamples = numSamples;
    this.replacement = replacement;
    this.generator = generator;
  }

  /** The same as `numSamples`. */
  get length(): number {
    return this.numSamples;
  }

  /** One epoch of `numSamples` weighted indices. */
  *[Symbol.iterator](): Iterator<number> {
    const gen = this.generator ?? getDefaultGenerator();
    yield* this.replacement ? drawWithReplacement(this.weights, this.numSamples, gen) : drawWithoutReplacement(this.weights, this.numSamples, gen);
  }
}

// Inverse CDF: the first index whose running total exceeds u·total (so a zero weight is never drawn).
function drawWithReplacement(weights: Float64Array, count: number, gen: Generator): Int32Array {
  const cdf = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => (cdf[i] = total += w));
  const out = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const u = gen.random() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    out[k] = lo;
  }
  return out;
}

// PyTorch 1.13's multinomial without replacement: top-k of w / E, E ~ Exp(1) (-log(1 - u), u in [0, 1)).
function drawWithoutReplacement(weights: Float64Array, count: number, gen: Generator): Int32Array {
  const keys = Float64Array.from(weights, (w) => w / -Math.log1p(-gen.random()));
  const order = Array.from(keys.keys()).sort((a, b) => keys[b] - keys[a] || a - b);
  return Int32Array.from(order.slice(0, count));
}

/**
 * Groups another sampler's indices into lists of `batchSize`, like
 * `torch.utils.data.BatchSampler`; the last list is shorter unless `dropLast`. Its `length` is
 * `floor(m / batchSize)` with `dropLast`, else `ceil(m / batchSize)`, for a sampler of length `m`.
 * Pass one as a {@link DataLoader}'s `batchSampler`.
 *
 * PyTorch: `torch.utils.data.BatchSampler`.
 *
 * @example
 * ```ts
 * [...new BatchSampler(new SequentialSampler([..."abcdefg"]), 3, false)]; // → [[0, 1, 2], [3, 4, 5], [6]]
 * [...new BatchSampler([5, 3, 9, 1], 3, true)];                           // → [[5, 3, 9]]
 * ```
 */
export class BatchSampler extends Sampler<number[]> {
  /** The sampler whose indices are grouped (any iterable of integers). */
  readonly sampler: Iterable<number>;
  /** Indices per batch. */
  readonly batchSize: number;
  /** Whether a last, incomplete batch is dropped. */
  readonly dropLast: boolean;

  /** Groups `sampler` into batches of `batchSize` (a positive integer). */
  constructor(sampler: Iterable<number>, batchSize: number, dropLast: boolean) {
    super();
    const op = "BatchSampler";
    if (sampler === null || typeof (sampler as Partial<Iterable<number>>)?.[Symbol.iterator] !== "function") {
      throw new TypeError(`${op}: sampler must be an iterable of indices (a Sampler or an array), got ${describeValue(sampler)}`);
    }
    checkInteger(op, "batchSize", batchSize, 1);
    if (typeof dropLast !== "boolean") throw new TypeError(`${op}: dropLast should be a boolean value, but got dropLast=${describeValue(dropLast)}`);
    this.sampler = sampler;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
  }

  /** Batches per epoch; throws if the sampler has no length. */
  get length(): number {
    const m = samplerLength("BatchSampler", this.sampler);
    return this.dropLast ? Math.floor(m / this.batchSize) : Math.ceil(m / this.batchSize);
  }

  /** One epoch of index batches. */
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}

/** @internal The length of a sampler (or any iterable that has one); a TypeError naming `op` if it has none. */
export function samplerLength(op: string, sampler: Iterable<unknown>): number {
  const n: unknown = (sampler as { length?: unknown }).length;
  if (typeof n !== "number") throw new TypeError(`${op}: the sampler (${describeValue(sampler)}) has no length`);
  return n;
}
