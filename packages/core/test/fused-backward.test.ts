/**
 * Unary ops run a fused one-pass backward when no graph of the gradient is recorded and their
 * Tensor-op rule under createGraph; the two must agree everywhere, kinks and extremes included.
 * Also: elementwiseOp, the public way to build such an op.
 */
import { describe, expect, it } from "vitest";
import { Tensor, tensor, grad, gradcheck, gradgradcheck, elementwiseOp, linear, randn, Generator } from "@tsgrad/core";

const gen = new Generator(9);
const special = [0, -0, 1e-300, -1e-300, 1, -1, 0.5, -2.5, 30, -30, 800, -800];

// Both gradients of op at x for a random upstream gradient: fused (plain) and Tensor-op (createGraph).
function bothPaths(op: (x: Tensor) => Tensor, values: number[]): [Tensor, Tensor] {
  const x = tensor(Float64Array.from(values), { requiresGrad: true });
  const g = randn([values.length], { dtype: "float64", generator: gen });
  const [fused] = grad(op(x), x, { gradOutputs: [g] });
  const [graph] = grad(op(x), x, { gradOutputs: [g], createGraph: true });
  expect(fused!.requiresGrad).toBe(false);
  return [fused!, graph!];
}

function expectSame(fused: Tensor, graph: Tensor, what: string): void {
  const a = fused.dataSync();
  const b = graph.dataSync();
  for (let i = 0; i < a.length; i++) {
    const same = (Number.isNaN(a[i]) && Number.isNaN(b[i])) || a[i] === b[i] || Math.abs(a[i] - b[i]) <= 1e-12 * Math.abs(b[i]) + 1e-300;
    if (!same) expect.fail(`${what}: element ${i} fused ${a[i]} vs graph ${b[i]}`);
  }
}

const POSITIVE: Array<[string, (x: Tensor) => Tensor]> = [
  ["log1p", (x) => x.log1p()], ["sqrt", (x) => x.sqrt()], ["rsqrt", (x) => x.rsqrt()],
  ["log2", (x) => x.log2()], ["log10", (x) => x.log10()], ["lgamma", (x) => x.lgamma()], ["digamma", (x) => x.digamma()],
  ["polygamma(2)", (x) => x.polygamma(2)], ["acosh", (x) => x.add(1).acosh()],
];
// Ops defined on (−1, 1) (logit on (0, 1)), fed values squashed into it.
const UNIT: Array<[string, (x: Tensor) => Tensor]> = [
  ["asin", (x) => x.asin()], ["acos", (x) => x.acos()], ["atanh", (x) => x.atanh()], ["erfinv", (x) => x.erfinv()],
  ["logit", (x) => x.abs().logit()], ["logit(eps)", (x) => x.abs().logit(0.1)],
];
const ANY: Array<[string, (x: Tensor) => Tensor]> = [
  ["expm1", (x) => x.clamp(null, 50).expm1()], ["square", (x) => x.square()], ["reciprocal", (x) => x.reciprocal()],
  ["abs", (x) => x.abs()], ["sin", (x) => x.sin()], ["cos", (x) => x.cos()], ["erf", (x) => x.erf()],
  ["sigmoid", (x) => x.sigmoid()], ["tanh", (x) => x.tanh()], ["relu", (x) => x.relu()],
  ["clamp", (x) => x.clamp(-1, 1)], ["clamp min only", (x) => x.clamp(0.5)],
  ["tan", (x) => x.tan()], ["atan", (x) => x.atan()], ["sinh", (x) => x.sinh()], ["cosh", (x) => x.cosh()],
  ["asinh", (x) => x.asinh()], ["exp2", (x) => x.exp2()], ["sinc", (x) => x.sinc()], ["erfc", (x) => x.erfc()],
  ["i0", (x) => x.i0()], ["frac", (x) => x.frac()],
];

describe("fused backward = Tensor-op backward", () => {
  for (const [name, op] of ANY) {
    it(`${name} at random points, kinks and extremes`, () => {
      const values = [...special, ...Array.from(randn([20], { dtype: "float64", generator: gen }).dataSync())];
      const [fused, graph] = bothPaths(op, values);
      expectSame(fused, graph, name);
    });
  }
  for (const [name, op] of POSITIVE) {
    it(`${name} on its domain`, () => {
      const values = [1e-300, 1e-8, 0.5, 1, 3, 800, ...Array.from(randn([20], { dtype: "float64", generator: gen }).abs().add(0.01).dataSync())];
      const [fused, graph] = bothPaths(op, values);
      expectSame(fused, graph, name);
    });
  }
  for (const [name, op] of UNIT) {
    it(`${name} on its domain`, () => {
      const values = [0, -0, 1e-300, 0.5, -0.5, 0.999999, -0.999999, ...Array.from(randn([20], { dtype: "float64", generator: gen }).tanh().dataSync())];
      const [fused, graph] = bothPaths(op, values);
      expectSame(fused, graph, name);
    });
  }
  it("relu and clamp give exactly PyTorch's kink values on the fused path", () => {
    const x = tensor([0, -1, 1, 2], { requiresGrad: true });
    x.relu().sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 1, 1]);
    x.grad = null;
    x.clamp(-1, 1).sum().backward();
    expect(x.grad!.toArray()).toEqual([1, 1, 1, 0]);
  });
});

describe("elementwiseOp", () => {
  const softsign = elementwiseOp({
    name: "softsign",
    expr: "x / (1 + Math.abs(x))",
    grad: (g, x) => g.div(x.abs().add(1).square()),
    backward: "(t = 1 + Math.abs(x), g / (t * t))",
  });

  it("builds an op with a gradFn, a gradient that passes gradcheck and gradgradcheck, and agreeing paths", () => {
    expect(softsign(tensor([-1, 3])).toArray()).toEqual([-0.5, 0.75]);
    const x = randn([6], { dtype: "float64", requiresGrad: true, generator: gen });
    expect(softsign(x).gradFn!.name).toBe("SoftsignBackward");
    expect(gradcheck((t) => softsign(t), [x])).toBe(true);
    expect(gradgradcheck((t) => softsign(t), [x])).toBe(true);
    const [fused, graph] = bothPaths((t) => softsign(t), [...special, 0.3]);
    expectSame(fused, graph, "softsign");
  });

  it("passes its scalar parameters p and q to the kernel and the rule", () => {
    const scaledShift = elementwiseOp({ name: "affine", expr: "p * x + q", grad: (g, _x, _y, p) => g.mul(p), backward: "g * p" });
    const x = tensor([1, 2], { requiresGrad: true });
    const y = scaledShift(x, 3, 1);
    expect(y.toArray()).toEqual([4, 7]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([3, 3]);
  });

  it("rejects a bad spec at definition time, naming the op", () => {
    const grad = (g: Tensor) => g;
    expect(() => elementwiseOp({ name: "", expr: "x", grad })).toThrow("elementwiseOp: spec.name must be a non-empty string");
    expect(() => elementwiseOp({ name: "bad", expr: "x +* 2", grad })).toThrow(/elementwiseOp: bad: the forward expression "x \+\* 2" does not compile/);
    expect(() => elementwiseOp({ name: "bad", expr: "x", grad, backward: "g )" })).toThrow(/elementwiseOp: bad: the backward expression "g \)" does not compile/);
    expect(() => elementwiseOp({ name: "bad", expr: "x" } as never)).toThrow("elementwiseOp: bad: spec.grad must be a function (g, x, y, p, q) => Tensor");
    expect(() => softsign([1] as never)).toThrow("softsign: expected a Tensor, got object");
  });
});

describe("linear's first-order backward = its Tensor-op rule, bit for bit", () => {
  // [rows, in, out]: below and above the WASM product threshold, odd sizes, a single row and output.
  const SIZES: Array<[number, number, number]> = [[3, 2, 4], [64, 2, 32], [64, 32, 16], [7, 33, 1], [1, 5, 9], [65, 17, 3]];
  const layouts = ["contiguous", "transposed x", "transposed weight", "transposed gradient"] as const;
  for (const [rows, inF, outF] of SIZES) {
    for (const layout of layouts) {
      for (const withBias of [true, false]) {
        it(`[${rows}, ${inF}] → ${outF}, ${layout}, ${withBias ? "bias" : "no bias"}`, () => {
          const x = layout === "transposed x" ? randn([inF, rows], { generator: gen }).T : randn([rows, inF], { generator: gen });
          const w = layout === "transposed weight" ? randn([inF, outF], { generator: gen }).T : randn([outF, inF], { generator: gen });
          x.requiresGrad_();
          w.requiresGrad_();
          const b = withBias ? randn([outF], { generator: gen, requiresGrad: true }) : undefined;
          const g = layout === "transposed gradient" ? randn([outF, rows], { generator: gen }).T : randn([rows, outF], { generator: gen });
          const inputs = b ? [x, w, b] : [x, w];
          const plain = grad(linear(x, w, b), inputs, { gradOutputs: [g] });
          const graph = grad(linear(x, w, b), inputs, { gradOutputs: [g], createGraph: true });
          plain.forEach((p, i) => {
            expect(p!.requiresGrad).toBe(false);
            expect(p!.shape).toEqual(inputs[i].shape);
            expect(Array.from(p!.dataSync())).toEqual(Array.from(graph[i]!.dataSync()));
          });
        });
      }
    }
  }

  it("gives a gradient only to the inputs that require one", () => {
    const x = randn([8, 4], { generator: gen });
    const w = randn([3, 4], { generator: gen, requiresGrad: true });
    const b = randn([3], { generator: gen });
    linear(x, w, b).sum().backward();
    expect(w.grad!.shape).toEqual([3, 4]);
    expect(x.grad).toBeNull();
    expect(b.grad).toBeNull();
  });
});
