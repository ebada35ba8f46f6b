/**
 * Datasets: the map-style {@link Dataset} and {@link TensorDataset}, the stream-style
 * {@link IterableDataset}, and the wrappers {@link Subset} and {@link ConcatDataset}.
 */
import { Tensor, describeValue } from "@tsgrad/core";
import { fmtShape } from "./validate.js";
import { checkIndexList } from "./sampler.js";

function checkIndex(op: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(`${op}: index ${index} is out of range for a dataset of length ${length}`);
  }
}

/** @internal A map-style dataset by its shape: a numeric `length` and a `get(i)` method (a {@link Dataset} or a look-alike). */
export function isMapDataset(value: unknown): value is Dataset<unknown> {
  return value !== null && typeof value === "object" && typeof (value as Dataset<unknown>).get === "function" && typeof (value as Dataset<unknown>).length === "number";
}

/**
 * A map-style dataset, like `torch.utils.data.Dataset`: a `length` and an item for every index
 * `0 <= i < length`. Subclass it and implement both; a {@link DataLoader} batches the items.
 *
 * @example
 * ```ts
 * class Squares extends Dataset<[Tensor, Tensor]> {
 *   readonly length = 100;
 *   get(i: number): [Tensor, Tensor] {
 *     return [tensor([i]), tensor([i * i])];
 *   }
 * }
 * const [x, y] = new DataLoader(new Squares(), { batchSize: 10 })[Symbol.iterator]().next().value!;
 * x.shape;       // [10, 1]
 * y.toArray()[3]; // [9]
 * ```
 */
export abstract class Dataset<T> implements Iterable<T> {
  /**
   * An empty base: a subclass calls `super()` and defines `length` and `get(index)`.
   *
   * PyTorch: `torch.utils.data.Dataset`.
   */
  constructor() {}

  /** Number of items. */
  abstract readonly length: number;

  /**
   * The item at `index` (0-based), PyTorch's `dataset[index]` (`__getitem__`).
   *
   * @example
   * ```ts
   * class Tens extends Dataset<number> {
   *   readonly length = 3;
   *   get(i: number) { return i * 10; }
   * }
   * const ds = new Tens();
   * ds.get(2); // → 20
   * [...ds];   // → [0, 10, 20]
   * ```
   */
  abstract get(index: number): T;

  /**
   * Number of items, like Python's `len(dataset)` (`__len__`); the same as `length`.
   *
   * @example
   * ```ts
   * new TensorDataset(zeros([5, 2]), zeros([5])).len(); // → 5
   * ```
   */
  len(): number {
    return this.length;
  }

  /** Iterates the items in order. */
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

/**
 * A dataset of tensors sharing their first dimension, like `torch.utils.data.TensorDataset`:
 * item `i` is the list of every tensor's row `i`. A {@link DataLoader} over it gathers each
 * batch with one `indexSelect` per tensor.
 *
 * @example
 * ```ts
 * const ds = new TensorDataset(randn([100, 2]), randint(0, 2, [100]));
 * const [x0, y0] = ds.get(0);
 * x0.shape;  // [2]
 * y0.shape;  // [] (0-d)
 * ds.length; // 100
 * ```
 */
export class TensorDataset extends Dataset<Tensor[]> {
  /** The wrapped tensors. */
  readonly tensors: Tensor[];

  /** Wraps tensors that all have the same size in dim 0 (at least one, none 0-d). */
  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new RangeError("TensorDataset: expected at least one tensor");
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: argument ${i} is not a Tensor`);
      if (t.ndim === 0) throw new RangeError(`TensorDataset: tensor ${i} is 0-d; every tensor needs a first dimension to index`);
    });
    const n = tensors[0].shape[0];
    if (tensors.some((t) => t.shape[0] !== n)) {
      const shapes = tensors.map((t) => fmtShape(t.shape)).join(", ");
      throw new RangeError(`TensorDataset: size mismatch between tensors: all must have the same first dim, got shapes ${shapes}`);
    }
    this.tensors = tensors;
  }

  /** The shared size of dim 0. */
  get length(): number {
    return this.tensors[0].shape[0];
  }

  /** Row `index` of every tensor (views, dim 0 removed). */
  get(index: number): Tensor[] {
    checkIndex("TensorDataset.get", index, this.length);
    return this.tensors.map((t) => t.select(0, index));
  }
}

/**
 * A dataset that is a stream of items rather than an indexable collection, like
 * `torch.utils.data.IterableDataset`: subclass it and implement `[Symbol.iterator]` (a generator
 * method reads best). A {@link DataLoader} over it takes `batchSize` items at a time from one
 * iterator per epoch; `shuffle`, `sampler` and `batchSampler` do not apply (there are no indices),
 * and the loader has a `length` only if the dataset defines a numeric `length` property (PyTorch's
 * optional `__len__`).
 *
 * PyTorch: `torch.utils.data.IterableDataset`.
 *
 * @example
 * ```ts
 * class Countdown extends IterableDataset<number> {
 *   *[Symbol.iterator]() {
 *     for (let i = 5; i > 0; i--) yield i;
 *   }
 * }
 * const batches = [...new DataLoader(new Countdown(), { batchSize: 2 })].map((b) => b.toArray());
 * batches; // → [[5, 4], [3, 2], [1]]
 * ```
 */
export abstract class IterableDataset<T> implements Iterable<T> {
  /**
   * An empty base: a subclass calls `super()` and defines `[Symbol.iterator]`.
   *
   * @example
   * ```ts
   * class Ones extends IterableDataset<number> {
   *   readonly length = 3;
   *   *[Symbol.iterator]() { yield* [1, 1, 1]; }
   * }
   * [...new Ones()]; // → [1, 1, 1]
   * ```
   */
  constructor() {}

  /** The items, in stream order; each call starts a new pass (a new epoch of a DataLoader). */
  abstract [Symbol.iterator](): Iterator<T>;
}

/**
 * Several iterable datasets one after another, like `torch.utils.data.ChainDataset`: each epoch
 * streams the first to its end, then the second, and so on. Its `length` is the sum of theirs
 * (a TypeError if one has none), read when asked.
 *
 * PyTorch: `torch.utils.data.ChainDataset`.
 *
 * @example
 * ```ts
 * class Range3 extends IterableDataset<number> {
 *   readonly length = 3;
 *   *[Symbol.iterator]() { yield* [0, 1, 2]; }
 * }
 * const chained = new ChainDataset([new Range3(), new Range3()]);
 * [...chained];    // → [0, 1, 2, 0, 1, 2]
 * chained.length;  // → 6
 * ```
 */
export class ChainDataset<T> extends IterableDataset<T> {
  /** The chained datasets, in order. */
  readonly datasets: readonly IterableDataset<T>[];

  /** Chains iterable datasets (or any iterables, iterated anew every epoch). */
  constructor(datasets: Iterable<IterableDataset<T>>) {
    super();
    const list = [...datasets];
    list.forEach((d, k) => {
      if (typeof (d as Partial<Iterable<T>> | null)?.[Symbol.iterator] !== "function") {
        throw new TypeError(`ChainDataset: datasets[${k}] must be an IterableDataset, got ${describeValue(d)}`);
      }
    });
    this.datasets = list;
  }

  /** The sum of the datasets' lengths; throws if one has none. */
  get length(): number {
    return this.datasets.reduce((total, d, k) => {
      const n: unknown = (d as { length?: unknown }).length;
      if (typeof n !== "number") throw new TypeError(`ChainDataset: datasets[${k}] (${describeValue(d)}) has no length`);
      return total + n;
    }, 0);
  }

  /** The items of every dataset, in order. */
  *[Symbol.iterator](): Iterator<T> {
    for (const d of this.datasets) yield* d;
  }
}

/**
 * The items of `dataset` at the given `indices`, in that order, like `torch.utils.data.Subset`:
 * `subset.get(i)` is `dataset.get(indices[i])`. {@link randomSplit} returns these. A
 * {@link DataLoader} over a Subset of a {@link TensorDataset} still gathers each batch with one
 * `indexSelect` per tensor.
 *
 * PyTorch: `torch.utils.data.Subset`.
 *
 * @example
 * ```ts
 * const ds = new TensorDataset(arange(10));
 * const evens = new Subset(ds, [0, 2, 4, 6, 8]);
 * evens.length;             // → 5
 * evens.get(3)[0].item();   // → 6
 * ```
 */
export class Subset<T> extends Dataset<T> {
  /** The wrapped dataset. */
  readonly dataset: Dataset<T>;
  /** The indices into `dataset` this subset holds, in order. */
  readonly indices: readonly number[];

  /** Wraps `dataset` at `indices` (an array or a 1-D integer tensor), each an integer in `[0, dataset.length)`. */
  constructor(dataset: Dataset<T>, indices: ArrayLike<number> | Tensor) {
    super();
    if (!isMapDataset(dataset)) throw new TypeError(`Subset: dataset must be a Dataset (a numeric length and get(i)), got ${describeValue(dataset)}`);
    const n = dataset.length;
    const list = checkIndexList("Subset", "indices", indices);
    list.forEach((i, k) => {
      if (i < 0 || i >= n) throw new RangeError(`Subset: indices[${k}] = ${i} is out of range for a dataset of length ${n}`);
    });
    this.dataset = dataset;
    this.indices = list;
  }

  /** The number of indices. */
  get length(): number {
    return this.indices.length;
  }

  /** `dataset.get(indices[index])`. */
  get(index: number): T {
    checkIndex("Subset.get", index, this.length);
    return this.dataset.get(this.indices[index]);
  }
}

/**
 * Several datasets one after another, like `torch.utils.data.ConcatDataset`: the items of the
 * first, then of the second, and so on. `cumulativeSizes[k]` is the total length of datasets
 * `0..k`; item `i` comes from the first dataset whose cumulative size exceeds `i`. The sizes are
 * read once, at construction, as in PyTorch.
 *
 * PyTorch: `torch.utils.data.ConcatDataset`.
 *
 * @example
 * ```ts
 * const a = new TensorDataset(tensor([1, 2, 3]));
 * const b = new TensorDataset(tensor([10, 20]));
 * const both = new ConcatDataset([a, b]);
 * both.cumulativeSizes;    // → [3, 5]
 * both.get(3)[0].item();   // → 10
 * ```
 */
export class ConcatDataset<T> extends Dataset<T> {
  /** The concatenated datasets, in order. */
  readonly datasets: readonly Dataset<T>[];
  /** Running totals of the datasets' lengths. */
  readonly cumulativeSizes: readonly number[];

  /** Concatenates at least one map-style dataset. */
  constructor(datasets: Iterable<Dataset<T>>) {
    super();
    const list = [...datasets];
    if (list.length === 0) throw new RangeError("ConcatDataset: datasets should not be an empty iterable");
    list.forEach((d, k) => {
      if ((d as unknown) instanceof IterableDataset) throw new TypeError(`ConcatDataset does not support IterableDataset (datasets[${k}] is one)`);
      if (!isMapDataset(d)) throw new TypeError(`ConcatDataset: datasets[${k}] must be a Dataset (a numeric length and get(i)), got ${describeValue(d)}`);
    });
    let total = 0;
    this.cumulativeSizes = list.map((d) => (total += d.length));
    this.datasets = list;
  }

  /** The sum of the datasets' lengths. */
  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1];
  }

  /** Item `index - cumulativeSizes[k - 1]` of dataset `k`, the first with `cumulativeSizes[k] > index`. */
  get(index: number): T {
    checkIndex("ConcatDataset.get", index, this.length);
    let lo = 0;
    let hi = this.cumulativeSizes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulativeSizes[mid] > index) hi = mid;
      else lo = mid + 1;
    }
    return this.datasets[lo].get(lo === 0 ? index : index - this.cumulativeSizes[lo - 1]);
  }
}
