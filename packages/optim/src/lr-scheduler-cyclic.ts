/**
 * LR schedulers that cycle: CyclicLR (triangular waves), OneCycleLR (one warm-up and anneal) and
 * CosineAnnealingWarmRestarts (SGDR). CyclicLR and OneCycleLR also cycle the momentum (SGD's
 * `momentum`, or Adam's `betas[0]` for OneCycleLR) against the lr, as PyTorch does.
 */
import { describeValue as describe, optionChecks, resolveOptions, typeNameOf, type OptionCheck } from "@tsgrad/core";
import { Optimizer, requiredOption } from "./optimizer.js";
import { LRScheduler, perGroup } from "./lr-scheduler.js";

/** An lr (or momentum) for every group, or one per group. */
type PerGroup = number | number[];

const perGroupNumber: OptionCheck = (op, name, value) => {
  if (Array.isArray(value)) value.forEach((v, i) => optionChecks.atLeast(0)(op, `${name}[${i}]`, v));
  else optionChecks.atLeast(0)(op, name, value);
};

/** Throws like LRSchedulerBase when `optimizer` is not one (before a constructor touches its groups). */
function checkOptimizer(op: string, optimizer: unknown): asserts optimizer is Optimizer {
  if (!(optimizer instanceof Optimizer)) throw new TypeError(`${op}: expected an Optimizer, got ${describe(optimizer)}`);
}

/** A group's option read or written by name (momentum, betas), which not every optimizer has. */
function groupField(group: object): Record<string, unknown> {
  return group as Record<string, unknown>;
}

/**
 * Options of {@link CyclicLR} (PyTorch's names, camelCased; `mode` values stay PyTorch's).
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `baseLr` | required | `base_lr` |
 * | `maxLr` | required | `max_lr` |
 * | `stepSizeUp` | `2000` | `step_size_up` |
 * | `stepSizeDown` | `null` | `step_size_down` |
 * | `mode` | `"triangular"` | `mode` |
 * | `gamma` | `1` | `gamma` |
 * | `scaleFn` | `null` | `scale_fn` |
 * | `scaleMode` | `"cycle"` | `scale_mode` |
 * | `cycleMomentum` | `true` | `cycle_momentum` |
 * | `baseMomentum` | `0.8` | `base_momentum` |
 * | `maxMomentum` | `0.9` | `max_momentum` |
 *
 * @example
 * ```ts
 * const options: CyclicLROptions = { baseLr: 1e-3, maxLr: 1e-2, stepSizeUp: 500, mode: "exp_range", gamma: 0.999 };
 * const sched = new CyclicLR(new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1, momentum: 0.9 }), options);
 * sched.getLastLr(); // [0.001]
 * ```
 */
export interface CyclicLROptions {
  /** The lower lr of the cycle, for every group or one per group (required). It becomes the groups' lr. */
  baseLr: PerGroup;
  /** The upper lr of the cycle, for every group or one per group (required). */
  maxLr: PerGroup;
  /** Steps from baseLr up to maxLr. Default 2000. */
  stepSizeUp?: number;
  /** Steps from maxLr back down; null: the same as stepSizeUp. Default null. */
  stepSizeDown?: number | null;
  /** "triangular" (constant amplitude), "triangular2" (halved every cycle) or "exp_range" (× gamma^step). Default "triangular". */
  mode?: "triangular" | "triangular2" | "exp_range";
  /** The base of "exp_range"'s scaling. Default 1. */
  gamma?: number;
  /** A custom amplitude scale of the cycle number or step (replaces `mode`); null: mode's. Default null. */
  scaleFn?: ((x: number) => number) | null;
  /** What a custom scaleFn receives: "cycle" (the cycle number, from 1) or "iterations" (the step). Default "cycle". */
  scaleMode?: "cycle" | "iterations";
  /** Cycle the groups' `momentum` between maxMomentum and baseMomentum, inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** The lower momentum, for every group or one per group. Default 0.8. */
  baseMomentum?: PerGroup;
  /** The upper momentum, for every group or one per group. Default 0.9. */
  maxMomentum?: PerGroup;
}

const CYCLIC_DEFAULTS = {
  baseLr: undefined as PerGroup | undefined, maxLr: undefined as PerGroup | undefined, stepSizeUp: 2000, stepSizeDown: null as number | null,
  mode: "triangular" as CyclicLROptions["mode"] & string, gamma: 1, scaleFn: null as ((x: number) => number) | null,
  scaleMode: "cycle" as "cycle" | "iterations", cycleMomentum: true, baseMomentum: 0.8 as PerGroup, maxMomentum: 0.9 as PerGroup,
};
const CYCLIC_CHECKS = {
  baseLr: perGroupNumber, maxLr: perGroupNumber, stepSizeUp: optionChecks.positive, stepSizeDown: optionChecks.nullable(optionChecks.positive),
  mode: optionChecks.oneOf(["triangular", "triangular2", "exp_range"]), gamma: optionChecks.number,
  scaleFn: optionChecks.nullable(optionChecks.function), scaleMode: optionChecks.oneOf(["cycle", "iterations"]),
  cycleMomentum: optionChecks.boolean, baseMomentum: perGroupNumber, maxMomentum: perGroupNumber,
};

/**
 * Cycles each group's lr between `baseLr` and `maxLr` in triangular waves, like
 * `torch.optim.lr_scheduler.CyclicLR` (Smith, "Cyclical Learning Rates"); step it after every
 * batch. With `c = ⌊1 + t / (up + down)⌋` and `x = 1 + t / (up + down) − c`, the wave is
 * `s = x / r` while `x ≤ r = up / (up + down)`, else `(x − 1) / (r − 1)`, and
 * `lr = baseLr + (maxLr − baseLr) · s · scale`, where scale is 1 ("triangular"),
 * `1 / 2^(c − 1)` ("triangular2"), `gamma^t` ("exp_range"), or `scaleFn(c)` / `scaleFn(t)`.
 * With `cycleMomentum` (the default; the optimizer must have a `momentum` option) each group's
 * momentum is `maxMomentum − (maxMomentum − baseMomentum) · s · scale`.
 *
 * Options: `baseLr`, `maxLr` (required), `stepSizeUp = 2000`, `stepSizeDown = null`,
 * `mode = "triangular"`, `gamma = 1`, `scaleFn = null`, `scaleMode = "cycle"`,
 * `cycleMomentum = true`, `baseMomentum = 0.8`, `maxMomentum = 0.9`. A custom scaleFn is not
 * saved in the state dict (`scaleFn: null` there).
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4 });
 * for (let i = 0; i < 2; i++) {
 *   opt.step();
 *   sched.step();
 * }
 * sched.getLastLr(); // ≈ [0.055]
 * opt.paramGroups[0].momentum; // ≈ 0.85
 * ```
 */
export class CyclicLR extends LRScheduler {
  static override readonly typeName: string = "CyclicLR";
  /** The upper lr of every group. */
  maxLrs: number[];
  /** Steps in one cycle (up + down). */
  totalSize: number;
  /** The fraction of a cycle spent going up. */
  stepRatio: number;
  /** The wave's scaling: "triangular", "triangular2" or "exp_range". */
  mode: string;
  /** exp_range's base. */
  gamma: number;
  /** A custom scale function, or null for mode's. */
  scaleFn: ((x: number) => number) | null;
  /** What the scale is a function of: "cycle" or "iterations". */
  scaleMode: "cycle" | "iterations";
  /** Whether the groups' momentum cycles too. */
  cycleMomentum: boolean;
  /** The lower momentum of every group. */
  baseMomentums: number[];
  /** The upper momentum of every group. */
  maxMomentums: number[];

  constructor(optimizer: Optimizer, options: CyclicLROptions) {
    checkOptimizer("CyclicLR", optimizer);
    const o = resolveOptions("CyclicLR", options, CYCLIC_DEFAULTS, CYCLIC_CHECKS);
    const groups = optimizer.paramGroups;
    const baseLrs = perGroup("CyclicLR", "baseLr", requiredOption("CyclicLR", "baseLr", o.baseLr, "new CyclicLR(optimizer, { baseLr: 0.01, maxLr: 0.1 })"), groups.length);
    const maxLrs = perGroup("CyclicLR", "maxLr", requiredOption("CyclicLR", "maxLr", o.maxLr, "new CyclicLR(optimizer, { baseLr: 0.01, maxLr: 0.1 })"), groups.length);
    if (o.cycleMomentum && !("momentum" in optimizer.defaults)) {
      throw new TypeError(`CyclicLR: cycleMomentum needs an optimizer with a momentum option (${typeNameOf(optimizer)} has none); pass cycleMomentum: false`);
    }
    const baseMomentums = perGroup("CyclicLR", "baseMomentum", o.baseMomentum, groups.length);
    const maxMomentums = perGroup("CyclicLR", "maxMomentum", o.maxMomentum, groups.length);
    // Like PyTorch: the groups start at baseLr (and baseMomentum) before initialLr is recorded.
    groups.forEach((group, i) => {
      group.lr = baseLrs[i];
      if (o.cycleMomentum) groupField(group).momentum = baseMomentums[i];
    });
    super(optimizer);
    this.maxLrs = maxLrs;
    const down = o.stepSizeDown ?? o.stepSizeUp;
    this.totalSize = o.stepSizeUp + down;
    this.stepRatio = o.stepSizeUp / this.totalSize;
    this.mode = o.mode;
    this.gamma = o.gamma;
    this.scaleFn = o.scaleFn;
    this.scaleMode = o.scaleFn === null ? (o.mode === "exp_range" ? "iterations" : "cycle") : o.scaleMode;
    this.cycleMomentum = o.cycleMomentum;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this.initialStep();
    this.baseLrs = baseLrs; // after the first step, as in PyTorch (which steps inside its base constructor)
  }

  private scale(x: number): number {
    if (this.scaleFn !== null) return this.scaleFn(x);
    if (this.mode === "triangular2") return 1 / 2 ** (x - 1);
    if (this.mode === "exp_range") return this.gamma ** x;
    return 1;
  }

  protected computeLr(): number[] {
    const t = this.lastEpoch;
    const cycle = Math.floor(1 + t / this.totalSize);
    const x = 1 + t / this.totalSize - cycle;
    const factor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scale(this.scaleMode === "cycle" ? cycle : t);
    const lrs = this.baseLrs.map((base, i) => base + (this.maxLrs[i] - base) * factor * scale);
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((group, i) => {
        groupField(group).momentum = this.maxMomentums[i] - (this.maxMomentums[i] - this.baseMomentums[i]) * factor * scale;
      });
    }
    return lrs;
  }

  /** The scheduler's fields (a custom `scaleFn` is saved as null: functions are not data). */
  override stateDict(): Record<string, unknown> {
    const fn = this.scaleFn;
    this.scaleFn = null;
    try {
      return super.stateDict();
    } finally {
      this.scaleFn = fn;
    }
  }

  /** Restores {@link CyclicLR.stateDict}'s fields; the scale function stays the one given to the constructor. */
  override loadStateDict(state: Record<string, unknown>): void {
    const fn = this.scaleFn;
    const { scaleFn: _saved, ...rest } = state !== null && typeof state === "object" && !Array.isArray(state) ? state : { scaleFn: null };
    super.loadStateDict(state !== null && typeof state === "object" && !Array.isArray(state) ? rest : state);
    this.scaleFn = fn;
  }
}

/**
 * Options of {@link OneCycleLR} (PyTorch's names, camelCased; `annealStrategy` values stay PyTorch's).
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `maxLr` | required | `max_lr` |
 * | `totalSteps` | `null` (give it, or epochs and stepsPerEpoch) | `total_steps` |
 * | `epochs` | `null` | `epochs` |
 * | `stepsPerEpoch` | `null` | `steps_per_epoch` |
 * | `pctStart` | `0.3` | `pct_start` |
 * | `annealStrategy` | `"cos"` | `anneal_strategy` |
 * | `cycleMomentum` | `true` | `cycle_momentum` |
 * | `baseMomentum` | `0.85` | `base_momentum` |
 * | `maxMomentum` | `0.95` | `max_momentum` |
 * | `divFactor` | `25` | `div_factor` |
 * | `finalDivFactor` | `1e4` | `final_div_factor` |
 * | `threePhase` | `false` | `three_phase` |
 *
 * @example
 * ```ts
 * const options: OneCycleLROptions = { maxLr: 0.01, epochs: 10, stepsPerEpoch: 100, annealStrategy: "linear" };
 * const sched = new OneCycleLR(new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1, momentum: 0.9 }), options);
 * sched.totalSteps; // 1000
 * ```
 */
export interface OneCycleLROptions {
  /** The peak lr, for every group or one per group (required). */
  maxLr: PerGroup;
  /** The number of steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number | null;
  /** With `stepsPerEpoch`, the cycle has epochs × stepsPerEpoch steps. */
  epochs?: number | null;
  /** Steps (batches) per epoch, with `epochs`. */
  stepsPerEpoch?: number | null;
  /** The fraction of the cycle spent increasing the lr, in [0, 1]. Default 0.3. */
  pctStart?: number;
  /** "cos" (cosine annealing) or "linear". Default "cos". */
  annealStrategy?: "cos" | "linear";
  /** Cycle the momentum (SGD's `momentum`, Adam's `betas[0]`) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** The momentum at the lr's peak, for every group or one per group. Default 0.85. */
  baseMomentum?: PerGroup;
  /** The momentum at the start and end, for every group or one per group. Default 0.95. */
  maxMomentum?: PerGroup;
  /** The initial lr is maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** The final lr is initialLr / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** Three phases (up, back down to the initial lr, then to the final lr) instead of two. Default false. */
  threePhase?: boolean;
}

const POSITIVE_INT = optionChecks.nullable(optionChecks.intAtLeast(1));
const ONE_CYCLE_DEFAULTS = {
  maxLr: undefined as PerGroup | undefined, totalSteps: null as number | null, epochs: null as number | null, stepsPerEpoch: null as number | null,
  pctStart: 0.3, annealStrategy: "cos" as "cos" | "linear", cycleMomentum: true, baseMomentum: 0.85 as PerGroup, maxMomentum: 0.95 as PerGroup,
  divFactor: 25, finalDivFactor: 1e4, threePhase: false,
};
const ONE_CYCLE_CHECKS = {
  maxLr: perGroupNumber, totalSteps: POSITIVE_INT, epochs: POSITIVE_INT, stepsPerEpoch: POSITIVE_INT, pctStart: optionChecks.inRange(0, 1),
  annealStrategy: optionChecks.oneOf(["cos", "linear"]), cycleMomentum: optionChecks.boolean, baseMomentum: perGroupNumber,
  maxMomentum: perGroupNumber, divFactor: optionChecks.number, finalDivFactor: optionChecks.number, threePhase: optionChecks.boolean,
};

/** One phase of a one-cycle schedule: where it ends and what it anneals between. */
interface Phase {
  endStep: number;
  startLr: "initial" | "max" | "min";
  endLr: "initial" | "max" | "min";
  startMomentum: "max" | "base";
  endMomentum: "max" | "base";
}

/**
 * The 1cycle policy, like `torch.optim.lr_scheduler.OneCycleLR` (Smith & Topin, "Super-Convergence");
 * step it after every batch. The lr rises from `maxLr / divFactor` to `maxLr` over the first
 * `pctStart` of the `totalSteps` steps, then anneals to `initialLr / finalDivFactor` (with
 * `threePhase`: back to the initial lr over as many steps, then down to the final lr), each
 * phase by `annealStrategy`: "cos", `end + (start − end)/2 · (1 + cos(π·pct))`, or "linear",
 * `start + (end − start)·pct`. With `cycleMomentum` the momentum moves the other way, between
 * `maxMomentum` and `baseMomentum`; for Adam-like optimizers (those with `betas`) it is
 * `betas[0]`, as in PyTorch. Stepping past `totalSteps` throws.
 *
 * Options: `maxLr` (required); `totalSteps`, or `epochs` and `stepsPerEpoch`; `pctStart = 0.3`,
 * `annealStrategy = "cos"`, `cycleMomentum = true`, `baseMomentum = 0.85`, `maxMomentum = 0.95`,
 * `divFactor = 25`, `finalDivFactor = 1e4`, `threePhase = false`. PyTorch keeps `max_lr`,
 * `min_lr`, `max_momentum` and `base_momentum` in the param groups; tsgrad keeps them in the
 * scheduler (and its state dict), so the groups hold only optimizer options (and `initialLr`).
 *
 * @example
 * ```ts
 * const opt = new Adam(new nn.Linear(2, 1).parameters());
 * const sched = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 100 });
 * sched.getLastLr(); // ≈ [0.004]
 * for (let i = 0; i < 29; i++) {
 *   opt.step();
 *   sched.step();
 * }
 * sched.getLastLr(); // ≈ [0.1]
 * opt.paramGroups[0].betas; // ≈ [0.85, 0.999]
 * ```
 */
export class OneCycleLR extends LRScheduler {
  static override readonly typeName: string = "OneCycleLR";
  /** The number of steps in the cycle. */
  totalSteps: number;
  /** The fraction of the cycle spent increasing the lr. */
  pctStart: number;
  /** Whether the cycle has three phases. */
  threePhase: boolean;
  /** "cos" or "linear". */
  annealStrategy: "cos" | "linear";
  /** Whether the momentum cycles. */
  cycleMomentum: boolean;
  /** True when the momentum is `betas[0]` (the optimizer has betas), false for `momentum`. */
  useBeta1: boolean;
  /** The peak lr of every group. */
  maxLrs: number[];
  /** The final lr of every group. */
  minLrs: number[];
  /** The start/end momentum of every group. */
  maxMomentums: number[];
  /** The momentum at the peak lr, every group. */
  baseMomentums: number[];

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    const op = "OneCycleLR";
    checkOptimizer(op, optimizer);
    const o = resolveOptions(op, options, ONE_CYCLE_DEFAULTS, ONE_CYCLE_CHECKS);
    let totalSteps: number;
    if (o.totalSteps !== null) totalSteps = o.totalSteps;
    else if (o.epochs !== null && o.stepsPerEpoch !== null) totalSteps = o.epochs * o.stepsPerEpoch;
    else throw new TypeError(`${op}: give totalSteps, or epochs and stepsPerEpoch, e.g. new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 1000 })`);
    const groups = optimizer.paramGroups;
    const maxLrs = perGroup(op, "maxLr", requiredOption(op, "maxLr", o.maxLr, "new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 1000 })"), groups.length);
    const useBeta1 = "betas" in optimizer.defaults;
    if (o.cycleMomentum && !useBeta1 && !("momentum" in optimizer.defaults)) {
      throw new TypeError(`${op}: cycleMomentum needs an optimizer with a momentum or betas option (${typeNameOf(optimizer)} has neither); pass cycleMomentum: false`);
    }
    const maxMomentums = perGroup(op, "maxMomentum", o.maxMomentum, groups.length);
    const baseMomentums = perGroup(op, "baseMomentum", o.baseMomentum, groups.length);
    const initialLrs = maxLrs.map((lr) => lr / o.divFactor);
    groups.forEach((group, i) => {
      group.initialLr = initialLrs[i];
      if (!o.cycleMomentum) return;
      if (useBeta1) {
        const betas = groupField(group).betas as number[];
        groupField(group).betas = [maxMomentums[i], ...betas.slice(1)];
      } else {
        groupField(group).momentum = maxMomentums[i];
      }
    });
    super(optimizer);
    this.totalSteps = totalSteps;
    this.pctStart = o.pctStart;
    this.threePhase = o.threePhase;
    this.annealStrategy = o.annealStrategy;
    this.cycleMomentum = o.cycleMomentum;
    this.useBeta1 = useBeta1;
    this.maxLrs = maxLrs;
    this.minLrs = initialLrs.map((lr) => lr / o.finalDivFactor);
    this.maxMomentums = maxMomentums;
    this.baseMomentums = baseMomentums;
    this.initialStep();
  }

  private phases(): Phase[] {
    const { pctStart: pct, totalSteps: total } = this;
    if (this.threePhase) {
      return [
        { endStep: pct * total - 1, startLr: "initial", endLr: "max", startMomentum: "max", endMomentum: "base" },
        { endStep: 2 * pct * total - 2, startLr: "max", endLr: "initial", startMomentum: "base", endMomentum: "max" },
        { endStep: total - 1, startLr: "initial", endLr: "min", startMomentum: "max", endMomentum: "max" },
      ];
    }
    return [
      { endStep: pct * total - 1, startLr: "initial", endLr: "max", startMomentum: "max", endMomentum: "base" },
      { endStep: total - 1, startLr: "max", endLr: "min", startMomentum: "base", endMomentum: "max" },
    ];
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === "linear") return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected computeLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new RangeError(`OneCycleLR.step: tried to step ${step + 1} times; the specified number of total steps is ${this.totalSteps}`);
    }
    const phases = this.phases();
    return this.optimizer.paramGroups.map((group, i) => {
      const lrOf = { initial: group.initialLr!, max: this.maxLrs[i], min: this.minLrs[i] };
      const momentumOf = { max: this.maxMomentums[i], base: this.baseMomentums[i] };
      let start = 0;
      for (let k = 0; k < phases.length; k++) {
        const phase = phases[k];
        if (step <= phase.endStep || k === phases.length - 1) {
          const pct = (step - start) / (phase.endStep - start);
          if (this.cycleMomentum) {
            const momentum = this.anneal(momentumOf[phase.startMomentum], momentumOf[phase.endMomentum], pct);
            if (this.useBeta1) groupField(group).betas = [momentum, ...(groupField(group).betas as number[]).slice(1)];
            else groupField(group).momentum = momentum;
          }
          return this.anneal(lrOf[phase.startLr], lrOf[phase.endLr], pct);
        }
        start = phase.endStep;
      }
      throw new Error("unreachable");
    });
  }
}

/**
 * Options of {@link CosineAnnealingWarmRestarts} (PyTorch's `T_0`, `T_mult`, `eta_min`).
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `T0` | required | `T_0` |
 * | `TMult` | `1` | `T_mult` |
 * | `etaMin` | `0` | `eta_min` |
 *
 * @example
 * ```ts
 * const options: CosineAnnealingWarmRestartsOptions = { T0: 10, TMult: 2, etaMin: 1e-5 }; // periods 10, 20, 40, ...
 * new CosineAnnealingWarmRestarts(new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 }), options).getLastLr(); // [0.1]
 * ```
 */
export interface CosineAnnealingWarmRestartsOptions {
  /** Epochs until the first restart (a positive integer, required). */
  T0: number;
  /** Factor by which each period is longer than the last (an integer >= 1). Default 1. */
  TMult?: number;
  /** Minimum lr. Default 0. */
  etaMin?: number;
}

/**
 * Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter), like
 * `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`:
 * `lr = etaMin + (initialLr − etaMin)(1 + cos(π·T_cur / T_i)) / 2`, where T_cur counts the
 * epochs since the last restart and the period T_i starts at `T0` and is multiplied by `TMult`
 * at each restart. `step()` advances one epoch; `step(epoch)` jumps to `epoch`, which may be
 * fractional (`step(epoch + i / itersPerEpoch)` after each batch), as in PyTorch.
 *
 * Options: `T0` (required), `TMult = 1`, `etaMin = 0`.
 *
 * @example
 * ```ts
 * const opt = new SGD(new nn.Linear(2, 1).parameters(), { lr: 0.1 });
 * const sched = new CosineAnnealingWarmRestarts(opt, { T0: 4, TMult: 2 });
 * opt.step();
 * sched.step(2);
 * sched.getLastLr(); // ≈ [0.05]
 * sched.step(4); // a restart: the next period is 8 epochs
 * sched.getLastLr(); // ≈ [0.1]
 * ```
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  static override readonly typeName: string = "CosineAnnealingWarmRestarts";
  /** The first period. */
  T0: number;
  /** The current period. */
  Ti: number;
  /** The period's growth factor. */
  TMult: number;
  /** Minimum lr. */
  etaMin: number;
  /** Epochs since the last restart (fractional after a fractional `step(epoch)`). */
  TCur: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingWarmRestartsOptions) {
    super(optimizer);
    const o = resolveOptions("CosineAnnealingWarmRestarts", options, { T0: undefined as number | undefined, TMult: 1, etaMin: 0 }, {
      T0: optionChecks.intAtLeast(1), TMult: optionChecks.intAtLeast(1), etaMin: optionChecks.number,
    });
    this.T0 = requiredOption("CosineAnnealingWarmRestarts", "T0", o.T0, "new CosineAnnealingWarmRestarts(optimizer, { T0: 10 })");
    this.Ti = this.T0;
    this.TMult = o.TMult;
    this.etaMin = o.etaMin;
    this.TCur = this.lastEpoch;
    this.initialStep();
  }

  /**
   * Advances one epoch, or with `epoch` jumps to that (possibly fractional) epoch, restarting
   * the cosine where the periods say. Call it after `optimizer.step()`.
   */
  override step(epoch?: number): void {
    if (epoch !== undefined) optionChecks.atLeast(0)("CosineAnnealingWarmRestarts.step", "epoch", epoch);
    this.advance(epoch);
  }

  protected override advance(epoch?: number): void {
    let e: number;
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      e = this.lastEpoch + 1;
      this.TCur += 1;
      if (this.TCur >= this.Ti) {
        this.TCur -= this.Ti;
        this.Ti *= this.TMult;
      }
    } else {
      e = epoch;
      if (e >= this.T0) {
        if (this.TMult === 1) {
          this.TCur = e % this.T0;
        } else {
          const n = Math.trunc(Math.log((e / this.T0) * (this.TMult - 1) + 1) / Math.log(this.TMult));
          this.TCur = e - (this.T0 * (this.TMult ** n - 1)) / (this.TMult - 1);
          this.Ti = this.T0 * this.TMult ** n;
        }
      } else {
        this.Ti = this.T0;
        this.TCur = e;
      }
    }
    this.lastEpoch = Math.floor(e);
    const lrs = this.computeLr();
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = lrs[i];
    });
    this.lastLr = this.groupLrs();
  }

  protected computeLr(): number[] {
    const { etaMin, TCur, Ti } = this;
    return this.baseLrs.map((lr) => etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * TCur) / Ti))) / 2);
  }
}
