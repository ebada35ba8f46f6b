/**
 * Learning-rate schedulers, like `torch.optim.lr_scheduler`. Each one rewrites `lr` in its
 * optimizer's param groups when you call `step()` (once per epoch, after `optimizer.step()`).
 * They use PyTorch's chainable (recursive) forms, so several schedulers can drive one optimizer
 * and the numbers match PyTorch's to the last bits.
 */
import { Tensor, describeValue as describe, typeNameOf, inspectCustom, optionChecks, resolveOptions, type OptionCheck } from "@tsgrad/core";
import { Optimizer, requiredOption } from "./optimizer.js";

/** A scheduler's saved state: its own fields (not the optimizer), as plain data. */
export type SchedulerStateDict = Record<string, unknown>;

const EPOCHS = optionChecks.intAtLeast(1);
const NON_NEGATIVE = optionChecks.atLeast(0);
const milestonesCheck: OptionCheck = (op, name, value) => {
  if (!Array.isArray(value)) throw new TypeError(`${op}: ${name} must be an array of epochs, got ${describe(value)}`);
  value.forEach((m, i) => {
    if (!Number.isSafeInteger(m)) throw new TypeError(`${op}: ${name}[${i}] must be an integer epoch, got ${describe(m)}`);
  });
};
const minLrCheck: OptionCheck = (op, name, value) => {
  if (Array.isArray(value)) value.forEach((v, i) => NON_NEGATIVE(op, `${name}[${i}]`, v));
  else NON_NEGATIVE(op, name, value);
};

// One check per option name, shared by every scheduler.
export const SCHEDULER_CHECKS = {
  stepSize: EPOCHS, tMax: EPOCHS, totalIters: EPOCHS, gamma: optionChecks.number, etaMin: optionChecks.number,
  milestones: milestonesCheck, startFactor: optionChecks.number, endFactor: optionChecks.number,
  mode: optionChecks.oneOf(["min", "max"]), thresholdMode: optionChecks.oneOf(["rel", "abs"]), factor: NON_NEGATIVE,
  patience: optionChecks.intAtLeast(0), cooldown: optionChecks.intAtLeast(0), threshold: NON_NEGATIVE, eps: NON_NEGATIVE,
  minLr: minLrCheck,
};

/** The scheduler fields that hold one number per parameter group. */
const PER_GROUP_FIELDS = new Set(["lastLr", "baseLrs", "minLrs", "maxLrs", "baseMomentums", "maxMomentums"]);

/** Prints a PyTorch `UserWarning` (tsgrad has no warnings module; the console is where Python's go). */
export function warnUser(message: string): void {
  globalThis.console?.warn?.(`UserWarning: ${message}`);
}

/**
 * `value` as one entry per parameter group: an array must have `groups` entries (a RangeError
 * names the option otherwise), anything else is repeated, like PyTorch's `_format_param`.
 */
export function perGroup<T>(op: string, name: string, value: T | readonly T[], groups: number): T[] {
  if (!Array.isArray(value)) return new Array<T>(groups).fill(value as T);
  if (value.length !== groups) throw new RangeError(`${op}: expected ${groups} values for ${name} (one per param group), got ${value.length}`);
  return [...value];
}

/** How many entries of the sorted `sorted` are <= `x` (Python's `bisect_right`). */
export function bisectRight(sorted: readonly number[], x: number): number {
  let n = 0;
  while (n < sorted.length && sorted[n] <= x) n++;
  return n;
}

/**
 * Throws unless a saved scheduler field `value` is the same kind of value as the field's current
 * value `current`: a number for a number, a string for a string, an array of numbers for an array
 * (one per param group for the per-group fields).
 */
function checkSameKind(op: string, key: string, value: unknown, current: unknown, groups: number): void {
  if (Array.isArray(current)) {
    if (!Array.isArray(value) || !value.every((v) => typeof v === "number")) {
      throw new TypeError(`${op}: field "${key}" must be an array of numbers, got ${describe(value)}`);
    }
    if (PER_GROUP_FIELDS.has(key) && value.length !== groups) {
      throw new RangeError(`${op}: field "${key}" has ${value.length} values, but the optimizer has ${groups} parameter groups`);
    }
  } else if (current !== null && typeof value !== typeof current) {
    throw new TypeError(`${op}: field "${key}" must be a ${typeof current}, got ${describe(value)}`);
  }
}

/**
 * What every LR scheduler has: the optimizer whose lrs it sets, the lrs it set last, and a state
 * dict. {@link LRScheduler} (the epoch schedulers) and {@link ReduceLROnPlateau} extend it.
 *
 * @example
 * ```ts
 * const optimizer = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const scheduler: LRSchedulerBase = new StepLR(optimizer, { stepSize: 10 });
 * scheduler.getLastLr(); // [0.1]
 * ```
 */
export abstract class LRSchedulerBase {
  /**
   * The name error messages use for this class (e.g. `"StepLR"`), read from the class itself, not
   * inherited; a subclass without its own is named by `constructor.name` (see `typeNameOf`).
   */
  declare static readonly typeName?: string;
  /** The optimizer whose learning rates this scheduler sets. */
  readonly optimizer: Optimizer;
  /** The lrs set by the last step. */
  protected lastLr: number[];

  /**
   * Attaches the scheduler to `optimizer`, whose groups' `lr` it will set; the lrs they have now
   * are the first {@link LRSchedulerBase.getLastLr}. Throws a TypeError for anything but an Optimizer.
   */
  constructor(optimizer: Optimizer) {
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${typeNameOf(this)}: expected an Optimizer, got ${describe(optimizer)}`);
    this.optimizer = optimizer;
    this.lastLr = optimizer.paramGroups.map((group) => group.lr);
  }

  /**
   * The lrs set by the last `step()`, one per param group (a copy).
   *
   * PyTorch: `get_last_lr()`.
   *
   * @example
   * ```ts
   * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
   * const sched = new ExponentialLR(opt, { gamma: 0.5 });
   * sched.getLastLr(); // → [0.1]
   * opt.step(); sched.step();
   * sched.getLastLr(); // → [0.05]
   * ```
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's state: every field but the optimizer, as a copy (like PyTorch's). Save it with
   * the optimizer's {@link Optimizer.stateDict}, which holds the lrs themselves.
   *
   * PyTorch: `state_dict()`.
   *
   * @example
   * ```ts
   * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
   * const sched = new StepLR(opt, { stepSize: 10 });
   * opt.step(); sched.step();
   * const sd = sched.stateDict();
   * sd.lastEpoch; // → 1
   * sd.stepSize;  // → 10
   * ```
   */
  stateDict(): SchedulerStateDict {
    return structuredClone(Object.fromEntries(Object.entries(this).filter(([key]) => key !== "optimizer")));
  }

  /**
   * The scheduler and its state (PyTorch prints only the object's address):
   * `StepLR(lastLr=[0.1], stepSize=30, gamma=0.1, lastEpoch=0, ...)`.
   */
  toString(): string {
    const fields = Object.entries(this).filter(([key]) => key !== "optimizer");
    const show = (v: unknown): string => (Array.isArray(v) ? `[${v.map(show).join(", ")}]` : typeof v === "string" ? JSON.stringify(v) : String(v));
    return `${typeNameOf(this)}(${fields.map(([key, value]) => `${key}=${show(value)}`).join(", ")})`;
  }

  /** What `console.log` prints: `toString()`, not the optimizer it holds. */
  [inspectCustom](): string {
    return this.toString();
  }

  /**
   * Restores a state from {@link LRSchedulerBase.stateDict} of the same kind of scheduler; a field
   * it does not have, or a value of another kind, throws a TypeError.
   *
   * PyTorch: `load_state_dict()`.
   *
   * @example
   * ```ts
   * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
   * const sched = new StepLR(opt, { stepSize: 2 });
   * opt.step(); sched.step();
   * opt.step(); sched.step();
   * const resumed = new StepLR(opt, { stepSize: 2 });
   * resumed.loadStateDict(sched.stateDict());
   * resumed.lastEpoch; // → 2
   * ```
   */
  loadStateDict(state: SchedulerStateDict): void {
    const op = typeNameOf(this);
    if (state === null || typeof state !== "object" || Array.isArray(state)) throw new TypeError(`${op}.loadStateDict: expected an object, got ${describe(state)}`);
    for (const [key, value] of Object.entries(state)) {
      // Own fields only: "__proto__", "constructor" or "step" in a state are not fields.
      if (key === "optimizer" || !Object.hasOwn(this, key)) {
        throw new TypeError(`${op}.loadStateDict: unknown field "${key}" (was the state saved from a different scheduler?)`);
      }
      checkSameKind(`${op}.loadStateDict`, key, value, (this as unknown as Record<string, unknown>)[key], this.optimizer.paramGroups.length);
    }
    Object.assign(this, structuredClone(state));
  }

  /** The groups' current lrs. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((group) => group.lr);
  }
}

/**
 * Base class of the epoch-based LR schedulers, like PyTorch's `_LRScheduler`.
 *
 * On construction it records each group's `initialLr` (once, so several schedulers share it) as
 * `baseLrs` and takes a first step to epoch 0. Each `step()` advances `lastEpoch` and sets every
 * group's lr from {@link LRScheduler.computeLr}, which sees the groups' current lrs.
 * Subclasses set their fields in their constructor and then call `this.initialStep()`.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const opt = new SGD(model.parameters(), { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 30 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   opt.zeroGrad();
 *   losses.mseLoss(model.forward(randn([8, 2])), randn([8, 1])).backward();
 *   opt.step();
 *   sched.step();
 * }
 * sched.getLastLr(); // ≈ [0.0001] (0.1 · 0.1³)
 * ```
 */
export abstract class LRScheduler extends LRSchedulerBase {
  /** Each group's lr when the first scheduler was attached. */
  baseLrs: number[];
  /** The epoch the current lrs belong to (0 after construction). */
  lastEpoch = -1;
  /** How many times `step()` has run (including the one in the constructor). */
  protected stepCount = 0;

  constructor(optimizer: Optimizer) {
    super(optimizer);
    for (const group of optimizer.paramGroups) group.initialLr ??= group.lr;
    this.baseLrs = optimizer.paramGroups.map((group) => group.initialLr!);
  }

  /** The new lr of every group for the epoch `lastEpoch` (PyTorch's chainable `get_lr`). */
  protected abstract computeLr(): number[];

  /** The first step, to epoch 0; subclasses call it at the end of their constructor. */
  protected initialStep(): void {
    this.optimizer.stepCount = 0;
    this.stepCount = 0;
    this.advance();
  }

  /**
   * The lrs at epoch `lastEpoch` in closed form, from `baseLrs` alone (PyTorch's
   * `_get_closed_form_lr`), or null for a scheduler without one. {@link SequentialLR} restarts a
   * scheduler at epoch 0 with it.
   */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /**
   * Advances one epoch and sets every group's lr. Call it once per epoch, after `optimizer.step()`:
   * like PyTorch, a scheduler whose second step comes before any optimizer step warns that the
   * first lr of the schedule was skipped.
   *
   * PyTorch: `step()` (the deprecated `step(epoch)` is not supported).
   *
   * @example
   * ```ts
   * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
   * const sched = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
   * const lrs: number[] = [];
   * for (let epoch = 0; epoch < 5; epoch++) {
   *   opt.step(); // the epoch's training
   *   sched.step();
   *   lrs.push(opt.paramGroups[0].lr);
   * }
   * lrs; // → [0.1, 0.05, 0.05, 0.025, 0.025]
   * ```
   */
  step(): void {
    if (arguments.length > 0) {
      throw new TypeError(`${typeNameOf(this)}.step: takes no arguments (PyTorch's deprecated step(epoch) is not supported); call step() once per epoch`);
    }
    this.advance();
  }

  /**
   * One step: to the next epoch, or to `epoch` with the closed form where there is one (what
   * PyTorch's `step(epoch)` does; {@link SequentialLR} uses it to restart a scheduler at 0).
   */
  protected advance(epoch?: number): void {
    if (this.stepCount === 1 && this.optimizer.stepCount < 1) {
      warnUser(
        "Detected call of `lr_scheduler.step()` before `optimizer.step()`. You should call them in the opposite order: " +
          "`optimizer.step()` before `lr_scheduler.step()`. Failure to do this will result in skipping the first value of the learning rate schedule.",
      );
    }
    this.stepCount += 1;
    let lrs: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      lrs = this.computeLr();
    } else {
      this.lastEpoch = epoch;
      lrs = this.closedFormLr() ?? this.computeLr();
    }
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = lrs[i];
    });
    this.lastLr = this.groupLrs();
  }
}

/** The protected steps {@link SequentialLR} drives its schedulers with (PyTorch's `_initial_step` and `step(0)`). */
export interface SchedulerSteps {
  lastEpoch: number;
  initialStep(): void;
  advance(epoch?: number): void;
}

/**
 * Options of {@link StepLR}: the decay's period and factor.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `stepSize` | required | `step_size` |
 * | `gamma` | `0.1` | `gamma` |
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 3, gamma: 0.5 });
 * for (let epoch = 0; epoch < 3; epoch++) { opt.step(); sched.step(); }
 * sched.getLastLr(); // → [0.05]
 * ```
 */
export interface StepLROptions {
  /** Period of the decay, in epochs (a positive integer). */
  stepSize: number;
  /** Multiplicative factor of the decay. Default 0.1. */
  gamma?: number;
}

/**
 * Multiplies each group's lr by `gamma` every `stepSize` epochs, like
 * `torch.optim.lr_scheduler.StepLR`: `lr = initialLr · gamma^⌊epoch / stepSize⌋`.
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 }); // lr 0.1 for 30 epochs, then 0.01, ...
 * for (let epoch = 0; epoch < 30; epoch++) { opt.step(); sched.step(); }
 * sched.getLastLr(); // ≈ [0.01]
 * ```
 */
export class StepLR extends LRScheduler {
  static override readonly typeName: string = "StepLR";
  /** Period of the decay, in epochs. */
  stepSize: number;
  /** Multiplicative factor of the decay. */
  gamma: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    super(optimizer);
    const o = resolveOptions("StepLR", options, { stepSize: undefined as number | undefined, gamma: 0.1 }, SCHEDULER_CHECKS);
    this.stepSize = requiredOption("StepLR", "stepSize", o.stepSize, "new StepLR(optimizer, { stepSize: 30 })");
    this.gamma = o.gamma;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/**
 * Options of {@link MultiStepLR}: the epochs to decay at and the factor.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `milestones` | required | `milestones` |
 * | `gamma` | `0.1` | `gamma` |
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new MultiStepLR(opt, { milestones: [1, 3], gamma: 0.5 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 4; epoch++) {
 *   opt.step(); sched.step();
 *   lrs.push(sched.getLastLr()[0]);
 * }
 * lrs; // → [0.05, 0.05, 0.025, 0.025]
 * ```
 */
export interface MultiStepLROptions {
  /** Epochs at which to decay (a milestone listed k times decays by gamma^k). */
  milestones: number[];
  /** Multiplicative factor of the decay. Default 0.1. */
  gamma?: number;
}

/**
 * Multiplies each group's lr by `gamma` when the epoch reaches a milestone, like
 * `torch.optim.lr_scheduler.MultiStepLR`.
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.05 });
 * const sched = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 }); // lr 0.05, 0.005 from 30, 0.0005 from 80
 * for (let epoch = 0; epoch < 80; epoch++) { opt.step(); sched.step(); }
 * sched.getLastLr(); // [0.0005…]
 * ```
 */
export class MultiStepLR extends LRScheduler {
  static override readonly typeName: string = "MultiStepLR";
  /** The milestone epochs, sorted. */
  milestones: number[];
  /** Multiplicative factor of the decay. */
  gamma: number;

  constructor(optimizer: Optimizer, options: MultiStepLROptions) {
    super(optimizer);
    const o = resolveOptions("MultiStepLR", options, { milestones: undefined as number[] | undefined, gamma: 0.1 }, SCHEDULER_CHECKS);
    const milestones = requiredOption("MultiStepLR", "milestones", o.milestones, "new MultiStepLR(optimizer, { milestones: [30, 80] })");
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.gamma = o.gamma;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    const lrs = this.groupLrs();
    return hits === 0 ? lrs : lrs.map((lr) => lr * this.gamma ** hits);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** bisectRight(this.milestones, this.lastEpoch));
  }
}

/**
 * Options of {@link ExponentialLR}: the factor applied every epoch.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `gamma` | required | `gamma` |
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new ExponentialLR(opt, { gamma: 0.5 });
 * opt.step(); sched.step();
 * opt.step(); sched.step();
 * sched.getLastLr(); // → [0.025]
 * ```
 */
export interface ExponentialLROptions {
  /** Multiplicative factor applied every epoch. */
  gamma: number;
}

/**
 * Multiplies each group's lr by `gamma` every epoch, like `torch.optim.lr_scheduler.ExponentialLR`:
 * `lr = initialLr · gamma^epoch`.
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new ExponentialLR(opt, { gamma: 0.95 });
 * opt.step(); sched.step();
 * sched.getLastLr(); // [0.095]
 * ```
 */
export class ExponentialLR extends LRScheduler {
  static override readonly typeName: string = "ExponentialLR";
  /** Multiplicative factor applied every epoch. */
  gamma: number;

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super(optimizer);
    const o = resolveOptions("ExponentialLR", options, { gamma: undefined as number | undefined }, SCHEDULER_CHECKS);
    this.gamma = requiredOption("ExponentialLR", "gamma", o.gamma, "new ExponentialLR(optimizer, { gamma: 0.95 })");
    this.initialStep();
  }

  protected computeLr(): number[] {
    const lrs = this.groupLrs();
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** this.lastEpoch);
  }
}

/**
 * Options of {@link CosineAnnealingLR}: the half period and the lowest lr.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `tMax` | required | `T_max` |
 * | `etaMin` | `0` | `eta_min` |
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new CosineAnnealingLR(opt, { tMax: 10, etaMin: 0.01 });
 * for (let epoch = 0; epoch < 5; epoch++) { opt.step(); sched.step(); }
 * sched.getLastLr(); // ≈ [0.055] (halfway: (0.1 + 0.01) / 2)
 * for (let epoch = 5; epoch < 10; epoch++) { opt.step(); sched.step(); }
 * sched.getLastLr(); // ≈ [0.01]
 * ```
 */
export interface CosineAnnealingLROptions {
  /** Half period T_max, in epochs (a positive integer). */
  tMax: number;
  /** Minimum lr η_min. Default 0. */
  etaMin?: number;
}

/**
 * Cosine annealing from the initial lr down to `etaMin` over `tMax` epochs (and back up, with
 * period 2·tMax), like `torch.optim.lr_scheduler.CosineAnnealingLR` (SGDR without restarts).
 * The closed form is `η_t = η_min + (η_0 − η_min)(1 + cos(π t / T_max)) / 2`; like PyTorch,
 * each step applies the recursive form
 * `η_t = η_min + (η_{t−1} − η_min)(1 + cos(π t / T_max)) / (1 + cos(π (t − 1) / T_max))`,
 * which also follows lr changes made by other schedulers, and gives PyTorch's exact numbers.
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new CosineAnnealingLR(opt, { tMax: 50, etaMin: 1e-4 });
 * for (let epoch = 0; epoch < 50; epoch++) { opt.step(); sched.step(); }
 * sched.getLastLr(); // ≈ [0.0001]
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  static override readonly typeName: string = "CosineAnnealingLR";
  /** Half period, in epochs. */
  tMax: number;
  /** Minimum lr. */
  etaMin: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super(optimizer);
    const o = resolveOptions("CosineAnnealingLR", options, { tMax: undefined as number | undefined, etaMin: 0 }, SCHEDULER_CHECKS);
    this.tMax = requiredOption("CosineAnnealingLR", "tMax", o.tMax, "new CosineAnnealingLR(optimizer, { tMax: 50 })");
    this.etaMin = o.etaMin;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    const lrs = this.groupLrs();
    if (t === 0) return lrs;
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      // At the bottom of the cosine the recursive form divides by zero; PyTorch steps back up instead.
      return lrs.map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax));
    return lrs.map((lr) => ratio * (lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    return this.baseLrs.map((lr) => etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * t) / tMax))) / 2);
  }
}

/**
 * Options of {@link LinearLR}: the factors at the start and the end of the ramp, and its length.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `startFactor` | `1/3` | `start_factor` |
 * | `endFactor` | `1` | `end_factor` |
 * | `totalIters` | `5` | `total_iters` |
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const warmup = new LinearLR(opt, { startFactor: 0.5, totalIters: 4 });
 * warmup.getLastLr(); // ≈ [0.05]
 * for (let epoch = 0; epoch < 4; epoch++) { opt.step(); warmup.step(); }
 * warmup.getLastLr(); // ≈ [0.1]
 * ```
 */
export interface LinearLROptions {
  /** Factor of the lr at epoch 0, in (0, 1]. Default 1/3. */
  startFactor?: number;
  /** Factor of the lr at epoch `totalIters` and after, in [0, 1]. Default 1. */
  endFactor?: number;
  /** Epochs over which the factor moves linearly from start to end. Default 5. */
  totalIters?: number;
}

/**
 * Scales each group's lr by a factor that moves linearly from `startFactor` to `endFactor` over
 * `totalIters` epochs (a warm-up, typically), like `torch.optim.lr_scheduler.LinearLR`:
 * `lr = initialLr · (start + (end − start) · min(epoch, totalIters) / totalIters)`, applied in
 * PyTorch's recursive form. Unlike PyTorch 1.13 a startFactor of 0 is rejected (it makes the
 * recursive form divide by zero; later PyTorch versions reject it too).
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 10 });
 * warmup.getLastLr(); // ≈ [0.01]
 * ```
 */
export class LinearLR extends LRScheduler {
  static override readonly typeName: string = "LinearLR";
  /** Factor at epoch 0. */
  startFactor: number;
  /** Factor from epoch totalIters on. */
  endFactor: number;
  /** Length of the ramp, in epochs. */
  totalIters: number;

  constructor(optimizer: Optimizer, options: LinearLROptions = {}) {
    super(optimizer);
    ({ startFactor: this.startFactor, endFactor: this.endFactor, totalIters: this.totalIters } = resolveOptions(
      "LinearLR", options, { startFactor: 1 / 3, endFactor: 1, totalIters: 5 }, SCHEDULER_CHECKS,
    ));
    if (!(this.startFactor > 0 && this.startFactor <= 1)) {
      throw new RangeError(`LinearLR: startFactor must be in (0, 1], got ${this.startFactor}`);
    }
    if (!(this.endFactor >= 0 && this.endFactor <= 1)) throw new RangeError(`LinearLR: endFactor must be in [0, 1], got ${this.endFactor}`);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { lastEpoch: t, startFactor: start, endFactor: end, totalIters } = this;
    const lrs = this.groupLrs();
    if (t === 0) return lrs.map((lr) => lr * start);
    if (t > totalIters) return lrs;
    return lrs.map((lr) => lr * (1 + (end - start) / (totalIters * start + (t - 1) * (end - start))));
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: t, startFactor: start, endFactor: end, totalIters } = this;
    return this.baseLrs.map((lr) => lr * (start + ((end - start) * Math.min(totalIters, t)) / totalIters));
  }
}

/**
 * Options of {@link ReduceLROnPlateau}: what counts as an improvement, how long to wait, and how
 * far to reduce.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `mode` | `"min"` | `mode` |
 * | `factor` | `0.1` | `factor` |
 * | `patience` | `10` | `patience` |
 * | `threshold` | `1e-4` | `threshold` |
 * | `thresholdMode` | `"rel"` | `threshold_mode` |
 * | `cooldown` | `0` | `cooldown` |
 * | `minLr` | `0` | `min_lr` |
 * | `eps` | `1e-8` | `eps` |
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new ReduceLROnPlateau(opt, { factor: 0.5, patience: 0, cooldown: 1, minLr: 0.03 });
 * const lrs: number[] = [];
 * for (const loss of [1, 1, 1, 1]) {
 *   sched.step(loss);
 *   lrs.push(sched.getLastLr()[0]);
 * }
 * lrs; // → [0.1, 0.05, 0.05, 0.03] (halved, a cooldown epoch, then held at minLr)
 * ```
 */
export interface ReduceLROnPlateauOptions {
  /** "min": reduce when the metric stops decreasing; "max": when it stops increasing. Default "min". */
  mode?: "min" | "max";
  /** Factor the lr is multiplied by, in [0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before reducing. Default 10. */
  patience?: number;
  /** How much better than the best a metric must be to count as an improvement. Default 1e-4. */
  threshold?: number;
  /** "rel": better than best·(1 ∓ threshold); "abs": better than best ∓ threshold. Default "rel". */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction before counting bad epochs again. Default 0. */
  cooldown?: number;
  /** Lower bound on the lr: one for all groups or one per group. Default 0. */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped. Default 1e-8. */
  eps?: number;
}

const PLATEAU_DEFAULTS: Required<ReduceLROnPlateauOptions> = {
  mode: "min", factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: "rel", cooldown: 0, minLr: 0, eps: 1e-8,
};

/**
 * Reduces the lr when a metric has stopped improving, like
 * `torch.optim.lr_scheduler.ReduceLROnPlateau`: after more than `patience` epochs without an
 * improvement (beyond `threshold`), each group's lr becomes `max(lr · factor, minLr)`, then
 * `cooldown` epochs pass before bad epochs count again. Call `step(metric)` once per epoch with
 * the validation loss (or accuracy, with `mode: "max"`).
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new ReduceLROnPlateau(opt, { patience: 5, factor: 0.5 });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   const validationLoss = 1; // no improvement after the first epoch
 *   sched.step(validationLoss);
 * }
 * opt.paramGroups[0].lr; // 0.05 (halved after 5 epochs without improvement)
 * ```
 */
export class ReduceLROnPlateau extends LRSchedulerBase {
  static override readonly typeName: string = "ReduceLROnPlateau";
  /** "min" or "max". */
  mode: "min" | "max";
  /** Multiplicative factor of a reduction. */
  factor: number;
  /** Bad epochs tolerated before reducing. */
  patience: number;
  /** Improvement threshold. */
  threshold: number;
  /** "rel" or "abs". */
  thresholdMode: "rel" | "abs";
  /** Epochs to wait after a reduction. */
  cooldown: number;
  /** Per-group lower bounds on the lr. */
  minLrs: number[];
  /** Minimal reduction. */
  eps: number;
  /** The best metric so far (±Infinity before the first step). */
  best: number;
  /** Epochs since the last improvement (reset by reductions and during cooldown). */
  numBadEpochs = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** Number of `step` calls so far. */
  lastEpoch = 0;

  constructor(optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    super(optimizer);
    const op = "ReduceLROnPlateau";
    const o = resolveOptions(op, options, PLATEAU_DEFAULTS, SCHEDULER_CHECKS);
    ({ mode: this.mode, thresholdMode: this.thresholdMode, factor: this.factor, patience: this.patience } = o);
    ({ cooldown: this.cooldown, threshold: this.threshold, eps: this.eps } = o);
    if (this.factor >= 1) throw new RangeError(`${op}: factor must be < 1, got ${this.factor}`);
    const groups = optimizer.paramGroups.length;
    const minLr = o.minLr;
    if (Array.isArray(minLr) && minLr.length !== groups) {
      throw new RangeError(`${op}: expected ${groups} minLr values (one per param group), got ${minLr.length}`);
    }
    this.minLrs = Array.isArray(minLr) ? [...minLr] : new Array<number>(groups).fill(minLr);
    this.best = this.mode === "min" ? Infinity : -Infinity;
  }

  /**
   * Records one epoch's metric (a number or a one-element tensor) and reduces the lrs if it has plateaued.
   *
   * PyTorch: `ReduceLROnPlateau.step(metrics)`.
   *
   * @example
   * ```ts
   * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
   * const sched = new ReduceLROnPlateau(opt, { mode: "max", patience: 1 });
   * for (const accuracy of [0.5, 0.6, 0.6]) sched.step(accuracy);
   * sched.getLastLr(); // → [0.1] (one epoch without improvement is within patience)
   * sched.step(tensor(0.6));
   * sched.getLastLr(); // ≈ [0.01]
   * ```
   */
  step(metric: number | Tensor): void {
    if (typeof metric !== "number" && !(metric instanceof Tensor)) {
      throw new TypeError(`ReduceLROnPlateau.step: metric must be a number or a one-element Tensor, got ${describe(metric)}`);
    }
    const current = typeof metric === "number" ? metric : metric.item();
    this.lastEpoch += 1;
    if (this.isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.groupLrs();
  }

  private isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === "min") return this.thresholdMode === "rel" ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === "rel" ? a > best * (threshold + 1) : a > best + threshold;
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      const newLr = Math.max(group.lr * this.factor, this.minLrs[i]);
      if (group.lr - newLr > this.eps) group.lr = newLr;
    });
  }
}
