/** LR schedulers against PyTorch 1.13's lr sequences, their state dicts, and their option errors. */
import { describe, expect, it, vi } from "vitest";
import { tensor, zeros } from "@tsgrad/core";
import {
  SGD, Adam, StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, ReduceLROnPlateau, LambdaLR, MultiplicativeLR,
  ConstantLR, PolynomialLR, CyclicLR, OneCycleLR, CosineAnnealingWarmRestarts, SequentialLR, ChainedScheduler,
  type LRScheduler, type LRSchedulerBase, type Optimizer, type ReduceLROnPlateauOptions,
} from "@tsgrad/optim";
import { loadFixture } from "../../../tools/test-utils.js";

type SchedulerSpec = { type: keyof typeof SCHEDULERS | "SequentialLR" | "ChainedScheduler"; options?: Record<string, unknown>; schedulers?: SchedulerSpec[] };
interface Fixture {
  cases: Array<{
    schedulers: SchedulerSpec[]; optimizer: "SGD" | "Adam"; groupLrs: number[]; epochs: number[] | null; lrs: number[][]; momentums: number[][];
  }>;
  plateau: Array<{ options: ReduceLROnPlateauOptions; groupLrs: number[]; metrics: number[]; lrs: number[][] }>;
  stateKeys: Record<string, string[]>;
}

const SCHEDULERS = {
  StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, LambdaLR, MultiplicativeLR, ConstantLR, PolynomialLR, CyclicLR, OneCycleLR,
  CosineAnnealingWarmRestarts,
};
// The generator's functions (gen_optim.py LAMBDAS, SCALE_FNS), by name.
const LAMBDAS: Record<string, (e: number) => number> = {
  inverse: (e) => 1 / (e + 1),
  exp97: (e) => 0.97 ** e,
  warmupStep: (e) => Math.min(1, (e + 1) / 10) * 0.5 ** Math.floor(e / 30),
  constant98: () => 0.98,
  wobble: (e) => 1 + 0.05 * (-1) ** e,
};
const SCALE_FNS: Record<string, (x: number) => number> = {
  halfSine: (x) => 0.5 * (1 + Math.sin((x * Math.PI) / 2)),
  inverseSqrt: (x) => 1 / Math.sqrt(x + 1),
};
const fx = loadFixture<Fixture>(new URL("./fixtures/schedulers.json", import.meta.url));

/** An SGD (or Adam) over two one-parameter groups with the given lrs. */
function twoGroupSGD(lrs: number[], kind: "SGD" | "Adam" = "SGD"): Optimizer {
  const groups = lrs.map((lr, i) => ({ params: [zeros([i + 2], { dtype: "float64", requiresGrad: true })], lr }));
  return kind === "SGD" ? new SGD(groups, { lr: 1 }) : new Adam(groups, { lr: 1 });
}

function makeScheduler(opt: Optimizer, spec: SchedulerSpec): LRSchedulerBase {
  if (spec.type === "SequentialLR") {
    return new SequentialLR(opt, { schedulers: spec.schedulers!.map((s) => makeScheduler(opt, s) as LRScheduler), milestones: spec.options!.milestones as number[] });
  }
  if (spec.type === "ChainedScheduler") return new ChainedScheduler(spec.schedulers!.map((s) => makeScheduler(opt, s) as LRScheduler));
  const options: Record<string, unknown> = { ...spec.options };
  if (typeof options.lrLambda === "string") options.lrLambda = LAMBDAS[options.lrLambda];
  if (Array.isArray(options.lrLambda)) options.lrLambda = options.lrLambda.map((n: string) => LAMBDAS[n]);
  if (typeof options.scaleFn === "string") options.scaleFn = SCALE_FNS[options.scaleFn];
  const Cls = SCHEDULERS[spec.type] as unknown as new (o: Optimizer, options: Record<string, unknown>) => LRScheduler;
  return new Cls(opt, options);
}

const groupMomentums = (opt: Optimizer): number[] =>
  opt.paramGroups.map((g) => {
    const group = g as unknown as { betas?: number[]; momentum: number };
    return group.betas ? group.betas[0] : group.momentum;
  });

/** Elementwise |a - b| <= 1e-13·|b|: the recursive forms reproduce PyTorch's floats (cosines may differ in the last bit). */
function expectLrs(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => {
    if (Math.abs(a - expected[i]) > 1e-13 * Math.abs(expected[i])) expect.fail(`${what}: group ${i} lr ${a}, expected ${expected[i]}`);
  });
}

const specLabel = (s: SchedulerSpec): string =>
  `${s.type} ${JSON.stringify(s.options ?? {})}${s.schedulers ? `[${s.schedulers.map(specLabel).join(", ")}]` : ""}`;

describe("epoch schedulers match PyTorch", () => {
  for (const c of fx.cases) {
    const label = `${c.schedulers.map(specLabel).join(" + ")}${c.optimizer === "Adam" ? " on Adam" : ""}${c.epochs ? " with fractional epochs" : ""}`;
    it(label, () => {
      const opt = twoGroupSGD(c.groupLrs, c.optimizer);
      const scheds = c.schedulers.map((s) => makeScheduler(opt, s));
      const last = scheds[scheds.length - 1];
      expectLrs(last.getLastLr(), c.lrs[0], `${label}: epoch 0`);
      expectLrs(groupMomentums(opt), c.momentums[0], `${label}: momentum at epoch 0`);
      for (let epoch = 1; epoch < c.lrs.length; epoch++) {
        opt.step();
        for (const s of scheds) {
          if (c.epochs) (s as CosineAnnealingWarmRestarts).step(c.epochs[epoch - 1]);
          else (s as LRScheduler).step();
        }
        expectLrs(last.getLastLr(), c.lrs[epoch], `${label}: epoch ${epoch}`);
        expectLrs(opt.paramGroups.map((g) => g.lr), c.lrs[epoch], `${label}: group lrs at epoch ${epoch}`);
        expectLrs(groupMomentums(opt), c.momentums[epoch], `${label}: momentum at epoch ${epoch}`);
      }
    });
  }

  it("covers every scheduler over at least 100 steps", () => {
    const seen = new Set<string>();
    const walk = (s: SchedulerSpec): void => {
      seen.add(s.type);
      s.schedulers?.forEach(walk);
    };
    fx.cases.forEach((c) => c.schedulers.forEach(walk));
    expect([...seen].sort()).toEqual([...Object.keys(SCHEDULERS), "SequentialLR", "ChainedScheduler"].sort());
    expect(Math.min(...fx.cases.map((c) => c.lrs.length))).toBeGreaterThan(100);
  });

  it("records initialLr once, so a second scheduler shares the base lrs", () => {
    const opt = twoGroupSGD([0.1, 0.05]);
    const warmup = new LinearLR(opt, { startFactor: 0.5 });
    const decay = new ExponentialLR(opt, { gamma: 0.9 });
    expect(opt.paramGroups.map((g) => g.initialLr)).toEqual([0.1, 0.05]);
    expect(decay.baseLrs).toEqual([0.1, 0.05]);
    expect(warmup.getLastLr()).toEqual([0.05, 0.025]);
  });
});

describe("scheduler state dicts have PyTorch's fields", () => {
  // PyTorch's names camelCased (T_0 -> T0, _step_count -> stepCount), less its bookkeeping
  // (verbose printing, get_lr's warning flag, weak references), plus what tsgrad keeps instead.
  const ignored = new Set(["verbose", "_get_lr_called_within_step", "_scale_fn_ref"]);
  const renamed: Record<string, string> = { _scale_fn_custom: "scaleFn", anneal_func: "annealStrategy", T_max: "tMax", T_i: "Ti" };
  const camel = (key: string): string => renamed[key] ?? key.replace(/^_/, "").replace(/_([a-z0-9])/gi, (_m, c: string) => (/[0-9]/.test(c) ? c : c.toUpperCase()));
  // OneCycleLR: PyTorch keeps max_lr/min_lr/momenta in the param groups and the phases as a list of dicts.
  const extra: Record<string, string[]> = {
    OneCycleLR: ["maxLrs", "minLrs", "maxMomentums", "baseMomentums", "pctStart", "threePhase"],
    CyclicLR: [],
  };
  const dropped: Record<string, string[]> = { OneCycleLR: ["schedulePhases"] };
  for (const [type, keys] of Object.entries(fx.stateKeys)) {
    it(type, () => {
      const c = fx.cases.find((k) => k.schedulers.some((s) => s.type === type))!;
      const opt = twoGroupSGD(c.groupLrs, c.optimizer);
      const sched = c.schedulers.map((s) => makeScheduler(opt, s)).find((_s, i) => c.schedulers[i].type === type)!;
      const expected = keys.filter((k) => !ignored.has(k)).map(camel).filter((k) => !(dropped[type] ?? []).includes(k));
      expect(Object.keys(sched.stateDict()).sort()).toEqual([...expected, ...(extra[type] ?? [])].sort());
    });
  }
});

describe("every scheduler resumes from its state dict", () => {
  for (const c of fx.cases) {
    const label = `${c.schedulers.map(specLabel).join(" + ")}${c.optimizer === "Adam" ? " on Adam" : ""}${c.epochs ? " with fractional epochs" : ""}`;
    it(label, () => {
      const stepAll = (opt: Optimizer, scheds: LRSchedulerBase[], i: number): void => {
        opt.step();
        for (const s of scheds) {
          if (c.epochs) (s as CosineAnnealingWarmRestarts).step(c.epochs[i]);
          else (s as LRScheduler).step();
        }
      };
      const optA = twoGroupSGD(c.groupLrs, c.optimizer);
      const a = c.schedulers.map((s) => makeScheduler(optA, s));
      for (let i = 0; i < 40; i++) stepAll(optA, a, i);
      const saved = { opt: optA.stateDict(), scheds: a.map((s) => s.stateDict()) };
      const json = JSON.parse(JSON.stringify(saved)) as typeof saved; // plain data, as a file would hold
      const optB = twoGroupSGD([0.3, 0.7], c.optimizer);
      const b = c.schedulers.map((s) => makeScheduler(optB, s));
      optB.loadStateDict(json.opt);
      b.forEach((s, i) => s.loadStateDict(json.scheds[i]));
      for (let i = 40; i < 70; i++) {
        stepAll(optA, a, i);
        stepAll(optB, b, i);
        expect(b[b.length - 1].getLastLr()).toEqual(a[a.length - 1].getLastLr());
        expect(groupMomentums(optB)).toEqual(groupMomentums(optA));
      }
    });
  }

  it("LambdaLR saves its functions as nulls and keeps its own on load", () => {
    const opt = twoGroupSGD([0.1, 0.05]);
    const sched = new LambdaLR(opt, { lrLambda: [LAMBDAS.inverse, LAMBDAS.exp97] });
    expect(sched.stateDict().lrLambdas).toEqual([null, null]);
    sched.loadStateDict({ ...sched.stateDict(), lastEpoch: 3 });
    expect(sched.lrLambdas[0]).toBe(LAMBDAS.inverse);
    expect(() => sched.loadStateDict({ lrLambdas: [null] })).toThrow(/LambdaLR.loadStateDict: field "lrLambdas" must be an array of 2 nulls/);
  });
});

describe("scheduler step order", () => {
  it("warns, like PyTorch, when a scheduler steps twice before the optimizer has", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const opt = twoGroupSGD([0.1, 0.05]);
      const sched = new StepLR(opt, { stepSize: 2 });
      sched.step();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/UserWarning: Detected call of `lr_scheduler.step\(\)` before `optimizer.step\(\)`/);
      sched.step();
      expect(warn).toHaveBeenCalledTimes(1); // once, at the first step after construction
      warn.mockClear();
      const ok = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 3 });
      opt.step();
      ok.step();
      expect(warn).not.toHaveBeenCalled();
      ok.step();
      ok.step();
      expect(() => ok.step()).toThrow(/OneCycleLR.step: tried to step 5 times; the specified number of total steps is 3/);
    } finally {
      warn.mockRestore();
    }
  });

  it("scheduler fields an optimizer's state dict carries: initialLr per group, never a default", () => {
    const opt = twoGroupSGD([0.1, 0.05]);
    new OneCycleLR(opt, { maxLr: [1, 2], totalSteps: 10, cycleMomentum: false });
    expect(opt.stateDict().paramGroups.map((g) => g.initialLr)).toEqual([0.04, 0.08]);
    expect(() => new Adam([zeros([1], { requiresGrad: true })], { initialLr: 0.1 } as never)).toThrow(/Adam: unknown option "initialLr"/);
    expect(() => new SGD([zeros([1], { requiresGrad: true })], { lr: 0.1, initialLr: 0.1 } as never)).toThrow(/SGD: unknown option "initialLr"/);
    const resumed = new Adam([{ params: [zeros([1], { requiresGrad: true })], initialLr: 0.5 }]);
    expect(resumed.paramGroups[0].initialLr).toBe(0.5);
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
    const run = (opt: Optimizer) => [new LinearLR(opt, { startFactor: 0.25, totalIters: 3 }), new CosineAnnealingLR(opt, { tMax: 7, etaMin: 0.001 })];
    const optA = twoGroupSGD([0.1, 0.05]);
    const schedsA = run(optA);
    for (let i = 0; i < 5; i++) {
      optA.step();
      schedsA.forEach((s) => s.step());
    }
    const saved = { opt: optA.stateDict(), scheds: schedsA.map((s) => s.stateDict()) };
    const optB = twoGroupSGD([0.3, 0.3]);
    const schedsB = run(optB);
    optB.loadStateDict(saved.opt);
    schedsB.forEach((s, i) => s.loadStateDict(saved.scheds[i]));
    expect(schedsB[1].lastEpoch).toBe(5);
    for (let i = 0; i < 12; i++) {
      optA.step();
      optB.step();
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
    opt.step();
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
