/** LR schedulers against PyTorch 1.13's lr sequences, their state dicts, and their option errors. */
import { describe, expect, it } from "vitest";
import { tensor, zeros } from "@tsgrad/core";
import {
  SGD, StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, ReduceLROnPlateau,
  type LRScheduler, type Optimizer, type ReduceLROnPlateauOptions,
} from "@tsgrad/optim";
import { loadFixture } from "../../../tools/test-utils.js";

type SchedulerSpec = { type: keyof typeof SCHEDULERS; options: Record<string, unknown> };
interface Fixture {
  cases: Array<{ schedulers: SchedulerSpec[]; groupLrs: number[]; lrs: number[][] }>;
  plateau: Array<{ options: ReduceLROnPlateauOptions; groupLrs: number[]; metrics: number[]; lrs: number[][] }>;
}

const SCHEDULERS = { StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR };
const fx = loadFixture<Fixture>(new URL("./fixtures/schedulers.json", import.meta.url));

/** An SGD over two one-parameter groups with the given lrs. */
function twoGroupSGD(lrs: number[]): SGD {
  const groups = lrs.map((lr, i) => ({ params: [zeros([i + 2], { dtype: "float64", requiresGrad: true })], lr }));
  return new SGD(groups, { lr: 1 });
}

function makeScheduler(opt: Optimizer, spec: SchedulerSpec): LRScheduler {
  const Cls = SCHEDULERS[spec.type] as unknown as new (o: Optimizer, options: Record<string, unknown>) => LRScheduler;
  return new Cls(opt, spec.options);
}

/** Elementwise |a - b| <= 1e-13·|b|: the recursive forms reproduce PyTorch's floats (cosines may differ in the last bit). */
function expectLrs(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => {
    if (Math.abs(a - expected[i]) > 1e-13 * Math.abs(expected[i])) expect.fail(`${what}: group ${i} lr ${a}, expected ${expected[i]}`);
  });
}

describe("epoch schedulers match PyTorch", () => {
  for (const c of fx.cases) {
    const label = c.schedulers.map((s) => `${s.type} ${JSON.stringify(s.options)}`).join(" + ");
    it(label, () => {
      const opt = twoGroupSGD(c.groupLrs);
      const scheds = c.schedulers.map((s) => makeScheduler(opt, s));
      const last = scheds[scheds.length - 1];
      expectLrs(last.getLastLr(), c.lrs[0], `${label}: epoch 0`);
      for (let epoch = 1; epoch < c.lrs.length; epoch++) {
        opt.step();
        for (const s of scheds) s.step();
        expectLrs(last.getLastLr(), c.lrs[epoch], `${label}: epoch ${epoch}`);
        expectLrs(opt.paramGroups.map((g) => g.lr), c.lrs[epoch], `${label}: group lrs at epoch ${epoch}`);
      }
    });
  }

  it("records initialLr once, so a second scheduler shares the base lrs", () => {
    const opt = twoGroupSGD([0.1, 0.05]);
    const warmup = new LinearLR(opt, { startFactor: 0.5 });
    const decay = new ExponentialLR(opt, { gamma: 0.9 });
    expect(opt.paramGroups.map((g) => g.initialLr)).toEqual([0.1, 0.05]);
    expect(decay.baseLrs).toEqual([0.1, 0.05]);
    expect(warmup.getLastLr()).toEqual([0.05, 0.025]);
  });
});

describe("ReduceLROnPlateau matches PyTorch", () => {
  for (const c of fx.plateau) {
    const label = JSON.stringify(c.options);
    it(label, () => {
      const opt = twoGroupSGD(c.groupLrs);
      const sched = new ReduceLROnPlateau(opt, c.options);
      expect(sched.getLastLr()).toEqual(c.groupLrs);
      c.metrics.forEach((m, epoch) => {
        sched.step(m);
        expectLrs(sched.getLastLr(), c.lrs[epoch], `${label}: epoch ${epoch + 1} (metric ${m})`);
      });
    });
  }

  it("accepts a one-element tensor as the metric", () => {
    const opt = twoGroupSGD([0.1, 0.05]);
    const sched = new ReduceLROnPlateau(opt, { patience: 0 });
    sched.step(tensor(1.0));
    sched.step(tensor([2.0]));
    expectLrs(sched.getLastLr(), [0.01, 0.005], "after one bad epoch");
  });
});

describe("scheduler state dicts", () => {
  it("resuming an epoch scheduler from its state (and the optimizer's) continues the same lr sequence", () => {
    const run = (opt: SGD) => [new LinearLR(opt, { startFactor: 0.25, totalIters: 3 }), new CosineAnnealingLR(opt, { tMax: 7, etaMin: 0.001 })];
    const optA = twoGroupSGD([0.1, 0.05]);
    const schedsA = run(optA);
    for (let i = 0; i < 5; i++) schedsA.forEach((s) => s.step());
    const saved = { opt: optA.stateDict(), scheds: schedsA.map((s) => s.stateDict()) };
    const optB = twoGroupSGD([0.3, 0.3]);
    const schedsB = run(optB);
    optB.loadStateDict(saved.opt);
    schedsB.forEach((s, i) => s.loadStateDict(saved.scheds[i]));
    expect(schedsB[1].lastEpoch).toBe(5);
    for (let i = 0; i < 12; i++) {
      schedsA.forEach((s) => s.step());
      schedsB.forEach((s) => s.step());
      expect(optB.paramGroups.map((g) => g.lr)).toEqual(optA.paramGroups.map((g) => g.lr));
    }
  });

  it("the state dict is a copy and excludes the optimizer", () => {
    const opt = twoGroupSGD([0.1, 0.05]);
    const sched = new MultiStepLR(opt, { milestones: [1, 2] });
    const state = sched.stateDict();
    expect(state).not.toHaveProperty("optimizer");
    expect(state).toMatchObject({ lastEpoch: 0, milestones: [1, 2], gamma: 0.1, baseLrs: [0.1, 0.05] });
    sched.step();
    expect(state.lastEpoch).toBe(0);
  });

  it("ReduceLROnPlateau resumes its best, counters and cooldown", () => {
    const metrics = [1, 0.9, 0.95, 0.96, 0.97, 0.8, 0.85, 0.86, 0.87, 0.88];
    const optA = twoGroupSGD([0.1, 0.05]);
    const a = new ReduceLROnPlateau(optA, { patience: 1, cooldown: 1, factor: 0.5 });
    metrics.slice(0, 4).forEach((m) => a.step(m));
    const saved = { opt: optA.stateDict(), sched: a.stateDict() };
    const optB = twoGroupSGD([0.1, 0.05]);
    const b = new ReduceLROnPlateau(optB, { patience: 1, cooldown: 1, factor: 0.5 });
    optB.loadStateDict(saved.opt);
    b.loadStateDict(saved.sched);
    for (const m of metrics.slice(4)) {
      a.step(m);
      b.step(m);
      expect(b.getLastLr()).toEqual(a.getLastLr());
    }
    expect(a.getLastLr()).not.toEqual([0.1, 0.05]);
  });

  it("loading another scheduler's state is an error", () => {
    const opt = twoGroupSGD([0.1, 0.05]);
    const step = new StepLR(opt, { stepSize: 2 });
    const cosine = new CosineAnnealingLR(opt, { tMax: 3 });
    expect(() => cosine.loadStateDict(step.stateDict())).toThrow(/CosineAnnealingLR.loadStateDict: unknown field "stepSize"/);
  });
});

describe("scheduler option errors", () => {
  const opt = () => twoGroupSGD([0.1, 0.05]);
  it.each([
    ["StepLR stepSize 0", () => new StepLR(opt(), { stepSize: 0 }), RangeError, /StepLR: stepSize must be an integer >= 1, got 0/],
    ["StepLR stepSize 1.5", () => new StepLR(opt(), { stepSize: 1.5 }), RangeError, /stepSize must be an integer >= 1, got 1.5/],
    ["StepLR without options", () => new StepLR(opt(), undefined as never), TypeError, /StepLR: stepSize is required, e.g. new StepLR\(optimizer, \{ stepSize: 30 \}\)/],
    ["MultiStepLR milestones not an array", () => new MultiStepLR(opt(), { milestones: 3 as never }), TypeError, /MultiStepLR: milestones must be an array/],
    ["MultiStepLR fractional milestone", () => new MultiStepLR(opt(), { milestones: [2, 2.5] }), TypeError, /milestones\[1\] must be an integer epoch/],
    ["ExponentialLR gamma missing", () => new ExponentialLR(opt(), {} as never), TypeError, /ExponentialLR: gamma is required/],
    ["CosineAnnealingLR tMax 0", () => new CosineAnnealingLR(opt(), { tMax: 0 }), RangeError, /CosineAnnealingLR: tMax must be an integer >= 1, got 0/],
    ["LinearLR startFactor 0", () => new LinearLR(opt(), { startFactor: 0 }), RangeError, /LinearLR: startFactor must be in \(0, 1\], got 0/],
    ["LinearLR endFactor 1.5", () => new LinearLR(opt(), { endFactor: 1.5 }), RangeError, /LinearLR: endFactor must be in \[0, 1\], got 1.5/],
    ["scheduler on a non-optimizer", () => new StepLR({ paramGroups: [] } as never, { stepSize: 1 }), TypeError, /StepLR: expected an Optimizer, got a plain object/],
    ["plateau factor 1", () => new ReduceLROnPlateau(opt(), { factor: 1 }), RangeError, /ReduceLROnPlateau: factor must be < 1, got 1/],
    ["plateau bad mode", () => new ReduceLROnPlateau(opt(), { mode: "lowest" as never }), RangeError, /ReduceLROnPlateau: mode must be one of "min", "max", got "lowest"/],
    ["plateau bad thresholdMode", () => new ReduceLROnPlateau(opt(), { thresholdMode: "pct" as never }), RangeError, /ReduceLROnPlateau: thresholdMode must be one of "rel", "abs", got "pct"/],
    ["plateau negative patience", () => new ReduceLROnPlateau(opt(), { patience: -1 }), RangeError, /ReduceLROnPlateau: patience must be an integer >= 0, got -1/],
    ["plateau minLr per group count", () => new ReduceLROnPlateau(opt(), { minLr: [0.1] }), RangeError, /expected 2 minLr values \(one per param group\), got 1/],
    ["plateau negative minLr", () => new ReduceLROnPlateau(opt(), { minLr: -1 }), RangeError, /ReduceLROnPlateau: minLr must be a number >= 0, got -1/],
    ["plateau string metric", () => new ReduceLROnPlateau(opt()).step("0.5" as never), TypeError, /metric must be a number or a one-element Tensor, got "0.5"/],
  ] as const)("%s", (_name, make, type, message) => {
    expect(make).toThrow(type);
    expect(make).toThrow(message);
  });
});
