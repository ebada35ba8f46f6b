/** Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay. */
import { checkOptionKeys, optionChecks, type Tensor } from "@tsgrad/core";
import {
  Optimizer, checkOptions, floatData, requiredOption, zeroBuffer,
  type FloatArray, type OptimizerOptions, type ParamGroup, type Params,
} from "./optimizer.js";

/**
 * Options of {@link SGD}: the learning rate, momentum, weight decay and direction.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `lr` | required | `lr` |
 * | `momentum` | `0` | `momentum` |
 * | `dampening` | `0` | `dampening` |
 * | `weightDecay` | `0` | `weight_decay` |
 * | `nesterov` | `false` | `nesterov` |
 * | `maximize` | `false` | `maximize` |
 *
 * A parameter group may override any of them. All but `lr` are optional when constructing.
 *
 * @example
 * ```ts
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9, weightDecay: 0.1 });
 * w.square().sum().backward(); // grad 2
 * opt.step();
 * w.item();                    // ≈ 0.79 (1 − 0.1·(2 + 0.1·1))
 * opt.defaults.nesterov;       // → false
 * ```
 */
export interface SGDOptions extends OptimizerOptions {
  /** Learning rate γ (required). */
  lr: number;
  /** Momentum factor μ. Default 0. */
  momentum: number;
  /** Dampening τ for momentum. Default 0. */
  dampening: number;
  /** L2 penalty λ added to the gradient. Default 0. */
  weightDecay: number;
  /** Use Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize: boolean;
}

/** Per-parameter state of {@link SGD}: the momentum buffer b, null until momentum is first used. */
export type SGDState = { momentumBuffer: Tensor | null };

const SGD_DEFAULTS: Omit<SGDOptions, "lr"> = { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

/**
 * One SGD step for one parameter, in place, with PyTorch 1.13's `_single_tensor_sgd` arithmetic:
 * ```
 * g = ±grad + λ·θ
 * b = g on the first step, else μ·b + (1 − τ)·g       (when μ ≠ 0)
 * g = g + μ·b if nesterov, else b                       (when μ ≠ 0)
 * θ = θ − γ·g
 * ```
 * @param param The parameter's elements (updated in place).
 * @param grad Its gradient, same length.
 * @param momentumBuffer The momentum buffer b (updated in place), or null when momentum is 0.
 * @param firstStep True when `momentumBuffer` is new: it is set to g instead of decayed.
 *
 * @example
 * ```ts
 * const w = new Float64Array([1, 2]);
 * sgdUpdate(w, new Float64Array([0.5, -1]), null, false, { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
 * // w = [0.95, 2.1]
 * ```
 */
export function sgdUpdate(
  param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray | null, firstStep: boolean, options: SGDOptions,
): void {
  const { lr, momentum, dampening, weightDecay, nesterov } = options;
  const sign = options.maximize ? -1 : 1;
  const buf = momentumBuffer;
  for (let i = 0; i < param.length; i++) {
    let d = sign * grad[i];
    if (weightDecay !== 0) d += weightDecay * param[i];
    if (buf !== null) {
      buf[i] = firstStep ? d : buf[i] * momentum + (1 - dampening) * d;
      d = nesterov ? d + momentum * buf[i] : buf[i];
    }
    param[i] -= lr * d;
  }
}

/**
 * Stochastic gradient descent, optionally with momentum, like `torch.optim.SGD`.
 *
 * Update per parameter (γ lr, μ momentum, τ dampening, λ weightDecay):
 * `g = ∇θ + λθ`; with momentum `b = μb + (1 − τ)g` (`b = g` on the first step) and
 * `g = nesterov ? g + μb : b`; then `θ = θ − γg` (`+` with `maximize`). This is PyTorch's form
 * of momentum (the lr multiplies the buffer, not the gradient inside it).
 *
 * Options: `lr` (required), `momentum = 0`, `dampening = 0`, `weightDecay = 0`,
 * `nesterov = false`, `maximize = false`. Throws a RangeError for a negative lr, momentum or
 * weightDecay, or nesterov without momentum or with dampening.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const loader = new data.DataLoader(new data.TensorDataset(randn([64, 2]), randn([64, 1])), { batchSize: 16 });
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * for (const [x, y] of loader) {
 *   opt.zeroGrad();
 *   losses.mseLoss(model.forward(x), y).backward();
 *   opt.step();
 * }
 * ```
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  static override readonly typeName: string = "SGD";
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> & { lr: number }) {
    checkOptionKeys("SGD", options, ["lr", ...Object.keys(SGD_DEFAULTS)]);
    const lr = requiredOption("SGD", "lr", options?.lr, "new SGD(params, { lr: 0.1 })");
    super(params, { lr, ...SGD_DEFAULTS }, options);
  }

  protected validate(o: SGDOptions): void {
    checkOptions(this.name, o, ["lr", "momentum", "weightDecay"], ["nesterov", "maximize"]);
    optionChecks.number(this.name, "dampening", o.dampening);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError(`${this.name}: Nesterov momentum requires a momentum > 0 and zero dampening (got momentum ${o.momentum}, dampening ${o.dampening})`);
    }
  }

  protected initState(): SGDState {
    return { momentumBuffer: null };
  }

  protected updateParam(param: Tensor, grad: FloatArray, state: SGDState, group: ParamGroup<SGDOptions>): void {
    const useMomentum = group.momentum !== 0;
    const firstStep = useMomentum && state.momentumBuffer === null;
    if (firstStep) state.momentumBuffer = zeroBuffer(param);
    sgdUpdate(floatData(param), grad, useMomentum ? floatData(state.momentumBuffer!) : null, firstStep, group);
  }
}
