/** Turning a list of dataset items into one batch, like PyTorch's `default_collate`. */
import { Tensor, isPlainObject, stack, tensor } from "@tsgrad/core";

/**
 * The batch type {@link defaultCollate} makes from items of type `T`: tensors and numbers become
 * one tensor with a new leading batch dim; arrays (tuples) and plain objects keep their
 * structure with each field collated.
 */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean
    ? Tensor
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { [K in keyof T]: Collated<T[K]> }
        : never;

// PyTorch collates Python ints to int64 and floats to float32. A JS number is an int when it is
// an integer, so a batch of integers becomes int32 (tsgrad's integer dtype) and any other batch
// float32. An integer batch outside int32 throws rather than wrap.
function collateNumbers(items: readonly number[], path: string): Tensor {
  if (!items.every(Number.isInteger)) return tensor(items as number[]);
  const i = items.findIndex((v) => v < -(2 ** 31) || v > 2 ** 31 - 1);
  if (i >= 0) {
    throw new RangeError(`defaultCollate: item ${i}${path} is the integer ${items[i]}, outside int32 (PyTorch would collate it to int64, which tsgrad lacks); return a float64 tensor from get()`);
  }
  return tensor(items as number[], { dtype: "int32" });
}

function collateAt(items: readonly unknown[], path: string): unknown {
  const first = items[0];
  if (first instanceof Tensor) {
    items.forEach((it, i) => {
      if (!(it instanceof Tensor)) throw new TypeError(`defaultCollate: item ${i}${path} is not a Tensor but item 0${path} is`);
    });
    return stack(items as Tensor[], 0);
  }
  if (typeof first === "number" || typeof first === "boolean") {
    items.forEach((it, i) => {
      if (typeof it !== typeof first) throw new TypeError(`defaultCollate: item ${i}${path} is ${typeof it} but item 0${path} is ${typeof first}`);
    });
    if (typeof first === "boolean") return tensor(items as boolean[]);
    return collateNumbers(items as number[], path);
  }
  if (Array.isArray(first)) {
    items.forEach((it, i) => {
      if (!Array.isArray(it) || it.length !== first.length) {
        throw new RangeError(`defaultCollate: item ${i}${path} must be an array of ${first.length} elements like item 0${path}`);
      }
    });
    return first.map((_, k) => collateAt(items.map((it) => (it as unknown[])[k]), `${path}[${k}]`));
  }
  if (isPlainObject(first)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = collateAt(items.map((it) => (it as Record<string, unknown>)[key]), `${path}.${key}`);
    }
    return out;
  }
  throw new TypeError(`defaultCollate: cannot batch item 0${path} of type ${first === null ? "null" : typeof first}; pass a collateFn`);
}

/**
 * Stacks a list of items into a batch: tensors with `stack(items, 0)`, numbers into a 1-D tensor,
 * booleans into a bool tensor, and arrays / plain objects field by field. Like PyTorch's
 * `default_collate`, which makes Python ints int64 and floats float32: a batch of integer numbers
 * becomes int32 (class labels work with `crossEntropy` as they are), a batch with any other number
 * (`[3, 2.5]`) float32. The dtype thus follows the values of each batch; return tensors from `get`
 * to fix it (a float regression target whose values happen to be whole, say).
 *
 * @example
 * ```ts
 * defaultCollate([[tensor([1, 2]), 0], [tensor([3, 4]), 1]]);
 * // [tensor([[1, 2], [3, 4]]), tensor([0, 1], dtype=int32)]
 * ```
 */
export function defaultCollate<T>(items: readonly T[]): Collated<T> {
  if (items.length === 0) throw new RangeError("defaultCollate: cannot batch an empty list of items");
  return collateAt(items, "") as Collated<T>;
}
