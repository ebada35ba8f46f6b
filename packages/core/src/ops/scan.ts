/**
 * Scans along one dim: cumsum, cumprod, logcumsumexp, cummax and cummin — each forward kernel with
 * its backward rule (PyTorch's, from derivatives.yaml / FunctionsManual.cpp) beside it.
 */
import { Tensor } from "../tensor.js";
import { ValuesIndices } from "../values-indices.js";
import { allocate, isFloatingPoint, type DType } from "../dtype.js";
import { normalizeDim } from "../shape.js";
import { record } from "../autograd/node.js";
import { isGradEnabled } from "../autograd/grad-mode.js";
import { splitAt } from "../kernels/reduce.js";
import { scanAxis, scanExtremeAxis, cumprodGradAxis, type ScanKind } from "../kernels/scan.js";
import { checkFloat, scalarTensor } from "./helpers.js";
import { int32Results, withDType, hasZero } from "./reduce.js";
import { where } from "./indexing.js";
import { cat, stack } from "./shape.js";

/** `x` contiguous with its [outer, r, inner] split around `dim` (a 0-d tensor is one line of one). */
export function lines(op: string, x: Tensor, dim: number): { c: Tensor; d: number; outer: number; r: number; inner: number } {
  const d = normalizeDim(op, dim, x.ndim);
  const c = x.contiguous();
  const [outer, r, inner] = x.ndim === 0 ? [1, 1, 1] : splitAt(c.shape, d);
  return { c, d, outer, r, inner };
}

// The running `kind` of x along dim; integer and bool inputs are scanned in float64 and returned
// as int32 (PyTorch's int64), throwing where a value does not fit.
function scan(op: string, x: Tensor, dim: number, kind: ScanKind): { out: Tensor; d: number } {
  const { c, d, outer, r, inner } = lines(op, x, dim);
  const float = isFloatingPoint(x.dtype);
  const data = allocate(float ? x.dtype : "float64", c.numel(), op);
  scanAxis(data, c.data, c.offset, outer, r, inner, kind);
  const out = new Tensor(data, x.shape, float ? x.dtype : "float64");
  return { out: float ? out : int32Results(op, out, x), d };
}

/** `g` summed from the end of `dim` backwards: `out_k = Σ_{j≥k} g_j`. */
function reversedCumsum(g: Tensor, d: number): Tensor {
  return g.ndim === 0 ? g : g.flip(d).cumsum(d).flip(d);
}

/**
 * The running sum `y_k = Σ_{j≤k} x_j` along `dim`, optionally after casting to `dtype`.
 * Backward: the reversed running sum of the gradient.
 */
export function cumsum(x: Tensor, dim: number, dtype?: DType): Tensor {
  if (dtype !== undefined) return cumsum(withDType(x, dtype), dim);
  const { out, d } = scan("cumsum", x, dim, "sum");
  return record(out, "CumsumBackward0", [x], (g) => [reversedCumsum(g, d)], []);
}

/**
 * The running product `y_k = Π_{j≤k} x_j` along `dim`, optionally after casting to `dtype`.
 * Backward (PyTorch's cumprod_backward): without zeros `dx = revcumsum(g·y) / x`; with zeros,
 * an O(n) rule per line for a first-order backward, and under `createGraph` the O(n²) rule
 * written with prod and cumprod, so it is itself differentiable.
 */
export function cumprod(x: Tensor, dim: number, dtype?: DType): Tensor {
  if (dtype !== undefined) return cumprod(withDType(x, dtype), dim);
  const { out, d } = scan("cumprod", x, dim, "prod");
  return record(out, "CumprodBackward0", [x], (g) => [cumprodBackward(g, x, out, d)]);
}

function cumprodBackward(g: Tensor, x: Tensor, y: Tensor, d: number): Tensor {
  if (x.numel() <= 1 || x.shape[d] === 1) return g;
  if (!hasZero(x)) return reversedCumsum(y.mul(g), d).div(x);
  if (!isGradEnabled()) {
    const [gc, xc, yc] = [g.contiguous(), x.contiguous(), y.contiguous()];
    const [outer, r, inner] = splitAt(x.shape, d);
    const out = allocate(g.dtype, x.numel());
    cumprodGradAxis(out, gc.data, gc.offset, xc.data, xc.offset, yc.data, yc.offset, outer, r, inner);
    return new Tensor(out, x.shape, g.dtype);
  }
  const n = x.shape[d];
  const ones = scalarTensor(1, g.dtype).expand(x.shape.map((s, i) => (i === d ? 1 : s)));
  const rows: Tensor[] = [];
  for (let k = 0; k < n; k++) {
    let omitted: Tensor;
    if (k === 0) omitted = cat([ones, x.narrow(d, 1, n - 1).cumprod(d)], d);
    else {
      const until = x.narrow(d, 0, k).prod(d, true);
      omitted = k === n - 1 ? until : cat([until, until.mul(x.narrow(d, k + 1, n - k - 1).cumprod(d))], d);
    }
    rows.push(g.narrow(d, k, n - k).mul(omitted).sum(d));
  }
  return stack(rows, d);
}

/** The most negative finite value of a float dtype (PyTorch's `numeric_limits::lowest`). */
function lowest(dtype: DType): number {
  return dtype === "float32" ? -3.4028234663852886e38 : -Number.MAX_VALUE;
}

/**
 * `y_k = log Σ_{j≤k} exp(x_j)` along `dim`, stable for large |x|. Backward (PyTorch's): the
 * positive and negative parts of g are carried in log space,
 * `dx = exp(revlogcumsumexp(log g⁺ − y) + x) − exp(revlogcumsumexp(log g⁻ − y) + x)`.
 */
export function logcumsumexp(x: Tensor, dim: number): Tensor {
  checkFloat("logcumsumexp", x);
  const { out, d } = scan("logcumsumexp", x, dim, "logsumexp");
  return record(out, "LogcumsumexpBackward0", [x], (g) => {
    if (g.ndim === 0 || g.numel() === 0) return [g];
    const reversed = (t: Tensor): Tensor => t.flip(d).logcumsumexp(d).flip(d);
    const logAbs = g.abs().log();
    const floor = lowest(g.dtype);
    const pos = reversed(where(g.gt(0), logAbs, floor).sub(out)).add(x).exp();
    const neg = reversed(where(g.lt(0), logAbs, floor).sub(out)).add(x).exp();
    return [pos.sub(neg)];
  });
}

/**
 * The running max (`"cummax"`) or min (`"cummin"`) along `dim` and the index each value came
 * from; ties and NaNs take the latest index, as PyTorch. Backward: the gradient added at those
 * indices.
 */
export function cumExtreme(x: Tensor, dim: number, op: "cummax" | "cummin"): ValuesIndices {
  const { c, d, outer, r, inner } = lines(op, x, dim);
  const values = allocate(x.dtype, c.numel(), op);
  const indices = new Int32Array(c.numel());
  scanExtremeAxis(values, indices, c.data, c.offset, outer, r, inner, op === "cummax" ? 1 : -1);
  const idx = new Tensor(indices, x.shape, "int32");
  const vals = record(new Tensor(values, x.shape, x.dtype), op === "cummax" ? "CummaxBackward0" : "CumminBackward0", [x], (g) => {
    if (x.ndim === 0) return [g];
    return [new Tensor(allocate(g.dtype, x.numel()), x.shape, g.dtype).scatterAdd(d, idx, g)];
  }, []);
  return new ValuesIndices(op, vals, idx);
}
