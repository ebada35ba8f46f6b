/**
 * Helpers for the fused loss ops (cross-entropy and the binary cross-entropies): one pass over
 * contiguous typed arrays forward, and a backward rule that runs a one-pass kernel too unless a
 * differentiable gradient is asked for (`createGraph`), when it uses the same formula in Tensor ops.
 */
import { Tensor, isGradEnabled, noGrad, type DType, type TypedArray } from "@tsgrad/core";

/** A float typed array for the loss's dtype. */
export type FloatArray = Float32Array | Float64Array;

/** A zero-filled float array of `dtype` (float64 stays float64, anything else is float32). */
export function allocFloat(dtype: DType, n: number): FloatArray {
  return dtype === "float64" ? new Float64Array(n) : new Float32Array(n);
}

/** The elements of `t` in row-major order without copying when it is already contiguous. */
export function contiguousData(t: Tensor): TypedArray {
  const c = noGrad(() => t.contiguous());
  const n = c.numel();
  return c.offset === 0 && c.data.length === n ? c.data : c.data.subarray(c.offset, c.offset + n);
}

/** `shape` seen as `[outer, shape[dim], inner]` (0-d as [1, 1, 1]). */
export function splitAt(shape: readonly number[], dim: number): [number, number, number] {
  if (shape.length === 0) return [1, 1, 1];
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d];
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d];
  return [outer, shape[dim], inner];
}

/**
 * The gradient of a fused op: `kernel()` when backward runs without recording (the usual case),
 * `ops()` (the same formula in differentiable Tensor ops) under `createGraph: true`.
 */
export function fusedGradient(kernel: () => Tensor, ops: () => Tensor): Tensor {
  return isGradEnabled() ? ops() : kernel();
}
