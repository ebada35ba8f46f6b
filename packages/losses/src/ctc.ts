/**
 * The connectionist temporal classification loss (Graves et al., 2006), PyTorch's `F.ctc_loss`:
 * the forward (alpha) recursion in log space gives the loss, the backward (beta) recursion its
 * gradient, both written after PyTorch's CPU kernel (aten/src/ATen/native/LossCTC.cpp).
 */
import { Tensor, isFloatingPoint, isGradEnabled, record, where } from "@tsgrad/core";
import { resolveOptions, REDUCTION_DEFAULTS, type ReductionOptions } from "./options.js";
import { allocFloat, contiguousData } from "./fused.js";
import { checkFloatInput, checkTensor, formatShape } from "./checks.js";

/**
 * Options of {@link ctcLoss} and `CTCLoss`.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `blank` | `0` | `blank` |
 * | `reduction` | `"mean"` | `reduction` (`"mean"` divides each loss by its target length first) |
 * | `zeroInfinity` | `false` | `zero_infinity` |
 *
 * @example
 * ```ts
 * const logProbs = tensor([[0.5, 0.25, 0.25], [0.25, 0.5, 0.25]]).log(); // (T, C), unbatched
 * const target = tensor([1], { dtype: "int32" });
 * losses.ctcLoss(logProbs, target, [2], [1], { reduction: "sum" });      // ≈ 0.8267 (−log(0.25·0.5 + 0.5·0.5 + 0.25·0.25): "11", "−1", "1−")
 * new losses.CTCLoss({ blank: 2 }).forward(logProbs, target, [2], [1]);  // ≈ 1.1632 (blank 2: "11", "21", "12")
 * ```
 */
export interface CTCLossOptions extends ReductionOptions {
  /** The class index of the blank label (default 0). */
  blank?: number;
  /** Replace infinite losses (targets that no alignment can produce) and their gradients by 0 (default false). */
  zeroInfinity?: boolean;
}

/** @internal */
export const CTC_DEFAULTS = { ...REDUCTION_DEFAULTS, blank: 0, zeroInfinity: false };

/** Sequence lengths: one per sample, as an integer tensor or an array of numbers. */
export type Lengths = Tensor | readonly number[];

function lengthsOf(op: string, name: string, lengths: unknown, batch: number): number[] {
  let values: number[];
  if (lengths instanceof Tensor) {
    if (isFloatingPoint(lengths.dtype) || lengths.dtype === "bool") {
      throw new TypeError(`${op}: ${name} must be integral (an int32 tensor or an array of integers), got dtype ${lengths.dtype}`);
    }
    values = Array.from(lengths.contiguous().dataSync());
  } else if (Array.isArray(lengths)) {
    values = [...(lengths as number[])];
    for (const v of values) {
      if (!Number.isSafeInteger(v)) throw new TypeError(`${op}: ${name} must hold integers, got ${String(v)}`);
    }
  } else {
    throw new TypeError(`${op}: ${name} must be an integer tensor or an array of integers, got ${lengths === null ? "null" : typeof lengths}`);
  }
  if (values.length !== batch) throw new RangeError(`${op}: ${name} must have one entry per sample (${batch}), got ${values.length}`);
  return values;
}

/** Where each sample's labels are in the flat targets, after PyTorch's checks. */
interface TargetLayout {
  labels: ArrayLike<number>;
  offsets: number[];
  stride: number;
}

function targetLayout(op: string, targets: Tensor, targetLengths: number[], classes: number): TargetLayout {
  const batch = targetLengths.length;
  if (isFloatingPoint(targets.dtype) || targets.dtype === "bool") {
    throw new TypeError(`${op}: targets hold class indices, which must be int32, got dtype ${targets.dtype}`);
  }
  for (const [i, l] of targetLengths.entries()) {
    if (l < 0) throw new RangeError(`${op}: targetLengths must be >= 0, got ${l} for sample ${i}`);
  }
  const labels = contiguousData(targets);
  let offsets: number[];
  let stride = 1;
  if (targets.ndim === 1) {
    // Concatenated: sample b's labels follow those of the samples before it.
    offsets = [];
    let position = 0;
    for (const l of targetLengths) {
      offsets.push(position);
      position += l;
    }
    if (targets.shape[0] !== position) {
      throw new RangeError(`${op}: concatenated targets must hold sum(targetLengths) = ${position} labels, got shape ${formatShape(targets.shape)}`);
    }
  } else if (targets.ndim === 2) {
    const [rows, width] = targets.shape;
    const longest = Math.max(0, ...targetLengths);
    if (rows !== batch || width < longest) {
      throw new RangeError(`${op}: padded targets must be (N, S) with N = ${batch} and S >= the longest target (${longest}), got shape ${formatShape(targets.shape)}`);
    }
    offsets = targetLengths.map((_, b) => b * width);
    stride = 1;
  } else {
    throw new RangeError(`${op}: targets must be (N, S) padded or (sum(targetLengths)) concatenated, got shape ${formatShape(targets.shape)}`);
  }
  for (const [b, l] of targetLengths.entries()) {
    for (let s = 0; s < l; s++) {
      const v = labels[offsets[b] + s * stride];
      if (v < 0 || v >= classes) throw new RangeError(`${op}: target ${v} of sample ${b} is out of bounds: class indices must be in [0, ${classes})`);
    }
  }
  return { labels, offsets, stride };
}

// log(e^a + e^b + e^c) as PyTorch's kernel computes it: shifted by the largest, 0 if all are −∞.
function logSumExp3(a: number, b: number, c: number): number {
  let max = Math.max(a, b, c);
  if (max === -Infinity) max = 0;
  return Math.log(Math.exp(a - max) + Math.exp(b - max) + Math.exp(c - max)) + max;
}

/**
 * Per-sample negative log-likelihoods of the targets under `logProbs` (T, N, C), with the CTC
 * gradient as the backward rule. The gradient is PyTorch's: for each (t, c),
 * `exp(lp) − exp(log Σ_{s: l'_s = c} α_t(s)·β_t(s) + nll − lp)`, which is the gradient of the
 * loss with respect to the logits when `logProbs` is their `logSoftmax` (the softmax term is
 * folded in, so it passes through `logSoftmax`'s backward unchanged).
 */
function ctcNll(
  logProbs: Tensor, layout: TargetLayout, inputLengths: number[], targetLengths: number[], blank: number, zeroInfinity: boolean,
): Tensor {
  const [maxTime, batch, classes] = logProbs.shape;
  const lp = contiguousData(logProbs);
  const { labels, offsets, stride } = layout;
  const at = (t: number, b: number, c: number) => lp[(t * batch + b) * classes + c];
  const nll = new Float64Array(batch); // kept in float64 for the backward; the result is rounded to the dtype
  const alphas: Float64Array[] = [];
  for (let b = 0; b < batch; b++) {
    const time = inputLengths[b];
    const length = targetLengths[b];
    const states = 2 * length + 1;
    const label = (s: number) => (s % 2 === 0 ? blank : labels[offsets[b] + ((s - 1) >> 1) * stride]);
    const alpha = new Float64Array(Math.max(time, 1) * states).fill(-Infinity);
    alphas.push(alpha);
    if (time === 0) {
      nll[b] = length === 0 ? 0 : Infinity;
      continue;
    }
    alpha[0] = at(0, b, blank);
    if (length > 0) alpha[1] = at(0, b, label(1));
    for (let t = 1; t < time; t++) {
      const row = t * states;
      const prev = row - states;
      for (let s = 0; s < states; s++) {
        const a2 = s > 0 ? alpha[prev + s - 1] : -Infinity;
        const a3 = s > 1 && label(s - 2) !== label(s) ? alpha[prev + s - 2] : -Infinity;
        alpha[row + s] = logSumExp3(alpha[prev + s], a2, a3) + at(t, b, label(s));
      }
    }
    const last = (time - 1) * states;
    if (length === 0) {
      nll[b] = -alpha[last];
    } else {
      const l1 = alpha[last + 2 * length];
      const l2 = alpha[last + 2 * length - 1];
      let max = Math.max(l1, l2);
      if (max === -Infinity) max = 0;
      nll[b] = -(Math.log(Math.exp(l1 - max) + Math.exp(l2 - max)) + max);
    }
  }
  const out = new Tensor(allocFloat(logProbs.dtype, batch).map((_, b) => nll[b]), [batch], logProbs.dtype);
  return record(out, "CtcLossBackward0", [logProbs], (g) => {
    if (isGradEnabled()) throw new Error("ctcLoss: the gradient of ctcLoss is not differentiable (no double backward, as in PyTorch)");
    const upstream = contiguousData(g);
    // Starts as log Σ α·β per (t, b, c): −∞, the log of an empty sum.
    const grad = allocFloat(logProbs.dtype, lp.length).fill(-Infinity);
    const index = (t: number, b: number, c: number) => (t * batch + b) * classes + c;
    for (let b = 0; b < batch; b++) {
      const time = inputLengths[b];
      const length = targetLengths[b];
      const loss = nll[b];
      if ((zeroInfinity && loss === Infinity) || time === 0) {
        for (let t = 0; t < maxTime; t++) grad.fill(0, index(t, b, 0), index(t, b, classes));
        continue;
      }
      const states = 2 * length + 1;
      const label = (s: number) => (s % 2 === 0 ? blank : labels[offsets[b] + ((s - 1) >> 1) * stride]);
      const alpha = alphas[b];
      const beta = new Float64Array(time * states).fill(-Infinity);
      const accumulate = (t: number, s: number) => {
        const k = index(t, b, label(s));
        const v = alpha[t * states + s] + beta[t * states + s];
        const current = grad[k];
        if (current === -Infinity) {
          grad[k] = v;
        } else {
          const max = Math.max(current, v);
          grad[k] = Math.log(Math.exp(current - max) + Math.exp(v - max)) + max;
        }
      };
      const last = (time - 1) * states;
      beta[last + 2 * length] = at(time - 1, b, blank);
      grad[index(time - 1, b, blank)] = alpha[last + 2 * length] + beta[last + 2 * length];
      if (length > 0) {
        const c = label(2 * length - 1);
        beta[last + 2 * length - 1] = at(time - 1, b, c);
        grad[index(time - 1, b, c)] = alpha[last + 2 * length - 1] + beta[last + 2 * length - 1];
      }
      for (let t = time - 2; t >= 0; t--) {
        const row = t * states;
        const next = row + states;
        for (let s = states - 1; s >= 0; s--) {
          const b2 = s < 2 * length ? beta[next + s + 1] : -Infinity;
          const b3 = s < 2 * length - 1 && label(s + 2) !== label(s) ? beta[next + s + 2] : -Infinity;
          beta[row + s] = logSumExp3(beta[next + s], b2, b3) + at(t, b, label(s));
          accumulate(t, s);
        }
      }
      const scale = upstream[b];
      for (let t = 0; t < maxTime; t++) {
        for (let c = 0; c < classes; c++) {
          const k = index(t, b, c);
          grad[k] = t < time ? (Math.exp(lp[k]) - Math.exp(grad[k] + loss - lp[k])) * scale : 0;
        }
      }
    }
    return [new Tensor(grad, logProbs.shape, logProbs.dtype)];
  });
}

/**
 * The CTC loss, PyTorch's `F.ctc_loss`: the negative log-likelihood of a target label sequence
 * under per-frame class log-probabilities, summed over every alignment of the target to the
 * frames (repeats collapsed, blanks removed). For speech and handwriting recognition, where the
 * alignment of labels to frames is unknown.
 *
 * ```text
 * loss_n = −log Σ_{π ∈ B⁻¹(target_n)} Π_t exp(logProbs[t, n, π_t])
 * ```
 * `"mean"` divides each loss by its target length (at least 1) and averages over the batch, as
 * PyTorch; `"sum"` adds the losses up; `"none"` returns them, `(N)` (0-d unbatched). A target no
 * alignment can produce (too long for its input) has an infinite loss and a NaN gradient, unless
 * `zeroInfinity` replaces both by 0. The gradient is PyTorch's log-space alpha-beta gradient,
 * which assumes `logProbs` comes from a `logSoftmax` (it is exact for the logits before it).
 *
 * @param logProbs - log-probabilities `(T, N, C)` or unbatched `(T, C)`, floating point
 * @param targets - int32 labels in [0, C): padded `(N, S)` (S >= the longest target), or all
 *   targets concatenated, `(sum(targetLengths))` (unbatched: `(S)`)
 * @param inputLengths - the number of frames of each sample, each at most T: `(N)`
 * @param targetLengths - the number of labels of each target: `(N)`
 * @returns a 0-d tensor, or `(N)` for `reduction: "none"` (0-d when unbatched)
 *
 * PyTorch: torch.nn.functional.ctc_loss
 *
 * @example
 * ```ts
 * const logits = randn([6, 2, 5], { requiresGrad: true });             // (T, N, C)
 * const targets = tensor([[1, 2, 2], [3, 1, 0]], { dtype: "int32" });  // padded (N, S)
 * const loss = ctcLoss(logits.logSoftmax(2), targets, [6, 5], [3, 2]);
 * loss.backward();
 * ```
 */
export function ctcLoss(logProbs: Tensor, targets: Tensor, inputLengths: Lengths, targetLengths: Lengths, options?: CTCLossOptions): Tensor {
  const op = "ctcLoss";
  const { blank, reduction, zeroInfinity } = resolveOptions(op, options, CTC_DEFAULTS);
  checkFloatInput(op, "logProbs", logProbs);
  checkTensor(op, "targets", targets);
  if (logProbs.ndim !== 2 && logProbs.ndim !== 3) {
    throw new RangeError(`${op}: logProbs must be (T, N, C) or unbatched (T, C), got shape ${formatShape(logProbs.shape)}`);
  }
  const batched = logProbs.ndim === 3;
  const lp = batched ? logProbs : logProbs.unsqueeze(1);
  const [time, batch, classes] = lp.shape;
  if (blank >= classes) throw new RangeError(`${op}: blank (${blank}) must be a class index in [0, ${classes})`);
  const inputs = lengthsOf(op, "inputLengths", inputLengths instanceof Tensor && !batched ? inputLengths.reshape(-1) : inputLengths, batch);
  const lengths = lengthsOf(op, "targetLengths", targetLengths instanceof Tensor && !batched ? targetLengths.reshape(-1) : targetLengths, batch);
  for (const [b, l] of inputs.entries()) {
    if (l < 0 || l > time) throw new RangeError(`${op}: inputLengths must be in [0, ${time}] (T), got ${l} for sample ${b}`);
  }
  const layout = targetLayout(op, targets, lengths, classes);
  let loss = ctcNll(lp, layout, inputs, lengths, blank, zeroInfinity);
  if (zeroInfinity) loss = where(loss.eq(Infinity), 0, loss);
  if (reduction === "mean") {
    const divisors = new Tensor(allocFloat(lp.dtype, batch).map((_, b) => Math.max(lengths[b], 1)), [batch], lp.dtype);
    return loss.div(divisors).mean();
  }
  if (reduction === "sum") return loss.sum();
  return batched ? loss : loss.reshape([]);
}
