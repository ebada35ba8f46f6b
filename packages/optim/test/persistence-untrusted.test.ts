/**
 * Optimizer and LR-scheduler loadStateDict with untrusted state (issue "nothing silent", item
 * 11): keys are data, never prototype; a state dict that does not have the optimizer's layout is
 * refused with a message naming the parameter and the field. The dicts go through a real file
 * (`save`, tamper, `load`) where that is what a user would do.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Tensor, tensor, ones, serialize as serializeBytes } from "@tsgrad/core";
import { load } from "@tsgrad/core/node";

const serialize = (value: unknown): string => new TextDecoder().decode(serializeBytes(value));
import { Adam, SGD, StepLR, ReduceLROnPlateau, type AdamOptions, type OptimizerStateDict } from "@tsgrad/optim";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

const dir = mkdtempSync(join(tmpdir(), "tsgrad-optim-untrusted-"));
let fileCount = 0;

function params(): Tensor[] {
  return [tensor([[1, 2], [3, 4]]).requiresGrad_(), tensor([0.5, -0.5]).requiresGrad_()];
}

/** An Adam over two parameters after one step (so every buffer exists). */
function trainedAdam(): Adam {
  const ps = params();
  const opt = new Adam(ps, { lr: 0.1 });
  ps.forEach((p) => (p.grad = ones(p.shape)));
  opt.step();
  return opt;
}

/**
 * Adam's saved state as the raw JSON of a file, edited by `edit`, written and loaded back:
 * what a user loading a tampered or foreign checkpoint gets. `edit` works on parsed JSON, whose
 * "__proto__" keys are own properties; use {@link put} to add keys.
 */
function tamperedAdamState(edit: (json: { state: Record<string, Record<string, unknown>>; paramGroups: Array<Record<string, unknown>> }) => void): OptimizerStateDict<AdamOptions> {
  const file = JSON.parse(serialize(trainedAdam().stateDict()));
  edit(file.value);
  const path = join(dir, `adam${fileCount++}.json`);
  writeFileSync(path, JSON.stringify(file));
  return load(path) as OptimizerStateDict<AdamOptions>;
}

/** Defines `key` on `object` as an own data property ("__proto__" included). */
function put(object: object, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

const tensorJson = (values: number[]): unknown => JSON.parse(serialize(tensor(values))).value;

const adamRow = (what: string, error: BadInputRow["error"], names: string[], edit: Parameters<typeof tamperedAdamState>[0]): BadInputRow => ({
  what,
  call: () => trainedAdam().loadStateDict(tamperedAdamState(edit)),
  error,
  op: "Adam.loadStateDict",
  names,
});

const rows: BadInputRow[] = [
  adamRow('a "__proto__" field in a parameter\'s state', TypeError, ['unexpected field "__proto__" in the state of parameter 0', "step, expAvg, expAvgSq, maxExpAvgSq"], (s) =>
    put(s.state["0"], "__proto__", { step: 1e9 }),
  ),
  adamRow('a "constructor" field in a parameter\'s state', TypeError, ['unexpected field "constructor" in the state of parameter 1'], (s) => put(s.state["1"], "constructor", 1)),
  adamRow("PyTorch's snake_case exp_avg instead of expAvg", TypeError, ['unexpected field "exp_avg"'], (s) => {
    s.state["0"] = Object.fromEntries(Object.entries(s.state["0"]).map(([k, v]) => [k === "expAvg" ? "exp_avg" : k, v]));
  }),
  adamRow("a missing buffer", TypeError, ['the state of parameter 1 has no field "expAvgSq"'], (s) => {
    delete s.state["1"].expAvgSq;
  }),
  adamRow("a step saved as a string", TypeError, ['step of parameter 0 must be a number, got "1"'], (s) => {
    s.state["0"].step = "1";
  }),
  adamRow("a buffer saved as a number", TypeError, ["expAvg of parameter 1 must be a Tensor, got number 0"], (s) => {
    s.state["1"].expAvg = 0;
  }),
  adamRow("a lazily created buffer saved as a number", TypeError, ["maxExpAvgSq of parameter 0 must be null or a Tensor, got number 3"], (s) => {
    s.state["0"].maxExpAvgSq = 3;
  }),
  adamRow("a buffer of the wrong size", RangeError, ["expAvg of parameter 1 has shape [3]", "parameter has shape [2]"], (s) => {
    s.state["1"].expAvg = tensorJson([1, 2, 3]);
  }),
  adamRow('a state keyed "__proto__"', RangeError, ['the state refers to parameter "__proto__", which is in no saved parameter group'], (s) => put(s.state, "__proto__", s.state["0"])),
  adamRow('a state keyed "toString"', RangeError, ['parameter "toString", which is in no saved parameter group'], (s) => put(s.state, "toString", s.state["0"])),
  adamRow('a non-canonical index "01"', RangeError, ['parameter "01"'], (s) => put(s.state, "01", s.state["0"])),
  adamRow("a state that is null", TypeError, ["state of parameter 0 must be an object, got null"], (s) => {
    s.state["0"] = null as never;
  }),
  adamRow("a saved group that is null", TypeError, ["saved parameter group 0 must be an object, got null"], (s) => {
    s.paramGroups[0] = null as never;
  }),
  adamRow("parameter indices given as strings", TypeError, ['saved parameter group 0 lists "0" at params[0], not a parameter index'], (s) => {
    s.paramGroups[0].params = ["0", "1"];
  }),
  adamRow("a parameter index listed twice", RangeError, ["parameter index 0 appears more than once"], (s) => {
    s.paramGroups[0].params = [0, 0];
  }),
  adamRow("a fractional parameter index", TypeError, ["lists number 0.5 at params[1]"], (s) => {
    s.paramGroups[0].params = [0, 0.5];
  }),
  adamRow("a saved initialLr that is not a number", TypeError, ['initialLr of saved parameter group 0 must be a number, got "0.1"'], (s) => {
    s.paramGroups[0].initialLr = "0.1";
  }),
  {
    what: "a state dict whose state is null",
    call: () => trainedAdam().loadStateDict({ state: null, paramGroups: [] } as never),
    error: TypeError,
    op: "Adam.loadStateDict",
    names: ["expected an object with state and paramGroups"],
  },
  {
    what: "a state dict whose fields are inherited, not its own",
    call: () => trainedAdam().loadStateDict(Object.create(trainedAdam().stateDict()) as never),
    error: TypeError,
    op: "Adam.loadStateDict",
    names: ["expected an object with state and paramGroups"],
  },
  {
    what: 'a saved group option "__proto__"',
    call: () => trainedAdam().loadStateDict(tamperedAdamState((s) => put(s.paramGroups[0], "__proto__", { lr: 5 }))),
    error: TypeError,
    op: "Adam.loadStateDict",
    names: ['saved parameter group 0: unknown option "__proto__"'],
  },
  ...["__proto__", "constructor", "step"].map((key): BadInputRow => ({
    what: `a scheduler state with a "${key}" key`,
    call: () => {
      const sched = new StepLR(new SGD(params(), { lr: 0.1 }), { stepSize: 2 });
      const state = JSON.parse(serialize(sched.stateDict()));
      put(state.value, key, 1);
      sched.loadStateDict(load(writeFile(state)) as never);
    },
    error: TypeError,
    op: "StepLR.loadStateDict",
    names: [`unknown field "${key}"`],
  })),
  {
    what: "a scheduler field of the wrong kind",
    call: () => new StepLR(new SGD(params(), { lr: 0.1 }), { stepSize: 2 }).loadStateDict({ lastEpoch: "5" }),
    error: TypeError,
    op: "StepLR.loadStateDict",
    names: ['field "lastEpoch" must be a number, got "5"'],
  },
  {
    what: "a scheduler's per-group lrs for another number of groups",
    call: () => new StepLR(new SGD(params(), { lr: 0.1 }), { stepSize: 2 }).loadStateDict({ baseLrs: [0.1, 0.1] }),
    error: RangeError,
    op: "StepLR.loadStateDict",
    names: ['field "baseLrs" has 2 values, but the optimizer has 1 parameter groups'],
  },
  {
    what: "a scheduler array holding strings",
    call: () => new ReduceLROnPlateau(new SGD(params(), { lr: 0.1 })).loadStateDict({ minLrs: ["0"] }),
    error: TypeError,
    op: "ReduceLROnPlateau.loadStateDict",
    names: ['field "minLrs" must be an array of numbers'],
  },
  {
    what: "a scheduler state that is an array",
    call: () => new ReduceLROnPlateau(new SGD(params(), { lr: 0.1 })).loadStateDict([] as never),
    error: TypeError,
    op: "ReduceLROnPlateau.loadStateDict",
    names: ["expected an object, got an array"],
  },
];

function writeFile(json: unknown): string {
  const path = join(dir, `sched${fileCount++}.json`);
  writeFileSync(path, JSON.stringify(json));
  return path;
}

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("step");
});

describe("Optimizer and scheduler loadStateDict refuse malformed and hostile state", () => {
  for (const row of rows) it(row.what, () => expectBadInput(row));

  it("a refused load leaves the optimizer as it was", () => {
    const opt = trainedAdam();
    const before = serialize(opt.stateDict());
    expect(() => opt.loadStateDict(tamperedAdamState((s) => put(s.state["1"], "__proto__", {})))).toThrow(TypeError);
    expect(serialize(opt.stateDict())).toBe(before);
  });

  it("a good file loads into state objects with ordinary prototypes, and the trajectory continues exactly", () => {
    const a = trainedAdam();
    const b = trainedAdam();
    b.loadStateDict(tamperedAdamState(() => undefined));
    for (const s of b.state.values()) expect(Object.getPrototypeOf(s)).toBe(Object.prototype);
    for (const opt of [a, b]) {
      for (const p of opt.paramGroups[0].params) p.grad = ones(p.shape);
      opt.step();
    }
    expect(serialize(b.stateDict())).toBe(serialize(a.stateDict()));
  });
});
