/** Gradient clipping, like `torch.nn.utils.clip_grad_norm_` / `clip_grad_value_`. */
import { Tensor, describeValue as describe, noGrad, optionChecks, resolveOptions, tensor, promoteTypes, type DType, type OptionCheck } from "@tsgrad/core";
import { floatData, type FloatArray } from "./optimizer.js";

/**
 * Options of {@link clipGradNorm_}: which norm, and what a non-finite norm does.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `normType` | `2` | `norm_type` |
 * | `errorIfNonfinite` | `false` | `error_if_nonfinite` |
 * | `foreach` | `null` (ignored) | `foreach` |
 *
 * @example
 * ```ts
 * const w = tensor([0, 0], { requiresGrad: true });
 * w.grad = tensor([3, 4]);
 * clipGradNorm_([w], 2, { normType: Infinity }).item(); // → 4 (the max-abs norm before clipping)
 * w.grad;                                               // ≈ [1.5, 2]
 * w.grad = tensor([NaN, 1]);
 * clipGradNorm_([w], 1, { errorIfNonfinite: true });    // throws RangeError
 * ```
 */
export interface ClipGradNormOptions {
  /** p of the p-norm: any p > 0, or `Infinity` for the max-abs norm. Default 2. */
  normType?: number;
  /** Throw when the total norm is NaN or ±Infinity, leaving the gradients untouched. Default false. */
  errorIfNonfinite?: boolean;
  /** Accepted for PyTorch compatibility; tsgrad has one implementation, so it changes nothing. */
  foreach?: boolean | null;
}

const NON_NEGATIVE = optionChecks.atLeast(0);
const normTypeCheck: OptionCheck = (op, name, value) => {
  if (typeof value !== "number") throw new TypeError(`${op}: ${name} must be a number > 0 or Infinity, got ${describe(value)}`);
  if (!(value > 0)) throw new RangeError(`${op}: ${name} must be a number > 0 or Infinity, got ${value}`);
};
const CLIP_GRAD_NORM_OPTIONS: Required<ClipGradNormOptions> = { normType: 2, errorIfNonfinite: false, foreach: null };
const CLIP_GRAD_NORM_CHECKS = { normType: normTypeCheck, errorIfNonfinite: optionChecks.boolean, foreach: optionChecks.nullable(optionChecks.boolean) };

/** The gradients of `params` that exist (a single tensor counts as a list of one). */
function gradsOf(op: string, params: Tensor | Iterable<Tensor>): Tensor[] {
  if (params instanceof Tensor) params = [params];
  else if (params === null || typeof params !== "object" || !(Symbol.iterator in params)) {
    throw new TypeError(`${op}: params must be a Tensor or an array of Tensors, got ${describe(params)}`);
  }
  const grads: Tensor[] = [];
  for (const p of params) {
    if (!(p instanceof Tensor)) throw new TypeError(`${op}: params must be Tensors, got ${describe(p)}`);
    if (p.grad !== null) grads.push(p.grad);
  }
  return grads;
}

/** The elements of `g` (its data when contiguous, else a copy). */
function elements(g: Tensor): FloatArray {
  return (g.isContiguous() ? floatData(g) : g.dataSync()) as FloatArray;
}

/** The p-norm of one gradient (max |x| for p = Infinity). */
function pNorm(x: FloatArray, p: number): number {
  let acc = 0;
  if (p === Infinity) {
    for (let i = 0; i < x.length; i++) {
      const a = Math.abs(x[i]);
      if (a > acc || Number.isNaN(a)) acc = a;
    }
    return acc;
  }
  if (p === 1) {
    for (let i = 0; i < x.length; i++) acc += Math.abs(x[i]);
    return acc;
  }
  if (p === 2) {
    for (let i = 0; i < x.length; i++) acc += x[i] * x[i];
    return Math.sqrt(acc);
  }
  for (let i = 0; i < x.length; i++) acc += Math.abs(x[i]) ** p;
  return acc ** (1 / p);
}

/**
 * Rescales the gradients of `params` in place so that their total norm is at most `maxNorm`, like
 * `torch.nn.utils.clip_grad_norm_`. The total norm is the `normType`-norm of all gradients
 * concatenated into one vector (computed, as PyTorch does, as the norm of the per-tensor norms);
 * every gradient is multiplied by `min(1, maxNorm / (total + 1e-6))`. Parameters without a
 * gradient are ignored. A non-finite total norm scales the gradients by that coefficient anyway
 * (0 for an infinite norm, NaN for a NaN one), as PyTorch, unless `errorIfNonfinite` is set: then
 * it throws a RangeError and leaves the gradients as they were.
 *
 * @param params The parameters (or a single one) whose `.grad` to clip.
 * @param maxNorm The largest allowed total norm (>= 0).
 * @param options `normType` (p of the p-norm: any p > 0, or `Infinity` for the max-abs norm;
 *   default 2), `errorIfNonfinite` (default false) and `foreach` (ignored); or the normType itself.
 * @returns The total norm before clipping, as a 0-d tensor (like PyTorch) of the gradients'
 *   dtype; 0 when no parameter has a gradient. Use `.item()` for a number.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new SGD(model.parameters(), { lr: 0.1 });
 * model.forward(randn([8, 2])).mul(100).sum().backward();
 * const norm = clipGradNorm_(model.parameters(), 1.0).item(); // the norm before clipping
 * clipGradNorm_(model.parameters(), Infinity).item() <= 1.0 + 1e-6; // true (now at most 1)
 * clipGradNorm_(model.parameters(), 1.0, { normType: Infinity, errorIfNonfinite: true }); // a NaN or inf norm would throw
 * opt.step();
 * ```
 */
export function clipGradNorm_(params: Tensor | Iterable<Tensor>, maxNorm: number, options: number | ClipGradNormOptions = {}): Tensor {
  const op = "clipGradNorm_";
  if (typeof options === "number") options = { normType: options };
  const { normType, errorIfNonfinite } = resolveOptions(op, options, CLIP_GRAD_NORM_OPTIONS, CLIP_GRAD_NORM_CHECKS);
  NON_NEGATIVE(op, "maxNorm", maxNorm);
  const grads = gradsOf(op, params);
  if (grads.length === 0) return tensor(0);
  const norms = grads.map((g) => pNorm(elements(g), normType));
  const total = pNorm(Float64Array.from(norms), normType);
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new RangeError(
      `${op}: the total norm of order ${normType} of the gradients is ${total}, so they cannot be clipped; pass errorIfNonfinite: false to scale them by it anyway`,
    );
  }
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  for (const g of grads) scaleInPlace(g, coef);
  const dtype = grads.reduce<DType>((d, g) => promoteTypes(d, g.dtype), grads[0].dtype);
  return tensor(total, { dtype });
}

/** Multiplies `g`'s elements by `c` in place. */
function scaleInPlace(g: Tensor, c: number): void {
  if (!g.isContiguous()) {
    noGrad(() => g.mul_(c));
    return;
  }
  const x = floatData(g);
  for (let i = 0; i < x.length; i++) x[i] *= c;
}

/**
 * Clamps every gradient element of `params` into `[-clipValue, clipValue]` in place, like
 * `torch.nn.utils.clip_grad_value_`. Parameters without a gradient are ignored; NaN stays NaN.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new SGD(model.parameters(), { lr: 0.1 });
 * model.forward(tensor([[3, -4]])).sum().backward();
 * clipGradValue_(model.parameters(), 0.5);
 * model.weight.grad!.toArray(); // [[0.5, -0.5]]
 * opt.step();
 * ```
 */
export function clipGradValue_(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  NON_NEGATIVE("clipGradValue_", "clipValue", clipValue);
  for (const g of gradsOf("clipGradValue_", params)) {
    if (!g.isContiguous()) {
      noGrad(() => g.clamp_(-clipValue, clipValue));
      continue;
    }
    const x = floatData(g);
    for (let i = 0; i < x.length; i++) {
      if (x[i] > clipValue) x[i] = clipValue;
      else if (x[i] < -clipValue) x[i] = -clipValue;
    }
  }
}
