/** softmax, logSoftmax and logsumexp: fused max-shifted kernels with their backward rules. */
import { Tensor } from "../tensor.js";
import { allocateUninitialized } from "../dtype.js";
import { normalizeDim } from "../shape.js";
import { record } from "../autograd/node.js";
import { splitAt } from "../kernels/reduce.js";
import { softmaxAxis, type SoftmaxKind } from "../kernels/softmax.js";
import { checkFloat } from "./helpers.js";
import { reductionDims, reducedShape, expandReduced } from "./reduce.js";

function run(kind: SoftmaxKind, x: Tensor, d: number): Tensor {
  const c = x.contiguous();
  const [outer, r, inner] = x.ndim === 0 ? [1, 1, 1] : splitAt(c.shape, d);
  const shape = kind === "logsumexp" ? (x.ndim === 0 ? [] : c.shape.map((s, i) => (i === d ? 1 : s))) : c.shape;
  const out = allocateUninitialized(x.dtype, shape.reduce((p, s) => p * s, 1));
  softmaxAxis(kind, out, c.data, c.offset, outer, r, inner);
  return new Tensor(out, shape, x.dtype);
}

/**
 * `softmax(x)_i = exp(x_i − m) / Σ_j exp(x_j − m)` along `dim`, m the row max.
 * Backward: `y · (g − Σ g·y)`.
 */
export function softmax(x: Tensor, dim: number): Tensor {
  checkFloat("softmax", x);
  const d = normalizeDim("softmax", dim, x.ndim);
  const y = run("softmax", x, d);
  return record(y, "SoftmaxBackward0", [x], (g) => [y.mul(g.sub(g.mul(y).sum(d, true)))], [y]);
}

/**
 * `logSoftmax(x)_i = x_i − m − log Σ_j exp(x_j − m)` along `dim`.
 * Backward: `g − softmax(x) · Σ g`.
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  checkFloat("logSoftmax", x);
  const d = normalizeDim("logSoftmax", dim, x.ndim);
  const y = run("logSoftmax", x, d);
  return record(y, "LogSoftmaxBackward0", [x], (g) => [g.sub(y.exp().mul(g.sum(d, true)))], [y]);
}

/** `log Σ exp(x)` over `dim` (one dim or several), max-shifted. Backward: `g · exp(x − out)`. */
export function logsumexp(x: Tensor, dim: number | readonly number[], keepdim = false): Tensor {
  checkFloat("logsumexp", x);
  const dims = reductionDims("logsumexp", x, dim);
  let kept: Tensor;
  if (dims.length <= 1) {
    kept = run("logsumexp", x, dims.length ? dims[0] : 0);
  } else {
    // Several dims: fold them into one trailing dim, then one kernel pass.
    const rest = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
    const moved = x.detach().permute([...rest, ...dims]).reshape([...rest.map((i) => x.shape[i]), -1]);
    kept = run("logsumexp", moved, rest.length).reshape(reducedShape(x.shape, dims, true));
  }
  const out = kept.reshape(reducedShape(x.shape, dims, keepdim));
  return record(out, "LogsumexpBackward0", [x], (g) => [expandReduced(g, x.shape, dims).mul(x.sub(out.reshape(kept.shape)).exp())]);
}
