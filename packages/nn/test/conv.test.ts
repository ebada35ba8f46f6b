/**
 * Convolution layers and functional forms against PyTorch (state dicts, outputs, input and
 * parameter gradients; float64 to 1e-10, float32 to 1e-5; the printed form), float64 gradcheck and
 * gradgradcheck of every functional form, edge shapes, and PyTorch's default init.
 */
import { describe, it, expect } from "vitest";
import { Tensor, Generator, gradcheck, gradgradcheck, ones, randn, tensor, zeros, type DType } from "@tsgrad/core";
import * as nn from "@tsgrad/nn";
import { F, Module } from "@tsgrad/nn";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface LayerCase {
  layer: string;
  args: Array<number | number[]>;
  options: Record<string, unknown>;
  dtype: "float32" | "float64";
  outputSize: number[] | null;
  repr: string;
  stateDict: Record<string, EncodedTensor>;
  x: EncodedTensor;
  y: EncodedTensor;
  gout: EncodedTensor;
  gx: EncodedTensor;
  gparams: Record<string, EncodedTensor>;
}
interface FoldCase {
  kernelSize: number | number[];
  options: Record<string, number | number[]>;
  outputSize: number[];
  x: EncodedTensor;
  unfold: EncodedTensor;
  gout: EncodedTensor;
  gx: EncodedTensor;
  cols: EncodedTensor;
  fold: EncodedTensor;
  foldGout: EncodedTensor;
  gcols: EncodedTensor;
}
const fixture = loadFixture<{ layers: LayerCase[]; fold: FoldCase[] }>(new URL("./fixtures/conv.json", import.meta.url));

type LayerCtor = new (...args: unknown[]) => Module & { forward(x: Tensor, outputSize?: number[]): Tensor };

/** PyTorch's repr in tsgrad's spelling: camelCase names, JS booleans, quoted strings. */
function tsgradRepr(repr: string): string {
  return repr
    .replace(/kernel_size=/g, "kernelSize=").replace(/output_padding=/g, "outputPadding=")
    .replace(/padding_mode=(\w+)/g, 'paddingMode="$1"').replace(/padding=(same|valid)/g, 'padding="$1"')
    .replace(/bias=False/g, "bias=false");
}

const tol = (dtype: DType): [number, number] => (dtype === "float64" ? [1e-10, 1e-10] : [1e-5, 1e-5]);

describe("convolution layers match PyTorch", () => {
  for (const c of fixture.layers) {
    const title = `${c.layer}(${c.args.map((a) => JSON.stringify(a)).join(", ")}, ${JSON.stringify(c.options)}) on [${c.x.shape.join(", ")}] ${c.dtype}${c.outputSize ? ` outputSize ${JSON.stringify(c.outputSize)}` : ""}`;
    it(title, () => {
      const Ctor = (nn as unknown as Record<string, LayerCtor>)[c.layer];
      const layer = new Ctor(...c.args, { ...c.options, dtype: c.dtype });
      expect(String(layer)).toBe(tsgradRepr(c.repr));
      const sd: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(c.stateDict)) sd[k] = decode(v);
      expect(Object.keys(layer.stateDict())).toEqual(Object.keys(c.stateDict));
      layer.loadStateDict(sd, { strict: true });
      const x = decode(c.x, { requiresGrad: true });
      const y = c.outputSize ? layer.forward(x, c.outputSize) : layer.forward(x);
      const [rtol, atol] = tol(c.dtype);
      expect(y.dtype).toBe(c.dtype);
      expectClose(y, c.y, `${c.layer} forward`, rtol, atol);
      y.backward(decode(c.gout));
      expectClose(x.grad!, c.gx, `${c.layer} dx`, rtol, atol);
      for (const [name, p] of layer.namedParameters()) expectClose(p.grad!, c.gparams[name], `${c.layer} d${name}`, rtol, atol);
    });
  }
});

describe("F.unfold and F.fold match PyTorch", () => {
  for (const c of fixture.fold) {
    it(`kernel ${JSON.stringify(c.kernelSize)} ${JSON.stringify(c.options)} on [${c.x.shape.join(", ")}]`, () => {
      const x = decode(c.x, { requiresGrad: true });
      const y = F.unfold(x, c.kernelSize, c.options);
      expectClose(y, c.unfold, "unfold", 1e-12, 1e-12);
      y.backward(decode(c.gout));
      expectClose(x.grad!, c.gx, "unfold dx", 1e-12, 1e-12);
      const cols = decode(c.cols, { requiresGrad: true });
      const z = F.fold(cols, c.outputSize, c.kernelSize, c.options);
      expectClose(z, c.fold, "fold", 1e-12, 1e-12);
      z.backward(decode(c.foldGout));
      expectClose(cols.grad!, c.gcols, "fold dcols", 1e-12, 1e-12);
    });
  }
});

const f64 = (shape: number[]): Tensor => randn(shape, { dtype: "float64", requiresGrad: true });

// Every functional form with a few option combinations: [name, fn, inputs].
const GRAD_CASES: Array<[string, (...t: Tensor[]) => Tensor, () => Tensor[]]> = [
  ["conv1d stride/padding/dilation", (x, w, b) => F.conv1d(x, w, b, { stride: 2, padding: 1, dilation: 2 }), () => [f64([2, 2, 7]), f64([3, 2, 2]), f64([3])]],
  ["conv1d same (even kernel), unbatched", (x, w) => F.conv1d(x, w, null, { padding: "same" }), () => [f64([2, 5]), f64([3, 2, 4])]],
  ["conv2d groups, asymmetric", (x, w, b) => F.conv2d(x, w, b, { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 }), () => [f64([2, 4, 5, 6]), f64([4, 2, 3, 2]), f64([4])]],
  ["conv2d same", (x, w) => F.conv2d(x, w, undefined, { padding: "same" }), () => [f64([1, 2, 4, 5]), f64([2, 2, 2, 3])]],
  ["conv2d stride 1, padded, dilated, groups (wide columns)", (x, w, b) => F.conv2d(x, w, b, { padding: [2, 1], dilation: [2, 1], groups: 2 }), () => [f64([3, 4, 5, 6]), f64([4, 2, 3, 2]), f64([4])]],
  ["conv3d", (x, w, b) => F.conv3d(x, w, b, { stride: [1, 2, 1], padding: 1 }), () => [f64([1, 2, 3, 4, 3]), f64([2, 2, 2, 2, 2]), f64([2])]],
  ["convTranspose1d", (x, w, b) => F.convTranspose1d(x, w, b, { stride: 2, padding: 1, outputPadding: 1, dilation: 1 }), () => [f64([2, 2, 4]), f64([2, 3, 3]), f64([3])]],
  ["convTranspose2d groups", (x, w, b) => F.convTranspose2d(x, w, b, { stride: [2, 3], padding: [1, 0], outputPadding: [1, 2], groups: 2 }), () => [f64([1, 4, 3, 3]), f64([4, 1, 3, 2]), f64([2])]],
  ["convTranspose2d dilation, unbatched", (x, w) => F.convTranspose2d(x, w, null, { dilation: 2, stride: 2 }), () => [f64([2, 3, 3]), f64([2, 2, 2, 2])]],
  ["convTranspose3d", (x, w) => F.convTranspose3d(x, w, null, { stride: 2 }), () => [f64([1, 1, 2, 2, 2]), f64([1, 2, 2, 2, 2])]],
  ["unfold", (x) => F.unfold(x, [2, 3], { stride: [1, 2], padding: 1, dilation: [2, 1] }), () => [f64([2, 2, 4, 5])]],
  ["fold", (c) => F.fold(c, [4, 5], 2, { stride: 1 }), () => [f64([2, 8, 12])]],
];

describe("gradcheck and gradgradcheck (float64)", () => {
  for (const [name, fn, inputs] of GRAD_CASES) {
    it(name, () => {
      const ins = inputs();
      expect(gradcheck(fn, ins)).toBe(true);
      expect(gradgradcheck(fn, ins)).toBe(true);
    });
  }
});

describe("convolution edges", () => {
  it("a non-contiguous and an expanded input give the contiguous input's result", () => {
    const x = randn([2, 6, 5, 3], { dtype: "float64" });
    const w = randn([4, 3, 2, 2], { dtype: "float64" });
    const view = x.permute(0, 3, 2, 1); // [2, 3, 5, 6], non-contiguous
    expectClose(F.conv2d(view, w), F.conv2d(view.contiguous(), w), "permuted", 0, 0);
    const e = randn([1, 3, 1, 6], { dtype: "float64" }).expand(2, 3, 5, 6);
    expectClose(F.conv2d(e, w), F.conv2d(e.contiguous(), w), "expanded", 0, 0);
  });

  it("size-1 spatial dims, 1×1 kernels and a kernel as large as the input", () => {
    expect(F.conv2d(ones([1, 2, 1, 1]), ones([3, 2, 1, 1])).toArray()).toEqual([[[[2]], [[2]], [[2]]]]);
    expect(F.conv1d(ones([1, 1, 4]), ones([1, 1, 4])).toArray()).toEqual([[[4]]]);
  });

  it("an empty batch gives an empty output and zero weight gradient", () => {
    const w = randn([3, 2, 3], { requiresGrad: true });
    const y = F.conv1d(zeros([0, 2, 5]), w);
    expect(y.shape).toEqual([0, 3, 3]);
    y.sum().backward();
    expect(w.grad!.abs().sum().item()).toBe(0);
  });

  it("gradients flow to bias only where it is given, and match the sum of the output gradient", () => {
    const b = tensor([0.5, -1], { requiresGrad: true });
    const y = F.conv2d(randn([3, 1, 4, 4]), randn([2, 1, 2, 2]), b);
    y.sum().backward();
    expect(b.grad!.toArray()).toEqual([27, 27]);
  });

  it("float32 through the WASM matmul agrees with float64", () => {
    const x = randn([4, 8, 16, 16], { dtype: "float64" });
    const w = randn([16, 8, 3, 3], { dtype: "float64" });
    expectClose(F.conv2d(x.float(), w.float(), null, { padding: 1 }), F.conv2d(x, w, null, { padding: 1 }), "f32 vs f64", 1e-4, 1e-4);
  });

  it("a batch past the column budget (chunks of samples, groups) gives each sample's own result", () => {
    // K·L = 200·4096 per sample and group, 2^22 elements at most per buffer: chunks of 5 and 2
    // samples, and no columns kept for the weight gradient (it takes im2col again).
    const x = randn([7, 16, 64, 64], { dtype: "float64" });
    const w = randn([4, 8, 5, 5], { dtype: "float64", requiresGrad: true });
    const gy = randn([7, 4, 64, 64], { dtype: "float64" });
    const xs = x.requiresGrad_();
    const y = F.conv2d(xs, w, null, { padding: 2, groups: 2 });
    y.backward(gy);
    let dw = zeros(w.shape, { dtype: "float64" });
    for (let s = 0; s < 7; s++) {
      const xi = x.detach().narrow(0, s, 1).requiresGrad_();
      const wi = w.detach().requiresGrad_();
      const yi = F.conv2d(xi, wi, null, { padding: 2, groups: 2 });
      expectClose(y.narrow(0, s, 1), yi, `y[${s}]`, 1e-12, 1e-12);
      yi.backward(gy.narrow(0, s, 1));
      expectClose(xs.grad!.narrow(0, s, 1), xi.grad!, `dx[${s}]`, 1e-12, 1e-12);
      dw = dw.add(wi.grad!);
    }
    expectClose(w.grad!, dw, "dw", 1e-10, 1e-10);
  });

  it("an infinite input pixel reaches only the weight-gradient taps that read it (stride 1, wide columns)", () => {
    // Tap (0, 0)'s row of the wide columns also reads x[.., 0, 4] in a column no output owns.
    const x = randn([2, 1, 5, 5], { dtype: "float64" });
    x.index(0, 0, 0, 4).fill_(Infinity);
    const w = randn([2, 1, 3, 3], { dtype: "float64", requiresGrad: true });
    const gy = randn([2, 2, 3, 3], { dtype: "float64" });
    F.conv2d(x, w).backward(gy);
    // The reference: Σ_n g_n · unfold(x_n)ᵀ.
    const ref = gy.reshape(2, 2, 9).matmul(F.unfold(x, 3).transpose(1, 2)).sum(0).reshape(2, 1, 3, 3);
    const [got, want] = [w.grad!.toArray() as number[][][][], ref.toArray() as number[][][][]];
    for (let o = 0; o < 2; o++) {
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          const [a, b] = [got[o][0][i][j], want[o][0][i][j]];
          if (Number.isFinite(b)) expect(a).toBeCloseTo(b, 10);
          else expect(Number.isNaN(b) ? Number.isNaN(a) : a === b).toBe(true);
        }
      }
    }
    expect(Number.isFinite(got[0][0][0][0]) && Number.isFinite(got[1][0][0][0])).toBe(true);
  });

  it("an in-place write to the input between forward and backward is an error (the kept columns never go stale)", () => {
    const x = randn([2, 1, 5, 5]);
    const w = randn([2, 1, 3, 3], { requiresGrad: true });
    const y = F.conv2d(x, w, null, { padding: 1 });
    x.add_(1);
    expect(() => y.sum().backward()).toThrow(/modified by an inplace operation|version/);
  });

  it("ConvTranspose forward(x, outputSize) takes the spatial size or the full shape", () => {
    const up = new nn.ConvTranspose2d(2, 1, 3, { stride: 2, padding: 1 });
    const x = randn([1, 2, 4, 4]);
    expect(up.forward(x, [8, 8]).shape).toEqual([1, 1, 8, 8]);
    expect(up.forward(x, [1, 1, 7, 7]).shape).toEqual([1, 1, 7, 7]);
  });
});

describe("default initialisation (PyTorch's)", () => {
  it("weight and bias lie in ±1/√fanIn and use the whole range", () => {
    const conv = new nn.Conv2d(4, 64, 3, { generator: new Generator(1) });
    const bound = 1 / Math.sqrt(4 * 9);
    for (const t of [conv.weight, conv.bias!]) {
      const v = t.dataSync();
      expect(Math.max(...v)).toBeLessThanOrEqual(bound);
      expect(Math.min(...v)).toBeGreaterThanOrEqual(-bound);
      expect(Math.max(...v)).toBeGreaterThan(bound * 0.8);
    }
    // Transposed: fanIn is weight.shape[1]·k = (outChannels / groups)·k.
    const up = new nn.ConvTranspose1d(8, 2, 4, { generator: new Generator(1) });
    expect(Math.max(...up.bias!.dataSync().map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(2 * 4));
  });

  it("the same generator seed gives the same weights", () => {
    const a = new nn.Conv1d(2, 3, 3, { generator: new Generator(7) });
    const b = new nn.Conv1d(2, 3, 3, { generator: new Generator(7) });
    expect(a.weight.toArray()).toEqual(b.weight.toArray());
  });
});
