/** Iterating a dataset in (shuffled) mini-batches. */
import { Generator, Tensor, describeValue, getDefaultGenerator } from "@tsgrad/core";
import { Dataset, TensorDataset } from "./dataset.js";
import { type Collated, defaultCollate } from "./collate.js";
import { permutation } from "./random-state.js";
import { resolveDataOptions } from "./validate.js";

/**
 * Options of {@link DataLoader}: the batch size, the order, and how items become a batch.
 * Defaults as in PyTorch; `numWorkers` and the other multi-process options do not exist.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `batchSize` | `1` | `batch_size` |
 * | `shuffle` | `false` | `shuffle` |
 * | `dropLast` | `false` | `drop_last` |
 * | `generator` | the global generator | `generator` |
 * | `collateFn` | {@link defaultCollate} | `collate_fn` |
 *
 * @example
 * ```ts
 * const ds = new TensorDataset(arange(10).reshape(10, 1));
 * const loader = new DataLoader(ds, { batchSize: 4, shuffle: true, dropLast: true, generator: new Generator(0) });
 * loader.length; // → 2 (the last 2 items are dropped)
 * const sizes = new DataLoader(ds, { batchSize: 5, collateFn: (items) => items.length });
 * [...sizes];    // → [5, 5]
 * ```
 */
export interface DataLoaderOptions<T, B> {
  /** Items per batch (default 1). */
  batchSize?: number;
  /** Draw a new random order at the start of every epoch (default false). */
  shuffle?: boolean;
  /** Skip the last batch when it would be smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Source of the shuffling order (default: the global generator at the time each epoch starts). */
  generator?: Generator;
  /** Turns a list of items into a batch (default {@link defaultCollate}). */
  collateFn?: (items: T[]) => B;
}

/**
 * Iterates a dataset in mini-batches, like `torch.utils.data.DataLoader` (single process, map
 * style). Each iteration (epoch) visits every item once, in order or, with `shuffle`, in a fresh
 * permutation drawn from the generator, so a seeded generator gives a reproducible sequence of
 * epochs. Batches are collated into tensors with a new leading dim of size `batchSize` (the last
 * one smaller unless `dropLast`). Over a {@link TensorDataset} each batch is gathered with one
 * `indexSelect` per tensor instead of stacking rows one by one.
 *
 * @example
 * ```ts
 * const X = randn([100, 2]);
 * const y = randint(0, 2, [100]);
 * const loader = new DataLoader(new TensorDataset(X, y), { batchSize: 32, shuffle: true, generator: new Generator(0) });
 * for (let epoch = 0; epoch < 2; epoch++) {
 *   for (const [xb, yb] of loader) {
 *     // xb: [32, 2] and yb: [32], the last batch [4, 2] and [4]
 *   }
 * }
 * loader.length; // 4 (batches per epoch: ceil(100 / 32))
 * ```
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B> {
  /** The dataset being batched. */
  readonly dataset: Dataset<T>;
  /** Items per batch. */
  readonly batchSize: number;
  /** Whether each epoch is shuffled. */
  readonly shuffle: boolean;
  /** Whether an incomplete last batch is dropped. */
  readonly dropLast: boolean;
  /** The generator given in the options, if any. */
  readonly generator: Generator | undefined;
  private readonly collateFn: ((items: T[]) => B) | undefined;

  /** Creates a loader; throws on a batchSize that is not a positive integer. */
  constructor(dataset: Dataset<T>, options: DataLoaderOptions<T, B> = {}) {
    if (dataset === null || typeof dataset !== "object" || typeof dataset.get !== "function" || typeof dataset.length !== "number") {
      throw new TypeError("DataLoader: dataset must be a Dataset (an object with a numeric length and get(i))");
    }
    const { batchSize, shuffle, dropLast, generator, collateFn } = resolveDataOptions("DataLoader", options, {
      batchSize: 1, shuffle: false, dropLast: false, generator: undefined as Generator | undefined, collateFn: undefined as ((items: T[]) => B) | undefined,
    });
    this.dataset = dataset;
    this.datasetLength();
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = generator;
    this.collateFn = collateFn;
  }

  // The dataset's length, read each epoch (a dataset may grow), checked: a negative, fractional or
  // NaN length would otherwise silently give no batches, or a wrong count.
  private datasetLength(): number {
    const n: unknown = this.dataset.length;
    if (typeof n !== "number") throw new TypeError(`DataLoader: the dataset's length must be a number, got ${describeValue(n)}`);
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`DataLoader: the dataset's length must be a non-negative integer, got ${n}`);
    return n;
  }

  /** Number of batches per epoch: `floor(n / batchSize)` with dropLast, else `ceil(n / batchSize)`. */
  get length(): number {
    const n = this.datasetLength();
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /**
   * Number of batches per epoch, like Python's `len(loader)`; the same as `length`.
   *
   * @example
   * ```ts
   * const ds = new TensorDataset(randn([100, 2]));
   * new DataLoader(ds, { batchSize: 32 }).len();                 // → 4
   * new DataLoader(ds, { batchSize: 32, dropLast: true }).len(); // → 3
   * ```
   */
  len(): number {
    return this.length;
  }

  /** One epoch: draws this epoch's order (a new permutation when shuffling) and yields its batches. */
  *[Symbol.iterator](): Iterator<B> {
    const n = this.datasetLength();
    const order = this.shuffle ? permutation(n, this.generator ?? getDefaultGenerator()) : null;
    const batches = this.length;
    for (let b = 0; b < batches; b++) {
      const start = b * this.batchSize;
      const size = Math.min(this.batchSize, n - start);
      const indices = new Int32Array(size);
      for (let k = 0; k < size; k++) indices[k] = order ? order[start + k] : start + k;
      yield this.batch(indices);
    }
  }

  private batch(indices: Int32Array): B {
    const ds = this.dataset;
    if (ds instanceof TensorDataset && !this.collateFn) {
      const index = new Tensor(indices, [indices.length], "int32");
      return ds.tensors.map((t) => t.indexSelect(0, index)) as B;
    }
    const items = Array.from(indices, (i) => ds.get(i));
    return this.collateFn ? this.collateFn(items) : (defaultCollate(items) as B);
  }
}
