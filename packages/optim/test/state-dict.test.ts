/** Optimizer stateDict / loadStateDict: copies, PyTorch's layout, bit-identical resumption, and errors. */
import { describe, expect, it } from "vitest";
import { Tensor, tensor } from "@tsgrad/core";
import { SGD, Adam, LBFGS, type Optimizer } from "@tsgrad/optim";
import { decode, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";
import { OPTIMIZERS, fixedGrad, freshParam, makeOptimizer, type GroupSpec, type OptimizerName } from "./helpers.js";

interface Fixture {
  init: EncodedTensor[]; curvature: EncodedTensor[]; target: EncodedTensor[];
  layouts: Record<string, { state: string[]; group: string[] }>;
}
const fx = loadFixture<Fixture>(new URL("./fixtures/optimizers.json", import.meta.url));
const init = fx.init.map((e) => decode(e));
const curvature = fx.curvature.map((e) => decode(e));
const target = fx.target.map((e) => decode(e));

function train(params: Tensor[], opt: { step(): unknown }, steps: number): void {
  for (let s = 0; s < steps; s++) {
    params.forEach((p, i) => {
      p.grad = fixedGrad(p, curvature[i], target[i]);
    });
    opt.step();
  }
}

// Every kind of buffer: momentum, AMSGrad max, centered average, accumulator; and mixed groups.
const CONFIGS: Array<[OptimizerName, Record<string, unknown>, GroupSpec[] | null]> = [
  ["SGD", { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }, null],
  ["Adam", { lr: 0.05, amsgrad: true }, [{ params: [2] }, { params: [0, 1], lr: 0.01, amsgrad: false }]],
  ["AdamW", { lr: 0.05, amsgrad: true, weightDecay: 0.1 }, null],
  ["RMSprop", { lr: 0.01, momentum: 0.5, centered: true }, null],
  ["Adagrad", { lr: 0.1, lrDecay: 0.05, initialAccumulatorValue: 0.2 }, null],
  ["Adadelta", { lr: 0.5, rho: 0.8, weightDecay: 0.1 }, [{ params: [1] }, { params: [0, 2], rho: 0.5 }]],
  ["Adamax", { lr: 0.05, weightDecay: 0.1 }, null],
  ["NAdam", { lr: 0.05, momentumDecay: 0.05, weightDecay: 0.1, decoupledWeightDecay: true }, null],
  ["RAdam", { lr: 0.05, betas: [0.9, 0.9] }, [{ params: [0] }, { params: [1, 2], weightDecay: 0.1 }]],
  ["ASGD", { lr: 0.05, t0: 2, lambd: 0.01 }, null],
  ["Rprop", { lr: 0.05, etas: [0.4, 1.3] }, null],
];

describe("resuming from a state dict continues bit for bit", () => {
  for (const [kind, options, groups] of CONFIGS) {
    it(`${kind} ${JSON.stringify(options)}`, () => {
      const params = init.map(freshParam);
      const opt = makeOptimizer(kind, params, options, groups);
      train(params, opt, 3);
      opt.paramGroups[0].lr *= 0.5; // a scheduler's change must be saved too
      const saved = opt.stateDict();
      const savedJSON = JSON.stringify(saved);
      const resumedParams = params.map(freshParam);
      train(params, opt, 4);
      expect(JSON.stringify(saved), "the saved state is a copy").toBe(savedJSON);

      const resumed = makeOptimizer(kind, resumedParams, { ...options, lr: 123 }, groups);
      resumed.loadStateDict(saved);
      expect(resumed.paramGroups.map((g) => g.lr)).toEqual(opt.paramGroups.map((g) => g.lr));
      train(resumedParams, resumed, 4);
      resumedParams.forEach((p, i) => expect(p.dataSync(), `param ${i}`).toEqual(params[i].dataSync()));
    });
  }
});

describe("state dict layout is PyTorch's, camelCased", () => {
  const camel = (key: string): string => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()).replace(/^H_diag$/, "HDiag");
  // PyTorch's bookkeeping options that tsgrad has no use for (single-tensor updates only).
  const notOptions = new Set(["params", "foreach", "differentiable", "capturable", "fused"]);
  // Buffers PyTorch adds only once used, which tsgrad's state holds as null from the start.
  const lazy: Record<string, string[]> = { Adam: ["maxExpAvgSq"], AdamW: ["maxExpAvgSq"], RMSprop: ["momentumBuffer", "gradAvg"] };
  // Options newer than PyTorch 1.13.
  const newer: Record<string, string[]> = { NAdam: ["maximize", "decoupledWeightDecay"], RAdam: ["maximize", "decoupledWeightDecay"], LBFGS: ["maximize"] };
  const all: Record<string, (params: Tensor[]) => Optimizer> = {
    ...Object.fromEntries(Object.keys(OPTIMIZERS).map((k) => [k, (ps: Tensor[]) => makeOptimizer(k as OptimizerName, ps, k === "SGD" ? { lr: 0.1 } : {})])),
    LBFGS: (ps) => new LBFGS(ps),
  };
  for (const [kind, layout] of Object.entries(fx.layouts)) {
    it(kind, () => {
      const params = init.map(freshParam);
      const opt = all[kind](params);
      opt.step(() => {
        params.forEach((p, i) => {
          p.grad = fixedGrad(p, curvature[i], target[i]);
        });
        return 0;
      });
      const sd = opt.stateDict();
      expect(Object.keys(sd.state[0]).sort()).toEqual([...layout.state.map(camel), ...(lazy[kind] ?? [])].sort());
      const { params: _ids, ...options } = sd.paramGroups[0];
      expect(Object.keys(options).sort()).toEqual([...layout.group.filter((k) => !notOptions.has(k)).map(camel), ...(newer[kind] ?? [])].sort());
    });
  }
});

describe("LBFGS state dict", () => {
  it("holds the flat history on the first parameter, and resuming continues bit for bit", () => {
    const closureFor = (params: Tensor[]) => () => {
      params.forEach((p, i) => {
        p.grad = fixedGrad(p, curvature[i], target[i]);
      });
      return params.reduce((sum, p) => sum + p.square().sum().item(), 0);
    };
    const params = init.map(freshParam);
    const opt = new LBFGS(params, { maxIter: 3, historySize: 4 });
    opt.step(closureFor(params));
    opt.step(closureFor(params));
    const saved = JSON.parse(JSON.stringify(opt.stateDict(), (_k, v: unknown) => (v instanceof Tensor ? { tensor: Array.from(v.dataSync()) } : v)), (_k, v: { tensor?: number[] }) =>
      v !== null && typeof v === "object" && Array.isArray(v.tensor) ? tensor(v.tensor, { dtype: "float64" }) : v);
    expect(Object.keys(saved.state)).toEqual(["0"]);
    expect((saved.state[0].d as Tensor).shape).toEqual([params.reduce((n, p) => n + p.numel(), 0)]);
    expect(saved.state[0].oldDirs.length).toBeGreaterThan(0);
    expect(saved.state[0].oldDirs.length).toBeLessThanOrEqual(4);
    const resumedParams = params.map(freshParam);
    const resumed = new LBFGS(resumedParams, { maxIter: 3, historySize: 4 });
    resumed.loadStateDict(saved);
    for (let i = 0; i < 3; i++) {
      opt.step(closureFor(params));
      resumed.step(closureFor(resumedParams));
    }
    resumedParams.forEach((p, i) => expect(p.dataSync(), `param ${i}`).toEqual(params[i].dataSync()));
    expect(() => resumed.loadStateDict({ ...saved, state: { 0: { ...saved.state[0], d: tensor([1, 2]) } } })).toThrow(
      /LBFGS.loadStateDict: d of parameter 0 has shape \[2\], but the state's buffers have shape \[23\]/,
    );
    expect(() => resumed.loadStateDict({ ...saved, state: { 0: { ...saved.state[0], ro: [1, "x"] } } })).toThrow(/ro\[1\] of parameter 0 must be a number or a Tensor/);
  });
});

describe("state dict layout", () => {
  it("refers to parameters by index and holds copies of the buffers, like PyTorch", () => {
    const [a, b, c] = init.map(freshParam);
    const opt = new Adam([{ params: [a, b] }, { params: [c], lr: 0.1 }], { lr: 0.01 });
    a.grad = tensor(new Float64Array(a.numel()).fill(1), { shape: a.shape, dtype: "float64" });
    c.grad = tensor(new Float64Array(c.numel()).fill(2), { shape: c.shape, dtype: "float64" });
    opt.step();
    const sd = opt.stateDict();
    expect(sd.paramGroups).toEqual([
      { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, params: [0, 1] },
      { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, params: [2] },
    ]);
    expect(Object.keys(sd.state)).toEqual(["0", "2"]); // b had no gradient: no state yet
    const s0 = sd.state[0];
    expect(s0.step).toBe(1);
    expect((s0.expAvg as Tensor).shape).toEqual(a.shape);
    expect((s0.expAvg as Tensor).dataSync()[0]).toBeCloseTo(0.1, 15);
    expect(s0.expAvg).not.toBe(opt.state.get(a)!.expAvg);
    sd.paramGroups[0].betas[0] = 0.5;
    expect(opt.paramGroups[0].betas[0]).toBe(0.9);
  });

  it("casts loaded buffers to the parameters' dtype", () => {
    const p64 = tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const opt64 = new SGD([p64], { lr: 0.1, momentum: 0.9 });
    p64.grad = tensor([0.5, 0.25], { dtype: "float64" });
    opt64.step();
    const p32 = tensor([1, 2], { requiresGrad: true });
    const opt32 = new SGD([p32], { lr: 0.1, momentum: 0.9 });
    opt32.loadStateDict(opt64.stateDict());
    const buf = opt32.state.get(p32)!.momentumBuffer!;
    expect(buf.dtype).toBe("float32");
    expect(buf.toArray()).toEqual([0.5, 0.25]);
  });

  it("rejects a state that does not fit the optimizer", () => {
    const [a, b, c] = init.map(freshParam);
    const two = new SGD([{ params: [a] }, { params: [b, c] }], { lr: 0.1, momentum: 0.9 });
    const one = new SGD([a, b, c], { lr: 0.1 });
    expect(() => one.loadStateDict(two.stateDict())).toThrow(/SGD.loadStateDict: the state has 2 parameter groups, the optimizer has 1/);
    const sizes = new SGD([{ params: [a, b] }, { params: [c] }], { lr: 0.1 });
    expect(() => sizes.loadStateDict(two.stateDict())).toThrow(/saved parameter group 0 has 1 parameters, the optimizer's has 2/);

    a.grad = fixedGrad(a, curvature[0], target[0]);
    two.step();
    const swapped = new SGD([{ params: [b] }, { params: [a, c] }], { lr: 0.1, momentum: 0.9 });
    expect(() => swapped.loadStateDict(two.stateDict())).toThrow(RangeError);
    expect(() => swapped.loadStateDict(two.stateDict())).toThrow(/momentumBuffer of parameter 0 has shape \[3, 4\], but the parameter has shape \[5\]/);

    const adam = new Adam([a], { lr: 0.1 });
    const sgd = new SGD([b], { lr: 0.1 });
    expect(() => sgd.loadStateDict(adam.stateDict() as never)).toThrow(/SGD.loadStateDict: saved parameter group 0: unknown option "betas"/);
    expect(() => sgd.loadStateDict({ state: {}, paramGroups: [{ lr: 0.1, params: [0] }], extra: 1 } as never)).not.toThrow();
    expect(() => sgd.loadStateDict({ state: { 3: {} }, paramGroups: [{ lr: 0.1, params: [0] }] } as never)).toThrow(
      /the state refers to parameter 3, which is in no saved parameter group/,
    );
    expect(() => sgd.loadStateDict(null as never)).toThrow(/SGD.loadStateDict: expected an object with state and paramGroups, got null/);
  });
});
