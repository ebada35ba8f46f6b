/**
 * LR schedulers that scale the lr by a factor: a user function of the epoch (LambdaLR,
 * MultiplicativeLR), a constant for a while (ConstantLR), or a polynomial decay (PolynomialLR).
 */
import { describeValue as describe, optionChecks, resolveOptions, typeNameOf, type OptionCheck } from "@tsgrad/core";
import { requiredOption, type Optimizer } from "./optimizer.js";
import { LRScheduler, SCHEDULER_CHECKS, perGroup, type SchedulerStateDict } from "./lr-scheduler.js";

/** A function of the epoch (an integer from 0) giving a factor for the lr. */
export type LrLambda = (epoch: number) => number;

const lambdaCheck: OptionCheck = (op, name, value) => {
  const fns = Array.isArray(value) ? value : [value];
  fns.forEach((fn, i) => {
    if (typeof fn !== "function") {
      const what = Array.isArray(value) ? `${name}[${i}] must be a function of the epoch` : `${name} must be a function of the epoch or an array of them (one per param group)`;
      throw new TypeError(`${op}: ${what}, got ${describe(fn)}`);
    }
  });
};

/**
 * Options of {@link LambdaLR} and {@link MultiplicativeLR}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `lrLambda` | required | `lr_lambda` |
 *
 * @example
 * ```ts
 * const opt = new SGD([{ params: [zeros([1], { requiresGrad: true })] }, { params: [zeros([1], { requiresGrad: true })] }], { lr: 0.1 });
 * const options: LambdaLROptions = { lrLambda: [(epoch) => 0.5 ** epoch, () => 2] }; // one function per group
 * new LambdaLR(opt, options).getLastLr(); // [0.1, 0.2]
 * ```
 */
export interface LambdaLROptions {
  /** The factor as a function of the epoch, one for every group or one per group (required). */
  lrLambda: LrLambda | LrLambda[];
}

/**
 * The schedulers driven by user functions: their functions are not data, so their state dicts
 * hold `lrLambdas: [null, ...]` in their place, as PyTorch's do for plain functions, and loading
 * keeps the functions the scheduler was built with.
 */
abstract class LambdaScheduler extends LRScheduler {
  /** The factor functions, one per param group. */
  lrLambdas: LrLambda[];

  constructor(optimizer: Optimizer, options: LambdaLROptions, op: string) {
    super(optimizer);
    const o = resolveOptions(op, options, { lrLambda: undefined as LrLambda | LrLambda[] | undefined }, { lrLambda: lambdaCheck });
    const fns = requiredOption(op, "lrLambda", o.lrLambda, `new ${op}(optimizer, { lrLambda: (epoch) => 0.95 ** epoch })`);
    this.lrLambdas = perGroup(op, "lrLambda", fns, optimizer.paramGroups.length);
    this.initialStep();
  }

  /** The scheduler's fields, with `lrLambdas` as one null per group (functions are not saved, as in PyTorch). */
  override stateDict(): SchedulerStateDict {
    const { lrLambdas, ...rest } = this as unknown as Record<string, unknown>;
    const copy = structuredClone(Object.fromEntries(Object.entries(rest).filter(([key]) => key !== "optimizer")));
    return { ...copy, lrLambdas: (lrLambdas as unknown[]).map(() => null) };
  }

  /** Restores the fields of {@link LambdaLR.stateDict}; the functions stay the ones given to the constructor. */
  override loadStateDict(state: SchedulerStateDict): void {
    const { lrLambdas, ...rest } = (state ?? {}) as SchedulerStateDict;
    if (lrLambdas !== undefined && !(Array.isArray(lrLambdas) && lrLambdas.length === this.lrLambdas.length)) {
      throw new TypeError(`${typeNameOf(this)}.loadStateDict: field "lrLambdas" must be an array of ${this.lrLambdas.length} nulls, got ${describe(lrLambdas)}`);
    }
    super.loadStateDict(state === null || typeof state !== "object" || Array.isArray(state) ? state : rest);
  }
}

/**
 * Sets each group's lr to its initial lr times a function of the epoch, like
 * `torch.optim.lr_scheduler.LambdaLR`: `lr = initialLr · lrLambda(epoch)`.
 *
 * Options: `lrLambda` (required), one function or one per param group. The functions are not
 * part of {@link LambdaLR.stateDict} (PyTorch saves only callable objects' fields).
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new LambdaLR(opt, { lrLambda: (epoch) => 1 / (epoch + 1) });
 * opt.step();
 * sched.step();
 * sched.getLastLr(); // [0.05]
 * ```
 */
export class LambdaLR extends LambdaScheduler {
  static override readonly typeName: string = "LambdaLR";
  constructor(optimizer: Optimizer, options: LambdaLROptions) {
    super(optimizer, options, "LambdaLR");
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((lr, i) => lr * this.lrLambdas[i](this.lastEpoch));
  }
}

/**
 * Multiplies each group's lr by a function of the epoch at every step after the first, like
 * `torch.optim.lr_scheduler.MultiplicativeLR`: `lr_t = lr_{t−1} · lrLambda(t)` for t > 0.
 *
 * Options: `lrLambda` (required), one function or one per param group (not saved in the state
 * dict, as in PyTorch).
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new MultiplicativeLR(opt, { lrLambda: () => 0.5 });
 * opt.step();
 * sched.step();
 * sched.step();
 * sched.getLastLr(); // [0.025]
 * ```
 */
export class MultiplicativeLR extends LambdaScheduler {
  static override readonly typeName: string = "MultiplicativeLR";
  constructor(optimizer: Optimizer, options: LambdaLROptions) {
    super(optimizer, options, "MultiplicativeLR");
  }

  protected computeLr(): number[] {
    const lrs = this.groupLrs();
    return this.lastEpoch > 0 ? lrs.map((lr, i) => lr * this.lrLambdas[i](this.lastEpoch)) : lrs;
  }
}

/**
 * Options of {@link ConstantLR}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `factor` | `1/3` | `factor` |
 * | `totalIters` | `5` | `total_iters` |
 *
 * @example
 * ```ts
 * const options: ConstantLROptions = { factor: 0.5, totalIters: 4 };
 * new ConstantLR(new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 }), options).getLastLr(); // [0.05]
 * ```
 */
export interface ConstantLROptions {
  /** The factor applied until epoch `totalIters`, in (0, 1]. Default 1/3. */
  factor?: number;
  /** The epoch from which the lr is back to the initial lr. Default 5. */
  totalIters?: number;
}

/**
 * Scales each group's lr by a constant `factor` until epoch `totalIters`, then restores it, like
 * `torch.optim.lr_scheduler.ConstantLR`: `lr = initialLr · factor` for epoch < totalIters, then
 * `initialLr` (applied in PyTorch's recursive form). Options: `factor = 1/3`, `totalIters = 5`.
 * A factor of 0 is rejected (PyTorch 1.13 accepts it, then divides by zero at totalIters).
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new ConstantLR(opt, { factor: 0.5, totalIters: 2 });
 * sched.getLastLr(); // [0.05]
 * opt.step();
 * sched.step();
 * sched.step();
 * sched.getLastLr(); // [0.1]
 * ```
 */
export class ConstantLR extends LRScheduler {
  static override readonly typeName: string = "ConstantLR";
  /** The factor before `totalIters`. */
  factor: number;
  /** The epoch the factor stops at. */
  totalIters: number;

  constructor(optimizer: Optimizer, options: ConstantLROptions = {}) {
    super(optimizer);
    const o = resolveOptions("ConstantLR", options, { factor: 1 / 3, totalIters: 5 }, { factor: optionChecks.number, totalIters: SCHEDULER_CHECKS.totalIters });
    if (!(o.factor > 0 && o.factor <= 1)) throw new RangeError(`ConstantLR: factor must be in (0, 1], got ${o.factor}`);
    this.factor = o.factor;
    this.totalIters = o.totalIters;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0) return lrs.map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return lrs;
    return lrs.map((lr) => lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * (this.factor + (this.lastEpoch >= this.totalIters ? 1 : 0) * (1 - this.factor)));
  }
}

/**
 * Options of {@link PolynomialLR}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `totalIters` | `5` | `total_iters` |
 * | `power` | `1` (linear) | `power` |
 *
 * @example
 * ```ts
 * const options: PolynomialLROptions = { totalIters: 100, power: 0.9 }; // the "poly" policy of segmentation nets
 * new PolynomialLR(new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 }), options).getLastLr(); // [0.1]
 * ```
 */
export interface PolynomialLROptions {
  /** The epochs over which the lr decays to 0. Default 5. */
  totalIters?: number;
  /** The power of the polynomial. Default 1 (linear). */
  power?: number;
}

/**
 * Decays each group's lr polynomially to 0 over `totalIters` epochs, like
 * `torch.optim.lr_scheduler.PolynomialLR`:
 * `lr = initialLr · (1 − min(epoch, totalIters) / totalIters)^power`, in PyTorch's recursive form
 * `lr_t = lr_{t−1} · ((1 − t/T) / (1 − (t − 1)/T))^power`. Options: `totalIters = 5`, `power = 1`.
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new PolynomialLR(opt, { totalIters: 4, power: 2 });
 * opt.step();
 * sched.step();
 * sched.step();
 * sched.getLastLr(); // ≈ [0.025]
 * ```
 */
export class PolynomialLR extends LRScheduler {
  static override readonly typeName: string = "PolynomialLR";
  /** The epochs of the decay. */
  totalIters: number;
  /** The polynomial's power. */
  power: number;

  constructor(optimizer: Optimizer, options: PolynomialLROptions = {}) {
    super(optimizer);
    const o = resolveOptions("PolynomialLR", options, { totalIters: 5, power: 1 }, { totalIters: SCHEDULER_CHECKS.totalIters, power: optionChecks.number });
    this.totalIters = o.totalIters;
    this.power = o.power;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { lastEpoch: t, totalIters: T } = this;
    const lrs = this.groupLrs();
    if (t === 0 || t > T) return lrs;
    const decay = ((1 - t / T) / (1 - (t - 1) / T)) ** this.power;
    return lrs.map((lr) => lr * decay);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * (1 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power);
  }
}
