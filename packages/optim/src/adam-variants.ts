/**
 * Adam's variants: Adamax (the infinity norm in place of the second moment), NAdam (Nesterov
 * momentum) and RAdam (the variance of the adaptive lr rectified), each with PyTorch 1.13's
 * arithmetic.
 */
import type { Tensor } from "@tsgrad/core";
import {
  Optimizer, checkOptions, floatData, zeroBuffer,
  type FloatArray, type OptimizerOptions, type ParamGroup, type Params,
} from "./optimizer.js";
import { checkBetas } from "./adam.js";

/**
 * The options {@link Adamax}, {@link NAdam} and {@link RAdam} share with Adam (PyTorch's names,
 * camelCased); each one's own interface gives its defaults.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `lr` | the optimizer's | `lr` |
 * | `betas` | `[0.9, 0.999]` | `betas` |
 * | `eps` | `1e-8` | `eps` |
 * | `weightDecay` | `0` | `weight_decay` |
 * | `maximize` | `false` | `maximize` |
 *
 * @example
 * ```ts
 * const shared: Partial<AdamLikeOptions> = { betas: [0.9, 0.99], eps: 1e-6, maximize: false };
 * [new Adamax(new nn.Linear(2, 1).parameters(), shared), new RAdam(new nn.Linear(2, 1).parameters(), shared)].map((o) => o.defaults.eps); // [0.000001, 0.000001]
 * ```
 */
export interface AdamLikeOptions extends OptimizerOptions {
  /** Learning rate γ. */
  lr: number;
  /** Decay rates (β1, β2) of the first and second moments (Adamax: of the infinity norm), each in [0, 1). Default [0.9, 0.999]. */
  betas: [number, number];
  /** ε added to the denominator (Adamax: to |g| in the norm). Default 1e-8. */
  eps: number;
  /** Weight decay λ: an L2 term λθ added to the gradient. Default 0. */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

/** The gradient's sign (−1 with maximize) and the weight decay as an L2 term or, decoupled, a factor of θ. */
function decayTerms(o: AdamLikeOptions & { decoupledWeightDecay?: boolean }): { sign: number; l2: number; decay: number } {
  const decoupled = o.decoupledWeightDecay === true;
  return { sign: o.maximize ? -1 : 1, l2: decoupled ? 0 : o.weightDecay, decay: decoupled ? 1 - o.lr * o.weightDecay : 1 };
}

/** The state Adamax, NAdam and RAdam share: a step count and a first moment. */
type AdamLikeState = { step: number; expAvg: Tensor };

/** Validation and the step count the variants share; each adds its update. */
abstract class AdamLike<O extends AdamLikeOptions, S extends AdamLikeState> extends Optimizer<O, S> {
  protected validate(o: O): void {
    checkOptions(this.name, o, ["lr", "eps", "weightDecay"], ["maximize"]);
    checkBetas(this.name, o.betas);
  }

  protected updateParam(param: Tensor, grad: FloatArray, state: S, group: ParamGroup<O>): void {
    state.step += 1;
    this.update(floatData(param), grad, state, group);
  }

  /** The algorithm's update of `param` (its step count already advanced). */
  protected abstract update(param: FloatArray, grad: FloatArray, state: S, group: ParamGroup<O>): void;
}

// ---------------------------------------------------------------- Adamax

/**
 * Options of {@link Adamax} (PyTorch's names, camelCased).
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `lr` | `2e-3` | `lr` |
 * | `betas` | `[0.9, 0.999]` | `betas` |
 * | `eps` | `1e-8` | `eps` |
 * | `weightDecay` | `0` | `weight_decay` |
 * | `maximize` | `false` | `maximize` |
 *
 * @example
 * ```ts
 * const options: Partial<AdamaxOptions> = { lr: 2e-3, betas: [0.9, 0.999] };
 * new Adamax(new nn.Linear(2, 1).parameters(), options).defaults.eps; // 1e-8
 * ```
 */
export interface AdamaxOptions extends AdamLikeOptions {
  /** Learning rate γ. Default 2e-3. */
  lr: number;
}

/** Per-parameter state of {@link Adamax}: step count t, first moment m, infinity norm u. */
export type AdamaxState = { step: number; expAvg: Tensor; expInf: Tensor };

/**
 * One Adamax step for one parameter, in place, with PyTorch 1.13's `_single_tensor_adamax`
 * arithmetic (t counts from 1):
 * ```
 * g = ±grad + λθ
 * m = β1·m + (1 − β1)·g          u = max(β2·u, |g| + ε)
 * θ = θ − (γ / (1 − β1^t))·m / u
 * ```
 * @example
 * ```ts
 * const w = new Float64Array([1]);
 * adamaxUpdate(w, new Float64Array([2]), new Float64Array(1), new Float64Array(1), 1,
 *   { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false });
 * w[0]; // ≈ 0.9 (the first step moves by lr)
 * ```
 */
export function adamaxUpdate(param: FloatArray, grad: FloatArray, expAvg: FloatArray, expInf: FloatArray, step: number, options: AdamaxOptions): void {
  const { lr, eps } = options;
  const [beta1, beta2] = options.betas;
  const { sign, l2 } = decayTerms(options);
  const negClr = -(lr / (1 - beta1 ** step));
  for (let i = 0; i < param.length; i++) {
    let g = sign * grad[i];
    if (l2 !== 0) g += l2 * param[i];
    expAvg[i] = expAvg[i] * beta1 + (1 - beta1) * g;
    expInf[i] = Math.max(expInf[i] * beta2, Math.abs(g) + eps);
    param[i] += (negClr * expAvg[i]) / expInf[i];
  }
}

/**
 * Adamax, like `torch.optim.Adamax` (Kingma & Ba, 2015, §7): Adam with the second moment
 * replaced by an exponentially weighted infinity norm, `u = max(β2u, |g| + ε)`, and
 * `θ = θ − γ/(1 − β1^t) · m / u`.
 *
 * Options: `lr = 2e-3`, `betas = [0.9, 0.999]`, `eps = 1e-8`, `weightDecay = 0`,
 * `maximize = false`. Throws a RangeError for a negative lr, eps or weightDecay, or a beta
 * outside [0, 1).
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new Adamax(model.parameters(), { lr: 2e-3 });
 * opt.zeroGrad();
 * losses.mseLoss(model.forward(randn([8, 2])), randn([8, 1])).backward();
 * opt.step();
 * ```
 */
export class Adamax extends AdamLike<AdamaxOptions, AdamaxState> {
  static override readonly typeName: string = "Adamax";
  constructor(params: Params<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super(params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }, options);
  }

  protected initState(param: Tensor): AdamaxState {
    return { step: 0, expAvg: zeroBuffer(param), expInf: zeroBuffer(param) };
  }

  protected update(param: FloatArray, grad: FloatArray, state: AdamaxState, group: ParamGroup<AdamaxOptions>): void {
    adamaxUpdate(param, grad, floatData(state.expAvg), floatData(state.expInf), state.step, group);
  }
}

// ---------------------------------------------------------------- NAdam

/**
 * Options of {@link NAdam} (PyTorch's names, camelCased).
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `lr` | `2e-3` | `lr` |
 * | `momentumDecay` | `4e-3` | `momentum_decay` |
 * | `decoupledWeightDecay` | `false` | — (newer than 1.13: `decoupled_weight_decay`) |
 * | `betas` | `[0.9, 0.999]` | `betas` |
 * | `eps` | `1e-8` | `eps` |
 * | `weightDecay` | `0` | `weight_decay` |
 * | `maximize` | `false` | — (newer than 1.13: `maximize`) |
 *
 * @example
 * ```ts
 * const options: Partial<NAdamOptions> = { momentumDecay: 4e-3, weightDecay: 0.01, decoupledWeightDecay: true };
 * new NAdam(new nn.Linear(2, 1).parameters(), options).defaults.lr; // 0.002
 * ```
 */
export interface NAdamOptions extends AdamLikeOptions {
  /** Learning rate γ. Default 2e-3. */
  lr: number;
  /** ψ, the decay of the momentum schedule μ_t = β1(1 − 0.96^(tψ) / 2). Default 4e-3. */
  momentumDecay: number;
  /** Decay the weights directly, θ ← θ(1 − γλ), like AdamW (NAdamW), instead of adding λθ to the gradient. Default false. */
  decoupledWeightDecay: boolean;
}

/** Per-parameter state of {@link NAdam}: step count t, the product of the μ's so far, first moment m, second moment v. */
export type NAdamState = { step: number; muProduct: number; expAvg: Tensor; expAvgSq: Tensor };

/**
 * One NAdam step for one parameter, in place, with PyTorch 1.13's `_single_tensor_nadam`
 * arithmetic (t counts from 1; `muProduct` is the state's product, returned updated):
 * ```
 * g = ±grad + λθ                     θ = θ(1 − γλ) instead, with decoupledWeightDecay
 * μ_t = β1(1 − 0.5·0.96^(tψ))        μ_{t+1} = β1(1 − 0.5·0.96^((t+1)ψ))
 * Π = Π·μ_t                          Π' = Π·μ_t·μ_{t+1}   (PyTorch 1.13's product, μ_t counted twice)
 * m = β1·m + (1 − β1)·g              v = β2·v + (1 − β2)·g²
 * denom = √(v / (1 − β2^t)) + ε
 * θ = θ − γ(1 − μ_t)/(1 − Π) · g / denom − γ·μ_{t+1}/(1 − Π') · m / denom
 * ```
 * (PyTorch 2 uses Π' = Π·μ_{t+1}; the fixtures are 1.13's.)
 *
 * @example
 * ```ts
 * const w = new Float64Array([1]);
 * const muProduct = nadamUpdate(w, new Float64Array([2]), new Float64Array(1), new Float64Array(1), 1, 1,
 *   { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, decoupledWeightDecay: false, maximize: false });
 * muProduct; // ≈ 0.45007 (μ_1 = 0.9 · (1 − 0.96^0.004 / 2))
 * ```
 */
export function nadamUpdate(
  param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, step: number, muProduct: number, options: NAdamOptions,
): number {
  const { lr, eps, momentumDecay } = options;
  const [beta1, beta2] = options.betas;
  const { sign, l2, decay } = decayTerms(options);
  const biasCorrection2 = 1 - beta2 ** step;
  const mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
  const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
  const product = muProduct * mu;
  const productNext = product * mu * muNext;
  const gradScale = (-lr * (1 - mu)) / (1 - product);
  const avgScale = (-lr * muNext) / (1 - productNext);
  for (let i = 0; i < param.length; i++) {
    let g = sign * grad[i];
    if (l2 !== 0) g += l2 * param[i];
    if (decay !== 1) param[i] *= decay;
    expAvg[i] = expAvg[i] * beta1 + (1 - beta1) * g;
    expAvgSq[i] = expAvgSq[i] * beta2 + (1 - beta2) * g * g;
    const denom = Math.sqrt(expAvgSq[i] / biasCorrection2) + eps;
    param[i] += (gradScale * g) / denom;
    param[i] += (avgScale * expAvg[i]) / denom;
  }
  return product;
}

/**
 * NAdam, like `torch.optim.NAdam` (Dozat, 2016): Adam with Nesterov momentum, whose momentum
 * coefficient follows the schedule `μ_t = β1(1 − 0.96^(tψ) / 2)` (ψ = `momentumDecay`); the
 * update combines the current gradient and the first moment, each with its own bias correction
 * (see {@link nadamUpdate}). `decoupledWeightDecay` (NAdamW, from PyTorch 2.1) shrinks θ by
 * `1 − γλ` instead of adding λθ to the gradient; `maximize` is also newer than PyTorch 1.13.
 * Both are tested against references built from PyTorch 1.13's NAdam by their formulas
 * (the gradient negated; θ scaled before a step without weight decay).
 *
 * Options: `lr = 2e-3`, `betas = [0.9, 0.999]`, `eps = 1e-8`, `weightDecay = 0`,
 * `momentumDecay = 4e-3`, `decoupledWeightDecay = false`, `maximize = false`.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new NAdam(model.parameters(), { lr: 2e-3, momentumDecay: 4e-3 });
 * opt.zeroGrad();
 * losses.mseLoss(model.forward(randn([8, 2])), randn([8, 1])).backward();
 * opt.step();
 * ```
 */
export class NAdam extends AdamLike<NAdamOptions, NAdamState> {
  static override readonly typeName: string = "NAdam";
  constructor(params: Params<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super(params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, decoupledWeightDecay: false, maximize: false }, options);
  }

  protected override validate(o: NAdamOptions): void {
    super.validate(o);
    checkOptions(this.name, o, ["momentumDecay"], ["decoupledWeightDecay"]);
  }

  protected initState(param: Tensor): NAdamState {
    return { step: 0, muProduct: 1, expAvg: zeroBuffer(param), expAvgSq: zeroBuffer(param) };
  }

  protected update(param: FloatArray, grad: FloatArray, state: NAdamState, group: ParamGroup<NAdamOptions>): void {
    state.muProduct = nadamUpdate(param, grad, floatData(state.expAvg), floatData(state.expAvgSq), state.step, state.muProduct, group);
  }
}

// ---------------------------------------------------------------- RAdam

/**
 * Options of {@link RAdam} (PyTorch's names, camelCased).
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `lr` | `1e-3` | `lr` |
 * | `decoupledWeightDecay` | `false` | — (newer than 1.13: `decoupled_weight_decay`) |
 * | `betas` | `[0.9, 0.999]` | `betas` |
 * | `eps` | `1e-8` | `eps` |
 * | `weightDecay` | `0` | `weight_decay` |
 * | `maximize` | `false` | — (newer than 1.13: `maximize`) |
 *
 * @example
 * ```ts
 * const options: Partial<RAdamOptions> = { lr: 1e-3, weightDecay: 0.01, decoupledWeightDecay: true };
 * new RAdam(new nn.Linear(2, 1).parameters(), options).defaults.betas; // [0.9, 0.999]
 * ```
 */
export interface RAdamOptions extends AdamLikeOptions {
  /** Learning rate γ. Default 1e-3. */
  lr: number;
  /** Decay the weights directly, θ ← θ(1 − γλ), like AdamW, instead of adding λθ to the gradient. Default false. */
  decoupledWeightDecay: boolean;
}

/** Per-parameter state of {@link RAdam}: step count t, first moment m, second moment v. */
export type RAdamState = { step: number; expAvg: Tensor; expAvgSq: Tensor };

/**
 * One RAdam step for one parameter, in place, with PyTorch 1.13's `_single_tensor_radam`
 * arithmetic (t counts from 1):
 * ```
 * g = ±grad + λθ                     θ = θ(1 − γλ) instead, with decoupledWeightDecay
 * m = β1·m + (1 − β1)·g              v = β2·v + (1 − β2)·g²
 * m̂ = m / (1 − β1^t)                 ρ∞ = 2/(1 − β2) − 1,  ρ_t = ρ∞ − 2t·β2^t / (1 − β2^t)
 * θ = θ − m̂·γ·(√(1 − β2^t) / (√v + ε))·r   with r = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t)), if ρ_t > 5
 * θ = θ − m̂·γ                                otherwise (the early steps: SGD with momentum)
 * ```
 * @example
 * ```ts
 * const w = new Float64Array([1]);
 * radamUpdate(w, new Float64Array([2]), new Float64Array(1), new Float64Array(1), 1,
 *   { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false });
 * w[0]; // ≈ 0.8 (ρ_1 = 1: an unrectified step of lr·m̂ = 0.1·2)
 * ```
 */
export function radamUpdate(param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, step: number, options: RAdamOptions): void {
  const { lr, eps } = options;
  const [beta1, beta2] = options.betas;
  const { sign, l2, decay } = decayTerms(options);
  const biasCorrection1 = 1 - beta1 ** step;
  const biasCorrection2 = 1 - beta2 ** step;
  const rhoInf = 2 / (1 - beta2) - 1;
  const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2;
  const rect = rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
  const sqrtBias2 = Math.sqrt(biasCorrection2);
  for (let i = 0; i < param.length; i++) {
    let g = sign * grad[i];
    if (l2 !== 0) g += l2 * param[i];
    if (decay !== 1) param[i] *= decay;
    expAvg[i] = expAvg[i] * beta1 + (1 - beta1) * g;
    expAvgSq[i] = expAvgSq[i] * beta2 + (1 - beta2) * g * g;
    const corrected = expAvg[i] / biasCorrection1;
    if (rhoT > 5) param[i] -= corrected * lr * (sqrtBias2 / (Math.sqrt(expAvgSq[i]) + eps)) * rect;
    else param[i] -= corrected * lr;
  }
}

/**
 * RAdam, like `torch.optim.RAdam` (Liu et al., 2020): Adam whose adaptive lr is used only once
 * its variance is tractable (ρ_t > 5), rectified by r_t; before that the step is momentum SGD
 * (see {@link radamUpdate}). `decoupledWeightDecay` (from PyTorch 2.1) shrinks θ by `1 − γλ`
 * instead of adding λθ to the gradient; `maximize` is also newer than PyTorch 1.13. Both are
 * tested against references built from PyTorch 1.13's RAdam by their formulas.
 *
 * Options: `lr = 1e-3`, `betas = [0.9, 0.999]`, `eps = 1e-8`, `weightDecay = 0`,
 * `decoupledWeightDecay = false`, `maximize = false`.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new RAdam(model.parameters(), { lr: 1e-3 });
 * opt.zeroGrad();
 * losses.mseLoss(model.forward(randn([8, 2])), randn([8, 1])).backward();
 * opt.step();
 * ```
 */
export class RAdam extends AdamLike<RAdamOptions, RAdamState> {
  static override readonly typeName: string = "RAdam";
  constructor(params: Params<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false }, options);
  }

  protected override validate(o: RAdamOptions): void {
    super.validate(o);
    checkOptions(this.name, o, [], ["decoupledWeightDecay"]);
  }

  protected initState(param: Tensor): RAdamState {
    return { step: 0, expAvg: zeroBuffer(param), expAvgSq: zeroBuffer(param) };
  }

  protected update(param: FloatArray, grad: FloatArray, state: RAdamState, group: ParamGroup<RAdamOptions>): void {
    radamUpdate(param, grad, floatData(state.expAvg), floatData(state.expAvgSq), state.step, group);
  }
}
