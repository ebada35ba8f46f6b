/**
 * Embedding and EmbeddingBag against PyTorch (tools/fixtures/gen_nn_sparse.py): PyTorch's state
 * dict loaded strictly, forward output, weight and per-sample-weight gradients, and the weight
 * after the step (maxNorm renormalizes in place), float64 to 1e-10 and float32 to 1e-5; the printed
 * form is PyTorch's. Then gradcheck / gradgradcheck of F.embedding and F.embeddingBag, fromPretrained,
 * the init, edge shapes and bad inputs.
 */
import { describe, it, expect } from "vitest";
import { Tensor, Generator, gradcheck, gradgradcheck, randn, tensor, zeros, ones, manualSeed } from "@tsgrad/core";
import { F, Embedding, EmbeddingBag } from "@tsgrad/nn";
import { decode, expectBadInput, expectClose, loadFixture, type BadInputRow, type EncodedTensor } from "../../../tools/test-utils.js";

interface Case {
  layer: "Embedding" | "EmbeddingBag";
  args: [number, number];
  options: Record<string, unknown>;
  dtype: "float32" | "float64";
  repr: string;
  stateBefore: Record<string, EncodedTensor>;
  input: EncodedTensor;
  offsets: EncodedTensor | null;
  perSampleWeights: EncodedTensor | null;
  y: EncodedTensor;
  gout: EncodedTensor;
  gweight: EncodedTensor;
  gPerSampleWeights: EncodedTensor | null;
  stateAfter: Record<string, EncodedTensor>;
}
const fixture = loadFixture<{ cases: Case[] }>(new URL("./fixtures/sparse.json", import.meta.url));

const tsgradRepr = (s: string): string =>
  s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/\bTrue\b/g, "true").replace(/\bFalse\b/g, "false");

describe("embeddings match PyTorch", () => {
  for (const c of fixture.cases) {
    it(`${c.layer}(${c.args.join(", ")}) ${JSON.stringify(c.options)} ${c.offsets ? "with offsets " : ""}${c.dtype}`, () => {
      const [rtol, atol] = c.dtype === "float64" ? [1e-10, 1e-10] : [1e-5, 1e-5];
      const options = { ...c.options, dtype: c.dtype };
      const m = c.layer === "Embedding" ? new Embedding(...c.args, options) : new EmbeddingBag(...c.args, options);
      expect(String(m)).toBe(tsgradRepr(c.repr));
      expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.stateBefore));
      m.loadStateDict(Object.fromEntries(Object.entries(c.stateBefore).map(([k, v]) => [k, decode(v)])));
      const input = decode(c.input);
      const psw = c.perSampleWeights ? decode(c.perSampleWeights, { requiresGrad: true }) : null;
      const y = m instanceof Embedding ? m.forward(input) : m.forward(input, c.offsets ? decode(c.offsets) : null, psw);
      expectClose(y, c.y, "output", rtol, atol);
      y.backward(decode(c.gout));
      expectClose(m.weight.grad!, c.gweight, "weight grad", rtol, atol);
      if (c.gPerSampleWeights) expectClose(psw!.grad!, c.gPerSampleWeights, "perSampleWeights grad", rtol, atol);
      for (const [k, v] of Object.entries(c.stateAfter)) expectClose(m.stateDict()[k], v, `state ${k}`, rtol, atol);
    });
  }
});

const gen = new Generator(11);
const w = (rows: number, dim: number): Tensor => randn([rows, dim], { dtype: "float64", generator: gen, requiresGrad: true });
const ix = (v: number[] | number[][]): Tensor => tensor(v, { dtype: "int32" });

describe("gradcheck of the functional forms (float64)", () => {
  const cases: Array<[string, (...t: Tensor[]) => Tensor, Tensor[]]> = [
    ["embedding", (weight) => F.embedding(ix([[0, 3], [3, 1]]), weight), [w(4, 3)]],
    // paddingIdx and scaleGradByFreq change the gradient on purpose (it is no longer the
    // derivative), so they are checked against PyTorch's values above, not by finite differences.
    ["embedding of a non-contiguous weight", (weight) => F.embedding(ix([2, 0, 2]), weight.T), [w(3, 4)]],
    ["embeddingBag sum with perSampleWeights", (weight, p) => F.embeddingBag(ix([0, 3, 3, 1]), weight, { offsets: ix([0, 1]), mode: "sum", perSampleWeights: p }), [w(4, 3), randn([4], { dtype: "float64", generator: gen, requiresGrad: true })]],
    ["embeddingBag mean with an empty bag and padding", (weight) => F.embeddingBag(ix([0, 3, 2, 1]), weight, { offsets: ix([0, 0, 2]), paddingIdx: 2 }), [w(4, 3)]],
    ["embeddingBag max", (weight) => F.embeddingBag(ix([[0, 3, 1], [2, 2, 1]]), weight, { mode: "max" }), [w(4, 3)]],
  ];
  for (const [name, fn, inputs] of cases) {
    it(name, () => {
      expect(gradcheck(fn, inputs)).toBe(true);
      expect(gradgradcheck(fn, inputs)).toBe(true);
    });
  }
});

describe("layers", () => {
  it("initialize N(0, 1) with the padding row zero, and keep its gradient zero", () => {
    manualSeed(0);
    const emb = new Embedding(2000, 8, { paddingIdx: 3 });
    const v = emb.weight.dataSync();
    const n = v.length - 8;
    let sum = 0;
    let sq = 0;
    for (const x of v) { sum += x; sq += x * x; }
    // Mean within 5 standard errors of 0, variance within 5 of 1 (the variance of x² is 2).
    expect(Math.abs(sum / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sq / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(emb.weight.narrow(0, 3, 1).abs().sum().item()).toBe(0);
    emb.forward(ix([3, 3, 1])).sum().backward();
    expect(emb.weight.grad!.narrow(0, 3, 1).abs().sum().item()).toBe(0);
    expect(emb.weight.grad!.narrow(0, 1, 1).toArray()).toEqual([[1, 1, 1, 1, 1, 1, 1, 1]]);
  });

  it("fromPretrained shares the weight, freezes it by default, and leaves the global random state alone", () => {
    const weights = tensor([[1, 2], [3, 4], [5, 6]]);
    manualSeed(5);
    const expected = randn([2]).toArray();
    manualSeed(5);
    const emb = Embedding.fromPretrained(weights, { paddingIdx: 1 });
    expect(randn([2]).toArray()).toEqual(expected);
    expect(emb.weight.requiresGrad).toBe(false);
    expect(emb.weight.dataSync()).toEqual(weights.dataSync());
    expect(emb.forward(ix([1])).toArray()).toEqual([[3, 4]]);
    expect(Embedding.fromPretrained(weights, { freeze: false }).weight.requiresGrad).toBe(true);
    const bag = EmbeddingBag.fromPretrained(weights.double(), { mode: "sum", freeze: false });
    expect(bag.weight.dtype).toBe("float64");
    expect(bag.forward(ix([[0, 2]])).toArray()).toEqual([[6, 8]]);
  });

  it("scaleGradByFreq divides each row's gradient by that row's count in the batch (embeddingBag too)", () => {
    const weight = zeros([7, 1], { dtype: "float64", requiresGrad: true });
    F.embeddingBag(ix([[1, 1, 4], [4, 1, 6]]), weight, { mode: "sum", scaleGradByFreq: true }).backward(tensor([[1], [10]], { dtype: "float64" }));
    expectClose(weight.grad!.reshape([-1]), tensor([0, 12 / 3, 0, 0, 11 / 2, 0, 10], { dtype: "float64" }), "bag", 1e-12, 1e-12);
    const w2 = zeros([7, 1], { dtype: "float64", requiresGrad: true });
    F.embedding(ix([[1, 1, 4], [4, 1, 6]]), w2, { scaleGradByFreq: true }).backward(tensor([[[1], [2], [3]], [[4], [5], [6]]], { dtype: "float64" }));
    expectClose(w2.grad!.reshape([-1]), tensor([0, (1 + 2 + 5) / 3, 0, 0, (3 + 4) / 2, 0, 6], { dtype: "float64" }), "embedding", 1e-12, 1e-12);
  });

  it("handle 0-d and empty inputs, and empty bags", () => {
    const weight = tensor([[1, 2], [3, 4]]);
    expect(F.embedding(tensor(1, { dtype: "int32" }), weight).toArray()).toEqual([3, 4]);
    expect(F.embedding(zeros([0, 3], { dtype: "int32" }), weight).shape).toEqual([0, 3, 2]);
    expect(F.embeddingBag(ix([1]), weight, { offsets: ix([0, 1, 1]) }).toArray()).toEqual([[3, 4], [0, 0], [0, 0]]);
    expect(F.embeddingBag(ix([1, 0]), weight, { offsets: ix([0, 0]), mode: "max" }).toArray()).toEqual([[0, 0], [3, 4]]);
  });
});

describe("embedding bad inputs", () => {
  const weight = ones([4, 2]);
  const rows: BadInputRow[] = [
    { what: "a float index", call: () => F.embedding(tensor([1]), weight), error: TypeError, op: "embedding", names: ["int32", "float32"] },
    { what: "an index out of range", call: () => F.embedding(ix([4]), weight), error: RangeError, op: "embedding", names: ["index 4", "4 rows"] },
    { what: "a negative index", call: () => F.embedding(ix([-1]), weight), error: RangeError, op: "embedding", names: ["index -1"] },
    { what: "a 1-D weight", call: () => F.embedding(ix([0]), ones([4])), error: RangeError, op: "embedding", names: ["2-D", "[4]"] },
    { what: "a number input", call: () => F.embedding(3 as never, weight), error: TypeError, op: "embedding", names: ["input", "number 3"] },
    { what: "sparse: true", call: () => new Embedding(4, 2, { sparse: true }), error: TypeError, op: "Embedding", names: ["sparse", "not supported"] },
    { what: "paddingIdx out of range", call: () => new Embedding(4, 2, { paddingIdx: 4 }), error: RangeError, op: "Embedding", names: ["paddingIdx", "[-4, 4)", "4"] },
    { what: "a fractional size", call: () => new Embedding(4.5, 2), error: RangeError, op: "Embedding", names: ["numEmbeddings", "4.5"] },
    { what: "a negative maxNorm", call: () => F.embedding(ix([0]), weight, { maxNorm: -1 }), error: RangeError, op: "embedding", names: ["maxNorm", "-1"] },
    { what: "fromPretrained of a 1-D tensor", call: () => Embedding.fromPretrained(ones([3])), error: RangeError, op: "Embedding.fromPretrained", names: ["2-D", "[3]"] },
    { what: "an unknown option", call: () => new EmbeddingBag(4, 2, { mdoe: "sum" } as never), error: TypeError, op: "EmbeddingBag", names: ["mdoe"] },
    { what: "a bad mode", call: () => F.embeddingBag(ix([[0]]), weight, { mode: "min" as never }), error: RangeError, op: "embeddingBag", names: ["mode", "min"] },
    { what: "a 1-D input without offsets", call: () => F.embeddingBag(ix([0, 1]), weight), error: TypeError, op: "embeddingBag", names: ["offsets"] },
    { what: "a 2-D input with offsets", call: () => F.embeddingBag(ix([[0, 1]]), weight, { offsets: ix([0]) }), error: TypeError, op: "embeddingBag", names: ["offsets must be null", "[1]"] },
    { what: "a 3-D input", call: () => F.embeddingBag(zeros([1, 1, 1], { dtype: "int32" }), weight), error: RangeError, op: "embeddingBag", names: ["1-D", "2-D", "[1, 1, 1]"] },
    { what: "offsets not starting at 0", call: () => F.embeddingBag(ix([0, 1]), weight, { offsets: ix([1]) }), error: RangeError, op: "embeddingBag", names: ["offsets[0]", "1"] },
    { what: "decreasing offsets", call: () => F.embeddingBag(ix([0, 1, 2]), weight, { offsets: ix([0, 2, 1]) }), error: RangeError, op: "embeddingBag", names: ["non-decreasing", "2 then 1"] },
    { what: "offsets past the input", call: () => F.embeddingBag(ix([0, 1]), weight, { offsets: ix([0, 3]) }), error: RangeError, op: "embeddingBag", names: ["index 3"] },
    { what: "perSampleWeights with mean", call: () => F.embeddingBag(ix([[0, 1]]), weight, { perSampleWeights: ones([1, 2]) }), error: TypeError, op: "embeddingBag", names: ["perSampleWeights", "\"sum\"", "\"mean\""] },
    { what: "perSampleWeights of the wrong shape", call: () => F.embeddingBag(ix([[0, 1]]), weight, { mode: "sum", perSampleWeights: ones([2]) }), error: RangeError, op: "embeddingBag", names: ["[2]", "[1, 2]"] },
    { what: "scaleGradByFreq with max", call: () => F.embeddingBag(ix([[0, 1]]), weight, { mode: "max", scaleGradByFreq: true }), error: TypeError, op: "embeddingBag", names: ["scaleGradByFreq", "max"] },
  ];
  for (const row of rows) it(row.what, () => expectBadInput(row));
});
