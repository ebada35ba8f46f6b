/**
 * The fused whole-sequence LSTM layer (rnn-kernels.ts `lstmLayer`, one graph node per layer and
 * direction) against its step-by-step composition `lstmLayerComposed`: the forward is the same to
 * the last bit (float32 and float64), the gradients agree, float64 gradcheck of the op and of the
 * LSTM module around it (directions, layers, batchFirst, initial states given and omitted, bias or
 * not, dropout between layers in training mode), and gradgradcheck of the createGraph path.
 */
import { describe, it, expect } from "vitest";
import { Tensor, Generator, gradcheck, gradgradcheck, grad, manualSeed, noGrad, randn } from "@tsgrad/core";
import { GRU, LSTM } from "@tsgrad/nn";
import { gruLayer, gruLayerComposed, lstmLayer, lstmLayerComposed, tanhF32, type LayerWeights } from "../src/rnn-kernels.js";
import { expectClose } from "../../../tools/test-utils.js";

const gen = new Generator(13);
const r = (shape: number[], dtype: "float32" | "float64" = "float64"): Tensor => randn(shape, { dtype, generator: gen, requiresGrad: true });

/** A fused layer op and its composition, as functions of (x, h0[, c0], ...weights); G gate blocks; whether there is a cell state. */
interface LayerOp {
  name: string;
  fused: (...t: Tensor[]) => Tensor;
  composed: (...t: Tensor[]) => Tensor;
  gates: number;
  cell: boolean;
}
const weightsOf = (ws: Tensor[]): LayerWeights => ({ wIh: ws[0], wHh: ws[1], bIh: ws[2] ?? null, bHh: ws[3] ?? null });
const OPS = (reverse: boolean): LayerOp[] => [
  {
    name: "LSTM", gates: 4, cell: true,
    fused: (...t) => lstmLayer(t[0], t[1], t[2], weightsOf(t.slice(3)), reverse),
    composed: (...t) => lstmLayerComposed(t[0], t[1], t[2], weightsOf(t.slice(3)), reverse),
  },
  {
    name: "GRU", gates: 3, cell: false,
    fused: (...t) => gruLayer(t[0], t[1], weightsOf(t.slice(2)), reverse),
    composed: (...t) => gruLayerComposed(t[0], t[1], weightsOf(t.slice(2)), reverse),
  },
];

/** x (T, N, I), h0 (and c0) (N, H), the weights (×0.7), for T, N, I, H. */
function layerInputs(op: LayerOp, t: number, n: number, i: number, h: number, bias: boolean, dtype: "float32" | "float64" = "float64"): Tensor[] {
  const g = op.gates * h;
  const w = [r([g, i], dtype), r([g, h], dtype), ...(bias ? [r([g], dtype), r([g], dtype)] : [])];
  return [r([t, n, i], dtype), r([n, h], dtype), ...(op.cell ? [r([n, h], dtype)] : []), ...w.map((x) => x.detach().mul(0.7).requiresGrad_(true))];
}

describe("the fused layers", () => {
  it("computes float32 tanh within 2 ulp of Math.tanh (relative near 0), ±1 far out, NaN as NaN", () => {
    const xs = [0, -0, 1e-30, -1e-7, 3e-4, 0.1, 0.55, 1, 2.5, 5, 7.9, 8, 9, 20, -20, 1e6, Infinity, -Infinity];
    for (let k = -4000; k <= 4000; k++) xs.push(k / 400);
    for (const x of xs) {
      const want = Math.fround(Math.tanh(x));
      const got = Math.fround(tanhF32(x));
      expect(Math.abs(got - want), `tanh(${x})`).toBeLessThanOrEqual(2.4e-7 * Math.max(Math.abs(want), 1e-30));
    }
    expect(tanhF32(NaN)).toBeNaN();
  });

  for (const reverse of [false, true]) {
    for (const op of OPS(reverse)) {
      for (const bias of [true, false]) {
        const name = `${op.name}, ${reverse ? "reverse" : "forward"} direction${bias ? "" : ", no bias"}`;
        it(`${name}: gradcheck and gradgradcheck (float64), wrt x, the initial state and every weight`, () => {
          const inputs = layerInputs(op, 4, 2, 3, 2, bias);
          expect(gradcheck(op.fused, inputs)).toBe(true);
          expect(gradgradcheck(op.fused, inputs)).toBe(true);
        });

        for (const dtype of ["float64", "float32"] as const) {
          // float64: to the bit. float32: the one product over all steps may take gemm's WASM kernel
          // (float32 sums) where the per-step products of the composition take the JS one (float64
          // sums), and tanh is tanhF32, so the two agree to float32 precision.
          it(`${name}: the same forward as the composition, the same gradients (${dtype})`, () => {
            const inputs = layerInputs(op, 5, 3, 4, 6, bias, dtype);
            const fused = op.fused(...inputs);
            const composed = op.composed(...inputs);
            expect(fused.shape).toEqual([op.cell ? 6 : 5, 3, 6]);
            const exact = dtype === "float64" ? 0 : 1e-6;
            expectClose(fused, composed, "forward", exact, exact);
            const g = randn(fused.shape, { dtype, generator: gen });
            const a = grad([fused], inputs, { gradOutputs: [g] });
            const b = grad([composed], inputs, { gradOutputs: [g] });
            const [rtol, atol] = dtype === "float64" ? [1e-12, 1e-12] : [1e-5, 1e-5];
            a.forEach((t, i) => expectClose(t!, b[i]!, `grad ${i}`, rtol, atol));
          });
        }
      }
    }
  }

  for (const op of OPS(true)) {
    it(`${op.name}: only the gradients asked for (W_ih frozen, then W_hh and x frozen) equal the composition's`, () => {
      for (const frozen of [[2 + Number(op.cell)], [0, 3 + Number(op.cell)]]) {
        const inputs = layerInputs(op, 4, 2, 3, 5, true).map((t, i) => (frozen.includes(i) ? t.detach() : t));
        const wanted = inputs.filter((t) => t.requiresGrad);
        const g = randn([op.cell ? 5 : 4, 2, 5], { dtype: "float64", generator: gen });
        const a = grad([op.fused(...inputs)], wanted, { gradOutputs: [g] });
        const b = grad([op.composed(...inputs)], wanted, { gradOutputs: [g] });
        a.forEach((t, i) => expectClose(t!, b[i]!, `grad ${i}`, 1e-12, 1e-12));
      }
    });
  }

  for (const op of OPS(false)) {
    it(`${op.name}: keeps nothing for backward without a graph, and refuses a backward after a saved input changed in place`, () => {
      const inputs = layerInputs(op, 3, 2, 2, 2, true);
      expect(noGrad(() => op.fused(...inputs)).gradFn).toBeNull();
      const y = op.fused(...inputs);
      expect(y.gradFn?.name).toBe(`${op.name === "LSTM" ? "Lstm" : "Gru"}LayerBackward0`);
      noGrad(() => inputs[0].add_(1));
      expect(() => y.sum().backward()).toThrow(/modified by an in-place operation/);
    });
  }
});

describe("LSTM and GRU over the fused layers: gradcheck (float64)", () => {
  const f64 = { dtype: "float64" as const, generator: gen };
  const cases: Array<[string, LSTM, number[], Tensor[] | null]> = [
    ["2 layers, bidirectional, batchFirst, initial states given", new LSTM(2, 3, { numLayers: 2, bidirectional: true, batchFirst: true, ...f64 }), [2, 3, 2], [r([4, 2, 3]), r([4, 2, 3])]],
    ["2 layers, initial states omitted", new LSTM(3, 2, { numLayers: 2, ...f64 }), [4, 2, 3], null],
    ["bidirectional, unbatched, no bias", new LSTM(2, 2, { bidirectional: true, bias: false, ...f64 }), [3, 2], [r([2, 2]), r([2, 2])]],
  ];
  for (const [name, m, shape, hx] of cases) {
    it(name, () => {
      const fn = (x: Tensor, ...rest: Tensor[]): Tensor[] => {
        const [out, [hN, cN]] = m.forward(x, hx ? [rest[0], rest[1]] : null);
        return [out, hN, cN];
      };
      const inputs = [r(shape), ...(hx ?? []), ...m.parameters()];
      expect(gradcheck(fn, inputs)).toBe(true);
    });
  }

  const gruCases: Array<[string, GRU, number[], Tensor | null]> = [
    ["GRU, 2 layers, bidirectional, batchFirst, initial state given", new GRU(2, 3, { numLayers: 2, bidirectional: true, batchFirst: true, ...f64 }), [2, 3, 2], r([4, 2, 3])],
    ["GRU, unbatched, no bias, initial state omitted", new GRU(3, 2, { bias: false, ...f64 }), [4, 3], null],
  ];
  for (const [name, m, shape, hx] of gruCases) {
    it(name, () => {
      const fn = (x: Tensor, ...rest: Tensor[]): Tensor[] => m.forward(x, hx ? rest[0] : null);
      expect(gradcheck(fn, [r(shape), ...(hx ? [hx] : []), ...m.parameters()])).toBe(true);
    });
  }

  it("dropout between layers in training mode (the same mask on every call)", () => {
    const m = new LSTM(2, 3, { numLayers: 3, dropout: 0.4, bidirectional: true, dtype: "float64" });
    m.train();
    const fn = (x: Tensor, ...ws: Tensor[]): Tensor => {
      void ws;
      manualSeed(5);
      return m.forward(x)[0];
    };
    expect(gradcheck(fn, [r([3, 2, 2]), ...m.parameters()])).toBe(true);
  });

  it("second-order gradients through the layer (gradgradcheck wrt the input and the initial states)", () => {
    const m = new LSTM(2, 2, { numLayers: 2, bidirectional: true, ...f64 });
    const fn = (x: Tensor, h0: Tensor, c0: Tensor): Tensor[] => {
      const [out, [hN, cN]] = m.forward(x, [h0, c0]);
      return [out, hN, cN];
    };
    expect(gradgradcheck(fn, [r([3, 2, 2]), r([4, 2, 2]), r([4, 2, 2])])).toBe(true);
  });
});
