/**
 * Module behaviour: parameter discovery by walking fields, dotted names, containers, modes,
 * buffers, state dicts (round trip, strict and non-strict errors), toString, and a custom layer
 * trained end to end with plain SGD.
 */
import { describe, it, expect } from "vitest";
import { Tensor, Generator, gradcheck, noGrad, ones, randn, tensor, zeros } from "@tsgrad/core";
import { Module, Parameter, Linear, Sequential, ModuleList, ReLU, Tanh, Dropout, Flatten, Identity, PReLU, F } from "@tsgrad/nn";

class Residual extends Module {
  fc = new Linear(4, 4);
  forward(x: Tensor): Tensor {
    return x.add(this.fc.forward(x).relu());
  }
}

class Encoder extends Module {
  fc1 = new Linear(3, 5);
  act = new ReLU();
  fc2 = new Linear(5, 2, { bias: false });
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
  }
}

class Net extends Module {
  scale = new Parameter(ones([2]));
  encoder = new Encoder();
  heads = [new Linear(2, 1), new Linear(2, 1)];
  extras = [new Parameter(zeros([1])), 42, "not a module"];
  notAParameter = randn([3], { requiresGrad: true });
  config = { hidden: 5 };
  forward(x: Tensor): Tensor {
    const h = this.encoder.forward(x).mul(this.scale);
    return this.heads[0].forward(h).add(this.heads[1].forward(h)).add(this.extras[0] as Parameter);
  }
}

const names = (m: Module): string[] => m.namedParameters().map(([n]) => n);

describe("parameters are found by walking fields", () => {
  it("in field order, nested, with arrays, PyTorch's dotted names", () => {
    const net = new Net();
    expect(names(net)).toEqual([
      "scale", "extras.0",
      "encoder.fc1.weight", "encoder.fc1.bias", "encoder.fc2.weight",
      "heads.0.weight", "heads.0.bias", "heads.1.weight", "heads.1.bias",
    ]);
    expect(net.parameters()).toHaveLength(9);
    expect(net.parameters()[0]).toBe(net.scale);
    expect(net.parameters({ recurse: false }).map((p) => p.shape)).toEqual([[2], [1]]);
    expect(net.namedParameters({ prefix: "model" })[0][0]).toBe("model.scale");
  });

  it("lists children and modules (pre-order) with their names", () => {
    const net = new Net();
    expect(net.namedChildren().map(([n]) => n)).toEqual(["encoder", "heads.0", "heads.1"]);
    expect(net.children()[0]).toBe(net.encoder);
    expect(net.namedModules().map(([n, m]) => `${n}:${m.constructor.name}`)).toEqual([
      ":Net", "encoder:Encoder", "encoder.fc1:Linear", "encoder.act:ReLU", "encoder.fc2:Linear", "heads.0:Linear", "heads.1:Linear",
    ]);
    expect(net.modules()).toHaveLength(7);
  });

  it("lists a shared parameter or module once", () => {
    class Tied extends Module {
      embed = new Linear(3, 3);
      same = this.embed;
      w = new Parameter(zeros([2]));
      alias = [this.w];
      forward(x: Tensor): Tensor {
        return this.same.forward(x);
      }
    }
    const t = new Tied();
    expect(names(t)).toEqual(["w", "embed.weight", "embed.bias"]);
    expect(t.children()).toEqual([t.embed]);
    expect(t.modules()).toHaveLength(2);
    // The state dict, like PyTorch's, keeps every name of a tied weight.
    expect(Object.keys(t.stateDict())).toEqual(["w", "alias.0", "embed.weight", "embed.bias", "same.weight", "same.bias"]);
  });

  it("survives a cycle (a child holding its parent)", () => {
    class Child extends Module {
      parent: Module | null = null;
      p = new Parameter(zeros([1]));
      forward(x: Tensor): Tensor { return x; }
    }
    class Parent extends Module {
      child = new Child();
      forward(x: Tensor): Tensor { return x; }
    }
    const p = new Parent();
    p.child.parent = p;
    expect(names(p)).toEqual(["child.p"]);
  });

  it("ignores plain tensors, even with requiresGrad", () => {
    const net = new Net();
    expect(net.parameters()).not.toContain(net.notAParameter);
  });
});

describe("Parameter", () => {
  it("is a leaf requiring grad that shares the wrapped tensor's data", () => {
    const t = tensor([1, 2, 3]);
    const p = new Parameter(t);
    expect(p).toBeInstanceOf(Tensor);
    expect(p.isLeaf && p.requiresGrad).toBe(true);
    expect(p.data).toBe(t.data);
    expect(new Parameter(t, false).requiresGrad).toBe(false);
    const nonLeaf = tensor([1], { requiresGrad: true }).mul(2);
    expect(new Parameter(nonLeaf).isLeaf).toBe(true);
    expect(String(new Parameter(tensor([1, 2])))).toMatch(/^Parameter containing:\ntensor\(\[1\.?,\s+2\.?\], requiresGrad=true\)$/);
  });

  it("rejects non-tensors and integer tensors", () => {
    expect(() => new Parameter([1, 2] as unknown as Tensor)).toThrow("Parameter: expected a Tensor to wrap, got an array");
    expect(() => new Parameter(tensor([1], { dtype: "int32" }))).toThrow(/only floating-point tensors can require gradients/);
  });
});

describe("containers", () => {
  it("Sequential chains, is indexable and names its layers 0, 1, ...", () => {
    const g = new Generator(1);
    const seq = new Sequential(new Linear(2, 3, { generator: g }), new ReLU(), new Linear(3, 1, { generator: g }));
    expect(names(seq)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(seq.length).toBe(3);
    expect(seq[1]).toBeInstanceOf(ReLU);
    expect(seq.at(-1)).toBe(seq[2]);
    expect([...seq]).toHaveLength(3);
    const x = randn([4, 2]);
    const manual = (seq[2] as Linear).forward((seq[0] as Linear).forward(x).relu());
    expect(seq.forward(x).toArray()).toEqual(manual.toArray());
    seq.append(new Tanh());
    expect(seq.length).toBe(4);
    expect(seq.namedChildren().map(([n]) => n)).toEqual(["0", "1", "2", "3"]);
  });

  it("ModuleList registers its modules and has no forward", () => {
    class Deep extends Module {
      layers = new ModuleList([new Linear(2, 2), new Linear(2, 2)]);
      forward(x: Tensor): Tensor {
        for (const l of this.layers) x = l.forward(x);
        return x;
      }
    }
    const d = new Deep();
    expect(names(d)).toEqual(["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]);
    expect(d.forward(randn([1, 2])).shape).toEqual([1, 2]);
    expect(() => d.layers.forward()).toThrow(/^ModuleList: forward is not implemented; a ModuleList only holds modules/);
    d.layers.extend([new Linear(2, 2)]);
    expect(d.parameters()).toHaveLength(6);
  });

  it("reject non-modules and bad indices", () => {
    expect(() => new Sequential(new ReLU(), zeros([2]) as unknown as Module)).toThrow("Sequential: argument 1 is a Tensor of shape [2], expected a Module");
    expect(() => new ModuleList().append(3 as unknown as Module)).toThrow(/ModuleList.append: expected a Module, got number 3/);
    expect(() => new Sequential(new ReLU()).at(1)).toThrow("Sequential: index 1 is out of range for 1 modules");
  });

  it("Flatten and Identity", () => {
    expect(new Flatten().forward(zeros([8, 1, 4, 4])).shape).toEqual([8, 16]);
    expect(new Flatten(0, 1).forward(zeros([2, 3, 4])).shape).toEqual([6, 4]);
    const x = randn([3]);
    expect(new Identity().forward(x)).toBe(x);
  });
});

describe("train / eval, zeroGrad, apply", () => {
  it("train(false) and eval() reach every submodule; Dropout becomes the identity", () => {
    const seq = new Sequential(new Linear(4, 4), new Sequential(new Dropout(0.5)));
    expect(seq.modules().every((m) => m.training)).toBe(true);
    expect(seq.eval()).toBe(seq);
    expect(seq.modules().every((m) => !m.training)).toBe(true);
    const x = randn([5, 4]);
    const inner = (seq[1] as Sequential)[0];
    expect(inner.forward(x)).toBe(x);
    seq.train();
    expect(inner.training).toBe(true);
    expect(inner.forward(ones([1000])).eq(0).any().item()).toBe(1);
  });

  it("zeroGrad sets grads to null by default, or zeros them", () => {
    const fc = new Linear(3, 2);
    fc.forward(randn([4, 3])).sum().backward();
    const g = fc.weight.grad!;
    fc.zeroGrad({ setToNone: false });
    expect(fc.weight.grad).toBe(g);
    expect(g.abs().sum().item()).toBe(0);
    fc.zeroGrad();
    expect(fc.weight.grad).toBeNull();
    expect(fc.bias!.grad).toBeNull();
  });

  it("apply visits children before the parent (post-order)", () => {
    const seq = new Sequential(new Linear(1, 1), new Sequential(new ReLU()));
    const seen: string[] = [];
    expect(seq.apply((m) => seen.push(m.constructor.name))).toBe(seq);
    expect(seen).toEqual(["Linear", "ReLU", "Sequential", "Sequential"]);
  });
});

describe("buffers", () => {
  class Norm extends Module {
    weight = new Parameter(ones([3]));
    runningMean = this.registerBuffer("runningMean", zeros([3]));
    scratch = this.registerBuffer("scratch", ones([1]), { persistent: false });
    forward(x: Tensor): Tensor { return x.sub(this.runningMean).mul(this.weight); }
  }

  it("are listed and saved, but are not parameters", () => {
    const m = new Sequential(new Norm());
    expect(m.namedBuffers().map(([n]) => n)).toEqual(["0.runningMean", "0.scratch"]);
    expect(m.buffers()).toHaveLength(2);
    expect(names(m)).toEqual(["0.weight"]);
    expect(Object.keys(m.stateDict())).toEqual(["0.weight", "0.runningMean"]);
  });

  it("follow reassignment of their field and load from a state dict", () => {
    const n = new Norm();
    n.runningMean = tensor([1, 2, 3]);
    expect(n.buffers()[0]).toBe(n.runningMean);
    const other = new Norm();
    other.loadStateDict(n.stateDict());
    expect(other.runningMean.toArray()).toEqual([1, 2, 3]);
  });

  it("reject a bad name or value", () => {
    const n = new Norm();
    expect(() => n.registerBuffer("a.b", zeros([1]))).toThrow(/registerBuffer: buffer name must be a non-empty string without "\."/);
    expect(() => n.registerBuffer("weight", zeros([1]))).toThrow('registerBuffer: "weight" is already a parameter of Norm');
    expect(() => n.registerBuffer("x", [1] as unknown as Tensor)).toThrow('registerBuffer: buffer "x" must be a Tensor or null, got an array');
  });
});

describe("stateDict / loadStateDict", () => {
  it("holds detached tensors that share the parameters' data", () => {
    const fc = new Linear(2, 3);
    const sd = fc.stateDict();
    expect(Object.keys(sd)).toEqual(["weight", "bias"]);
    expect(sd.weight.requiresGrad).toBe(false);
    expect(sd.weight.data).toBe(fc.weight.data);
    noGrad(() => fc.weight.fill_(7));
    expect(sd.weight.toArray()).toEqual([[7, 7], [7, 7], [7, 7]]);
  });

  it("round-trips: a fresh model loaded from it computes the same outputs", () => {
    const a = new Net();
    const b = new Net();
    const x = randn([4, 3]);
    expect(a.forward(x).toArray()).not.toEqual(b.forward(x).toArray());
    const result = b.loadStateDict(a.stateDict());
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
    // Copies, not aliases: b keeps its own storage.
    expect(b.encoder.fc1.weight.data).not.toBe(a.encoder.fc1.weight.data);
    expect(b.encoder.fc1.weight.isLeaf && b.encoder.fc1.weight.requiresGrad).toBe(true);
    // A Map works too, and float64 values are cast to the parameters' dtype.
    const sd64 = new Map(Object.entries(a.stateDict()).map(([k, v]) => [k, v.double()] as [string, Tensor]));
    new Net().loadStateDict(sd64);
  });

  it("strict mode lists missing keys, unexpected keys and shape mismatches in one error", () => {
    const fc = new Linear(2, 3);
    const sd = { weight: zeros([3, 3]), extra: zeros([1]) };
    let message = "";
    try {
      fc.loadStateDict(sd);
    } catch (e) {
      expect(e).toBeInstanceOf(RangeError);
      message = (e as Error).message;
    }
    expect(message).toBe(
      "loadStateDict: error(s) loading state dict for Linear:\n" +
        '  missing keys: "bias"\n' +
        '  unexpected keys: "extra"\n' +
        "  size mismatch for weight: copying a tensor of shape [3, 3], the shape in this module is [3, 2]",
    );
    expect(fc.weight.abs().sum().item()).toBeGreaterThan(0); // nothing was copied
  });

  it("non-strict mode loads what matches and reports the rest (shape mismatches still throw, as PyTorch)", () => {
    const fc = new Linear(2, 3);
    const result = fc.loadStateDict({ bias: ones([3]), extra: zeros([1]) }, { strict: false });
    expect(result).toEqual({ missingKeys: ["weight"], unexpectedKeys: ["extra"] });
    expect(fc.bias!.toArray()).toEqual([1, 1, 1]);
    expect(() => fc.loadStateDict({ bias: ones([4]) }, { strict: false })).toThrow(/size mismatch for bias/);
  });

  it("rejects what is not a state dict", () => {
    const fc = new Linear(1, 1);
    expect(() => fc.loadStateDict(null as unknown as Record<string, Tensor>)).toThrow("loadStateDict: expected an object of tensors, got null");
    expect(() => fc.loadStateDict({ weight: [[1]] } as unknown as Record<string, Tensor>)).toThrow('loadStateDict: "weight" is an array of length 1, expected a Tensor');
  });
});

describe("toString prints the tree like PyTorch", () => {
  it("nested containers, extra reprs and leaf modules", () => {
    const model = new Sequential(new Linear(2, 32), new ReLU(), new Dropout(0.1), new Sequential(new Linear(32, 1, { bias: false }), new PReLU()), new Flatten());
    expect(model.toString()).toBe(
      [
        "Sequential(",
        "  (0): Linear(inFeatures=2, outFeatures=32, bias=true)",
        "  (1): ReLU()",
        "  (2): Dropout(p=0.1)",
        "  (3): Sequential(",
        "    (0): Linear(inFeatures=32, outFeatures=1, bias=false)",
        "    (1): PReLU(numParameters=1)",
        "  )",
        "  (4): Flatten(startDim=1, endDim=-1)",
        ")",
      ].join("\n"),
    );
    expect(String(new Residual())).toBe("Residual(\n  (fc): Linear(inFeatures=4, outFeatures=4, bias=true)\n)");
  });
});

describe("a custom layer without registration code", () => {
  it("gets parameters, a state dict, and learns with a few manual SGD steps", () => {
    const g = new Generator(3);
    const model = new Sequential(new Residual(), new Linear(4, 1, { generator: g }));
    expect(names(model)).toEqual(["0.fc.weight", "0.fc.bias", "1.weight", "1.bias"]);
    expect(Object.keys(model.stateDict())).toEqual(names(model));
    const x = randn([32, 4], { generator: g });
    const y = x.sum(1, true).mul(0.5);
    const lossOf = (): Tensor => model.forward(x).sub(y).square().mean();
    const before = lossOf().item();
    for (let i = 0; i < 20; i++) {
      model.zeroGrad();
      lossOf().backward();
      noGrad(() => {
        for (const p of model.parameters()) p.sub_(p.grad!, { alpha: 0.05 });
      });
    }
    const after = lossOf().item();
    expect(after).toBeLessThan(before * 0.5);
    expect(model.call(x).shape).toEqual([32, 1]);
    expect(F.linear(x, (model[1] as Linear).weight).shape).toEqual([32, 1]);
  });
});

describe("Module.to(dtype)", () => {
  class Tied extends Module {
    encoder = new Linear(3, 2);
    decoder = new Linear(2, 3);
    extra = [new Parameter(tensor([1, 2]))];
    counts = this.registerBuffer("counts", tensor([1, 2], { dtype: "int32" }));
    scale = this.registerBuffer("scale", tensor([0.5]));
    constructor() {
      super();
      this.decoder.weight = this.encoder.weight; // tied (shapes differ in PyTorch too; only identity matters here)
    }
    forward(x: Tensor): Tensor {
      return this.decoder.forward(this.encoder.forward(x));
    }
  }

  it("casts parameters, their grads and float buffers, keeps ints and weight tying, and returns the module", () => {
    const m = new Tied();
    const before = m.encoder.weight.toArray();
    m.encoder.weight.grad = ones([2, 3]);
    expect(m.double()).toBe(m);
    for (const [name, p] of m.namedParameters()) expect([name, p.dtype]).toEqual([name, "float64"]);
    expect(m.encoder.weight).toBeInstanceOf(Parameter);
    expect(m.encoder.weight.requiresGrad).toBe(true);
    expect(m.decoder.weight).toBe(m.encoder.weight);
    expect(m.encoder.weight.toArray()).toEqual(before); // float32 values are exact in float64
    expect(m.encoder.weight.grad!.dtype).toBe("float64");
    expect(m.extra[0].dtype).toBe("float64");
    expect(m.scale.dtype).toBe("float64");
    expect(m.counts.dtype).toBe("int32");
    expect(Object.keys(m.stateDict())).toContain("scale");
    expect(m.float().encoder.weight.dtype).toBe("float32");
  });

  it("makes a model gradcheck-able in float64", () => {
    const model = new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 1)).to("float64");
    const x = randn([3, 2], { dtype: "float64", requiresGrad: true });
    expect(gradcheck((x) => model.forward(x), [x])).toBe(true);
  });
});
