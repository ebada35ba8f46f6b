/** Adam and AdamW: adaptive moment estimation, with L2 or decoupled weight decay. */
import { describeValue, optionChecks, type Tensor } from "@tsgrad/core";
import {
  Optimizer, checkOptions, floatData, zeroBuffer,
  type FloatArray, type OptimizerOptions, type ParamGroup, type Params,
} from "./optimizer.js";
import { adamF32, allFloat32, type AdamF32Arrays } from "./kernels/adam-f32.js";

/**
 * Options of {@link Adam} and {@link AdamW}: the learning rate, the moments' decay rates,
 * ε, weight decay and the variants. Every one is optional.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `lr` | `1e-3` | `lr` |
 * | `betas` | `[0.9, 0.999]` | `betas` |
 * | `eps` | `1e-8` | `eps` |
 * | `weightDecay` | `0` (Adam), `0.01` (AdamW) | `weight_decay` |
 * | `amsgrad` | `false` | `amsgrad` |
 * | `maximize` | `false` | `maximize` |
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new Adam(model.parameters(), { lr: 0.01, betas: [0.9, 0.99], amsgrad: true });
 * opt.paramGroups[0].eps;                              // → 1e-8 (the default)
 * new AdamW(model.parameters()).defaults.weightDecay;  // → 0.01
 * ```
 */
export interface AdamOptions extends OptimizerOptions {
  /** Learning rate γ. Default 1e-3. */
  lr: number;
  /** Decay rates (β1, β2) of the running averages of the gradient and its square, each in [0, 1). Default [0.9, 0.999]. */
  betas: [number, number];
  /** ε added to the denominator. Default 1e-8. */
  eps: number;
  /** Weight decay λ: an L2 term λθ added to the gradient (Adam) or θ ← θ(1 − γλ) (AdamW). Default 0 (Adam), 0.01 (AdamW). */
  weightDecay: number;
  /** Use the AMSGrad variant (the running max of the second moment). Default false. */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

/** Per-parameter state of {@link Adam}/{@link AdamW}: step count t, first moment m, second moment v, and max v for AMSGrad. */
export type AdamState = { step: number; expAvg: Tensor; expAvgSq: Tensor; maxExpAvgSq: Tensor | null };

/**
 * The moment buffers {@link adamUpdate} works on: {@link Adam}'s per-parameter state
 * ({@link AdamState}'s `expAvg`, `expAvgSq`, `maxExpAvgSq`) as typed arrays. Build them yourself to
 * run Adam's arithmetic on plain arrays.
 *
 * @example
 * ```ts
 * const w = new Float64Array([1, 1]);
 * const buffers: AdamBuffers = { expAvg: new Float64Array(2), expAvgSq: new Float64Array(2), maxExpAvgSq: null };
 * adamUpdate(w, new Float64Array([2, -2]), buffers, 1,
 *   { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false }, false);
 * [...buffers.expAvg];  // ≈ [0.2, -0.2] ((1 − β1)·g)
 * [...buffers.expAvgSq]; // ≈ [0.004, 0.004] ((1 − β2)·g²)
 * ```
 */
export interface AdamBuffers {
  /** First moment m (updated in place). */
  expAvg: FloatArray;
  /** Second moment v (updated in place). */
  expAvgSq: FloatArray;
  /** Running max of v for AMSGrad (updated in place), null without amsgrad. */
  maxExpAvgSq: FloatArray | null;
}

/**
 * One Adam/AdamW step for one parameter, in place, with PyTorch 1.13's `_single_tensor_adam(w)`
 * arithmetic (step t counts from 1):
 * ```
 * g = ±grad (+ λθ for Adam)           θ = θ(1 − γλ) first, for AdamW (decoupled)
 * m = β1·m + (1 − β1)·g               v = β2·v + (1 − β2)·g²
 * v̂max = max(v̂max, v) with amsgrad    denom = √v / √(1 − β2^t) + ε  (v̂max in place of v with amsgrad)
 * θ = θ − (γ / (1 − β1^t))·m / denom
 * ```
 * Float32 arrays get PyTorch's float32 results bit for bit (each op rounded to float32, its fused
 * multiply-adds rounded once; a WebAssembly SIMD kernel where the runtime has one); float64 arrays
 * are computed in float64, within rounding of PyTorch's.
 * @param step The step number t of this update (1 on the first).
 * @param decoupledWeightDecay True for AdamW's decay, false for Adam's L2 term.
 *
 * @example
 * ```ts
 * const w = new Float64Array([1]), m = new Float64Array(1), v = new Float64Array(1);
 * adamUpdate(w, new Float64Array([2]), { expAvg: m, expAvgSq: v, maxExpAvgSq: null }, 1,
 *   { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false }, false);
 * // w ≈ [0.9]: Adam's first step moves each weight by about lr
 * ```
 */
export function adamUpdate(
  param: FloatArray, grad: FloatArray, buffers: AdamBuffers, step: number, options: AdamOptions, decoupledWeightDecay: boolean,
): void {
  const { lr, eps, weightDecay } = options;
  const [beta1, beta2] = options.betas;
  const { expAvg, expAvgSq, maxExpAvgSq } = buffers;
  const sign = options.maximize ? -1 : 1;
  const l2 = decoupledWeightDecay ? 0 : weightDecay;
  const decay = 1 - lr * weightDecay;
  const negStepSize = -(lr / (1 - beta1 ** step));
  const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
  if (allFloat32(param, grad, expAvg, expAvgSq, maxExpAvgSq)) {
    const arrays = { param, grad, expAvg, expAvgSq, maxExpAvgSq } as AdamF32Arrays;
    return adamF32(arrays, { maximize: options.maximize, l2, decay: decoupledWeightDecay ? decay : 1, beta1, beta2, negStepSize, bias2Sqrt, eps });
  }
  for (let i = 0; i < param.length; i++) {
    let g = sign * grad[i];
    if (l2 !== 0) g += l2 * param[i];
    if (decoupledWeightDecay) param[i] *= decay;
    expAvg[i] = expAvg[i] * beta1 + (1 - beta1) * g;
    expAvgSq[i] = expAvgSq[i] * beta2 + (1 - beta2) * g * g;
    let v = expAvgSq[i];
    if (maxExpAvgSq !== null) {
      maxExpAvgSq[i] = Math.max(maxExpAvgSq[i], v);
      v = maxExpAvgSq[i];
    }
    param[i] += (negStepSize * expAvg[i]) / (Math.sqrt(v) / bias2Sqrt + eps);
  }
}

const BETA = optionChecks.inHalfOpenRange(0, 1);

/** Throws unless `betas` is `[beta1, beta2]` with both in [0, 1) (Adam's and its variants' check). */
export function checkBetas(op: string, betas: unknown): void {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new TypeError(`${op}: betas must be an array of two numbers [beta1, beta2], got ${describeValue(betas)}`);
  }
  BETA(op, "betas[0]", betas[0]);
  BETA(op, "betas[1]", betas[1]);
}
const ADAM_DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };

/**
 * Adam, like `torch.optim.Adam` (Kingma & Ba, 2015), with PyTorch's bias correction:
 * `m = β1m + (1 − β1)g`, `v = β2v + (1 − β2)g²`,
 * `θ = θ − γ/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)`, where `g = ∇θ + λθ` (L2 weight decay;
 * see {@link AdamW} for the decoupled form). With `amsgrad` the running max of v replaces v.
 *
 * Options: `lr = 1e-3`, `betas = [0.9, 0.999]`, `eps = 1e-8`, `weightDecay = 0`,
 * `amsgrad = false`, `maximize = false`. Throws a RangeError for a negative lr, eps or
 * weightDecay, or a beta outside [0, 1).
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new Adam(model.parameters(), { lr: 1e-2 });
 * opt.zeroGrad();
 * const loss = losses.mseLoss(model.forward(randn([8, 2])), randn([8, 1]));
 * loss.backward();
 * opt.step();
 * ```
 */
export class Adam extends Optimizer<AdamOptions, AdamState> {
  static override readonly typeName: string = "Adam";
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, ADAM_DEFAULTS, options);
  }

  /** True for AdamW: weight decay shrinks θ directly instead of adding λθ to the gradient. */
  protected get decoupledWeightDecay(): boolean {
    return false;
  }

  protected validate(o: AdamOptions): void {
    checkOptions(this.name, o, ["lr", "eps", "weightDecay"], ["amsgrad", "maximize"]);
    checkBetas(this.name, o.betas);
  }

  protected initState(param: Tensor): AdamState {
    return { step: 0, expAvg: zeroBuffer(param), expAvgSq: zeroBuffer(param), maxExpAvgSq: null };
  }

  protected updateParam(param: Tensor, grad: FloatArray, state: AdamState, group: ParamGroup<AdamOptions>): void {
    if (group.amsgrad && state.maxExpAvgSq === null) state.maxExpAvgSq = zeroBuffer(param);
    state.step += 1;
    const buffers = {
      expAvg: floatData(state.expAvg),
      expAvgSq: floatData(state.expAvgSq),
      maxExpAvgSq: group.amsgrad ? floatData(state.maxExpAvgSq!) : null,
    };
    adamUpdate(floatData(param), grad, buffers, state.step, group, this.decoupledWeightDecay);
  }
}

/**
 * AdamW, like `torch.optim.AdamW` (Loshchilov & Hutter, 2019): {@link Adam} with decoupled weight
 * decay. Each step first shrinks the weights, `θ = θ(1 − γλ)`, then applies Adam's update to the
 * plain gradient (no λθ term in the moments).
 *
 * Options as {@link Adam}, but `weightDecay` defaults to 0.01.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 * ```
 */
export class AdamW extends Adam {
  static override readonly typeName: string = "AdamW";
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    // AdamW's own default weightDecay; anything but an options object goes on to be rejected by Adam.
    const isObject = typeof options === "object" && options !== null && !Array.isArray(options);
    super(params, isObject ? { ...options, weightDecay: options.weightDecay ?? 0.01 } : options);
  }

  protected override get decoupledWeightDecay(): boolean {
    return true;
  }
}
