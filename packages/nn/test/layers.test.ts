/**
 * Linear (values and gradients vs PyTorch, gradcheck, default-init statistics), Dropout (rate,
 * scaling, gradient, eval), and the init functions (bounds and statistics from PyTorch's
 * formulas; calculateGain and fans vs PyTorch).
 */
import { describe, it, expect } from "vitest";
import { Tensor, Generator, empty, gradcheck, ones, randn, tensor, zeros } from "@tsgrad/core";
import { F, Linear, Dropout, Parameter, init } from "@tsgrad/nn";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface LinearCase {
  x: EncodedTensor;
  weight: EncodedTensor;
  bias: EncodedTensor | null;
  y: EncodedTensor;
  gout: EncodedTensor;
  gx: EncodedTensor;
  gweight: EncodedTensor;
  gbias: EncodedTensor | null;
}
interface Fixture {
  linear: LinearCase[];
  gains: Array<{ nonlinearity: init.Nonlinearity; param: number | null; gain: number }>;
  fans: Array<{ shape: number[]; fanIn: number; fanOut: number }>;
}
const fixture = loadFixture<Fixture>(new URL("./fixtures/nn.json", import.meta.url));

/** Mean and (population) standard deviation of a tensor's elements, plus min and max. */
function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const v = t.dataSync();
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    sum += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const mean = sum / v.length;
  let sq = 0;
  for (const x of v) sq += (x - mean) ** 2;
  return { mean, std: Math.sqrt(sq / v.length), min, max };
}

describe("F.linear and Linear", () => {
  for (const c of fixture.linear) {
    it(`match PyTorch for x [${c.x.shape.join(", ")}]${c.bias ? "" : " without bias"}`, () => {
      const x = decode(c.x, { requiresGrad: true });
      const w = decode(c.weight, { requiresGrad: true });
      const b = c.bias ? decode(c.bias, { requiresGrad: true }) : undefined;
      const y = F.linear(x, w, b);
      expectClose(y, c.y, "linear forward");
      y.backward(decode(c.gout));
      expectClose(x.grad!, c.gx, "linear dx");
      expectClose(w.grad!, c.gweight, "linear dW");
      if (c.gbias) expectClose(b!.grad!, c.gbias, "linear db");

      const layer = new Linear(w.shape[1], w.shape[0], { bias: Boolean(b), dtype: "float64" });
      layer.loadStateDict(b ? { weight: w, bias: b } : { weight: w });
      const y2 = layer.forward(decode(c.x));
      expectClose(y2, c.y, "Linear forward");
      y2.backward(decode(c.gout));
      expectClose(layer.weight.grad!, c.gweight, "Linear dW");
    });
  }

  it("passes gradcheck with and without bias", () => {
    const g = new Generator(5);
    const r = (shape: number[]): Tensor => randn(shape, { dtype: "float64", generator: g, requiresGrad: true });
    expect(gradcheck((x, w, b) => F.linear(x, w, b), [r([4, 3]), r([2, 3]), r([2])])).toBe(true);
    expect(gradcheck((x, w) => F.linear(x, w), [r([2, 4, 3]), r([5, 3])])).toBe(true);
  });

  it("has weight [out, in], bias [out], float32 by default or the dtype asked for", () => {
    const fc = new Linear(3, 5);
    expect(fc.weight.shape).toEqual([5, 3]);
    expect(fc.bias!.shape).toEqual([5]);
    expect(fc.weight.dtype).toBe("float32");
    expect(new Linear(3, 5, { dtype: "float64" }).weight.dtype).toBe("float64");
    expect(new Linear(3, 5, { bias: false }).bias).toBeNull();
    expect(new Linear(3, 5, { bias: false }).parameters()).toHaveLength(1);
  });

  it("initialises like PyTorch: weight and bias ~ U(−1/√in, 1/√in)", () => {
    const fc = new Linear(64, 2048, { generator: new Generator(0) });
    const bound = 1 / 8;
    const w = stats(fc.weight);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeLessThan(bound);
    expect(w.max - w.min).toBeGreaterThan(2 * bound * 0.999); // fills the interval
    expect(w.mean).toBeCloseTo(0, 2);
    expect(w.std / (bound / Math.sqrt(3))).toBeCloseTo(1, 1.5); // std of U(−b, b) is b/√3
    const b = stats(fc.bias!);
    expect(b.min).toBeGreaterThanOrEqual(-bound);
    expect(b.max).toBeLessThan(bound);
    expect(b.std / (bound / Math.sqrt(3))).toBeCloseTo(1, 1);
  });

  it("is reproducible with a generator and redraws on resetParameters", () => {
    const a = new Linear(4, 3, { generator: new Generator(9) });
    const b = new Linear(4, 3, { generator: new Generator(9) });
    expect(a.weight.toArray()).toEqual(b.weight.toArray());
    const before = a.weight.toArray();
    a.resetParameters();
    expect(a.weight.toArray()).not.toEqual(before);
    expect(a.weight.isLeaf && a.weight.requiresGrad).toBe(true);
  });

  it("rejects bad sizes and mismatched bias", () => {
    expect(() => new Linear(2.5, 3)).toThrow(new RangeError("Linear: inFeatures must be an integer >= 0, got 2.5"));
    expect(() => new Linear("2" as never, 3)).toThrow(new TypeError('Linear: inFeatures must be an integer >= 0, got "2"'));
    expect(() => new Linear(2, -1)).toThrow(new RangeError("Linear: outFeatures must be an integer >= 0, got -1"));
    expect(() => F.linear(zeros([2, 3]), zeros([3]))).toThrow("linear: weight must be 2-D [out, in], got shape [3]");
    expect(() => F.linear(zeros([2, 3]), zeros([4, 3]), zeros([3]))).toThrow("linear: bias must have shape [4], got [3]");
  });
});

describe("Dropout", () => {
  it("zeroes about p of the elements and scales the rest by 1/(1 − p)", () => {
    const n = 100_000;
    for (const p of [0.1, 0.5, 0.8]) {
      const y = F.dropout(ones([n]), p, true, new Generator(11));
      const values = y.dataSync();
      const scaled = Math.fround(1 / (1 - p));
      let zerosCount = 0;
      let others = 0;
      for (const v of values) {
        if (v === 0) zerosCount++;
        else if (v !== scaled) others++;
      }
      expect(others).toBe(0);
      // Binomial standard deviation √(p(1−p)/n) ≤ 0.0016; allow 4 of them.
      expect(Math.abs(zerosCount / n - p)).toBeLessThan(0.0064);
      expect(stats(y).mean).toBeCloseTo(1, 1); // expectation preserved
    }
  });

  it("backpropagates through the same mask and scale", () => {
    const x = randn([1000], { dtype: "float64", requiresGrad: true });
    const y = F.dropout(x, 0.3, true, new Generator(2));
    y.sum().backward();
    const yv = y.dataSync();
    const xv = x.dataSync();
    const gv = x.grad!.dataSync();
    for (let i = 0; i < yv.length; i++) {
      expect(gv[i]).toBe(yv[i] === 0 ? 0 : 1 / 0.7);
      if (yv[i] !== 0) expect(yv[i]).toBeCloseTo(xv[i] / 0.7, 12);
    }
  });

  it("is the identity when not training or p = 0, and zeros for p = 1", () => {
    const x = randn([10]);
    expect(F.dropout(x, 0.5, false)).toBe(x);
    expect(F.dropout(x, 0)).toBe(x);
    expect(F.dropout(x, 1).abs().sum().item()).toBe(0);
    const layer = new Dropout(0.5, { generator: new Generator(0) });
    expect(layer.forward(x)).not.toBe(x);
    expect(layer.eval().forward(x)).toBe(x);
  });

  it("is reproducible with a generator and checks p", () => {
    const a = new Dropout(0.5, { generator: new Generator(4) }).forward(ones([50]));
    const b = new Dropout(0.5, { generator: new Generator(4) }).forward(ones([50]));
    expect(a.toArray()).toEqual(b.toArray());
    expect(() => new Dropout(1.5)).toThrow("Dropout: dropout probability has to be between 0 and 1, but got 1.5");
    expect(() => F.dropout(ones([2]), -0.1)).toThrow(RangeError);
  });
});

describe("init", () => {
  it("calculateGain matches PyTorch", () => {
    for (const { nonlinearity, param, gain } of fixture.gains) {
      expect(init.calculateGain(nonlinearity, param ?? undefined), nonlinearity).toBeCloseTo(gain, 14);
    }
    expect(() => init.calculateGain("softmax" as init.Nonlinearity)).toThrow(/calculateGain: unsupported nonlinearity "softmax"/);
  });

  it("fans match PyTorch's _calculate_fan_in_and_fan_out", () => {
    for (const { shape, fanIn, fanOut } of fixture.fans) {
      expect(init.calculateFanInAndFanOut(zeros(shape))).toEqual([fanIn, fanOut]);
    }
    expect(() => init.calculateFanInAndFanOut(zeros([5]))).toThrow(/fewer than 2 dims \(shape \[5\]\)/);
  });

  const big = (shape = [256, 512]): Parameter => new Parameter(empty(shape, { dtype: "float64" }));
  const g = (): Generator => new Generator(123);
  // With 131072 samples the relative error of a sample std is ~0.2%; 2% is comfortably loose.
  const expectStd = (t: Tensor, std: number): void => {
    const s = stats(t);
    expect(Math.abs(s.mean)).toBeLessThan(std * 0.02);
    expect(s.std / std).toBeGreaterThan(0.98);
    expect(s.std / std).toBeLessThan(1.02);
  };
  const expectUniform = (t: Tensor, bound: number): void => {
    const s = stats(t);
    expect(s.min).toBeGreaterThanOrEqual(-bound);
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.max - s.min).toBeGreaterThan(2 * bound * 0.999);
    expectStd(t, bound / Math.sqrt(3));
  };

  it("xavierUniform_ / xavierNormal_: gain·√(6/(in+out)) bound, gain·√(2/(in+out)) std", () => {
    expectUniform(init.xavierUniform_(big(), { generator: g() }), Math.sqrt(6 / 768));
    expectUniform(init.xavierUniform_(big(), { gain: 2, generator: g() }), 2 * Math.sqrt(6 / 768));
    expectStd(init.xavierNormal_(big(), { generator: g() }), Math.sqrt(2 / 768));
    // conv-shaped weight: fans include the kernel size
    expectUniform(init.xavierUniform_(big([64, 32, 3, 3]), { generator: g() }), Math.sqrt(6 / (9 * 96)));
  });

  it("kaimingUniform_ / kaimingNormal_: gain·√(3/fan) bound, gain/√fan std", () => {
    const w = big();
    expectUniform(init.kaimingUniform_(w, { generator: g() }), Math.sqrt(2) * Math.sqrt(3 / 512));
    expectUniform(init.kaimingUniform_(w, { mode: "fanOut", nonlinearity: "relu", generator: g() }), Math.sqrt(2) * Math.sqrt(3 / 256));
    expectUniform(init.kaimingUniform_(w, { a: Math.sqrt(5), generator: g() }), 1 / Math.sqrt(512));
    expectStd(init.kaimingNormal_(w, { generator: g() }), Math.sqrt(2 / 512));
    expectStd(init.kaimingNormal_(w, { mode: "fanOut", nonlinearity: "tanh", generator: g() }), (5 / 3) / Math.sqrt(256));
    expect(() => init.kaimingNormal_(w, { mode: "fan_in" as init.FanMode })).toThrow('kaimingNormal_: mode must be one of "fanIn", "fanOut", got "fan_in"');
  });

  it("uniform_, normal_, constant_, zeros_, ones_", () => {
    const u = init.uniform_(big(), -2, 3, { generator: g() });
    const su = stats(u);
    expect(su.min).toBeGreaterThanOrEqual(-2);
    expect(su.max).toBeLessThan(3);
    expect(su.mean).toBeCloseTo(0.5, 1);
    const n = init.normal_(big(), 3, 0.5, { generator: g() });
    expect(stats(n).mean).toBeCloseTo(3, 2);
    expect(stats(n).std).toBeCloseTo(0.5, 2);
    expect(init.constant_(zeros([2]), 0.5).toArray()).toEqual([0.5, 0.5]);
    expect(init.ones_(zeros([2])).toArray()).toEqual([1, 1]);
    expect(init.zeros_(ones([2])).toArray()).toEqual([0, 0]);
    expect(() => init.uniform_(zeros([2]), 1, 0)).toThrow("uniform_: expected a <= b, got a=1, b=0");
    expect(() => init.normal_(zeros([2]), 0, -1)).toThrow("normal_: std must be non-negative, got -1");
    expect(() => init.xavierUniform_("w" as unknown as Tensor)).toThrow("xavierUniform_: expected input to be a Tensor, got \"w\"");
  });

  it("work in place on parameters under grad mode, record no graph, and are reproducible", () => {
    const p = big([4, 4]);
    const data = p.data;
    expect(init.kaimingUniform_(p, { generator: g() })).toBe(p);
    expect(p.data).toBe(data);
    expect(p.isLeaf && p.requiresGrad && p.grad === null).toBe(true);
    const q = big([4, 4]);
    init.kaimingUniform_(q, { generator: g() });
    expect(q.toArray()).toEqual(p.toArray());
    const emptyWeight = new Parameter(zeros([0, 3]));
    expect(init.xavierNormal_(emptyWeight)).toBe(emptyWeight);
    expect(() => init.normal_(tensor([1], { dtype: "int32" }))).toThrow("normal_: expected a floating-point tensor, got dtype int32");
  });
});
