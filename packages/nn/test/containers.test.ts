/**
 * ModuleDict, ParameterList, ParameterDict, ModuleList / Sequential editing and slicing, the
 * Transformer clones' hooks, and the Module API against PyTorch: state-dict keys, orders, results
 * and prints from tools/fixtures/gen_nn_containers.py, each built here the same way.
 */
import { describe, it, expect } from "vitest";
import { Tensor, ones, zeros, tensor, typeNameOf } from "@tsgrad/core";
import {
  Module, Parameter, Linear, ReLU, Tanh, Sigmoid, Sequential, BatchNorm1d, ModuleDict, ParameterList, ParameterDict,
  ModuleList, Identity, TransformerEncoder, TransformerEncoderLayer,
} from "@tsgrad/nn";
import { loadFixture } from "../../../tools/test-utils.js";

interface Case { stateDict: string[]; parameters: string[]; buffers: string[]; modules: string[]; repr: string }
const fixture = loadFixture<{ net: Case; updates: { paramKeys: string[]; moduleKeys: string[]; repr: string }; empty: string[] }>(
  new URL("./fixtures/nn-containers.json", import.meta.url),
);
// PyTorch's prints with tsgrad's camelCase option names
const camel = (repr: string): string => repr.replace(/in_features/g, "inFeatures").replace(/out_features/g, "outFeatures").replace(/True/g, "true");

class ContainerNet extends Module {
  static override readonly typeName = "Net"; // PyTorch's class name; a unique JS name survives bundling
  // pairs, not an object literal: JavaScript puts an object's integer-like keys ("2") first
  heads = new ModuleDict([["cls", new Linear(4, 3)], ["2", new ReLU()], ["box", new Linear(4, 2)]]);
  scales = new ParameterList([new Parameter(ones([2, 3])), zeros([3], { dtype: "float64" })]);
  gates = new ParameterDict({ b: new Parameter(zeros([2])), a: new Parameter(zeros([1, 1])), 10: new Parameter(zeros([])) });
  steps = this.registerBuffer("steps", zeros([1]));
  cache = this.registerBuffer("cache", zeros([2]), { persistent: false });
  forward(x: Tensor) { return x; }
}

describe("containers match PyTorch", () => {
  it("state-dict keys, parameter, buffer and module names, in PyTorch's order", () => {
    const net = new ContainerNet();
    expect(Object.keys(net.stateDict())).toEqual(fixture.net.stateDict);
    expect(net.namedParameters().map(([n]) => n)).toEqual(fixture.net.parameters);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(fixture.net.buffers);
    expect(net.namedModules().map(([n]) => n)).toEqual(fixture.net.modules);
  });

  it("prints like PyTorch", () => {
    expect(new ContainerNet().toString()).toBe(camel(fixture.net.repr));
    expect([new ModuleDict().toString(), new ParameterList().toString(), new ParameterDict().toString()]).toEqual(fixture.empty);
  });

  it("update, pop, set and delete keep PyTorch's key order", () => {
    const d = new ParameterDict({ x: new Parameter(zeros([1])) });
    d.update([["z", new Parameter(zeros([2]))], ["y", new Parameter(zeros([3]))]]);
    d.pop("x");
    d.set("w", new Parameter(zeros([1])));
    expect(d.keys()).toEqual(fixture.updates.paramKeys);
    const md = new ModuleDict([["b", new Tanh()], ["a", new ReLU()]]);
    md.update({ c: new Sigmoid() });
    md.set("b", new ReLU());
    md.delete("a");
    expect(md.keys()).toEqual(fixture.updates.moduleKeys);
    expect(md.toString()).toBe(fixture.updates.repr);
  });

  it("state dicts round-trip through loadStateDict (strict)", () => {
    const a = new ContainerNet();
    const b = new ContainerNet();
    a.gates.get("b").data.set([3, 4]);
    (a.heads.get("cls") as Linear).weight.data.fill(0.5);
    b.loadStateDict(a.stateDict());
    expect(b.gates.get("b").toArray()).toEqual([3, 4]);
    expect((b.heads.get("cls") as Linear).weight.dataSync().every((v) => v === 0.5)).toBe(true);
  });

  it("ParameterList and ParameterDict wrap plain tensors; to() converts their parameters", () => {
    const net = new ContainerNet();
    expect(net.scales.at(1)).toBeInstanceOf(Parameter);
    expect(net.scales.at(-1).dtype).toBe("float64");
    net.to("float64");
    expect(net.gates.get("a").dtype).toBe("float64");
    expect(net.parameters().every((p) => p.dtype === "float64" && p instanceof Parameter)).toBe(true);
  });

  it("the dict API", () => {
    const d = new ModuleDict({ a: new ReLU() });
    expect([d.length, d.has("a"), d.has("b"), [...d]]).toEqual([1, true, false, ["a"]]);
    expect(d.items().map(([k, m]) => `${k}:${m}`)).toEqual(["a:ReLU()"]);
    expect(d.values()[0]).toBeInstanceOf(ReLU);
    expect(d.delete("zz")).toBe(false);
    d.clear();
    expect([d.length, d.namedChildren()]).toEqual([0, []]);
    const p = new ParameterDict();
    const w = p.setdefault("w", ones([2]));
    expect(p.setdefault("w", zeros([5]))).toBe(w);
    expect(p.get("nope", null)).toBeNull();
    const copy = p.copy();
    expect(copy.get("w")).toBe(w); // the same parameter, as PyTorch's shallow copy
    const list = new ParameterList([ones([1])]);
    list.append(zeros([2])).extend([zeros([3])]);
    list.set(0, new Parameter(ones([4])));
    expect([...list].map((q) => q.shape[0])).toEqual([4, 2, 3]);
  });

  it("bad keys and values throw naming the container", () => {
    expect(() => new ModuleDict({ training: new ReLU() })).toThrow(/ModuleDict\.set: key "training" is taken by a property of ModuleDict/);
    expect(() => new ModuleDict({ keys: new ReLU() })).toThrow(/"keys" is taken/);
    expect(() => new ParameterDict({ "x.y": ones([1]) })).toThrow(/ParameterDict\.set: key must be non-empty and contain no "\." \(got "x\.y"\)/);
    expect(() => new ModuleDict({ a: 3 as never })).toThrow(/ModuleDict\.set: expected a Module, got number 3/);
    expect(() => new ParameterList([3 as never])).toThrow(/ParameterList\.append: a list entry must be a Tensor or Parameter, got number 3/);
    expect(() => new ModuleDict().get("x")).toThrow(/ModuleDict: no key "x" \(keys: none\)/);
    expect(() => new ParameterList().at(0)).toThrow(/ParameterList: index 0 is out of range for 0 parameters/);
    expect(() => new ModuleDict().forward()).toThrow(/forward is not implemented/);
    expect(() => new ModuleDict("x" as never)).toThrow(/expected a Map, an array of \[key, value\] pairs or an object/);
    expect(() => new ParameterDict()).not.toThrow();
  });
});

describe("the Module API", () => {
  const net = () => new Sequential(new Linear(2, 4), new Sequential(new BatchNorm1d(4), new Linear(4, 1)));

  it("getSubmodule, getParameter and getBuffer follow dotted names (array fields included)", () => {
    const m = net();
    expect(m.getSubmodule("")).toBe(m);
    expect(m.getSubmodule("1.1")).toBe((m.at(1) as Sequential).at(1));
    expect(m.getParameter("1.1.weight").shape).toEqual([1, 4]);
    expect(m.getBuffer("1.0.running_mean")!.shape).toEqual([4]);
    expect(m.getBuffer("1.0.num_batches_tracked")!.dtype).toBe("int32");
    class ArrayFields extends Module {
      static override readonly typeName = "ArrayFields";
      blocks = [new Linear(1, 1), new Linear(1, 2)];
      weights = [new Parameter(ones([3]))];
      forward(x: Tensor) { return x; }
    }
    const a = new ArrayFields();
    expect(a.getSubmodule("blocks.1")).toBe(a.blocks[1]);
    expect(a.getParameter("blocks.1.bias").shape).toEqual([2]);
    expect(a.getParameter("weights.0")).toBe(a.weights[0]);
  });

  it("the getters throw naming what is missing", () => {
    const m = net();
    expect(() => m.getSubmodule("2")).toThrow(/getSubmodule: Sequential has no submodule "2" \(its submodules: 0, 1\)/);
    expect(() => m.getSubmodule("0.weight")).toThrow(/getSubmodule: Linear has no submodule "weight" \(its submodules: none\)/);
    expect(() => m.getParameter("0.scale")).toThrow(/getParameter: Linear has no parameter "scale" \(its parameters: weight, bias\)/);
    expect(() => m.getParameter("3.weight")).toThrow(/getParameter: Sequential has no submodule "3"/);
    expect(() => m.getBuffer("1.0.weight")).toThrow(/getBuffer: BatchNorm1d has no buffer "weight" \(its buffers: running_mean, running_var, num_batches_tracked\)/);
    expect(() => m.getParameter("")).toThrow(/getParameter: target must be a non-empty dotted path/);
  });

  it("registerParameter and registerModule set fields, found by the walk", () => {
    class Dyn extends Module {
      static override readonly typeName = "Dyn";
      forward(x: Tensor) { return x; }
    }
    const d = new Dyn();
    const p = d.registerParameter("alpha", new Parameter(ones([2])));
    d.registerModule("head", new Linear(2, 1));
    d.addModule("tail", null);
    d.registerParameter("beta", null);
    expect(p).toBe((d as unknown as { alpha: Parameter }).alpha);
    expect(Object.keys(d.stateDict())).toEqual(["alpha", "head.weight", "head.bias"]);
    d.registerParameter("alpha", new Parameter(zeros([1]))); // replacing a parameter is fine
    expect(d.getParameter("alpha").shape).toEqual([1]);
    expect(() => d.registerParameter("head", new Parameter(ones([1])))).toThrow(/registerParameter: Dyn already has a member "head" that is not a parameter/);
    expect(() => d.registerModule("alpha", new ReLU())).toThrow(/registerModule: Dyn already has a member "alpha" that is not a module/);
    expect(() => d.registerModule("training", new ReLU())).toThrow(/already has a member "training"/);
    expect(() => d.registerParameter("a.b", null)).toThrow(/parameter name must be non-empty and contain no "\."/);
    expect(() => d.registerParameter("gamma", ones([1]) as never)).toThrow(/cannot assign a Tensor.* to parameter "gamma" \(a Parameter or null is required/);
    expect(() => d.registerModule("m", 3 as never)).toThrow(/registerModule: "m" must be a Module or null, got number 3/);
    d.registerBuffer("buf", zeros([1]));
    expect(() => d.registerParameter("buf", null)).toThrow(/already has a member "buf"/);
  });

  it("requiresGrad_ freezes and unfreezes every parameter", () => {
    const m = net();
    m.requiresGrad_(false);
    expect(m.parameters().some((p) => p.requiresGrad)).toBe(false);
    m.getSubmodule("1").requiresGrad_();
    expect(m.parameters().map((p) => p.requiresGrad)).toEqual([false, false, true, true, true, true]);
    expect(() => m.requiresGrad_("yes" as never)).toThrow(/Sequential\.requiresGrad_: requiresGrad must be a boolean/);
  });

  it("zeroGrad defaults to setToNone (PyTorch 2), and zeroes in place with setToNone: false", () => {
    const m = new Linear(2, 1);
    m.forward(tensor([[1, 2]])).sum().backward();
    const g = m.weight.grad!;
    m.zeroGrad({ setToNone: false });
    expect(m.weight.grad).toBe(g); // the same tensor, zeroed
    expect(g.toArray()).toEqual([[0, 0]]);
    m.zeroGrad();
    expect([m.weight.grad, m.bias!.grad]).toEqual([null, null]);
  });
});

interface ListFixture {
  returns: { append: boolean; extend: boolean };
  steps: Record<string, string[] | string>;
  slices: Array<{ start: number | null; end: number | null; names: string[]; type: string; stateDict: string[] }>;
}
const lists = (fixture as unknown as { lists: ListFixture }).lists;
const typeNames = (ml: Iterable<Module>): string[] => [...ml].map((m) => typeNameOf(m));

describe("ModuleList and Sequential: append, extend, insert, pop and slicing as PyTorch", () => {
  it("append and extend return the list; insert and pop renumber the members and their state-dict keys", () => {
    const ml = new ModuleList([new Linear(1, 1), new ReLU()]);
    expect({ append: ml.append(new Tanh()) === ml, extend: ml.extend([new Sigmoid()]) === ml }).toEqual(lists.returns);
    ml.insert(1, new Identity());
    expect(typeNames(ml)).toEqual(lists.steps.insert);
    ml.insert(ml.length, new Linear(1, 1));
    expect(typeNames(ml)).toEqual(lists.steps.insertEnd);
    expect(Object.keys(ml.stateDict())).toEqual(lists.steps.stateDictAfterInsert);
    expect(typeNames([ml.pop(0)])[0]).toBe(lists.steps.pop0);
    expect(typeNames([ml.pop(-1)])[0]).toBe(lists.steps.popLast);
    expect(typeNames(ml)).toEqual(lists.steps.afterPops);
    expect(typeNames([ml.pop(1)])[0]).toBe(lists.steps.popMiddle);
    expect(typeNames(ml)).toEqual(lists.steps.afterPopMiddle);
    ml.append(new Linear(1, 1));
    expect(Object.keys(ml.stateDict())).toEqual(lists.steps.stateDictAfterPops);
    expect(Object.keys(ml)).not.toContain("4"); // the popped members' fields are gone
    expect(ml.length).toBe(4);
  });

  it("insert and pop take negative indices (Sequential's insert; PyTorch 1.13's ModuleList.insert has none)", () => {
    const seq = new Sequential(new Linear(2, 2), new ReLU(), new Tanh());
    seq.insert(-1, new Sigmoid()).insert(-4, new Identity());
    expect(typeNames(seq)).toEqual(lists.steps.sequentialInsertNegative);
    expect(typeNames([seq.pop(-2)])[0]).toBe(lists.steps.sequentialPop);
    expect(typeNames(seq)).toEqual(lists.steps.sequentialAfterPop);
    expect(seq.pop().constructor).toBe(Tanh); // default: the last, as Python's list.pop()
    expect(seq.forward(ones([1, 2])).shape).toEqual([1, 2]);
  });

  it("slice(start, end) is ml[start:end]: a new ModuleList sharing the members, numbered from 0", () => {
    const full = new ModuleList([new Linear(1, 1), new ReLU(), new Tanh(), new Sigmoid(), new Identity()]);
    for (const c of lists.slices) {
      const part = full.slice(c.start ?? undefined, c.end ?? undefined);
      expect([typeNameOf(part), typeNames(part), Object.keys(part.stateDict())]).toEqual([c.type, c.names, c.stateDict]);
    }
    expect(full.slice(0, 1).at(0)).toBe(full.at(0));
    const seq = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1)).slice(1);
    expect(seq).toBeInstanceOf(Sequential);
    expect(seq.forward(ones([4, 3])).shape).toEqual([4, 1]);
    expect(new ParameterList([ones([1]), zeros([2])]).slice(-1).at(0).shape).toEqual([2]);
  });

  it("bad indices and members throw naming the list", () => {
    const ml = new ModuleList([new ReLU()]);
    expect(() => ml.insert(3, new ReLU())).toThrow(/ModuleList\.insert: index 3 is out of range for 1 modules/);
    expect(() => ml.insert(-2, new ReLU())).toThrow(RangeError);
    expect(() => ml.insert(0.5, new ReLU())).toThrow(/ModuleList\.insert: index must be an integer, got number 0\.5/);
    expect(() => ml.insert(0, 3 as never)).toThrow(/ModuleList\.insert: expected a Module, got number 3/);
    expect(() => ml.pop(1)).toThrow(/ModuleList: index 1 is out of range for 1 modules/);
    expect(() => new ModuleList().pop()).toThrow(/out of range for 0 modules/);
    expect(() => ml.slice("1" as never)).toThrow(/ModuleList\.slice: start must be an integer, got "1"/);
    expect(() => ml.extend(undefined as never)).toThrow(/ModuleList\.extend: expected an iterable of modules, got undefined/);
    expect(ml.length).toBe(1); // nothing half-done
  });
});

describe("the Transformer stacks' clones carry the original layer's hooks (PyTorch's deepcopy)", () => {
  it("each clone runs the hooks with itself as the module; the original's handle removes only the original's", () => {
    const want = (fixture as unknown as { clonedHooks: Record<string, number> }).clonedHooks;
    const calls: unknown[] = [];
    const layer = new TransformerEncoderLayer(4, 1, { dimFeedforward: 8, dropout: 0 });
    const handle = layer.registerForwardHook((m) => void calls.push(m));
    layer.registerForwardPreHook(() => void calls.push("pre"));
    const encoder = new TransformerEncoder(layer, 2);
    const x = zeros([3, 1, 4]);
    encoder.forward(x);
    const first = calls.length;
    const modules = new Set(calls.filter((c) => c !== "pre"));
    expect([...modules].every((m) => m !== layer && [...encoder.layers].includes(m as Module))).toBe(true);
    handle.remove();
    encoder.forward(x);
    const afterRemove = calls.length - first;
    layer.forward(x);
    expect({ callsPerForward: first, distinctModules: modules.size, callsAfterRemovingOriginal: afterRemove, originalCallsAfterRemove: calls.length - first - afterRemove }).toEqual(want);
  });

  it("a clone's own new hooks run, and leave the original and the other clones alone", () => {
    const layer = new TransformerEncoderLayer(4, 1, { dimFeedforward: 8, dropout: 0 });
    layer.registerForwardHook(() => undefined);
    const encoder = new TransformerEncoder(layer, 2);
    const seen: number[] = [];
    encoder.layers.at(1).registerForwardHook(() => void seen.push(1));
    encoder.forward(zeros([2, 1, 4]));
    layer.forward(zeros([2, 1, 4]));
    expect(seen).toEqual([1]);
  });
});
