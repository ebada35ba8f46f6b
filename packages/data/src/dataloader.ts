/** Iterating a dataset in (shuffled) mini-batches, synchronously or with `for await` and prefetching. */
import { Generator, Tensor, describeValue } from "@tsgrad/core";
import { Dataset, IterableDataset, Subset, TensorDataset, isMapDataset } from "./dataset.js";
import { type Collated, defaultCollate } from "./collate.js";
import { BatchSampler, RandomSampler, SequentialSampler, samplerLength } from "./sampler.js";
import { resolveDataOptions } from "./validate.js";

/**
 * Options of {@link DataLoader}: the batch size, the order, and how items become a batch.
 * Defaults as in PyTorch; `numWorkers` and the other multi-process options do not exist.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `batchSize` | `1` (`null`: no batching) | `batch_size` |
 * | `shuffle` | `false` | `shuffle` |
 * | `sampler` | sequential, or random with `shuffle` | `sampler` |
 * | `batchSampler` | none | `batch_sampler` |
 * | `dropLast` | `false` | `drop_last` |
 * | `generator` | the global generator | `generator` |
 * | `collateFn` | {@link defaultCollate} | `collate_fn` |
 * | `prefetchFactor` | `2` | `prefetch_factor` (per worker there; here for `for await`) |
 *
 * As in PyTorch, `sampler` excludes `shuffle`; `batchSampler` excludes `batchSize`, `shuffle`,
 * `sampler` and `dropLast`; `batchSize: null` excludes `dropLast`; an {@link IterableDataset}
 * takes none of `shuffle`, `sampler`, `batchSampler`. Each conflict throws a RangeError.
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
  /** Items per batch (default 1); `null` turns batching off: each item is yielded (through `collateFn`, if given) on its own. */
  batchSize?: number | null;
  /** Draw a new random order at the start of every epoch (default false): a {@link RandomSampler}. */
  shuffle?: boolean;
  /** The order of indices (a {@link Sampler} or any iterable of integers), drawn anew every epoch. */
  sampler?: Iterable<number>;
  /** The index batches themselves (a {@link BatchSampler} or any iterable of integer lists). */
  batchSampler?: Iterable<readonly number[]>;
  /** Skip the last batch when it would be smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Source of the shuffling order (default: the global generator at the time each epoch starts). */
  generator?: Generator;
  /** Turns a list of items into a batch (default {@link defaultCollate}). */
  collateFn?: (items: Awaited<T>[]) => B;
  /** `for await` keeps this many batches loading ahead of the one being used (default 2). */
  prefetchFactor?: number;
}

type AnyDataset<T> = Dataset<T> | IterableDataset<T>;

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as PromiseLike<unknown>).then === "function";

// The rows of a TensorDataset that `indices` pick, through any chain of Subsets, or null.
function tensorRows(ds: unknown, indices: readonly number[]): Tensor[] | null {
  let idx = indices;
  while (ds instanceof Subset) {
    const map = (ds as Subset<unknown>).indices;
    idx = idx.map((i) => map[i]);
    ds = (ds as Subset<unknown>).dataset;
  }
  if (!(ds instanceof TensorDataset)) return null;
  const index = new Tensor(Int32Array.from(idx), [idx.length], "int32");
  return ds.tensors.map((t) => t.indexSelect(0, index));
}

/**
 * Iterates a dataset in mini-batches, like `torch.utils.data.DataLoader` (single process). A
 * map-style {@link Dataset} is visited in the order of its sampler: {@link SequentialSampler} by
 * default, a fresh {@link RandomSampler} permutation every epoch with `shuffle` (so a seeded
 * generator gives a reproducible sequence of epochs), or the `sampler` / `batchSampler` given. An
 * {@link IterableDataset} is read in stream order, `batchSize` items at a time. Batches are
 * collated into tensors with a new leading dim of size `batchSize` (the last one smaller unless
 * `dropLast`). Over a {@link TensorDataset} (or a {@link Subset} of one) each batch is gathered
 * with one `indexSelect` per tensor instead of stacking rows one by one.
 *
 * `for await (const batch of loader)` also works when `get(i)` returns a Promise (items read
 * from files or fetched): it keeps `prefetchFactor` batches loading (the items of a batch
 * concurrently) while the current batch is in use, so reading overlaps training.
 *
 * `length` follows PyTorch's `len(loader)`: the length of the batch sampler (`ceil(m / batchSize)`,
 * or `floor` with `dropLast`, for a sampler of `m` indices), of the sampler without batching, and
 * for an IterableDataset the same rule over the dataset's own `length` (a TypeError if it has none).
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
export class DataLoader<T, B = Collated<Awaited<T>>> implements Iterable<B>, AsyncIterable<B> {
  /** The dataset being batched. */
  readonly dataset: AnyDataset<T>;
  /** Items per batch; `null` with a `batchSampler` or when batching is off (as PyTorch). */
  readonly batchSize: number | null;
  /** Whether each epoch is shuffled. */
  readonly shuffle: boolean;
  /** Whether an incomplete last batch is dropped (false with a `batchSampler`). */
  readonly dropLast: boolean;
  /** The generator given in the options, if any. */
  readonly generator: Generator | undefined;
  /** The index order of a map-style dataset (undefined for an IterableDataset, or with a `batchSampler` given alone). */
  readonly sampler: Iterable<number> | undefined;
  /** The index batches of a map-style dataset (undefined without batching or for an IterableDataset). */
  readonly batchSampler: Iterable<readonly number[]> | undefined;
  /** Batches `for await` keeps loading ahead. */
  readonly prefetchFactor: number;
  private readonly collateFn: ((items: Awaited<T>[]) => B) | undefined;
  private readonly iterable: boolean;

  /** Creates a loader; throws on bad options and on the combinations PyTorch rejects. */
  constructor(dataset: AnyDataset<T>, options: DataLoaderOptions<T, B> = {}) {
    const op = "DataLoader";
    const iterable = (dataset as unknown) instanceof IterableDataset;
    if (!iterable && !isMapDataset(dataset)) {
      throw new TypeError(`${op}: dataset must be a Dataset (an object with a numeric length and get(i)) or an IterableDataset, got ${describeValue(dataset)}${Array.isArray(dataset) ? " (wrap an array in a Dataset)" : ""}`);
    }
    const o = resolveDataOptions(op, options, {
      batchSize: 1 as number | null, shuffle: false, sampler: undefined as Iterable<number> | undefined,
      batchSampler: undefined as Iterable<readonly number[]> | undefined, dropLast: false, generator: undefined as Generator | undefined,
      collateFn: undefined as ((items: Awaited<T>[]) => B) | undefined, prefetchFactor: 2,
    });
    if (iterable) {
      for (const [name, given] of [["shuffle", o.shuffle ? true : undefined], ["sampler", o.sampler], ["batchSampler", o.batchSampler]] as const) {
        if (given !== undefined) throw new RangeError(`${op} with IterableDataset: expected unspecified ${name} option, but got ${name}=${describeValue(given)}`);
      }
    }
    if (o.sampler !== undefined && o.shuffle) throw new RangeError(`${op}: sampler option is mutually exclusive with shuffle`);
    let { batchSize, dropLast } = o;
    if (o.batchSampler !== undefined) {
      if (batchSize !== 1 || o.shuffle || o.sampler !== undefined || dropLast) {
        throw new RangeError(
          `${op}: batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast ` +
            `(got batchSize=${batchSize}, shuffle=${o.shuffle}, sampler=${o.sampler === undefined ? "undefined" : "given"}, dropLast=${dropLast})`,
        );
      }
      batchSize = null;
      dropLast = false;
    } else if (batchSize === null && dropLast) {
      throw new RangeError(`${op}: batchSize=null option disables auto-batching and is mutually exclusive with dropLast`);
    }
    this.dataset = dataset;
    this.iterable = iterable;
    if (!iterable) this.datasetLength();
    this.batchSize = batchSize;
    this.shuffle = o.shuffle;
    this.dropLast = dropLast;
    this.generator = o.generator;
    this.collateFn = o.collateFn;
    this.prefetchFactor = o.prefetchFactor;
    if (iterable) {
      this.sampler = undefined;
      this.batchSampler = undefined;
    } else {
      this.sampler = o.sampler ?? (o.batchSampler !== undefined ? undefined : o.shuffle
        ? new RandomSampler(dataset as Dataset<T>, { generator: o.generator })
        : new SequentialSampler(dataset as Dataset<T>));
      this.batchSampler = o.batchSampler ?? (batchSize === null ? undefined : new BatchSampler(this.sampler!, batchSize, dropLast));
    }
  }

  // The map-style dataset's length, read each epoch (a dataset may grow), checked: a negative,
  // fractional or NaN length would otherwise silently give no batches, or a wrong count.
  private datasetLength(): number {
    const n: unknown = (this.dataset as Dataset<T>).length;
    if (typeof n !== "number") throw new TypeError(`DataLoader: the dataset's length must be a number, got ${describeValue(n)}`);
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`DataLoader: the dataset's length must be a non-negative integer, got ${n}`);
    return n;
  }

  /** Number of batches per epoch, PyTorch's `len(loader)` (see the class). */
  get length(): number {
    if (this.iterable) {
      const n: unknown = (this.dataset as { length?: unknown }).length;
      if (typeof n !== "number") throw new TypeError(`DataLoader: the IterableDataset (${describeValue(this.dataset)}) has no length`);
      if (this.batchSize === null) return n;
      return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
    }
    return samplerLength("DataLoader", this.batchSampler ?? this.sampler!);
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

  /** One epoch: draws this epoch's order from the sampler and yields its batches. */
  *[Symbol.iterator](): Iterator<B> {
    for (const { items, finish } of this.epoch()) {
      items.forEach((it, k) => {
        if (isThenable(it)) throw new TypeError(`DataLoader: the dataset returned a Promise for item ${k} of a batch; iterate with \`for await (const batch of loader)\``);
      });
      yield finish(items);
    }
  }

  /**
   * One epoch for `for await`: the items of each batch are awaited together, and the next
   * `prefetchFactor` batches are already loading while the current one is in use.
   *
   * @example
   * ```ts
   * class Slow extends Dataset<Promise<Tensor>> {
   *   readonly length = 4;
   *   async get(i: number) { return tensor([i]); }
   * }
   * const seen: number[][] = [];
   * for await (const xb of new DataLoader(new Slow(), { batchSize: 2 })) seen.push(xb.flatten().toArray() as number[]);
   * seen; // → [[0, 1], [2, 3]]
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const epoch = this.epoch();
    const loading: Promise<B>[] = [];
    const refill = (): void => {
      while (loading.length < this.prefetchFactor) {
        const next = epoch.next();
        if (next.done) return;
        const { items, finish } = next.value;
        const batch = Promise.all(items).then(finish);
        batch.catch(() => {}); // rejected ahead of its turn: reported when awaited, not as unhandled
        loading.push(batch);
      }
    };
    refill();
    while (loading.length > 0) {
      const batch = await loading.shift()!;
      refill();
      yield batch;
    }
  }

  // One epoch's batches, each as the items it needs (values or promises, requested from the
  // dataset as the batch is reached) and how to turn them into the batch once they are all there.
  private *epoch(): IterableIterator<PendingBatch<B>> {
    const collate = (items: unknown[]): B => (this.collateFn ? this.collateFn(items as Awaited<T>[]) : (defaultCollate(items) as B));
    const single = ([item]: unknown[]): B => (this.collateFn ? (this.collateFn as unknown as (item: unknown) => B)(item) : (item as B));
    if (this.iterable) {
      const it = (this.dataset as IterableDataset<T>)[Symbol.iterator]();
      const size = this.batchSize ?? 1;
      for (let ended = false; !ended; ) {
        const items: unknown[] = [];
        while (items.length < size) {
          const r = it.next();
          if ((ended = r.done === true)) break;
          items.push(r.value);
        }
        if (items.length === 0 || (this.dropLast && items.length < size)) return;
        yield { items, finish: this.batchSize === null ? single : collate };
      }
      return;
    }
    this.datasetLength();
    const ds = this.dataset as Dataset<T>;
    if (this.batchSampler === undefined) {
      for (const i of this.sampler!) yield { items: [ds.get(i)], finish: single };
      return;
    }
    for (const indices of this.batchSampler) {
      const rows = this.collateFn ? null : tensorRows(ds, indices);
      yield rows ? { items: [], finish: () => rows as B } : { items: indices.map((i) => ds.get(i)), finish: collate };
    }
  }
}

interface PendingBatch<B> {
  readonly items: unknown[];
  readonly finish: (items: unknown[]) => B;
}
