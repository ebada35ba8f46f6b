/**
 * The fused whole-sequence LSTM layer (rnn-kernels.ts `lstmLayer`, one graph node per layer and
 * direction) against its step-by-step composition `lstmLayerComposed`: the forward is the same to
 * the last bit (float32 and float64), the gradients agree, float64 gradcheck of the op and of the
 * LSTM module around it (directions, layers, batchFirst, initial states given and omitted, bias or
 * not, dropout between layers in training mode), and gradgradcheck of the createGraph path.
 */
import { describe, it, expect } from "vitest";
import { Tensor, Generator, gradcheck, gradgradcheck, grad, manualSeed, noGrad, randn } from "@tsgrad/core";
import { LSTM } from "@tsgrad/nn";
import { lstmLayer, lstmLayerComposed, tanhF32, type LstmLayerWeights } from "../src/rnn-kernels.js";
import { expectClose } from "../../../tools/test-utils.js";

const gen = new Generator(13);
const r = (shape: number[], dtype: "float32" | "float64" = "float64"): Tensor => randn(shape, { dtype, generator: gen, requiresGrad: true });

/** x (T, N, I), h0, c0 (N, H), weights (×2 so that the gates reach σ's flat parts), for T, N, I, H. */
function layerInputs(t: number, n: number, i: number, h: number, bias: boolean, dtype: "float32" | "float64" = "float64"): Tensor[] {
  const w = [r([4 * h, i], dtype), r([4 * h, h], dtype), ...(bias ? [r([4 * h], dtype), r([4 * h], dtype)] : [])];
  return [r([t, n, i], dtype), r([n, h], dtype), r([n, h], dtype), ...w.map((x) => x.detach().mul(0.7).requiresGrad_(true))];
}

const weightsOf = (ws: Tensor[]): LstmLayerWeights => ({ wIh: ws[0], wHh: ws[1], bIh: ws[2] ?? null, bHh: ws[3] ?? null });
const op = (layer: typeof lstmLayer, reverse: boolean) => (...t: Tensor[]): Tensor => layer(t[0], t[1], t[2], weightsOf(t.slice(3)), reverse);

describe("the fused LSTM layer", () => {
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
    for (const bias of [true, false]) {
      const name = `${reverse ? "reverse" : "forward"} direction${bias ? "" : ", no bias"}`;
      it(`${name}: gradcheck and gradgradcheck (float64), wrt x, h0, c0 and every weight`, () => {
        const inputs = layerInputs(4, 2, 3, 2, bias);
        expect(gradcheck(op(lstmLayer, reverse), inputs)).toBe(true);
        expect(gradgradcheck(op(lstmLayer, reverse), inputs)).toBe(true);
      });

      for (const dtype of ["float64", "float32"] as const) {
        // float64: to the bit. float32: the one product over all steps may take gemm's WASM kernel
        // (float32 sums) where the per-step products of the composition take the JS one (float64
        // sums), so the two can differ in the last bit; at the same kernel they agree to the bit.
        it(`${name}: the same forward as the composition, the same gradients (${dtype})`, () => {
          const inputs = layerInputs(5, 3, 4, 6, bias, dtype);
          const fused = op(lstmLayer, reverse)(...inputs);
          const composed = op(lstmLayerComposed, reverse)(...inputs);
          expect(fused.shape).toEqual([6, 3, 6]);
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

  it("keeps nothing for backward without a graph, and refuses a backward after a saved input changed in place", () => {
    const inputs = layerInputs(3, 2, 2, 2, true);
    expect(noGrad(() => op(lstmLayer, false)(...inputs)).gradFn).toBeNull();
    const y = op(lstmLayer, false)(...inputs);
    expect(y.gradFn?.name).toBe("LstmLayerBackward0");
    noGrad(() => inputs[0].add_(1));
    expect(() => y.sum().backward()).toThrow(/modified by an in-place operation/);
  });
});

describe("LSTM over the fused layer: gradcheck (float64)", () => {
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
