/** Map-style datasets: the abstract {@link Dataset} and {@link TensorDataset}. */
import { Tensor } from "@tsgrad/core";
import { fmtShape } from "./validate.js";

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
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`TensorDataset.get: index ${index} is out of range for a dataset of length ${this.length}`);
    }
    return this.tensors.map((t) => t.select(0, index));
  }
}
