/** RMSprop: gradients divided by a running root-mean-square, optionally centered and with momentum. */
import type { Tensor } from "@tsgrad/core";
import {
  Optimizer, checkOptions, floatData, zeroBuffer,
  type FloatArray, type OptimizerOptions, type ParamGroup, type Params,
} from "./optimizer.js";

/**
 * Options of {@link RMSprop}: the learning rate, the smoothing constant, ε, weight decay,
 * momentum and the centered variant. Every one is optional.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `lr` | `1e-2` | `lr` |
 * | `alpha` | `0.99` | `alpha` |
 * | `eps` | `1e-8` | `eps` |
 * | `weightDecay` | `0` | `weight_decay` |
 * | `momentum` | `0` | `momentum` |
 * | `centered` | `false` | `centered` |
 * | `maximize` | `false` | `maximize` |
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new RMSprop(model.parameters(), { lr: 0.001, alpha: 0.9, centered: true });
 * opt.defaults.momentum; // → 0
 * ```
 */
export interface RMSpropOptions extends OptimizerOptions {
  /** Learning rate γ. Default 1e-2. */
  lr: number;
  /** Smoothing constant α of the running average of g². Default 0.99. */
  alpha: number;
  /** ε added to the denominator. Default 1e-8. */
  eps: number;
  /** L2 penalty λ added to the gradient. Default 0. */
  weightDecay: number;
  /** Momentum factor μ. Default 0. */
  momentum: number;
  /** Divide by an estimate of the gradient's variance (v − ḡ²) instead of its raw second moment. Default false. */
  centered: boolean;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

/**
 * Per-parameter state of {@link RMSprop}: step count, running average v of g², and (when used)
 * the momentum buffer b and the running average ḡ of g.
 */
export type RMSpropState = { step: number; squareAvg: Tensor; momentumBuffer: Tensor | null; gradAvg: Tensor | null };

/**
 * The buffers {@link rmspropUpdate} works on: {@link RMSprop}'s per-parameter state
 * ({@link RMSpropState}'s `squareAvg`, `momentumBuffer`, `gradAvg`) as typed arrays.
 *
 * @example
 * ```ts
 * const w = new Float64Array([1]);
 * const buffers: RMSpropBuffers = { squareAvg: new Float64Array(1), momentumBuffer: new Float64Array(1), gradAvg: null };
 * rmspropUpdate(w, new Float64Array([2]), buffers,
 *   { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0.9, centered: false, maximize: false });
 * [...buffers.squareAvg]; // ≈ [0.04] ((1 − α)·g²)
 * ```
 */
export interface RMSpropBuffers {
  /** Running average v of g² (updated in place). */
  squareAvg: FloatArray;
  /** Momentum buffer b (updated in place), null when momentum is 0. */
  momentumBuffer: FloatArray | null;
  /** Running average ḡ of g (updated in place), null unless centered. */
  gradAvg: FloatArray | null;
}

/**
 * One RMSprop step for one parameter, in place, with PyTorch 1.13's `_single_tensor_rmsprop` arithmetic:
 * ```
 * g = ±grad + λθ
 * v = α·v + (1 − α)·g²
 * ḡ = α·ḡ + (1 − α)·g,  avg = √(v − ḡ²) + ε      if centered, else avg = √v + ε
 * b = μ·b + g / avg,    θ = θ − γ·b                 if μ > 0, else θ = θ − γ·g / avg
 * ```
 *
 * @example
 * ```ts
 * const w = new Float64Array([1]);
 * rmspropUpdate(w, new Float64Array([2]), { squareAvg: new Float64Array(1), momentumBuffer: null, gradAvg: null },
 *   { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });
 * // w ≈ [0.9]: the first step divides by √(1 − α)·|g|
 * ```
 */
export function rmspropUpdate(param: FloatArray, grad: FloatArray, buffers: RMSpropBuffers, options: RMSpropOptions): void {
  const { lr, alpha, eps, weightDecay, momentum } = options;
  const { squareAvg, momentumBuffer, gradAvg } = buffers;
  const sign = options.maximize ? -1 : 1;
  for (let i = 0; i < param.length; i++) {
    let g = sign * grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    squareAvg[i] = squareAvg[i] * alpha + (1 - alpha) * g * g;
    let avg: number;
    if (gradAvg !== null) {
      gradAvg[i] = gradAvg[i] * alpha + (1 - alpha) * g;
      avg = Math.sqrt(squareAvg[i] + -gradAvg[i] * gradAvg[i]) + eps;
    } else {
      avg = Math.sqrt(squareAvg[i]) + eps;
    }
    if (momentumBuffer !== null) {
      momentumBuffer[i] = momentumBuffer[i] * momentum + g / avg;
      param[i] -= lr * momentumBuffer[i];
    } else {
      param[i] += (-lr * g) / avg;
    }
  }
}

const RMSPROP_DEFAULTS: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

/**
 * RMSprop, like `torch.optim.RMSprop` (Hinton's lecture 6e): each step divides the gradient by
 * the root of a running average of its square, `v = αv + (1 − α)g²`, `θ = θ − γ g / (√v + ε)`.
 * `centered` subtracts the squared running mean of g from v; `momentum` accumulates
 * `b = μb + g / (√v + ε)` and steps by `γb`. With `weightDecay`, `g = ∇θ + λθ`.
 *
 * Options: `lr = 1e-2`, `alpha = 0.99`, `eps = 1e-8`, `weightDecay = 0`, `momentum = 0`,
 * `centered = false`, `maximize = false`. Throws a RangeError for a negative lr, alpha, eps,
 * momentum or weightDecay.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new RMSprop(model.parameters(), { lr: 1e-3, momentum: 0.9, centered: true });
 * ```
 */
export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  static override readonly typeName: string = "RMSprop";
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, RMSPROP_DEFAULTS, options);
  }

  protected validate(o: RMSpropOptions): void {
    checkOptions(this.name, o, ["lr", "alpha", "eps", "momentum", "weightDecay"], ["centered", "maximize"]);
  }

  protected initState(param: Tensor): RMSpropState {
    return { step: 0, squareAvg: zeroBuffer(param), momentumBuffer: null, gradAvg: null };
  }

  protected updateParam(param: Tensor, grad: FloatArray, state: RMSpropState, group: ParamGroup<RMSpropOptions>): void {
    const useMomentum = group.momentum > 0;
    if (useMomentum && state.momentumBuffer === null) state.momentumBuffer = zeroBuffer(param);
    if (group.centered && state.gradAvg === null) state.gradAvg = zeroBuffer(param);
    state.step += 1;
    const buffers = {
      squareAvg: floatData(state.squareAvg),
      momentumBuffer: useMomentum ? floatData(state.momentumBuffer!) : null,
      gradAvg: group.centered ? floatData(state.gradAvg!) : null,
    };
    rmspropUpdate(floatData(param), grad, buffers, group);
  }
}
