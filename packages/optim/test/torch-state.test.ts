/**
 * Optimizer state in PyTorch's layout (issue 12), both directions, against PyTorch itself:
 * - PyTorch trained 3 steps and torch.saved `optimizer.state_dict()` (tools/fixtures/gen_optim_torch.py);
 *   tsgrad loads the .pt with `loadTorch` into the matching optimizer and continues exactly as
 *   PyTorch continued (float64, the fixtures' quartic bowl).
 * - tsgrad trains the same 3 steps and writes `stateDict({ layout: "pytorch" })` with `saveTorch`;
 *   PyTorch's `optimizer.load_state_dict(torch.load(path))` takes it and continues exactly as
 *   PyTorch's own run did (tools/fixtures/check_optim_torch.py, when /usr/bin/python3 has torch).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Tensor, tensor } from "@tsgrad/core";
import { loadTorch, saveTorch } from "@tsgrad/core/node";
import { SGD, type Optimizer } from "@tsgrad/optim";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";
import { fixedGrad, freshParam, makeOptimizer, type GroupSpec, type OptimizerName } from "./helpers.js";

const bowl = loadFixture<{ init: EncodedTensor[]; curvature: EncodedTensor[]; target: EncodedTensor[] }>(new URL("./fixtures/optimizers.json", import.meta.url));
const fx = loadFixture<{
  resumeAt: number;
  cases: Record<string, { kind: OptimizerName; options: Record<string, unknown>; groups: GroupSpec[] | null; resumeFrom: EncodedTensor[]; trajectory: EncodedTensor[][] }>;
}>(new URL("./fixtures/torch-state.json", import.meta.url));
const curvature = bowl.curvature.map((e) => decode(e));
const target = bowl.target.map((e) => decode(e));
const ptFile = (name: string): string => fileURLToPath(new URL(`./fixtures/torch/${name}.pt`, import.meta.url));
const RTOL = 1e-12;

function train(params: Tensor[], opt: Optimizer, steps: number, each: (step: number) => void = () => {}): void {
  for (let s = 0; s < steps; s++) {
    params.forEach((p, i) => {
      p.grad = fixedGrad(p, curvature[i], target[i]);
    });
    opt.step();
    each(s);
  }
}

const python = "/usr/bin/python3";
const hasTorch = spawnSync(python, ["-c", "import torch"]).status === 0;
const checker = fileURLToPath(new URL("../../../tools/fixtures/check_optim_torch.py", import.meta.url));

describe("a PyTorch optimizer state dict (.pt) loads into the matching tsgrad optimizer", () => {
  for (const [name, c] of Object.entries(fx.cases)) {
    it(`${name}: training continues as PyTorch's did`, () => {
      const params = c.resumeFrom.map((e) => freshParam(decode(e)));
      // Other options than the saved ones: the file's groups must replace them.
      const opt = makeOptimizer(c.kind, params, { ...c.options, lr: 123 }, c.groups);
      opt.loadStateDict(loadTorch(ptFile(name)) as never);
      expect(opt.paramGroups.map((g) => g.lr)).toEqual((c.groups ?? [{} as Record<string, unknown>]).map((g) => (g.lr as number | undefined) ?? c.options.lr));
      train(params, opt, c.trajectory.length, (s) => params.forEach((p, i) => expectClose(p, c.trajectory[s][i], `${name}: step ${fx.resumeAt + s + 1}, param ${i}`, RTOL, 1e-14)));
    });
  }
});

describe.skipIf(!hasTorch)("tsgrad's optimizer state, saved in PyTorch's layout, loads into PyTorch's optimizer", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsgrad-optim-torch-"));
  for (const [name, c] of Object.entries(fx.cases)) {
    it(`${name}: torch.optim continues from it as from its own`, () => {
      const params = bowl.init.map((e) => freshParam(decode(e)));
      const opt = makeOptimizer(c.kind, params, c.options, c.groups);
      train(params, opt, fx.resumeAt);
      params.forEach((p, i) => expectClose(p, c.resumeFrom[i], `${name}: tsgrad's step ${fx.resumeAt}, param ${i}`, RTOL, 1e-14));
      const path = join(dir, `${name}.pt`);
      saveTorch(opt.stateDict({ layout: "pytorch" }), path);
      const resumeFrom = join(dir, `${name}.json`);
      writeFileSync(resumeFrom, JSON.stringify(c.resumeFrom));
      const run = spawnSync(python, [checker, name, path, resumeFrom], { encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      const out = JSON.parse(run.stdout) as { trajectory: EncodedTensor[][]; lrs: number[] };
      expect(out.lrs).toEqual(opt.paramGroups.map((g) => g.lr));
      out.trajectory.forEach((step, s) => step.forEach((p, i) => expectClose(decode(p), c.trajectory[s][i], `${name}: PyTorch's step ${fx.resumeAt + s + 1}, param ${i}`, RTOL, 1e-14)));
    });
  }
});

describe("the PyTorch layout", () => {
  it("renames fields and options, leaves out unused buffers, and round-trips through loadStateDict", () => {
    const w = tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const opt = makeOptimizer("Adam", [w], { lr: 0.1, weightDecay: 0.5 });
    w.grad = tensor([0.5, -1], { dtype: "float64" });
    opt.step();
    const sd = opt.stateDict({ layout: "pytorch" });
    expect(Object.keys(sd.state[0])).toEqual(["step", "exp_avg", "exp_avg_sq"]); // no max_exp_avg_sq without amsgrad
    expect(sd.param_groups[0]).toMatchObject({ lr: 0.1, weight_decay: 0.5, betas: [0.9, 0.999], amsgrad: false, params: [0] });
    const copy = makeOptimizer("Adam", [freshParam(w)], { lr: 1 });
    copy.loadStateDict(sd);
    expect(copy.stateDict()).toEqual(opt.stateDict());
  });

  it("refuses what does not fit, naming it", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
    const group = { lr: 0.1, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false, foreach: null, differentiable: false, params: [0] };
    expect(() => opt.loadStateDict({ state: {}, param_groups: [{ ...group, lr_warmup: 3 }] })).toThrow(/SGD.loadStateDict: saved parameter group 0.*lrWarmup/);
    expect(() => opt.loadStateDict({ state: { 0: { momentum_buffer: tensor([1, 2, 3]) } }, param_groups: [group] })).toThrow("SGD.loadStateDict: momentumBuffer of parameter 0 has shape [3], but the parameter has shape [2]");
    expect(() => opt.loadStateDict({ state: [], param_groups: "x" } as never)).toThrow(/SGD.loadStateDict: a PyTorch optimizer state dict has a "state" dict and a "param_groups" list/);
    const adam = makeOptimizer("Adam", [w], {});
    const adamGroup = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false, params: [0] };
    expect(() => adam.loadStateDict({ state: { 0: { step: tensor([1, 2]), exp_avg: tensor([0, 0]), exp_avg_sq: tensor([0, 0]) } }, param_groups: [adamGroup] })).toThrow("Adam.loadStateDict: step of parameter 0 must be a number or a one-element tensor, got a tensor of shape [2]");
  });
});
