/** Adadelta: steps scaled by the ratio of running RMS of past updates to running RMS of gradients. */
import { optionChecks, type Tensor } from "@tsgrad/core";
import {
  Optimizer, checkOptions, floatData, zeroBuffer,
  type FloatArray, type OptimizerOptions, type ParamGroup, type Params,
} from "./optimizer.js";

/**
 * Options of {@link Adadelta} (PyTorch's names, camelCased).
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `lr` | `1` | `lr` |
 * | `rho` | `0.9` | `rho` |
 * | `eps` | `1e-6` | `eps` |
 * | `weightDecay` | `0` | `weight_decay` |
 * | `maximize` | `false` | `maximize` |
 *
 * @example
 * ```ts
 * const options: Partial<AdadeltaOptions> = { rho: 0.95, eps: 1e-6 };
 * new Adadelta(new nn.Linear(2, 1).parameters(), options).defaults.lr; // 1
 * ```
 */
export interface AdadeltaOptions extends OptimizerOptions {
  /** Coefficient γ scaling the delta before it is applied. Default 1. */
  lr: number;
  /** Decay rate ρ of the running averages, in [0, 1]. Default 0.9. */
  rho: number;
  /** ε added inside both square roots. Default 1e-6. */
  eps: number;
  /** L2 penalty λ added to the gradient. Default 0. */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

/** Per-parameter state of {@link Adadelta}: step count, running average v of g², running average u of Δ². */
export type AdadeltaState = { step: number; squareAvg: Tensor; accDelta: Tensor };

/**
 * One Adadelta step for one parameter, in place, with PyTorch 1.13's `_single_tensor_adadelta` arithmetic:
 * ```
 * g = ±grad + λθ
 * v = ρ·v + (1 − ρ)·g²
 * Δ = √(u + ε) / √(v + ε) · g
 * u = ρ·u + (1 − ρ)·Δ²
 * θ = θ − γ·Δ
 * ```
 * @param squareAvg The running average v (updated in place).
 * @param accDelta The running average u (updated in place).
 *
 * @example
 * ```ts
 * const w = new Float64Array([1]);
 * adadeltaUpdate(w, new Float64Array([2]), new Float64Array(1), new Float64Array(1), { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false });
 * w[0]; // ≈ 0.99684 (the first step is about √ε / √(1 − ρ))
 * ```
 */
export function adadeltaUpdate(param: FloatArray, grad: FloatArray, squareAvg: FloatArray, accDelta: FloatArray, options: AdadeltaOptions): void {
  const { lr, rho, eps, weightDecay } = options;
  const sign = options.maximize ? -1 : 1;
  for (let i = 0; i < param.length; i++) {
    let g = sign * grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    squareAvg[i] = squareAvg[i] * rho + (1 - rho) * g * g;
    const delta = (Math.sqrt(accDelta[i] + eps) / Math.sqrt(squareAvg[i] + eps)) * g;
    accDelta[i] = accDelta[i] * rho + (1 - rho) * delta * delta;
    param[i] += -lr * delta;
  }
}

const ADADELTA_DEFAULTS: AdadeltaOptions = { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false };

/**
 * Adadelta, like `torch.optim.Adadelta` (Zeiler, 2012): each coordinate steps by
 * `Δ = √(u + ε) / √(v + ε) · g`, where v and u are running averages (rate ρ) of g² and Δ², so
 * the step has the units of θ and needs no tuning of its size; `lr` only scales it. With
 * `weightDecay`, `g = ∇θ + λθ`.
 *
 * Options: `lr = 1`, `rho = 0.9`, `eps = 1e-6`, `weightDecay = 0`, `maximize = false`.
 * Throws a RangeError for a negative lr, eps or weightDecay, or a rho outside [0, 1].
 *
 * @example
 * ```ts
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new Adadelta([w], { lr: 1 });
 * for (let i = 0; i < 3; i++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward();
 *   opt.step();
 * }
 * opt.state.get(w)!.step; // 3
 * ```
 */
export class Adadelta extends Optimizer<AdadeltaOptions, AdadeltaState> {
  static override readonly typeName: string = "Adadelta";
  constructor(params: Params<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super(params, ADADELTA_DEFAULTS, options);
  }

  protected validate(o: AdadeltaOptions): void {
    checkOptions(this.name, o, ["lr", "eps", "weightDecay"], ["maximize"]);
    optionChecks.inRange(0, 1)(this.name, "rho", o.rho);
  }

  protected initState(param: Tensor): AdadeltaState {
    return { step: 0, squareAvg: zeroBuffer(param), accDelta: zeroBuffer(param) };
  }

  protected updateParam(param: Tensor, grad: FloatArray, state: AdadeltaState, group: ParamGroup<AdadeltaOptions>): void {
    state.step += 1;
    adadeltaUpdate(floatData(param), grad, floatData(state.squareAvg), floatData(state.accDelta), group);
  }
}
