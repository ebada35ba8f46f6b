/** Turning a list of dataset items into one batch, like PyTorch's `default_collate`. */
import { Tensor, stack, tensor } from "@tsgrad/core";

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

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
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
    return tensor(items as number[] | boolean[]);
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
 * Stacks a list of items into a batch: tensors with `stack(items, 0)`, numbers into a 1-D tensor
 * (float32, since JS numbers do not say whether they are integers: return int32 tensors from
 * `get` for class indices), booleans into a bool tensor, and arrays / plain objects field by
 * field. Like PyTorch's `default_collate`.
 *
 * @example
 * ```ts
 * defaultCollate([[tensor([1, 2]), 0], [tensor([3, 4]), 1]]);
 * // [tensor([[1, 2], [3, 4]]), tensor([0, 1])]
 * ```
 */
export function defaultCollate<T>(items: readonly T[]): Collated<T> {
  if (items.length === 0) throw new RangeError("defaultCollate: cannot batch an empty list of items");
  return collateAt(items, "") as Collated<T>;
}
