/**
 * Version counters for in-place modification, like PyTorch's `_version`. Views share their base's
 * typed array, so the counter is kept per typed array: writing through any view bumps it for all.
 */
import type { TypedArray } from "../dtype.js";

const versions = new WeakMap<TypedArray, number>();

/** How many in-place writes the storage `data` has seen. */
export function storageVersion(data: TypedArray): number {
  return versions.get(data) ?? 0;
}

/** Records one in-place write to the storage `data`. */
export function bumpStorageVersion(data: TypedArray): void {
  versions.set(data, storageVersion(data) + 1);
}
