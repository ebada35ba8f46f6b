/** Adagrad: per-coordinate learning rates from the running sum of squared gradients. */
import type { Tensor } from "@tsgrad/core";
import {
  Optimizer, checkOptions, filledBuffer, floatData,
  type FloatArray, type OptimizerOptions, type ParamGroup, type Params,
} from "./optimizer.js";

/**
 * Options of {@link Adagrad}: the learning rate and its decay, weight decay, the accumulator's
 * start, ε. Every one is optional.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `lr` | `1e-2` | `lr` |
 * | `lrDecay` | `0` | `lr_decay` |
 * | `weightDecay` | `0` | `weight_decay` |
 * | `initialAccumulatorValue` | `0` | `initial_accumulator_value` |
 * | `eps` | `1e-10` | `eps` |
 * | `maximize` | `false` | `maximize` |
 *
 * @example
 * ```ts
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new Adagrad([w], { lr: 0.1, initialAccumulatorValue: 0.1 });
 * w.square().sum().backward();  // grad 2
 * opt.step();
 * opt.state.get(w)!.sum;       // ≈ [4.1] (0.1 + 2²)
 * opt.defaults.eps;            // → 1e-10
 * ```
 */
export interface AdagradOptions extends OptimizerOptions {
  /** Learning rate γ. Default 1e-2. */
  lr: number;
  /** Learning-rate decay η: step t uses γ / (1 + (t − 1)η). Default 0. */
  lrDecay: number;
  /** L2 penalty λ added to the gradient. Default 0. */
  weightDecay: number;
  /** Starting value of the sum of squared gradients. Default 0. */
  initialAccumulatorValue: number;
  /** ε added to the denominator. Default 1e-10. */
  eps: number;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

/** Per-parameter state of {@link Adagrad}: step count and the running sum of g². */
export type AdagradState = { step: number; sum: Tensor };

/**
 * One Adagrad step for one parameter, in place, with PyTorch 1.13's `_single_tensor_adagrad`
 * arithmetic (step t counts from 1):
 * ```
 * g = ±grad + λθ
 * s = s + g²
 * θ = θ − (γ / (1 + (t − 1)η))·g / (√s + ε)
 * ```
 * @param sum The running sum s (updated in place).
 * @param step The step number t of this update (1 on the first).
 *
 * @example
 * ```ts
 * const w = new Float64Array([1]), s = new Float64Array(1);
 * adagradUpdate(w, new Float64Array([2]), s, 1, { lr: 0.1, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false });
 * // s = [4], w ≈ [0.9]
 * ```
 */
export function adagradUpdate(param: FloatArray, grad: FloatArray, sum: FloatArray, step: number, options: AdagradOptions): void {
  const { weightDecay, eps } = options;
  const sign = options.maximize ? -1 : 1;
  const negClr = -(options.lr / (1 + (step - 1) * options.lrDecay));
  for (let i = 0; i < param.length; i++) {
    let g = sign * grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    sum[i] += g * g;
    param[i] += (negClr * g) / (Math.sqrt(sum[i]) + eps);
  }
}

const ADAGRAD_DEFAULTS: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

/**
 * Adagrad, like `torch.optim.Adagrad` (Duchi et al., 2011): each coordinate's step is scaled by
 * the root of the sum of its squared gradients so far, `s = s + g²`,
 * `θ = θ − γ_t g / (√s + ε)` with `γ_t = γ / (1 + (t − 1)·lrDecay)` and `g = ∇θ + λθ`.
 *
 * Options: `lr = 1e-2`, `lrDecay = 0`, `weightDecay = 0`, `initialAccumulatorValue = 0`,
 * `eps = 1e-10`, `maximize = false`. Throws a RangeError for a negative lr, lrDecay,
 * weightDecay, initialAccumulatorValue or eps. The sum starts at the parameter's group's
 * `initialAccumulatorValue` (PyTorch 1.13 uses the constructor's value even for groups that set
 * their own).
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new Adagrad(model.parameters(), { lr: 0.1, lrDecay: 1e-3 });
 * ```
 */
export class Adagrad extends Optimizer<AdagradOptions, AdagradState> {
  static override readonly typeName: string = "Adagrad";
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, ADAGRAD_DEFAULTS, options);
  }

  protected validate(o: AdagradOptions): void {
    checkOptions(this.name, o, ["lr", "lrDecay", "weightDecay", "initialAccumulatorValue", "eps"], ["maximize"]);
  }

  protected initState(param: Tensor, group: ParamGroup<AdagradOptions>): AdagradState {
    return { step: 0, sum: filledBuffer(param, group.initialAccumulatorValue) };
  }

  protected updateParam(param: Tensor, grad: FloatArray, state: AdagradState, group: ParamGroup<AdagradOptions>): void {
    state.step += 1;
    adagradUpdate(floatData(param), grad, floatData(state.sum), state.step, group);
  }
}
