/**
 * Attention and transformers against PyTorch (tools/fixtures/gen_nn_transformer.py):
 * F.scaledDotProductAttention against PyTorch 2.x's documented formula (output and q, k, v, mask
 * gradients); each layer loads PyTorch 1.13's state dict with strict: true (keys in PyTorch's
 * order) and its outputs, input gradients and parameter gradients are compared, float64 to 1e-10
 * and float32 to 1e-5. Then float64 gradchecks on small sizes, init, cloning, train/eval,
 * mask conventions, edge shapes and bad inputs.
 */
import { describe, it, expect } from "vitest";
import { Tensor, Generator, gradcheck, gradgradcheck, manualSeed, ones, randn, tensor, zeros } from "@tsgrad/core";
import {
  F, Module, MultiheadAttention, PReLU, LayerNorm, TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder,
  TransformerDecoder, Transformer, type TransformerActivation,
} from "@tsgrad/nn";
import { decode, expectBadInput, expectClose, loadFixture, type BadInputRow, type EncodedTensor } from "../../../tools/test-utils.js";

type DTypeName = "float32" | "float64";
interface SdpaCase {
  name: string;
  dtype: DTypeName;
  options: { isCausal?: boolean; scale?: number };
  q: EncodedTensor;
  k: EncodedTensor;
  v: EncodedTensor;
  attnMask: EncodedTensor | null;
  out: EncodedTensor;
  gout: EncodedTensor;
  gq: EncodedTensor;
  gk: EncodedTensor;
  gv: EncodedTensor;
  gmask: EncodedTensor | null;
}
interface ModuleCase {
  name: string;
  kind: string;
  args: any;
  options: Record<string, unknown>;
  dtype: DTypeName;
  same: "qkv" | "kv" | null;
  stateKeys: string[];
  state: Record<string, EncodedTensor>;
  inputs: Record<string, EncodedTensor>;
  forwardOptions: Record<string, EncodedTensor | boolean>;
  outputs: Array<EncodedTensor | null>;
  gouts: Array<EncodedTensor | null>;
  inputGrads: Record<string, EncodedTensor>;
  paramGrads: Record<string, EncodedTensor>;
}
const fixture = loadFixture<{ sdpa: SdpaCase[]; modules: ModuleCase[] }>(new URL("./fixtures/transformer.json", import.meta.url));
const tolerance = (dtype: string): [number, number] => (dtype === "float64" ? [1e-10, 1e-10] : [1e-5, 1e-5]);

describe("F.scaledDotProductAttention matches PyTorch 2.x's formula", () => {
  for (const c of fixture.sdpa) {
    it(`${c.name} ${c.dtype}`, () => {
      const [rtol, atol] = tolerance(c.dtype);
      const [q, k, v] = [c.q, c.k, c.v].map((e) => decode(e, { requiresGrad: true }));
      const mask = c.attnMask && decode(c.attnMask, { requiresGrad: c.gmask !== null });
      const out = F.scaledDotProductAttention(q, k, v, { ...c.options, attnMask: mask });
      expect(out.dtype).toBe(c.dtype);
      expectClose(out, c.out, "output", rtol, atol);
      out.backward(decode(c.gout));
      expectClose(q.grad!, c.gq, "query grad", rtol, atol);
      expectClose(k.grad!, c.gk, "key grad", rtol, atol);
      expectClose(v.grad!, c.gv, "value grad", rtol, atol);
      if (c.gmask) expectClose(mask!.grad!, c.gmask, "mask grad", rtol, atol);
    });
  }
});

const ACTIVATIONS: Record<string, (dtype: DTypeName) => TransformerActivation> = {
  relu: () => "relu", gelu: () => "gelu", tanh: () => (x: Tensor) => x.tanh(), prelu: (dtype) => new PReLU({ init: 0.2, dtype }),
};

/** The fixture's options as tsgrad's (activation names decoded), with the case's dtype. */
function layerOptions(c: ModuleCase): Record<string, unknown> {
  const options: Record<string, unknown> = { ...c.options, dtype: c.dtype };
  if (typeof options.activation === "string") options.activation = ACTIVATIONS[options.activation](c.dtype);
  return options;
}

function build(c: ModuleCase): Module {
  const o = layerOptions(c);
  switch (c.kind) {
    case "MultiheadAttention": return new MultiheadAttention(c.args[0], c.args[1], o);
    case "TransformerEncoderLayer": return new TransformerEncoderLayer(c.args[0], c.args[1], o);
    case "TransformerDecoderLayer": return new TransformerDecoderLayer(c.args[0], c.args[1], o);
    case "TransformerEncoder":
      return new TransformerEncoder(new TransformerEncoderLayer(c.args.layer[0], c.args.layer[1], o), c.args.numLayers, {
        norm: c.args.norm ? new LayerNorm(c.args.layer[0], { dtype: c.dtype }) : null,
      });
    case "TransformerDecoder":
      return new TransformerDecoder(new TransformerDecoderLayer(c.args.layer[0], c.args.layer[1], o), c.args.numLayers, {
        norm: c.args.norm ? new LayerNorm(c.args.layer[0], { dtype: c.dtype }) : null,
      });
    case "Transformer": return new Transformer(o);
    default: throw new Error(`unknown kind ${c.kind}`);
  }
}

/** forward's positional inputs for the case (the same tensor where PyTorch passed the same one). */
function positional(c: ModuleCase, inputs: Record<string, Tensor>): Tensor[] {
  if (c.kind !== "MultiheadAttention") return Object.values(inputs);
  const q = inputs.query;
  if (c.same === "qkv") return [q, q, q];
  if (c.same === "kv") return [q, inputs.key, inputs.key];
  return [q, inputs.key, inputs.value];
}

describe("attention and transformer layers match PyTorch", () => {
  for (const c of fixture.modules) {
    it(`${c.kind}: ${c.name} ${c.dtype}`, () => {
      const [rtol, atol] = tolerance(c.dtype);
      manualSeed(0);
      const m = build(c);
      expect(Object.keys(m.stateDict()), "state-dict keys in PyTorch's order").toEqual(c.stateKeys);
      m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v)]))); // strict
      m.eval();
      const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, decode(v, { requiresGrad: true })]));
      const forwardOptions = Object.fromEntries(
        Object.entries(c.forwardOptions).map(([k, v]) => [k, typeof v === "boolean" ? v : decode(v)]),
      );
      const result = (m.forward as (...args: unknown[]) => Tensor | [Tensor, Tensor | null])(...positional(c, inputs), forwardOptions);
      const outs = Array.isArray(result) ? result : [result];
      expect(outs.length).toBe(c.outputs.length);
      const losses: Tensor[] = [];
      outs.forEach((o, i) => {
        const expected = c.outputs[i];
        if (expected === null) {
          expect(o, `output ${i} is null as PyTorch's`).toBeNull();
          return;
        }
        expect(o!.dtype).toBe(c.dtype);
        expectClose(o!, expected, `output ${i}`, rtol, atol);
        losses.push(o!.mul(decode(c.gouts[i]!)).sum());
      });
      losses.reduce((a, b) => a.add(b)).backward();
      for (const [k, g] of Object.entries(c.inputGrads)) expectClose(inputs[k].grad!, g, `${k} grad`, rtol, atol);
      const params = Object.fromEntries(m.namedParameters());
      expect(Object.keys(params).sort()).toEqual(Object.keys(c.paramGrads).sort());
      for (const [k, g] of Object.entries(c.paramGrads)) expectClose(params[k].grad!, g, `${k} grad`, rtol, atol);
    });
  }
});

const gen = new Generator(3);
const r = (shape: number[]): Tensor => randn(shape, { dtype: "float64", generator: gen, requiresGrad: true });

describe("gradcheck (float64, small sizes)", () => {
  it("scaledDotProductAttention with a float mask, causal, and a bool mask", () => {
    expect(gradcheck((q, k, v, m) => F.scaledDotProductAttention(q, k, v, { attnMask: m }), [r([2, 3, 2]), r([2, 4, 2]), r([2, 4, 3]), r([3, 4])])).toBe(true);
    expect(gradcheck((q, k, v) => F.scaledDotProductAttention(q, k, v, { isCausal: true, scale: 0.7 }), [r([1, 3, 2]), r([1, 3, 2]), r([1, 3, 2])])).toBe(true);
    const keep = tensor([[true, false, true], [true, true, false]]);
    expect(gradcheck((q, k, v) => F.scaledDotProductAttention(q, k, v, { attnMask: keep }), [r([2, 2]), r([3, 2]), r([3, 2])])).toBe(true);
  });

  it("second derivatives of scaledDotProductAttention (createGraph through the composed ops)", () => {
    expect(gradgradcheck((q, k, v) => F.scaledDotProductAttention(q, k, v, { isCausal: true }), [r([1, 3, 2]), r([1, 3, 2]), r([1, 3, 2])])).toBe(true);
  });

  it("empty sequences: no keys gives zeros (softmax over nothing, then an empty sum), no queries an empty output", () => {
    const q = randn([2, 3, 4]);
    expect(F.scaledDotProductAttention(q, zeros([2, 0, 4]), zeros([2, 0, 5])).toArray()).toEqual([0, 1].map(() => [0, 1, 2].map(() => [0, 0, 0, 0, 0])));
    expect(F.scaledDotProductAttention(zeros([2, 0, 4]), q, q).shape).toEqual([2, 0, 4]);
  });

  it("MultiheadAttention: packed and separate projections, bias_k/v, zero attention, padding, weights", () => {
    const packed = new MultiheadAttention(4, 2, { addBiasKv: true, addZeroAttn: true, dtype: "float64", generator: new Generator(1) });
    const padding = tensor([[false, true, false], [false, false, false]]);
    const params = packed.parameters();
    expect(gradcheck((q, k, v, ..._) => {
      const [out, w] = packed.forward(q, k, v, { keyPaddingMask: padding });
      return out.sum().add(w!.mul(w!).sum());
    }, [r([2, 2, 4]), r([3, 2, 4]), r([3, 2, 4]), ...params])).toBe(true);
    const separate = new MultiheadAttention(4, 2, { kdim: 3, vdim: 2, batchFirst: true, dtype: "float64", generator: new Generator(2) });
    const mask = r([2, 3]).detach();
    expect(gradcheck((q, k, v, ..._) => separate.forward(q, k, v, { attnMask: mask, averageAttnWeights: false })[0],
      [r([1, 2, 4]), r([1, 3, 3]), r([1, 3, 2]), ...separate.parameters()])).toBe(true);
  });

  it("an encoder layer, a decoder layer and a Transformer (post- and pre-norm, gelu)", () => {
    const options = { dimFeedforward: 6, dropout: 0, dtype: "float64" as const, generator: new Generator(4) };
    const encoder = new TransformerEncoderLayer(4, 2, options);
    expect(gradcheck((x, ..._) => encoder.forward(x, { srcMask: Transformer.generateSquareSubsequentMask(3, { dtype: "float64" }) }),
      [r([3, 2, 4]), ...encoder.parameters()])).toBe(true);
    const decoder = new TransformerDecoderLayer(4, 2, { ...options, normFirst: true, activation: "gelu" });
    expect(gradcheck((t, mem, ..._) => decoder.forward(t, mem), [r([2, 1, 4]), r([3, 1, 4]), ...decoder.parameters()])).toBe(true);
    const model = new Transformer({ dModel: 4, nhead: 1, numEncoderLayers: 1, numDecoderLayers: 1, ...options });
    expect(gradcheck((s, t) => model.forward(s, t), [r([3, 4]), r([2, 4])])).toBe(true);
  });
});

describe("MultiheadAttention", () => {
  it("initializes as PyTorch: xavier-uniform in_proj_weight, zero biases, xavier-normal bias_k/bias_v", () => {
    const mha = new MultiheadAttention(64, 4, { addBiasKv: true, generator: new Generator(0) });
    const bound = Math.sqrt(6 / (64 + 3 * 64)); // fans of [192, 64]
    const w = mha.inProjWeight!;
    expect(w.abs().max().item()).toBeLessThanOrEqual(bound);
    expect(w.abs().max().item()).toBeGreaterThan(0.95 * bound);
    expect(mha.inProjBias!.abs().sum().item()).toBe(0);
    expect(mha.outProj.bias!.abs().sum().item()).toBe(0);
    expect(mha.outProj.weight.abs().max().item()).toBeLessThanOrEqual(1 / 8); // Linear's U(±1/√64)
    const std = Math.sqrt(2 / (64 + 64)); // xavier-normal of [1, 1, 64]: fanIn = fanOut = 64
    const sd = mha.biasK!.std().item();
    expect(sd).toBeGreaterThan(0.7 * std);
    expect(sd).toBeLessThan(1.3 * std);
    expect(mha.biasK!.shape).toEqual([1, 1, 64]);
  });

  it("dropout applies to the weights in training only, from the layer's generator", () => {
    const mha = new MultiheadAttention(4, 1, { dropout: 0.5, generator: new Generator(5) });
    const x = randn([6, 2, 4], { generator: gen });
    const [, wTrain] = mha.forward(x, x, x);
    expect(wTrain!.eq(0).any().item()).toBe(1);
    mha.eval();
    const [, wEval] = mha.forward(x, x, x);
    expectClose(wEval!.sum(-1), ones([2, 6]), "eval weights sum to 1", 1e-6, 1e-6);
  });

  it("bool and float masks mean the same; fully masked rows are NaN as PyTorch", () => {
    const mha = new MultiheadAttention(4, 2, { dtype: "float64", generator: new Generator(6) });
    const x = randn([3, 1, 4], { dtype: "float64", generator: gen });
    const bool = tensor([[false, true, true], [false, false, true], [false, false, false]]);
    const [a, wa] = mha.forward(x, x, x, { attnMask: bool });
    const [b, wb] = mha.forward(x, x, x, { attnMask: Transformer.generateSquareSubsequentMask(3, { dtype: "float64" }) });
    expectClose(a, b, "output", 1e-15, 0);
    expectClose(wa!, wb!, "weights", 1e-15, 0);
    expect((wa!.toArray() as number[][][])[0][0]).toEqual([1, 0, 0]);
    const [out] = mha.forward(x, x, x, { keyPaddingMask: tensor([[true, true, true]]) });
    expect(out.isnan().all().item()).toBe(1);
  });

  it("empty sequences: L = 0 gives an empty output", () => {
    const mha = new MultiheadAttention(4, 2);
    const [out, w] = mha.forward(zeros([0, 2, 4]), randn([3, 2, 4]), randn([3, 2, 4]));
    expect(out.shape).toEqual([0, 2, 4]);
    expect(w!.shape).toEqual([2, 0, 3]);
  });

  it("non-contiguous inputs give the contiguous inputs' results", () => {
    const mha = new MultiheadAttention(4, 2, { dtype: "float64", generator: new Generator(8) });
    const x = randn([2, 3, 4], { dtype: "float64", generator: gen }).transpose(0, 1); // (L=3, N=2, E=4) as a view
    expectClose(mha.forward(x, x, x)[0], mha.forward(x.contiguous(), x.contiguous(), x.contiguous())[0], "view vs copy", 1e-14, 1e-14);
  });
});

describe("transformer stacks", () => {
  it("TransformerEncoder deep-copies its layer: equal initial weights, separate parameters", () => {
    const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 8, activation: new PReLU() });
    const encoder = new TransformerEncoder(layer, 2);
    const [l0, l1] = [encoder.layers.at(0), encoder.layers.at(1)] as TransformerEncoderLayer[];
    expectClose(l0.linear1.weight, l1.linear1.weight, "same initial weights", 0, 0);
    expect(l0.linear1.weight).not.toBe(l1.linear1.weight);
    expect(l0.activation).not.toBe(l1.activation);
    expect(encoder.parameters().length).toBe(2 * layer.parameters().length);
    const x = randn([3, 1, 4]);
    encoder.forward(x).sum().backward();
    expect(layer.linear1.weight.grad).toBeNull(); // the original is not part of the stack
    expect(l1.activation!.parameters()[0].grad).not.toBeNull(); // the clone's own PReLU was used
  });

  it("Transformer draws every matrix xavier-uniform; generateSquareSubsequentMask is PyTorch's", () => {
    const model = new Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, generator: new Generator(0) });
    const w = (model.encoder as TransformerEncoder).layers.at(0) as TransformerEncoderLayer;
    expect(w.linear1.weight.abs().max().item()).toBeLessThanOrEqual(Math.sqrt(6 / 24));
    expect(w.linear1.bias!.abs().max().item()).toBeLessThanOrEqual(1 / Math.sqrt(8)); // vectors keep their init
    expect(Transformer.generateSquareSubsequentMask(2).toArray()).toEqual([[0, -Infinity], [0, 0]]);
    expect(Transformer.generateSquareSubsequentMask(0).shape).toEqual([0, 0]);
  });

  it("dropout: train mode is random, eval mode deterministic", () => {
    const layer = new TransformerEncoderLayer(4, 1, { dimFeedforward: 8, dropout: 0.5 });
    const x = randn([3, 2, 4]);
    expect(layer.forward(x).sub(layer.forward(x)).abs().max().item()).toBeGreaterThan(0);
    layer.eval();
    expect(layer.forward(x).sub(layer.forward(x)).abs().max().item()).toBe(0);
  });
});

describe("bad inputs", () => {
  const q = randn([2, 3, 4]);
  const mha = new MultiheadAttention(4, 2);
  const rows: BadInputRow[] = [
    { what: "key dims differ", call: () => F.scaledDotProductAttention(q, randn([2, 3, 5]), randn([2, 3, 4])), error: RangeError, op: "scaledDotProductAttention", names: ["5", "4"] },
    { what: "value rows differ", call: () => F.scaledDotProductAttention(q, q, randn([2, 2, 4])), error: RangeError, op: "scaledDotProductAttention", names: ["[2, 2, 4]"] },
    { what: "mask and isCausal", call: () => F.scaledDotProductAttention(q, q, q, { isCausal: true, attnMask: ones([3, 3]) }), error: TypeError, op: "scaledDotProductAttention", names: ["isCausal"] },
    { what: "mask shape", call: () => F.scaledDotProductAttention(q, q, q, { attnMask: ones([2, 3]) }), error: RangeError, op: "scaledDotProductAttention", names: ["[2, 3]", "[2, 3, 3]"] },
    { what: "int mask", call: () => F.scaledDotProductAttention(q, q, q, { attnMask: zeros([3, 3], { dtype: "int32" }) }), error: TypeError, op: "scaledDotProductAttention", names: ["int32"] },
    { what: "dtype mix", call: () => F.scaledDotProductAttention(q, q.double(), q), error: TypeError, op: "scaledDotProductAttention", names: ["float64"] },
    { what: "dropoutP > 1", call: () => F.scaledDotProductAttention(q, q, q, { dropoutP: 2 }), error: RangeError, op: "scaledDotProductAttention", names: ["dropoutP"] },
    { what: "embedDim % numHeads", call: () => new MultiheadAttention(6, 4), error: RangeError, op: "MultiheadAttention", names: ["6", "4"] },
    { what: "query features", call: () => mha.forward(randn([3, 2, 5]), q, q), error: RangeError, op: "MultiheadAttention.forward", names: ["embedDim = 4", "[3, 2, 5]"] },
    { what: "key features", call: () => mha.forward(q, randn([3, 2, 3]), q), error: RangeError, op: "MultiheadAttention.forward", names: ["kdim = 4", "[3, 2, 3]"] },
    { what: "dims mix", call: () => mha.forward(q, randn([3, 4]), q), error: RangeError, op: "MultiheadAttention.forward", names: ["[3, 4]"] },
    { what: "batch sizes", call: () => mha.forward(q, randn([3, 1, 4]), randn([3, 1, 4])), error: RangeError, op: "MultiheadAttention.forward", names: ["[3, 1, 4]"] },
    { what: "attnMask shape", call: () => mha.forward(q, q, q, { attnMask: zeros([3, 2]) }), error: RangeError, op: "MultiheadAttention.forward", names: ["(L, S) = [2, 2]", "[3, 2]"] },
    { what: "padding shape", call: () => mha.forward(q, q, q, { keyPaddingMask: zeros([2, 2]) }), error: RangeError, op: "MultiheadAttention.forward", names: ["(N, S) = [3, 2]", "[2, 2]"] },
    { what: "activation name", call: () => new TransformerEncoderLayer(4, 2, { activation: "tanh" as never }), error: RangeError, op: "TransformerEncoderLayer", names: ["activation", '"tanh"'] },
    { what: "stack of the wrong layer", call: () => new TransformerEncoder(new TransformerDecoderLayer(4, 2) as never, 2), error: TypeError, op: "TransformerEncoder", names: ["TransformerEncoderLayer", "TransformerDecoderLayer"] },
    { what: "Transformer feature size", call: () => new Transformer({ dModel: 4, nhead: 1, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 4 }).forward(randn([2, 1, 3]), randn([2, 1, 4])), error: RangeError, op: "Transformer.forward", names: ["dModel = 4", "[2, 1, 3]"] },
    { what: "Transformer batch sizes", call: () => new Transformer({ dModel: 4, nhead: 1, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 4 }).forward(randn([2, 1, 4]), randn([2, 3, 4])), error: RangeError, op: "Transformer.forward", names: ["batch", "[2, 3, 4]"] },
  ];
  for (const row of rows) it(row.what, () => expectBadInput(row));
});
