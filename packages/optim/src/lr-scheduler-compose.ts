/** Schedulers made of schedulers: one after another (SequentialLR) or all at once (ChainedScheduler). */
import { describeValue as describe, resolveOptions } from "@tsgrad/core";
import { requiredOption, type Optimizer } from "./optimizer.js";
import {
  LRScheduler, LRSchedulerBase, ReduceLROnPlateau, SCHEDULER_CHECKS, bisectRight,
  type SchedulerStateDict, type SchedulerSteps,
} from "./lr-scheduler.js";

/** The schedulers a ChainedScheduler takes: epoch schedulers (not ReduceLROnPlateau, which needs a metric) and SequentialLRs. */
type Composable = LRScheduler | SequentialLR;

function checkSchedulers<T>(op: string, schedulers: unknown, optimizer: Optimizer | null, sequentialToo: boolean): T[] {
  if (!Array.isArray(schedulers) || schedulers.length === 0) {
    throw new TypeError(`${op}: schedulers must be a non-empty array of LR schedulers, got ${describe(schedulers)}`);
  }
  const first = optimizer ?? (schedulers[0] as { optimizer?: Optimizer }).optimizer;
  schedulers.forEach((s, i) => {
    if (!(s instanceof LRScheduler || (sequentialToo && s instanceof SequentialLR))) {
      const what = s instanceof ReduceLROnPlateau ? "ReduceLROnPlateau, which steps on a metric" : describe(s);
      throw new TypeError(`${op}: schedulers[${i}] must be an epoch LR scheduler such as StepLR, got ${what}`);
    }
    if (s.optimizer !== first) {
      throw new RangeError(`${op}: all schedulers must belong to the same optimizer, but schedulers[${i}] has a different one`);
    }
  });
  return schedulers as T[];
}

/** The scheduler fields but `optimizer` and `schedulers`, plus each scheduler's own state dict. */
function compositeState(self: SequentialLR | ChainedScheduler): SchedulerStateDict {
  const fields = Object.entries(self).filter(([key]) => key !== "optimizer" && key !== "schedulers");
  return { ...structuredClone(Object.fromEntries(fields)), schedulers: self.schedulers.map((s) => s.stateDict()) };
}

/** Loads {@link compositeState}'s output: the own fields, then each scheduler's state. */
function loadCompositeState(self: SequentialLR | ChainedScheduler, state: SchedulerStateDict, loadOwn: (rest: SchedulerStateDict) => void): void {
  const op = `${self.constructor === SequentialLR ? "SequentialLR" : "ChainedScheduler"}.loadStateDict`;
  if (state === null || typeof state !== "object" || Array.isArray(state)) throw new TypeError(`${op}: expected an object, got ${describe(state)}`);
  const { schedulers, ...rest } = state;
  if (!Array.isArray(schedulers) || schedulers.length !== self.schedulers.length) {
    throw new TypeError(`${op}: field "schedulers" must be an array of ${self.schedulers.length} scheduler states, got ${describe(schedulers)}`);
  }
  loadOwn(rest);
  self.schedulers.forEach((s, i) => s.loadStateDict(schedulers[i] as SchedulerStateDict));
}

/**
 * Options of {@link SequentialLR}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `schedulers` | required | `schedulers` |
 * | `milestones` | required | `milestones` |
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const options: SequentialLROptions = { schedulers: [new ConstantLR(opt, { factor: 0.1 }), new StepLR(opt, { stepSize: 30 })], milestones: [5] };
 * new SequentialLR(opt, options).getLastLr(); // ≈ [0.01]
 * ```
 */
export interface SequentialLROptions {
  /** The schedulers, in the order they take over (required; all of the same optimizer). */
  schedulers: LRScheduler[];
  /** The epochs at which the next scheduler takes over: one fewer than the schedulers (required). */
  milestones: number[];
}

/**
 * Runs schedulers one after another, like `torch.optim.lr_scheduler.SequentialLR`: the first
 * until `milestones[0]`, the next from there (restarted at its epoch 0), and so on. Build the
 * schedulers first (each takes its first step on construction, as in PyTorch); SequentialLR
 * resets the lrs to their initial values and undoes those steps, then steps only the first.
 *
 * Options: `schedulers`, `milestones` (both required). Its state dict holds its own fields and
 * each scheduler's state, as PyTorch's does.
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 2 });
 * const decay = new ExponentialLR(opt, { gamma: 0.5 });
 * const sched = new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [2] });
 * sched.getLastLr(); // ≈ [0.01]
 * for (let epoch = 0; epoch < 3; epoch++) {
 *   opt.step();
 *   sched.step();
 * }
 * sched.getLastLr(); // ≈ [0.05]
 * ```
 */
export class SequentialLR extends LRSchedulerBase {
  static override readonly typeName: string = "SequentialLR";
  /** The schedulers, in order. */
  readonly schedulers: LRScheduler[];
  /** The epochs at which the next scheduler takes over. */
  milestones: number[];
  /** The current epoch (0 after construction). */
  lastEpoch: number;

  constructor(optimizer: Optimizer, options: SequentialLROptions) {
    super(optimizer);
    const op = "SequentialLR";
    const o = resolveOptions(op, options, { schedulers: undefined as LRScheduler[] | undefined, milestones: undefined as number[] | undefined }, {
      milestones: SCHEDULER_CHECKS.milestones,
    });
    const schedulers = checkSchedulers<LRScheduler>(op, requiredOption(op, "schedulers", o.schedulers, "new SequentialLR(optimizer, { schedulers: [warmup, decay], milestones: [5] })"), optimizer, false);
    const milestones = requiredOption(op, "milestones", o.milestones, "new SequentialLR(optimizer, { schedulers: [warmup, decay], milestones: [5] })");
    if (milestones.length !== schedulers.length - 1) {
      throw new RangeError(`${op}: expected ${schedulers.length - 1} milestones (one fewer than the ${schedulers.length} schedulers), got ${milestones.length}`);
    }
    this.schedulers = schedulers;
    this.milestones = [...milestones];
    this.lastEpoch = 0;
    for (const group of optimizer.paramGroups) group.lr = group.initialLr ?? group.lr;
    for (const s of schedulers) (s as unknown as SchedulerSteps).lastEpoch -= 1;
    (schedulers[0] as unknown as SchedulerSteps).initialStep();
    this.lastLr = schedulers[0].getLastLr();
  }

  /**
   * Advances one epoch: steps the scheduler whose turn it is (restarting it at a milestone).
   *
   * @example
   * ```ts
   * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 1 });
   * const sched = new SequentialLR(opt, { schedulers: [new ConstantLR(opt, { factor: 0.5, totalIters: 9 }), new ExponentialLR(opt, { gamma: 0.1 })], milestones: [1] });
   * opt.step();
   * sched.step(); // epoch 1: ExponentialLR restarts at its epoch 0
   * sched.getLastLr(); // [1]
   * ```
   */
  step(): void {
    this.lastEpoch += 1;
    const idx = bisectRight(this.milestones, this.lastEpoch);
    const scheduler = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) (scheduler as unknown as SchedulerSteps).advance(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  /** Its own fields plus `schedulers`: each scheduler's state dict. */
  override stateDict(): SchedulerStateDict {
    return compositeState(this);
  }

  /** Restores {@link SequentialLR.stateDict}: its fields and each scheduler's state. */
  override loadStateDict(state: SchedulerStateDict): void {
    loadCompositeState(this, state, (rest) => super.loadStateDict(rest));
  }
}

/**
 * Steps several schedulers together on one optimizer, like
 * `torch.optim.lr_scheduler.ChainedScheduler`: each `step()` calls every scheduler's `step()`
 * in order, so their (chainable) factors multiply. `getLastLr()` is the lrs after the last.
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 1 });
 * const sched = new ChainedScheduler([new ConstantLR(opt, { factor: 0.1, totalIters: 2 }), new ExponentialLR(opt, { gamma: 0.9 })]);
 * opt.step();
 * sched.step();
 * sched.getLastLr(); // ≈ [0.09]
 * ```
 */
export class ChainedScheduler extends LRSchedulerBase {
  static override readonly typeName: string = "ChainedScheduler";
  /** The schedulers, stepped in this order. */
  readonly schedulers: Composable[];

  /** @param schedulers Epoch schedulers of one optimizer. */
  constructor(schedulers: Composable[]) {
    const list = checkSchedulers<Composable>("ChainedScheduler", schedulers, null, true);
    super(list[0].optimizer);
    this.schedulers = [...list];
  }

  /**
   * Steps every scheduler, in order.
   *
   * @example
   * ```ts
   * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 1 });
   * const sched = new ChainedScheduler([new ExponentialLR(opt, { gamma: 0.5 }), new ExponentialLR(opt, { gamma: 0.5 })]);
   * opt.step();
   * sched.step();
   * sched.getLastLr(); // [0.25]
   * ```
   */
  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.groupLrs();
  }

  /** Its own fields plus `schedulers`: each scheduler's state dict. */
  override stateDict(): SchedulerStateDict {
    return compositeState(this);
  }

  /** Restores {@link ChainedScheduler.stateDict}: its fields and each scheduler's state. */
  override loadStateDict(state: SchedulerStateDict): void {
    loadCompositeState(this, state, (rest) => super.loadStateDict(rest));
  }
}
