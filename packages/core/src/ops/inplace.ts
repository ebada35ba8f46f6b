/**
 * In-place ops, for optimizers and initialisers. Like PyTorch they refuse to modify a tensor that
 * requires grad while grad mode is on (wrap the update in `noGrad`), and every write bumps the
 * storage's version, so a graph that saved the old values refuses to backward through them.
 */
import { fillStrided } from "../kernels/strided.js";
import { Tensor } from "../tensor.js";
import { checkScalarFits, isFloatingPoint } from "../dtype.js";
import { isGradEnabled, noGrad } from "../autograd/grad-mode.js";
import { fmtShape, sameShape } from "../shape.js";
import { assignInto } from "./shape.js";
import { bumpStorageVersion } from "../autograd/version.js";

/** Refuses in-place writes to a tensor that requires grad while grad mode is on, as PyTorch does. */
export function checkInPlace(op: string, t: Tensor): void {
  if (!isGradEnabled() || !t.requiresGrad) return;
  if (t.isLeaf) {
    throw new Error(`${op}: a leaf tensor that requires grad is being used in an in-place operation; wrap the update in noGrad(() => ...)`);
  }
  throw new Error(`${op}: in-place ops on a tensor that is part of a recorded graph are not supported; use the out-of-place op`);
}

/**
 * The checks of an in-place write from `sources` (named values) into `t`: {@link checkInPlace}; no
 * source that requires grad while grad mode is on (an in-place op records no graph, so its
 * gradient would be lost: use the out-of-place op); and no expanded `t`, whose stride-0 dims
 * would have several elements written to one memory location.
 */
export function checkInPlaceWrite(op: string, t: Tensor, sources: ReadonlyArray<readonly [string, unknown]>): void {
  checkInPlace(op, t);
  if (isGradEnabled()) {
    for (const [name, s] of sources) {
      if (s instanceof Tensor && s.requiresGrad) {
        throw new Error(`${op}: ${name} requires grad, but in-place ops record no graph, so its gradient would be lost; use the out-of-place ${op.replace(/_$/, "")}(...)`);
      }
    }
  }
  t.shape.forEach((size, d) => {
    if (size > 1 && t.strides[d] === 0) {
      throw new RangeError(`${op}: the tensor (shape ${fmtShape(t.shape)}) is expanded along dim ${d}, so several of its elements share one memory location; clone() it first`);
    }
  });
}

/** Sets every element of `t` to `value`. */
export function fill_<T extends Tensor>(t: T, value: number, op: string): T {
  checkInPlace(op, t);
  if (typeof value !== "number") throw new TypeError(`${op}: value must be a number, got ${value === null ? "null" : typeof value}`);
  checkScalarFits(op, value, t.dtype);
  const v = t.dtype === "bool" ? (value !== 0 ? 1 : 0) : value;
  if (t.isContiguous()) t.data.fill(v, t.offset, t.offset + t.numel());
  else fillStrided(t, v);
  bumpStorageVersion(t.data);
  return t;
}

/** Writes `result` (same shape, castable dtype) over `t`'s elements. */
function writeBack<T extends Tensor>(op: string, t: T, result: Tensor): T {
  if (!sameShape(result.shape, t.shape)) {
    throw new RangeError(`${op}: the result of shape ${fmtShape(result.shape)} does not fit the tensor's shape ${fmtShape(t.shape)} (in-place ops cannot broadcast the target)`);
  }
  if (isFloatingPoint(result.dtype) && !isFloatingPoint(t.dtype)) {
    throw new TypeError(`${op}: result type ${result.dtype} can't be cast to the tensor's dtype ${t.dtype}`);
  }
  const src = result.dtype === t.dtype ? result : result.to(t.dtype);
  if (t.isContiguous() && src.isContiguous()) {
    t.data.set(src.data.subarray(src.offset, src.offset + src.numel()), t.offset);
  } else {
    assignInto(t, src);
  }
  bumpStorageVersion(t.data);
  return t;
}

/** Computes `compute(t)` out of place (without a graph) and writes it back into `t`. */
export function assignResult_<T extends Tensor>(t: T, op: string, compute: (t: Tensor) => Tensor): T {
  checkInPlace(op, t);
  return noGrad(() => writeBack(op, t, compute(t)));
}

/** Copies `src` (broadcast to t's shape, cast to t's dtype) into `t`. */
export function copy_<T extends Tensor>(t: T, src: Tensor): T {
  checkInPlace("copy_", t);
  if (!(src instanceof Tensor)) throw new TypeError("copy_: src must be a Tensor");
  return noGrad(() => writeBack("copy_", t, src.to(t.dtype).expand(t.shape)));
}
