/** Argument checks shared by the losses: each bad input gets an error naming the op and the values. */
import { Tensor, broadcastShapes, isFloatingPoint } from "@tsgrad/core";

const fmt = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((s, i) => s === b[i]);

/** Throws a TypeError unless `x` is a Tensor. */
export function checkTensor(op: string, name: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`${op}: ${name} must be a Tensor (got ${x === null ? "null" : typeof x})`);
  }
}

/** Throws unless `x` is a floating-point Tensor (the loss's input: predictions, logits, log-probabilities). */
export function checkFloatInput(op: string, name: string, x: unknown): asserts x is Tensor {
  checkTensor(op, name, x);
  if (!isFloatingPoint(x.dtype)) {
    throw new TypeError(`${op}: ${name} must be floating point (float32 or float64), got dtype ${x.dtype}`);
  }
}

/** Checks that `input` and `target` are tensors of the same shape and returns `target` in the input's dtype. */
export function sameShapeTarget(op: string, input: Tensor, target: unknown): Tensor {
  checkTensor(op, "target", target);
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(`${op}: target shape ${fmt(target.shape)} does not match input shape ${fmt(input.shape)}`);
  }
  return target.to(input.dtype);
}

/** Throws unless `t` broadcasts to `shape` without enlarging it (a per-element or per-class weight). */
export function checkBroadcastsTo(op: string, name: string, t: Tensor, shape: readonly number[]): void {
  let ok = t.ndim <= shape.length;
  if (ok) {
    try {
      ok = sameShape(broadcastShapes(op, t.shape, shape), shape);
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new RangeError(`${op}: ${name} of shape ${fmt(t.shape)} does not broadcast to the input shape ${fmt(shape)}`);
}

/** Throws unless `weight` is a 1-D tensor with one entry per class. */
export function checkClassWeight(op: string, weight: Tensor, classes: number): void {
  if (weight.ndim !== 1 || weight.shape[0] !== classes) {
    throw new RangeError(`${op}: weight must have one entry per class (shape [${classes}]), got shape ${fmt(weight.shape)}`);
  }
}

/** Index targets after validation: in-range indices (ignored ones replaced by 0) and which entries count. */
export interface ClassTargets {
  /** int32, the target's shape; ignored entries set to class 0 so they can be gathered safely. */
  indices: Tensor;
  /** bool, the target's shape, true where the target is not ignored; null when nothing is ignored. */
  keep: Tensor | null;
}

/** The error for a class index outside [0, classes) that is not `ignoreIndex`. */
export function outOfBounds(op: string, value: number, classes: number, ignoreIndex?: number): RangeError {
  const ignoring = ignoreIndex === undefined ? "" : ` (or ignoreIndex ${ignoreIndex})`;
  return new RangeError(`${op}: target ${value} is out of bounds: class indices must be in [0, ${classes})${ignoring}`);
}

/**
 * Validates int32 class indices against `classes` (each in [0, classes) or equal to
 * `ignoreIndex`) in one pass and returns them ready to gather with.
 */
export function classTargets(op: string, target: Tensor, classes: number, ignoreIndex?: number): ClassTargets {
  const indices = target.dataSync() as Int32Array; // a copy: ignored entries are overwritten below
  let keep: Uint8Array | null = null;
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i];
    if (v === ignoreIndex) {
      keep ??= new Uint8Array(indices.length).fill(1);
      indices[i] = 0;
      keep[i] = 0;
    } else if (v < 0 || v >= classes) {
      throw outOfBounds(op, v, classes, ignoreIndex);
    }
  }
  return {
    indices: new Tensor(indices, target.shape, "int32"),
    keep: keep && new Tensor(keep, target.shape, "bool"),
  };
}

function badElement(op: string, x: Tensor, expected: string, values: ArrayLike<number>, i: number): RangeError {
  return new RangeError(`${op}: ${expected}, got ${values[i]} at flat index ${i} of shape ${fmt(x.shape)}`);
}

/** Throws unless every element of `x` lies in [0, 1] (NaN fails too, as in PyTorch). */
export function checkProbabilities(op: string, name: string, x: Tensor): void {
  const values = x.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] >= 0 && values[i] <= 1)) throw badElement(op, x, `every ${name} element must be between 0 and 1`, values, i);
  }
}

/** Throws unless every element of `x` is −1 or +1 (the labels of margin losses). */
export function checkSigns(op: string, name: string, x: Tensor): void {
  const values = x.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== 1 && values[i] !== -1) throw badElement(op, x, `every ${name} element must be -1 or +1`, values, i);
  }
}

export { fmt as formatShape, sameShape };
