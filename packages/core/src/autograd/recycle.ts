/**
 * Gradient buffers backward has finished with, kept for the next allocation of the same type and
 * length. Allocating a typed array of more than a few elements costs about 1–2 µs in V8 (a
 * zeroed off-heap buffer, and garbage-collector work for each), as much as a small op itself;
 * a training step allocates dozens, and the gradients flowing between the ops of its backward
 * pass die as soon as the next op has read them.
 *
 * Only buffers proven dead come here. Backward marks the gradient an op's rule is about to read
 * as consumable when the engine's own kernels made it and nothing else can hold it (see
 * `ownedGradient` in node.ts: no hook saw it, no `retainGrad`, `grad()` or `createGraph`, no
 * anomaly mode). tsgrad's own rules, and only those, give it back once they have read it; a
 * user's rule never does, so what it keeps stays its own. Kernels may also give back scratch
 * buffers they allocated and never handed out (a transposed copy of an operand).
 */
import type { TypedArray } from "../dtype.js";

// Arrays below this length live on V8's heap and cost next to nothing to allocate.
const MIN_LENGTH = 32;
// Per type and length, and in all, so the pool holds a bounded amount of memory.
const MAX_PER_SIZE = 8;
const MAX_BYTES = 32 << 20;

const pools = new Map<Function, Map<number, TypedArray[]>>();
let pooledBytes = 0;
let consumable: object | null = null;

/** @internal Backward: the gradient the next rule reads may be given back by it (or `null`). */
export function setConsumable(g: object | null): void {
  consumable = g;
}

/**
 * @internal Called by a tsgrad rule that has finished reading its incoming gradient `g` (a Tensor)
 * with `g.data`: when backward marked g consumable, its buffer goes to the pool.
 */
export function consumeGradient(g: object, data: TypedArray): void {
  if (g !== consumable) return;
  consumable = null;
  recycleScratch(data);
}

/** @internal Gives back a scratch buffer its allocator has finished with and never handed out. */
export function recycleScratch(data: TypedArray): void {
  const length = data.length;
  if (length < MIN_LENGTH || pooledBytes + data.byteLength > MAX_BYTES) return;
  let bySize = pools.get(data.constructor);
  if (bySize === undefined) pools.set(data.constructor, (bySize = new Map()));
  let list = bySize.get(length);
  if (list === undefined) bySize.set(length, (list = []));
  if (list.length >= MAX_PER_SIZE) return;
  list.push(data);
  pooledBytes += data.byteLength;
}

/** @internal A pooled array made by `ctor` with `length` elements (zero-filled when `zeroed`), or undefined. */
export function takeRecycled(ctor: Function, length: number, zeroed: boolean): TypedArray | undefined {
  if (length < MIN_LENGTH || pooledBytes === 0) return undefined;
  const data = pools.get(ctor)?.get(length)?.pop();
  if (data === undefined) return undefined;
  pooledBytes -= data.byteLength;
  if (zeroed) data.fill(0);
  return data;
}
