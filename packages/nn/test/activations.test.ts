/**
 * Every activation, as a function and as a layer, against PyTorch (float64, 1e-6 relative):
 * forward values and input / weight gradients at kinks (exact 0), extremes (±800, ±1000) and
 * every option; plus a float64 gradcheck of each and the error messages.
 */
import { describe, it, expect } from "vitest";
import { Tensor, Generator, grad, gradcheck, gradgradcheck, randn, tensor, zeros } from "@tsgrad/core";
import {
  F, functional, Module, ReLU, LeakyReLU, PReLU, ELU, SiLU, Swish, GELU, Sigmoid, Tanh, Softmax, LogSoftmax,
  Softplus, Step, Identity, Linear, Hardtanh, ReLU6, Hardsigmoid, Hardswish, Mish, SELU, CELU, Softsign, LogSigmoid,
  Tanhshrink, Hardshrink, Softshrink, Threshold, GLU, Softmin, Softmax2d, RReLU,
} from "@tsgrad/nn";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface Options {
  negativeSlope?: number;
  alpha?: number;
  approximate?: "none" | "tanh";
  beta?: number;
  threshold?: number;
  dim?: number;
  minVal?: number;
  maxVal?: number;
  lambd?: number;
  value?: number;
  lower?: number;
  upper?: number;
}

interface Case {
  fn: string;
  options: Options;
  x: EncodedTensor;
  y: EncodedTensor;
  gout: EncodedTensor;
  gx: EncodedTensor;
  weight?: EncodedTensor;
  gweight?: EncodedTensor;
}

const { cases } = loadFixture<{ cases: Case[] }>(new URL("./fixtures/activations.json", import.meta.url));

/** Each activation once: its functional call and its layer, built from a fixture's options. */
const TABLE: Record<string, { call: (x: Tensor, o: Options, w?: Tensor) => Tensor; layer: (o: Options, w?: Tensor) => Module }> = {
  relu: { call: (x) => F.relu(x), layer: () => new ReLU() },
  leakyRelu: {
    call: (x, o) => (o.negativeSlope === undefined ? F.leakyRelu(x) : F.leakyRelu(x, o.negativeSlope)),
    layer: (o) => (o.negativeSlope === undefined ? new LeakyReLU() : new LeakyReLU(o.negativeSlope)),
  },
  elu: {
    call: (x, o) => (o.alpha === undefined ? F.elu(x) : F.elu(x, o.alpha)),
    layer: (o) => (o.alpha === undefined ? new ELU() : new ELU(o.alpha)),
  },
  prelu: {
    call: (x, _o, w) => F.prelu(x, w!),
    layer: (_o, w) => {
      const layer = new PReLU({ numParameters: w!.numel(), dtype: "float64" });
      layer.weight.requiresGrad_(false).copy_(w!);
      layer.weight.requiresGrad_(true);
      return layer;
    },
  },
  silu: { call: (x) => F.silu(x), layer: () => new SiLU() },
  gelu: { call: (x, o) => F.gelu(x, o), layer: (o) => new GELU(o) },
  softplus: { call: (x, o) => F.softplus(x, o), layer: (o) => new Softplus(o) },
  sigmoid: { call: (x) => F.sigmoid(x), layer: () => new Sigmoid() },
  tanh: { call: (x) => F.tanh(x), layer: () => new Tanh() },
  softmax: { call: (x, o) => F.softmax(x, o.dim!), layer: (o) => new Softmax(o.dim!) },
  logSoftmax: { call: (x, o) => F.logSoftmax(x, o.dim!), layer: (o) => new LogSoftmax(o.dim!) },
  step: { call: (x) => F.step(x), layer: () => new Step() },
  hardtanh: { call: (x, o) => F.hardtanh(x, o.minVal, o.maxVal), layer: (o) => new Hardtanh(o.minVal, o.maxVal) },
  relu6: { call: (x) => F.relu6(x), layer: () => new ReLU6() },
  hardsigmoid: { call: (x) => F.hardsigmoid(x), layer: () => new Hardsigmoid() },
  hardswish: { call: (x) => F.hardswish(x), layer: () => new Hardswish() },
  mish: { call: (x) => F.mish(x), layer: () => new Mish() },
  selu: { call: (x) => F.selu(x), layer: () => new SELU() },
  celu: { call: (x, o) => F.celu(x, o.alpha), layer: (o) => new CELU(o.alpha) },
  softsign: { call: (x) => F.softsign(x), layer: () => new Softsign() },
  logsigmoid: { call: (x) => F.logsigmoid(x), layer: () => new LogSigmoid() },
  tanhshrink: { call: (x) => F.tanhshrink(x), layer: () => new Tanhshrink() },
  hardshrink: { call: (x, o) => F.hardshrink(x, o.lambd), layer: (o) => new Hardshrink(o.lambd) },
  softshrink: { call: (x, o) => F.softshrink(x, o.lambd), layer: (o) => new Softshrink(o.lambd) },
  threshold: { call: (x, o) => F.threshold(x, o.threshold!, o.value!), layer: (o) => new Threshold(o.threshold!, o.value!) },
  glu: { call: (x, o) => F.glu(x, o.dim), layer: (o) => new GLU(o.dim) },
  // Eval mode: the mean slope (training draws random slopes, checked below).
  rrelu: { call: (x, o) => F.rrelu(x, { lower: o.lower, upper: o.upper }), layer: (o) => new RReLU({ lower: o.lower, upper: o.upper }).eval() },
  softmin: { call: (x, o) => F.softmin(x, o.dim!), layer: (o) => new Softmin(o.dim!) },
};

const label = (c: Case): string => `${c.fn}(${JSON.stringify(c.options)}) on [${c.x.shape.join(", ")}]`;

function checkCase(c: Case, run: (x: Tensor, w?: Tensor) => { y: Tensor; weight?: Tensor }): void {
  const x = decode(c.x, { requiresGrad: true });
  const w = c.weight ? decode(c.weight, { requiresGrad: true }) : undefined;
  const { y, weight } = run(x, w);
  expect(y.dtype).toBe("float64");
  expectClose(y, c.y, `${label(c)} forward`);
  y.backward(decode(c.gout));
  expectClose(x.grad!, c.gx, `${label(c)} input gradient`);
  if (c.gweight) expectClose(weight!.grad!, c.gweight, `${label(c)} weight gradient`);
}

describe("activations match PyTorch (values and gradients, float64)", () => {
  it("covers every activation of the table", () => {
    expect(new Set(cases.map((c) => c.fn))).toEqual(new Set(Object.keys(TABLE)));
  });

  for (const c of cases) {
    it(`F.${label(c)}`, () => {
      checkCase(c, (x, w) => ({ y: TABLE[c.fn].call(x, c.options, w), weight: w }));
    });
    it(`layer ${label(c)}`, () => {
      checkCase(c, (x, w) => {
        const layer = TABLE[c.fn].layer(c.options, w);
        return { y: layer.forward(x), weight: layer.parameters()[0] };
      });
    });
  }
});

describe("kinks and extremes", () => {
  const grad1 = (f: (x: Tensor) => Tensor, v: number): number => {
    const x = tensor([v], { dtype: "float64", requiresGrad: true });
    f(x).sum().backward();
    return x.grad!.item();
  };

  it("uses PyTorch's one-sided derivatives at exactly 0", () => {
    expect(grad1(F.relu, 0)).toBe(0);
    expect(grad1((x) => F.leakyRelu(x, 0.3), 0)).toBeCloseTo(0.3, 15);
    expect(grad1((x) => F.elu(x, 0.7), 0)).toBeCloseTo(0.7, 15);
    expect(grad1((x) => F.prelu(x, tensor([0.25], { dtype: "float64" })), 0)).toBeCloseTo(0.25, 15);
    expect(grad1(F.step, 0)).toBe(0);
    expect(F.step(tensor([0, -0, 1e-30, NaN])).toArray()).toEqual([0, 0, 1, 0]);
  });

  it("stays finite at ±800 / ±1000 in float32 too", () => {
    const x = tensor([-1000, -800, 800, 1000], { requiresGrad: true });
    for (const f of [F.sigmoid, F.silu, F.elu, F.softplus, F.gelu, (t: Tensor) => F.gelu(t, { approximate: "tanh" }), F.tanh]) {
      x.grad = null;
      const y = f(x);
      expect(y.dtype).toBe("float32");
      y.sum().backward();
      for (const v of [...y.dataSync(), ...x.grad!.dataSync()]) expect(Number.isFinite(v)).toBe(true);
    }
    expect(F.sigmoid(tensor([-800, 800])).toArray()).toEqual([0, 1]);
    expect(F.softmax(tensor([[1000, -1000]]), 1).toArray()).toEqual([[1, 0]]);
  });

  it("step passes a zero gradient, so a perceptron's weights get no learning signal", () => {
    const w = tensor([0.5, -0.2], { requiresGrad: true });
    const x = tensor([[1, 2], [-3, 1]]);
    const out = F.step(x.matmul(w));
    out.sub(tensor([0, 1])).square().sum().backward();
    expect(w.grad!.toArray()).toEqual([0, 0]);
  });
});

describe("gradcheck (float64 finite differences)", () => {
  const g = new Generator(7);
  // Away from the kinks, where finite differences straddle two slopes.
  const sample = (shape: number[]): Tensor => {
    const r = randn(shape, { dtype: "float64", generator: g });
    return r.add(r.sign().mul(0.05)).mul(2).requiresGrad_(true);
  };
  const fns: Array<[string, (x: Tensor) => Tensor]> = [
    ["relu", F.relu],
    ["leakyRelu", (x) => F.leakyRelu(x, 0.2)],
    ["elu", (x) => F.elu(x, 0.5)],
    ["silu", F.silu],
    ["gelu", F.gelu],
    ["gelu tanh", (x) => F.gelu(x, { approximate: "tanh" })],
    ["softplus", (x) => F.softplus(x, { beta: 2, threshold: 3 })],
    ["sigmoid", F.sigmoid],
    ["tanh", F.tanh],
    ["softmax", (x) => F.softmax(x, 1)],
    ["logSoftmax", (x) => F.logSoftmax(x, 0)],
    ["step", F.step],
    ["hardtanh", (x) => F.hardtanh(x, -2, 1.5)],
    ["relu6", (x) => F.relu6(x.mul(3))],
    ["hardsigmoid", F.hardsigmoid],
    ["hardswish", F.hardswish],
    ["mish", F.mish],
    ["selu", F.selu],
    ["celu", (x) => F.celu(x, 0.7)],
    ["softsign", F.softsign],
    ["logsigmoid", F.logsigmoid],
    ["tanhshrink", F.tanhshrink],
    ["hardshrink", (x) => F.hardshrink(x, 0.02)],
    ["softshrink", (x) => F.softshrink(x, 0.02)],
    ["threshold", (x) => F.threshold(x, 0.01, 3)],
    ["glu", (x) => F.glu(x, 1)],
    ["softmin", (x) => F.softmin(x, 0)],
    ["rrelu (eval)", (x) => F.rrelu(x)],
    ["rrelu (training, fixed draw)", (x) => F.rrelu(x, { training: true, generator: new Generator(3) })],
  ];
  for (const [name, f] of fns) {
    it(name, () => {
      expect(gradcheck(f, [sample([3, 4])])).toBe(true);
    });
  }
  it("prelu (input and per-channel weight)", () => {
    const w = tensor([0.1, -0.4, 0.8], { dtype: "float64", requiresGrad: true });
    expect(gradcheck(F.prelu, [sample([2, 3, 2]), w])).toBe(true);
  });
  it("second derivatives of the smooth ones (createGraph)", () => {
    for (const f of [F.silu, (x: Tensor) => F.gelu(x), (x: Tensor) => F.softplus(x), (x: Tensor) => F.elu(x), F.mish, F.selu,
      (x: Tensor) => F.celu(x, 0.7), F.softsign, F.logsigmoid, F.tanhshrink, (x: Tensor) => F.glu(x.narrow(0, 0, 4))]) {
      expect(gradgradcheck(f, [sample([5])])).toBe(true);
    }
  });
});

describe("the remaining activations", () => {
  it("RReLU draws a slope in [lower, upper] per element x <= 0 in training (its gradient), the mean slope in eval", () => {
    const x = tensor(Array.from({ length: 2000 }, (_, i) => (i % 2 ? -1 : 1)), { dtype: "float64", requiresGrad: true });
    const act = new RReLU({ lower: 0.1, upper: 0.3, generator: new Generator(1) });
    const y = act.forward(x);
    y.sum().backward();
    const slopes = x.grad!.dataSync().filter((_, i) => i % 2 === 1);
    const ys = y.dataSync();
    let sum = 0;
    slopes.forEach((s, j) => {
      expect(s).toBeGreaterThanOrEqual(0.1);
      expect(s).toBeLessThanOrEqual(0.3);
      expect(ys[2 * j + 1]).toBe(-s);
      sum += s;
    });
    // U(0.1, 0.3) has mean 0.2 and standard deviation 0.2/√12; 1000 draws: 5 standard errors.
    expect(Math.abs(sum / slopes.length - 0.2)).toBeLessThan((5 * 0.2) / Math.sqrt(12 * slopes.length));
    expect(new Set(slopes).size).toBeGreaterThan(900);
    expect(act.eval().forward(tensor([-1, 2], { dtype: "float64" })).toArray()).toEqual([-0.2, 2]);
    // PyTorch draws a slope at x = 0 too (the output stays 0); its gradient there is that slope.
    const z = tensor([0], { requiresGrad: true });
    new RReLU({ generator: new Generator(2) }).forward(z).sum().backward();
    expect(z.grad!.item()).toBeGreaterThanOrEqual(1 / 8);
  });

  it("Softmax2d normalizes over the channels of (C, H, W) and (N, C, H, W)", () => {
    const x = randn([2, 3, 4, 5]);
    expectClose(new Softmax2d().forward(x), F.softmax(x, 1), "4D");
    expectClose(new Softmax2d().forward(x.select(0, 0)), F.softmax(x.select(0, 0), 0), "3D");
    expect(() => new Softmax2d().forward(randn([3, 4]))).toThrow(/^Softmax2d: expected a 3D .* got shape \[3, 4\]/);
  });

  it("print their options like PyTorch's extra_repr, in camelCase", () => {
    expect(String(new Hardtanh())).toBe("Hardtanh(minVal=-1.0, maxVal=1.0)");
    expect(String(new ReLU6())).toBe("ReLU6()");
    expect(String(new CELU(0.5))).toBe("CELU(alpha=0.5)");
    expect(String(new Hardshrink())).toBe("Hardshrink(0.5)");
    expect(String(new Softshrink(0.25))).toBe("Softshrink(0.25)");
    expect(String(new Threshold(0.1, 20))).toBe("Threshold(threshold=0.1, value=20)");
    expect(String(new GLU())).toBe("GLU(dim=-1)");
    expect(String(new Softmin(1))).toBe("Softmin(dim=1)");
    expect(String(new RReLU())).toBe("RReLU(lower=0.125, upper=0.3333333333333333)");
  });

  it("reject bad options with the op's name", () => {
    expect(() => F.hardtanh(randn([2]), 1, -1)).toThrow(/^hardtanh: minVal \(1\) must not be greater than maxVal \(-1\)/);
    expect(() => new CELU(0)).toThrow(/^CELU: alpha must not be 0/);
    expect(() => F.hardshrink(randn([2]), -1)).toThrow(/^hardshrink: lambd must be >= 0, got -1/);
    expect(() => F.glu(randn([2, 3]))).toThrow(/^glu: halving dimension must be even, but dimension -1 of shape \[2, 3\] is size 3/);
    expect(() => F.glu(tensor(1))).toThrow(/^glu: does not support 0-d/);
    expect(() => F.rrelu(randn([2]), { lower: 0.5, upper: 0.1 })).toThrow(/^rrelu: lower \(0.5\) must not be greater than upper \(0.1\)/);
    expect(() => new RReLU({ lowr: 0.1 } as never)).toThrow(/^RReLU: unknown option "lowr"/);
    expect(() => F.threshold(randn([2]), "1" as never, 0)).toThrow(/^threshold: threshold must be a finite number/);
  });
});

describe("layers", () => {
  it("SiLU and Swish are the same layer, F and functional the same namespace", () => {
    expect(Swish).toBe(SiLU);
    expect(functional).toBe(F);
    expect(F.swish).toBe(F.silu);
  });

  it("keep the input dtype and shape", () => {
    const x = randn([2, 3, 4]);
    for (const layer of [new ReLU(), new LeakyReLU(), new ELU(), new SiLU(), new GELU(), new Sigmoid(), new Tanh(), new Softplus(), new Step(), new PReLU({ numParameters: 3 }), new Softmax(-1), new LogSoftmax(1), new Identity()]) {
      const y = layer.forward(x);
      expect(y.shape, layer.toString()).toEqual([2, 3, 4]);
      expect(y.dtype, layer.toString()).toBe("float32");
    }
  });

  it("print their options like PyTorch's extra_repr, in camelCase", () => {
    expect(String(new ReLU())).toBe("ReLU()");
    expect(String(new LeakyReLU(0.2))).toBe("LeakyReLU(negativeSlope=0.2)");
    expect(String(new ELU())).toBe("ELU(alpha=1.0)");
    expect(String(new PReLU({ numParameters: 4 }))).toBe("PReLU(numParameters=4)");
    expect(String(new GELU({ approximate: "tanh" }))).toBe('GELU(approximate="tanh")');
    expect(String(new Softplus())).toBe("Softplus(beta=1, threshold=20)");
    expect(String(new Softmax(1))).toBe("Softmax(dim=1)");
    expect(String(new LogSoftmax(-1))).toBe("LogSoftmax(dim=-1)");
  });

  it("PReLU has one learnable weight filled with init, refilled by resetParameters", () => {
    const p = new PReLU({ numParameters: 3, init: 0.1 });
    expect(p.namedParameters().map(([n, t]) => [n, t.shape])).toEqual([["weight", [3]]]);
    expect(Array.from(p.weight.dataSync())).toEqual([0.1, 0.1, 0.1].map(Math.fround));
    F.prelu(tensor([[-1, -1, -1]]), p.weight).sum().backward();
    expect(p.weight.grad!.toArray()).toEqual([-1, -1, -1]);
    p.weight.data.fill(3);
    p.resetParameters();
    expect(p.weight.toArray()).toEqual([0.1, 0.1, 0.1].map(Math.fround));
  });
});

describe("bad input gets a clear error", () => {
  it("names the op and the offending value", () => {
    expect(() => F.relu([1, 2] as unknown as Tensor)).toThrow(/relu: expected input to be a Tensor, got an array/);
    expect(() => F.leakyRelu(zeros([2]), "0.1" as unknown as number)).toThrow(/leakyRelu: negativeSlope must be a finite number, got "0.1"/);
    expect(() => F.elu(zeros([2]), NaN)).toThrow(TypeError);
    expect(() => F.gelu(zeros([2]), { approximate: "fast" as "tanh" })).toThrow(/gelu: approximate must be one of "none", "tanh", got "fast"/);
    expect(() => new GELU({ approximate: "erf" as "none" })).toThrow(RangeError);
    expect(() => F.softplus(zeros([2]), { beta: Infinity })).toThrow(/softplus: beta must be a finite number/);
    expect(() => F.softmax(zeros([2, 2]), undefined as unknown as number)).toThrow(/softmax: dim must be a finite number, got undefined/);
    expect(() => new LogSoftmax("1" as unknown as number)).toThrow('LogSoftmax: dim must be a finite number, got "1"');
    expect(() => new PReLU({ numParameters: 0 })).toThrow(/PReLU: numParameters must be an integer >= 1, got 0/);
  });

  it("prelu explains a weight that does not fit the channels", () => {
    expect(() => F.prelu(zeros([2, 5]), zeros([3]))).toThrow(
      "prelu: weight of shape [3] needs 1 value or one per channel, but the input [2, 5] has 5 channel(s) (dim 1)",
    );
    expect(() => F.prelu(zeros([4]), zeros([4]))).toThrow(/input \[4\] has 1 channel/);
    expect(() => new PReLU({ numParameters: 3 }).forward(zeros([2, 4]))).toThrow(RangeError);
  });

  it("Linear's input must end in inFeatures", () => {
    expect(() => new Linear(3, 2).forward(zeros([4, 5]))).toThrow(
      "linear: input of shape [4, 5] does not match weight [2, 3] (last dim must be 3)",
    );
  });
});

describe("fused activations: the one-pass backward agrees with the Tensor-op rule used under createGraph", () => {
  const points = [0, -0, 1e-8, -1e-8, 0.5, -0.5, 2, -2, 20, 21, -20, 30, -30, 800, -800, 1000, -1000];
  const cases: Array<[string, (x: Tensor) => Tensor]> = [
    ["leakyRelu", (x) => F.leakyRelu(x, 0.2)],
    ["elu", (x) => F.elu(x, 1.5)],
    ["silu", (x) => F.silu(x)],
    ["gelu", (x) => F.gelu(x)],
    ["softplus", (x) => F.softplus(x, { beta: 2, threshold: 15 })],
  ];
  for (const [name, f] of cases) {
    it(name, () => {
      const x = tensor(Float64Array.from(points), { requiresGrad: true });
      const g = tensor(Float64Array.from(points.map((_, i) => 1 + i / 10)));
      const [plain] = grad(f(x), x, { gradOutputs: [g] });
      const [graphed] = grad(f(x), x, { gradOutputs: [g], createGraph: true });
      const a = plain!.dataSync();
      const b = graphed!.dataSync();
      for (let i = 0; i < points.length; i++) {
        if (!(Math.abs(a[i] - b[i]) <= 1e-12 * Math.abs(b[i]) + 1e-300 || a[i] === b[i])) {
          expect.fail(`${name} at x = ${points[i]}: fused ${a[i]}, Tensor-op ${b[i]}`);
        }
      }
    });
  }
});
