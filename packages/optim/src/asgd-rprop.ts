/**
 * ASGD (SGD with a decaying step and a running average of the iterates) and Rprop (steps of a
 * per-coordinate size adapted from the gradient's sign), with PyTorch 1.13's arithmetic.
 */
import { describeValue, optionChecks, type Tensor } from "@tsgrad/core";
import {
  Optimizer, checkOptions, filledBuffer, floatData, zeroBuffer,
  type FloatArray, type OptimizerOptions, type ParamGroup, type Params,
} from "./optimizer.js";

// ---------------------------------------------------------------- ASGD

/**
 * Options of {@link ASGD} (PyTorch's names, camelCased).
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `lr` | `1e-2` | `lr` |
 * | `lambd` | `1e-4` | `lambd` |
 * | `alpha` | `0.75` | `alpha` |
 * | `t0` | `1e6` | `t0` |
 * | `weightDecay` | `0` | `weight_decay` |
 * | `maximize` | `false` | `maximize` |
 *
 * @example
 * ```ts
 * const options: Partial<ASGDOptions> = { lr: 0.01, t0: 100 }; // average the iterates from step 100 on
 * new ASGD(new nn.Linear(2, 1).parameters(), options).defaults.lambd; // 0.0001
 * ```
 */
export interface ASGDOptions extends OptimizerOptions {
  /** Learning rate γ. Default 1e-2. */
  lr: number;
  /** Decay term λ of the step size (and of the weights). Default 1e-4. */
  lambd: number;
  /** Power α of the step size's decay. Default 0.75. */
  alpha: number;
  /** The step from which the iterates are averaged. Default 1e6. */
  t0: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

/** Per-parameter state of {@link ASGD}: step count t, step size η, averaging rate μ and the averaged iterate ax. */
export type ASGDState = { step: number; eta: number; mu: number; ax: Tensor };

/**
 * One ASGD step for one parameter, in place, with PyTorch 1.13's `_single_tensor_asgd`
 * arithmetic (t counts from 1; η and μ are the state's, from the previous step):
 * ```
 * g = ±grad + wd·θ
 * θ = θ(1 − λη) − η·g
 * ax = ax + μ(θ − ax)   (ax = θ while μ = 1)
 * ```
 * and returns the next `{ eta: γ / (1 + λγt)^α, mu: 1 / max(1, t − t0) }`.
 *
 * @example
 * ```ts
 * const w = new Float64Array([1]), ax = new Float64Array(1);
 * const next = asgdUpdate(w, new Float64Array([2]), ax, 1, 0.1, 1, { lr: 0.1, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false });
 * ax[0]; // ≈ 0.79999
 * next.mu; // 1
 * ```
 */
export function asgdUpdate(
  param: FloatArray, grad: FloatArray, ax: FloatArray, step: number, eta: number, mu: number, options: ASGDOptions,
): { eta: number; mu: number } {
  const { lr, lambd, alpha, t0, weightDecay } = options;
  const sign = options.maximize ? -1 : 1;
  const decay = 1 - lambd * eta;
  for (let i = 0; i < param.length; i++) {
    let g = sign * grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    param[i] *= decay;
    param[i] += -eta * g;
    ax[i] = mu !== 1 ? ax[i] + (param[i] - ax[i]) * mu : param[i];
  }
  return { eta: lr / Math.pow(1 + lambd * lr * step, alpha), mu: 1 / Math.max(1, step - t0) };
}

/**
 * Averaged SGD, like `torch.optim.ASGD` (Polyak & Juditsky, 1992): SGD with the step size
 * `η_t = γ / (1 + λγt)^α`, weights shrunk by `1 − λη`, and, from step `t0` on, a running
 * average `ax` of the iterates kept in the state (read it from `optimizer.state.get(p)!.ax`).
 *
 * Options: `lr = 1e-2`, `lambd = 1e-4`, `alpha = 0.75`, `t0 = 1e6`, `weightDecay = 0`,
 * `maximize = false`. Throws a RangeError for a negative lr, lambd, t0 or weightDecay.
 *
 * @example
 * ```ts
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new ASGD([w], { lr: 0.1, t0: 2 });
 * for (let i = 0; i < 5; i++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward();
 *   opt.step();
 * }
 * opt.state.get(w)!.mu; // ≈ 0.3333
 * ```
 */
export class ASGD extends Optimizer<ASGDOptions, ASGDState> {
  static override readonly typeName: string = "ASGD";
  constructor(params: Params<ASGDOptions>, options: Partial<ASGDOptions> = {}) {
    super(params, { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false }, options);
  }

  protected validate(o: ASGDOptions): void {
    checkOptions(this.name, o, ["lr", "lambd", "t0", "weightDecay"], ["maximize"]);
    optionChecks.number(this.name, "alpha", o.alpha);
  }

  protected initState(param: Tensor, group: ParamGroup<ASGDOptions>): ASGDState {
    return { step: 0, eta: group.lr, mu: 1, ax: zeroBuffer(param) };
  }

  protected updateParam(param: Tensor, grad: FloatArray, state: ASGDState, group: ParamGroup<ASGDOptions>): void {
    state.step += 1;
    Object.assign(state, asgdUpdate(floatData(param), grad, floatData(state.ax), state.step, state.eta, state.mu, group));
  }
}

// ---------------------------------------------------------------- Rprop

/**
 * Options of {@link Rprop} (PyTorch's names, camelCased).
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `lr` | `1e-2` | `lr` |
 * | `etas` | `[0.5, 1.2]` | `etas` |
 * | `stepSizes` | `[1e-6, 50]` | `step_sizes` |
 * | `maximize` | `false` | `maximize` |
 *
 * @example
 * ```ts
 * const options: Partial<RpropOptions> = { etas: [0.5, 1.2], stepSizes: [1e-6, 50] };
 * new Rprop(new nn.Linear(2, 1).parameters(), options).defaults.lr; // 0.01
 * ```
 */
export interface RpropOptions extends OptimizerOptions {
  /** The initial step size of every coordinate. Default 1e-2. */
  lr: number;
  /** (η−, η+): the factors a step size is multiplied by when the gradient's sign flips or holds, 0 < η− < 1 < η+. Default [0.5, 1.2]. */
  etas: [number, number];
  /** (min, max): the bounds of the step sizes. Default [1e-6, 50]. */
  stepSizes: [number, number];
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

/** Per-parameter state of {@link Rprop}: step count, the previous (masked) gradient and the step sizes. */
export type RpropState = { step: number; prev: Tensor; stepSize: Tensor };

/**
 * One Rprop step for one parameter, in place, with PyTorch 1.13's `_single_tensor_rprop` arithmetic:
 * ```
 * g = ±grad;  s = sign(g · prev)
 * f = η+ where s > 0, η− where s < 0, 1 where s = 0
 * size = clamp(size · f, min, max)
 * g = 0 where f = η− (a sign flip: no step, and no flip counted next time)
 * θ = θ − sign(g) · size;  prev = g
 * ```
 * @example
 * ```ts
 * const w = new Float64Array([1]), prev = new Float64Array(1), size = new Float64Array([0.01]);
 * rpropUpdate(w, new Float64Array([2]), prev, size, { lr: 0.01, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false });
 * w[0]; // 0.99
 * ```
 */
export function rpropUpdate(param: FloatArray, grad: FloatArray, prev: FloatArray, stepSize: FloatArray, options: RpropOptions): void {
  const [etaMinus, etaPlus] = options.etas;
  const [sizeMin, sizeMax] = options.stepSizes;
  const sign = options.maximize ? -1 : 1;
  for (let i = 0; i < param.length; i++) {
    let g = sign * grad[i];
    const s = Math.sign(g * prev[i]);
    const factor = s > 0 ? etaPlus : s < 0 ? etaMinus : s === 0 ? 1 : s; // NaN stays NaN, as in PyTorch
    stepSize[i] = Math.min(Math.max(stepSize[i] * factor, sizeMin), sizeMax);
    if (factor === etaMinus) g = 0;
    param[i] += -1 * Math.sign(g) * stepSize[i];
    prev[i] = g;
  }
}

const pairCheck = (op: string, name: string, value: unknown): void => {
  if (!Array.isArray(value) || value.length !== 2) throw new TypeError(`${op}: ${name} must be an array of two numbers, got ${describeValue(value)}`);
  value.forEach((v, i) => optionChecks.number(op, `${name}[${i}]`, v));
};

/**
 * Resilient backpropagation, like `torch.optim.Rprop` (Riedmiller & Braun, 1993): each
 * coordinate moves by its own step size in the direction of −sign(g); the size grows by η+
 * while the gradient keeps its sign and shrinks by η− when it flips (that step is skipped),
 * within [min, max]. Full-batch training is what it is for.
 *
 * Options: `lr = 1e-2` (the initial step size), `etas = [0.5, 1.2]`, `stepSizes = [1e-6, 50]`,
 * `maximize = false`. Throws a RangeError unless 0 < η− < 1 < η+, or for a negative lr.
 *
 * @example
 * ```ts
 * const w = tensor([1, -2], { requiresGrad: true });
 * const opt = new Rprop([w], { lr: 0.1 });
 * for (let i = 0; i < 2; i++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward();
 *   opt.step();
 * }
 * w.toArray(); // ≈ [0.78, -1.78]
 * ```
 */
export class Rprop extends Optimizer<RpropOptions, RpropState> {
  static override readonly typeName: string = "Rprop";
  constructor(params: Params<RpropOptions>, options: Partial<RpropOptions> = {}) {
    super(params, { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false }, options);
  }

  protected validate(o: RpropOptions): void {
    checkOptions(this.name, o, ["lr"], ["maximize"]);
    pairCheck(this.name, "etas", o.etas);
    pairCheck(this.name, "stepSizes", o.stepSizes);
    const [minus, plus] = o.etas;
    if (!(minus > 0 && minus < 1 && plus > 1)) throw new RangeError(`${this.name}: etas must be [etaMinus, etaPlus] with 0 < etaMinus < 1 < etaPlus, got [${minus}, ${plus}]`);
  }

  protected initState(param: Tensor, group: ParamGroup<RpropOptions>): RpropState {
    return { step: 0, prev: zeroBuffer(param), stepSize: filledBuffer(param, group.lr) };
  }

  protected updateParam(param: Tensor, grad: FloatArray, state: RpropState, group: ParamGroup<RpropOptions>): void {
    state.step += 1;
    rpropUpdate(floatData(param), grad, floatData(state.prev), floatData(state.stepSize), group);
  }
}
