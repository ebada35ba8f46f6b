/**
 * Recurrent layers against PyTorch (tools/fixtures/gen_nn_rnn.py): each case builds the layer,
 * checks its state-dict keys, order and shapes against PyTorch's (so an exported state dict loads
 * into PyTorch's key set), loads PyTorch's state dict with strict: true, and compares the output,
 * the final states and the gradients of the input, the initial state and every parameter (float64
 * to 1e-10, float32 to 1e-5). Then float64 gradcheck of every layer and cell (and gradgradcheck of
 * the fused LSTM op's two backward paths), dropout between layers, edge shapes and bad inputs.
 */
import { describe, it, expect } from "vitest";
import { Tensor, Generator, gradcheck, gradgradcheck, grad, noGrad, randn, zeros, ones } from "@tsgrad/core";
import { Module, RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell, Linear } from "@tsgrad/nn";
import { gruPointwise, gruPointwiseComposed, lstmPointwise, lstmPointwiseComposed } from "../src/rnn-kernels.js";
import { decode, expectBadInput, expectClose, loadFixture, type BadInputRow, type EncodedTensor } from "../../../tools/test-utils.js";

interface RnnCase {
  kind: "sequence" | "cell";
  layer: string;
  args: number[];
  options: Record<string, unknown>;
  dtype: "float32" | "float64";
  train: boolean;
  repr: string;
  stateKeys: string[];
  stateShapes: number[][];
  state: Record<string, EncodedTensor>;
  input: EncodedTensor;
  hx: EncodedTensor[] | null;
  output: EncodedTensor | null;
  finals: EncodedTensor[];
  gOutput: EncodedTensor | null;
  gFinals: EncodedTensor[];
  gInput: EncodedTensor;
  gHx: EncodedTensor[] | null;
  paramGrads: Record<string, EncodedTensor>;
}
const fixture = loadFixture<{ cases: RnnCase[] }>(new URL("./fixtures/rnn.json", import.meta.url));

const LAYERS: Record<string, new (i: number, h: number, o?: any) => Module> = { RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell };

/** PyTorch's repr in tsgrad's spelling: camelCase option names, JS literals. */
const tsgradRepr = (pytorch: string): string =>
  pytorch.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/\bTrue\b/g, "true").replace(/\bFalse\b/g, "false");

const tolerance = (dtype: string): [number, number] => (dtype === "float64" ? [1e-10, 1e-10] : [1e-5, 1e-5]);
const build = (c: RnnCase): Module => new LAYERS[c.layer](c.args[0], c.args[1], { ...c.options, dtype: c.dtype });

/** Runs the module on inputs and initial state; returns the tensors PyTorch returned, flattened. */
function run(m: Module, c: RnnCase, x: Tensor, hx: Tensor[] | null): { output: Tensor | null; finals: Tensor[] } {
  const pair = c.layer === "LSTM" || c.layer === "LSTMCell";
  const state = hx === null ? null : pair ? hx : hx[0];
  const result = m.forward(x, state) as Tensor | Tensor[];
  if (c.kind === "cell") return { output: null, finals: pair ? (result as Tensor[]) : [result as Tensor] };
  const [output, final] = result as [Tensor, Tensor | Tensor[]];
  return { output, finals: pair ? (final as Tensor[]) : [final as Tensor] };
}

describe("recurrent layers match PyTorch", () => {
  for (const c of fixture.cases) {
    const hxNote = c.hx ? " with hx" : "";
    it(`${c.layer}(${c.args.join(", ")}) ${JSON.stringify(c.options)} input ${JSON.stringify(c.input.shape)}${hxNote} ${c.dtype}`, () => {
      const [rtol, atol] = tolerance(c.dtype);
      const m = build(c);
      m.train(c.train);
      // Exported from tsgrad: PyTorch's key set, order and shapes.
      const own = m.stateDict();
      expect(Object.keys(own), "state-dict keys in PyTorch's order").toEqual(c.stateKeys);
      expect(Object.values(own).map((t) => t.shape)).toEqual(c.stateShapes);
      expect(String(m)).toBe(tsgradRepr(c.repr));
      m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v)]))); // strict
      const x = decode(c.input, { requiresGrad: true });
      const hx = c.hx ? c.hx.map((h) => decode(h, { requiresGrad: true })) : null;
      const { output, finals } = run(m, c, x, hx);
      if (output) {
        expect(output.dtype).toBe(c.dtype);
        expectClose(output, c.output!, "output", rtol, atol);
      }
      finals.forEach((f, k) => expectClose(f, c.finals[k], `final state ${k}`, rtol, atol));
      const outs = output ? [output, ...finals] : finals;
      const gOuts = [...(c.gOutput ? [c.gOutput] : []), ...c.gFinals].map((g) => decode(g));
      const params = Object.fromEntries(m.namedParameters());
      const wrt = [x, ...(hx ?? []), ...Object.values(params)];
      const grads = grad(outs, wrt, { gradOutputs: gOuts });
      expectClose(grads[0]!, c.gInput, "input grad", rtol, atol);
      (hx ?? []).forEach((_, k) => expectClose(grads[1 + k]!, c.gHx![k], `hx[${k}] grad`, rtol, atol));
      expect(Object.keys(params)).toEqual(Object.keys(c.paramGrads));
      Object.keys(params).forEach((k, i) => expectClose(grads[1 + (hx?.length ?? 0) + i]!, c.paramGrads[k], `${k} grad`, rtol, atol));
      // The state dict tsgrad exports loads strictly into a fresh layer of the same options.
      const fresh = build(c);
      fresh.loadStateDict(m.stateDict());
      expectClose(fresh.stateDict()[c.stateKeys[0]], c.state[c.stateKeys[0]], "reloaded", 0, 0);
    });
  }

  it("a non-contiguous input gives the same output and gradient (LSTM, batchFirst)", () => {
    const c = fixture.cases.find((k) => k.layer === "LSTM" && k.options.batchFirst === true)!;
    const m = build(c);
    m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v)])));
    // The same values as the fixture's input, stored time-major: a transposed (non-contiguous) view.
    const leaf = decode(c.input).transpose(0, 1).contiguous().requiresGrad_(true);
    const x = leaf.transpose(0, 1);
    expect(x.isContiguous()).toBe(false);
    const hx = c.hx!.map((h) => decode(h));
    const { output, finals } = run(m, c, x, hx);
    expectClose(output!, c.output!, "output", 1e-10, 1e-10);
    const [gx] = grad([output!, ...finals], [leaf], { gradOutputs: [c.gOutput!, ...c.gFinals].map((g) => decode(g)) });
    expectClose(gx!.transpose(0, 1), c.gInput, "input grad", 1e-10, 1e-10);
  });
});

const gen = new Generator(3);
const r = (shape: number[]): Tensor => randn(shape, { dtype: "float64", generator: gen, requiresGrad: true });
const f64 = { dtype: "float64" as const, generator: gen };

describe("gradcheck (float64)", () => {
  const layers: Array<[string, Module, number[], Tensor[]]> = [
    ["RNN tanh, 2 layers, bidirectional", new RNN(2, 3, { numLayers: 2, bidirectional: true, ...f64 }), [3, 2, 2], [r([4, 2, 3])]],
    ["RNN relu, batchFirst", new RNN(2, 3, { nonlinearity: "relu", batchFirst: true, ...f64 }), [2, 3, 2], [r([1, 2, 3])]],
    ["LSTM, 2 layers, bidirectional, projSize", new LSTM(2, 3, { numLayers: 2, bidirectional: true, projSize: 2, ...f64 }), [3, 2, 2], [r([4, 2, 2]), r([4, 2, 3])]],
    ["LSTM unbatched without bias", new LSTM(2, 3, { bias: false, ...f64 }), [3, 2], [r([1, 3]), r([1, 3])]],
    ["GRU, 2 layers, bidirectional", new GRU(2, 3, { numLayers: 2, bidirectional: true, ...f64 }), [3, 2, 2], [r([4, 2, 3])]],
  ];
  for (const [name, m, shape, hx] of layers) {
    it(name, () => {
      const x = r(shape);
      const fn = (xi: Tensor, ...rest: Tensor[]): Tensor[] => {
        const state = m instanceof LSTM ? [rest[0], rest[1]] as [Tensor, Tensor] : rest[0];
        const [out, final] = (m as RNN).forward(xi, state as Tensor);
        return [out, ...(Array.isArray(final) ? final : [final])];
      };
      expect(gradcheck(fn, [x, ...hx, ...m.parameters()])).toBe(true);
    });
  }

  const cells: Array<[string, Module, number[], Tensor[]]> = [
    ["RNNCell", new RNNCell(3, 2, f64), [2, 3], [r([2, 2])]],
    ["RNNCell relu unbatched", new RNNCell(3, 2, { nonlinearity: "relu", ...f64 }), [3], [r([2])]],
    ["LSTMCell", new LSTMCell(3, 2, f64), [2, 3], [r([2, 2]), r([2, 2])]],
    ["GRUCell", new GRUCell(3, 2, f64), [2, 3], [r([2, 2])]],
  ];
  for (const [name, m, shape, hx] of cells) {
    it(name, () => {
      const fn = (xi: Tensor, ...rest: Tensor[]): Tensor[] => {
        const out = m.forward(xi, m instanceof LSTMCell ? [rest[0], rest[1]] : rest[0]) as Tensor | Tensor[];
        return Array.isArray(out) ? out : [out];
      };
      expect(gradcheck(fn, [r(shape), ...hx, ...m.parameters()])).toBe(true);
      expect(gradgradcheck(fn, [r(shape), ...hx])).toBe(true);
    });
  }

  // The fused pointwise ops against their compositions: name, fused, composed, input shapes
  // (N = 3, H = 2), the upstream gradient's shape. Pre-activations ×3 reach σ's and tanh's flat parts.
  const pointwise: Array<[string, (...t: Tensor[]) => Tensor, (...t: Tensor[]) => Tensor, number[][], number[]]> = [
    ["LSTM", lstmPointwise, lstmPointwiseComposed, [[3, 8], [3, 2]], [2, 3, 2]],
    ["GRU", gruPointwise, gruPointwiseComposed, [[3, 6], [3, 6], [3, 2]], [3, 2]],
  ];
  for (const [name, fusedOp, composedOp, shapes, gShape] of pointwise) {
    it(`the fused ${name} op: both backward paths (gradcheck, gradgradcheck), and it equals the composition`, () => {
      const inputs = shapes.map((s) => r(s).mul(3).detach().requiresGrad_(true));
      expect(gradcheck(fusedOp, inputs)).toBe(true);
      expect(gradgradcheck(fusedOp, inputs)).toBe(true);
      const composed = composedOp(...inputs);
      expectClose(fusedOp(...inputs), composed, "forward", 1e-14, 1e-14);
      // Non-contiguous upstream gradient and inputs.
      const g = randn([...gShape].reverse(), f64).permute(...gShape.map((_, i) => gShape.length - 1 - i));
      const nc = inputs.map((t) => t.detach().T.contiguous().T.requiresGrad_(true));
      const a = grad([fusedOp(...nc)], nc, { gradOutputs: [g] });
      const b = grad([composed], inputs, { gradOutputs: [g] });
      a.forEach((t, i) => expectClose(t!, b[i]!, `grad ${i}`, 1e-13, 1e-13));
    });

    it(`the fused ${name} op in float32 agrees with the composition to float32 precision`, () => {
      const inputs = shapes.map((s) => randn([s[0] + 1, s[1]], { generator: gen }).mul(2).detach().requiresGrad_(true));
      const fused = fusedOp(...inputs);
      expect(fused.dtype).toBe("float32");
      expectClose(fused, composedOp(...inputs), "forward", 1e-6, 1e-6);
      const g = ones([...gShape.slice(0, -2), gShape.at(-2)! + 1, gShape.at(-1)!]);
      const a = grad([fused], inputs, { gradOutputs: [g] });
      const b = grad([composedOp(...inputs)], inputs, { gradOutputs: [g] });
      a.forEach((t, i) => expectClose(t!, b[i]!, `grad ${i}`, 1e-5, 1e-6));
    });
  }

  it("the fused ops refuse a backward after a saved input was modified in place", () => {
    const gates = r([2, 8]);
    const c = r([2, 2]);
    const hc = lstmPointwise(gates, c);
    noGrad(() => c.add_(1));
    expect(() => hc.sum().backward()).toThrow(/modified by an in-place operation/);
    const gi = r([2, 6]).requiresGrad_(true);
    const gh = r([2, 6]);
    const h = r([2, 2]);
    const out = gruPointwise(gi, gh, h);
    noGrad(() => gh.mul_(2));
    expect(() => out.sum().backward()).toThrow(/modified by an in-place operation/);
  });
});

describe("behaviour", () => {
  it("dropout acts between layers in training mode only", () => {
    const lstm = new LSTM(2, 3, { numLayers: 2, dropout: 1, generator: new Generator(0) });
    const a = randn([4, 1, 2]);
    const b = randn([4, 1, 2]);
    // p = 1 zeroes the second layer's input: the output no longer depends on the input.
    expectClose(lstm.forward(a)[0], lstm.forward(b)[0], "train, p = 1", 0, 0);
    lstm.eval();
    expect(lstm.forward(a)[0].sub(lstm.forward(b)[0]).abs().max().item()).toBeGreaterThan(1e-4);
    // In eval mode dropout is the identity: equal to the same weights without dropout.
    const plain = new LSTM(2, 3, { numLayers: 2 });
    plain.loadStateDict(lstm.stateDict());
    expectClose(lstm.forward(a)[0], plain.forward(a)[0], "eval", 0, 0);
  });

  it("a single layer has no dropout (the last layer's output is never dropped)", () => {
    const gru = new GRU(2, 3, { dropout: 1 });
    expect(gru.forward(ones([3, 1, 2]))[0].abs().sum().item()).toBeGreaterThan(0);
  });

  it("to(float64) replaces the weights in their fields, and forward reads the new ones", () => {
    const lstm = new LSTM(2, 3, { numLayers: 2, bidirectional: true }).to("float64");
    expect(lstm.allWeights.flat().every((p) => p.dtype === "float64")).toBe(true);
    const [out, [h, c]] = lstm.forward(randn([3, 2], { dtype: "float64" }));
    expect([out.dtype, h.dtype, c.dtype]).toEqual(["float64", "float64", "float64"]);
    expect(out.shape).toEqual([3, 6]);
  });

  it("an empty batch gives empty outputs of PyTorch's shapes", () => {
    const [out, [h, c]] = new LSTM(3, 4, { numLayers: 2 }).forward(zeros([5, 0, 3]));
    expect([out.shape, h.shape, c.shape]).toEqual([[5, 0, 4], [2, 0, 4], [2, 0, 4]]);
    expect(new GRUCell(3, 4).forward(zeros([0, 3])).shape).toEqual([0, 4]);
  });

  it("weights and defaults: PyTorch's init bound 1/√H, the fields behind the state-dict keys", () => {
    const rnn = new RNN(3, 16, { numLayers: 2, bidirectional: true });
    const all = rnn.allWeights;
    expect(all.length).toBe(4);
    for (const p of all.flat()) expect(p.abs().max().item()).toBeLessThanOrEqual(0.25);
    expect(rnn.stateDict()["weight_hh_l1_reverse"].shape).toEqual([16, 16]);
    expect(rnn.weightIhL0).toBe(all[0][0]);
    expect(new LSTM(3, 4, { projSize: 2 }).weightHrL0!.shape).toEqual([2, 4]);
    const cell = new LSTMCell(3, 4, { bias: false });
    expect(Object.keys(cell.stateDict())).toEqual(["weight_ih", "weight_hh"]);
  });

  it("a model with an LSTM and a Linear head trains (one SGD step lowers the loss)", () => {
    class Net extends Module {
      lstm = new LSTM(1, 8, { batchFirst: true, generator: new Generator(1) });
      head = new Linear(8, 1, { generator: new Generator(2) });
      forward(x: Tensor): Tensor {
        const [out] = this.lstm.forward(x);
        return this.head.forward(out.select(1, -1));
      }
    }
    const net = new Net();
    const x = randn([4, 6, 1], { generator: gen });
    const y = x.sum(1);
    const loss = (): Tensor => net.forward(x).sub(y).square().mean();
    const before = loss();
    before.backward();
    for (const p of net.parameters()) p.data.set(p.sub(p.grad!.mul(0.1)).dataSync());
    expect(loss().item()).toBeLessThan(before.item());
    expect(Object.keys(net.stateDict())).toEqual(["lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0", "head.weight", "head.bias"]);
  });
});

const bad = <T>(v: unknown): T => v as T;
const rows: BadInputRow[] = [
  { what: "LSTM input of the wrong size", call: () => new LSTM(3, 4).forward(ones([5, 2, 4])), error: RangeError, op: "LSTM", names: ["inputSize", "expected 3, got 4", "[5, 2, 4]"] },
  { what: "LSTM 4-D input", call: () => new LSTM(3, 4).forward(ones([5, 2, 3, 1])), error: RangeError, op: "LSTM", names: ["2-D (unbatched) or 3-D (batched)", "[5, 2, 3, 1]"] },
  { what: "RNN empty sequence", call: () => new RNN(3, 4).forward(ones([0, 2, 3])), error: RangeError, op: "RNN", names: ["sequence length", "[0, 2, 3]"] },
  { what: "LSTM h0 of the wrong batch", call: () => new LSTM(3, 4).forward(ones([5, 2, 3]), [ones([1, 3, 4]), ones([1, 2, 4])]), error: RangeError, op: "LSTM", names: ["hx[0]", "[1, 2, 4]", "[1, 3, 4]"] },
  { what: "LSTM c0 of the projected size", call: () => new LSTM(3, 4, { projSize: 2 }).forward(ones([5, 2, 3]), [ones([1, 2, 2]), ones([1, 2, 2])]), error: RangeError, op: "LSTM", names: ["hx[1]", "[1, 2, 4]", "[1, 2, 2]"] },
  { what: "GRU unbatched input with a 3-D hx", call: () => new GRU(3, 4).forward(ones([5, 3]), ones([1, 1, 4])), error: RangeError, op: "GRU", names: ["unbatched 2-D", "hx", "[1, 1, 4]"] },
  { what: "RNN hx of the wrong layers", call: () => new RNN(3, 4, { numLayers: 2 }).forward(ones([5, 2, 3]), ones([1, 2, 4])), error: RangeError, op: "RNN", names: ["hx", "[2, 2, 4]", "[1, 2, 4]"] },
  { what: "LSTM hx a single tensor", call: () => new LSTM(3, 4).forward(ones([5, 2, 3]), bad(ones([1, 2, 4]))), error: TypeError, op: "LSTM", names: ["pair [h0, c0]", "[1, 2, 4]"] },
  { what: "RNN float64 input into float32 weights", call: () => new RNN(3, 4).forward(ones([5, 2, 3], { dtype: "float64" })), error: TypeError, op: "RNN", names: ["float64", "float32"] },
  { what: "GRU hx of another dtype", call: () => new GRU(3, 4).forward(ones([5, 2, 3]), ones([1, 2, 4], { dtype: "float64" })), error: TypeError, op: "GRU", names: ["hx", "float64", "float32"] },
  { what: "RNN input a string", call: () => new RNN(3, 4).forward(bad("x")), error: TypeError, op: "RNN", names: ['"x"'] },
  { what: "RNN hx a number", call: () => new RNN(3, 4).forward(ones([5, 2, 3]), bad(0)), error: TypeError, op: "RNN", names: ["hx", "number 0"] },
  { what: "LSTM projSize not below hiddenSize", call: () => new LSTM(3, 4, { projSize: 4 }), error: RangeError, op: "LSTM", names: ["projSize", "4", "hiddenSize"] },
  { what: "LSTM negative projSize", call: () => new LSTM(3, 4, { projSize: -1 }), error: RangeError, op: "LSTM", names: ["projSize", "-1"] },
  { what: "RNN projSize (LSTM only)", call: () => new RNN(3, 4, bad({ projSize: 2 })), error: TypeError, op: "RNN", names: ["projSize"] },
  { what: "GRU nonlinearity (RNN only)", call: () => new GRU(3, 4, bad({ nonlinearity: "relu" })), error: TypeError, op: "GRU", names: ["nonlinearity"] },
  { what: "RNN unknown nonlinearity", call: () => new RNN(3, 4, { nonlinearity: bad("sigmoid") }), error: RangeError, op: "RNN", names: ["nonlinearity", '"sigmoid"'] },
  { what: "RNN dropout above 1", call: () => new RNN(3, 4, { dropout: 1.5 }), error: RangeError, op: "RNN", names: ["dropout", "1.5"] },
  { what: "GRU numLayers 0", call: () => new GRU(3, 4, { numLayers: 0 }), error: RangeError, op: "GRU", names: ["numLayers", "0"] },
  { what: "LSTM hiddenSize 0", call: () => new LSTM(3, 0), error: RangeError, op: "LSTM", names: ["hiddenSize", "0"] },
  { what: "RNN fractional inputSize", call: () => new RNN(2.5, 4), error: RangeError, op: "RNN", names: ["inputSize", "2.5"] },
  { what: "LSTM snake_case option", call: () => new LSTM(3, 4, bad({ num_layers: 2 })), error: TypeError, op: "LSTM", names: ["num_layers"] },
  { what: "LSTMCell 3-D input", call: () => new LSTMCell(3, 4).forward(ones([5, 2, 3])), error: RangeError, op: "LSTMCell", names: ["1-D or 2-D", "[5, 2, 3]"] },
  { what: "GRUCell input of the wrong size", call: () => new GRUCell(3, 4).forward(ones([2, 5])), error: RangeError, op: "GRUCell", names: ["input size", "got 5, expected 3"] },
  { what: "RNNCell hx of the wrong shape", call: () => new RNNCell(3, 4).forward(ones([2, 3]), ones([3, 4])), error: RangeError, op: "RNNCell", names: ["hx", "[2, 4]", "[3, 4]"] },
  { what: "RNNCell unbatched input with a batched hx", call: () => new RNNCell(3, 4).forward(ones([3]), ones([1, 4])), error: RangeError, op: "RNNCell", names: ["hx", "[4]", "[1, 4]"] },
  { what: "LSTMCell hx a tensor", call: () => new LSTMCell(3, 4).forward(ones([2, 3]), bad(ones([2, 4]))), error: TypeError, op: "LSTMCell", names: ["pair [h, c]"] },
  { what: "GRUCell unknown option", call: () => new GRUCell(3, 4, bad({ nonlinearity: "tanh" })), error: TypeError, op: "GRUCell", names: ["nonlinearity"] },
];

describe("bad inputs", () => {
  for (const row of rows) it(row.what, () => expectBadInput(row));
});
