/**
 * torch.nn.init's remaining initialisers and every kaiming/xavier variant. Deterministic ones
 * (dirac_, eye_) equal PyTorch's output exactly; random ones are checked for their exact
 * properties (orthogonality, the QR sign convention, zeros per column, bounds) and statistically
 * against PyTorch's std/bound formulas (tools/fixtures/gen_nn_init.py), with tolerances of five
 * standard errors for the sample size.
 */
import { describe, it, expect } from "vitest";
import { Tensor, Generator, zeros, empty, eye, tensor, normalFill_, slice, type DType } from "@tsgrad/core";
import { init, Conv1d, Conv2d } from "@tsgrad/nn";
import { expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface Fixture {
  shape: number[];
  kaiming: Array<{ nonlinearity: init.Nonlinearity; a: number; mode: init.FanMode; std: number; bound: number }>;
  xavier: Array<{ gain: number; std: number; bound: number }>;
  dirac: Array<{ shape: number[]; groups: number; out: EncodedTensor }>;
  eye: Array<{ shape: number[]; out: EncodedTensor }>;
}
const fixture = loadFixture<Fixture>(new URL("./fixtures/nn-init.json", import.meta.url));

function moments(t: Tensor): { n: number; mean: number; std: number; min: number; max: number } {
  const v = t.to("float64").dataSync();
  const n = v.length;
  let mean = 0;
  for (const x of v) mean += x / n;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return { n, mean, std: Math.sqrt(ss / (n - 1)), min: Math.min(...v), max: Math.max(...v) };
}
// N(0, std²): the sample mean is within 5σ/√n, the sample std within 5/√(2n) relative.
function expectNormal(t: Tensor, std: number, what: string): void {
  const m = moments(t);
  expect(Math.abs(m.mean), `${what}: mean`).toBeLessThan((5 * std) / Math.sqrt(m.n));
  expect(Math.abs(m.std / std - 1), `${what}: std ${m.std} vs ${std}`).toBeLessThan(5 / Math.sqrt(2 * m.n));
}
// U(−b, b): inside the bound, reaching within 10/n of it (P(miss) ≈ e⁻¹⁰), std b/√3 within
// 5·0.447/√n relative (the sample std of a uniform has relative error √(0.8/n)/2).
function expectUniform(t: Tensor, bound: number, what: string): void {
  const m = moments(t);
  expect(m.min, `${what}: min`).toBeGreaterThanOrEqual(-bound);
  expect(m.max, `${what}: max`).toBeLessThanOrEqual(bound);
  expect(Math.max(-m.min, m.max), `${what}: reaches the bound`).toBeGreaterThan(bound * (1 - 10 / m.n));
  expect(Math.abs(m.std / (bound / Math.sqrt(3)) - 1), `${what}: std`).toBeLessThan((5 * 0.447) / Math.sqrt(m.n));
}

describe("kaiming and xavier, every nonlinearity and mode, against PyTorch's formulas", () => {
  const w = (): Tensor => empty(fixture.shape, { dtype: "float64" });
  it.each(fixture.kaiming.map((c) => [`${c.nonlinearity} a=${c.a} ${c.mode}`, c] as const))("kaiming %s", (_, c) => {
    const options = { a: c.a, mode: c.mode, nonlinearity: c.nonlinearity };
    expectUniform(init.kaimingUniform_(w(), { ...options, generator: new Generator(1) }), c.bound, "kaimingUniform_");
    expectNormal(init.kaimingNormal_(w(), { ...options, generator: new Generator(2) }), c.std, "kaimingNormal_");
  });
  it.each(fixture.xavier.map((c) => [c.gain, c] as const))("xavier gain=%s", (gain, c) => {
    expectUniform(init.xavierUniform_(w(), { gain, generator: new Generator(3) }), c.bound, "xavierUniform_");
    expectNormal(init.xavierNormal_(w(), { gain, generator: new Generator(4) }), c.std, "xavierNormal_");
  });
});

describe("truncNormal_", () => {
  // Moments of N(μ, σ²) truncated to [a, b], in closed form.
  const phi = (x: number): number => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  const cdf = (x: number): number => (1 + tensor(x / Math.SQRT2, { dtype: "float64" }).erf().item()) / 2;
  function truncated(mu: number, sigma: number, a: number, b: number): { mean: number; std: number } {
    const [al, be] = [(a - mu) / sigma, (b - mu) / sigma];
    const z = cdf(be) - cdf(al);
    const d = (phi(al) - phi(be)) / z;
    return { mean: mu + sigma * d, std: sigma * Math.sqrt(1 + (al * phi(al) - be * phi(be)) / z - d * d) };
  }
  it.each([
    [0, 1, -2, 2, "float64"], [0, 1, -1, 2, "float64"], [1, 0.5, 0, 3, "float32"], [-3, 2, -4, -1, "float64"], [0, 0.02, -0.04, 0.04, "float32"],
  ] as const)("N(%s, %s²) on [%s, %s] (%s): inside the bounds, PyTorch's moments", (mu, sigma, a, b, dtype) => {
    const t = init.truncNormal_(empty([40000], { dtype: dtype as DType }), mu, sigma, a, b, { generator: new Generator(5) });
    const m = moments(t);
    const want = truncated(mu, sigma, a, b);
    expect(m.min).toBeGreaterThanOrEqual(a);
    expect(m.max).toBeLessThanOrEqual(b);
    expect(Math.abs(m.mean - want.mean)).toBeLessThan((5 * want.std) / Math.sqrt(m.n));
    expect(Math.abs(m.std / want.std - 1)).toBeLessThan(5 / Math.sqrt(2 * m.n));
  });
  it("defaults to N(0, 1) on [−2, 2] and throws on bad bounds", () => {
    const m = moments(init.truncNormal_(empty([20000]), undefined, undefined, undefined, undefined, { generator: new Generator(6) }));
    expect(m.min).toBeGreaterThanOrEqual(-2);
    expect(m.max).toBeLessThanOrEqual(2);
    expect(() => init.truncNormal_(zeros([2]), 0, 1, 1, 1)).toThrow(/truncNormal_: expected a < b, got a=1, b=1/);
    expect(() => init.truncNormal_(zeros([2]), 0, 0)).toThrow(/truncNormal_: std must be positive, got 0/);
    expect(() => init.truncNormal_(zeros([2]), Number.NaN)).toThrow(/truncNormal_: mean must be a finite number/);
  });
});

describe("orthogonal_", () => {
  it.each([[[5, 3], "float64"], [[3, 5], "float64"], [[4, 4], "float32"], [[6, 2, 2], "float64"], [[2, 3, 2, 2], "float32"]] as const)(
    "%j %s: orthonormal rows or columns, times gain", (shape, dtype) => {
      const gain = 1.5;
      const w = init.orthogonal_(zeros([...shape], { dtype }), gain, { generator: new Generator(7) });
      const rows = shape[0];
      const flat = w.reshape([rows, -1]).to("float64");
      const gram = rows <= flat.shape[1] ? flat.matmul(flat.T) : flat.T.matmul(flat);
      const tol = dtype === "float64" ? 1e-12 : 1e-5;
      expect(gram.sub(eye(gram.shape[0], gram.shape[0], { dtype: "float64" }).mul(gain * gain)).abs().max().item()).toBeLessThan(tol);
    },
  );
  it("is the Q of the QR of the generator's normal samples with R's diagonal positive (PyTorch's sign fix)", () => {
    for (const [rows, cols] of [[6, 4], [4, 6]]) {
      const [m, n] = rows < cols ? [cols, rows] : [rows, cols];
      const samples = normalFill_(zeros([m, n], { dtype: "float64" }), 0, 1, new Generator(8));
      const w = init.orthogonal_(zeros([rows, cols], { dtype: "float64" }), 1, { generator: new Generator(8) });
      const q = rows < cols ? w.T : w;
      const r = q.T.matmul(samples).dataSync(); // R = Qᵀ·A, n×n
      for (let i = 0; i < n; i++) {
        expect(r[i * n + i]).toBeGreaterThan(0);
        for (let j = 0; j < i; j++) expect(Math.abs(r[i * n + j])).toBeLessThan(1e-12);
      }
      expect(q.matmul(new Tensor(Float64Array.from(r), [n, n], "float64")).sub(samples).abs().max().item()).toBeLessThan(1e-12);
    }
  });
  it("leaves an empty tensor alone and rejects 1-D ones", () => {
    expect(init.orthogonal_(zeros([0, 3])).shape).toEqual([0, 3]);
    expect(() => init.orthogonal_(zeros([3]))).toThrow(/orthogonal_: only tensors with 2 or more dimensions are supported \(got shape \[3\]\)/);
  });
});

describe("sparse_", () => {
  it.each([[0.1, 50, 8], [0.5, 7, 5], [0, 4, 3], [1, 4, 3], [0.3, 10, 4]] as const)("sparsity %s on [%s, %s]: ⌈sparsity·rows⌉ zeros in every column", (sparsity, rows, cols) => {
    const w = init.sparse_(zeros([rows, cols], { dtype: "float64" }), sparsity, 0.01, { generator: new Generator(9) });
    expect(w.eq(0).sum(0).toArray()).toEqual(new Array(cols).fill(Math.ceil(sparsity * rows)));
  });
  it("the rest is N(0, std²), and the zeros fall on different rows per column", () => {
    const w = init.sparse_(zeros([400, 100], { dtype: "float64" }), 0.25, 0.05, { generator: new Generator(10) });
    const v = w.dataSync().filter((x) => x !== 0);
    expect(v.length).toBe(300 * 100);
    expectNormal(new Tensor(Float64Array.from(v), [v.length], "float64"), 0.05, "sparse_ nonzeros");
    const patterns = new Set(Array.from({ length: 100 }, (_, c) => w.index(slice(), c).eq(0).dataSync().join()));
    expect(patterns.size).toBe(100);
  });
  it("throws on bad input", () => {
    expect(() => init.sparse_(zeros([2, 2, 2]), 0.5)).toThrow(/sparse_: only tensors with 2 dimensions are supported/);
    expect(() => init.sparse_(zeros([2, 2]), 1.5)).toThrow(/sparse_: sparsity must be in \[0, 1\], got 1\.5/);
  });
});

describe("dirac_ and eye_ equal PyTorch's", () => {
  it.each(fixture.dirac.map((c) => [c.shape, c.groups, c] as const))("dirac_ %j groups=%s", (shape, groups, c) => {
    expectClose(init.dirac_(empty([...shape]), groups), c.out, "dirac_", 0, 0);
  });
  it.each(fixture.eye.map((c) => [c.shape, c] as const))("eye_ %j", (shape, c) => {
    expectClose(init.eye_(empty([...shape])), c.out, "eye_", 0, 0);
  });
  it("a grouped conv with a dirac weight passes its input through", () => {
    const conv = new Conv2d(4, 4, 3, { padding: 1, groups: 2, bias: false });
    init.dirac_(conv.weight, 2);
    const x = tensor(Array.from({ length: 4 * 9 }, (_, i) => i)).reshape([1, 4, 3, 3]);
    expect(conv.forward(x).toArray()).toEqual(x.toArray());
    const c1 = new Conv1d(3, 3, 5, { padding: 2, bias: false });
    init.dirac_(c1.weight);
    expect(c1.forward(tensor([[[1, 2], [3, 4], [5, 6]]])).toArray()).toEqual([[[1, 2], [3, 4], [5, 6]]]);
  });
  it("throws on bad input", () => {
    expect(() => init.dirac_(zeros([2, 2]))).toThrow(/dirac_: only tensors with 3, 4, or 5 dimensions are supported \(got shape \[2, 2\]\)/);
    expect(() => init.dirac_(zeros([3, 2, 3]), 2)).toThrow(/dirac_: dim 0 \(3\) must be divisible by groups \(2\)/);
    expect(() => init.eye_(zeros([2, 2, 2]))).toThrow(/eye_: only 2-dimensional tensors are supported/);
    expect(() => init.eye_(zeros([2, 2], { dtype: "int32" }))).toThrow(/eye_: expected a floating-point tensor, got dtype int32/);
  });
});
