import type { Tensor } from "./tensor.js";
import { inspectCustom } from "./inspect.js";

/**
 * The result of every op that returns a pair in PyTorch (`torch.return_types.*`): `max(dim)`,
 * `min(dim)`, `sort`, `topk`, `kthvalue`, `median(dim)`, `mode`, `cummax`, `cummin`. It reads
 * by name (`.values`, `.indices`), destructures by position (`const [values, indices] = ...`, it
 * is iterable), and indexes by position (`[0]`, `[1]`; `length` is 2), like PyTorch's named
 * tuple. It is immutable.
 *
 * `toString()` (and `console.log`) print it like PyTorch, named by the op that produced it:
 * ```text
 * max(
 * values=tensor([5., 6.]),
 * indices=tensor([1, 2]))
 * ```
 *
 * @example
 * ```ts
 * const x = tensor([[1, 5, 3], [4, 2, 6]]);
 * const { values, indices } = x.max(1); // values [5, 6], indices [1, 2]
 * const [v, i] = x.max(1);              // the same, by position
 * x.max(1)[1].toArray();                // [1, 2]
 * // an op returning a pair builds one with the op's name:
 * const pair = new ValuesIndices("max", values, indices);
 * ```
 * @group Reduction
 */
export class ValuesIndices implements Iterable<Tensor> {
  /** The op that produced the pair (`"max"`, `"sort"`, ...), used by `toString()`. */
  readonly op: string;
  /** The values (for max/min the extremes, for sort the sorted values), typed like the input. */
  readonly values: Tensor;
  /** Their positions along the reduced or sorted dim, int32. */
  readonly indices: Tensor;

  /**
   * Pairs `values` with their `indices` (the pair is frozen). Ops that return a pair build one;
   * users read it (`.values`, `[0]`, destructuring) rather than construct it.
   *
   * @param op The name of the op that produced the pair, as the user called it.
   * @param values The values (first element of the pair).
   * @param indices The indices (second element of the pair).
   */
  constructor(op: string, values: Tensor, indices: Tensor) {
    this.op = op;
    this.values = values;
    this.indices = indices;
    Object.freeze(this);
  }

  /** `values`, as in PyTorch's `result[0]`. */
  get 0(): Tensor {
    return this.values;
  }

  /** `indices`, as in PyTorch's `result[1]`. */
  get 1(): Tensor {
    return this.indices;
  }

  /** 2, as for a pair. */
  get length(): 2 {
    return 2;
  }

  /** Yields `values` then `indices`, so `const [values, indices] = x.max(1)` works. */
  *[Symbol.iterator](): IterableIterator<Tensor> {
    yield this.values;
    yield this.indices;
  }

  /** `"ValuesIndices"`: an explicit name for `Object.prototype.toString`, safe under minification. */
  get [Symbol.toStringTag](): string {
    return "ValuesIndices";
  }

  /** PyTorch's print of `torch.return_types.<op>`, named by the op: `max(\nvalues=tensor(...),\nindices=tensor(...))`. */
  toString(): string {
    return `${this.op}(\nvalues=${this.values.toString()},\nindices=${this.indices.toString()})`;
  }

  /** What `console.log` prints: `toString()`. */
  [inspectCustom](): string {
    return this.toString();
  }
}

/**
 * The result of {@link Tensor.aminmax}, PyTorch's `torch.return_types.aminmax`: a frozen pair that
 * reads by name (`.min`, `.max`) and destructures or indexes by position (`const [min, max] = ...`).
 *
 * @example
 * ```ts
 * const { min, max } = tensor([[1, 5], [3, 2]]).aminmax({ dim: 1 });
 * max.toArray(); // → [5, 3]
 * ```
 * @group Reduction
 */
export type MinMax = readonly [min: Tensor, max: Tensor] & { readonly min: Tensor; readonly max: Tensor };

/** A {@link MinMax} of `min` and `max`. */
export function minMax(min: Tensor, max: Tensor): MinMax {
  return Object.freeze(Object.assign([min, max] as const, { min, max }));
}
